"""How the allocation is solved: lexicographic stages, each by relaxation → core → full MIP.

Each stage optimises one goal (weighted hires, the lowest staffing ratio, or cost) over the
plans that keep the earlier goals at the values found. A stage runs these steps on the same
model (:class:`planner.optimise.model.AllocationModel`), sharing one deadline (``time_limit``):

1. the LP relaxation: a bound on the goal, row duals (budget values) and reduced costs; an
   integral relaxation, or a known plan within ``gap`` of the bound, ends the stage;
2. a *core* sub-problem (above CORE_MIN columns): every column whose reduced cost is far from
   zero is fixed (at its rounded LP value, or at a known plan's value when that plan is close)
   and the solver optimises the few thousand others, the columns that trade against the
   budgets. This finds a plan within a few 0.01 % of the bound in a fraction of a second,
   where the solver's own root heuristics can leave 0.03 % and then spend minutes in cut rounds;
3. the full integer program. From a plan within WARM_MAX_GAP of the bound: started from that
   plan, *without presolve*, for a while (HiGHS 1.16 maps a starting plan into its presolved
   space with a wrong objective value: measured, a plan of 179,177 weighted hires reported as
   179,199 and then "proved optimal" against that value). Otherwise, or if that does not
   close the gap: the solver on its own with presolve, interrupted as soon as its bound proves
   the best known plan within the gap. Later stages (which always have the previous stage's
   plan) only take the first way: with presolve and no start, HiGHS once spent 74 s in a
   single root cut round, far past its time limit.

When the goal moves in whole steps (weighted hires with priorities 1, 2, 3), bounds are
rounded to a step and the solver may stop just under a step from its bound. Every plan a
solver returns is checked against the constraints in exact arithmetic (whole hires, đồng)
before it is used, and its value is recomputed here: no reported objective is trusted.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from planner.optimise.model import MONEY_UNIT, AllocationModel, MipData, Run

INTEGRALITY = 1e-6
GAP_NOISE = 1e-7  # relative gaps below this are tolerance artefacts, reported as 0
CORE_MIN = 2_000  # columns freed in the core step, at least
CORE_SHARE = 0.01  # ... or this share of the columns
RINS_GAP = 0.01  # a plan this close to the bound anchors the core (else the rounded LP does)
CORE_GAP = 1e-5  # the core sub-problem is solved this close
#: Without a time limit, each later stage (e.g. the cheapest among the best plans) may take
#: max(LATER_STAGE_MIN, LATER_STAGE_FACTOR × the first stage's time); a stage stopped there
#: marks the plan feasible_time_limit with that stage's gap, like any time limit.
LATER_STAGE_MIN = 20.0
LATER_STAGE_FACTOR = 5.0
WARM_MAX_GAP = 5e-4  # ... only from a plan this close to the bound (else presolve helps more)
WARM_BOX_MIN = 10.0  # seconds the warm-started full solve may take before the solver's own
WARM_BOX_FACTOR = 10.0  # ... or this many times the time spent so far in the stage


@dataclass(frozen=True)
class Goal:
    """One lexicographic stage: what to optimise."""

    name: str  # weighted_hires, min_ratio, cost
    maximise: bool


WEIGHTED_HIRES = Goal("weighted_hires", True)
MIN_RATIO = Goal("min_ratio", True)
COST = Goal("cost", False)


@dataclass(frozen=True)
class StageResult:
    goal: str
    status: str  # optimal, time_limit, infeasible, no_solution
    value: float | None  # in model units (weighted hires, ratio, millions of đồng)
    bound: float | None
    seconds: float
    steps: str  # which steps ran, e.g. "lp+core+mip"

    @property
    def gap(self) -> float | None:
        return relative_gap(self.value, self.bound, maximise=self.goal != "cost")


@dataclass
class Outcome:
    """The result of all stages: the plan (hires per column) and how each stage ended."""

    status: str  # optimal, time_limit, infeasible, no_solution
    hires: np.ndarray | None
    stages: list[StageResult] = field(default_factory=list)
    lp_duals: np.ndarray | None = None  # row duals of the first stage's relaxation
    seconds: float = 0.0


def overall_gap(gaps: list[float | None]) -> float | None:
    """The gap of a plan: the largest gap among its stages that reached a bound. A later stage
    stopped by the time limit before its relaxation gave one has no gap of its own (its plan
    is still the earlier stage's, so the earlier gaps stand); None only when no stage has one.
    """
    known = [g for g in gaps if g is not None]
    return max(known) if known else None


def relative_gap(value: float | None, bound: float | None, *, maximise: bool) -> float | None:
    if value is None or bound is None:
        return None
    diff = (bound - value) if maximise else (value - bound)
    diff = max(diff, 0.0)
    if diff <= GAP_NOISE * max(1.0, abs(value)):
        return 0.0  # below the solvers' tolerances: no gap to speak of
    return diff / max(abs(value), 1e-9)


class StageSolver:
    """Runs goals on one model; keeps nothing between calls except the model itself."""

    def __init__(self, model: AllocationModel, *, gap: float) -> None:
        self.model = model
        self.data: MipData = model.data
        self.gap = gap
        d = self.data
        self.lower = np.concatenate([d.lower, [0.0]]) if model.fair else d.lower.astype(float)
        self.upper = np.concatenate([d.upper, [self._ratio_cap()]]) if model.fair \
            else d.upper.astype(float)

    # --- objectives and exact evaluation -------------------------------------------------

    def objective(self, goal: Goal) -> np.ndarray:
        d = self.data
        extra = [0.0] if self.model.fair else []
        if goal.name == "weighted_hires":
            return np.concatenate([d.priority, extra])
        if goal.name == "cost":
            return np.concatenate([d.cost / MONEY_UNIT, extra])
        return np.concatenate([np.zeros(d.n), [1.0]])

    def granularity(self, goal: Goal) -> float | None:
        """The step between two values of the goal when every coefficient is a multiple of
        it (weighted hires with priorities 1, 2, 3 move in steps of 1): a bound can then be
        rounded to a step, and the solver may stop 0.999 of a step from the bound."""
        if goal.name != "weighted_hires":
            return None
        p = self.data.priority
        for step in (1.0, 0.5, 0.25, 0.2, 0.1, 0.05, 0.01):
            if np.all(np.abs(p / step - np.round(p / step)) < 1e-9):
                return step
        return None

    def value(self, goal: Goal, x: np.ndarray) -> float:
        if goal.name == "min_ratio":
            return float(x[-1])
        return float(self.objective(goal) @ x)

    def _fair_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The quota and staff staying per unit, which the lowest-ratio goal needs."""
        d = self.data
        if d.fair_quota is None or d.fair_staying is None:
            raise ValueError("the lowest-ratio goal needs MipData.fair_quota and fair_staying")
        return d.fair_quota, d.fair_staying

    def _ratio_cap(self) -> float:
        d = self.data
        quota, staying = self._fair_rows()
        counted = quota > 0
        best = (staying + np.bincount(d.unit, weights=d.upper, minlength=d.n_units))
        return float(np.min(best[counted] / quota[counted])) if counted.any() else 0.0

    def exact_ratio(self, hires: np.ndarray) -> float:
        d = self.data
        quota, staying = self._fair_rows()
        counted = quota > 0
        if not counted.any():
            return 0.0
        staff = staying + np.bincount(d.unit, weights=hires, minlength=d.n_units)
        return float(np.min(staff[counted] / quota[counted]))

    def candidate(self, x: np.ndarray | None, lower: np.ndarray,
                  upper: np.ndarray) -> np.ndarray | None:
        """A solver's column values rounded to whole hires, or None if they break a rule."""
        if x is None or not np.all(np.isfinite(x[:self.data.n])):
            return None
        hires = np.round(x[:self.data.n])
        if np.abs(hires - x[:self.data.n]).max(initial=0.0) > 1e-4:
            return None
        out = hires
        if self.model.fair:
            ratio = min(self.exact_ratio(hires), upper[-1])
            if ratio < lower[-1] - 1e-9:
                return None
            out = np.concatenate([hires, [ratio]])
        if np.any(out[:self.data.n] < lower[:self.data.n]) or \
                np.any(out[:self.data.n] > upper[:self.data.n]):
            return None
        return out if self.feasible(hires, ratio=float(out[-1]) if self.model.fair else 0.0) \
            else None

    def feasible(self, hires: np.ndarray, *, ratio: float = 0.0) -> bool:
        """Every row holds for whole ``hires`` (money in exact đồng, rows at current RHS;
        ``ratio`` is the ratio column's value in the fair rows)."""
        d, m = self.data, self.model
        cost = d.cost * hires
        checks = []
        for kind, group in m.groups.items():
            if not len(group.rows):
                continue
            rhs = np.array([m.rhs(int(r)) for r in group.rows])
            if kind == "budget":
                spent = np.bincount(d.source, weights=cost, minlength=len(d.budgets))[group.keys]
                checks.append(np.all(spent <= rhs * MONEY_UNIT + 1e-6))
            elif kind == "total_budget":
                checks.append(cost.sum() <= rhs[0] * MONEY_UNIT + 1e-6)
            elif kind == "unit_budget":
                spent = np.bincount(d.unit, weights=cost, minlength=d.n_units)[group.keys]
                checks.append(np.all(spent <= rhs * MONEY_UNIT + 1e-6))
            elif kind in ("unit_min", "unit_max"):
                count = np.bincount(d.unit, weights=hires, minlength=d.n_units)[group.keys]
                checks.append(np.all(count >= rhs - 1e-9) if kind == "unit_min"
                              else np.all(count <= rhs + 1e-9))
            elif kind == "quota_ceiling":
                if d.ceiling_group is None or d.ceiling is None:
                    raise ValueError("quota ceiling rows need MipData.ceiling_group and ceiling")
                count = np.bincount(d.ceiling_group, weights=hires,
                                    minlength=len(d.ceiling))[group.keys]
                checks.append(np.all(count <= rhs + 1e-9))
            elif kind == "fair":  # staying + hires ≥ quota × ratio, as hires − Q·t ≥ −S
                quota, _ = self._fair_rows()
                count = np.bincount(d.unit, weights=hires, minlength=d.n_units)[group.keys]
                checks.append(np.all(count - quota[group.keys] * ratio >= rhs - 1e-6))
            elif kind == "keep_weighted":
                checks.append(float(d.priority @ hires) >= rhs[0] - 1e-6)
        return bool(all(checks))

    # --- one stage ----------------------------------------------------------------------

    def stage(self, goal: Goal, *, deadline: float, lower: np.ndarray, upper: np.ndarray,
              starts: list[np.ndarray], later: bool = False
              ) -> tuple[StageResult, np.ndarray | None, np.ndarray | None]:
        """Optimise ``goal``; returns the result, the best plan (columns) and LP row duals."""
        t0 = time.perf_counter()
        m, obj, sense = self.model, self.objective(goal), goal.maximise
        best = _Best(self, goal, lower, upper)
        for s in starts:
            best.offer(s)
        steps = ["lp"]
        bound: float | None = None
        step = self.granularity(goal)
        abs_gap = 0.999 * step if step else 1e-6

        def run(**kw: Any) -> Run:
            return m.run(objective=obj, maximise=sense, abs_gap=abs_gap, **kw)

        def result(status: str) -> StageResult:
            if best.plan is None and status in ("optimal", "time_limit"):
                status = "no_solution" if status == "time_limit" else "infeasible"
            b = bound
            if best.value is not None and b is not None:  # a bound is never worse than a plan
                b = max(b, best.value) if sense else min(b, best.value)
            return StageResult(goal.name, status, best.value, b, time.perf_counter() - t0,
                               "+".join(steps))

        def tighter(new: float | None) -> float | None:
            if new is not None and step:  # no plan lies between two steps
                new = (math.floor(new / step + 1e-9) if sense
                       else math.ceil(new / step - 1e-9)) * step
            if new is None or bound is None:
                return bound if new is None else new
            return min(bound, new) if sense else max(bound, new)

        lp = run(integer=False, lower=lower, upper=upper, time_limit=_left(deadline))
        if lp.status in ("infeasible", "time_limit"):
            return result(lp.status), best.plan, None
        duals = lp.row_duals
        if lp.status == "optimal":
            bound = tighter(lp.objective)
            best.offer(lp.x)
            if self._close(best.value, bound, sense):
                return result("optimal"), best.plan, duals
        small = self.data.n <= CORE_MIN
        if not small and lp.status == "optimal" and lp.x is not None:
            steps.append("core")
            near = best.plan if self._close(best.value, bound, sense, RINS_GAP) else None
            lo_c, up_c = self._core(lp.x, lp.col_duals, lower, upper, near)
            r = run(integer=True, lower=lo_c, upper=up_c, presolve=True,
                    time_limit=_left(deadline), gap=min(self.gap, CORE_GAP))
            best.offer(r.x)
            if self._close(best.value, bound, sense):
                return result("optimal"), best.plan, duals
        if best.plan is not None and not small and (later or self._close(
                best.value, bound, sense, WARM_MAX_GAP)):
            # from the plan found, without presolve (see the module docstring), for a while
            steps.append("mip")
            box = math.inf if later else max(WARM_BOX_MIN,
                                             WARM_BOX_FACTOR * (time.perf_counter() - t0))
            left = _left(deadline)
            r = run(integer=True, lower=lower, upper=upper, start=best.plan, presolve=False,
                    time_limit=left if math.isinf(box) else box if left is None
                    else min(box, left), gap=self.gap)
            best.offer(r.x)
            bound = tighter(r.bound)
            if r.status == "optimal" or self._close(best.value, bound, sense):
                return result("optimal"), best.plan, duals
            if _left(deadline) == 0.0 or later:
                return result("time_limit"), best.plan, duals
        # the solver on its own, with presolve (its bound is valid: it is given no start)
        steps.append("mip_presolve")
        r = run(integer=True, lower=lower, upper=upper, presolve=True,
                time_limit=_left(deadline), gap=self.gap, target=best.value)
        best.offer(r.x)
        bound = tighter(r.bound)
        if r.status == "optimal" or self._close(best.value, bound, sense):
            return result("optimal"), best.plan, duals
        if r.status == "infeasible" and best.plan is None:
            return result("infeasible"), None, duals
        return result("time_limit"), best.plan, duals

    def _close(self, value: float | None, bound: float | None, maximise: bool,
               gap: float | None = None) -> bool:
        g = relative_gap(value, bound, maximise=maximise)
        return g is not None and g <= (self.gap if gap is None else gap)

    def _core(self, x: np.ndarray, reduced: np.ndarray | None, lower: np.ndarray,
              upper: np.ndarray, incumbent: np.ndarray | None
              ) -> tuple[np.ndarray, np.ndarray]:
        """Bounds of the core sub-problem: columns fixed where the relaxation is sure of them.

        Without a plan yet, the others are fixed at the rounded relaxation (as RENS does);
        with one, at the plan's values, and the columns where plan and relaxation disagree
        are freed too (as RINS does), so the sub-problem contains the plan and can only
        improve on it."""
        n = self.data.n
        h = x[:n]
        frac = np.abs(h - np.round(h)) > INTEGRALITY
        if incumbent is not None:
            frac |= np.round(h) != incumbent[:n]
        k = min(n, max(CORE_MIN, int(CORE_SHARE * n)))
        free = frac.copy()
        if reduced is not None and k < n:
            free[np.argpartition(np.abs(reduced[:n]), k - 1)[:k]] = True
        else:
            free[:] = True
        fixed = incumbent[:n] if incumbent is not None else np.clip(np.round(h), lower[:n],
                                                                      upper[:n])
        lo = lower.copy()
        up = upper.copy()
        lo[:n] = np.where(free, lower[:n], fixed)
        up[:n] = np.where(free, upper[:n], fixed)
        return lo, up


class _Best:
    """The best plan offered so far, each offer checked in exact arithmetic first."""

    def __init__(self, solver: StageSolver, goal: Goal, lower: np.ndarray, upper: np.ndarray):
        self.solver, self.goal, self.lower, self.upper = solver, goal, lower, upper
        self.plan: np.ndarray | None = None
        self.value: float | None = None

    def offer(self, x: np.ndarray | None) -> None:
        c = self.solver.candidate(x, self.lower, self.upper)
        if c is None:
            return
        v = self.solver.value(self.goal, c)
        if self.plan is None or self.value is None or (
                v > self.value if self.goal.maximise else v < self.value):
            self.plan, self.value = c, v


def _left(deadline: float) -> float | None:
    return None if math.isinf(deadline) else max(0.0, deadline - time.monotonic())


def solve(solver: StageSolver, goals: list[Goal], *, time_limit: float | None = None,
          start: np.ndarray | None = None, ratio_search: bool = True) -> Outcome:
    """Run ``goals`` lexicographically: each later goal keeps the earlier ones at the values
    found (weighted hires through the ``keep_weighted`` row, the ratio through its rows).

    The lowest ratio (``min_ratio``) is found by the search over its candidate values of
    :mod:`planner.optimise.fair_search` (``ratio_search=False``: by the steps of
    :meth:`StageSolver.stage`, the MIP with a continuous ratio, kept for comparison); the
    later stages then hold each unit's fair row at the whole number of hires the ratio found
    needs, and they run even when a time limit stopped the search (the outcome is then
    ``time_limit``)."""
    t0 = time.perf_counter()
    model = solver.model
    deadline = math.inf if time_limit is None else time.monotonic() + time_limit
    lower, upper = solver.lower.copy(), solver.upper.copy()
    keep = model.groups.get("keep_weighted")
    keep_row = int(keep.rows[0]) if keep is not None else None
    relaxed = model.rhs(keep_row) if keep_row is not None else None
    fair = model.groups.get("fair")
    fair_rows = fair.rows.tolist() if fair is not None else []
    fair_rhs = [model.rhs(int(r)) for r in fair_rows]
    plan: np.ndarray | None = None
    stages: list[StageResult] = []
    duals = None
    cut = False  # a time limit stopped the ratio search; the later stages still run
    try:
        for i, goal in enumerate(goals):
            starts = [s for s in (start, plan) if s is not None]
            limit = deadline
            if i > 0 and time_limit is None:  # a later stage may not run on for ever
                limit = time.monotonic() + max(LATER_STAGE_MIN,
                                               LATER_STAGE_FACTOR * stages[0].seconds)
            if goal.name == "min_ratio" and ratio_search:
                from planner.optimise.fair_search import SEARCH_SHARE, search_ratio

                share = limit if math.isinf(limit) else \
                    time.monotonic() + SEARCH_SHARE * max(0.0, limit - time.monotonic())
                found = search_ratio(solver, deadline=share, lower=lower, upper=upper,
                                     starts=starts)
                result, x, d = found.result, found.plan, found.duals
                if x is not None and found.needs is not None and i + 1 < len(goals):
                    # later stages: hires_u >= need_u(ratio) exactly, the ratio column at 0
                    for row, need in zip(fair_rows, found.needs.tolist(), strict=True):
                        model.set_rhs(row, need)
                    lower[-1] = upper[-1] = 0.0
                    cut = result.status == "time_limit"
                    result_ok = True
                else:
                    result_ok = result.status == "optimal"
            else:
                result, x, d = solver.stage(goal, deadline=limit, lower=lower, upper=upper,
                                            starts=starts, later=i > 0)
                result_ok = result.status == "optimal"
            stages.append(result)
            if i == 0:
                duals = d
            if x is None:
                status = result.status if plan is None else "time_limit"
                return Outcome(status, _hires(plan, solver), stages, duals,
                               time.perf_counter() - t0)
            plan = x
            if not result_ok:
                return Outcome("time_limit", _hires(plan, solver), stages, duals,
                               time.perf_counter() - t0)
            if i + 1 < len(goals):
                if result.value is None:
                    raise RuntimeError(f"stage {goal.name} ended without a value")
                v = float(result.value)
                if goal.name == "weighted_hires" and keep_row is not None:
                    model.set_rhs(keep_row, v - 1e-7 - 1e-9 * abs(v))
                elif goal.name == "min_ratio" and not ratio_search:
                    lower[-1] = max(0.0, v - 1e-9)
        return Outcome("time_limit" if cut else "optimal", _hires(plan, solver), stages, duals,
                       time.perf_counter() - t0)
    finally:
        if keep_row is not None and relaxed is not None:
            model.set_rhs(keep_row, relaxed)
        for row, rhs in zip(fair_rows, fair_rhs, strict=True):
            model.set_rhs(int(row), rhs)


def _hires(plan: np.ndarray | None, solver: StageSolver) -> np.ndarray | None:
    return None if plan is None else plan[:solver.data.n].astype(np.int64)

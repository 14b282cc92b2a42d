"""The lowest staffing ratio of ``fair`` (issue 12 item 7d), found by a search over the values it
can take instead of a MIP with a continuous ratio.

Unit u (quota Q_u > 0, staff staying S_u, at most n_u hires) ends at the ratio (S_u + k)/Q_u
for some whole k in 0..n_u, so the lowest ratio of any plan is one of these fractions. "Every
unit at ratio ≥ r" is, for each unit, the whole-number requirement

    hires_u ≥ need_u(r) = ⌈r·Q_u − S_u⌉,

computed here in exact rational arithmetic (:class:`fractions.Fraction`; no float rounding
decides a requirement). A plan with every unit at ratio ≥ r exists for every r up to the
optimum and for none above, so the search looks for the largest candidate r that passes a
**feasibility check**: the allocation model with the unit's fair row set to
hires_u ≥ need_u(r) (the ratio column fixed at 0) and every other rule as it is (budgets,
caps, quota ceilings, pins, minimum fill), solved by the same solver for any plan at all.

Steps:

1. the LP relaxation of max t (as the MIP path): a bound t_LP on the ratio, row duals for the
   explanations, and perhaps a plan;
2. above CORE_MIN columns, the core sub-problem of :mod:`planner.optimise.stages`, which finds
   a plan at or near the best ratio in a fraction of a second;
3. the candidates are the distinct fractions (S_u + k)/Q_u between the best plan's ratio and
   t_LP; the first check is the candidate just above the best plan's ratio (when that plan is
   the optimum, as it usually is, this one infeasible check proves it) or, with no plan yet,
   the largest candidate (when the LP bound is tight, this one feasible check ends it), then
   bisection. A feasible check's plan moves the lower end to *its* ratio (often above the
   candidate tried).

The search returns the largest feasible candidate r*, exact, and the per-unit requirements
need_u(r*): the later stages (weighted hires, cost) run with those requirements as rows, so
they keep the ratio exactly. With a time limit the search stops at its share of the time
(SEARCH_SHARE) with the best ratio proven feasible and the bound the checks proved, and the
later stages still run from there.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from planner.optimise.stages import (
    CORE_GAP,
    CORE_MIN,
    MIN_RATIO,
    StageResult,
    StageSolver,
)

#: with a time limit, the search may use this share of the time left; the rest is for the
#: later stages (weighted hires, cost), which then always run
SEARCH_SHARE = 0.5
#: the LP bound on the ratio is widened by this much before candidates above it are dropped
#: (solver tolerances)
LP_SLACK = 1e-6


@dataclass(frozen=True)
class RatioSearch:
    """The search's result: the stage as the MIP path reports it, the best plan (columns, the
    ratio column last), the LP row duals, the ratio exactly and each fair row's requirement
    (the model's fair rows in order) at that ratio; plan and ratio None when no plan exists."""

    result: StageResult
    plan: np.ndarray | None
    duals: np.ndarray | None
    ratio: Fraction | None
    needs: np.ndarray | None
    checks: int


class _Units:
    """The counted units (quota > 0) in the order of the model's fair rows, as exact integers."""

    def __init__(self, solver: StageSolver) -> None:
        d = solver.data
        group = solver.model.groups.get("fair")
        self.rows = group.rows if group is not None else np.zeros(0, dtype=np.int64)
        self.keys = group.keys if group is not None else np.zeros(0, dtype=np.int64)
        quota, staying = solver._fair_rows()
        self.quota = [_whole(quota[u], "quota") for u in self.keys.tolist()]
        self.staying = [_whole(staying[u], "staff staying") for u in self.keys.tolist()]
        most = np.bincount(d.unit, weights=d.upper, minlength=d.n_units)
        most = np.minimum(most, d.unit_max)
        self.most = [int(most[u]) for u in self.keys.tolist()]
        self.unit = d.unit
        self.n_units = d.n_units

    def ratio(self, hires: np.ndarray) -> Fraction:
        """The plan's lowest ratio, exactly."""
        per_unit = np.rint(np.bincount(self.unit, weights=hires, minlength=self.n_units))
        counts = per_unit.astype(np.int64).tolist()
        return min((Fraction(s + counts[u], q)
                    for u, q, s in zip(self.keys.tolist(), self.quota, self.staying,
                                       strict=True)), default=Fraction(0))

    def needs(self, r: Fraction) -> np.ndarray:
        """need_u(r) = ⌈r·Q_u − S_u⌉ for each counted unit, exactly (integer arithmetic)."""
        a, b = r.numerator, r.denominator
        return np.array([-((b * s - a * q) // b) for q, s in
                         zip(self.quota, self.staying, strict=True)], dtype=float)

    def candidates(self, low: Fraction, high: Fraction) -> list[Fraction]:
        """The distinct ratios (S_u + k)/Q_u, 0 ≤ k ≤ n_u, within [low, high], ascending."""
        out: set[Fraction] = set()
        for q, s, n in zip(self.quota, self.staying, self.most, strict=True):
            first = max(0, -((s * low.denominator - low.numerator * q) // low.denominator))
            last = min(n, (high.numerator * q - s * high.denominator) // high.denominator)
            out.update(Fraction(s + k, q) for k in range(first, last + 1))
        return sorted(out)


def _whole(x: float, what: str) -> int:
    value = float(x)
    if not math.isfinite(value) or value != math.floor(value):
        raise ValueError(f"the lowest-ratio search needs whole numbers; {what} is {value}")
    return math.floor(value)


def search_ratio(solver: StageSolver, *, deadline: float, lower: np.ndarray,
                 upper: np.ndarray, starts: list[np.ndarray]) -> RatioSearch:
    """The largest lowest ratio of any plan (see the module docstring). ``deadline`` is a
    ``time.monotonic()`` time or inf; the model's fair rows are left as they were found."""
    t0 = time.perf_counter()
    model = solver.model
    units = _Units(solver)
    saved = [model.rhs(int(r)) for r in units.rows]
    steps = ["lp"]
    plan: np.ndarray | None = None
    low: Fraction | None = None  # the best plan's ratio, exactly

    def offer(x: np.ndarray | None, lo: np.ndarray, up: np.ndarray) -> None:
        nonlocal plan, low
        c = solver.candidate(x, lo, up)
        if c is None:
            return
        r = units.ratio(c[:solver.data.n])
        if low is None or r > low:
            c = c.copy()
            c[-1] = float(r)
            plan, low = c, r

    def done(status: str, bound: Fraction | None, duals: np.ndarray | None,
             checks: int) -> RatioSearch:
        if checks:
            steps.append(f"search({checks})")
        if plan is None and status in ("optimal", "time_limit"):
            status = "no_solution" if status == "time_limit" else "infeasible"
        value = None if low is None else float(low)
        result = StageResult(MIN_RATIO.name, status, value,
                             None if bound is None else float(bound),
                             time.perf_counter() - t0, "+".join(steps))
        return RatioSearch(result, plan, duals, low,
                           None if low is None else units.needs(low), checks)

    for s in starts:
        offer(s, lower, upper)
    obj = solver.objective(MIN_RATIO)
    lp = model.run(objective=obj, maximise=True, integer=False, lower=lower, upper=upper,
                   time_limit=_left(deadline))
    if lp.status == "infeasible":
        return done("infeasible", None, None, 0)
    duals = lp.row_duals
    # the ratio cap (every unit at its most hires) and the LP bound are floats: widened a little
    high = Fraction(float(upper[-1]) + LP_SLACK) if len(units.rows) else Fraction(0)
    if lp.status == "optimal" and lp.objective is not None:
        high = min(high, Fraction(lp.objective + LP_SLACK))
        offer(lp.x, lower, upper)
        if solver.data.n > CORE_MIN and lp.x is not None:
            steps.append("core")
            lo_c, up_c = solver._core(lp.x, lp.col_duals, lower, upper, None)
            r = model.run(objective=obj, maximise=True, integer=True, lower=lo_c, upper=up_c,
                          presolve=True, time_limit=_left(deadline),
                          gap=min(solver.gap, CORE_GAP))
            offer(r.x, lower, upper)
    # the checks: the fair rows become hires_u >= need_u(r), the ratio column fixed at 0
    lo_chk, up_chk = lower.copy(), upper.copy()
    lo_chk[-1] = up_chk[-1] = 0.0
    zero = np.zeros(model.n_cols)
    floor = min((Fraction(s, q) for q, s in zip(units.quota, units.staying, strict=True)),
                default=Fraction(0))
    cands = units.candidates(low if low is not None else floor, max(high, low or high))
    if low is not None and (not cands or cands[0] != low):
        cands.insert(0, low)  # its own ratio (above high only by the LP's tolerance)
    if not cands:
        cands = [floor]  # no unit with a quota: the ratio is 0, any plan will do
    lo_i = 0 if low is not None else -1  # largest index proven feasible
    hi_i = len(cands)  # smallest index proven infeasible (or past the LP bound)
    checks = 0
    cut = False
    try:
        while hi_i - lo_i > 1:
            # the first check is the one just above the best plan (it proves that plan
            # optimal) or, without a plan, the largest candidate under the LP bound (often
            # the optimum: one check); then bisection
            mid = (lo_i + 1 if lo_i >= 0 else hi_i - 1) if checks == 0 else (lo_i + hi_i) // 2
            needs = units.needs(cands[mid])
            for row, need in zip(units.rows.tolist(), needs.tolist(), strict=True):
                model.set_rhs(row, need)
            checks += 1
            left = _left(deadline)
            r = model.run(objective=zero, maximise=True, integer=True, lower=lo_chk,
                          upper=up_chk, presolve=True, time_limit=left, gap=1.0)
            found = solver.candidate(r.x, lo_chk, up_chk)
            if found is not None:
                ratio = units.ratio(found[:solver.data.n])
                if ratio < cands[mid]:
                    raise RuntimeError(f"a plan meeting the requirements of ratio {cands[mid]} "
                                       f"ends at {ratio}")
                offer(found, lo_chk, up_chk)
                lo_i = max(i for i in range(mid, hi_i) if cands[i] <= ratio)
            elif r.status == "infeasible":
                hi_i = mid
            else:  # time limit, or no answer: stop with what is proven
                cut = True
                break
    finally:
        for row, rhs in zip(units.rows.tolist(), saved, strict=True):
            model.set_rhs(row, rhs)
    if lo_i < 0:
        return done("time_limit" if cut else "infeasible", None, duals, checks)
    bound = cands[hi_i - 1]
    return done("time_limit" if cut else "optimal", bound, duals, checks)


def _left(deadline: float) -> float | None:
    return None if math.isinf(deadline) else max(0.0, deadline - time.monotonic())

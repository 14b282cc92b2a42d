"""The multi-year hiring model (issue 15), built with PuLP and solved by HiGHS.

The second module that imports PuLP (beside :mod:`planner.optimise.model`, whose money scaling and
HiGHS silencing it shares). It takes plain arrays (:class:`MultiYearMip`) and returns plain
numpy values (:class:`MultiYearResult`); no PuLP object leaves it.

Rows r (unit × position), years y = 0..T−1. The columns are the cumulative hires
X[r,y] = hires made in years ≤ y (whole, ≥ 0); the hires of year y are X[r,y] − X[r,y−1] ≥ 0.
With N0[r,y] = headcount_r − departures made in years ≤ y (the stock with no hiring):

* row room       0 ≤ X[r,y] ≤ max(0, quota[r,y] − N0[r,y])            (a column bound)
* no firing      X[r,y] ≥ X[r,y−1]                                       (hires are ≥ 0)
* unit room      Σ_{r∈g} X[r,y] ≤ max(0, Σ_{r∈g} (quota[r,y] − N0[r,y])) per (unit, staff
                 type) g and year (the one-year unit ceiling, year by year)
* budgets        Σ_{r∈s} cost[r,y] · X[r,y] ≤ B[s,y]  (a hire is paid every year from the
                 year it joins, at that year's base salary)
* unit minimum   Σ_{r∈u} X[r,y] ≥ unit_min[u,y]; unit yearly cap Σ_{r∈u} (X[r,y] − X[r,y−1])
                 ≤ unit_max[u]; unit budget Σ_{r∈u} cost[r,y] X[r,y] ≤ unit_budget[u,y]
* row cap        X[r,T−1] ≤ row_max[r] (hires over the horizon)

Objectives, lexicographic stages (each later stage holds the earlier value):
``priority`` max Σ_y Σ_r p_r X[r,y] (priority-weighted staff-years: an earlier hire counts
more), then min Σ_y Σ_r cost[r,y] X[r,y]; ``min_cost`` min that cost (the targets are in
``unit_min``); ``fair`` max t with N0_u + Σ_{r∈u} X[r,T−1] ≥ Q_u t for every unit with final
quota Q_u > 0, then priority, then cost.

When no plan meets the requirements, :meth:`MultiYearModel.least_budgets` lets every budget
row be passed by a continuous excess e[s,y] ≥ 0 and minimises Σ e: the least budgets that
make a plan exist, per source and year.
"""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pulp

from planner.optimise.model import (
    _CONTINUOUS,
    _INTEGER,
    FEASIBILITY_TOLERANCE,
    _highs_banner_silenced,
    budget_rhs,
    money,
    run_highs,
)
from planner.optimise.multiyear_result import MultiYearResult, Stage
from planner.optimise.multiyear_start import fair_ratio, greedy_plan

INF = math.inf
#: a row's sense as written in :meth:`MultiYearModel._row`
_SENSES: dict[str, Callable[[Any, float], Any]] = {"<=": operator.le, ">=": operator.ge}
#: columns of the core problem of each stage (the one-year planner's figure)
CORE = 2000


@dataclass(frozen=True)
class MultiYearMip:
    """The multi-year problem in arrays (money in whole đồng; ``inf``: no such constraint)."""

    room: np.ndarray  # n × T: max(0, quota − N0), the bound of X[r, y]
    priority: np.ndarray  # n
    cost: np.ndarray  # n × T: đồng per hire in year y
    group: np.ndarray  # n → (unit, staff type) group
    group_room: np.ndarray  # G × T
    source: np.ndarray  # n → funding source index
    budgets: np.ndarray  # S × T
    unit: np.ndarray  # n → unit index
    unit_min: np.ndarray  # U × T (0: none)
    objective: str = "priority"  # priority | min_cost | fair
    row_max: np.ndarray | None = None  # n: hires over the horizon (inf: none)
    unit_max: np.ndarray | None = None  # U: hires a year (inf: none)
    unit_budget: np.ndarray | None = None  # U × T (inf: none)
    fair_quota: np.ndarray | None = None  # U: final-year quota
    fair_staying: np.ndarray | None = None  # U: final-year N0

    @property
    def n(self) -> int:
        return int(self.room.shape[0])

    @property
    def years(self) -> int:
        return int(self.room.shape[1])


class MultiYearModel:
    """The PuLP problem for one instance, handed to HiGHS once; stages change the objective."""

    #: the reduced costs of the last relaxation (set by every relaxation run)
    _reduced: np.ndarray | None

    def __init__(self, data: MultiYearMip) -> None:
        t0 = time.perf_counter()
        self.data = d = data
        n, T = d.n, d.years
        self.n_x = n * T
        prob = pulp.LpProblem()  # its name and sense are never read: each run sets the sense
        upper = np.floor(np.maximum(d.room, 0) + 1e-9).reshape(-1)  # column k = r * T + y
        xs = list(prob.add_variable_dict("X", range(self.n_x), 0, None,
                                         cat=_INTEGER).values())
        for v, up in zip(xs, upper.tolist(), strict=True):
            v.upBound = up
        self._vars = xs
        self.fair = d.objective == "fair"
        if self.fair:
            self._vars.append(prob.add_variable("min_ratio", 0, None, cat=_CONTINUOUS))
        finite_budgets = np.argwhere(np.isfinite(d.budgets))  # (s, y) pairs
        self._excess_of: dict[tuple[int, int], int] = {}
        for s, y in finite_budgets.tolist():
            self._excess_of[(s, y)] = len(self._vars)
            self._vars.append(prob.add_variable(f"e_{s}_{y}", 0, 0, cat=_CONTINUOUS))
        self._prob = prob
        self._ids = np.array([v.id for v in self._vars], dtype=np.uint64)
        self._build(finite_budgets)
        prob.setObjective(pulp.lpSum_vars(self._vars))
        _highs_banner_silenced()
        solver = pulp.HiGHS(output_flag=False)  # HiGHS writes nothing (it only builds here)
        solver.createAndConfigureSolver(prob)
        solver.buildSolverModel(prob)
        import highspy

        self._hs: Any = highspy
        if prob.solverModel is None:
            raise RuntimeError("PuLP built no HiGHS model")
        self.h: Any = prob.solverModel  # a highspy.Highs (highspy ships no type hints)
        h = self.h
        # (the primal tolerance is HiGHS's default, FEASIBILITY_TOLERANCE; the MIP one is set)
        h.setOptionValue("mip_feasibility_tolerance", FEASIBILITY_TOLERANCE)
        position = {v.id: k for k, v in enumerate(prob.exported_variables())}
        if len(position) != len(self._vars):
            raise RuntimeError("every column must reach the solver")
        self.col = np.array([position[v.id] for v in self._vars], dtype=np.int32)
        self.build_seconds = time.perf_counter() - t0

    # --- building -----------------------------------------------------------------------

    def _row(self, cols: np.ndarray, coefs: np.ndarray, sense: Literal["<=", ">="],
             rhs: float) -> None:
        """Σ coefs · X[cols] ``sense`` rhs (coefs are float arrays)."""
        expr = pulp.LpAffineExpression.empty()
        expr._expr.add_term_ids_coeffs(self._prob._model, self._ids[cols], coefs)
        self._prob.addConstraint(_SENSES[sense](expr, rhs))

    def _build(self, finite_budgets: np.ndarray) -> None:
        d = self.data
        n, T = d.n, d.years
        col = np.arange(self.n_x).reshape(n, T)  # col[r, y]
        for y in range(1, T):  # X[r,y] − X[r,y−1] ≥ 0, only where X[r,y−1] can be above 0
            for r in np.flatnonzero(d.room[:, y - 1] >= 1).tolist():
                self._row(np.array([col[r, y], col[r, y - 1]]), np.array([1.0, -1.0]), ">=", 0.0)
        groups = _members(d.group, d.group_room.shape[0])
        for g, rows in enumerate(groups):
            reach = np.maximum(np.floor(d.room[rows] + 1e-9), 0).sum(axis=0)
            for y in range(T):
                if d.group_room[g, y] < reach[y]:
                    self._row(col[rows, y], np.ones(len(rows)), "<=",
                              float(max(0.0, math.floor(d.group_room[g, y] + 1e-9))))
        cost = money(d.cost)
        sources = _members(d.source, d.budgets.shape[0])
        for s, y in finite_budgets.tolist():
            rows = sources[s]
            cols = np.concatenate([col[rows, y], [self._excess_of[(s, y)]]])
            self._row(cols, np.concatenate([cost[rows, y], [-1.0]]), "<=",
                      budget_rhs(float(d.budgets[s, y])))
        units = _members(d.unit, d.unit_min.shape[0])
        for u, rows in enumerate(units):
            for y in range(T):
                if d.unit_min[u, y] > 0:
                    self._row(col[rows, y], np.ones(len(rows)), ">=", float(d.unit_min[u, y]))
                if d.unit_budget is not None and math.isfinite(d.unit_budget[u, y]):
                    self._row(col[rows, y], cost[rows, y], "<=",
                              budget_rhs(float(d.unit_budget[u, y])))
            if d.unit_max is not None and math.isfinite(d.unit_max[u]):
                for y in range(T):
                    if y == 0:
                        self._row(col[rows, 0], np.ones(len(rows)), "<=", float(d.unit_max[u]))
                    else:
                        self._row(np.concatenate([col[rows, y], col[rows, y - 1]]),
                                  np.concatenate([np.ones(len(rows)), -np.ones(len(rows))]),
                                  "<=", float(d.unit_max[u]))
        if d.row_max is not None:
            capped = np.isfinite(d.row_max) & (d.row_max < d.room.max(axis=1))
            for k in np.flatnonzero(capped).tolist():
                self._row(np.array([col[k, T - 1]]), np.ones(1), "<=", float(d.row_max[k]))
        if self.fair:
            if d.fair_quota is None or d.fair_staying is None:
                raise ValueError("the fair objective needs fair_quota and fair_staying")
            ratio = self.n_x
            for u in np.flatnonzero(d.fair_quota > 0).tolist():
                rows = units[u]
                # N0 + Σ X[r,T−1] ≥ Q t  ⇔  Σ X − Q t ≥ −N0
                self._row(np.concatenate([col[rows, T - 1], [ratio]]),
                          np.concatenate([np.ones(len(rows)), [-float(d.fair_quota[u])]]), ">=",
                          -float(d.fair_staying[u]))

    # --- solving ------------------------------------------------------------------------

    def _goal(self, name: str) -> np.ndarray:
        d = self.data
        c = np.zeros(len(self._vars))
        if name == "weighted_staff_years":
            c[:self.n_x] = np.repeat(d.priority, d.years)
        elif name == "total_cost":
            c[:self.n_x] = money(d.cost).reshape(-1)
        elif name == "min_ratio":
            c[self.n_x] = 1.0
        elif name == "excess":
            c[self.n_x + int(self.fair):] = 1.0
        return c

    def _run(self, goal: str, maximise: bool, *, time_limit: float | None, gap: float,
             start: np.ndarray | None, integer: bool = True, target: float | None = None
             ) -> tuple[str, np.ndarray | None, float | None, float | None, float]:
        """One HiGHS run: (status, x, value, bound, seconds). ``integer=False`` solves the
        relaxation; ``target`` (the value of a plan found elsewhere) stops the run as soon as
        the bound proves that plan within ``gap`` (status "interrupted")."""
        hs, h = self._hs, self.h
        m = len(self.col)
        h.changeColsCost(m, self.col, self._goal(goal))
        h.changeObjectiveSense(hs.ObjSense.kMaximize if maximise else hs.ObjSense.kMinimize)
        kind = hs.HighsVarType.kInteger if integer else hs.HighsVarType.kContinuous
        h.changeColsIntegrality(self.n_x, self.col[:self.n_x], np.full(self.n_x, kind))
        # HiGHS compares time_limit with the object's run clock, which adds up over every run
        # of the object (see planner/optimise/model.py): the limit is set past the time
        # already on the clock, so a later stage gets the time it is given
        h.setOptionValue("time_limit", float(h.getRunTime()) + float(time_limit)
                         if time_limit is not None else INF)
        h.setOptionValue("mip_rel_gap", float(gap))
        if not integer:
            h.clearSolver()
        if start is not None and integer:
            h.setSolution(m, self.col, start)
        stop: Callable[[Any], None] | None = None
        seen: list[float] = []
        if integer and target is not None:
            def stop(event: Any) -> None:
                bound = float(event.data_out.mip_dual_bound)
                done = bound_proves(bound, target, gap=gap, maximise=maximise)
                if done:
                    seen.append(bound)
                event.interrupt(done)
        seconds, name, info = run_highs(hs, h, stop)
        x = None
        if info.primal_solution_status == 2 and (integer or name == "optimal"):
            x = np.asarray(h.getSolution().col_value)[self.col]
        value = float(info.objective_function_value) if x is not None else None
        if integer:
            b = float(info.mip_dual_bound)
            bound = b if math.isfinite(b) else (seen[-1] if seen else None)
        else:
            bound = value
        if not integer:
            self._reduced = np.asarray(h.getSolution().col_dual)[self.col] \
                if x is not None else None
        return name, x, value, bound, seconds

    def _start_vector(self, X: np.ndarray | None) -> np.ndarray | None:
        """The solver's column values of the cumulative plan X (n × T), or None."""
        if X is None:
            return None
        v = np.zeros(len(self._vars))
        v[:self.n_x] = X.reshape(-1)
        if self.fair:
            v[self.n_x] = fair_ratio(self.data, X)
        return v

    def _stage(self, goal: str, maximise: bool, *, time_limit: float | None, gap: float,
               start: np.ndarray | None, first: bool
               ) -> tuple[str, np.ndarray | None, float | None, float | None, float]:
        """One lexicographic stage: the relaxation; a core problem (the columns the
        relaxation leaves fractional or nearly indifferent, at most CORE columns, the others
        fixed at its whole values) solved to the gap; then the whole problem started from
        the best plan and stopped as soon as its bound proves that plan within the gap.
        ``start`` (a plan of every constraint) is kept when HiGHS finds nothing better in
        time; in the ``first`` stage the relaxation rounded down and repaired
        (:func:`planner.optimise.multiyear_start.greedy_plan`) is a second candidate."""
        t0 = time.perf_counter()

        def left() -> float | None:
            return None if time_limit is None else max(0.0, time_limit - (
                time.perf_counter() - t0))

        status, x_lp, _, lp_bound, _ = self._run(goal, maximise, time_limit=left(), gap=gap,
                                                 start=None, integer=False)
        if x_lp is None:
            status, x, value, bound, _ = self._run(goal, maximise, time_limit=left(), gap=gap,
                                                   start=start)
            if x is None and start is not None and status != "infeasible":
                x, value = start, float(self._goal(goal) @ start)
            return status, x, value, bound, time.perf_counter() - t0
        best = start
        n = self.n_x
        lp = x_lp[:n]
        if first:  # the relaxation rounded down and repaired: a plan of every constraint
            floored = self._start_vector(greedy_plan(self.data, lp.reshape(self.data.n, -1)))
            if floored is not None and (best is None or self._better(floored, best, goal,
                                                                     maximise)):
                best = floored
        rounded = np.round(lp)
        fractional = np.abs(lp - rounded) > 1e-6
        # a later stage's core is fixed at the earlier stage's plan (which meets the held
        # values, where the rounded relaxation need not), its columns those where the
        # relaxation leaves that plan, then the fractional ones, then the least reduced costs
        around = None if first or start is None else start[:n]
        if fractional.any() and n > CORE and self._reduced is not None:
            rc = np.abs(self._reduced[:n])
            rc[fractional] = -1.0
            if around is not None:
                rc[np.abs(lp - around) > 1e-6] = -2.0
            free = np.zeros(n, dtype=bool)
            free[np.argsort(rc, kind="stable")[:CORE]] = True
            fixed = np.flatnonzero(~free)
            cols = self.col[fixed]
            lo = np.asarray(self.h.getLp().col_lower_)[cols]
            hi = np.asarray(self.h.getLp().col_upper_)[cols]
            at = rounded if around is None else around
            self.h.changeColsBounds(len(fixed), cols, at[fixed], at[fixed])
            try:
                _, c_x, _, _, _ = self._run(goal, maximise, time_limit=left(), gap=gap,
                                            start=None if around is None else start)
            finally:
                self.h.changeColsBounds(len(fixed), cols, lo, hi)
            if c_x is not None and (best is None or self._better(c_x, best, goal, maximise)):
                best = c_x
        target = None if best is None else float(self._goal(goal) @ best)
        status, x, value, bound, _ = self._run(goal, maximise, time_limit=left(), gap=gap,
                                               start=best, target=target)
        if x is None and best is not None:
            x, value = best, target
        if status == "interrupted":
            status = "optimal"
        if bound is None:
            bound = lp_bound
        return status, x, value, bound, time.perf_counter() - t0

    def _better(self, a: np.ndarray, b: np.ndarray, goal: str, maximise: bool) -> bool:
        c = self._goal(goal)
        return bool(c @ a > c @ b) if maximise else bool(c @ a < c @ b)

    def _hold(self, goal: str, value: float, maximise: bool) -> None:
        """Keep a stage's value in the later stages (a row: goal ≥ value or ≤ value)."""
        c = self._goal(goal)
        nz = np.flatnonzero(c)
        inf = self._hs.kHighsInf
        slack = 1e-6 * max(1.0, abs(value))
        lo, hi = (value - slack, inf) if maximise else (-inf, value + slack)
        self.h.addRow(lo, hi, len(nz), self.col[nz], c[nz])

    def solve(self, *, time_limit: float | None = None, gap: float = 1e-4) -> MultiYearResult:
        d = self.data
        goals = {"priority": [("weighted_staff_years", True), ("total_cost", False)],
                 "min_cost": [("total_cost", False)],
                 "fair": [("min_ratio", True), ("weighted_staff_years", True),
                          ("total_cost", False)]}[d.objective]
        stages: list[Stage] = []
        deadline = None if time_limit is None else time.perf_counter() + time_limit
        t_start = time.perf_counter()
        # a plan of every constraint before HiGHS runs (hiring nobody, topped up greedily):
        # a time limit then returns a plan with its gap, never "no plan" when one is at hand
        best = self._start_vector(greedy_plan(d))
        timed_out = False
        for stage, (goal, maximise) in enumerate(goals):
            left = None if deadline is None else max(0.0, deadline - time.perf_counter())
            if left is not None and left <= 0:
                timed_out = True
                break
            status, x, value, bound, seconds = self._stage(goal, maximise, time_limit=left,
                                                           gap=gap, start=best,
                                                           first=stage == 0)
            stages.append(Stage(goal, status, value, bound, seconds))
            if x is None:
                if status == "infeasible" and stage == 0:
                    return MultiYearResult("infeasible", None, tuple(stages),
                                           time.perf_counter() - t_start, self.build_seconds,
                                           self.least_budgets(time_limit=60.0))
                timed_out = True
                break
            best = x
            if status != "optimal":
                timed_out = True
                break
            if value is not None:
                self._hold(goal, value, maximise)
        seconds = time.perf_counter() - t_start
        if best is None:
            return MultiYearResult("no_solution_time_limit", None, tuple(stages), seconds,
                                   self.build_seconds)
        X = np.rint(best[:self.n_x]).astype(np.int64).reshape(d.n, d.years)
        return MultiYearResult("feasible_time_limit" if timed_out else "optimal", X,
                               tuple(stages), seconds, self.build_seconds)

    def least_budgets(self, *, time_limit: float | None) -> np.ndarray | None:
        """Per (source, year): the least budget with which a plan exists (budgets passed by
        the least total excess), or None when no money helps (a capacity requirement)."""
        d = self.data
        keys = list(self._excess_of)
        if not keys:
            return None
        idx = np.array([self._excess_of[k] for k in keys])
        inf = self._hs.kHighsInf
        self.h.changeColsBounds(len(idx), self.col[idx], np.zeros(len(idx)),
                                np.full(len(idx), inf))
        try:
            _status, x, _, _, _ = self._run("excess", False, time_limit=time_limit, gap=0.0,
                                           start=None)
        finally:
            self.h.changeColsBounds(len(idx), self.col[idx], np.zeros(len(idx)),
                                    np.zeros(len(idx)))
        if x is None:
            return None
        out = np.array(d.budgets, dtype=float)
        X = np.rint(x[:self.n_x]).reshape(d.n, d.years)
        for s, y in keys:  # the spending of the plan found, where it passes the budget
            rows = d.source == s
            spent = float(np.dot(d.cost[rows, y], X[rows, y]))
            out[s, y] = max(float(d.budgets[s, y]), spent)
        return out


def bound_proves(bound: float, target: float, *, gap: float, maximise: bool) -> bool:
    """HiGHS's early stop: the best bound proves a plan of value ``target`` within the
    relative ``gap`` (bound − target ≤ gap · |target| when maximising, target − bound when
    minimising; at least 1e-6 of slack, HiGHS's default absolute gap ``mip_abs_gap``). An
    infinite bound proves nothing."""
    diff = (bound - target) if maximise else (target - bound)
    return math.isfinite(bound) and diff <= max(1e-6, gap * abs(target))


def _members(keys: np.ndarray, n_keys: int) -> list[np.ndarray]:
    order = np.argsort(keys, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(keys, minlength=n_keys))])
    return [order[bounds[k]:bounds[k + 1]] for k in range(n_keys)]


def solve_multiyear(data: MultiYearMip, *, time_limit: float | None = None,
                    gap: float = 1e-4) -> MultiYearResult:
    """Build the model and solve its stages."""
    return MultiYearModel(data).solve(time_limit=time_limit, gap=gap)

"""The integer program behind the hiring allocation, built with PuLP and solved by HiGHS or CBC.

This is the only module that imports PuLP. It takes plain arrays (:class:`MipData`), builds the
PuLP problem once, and offers one operation, :meth:`AllocationModel.run`: solve the relaxation
or the integer program for a given objective, column bounds and optional starting plan. It
returns plain numpy values (:class:`Run`); no PuLP object leaves this module.

Money is counted in millions of đồng inside the model (:data:`MONEY_UNIT`) so that costs are
about 10–1,000 and budgets at most about 10^8: well scaled for the solvers. Budget right-hand
sides are ``floor(budget) + 0.5`` đồng and the feasibility tolerance is 1e-7 (0.1 đồng), so a
plan the solver accepts never spends a whole đồng above a budget (costs are whole đồng).

HiGHS: PuLP builds the problem and hands it to HiGHS (``pulp.HiGHS``); later runs change the
objective, bounds and integrality on that same HiGHS object (``prob.solverModel``) instead of
rebuilding it, which keeps the LP basis warm and costs nothing per run. CBC: every run goes
through ``prob.solve(pulp.COIN_CMD(...))``. Solver output never reaches the terminal: PuLP's
``msg=False``, HiGHS ``output_flag=False``, and HiGHS's one-time banner (printed by the C++
library when the first ``Highs`` object is created) is sent to ``/dev/null``.
"""

from __future__ import annotations

import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, overload

import numpy as np
import pulp

MONEY_UNIT = 1e6
FEASIBILITY_TOLERANCE = 1e-7
INF = math.inf
# PuLP's own constants (pulp.LpContinuous, pulp.LpInteger) are typed plain str; its
# add_variable wants the literal
_CONTINUOUS: Literal["Continuous"] = "Continuous"
_INTEGER: Literal["Integer"] = "Integer"

_Extra = list[tuple[pulp.LpVariable, float]]


@dataclass(frozen=True)
class MipData:
    """The integer program in arrays. Columns are the plan rows that can still vary.

    ``unit_*`` arrays have one entry per unit (``-inf``/``inf``: no such constraint);
    ``budgets`` one per funding source (``inf``: none). Money in đồng; right-hand sides are
    already net of the hires fixed outside the model.
    """

    lower: np.ndarray
    upper: np.ndarray
    priority: np.ndarray
    cost: np.ndarray  # đồng per hire, whole numbers
    unit: np.ndarray  # unit index of each column
    source: np.ndarray  # funding-source index of each column
    n_units: int
    budgets: np.ndarray
    total_budget: float
    unit_min: np.ndarray
    unit_max: np.ndarray
    unit_budget: np.ndarray
    fair_quota: np.ndarray | None = None  # per unit: quota (0 = not counted in the ratio)
    fair_staying: np.ndarray | None = None  # per unit: staff staying + hires fixed outside
    keep_weighted: bool = False  # add the row "weighted hires >= z" for lexicographic stages
    ceiling_group: np.ndarray | None = None  # column → (unit, staff type) group of the quota
    ceiling: np.ndarray | None = None  # per group: most hires its quota allows (inf: no row)
    # per source: its budget row may be passed, a continuous column e_s ≥ 0 (in the model's
    # money unit) paying the excess: the least-budget explanations minimise Σ e_s
    elastic_budgets: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.lower)


@dataclass(frozen=True)
class Run:
    """One solver run, in the model's column order (the ratio column last, if any)."""

    status: str  # optimal, infeasible, time_limit, other
    x: np.ndarray | None
    objective: float | None
    bound: float | None
    row_duals: np.ndarray | None = None
    col_duals: np.ndarray | None = None  # reduced costs (relaxation only)
    seconds: float = 0.0


@dataclass(frozen=True)
class RowGroup:
    """Rows of one kind: their positions in the model and what they belong to."""

    kind: str  # budget, total_budget, unit_min, unit_max, unit_budget, quota_ceiling, fair,
    #            keep_weighted
    rows: np.ndarray
    keys: np.ndarray  # source index (budget), unit index (unit_*, fair), group index
    #                   (quota_ceiling); empty otherwise


def cbc_available() -> bool:
    """True when PuLP finds a CBC binary (the cbcbox package or ``cbc`` on PATH)."""
    return bool(pulp.COIN_CMD(msg=False).available())


@overload
def money(vnd: float) -> float: ...
@overload
def money(vnd: np.ndarray) -> np.ndarray: ...
def money(vnd: float | np.ndarray) -> float | np.ndarray:
    """đồng → the model's money unit."""
    return vnd / MONEY_UNIT


def budget_rhs(vnd: float) -> float:
    """A budget's right-hand side: floor(budget) + 0.5 đồng, in model units (see module doc)."""
    return (math.floor(vnd + 1e-6) + 0.5) / MONEY_UNIT


class AllocationModel:
    """The PuLP problem for one instance, built once and solved many times."""

    def __init__(self, data: MipData, *, solver: str = "highs",
                 threads: int | None = None) -> None:
        """``threads`` caps the solver's threads (the budget curve runs one model per core
        with one thread each); None lets the solver choose."""
        self.data = data
        self.threads = threads
        self.fair = data.fair_quota is not None
        self._prob = pulp.LpProblem("hiring", pulp.LpMaximize)
        self._vars = self._add_vars()
        if self.fair:
            self._vars.append(self._prob.add_variable("min_ratio", 0, None, cat=_CONTINUOUS))
        #: source index of each excess column, in column order after the hires (and ratio)
        self.elastic: list[int] = []
        if data.elastic_budgets is not None:
            for s in np.flatnonzero(data.elastic_budgets & np.isfinite(data.budgets)).tolist():
                self._vars.append(self._prob.add_variable(f"excess_{s}", 0, None,
                                                          cat=_CONTINUOUS))
                self.elastic.append(int(s))
        self.n_cols = len(self._vars)
        self._ids = np.array([v.id for v in self._vars], dtype=np.uint64)
        self._constraints: list[pulp.LpConstraint] = []
        self._senses: list[int] = []
        self.groups: dict[str, RowGroup] = {}
        self._build_rows()
        # every column takes part in the objective, so PuLP hands every column to the solver
        self._prob.setObjective(pulp.lpSum_vars(self._vars))
        self._backend = _HighsBackend(self) if solver == "highs" else _CbcBackend(self)

    # --- building -----------------------------------------------------------------------

    def _add_vars(self) -> list[pulp.LpVariable]:
        d = self.data
        out = list(self._prob.add_variable_dict("h", range(d.n), 0, None,
                                                cat=_INTEGER).values())
        for v, lo, up in zip(out, d.lower.tolist(), d.upper.tolist(), strict=True):
            v.lowBound = lo
            v.upBound = up
        return out

    def _add_row(self, cols: np.ndarray, coefs: np.ndarray, sense: int, rhs: float,
                 extra: _Extra | None = None) -> int:
        ids, values = self._ids[cols], np.asarray(coefs, dtype=float)
        if extra:
            ids = np.concatenate([ids, np.array([v.id for v, _ in extra], dtype=np.uint64)])
            values = np.concatenate([values, [c for _, c in extra]])
        # one call into PuLP's Rust core per row (the batch path behind pulp.lpSum_vars)
        expr = pulp.LpAffineExpression.empty()
        expr._expr.add_term_ids_coeffs(self._prob._model, ids, values)
        constraint = self._prob.addConstraint(expr <= rhs if sense < 0 else expr >= rhs)
        self._constraints.append(constraint)
        self._senses.append(sense)
        return len(self._constraints) - 1

    def _group(self, kind: str, keys: np.ndarray, cols_of: Callable[[int], np.ndarray],
               coefs_of: Callable[[int], np.ndarray], sense: int, rhs: np.ndarray,
               extra_of: Callable[[int], _Extra | None] | None = None) -> None:
        rows = [self._add_row(cols_of(k), coefs_of(k), sense, float(r),
                              extra_of(k) if extra_of else None)
                for k, r in zip(keys.tolist(), rhs.tolist(), strict=True)]
        self.groups[kind] = RowGroup(kind, np.asarray(rows, dtype=np.int64),
                                     np.asarray(keys, dtype=np.int64))

    def _build_rows(self) -> None:
        d = self.data
        cost = money(d.cost)
        by_source = _members(d.source, len(d.budgets))
        by_unit = _members(d.unit, d.n_units)
        ones = np.ones(d.n)
        src = np.flatnonzero(np.isfinite(d.budgets))
        first_excess = len(self._vars) - len(self.elastic)
        excess = {s: self._vars[first_excess + k] for k, s in enumerate(self.elastic)}
        self._group("budget", src, lambda s: by_source[s], lambda s: cost[by_source[s]], -1,
                    np.array([budget_rhs(d.budgets[s]) for s in src]),
                    lambda s: [(excess[s], -1.0)] if s in excess else None)
        if math.isfinite(d.total_budget):
            self._group("total_budget", np.array([0]), lambda _: np.arange(d.n),
                        lambda _: cost, -1, np.array([budget_rhs(d.total_budget)]))
        units = np.flatnonzero(np.isfinite(d.unit_min) & (d.unit_min > 0))
        self._group("unit_min", units, lambda u: by_unit[u], lambda u: ones[by_unit[u]], 1,
                    d.unit_min[units])
        units = np.flatnonzero(np.isfinite(d.unit_max))
        self._group("unit_max", units, lambda u: by_unit[u], lambda u: ones[by_unit[u]], -1,
                    d.unit_max[units])
        units = np.flatnonzero(np.isfinite(d.unit_budget))
        self._group("unit_budget", units, lambda u: by_unit[u], lambda u: cost[by_unit[u]], -1,
                    np.array([budget_rhs(d.unit_budget[u]) for u in units]))
        if d.ceiling is not None and d.ceiling_group is not None:
            # the unit ceiling: hires of one (unit, staff type) within its unused quota
            by_group = _members(d.ceiling_group, len(d.ceiling))
            groups = np.flatnonzero(np.isfinite(d.ceiling))
            self._group("quota_ceiling", groups, lambda k: by_group[k],
                        lambda k: ones[by_group[k]], -1, d.ceiling[groups])
        if d.fair_quota is not None:
            fair_quota, fair_staying = d.fair_quota, d.fair_staying
            if fair_staying is None:
                raise ValueError("MipData.fair_staying is required with fair_quota")
            units = np.flatnonzero(fair_quota > 0)
            ratio = self._vars[-1]
            # staying + hires >= quota × ratio, i.e. hires − quota × ratio >= −staying
            self._group("fair", units, lambda u: by_unit[u], lambda u: ones[by_unit[u]], 1,
                        -fair_staying[units], lambda u: [(ratio, -float(fair_quota[u]))])
        if d.keep_weighted:
            self._group("keep_weighted", np.array([0]), lambda _: np.arange(d.n),
                        lambda _: d.priority, 1, np.array([float(d.priority @ d.lower)]))

    # --- solving ------------------------------------------------------------------------

    def set_rhs(self, row: int, value: float) -> None:
        """Change one row's right-hand side (model units) for the next runs."""
        self._constraints[row].changeRHS(float(value))
        self._backend.rhs_changed(row, float(value))

    def rhs(self, row: int) -> float:
        return -float(self._constraints[row].constant)

    def run(self, *, objective: np.ndarray, maximise: bool, integer: bool,
            lower: np.ndarray, upper: np.ndarray, start: np.ndarray | None = None,
            presolve: bool = True, time_limit: float | None = None, gap: float = 1e-4,
            abs_gap: float = 1e-6, target: float | None = None) -> Run:
        """Solve once. ``objective``, ``lower``, ``upper`` and ``start`` have one entry per
        column; ``integer=False`` solves the LP relaxation (with row duals). The solver
        stops when the plan is within ``gap`` (relative) or ``abs_gap`` of its bound, or
        (HiGHS) as soon as its bound comes that close to ``target``, the value of a plan
        found elsewhere: status "interrupted" with the bound."""
        # HiGHS reads as many entries as it is told there are columns: a shorter array would
        # be read past its end (costs) or refused without a word (bounds)
        for name, values in (("objective", objective), ("lower", lower), ("upper", upper),
                             ("start", start)):
            if values is not None and np.shape(values) != (self.n_cols,):
                raise ValueError(f"{name} has shape {np.shape(values)}; the model has "
                                 f"{self.n_cols} columns")
        if time_limit is not None and time_limit <= 0:
            return Run("time_limit", None, None, None)
        return self._backend.run(objective=np.asarray(objective, dtype=float),
                                 maximise=maximise, integer=integer,
                                 lower=np.asarray(lower, dtype=float),
                                 upper=np.asarray(upper, dtype=float), start=start,
                                 presolve=presolve, time_limit=time_limit, gap=gap,
                                 abs_gap=abs_gap, target=target)


def _members(keys: np.ndarray, n_keys: int) -> list[np.ndarray]:
    order = np.argsort(keys, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(keys, minlength=n_keys))])
    return [order[bounds[k]:bounds[k + 1]] for k in range(n_keys)]


# --- HiGHS -----------------------------------------------------------------------------------

@contextmanager
def _quiet_fds() -> Iterator[None]:
    """Send the process's stdout and stderr file descriptors to /dev/null for a moment."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, ValueError, OSError):
            stream.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


@cache
def _highs_banner_silenced() -> bool:
    """HiGHS prints a banner when the first Highs object of the process is created, before
    any option can be set; create that first object with the output discarded."""
    import highspy

    with _quiet_fds():
        highspy.Highs()
    return True


class _HighsBackend:
    def __init__(self, model: AllocationModel) -> None:
        import highspy

        _highs_banner_silenced()
        self._hs = highspy
        prob = model._prob
        solver = pulp.HiGHS(mip=True, msg=False, output_flag=False)
        solver.createAndConfigureSolver(prob)
        solver.buildSolverModel(prob)
        if prob.solverModel is None:
            raise RuntimeError("PuLP built no HiGHS model")
        self.h: Any = prob.solverModel  # a highspy.Highs (highspy ships no type hints)
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("mip_feasibility_tolerance", FEASIBILITY_TOLERANCE)
        self.h.setOptionValue("primal_feasibility_tolerance", FEASIBILITY_TOLERANCE)
        if model.threads:
            self.h.setOptionValue("threads", int(model.threads))
        exported = prob.exported_variables()
        position = {v.id: k for k, v in enumerate(exported)}
        self.col = np.array([position[v.id] for v in model._vars], dtype=np.int32)
        if len(exported) != model.n_cols:
            raise RuntimeError("every column must reach the solver")
        self.n_h = model.data.n
        self.senses = model._senses
        self.row = np.array([c.id for c in model._constraints], dtype=np.int32)

    def rhs_changed(self, row: int, value: float) -> None:
        inf = self._hs.kHighsInf
        lo, hi = (-inf, value) if self.senses[row] < 0 else (value, inf)
        self.h.changeRowBounds(int(self.row[row]), lo, hi)

    def run(self, *, objective: np.ndarray, maximise: bool, integer: bool, lower: np.ndarray,
            upper: np.ndarray, start: np.ndarray | None, presolve: bool,
            time_limit: float | None, gap: float, abs_gap: float, target: float | None) -> Run:
        hs, h = self._hs, self.h
        n = len(self.col)
        h.changeColsCost(n, self.col, objective)
        h.changeObjectiveSense(hs.ObjSense.kMaximize if maximise else hs.ObjSense.kMinimize)
        h.changeColsBounds(n, self.col, lower, upper)
        kind = hs.HighsVarType.kInteger if integer else hs.HighsVarType.kContinuous
        h.changeColsIntegrality(self.n_h, self.col[:self.n_h], np.full(self.n_h, kind))
        h.setOptionValue("presolve", "choose" if presolve else "off")
        # HiGHS compares time_limit with the object's run clock, which adds up over every run
        # of the object (measured with highspy 1.16: six 0.12 s solves with a 0.3 s limit, the
        # third stopped at the limit and the next ones at once): the limit is set past the
        # time already on the clock
        h.setOptionValue("time_limit", float(h.getRunTime()) + float(time_limit)
                         if time_limit is not None else INF)
        h.setOptionValue("mip_rel_gap", float(gap))
        h.setOptionValue("mip_abs_gap", float(abs_gap))
        if start is not None and integer:
            h.setSolution(n, self.col, np.asarray(start, dtype=float))
        if not integer:
            # solve every relaxation afresh, with presolve: a basis left by the previous run
            # (another goal, another budget) skips presolve and made it 10× slower (3.5 s
            # instead of 0.3 s on 60,000 rows)
            h.clearSolver()
        stop: Callable[[Any], None] | None = None
        seen: list[float] = []
        if integer and target is not None:
            goal = target

            # stop when the bound proves the plan found elsewhere good enough
            def interrupt(event: Any) -> None:
                bound = event.data_out.mip_dual_bound
                diff = (bound - goal) if maximise else (goal - bound)
                done = math.isfinite(bound) and diff <= max(abs_gap, gap * max(abs(goal),
                                                                                1e-9))
                if done:
                    seen.append(float(bound))
                # set the flag either way: highspy keeps it between runs of one object
                event.interrupt(done)
            stop = interrupt
        seconds, name, info = run_highs(hs, h, stop)
        x = duals = reduced = None
        has_solution = info.primal_solution_status == 2 and (integer or name == "optimal")
        if has_solution:
            solution = h.getSolution()
            x = np.asarray(solution.col_value)[self.col]
            if not integer:
                duals = np.asarray(solution.row_dual)[self.row]
                reduced = np.asarray(solution.col_dual)[self.col]
        objective_value = float(info.objective_function_value) if has_solution else None
        bound = None
        if integer:
            b = float(info.mip_dual_bound)
            bound = b if math.isfinite(b) else (seen[-1] if seen else None)
        elif name == "optimal":
            bound = objective_value
        return Run(name, x, objective_value, bound, duals, reduced, seconds)


# --- CBC -------------------------------------------------------------------------------------

class _CbcBackend:
    def __init__(self, model: AllocationModel) -> None:
        self.model = model

    def rhs_changed(self, row: int, value: float) -> None:
        pass  # the PuLP constraint already holds it; CBC reads the problem afresh every run

    def run(self, *, objective: np.ndarray, maximise: bool, integer: bool, lower: np.ndarray,
            upper: np.ndarray, start: np.ndarray | None, presolve: bool,
            time_limit: float | None, gap: float, abs_gap: float, target: float | None) -> Run:
        m = self.model
        prob, variables = m._prob, m._vars
        for v, lo, up in zip(variables, lower.tolist(), upper.tolist(), strict=True):
            v.lowBound = lo
            v.upBound = up
        prob.setObjective(pulp.lpSum_vars_coefs(list(zip(variables, objective.tolist(),
                                                         strict=True))))
        prob.sense = pulp.LpMaximize if maximise else pulp.LpMinimize
        if start is not None and integer:
            for v, value in zip(variables, np.asarray(start, dtype=float).tolist(), strict=True):
                v.varValue = value
        with tempfile.TemporaryDirectory(prefix="planner-cbc-") as tmp:
            solver = pulp.COIN_CMD(mip=integer, msg=False, timeLimit=time_limit, gapRel=gap,
                                   gapAbs=abs_gap, threads=m.threads,
                                   warmStart=start is not None and integer,
                                   logPath=os.path.join(tmp, "cbc.log"),
                                   options=[f"primalTolerance {FEASIBILITY_TOLERANCE}"])
            stats = prob.solve(solver)
            log = _read(os.path.join(tmp, "cbc.log"))
        S = pulp.LpSolveStatus
        name = {S.Optimal: "optimal", S.GapLimit: "optimal", S.Infeasible: "infeasible",
                S.TimeLimit: "time_limit"}.get(stats.status, "other")
        x = duals = reduced = None
        if stats.has_solution:
            x = np.array([np.nan if v.varValue is None else v.varValue for v in variables])
            if not integer:
                duals = np.array([c.pi if c.pi is not None else 0.0 for c in m._constraints])
                reduced = np.array([v.dj if v.dj is not None else 0.0 for v in variables])
        objective_value = float(stats.objective) if stats.has_solution and \
            stats.objective is not None else None
        bound = cbc_bound(log, maximise) if integer else \
            (objective_value if name == "optimal" else None)
        if integer and name == "optimal" and bound is None:
            bound = objective_value  # CBC proved optimality but logged no bound
        return Run(name, x, objective_value, bound, duals, reduced, float(stats.time))


_CBC_BOUND = re.compile(r"^Lower bound:\s+(\S+)", re.MULTILINE)


def cbc_bound(log: str, maximise: bool) -> float | None:
    """The bound CBC proved, from its log's "Lower bound:" line (PuLP hands CBC a maximising
    problem negated, so the bound is negated back). PuLP's own parse of CBC logs (orloge)
    reports the plan's value as the bound, so it is not used."""
    match = _CBC_BOUND.search(log or "")
    if not match:
        return None
    try:
        value = float(match.group(1))
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return -value if maximise else value


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def run_highs(hs: Any, h: Any, stop: Callable[[Any], None] | None = None
              ) -> tuple[float, str, Any]:
    """Run the ``highspy.Highs`` object ``h``, with ``stop`` as its MIP interrupt callback for
    this run only (highspy keeps subscriptions between runs of one object): the seconds it
    took, its status in words ("optimal", "infeasible", "time_limit", "interrupted",
    "other") and its info. Shared by the one-year and the multi-year models."""
    if stop is not None:
        h.cbMipInterrupt.subscribe(stop)
    t0 = time.perf_counter()
    try:
        h.run()
    finally:
        if stop is not None:
            h.cbMipInterrupt.unsubscribe(stop)
    seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    s = hs.HighsModelStatus
    name = {s.kOptimal: "optimal", s.kInfeasible: "infeasible",
            s.kUnboundedOrInfeasible: "infeasible", s.kTimeLimit: "time_limit",
            s.kInterrupt: "interrupted"}.get(status, "other")
    return seconds, name, h.getInfo()

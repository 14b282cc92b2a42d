"""The budget curve: what the plan achieves across a range of one budget.

    curve = budget_curve(gaps, units, source="state_budget", budgets={...}, points=11)

One row per budget level: weighted hires, hires, the overall fill rate after hiring, the cost
of the plan and its status. The curve never falls as the budget grows: a level whose plan is
worse (in the objective's first goal) than a lower level's is solved again from that lower
plan, which its larger budget keeps feasible. A level with no plan says so in ``status``.

It is much cheaper than solving each level from scratch: the
instance is checked and the model built (and handed to the solver) once; each level only
changes the budget's right-hand side on the same solver object and starts from the previous
level's plan, which stays feasible because the levels rise (scripts/bench_solve.py --sweep
measures the difference; the figures are in docs/optimiser.md).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from queue import Empty, Queue
from typing import Any

import numpy as np
import pandas as pd

from planner.domain.gaps import overall_fill_rate
from planner.domain.parameters import ScenarioError, check_amount, check_known
from planner.domain.scenario import Objective
from planner.optimise.allocate import GOALS
from planner.optimise.explain import least_budgets, requirement_plan
from planner.optimise.instance import AllocationInstance, prepare
from planner.optimise.model import AllocationModel, MipData, budget_rhs
from planner.optimise.stages import StageSolver, overall_gap
from planner.optimise.stages import solve as solve_stages

DEFAULT_WORKERS = 2
#: one budget level of the curve (CURVE_COLUMNS, and the plan while the curve is built)
Record = dict[str, Any]
CURVE_COLUMNS = ["budget", "source", "is_total", "weighted_hires", "hires", "fill_rate", "cost",
                 "status", "gap", "seconds"]


def budget_curve(gaps: pd.DataFrame, units: pd.DataFrame | None = None, *,
                 source: str | None = None, budgets: Mapping[str, float] | None = None,
                 total_budget: float | None = None, points: int = 11,
                 low: float | None = None, high: float | None = None,
                 min_fill: float | None = None, objective: Objective | str = "priority",
                 solver: str = "highs", time_limit: float | None = None,
                 gap: float = 1e-4, workers: int | None = None) -> pd.DataFrame:
    """The plan at ``points`` budget levels from ``low`` to ``high`` (VND per year).

    ``source`` is the funding source whose budget varies (None: the total budget); the
    other budgets stay as given. Defaults: ``low`` = what the requirements alone cost in that
    source with the other budgets as set (the least budget that can work, exact:
    :func:`planner.optimise.explain.least_budgets`), ``high`` = the cost of filling every vacancy it
    pays for. ``time_limit`` applies to each level. ``workers`` models solve the levels
    side by side (default: up to 2, one per core); each takes a run of adjacent levels.
    """
    points = _count("points", points)
    inst, objective, solver = prepare(gaps, units, budgets=budgets, total_budget=total_budget,
                                      min_fill=min_fill, objective=objective,
                                      target_fill=1.0, solver=solver, time_limit=time_limit,
                                      gap=gap)
    if objective is Objective.MIN_COST:
        raise ScenarioError("curve_min_cost")
    if source is not None:
        check_known("source", source, inst.sources)
    in_source = np.ones(len(inst.cost), dtype=bool) if source is None \
        else inst.source == inst.sources.index(source)
    least = least_budgets(inst, sources=() if source is None else (source,))
    need = float((requirement_plan(inst) * inst.cost)[in_source].sum()) if least is None \
        else (least.total if source is None else least.by_source[source])
    full = float((inst.upper * inst.cost)[in_source].sum())
    low = need if low is None else check_amount("low", low)
    high = max(full, low) if high is None else check_amount("high", high)
    if high < low:
        raise ScenarioError("high_below_low", high=f"{high:,.0f}", low=f"{low:,.0f}")
    levels = np.linspace(low, high, points) if points > 1 else np.array([high])

    budgets_arr = inst.budgets.copy()
    total = inst.total_budget
    if source is None:
        total = float(levels[0])
    else:
        budgets_arr[inst.sources.index(source)] = float(levels[0])
    data = inst.mip_data(budgets=budgets_arr, total_budget=total)
    workers = _workers(workers, len(levels))
    queue: Queue[float] = Queue()
    for level in levels:  # handed out in rising order: each worker's levels rise too
        queue.put(float(level))
    # one model per worker, one solver thread each (HiGHS releases the GIL while it solves)
    run = partial(_sweep_levels, queue, inst=inst, data=data, source=source,
                  solver=solver.value, objective=objective, gap=gap, time_limit=time_limit,
                  threads=1 if workers > 1 else None)
    if workers == 1:
        records = run()
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = [pool.submit(run) for _ in range(workers)]
            records = [r for part in parts for r in part.result()]
    records.sort(key=lambda r: r["budget"])
    _make_monotone(records, inst=inst, data=data, source=source, solver=solver.value,
                   objective=objective, gap=gap, time_limit=time_limit)
    curve = pd.DataFrame.from_records(records, columns=CURVE_COLUMNS)
    curve["hires"] = curve["hires"].astype("Int64")
    return curve


class _Level:
    """One model solving budget levels of one source (or the total)."""

    def __init__(self, *, inst: AllocationInstance, data: MipData, source: str | None,
                 solver: str, objective: Objective, gap: float, time_limit: float | None,
                 threads: int | None = None) -> None:
        self.inst, self.objective, self.time_limit = inst, objective, time_limit
        self.source = source  # None: the total budget
        self.model = AllocationModel(data, solver=solver, threads=threads)
        group = self.model.groups["total_budget" if source is None else "budget"]
        self.row = int(group.rows[0] if source is None
                       else group.rows[list(group.keys).index(inst.sources.index(source))])
        self.stage_solver = StageSolver(self.model, gap=gap)

    def solve(self, level: float, plan: np.ndarray | None) -> Record:
        """The record of one level, started from ``plan`` (a lower level's) when given."""
        inst = self.inst
        t0 = time.perf_counter()
        self.model.set_rhs(self.row, budget_rhs(float(level)))
        start = None
        if plan is not None:
            start = self.stage_solver.lower.copy()
            start[:len(plan)] = plan
        outcome = solve_stages(self.stage_solver, GOALS[self.objective],
                               time_limit=self.time_limit, start=start)
        hires = outcome.hires
        if hires is None:
            status = "infeasible" if outcome.status == "infeasible" else "no_solution_time_limit"
            return {"budget": float(level), "source": self.source,
                    "is_total": self.source is None, "weighted_hires": math.nan,
                    "hires": pd.NA, "fill_rate": math.nan, "cost": math.nan,
                    "status": status, "gap": None, "seconds": time.perf_counter() - t0,
                    "_plan": None, "_first": -math.inf}
        quota, staying = inst.unit_quota.sum(), inst.unit_staying.sum()
        gaps = [s.gap for s in outcome.stages]
        return {
            "budget": float(level), "source": self.source, "is_total": self.source is None,
            "weighted_hires": float(inst.priority @ hires), "hires": int(hires.sum()),
            "fill_rate": _or_nan(overall_fill_rate(staying + hires.sum(), quota)),
            "cost": float(inst.cost @ hires),
            "status": "optimal" if outcome.status == "optimal" else "feasible_time_limit",
            "gap": overall_gap(gaps),
            "seconds": time.perf_counter() - t0, "_plan": hires,
            "_first": float(outcome.stages[0].value or 0.0)}


def _sweep_levels(queue: Queue[float], *, inst: AllocationInstance, data: MipData,
                  source: str | None, solver: str, objective: Objective, gap: float,
                  time_limit: float | None, threads: int | None) -> list[Record]:
    """Solve the levels taken from ``queue`` (rising) on one model: only the budget's
    right-hand side changes between levels, and each level starts from the previous plan."""
    solving = _Level(inst=inst, data=data, source=source, solver=solver, objective=objective,
                     gap=gap, time_limit=time_limit, threads=threads)
    records: list[Record] = []
    plan = None
    while True:
        try:
            level = queue.get_nowait()
        except Empty:
            break
        record = solving.solve(level, plan)
        if record["_plan"] is not None:
            plan = record["_plan"]
        records.append(record)
    return records


def _make_monotone(records: list[Record], **model_args: Any) -> None:
    """Re-solve, from the best lower level's plan, every level whose first goal came out
    worse than a lower level's (levels solved by different workers start from different
    plans, and each is only optimal within the gap); then drop the internal fields."""
    solving = None
    best: Record | None = None
    for i, record in enumerate(records):
        if best is not None and record["_first"] < best["_first"] - 1e-9:
            if solving is None:
                solving = _Level(**model_args)
            again = solving.solve(record["budget"], best["_plan"])
            if again["_first"] >= best["_first"] - 1e-9:
                again["seconds"] += record["seconds"]
                records[i] = record = again
        if record["_plan"] is not None and (best is None or record["_first"] > best["_first"]):
            best = record
    for record in records:
        record.pop("_plan")
        record.pop("_first")


def _workers(workers: int | None, levels: int) -> int:
    if workers is None:
        workers = min(DEFAULT_WORKERS, os.cpu_count() or 1)
    return max(1, min(_count("workers", workers), levels))


def _count(name: str, value: object) -> int:
    """A whole number of at least 1 given as an integer (2.0 is refused: a count of levels or
    workers is never typed as a decimal)."""
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < 1:
        raise ScenarioError("whole", parameter=name, value=value, least=1, most=f"{10**6:,}")
    return int(value)


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value

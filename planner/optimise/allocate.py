"""Propose hires: which vacancies to fill first under budgets per funding source, unit minimums
and caps, with priorities, fairness or least cost. Tables in, a typed result out.

    allocation = allocate_hires(gaps, units, budgets={"state_budget": 60e9}, min_fill=0.3)
    allocation.status, allocation.plan, allocation.by_unit, allocation.summary()

The model and the way it is solved are described in docs/optimiser.md; the PuLP model lives
in :mod:`planner.optimise.model`, the solve strategy in :mod:`planner.optimise.stages`, the
explanations in
:mod:`planner.optimise.explain`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from planner.domain.scenario import Objective, Solver
from planner.optimise.explain import (
    BUDGET_VALUE_COLUMNS,
    budget_infeasibility,
    budget_values,
    structural_infeasibility,
    unit_bounds,
)
from planner.optimise.instance import AllocationInstance, prepare
from planner.optimise.model import MONEY_UNIT, AllocationModel
from planner.optimise.result import (
    TOTAL_BUDGET,
    Allocation,
    BoundKind,
    BudgetKey,
    Infeasibility,
    SolveStatus,
)
from planner.optimise.stages import (
    COST,
    MIN_RATIO,
    WEIGHTED_HIRES,
    Goal,
    Outcome,
    StageSolver,
    overall_gap,
)
from planner.optimise.stages import solve as solve_stages
from planner.optimise.ties import spread_ties
from planner.optimise.why_not import WHY_COLUMNS, why_not

__all__ = ["PLAN_COLUMNS", "UNIT_PLAN_COLUMNS", "allocate_hires"]

PLAN_COLUMNS = ["unit_id", "unit_name", "position_id", "position_name", "staff_type",
                "funding_source", "quota", "headcount", "expected_departures", "vacancies",
                "hires", "remaining_vacancies", "annual_cost_per_hire", "hires_cost"]
PLAN_EXTRA_COLUMNS = ["sector", "grade", "priority", "min_hires", "max_hires", "bound"]
UNIT_BASE_COLUMNS = ["unit_id", "unit_name", "quota", "headcount", "expected_departures",
                     "vacancies", "redeployable", "hires", "remaining_vacancies", "hires_cost",
                     "fill_rate_before", "fill_rate_after", "min_required", "bound"]
#: The per-unit table: the figures, what bounds the unit, and why no more hires (why_not)
UNIT_PLAN_COLUMNS = [*UNIT_BASE_COLUMNS, *WHY_COLUMNS]
#: Budget values are re-solved (+1 billion đồng each) up to this many rows; LP duals above.
RESOLVE_MAX_ROWS = 20_000
GOALS = {Objective.PRIORITY: [WEIGHTED_HIRES, COST],
         Objective.FAIR: [MIN_RATIO, WEIGHTED_HIRES, COST],
         Objective.MIN_COST: [COST]}


def allocate_hires(gaps: pd.DataFrame, units: pd.DataFrame | None = None, *,
                   budgets: Mapping[str, float] | None = None,
                   total_budget: float | None = None, min_fill: float | None = None,
                   objective: Objective | str = "priority", target_fill: float = 1.0,
                   solver: Solver | str = "highs", time_limit: float | None = None,
                   gap: float = 1e-4, explain: bool = True) -> Allocation:
    """Propose whole hires per (unit, position) row of ``gaps`` (see docs/optimiser.md).

    ``gaps`` is :func:`planner.domain.gaps.staffing_gaps` output; ``units`` the optional units table
    (max_hires, budget_cap, min_fill per unit; a unit's min_fill wins over ``min_fill``).
    ``budgets`` maps funding source → VND per year. Raises ScenarioError for bad parameters;
    an unmeetable requirement is a result (status infeasible, with ``infeasibility``).
    """
    t0 = time.perf_counter()
    inst, objective, solver = prepare(gaps, units, budgets=budgets, total_budget=total_budget,
                                      min_fill=min_fill, objective=objective,
                                      target_fill=target_fill, solver=solver,
                                      time_limit=time_limit, gap=gap)
    params = {"budgets": {s: float(inst.budgets[i]) for i, s in enumerate(inst.sources)
                          if math.isfinite(inst.budgets[i])},
              "total_budget": total_budget, "min_fill": min_fill, "objective": objective.value,
              "target_fill": target_fill, "solver": solver.value, "time_limit": time_limit,
              "gap": gap, "explain": explain}
    blocked = structural_infeasibility(inst)
    if blocked is not None:
        return _no_plan(inst, SolveStatus.INFEASIBLE, blocked, solver, params,
                        time.perf_counter() - t0, 0.0)
    model = AllocationModel(inst.mip_data(), solver=solver.value)
    build = time.perf_counter() - t0
    stage_solver = StageSolver(model, gap=gap)
    outcome = solve_stages(stage_solver, GOALS[objective], time_limit=time_limit)
    if outcome.hires is None:
        status = SolveStatus.INFEASIBLE if outcome.status == "infeasible" \
            else SolveStatus.NO_SOLUTION_TIME_LIMIT
        why = budget_infeasibility(inst) if status is SolveStatus.INFEASIBLE else None
        return _no_plan(inst, status, why, solver, params, build, outcome.seconds,
                        _stage_dicts(outcome))
    status = SolveStatus.OPTIMAL if outcome.status == "optimal" \
        else SolveStatus.FEASIBLE_TIME_LIMIT
    # tied rows (same priority, cost, source): hires to the lowest fill rate, no value changed
    outcome.hires = spread_ties(inst, outcome.hires, keep_ratio=objective is Objective.FAIR)
    values = _budget_values(inst, model, stage_solver, outcome, objective, status,
                            time_limit) if explain else pd.DataFrame(columns=BUDGET_VALUE_COLUMNS)
    return _allocation(inst, outcome, status, solver, params, build, values)


# --- assembling results ------------------------------------------------------------------

def _allocation(inst: AllocationInstance, outcome: Outcome, status: SolveStatus,
                solver: Solver, params: dict[str, Any], build: float,
                values: pd.DataFrame) -> Allocation:
    hires = outcome.hires
    if hires is None:
        raise ValueError("an allocation needs the plan's hires")
    unit_labels, row_labels = unit_bounds(inst, hires)
    plan = _plan_table(inst, hires, row_labels)
    by_unit = _unit_table(inst, hires, unit_labels)
    why = why_not(inst, hires, unit_labels, keep_ratio=inst.objective is Objective.FAIR)
    by_unit = pd.concat([by_unit, why], axis=1)
    first = outcome.stages[0]
    scale = MONEY_UNIT if first.goal == "cost" else 1.0
    gaps = [s.gap for s in outcome.stages]
    spent = np.bincount(inst.source, weights=hires * inst.cost, minlength=len(inst.sources))
    cost_by_source = {s: float(spent[i]) for i, s in enumerate(inst.sources)}
    budgets, shares, total, total_share = _budgets_used(inst, spent)
    return Allocation(
        status=status, plan=plan, by_unit=by_unit,
        objective=None if first.value is None else first.value * scale,
        best_bound=None if first.bound is None else first.bound * scale,
        gap=overall_gap(gaps),
        solver=solver.value, solve_seconds=outcome.seconds, build_seconds=build,
        total_hires=int(hires.sum()), total_cost=float(spent.sum()),
        cost_by_source=cost_by_source, budgets=budgets, budget_used_share=shares,
        parameters=params, budget_values=values, infeasibility=None,
        stages=_stage_dicts(outcome), total_budget=total, total_budget_used_share=total_share)


def _no_plan(inst: AllocationInstance, status: SolveStatus, why: Infeasibility | None,
             solver: Solver, params: dict[str, Any], build: float, solve: float,
             stages: tuple[dict[str, Any], ...] = ()) -> Allocation:
    none = np.full(len(inst.gaps), -1, dtype=np.int64)
    label = (BoundKind.INFEASIBLE if status is SolveStatus.INFEASIBLE
             else BoundKind.NO_SOLUTION).value
    plan = _plan_table(inst, none, np.full(len(none), label, dtype=object))
    by_unit = _unit_table(inst, none, np.full(inst.n_units, label, dtype=object))
    by_unit = pd.concat([by_unit, pd.DataFrame({c: [label if c == "why" else None] * inst.n_units
                                                for c in WHY_COLUMNS})], axis=1)
    budgets, _, total, _ = _budgets_used(inst, np.zeros(len(inst.sources)))
    return Allocation(status=status, plan=plan, by_unit=by_unit, objective=None,
                      best_bound=None, gap=None, solver=solver.value, solve_seconds=solve,
                      build_seconds=build, total_hires=0, total_cost=0.0,
                      cost_by_source={s: 0.0 for s in inst.sources}, budgets=budgets,
                      budget_used_share={k: None for k in budgets}, parameters=params,
                      budget_values=pd.DataFrame(columns=BUDGET_VALUE_COLUMNS),
                      infeasibility=why, stages=stages, total_budget=total)


def _budgets_used(inst: AllocationInstance, spent: np.ndarray
                  ) -> tuple[dict[str, float], dict[str, float | None], float | None,
                             float | None]:
    """The sources' budgets and shares used, then the total budget and its share (None: no
    total budget)."""
    budgets: dict[str, float] = {}
    shares: dict[str, float | None] = {}
    for i, s in enumerate(inst.sources):
        if math.isfinite(inst.budgets[i]):
            budgets[s] = float(inst.budgets[i])
            shares[s] = _share(spent[i], inst.budgets[i])
    if not math.isfinite(inst.total_budget):
        return budgets, shares, None, None
    return budgets, shares, inst.total_budget, _share(spent.sum(), inst.total_budget)


def _share(used: float, budget: float) -> float | None:
    if budget > 0:
        return float(used / budget)
    return 0.0 if used == 0 else None


def _plan_table(inst: AllocationInstance, hires: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    g = inst.gaps
    plan = pd.DataFrame({c: g[c] for c in PLAN_COLUMNS if c in g.columns})
    h = pd.array(np.where(hires < 0, 0, hires), dtype="Int64")
    h[hires < 0] = pd.NA
    plan["hires"] = h
    plan["remaining_vacancies"] = plan["vacancies"].astype("Int64") - plan["hires"]
    plan["hires_cost"] = (plan["hires"].astype("Float64")
                          * g["annual_cost_per_hire"].astype("Float64"))
    for c in PLAN_COLUMNS:
        if c not in plan:
            plan[c] = ""
    extras = [c for c in PLAN_EXTRA_COLUMNS if c in g.columns]
    plan = pd.concat([plan[PLAN_COLUMNS], g[extras]], axis=1)
    plan["bound"] = labels.astype(str)
    return plan


def _unit_table(inst: AllocationInstance, hires: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    g = inst.gaps
    n_u = inst.n_units

    def sums(v: np.ndarray) -> np.ndarray:
        return np.bincount(inst.unit, weights=v, minlength=n_u)

    known = hires >= 0
    hired = sums(np.where(known, hires, 0)).astype(np.int64)
    quota = inst.unit_quota
    with np.errstate(divide="ignore", invalid="ignore"):
        before = np.where(quota > 0, inst.unit_staying / quota, np.nan)
        after = np.where(quota > 0, (inst.unit_staying + hired) / quota, np.nan)
    table = pd.DataFrame({
        "unit_id": inst.unit_ids.astype(str), "unit_name": inst.unit_names.astype(str),
        "quota": quota.astype(np.int64), "headcount": sums(g["headcount"].to_numpy(float))
        .astype(np.int64), "expected_departures": sums(g["expected_departures"]
                                                       .to_numpy(float)).astype(np.int64),
        "vacancies": inst.unit_vacancies.astype(np.int64),
        "redeployable": inst.unit_redeployable.astype(np.int64),
        "hires": pd.array(hired, dtype="Int64"),
        "remaining_vacancies": pd.array(inst.unit_vacancies.astype(np.int64) - hired,
                                        dtype="Int64"),
        "hires_cost": sums(np.where(known, hires, 0) * inst.cost),
        "fill_rate_before": before, "fill_rate_after": after,
        "min_required": inst.unit_required.astype(np.int64), "bound": labels.astype(str)})
    if not known.all():
        for c in ("hires", "remaining_vacancies"):
            table[c] = pd.array([pd.NA] * n_u, dtype="Int64")
        table["hires_cost"] = np.nan
        table["fill_rate_after"] = np.nan
    return table[UNIT_BASE_COLUMNS]


def _stage_dicts(outcome: Outcome) -> tuple[dict[str, Any], ...]:
    out: list[dict[str, Any]] = []
    for s in outcome.stages:
        scale = MONEY_UNIT if s.goal == "cost" else 1.0
        out.append({"goal": s.goal, "status": s.status,
                    "value": None if s.value is None else s.value * scale,
                    "bound": None if s.bound is None else s.bound * scale,
                    "gap": s.gap, "seconds": round(s.seconds, 3), "steps": s.steps})
    return tuple(out)


def _columns(stage_solver: StageSolver, hires: np.ndarray) -> np.ndarray:
    """A plan as the model's columns (the ratio column of ``fair`` is recomputed)."""
    cols = stage_solver.lower.copy()
    cols[:len(hires)] = hires
    if stage_solver.model.fair:
        cols[-1] = 0.0
    return cols


def _goal_value(stage_solver: StageSolver, goal: Goal, hires: np.ndarray) -> float:
    if goal is WEIGHTED_HIRES:
        return float(stage_solver.data.priority @ hires)
    return stage_solver.exact_ratio(hires)


def _budget_values(inst: AllocationInstance, model: AllocationModel, stage_solver: StageSolver,
                   outcome: Outcome, objective: Objective, status: SolveStatus,
                   time_limit: float | None) -> pd.DataFrame:
    shown = outcome.hires
    if shown is None:
        raise ValueError("budget values need the plan's hires")
    if objective is Objective.MIN_COST:
        return budget_values(inst, shown, method="not_applicable", value_unit="",
                             lp_duals=None, resolve=None)
    goal: Goal = GOALS[objective][0]
    unit = "weighted_hires" if goal is WEIGHTED_HIRES else "min_fill_rate"
    duals: dict[BudgetKey, float] = {}
    if outcome.lp_duals is not None:
        for kind, group in model.groups.items():
            if kind == "budget":
                for row, s in zip(group.rows, group.keys, strict=True):
                    duals[BudgetKey(inst.sources[s])] = float(outcome.lp_duals[row]) / MONEY_UNIT
            elif kind == "total_budget":
                duals[TOTAL_BUDGET] = float(outcome.lp_duals[group.rows[0]]) / MONEY_UNIT
    if status is not SolveStatus.OPTIMAL or len(inst.gaps) > RESOLVE_MAX_ROWS:
        return budget_values(inst, shown, method="lp_dual", value_unit=unit,
                             lp_duals=duals, resolve=None)
    start = _columns(stage_solver, shown)
    base = _goal_value(stage_solver, goal, shown)  # the plan shown, exactly

    def resolve(key: BudgetKey) -> tuple[float, float] | None:
        """(gain of the first goal, more people) that one more billion buys on top of the
        plan shown: every hire of the plan kept, the best use of the extra money, solved
        exactly (no relative gap; under one priority step). The difference of two plans, so
        no solver gap can hide it or inflate it."""
        group = model.groups["total_budget" if key.is_total else "budget"]
        row = int(group.rows[0] if key.is_total else
                  group.rows[list(group.keys).index(inst.sources.index(str(key.source)))])
        old = model.rhs(row)
        model.set_rhs(row, old + 1e9 / MONEY_UNIT)
        lower = stage_solver.lower.copy()
        lower[:len(shown)] = np.maximum(lower[:len(shown)], shown)
        step = stage_solver.granularity(goal)
        try:
            run = model.run(objective=stage_solver.objective(goal), maximise=True,
                            integer=True, lower=lower, upper=stage_solver.upper, start=start,
                            gap=0.0, abs_gap=0.999 * step if step else 1e-7,
                            time_limit=time_limit)
            # checked in exact arithmetic while the extra billion is still in the row
            more = stage_solver.candidate(run.x, lower, stage_solver.upper)
        finally:
            model.set_rhs(row, old)
        if more is None or run.status not in ("optimal", "interrupted"):
            return None
        hires = more[:len(shown)].astype(np.int64)
        people = float(hires.sum() - shown.sum()) if goal is WEIGHTED_HIRES else math.nan
        return max(0.0, _goal_value(stage_solver, goal, hires) - base), people

    return budget_values(inst, shown, method="resolve", value_unit=unit,
                         lp_duals=duals, resolve=resolve)

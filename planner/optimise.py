"""Propose hires: which vacancies to fill first under budgets per funding source, unit minimums
and caps, with priorities, fairness or least cost. Tables in, a typed result out.

    allocation = allocate_hires(gaps, units, budgets={"state_budget": 60e9}, min_fill=0.3)
    allocation.status, allocation.plan, allocation.by_unit, allocation.summary()

The model and the way it is solved are described in docs/optimiser.md; the PuLP model lives
in :mod:`planner.model`, the solve strategy in :mod:`planner.stages`, the explanations in
:mod:`planner.explain`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import pandas as pd

from planner.explain import (
    BUDGET_VALUE_COLUMNS,
    Infeasibility,
    _jsonable,
    budget_infeasibility,
    budget_values,
    structural_infeasibility,
    unit_bounds,
)
from planner.instance import TOTAL, AllocationInstance, prepare
from planner.model import MONEY_UNIT, AllocationModel
from planner.scenario import Objective, Solver
from planner.stages import COST, MIN_RATIO, WEIGHTED_HIRES, Goal, Outcome, overall_gap
from planner.stages import Solver as StageSolver
from planner.stages import solve as solve_stages
from planner.ties import spread_ties
from planner.why_not import WHY_COLUMNS, why_not

__all__ = ["PLAN_COLUMNS", "UNIT_PLAN_COLUMNS", "Allocation", "Infeasibility", "SolveStatus",
           "allocate_hires", "solve_scenario"]

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


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # optimal within the relative gap asked for
    FEASIBLE_TIME_LIMIT = "feasible_time_limit"  # the best plan found when time ran out
    INFEASIBLE = "infeasible"  # no plan meets the requirements: see .infeasibility
    NO_SOLUTION_TIME_LIMIT = "no_solution_time_limit"  # time ran out before any plan


@dataclass(frozen=True)
class Allocation:
    """A proposed allocation (or the reason there is none)."""

    status: SolveStatus
    plan: pd.DataFrame
    by_unit: pd.DataFrame
    objective: float | None  # weighted hires / lowest staffing ratio / total cost (VND)
    best_bound: float | None
    gap: float | None  # the largest relative gap among the stages that reached a bound
    solver: str
    solve_seconds: float
    build_seconds: float
    total_hires: int
    total_cost: float
    cost_by_source: dict[str, float]
    budgets: dict[str, float]  # the budgets given, "total" for the total budget
    budget_used_share: dict[str, float]
    parameters: dict
    budget_values: pd.DataFrame
    infeasibility: Infeasibility | None
    stages: tuple[dict, ...] = ()  # per lexicographic stage: goal, status, value, bound, gap

    @property
    def has_plan(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE_TIME_LIMIT)

    def summary(self) -> dict:
        """The JSON summary (the CLI's ``--summary`` file)."""
        out = {
            "status": self.status.value, "objective": self.objective,
            "best_bound": self.best_bound, "gap": self.gap, "solver": self.solver,
            "solve_seconds": round(self.solve_seconds, 3),
            "build_seconds": round(self.build_seconds, 3),
            "total_hires": self.total_hires, "total_cost": self.total_cost,
            "cost_by_source": self.cost_by_source, "budgets": self.budgets,
            "budget_used_share": self.budget_used_share, "parameters": self.parameters,
            "stages": list(self.stages),
            "budget_values": self.budget_values.to_dict("records"),
            "infeasibility": self.infeasibility.to_dict() if self.infeasibility else None,
        }
        return _jsonable(out)


def allocate_hires(gaps: pd.DataFrame, units: pd.DataFrame | None = None, *,
                   budgets: Mapping[str, float] | None = None,
                   total_budget: float | None = None, min_fill: float | None = None,
                   objective: Objective | str = "priority", target_fill: float = 1.0,
                   solver: Solver | str = "highs", time_limit: float | None = None,
                   gap: float = 1e-4, explain: bool = True) -> Allocation:
    """Propose whole hires per (unit, position) row of ``gaps`` (see docs/optimiser.md).

    ``gaps`` is :func:`planner.gaps.staffing_gaps` output; ``units`` the optional units table
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


def solve_scenario(inputs, scenario, *, explain: bool = True) -> Allocation:
    """Solve a :class:`planner.scenario.Scenario` on loaded :class:`planner.inputs.Inputs`:
    cost rules → staffing gaps → the scenario's row and unit settings → :func:`allocate_hires`.
    """
    from planner.gaps import staffing_gaps

    gaps = scenario.apply_rows(staffing_gaps(inputs.positions, rules=scenario.rules))
    units = scenario.apply_units(inputs.units, gaps["unit_id"])
    allocation = allocate_hires(
        gaps, units, budgets=dict(scenario.budgets), total_budget=scenario.total_budget,
        min_fill=scenario.min_fill, objective=scenario.objective,
        target_fill=scenario.target_fill, solver=scenario.solver,
        time_limit=scenario.time_limit, gap=scenario.gap, explain=explain)
    return replace(allocation, parameters={**scenario.to_dict(), "explain": explain})


# --- assembling results ------------------------------------------------------------------

def _allocation(inst: AllocationInstance, outcome: Outcome, status: SolveStatus,
                solver: Solver, params: dict, build: float, values: pd.DataFrame) -> Allocation:
    hires = outcome.hires
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
    budgets, shares = _budgets_used(inst, spent)
    return Allocation(
        status=status, plan=plan, by_unit=by_unit,
        objective=None if first.value is None else first.value * scale,
        best_bound=None if first.bound is None else first.bound * scale,
        gap=overall_gap(gaps),
        solver=solver.value, solve_seconds=outcome.seconds, build_seconds=build,
        total_hires=int(hires.sum()), total_cost=float(spent.sum()),
        cost_by_source=cost_by_source, budgets=budgets, budget_used_share=shares,
        parameters=params, budget_values=values, infeasibility=None,
        stages=_stage_dicts(outcome))


def _no_plan(inst: AllocationInstance, status: SolveStatus, why: Infeasibility | None,
             solver: Solver, params: dict, build: float, solve: float,
             stages: tuple[dict, ...] = ()) -> Allocation:
    none = np.full(len(inst.gaps), -1, dtype=np.int64)
    label = "infeasible" if status is SolveStatus.INFEASIBLE else "no_solution"
    plan = _plan_table(inst, none, np.full(len(none), label, dtype=object))
    by_unit = _unit_table(inst, none, np.full(inst.n_units, label, dtype=object))
    by_unit = pd.concat([by_unit, pd.DataFrame({c: [label if c == "why" else None] * inst.n_units
                                                for c in WHY_COLUMNS})], axis=1)
    budgets, _ = _budgets_used(inst, np.zeros(len(inst.sources)))
    return Allocation(status=status, plan=plan, by_unit=by_unit, objective=None,
                      best_bound=None, gap=None, solver=solver.value, solve_seconds=solve,
                      build_seconds=build, total_hires=0, total_cost=0.0,
                      cost_by_source={s: 0.0 for s in inst.sources}, budgets=budgets,
                      budget_used_share={k: None for k in budgets}, parameters=params,
                      budget_values=pd.DataFrame(columns=BUDGET_VALUE_COLUMNS),
                      infeasibility=why, stages=stages)


def _budgets_used(inst: AllocationInstance, spent: np.ndarray) -> tuple[dict, dict]:
    budgets, shares = {}, {}
    for i, s in enumerate(inst.sources):
        if math.isfinite(inst.budgets[i]):
            budgets[s] = float(inst.budgets[i])
            shares[s] = _share(spent[i], inst.budgets[i])
    if math.isfinite(inst.total_budget):
        budgets[TOTAL] = inst.total_budget
        shares[TOTAL] = _share(spent.sum(), inst.total_budget)
    return budgets, shares


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
    plan["remaining_vacancies"] = plan["vacancies"].astype("Int64") - h
    plan["hires_cost"] = (h.astype("Float64") * g["annual_cost_per_hire"].astype("Float64"))
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
    sums = lambda v: np.bincount(inst.unit, weights=v, minlength=n_u)  # noqa: E731
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


def _stage_dicts(outcome: Outcome) -> tuple[dict, ...]:
    out = []
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
    if objective is Objective.MIN_COST:
        return budget_values(inst, outcome.hires, method="not_applicable", value_unit="",
                             lp_duals=None, resolve=None)
    goal: Goal = GOALS[objective][0]
    unit = "weighted_hires" if goal is WEIGHTED_HIRES else "min_fill_rate"
    duals: dict[str, float] = {}
    if outcome.lp_duals is not None:
        for kind, group in model.groups.items():
            if kind == "budget":
                for row, s in zip(group.rows, group.keys, strict=True):
                    duals[inst.sources[s]] = float(outcome.lp_duals[row]) / MONEY_UNIT
            elif kind == "total_budget":
                duals[TOTAL] = float(outcome.lp_duals[group.rows[0]]) / MONEY_UNIT
    if status is not SolveStatus.OPTIMAL or len(inst.gaps) > RESOLVE_MAX_ROWS:
        return budget_values(inst, outcome.hires, method="lp_dual", value_unit=unit,
                             lp_duals=duals, resolve=None)
    shown = outcome.hires
    start = _columns(stage_solver, shown)
    base = _goal_value(stage_solver, goal, shown)  # the plan shown, exactly

    def resolve(name: str) -> tuple[float, float] | None:
        """(gain of the first goal, more people) that one more billion buys on top of the
        plan shown: every hire of the plan kept, the best use of the extra money, solved
        exactly (no relative gap; under one priority step). The difference of two plans, so
        no solver gap can hide it or inflate it."""
        kind = "total_budget" if name == TOTAL else "budget"
        group = model.groups[kind]
        row = int(group.rows[0] if name == TOTAL else
                  group.rows[list(group.keys).index(inst.sources.index(name))])
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

    return budget_values(inst, outcome.hires, method="resolve", value_unit=unit,
                         lp_duals=duals, resolve=resolve)

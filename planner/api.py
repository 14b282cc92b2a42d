"""The planner's scenario-level API: what the CLI's commands and the app's pages call.

One function per question, loaded tables and a :class:`~planner.domain.scenario.Scenario` in, a
typed
result out; the pipeline (cost rules → staffing gaps → the scenario's row and unit settings →
the optimiser) is written here once:

    inputs = load_inputs("bien_che.xlsx", "hien_co.xlsx")
    scenario = Scenario(budgets={"state_budget": 60e9}, min_fill=0.3)
    gaps(inputs, scenario)                       # vacancies and the cost of each hire
    allocation = solve(inputs, scenario)         # the plan (planner.optimise.result.Allocation)
    curve(inputs, scenario, budget=BudgetKey("state_budget"), points=11)   # the budget curve
    plan(inputs, scenario, MultiYearSettings(years=(2026, …, 2030), …))     # year by year

Bad parameters raise :class:`~planner.domain.scenario.ScenarioError` naming the culprit; a
requirement
no plan can meet is a result (``allocation.status`` infeasible, with its explanation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from planner.domain.gaps import staffing_gaps
from planner.domain.multiyear import MultiYearSettings
from planner.domain.scenario import Scenario
from planner.io.inputs import Inputs
from planner.optimise.allocate import allocate_hires
from planner.optimise.multiyear import plan_multiyear
from planner.optimise.multiyear_result import MultiYearPlan
from planner.optimise.result import TOTAL_BUDGET, Allocation, BudgetKey
from planner.optimise.sweep import budget_curve

__all__ = ["curve", "gaps", "plan", "plan_tables", "solve"]


def gaps(inputs: Inputs, scenario: Scenario) -> pd.DataFrame:
    """The staffing gaps of ``inputs`` under the scenario's cost rules: one row per (unit,
    position) with its vacancies and the annual cost of a hire (no row or unit settings)."""
    return staffing_gaps(inputs.positions, rules=scenario.rules)


def plan_tables(inputs: Inputs, scenario: Scenario, *, gaps_table: pd.DataFrame | None = None
                ) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The optimiser's tables: the gaps with the scenario's row settings applied, and the units
    table with its unit settings (checked: an unknown unit or position is refused).
    ``gaps_table`` is :func:`gaps`' result when the caller already has it."""
    table = gaps(inputs, scenario) if gaps_table is None else gaps_table
    rows = scenario.apply_rows(table)
    return rows, scenario.apply_units(inputs.units, rows["unit_id"])


def solve(inputs: Inputs, scenario: Scenario, *, explain: bool = True) -> Allocation:
    """The plan of ``scenario`` on ``inputs``. ``explain`` computes what one more billion of
    each budget buys (re-solves); the infeasible explanation is always given."""
    rows, units = plan_tables(inputs, scenario)
    allocation = allocate_hires(
        rows, units, budgets=dict(scenario.budgets), total_budget=scenario.total_budget,
        min_fill=scenario.min_fill, objective=scenario.objective,
        target_fill=scenario.target_fill, solver=scenario.solver,
        time_limit=scenario.time_limit, gap=scenario.gap, explain=explain)
    return replace(allocation, parameters={**scenario.to_dict(), "explain": explain})


def curve(inputs: Inputs, scenario: Scenario, *, budget: BudgetKey = TOTAL_BUDGET,
          points: int = 11, low: float | None = None, high: float | None = None,
          workers: int | None = None) -> pd.DataFrame:
    """The budget curve: the plan at ``points`` levels of ``budget`` (a funding source's, or
    the total), every other parameter as in the scenario
    (:func:`planner.optimise.sweep.budget_curve`).
    """
    rows, units = plan_tables(inputs, scenario)
    return budget_curve(
        rows, units, source=budget.source, budgets=dict(scenario.budgets),
        # the total budget is the one that varies, or it stays as the scenario sets it
        total_budget=None if budget.is_total else scenario.total_budget,
        points=points, low=low, high=high, min_fill=scenario.min_fill,
        objective=scenario.objective, solver=scenario.solver,
        time_limit=scenario.time_limit, gap=scenario.gap, workers=workers)


def plan(inputs: Inputs, scenario: Scenario, settings: MultiYearSettings, *,
         quota_years: Mapping[int, np.ndarray] | None = None,
         departure_years: Mapping[int, np.ndarray] | None = None,
         plain_departures: bool = True, roster: pd.DataFrame | None = None) -> MultiYearPlan:
    """The multi-year plan over ``settings.years`` (the quota path from ``quota_years`` or the
    settings' cut rule, departures per year from ``departure_years`` and the roster's counts,
    budgets per year): :func:`planner.optimise.multiyear.plan_multiyear`; README "The multi-year
    plan"."""
    return plan_multiyear(inputs, scenario, settings, quota_years=quota_years,
                          departure_years=departure_years, plain_departures=plain_departures,
                          roster=roster)

"""The multi-year plan solved (issue 15): the per-year data of :mod:`planner.domain.multiyear`
turned into the model's arrays (:class:`planner.optimise.model_multiyear.MultiYearMip`), solved,
and read back as a :class:`MultiYearPlan`: one row per (unit, position, year), the totals per
year, the surplus to streamline per unit and year, and the budgets per source and year.

The model (README "The multi-year plan", docs/optimiser.md): rows r, years y; X[r,y] the hires
made in years ≤ y, N0[r,y] the headcount less the departures made in years ≤ y. Row room
X ≤ max(0, quota − N0), unit room per (unit, staff type), budgets per source and year, the
unit minimum fill per year; the objectives as in :mod:`planner.optimise.model_multiyear`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from planner.domain.gaps import annual_cost_per_hire, quota_group
from planner.domain.multiyear import (
    PLAN_COLUMNS,
    MultiYearSettings,
    cut_path,
    departures_path,
    quota_path,
)
from planner.domain.rules import CostRules
from planner.domain.scenario import Objective, Scenario, ScenarioError
from planner.io.inputs import Inputs
from planner.optimise.instance import _unit_settings
from planner.optimise.model_multiyear import MultiYearMip, solve_multiyear
from planner.optimise.multiyear_result import MultiYearPlan, MultiYearResult

__all__ = ["DEFAULT_TIME_LIMIT", "MultiYearPlan", "plan_multiyear"]

#: seconds for the solve when the scenario sets no time limit: the multi-year problem can
#: take long to prove within the gap; the best plan found by then is reported with its gap
DEFAULT_TIME_LIMIT = 60.0


def plan_multiyear(inputs: Inputs, scenario: Scenario, settings: MultiYearSettings, *,
                   quota_years: Mapping[int, np.ndarray] | None = None,
                   departure_years: Mapping[int, np.ndarray] | None = None,
                   plain_departures: bool = True,
                   roster: pd.DataFrame | None = None) -> MultiYearPlan:
    """The multi-year plan of ``scenario`` over ``settings.years`` (see the module's doc)."""
    if scenario.solver.value != "highs":
        raise ScenarioError("multiyear.highs_only", value=scenario.solver.value)
    years = settings.years
    T = len(years)
    pos = scenario.apply_rows(inputs.positions.copy())
    n = len(pos)
    if settings.quota_cut is not None:
        quota = cut_path(pos, years, settings.quota_cut)
    else:
        quota = quota_path(pos["quota"].to_numpy(dtype=float), quota_years or {}, years)
    departures = departures_path(pos, years, columns=departure_years or {}, roster=roster,
                                 plain=plain_departures, attrition=settings.attrition)
    headcount = pos["headcount"].to_numpy(dtype=float)
    n0 = headcount[:, None] - np.cumsum(departures, axis=1)
    room = np.maximum(0, quota - n0)
    group = quota_group(pos)
    G = int(group.max()) + 1 if n else 0
    group_room = np.zeros((G, T))
    np.add.at(group_room, group, quota - n0)
    group_room = np.maximum(group_room, 0)
    # costs: the one-year rules at each year's base salary
    cost = np.zeros((n, T))
    for k, y in enumerate(years):
        rules = CostRules(base_salary=settings.base_salary_by_year.get(y, scenario.base_salary),
                          contribution_rates=scenario.contribution_rates,
                          bonus_rate=scenario.bonus_rate)
        cost[:, k] = annual_cost_per_hire(pos, rules).to_numpy(dtype=float)
    sources = tuple(sorted(pos["funding_source"].unique()))
    source = np.searchsorted(np.array(sources, dtype=object),
                             pos["funding_source"].to_numpy(dtype=object)).astype(np.int64)
    budgets = np.full((len(sources), T), np.inf)
    for name, amount in scenario.budgets.items():
        if name not in sources:
            raise ScenarioError("unknown_source", parameter=f"budgets.{name}", value=name,
                                known=", ".join(sources))
        budgets[sources.index(name)] = float(amount)
    for (name, year), amount in settings.budgets_by_year.items():
        if name not in sources:
            raise ScenarioError("multiyear.budget_source", value=name, year=str(year),
                                known=", ".join(sources))
        budgets[sources.index(name), years.index(year)] = float(amount)
    unit_index, unit_ids = pd.factorize(pos["unit_id"])
    unit_index = unit_index.astype(np.int64)
    U = len(unit_ids)
    units = scenario.apply_units(inputs.units, pos["unit_id"])
    fill, cap, ubudget = _unit_settings(units, np.asarray(unit_ids, dtype=object))
    # hireable per unit and year, from the rooms that last (X never falls): min over t ≥ y
    eff_room = np.minimum.accumulate(room[:, ::-1], axis=1)[:, ::-1]
    eff_group = np.minimum.accumulate(group_room[:, ::-1], axis=1)[:, ::-1]
    group_vac = np.zeros((G, T))
    np.add.at(group_vac, group, eff_room)
    group_unit = np.zeros(G, dtype=np.int64)
    group_unit[group] = unit_index
    hireable = np.zeros((U, T))
    np.add.at(hireable, group_unit, np.minimum(eff_group, group_vac))
    min_fill = np.where(np.isnan(fill), scenario.min_fill or 0.0, fill)
    unit_min = np.floor(min_fill[:, None] * hireable + 1e-9)
    if scenario.objective is Objective.MIN_COST:
        k = years.index(settings.target_year or years[-1])
        unit_min[:, k] = np.maximum(unit_min[:, k],
                                    np.floor(scenario.target_fill * hireable[:, k] + 1e-9))
    row_max = pos["max_hires"].to_numpy(dtype="float64", na_value=np.inf)  # inputs have it
    q_u = np.bincount(unit_index, weights=quota[:, -1], minlength=U)
    s_u = np.bincount(unit_index, weights=n0[:, -1], minlength=U)
    mip = MultiYearMip(room=room, priority=pos["priority"].to_numpy(dtype=float), cost=cost,
                       group=group, group_room=group_room, source=source, budgets=budgets,
                       unit=unit_index, unit_min=unit_min, objective=scenario.objective.value,
                       row_max=row_max, unit_max=cap,
                       unit_budget=np.repeat(ubudget[:, None], T, axis=1),
                       fair_quota=q_u, fair_staying=s_u)
    result = solve_multiyear(mip, time_limit=scenario.time_limit or DEFAULT_TIME_LIMIT,
                             gap=scenario.gap)
    params = {**scenario.to_dict(), "years": list(years),
              "budgets_by_year": {f"{s}@{y}": v for (s, y), v in
                                  settings.budgets_by_year.items()},
              "base_salary_by_year": {str(y): v for y, v in
                                      settings.base_salary_by_year.items()},
              "quota_cut": None if settings.quota_cut is None else {
                  "rate": settings.quota_cut.rate, "by_year": settings.quota_cut.by_year,
                  "staff_types": list(settings.quota_cut.staff_types),
                  "exempt_sectors": list(settings.quota_cut.exempt_sectors)},
              "attrition": dict(settings.attrition),
              "target_year": settings.target_year,
              "payout_per_leaver": dict(settings.payout_per_leaver),
              "roster": roster is not None}
    budget_table = _budget_table(sources, years, budgets, cost, source, result)
    if result.cumulative is None:
        return MultiYearPlan(result.status, years, None, None, None, budget_table, result,
                             params)
    X = result.cumulative
    hires = np.diff(X, axis=1, prepend=0)  # the hires made in each year
    on_board_start = headcount[:, None] - np.concatenate(
        [np.zeros((n, 1)), np.cumsum(departures, axis=1)[:, :-1]], axis=1) + \
        np.concatenate([np.zeros((n, 1)), X[:, :-1]], axis=1)
    on_board_end = n0 + X
    rows = []
    for k, y in enumerate(years):
        rows.append(pd.DataFrame({
            "unit_id": pos["unit_id"], "unit_name": pos["unit_name"],
            "position_id": pos["position_id"], "position_name": pos["position_name"],
            "staff_type": pos["staff_type"], "funding_source": pos["funding_source"],
            "year": y, "quota": quota[:, k].astype(np.int64),
            "on_board_start": on_board_start[:, k].astype(np.int64),
            "departures": departures[:, k].astype(np.int64),
            "hires": hires[:, k].astype(np.int64),
            "on_board_end": on_board_end[:, k].astype(np.int64),
            "vacancies_end": np.maximum(0, quota[:, k] - on_board_end[:, k]).astype(np.int64),
            "surplus_end": np.maximum(0, on_board_end[:, k] - quota[:, k]).astype(np.int64),
            "salary_cost": np.round(cost[:, k] * X[:, k]).astype(np.int64)}))
    plan = pd.concat(rows, ignore_index=True)[PLAN_COLUMNS]
    surplus = _surplus(plan, settings)
    by_year = plan.groupby("year", sort=True).agg(
        quota=("quota", "sum"), on_board_start=("on_board_start", "sum"),
        departures=("departures", "sum"), hires=("hires", "sum"),
        on_board_end=("on_board_end", "sum"), vacancies_end=("vacancies_end", "sum"),
        salary_cost=("salary_cost", "sum")).reset_index()
    streamline = surplus.groupby("year")["surplus"].sum()
    by_year["surplus_to_streamline"] = by_year["year"].map(streamline).fillna(0).astype(np.int64)
    if settings.payout_per_leaver:
        pay = surplus.groupby("year")["payout"].sum()
        by_year["streamline_payout"] = by_year["year"].map(pay).fillna(0.0)
    return MultiYearPlan(result.status, years, plan, by_year, surplus, budget_table, result,
                         params)


def _surplus(plan: pd.DataFrame, settings: MultiYearSettings) -> pd.DataFrame:
    """Per (unit, staff type, year): staff above the quota at the year's end, counted per
    unit and staff type (a position above its quota beside a vacant one is redeployment),
    and the payouts when the scenario gives an amount per leaver."""
    g = plan.groupby(["unit_id", "unit_name", "staff_type", "year"], sort=False).agg(
        quota=("quota", "sum"), on_board_end=("on_board_end", "sum")).reset_index()
    g["surplus"] = (g["on_board_end"] - g["quota"]).clip(lower=0).astype(np.int64)
    g = g[g["surplus"] > 0].reset_index(drop=True)
    if settings.payout_per_leaver:
        g["payout"] = g["surplus"] * g["staff_type"].map(dict(settings.payout_per_leaver)
                                                         ).fillna(0.0)
    return g


def _budget_table(sources: tuple[str, ...], years: tuple[int, ...], budgets: np.ndarray,
                  cost: np.ndarray, source: np.ndarray, result: MultiYearResult
                  ) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    X = result.cumulative
    for s, name in enumerate(sources):
        for k, y in enumerate(years):
            used = None if X is None else float(np.dot(cost[source == s, k],
                                                       X[source == s, k]))
            least = None
            if result.least_budgets is not None and math.isfinite(budgets[s, k]):
                least = float(result.least_budgets[s, k])
            rows.append({"source": name, "year": y,
                         "budget": budgets[s, k] if math.isfinite(budgets[s, k]) else None,
                         "used": used, "least": least})
    return pd.DataFrame(rows, columns=["source", "year", "budget", "used", "least"])

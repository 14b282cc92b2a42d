"""A multi-year plan in the scenario store (issue 15), beside the one-year plans.

No schema change: a saved multi-year plan is a ``scenarios`` row like any other (its
``parameters`` are the scenario's, :meth:`Scenario.to_dict`; ``status`` the plan's,
``total_hires`` its hires over the horizon, ``total_cost`` the salary fund of its hires in the
last year, a cost a year like a one-year plan's) whose summary (``MultiYearPlan.summary()``)
carries ``plan_kind = "multiyear"``, the years and the multi-year settings (under
``parameters``), and whose ``scenario_tables`` rows are the kinds of :data:`TABLE_KINDS`
instead of the one-year plan's ``plan``/``by_unit``/``budget_values``. A one-year plan is saved
exactly as before (no ``plan_kind``, the same tables).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from planner.optimise.multiyear_result import MultiYearPlan, MultiYearResult, Stage
from planner.store.records import StoredScenario

#: the summary key that marks a multi-year plan, and its value
KIND_KEY, KIND = "plan_kind", "multiyear"
#: stored table kind → the MultiYearPlan attribute it keeps
TABLE_KINDS = {"my_plan": "plan", "my_by_year": "by_year", "my_surplus": "surplus",
               "my_budgets": "budgets"}
#: the settings of a multi-year plan (MultiYearSettings) kept in its summary's parameters
SETTINGS_KEYS = ("years", "budgets_by_year", "base_salary_by_year", "quota_cut", "attrition",
                 "target_year", "payout_per_leaver", "roster")


def is_multiyear(summary: Mapping[str, Any]) -> bool:
    return summary.get(KIND_KEY) == KIND


def tables_of(plan: Any) -> dict[str, pd.DataFrame]:
    """The tables a save keeps of a :class:`planner.optimise.multiyear_result.MultiYearPlan`."""
    out = {}
    for kind, attr in TABLE_KINDS.items():
        table = getattr(plan, attr)
        if table is not None:
            out[kind] = table
    return out


def yearly_cost(plan: Any) -> float | None:
    """The salary fund of the plan's hires in its last year (None without a plan)."""
    if plan.by_year is None or not len(plan.by_year):
        return None
    return float(plan.by_year["salary_cost"].iloc[-1])


def settings_of(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The multi-year settings recorded in a saved plan's summary."""
    params = summary.get("parameters") or {}
    return {k: params[k] for k in SETTINGS_KEYS if k in params}


def multiyear_toml_table(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The ``[multiyear]`` table of a scenario file that ``plan --scenario`` reads and that
    gives the saved plan's settings again (the roster itself is not kept: only whether one was
    used)."""
    s = settings_of(summary)
    years = [int(y) for y in s.get("years") or ()]
    table: dict[str, Any] = {}
    if years:
        table["years"] = f"{years[0]}-{years[-1]}"
    if s.get("target_year") is not None:
        table["target_year"] = int(s["target_year"])
    budgets: dict[str, dict[str, Any]] = {}
    for key, amount in (s.get("budgets_by_year") or {}).items():
        source, _, year = str(key).rpartition("@")
        budgets.setdefault(year, {})[source] = amount
    if budgets:
        table["budgets"] = budgets
    if s.get("base_salary_by_year"):
        table["base_salary"] = {str(y): v for y, v in s["base_salary_by_year"].items()}
    if s.get("quota_cut"):
        table["quota_cut"] = dict(s["quota_cut"])
    for key in ("attrition", "payout_per_leaver"):
        if s.get(key):
            table[key] = dict(s[key])
    return table


def plan_from_stored(stored: StoredScenario) -> MultiYearPlan:
    """The saved multi-year plan again, as the multi-year page shows it (not solved again):
    its tables as saved, its status, stages and timings from the saved summary."""
    if not stored.is_multiyear:
        raise ValueError(f"scenario {stored.name!r} is not a multi-year plan")
    s = stored.summary
    tables = stored.multiyear_tables
    stages = tuple(Stage(goal=str(g["goal"]), status=str(g["status"]), value=g.get("value"),
                         bound=g.get("bound"), seconds=float(g.get("seconds") or 0.0))
                   for g in s.get("stages") or ())
    result = MultiYearResult(status=str(s.get("status")), cumulative=None, stages=stages,
                             seconds=float(s.get("solve_seconds") or 0.0),
                             build_seconds=float(s.get("build_seconds") or 0.0))
    budgets = tables.get("my_budgets")
    if budgets is None:
        budgets = pd.DataFrame(columns=["source", "year", "budget", "used", "least"])
    return MultiYearPlan(str(s.get("status")), tuple(int(y) for y in s.get("years") or ()),
                         tables.get("my_plan"), tables.get("my_by_year"),
                         tables.get("my_surplus"), budgets, result,
                         dict(s.get("parameters") or {}))

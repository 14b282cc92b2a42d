"""The allocation problem in arrays, checked: what :func:`planner.optimise.allocate_hires` solves.

:func:`prepare` validates the gaps table, the units table and the parameters (every message
names the exact culprit and what is expected; :class:`planner.domain.scenario.ScenarioError`) and
turns them into arrays: per plan row the hire bounds, priority, cost and funding source; per
unit the required hires, caps and the figures of the staffing ratio.

Per row r:   lower_r = max(0, min_hires_r),  upper_r = min(vacancies_r, max_hires_r)
Per (unit, staff type) g:  room_g = max(0, Σ quota − Σ staying), the unused quota: Σ_{r∈g} hires
             never exceeds it (the unit ceiling, :func:`planner.domain.gaps.quota_room`).
Per unit u:  hireable_u = Σ_g min(room_g, Σ_{r∈g} vacancies_r), the vacancies it may recruit into;
             required_u = floor(min_fill_u × hireable_u)   (the units table's min_fill wins
             over the global one); in min_cost mode also floor(target_fill × hireable_u).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planner.domain.gaps import quota_group, quota_room
from planner.domain.parameters import (
    ScenarioError,
    check_amount,
    check_choice,
    check_gap,
    check_known,
    check_share,
    check_time_limit,
    check_whole,
)
from planner.domain.scenario import Objective, Solver
from planner.optimise.model import MipData

REQUIRED_GAP_COLUMNS = ("unit_id", "unit_name", "position_id", "funding_source", "quota",
                        "headcount", "expected_departures", "vacancies", "priority",
                        "annual_cost_per_hire")


@dataclass(frozen=True)
class AllocationInstance:
    gaps: pd.DataFrame  # the input rows, index 0..n-1
    objective: Objective
    unit_ids: np.ndarray
    unit_names: np.ndarray
    unit: np.ndarray  # row → unit index
    sources: tuple[str, ...]
    source: np.ndarray  # row → source index
    vacancies: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    pinned: np.ndarray  # row has min_hires == max_hires
    priority: np.ndarray
    cost: np.ndarray  # whole đồng per hire
    budgets: np.ndarray  # per source; inf = no budget
    total_budget: float  # inf = none
    unit_required: np.ndarray  # hires each unit must get (0 = none)
    unit_requirement: np.ndarray  # "min_fill", "target_fill" or "" per unit
    unit_max: np.ndarray  # inf = none
    unit_budget: np.ndarray  # inf = none
    unit_quota: np.ndarray
    unit_staying: np.ndarray  # headcount − expected departures
    unit_vacancies: np.ndarray  # Σ of its positions' vacancies
    ceiling_group: np.ndarray  # row → (unit, staff type) group
    ceiling_unit: np.ndarray  # group → unit index
    ceiling_staff_type: np.ndarray  # group → staff type
    ceiling_room: np.ndarray  # group → unused quota (hires never exceed it)
    unit_redeployable: np.ndarray  # per unit: vacancies its own surplus staff could fill

    @property
    def n_units(self) -> int:
        return len(self.unit_ids)

    def mip_data(self, *, budgets: np.ndarray | None = None,
                 total_budget: float | None = None) -> MipData:
        fair = self.objective is Objective.FAIR
        return MipData(
            lower=self.lower.astype(float), upper=self.upper.astype(float),
            priority=self.priority, cost=self.cost, unit=self.unit, source=self.source,
            n_units=self.n_units, budgets=self.budgets if budgets is None else budgets,
            total_budget=self.total_budget if total_budget is None else total_budget,
            unit_min=np.where(self.unit_required > 0, self.unit_required.astype(float),
                              -np.inf),
            unit_max=self.unit_max, unit_budget=self.unit_budget,
            fair_quota=self.unit_quota.astype(float) if fair else None,
            fair_staying=self.unit_staying.astype(float) if fair else None,
            keep_weighted=self.objective is not Objective.MIN_COST,
            ceiling_group=self.ceiling_group, ceiling=self._binding_ceiling())

    def _binding_ceiling(self) -> np.ndarray:
        """Each group's room where its rows could otherwise exceed it (inf: never binds)."""
        most = np.bincount(self.ceiling_group, weights=self.upper,
                           minlength=len(self.ceiling_room))
        return np.where(self.ceiling_room < most, self.ceiling_room.astype(float), np.inf)


def prepare(gaps: pd.DataFrame, units: pd.DataFrame | None, *,
            budgets: Mapping[str, float] | None, total_budget: float | None,
            min_fill: float | None, objective: Objective | str, target_fill: float,
            solver: Solver | str, time_limit: float | None, gap: float
            ) -> tuple[AllocationInstance, Objective, Solver]:
    """Check everything and build the instance (raises ScenarioError naming the culprit)."""
    objective = check_choice("objective", objective, Objective)
    solver = check_choice("solver", solver, Solver)
    if min_fill is not None:
        check_share("min_fill", min_fill)
    check_share("target_fill", target_fill)
    check_time_limit(time_limit)
    check_gap(gap)
    if solver is Solver.CBC:
        _require_cbc()
    g = _checked_gaps(gaps)
    sources = tuple(sorted(g["funding_source"].unique()))
    budget_arr = np.full(len(sources), np.inf)
    for name, amount in dict(budgets or {}).items():
        check_known(f"budgets.{name}", name, sources)
        budget_arr[sources.index(name)] = check_amount(f"budgets.{name}", amount)
    total = math.inf if total_budget is None else check_amount("total_budget", total_budget)

    unit_index, unit_codes = pd.factorize(g["unit_id"])  # units in order of first appearance
    unit_ids = np.asarray(unit_codes, dtype=object)
    first = pd.Series(range(len(g))).groupby(unit_index).min().to_numpy()
    unit_names = g["unit_name"].to_numpy(dtype=object)[first]
    n_units = len(unit_ids)
    vac = g["vacancies"].to_numpy(dtype=np.int64)
    lower = np.maximum(0, g["min_hires"].fillna(0).to_numpy(dtype=np.int64)) \
        if "min_hires" in g else np.zeros(len(g), dtype=np.int64)
    row_max = g["max_hires"].to_numpy(dtype="float64", na_value=np.inf) \
        if "max_hires" in g else np.full(len(g), np.inf)
    upper = np.minimum(vac, row_max).astype(np.int64)
    pinned = (g["min_hires"].notna() & g["max_hires"].notna()
              & (g["min_hires"] == g["max_hires"])).to_numpy(dtype=bool) \
        if {"min_hires", "max_hires"} <= set(g.columns) else np.zeros(len(g), dtype=bool)

    def sums(col: str) -> np.ndarray:
        return np.bincount(unit_index, weights=g[col].to_numpy(dtype=float), minlength=n_units)

    unit_vac = sums("vacancies")
    room = quota_room(g)
    group = quota_group(g)
    group_unit = unit_index[np.unique(group, return_index=True)[1]]
    group_vac = np.bincount(group, weights=vac, minlength=len(room))
    group_hireable = np.minimum(room["hireable"].to_numpy(dtype=float), group_vac)
    hireable = np.bincount(group_unit, weights=group_hireable, minlength=n_units)
    u_fill, u_max, u_budget = _unit_settings(units, unit_ids)
    fill = np.where(np.isnan(u_fill), np.nan if min_fill is None else float(min_fill), u_fill)
    required = np.floor(np.nan_to_num(fill) * hireable + 1e-9)
    kind = np.where(required > 0, "min_fill", "")
    if objective is Objective.MIN_COST:
        target = np.floor(target_fill * hireable + 1e-9)
        kind = np.where(target > required, "target_fill", kind)
        required = np.maximum(required, target)
    source_index = np.searchsorted(np.array(sources, dtype=object), g["funding_source"]
                                   .to_numpy(dtype=object))
    inst = AllocationInstance(
        gaps=g, objective=objective, unit_ids=unit_ids, unit_names=unit_names,
        unit=unit_index.astype(np.int64), sources=sources, source=source_index.astype(np.int64),
        vacancies=vac, lower=lower, upper=upper, pinned=pinned,
        priority=g["priority"].to_numpy(dtype=float),
        cost=np.round(g["annual_cost_per_hire"].to_numpy(dtype=float)),
        budgets=budget_arr, total_budget=total, unit_required=required.astype(np.int64),
        unit_requirement=kind, unit_max=u_max, unit_budget=u_budget,
        unit_quota=sums("quota"), unit_staying=sums("headcount") - sums("expected_departures"),
        unit_vacancies=unit_vac, ceiling_group=group, ceiling_unit=group_unit.astype(np.int64),
        ceiling_staff_type=room["staff_type"].to_numpy(dtype=object),
        ceiling_room=room["hireable"].to_numpy(dtype=np.int64),
        unit_redeployable=np.bincount(group_unit, weights=room["redeployable"].to_numpy(float),
                                      minlength=n_units).astype(np.int64))
    return inst, objective, solver


def _checked_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(gaps, pd.DataFrame):
        raise ScenarioError("gaps_not_table", got=type(gaps).__name__)
    missing = [c for c in REQUIRED_GAP_COLUMNS if c not in gaps.columns]
    if missing:
        raise ScenarioError("gaps_columns", names=", ".join(missing))
    if gaps.empty:
        raise ScenarioError("gaps_empty")
    g = gaps.reset_index(drop=True)
    for col in ("unit_id", "funding_source"):
        blank = g[col].isna() | (g[col].astype(str).str.strip() == "")
        if blank.any():
            i = int(np.flatnonzero(blank.to_numpy())[0])
            raise ScenarioError("gaps_blank", column=col, row=i + 1,
                                position=g.at[i, "position_id"])
    for col, low in (("vacancies", 0), ("priority", 0), ("annual_cost_per_hire", 0)):
        values = pd.to_numeric(g[col], errors="coerce")
        bad = values.isna() | ~np.isfinite(values.astype(float)) | (values < low)
        if col == "vacancies":
            bad |= values.fillna(0) % 1 != 0
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScenarioError(f"gaps_bad_{col}", row=i + 1, unit=g.at[i, "unit_id"],
                                position=g.at[i, "position_id"], value=g.at[i, col],
                                more=int(bad.sum()) - 1)
    return g


def _unit_settings(units: pd.DataFrame | None, unit_ids: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(unit_ids)
    fill, cap, budget = np.full(n, np.nan), np.full(n, np.inf), np.full(n, np.inf)
    if units is None or len(units) == 0:
        return fill, cap, budget
    if "unit_id" not in units.columns:
        raise ScenarioError("units_no_id")
    dup = units["unit_id"].duplicated()
    if dup.any():
        raise ScenarioError("units_duplicate", unit=repr(units.loc[dup, "unit_id"].iloc[0]))
    pos = {u: i for i, u in enumerate(unit_ids)}
    for rec in units.to_dict("records"):
        i = pos.get(rec["unit_id"])
        if i is None:
            continue  # a unit without positions in the plan (the loader warns about it)
        where = ("unit", rec["unit_id"])
        value = _optional(rec.get("min_fill"))
        if value is not None:
            fill[i] = check_share("min_fill", value, where=where)
        value = _optional(rec.get("max_hires"))
        if value is not None:
            cap[i] = check_whole("max_hires", value, where=where)
        value = _optional(rec.get("budget_cap"))
        if value is not None:
            budget[i] = check_amount("budget_cap", value, where=where)
    return fill, cap, budget


def _optional(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ScenarioError("not_number", value=value) from None
    return None if math.isnan(v) else v


def _require_cbc() -> None:
    from planner.optimise.model import cbc_available

    if not cbc_available():
        raise ScenarioError("cbc_missing")

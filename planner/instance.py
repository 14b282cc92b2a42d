"""The allocation problem in arrays, checked: what :func:`planner.optimise.allocate_hires` solves.

:func:`prepare` validates the gaps table, the units table and the parameters (every message
names the exact culprit and what is expected; :class:`planner.scenario.ScenarioError`) and
turns them into arrays: per plan row the hire bounds, priority, cost and funding source; per
unit the required hires, caps and the figures of the staffing ratio.

Per row r:   lower_r = max(0, min_hires_r),  upper_r = min(vacancies_r, max_hires_r)
Per (unit, staff type) g:  room_g = max(0, Σ quota − Σ staying), the unused quota: Σ_{r∈g} hires
             never exceeds it (the unit ceiling, :func:`planner.gaps.quota_room`).
Per unit u:  hireable_u = Σ_g min(room_g, Σ_{r∈g} vacancies_r), the vacancies it may recruit into;
             required_u = floor(min_fill_u × hireable_u)   (the units table's min_fill wins
             over the global one); in min_cost mode also floor(target_fill × hireable_u).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.gaps import quota_group, quota_room
from planner.model import MipData
from planner.optimise.result import TOTAL_BUDGET_CODE
from planner.scenario import Objective, ScenarioError, Solver

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
    unit_hireable: np.ndarray  # per unit: Σ over its groups of min(room, vacancies)
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
    objective = _enum(Objective, objective, "objective")
    solver = _enum(Solver, str(solver).lower(), "solver")
    _share("min_fill", min_fill, optional=True)
    _share("target_fill", target_fill)
    if time_limit is not None and not (_number(time_limit) and time_limit > 0):
        raise ScenarioError(f"time_limit must be a number of seconds above 0, got {time_limit!r}")
    if not (_number(gap) and 0 <= gap < 1):
        raise ScenarioError(f"gap must be at least 0 and below 1 (e.g. 0.0001), got {gap!r}")
    if solver is Solver.CBC:
        _require_cbc()
    g = _checked_gaps(gaps)
    sources = tuple(sorted(g["funding_source"].unique()))
    if TOTAL_BUDGET_CODE in sources:
        raise ScenarioError(f"funding source {TOTAL_BUDGET_CODE!r} is the name of the total "
                            "budget; name the funding source otherwise in the data")
    budget_arr = np.full(len(sources), np.inf)
    for name, amount in dict(budgets or {}).items():
        if name not in sources:
            raise ScenarioError(f"budget for funding source {name!r}, which no row uses; "
                                f"funding sources in the data: {', '.join(sources)}")
        budget_arr[sources.index(name)] = _money(f"budget for {name}", amount)
    total = math.inf if total_budget is None else _money("total_budget", total_budget)

    unit_index, unit_ids = pd.factorize(g["unit_id"])  # units in order of first appearance
    unit_ids = np.asarray(unit_ids, dtype=object)
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

    sums = lambda col: np.bincount(unit_index, weights=g[col].to_numpy(dtype=float),  # noqa: E731
                                   minlength=n_units)
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
        unit_hireable=hireable.astype(np.int64),
        unit_redeployable=np.bincount(group_unit, weights=room["redeployable"].to_numpy(float),
                                      minlength=n_units).astype(np.int64))
    return inst, objective, solver


def _checked_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(gaps, pd.DataFrame):
        raise ScenarioError(f"gaps must be a table (pandas DataFrame), got {type(gaps).__name__}")
    missing = [c for c in REQUIRED_GAP_COLUMNS if c not in gaps.columns]
    if missing:
        raise ScenarioError(f"the gaps table lacks the column(s) {', '.join(missing)}; it should "
                            "be the output of planner.gaps.staffing_gaps")
    if gaps.empty:
        raise ScenarioError("the gaps table has no rows: there is nothing to plan")
    g = gaps.reset_index(drop=True)
    for col in ("unit_id", "funding_source"):
        blank = g[col].isna() | (g[col].astype(str).str.strip() == "")
        if blank.any():
            i = int(np.flatnonzero(blank.to_numpy())[0])
            raise ScenarioError(f"{col} is blank in row {i + 1} of the gaps table "
                                f"(position {g.at[i, 'position_id']}); every row needs one")
    for col, low, what in (("vacancies", 0, "a whole number of at least 0"),
                           ("priority", 0, "a number of at least 0"),
                           ("annual_cost_per_hire", 0, "an amount of at least 0 đồng")):
        values = pd.to_numeric(g[col], errors="coerce")
        bad = values.isna() | ~np.isfinite(values.astype(float)) | (values < low)
        if col == "vacancies":
            bad |= values.fillna(0) % 1 != 0
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ScenarioError(f"{col} must be {what}; row {i + 1} (unit {g.at[i, 'unit_id']}, "
                                f"position {g.at[i, 'position_id']}) has {g.at[i, col]!r}"
                                + (f" and {int(bad.sum()) - 1} more rows" if bad.sum() > 1
                                   else ""))
    return g


def _unit_settings(units: pd.DataFrame | None, unit_ids: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(unit_ids)
    fill, cap, budget = np.full(n, np.nan), np.full(n, np.inf), np.full(n, np.inf)
    if units is None or len(units) == 0:
        return fill, cap, budget
    if "unit_id" not in units.columns:
        raise ScenarioError("the units table needs a unit_id column")
    dup = units["unit_id"].duplicated()
    if dup.any():
        raise ScenarioError(f"the units table lists unit {units.loc[dup, 'unit_id'].iloc[0]!r} "
                            "more than once")
    pos = {u: i for i, u in enumerate(unit_ids)}
    for rec in units.to_dict("records"):
        i = pos.get(rec["unit_id"])
        if i is None:
            continue  # a unit without positions in the plan (the loader warns about it)
        name = rec["unit_id"]
        value = _optional(rec.get("min_fill"))
        if value is not None:
            _share(f"min_fill of unit {name}", value)
            fill[i] = value
        value = _optional(rec.get("max_hires"))
        if value is not None:
            if value < 0 or value % 1:
                raise ScenarioError(f"max_hires of unit {name} must be a whole number of at "
                                    f"least 0, got {value!r}")
            cap[i] = value
        value = _optional(rec.get("budget_cap"))
        if value is not None:
            budget[i] = _money(f"budget_cap of unit {name}", value)
    return fill, cap, budget


def _optional(value: object) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ScenarioError(f"expected a number, got {value!r}") from None
    return None if math.isnan(v) else v


def _number(v: object) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool) \
        and math.isfinite(float(v))


def _money(name: str, v: object) -> float:
    if not (_number(v) and float(v) >= 0):
        raise ScenarioError(f"{name} must be an amount of at least 0 đồng, got {v!r}")
    return float(v)


def _share(name: str, v: object, *, optional: bool = False) -> None:
    if v is None and optional:
        return
    if not (_number(v) and 0 <= float(v) <= 1):
        raise ScenarioError(f"{name} must be between 0 and 1 (e.g. 0.5 for 50%), got {v!r}")


def _enum(kind, value, name):
    try:
        return kind(value)
    except ValueError:
        raise ScenarioError(f"{name} must be one of {', '.join(kind)}, got {value!r}") from None


def _require_cbc() -> None:
    from planner.model import cbc_available

    if not cbc_available():
        raise ScenarioError("solver cbc is not installed here (pip package cbcbox); "
                            "use solver highs")

"""A scenario: every parameter of a plan, readable from and writable to a TOML file.

The TOML uses the CLI's names. Top level: ``base_salary``, ``bonus_rate``, ``min_fill``,
``objective``, ``target_fill``, ``total_budget``, ``time_limit``, ``gap``, ``solver``; tables
``[budgets]`` (funding source = VND) and ``[contribution_rates]`` (staff type = rate); arrays
``[[rows]]`` (unit_id, position_id, and any of priority, min_hires, max_hires) and ``[[units]]``
(unit_id, and any of max_hires, budget_cap, min_fill) for per-row and per-unit settings.
Solving with a scenario file gives exactly the result of the same CLI flags.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import pandas as pd
import tomli_w

from planner.rules import BASE_SALARY_VND, BONUS_RATE, CONTRIBUTION_RATES, CostRules


class Objective(StrEnum):
    PRIORITY = "priority"  # most weighted hires, then the cheapest such plan
    FAIR = "fair"  # raise the lowest unit fill rate first, then priority
    MIN_COST = "min_cost"  # cheapest plan reaching target_fill in every unit


class Solver(StrEnum):
    HIGHS = "highs"
    CBC = "cbc"


class ScenarioError(ValueError):
    """A scenario parameter is invalid; the message names it and what is expected."""


@dataclass(frozen=True, kw_only=True)
class RowSetting:
    """Per (unit, position) settings that override the input table's values."""

    unit_id: str
    position_id: str
    priority: float | None = None
    min_hires: int | None = None
    max_hires: int | None = None


@dataclass(frozen=True, kw_only=True)
class UnitSetting:
    """Per-unit settings that override the units table."""

    unit_id: str
    max_hires: int | None = None
    budget_cap: float | None = None
    min_fill: float | None = None


@dataclass(frozen=True, kw_only=True)
class Scenario:
    base_salary: float = BASE_SALARY_VND
    bonus_rate: float = BONUS_RATE
    contribution_rates: Mapping[str, float] = field(
        default_factory=lambda: dict(CONTRIBUTION_RATES))
    budgets: Mapping[str, float] = field(default_factory=dict)
    total_budget: float | None = None
    min_fill: float | None = None
    objective: Objective = Objective.PRIORITY
    target_fill: float = 1.0
    time_limit: float | None = None
    gap: float = 1e-4
    solver: Solver = Solver.HIGHS
    rows: tuple[RowSetting, ...] = ()
    units: tuple[UnitSetting, ...] = ()

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "objective", Objective(self.objective))
        except ValueError:
            raise ScenarioError(f"objective must be one of {', '.join(Objective)}, "
                                f"got {self.objective!r}") from None
        try:
            object.__setattr__(self, "solver", Solver(str(self.solver).lower()))
        except ValueError:
            raise ScenarioError(f"solver must be one of {', '.join(Solver)}, "
                                f"got {self.solver!r}") from None
        _positive("base_salary", self.base_salary)
        _share("bonus_rate", self.bonus_rate)
        budgets = {}
        for source, amount in dict(self.budgets).items():
            _non_negative(f"budgets.{source}", amount)
            budgets[str(source)] = float(amount)
        object.__setattr__(self, "budgets", MappingProxyType(budgets))
        if self.total_budget is not None:
            _non_negative("total_budget", self.total_budget)
        if self.min_fill is not None:
            _share("min_fill", self.min_fill)
        _share("target_fill", self.target_fill)
        if self.time_limit is not None:
            _positive("time_limit", self.time_limit)
        if not 0 <= self.gap < 1:
            raise ScenarioError(f"gap must be at least 0 and below 1, got {self.gap!r}")
        try:
            rules = self.rules
        except ValueError as exc:
            raise ScenarioError(str(exc)) from None
        object.__setattr__(self, "contribution_rates", rules.contribution_rates)
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "units", tuple(self.units))

    @property
    def rules(self) -> CostRules:
        return CostRules(base_salary=self.base_salary, bonus_rate=self.bonus_rate,
                         contribution_rates=self.contribution_rates)

    def with_changes(self, **changes: Any) -> Scenario:
        """A copy with some parameters changed (validated like a new scenario)."""
        return replace(self, **changes)

    # --- applying per-row and per-unit settings -------------------------------------------

    def apply_rows(self, gaps: pd.DataFrame) -> pd.DataFrame:
        """``gaps`` with this scenario's priorities and pins applied (a new table)."""
        if not self.rows:
            return gaps
        out = gaps.copy()
        key = out["unit_id"] + "\x1f" + out["position_id"]
        pos = {k: i for i, k in zip(out.index, key, strict=True)}
        for s in self.rows:
            i = pos.get(f"{s.unit_id}\x1f{s.position_id}")
            if i is None:
                raise ScenarioError(f"rows: no position {s.position_id!r} in unit {s.unit_id!r} "
                                    "in the input tables")
            for col in ("priority", "min_hires", "max_hires"):
                value = getattr(s, col)
                if value is not None:
                    out.loc[i, col] = value
        return out

    def apply_units(self, units: pd.DataFrame | None, unit_ids: pd.Series) -> pd.DataFrame | None:
        """The units table with this scenario's per-unit settings applied (a new table)."""
        if not self.units:
            return units
        known = set(unit_ids)
        base = units.copy() if units is not None else pd.DataFrame(
            columns=["unit_id", "unit_name", "max_hires", "budget_cap", "min_fill"])
        base = base.set_index("unit_id", drop=False)
        for s in self.units:
            if s.unit_id not in known:
                raise ScenarioError(f"units: no unit {s.unit_id!r} in the input tables")
            if s.unit_id not in base.index:
                base.loc[s.unit_id, ["unit_id", "unit_name"]] = [s.unit_id, s.unit_id]
            for col in ("max_hires", "budget_cap", "min_fill"):
                value = getattr(s, col)
                if value is not None:
                    base.loc[s.unit_id, col] = value
        base["max_hires"] = pd.to_numeric(base["max_hires"]).astype("Int64")
        base["budget_cap"] = pd.to_numeric(base["budget_cap"]).astype("float64")
        base["min_fill"] = pd.to_numeric(base["min_fill"]).astype("float64")
        return base.reset_index(drop=True)

    # --- TOML ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain data with the CLI's names (None values left out), ready for TOML or JSON."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name in ("rows", "units"):
                items = [{k: v for k, v in vars(s).items() if v is not None} for s in value]
                if items:
                    out[f.name] = items
            elif isinstance(value, Mapping):
                out[f.name] = dict(value)
            elif isinstance(value, StrEnum):
                out[f.name] = value.value
            else:
                out[f.name] = value
        return out

    def to_toml(self) -> str:
        header = "# Recruitment plan scenario (planner). VND; rates as shares (0.25 = 25%).\n"
        return header + tomli_w.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ScenarioError(f"unknown scenario parameter(s): {', '.join(unknown)}; "
                                f"known: {', '.join(sorted(known))}")
        kwargs = dict(data)
        try:
            kwargs["rows"] = tuple(RowSetting(**r) for r in data.get("rows", ()))
            kwargs["units"] = tuple(UnitSetting(**u) for u in data.get("units", ()))
        except TypeError as exc:
            raise ScenarioError(f"rows/units entry: {exc}") from None
        for name in ("base_salary", "bonus_rate", "total_budget", "min_fill", "target_fill",
                     "time_limit", "gap"):
            if name in kwargs and not _is_number(kwargs[name]):
                raise ScenarioError(f"{name} must be a number, got {kwargs[name]!r}")
        for table in ("budgets", "contribution_rates"):
            if table in kwargs:
                if not isinstance(kwargs[table], Mapping):
                    raise ScenarioError(f"{table} must be a table of name = number")
                for k, v in kwargs[table].items():
                    if not _is_number(v):
                        raise ScenarioError(f"{table}.{k} must be a number, got {v!r}")
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, text: str) -> Scenario:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"not a valid TOML file: {exc}") from None
        return cls.from_dict(data)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _positive(name: str, v: Any) -> None:
    if not (_is_number(v) and v > 0):
        raise ScenarioError(f"{name} must be a number above 0, got {v!r}")


def _non_negative(name: str, v: Any) -> None:
    if not (_is_number(v) and v >= 0):
        raise ScenarioError(f"{name} must be a number of at least 0, got {v!r}")


def _share(name: str, v: Any) -> None:
    if not (_is_number(v) and 0 <= v <= 1):
        raise ScenarioError(f"{name} must be between 0 and 1 (e.g. 0.5 for 50%), got {v!r}")

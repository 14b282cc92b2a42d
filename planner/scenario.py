"""A scenario: every parameter of a plan, readable from and writable to a TOML file.

The TOML uses the CLI's names. Top level: ``base_salary``, ``bonus_rate``, ``min_fill``,
``objective``, ``target_fill``, ``total_budget``, ``time_limit``, ``gap``, ``solver``; tables
``[budgets]`` (funding source = VND), ``[contribution_rates]`` (staff type = rate) and
``[default_coefficient]`` (staff type = the salary coefficient of rows without one; a single
number sets every staff type; 2.34 unless set); arrays
``[[rows]]`` (unit_id, position_id, and any of priority, min_hires, max_hires) and ``[[units]]``
(unit_id, and any of max_hires, budget_cap, min_fill) for per-row and per-unit settings.
Solving with a scenario file gives exactly the result of the same CLI flags.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import pandas as pd
import tomli_w

from planner.rules import (
    BASE_SALARY_VND,
    BONUS_RATE,
    CONTRIBUTION_RATES,
    DEFAULT_SALARY_COEFFICIENTS,
    CostRules,
    StaffType,
)
from planner.schemas import MAX_AMOUNT, MAX_COUNT, MAX_WEIGHT


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
    """Per (unit, position) settings that override the input table's values.

    Checked like the same columns of the input tables: priority a number above 0 (at most
    MAX_WEIGHT), hires whole numbers of at least 0 (at most MAX_COUNT), minimum not above
    maximum; a whole number written as 2.0 is kept as 2.
    """

    unit_id: str
    position_id: str
    priority: float | None = None
    min_hires: int | None = None
    max_hires: int | None = None

    def __post_init__(self) -> None:
        where = f"rows entry (unit_id {self.unit_id!r}, position_id {self.position_id!r})"
        _key(where, "unit_id", self.unit_id)
        _key(where, "position_id", self.position_id)
        if self.priority is not None:
            if not (_is_number(self.priority) and 0 < self.priority <= MAX_WEIGHT):
                raise ScenarioError(f"{where}: priority must be a number above 0 and at most "
                                    f"{MAX_WEIGHT:,}, got {self.priority!r}")
            object.__setattr__(self, "priority", float(self.priority))
        for name in ("min_hires", "max_hires"):
            object.__setattr__(self, name, _whole(where, name, getattr(self, name)))
        if (self.min_hires is not None and self.max_hires is not None
                and self.min_hires > self.max_hires):
            raise ScenarioError(f"{where}: min_hires ({self.min_hires}) is above max_hires "
                                f"({self.max_hires})")


@dataclass(frozen=True, kw_only=True)
class UnitSetting:
    """Per-unit settings that override the units table (checked like its columns)."""

    unit_id: str
    max_hires: int | None = None
    budget_cap: float | None = None
    min_fill: float | None = None

    def __post_init__(self) -> None:
        where = f"units entry (unit_id {self.unit_id!r})"
        _key(where, "unit_id", self.unit_id)
        object.__setattr__(self, "max_hires", _whole(where, "max_hires", self.max_hires))
        if self.budget_cap is not None:
            if not (_is_number(self.budget_cap) and 0 <= self.budget_cap <= MAX_AMOUNT):
                raise ScenarioError(f"{where}: budget_cap must be an amount of at least 0 đồng "
                                    f"(at most {MAX_AMOUNT:,}), got {self.budget_cap!r}")
            object.__setattr__(self, "budget_cap", float(self.budget_cap))
        if self.min_fill is not None:
            _share(f"{where}: min_fill", self.min_fill)
            object.__setattr__(self, "min_fill", float(self.min_fill))


@dataclass(frozen=True, kw_only=True)
class Scenario:
    base_salary: float = BASE_SALARY_VND
    bonus_rate: float = BONUS_RATE
    contribution_rates: Mapping[str, float] = field(
        default_factory=lambda: dict(CONTRIBUTION_RATES))
    #: staff type → coefficient of rows without one (a number sets every staff type)
    default_coefficient: Mapping[str, float] | float = field(
        default_factory=lambda: dict(DEFAULT_SALARY_COEFFICIENTS))
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
        if _is_number(self.default_coefficient):  # one figure for every staff type
            object.__setattr__(self, "default_coefficient",
                               {st.value: self.default_coefficient for st in StaffType})
        elif not isinstance(self.default_coefficient, Mapping):
            raise ScenarioError("default_coefficient must be a number (every staff type) or a "
                                "table of staff type = number, got "
                                f"{self.default_coefficient!r:.80}")
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
        object.__setattr__(self, "default_coefficient", rules.default_coefficients)
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "units", tuple(self.units))

    @property
    def rules(self) -> CostRules:
        return CostRules(base_salary=self.base_salary, bonus_rate=self.bonus_rate,
                         contribution_rates=self.contribution_rates,
                         default_coefficients=self.default_coefficient)

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
        kwargs["rows"] = _settings("rows", RowSetting, data.get("rows", ()))
        kwargs["units"] = _settings("units", UnitSetting, data.get("units", ()))
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
        coefficient = kwargs.get("default_coefficient")
        if isinstance(coefficient, Mapping):
            for k, v in coefficient.items():
                if not _is_number(v):
                    raise ScenarioError(f"default_coefficient.{k} must be a number, got {v!r}")
        elif coefficient is not None and not _is_number(coefficient):
            raise ScenarioError("default_coefficient must be a number (every staff type) or a "
                                f"table of staff type = number, got {coefficient!r:.80}")
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, text: str) -> Scenario:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"not a valid TOML file: {exc}") from None
        except RecursionError:  # tables or arrays nested thousands deep
            raise ScenarioError("not a valid scenario file: its tables or arrays are nested "
                                "too deeply") from None
        return cls.from_dict(data)


def _settings(kind: str, cls: type, entries: Any) -> tuple:
    """The ``[[rows]]`` or ``[[units]]`` entries as settings, each one checked."""
    if not isinstance(entries, list | tuple):
        raise ScenarioError(f"{kind} must be an array of tables ([[{kind}]]), got "
                            f"{type(entries).__name__}")
    known = [f.name for f in fields(cls)]
    required = [f.name for f in fields(cls) if f.default is MISSING]
    out = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            raise ScenarioError(f"{kind} entry {n} must be a table of name = value, got "
                                f"{entry!r:.80}")
        unknown = sorted(set(entry) - set(known))
        missing = [k for k in required if k not in entry]
        if unknown or missing:
            raise ScenarioError(f"{kind} entry {n}: "
                                + (f"unknown key(s) {', '.join(map(repr, unknown))}; "
                                   if unknown else "")
                                + (f"missing {', '.join(missing)}; " if missing else "")
                                + f"known keys: {', '.join(known)}")
        out.append(cls(**entry))
    return tuple(out)


def _key(where: str, name: str, v: Any) -> None:
    if not (isinstance(v, str) and v.strip()):
        raise ScenarioError(f"{where}: {name} must be a code written as text, got {v!r:.80}")


def _whole(where: str, name: str, v: Any) -> int | None:
    """A whole number of hires from 0 to MAX_COUNT (2.0 is 2; 1.5, -3, inf and "x" refused)."""
    if v is None:
        return None
    if not (_is_number(v) and v == int(v) and 0 <= v <= MAX_COUNT):
        raise ScenarioError(f"{where}: {name} must be a whole number of at least 0 "
                            f"(at most {MAX_COUNT:,}), got {v!r:.80}")
    return int(v)


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

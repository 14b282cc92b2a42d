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

import tomllib
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import pandas as pd
import tomli_w

from planner.domain.parameters import (
    ScenarioError,
    check_amount,
    check_choice,
    check_code,
    check_gap,
    check_non_negative,
    check_positive,
    check_priority,
    check_share,
    check_time_limit,
    check_whole,
    is_number,
)
from planner.domain.rules import (
    BASE_SALARY_VND,
    BONUS_RATE,
    CONTRIBUTION_RATES,
    DEFAULT_SALARY_COEFFICIENTS,
    CostRules,
    StaffType,
)

#: ScenarioError is defined with the checks (planner.domain.parameters) and offered here too,
#: beside the Scenario whose construction raises it
__all__ = ["Objective", "RowSetting", "Scenario", "ScenarioError", "Solver", "UnitSetting"]


class Objective(StrEnum):
    PRIORITY = "priority"  # most weighted hires, then the cheapest such plan
    FAIR = "fair"  # raise the lowest unit fill rate first, then priority
    MIN_COST = "min_cost"  # cheapest plan reaching target_fill in every unit


class Solver(StrEnum):
    HIGHS = "highs"
    CBC = "cbc"


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
        where = ("row", self.unit_id, self.position_id)
        check_code("unit_id", self.unit_id, where=where)
        check_code("position_id", self.position_id, where=where)
        if self.priority is not None:
            object.__setattr__(self, "priority", check_priority(self.priority, where=where))
        for name in ("min_hires", "max_hires"):
            object.__setattr__(self, name, check_whole(name, getattr(self, name), where=where))
        if (self.min_hires is not None and self.max_hires is not None
                and self.min_hires > self.max_hires):
            raise ScenarioError("min_above_max", low=self.min_hires, high=self.max_hires,
                                where=where)


@dataclass(frozen=True, kw_only=True)
class UnitSetting:
    """Per-unit settings that override the units table (checked like its columns)."""

    unit_id: str
    max_hires: int | None = None
    budget_cap: float | None = None
    min_fill: float | None = None

    def __post_init__(self) -> None:
        where = ("unit", self.unit_id)
        check_code("unit_id", self.unit_id, where=where)
        object.__setattr__(self, "max_hires", check_whole("max_hires", self.max_hires,
                                                          where=where))
        if self.budget_cap is not None:
            object.__setattr__(self, "budget_cap", check_amount("budget_cap", self.budget_cap,
                                                                where=where))
        if self.min_fill is not None:
            object.__setattr__(self, "min_fill", check_share("min_fill", self.min_fill,
                                                             where=where))


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

    @property
    def coefficients(self) -> Mapping[str, float]:
        """The default salary coefficient per staff type (``default_coefficient`` as a table:
        a single figure given is spread over every staff type when the scenario is made)."""
        table = self.default_coefficient
        if not isinstance(table, Mapping):
            raise TypeError("default_coefficient is made a table by __post_init__")
        return table

    def __post_init__(self) -> None:
        object.__setattr__(self, "objective", check_choice("objective", self.objective,
                                                           Objective))
        object.__setattr__(self, "solver", check_choice("solver", self.solver, Solver))
        check_positive("base_salary", self.base_salary)
        if is_number(self.default_coefficient):  # one figure for every staff type
            object.__setattr__(self, "default_coefficient",
                               {st.value: self.default_coefficient for st in StaffType})
        elif not isinstance(self.default_coefficient, Mapping):
            raise ScenarioError("coefficient_table", parameter="default_coefficient",
                                value=self.default_coefficient)
        check_share("bonus_rate", self.bonus_rate)
        budgets = {str(source): check_non_negative(f"budgets.{source}", amount)
                   for source, amount in dict(self.budgets).items()}
        object.__setattr__(self, "budgets", MappingProxyType(budgets))
        if self.total_budget is not None:
            check_non_negative("total_budget", self.total_budget)
        if self.min_fill is not None:
            check_share("min_fill", self.min_fill)
        check_share("target_fill", self.target_fill)
        check_time_limit(self.time_limit)
        check_gap(self.gap)
        rules = self.rules
        object.__setattr__(self, "contribution_rates", rules.contribution_rates)
        object.__setattr__(self, "default_coefficient", rules.default_coefficients)
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "units", tuple(self.units))

    @property
    def rules(self) -> CostRules:
        given = self.default_coefficient  # a table once __post_init__ has run
        coefficients = given if isinstance(given, Mapping) \
            else {st.value: float(given) for st in StaffType}
        return CostRules(base_salary=self.base_salary, bonus_rate=self.bonus_rate,
                         contribution_rates=self.contribution_rates,
                         default_coefficients=coefficients)

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
                raise ScenarioError("unknown_row", unit=repr(s.unit_id),
                                    position=repr(s.position_id))
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
                raise ScenarioError("unknown_unit", unit=repr(s.unit_id))
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
            raise ScenarioError("unknown_parameter", names=", ".join(unknown),
                                known=", ".join(sorted(known)))
        kwargs = dict(data)
        kwargs["rows"] = _settings("rows", RowSetting, data.get("rows", ()))
        kwargs["units"] = _settings("units", UnitSetting, data.get("units", ()))
        for name in ("base_salary", "bonus_rate", "total_budget", "min_fill", "target_fill",
                     "time_limit", "gap"):
            if name in kwargs and not is_number(kwargs[name]):
                raise ScenarioError("number", parameter=name, value=kwargs[name])
        for table in ("budgets", "contribution_rates"):
            if table in kwargs:
                if not isinstance(kwargs[table], Mapping):
                    raise ScenarioError("not_table", parameter=table)
                for k, v in kwargs[table].items():
                    if not is_number(v):
                        raise ScenarioError("number", parameter=f"{table}.{k}", value=v)
        coefficient = kwargs.get("default_coefficient")
        if isinstance(coefficient, Mapping):
            for k, v in coefficient.items():
                if not is_number(v):
                    raise ScenarioError("number", parameter=f"default_coefficient.{k}", value=v)
        return cls(**kwargs)

    @classmethod
    def from_toml(cls, text: str) -> Scenario:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError("bad_toml", detail=str(exc)) from None
        except RecursionError:  # tables or arrays nested thousands deep
            raise ScenarioError("nested_too_deep") from None
        return cls.from_dict(data)


def _settings(kind: str, cls: type, entries: Any) -> tuple[Any, ...]:
    """The ``[[rows]]`` or ``[[units]]`` entries as settings, each one checked."""
    if not isinstance(entries, list | tuple):
        raise ScenarioError("not_array", kind=kind, got=type(entries).__name__)
    known = [f.name for f in fields(cls)]
    required = [f.name for f in fields(cls) if f.default is MISSING]
    out = []
    for n, entry in enumerate(entries, start=1):
        where = ("entry", kind, n)
        if not isinstance(entry, Mapping):
            raise ScenarioError("entry_not_table", value=entry, where=where)
        unknown = sorted(set(entry) - set(known))
        missing = [k for k in required if k not in entry]
        if unknown:
            raise ScenarioError("entry_unknown_keys", names=", ".join(map(repr, unknown)),
                                known=", ".join(known), where=where)
        if missing:
            raise ScenarioError("entry_missing_keys", names=", ".join(missing),
                                known=", ".join(known), where=where)
        out.append(cls(**entry))
    return tuple(out)

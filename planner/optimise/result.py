"""What the optimiser returns, free of PuLP: every front (CLI, app, exports, the store) is typed
against these and never against the model.

- :class:`SolveStatus`: whether there is a plan.
- :class:`Allocation`: the plan (rows and units), its figures and the parameters it was solved
  for. The total budget is kept apart from the funding sources' budgets (``total_budget`` and
  ``total_budget_used_share`` beside ``budgets`` and ``budget_used_share``), in the JSON
  summary too (its own keys ``total_budget`` and ``total_budget_used_share``), so a funding
  source may be called "total" or "Tổng".
- :class:`Infeasibility`: why no plan meets the requirements, with typed details.
- :class:`Bound`: what limits a unit's or row's hires (the ``bound`` column's codes, parsed).
- :class:`BudgetKey`: a funding source's budget or the total budget, never confused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

#: the key under which summaries written before 1 Dec 2026 kept the total budget inside
#: ``budgets`` (read back only when the summary has no ``total_budget`` key of its own)
LEGACY_TOTAL_CODE = "total"


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # optimal within the relative gap asked for
    FEASIBLE_TIME_LIMIT = "feasible_time_limit"  # the best plan found when time ran out
    INFEASIBLE = "infeasible"  # no plan meets the requirements: see .infeasibility
    NO_SOLUTION_TIME_LIMIT = "no_solution_time_limit"  # time ran out before any plan

    @property
    def has_plan(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE_TIME_LIMIT)


@dataclass(frozen=True, slots=True)
class BudgetKey:
    """One budget: a funding source's (``source`` its key) or the total (``source`` None)."""

    source: str | None = None

    @classmethod
    def total(cls) -> BudgetKey:
        return cls(None)

    @property
    def is_total(self) -> bool:
        return self.source is None

    @classmethod
    def of_row(cls, source: object, is_total: object = None) -> BudgetKey | None:
        """The budget a table row names (None: no budget). Tables flag the total in a column
        of its own (``is_total``), never in the source's column; a stored table from before
        that column (``is_total`` missing) named the total "total", when no source could be
        called so."""
        if isinstance(is_total, bool | np.bool_):
            if is_total:
                return cls(None)
        elif source == LEGACY_TOTAL_CODE:
            return cls(None)
        if source is None or (isinstance(source, float) and math.isnan(source)) \
                or source == "":
            return None
        return cls(str(source))


TOTAL_BUDGET = BudgetKey.total()


def valued_budget(record: Mapping[Any, Any]) -> BudgetKey:
    """The budget a row of ``Allocation.budget_values`` is about (every row names one)."""
    key = BudgetKey.of_row(record.get("funding_source"), record.get("is_total"))
    if key is None:
        raise ValueError(f"a budget-values row names no budget: {dict(record)!r}")
    return key


class BoundKind(StrEnum):
    """What stops more hires in a unit or a row (docs/optimiser.md, "What bounds each unit")."""

    NO_VACANCIES = "no_vacancies"
    VACANCIES = "vacancies"
    PIN = "pin"
    ROW_CAP = "row_cap"
    QUOTA_CEILING = "quota_ceiling"
    UNIT_CAP = "unit_cap"
    UNIT_BUDGET = "unit_budget"
    BUDGET = "budget"  # a funding source's budget: Bound.source names it
    TOTAL_BUDGET = "total_budget"
    MIN_FILL = "min_fill"
    TARGET_FILL = "target_fill"
    OBJECTIVE = "objective"
    INFEASIBLE = "infeasible"
    NO_SOLUTION = "no_solution"


@dataclass(frozen=True, slots=True)
class Bound:
    """A parsed ``bound`` code: "budget:state_budget" is ``Bound(BUDGET, "state_budget")``."""

    kind: BoundKind
    source: str | None = None

    @property
    def code(self) -> str:
        return f"{self.kind}:{self.source}" if self.kind is BoundKind.BUDGET else str(self.kind)

    @classmethod
    def of_budget(cls, source: str) -> Bound:
        return cls(BoundKind.BUDGET, source)

    @classmethod
    def parse(cls, code: str) -> Bound | None:
        """The bound a code names; None for a code this version does not know."""
        kind, _, source = code.strip().partition(":")
        try:
            k = BoundKind(kind)
        except ValueError:
            return None
        if (k is BoundKind.BUDGET) != bool(source):
            return None
        return cls(k, source or None)


class Requirement(StrEnum):
    """The requirement that cannot be met."""

    PINS = "pins"
    MIN_FILL = "min_fill"
    TARGET_FILL = "target_fill"


class InfeasibleReason(StrEnum):
    BUDGET = "budget"  # the budgets are too small (least budgets given)
    CAPACITY = "capacity"  # more hires required than vacancies, ceilings or caps allow
    PIN_ABOVE_VACANCIES = "pin_above_vacancies"
    PIN_ABOVE_MAX_HIRES = "pin_above_max_hires"
    PIN_ABOVE_QUOTA = "pin_above_quota"  # pins push a (unit, staff type) past its quota
    UNIT_BUDGET_CAP = "unit_budget_cap"  # a unit's own cap is below its requirement's cost
    SOLVER = "solver"  # the cheapest plan fits: the solver could not find one

    @property
    def is_budget(self) -> bool:
        return self in (InfeasibleReason.BUDGET, InfeasibleReason.SOLVER)


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A budget too small for the requirement: what it is and what it would need."""

    budget: float
    needed: float

    @property
    def missing(self) -> float:
        return self.needed - self.budget


@dataclass(frozen=True, slots=True)
class ImpossiblePin:
    """A pinned row asking more hires than its vacancies or its max_hires allow."""

    unit_id: str
    unit_name: str
    position_id: str
    position_name: str
    min_hires: int
    vacancies: int
    max_hires: int


@dataclass(frozen=True, slots=True)
class PinnedAboveQuota:
    """A (unit, staff type) whose pins exceed its unused quota (the room)."""

    unit_id: str
    unit_name: str
    staff_type: str
    pinned: int
    room: int


@dataclass(frozen=True, slots=True)
class UnitBeyondCapacity:
    """A unit required to take more hires than it can (vacancies, ceilings, cap)."""

    unit_id: str
    unit_name: str
    required: int
    possible: int


@dataclass(frozen=True, slots=True)
class UnitOverCap:
    """A unit whose own budget cap is below the cost of its requirement."""

    unit_id: str
    unit_name: str
    budget_cap: float
    needed: float


UnitDetail = UnitBeyondCapacity | UnitOverCap


@dataclass(frozen=True)
class Infeasibility:
    """Why no plan meets the requirements, and what would make one possible.

    ``reason`` says what blocks ``requirement``; its details are in the typed fields:
    ``short`` and ``total_short`` (the budgets too small, for the budget reasons; the figures
    are least to the đồng when ``exact``; ``together`` when no short source could fix the plan
    alone), ``pins`` (impossible pins), ``groups`` (pins above a unit's quota), ``units``
    (units beyond their capacity or their own budget cap). ``count`` is how many rows, groups
    or units are concerned (the details hold the first 20). ``min_budget_by_source`` and
    ``min_total_budget`` are the least budgets that pay for the requirement (inf: no budget
    helps)."""

    requirement: Requirement
    reason: InfeasibleReason
    min_budget_by_source: dict[str, float]
    min_total_budget: float
    driving_units: pd.DataFrame
    count: int = 0
    short: Mapping[str, Shortfall] = field(default_factory=dict)
    total_short: Shortfall | None = None
    exact: bool = True
    together: bool = False
    pins: tuple[ImpossiblePin, ...] = ()
    groups: tuple[PinnedAboveQuota, ...] = ()
    units: tuple[UnitDetail, ...] = ()

    def __post_init__(self) -> None:  # codes given as text become the enums
        object.__setattr__(self, "requirement", Requirement(self.requirement))
        object.__setattr__(self, "reason", InfeasibleReason(self.reason))

    def shortfalls(self) -> dict[BudgetKey, Shortfall]:
        """Every short budget, the sources' then the total's."""
        out = {BudgetKey(s): v for s, v in self.short.items()}
        if self.total_short is not None:
            out[TOTAL_BUDGET] = self.total_short
        return out

    @property
    def message_params(self) -> dict[str, Any]:
        """The details as the JSON summary writes them (``message_params``); the fronts read
        the typed fields."""
        out: dict[str, Any] = {"reason": self.reason.value}
        if self.reason.is_budget:
            out["short"] = {s: _shortfall(v) for s, v in self.short.items()}
            out["exact"] = self.exact
            if self.together:
                out["together"] = True
            if self.total_short is not None:  # beside "short", never inside it
                out["total"] = _shortfall(self.total_short)
            return out
        if self.pins:
            out["rows"] = [_fields(p) for p in self.pins]
        if self.groups:
            out["groups"] = [_fields(g) for g in self.groups]
        if self.units:
            out["units"] = [_fields(u) for u in self.units]
        out["count"] = self.count
        return out

    def to_dict(self, limit: int = 20) -> dict[str, Any]:
        return {
            "requirement": self.requirement.value,
            "reason": self.reason.value,
            "min_budget_by_source": dict(self.min_budget_by_source),
            "min_total_budget": self.min_total_budget if math.isfinite(self.min_total_budget)
            else None,
            "driving_units": [jsonable(r) for r in self.driving_units.head(limit)
                              .to_dict("records")],
            "message_params": jsonable(self.message_params),
        }


def _shortfall(v: Shortfall) -> dict[str, float]:
    return {"budget": v.budget, "needed": v.needed}


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


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
    budgets: dict[str, float]  # the funding sources' budgets given
    budget_used_share: dict[str, float | None]
    parameters: dict[str, Any]
    budget_values: pd.DataFrame
    infeasibility: Infeasibility | None
    stages: tuple[dict[str, Any], ...] = ()  # per stage: goal, status, value, bound, gap
    total_budget: float | None = None  # the total budget given, if any
    total_budget_used_share: float | None = None

    @property
    def has_plan(self) -> bool:
        return self.status.has_plan

    def budget(self, key: BudgetKey) -> float | None:
        """The budget given for ``key`` (None: no limit)."""
        return self.total_budget if key.is_total else self.budgets.get(str(key.source))

    def used_share(self, key: BudgetKey) -> float | None:
        return self.total_budget_used_share if key.is_total \
            else self.budget_used_share.get(str(key.source))

    def summary(self) -> dict[str, Any]:
        """The JSON summary (the CLI's ``--summary`` file)."""
        out = {
            "status": self.status.value, "objective": self.objective,
            "best_bound": self.best_bound, "gap": self.gap, "solver": self.solver,
            "solve_seconds": round(self.solve_seconds, 3),
            "build_seconds": round(self.build_seconds, 3),
            "total_hires": self.total_hires, "total_cost": self.total_cost,
            "cost_by_source": self.cost_by_source, "budgets": dict(self.budgets),
            "budget_used_share": dict(self.budget_used_share),
            "total_budget": self.total_budget,
            "total_budget_used_share": self.total_budget_used_share,
            "parameters": self.parameters,
            "stages": list(self.stages),
            "budget_values": self.budget_values.to_dict("records"),
            "infeasibility": self.infeasibility.to_dict() if self.infeasibility else None,
        }
        return {k: jsonable(v) for k, v in out.items()}

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any], *, plan: pd.DataFrame,
                     by_unit: pd.DataFrame, budget_values: pd.DataFrame | None = None
                     ) -> Allocation:
        """A saved plan back from its summary and tables (nothing to explain: a saved plan
        is a plan)."""
        def amounts(name: str) -> dict[str, float | None]:
            raw = summary.get(name) or {}
            return {str(k): None if v is None else float(v) for k, v in raw.items()}

        budgets, shares = amounts("budgets"), amounts("budget_used_share")
        if "total_budget" in summary:
            total, total_share = (None if summary.get(k) is None else float(summary[k])
                                  for k in ("total_budget", "total_budget_used_share"))
        else:  # written before the total had keys of its own
            total = budgets.pop(LEGACY_TOTAL_CODE, None)
            total_share = shares.pop(LEGACY_TOTAL_CODE, None)
        def number(k: str) -> float | None:
            return None if summary.get(k) is None else float(summary[k])

        return cls(
            status=SolveStatus(summary["status"]), plan=plan, by_unit=by_unit,
            objective=number("objective"), best_bound=number("best_bound"),
            gap=number("gap"), solver=str(summary.get("solver", "")),
            solve_seconds=float(summary.get("solve_seconds") or 0.0),
            build_seconds=float(summary.get("build_seconds") or 0.0),
            total_hires=int(summary.get("total_hires") or 0),
            total_cost=float(summary.get("total_cost") or 0.0),
            cost_by_source={k: float(v or 0.0) for k, v in amounts("cost_by_source").items()},
            budgets={k: v for k, v in budgets.items() if v is not None},
            budget_used_share=shares, parameters=dict(summary.get("parameters") or {}),
            budget_values=budget_values if budget_values is not None
            else pd.DataFrame(summary.get("budget_values") or []),
            infeasibility=None, stages=tuple(summary.get("stages") or ()),
            total_budget=total, total_budget_used_share=total_share)


def jsonable(value: Any) -> Any:
    """``value`` with numpy scalars as Python numbers and non-finite floats as None."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value

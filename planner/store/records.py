"""What a stored scenario looks like to the rest of the planner."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from planner.domain.scenario import Scenario


@dataclass(frozen=True, kw_only=True)
class InputFileRecord:
    """One input file a scenario was solved on (as :class:`planner.io.inputs.InputFile`)."""

    role: str
    name: str
    sheet: str
    fingerprint: str
    rows: int


@dataclass(frozen=True, kw_only=True)
class ScenarioInfo:
    """A saved scenario without its tables: what a list shows."""

    id: int
    name: str
    owner: str  # "" when saved without sign-in
    author: str
    note: str
    shared: bool
    created_at: datetime
    updated_at: datetime
    inputs_fingerprint: str
    status: str | None
    total_hires: int | None
    total_cost: float | None
    #: why the stored row cannot be read ("" when it can); such a row is listed (marked),
    #: never opened: its other fields hold placeholders
    damaged: str = ""


@dataclass(frozen=True, kw_only=True)
class StoredScenario:
    """A saved scenario in full: parameters, inputs it was solved on, result summary and plan."""

    info: ScenarioInfo
    scenario: Scenario
    input_files: tuple[InputFileRecord, ...] = ()
    summary: Mapping[str, Any] = field(default_factory=dict)
    plan: pd.DataFrame | None = None
    by_unit: pd.DataFrame | None = None
    budget_values: pd.DataFrame | None = None  # what one more billion of each budget buys
    #: a multi-year plan's tables (planner.store.multiyear.TABLE_KINDS); {} for a one-year plan
    multiyear_tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return self.info.id

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def inputs_fingerprint(self) -> str:
        return self.info.inputs_fingerprint

    @property
    def has_result(self) -> bool:
        return self.plan is not None

    @property
    def is_multiyear(self) -> bool:
        """A multi-year plan (``plan --save``), not a one-year allocation."""
        return self.summary.get("plan_kind") == "multiyear"


#: columns of :func:`info_table`
INFO_COLUMNS = ["id", "name", "author", "owner", "shared", "updated_at", "status",
                "total_hires", "total_cost", "inputs_fingerprint", "note"]


def info_table(infos: list[ScenarioInfo]) -> pd.DataFrame:
    """The list of scenarios as a table (newest first as given)."""
    rows = [{c: getattr(i, c) for c in INFO_COLUMNS} for i in infos]
    table = pd.DataFrame(rows, columns=INFO_COLUMNS)
    table["total_hires"] = table["total_hires"].astype("Int64")
    table["total_cost"] = table["total_cost"].astype("float64")
    return table


def as_utc(value: datetime) -> datetime:
    """SQLite hands times back without a zone; they were written in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def json_safe(value: Any) -> Any:
    """Plain JSON data: NaN and infinities become None (PostgreSQL's json refuses them)."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)

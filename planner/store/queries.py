"""What the store's queries share: the result a save keeps, row ↔ record, visibility, names.

Also the test hook ``PLANNER_STORE_PAUSE_IN_SAVE`` (seconds): a save pauses inside its
transaction, between the scenario row and its input files and plan tables, and says so on
standard error; the kill-midway test uses it to kill a save at that point.
"""

from __future__ import annotations

import os
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from planner.optimise.multiyear_result import MultiYearPlan
from planner.optimise.result import Allocation
from planner.store import multiyear
from planner.store import schema as S
from planner.store.database import InvalidName, NameTaken, ScenarioNotFound
from planner.store.names import check_text, normal_name
from planner.store.records import (
    InputFileRecord,
    ScenarioInfo,
    StoredScenario,
    as_utc,
    json_safe,
)

#: test hook: seconds to pause inside a save's transaction, between its inserts
PAUSE_ENV = "PLANNER_STORE_PAUSE_IN_SAVE"
PAUSE_MESSAGE = "planner.store: paused inside a save transaction"


#: result tables a save keeps (attributes of the allocation that are DataFrames)
TABLE_KINDS = ("plan", "by_unit", "budget_values")


@dataclass(frozen=True)
class Result:
    """What a save keeps of a solve (:class:`planner.optimise.result.Allocation`)."""

    summary: dict[str, Any]
    status: str | None
    total_hires: int | None
    total_cost: float | None
    tables: dict[str, pd.DataFrame]

    @classmethod
    def of(cls, allocation: Allocation | None) -> Result:
        if allocation is None:
            return cls({}, None, None, None, {})
        summary = json_safe(allocation.summary())
        tables = {"plan": allocation.plan, "by_unit": allocation.by_unit,
                  "budget_values": allocation.budget_values}
        cost = allocation.total_cost
        return cls(summary, allocation.status.value, int(allocation.total_hires),
                   None if cost is None or pd.isna(cost) else float(cost), tables)

    @classmethod
    def of_multiyear(cls, plan: MultiYearPlan) -> Result:
        """What a save keeps of a multi-year plan (:mod:`planner.store.multiyear`)."""
        summary = json_safe({**plan.summary(), multiyear.KIND_KEY: multiyear.KIND})
        hires = summary.get("total_hires")
        return cls(summary, plan.status, None if hires is None else int(hires),
                   multiyear.yearly_cost(plan), multiyear.tables_of(plan))

    @classmethod
    def of_stored(cls, stored: StoredScenario) -> Result:
        i = stored.info
        tables = {kind: getattr(stored, kind) for kind in TABLE_KINDS
                  if getattr(stored, kind) is not None}
        tables.update(stored.multiyear_tables)
        return cls(dict(stored.summary), i.status, i.total_hires, i.total_cost, tables)


@dataclass(frozen=True)
class StoredInputs:
    files: tuple[InputFileRecord, ...]
    fingerprint: str


def info_select() -> sa.Select[*tuple[Any, ...]]:
    c = S.SCENARIOS.c
    return sa.select(c.id, c.name, c.owner, c.author, c.note, c.shared, c.created_at,
                     c.updated_at, c.inputs_fingerprint, c.status, c.total_hires, c.total_cost)


#: what reading a damaged stored row raises: a date that is not a date, JSON that does not
#: parse, a plan document that does not decompress or decode, a number that is not one
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    ValueError, TypeError, LookupError, AttributeError, EOFError, OSError, zlib.error,
    ArithmeticError, RecursionError)


def info_of(row: Any) -> ScenarioInfo:
    """The row as a ScenarioInfo; a value of the wrong type raises one of DAMAGE_ERRORS."""
    hires, cost, status = row["total_hires"], row["total_cost"], row["status"]
    if not all(isinstance(row[c], str) for c in ("name", "owner", "author", "note",
                                                 "inputs_fingerprint")):
        raise TypeError("a text column does not hold text")
    if hires is not None and (isinstance(hires, bool) or int(hires) != hires):
        raise ValueError(f"total_hires is {hires!r}, not a whole number")
    return ScenarioInfo(id=int(row["id"]), name=row["name"], owner=row["owner"],
                        author=row["author"], note=row["note"], shared=bool(row["shared"]),
                        created_at=as_utc(row["created_at"]), updated_at=as_utc(row["updated_at"]),
                        inputs_fingerprint=row["inputs_fingerprint"],
                        status=None if status is None else str(status),
                        total_hires=None if hires is None else int(hires),
                        total_cost=None if cost is None else float(cost))


def damaged_info(conn: Any, sid: int, exc: BaseException) -> ScenarioInfo:
    """A placeholder for a row :func:`info_of` cannot read: its id, name and owner as stored
    (read as plain text), the reason, and neutral values elsewhere."""
    c = S.SCENARIOS.c
    raw = conn.execute(sa.select(*(sa.type_coerce(col, sa.Text) for col in
                                   (c.name, c.owner, c.author)))
                       .where(c.id == sid)).one()
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return ScenarioInfo(id=sid, name=str(raw[0]), owner=str(raw[1] or ""),
                        author=str(raw[2] or ""), note="", shared=False, created_at=epoch,
                        updated_at=epoch, inputs_fingerprint="", status=None,
                        total_hires=None, total_cost=None, damaged=damage_text(exc))


def damage_text(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def visible(user: str | None) -> sa.ColumnElement[bool]:
    if user is None:
        return sa.true()
    # scenarios saved without sign-in (owner "") were open to everyone and stay readable
    return sa.or_(S.SCENARIOS.c.owner == user, S.SCENARIOS.c.shared.is_(True),
                  S.SCENARIOS.c.owner == "")


def valid_name(name: str) -> str:
    text = check_text("name", normal_name(name))
    if not text:
        raise InvalidName("a scenario needs a name", name=str(name or ""),
                          max=S.NAME_MAX)
    if len(text) > S.NAME_MAX:
        raise InvalidName(f"a scenario name has at most {S.NAME_MAX} characters",
                          name=text[:40] + "…", max=S.NAME_MAX)
    return text


def name_taken(name: str) -> NameTaken:
    return NameTaken(f"a scenario named {name!r} already exists; choose another name or "
                     "replace it", name=name)


def not_found(ref: str) -> ScenarioNotFound:
    return ScenarioNotFound(f"no saved scenario {ref!r} (give a name or an id from "
                            "`python -m planner scenarios list`)", ref=ref)


def pause_for_tests() -> None:
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        print(PAUSE_MESSAGE, file=sys.stderr, flush=True)
        time.sleep(float(seconds))

"""The scenario store: save, list, get, rename, share and delete saved scenarios.

Ownership: every call that reads or changes scenarios takes an optional ``user``. ``None`` is
local use without sign-in: every scenario is visible and can be changed. With a user, the
scenarios visible are the user's own, those their owners shared, and those saved without
sign-in (owner ""); only the owner may rename, share or delete (scenarios without an owner
only without sign-in, e.g. from the CLI). A scenario another user cannot see is reported as
not found (its existence is not revealed).

A save is one transaction: the scenario row, its input files and its plan tables are
committed together or not at all, so a crash in the middle of a save leaves the store as it
was before (a test kills a saving process inside the transaction and reads the store).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from planner.domain.scenario import Scenario, ScenarioError
from planner.optimise.multiyear_result import MultiYearPlan
from planner.optimise.result import Allocation
from planner.store import schema as S
from planner.store.database import (
    AmbiguousName,
    BadStoredScenario,
    DamagedScenario,
    NotOwner,
    StoreError,
    StoreUnavailable,
    create_store_engine,
    database_url,
    read_transaction,
    safe_url,
    write_transaction,
)
from planner.store.multiyear import TABLE_KINDS as MULTIYEAR_TABLE_KINDS
from planner.store.names import check_text, normal_name
from planner.store.queries import (
    DAMAGE_ERRORS,
    PAUSE_ENV,
    PAUSE_MESSAGE,
    TABLE_KINDS,
    Result,
    StoredInputs,
    damaged_info,
    info_of,
    info_select,
    name_taken,
    not_found,
    pause_for_tests,
    valid_name,
    visible,
)
from planner.store.records import (
    InputFileRecord,
    ScenarioInfo,
    StoredScenario,
    json_safe,
)
from planner.store.table_codec import FORMAT, decode_table, encode_table

__all__ = ["PAUSE_ENV", "PAUSE_MESSAGE", "TABLE_KINDS", "ScenarioStore", "open_store",
           "save_scenario"]


class ScenarioStore:
    """Scenarios kept in a SQLite file or a PostgreSQL database (see :mod:`planner.store`)."""

    def __init__(self, url: str | URL | None = None, *,
                 migrations: list[S.Migration] | None = None) -> None:
        self.url = database_url(url)
        self.engine = create_store_engine(self.url)
        self._migrations = migrations
        self._ready = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ScenarioStore({self.describe()!r})"

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()

    def describe(self) -> str:
        """Where the scenarios are kept, password hidden."""
        return safe_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ----------------------------------------------------------------------------

    def ensure_schema(self) -> int:
        """Create or migrate the schema if needed; return its version."""
        self._ensure()
        return self.schema_version()

    def _ensure(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            migrations = S.MIGRATIONS if self._migrations is None else self._migrations
            with self._guard(), read_transaction(self.engine) as conn:
                up_to_date = S.current_version(conn) == migrations[-1][0]
            if not up_to_date:  # only then take the write lock (and check again under it)
                with self._guard(), write_transaction(self.engine) as conn:
                    S.migrate(conn, migrations)
            self._ready = True

    def schema_version(self) -> int:
        with self._guard(), read_transaction(self.engine) as conn:
            return S.current_version(conn)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Database failures become :class:`StoreUnavailable` with the URL (password hidden)."""
        try:
            yield
        except StoreError:
            raise
        except IntegrityError:
            raise
        except DBAPIError as exc:
            text = str(getattr(exc, "orig", exc)).strip()
            detail = text.splitlines()[0] if text else type(exc).__name__
            raise StoreUnavailable(f"the scenario store at {self.describe()} cannot be used: "
                                   f"{detail}", url=self.describe(), detail=detail) from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        self._ensure()
        with self._guard(), write_transaction(self.engine) as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        self._ensure()
        with self._guard(), read_transaction(self.engine) as conn:
            yield conn

    # --- saving ----------------------------------------------------------------------------

    def save(self, name: str, scenario: Scenario, *,
             allocation: Allocation | MultiYearPlan | StoredScenario | None = None,
             inputs: Any = None, note: str = "", author: str = "", owner: str | None = None,
             shared: bool = False, replace: bool = False) -> ScenarioInfo:
        """Save ``scenario`` (and the result ``allocation`` solved with it) under ``name``.

        ``allocation`` may also be a :class:`StoredScenario` (save a reopened scenario under
        another name: its result and input files are copied) or a multi-year plan
        (:class:`MultiYearPlan`, kept as :mod:`planner.store.multiyear` says). ``inputs`` is the
        :class:`planner.io.inputs.Inputs` it was solved on (its fingerprint and files are kept).
        A name the owner already uses raises :class:`NameTaken` unless
        ``replace`` is true, which overwrites that scenario (same id, new contents).
        """
        name = valid_name(name)
        author, note = check_text("author", author or ""), check_text("note", note or "")
        if isinstance(allocation, StoredScenario):  # "save as": a reopened scenario again
            result = Result.of_stored(allocation)
            if inputs is None:
                inputs = StoredInputs(allocation.input_files, allocation.inputs_fingerprint)
        elif isinstance(allocation, MultiYearPlan):  # plan --save (planner.store.multiyear)
            result = Result.of_multiyear(allocation)
        else:
            result = Result.of(allocation)
        files = [InputFileRecord(role=f.role, name=f.name, sheet=f.sheet or "",
                                 fingerprint=f.fingerprint, rows=int(f.rows))
                 for f in getattr(inputs, "files", ())]
        fingerprint = inputs.fingerprint if inputs is not None else ""
        now = datetime.now(UTC)
        values = {
            "name": name, "owner": owner or "", "author": (author or "").strip()[:S.TEXT_MAX],
            "note": note or "", "shared": bool(shared), "updated_at": now,
            "parameters": json_safe(scenario.to_dict()), "inputs_fingerprint": fingerprint,
            "status": result.status, "total_hires": result.total_hires,
            "total_cost": result.total_cost, "summary": result.summary or None,
        }
        for attempt in range(2):
            try:
                with self._write() as conn:
                    existing = conn.execute(
                        sa.select(S.SCENARIOS.c.id).where(S.SCENARIOS.c.owner == values["owner"],
                                                          S.SCENARIOS.c.name == name)
                    ).scalar()
                    if existing is not None and not replace:
                        raise name_taken(name)
                    if existing is None:
                        key = conn.execute(
                            S.SCENARIOS.insert().values(**values, created_at=now)
                        ).inserted_primary_key
                        if key is None:
                            raise RuntimeError("the database returned no id for the scenario")
                        new_id = key[0]
                    else:
                        new_id = existing
                        conn.execute(S.SCENARIOS.update()
                                     .where(S.SCENARIOS.c.id == existing).values(**values))
                        conn.execute(S.INPUTS.delete().where(S.INPUTS.c.scenario_id == existing))
                        conn.execute(S.TABLES.delete().where(S.TABLES.c.scenario_id == existing))
                    pause_for_tests()
                    if files:
                        conn.execute(S.INPUTS.insert(), [
                            {"scenario_id": new_id, "position": i, **vars(f)}
                            for i, f in enumerate(files)])
                    if result.tables:
                        conn.execute(S.TABLES.insert(), [
                            {"scenario_id": new_id, "kind": kind, "format": FORMAT,
                             "rows": len(t), "payload": encode_table(t)}
                            for kind, t in result.tables.items()])
                    return self._info(conn, int(new_id))
            except IntegrityError:
                # another session saved the same name between our check and our insert
                if not replace or attempt:
                    raise name_taken(name) from None
        raise AssertionError("unreachable")

    def check_can_save(self, name: str, *, owner: str | None = None,
                       replace: bool = False) -> str:
        """Before the work a save records (``solve --save``): the store can be reached and
        migrated, ``name`` is a valid name and, unless ``replace``, not taken by ``owner``.
        Returns the name as it will be saved; raises the error :meth:`save` would raise."""
        name = valid_name(name)
        with self._read() as conn:
            taken = conn.execute(sa.select(S.SCENARIOS.c.id)
                                 .where(S.SCENARIOS.c.owner == (owner or ""),
                                        S.SCENARIOS.c.name == name)).scalar()
        if taken is not None and not replace:
            raise name_taken(name)
        return name

    # --- reading ---------------------------------------------------------------------------

    def list(self, user: str | None = None) -> list[ScenarioInfo]:
        """The scenarios ``user`` may see, most recently changed first.

        A row that cannot be read (a damaged store) does not hide the others: it is listed
        with its id and name and :attr:`ScenarioInfo.damaged` saying what is wrong.
        """
        order = (S.SCENARIOS.c.updated_at.desc(), S.SCENARIOS.c.id.desc())
        with self._read() as conn:
            try:
                rows = conn.execute(info_select().where(visible(user)).order_by(*order)
                                    ).mappings().all()
                return [info_of(r) for r in rows]
            except DAMAGE_ERRORS:
                pass  # one row at a time, to list the others and mark the damaged ones
            ids = conn.execute(sa.select(S.SCENARIOS.c.id).where(visible(user))
                               .order_by(*order)).scalars().all()
            infos = []
            for sid in ids:
                try:
                    infos.append(info_of(conn.execute(info_select().where(
                        S.SCENARIOS.c.id == sid)).mappings().one()))
                except DAMAGE_ERRORS as exc:
                    infos.append(damaged_info(conn, int(sid), exc))
        return infos

    def get(self, ref: int | str, user: str | None = None, *,
            tables: bool = True) -> StoredScenario:
        """A scenario in full, by id or name (``tables=False`` skips the plan tables)."""
        with self._read() as conn:
            sid = self._resolve(conn, ref, user)
            try:
                row = conn.execute(sa.select(S.SCENARIOS).where(S.SCENARIOS.c.id == sid)
                                   ).mappings().one()
                info = info_of(row)
                files = conn.execute(sa.select(S.INPUTS).where(S.INPUTS.c.scenario_id == sid)
                                     .order_by(S.INPUTS.c.position)).mappings().all()
                stored = {}
                if tables:
                    for t in conn.execute(sa.select(S.TABLES)
                                          .where(S.TABLES.c.scenario_id == sid)).mappings():
                        stored[t["kind"]] = _checked_table(t["kind"],
                                                           decode_table(t["payload"], t["format"]))
                summary = row["summary"] or {}
                if not isinstance(summary, dict):
                    raise TypeError(f"the stored summary is a {type(summary).__name__}, "
                                    "not a JSON object")
                return StoredScenario(
                    info=info, scenario=_parameters(row),
                    input_files=tuple(InputFileRecord(role=f["role"], name=f["name"],
                                                      sheet=f["sheet"],
                                                      fingerprint=f["fingerprint"],
                                                      rows=int(f["rows"])) for f in files),
                    summary=summary, plan=stored.get("plan"), by_unit=stored.get("by_unit"),
                    budget_values=stored.get("budget_values"),
                    multiyear_tables={k: v for k, v in stored.items()
                                      if k in MULTIYEAR_TABLE_KINDS})
            except DAMAGE_ERRORS as exc:
                raise _damaged(damaged_info(conn, sid, exc)) from None

    def multiyear_ids(self, user: str | None = None) -> set[int]:
        """The ids of the visible scenarios that are multi-year plans (they have the budgets
        per year table every saved multi-year plan has, :mod:`planner.store.multiyear`): a
        list marks them without reading any summary."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(S.TABLES.c.scenario_id)
                .join(S.SCENARIOS, S.SCENARIOS.c.id == S.TABLES.c.scenario_id)
                .where(S.TABLES.c.kind == "my_budgets", visible(user))).scalars().all()
        return {int(r) for r in rows}

    def _resolve(self, conn: Connection, ref: int | str, user: str | None) -> int:
        """The id of the scenario ``ref`` names (an id, or a name; own names win)."""
        if isinstance(ref, str):
            # the name as saves write it; also as typed, for a name saved before names were
            # normalised that normalising would have merged with another (schema version 3)
            text = normal_name(ref) or ref.strip()
            spellings = {text, ref.strip()}
            rows = conn.execute(sa.select(S.SCENARIOS.c.id, S.SCENARIOS.c.owner)
                                .where(S.SCENARIOS.c.name.in_(spellings), visible(user))
                                .order_by(S.SCENARIOS.c.id)).all()
            if user is not None:
                own = [r for r in rows if r.owner == user]
                rows = own or rows
            if len(rows) == 1:
                return int(rows[0].id)
            if len(rows) > 1:
                ids = [int(r.id) for r in rows]
                raise AmbiguousName(f"several scenarios are named {text!r} (ids "
                                    f"{', '.join(map(str, ids))}); give the id instead",
                                    name=text, ids=", ".join(map(str, ids)))
            if not text.isdigit():
                raise not_found(text)
            ref = int(text)
        found = conn.execute(sa.select(S.SCENARIOS.c.id)
                             .where(S.SCENARIOS.c.id == int(ref), visible(user))).scalar()
        if found is None:
            raise not_found(str(ref))
        return int(found)

    def info(self, ref: int | str, user: str | None = None) -> ScenarioInfo:
        """What a list shows of one scenario, by id or name; a damaged one is returned marked
        (:attr:`ScenarioInfo.damaged`) so that it can still be renamed or deleted."""
        with self._read() as conn:
            return self._info(conn, self._resolve(conn, ref, user))

    def _info(self, conn: Connection, sid: int) -> ScenarioInfo:
        try:
            return info_of(conn.execute(info_select().where(S.SCENARIOS.c.id == sid))
                           .mappings().one())
        except DAMAGE_ERRORS as exc:
            return damaged_info(conn, sid, exc)

    # --- changing --------------------------------------------------------------------------

    def rename(self, ref: int | str, new_name: str, user: str | None = None) -> ScenarioInfo:
        new_name = valid_name(new_name)
        try:
            with self._write() as conn:
                sid = self._owned(conn, ref, user)
                conn.execute(S.SCENARIOS.update().where(S.SCENARIOS.c.id == sid)
                             .values(name=new_name, updated_at=datetime.now(UTC)))
                return self._info(conn, sid)
        except IntegrityError:
            raise name_taken(new_name) from None

    def set_note(self, ref: int | str, note: str, user: str | None = None) -> ScenarioInfo:
        return self._update(ref, user, note=check_text("note", note or ""))

    def set_shared(self, ref: int | str, shared: bool, user: str | None = None) -> ScenarioInfo:
        return self._update(ref, user, shared=bool(shared))

    def _update(self, ref: int | str, user: str | None, **values: Any) -> ScenarioInfo:
        with self._write() as conn:
            sid = self._owned(conn, ref, user)
            conn.execute(S.SCENARIOS.update().where(S.SCENARIOS.c.id == sid)
                         .values(**values, updated_at=datetime.now(UTC)))
            return self._info(conn, sid)

    def delete(self, ref: int | str, user: str | None = None) -> ScenarioInfo:
        """Delete a scenario with its inputs and tables; return what was deleted."""
        with self._write() as conn:
            sid = self._owned(conn, ref, user)
            info = self._info(conn, sid)
            # children first: correct whether or not the backend enforces ON DELETE CASCADE
            conn.execute(S.INPUTS.delete().where(S.INPUTS.c.scenario_id == sid))
            conn.execute(S.TABLES.delete().where(S.TABLES.c.scenario_id == sid))
            conn.execute(S.SCENARIOS.delete().where(S.SCENARIOS.c.id == sid))
        return info

    def _owned(self, conn: Connection, ref: int | str, user: str | None) -> int:
        sid = self._resolve(conn, ref, user)
        if user is not None:
            owner = conn.execute(sa.select(S.SCENARIOS.c.owner, S.SCENARIOS.c.name)
                                 .where(S.SCENARIOS.c.id == sid)).one()
            if owner.owner != user:
                raise NotOwner(f"scenario {owner.name!r} belongs to {owner.owner or 'nobody'}; "
                               "only its owner can change it", name=owner.name,
                               owner=owner.owner or "–")
        return sid


# --- module helpers ----------------------------------------------------------------------------

def open_store(database: str | URL | None = None) -> ScenarioStore:
    """The store at ``database`` (default: ``PLANNER_DATABASE_URL`` or ``var/scenarios.db``)."""
    return ScenarioStore(database)


def save_scenario(name: str, scenario: Scenario, *,
                  allocation: Allocation | MultiYearPlan | StoredScenario | None = None,
                  inputs: Any = None,
                  note: str = "", author: str = "", owner: str | None = None,
                  shared: bool = False, replace: bool = False,
                  database: str | URL | None = None) -> ScenarioInfo:
    """Save one scenario in the store at ``database`` (for ``solve --save NAME``)."""
    store = open_store(database)
    try:
        return store.save(name, scenario, allocation=allocation, inputs=inputs, note=note,
                          author=author, owner=owner, shared=shared, replace=replace)
    finally:
        store.close()


#: columns every stored plan has: what the plan page, the comparison and the exports read
REQUIRED_PLAN_COLUMNS = ("unit_id", "unit_name", "position_id", "funding_source", "quota",
                         "headcount", "expected_departures", "vacancies", "hires",
                         "remaining_vacancies")


def _checked_table(kind: str, table: Any) -> Any:
    """A decoded plan table, or ValueError if it lacks the columns a plan always has."""
    if kind == "plan":
        missing = [c for c in REQUIRED_PLAN_COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(f"the stored plan lacks the column(s) {', '.join(missing)}")
    return table


def _damaged(info: ScenarioInfo) -> DamagedScenario:
    return DamagedScenario(f"saved scenario {info.name!r} (id {info.id}) is damaged in the "
                           f"store and cannot be opened: {info.damaged}", name=info.name,
                           id=str(info.id), detail=info.damaged)


def _parameters(row: Any) -> Scenario:
    """The stored parameters as a Scenario; a set this release refuses is a clear error."""
    if not isinstance(row["parameters"], dict):  # not even a table of parameters: damaged
        raise TypeError(f"the stored parameters are a {type(row['parameters']).__name__}, "
                        "not a JSON object")
    try:
        return Scenario.from_dict(row["parameters"])
    except ScenarioError as exc:  # a parameter this release refuses: named, not "damaged"
        raise BadStoredScenario(f"the parameters of saved scenario {row['name']!r} cannot be "
                                f"read by this release: {exc}", name=row["name"],
                                detail=str(exc)) from None

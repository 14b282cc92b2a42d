"""The store's tables and the migrations that build them, applied in order on first use.

``schema_version`` holds one row per migration applied (version, description, time). Opening a
store applies every migration newer than the database's version, inside one transaction that
holds a lock (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock), so two processes
opening a new database at once do not both build it. A database written by a newer release
(a version above :data:`SCHEMA_VERSION`) is refused rather than misread.

Version 1 tables:

- ``scenarios``: one row per saved scenario: name, owner, author, note, shared flag, times,
  the full parameters (JSON, :meth:`Scenario.to_dict`), the fingerprint of the input tables,
  the result summary (JSON, ``Allocation.summary()``) and a few headline figures as columns so
  a list needs no JSON parsing. ``(owner, name)`` is unique: two saves of one name by one owner
  cannot both win silently.
- ``scenario_inputs``: the input files the scenario was solved on (role, name, sheet,
  fingerprint, rows), one row each.
- ``scenario_tables``: the plan and the per-unit table, each one gzip-compressed JSON document
  (see :mod:`planner.store.table_codec`).

Version 2: on SQLite the ``scenarios`` table takes its ids from ``AUTOINCREMENT``, so an id is
never handed out twice (save A as id 1, delete it, save B: B gets id 2, and a stale rename or
delete of id 1 finds nothing instead of hitting B). PostgreSQL's ``SERIAL`` already never
repeats. Version 3: saved names in normal form (see :mod:`planner.store.names`).
Version 4: ``drafts``, the app's work in progress per browser tab (see
:mod:`planner.store.drafts`): a random id, the owner, times, when it expires, and one
gzip-compressed JSON document (uploaded tables, mapping, parameters, last plan).

To change the schema in a later release: append a migration ``(4, "what", function)`` to
:data:`MIGRATIONS` that alters the tables with plain DDL on the connection it receives, and
update the table definitions below to the new shape. Migrations keep their own frozen copies
(``_tables_v1``, ``_tables_v2``) so a new database is always built the same way as an old one
was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from planner.store.database import SchemaTooNew, safe_url
from planner.store.names import normal_name

NAME_MAX = 200
TEXT_MAX = 200


def _tables_v1(md: sa.MetaData) -> dict[str, sa.Table]:
    scenarios = sa.Table(
        "scenarios", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(NAME_MAX), nullable=False),
        sa.Column("owner", sa.String(TEXT_MAX), nullable=False, server_default=""),
        sa.Column("author", sa.String(TEXT_MAX), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("shared", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("inputs_fingerprint", sa.String(64), nullable=False, server_default=""),
        sa.Column("status", sa.String(40), nullable=True),
        sa.Column("total_hires", sa.Integer, nullable=True),
        sa.Column("total_cost", sa.Float, nullable=True),
        sa.Column("summary", sa.JSON, nullable=True),
        sa.UniqueConstraint("owner", "name", name="uq_scenarios_owner_name"),
    )
    inputs = sa.Table(
        "scenario_inputs", md,
        sa.Column("scenario_id", sa.Integer,
                  sa.ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("sheet", sa.String(200), nullable=False, server_default=""),
        sa.Column("fingerprint", sa.String(128), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
    )
    tables = sa.Table(
        "scenario_tables", md,
        sa.Column("scenario_id", sa.Integer,
                  sa.ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),  # "plan", "by_unit"
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
    )
    sa.Index("ix_scenarios_updated", scenarios.c.updated_at)
    return {"scenarios": scenarios, "scenario_inputs": inputs, "scenario_tables": tables}


def _tables_v2(md: sa.MetaData, suffix: str = "") -> dict[str, sa.Table]:
    """Version 2: as version 1, and on SQLite ids from AUTOINCREMENT (never reused).

    ``suffix`` names the tables while migration 2 rebuilds them (``scenarios_v2``, ...).
    """
    scenarios = sa.Table(
        f"scenarios{suffix}", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(NAME_MAX), nullable=False),
        sa.Column("owner", sa.String(TEXT_MAX), nullable=False, server_default=""),
        sa.Column("author", sa.String(TEXT_MAX), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("shared", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("inputs_fingerprint", sa.String(64), nullable=False, server_default=""),
        sa.Column("status", sa.String(40), nullable=True),
        sa.Column("total_hires", sa.Integer, nullable=True),
        sa.Column("total_cost", sa.Float, nullable=True),
        sa.Column("summary", sa.JSON, nullable=True),
        sa.UniqueConstraint("owner", "name", name="uq_scenarios_owner_name"),
        sqlite_autoincrement=True,
    )
    inputs = sa.Table(
        f"scenario_inputs{suffix}", md,
        sa.Column("scenario_id", sa.Integer,
                  sa.ForeignKey(f"scenarios{suffix}.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("sheet", sa.String(200), nullable=False, server_default=""),
        sa.Column("fingerprint", sa.String(128), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
    )
    tables = sa.Table(
        f"scenario_tables{suffix}", md,
        sa.Column("scenario_id", sa.Integer,
                  sa.ForeignKey(f"scenarios{suffix}.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),  # "plan", "by_unit"
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
    )
    if not suffix:  # the rebuild creates the index once the tables have their names
        sa.Index("ix_scenarios_updated", scenarios.c.updated_at)
    return {"scenarios": scenarios, "scenario_inputs": inputs, "scenario_tables": tables}


def _drafts_v4(md: sa.MetaData) -> sa.Table:
    table = sa.Table(
        "drafts", md,
        sa.Column("id", sa.String(64), primary_key=True),  # random, never derived
        sa.Column("owner", sa.String(TEXT_MAX), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
    )
    sa.Index("ix_drafts_expires", table.c.expires_at)
    sa.Index("ix_drafts_owner_updated", table.c.owner, table.c.updated_at)
    return table


def _version_table(md: sa.MetaData) -> sa.Table:
    return sa.Table(
        "schema_version", md,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


# --- the current tables, used by the queries ------------------------------------------------
METADATA = sa.MetaData()
_CURRENT = _tables_v2(METADATA)
SCENARIOS = _CURRENT["scenarios"]
INPUTS = _CURRENT["scenario_inputs"]
TABLES = _CURRENT["scenario_tables"]
DRAFTS = _drafts_v4(METADATA)
VERSION = _version_table(METADATA)


def _migrate_to_1(conn: Connection) -> None:
    md = sa.MetaData()
    _tables_v1(md)
    md.create_all(conn, checkfirst=True)


def _migrate_to_2(conn: Connection) -> None:
    """SQLite: rebuild the tables with ``AUTOINCREMENT`` so a deleted scenario's id is never
    given to a new one (SQLite's plain rowid reuses the highest id once it is deleted).

    The rows are copied into ``*_v2`` tables (the child tables referring to
    ``scenarios_v2``), the old tables dropped children first (so dropping ``scenarios``
    cascades to nothing), and the new ones renamed: SQLite (3.26 and later) rewrites the
    children's foreign keys to the new name. The sequence starts above the highest id in the
    table; ids of scenarios deleted before this migration above that cannot be known.
    PostgreSQL: nothing to do, its ``SERIAL`` sequence never hands out an id twice.
    """
    if conn.dialect.name != "sqlite":
        return
    md = sa.MetaData()
    new = _tables_v2(md, suffix="_v2")
    md.create_all(conn)
    for name, table in new.items():
        cols = [c.name for c in table.columns]
        old = sa.table(name, *(sa.column(c) for c in cols))
        conn.execute(table.insert().from_select(cols, sa.select(*old.c)))
    for name in ("scenario_inputs", "scenario_tables", "scenarios"):
        conn.exec_driver_sql(f'DROP TABLE "{name}"')
    for name, table in new.items():
        conn.exec_driver_sql(f'ALTER TABLE "{table.name}" RENAME TO "{name}"')
    conn.exec_driver_sql('CREATE INDEX "ix_scenarios_updated" ON "scenarios" ("updated_at")')


def _migrate_to_3(conn: Connection) -> None:
    """Saved names in the normal form new saves use (:func:`planner.store.names.normal_name`).

    A name whose normal form another scenario of the same owner already has is left as it
    is (both stay reachable by id; renaming one settles it): no scenario is merged or lost.
    """
    t = sa.table("scenarios", sa.column("id"), sa.column("owner"), sa.column("name"))
    rows = conn.execute(sa.select(t.c.id, t.c.owner, t.c.name).order_by(t.c.id)).all()
    taken = {(r.owner, r.name) for r in rows}
    for r in rows:
        name = normal_name(r.name)
        if name and name != r.name and (r.owner, name) not in taken:
            conn.execute(t.update().where(t.c.id == r.id).values(name=name))
            taken.discard((r.owner, r.name))
            taken.add((r.owner, name))


def _migrate_to_4(conn: Connection) -> None:
    md = sa.MetaData()
    _drafts_v4(md)
    md.create_all(conn, checkfirst=True)


Migration = tuple[int, str, Callable[[Connection], None]]
#: every migration, in order; a database at version N gets those above N applied
MIGRATIONS: list[Migration] = [
    (1, "scenarios, their input files and their plan tables", _migrate_to_1),
    (2, "scenario ids never reused (SQLite AUTOINCREMENT)", _migrate_to_2),
    (3, "scenario names in normal form (NFC, no invisible characters)", _migrate_to_3),
    (4, "drafts: the app's work in progress, kept until they expire", _migrate_to_4),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
_PG_LOCK_KEY = 7_235_001  # advisory lock id held while migrating a PostgreSQL store


def current_version(conn: Connection) -> int:
    """The database's schema version (0 for a database the store has never touched)."""
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(sa.select(sa.func.max(VERSION.c.version))).scalar() or 0)


def migrate(conn: Connection, migrations: list[Migration] | None = None) -> list[int]:
    """Apply the migrations the database lacks, in order; return the versions applied.

    ``conn`` must be inside a write transaction; on PostgreSQL an advisory lock is taken so
    concurrent first uses wait for one another.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    VERSION.create(conn, checkfirst=True)
    have = current_version(conn)
    known = migrations[-1][0] if migrations else 0
    if have > known:
        raise SchemaTooNew(
            f"the scenario store at {safe_url(conn.engine.url)} has schema version {have}, "
            f"written by a newer release; this release knows versions up to {known}",
            url=safe_url(conn.engine.url), version=have, known=known)
    applied = []
    for version, description, apply in migrations:
        if version <= have:
            continue
        apply(conn)
        conn.execute(VERSION.insert().values(version=version, description=description,
                                             applied_at=datetime.now(UTC)))
        applied.append(version)
    return applied

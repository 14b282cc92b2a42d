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
  (see :mod:`planner.store.tables`).

To change the schema in a later release: append a migration ``(2, "what", function)`` to
:data:`MIGRATIONS` that alters the tables with plain DDL on the connection it receives, and
update the table definitions below to the new shape. Migration 1 keeps its own frozen copy
(``_tables_v1``) so a new database is always built the same way as an old one was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from planner.store.database import SchemaTooNew, safe_url

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


def _version_table(md: sa.MetaData) -> sa.Table:
    return sa.Table(
        "schema_version", md,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


# --- the current tables, used by the queries ------------------------------------------------
METADATA = sa.MetaData()
_CURRENT = _tables_v1(METADATA)
SCENARIOS = _CURRENT["scenarios"]
INPUTS = _CURRENT["scenario_inputs"]
TABLES = _CURRENT["scenario_tables"]
VERSION = _version_table(METADATA)


def _migrate_to_1(conn: Connection) -> None:
    md = sa.MetaData()
    _tables_v1(md)
    md.create_all(conn, checkfirst=True)


Migration = tuple[int, str, Callable[[Connection], None]]
#: every migration, in order; a database at version N gets those above N applied
MIGRATIONS: list[Migration] = [
    (1, "scenarios, their input files and their plan tables", _migrate_to_1),
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

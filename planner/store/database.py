"""Where the scenario store lives and how to talk to it: URL, engine, transactions, errors.

The store is SQLite in a file by default (``var/scenarios.db`` under the project folder, created
on first use) and PostgreSQL when ``PLANNER_DATABASE_URL`` points at one
(``postgresql+psycopg://user:password@host:5432/dbname``). A relative SQLite path is taken from
the project folder, wherever the command runs, so the app and the CLI see the same store.

SQLite is opened in WAL mode with a busy timeout, and every write runs in ``BEGIN IMMEDIATE``:
writers queue for the one write lock instead of failing, and readers never block them.
PostgreSQL writes are ordinary transactions; a unique index settles two saves of one name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from planner.domain.text import printable
from planner.i18n import t

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_URL = "sqlite:///var/scenarios.db"
ENV_URL = "PLANNER_DATABASE_URL"
#: seconds a writer waits for SQLite's write lock before giving up
BUSY_TIMEOUT_S = 30.0


class StoreError(RuntimeError):
    """A store operation the user asked for cannot be done; ``code`` keys the message."""

    code = "store_error"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.params = params

    def message(self, lang: str = "vi") -> str:
        """The message in the user's language (catalogue key ``store.error.<code>``); names
        and other text in it have their control characters escaped (safe on a terminal)."""

        return t(f"store.error.{self.code}", lang,
                 **{k: printable(v) if isinstance(v, str) else v for k, v in self.params.items()})


class StoreUnavailable(StoreError):
    code = "unavailable"


class SchemaTooNew(StoreError):
    code = "schema_too_new"


class ScenarioNotFound(StoreError):
    code = "not_found"


class AmbiguousName(StoreError):
    code = "ambiguous"


class NameTaken(StoreError):
    code = "name_taken"


class NotOwner(StoreError):
    code = "not_owner"


class InvalidName(StoreError):
    code = "invalid_name"


class BadStoredScenario(StoreError):
    code = "bad_parameters"


class DamagedScenario(StoreError):
    """A stored scenario whose row, parameters or plan cannot be read back (a damaged store)."""

    code = "damaged"


class BadDatabaseUrl(StoreUnavailable):
    """``PLANNER_DATABASE_URL`` or ``--database`` is not a URL; the message shows none of it."""

    code = "bad_url"


class InvalidText(StoreError):
    """A name, author or note holds a character no store can keep (NUL)."""

    code = "invalid_text"

    def message(self, lang: str = "vi") -> str:
        field = t(f"store.field.{self.params.get('field', 'note')}", lang)
        return t(f"store.error.{self.code}", lang, **{**self.params, "field": field})


def database_url(url: str | URL | None = None) -> URL:
    """The URL to use: ``url``, else ``PLANNER_DATABASE_URL``, else the default SQLite file.

    Relative SQLite paths are resolved against the project folder. A URL that cannot be parsed
    (a missing colon, a port that is not a number) is :class:`StoreUnavailable` whose message
    shows none of the URL: a mistyped URL may still hold a password.
    """
    raw = url if url not in (None, "") else os.environ.get(ENV_URL) or DEFAULT_URL
    try:
        parsed = make_url(raw) if isinstance(raw, str) else raw
    except (ArgumentError, ValueError, TypeError) as exc:
        detail = "bad_port" if isinstance(exc, ValueError) and "int()" in str(exc) else "bad_url"
        raise BadDatabaseUrl("not a database URL (not shown: it may hold a password); "
                             "expected e.g. sqlite:///var/scenarios.db or "
                             "postgresql+psycopg://user:password@host:5432/dbname",
                             problem=detail) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.is_absolute():
            parsed = parsed.set(database=str(PROJECT_DIR / path))
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3 is what we install
    return parsed


#: query parameters of a URL whose values are secrets (libpq's password, sslpassword, ...)
_SECRET_QUERY = re.compile(r"pass|secret|token|key", re.IGNORECASE)


def safe_url(url: URL) -> str:
    """The URL with every secret hidden, for messages and logs: the password and any query
    parameter that names a password, secret, token or key (``?password=...``)."""
    hidden = {k: "***" for k in url.query if _SECRET_QUERY.search(k)}
    if hidden:
        url = url.update_query_dict(hidden)
    return url.render_as_string(hide_password=True)


def create_store_engine(url: URL) -> Engine:
    """An engine set up for the store's transaction rules on SQLite or PostgreSQL."""
    backend = url.get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(url)
        if backend == "postgresql":
            connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 10}
            return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(str(exc), url=safe_url(url), detail=str(exc)) from None
    raise StoreUnavailable(f"unsupported database {backend!r}: use sqlite or postgresql",
                           url=safe_url(url), detail=f"unsupported database {backend!r}")


def _sqlite_engine(url: URL) -> Engine:
    if url.database not in (None, "", ":memory:"):
        try:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the folder for {url.database}: {exc}",
                                   url=safe_url(url), detail=exc.strerror or str(exc)) from None
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # take BEGIN out of the driver's hands (SQLAlchemy's documented recipe), so that
        # reads are repeatable and writes can ask for the write lock up front
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("planner_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that commits at the end or rolls back on any error (or a crash)."""
    with engine.connect() as conn:
        conn = conn.execution_options(planner_write=True)
        with conn.begin():
            yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn

"""Fixtures for the scenario store tests: a fresh store on SQLite (always) and PostgreSQL.

PostgreSQL runs when PLANNER_TEST_DATABASE_URL points at a reachable server (``.ci/run``
starts one with ``scripts/start-postgres``); otherwise those tests are skipped with the
reason. Each test gets its own PostgreSQL schema (dropped afterwards) through the connection
option ``search_path``, so tests never see each other's scenarios.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_ENV = "PLANNER_TEST_DATABASE_URL"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@functools.cache
def postgres_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run, or None when they can."""
    raw = os.environ.get(PG_ENV)
    if not raw:
        return (f"{PG_ENV} is not set; start a throwaway server with scripts/start-postgres "
                "(.ci/run does) to run the PostgreSQL tests")
    try:
        url = make_url(raw)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        engine = sa.create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure means: not reachable, say why
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL at {PG_ENV} is not reachable: {first}"
    return None


def _pg_url() -> sa.engine.URL:
    url = make_url(os.environ[PG_ENV])
    return url.set(drivername="postgresql+psycopg") if url.drivername == "postgresql" else url


@contextmanager
def pg_schema_url() -> Iterator[str]:
    """The test PostgreSQL's URL confined to a fresh schema, dropped afterwards."""
    base = _pg_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}) \
            .render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    """A database URL for an empty store, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scenarios.db'}"
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with pg_schema_url() as url:
        yield url


@pytest.fixture(scope="session")
def sample_inputs():
    from planner.io.inputs import load_inputs
    from planner.io.sample import SAMPLE_FILES

    return load_inputs(**SAMPLE_FILES)


@pytest.fixture(scope="session")
def solved(sample_inputs):
    """(inputs, scenario, allocation): the sample province solved with the sample scenario."""
    from planner.api import solve as solve_scenario
    from planner.domain.scenario import Scenario
    from planner.io.sample import SAMPLE_SCENARIO

    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    return sample_inputs, scenario, solve_scenario(sample_inputs, scenario)

"""Saves from several sessions at once lose nothing; a save killed midway leaves the old state.

Sessions are threads sharing one store, threads with a store each, and separate processes.
The kill test starts a save in a child process that pauses inside its transaction (between the
scenario row and its input files and plan tables, through the PLANNER_STORE_PAUSE_IN_SAVE
hook), kills it with SIGKILL there, and then reads the store.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from planner.domain.scenario import Scenario
from planner.store import ScenarioStore
from planner.store.scenarios import PAUSE_ENV, PAUSE_MESSAGE
from tests.store_backends import sample_inputs, solved, store_url  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent

# a session in its own process: copy the solved template under new names
WORKER = r"""
import sys, time
from pathlib import Path
from planner.store import NameTaken, ScenarioStore
url, prefix, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
store = ScenarioStore(url)
template = store.get("template")
while go != "-" and not Path(go).exists():
    time.sleep(0.01)
for i in range(count):
    name = prefix if count == 1 else f"{prefix}-{i}"
    scenario = template.scenario.with_changes(min_fill=round(0.01 * (i + 1), 2))
    try:
        store.save(name, scenario, allocation=template, note=prefix,
                   replace="--replace" in sys.argv)
    except NameTaken:
        print("name-taken", flush=True)
        sys.exit(9)
print("saved", flush=True)
"""


@pytest.fixture
def template(store_url, solved):  # noqa: F811
    """A store holding one solved scenario, "template", that the sessions copy."""
    inputs, scenario, allocation = solved
    store = ScenarioStore(store_url)
    store.save("template", scenario, allocation=allocation, inputs=inputs, note="template")
    yield store
    store.close()


def _worker(url: str, prefix: str, count: int, go: str = "-", *extra: str,
            env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WORKER, url, prefix, str(count), go, *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})


def _counts(store: ScenarioStore) -> dict[str, int]:
    with store.engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()
                for t in ("scenarios", "scenario_inputs", "scenario_tables")}


def test_threads_saving_at_once_all_keep_their_scenario(template):
    stored = template.get("template")
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def session(k: int, own_store: bool) -> None:
        store = ScenarioStore(template.url) if own_store else template
        try:
            barrier.wait()
            for i in range(5):
                store.save(f"t{k}-{i}", stored.scenario, allocation=stored, note=f"{k}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            if own_store:
                store.close()

    threads = [threading.Thread(target=session, args=(k, k % 2 == 0)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert errors == []
    names = {i.name for i in template.list()}
    assert names == {"template"} | {f"t{k}-{i}" for k in range(8) for i in range(5)}
    assert _counts(template) == {"scenarios": 41, "scenario_inputs": 41 * len(stored.input_files),
                                 "scenario_tables": 41 * 3}
    pd.testing.assert_frame_equal(template.get("t7-4").plan, stored.plan)


def test_processes_saving_at_once_all_keep_their_scenario(template, tmp_path):
    go = tmp_path / "go"
    procs = [_worker(str(template.url.render_as_string(hide_password=False)), f"p{k}", 5,
                     str(go)) for k in range(4)]
    time.sleep(1.0)  # let every process open the store and read the template
    go.touch()
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outs
    names = {i.name for i in template.list()}
    assert names == {"template"} | {f"p{k}-{i}" for k in range(4) for i in range(5)}
    assert template.get("p3-4").scenario.min_fill == 0.05


def test_two_sessions_saving_one_name_never_lose_silently(template, tmp_path):
    """Both save "same" at once: one wins, the other is told the name is taken."""
    go = tmp_path / "go"
    url = template.url.render_as_string(hide_password=False)
    procs = [_worker(url, "same", 1, str(go)) for _ in range(2)]
    time.sleep(1.0)
    go.touch()
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert sorted(outs) == ["name-taken", "saved"]
    assert [i.name for i in template.list()].count("same") == 1


def _holds_write_transaction(store: ScenarioStore) -> bool:
    """Whether another session is inside a write transaction that changed ``scenarios``."""
    if store.backend == "sqlite":
        raw = sqlite3.connect(store.url.database, timeout=0)
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        finally:
            raw.close()
        return False
    with store.engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'scenarios' AND l.mode = 'RowExclusiveLock' "
            "AND l.pid <> pg_backend_pid()")).scalar() > 0


def _kill_inside_save(url: str, *extra: str) -> None:
    proc = _worker(url, "B", 1, "-", *extra, env={PAUSE_ENV: "60"})
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if PAUSE_MESSAGE in line or not line:
            break
    assert PAUSE_MESSAGE in line, proc.stderr.read()
    # the scenario row is written, its files and plan are not: the transaction is open
    observer = ScenarioStore(url)
    assert _holds_write_transaction(observer)
    observer.close()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_a_save_killed_midway_leaves_the_previous_state(template):
    url = template.url.render_as_string(hide_password=False)
    before = _counts(template)
    _kill_inside_save(url)
    after = ScenarioStore(url)  # a fresh session, as after a restart
    assert [i.name for i in after.list()] == ["template"]
    assert _counts(after) == before
    assert after.get("template").plan is not None
    # the store is not left locked: the same save now goes through
    done = _worker(url, "B", 1)
    assert done.communicate(timeout=120)[0].strip() == "saved"
    assert sorted(i.name for i in after.list()) == ["B", "template"]
    if after.backend == "sqlite":
        with after.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    after.close()


def test_a_replace_killed_midway_keeps_the_old_scenario(template):
    url = template.url.render_as_string(hide_password=False)
    stored = template.get("template")
    template.save("B", Scenario(min_fill=0.9), allocation=stored, note="old B")
    old = template.get("B")
    before = _counts(template)
    _kill_inside_save(url, "--replace")
    again = ScenarioStore(url).get("B")
    assert again.info == old.info and again.scenario.min_fill == 0.9
    pd.testing.assert_frame_equal(again.plan, old.plan)
    assert _counts(template) == before


def test_reading_while_a_save_is_in_flight_sees_the_previous_state(template):
    """A paused save holds its transaction open; other sessions still read (WAL on SQLite)."""
    url = template.url.render_as_string(hide_password=False)
    proc = _worker(url, "B", 1, "-", env={PAUSE_ENV: "3"})
    line = proc.stderr.readline()
    assert PAUSE_MESSAGE in line
    t0 = time.monotonic()
    names = [i.name for i in ScenarioStore(url).list()]
    assert time.monotonic() - t0 < 2.5  # did not wait for the writer
    assert names == ["template"]
    assert proc.communicate(timeout=60)[0].strip() == "saved"
    assert sorted(i.name for i in template.list()) == ["B", "template"]

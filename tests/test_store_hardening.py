"""The scenario store against careless and hostile use (issue 17): secrets in URLs, ids that
must never be reused, look-alike names, characters no database keeps, damaged rows.

Every test that does not depend on SQLite's file runs on SQLite and on PostgreSQL
(tests/store_backends.py; PostgreSQL when PLANNER_TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import gzip
import sqlite3
import unicodedata

import pytest
import sqlalchemy as sa

from planner.domain.scenario import Scenario
from planner.store import (
    BadStoredScenario,
    InvalidName,
    NameTaken,
    ScenarioNotFound,
    ScenarioStore,
    StoreUnavailable,
    database_url,
)
from planner.store import schema as S
from planner.store.database import BadDatabaseUrl, DamagedScenario, InvalidText, safe_url
from tests.store_backends import sample_inputs, solved, store_url  # noqa: F401  (fixtures)

SECRET = "s3cr3t-Pa55"


@pytest.fixture
def store(store_url):  # noqa: F811
    s = ScenarioStore(store_url)
    yield s
    s.close()


# --- 1. secrets in database URLs ------------------------------------------------------------

@pytest.mark.parametrize("url", [
    f"postgresql+psycopg//lan:{SECRET}@db.example/planner",     # the colon forgotten
    f"postgresql://lan:{SECRET}@db.example:54x2/planner",       # a port that is not a number
    f"postgresql+psycopg:/lan:{SECRET}@db.example/planner",     # one slash
    f"lan:{SECRET}@db.example/planner",                         # no scheme at all
])
def test_a_mistyped_url_is_refused_without_showing_any_of_it(url):
    with pytest.raises(BadDatabaseUrl) as exc:
        database_url(url)
    assert isinstance(exc.value, StoreUnavailable)  # callers that handle the store's errors
    for lang in ("vi", "en"):
        text = exc.value.message(lang)
        assert SECRET not in text and "db.example" not in text and "lan" not in text.split()
        assert "postgresql+psycopg://" in text  # says what is expected instead
    assert SECRET not in str(exc.value)


def test_every_secret_of_a_parsable_url_is_hidden():
    url = database_url(f"postgresql://lan:{SECRET}@db.example:5432/planner"
                       f"?sslpassword={SECRET}&password={SECRET}&sslmode=require")
    shown = safe_url(url)
    assert SECRET not in shown
    assert "db.example:5432/planner" in shown and "sslmode=require" in shown
    assert SECRET not in repr(ScenarioStore(url))


# --- 4. ids never reused ----------------------------------------------------------------------

def test_a_deleted_scenarios_id_is_never_given_again(store):
    a = store.save("A", Scenario())
    store.delete(a.id)
    b = store.save("B", Scenario())
    assert b.id != a.id and b.id > a.id
    # a stale rename or delete by the old id finds nothing instead of hitting B
    with pytest.raises(ScenarioNotFound):
        store.delete(a.id)
    with pytest.raises(ScenarioNotFound):
        store.rename(a.id, "hijacked")
    assert store.get(b.id).name == "B"
    # replacing keeps the scenario's own id; the next new one still goes up
    assert store.save("B", Scenario(min_fill=0.5), replace=True).id == b.id
    store.delete(b.id)
    c = store.save("C", Scenario())
    assert c.id > b.id


def test_a_store_of_schema_1_is_migrated_and_keeps_its_data(store_url, solved):  # noqa: F811
    inputs, scenario, allocation = solved
    old = ScenarioStore(store_url, migrations=S.MIGRATIONS[:1])
    kept = old.save("Có kết quả", scenario, allocation=allocation, inputs=inputs, note="giữ")
    gone = old.save("Xóa", Scenario())
    old.delete(gone.id)
    nfd = old.save(unicodedata.normalize("NFD", "Mẫu") + "\u200b", Scenario(min_fill=0.3))
    if old.backend == "sqlite":  # what schema 1 did on SQLite: the deleted id came back
        assert nfd.id == gone.id
    old.close()
    new = ScenarioStore(store_url)
    assert new.ensure_schema() == S.SCHEMA_VERSION == 4
    back = new.get(kept.id)
    assert back.name == "Có kết quả" and back.info.note == "giữ"
    assert back.plan.equals(allocation.plan.reset_index(drop=True))
    assert back.info.total_hires == allocation.total_hires
    assert new.get("Mẫu").id == nfd.id  # migration 3 gave the saved name its normal form
    assert [i.name for i in new.list()] == ["Mẫu", "Có kết quả"]
    top = max(i.id for i in new.list())
    newest = new.save("Mới", Scenario())
    assert newest.id == top + 1
    new.delete(newest.id)
    assert new.save("Mới nữa", Scenario()).id == top + 2
    # the children still belong to their scenario: deleting it removes its plan tables
    new.delete(kept.id)
    with new.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(S.TABLES)).scalar() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(S.INPUTS)).scalar() == 0
    new.close()


def test_sqlite_store_uses_autoincrement_and_its_children_refer_to_it(tmp_path):
    path = tmp_path / "s.db"
    ScenarioStore(f"sqlite:///{path}").ensure_schema()
    with sqlite3.connect(path) as con:
        ddl = dict(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        fks = {t: con.execute(f"PRAGMA foreign_key_list({t})").fetchall()
               for t in ("scenario_inputs", "scenario_tables")}
    assert "AUTOINCREMENT" in ddl["scenarios"]
    assert not any(name.endswith("_v2") for name in ddl)
    assert all(rows and rows[0][2] == "scenarios" for rows in fks.values()), fks


# --- 8. look-alike names -----------------------------------------------------------------------

LOOKALIKES = [
    unicodedata.normalize("NFD", "Mẫu  2026"),
    "Mẫu\u200b 2026",                 # zero-width space
    "\ufeffMẫu 2026",                 # BOM in front
    "Mẫu\u00a02026",                  # no-break space
    "Mẫu\u200d\u2060 \t2026\n",       # joiner, word joiner, tab, line break
    "M\u00e2\u0303u 2026",            # â + combining tilde
]


def test_look_alike_names_are_one_name(store):
    first = store.save("Mẫu 2026", Scenario())
    assert first.name == "Mẫu 2026"
    for spelling in LOOKALIKES:
        assert spelling != "Mẫu 2026"
        with pytest.raises(NameTaken):
            store.save(spelling, Scenario())
        assert store.get(spelling).id == first.id
    assert [i.name for i in store.list()] == ["Mẫu 2026"]
    again = store.save(LOOKALIKES[1], Scenario(min_fill=0.2), replace=True)
    assert again.id == first.id and store.get(first.id).scenario.min_fill == 0.2
    other = store.save("Mẫu khác", Scenario())
    with pytest.raises(NameTaken):
        store.rename(other.id, LOOKALIKES[0])
    with pytest.raises(InvalidName):
        store.save("\u200b\u200d\ufeff", Scenario())  # nothing visible left
    with pytest.raises(NameTaken):
        store.check_can_save(LOOKALIKES[2])


# --- characters no store keeps ------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("name", "A\x00B"), ("author", "Lan\x00"), ("note", "x\x00y"), ("note", "bad \udcff byte")])
def test_nul_and_lone_surrogates_are_refused_with_a_message(store, field, value):
    values = {"name": "ok", "author": "", "note": "", field: value}
    name = values.pop("name")
    with pytest.raises(InvalidText) as exc:
        store.save(name, Scenario(), **values)
    message = exc.value.message("vi")
    assert "U+0000" in message or "U+DCFF" in message
    assert store.list() == []


# --- 7. damaged rows ---------------------------------------------------------------------------

def _damage(store: ScenarioStore, sid: int, **values) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE scenarios SET {', '.join(f'{k} = :{k}' for k in values)} "
                             "WHERE id = :sid"), {**values, "sid": sid})


def test_a_damaged_plan_or_parameter_set_is_named_and_the_others_still_list(store, solved):  # noqa: F811
    inputs, scenario, allocation = solved
    good = store.save("Tốt", scenario, allocation=allocation, inputs=inputs)
    bad_plan = store.save("Kế hoạch hỏng", scenario, allocation=allocation, inputs=inputs)
    bad_params = store.save("Tham số hỏng", Scenario())
    odd_params = store.save("Tham số lạ", Scenario())
    with store.engine.begin() as conn:
        conn.execute(S.TABLES.update().where(S.TABLES.c.scenario_id == bad_plan.id,
                                             S.TABLES.c.kind == "plan")
                     .values(payload=b"\x1f\x8b not gzip at all"))
    _damage(store, bad_params.id, parameters='["not", "a", "table"]')
    _damage(store, odd_params.id, parameters='{"total_budget": "một tỷ"}')
    with pytest.raises(DamagedScenario) as exc:
        store.get(bad_plan.id)
    message = exc.value.message("vi")
    assert "Kế hoạch hỏng" in message and f"mã {bad_plan.id}" in message
    assert store.get(bad_plan.id, tables=False).name == "Kế hoạch hỏng"  # parameters still fine
    with pytest.raises(DamagedScenario) as exc:
        store.get("Tham số hỏng")
    assert "Tham số hỏng" in exc.value.message("en")
    with pytest.raises(BadStoredScenario) as exc:
        store.get("Tham số lạ")
    assert "total_budget" in exc.value.message("vi")
    assert store.get(good.id).plan is not None
    assert len(store.list()) == 4


def test_a_gzip_that_holds_no_plan_is_damaged(store, solved):  # noqa: F811
    inputs, scenario, allocation = solved
    info = store.save("Nửa kế hoạch", scenario, allocation=allocation, inputs=inputs)
    doc = b'{"columns":["a"],"dtypes":["int64"],"data":[[1]]}'
    with store.engine.begin() as conn:
        conn.execute(S.TABLES.update().where(S.TABLES.c.scenario_id == info.id,
                                             S.TABLES.c.kind == "plan")
                     .values(payload=gzip.compress(doc)))
    with pytest.raises(DamagedScenario, match="unit_id"):
        store.get(info.id)


def test_one_unreadable_row_does_not_break_the_list_sqlite(tmp_path):
    store = ScenarioStore(f"sqlite:///{tmp_path / 's.db'}")
    a = store.save("A", Scenario())
    b = store.save("B", Scenario())
    c = store.save("C", Scenario())
    with sqlite3.connect(tmp_path / "s.db") as con:  # what a damaged SQLite file can hold
        con.execute("UPDATE scenarios SET updated_at = 'hôm qua' WHERE id = ?", (b.id,))
        con.execute("UPDATE scenarios SET total_hires = 'nhiều' WHERE id = ?", (c.id,))
    infos = {i.id: i for i in store.list()}
    assert set(infos) == {a.id, b.id, c.id}
    assert infos[a.id].damaged == ""
    assert "hôm qua" in infos[b.id].damaged and infos[b.id].name == "B"
    assert "nhiều" in infos[c.id].damaged and infos[c.id].name == "C"
    with pytest.raises(DamagedScenario):
        store.get("B")
    assert store.info("B").damaged  # still reachable to delete
    store.delete("B")
    assert {i.id for i in store.list()} == {a.id, c.id}
    store.close()

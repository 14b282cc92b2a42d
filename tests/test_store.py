"""The scenario store on SQLite and PostgreSQL: round trips, names, ownership, schema versions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from planner.domain.scenario import RowSetting, Scenario, UnitSetting
from planner.store import (
    SCHEMA_VERSION,
    AmbiguousName,
    BadStoredScenario,
    InvalidName,
    NameTaken,
    NotOwner,
    ScenarioNotFound,
    ScenarioStore,
    SchemaTooNew,
    StoreUnavailable,
    info_table,
)
from planner.store import schema as S
from tests.store_backends import sample_inputs, solved, store_url  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(store_url):  # noqa: F811
    s = ScenarioStore(store_url)
    yield s
    s.close()


def _count(store: ScenarioStore, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar()


RICH = Scenario(base_salary=2_340_000, bonus_rate=0.05, budgets={"state_budget": 4e10,
                "fee_revenue": 1.5e9}, total_budget=4.2e10, min_fill=0.5, objective="fair",
                target_fill=0.9, time_limit=20, gap=1e-3, solver="cbc",
                contribution_rates={"civil_servant": 0.2},
                rows=(RowSetting(unit_id="S01", position_id="P1", priority=3, max_hires=2),),
                units=(UnitSetting(unit_id="S01", max_hires=4, budget_cap=5e8, min_fill=0.25),))


def test_schema_is_created_on_first_use_and_versioned(store):
    assert store.ensure_schema() == SCHEMA_VERSION == 4
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(S.VERSION).order_by(S.VERSION.c.version)).all()
    assert [r.version for r in rows] == [1, 2, 3, 4]
    assert all(r.description for r in rows)
    # opening again applies nothing new
    again = ScenarioStore(store.url)
    assert again.ensure_schema() == 4
    assert _count(again, "schema_version") == 4
    again.close()


def test_default_sqlite_path_is_under_the_project_and_its_folder_is_created(tmp_path,
                                                                           monkeypatch):
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    assert ScenarioStore().url.database == str(ROOT / "var" / "scenarios.db")
    target = tmp_path / "deep" / "er" / "s.db"
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{target}")
    s = ScenarioStore()
    s.save("x", Scenario())
    assert target.exists()
    with s.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    s.close()


def test_parameters_and_input_files_round_trip(store, sample_inputs):  # noqa: F811
    info = store.save("Ngân sách −20 tỷ", RICH, inputs=sample_inputs, note="ghi chú\ndòng 2",
                      author="Nguyễn Thị Lan")
    got = store.get(info.id)
    assert got.scenario == RICH
    assert got.info.name == "Ngân sách −20 tỷ"
    assert got.info.author == "Nguyễn Thị Lan" and got.info.note == "ghi chú\ndòng 2"
    assert got.inputs_fingerprint == sample_inputs.fingerprint
    assert [(f.role, f.name, f.fingerprint, f.rows) for f in got.input_files] == \
        [(f.role, f.name, f.fingerprint, f.rows) for f in sample_inputs.files]
    assert got.plan is None and not got.has_result
    assert got.info.created_at.tzinfo is not None


def test_result_round_trips_exactly(store, solved):  # noqa: F811
    inputs, scenario, allocation = solved
    info = store.save("A", scenario, allocation=allocation, inputs=inputs)
    assert info.total_hires == allocation.total_hires
    assert info.total_cost == pytest.approx(allocation.total_cost)
    assert info.status == str(allocation.status)
    got = store.get("A")
    pd.testing.assert_frame_equal(got.plan, allocation.plan.reset_index(drop=True))
    pd.testing.assert_frame_equal(got.by_unit, allocation.by_unit.reset_index(drop=True))
    assert got.summary["total_hires"] == allocation.summary()["total_hires"]
    assert got.scenario == scenario


def test_reopened_after_a_restart_in_a_new_process(store_url, solved):  # noqa: F811
    inputs, scenario, allocation = solved
    s = ScenarioStore(store_url)
    s.save("kept", scenario, allocation=allocation, inputs=inputs, note="n")
    s.close()
    code = ("import sys; from planner.store import ScenarioStore;"
            "g = ScenarioStore(sys.argv[1]).get('kept');"
            "print(g.info.total_hires, int(g.plan['hires'].sum()), g.scenario.to_toml() != '')")
    out = subprocess.run([sys.executable, "-c", code, store_url], capture_output=True,
                         text=True, cwd=ROOT, check=True).stdout.split()
    assert out == [str(allocation.total_hires), str(int(allocation.plan["hires"].sum())), "True"]


def test_a_name_is_not_overwritten_unless_asked(store, solved):  # noqa: F811
    inputs, scenario, allocation = solved
    first = store.save("A", Scenario(), inputs=inputs, note="first")
    with pytest.raises(NameTaken) as exc:
        store.save("  A ", Scenario(min_fill=0.2))  # names are trimmed before comparing
    assert "A" in str(exc.value) and exc.value.message("vi") != exc.value.message("en")
    assert store.get("A").info.note == "first"
    replaced = store.save("A", scenario, allocation=allocation, inputs=inputs, note="second",
                          replace=True)
    assert replaced.id == first.id and replaced.created_at == first.created_at
    assert replaced.updated_at >= first.updated_at
    got = store.get("A")
    assert got.info.note == "second" and got.plan is not None
    assert _count(store, "scenarios") == 1
    assert _count(store, "scenario_inputs") == len(inputs.files)
    assert _count(store, "scenario_tables") == 3  # plan, by_unit, budget_values


def test_rename_note_share_and_delete(store, sample_inputs):  # noqa: F811
    a = store.save("A", Scenario(), inputs=sample_inputs)
    store.save("B", Scenario())
    assert store.rename("A", "A2").name == "A2"
    with pytest.raises(ScenarioNotFound):
        store.get("A")
    with pytest.raises(NameTaken):
        store.rename("A2", "B")
    assert store.set_note(a.id, "xem lại").note == "xem lại"
    assert store.set_shared("A2", True).shared is True
    gone = store.delete("A2")
    assert gone.id == a.id
    assert [i.name for i in store.list()] == ["B"]
    assert _count(store, "scenario_inputs") == 0
    with pytest.raises(ScenarioNotFound):
        store.delete(a.id)


def test_list_is_newest_first_and_tabulates(store):
    for name in ("one", "two", "three"):
        store.save(name, Scenario())
    store.set_note("one", "touched")  # changing a scenario moves it to the top
    infos = store.list()
    assert [i.name for i in infos] == ["one", "three", "two"]
    table = info_table(infos)
    assert list(table["name"]) == ["one", "three", "two"]
    assert table["total_hires"].isna().all()


def test_owners_see_their_own_and_shared_scenarios_only(store):
    store.save("mine", Scenario(), owner="lan@so-noi-vu")
    store.save("hers shared", Scenario(), owner="mai@so-noi-vu", shared=True)
    hidden = store.save("hers private", Scenario(), owner="mai@so-noi-vu")
    lan = "lan@so-noi-vu"
    assert sorted(i.name for i in store.list(lan)) == ["hers shared", "mine"]
    assert len(store.list()) == 3  # no user: local use, everything visible
    with pytest.raises(ScenarioNotFound):
        store.get("hers private", lan)
    with pytest.raises(ScenarioNotFound):
        store.get(hidden.id, lan)  # ids do not reveal private scenarios either
    assert store.get("hers shared", lan).info.owner == "mai@so-noi-vu"
    for change in (lambda: store.rename("hers shared", "x", lan),
                   lambda: store.delete("hers shared", lan),
                   lambda: store.set_shared("hers shared", False, lan)):
        with pytest.raises(NotOwner):
            change()
    assert store.delete("hers shared", "mai@so-noi-vu").name == "hers shared"
    # saved without sign-in: everybody reads it, only the local (no user) mode changes it
    store.save("before sign-in", Scenario())
    assert "before sign-in" in {i.name for i in store.list(lan)}
    with pytest.raises(NotOwner):
        store.delete("before sign-in", lan)
    store.delete("before sign-in")
    # the same name may be used by two owners; each resolves to their own
    store.save("mine", Scenario(min_fill=0.3), owner="mai@so-noi-vu", shared=True)
    assert store.get("mine", lan).info.owner == lan
    assert store.get("mine", "mai@so-noi-vu").scenario.min_fill == 0.3
    with pytest.raises(AmbiguousName):
        store.get("mine")  # without a user both are visible: the id is needed


def test_names_and_ids(store):
    a = store.save("2024", Scenario())
    b = store.save("other", Scenario())
    assert store.get("2024").id == a.id  # a name that looks like a number is a name first
    assert store.get(str(b.id)).id == b.id
    assert store.get(b.id).name == "other"
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(InvalidName):
            store.save(bad, Scenario())
    with pytest.raises(ScenarioNotFound) as exc:
        store.get("missing")
    assert "missing" in exc.value.message("en")


def test_summary_with_nan_is_stored_as_json(store, solved):  # noqa: F811
    inputs, scenario, allocation = solved

    import dataclasses

    with_nan = dataclasses.replace(allocation, total_hires=0, total_cost=float("nan"),
                                   gap=float("nan"))
    store.save("nan", scenario, allocation=with_nan, inputs=inputs)
    got = store.get("nan")
    assert got.summary["gap"] is None and got.info.total_cost is None


def test_later_migrations_apply_in_order_once(store_url):  # noqa: F811
    calls = []
    NEXT = S.SCHEMA_VERSION + 1  # a release after this one

    def add_tag(conn):
        calls.append(NEXT)
        conn.execute(sa.text("ALTER TABLE scenarios ADD COLUMN tag VARCHAR(40)"))

    later = [*S.MIGRATIONS, (NEXT, "a tag on scenarios", add_tag)]
    old = ScenarioStore(store_url)
    old.save("before", Scenario())
    old.close()
    new = ScenarioStore(store_url, migrations=later)
    assert new.ensure_schema() == NEXT
    assert new.get("before").name == "before"  # data kept through the migration
    new.close()
    assert ScenarioStore(store_url, migrations=later).ensure_schema() == NEXT
    assert calls == [NEXT]
    with pytest.raises(SchemaTooNew) as exc:  # the older release refuses the newer database
        ScenarioStore(store_url).list()
    assert f"version {NEXT}" in str(exc.value)


def test_an_unreachable_database_is_a_clear_error():
    s = ScenarioStore("postgresql+psycopg://who:secret@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(StoreUnavailable) as exc:
        s.list()
    assert "secret" not in str(exc.value) and "127.0.0.1:1" in str(exc.value)
    assert "***" in exc.value.message("vi")
    with pytest.raises(StoreUnavailable):
        ScenarioStore("nonsense://")


def test_a_reopened_result_is_the_allocation_that_was_saved(store, solved):  # noqa: F811
    from planner.optimise.result import Allocation
    from planner.store.restore import allocation_from_stored

    inputs, scenario, allocation = solved
    store.save("A", scenario, allocation=allocation, inputs=inputs)
    back = allocation_from_stored(store.get("A"))
    assert isinstance(back, Allocation)
    assert back.status is allocation.status and back.has_plan
    for name in ("total_hires", "total_cost", "cost_by_source", "budgets", "budget_used_share",
                 "objective", "gap", "solver", "parameters"):
        assert getattr(back, name) == getattr(allocation, name), name
    pd.testing.assert_frame_equal(back.plan, allocation.plan.reset_index(drop=True))
    pd.testing.assert_frame_equal(back.by_unit, allocation.by_unit.reset_index(drop=True))
    pd.testing.assert_frame_equal(back.budget_values,
                                  allocation.budget_values.reset_index(drop=True))
    assert back.summary() == allocation.summary()


def test_stored_parameters_this_release_refuses_are_a_clear_error(store):
    info = store.save("old", Scenario())
    with store.engine.begin() as conn:
        conn.execute(S.SCENARIOS.update().where(S.SCENARIOS.c.id == info.id)
                     .values(parameters={"objective": "cheapest"}))
    with pytest.raises(BadStoredScenario) as exc:
        store.get("old")
    assert "old" in exc.value.message("vi") and "objective" in exc.value.message("en")
    assert [i.name for i in store.list()] == ["old"]  # the list still works

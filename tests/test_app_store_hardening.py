"""AppTest: what the Saved scenarios page shows about its database, and a damaged store (issue 17).

Visitors never see where the store is (no URL, password, host or file path), an unusable store
is a neutral Vietnamese message, and a damaged scenario is marked in the list and refused with
a Vietnamese message when reopened, leaving the plan on screen as it was.
"""

from __future__ import annotations

import sqlite3

from app_helpers import texts
from test_app_scenarios import _open, app_file  # noqa: F401  (fixture)

from planner.domain.scenario import Scenario
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES
from planner.store import ScenarioStore

SECRET = "s3cr3t-Pa55"


def _everything(at) -> str:
    """Every text the page shows, messages and captions included."""
    parts = [texts(at)]
    for group in (at.error, at.warning, at.info, at.success, at.caption, at.markdown):
        parts += [str(e.value) for e in group]
    return "\n".join(parts)


def test_the_page_shows_no_database_location(app_file, tmp_path):  # noqa: F811
    app, url = app_file
    at = _open(app)
    shown = _everything(at)
    assert "Lưu trong kho phương án của máy chủ" in shown
    assert url not in shown and str(tmp_path) not in shown and "scenarios.db" not in shown
    assert "sqlite" not in shown


def test_a_mistyped_or_unreachable_database_url_is_a_neutral_message(app_file, monkeypatch):  # noqa: F811
    app, _ = app_file
    from planner.ui.scenarios_page import _store

    for url in (f"postgresql+psycopg//lan:{SECRET}@db.example/planner",
                f"postgresql://lan:{SECRET}@db.example:54x2/planner",
                f"postgresql+psycopg://lan:{SECRET}@127.0.0.1:1/none?connect_timeout=2"):
        monkeypatch.setenv("PLANNER_DATABASE_URL", url)
        _store.clear()
        at = _open(app)
        shown = _everything(at)
        assert "Hiện không dùng được kho phương án của máy chủ" in shown, shown
        assert SECRET not in shown and "db.example" not in shown and "127.0.0.1" not in shown
        assert "lan" not in shown.split()
    _store.clear()


def test_a_damaged_scenario_is_marked_and_refused_in_vietnamese(app_file):  # noqa: F811
    app, url = app_file
    inputs = load_inputs(**SAMPLE_FILES)
    store = ScenarioStore(url)
    good = store.save("Tốt", Scenario(min_fill=0.3, time_limit=20), inputs=inputs)
    bad = store.save("Hỏng", Scenario(min_fill=0.6), inputs=inputs)
    broken_row = store.save("Dòng hỏng", Scenario(), inputs=inputs)
    store.close()
    with sqlite3.connect(url.removeprefix("sqlite:///")) as con:
        con.execute("UPDATE scenarios SET parameters = '{\"min_fill\": ' WHERE id = ?", (bad.id,))
        con.execute("UPDATE scenarios SET updated_at = 'hôm qua' WHERE id = ?",
                    (broken_row.id,))
    at = _open(app)
    table = at.dataframe[0].value
    assert set(table["Tên phương án"]) == {"Tốt", "Hỏng", "Dòng hỏng"}
    status = dict(zip(table["Tên phương án"], table["Lời giải"], strict=True))
    assert status["Dòng hỏng"] == "⚠ Bị hỏng" and status["Tốt"] == "chưa giải"
    before = at.session_state["scenario"]
    at.selectbox(key="w_store_pick").select(bad.id).run()
    at.button(key="store_reopen").click().run()
    assert not at.exception, [e.message for e in at.exception]
    errors = "\n".join(e.value for e in at.error)
    assert f"Phương án đã lưu «Hỏng» (mã {bad.id}) bị hỏng trong kho" in errors, errors
    assert at.session_state["scenario"] == before  # nothing on screen changed
    at.selectbox(key="w_store_pick").select(good.id).run()
    at.button(key="store_reopen").click().run()
    assert at.session_state["scenario"] == Scenario(min_fill=0.3, time_limit=20)

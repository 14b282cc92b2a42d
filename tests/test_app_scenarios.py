"""AppTest: the Saved scenarios page (Phương án đã lưu) against a real SQLite store.

The app under test is streamlit_app.py with this page added to its navigation (the wrapper is
written next to a link to ``planner/`` so page paths resolve as in the real app).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import texts
from streamlit.testing.v1 import AppTest

from planner.domain.scenario import Scenario
from planner.i18n import t
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES
from planner.store import ScenarioStore

ROOT = Path(__file__).resolve().parent.parent
PAGE = "planner/ui/scenarios_page.py"
PLAN = "planner/ui/plan_page.py"
NAV_LINE = '    page("planner/ui/scenarios_page.py", "scenarios", ":material/bookmarks:", ' \
           '"phuong-an-da-luu"),\n'


@pytest.fixture
def app_file(tmp_path, monkeypatch):
    """streamlit_app.py with the Scenarios page in its navigation, and a fresh store."""
    source = (ROOT / "streamlit_app.py").read_text(encoding="utf-8")
    if "scenarios_page.py" not in source:
        lines = source.splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if "plan_page.py" in line)
        lines.insert(at + 1, NAV_LINE)
        source = "".join(lines)
    (tmp_path / "planner").symlink_to(ROOT / "planner")
    (tmp_path / "app.py").write_text(source, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'scenarios.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    return str(tmp_path / "app.py"), url


def _open(app: str, page: str = PAGE) -> AppTest:
    at = AppTest.from_file(app, default_timeout=180)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _save(at: AppTest, name: str, note: str = "", *, replace: bool = False) -> AppTest:
    """Fill the save form (whatever its version) and press Save."""
    try:
        v = at.session_state["store_form_version"]
    except KeyError:
        v = 0
    at.text_input(key=f"w_save_name.{v}").input(name)
    at.text_area(key=f"w_save_note.{v}").input(note)
    if replace:
        at.checkbox(key=f"w_save_replace.{v}").check()
    at.button(key=f"FormSubmitter:store_save_form.{v}-Lưu").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_save_parameters_list_rename_and_delete_with_confirmation(app_file):
    app, url = app_file
    at = _open(app)
    assert at.header[0].value == "Phương án đã lưu"
    assert "chạy không đăng nhập" in texts(at)
    _save(at, "Chỉ tham số", "chưa giải")
    assert "Đã lưu phương án «Chỉ tham số»" in texts(at)
    assert at.text_input(key="w_save_name.1").value == ""  # an empty form for the next one
    stored = ScenarioStore(url).get("Chỉ tham số")
    assert stored.info.note == "chưa giải"
    assert stored.inputs_fingerprint == load_inputs(**SAMPLE_FILES).fingerprint
    # a name in use is not overwritten
    _save(at, "Chỉ tham số", "lần hai")
    assert "Đã có phương án tên «Chỉ tham số»" in "\n".join(e.value for e in at.error)
    assert ScenarioStore(url).get("Chỉ tham số").info.note == "chưa giải"
    # the list shows it; rename it
    table = at.dataframe[0].value
    assert list(table["Tên phương án"]) == ["Chỉ tham số"]
    assert list(table["Lời giải"]) == ["chưa giải"]
    assert list(table["Dữ liệu"]) == ["dữ liệu đang dùng"]
    at.text_input(key="w_store_rename").input("Tham số mẫu").run()
    at.button(key="store_rename").click().run()
    assert "thành «Tham số mẫu»" in texts(at)
    assert [i.name for i in ScenarioStore(url).list()] == ["Tham số mẫu"]
    # delete asks first; "keep it" keeps it
    at.button(key="store_delete").click().run()
    assert "Xóa hẳn phương án «Tham số mẫu»" in texts(at)
    at.button(key="store_delete_no").click().run()
    assert len(ScenarioStore(url).list()) == 1
    at.button(key="store_delete").click().run()
    at.button(key="store_delete_yes").click().run()
    assert "Đã xóa phương án «Tham số mẫu»" in texts(at)
    assert ScenarioStore(url).list() == []
    assert "Chưa có phương án nào được lưu" in texts(at)


def test_reopen_restores_every_parameter(app_file):
    app, url = app_file
    wanted = Scenario(budgets={"state_budget": 4.5e10, "fee_revenue": 1e9}, min_fill=0.4,
                      objective="fair", base_salary=2_340_000, time_limit=20)
    ScenarioStore(url).save("Công bằng", wanted, inputs=load_inputs(**SAMPLE_FILES))
    at = _open(app)
    at.button(key="store_reopen").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["scenario"] == wanted
    assert "Đã mở lại các tham số của phương án «Công bằng»" in texts(at)


def test_saved_scenarios_survive_a_restart(app_file):
    app, url = app_file
    at = _open(app)
    _save(at, "Trước khi khởi động lại")
    from planner.ui.scenarios_page import _store

    _store.clear()  # a new server process starts without the cached store
    again = _open(app)
    assert list(again.dataframe[0].value["Tên phương án"]) == ["Trước khi khởi động lại"]
    assert [i.name for i in ScenarioStore(url).list()] == ["Trước khi khởi động lại"]


def test_save_the_plan_reopen_it_and_compare(app_file):
    app, url = app_file
    at = AppTest.from_file(app, default_timeout=300)
    at.run()
    at.switch_page(PLAN).run()  # the sample is solved on the first visit
    assert not at.exception, [e.message for e in at.exception]
    result = at.session_state["plan_result"]
    at.switch_page(PAGE).run()
    _save(at, "Mẫu", "phương án mẫu")
    saved = ScenarioStore(url).get("Mẫu")
    assert saved.info.total_hires == result.allocation.total_hires
    assert int(saved.plan["hires"].sum()) == int(result.allocation.plan["hires"].sum())
    # a second scenario with less state budget, saved from the store API with its own solve
    from planner.api import solve as solve_scenario

    inputs = load_inputs(**SAMPLE_FILES)
    lower = saved.scenario.with_changes(budgets={**saved.scenario.budgets,
                                                 "state_budget": 3e10})
    ScenarioStore(url).save("Ngân sách 30 tỷ", lower, allocation=solve_scenario(inputs, lower),
                            inputs=inputs)
    at.run()
    # reopen "Mẫu" after changing the parameters: plan and parameters come back
    at.session_state["scenario"] = lower
    at.selectbox(key="w_store_pick").select(saved.id).run()
    at.button(key="store_reopen").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.session_state["scenario"] == saved.scenario
    back = at.session_state["plan_result"]
    assert back.allocation.total_hires == saved.info.total_hires
    assert "Đã mở lại phương án «Mẫu»" in texts(at)
    assert t("ui.plan.stale", "vi") not in texts(at)  # the plan shown is the one reopened
    # compare the two
    at.switch_page(PAGE).run()
    ids = [i.id for i in ScenarioStore(url).list()]
    at.multiselect(key="w_store_compare").select(saved.id).select(
        next(i for i in ids if i != saved.id)).run()
    assert not at.exception, [e.message for e in at.exception]
    frames = [d.value for d in at.dataframe]
    headline = next(f for f in frames if "Chỉ tiêu" in f.columns)
    assert "Chênh lệch Ngân sách 30 tỷ − Mẫu" in headline.columns
    assert "dữ liệu đầu vào khác nhau" not in texts(at)
    assert at.get("vega_lite_chart")
    # the chart's measure survives the switch to English (the radio's labels are translated)
    at.radio(key="w_store_compare_measure@vi").set_value("remaining").run()
    at.sidebar.radio(key="w_lang").set_value("en").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.radio(key="w_store_compare_measure@en").value == "remaining"


def test_different_input_data_is_said_when_comparing(app_file):
    from planner.api import solve as solve_scenario

    app, url = app_file
    store = ScenarioStore(url)
    sample = load_inputs(**SAMPLE_FILES)
    # the first 40 rows of the sample, given as a table: other input data
    other = load_inputs(sample.positions.drop(columns=["source_row"]).head(40))
    assert other.fingerprint != sample.fingerprint
    for name, inputs in (("Mẫu", sample), ("Tệp khác", other)):
        store.save(name, Scenario(), allocation=solve_scenario(inputs, Scenario()),
                   inputs=inputs)
    at = _open(app)
    ids = [i.id for i in store.list()]
    at.multiselect(key="w_store_compare").select(ids[0]).select(ids[1]).run()
    assert not at.exception, [e.message for e in at.exception]
    assert "được tính trên dữ liệu đầu vào khác nhau" in "\n".join(w.value for w in at.warning)
    # the list says which scenarios were solved on the data in use
    assert sorted(at.dataframe[0].value["Dữ liệu"]) == ["dữ liệu khác", "dữ liệu đang dùng"]

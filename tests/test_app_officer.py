"""AppTest: the app as an HR officer uses it (issue 13) where no browser is needed.

Amounts typed the Vietnamese way and said back under the field; an ambiguous entry refused
under its field; saving from the Plan page into the real store; the Gaps page's headline
figures following its search.
"""

from __future__ import annotations

import pytest
from app_helpers import metrics, open_page, start, texts

from planner.i18n import fmt_number
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES
from planner.store import ScenarioStore

pytestmark = pytest.mark.slow
BUDGET = "w_budget.state_budget"


def plan_page():
    return open_page(start(), "plan")


def captions(at) -> str:
    return "\n".join(str(c.value) for c in at.caption)


def test_amounts_typed_the_vietnamese_way_are_said_back():
    at = plan_page()
    at.text_input(key=BUDGET).input("2,5").run()
    assert "= 2,5 tỷ đ (2.500.000.000 đ)" in captions(at)
    assert at.session_state["scenario"].budgets["state_budget"] == 2_500_000_000
    at.text_input(key=BUDGET).input("500 triệu").run()
    assert at.session_state["scenario"].budgets["state_budget"] == 500_000_000
    for typed in ("2.340.000", "2 340 000", "2,340,000", "2.340.000 đ"):
        at.text_input(key="w_base_salary").input(typed).run()
        assert at.session_state["scenario"].base_salary == 2_340_000, typed
        assert "= 2.340.000 đ" in captions(at)
    at.text_input(key="w_min_fill").input("12,5").run()
    assert at.session_state["scenario"].min_fill == 0.125


@pytest.mark.parametrize(("key", "typed", "says"), [
    (BUDGET, "1.500", "có hai cách hiểu: 1500 hay 1,5?"),
    (BUDGET, "60000000000", "quá lớn"),          # đồng typed into a field of tỷ
    ("w_base_salary", "2,5", "quá nhỏ"),         # 2,5 is not a base salary in đồng
    ("w_base_salary", "2 34 000", "nhóm chữ số"),
    ("w_min_fill", "150", "quá lớn"),
])
def test_an_entry_that_is_not_one_number_is_an_error_under_its_field(key, typed, says):
    at = plan_page()
    before = at.session_state["scenario"]
    at.text_input(key=key).input(typed).run()
    assert not at.exception
    assert any(says in e.value and typed in e.value for e in at.error), [e.value for e in
                                                                          at.error]
    assert at.button(key="solve").disabled  # nothing solved on a number never typed
    assert at.session_state["scenario"] == before


def test_save_from_the_plan_page(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'scenarios.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    at = plan_page()
    at.text_input(key=BUDGET).input("45").run()
    at.button(key="solve").click().run()
    result = at.session_state["plan_result"]
    at.text_input(key="w_plan_save_name.0").input("Ngân sách 45 tỷ")
    at.text_input(key="w_plan_save_note.0").input("đề xuất cho Sở Tài chính")
    at.button(key="FormSubmitter:plan_save_form.0-Lưu").click().run()
    assert not at.exception
    assert "Đã lưu phương án «Ngân sách 45 tỷ»" in texts(at)
    store = ScenarioStore(url)
    try:
        saved = store.get("Ngân sách 45 tỷ")
    finally:
        store.close()
    assert saved.info.note == "đề xuất cho Sở Tài chính"
    assert saved.scenario.budgets["state_budget"] == 45e9
    assert saved.info.total_hires == result.allocation.total_hires
    assert saved.plan["hires"].tolist() == result.allocation.plan["hires"].tolist()


def test_the_gaps_headline_follows_the_search():
    at = start()
    positions = load_inputs(*SAMPLE_FILES.values()).positions
    at.text_input(key="w_gaps_search").input("Khánh Sơn").run()
    from planner.domain.text import fold

    hit = positions[positions["unit_name"].map(lambda n: "khanh son" in fold(n))]
    assert len(hit) and hit["quota"].sum() < positions["quota"].sum()
    assert metrics(at)["Biên chế được giao"] == fmt_number(int(hit["quota"].sum()), "vi")
    assert f"{hit['unit_id'].nunique()} đơn vị" in captions(at)

"""AppTest: work survives a reload (issue 13, item 2), through the real scenario store.

An officer uploads a table, types a budget, solves; a new session opened on the same address
(``?ban_nhap=<id>``, as F5 or a restarted server gives) has the same data, parameters and
plan, and the sidebar says it was restored. A session without the id, or with another or a
guessed id, gets none of it; with sign-in, another officer on the same address gets nothing.
"""

from __future__ import annotations

import pytest
from app_helpers import APP, metrics, open_page
from streamlit.testing.v1 import AppTest
from test_auth import AUTH
from test_session_isolation import COMBINED, SAMPLE_QUOTA, upload

pytestmark = pytest.mark.slow

BUDGET = "w_budget.state_budget"


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'scenarios.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    return url


def session(draft_id: str | None = None, user: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if user:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": user}
    if draft_id:
        at.query_params["ban_nhap"] = draft_id
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def sidebar_text(at) -> str:
    return "\n".join(str(e.value) for e in (*at.sidebar.markdown, *at.sidebar.caption,
                                             *at.sidebar.success))


def test_upload_budget_and_plan_come_back_on_the_same_address(store):
    a = session()
    upload(a, "bien_che_cua_Lan.csv", COMBINED)
    open_page(a, "plan")
    a.text_input(key=BUDGET).input("0,3").run()  # 300 triệu: not enough for every vacancy
    a.button(key="solve").click().run()
    assert not a.exception
    plan = a.session_state["plan_result"]
    assert plan.scenario.budgets == {"state_budget": 300_000_000}
    draft_id = a.query_params["ban_nhap"][0] if isinstance(a.query_params["ban_nhap"], list) \
        else a.query_params["ban_nhap"]
    assert len(draft_id) == 32

    b = session(draft_id)  # F5: a new session on the same address
    assert "bien_che_cua_Lan.csv" in sidebar_text(b)
    assert "Đã khôi phục" in sidebar_text(b)
    open_page(b, "gaps")
    assert metrics(b)["Biên chế được giao"] == "30"
    open_page(b, "plan")
    assert b.text_input(key=BUDGET).value == "0,3"
    back = b.session_state["plan_result"]
    assert back.scenario.to_toml() == plan.scenario.to_toml()
    assert back.allocation.total_hires == plan.allocation.total_hires
    assert back.allocation.plan.reset_index(drop=True).equals(
        plan.allocation.plan.reset_index(drop=True))
    assert metrics(b)["Tuyển dụng"] == metrics(a)["Tuyển dụng"]

    # another officer's address without the id, a guessed id, another random id: nothing
    for other in (session(), session("1"), session("A" * 32)):
        open_page(other, "gaps")
        assert metrics(other)["Biên chế được giao"] == SAMPLE_QUOTA
        assert "bien_che_cua_Lan.csv" not in sidebar_text(other)
        assert other.query_params["ban_nhap"] != draft_id


def test_with_sign_in_a_draft_is_its_officers_only(store):
    lan = session(user="lan@sonoivu.example")
    upload(lan, "bien_che_cua_Lan.csv", COMBINED)
    open_page(lan, "gaps")
    lan.run()  # the draft is written at the end of a run
    draft_id = lan.query_params["ban_nhap"]
    draft_id = draft_id[0] if isinstance(draft_id, list) else draft_id

    mai = session(draft_id, user="mai@sonoivu.example")  # Lan's address, Mai signed in
    open_page(mai, "gaps")
    assert metrics(mai)["Biên chế được giao"] == SAMPLE_QUOTA
    assert "bien_che_cua_Lan.csv" not in sidebar_text(mai)

    again = session(user="lan@sonoivu.example")  # Lan, on the app's address without the id
    open_page(again, "gaps")
    assert metrics(again)["Biên chế được giao"] == "30"


def test_back_to_the_sample_leaves_no_old_work_to_restore(store):
    a = session()
    upload(a, "bien_che_cua_Lan.csv", COMBINED)
    open_page(a, "gaps")
    a.run()
    draft_id = a.query_params["ban_nhap"]
    draft_id = draft_id[0] if isinstance(draft_id, list) else draft_id
    open_page(a, "data")
    a.button(key="back_to_sample").click().run()
    a.run()
    b = session(draft_id)
    open_page(b, "gaps")
    assert metrics(b)["Biên chế được giao"] == SAMPLE_QUOTA
    assert "bien_che_cua_Lan.csv" not in sidebar_text(b)

"""Sessions stay isolated (issue 7): one officer's upload, parameters or plan never appear in
another's session.

Two AppTest sessions of the real streamlit_app.py in one process, sharing what a server's
sessions share (the modules, ``st.cache_data``, ``st.cache_resource``), each with its own
session state, as two browsers on one server.
"""

from __future__ import annotations

import pytest
from app_helpers import APP, metrics, open_page, start, texts
from streamlit.testing.v1 import AppTest
from test_auth import AUTH, SCENARIOS

from planner.api import solve as solve_scenario
from planner.domain.scenario import Scenario
from planner.i18n import fmt_number
from planner.io.amounts import parse_amount
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO

pytestmark = pytest.mark.slow

COMBINED = ("Tên đơn vị,Vị trí việc làm,Biên chế được giao,Số có mặt,Hệ số lương\n"
            "Sở Nội vụ,Chuyên viên,10,8,\"2,34\"\nTrường A,Giáo viên,20,15,\"2,34\"\n")
SAMPLE_QUOTA = "9.272"  # the sample province's quota, as the Gaps page shows it
BUDGET = "w_budget.state_budget"


def sample_budget_b() -> float:
    sc = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    return sc.budgets["state_budget"] / 1e9


def upload(at, name: str, text: str) -> None:
    open_page(at, "data")
    at.file_uploader(key="w_quotas_file").set_value((name, text.encode(), "text/csv"))
    at.run()
    at.button(key="load").click().run()
    assert not at.exception, [e.message for e in at.exception]


def sidebar_text(at) -> str:
    return "\n".join(str(e.value) for e in (*at.sidebar.markdown, *at.sidebar.caption))


def is_fresh_sample_session(b, sample_hires: str) -> None:
    """What an officer who has just arrived sees: the sample, its parameters, its plan."""
    open_page(b, "gaps")
    assert metrics(b)["Biên chế được giao"] == SAMPLE_QUOTA
    assert "bien_che_cua_A.csv" not in sidebar_text(b) + texts(b)
    open_page(b, "plan")
    assert parse_amount(b.text_input(key=BUDGET).value, unit="billion") == sample_budget_b() * 1e9
    assert metrics(b)["Tuyển dụng"] == sample_hires
    assert b.session_state["dataset"].kind == "sample"
    assert b.session_state["plan_result"].scenario.budgets["state_budget"] == \
        sample_budget_b() * 1e9


def test_one_officers_work_never_reaches_another_session():
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"],
                         SAMPLE_FILES["units"])
    a = open_page(start(), "plan")
    sample_hires = metrics(a)["Tuyển dụng"]

    # A: new parameters, solved
    a.text_input(key=BUDGET).input("33").run()
    a.text_input(key="w_min_fill").input("10").run()
    a.button(key="solve").click().run()
    assert not a.exception
    a_hires = metrics(a)["Tuyển dụng"]
    assert a_hires != sample_hires  # A's plan is recognisably A's
    a_plan = a.session_state["plan_result"]
    assert a_plan.scenario.budgets["state_budget"] == 33e9

    # B arrives: the sample, default parameters, the sample's plan, none of A's
    b = start()
    is_fresh_sample_session(b, sample_hires)
    assert b.session_state["plan_result"] is not a_plan
    direct = solve_scenario(inputs, b.session_state["plan_result"].scenario)
    assert metrics(b)["Tuyển dụng"] == fmt_number(direct.total_hires, "vi")

    # A loads other data; B, already working, and C, arriving, still have the sample
    upload(a, "bien_che_cua_A.csv", COMBINED)
    open_page(a, "gaps")
    assert metrics(a)["Biên chế được giao"] == "30"
    b.run()
    is_fresh_sample_session(b, sample_hires)
    is_fresh_sample_session(start(), sample_hires)

    # B's own change does not reach A either
    b.text_input(key=BUDGET).input("25").run()
    b.button(key="solve").click().run()
    a.run()
    assert metrics(a)["Biên chế được giao"] == "30"
    assert any("bien_che_cua_A.csv" in m for m in sidebar_text(a).splitlines())
    open_page(a, "plan")
    assert a.text_input(key=BUDGET).value == ""  # other data: a fresh scenario, no budget


def test_two_sessions_signed_in_as_different_users_keep_their_own_identity(tmp_path,
                                                                           monkeypatch):
    # the identity the store sees comes from each session's own st.user, not a shared value
    monkeypatch.setenv("PLANNER_DATABASE_URL", f"sqlite:///{tmp_path / 'scenarios.db'}")
    seen = {}
    for email in ("lan@sonoivu.example", "mai@sonoivu.example"):
        at = AppTest.from_file(APP, default_timeout=180)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email}
        at.run()
        at.switch_page(SCENARIOS).run()
        seen[email] = texts(at)
    assert "lan@sonoivu.example" in seen["lan@sonoivu.example"]
    assert "lan@sonoivu.example" not in seen["mai@sonoivu.example"]
    assert "mai@sonoivu.example" in seen["mai@sonoivu.example"]

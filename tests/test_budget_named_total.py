"""A funding source may be named "total" (or "Tổng") without colliding with the total budget
(issue 12, item 6): `--budget total=200e6 --total-budget 500e6` keeps both budgets apart in the
plan, its summary JSON, the explanation tables, the words shown, and a stored plan reopened.

The hand case: two schools, each with 5 vacancies at 100 million đồng a hire and priority 1;
school A's posts are paid by a source whose key is "total", school B's by the state budget.
The source "total" has 200 million (2 hires at most); the total budget 500 million (5 hires in
all). The best plan hires 5 (no budget allows more), at most 2 of them in A.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner import api
from planner.domain.scenario import Scenario
from planner.io.inputs import load_inputs
from planner.optimise.result import TOTAL_BUDGET, Allocation, BudgetKey, valued_budget
from planner.present.labels import budget_name
from planner.present.plan_text import human_summary, why_words
from planner.store import ScenarioStore
from planner.store.restore import allocation_from_stored

ROOT = Path(__file__).resolve().parent.parent
M = 1_000_000
QUOTAS = """\
unit_id,unit_name,position_id,position_name,funding_source,annual_cost,quota,headcount,priority
A,Trường A,A-1,Giáo viên,total,100000000,5,0,1
B,Trường B,B-1,Giáo viên,state_budget,100000000,5,0,1
"""


@pytest.fixture
def quotas(tmp_path: Path) -> Path:
    path = tmp_path / "quotas.csv"
    path.write_text(QUOTAS, encoding="utf-8")
    return path


@pytest.fixture
def solved(quotas: Path) -> tuple[Scenario, Allocation]:
    inputs = load_inputs(quotas)
    scenario = Scenario(budgets={"total": 200 * M}, total_budget=500 * M)
    return scenario, api.solve(inputs, scenario)


def test_the_cli_keeps_the_source_named_total_apart_from_the_total_budget(tmp_path, quotas):
    r = subprocess.run([sys.executable, "-m", "planner", "solve", "--quotas", str(quotas),
                        "--budget", "total=200e6", "--total-budget", "500e6",
                        "--out", "plan.csv", "--summary", "s.json"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    s = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert s["budgets"] == {"total": 200 * M}  # the source's own budget is not lost
    assert s["total_budget"] == 500 * M
    plan = pd.read_csv(tmp_path / "plan.csv", encoding="utf-8-sig")
    hires = dict(zip(plan["unit_id"], plan["hires"], strict=True))
    assert sum(hires.values()) == 5 and hires["A"] <= 2  # by hand: 500 M / 100 M, 200 M / 100 M
    assert s["cost_by_source"]["total"] == hires["A"] * 100 * M
    assert s["budget_used_share"]["total"] == pytest.approx(hires["A"] * 100 / 200)
    assert s["total_budget_used_share"] == pytest.approx(1.0)
    values = {(v["funding_source"], v["is_total"]): v["budget"] for v in s["budget_values"]}
    assert values == {("total", False): 200 * M, (None, True): 500 * M}


def test_the_allocation_summary_and_its_round_trip(solved):
    _, a = solved
    assert a.budgets == {"total": 200 * M} and a.total_budget == 500 * M
    assert a.budget(BudgetKey("total")) == 200 * M and a.budget(TOTAL_BUDGET) == 500 * M
    back = Allocation.from_summary(a.summary(), plan=a.plan, by_unit=a.by_unit,
                                   budget_values=a.budget_values)
    assert back.budgets == {"total": 200 * M} and back.total_budget == 500 * M
    assert back.budget_used_share == a.budget_used_share
    assert back.total_budget_used_share == a.total_budget_used_share
    assert [valued_budget(r) for r in a.budget_values.to_dict("records")] == [
        BudgetKey("total"), TOTAL_BUDGET]


def test_a_summary_written_before_the_total_had_keys_of_its_own_reads_as_then(solved):
    _, a = solved
    old = a.summary()
    old["budgets"] = {"state_budget": 60e9, "total": 90e9}  # the old form: total inside
    old["budget_used_share"] = {"state_budget": 0.5, "total": 0.25}
    del old["total_budget"], old["total_budget_used_share"]
    back = Allocation.from_summary(old, plan=a.plan, by_unit=a.by_unit,
                                   budget_values=pd.DataFrame([
                                       {"funding_source": "total", "budget": 90e9}]))
    assert back.budgets == {"state_budget": 60e9} and back.total_budget == 90e9
    assert back.total_budget_used_share == 0.25
    assert valued_budget(back.budget_values.iloc[0].to_dict()) == TOTAL_BUDGET


def test_the_words_name_the_source_and_the_total_budget_apart(solved):
    scenario, a = solved
    for lang in ("vi", "en"):
        text = human_summary(a, scenario, lang)
        source, total = budget_name(BudgetKey("total"), lang), budget_name(TOTAL_BUDGET, lang)
        assert source != total
        assert source in text and total in text


def test_why_words_name_the_budget_of_the_row_not_a_guess_from_its_key():
    base = {"why": "lower_value", "why_position": "Giáo viên", "why_priority": 1.0,
            "why_cost": 100 * M, "why_left": 0.0, "funded_unit": "Trường B",
            "funded_position": "Giáo viên", "funded_priority": 1.0, "funded_cost": 100 * M}
    as_source = why_words({**base, "why_budget": "total", "why_budget_is_total": False}, "vi")
    as_total = why_words({**base, "why_budget": None, "why_budget_is_total": True}, "vi")
    assert as_source is not None and as_total is not None
    assert budget_name(TOTAL_BUDGET, "vi") in as_total
    assert budget_name(TOTAL_BUDGET, "vi") not in as_source
    assert budget_name(BudgetKey("total"), "vi") in as_source


def test_a_stored_plan_reopens_with_both_budgets(tmp_path, quotas, solved):
    scenario, a = solved
    store = ScenarioStore(f"sqlite:///{tmp_path / 'store.db'}")
    store.save("Nguồn tên total", scenario, allocation=a, inputs=load_inputs(quotas))
    back = allocation_from_stored(store.get("Nguồn tên total"))
    store.close()
    assert back.budgets == {"total": 200 * M} and back.total_budget == 500 * M
    assert [valued_budget(r) for r in back.budget_values.to_dict("records")] == [
        BudgetKey("total"), TOTAL_BUDGET]

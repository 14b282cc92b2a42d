"""Why a unit got no more hires (issue 12 item 3) and how ties are spread (item 4).

Every case is small enough to solve by hand; the expected figures are worked out here from the
rules (README "The optimiser", docs/optimiser.md "Why not this unit" and "Ties"), not read from
the code under test. A fill rate is (on board − departures + hires) ÷ quota.
"""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.export.workbook import plan_workbook
from planner.optimise.allocate import allocate_hires
from planner.optimise.result import SolveStatus
from planner.present.plan_text import why_words
from tests.optimise_cases import (
    M,
    assert_plan_keeps_the_rules,
    gaps_table,
    hires_of,
    units_table,
)

ROOT = Path(__file__).resolve().parent.parent


def why(allocation, unit_id: str) -> dict:
    rows = allocation.by_unit[allocation.by_unit["unit_id"] == unit_id].to_dict("records")
    assert len(rows) == 1
    return rows[0]


def leximin(rates) -> list[Fraction]:
    """Fill rates lowest first: compared as lists, the greater is the more even spread."""
    return sorted(rates)


def fill(staying: int, hires: int, quota: int) -> Fraction:
    return Fraction(staying + hires, quota)


# --- item 4: ties spread ---------------------------------------------------------------------


def test_the_issue_case_two_tied_units_share_three_hires_by_fill_rate():
    # same cost, same priority, same source: 3 of 3 to one and 0 of 6 to the other was the
    # complaint. By the rule (lowest fill rate first): the plans giving 3 hires are (k, 3 − k);
    # the one whose lower fill rate is highest is k = 1: 1/3 and 2/6
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "quota": 3, "cost": 100 * M},
                       {"unit_id": "U2", "position_id": "b", "quota": 6, "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 300 * M})
    best = max(range(4), key=lambda k: leximin([fill(0, k, 3), fill(0, 3 - k, 6)]))
    assert best == 1
    assert hires_of(a) == {"a": best, "b": 3 - best}


def test_ties_go_to_the_emptier_unit_and_equal_fill_rates_to_the_first_unit():
    # U1 has 7 of 10 on board, U2 2 of 10: 6 tied hires. (k, 6 − k) gives (7 + k)/10 and
    # (8 − k)/10; the lower one is highest at k = 0 and k = 1 (0.7 and 0.8 either way), a
    # tie the rule breaks for the unit first in the input (U1 gets the last hire)
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "quota": 10, "headcount": 7,
                        "cost": 100 * M},
                       {"unit_id": "U2", "position_id": "b", "quota": 10, "headcount": 2,
                        "cost": 100 * M}])
    scores = {k: leximin([fill(7, k, 10), fill(2, 6 - k, 10)]) for k in range(4)}
    top = max(scores.values())
    assert [k for k, v in scores.items() if v == top] == [0, 1]
    a = allocate_hires(gaps, budgets={"state_budget": 600 * M})
    assert hires_of(a) == {"a": 1, "b": 5}
    again = allocate_hires(gaps, budgets={"state_budget": 600 * M})
    assert hires_of(again) == hires_of(a)  # same input, same plan


def test_a_unit_minimum_is_kept_when_ties_are_spread():
    # U2 must get floor(0.3 × 6) = 1 hire; U1's minimum is floor(0.3 × 3) = 0. With money for
    # one hire it goes to U2, though both start empty and U1 comes first
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "quota": 3, "cost": 100 * M},
                       {"unit_id": "U2", "position_id": "b", "quota": 6, "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 100 * M}, min_fill=0.3)
    assert hires_of(a) == {"a": 0, "b": 1}


def test_unit_caps_and_the_quota_ceiling_hold_while_ties_are_spread():
    # U1 may hire 1 at most (units table), so of 4 tied hires U2 takes 3 although its fill
    # rate then passes U1's; U3's staff type is at its quota (a position over it)
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "quota": 4, "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "quota": 4, "cost": 100 * M},
        {"unit_id": "U3", "position_id": "c", "quota": 4, "headcount": 2, "cost": 100 * M},
        {"unit_id": "U3", "position_id": "d", "quota": 1, "headcount": 3, "cost": 100 * M}])
    units = units_table([{"unit_id": "U1", "max_hires": 1}])
    a = allocate_hires(gaps, units, budgets={"state_budget": 400 * M})
    assert hires_of(a) == {"a": 1, "b": 3, "c": 0, "d": 0}
    assert_plan_keeps_the_rules(a, gaps, units, budgets={"state_budget": 400 * M})


def test_fair_keeps_its_lowest_ratio_when_ties_are_spread():
    # fair: the lowest ratio first. U1 2/4 on board, U2 0/4 and U3 0/4, 4 hires of one class:
    # the most even is U2 and U3 two each (2/4, 2/4, 2/4)
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "quota": 4, "headcount": 2, "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "quota": 4, "cost": 100 * M},
        {"unit_id": "U3", "position_id": "c", "quota": 4, "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 400 * M}, objective="fair")
    assert hires_of(a) == {"a": 0, "b": 2, "c": 2}
    assert a.objective == pytest.approx(0.5)


@st.composite
def tied_instances(draw):
    """Units of one to three rows drawn from two tie classes (priority 1 at 100 M, priority 2
    at 150 M), with on-board staff, caps and minimums."""
    rows = []
    for i in range(draw(st.integers(2, 5))):
        quota = draw(st.integers(1, 4))
        rows.append({"unit_id": f"U{draw(st.integers(1, 3))}", "position_id": f"p{i}",
                     "quota": quota, "headcount": draw(st.integers(0, quota)),
                     **draw(st.sampled_from([{"priority": 1.0, "cost": 100 * M},
                                             {"priority": 2.0, "cost": 150 * M}]))})
    gaps = gaps_table(rows)
    budget = draw(st.sampled_from([100, 200, 300, 450, 600])) * M
    units = None
    if draw(st.booleans()):
        units = units_table([{"unit_id": "U1", "max_hires": draw(st.integers(0, 2))}])
    return gaps, units, {"state_budget": float(budget)}, draw(st.sampled_from([None, 0.3]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tied_instances(), st.sampled_from(["priority", "fair"]))
def test_tied_hires_went_to_the_lowest_fill_rate_first(case, objective):
    """The rule's promise, checked by trying every transfer of one hire between two tied
    rows of different units that keeps every rule (so the hire moved was not needed for a
    minimum): the unit that could take it is not at a lower fill rate than the giving unit
    had before that hire ("lowest fill rate first"), and no stage value changed."""
    gaps, units, budgets, min_fill = case
    a = allocate_hires(gaps, units, budgets=budgets, min_fill=min_fill, objective=objective,
                       gap=0)
    if a.status is not SolveStatus.OPTIMAL:
        return
    assert_plan_keeps_the_rules(a, gaps, units, budgets=budgets, min_fill=min_fill)
    h = a.plan["hires"].to_numpy(dtype=int)
    unit = gaps["unit_id"].to_numpy()
    names = sorted(set(unit))
    quota = {u: int(gaps["quota"][unit == u].sum()) for u in names}
    staying = {u: int(gaps["headcount"][unit == u].sum()) for u in names}
    hired = {u: int(h[unit == u].sum()) for u in names}
    for i, j in itertools.permutations(range(len(gaps)), 2):
        if unit[i] == unit[j] or h[i] == 0 or gaps.at[i, "priority"] != gaps.at[j, "priority"]:
            continue
        other = h.copy()
        other[i] -= 1
        other[j] += 1
        if other[j] > gaps.at[j, "vacancies"] or not _keeps_rules(other, gaps, units, min_fill,
                                                                  objective, a.objective):
            continue
        giver, taker = unit[i], unit[j]
        before_its_last = fill(staying[giver], hired[giver] - 1, quota[giver])
        assert fill(staying[taker], hired[taker], quota[taker]) >= before_its_last, (h, i, j)


def _keeps_rules(h, gaps, units, min_fill, objective, ratio) -> bool:
    """The transfer keeps the unit ceiling, caps, minimums and (fair) the lowest ratio."""
    unit = gaps["unit_id"].to_numpy()
    for u in set(unit):
        rows = unit == u
        quota, staying = int(gaps["quota"][rows].sum()), int(gaps["headcount"][rows].sum())
        hired = int(h[rows].sum())
        if hired and staying + hired > quota:
            return False
        vac = max(0, quota - staying)
        if min_fill and hired < int(min_fill * min(vac, int(gaps["vacancies"][rows].sum()))):
            return False
        if units is not None and u in set(units["unit_id"]):
            cap = units.set_index("unit_id").at[u, "max_hires"]
            if cap is not None and str(cap) != "<NA>" and hired > int(cap):
                return False
        if objective == "fair" and quota and (staying + hired) / quota < ratio - 1e-9:
            return False
    return True


# --- item 3: why not this unit ---------------------------------------------------------------


def test_a_lower_priority_per_dong_names_both_posts():
    # one post of each unit, 100 M each; money for one: priority 3 at U1 wins over priority 1
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "position_name": "Bác sĩ", "priority": 3,
         "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "position_name": "Văn thư", "priority": 1,
         "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 100 * M})
    assert hires_of(a) == {"a": 1, "b": 0}
    w = why(a, "U2")
    assert w["why"] == "lower_value"
    assert (w["why_position"], w["why_priority"], w["why_cost"]) == ("Văn thư", 1, 100 * M)
    assert (w["funded_unit"], w["funded_position"], w["funded_priority"], w["funded_cost"]) == \
        ("Đơn vị U1", "Bác sĩ", 3, 100 * M)
    assert w["why_budget"] == "state_budget" and w["why_left"] == 0
    words = why_words(w, "en")
    assert "Văn thư (priority 1, 100 million VND a hire)" in words
    assert "Bác sĩ at Đơn vị U1 (priority 3, 100 million VND a hire)" in words
    assert "more priority per đồng" in words
    assert "ưu tiên 1" in why_words(w, "vi") and "ưu tiên 3" in why_words(w, "vi")
    assert why_words(why(a, "U1"), "en") is None  # nothing left to fill


def test_more_priority_per_dong_that_does_not_fit_the_money_left():
    # U2's post: priority 3 for 250 M (0.012 per million) beats U1's 1 for 100 M (0.010), but
    # 200 M buys two of U1's (weighted 2) and not one of U2's (250 M > 200 M)
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "quota": 2, "priority": 1, "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "priority": 3, "cost": 250 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 200 * M})
    assert hires_of(a) == {"a": 2, "b": 0}
    w = why(a, "U2")
    assert w["why"] == "does_not_fit"
    assert (w["why_priority"], w["why_cost"], w["why_left"]) == (3, 250 * M, 0)
    assert (w["funded_unit"], w["funded_priority"], w["funded_cost"]) == ("Đơn vị U1", 1, 100 * M)
    assert "costs 250 million VND a hire, more than the 0 VND left" in why_words(w, "en")


def test_a_tie_says_so_and_names_the_post_that_got_the_hire():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "quota": 3, "cost": 100 * M},
                       {"unit_id": "U2", "position_id": "b", "quota": 6, "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 300 * M})
    for unit_id, other in (("U1", "Đơn vị U2"), ("U2", "Đơn vị U1")):
        w = why(a, unit_id)
        assert w["why"] == "tie" and w["funded_unit"] == other
        assert "lowest fill rate first" in why_words(w, "en")


def test_the_minimum_met_is_said_before_the_money_reason():
    # min fill 0.2: U1 must get floor(0.2 × 10) = 2, U2 floor(0.2 × 5) = 1. 500 M: U1's two
    # (200 M), then priority 3 at U2 (3 × 100 M): U1 is left with 8, its minimum met
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "quota": 10, "priority": 1, "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "quota": 5, "priority": 3, "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 500 * M}, min_fill=0.2)
    assert hires_of(a) == {"a": 2, "b": 3}
    w = why(a, "U1")
    assert w["why"] == "lower_value" and w["why_required"] == 2
    assert w["funded_unit"] == "Đơn vị U2" and w["funded_priority"] == 3
    assert why_words(w, "en").startswith("Its required minimum (2 hires) is met; the money")
    assert why_words(w, "vi").startswith("Đã đạt mức tối thiểu 2 người;")


def test_a_budget_spent_only_on_required_hires_says_so():
    # min fill 0.5: U1 needs 5 of 10, U2 1 of 2; 600 M pays exactly those 6 hires
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "quota": 10, "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "quota": 2, "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 600 * M}, min_fill=0.5)
    assert hires_of(a) == {"a": 5, "b": 1}
    for unit_id in ("U1", "U2"):
        assert why(a, unit_id)["why"] == "required_only"
    assert "went entirely to the hires the rules require" in why_words(why(a, "U1"), "en")


def test_priority_zero_cap_and_quota_ceiling_are_named_with_their_figures():
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "priority": 0, "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "quota": 3, "cost": 100 * M},
        # U3: +1 over in one position, 1 vacant in the other: the unit is at its quota
        {"unit_id": "U3", "position_id": "c", "quota": 2, "headcount": 3, "cost": 100 * M},
        {"unit_id": "U3", "position_id": "d", "quota": 2, "headcount": 1, "cost": 100 * M}])
    units = units_table([{"unit_id": "U2", "max_hires": 1}])
    a = allocate_hires(gaps, units, budgets={"state_budget": 1_000 * M})
    assert hires_of(a) == {"a": 0, "b": 1, "c": 0, "d": 0}
    assert why(a, "U1")["why"] == "zero_priority"
    assert why(a, "U1")["why_left"] == 900 * M
    assert (why(a, "U2")["why"], why(a, "U2")["why_limit"]) == ("unit_cap", 1)
    assert "recruitment cap of 1 hires" in why_words(why(a, "U2"), "en")
    assert (why(a, "U3")["why"], why(a, "U3")["why_limit"]) == ("quota_ceiling", 1)
    assert "điều chuyển nội bộ" in why_words(why(a, "U3"), "vi")


def test_the_workbook_and_the_cli_say_why(tmp_path):
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "position_name": "Bác sĩ", "priority": 3,
         "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "position_name": "Văn thư", "priority": 1,
         "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 100 * M})
    book = openpyxl.load_workbook(io.BytesIO(plan_workbook(a, lang="en", chart=False)))
    ws = next(s for s in book.worksheets if s.title.lower().startswith("by unit"))
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if "Why no more hires" in r)
    col = rows[head].index("Why no more hires")
    texts = {r[rows[head].index("Unit name") if "Unit name" in rows[head] else 2]: r[col]
             for r in rows[head + 1:] if r[col]}
    assert any("Văn thư (priority 1" in v and "Bác sĩ at Đơn vị U1" in v for v in texts.values())

    quotas = tmp_path / "q.csv"
    quotas.write_text("Tên đơn vị,Vị trí việc làm,Biên chế được giao,Số có mặt,Hệ số lương,"
                      "Ưu tiên\nSở Y tế,Bác sĩ,1,0,\"2,34\",3\nSở Nội vụ,Văn thư,1,0,\"2,34\",1\n",
                      encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "planner", "solve", "--quotas", str(quotas),
                        "--budget", "NSNN=150 triệu", "--out", str(tmp_path / "p.csv"),
                        "--lang", "en", "--no-explain"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Units left with vacancies, and why" in r.stdout
    line = next(x for x in r.stdout.splitlines() if x.strip().startswith("Sở Nội vụ"))
    assert "1 vacancies left" in line and "Văn thư (priority 1" in line
    assert "Bác sĩ at Sở Y tế (priority 3" in line


def test_every_unit_left_with_vacancies_on_the_sample_has_a_reason():
    from planner.api import solve as solve_scenario
    from planner.domain.scenario import Scenario
    from planner.io.inputs import load_inputs
    from planner.io.sample import SAMPLE_FILES

    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"],
                         SAMPLE_FILES["units"])
    a = solve_scenario(inputs, Scenario(budgets={"state_budget": 3e9}), explain=False)
    left = a.by_unit[a.by_unit["remaining_vacancies"] > 0]
    assert len(left)
    for rec in left.to_dict("records"):
        assert why_words(rec, "vi"), rec["unit_id"]
        if rec["why"] in ("lower_value", "does_not_fit", "tie", "equal_value"):
            mine = rec["why_priority"] * rec["funded_cost"]
            theirs = rec["funded_priority"] * rec["why_cost"]
            expected = ("lower_value" if mine < theirs else "does_not_fit" if mine > theirs
                        else "tie" if (rec["why_priority"], rec["why_cost"]) ==
                        (rec["funded_priority"], rec["funded_cost"]) else "equal_value")
            assert rec["why"] == expected
            assert rec["why_cost"] > rec["why_left"]  # money does not stretch to it
    assert np.isfinite(left["remaining_vacancies"].astype(float)).all()


def test_the_app_units_tab_says_why_in_words():
    from app_helpers import open_page, open_tab, start

    from planner.present.labels import column_label

    at = open_tab(open_page(start(), "plan"), "Theo đơn vị")
    result = at.session_state["plan_result"]
    by_unit = result.allocation.by_unit
    tables = [d.value for d in at.dataframe if "why_text" in d.value.columns]
    assert len(tables) == 1
    shown = tables[0]
    left = by_unit[by_unit["remaining_vacancies"] > 0]
    expected = {why_words(r, "vi") for r in left.to_dict("records")} - {None}
    assert expected and expected <= set(shown["why_text"])
    assert column_label("why_text", "vi") == "Lý do không tuyển thêm"

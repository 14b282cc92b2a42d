"""The least budgets an infeasible plan reports: least for each source with the others held,
exact to the đồng, and enough (issue 12, item 7). Figures worked out by hand."""

from planner.optimise.allocate import allocate_hires
from planner.optimise.result import SolveStatus
from planner.optimise.sweep import budget_curve
from planner.present.plan_text import explain_infeasible
from tests.optimise_cases import M, gaps_table, units_table


def _three_sources():
    # U1 needs 1 hire: post a paid by A (100 M) or b paid by B (101 M); U2 needs 1: c (A,
    # 100 M); U3 needs 1: d (C, 100 M).
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "vacancies": 1, "cost": 100 * M,
         "funding_source": "A"},
        {"unit_id": "U1", "position_id": "b", "vacancies": 1, "cost": 101 * M,
         "funding_source": "B"},
        {"unit_id": "U2", "position_id": "c", "vacancies": 1, "cost": 100 * M,
         "funding_source": "A"},
        {"unit_id": "U3", "position_id": "d", "vacancies": 1, "cost": 100 * M,
         "funding_source": "C"}])
    units = units_table([{"unit_id": "U1", "min_fill": 0.5}, {"unit_id": "U2", "min_fill": 1},
                         {"unit_id": "U3", "min_fill": 1}])
    return gaps, units


def test_a_source_is_not_asked_for_money_another_source_can_give():
    # A = 150 M, B = 1,000 M, C = 0. Only C is short (U3 has no other way): 100 M. A needs
    # no more: U1 takes B's post, so A's least is U2's 100 M. The old answer was A 200 M.
    gaps, units = _three_sources()
    budgets = {"A": 150 * M, "B": 1000 * M, "C": 0}
    a = allocate_hires(gaps, units, budgets=budgets)
    assert a.status is SolveStatus.INFEASIBLE
    info = a.infeasibility
    assert info.min_budget_by_source == {"A": 100 * M, "B": 101 * M, "C": 100 * M}
    assert info.message_params["short"] == {"C": {"budget": 0.0, "needed": 100 * M}}
    # at A 150 (kept), B 1,000 (kept), C 100: the cheapest plan is b + c + d = 301 M
    assert info.min_total_budget == 301 * M
    assert allocate_hires(gaps, units, budgets={**budgets, "C": 100 * M}).has_plan
    assert allocate_hires(gaps, units, budgets={"A": 100 * M, "B": 1000 * M,
                                                "C": 100 * M}).has_plan
    assert not allocate_hires(gaps, units, budgets={**budgets, "C": 100 * M - 1}).has_plan
    text = explain_infeasible(info, "vi")
    assert "C: cần ít nhất 100.000.000 đ, hiện có 0 đ (thiếu 100.000.000 đ)" in text


def test_one_dong_short_says_one_dong():
    # A = 200 M − 1 with B = 0: with B as set, U1 must take a (A) and U2 c (A): A needs 200 M,
    # short by exactly 1 đồng. B alone could fix it too (U1 takes b, 101 M): each short source
    # is given with the others as set
    gaps, units = _three_sources()
    a = allocate_hires(gaps, units, budgets={"A": 200 * M - 1, "B": 0, "C": 100 * M})
    assert a.status is SolveStatus.INFEASIBLE
    assert a.infeasibility.message_params["short"] == {
        "A": {"budget": 200 * M - 1, "needed": 200 * M},
        "B": {"budget": 0, "needed": 101 * M}}
    assert "together" not in a.infeasibility.message_params
    assert "Any one of these sources raised to its figure is enough" in explain_infeasible(
        a.infeasibility, "en")
    assert "(thiếu 1 đ)" in explain_infeasible(a.infeasibility, "vi")
    assert "(short by 1 VND)" in explain_infeasible(a.infeasibility, "en")


def test_the_budget_curve_starts_at_the_least_budget_that_works():
    gaps, units = _three_sources()
    curve = budget_curve(gaps, units, source="A", budgets={"B": 1000 * M, "C": 100 * M},
                         points=3, gap=0)
    assert curve["budget"].iloc[0] == 100 * M  # U1 through B, so A pays U2 only
    assert (curve["status"] == "optimal").all()
    assert not allocate_hires(gaps, units, budgets={"A": 100 * M - 1, "B": 1000 * M,
                                                    "C": 100 * M}).has_plan

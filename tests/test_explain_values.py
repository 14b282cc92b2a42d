"""Explanations worked by hand (issue 18): the cheapest plan meeting the requirements, why a
requirement cannot be met, what bounds each unit, and what one more billion đồng buys.

Definitions (docs/optimiser.md "Reading the results", planner/optimise/explain.py): the requirement
plan
takes each unit's pins, then its cheapest open vacancies (within each row's upper bound) until
the unit's requirement is met; a budget binds when its slack cannot pay for the cheapest open
vacancy it funds; the value of a budget is what one more billion đồng (10⁹) buys of the first
goal, by re-solving or from the LP dual price (per đồng) × 10⁹.
"""

import math

import pandas as pd
import pytest
from explain_cases import bounds, instance, one_unit, two_units, values_of
from optimise_cases import M, gaps_table, units_table

import planner.optimise.allocate as optimise
from planner.optimise.allocate import allocate_hires
from planner.optimise.explain import (
    BILLION,
    BUDGET_VALUE_COLUMNS,
    DRIVING_COLUMNS,
    budget_infeasibility,
    requirement_plan,
    structural_infeasibility,
)
from planner.optimise.result import TOTAL_BUDGET, BudgetKey

# --- the requirement plan ------------------------------------------------------------------

def test_requirement_plan_takes_pins_then_the_cheapest_open_vacancies():
    # min_fill 0.6: U1 needs floor(4.2) = 4: the pinned c, then b 50 × 2, then c's other
    # vacancy at 70 (a at 100 is dearest); U2 needs floor(4.8) = 4: d is cheapest but capped
    # at 2, so e 40 × 2
    inst = instance(two_units(), min_fill=0.6)
    assert inst.unit_required.tolist() == [4, 4]
    assert requirement_plan(inst).tolist() == [0, 2, 2, 2, 2]


def test_requirement_plan_without_requirements_is_the_pins():
    inst = instance(two_units())
    assert requirement_plan(inst).tolist() == [0, 0, 1, 0, 0]


def test_requirement_plan_when_pins_already_meet_the_requirement():
    g = two_units()
    g.loc[0, "min_hires"] = 3  # U1 pins a 3 and c 1 = 4 ≥ floor(0.5 × 7) = 3
    inst = instance(g, min_fill=0.5)
    assert requirement_plan(inst).tolist() == [3, 0, 1, 2, 2]


def test_requirement_plan_of_units_listed_out_of_order():
    g = gaps_table([
        {"unit_id": "U2", "position_id": "x", "vacancies": 2, "cost": 90 * M},
        {"unit_id": "U1", "position_id": "y", "vacancies": 2, "cost": 20 * M},
        {"unit_id": "U2", "position_id": "z", "vacancies": 2, "cost": 10 * M},
        {"unit_id": "U1", "position_id": "w", "vacancies": 2, "cost": 30 * M},
    ])
    inst = instance(g, min_fill=0.75)  # each unit needs floor(0.75 × 4) = 3
    assert requirement_plan(inst).tolist() == [1, 2, 2, 1]


# --- requirements no budget can pay for ------------------------------------------------------

def test_no_structural_problem():
    assert structural_infeasibility(instance(two_units(), min_fill=0.6)) is None


def test_a_pin_above_the_vacancies():
    g = two_units()
    g.loc[1, "min_hires"] = 4  # b has 2 vacancies
    why = structural_infeasibility(instance(g))
    assert why.requirement == "pins"
    assert why.message_params["reason"] == "pin_above_vacancies"
    assert why.message_params["count"] == 1
    assert why.message_params["rows"] == [{
        "unit_id": "U1", "unit_name": "Đơn vị U1", "position_id": "b",
        "position_name": "Vị trí b", "min_hires": 4, "vacancies": 2, "max_hires": 2}]
    assert why.min_total_budget == math.inf and why.min_budget_by_source == {}
    # U1's pins: b 4 + c 1
    assert why.driving_units.to_dict("records") == [
        {"unit_id": "U1", "unit_name": "Đơn vị U1", "min_required": 5,
         "cost_of_requirement": pytest.approx(math.nan, nan_ok=True)}]
    assert list(why.driving_units.columns) == DRIVING_COLUMNS


def test_a_pin_above_the_rows_max_hires():
    g = two_units()
    g.loc[3, "min_hires"] = 3  # d: 5 vacancies but max_hires 2
    why = structural_infeasibility(instance(g))
    assert why.message_params["reason"] == "pin_above_max_hires"
    assert why.message_params["rows"][0]["position_id"] == "d"
    assert why.message_params["rows"][0]["max_hires"] == 2
    assert why.driving_units["unit_id"].tolist() == ["U2"]


def test_more_required_hires_than_a_unit_may_take():
    units = units_table([{"unit_id": "U2", "max_hires": 3, "min_fill": 0.5}])
    why = structural_infeasibility(instance(two_units(), units, min_fill=0.0))
    # U2 needs floor(0.5 × 8) = 4 but may hire 3
    assert (why.requirement, why.message_params["reason"]) == ("min_fill", "capacity")
    assert why.message_params["units"] == [
        {"unit_id": "U2", "unit_name": "Đơn vị U2", "required": 4, "possible": 3}]
    assert why.message_params["count"] == 1
    assert why.min_total_budget == math.inf
    assert why.driving_units[["unit_id", "min_required"]].values.tolist() == [["U2", 4]]


def test_more_required_hires_than_the_rows_allow():
    g = two_units()
    g.loc[4, "max_hires"] = 1  # U2 rows allow d 2 + e 1 = 3 < floor(1.0 × 8)
    why = structural_infeasibility(instance(g, min_fill=1.0))
    assert why.message_params["units"][-1] == {"unit_id": "U2", "unit_name": "Đơn vị U2",
                                               "required": 8, "possible": 3}


def test_pins_above_a_units_cap():
    units = units_table([{"unit_id": "U1", "max_hires": 0}])
    why = structural_infeasibility(instance(two_units(), units))  # c is pinned at 1
    assert (why.requirement, why.message_params["reason"]) == ("pins", "capacity")
    assert why.message_params["units"] == [
        {"unit_id": "U1", "unit_name": "Đơn vị U1", "required": 1, "possible": 0}]


def test_a_target_fill_beyond_capacity_in_min_cost():
    units = units_table([{"unit_id": "U1", "max_hires": 2}])
    why = structural_infeasibility(instance(two_units(), units, objective="min_cost",
                                            target_fill=0.5))
    # U1 needs floor(0.5 × 7) = 3 of its target but may hire 2
    assert (why.requirement, why.message_params["reason"]) == ("target_fill", "capacity")


def test_a_units_budget_cap_below_its_requirement():
    units = units_table([{"unit_id": "U1", "budget_cap": 200 * M}])
    why = structural_infeasibility(instance(two_units(), units, min_fill=0.6))
    # U1's cheapest requirement: c 2 × 70 + b 2 × 50 = 240 > 200; U2's: d 2 × 30 + e 2 × 40
    assert (why.requirement, why.message_params["reason"]) == ("min_fill", "unit_budget_cap")
    assert why.message_params["units"] == [{"unit_id": "U1", "unit_name": "Đơn vị U1",
                                            "budget_cap": 200 * M, "needed": 240 * M}]
    assert why.min_budget_by_source == {"fee_revenue": 80 * M, "state_budget": 300 * M}
    assert why.min_total_budget == 380 * M
    assert why.driving_units.to_dict("records") == [
        {"unit_id": "U1", "unit_name": "Đơn vị U1", "min_required": 4,
         "cost_of_requirement": 240 * M}]


def test_a_units_budget_cap_equal_to_its_requirement_is_enough():
    units = units_table([{"unit_id": "U1", "budget_cap": 240 * M}])
    assert structural_infeasibility(instance(two_units(), units, min_fill=0.6)) is None


# --- budgets too small -------------------------------------------------------------------------

def test_budgets_too_small_for_the_minimum_fill():
    inst = instance(two_units(), min_fill=0.6,
                    budgets={"state_budget": 250 * M, "fee_revenue": 100 * M})
    why = budget_infeasibility(inst)
    # the requirement plan costs state 240 (U1) + 60 (U2 d) = 300 > 250; fees 80 ≤ 100
    assert why.requirement == "min_fill"
    assert why.min_budget_by_source == {"fee_revenue": 80 * M, "state_budget": 300 * M}
    assert why.min_total_budget == 380 * M
    assert why.message_params == {
        "reason": "budget", "short": {"state_budget": {"budget": 250 * M, "needed": 300 * M}},
        "exact": True}
    # driving units: state-budget cost of each unit's requirement, dearest first
    assert why.driving_units.to_dict("records") == [
        {"unit_id": "U1", "unit_name": "Đơn vị U1", "min_required": 4,
         "cost_of_requirement": 240 * M},
        {"unit_id": "U2", "unit_name": "Đơn vị U2", "min_required": 4,
         "cost_of_requirement": 60 * M}]
    d = why.to_dict()
    assert d["reason"] == "budget" and d["requirement"] == "min_fill"
    assert d["min_total_budget"] == 380 * M
    assert d["driving_units"][0] == {"unit_id": "U1", "unit_name": "Đơn vị U1",
                                     "min_required": 4, "cost_of_requirement": 240 * M}
    assert type(d["driving_units"][0]["min_required"]) is int
    assert len(why.to_dict(limit=1)["driving_units"]) == 1


def test_a_total_budget_too_small():
    inst = instance(two_units(), min_fill=0.6, total_budget=379 * M)
    why = budget_infeasibility(inst)
    assert why.message_params == {"reason": "budget", "short": {}, "exact": True,
                                  "total": {"budget": 379 * M, "needed": 380 * M}}
    # no source is short: every unit's whole requirement drives the total
    assert why.driving_units["cost_of_requirement"].tolist() == [240 * M, 140 * M]


def test_pins_that_cost_more_than_the_budget():
    g = two_units()
    g.loc[0, "min_hires"] = 3  # a 3 × 100 pinned + c 1 × 70 = 370 of state budget
    inst = instance(g, budgets={"state_budget": 300 * M})
    why = budget_infeasibility(inst)
    assert why.requirement == "pins"
    assert why.message_params["short"] == {"state_budget": {"budget": 300 * M,
                                                            "needed": 370 * M}}
    assert why.driving_units.to_dict("records") == [
        {"unit_id": "U1", "unit_name": "Đơn vị U1", "min_required": 4,
         "cost_of_requirement": 370 * M}]


def test_pins_that_cost_more_than_the_total_budget():
    inst = instance(two_units(), total_budget=60 * M)  # the pinned c costs 70
    why = budget_infeasibility(inst)
    assert why.requirement == "pins"
    assert why.message_params["total"] == {"budget": 60 * M, "needed": 70 * M}


def test_pins_driven_infeasibility_through_the_optimiser():
    g = two_units()
    g.loc[0, "min_hires"] = 3
    a = allocate_hires(g, budgets={"state_budget": 300 * M})
    assert a.status.value == "infeasible"
    assert a.infeasibility.requirement == "pins"
    assert a.infeasibility.min_budget_by_source["state_budget"] == 370 * M


def test_a_requirement_plan_within_the_budgets_is_a_solver_failure():
    inst = instance(two_units(), min_fill=0.6, budgets={"state_budget": 300 * M})
    assert budget_infeasibility(inst).message_params == {"reason": "solver", "short": {},
                                                         "exact": True}


# --- what bounds each unit -------------------------------------------------------------------





def test_every_vacancy_filled():
    assert bounds(one_unit(("a", 10, {"vacancies": 2})), [2]) == (["vacancies"], ["vacancies"])


def test_a_unit_without_vacancies():
    assert bounds(one_unit(("a", 10, {"vacancies": 0})), [0]) == (
        ["no_vacancies"], ["vacancies"])


def test_rows_at_their_own_cap_or_pin():
    g = one_unit(("a", 10, {"vacancies": 3, "max_hires": 1}), ("b", 10, {"vacancies": 2}))
    assert bounds(g, [1, 2]) == (["row_cap"], ["row_cap", "vacancies"])
    g = one_unit(("a", 10, {"vacancies": 3, "min_hires": 1, "max_hires": 1}),
                 ("b", 10, {"vacancies": 2, "max_hires": 1}))
    assert bounds(g, [1, 1]) == (["pin"], ["pin", "row_cap"])


def test_a_unit_at_its_cap():
    g = one_unit(("a", 10, {"vacancies": 3}))
    assert bounds(g, [2], units_table([{"unit_id": "U1", "max_hires": 2}])) == (
        ["unit_cap"], ["unit_cap"])


def test_a_unit_at_its_budget_cap():
    g = one_unit(("a", 10, {"vacancies": 3}))
    # 2 hires cost 20; a third (10) would need 30 > 25
    assert bounds(g, [2], units_table([{"unit_id": "U1", "budget_cap": 25 * M}])) == (
        ["unit_budget"], ["unit_budget"])
    # with 30 the third fits: something else stops it
    assert bounds(g, [2], units_table([{"unit_id": "U1", "budget_cap": 30 * M}])) == (
        ["objective"], ["objective"])


def test_a_source_budget_that_cannot_pay_the_cheapest_open_vacancy():
    g = one_unit(("a", 10, {"vacancies": 3}),
                 ("b", 40, {"vacancies": 3, "funding_source": "fee_revenue"}))
    # state: 2 × 10 spent of 25, slack 5 < 10; fees: nothing spent of 30, slack 30 < 40; the
    # cheapest open row (a, state budget) names the budget
    labels, _ = bounds(g, [2, 0], budgets={"state_budget": 25 * M, "fee_revenue": 30 * M})
    assert labels == ["budget:state_budget"]
    labels, _ = bounds(g, [2, 0], budgets={"state_budget": 30 * M, "fee_revenue": 30 * M})
    assert labels == ["objective"]  # slack 10 pays exactly one more a
    labels, _ = bounds(g, [3, 0], budgets={"state_budget": 30 * M, "fee_revenue": 30 * M})
    assert labels == ["budget:fee_revenue"]  # a is full: b at 40 > 30 of fees


def test_the_total_budget_stops_the_cheapest_open_vacancy():
    g = one_unit(("a", 10, {"vacancies": 3}))
    assert bounds(g, [2], total_budget=29 * M) == (["total_budget"], ["total_budget"])
    assert bounds(g, [2], total_budget=30 * M) == (["objective"], ["objective"])


def test_a_unit_held_at_its_minimum():
    g = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 4, "cost": 10 * M},
                    {"unit_id": "U2", "position_id": "b", "vacancies": 4, "cost": 10 * M}])
    labels, rows = bounds(g, [2, 1], min_fill=0.5)
    assert rows == labels
    # U1 got floor(0.5 × 4) = 2 = its minimum; U2 got 1, below it (the label says the rule
    # it is held to); neither is stopped by money or room
    assert labels == ["min_fill", "min_fill"]
    labels, _ = bounds(g, [3, 2], min_fill=0.5)
    assert labels == ["objective", "min_fill"]
    labels, _ = bounds(g, [2, 2], objective="min_cost", target_fill=0.5)
    assert labels == ["target_fill", "target_fill"]


def test_labels_of_several_units_in_one_plan():
    g = gaps_table([
        {"unit_id": "U1", "position_id": "a", "vacancies": 2, "cost": 10 * M},
        {"unit_id": "U2", "position_id": "b", "vacancies": 0, "cost": 10 * M},
        {"unit_id": "U3", "position_id": "c", "vacancies": 5, "cost": 10 * M},
        {"unit_id": "U3", "position_id": "d", "vacancies": 5, "cost": 5 * M, "max_hires": 1},
    ])
    units = units_table([{"unit_id": "U3", "max_hires": 4}])
    labels, rows = bounds(g, [2, 0, 3, 1], units)
    assert labels == ["vacancies", "no_vacancies", "unit_cap"]
    assert rows == ["vacancies", "vacancies", "unit_cap", "row_cap"]


# --- one more billion ------------------------------------------------------------------------



def test_budget_columns_used_slack_and_binding():
    g = one_unit(("a", 100, {"vacancies": 30, "priority": 2}),
                 ("b", 50, {"vacancies": 30, "funding_source": "fee_revenue"}))
    inst = instance(g, budgets={"state_budget": 1_050 * M, "fee_revenue": 2_000 * M},
                    total_budget=4_000 * M)
    t = values_of(inst, [10, 30], lp_duals={BudgetKey("state_budget"): -2e-8, TOTAL_BUDGET: 0.0})
    assert list(t.columns) == BUDGET_VALUE_COLUMNS
    assert t["funding_source"].tolist()[:2] == ["fee_revenue", "state_budget"]
    assert t["hires_per_billion"].isna().all()  # the LP dual gives no people figure
    assert t["funding_source"].iloc[2] is None or pd.isna(t["funding_source"].iloc[2])
    assert t.drop(columns=["hires_per_billion", "funding_source"]).to_dict("records") == [
        # fees: 30 × 50 = 1,500 used; b is full, so nothing open is paid from fees
        {"is_total": False, "budget": 2_000 * M, "used": 1_500 * M,
         "slack": 500 * M, "binding": False, "value_per_billion": 0.0,
         "value_unit": "weighted_hires", "method": "lp_dual"},
        # state: 10 × 100 = 1,000 used, slack 50 < a's 100: binding; the dual −2e-8 weighted
        # hires per đồng (priority 2 ÷ 100 million) is 20 per billion
        {"is_total": False, "budget": 1_050 * M, "used": 1_000 * M,
         "slack": 50 * M, "binding": True, "value_per_billion": pytest.approx(20.0),
         "value_unit": "weighted_hires", "method": "lp_dual"},
        # total: 2,500 used of 4,000, slack 1,500 pays for a at 100
        {"is_total": True, "budget": 4_000 * M, "used": 2_500 * M,
         "slack": 1_500 * M, "binding": False, "value_per_billion": 0.0,
         "value_unit": "weighted_hires", "method": "lp_dual"},
    ]
    assert BILLION == 1e9


def test_a_budget_is_binding_only_when_its_slack_is_below_the_cheapest_open_vacancy():
    g = one_unit(("a", 100, {"vacancies": 30}), ("b", 60, {"vacancies": 1}))
    # b full (1 × 60); a open at 100. Slack 99.999999 binds, 100 does not
    for budget, binding in ((1_160 * M - 1, True), (1_160 * M, False)):
        inst = instance(g, budgets={"state_budget": budget})
        assert values_of(inst, [10, 1])["binding"].tolist() == [binding]
    # the open row at its own cap does not count: b open is below a's cost
    g = one_unit(("a", 100, {"vacancies": 30, "max_hires": 10}), ("b", 60, {"vacancies": 5}))
    inst = instance(g, budgets={"state_budget": 1_070 * M})  # 10 × 100 + 1 × 60 used, slack 10
    assert values_of(inst, [10, 1])["binding"].tolist() == [True]
    inst = instance(g, budgets={"state_budget": 1_120 * M})  # slack 60 pays one more b
    assert values_of(inst, [10, 1])["binding"].tolist() == [False]


def test_a_budget_with_every_vacancy_it_funds_filled_is_not_binding():
    g = one_unit(("a", 100, {"vacancies": 2}))
    inst = instance(g, budgets={"state_budget": 200 * M})
    t = values_of(inst, [2], lp_duals={BudgetKey("state_budget"): 0.0})
    assert t[["slack", "binding", "value_per_billion"]].values.tolist() == [[0.0, False, 0.0]]


def test_only_the_budgets_given_are_listed():
    g = one_unit(("a", 100, {"vacancies": 2}),
                 ("b", 50, {"vacancies": 2, "funding_source": "fee_revenue"}))
    assert values_of(instance(g), [1, 1]).empty
    t = values_of(instance(g, total_budget=500 * M), [1, 1])
    assert t["is_total"].tolist() == [True] and t["funding_source"].tolist() == [None]


def test_value_by_resolve_is_asked_only_for_binding_budgets():
    g = one_unit(("a", 100, {"vacancies": 30}),
                 ("b", 50, {"vacancies": 30, "funding_source": "fee_revenue"}))
    inst = instance(g, budgets={"state_budget": 1_000 * M, "fee_revenue": 2_000 * M})
    asked = []

    def resolve(key):
        asked.append(key.source)
        return 10.0, 5.0  # (weighted hires, people)

    t = values_of(inst, [10, 30], method="resolve", resolve=resolve)
    assert asked == ["state_budget"]
    assert t["value_per_billion"].tolist() == [0.0, 10.0]
    assert t["hires_per_billion"].tolist() == [0.0, 5.0]
    assert t["method"].tolist() == ["resolve", "resolve"]
    t = values_of(inst, [10, 30], method="not_applicable", value_unit="",
                  resolve=resolve)
    assert t["value_per_billion"].isna().all()
    assert asked == ["state_budget"]


def lp_dual_case():
    # a: priority 2 at 100 million; one more billion buys 10 more a, i.e. 20 weighted hires
    return gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 30, "cost": 100 * M,
                        "priority": 2},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 30, "cost": 50 * M,
                        "funding_source": "fee_revenue"}])


def test_the_lp_dual_figure_agrees_with_a_resolve(monkeypatch):
    budgets = {"state_budget": 1_000 * M, "fee_revenue": 2_000 * M}
    by_resolve = allocate_hires(lp_dual_case(), budgets=budgets).budget_values
    monkeypatch.setattr(optimise, "RESOLVE_MAX_ROWS", 0)  # the path of plans above 20,000 rows
    by_dual = allocate_hires(lp_dual_case(), budgets=budgets).budget_values
    assert by_resolve["method"].tolist() == ["resolve", "resolve"]
    assert by_dual["method"].tolist() == ["lp_dual", "lp_dual"]
    for t in (by_resolve, by_dual):
        v = t.set_index("funding_source")["value_per_billion"]
        assert v["state_budget"] == pytest.approx(20.0, rel=1e-6)
        assert v["fee_revenue"] == pytest.approx(0.0, abs=1e-9)


def test_the_lp_dual_figure_of_a_total_budget(monkeypatch):
    monkeypatch.setattr(optimise, "RESOLVE_MAX_ROWS", 0)
    # total 1,000 million binds; the best use of one more billion: b's priority 1 at 50
    # million (0.02 per million) beats a's 2 at 100 (also 0.02): 20 weighted hires
    t = allocate_hires(lp_dual_case(), total_budget=1_000 * M).budget_values
    assert t["is_total"].tolist() == [True]
    row = t.iloc[0]
    assert row["method"] == "lp_dual" and bool(row["binding"])
    assert row["value_per_billion"] == pytest.approx(20.0, rel=1e-6)


def test_infeasibility_as_json():
    g = two_units()
    g.loc[1, "min_hires"] = 4
    d = structural_infeasibility(instance(g)).to_dict()
    assert d["min_total_budget"] is None and d["min_budget_by_source"] == {}
    assert d["driving_units"] == [{"unit_id": "U1", "unit_name": "Đơn vị U1",
                                   "min_required": 5, "cost_of_requirement": None}]
    assert d["message_params"]["rows"][0]["min_hires"] == 4
    assert isinstance(pd.Series(d["message_params"]["rows"]).iloc[0], dict)

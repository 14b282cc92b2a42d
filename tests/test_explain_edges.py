"""Explanations at their edges, worked by hand (issue 18): a budget exactly equal to what is
needed, one đồng short, the twenty driving units listed, a target of one hire. Definitions as
in tests/test_explain_values.py."""

import math

import numpy as np
import pandas as pd
import pytest
from explain_cases import bounds, instance, one_unit, two_units, values_of
from optimise_cases import M, gaps_table, units_table

from planner.optimise.explain import (
    BUDGET_VALUE_COLUMNS,
    budget_infeasibility,
    requirement_plan,
    structural_infeasibility,
)
from planner.optimise.result import BudgetKey

# --- at the edges: a budget exactly equal to what is needed is enough ------------------------

def test_a_budget_equal_to_the_need_is_not_short_and_one_dong_less_is():
    # the requirement plan of two_units at min_fill 0.6 costs 300 million of state budget and
    # 80 million of fees, 380 million in all
    inst = instance(two_units(), min_fill=0.6, total_budget=380 * M,
                    budgets={"state_budget": 300 * M, "fee_revenue": 80 * M - 1})
    assert budget_infeasibility(inst).message_params == {
        "reason": "budget", "short": {"fee_revenue": {"budget": 80 * M - 1, "needed": 80 * M}},
        "exact": True}
    inst = instance(two_units(), min_fill=0.6, total_budget=380 * M - 1)
    assert budget_infeasibility(inst).message_params["total"] == {"budget": 380 * M - 1,
                                                                  "needed": 380 * M}


def test_pins_that_cost_exactly_the_budget_are_not_to_blame():
    # the pinned c costs 70 million; the minimum fill needs 300 of state budget in all
    inst = instance(two_units(), min_fill=0.6, budgets={"state_budget": 70 * M})
    assert budget_infeasibility(inst).requirement == "min_fill"
    inst = instance(two_units(), min_fill=0.6, budgets={"state_budget": 70 * M - 1})
    assert budget_infeasibility(inst).requirement == "pins"
    inst = instance(two_units(), min_fill=0.6, total_budget=70 * M)
    assert budget_infeasibility(inst).requirement == "min_fill"
    inst = instance(two_units(), min_fill=0.6, total_budget=70 * M - 1)
    assert budget_infeasibility(inst).requirement == "pins"


def test_a_target_fill_of_one_hire_is_named_as_the_requirement():
    # min_cost with target_fill 0.5: U1 (vacancies 2) must hire floor(1.0) = 1 at 100 million
    g = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 2, "cost": 100 * M}])
    inst = instance(g, objective="min_cost", target_fill=0.5,
                    budgets={"state_budget": 50 * M})
    assert inst.unit_required.tolist() == [1]
    why = budget_infeasibility(inst)
    assert why.requirement == "target_fill"
    assert why.min_budget_by_source == {"state_budget": 100 * M}


def test_infeasibility_lists_at_most_twenty_driving_units_by_default():
    from planner.optimise.result import Infeasibility, InfeasibleReason, Shortfall

    units = pd.DataFrame({"unit_id": [f"U{i}" for i in range(25)],
                          "unit_name": [f"Đơn vị {i}" for i in range(25)],
                          "min_required": np.arange(25, dtype=np.int64),
                          "cost_of_requirement": np.full(25, 1e6)})
    why = Infeasibility("min_fill", InfeasibleReason.BUDGET, {"state_budget": np.float64(2e9)},
                        math.inf, units, count=np.int64(25),
                        short={"state_budget": Shortfall(np.float64(1e9), np.float64(2e9))},
                        total_short=Shortfall(np.float64(math.inf), np.float64(3e9)))
    d = why.to_dict()
    assert len(d["driving_units"]) == 20
    assert d["driving_units"][-1]["unit_id"] == "U19"
    # numpy numbers become plain ones and infinities None: JSON without NaN or Infinity
    assert d["message_params"] == {"reason": "budget", "exact": True,
                                   "short": {"state_budget": {"budget": 1e9, "needed": 2e9}},
                                   "total": {"budget": None, "needed": 3e9}}
    assert type(d["message_params"]["short"]["state_budget"]["needed"]) is float
    assert d["min_total_budget"] is None
    import json

    json.dumps(d, allow_nan=False)


def test_money_rules_at_one_dong_short():
    # one đồng short of the next hire is short; amounts are whole đồng
    g = one_unit(("a", 10, {"vacancies": 3}))
    assert bounds(g, [2], units_table([{"unit_id": "U1", "budget_cap": 30 * M - 1}]))[0] == [
        "unit_budget"]
    assert bounds(g, [2], budgets={"state_budget": 30 * M - 1})[0] == ["budget:state_budget"]
    assert bounds(g, [2], total_budget=30 * M - 1)[0] == ["total_budget"]


def test_a_unit_whose_requirement_costs_one_dong_drives_too():
    g = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 2, "cost": 1},
                    {"unit_id": "U2", "position_id": "b", "vacancies": 2, "cost": 100 * M}])
    inst = instance(g, min_fill=0.5, budgets={"state_budget": 50 * M})
    why = budget_infeasibility(inst)
    assert why.driving_units[["unit_id", "cost_of_requirement"]].values.tolist() == [
        ["U2", 100 * M], ["U1", 1.0]]


def test_budget_values_without_a_figure_and_without_budgets():
    g = one_unit(("a", 100, {"vacancies": 30}))
    inst = instance(g, budgets={"state_budget": 1_000 * M})
    t = values_of(inst, [10], method="not_applicable", value_unit="")
    assert math.isnan(t.at[0, "value_per_billion"])
    empty = values_of(instance(g), [10])
    assert empty.empty and list(empty.columns) == BUDGET_VALUE_COLUMNS


def test_the_method_decides_how_a_budget_is_valued():
    g = one_unit(("a", 100, {"vacancies": 30}))
    inst = instance(g, budgets={"state_budget": 1_050 * M})
    t = values_of(inst, [10], method="lp_dual", lp_duals={BudgetKey("state_budget"): 1e-8},
                  resolve=lambda name: 99.0)
    assert t.at[0, "value_per_billion"] == pytest.approx(10.0)
    assert t.at[0, "method"] == "lp_dual"


def test_requirement_plan_never_takes_more_than_a_row_allows():
    # U1 needs floor(0.5 × 5) = 2: a is pinned at exactly 1 (cheapest, but full), so the
    # second hire is b's
    g = one_unit(("a", 10, {"vacancies": 2, "min_hires": 1, "max_hires": 1}),
                 ("b", 50, {"vacancies": 3}))
    assert requirement_plan(instance(g, min_fill=0.5)).tolist() == [1, 1]
    # a pinned at 1 with room for 2: needs floor(0.6 × 7) = 4: a's one more, then b 2
    g = one_unit(("a", 10, {"vacancies": 2, "min_hires": 1}), ("b", 50, {"vacancies": 5}))
    assert requirement_plan(instance(g, min_fill=0.6)).tolist() == [2, 2]


def test_a_unit_held_at_a_minimum_of_one():
    g = one_unit(("a", 10, {"vacancies": 2}))
    assert bounds(g, [1], min_fill=0.5)[0] == ["min_fill"]  # floor(0.5 × 2) = 1


def test_a_pin_equal_to_the_vacancies_but_above_max_hires():
    g = one_unit(("a", 10, {"vacancies": 3, "min_hires": 3, "max_hires": 2}))
    why = structural_infeasibility(instance(g))
    assert why.message_params["reason"] == "pin_above_max_hires"


def test_pins_above_the_vacancies_of_many_rows_list_twenty_and_count_all():
    g = one_unit(*[(f"p{i}", 10, {"vacancies": 1, "min_hires": 2}) for i in range(25)])
    params = structural_infeasibility(instance(g)).message_params
    assert params["count"] == 25 and len(params["rows"]) == 20
    assert params["rows"][-1]["position_id"] == "p19"


def test_a_gaps_table_without_position_names_names_the_position_by_its_id():
    g = one_unit(("a", 10, {"vacancies": 1, "min_hires": 2})).drop(columns=["position_name"])
    rows = structural_infeasibility(instance(g)).message_params["rows"]
    assert rows[0]["position_name"] == "a"


def test_a_requirement_exactly_equal_to_the_room_is_possible():
    # U2 needs floor(0.5 × 8) = 4 and may hire 4 (cap) of its d 2 + e 3 = 5
    units = units_table([{"unit_id": "U2", "max_hires": 4, "min_fill": 0.5}])
    assert structural_infeasibility(instance(two_units(), units)) is None


def test_pins_equal_to_the_cap_do_not_take_the_blame_for_a_minimum_fill():
    # U1 may hire 1 = its pinned c, but the minimum fill asks floor(1.0 × 7) = 7
    units = units_table([{"unit_id": "U1", "max_hires": 1, "min_fill": 1.0}])
    why = structural_infeasibility(instance(two_units(), units))
    assert (why.requirement, why.message_params["reason"]) == ("min_fill", "capacity")
    assert why.min_budget_by_source == {}
    assert why.to_dict()["min_budget_by_source"] == {}


def test_many_units_beyond_capacity_list_twenty_and_count_all():
    g = gaps_table([{"unit_id": f"U{i:02d}", "position_id": "a", "vacancies": 2, "cost": M,
                     "max_hires": 1} for i in range(25)])
    params = structural_infeasibility(instance(g, min_fill=1.0)).message_params
    assert params["count"] == 25 and len(params["units"]) == 20
    assert params["units"][-1] == {"unit_id": "U19", "unit_name": "Đơn vị U19", "required": 2,
                                   "possible": 1}


def test_a_units_budget_cap_one_dong_short():
    units = units_table([{"unit_id": "U1", "budget_cap": 240 * M - 1}])
    why = structural_infeasibility(instance(two_units(), units, min_fill=0.6))
    assert why.message_params["reason"] == "unit_budget_cap"


def test_many_units_over_their_budget_caps_list_twenty_and_count_all():
    g = gaps_table([{"unit_id": f"U{i:02d}", "position_id": "a", "vacancies": 2, "cost": M}
                    for i in range(25)])
    units = units_table([{"unit_id": f"U{i:02d}", "budget_cap": 1} for i in range(25)])
    params = structural_infeasibility(instance(g, units, min_fill=1.0)).message_params
    assert params["reason"] == "unit_budget_cap"
    assert params["count"] == 25 and len(params["units"]) == 20

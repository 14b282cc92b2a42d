"""Small instances solved by hand: each constraint and objective alone, then combined."""

import math

import pytest

from planner.optimise.allocate import PLAN_COLUMNS, UNIT_PLAN_COLUMNS, allocate_hires
from planner.optimise.result import SolveStatus
from tests.optimise_cases import M, assert_plan_keeps_the_rules, gaps_table, hires_of, units_table

SOLVERS = ["highs", "cbc"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_without_limits_every_vacancy_is_filled(solver):
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": 100 * M},
                       {"unit_id": "U2", "position_id": "b", "vacancies": 2, "cost": 50 * M},
                       {"unit_id": "U2", "position_id": "c", "vacancies": 0, "cost": 50 * M}])
    a = allocate_hires(gaps, solver=solver)
    assert a.status is SolveStatus.OPTIMAL
    assert hires_of(a) == {"a": 3, "b": 2, "c": 0}
    assert a.total_hires == 5 and a.total_cost == 400 * M
    assert a.objective == 5 and a.gap == 0
    assert list(a.plan.columns[:len(PLAN_COLUMNS)]) == PLAN_COLUMNS
    assert list(a.by_unit.columns) == UNIT_PLAN_COLUMNS
    assert a.by_unit.set_index("unit_id")["bound"].to_dict() == {"U1": "vacancies",
                                                                 "U2": "vacancies"}


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_budget_goes_to_the_highest_priority_first(solver):
    # 300 million buys three hires: both priority-3 hires, then one priority-1 hire
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 2, "cost": 100 * M,
                        "priority": 3},
                       {"unit_id": "U2", "position_id": "b", "vacancies": 3, "cost": 100 * M,
                        "priority": 1}])
    a = allocate_hires(gaps, budgets={"state_budget": 300 * M}, solver=solver)
    assert hires_of(a) == {"a": 2, "b": 1}
    assert a.objective == 7
    assert a.cost_by_source == {"state_budget": 300 * M}
    assert a.budget_used_share == {"state_budget": 1.0}
    bounds = a.by_unit.set_index("unit_id")["bound"].to_dict()
    assert bounds == {"U1": "vacancies", "U2": "budget:state_budget"}


@pytest.mark.parametrize("solver", SOLVERS)
def test_among_equally_good_plans_the_cheapest_is_chosen(solver):
    # 200 million: two hires at most (three cost at least 260); the two cheapest cost 160
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 2, "cost": 100 * M},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 2, "cost": 80 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 200 * M}, solver=solver)
    assert hires_of(a) == {"a": 0, "b": 2}
    assert a.total_cost == 160 * M
    assert [s["goal"] for s in a.stages] == ["weighted_hires", "cost"]


@pytest.mark.parametrize("solver", SOLVERS)
def test_the_cheapest_plan_among_ties_even_when_no_budget_binds(solver):
    # the unit can recruit two; any two weigh the same; the two cheapest cost 60 + 70
    gaps = gaps_table([{"unit_id": "U1", "position_id": p, "vacancies": 1, "cost": c * M}
                       for p, c in (("a", 100), ("b", 90), ("c", 70), ("d", 60), ("e", 95))])
    units = units_table([{"unit_id": "U1", "max_hires": 2}])
    a = allocate_hires(gaps, units, budgets={"state_budget": 10_000 * M}, solver=solver)
    assert hires_of(a) == {"a": 0, "b": 0, "c": 1, "d": 1, "e": 0}
    assert a.total_cost == 130 * M


def test_the_second_stage_is_lexicographic_not_a_weight():
    # one priority-1 hire of 1 billion beats no hire at all, however expensive
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 1,
                        "cost": 1_000 * M, "priority": 1.0},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 1,
                        "cost": 10 * M, "priority": 0.999}])
    a = allocate_hires(gaps, budgets={"state_budget": 1_000 * M}, gap=0)
    assert hires_of(a) == {"a": 1, "b": 0}


def test_budgets_per_funding_source_are_separate():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": 100 * M},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 3, "cost": 50 * M,
                        "funding_source": "fee_revenue"}])
    a = allocate_hires(gaps, budgets={"state_budget": 250 * M, "fee_revenue": 100 * M})
    assert hires_of(a) == {"a": 2, "b": 2}
    assert a.cost_by_source == {"fee_revenue": 100 * M, "state_budget": 200 * M}


def test_the_total_budget_binds_over_all_sources():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": 100 * M,
                        "priority": 2},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 3, "cost": 100 * M,
                        "funding_source": "fee_revenue"}])
    a = allocate_hires(gaps, total_budget=400 * M)
    assert hires_of(a) == {"a": 3, "b": 1}
    assert a.budgets == {} and a.total_budget == 400 * M
    assert a.budget_used_share == {} and a.total_budget_used_share == 1.0


def test_minimum_fill_takes_money_from_higher_priorities():
    # U2 has 4 vacancies and min_fill 0.5: it must get 2 hires although its priority is low
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 5, "cost": 100 * M,
                        "priority": 3},
                       {"unit_id": "U2", "position_id": "b", "vacancies": 4, "cost": 100 * M}])
    without = allocate_hires(gaps, budgets={"state_budget": 500 * M})
    assert hires_of(without) == {"a": 5, "b": 0}
    units = units_table([{"unit_id": "U2", "min_fill": 0.5}])
    a = allocate_hires(gaps, units, budgets={"state_budget": 500 * M})
    assert hires_of(a) == {"a": 3, "b": 2}
    assert a.by_unit.set_index("unit_id")["min_required"].to_dict() == {"U1": 0, "U2": 2}


def test_the_units_min_fill_wins_over_the_global_one():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 4, "cost": 100 * M,
                        "priority": 3},
                       {"unit_id": "U2", "position_id": "b", "vacancies": 4, "cost": 100 * M},
                       {"unit_id": "U3", "position_id": "c", "vacancies": 4, "cost": 100 * M}])
    units = units_table([{"unit_id": "U3", "min_fill": 0.25}])
    # global 0.5 for U1 and U2 (floor 2 each), 0.25 for U3 (1): 5 required, 1 left for U1
    a = allocate_hires(gaps, units, budgets={"state_budget": 600 * M}, min_fill=0.5)
    assert hires_of(a) == {"a": 3, "b": 2, "c": 1}


def test_minimum_fill_rounds_down():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": 100 * M}])
    a = allocate_hires(gaps, budgets={"state_budget": 100 * M}, min_fill=0.5)  # floor(1.5) = 1
    assert a.status is SolveStatus.OPTIMAL and hires_of(a) == {"a": 1}


def test_a_units_recruitment_cap():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 5, "cost": 100 * M,
                        "priority": 3},
                       {"unit_id": "U2", "position_id": "b", "vacancies": 5, "cost": 100 * M}])
    units = units_table([{"unit_id": "U1", "max_hires": 2}])
    a = allocate_hires(gaps, units, budgets={"state_budget": 500 * M})
    assert hires_of(a) == {"a": 2, "b": 3}
    assert a.by_unit.set_index("unit_id").loc["U1", "bound"] == "unit_cap"


def test_a_units_budget_cap():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 5, "cost": 100 * M,
                        "priority": 3},
                       {"unit_id": "U2", "position_id": "b", "vacancies": 5, "cost": 100 * M}])
    units = units_table([{"unit_id": "U1", "budget_cap": 250 * M}])
    a = allocate_hires(gaps, units, budgets={"state_budget": 500 * M})
    assert hires_of(a) == {"a": 2, "b": 3}
    assert a.by_unit.set_index("unit_id").loc["U1", "bound"] == "unit_budget"


def test_pins_and_row_caps():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 4, "cost": 100 * M,
                        "priority": 3, "max_hires": 1},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 4, "cost": 100 * M,
                        "priority": 1, "min_hires": 2},
                       {"unit_id": "U1", "position_id": "c", "vacancies": 4, "cost": 100 * M,
                        "priority": 2}])
    a = allocate_hires(gaps, budgets={"state_budget": 400 * M})
    assert hires_of(a) == {"a": 1, "b": 2, "c": 1}
    assert a.plan.set_index("position_id").loc["a", "bound"] == "row_cap"


def test_fair_raises_the_lowest_staffing_ratio_first():
    # U1 is at 5/10, U2 at 8/10; three hires. Priority puts two in U2 (priority 3);
    # fair puts all three in U1: both units end at 8/10.
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "quota": 10, "headcount": 5,
                        "cost": 100 * M, "priority": 1},
                       {"unit_id": "U2", "position_id": "b", "quota": 10, "headcount": 8,
                        "cost": 100 * M, "priority": 3}])
    budgets = {"state_budget": 300 * M}
    assert hires_of(allocate_hires(gaps, budgets=budgets)) == {"a": 1, "b": 2}
    a = allocate_hires(gaps, budgets=budgets, objective="fair")
    assert hires_of(a) == {"a": 3, "b": 0}
    assert a.objective == pytest.approx(0.8)
    assert [s["goal"] for s in a.stages] == ["min_ratio", "weighted_hires", "cost"]
    after = a.by_unit.set_index("unit_id")["fill_rate_after"].to_dict()
    assert after == {"U1": pytest.approx(0.8), "U2": pytest.approx(0.8)}


def test_fair_then_priority_within_the_fairest_plans():
    # the lowest ratio can reach 0.6 (U1 needs one hire); the other two hires then go by
    # priority to U2 (priority 3), not to U3
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "quota": 10, "headcount": 5,
                        "cost": 100 * M},
                       {"unit_id": "U2", "position_id": "b", "quota": 10, "headcount": 6,
                        "cost": 100 * M, "priority": 3},
                       {"unit_id": "U3", "position_id": "c", "quota": 10, "headcount": 6,
                        "cost": 100 * M, "priority": 1}])
    a = allocate_hires(gaps, budgets={"state_budget": 300 * M}, objective="fair", gap=0)
    assert a.objective == pytest.approx(0.6)
    assert hires_of(a) == {"a": 1, "b": 2, "c": 0}


def test_min_cost_reports_the_budget_a_target_needs():
    # half of each unit's vacancies, the cheapest ones: U1 2 × 80, U2 1 × 50 (fee revenue)
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 2, "cost": 100 * M},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 2, "cost": 80 * M},
                       {"unit_id": "U2", "position_id": "c", "vacancies": 3, "cost": 50 * M,
                        "funding_source": "fee_revenue"}])
    a = allocate_hires(gaps, objective="min_cost", target_fill=0.5)
    assert hires_of(a) == {"a": 0, "b": 2, "c": 1}
    assert a.cost_by_source == {"fee_revenue": 50 * M, "state_budget": 160 * M}
    assert a.objective == 210 * M
    full = allocate_hires(gaps, objective="min_cost")
    assert full.total_hires == 7 and full.total_cost == 510 * M


@pytest.mark.parametrize("solver", SOLVERS)
def test_everything_combined(solver):
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "vacancies": 4, "cost": 100 * M, "priority": 3},
        {"unit_id": "U1", "position_id": "b", "vacancies": 2, "cost": 60 * M, "priority": 1,
         "funding_source": "fee_revenue"},
        {"unit_id": "U2", "position_id": "c", "vacancies": 4, "cost": 90 * M, "priority": 1},
        {"unit_id": "U2", "position_id": "d", "vacancies": 2, "cost": 120 * M, "priority": 2,
         "min_hires": 1},
        {"unit_id": "U3", "position_id": "e", "vacancies": 3, "cost": 75 * M, "priority": 2},
    ])
    units = units_table([{"unit_id": "U1", "max_hires": 4},
                         {"unit_id": "U2", "min_fill": 0.5},
                         {"unit_id": "U3", "budget_cap": 150 * M}])
    budgets = {"state_budget": 600 * M, "fee_revenue": 100 * M}
    a = allocate_hires(gaps, units, budgets=budgets, total_budget=680 * M, solver=solver,
                       gap=0)
    assert a.status is SolveStatus.OPTIMAL
    assert_plan_keeps_the_rules(a, gaps, units, budgets=budgets, total_budget=680 * M)
    # U2 needs 3 hires (pin: d ≥ 1); the cheapest way is d 1 + c 2 (300 of state budget).
    # The other 300 buy most weight as a × 3 (9) rather than a 2 + e 1 (8) or a 1 + e 2 (7);
    # U1's cap of 4 leaves room for one fee-paid b (60; two would exceed the fee budget).
    # a 2 + e 1 + d 2 + c 1 would also weigh 14 but needs 605 of state budget.
    assert a.objective == 14
    assert hires_of(a) == {"a": 3, "b": 1, "c": 2, "d": 1, "e": 0}
    assert a.total_cost == 660 * M


def test_plan_rows_keep_their_order_and_columns():
    gaps = gaps_table([{"unit_id": "U2", "position_id": "z", "vacancies": 1, "cost": M},
                       {"unit_id": "U1", "position_id": "y", "vacancies": 1, "cost": M}])
    a = allocate_hires(gaps)
    assert list(a.plan["position_id"]) == ["z", "y"]
    assert list(a.by_unit["unit_id"]) == ["U2", "U1"]
    row = a.plan.iloc[0]
    assert row["remaining_vacancies"] == 0 and row["hires_cost"] == M
    assert {"sector", "grade", "priority", "min_hires", "max_hires", "bound"} <= set(a.plan)


def test_budget_values_by_resolve_on_small_plans():
    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 30, "cost": 100 * M,
                        "priority": 2},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 30, "cost": 50 * M,
                        "funding_source": "fee_revenue"}])
    a = allocate_hires(gaps, budgets={"state_budget": 1_000 * M, "fee_revenue": 2_000 * M})
    values = a.budget_values.set_index("funding_source")
    # one more billion of state budget buys 10 hires of priority 2; fees are not used up
    assert values.loc["state_budget", "value_per_billion"] == pytest.approx(20)
    assert values.loc["state_budget", "hires_per_billion"] == 10  # people, not weights
    assert values.loc["state_budget", "method"] == "resolve"
    assert bool(values.loc["state_budget", "binding"])
    assert values.loc["fee_revenue", "value_per_billion"] == 0
    assert not bool(values.loc["fee_revenue", "binding"])
    assert math.isclose(values.loc["fee_revenue", "used"], 1_500 * M)


def test_summary_is_json_with_the_issues_fields():
    import json

    gaps = gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": 100 * M}])
    s = allocate_hires(gaps, budgets={"state_budget": 200 * M}).summary()
    json.dumps(s, allow_nan=False)
    for field in ("status", "objective", "best_bound", "gap", "solver", "solve_seconds",
                  "total_hires", "total_cost", "cost_by_source", "budget_used_share",
                  "parameters"):
        assert field in s
    assert s["status"] == "optimal" and s["total_hires"] == 2
    assert s["parameters"]["budgets"] == {"state_budget": 200 * M}

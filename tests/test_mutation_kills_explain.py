"""Explanations worked by hand where mutation testing found no test (issue 18, second run of
planner/optimise/explain.py: docs/mutation.md). Every expected figure below is worked from
the rule's definition in the comments, never read from the code under test.

Rules (planner/optimise/explain.py, docs/optimiser.md): pins above a (unit, staff type)'s room
(its unused quota) cannot be met; the cheapest plan for the requirements fills each group only
up to its room; the least budgets: the sources that can fix the plan alone are the short ones,
the first raised is the one needing the smallest raise, the others are least with it at its
figure; when none can alone, the plan needing the least extra money in all raises them
together; the least total is the cheapest plan with every source held at its figure; a budget
binds when its slack cannot pay the cheapest post money alone would open (below its row's
bound, in a group below its room, a unit below its cap and within its own budget cap).
"""

import math

import numpy as np
import pytest
from optimise_cases import M, gaps_table, units_table

from planner.optimise.explain import (
    budget_infeasibility,
    budget_values,
    least_budgets,
    requirement_plan,
    structural_infeasibility,
    unit_bounds,
)
from planner.optimise.instance import prepare
from planner.optimise.result import TOTAL_BUDGET, BudgetKey

DEFAULTS = {"budgets": None, "total_budget": None, "min_fill": None, "objective": "priority",
            "target_fill": 0.0, "solver": "highs", "time_limit": None, "gap": 1e-4}


def instance(gaps, units=None, **kwargs):
    return prepare(gaps, units, **{**DEFAULTS, **kwargs})[0]


def row(unit, pos, cost, **kw):
    return {"unit_id": unit, "position_id": pos, "cost": cost, **kw}


# --- pins above a unit's quota --------------------------------------------------------------

def pinned_above_quota(pins=3):
    # U1's civil servants: a (quota 4, 1 on staff: 3 vacancies, `pins` pinned) and x (quota
    # 0, 2 on staff: 2 surplus); room = 4 − (1 + 2) = 1 for 2 rows. U1's public employee p
    # (2 vacancies, 1 pinned). U2 is fine.
    return gaps_table([
        row("U1", "a", 10 * M, quota=4, headcount=1, min_hires=pins),
        row("U1", "x", 10 * M, quota=0, headcount=2),
        row("U1", "p", 20 * M, vacancies=2, min_hires=1, staff_type="public_employee"),
        row("U2", "b", 10 * M, vacancies=2),
    ])


def test_pins_above_the_unused_quota_of_a_unit_and_staff_type():
    why = structural_infeasibility(instance(pinned_above_quota()))
    assert (why.requirement, why.reason) == ("pins", "pin_above_quota")
    # 3 pinned civil servants where the room is 4 − 3 = 1 (its two rows count for nothing)
    assert why.message_params == {"reason": "pin_above_quota", "count": 1, "groups": [
        {"unit_id": "U1", "unit_name": "Đơn vị U1", "staff_type": "civil_servant",
         "pinned": 3, "room": 1}]}
    assert why.min_budget_by_source == {} and why.min_total_budget == math.inf
    # the driving unit: U1 with all its pins (a 3 + p 1 = 4), no cost (no budget helps)
    t = why.driving_units
    assert t[["unit_id", "unit_name", "min_required"]].values.tolist() == [
        ["U1", "Đơn vị U1", 4]]
    assert t["cost_of_requirement"].isna().all() and t["cost_of_requirement"].dtype == float
    assert why.to_dict()["min_total_budget"] is None


def test_pins_equal_to_the_room_or_rows_beyond_it_without_pins_are_possible():
    # 1 pinned civil servant in a room of 1: allowed
    assert structural_infeasibility(instance(pinned_above_quota(pins=1))) is None
    # no pins at all in a group with 2 rows and a room of 1: allowed
    assert structural_infeasibility(instance(pinned_above_quota(pins=0))) is None


def test_many_groups_pinned_above_their_quota_list_twenty_and_count_all():
    rows = []
    for i in range(25):  # each unit: 2 pinned where 3 − 2 on staff leaves a room of 1
        rows += [row(f"U{i:02d}", "a", M, quota=3, headcount=0, min_hires=2),
                 row(f"U{i:02d}", "x", M, quota=0, headcount=2)]
    why = structural_infeasibility(instance(gaps_table(rows)))
    params = why.message_params
    assert params["reason"] == "pin_above_quota" and params["count"] == 25
    assert len(params["groups"]) == 20
    assert params["groups"][-1] == {"unit_id": "U19", "unit_name": "Đơn vị U19",
                                    "staff_type": "civil_servant", "pinned": 2, "room": 1}
    assert why.driving_units["unit_id"].tolist() == [f"U{i:02d}" for i in range(25)]


# --- the cheapest plan within the unit ceiling ----------------------------------------------

def ceiling_unit(a_pin=None, x_cost=30):
    # U1's civil servants: a 10 (2 vacancies), b 20 (2), x (no vacancy, 3 on staff where its
    # quota is 0); room = (2 + 2 + 0) − 3 = 1. Public employee d 50 (3 vacancies, room 3).
    # hireable = min(1, 4) + 3 = 4; min_fill 0.75 requires floor(3.0) = 3.
    a = {"min_hires": a_pin} if a_pin is not None else {}
    return gaps_table([
        row("U1", "a", 10 * M, quota=2, headcount=0, **a),
        row("U1", "b", 20 * M, quota=2, headcount=0),
        row("U1", "x", x_cost * M, quota=0, headcount=3),
        row("U1", "d", 50 * M, vacancies=3, staff_type="public_employee"),
    ])


def test_the_requirement_plan_fills_a_group_only_up_to_its_room():
    inst = instance(ceiling_unit(), min_fill=0.75)
    assert inst.unit_required.tolist() == [3]
    # the civil servants' room of 1 goes to the cheapest, a; b (cheaper than d) is beyond
    # the quota: the other two hires are d's
    assert requirement_plan(inst).tolist() == [1, 0, 0, 2]
    # the same whatever the surplus row costs (it has no vacancy)
    assert requirement_plan(instance(ceiling_unit(x_cost=5), min_fill=0.75)).tolist() == [
        1, 0, 0, 2]


def test_a_pin_that_fills_the_room_leaves_nothing_more_in_its_group():
    # a pinned at 1 takes the whole room of 1: the two other required hires are d's
    inst = instance(ceiling_unit(a_pin=1), min_fill=0.75)
    assert structural_infeasibility(inst) is None
    assert requirement_plan(inst).tolist() == [1, 0, 0, 2]


# --- what bounds a unit at its quota -----------------------------------------------------------

def quota_then_money():
    # U1's civil servants: a 10 (quota 5, none on staff: 5 vacancies) and x (quota 0, 2 on
    # staff): room 5 − 2 = 3 for 2 rows. Public employee p 50 (3 vacancies).
    return gaps_table([
        row("U1", "a", 10 * M, quota=5, headcount=0),
        row("U1", "x", 10 * M, quota=0, headcount=2),
        row("U1", "p", 50 * M, vacancies=3, staff_type="public_employee"),
    ])


def test_a_post_beyond_the_quota_is_not_open_and_money_stops_the_next():
    # hires a 3 (the room), p 1: 80 spent of 100, slack 20. a is below its row's bound but
    # its group is at its room; the cheapest open post is p at 50 > 20: the state budget
    # binds and names the unit's bound
    inst = instance(quota_then_money(), budgets={"state_budget": 100 * M},
                    total_budget=100 * M)
    hires = np.array([3, 0, 1])
    labels, rows = unit_bounds(inst, hires)
    assert labels.tolist() == ["budget:state_budget"]
    assert rows.tolist() == ["quota_ceiling", "vacancies", "budget:state_budget"]
    t = budget_values(inst, hires, method="lp_dual", value_unit="weighted_hires",
                      lp_duals={}, resolve=None)
    assert t["binding"].tolist() == [True, True]  # the source's and the total's
    assert t["slack"].tolist() == [20 * M, 20 * M]


def test_a_unit_with_only_posts_beyond_its_quota_left_is_at_its_ceiling():
    g = quota_then_money().iloc[:2]  # a and x only: a 3 hires fill the room of 3
    labels, rows = unit_bounds(instance(g), np.array([3, 0]))
    assert labels.tolist() == ["quota_ceiling"]
    assert rows.tolist() == ["quota_ceiling", "vacancies"]
    # one hire fewer: the group has room, nothing else stops it
    labels, rows = unit_bounds(instance(g), np.array([2, 0]))
    assert labels.tolist() == ["objective"] and rows.tolist() == ["objective", "vacancies"]


# --- the cheapest post money alone would open ------------------------------------------------

def cap_case(units):
    # U1: a 10 (3 vacancies); U2: p 50 (3 vacancies); hires a 2, p 1: 70 spent of 90, slack 20
    g = gaps_table([row("U1", "a", 10 * M, vacancies=3), row("U2", "p", 50 * M, vacancies=3)])
    inst = instance(g, units, budgets={"state_budget": 90 * M})
    t = budget_values(inst, np.array([2, 1]), method="lp_dual", value_unit="weighted_hires",
                      lp_duals={}, resolve=None)
    return bool(t.at[0, "binding"])


def test_a_unit_at_its_cap_opens_no_post():
    # U1 may hire 2: a is closed, the cheapest open post is p at 50 > 20: binding
    assert cap_case(units_table([{"unit_id": "U1", "max_hires": 2}])) is True
    # U1 may hire 3: a at 10 ≤ 20 is open: not binding
    assert cap_case(units_table([{"unit_id": "U1", "max_hires": 3}])) is False


def test_a_unit_at_its_own_budget_cap_opens_no_post():
    # a third a costs 20 + 10 = 30 of U1's own cap
    assert cap_case(units_table([{"unit_id": "U1", "budget_cap": 25 * M}])) is True
    assert cap_case(units_table([{"unit_id": "U1", "budget_cap": 30 * M}])) is False
    assert cap_case(units_table([{"unit_id": "U1", "budget_cap": 30 * M - 1}])) is True
    assert cap_case(units_table([{"unit_id": "U1", "budget_cap": 30 * M + 1}])) is False


def test_a_failed_resolve_leaves_the_value_unknown():
    g = gaps_table([row("U1", "a", 100 * M, vacancies=30)])
    inst = instance(g, budgets={"state_budget": 1_050 * M})  # 10 hired: slack 50 < 100
    t = budget_values(inst, np.array([10]), method="resolve", value_unit="weighted_hires",
                      lp_duals=None, resolve=lambda key: None)
    assert bool(t.at[0, "binding"])
    assert math.isnan(t.at[0, "value_per_billion"])
    assert math.isnan(t.at[0, "hires_per_billion"])
    # by the LP dual no people figure: a float NaN, not a missing object
    t = budget_values(inst, np.array([10]), method="lp_dual", value_unit="weighted_hires",
                      lp_duals={BudgetKey("state_budget"): 0.0, TOTAL_BUDGET: 0.0},
                      resolve=None)
    people = t.at[0, "hires_per_billion"]
    assert isinstance(people, float) and math.isnan(people)
    assert t["hires_per_billion"].dtype == float


# --- the least budgets -------------------------------------------------------------------------

def test_no_budget_helps_when_a_units_own_cap_blocks():
    # U1: b 50 × 2, c 70 × 2, a 100 × 3; U2: d 30 (max 2 hires), e 40 (fees). min_fill 0.6:
    # U1 needs 4 at 2 × 50 + 2 × 70 = 240 > its own cap 200: no budget can help
    g = gaps_table([
        row("U1", "a", 100 * M, vacancies=3), row("U1", "b", 50 * M, vacancies=2),
        row("U1", "c", 70 * M, vacancies=2, min_hires=1),
        row("U2", "d", 30 * M, vacancies=5, max_hires=2),
        row("U2", "e", 40 * M, vacancies=3, funding_source="fee_revenue")])
    inst = instance(g, units_table([{"unit_id": "U1", "budget_cap": 200 * M}]), min_fill=0.6,
                    budgets={"state_budget": 250 * M})
    assert least_budgets(inst) is None
    why = budget_infeasibility(inst)
    # the figures fall back on the cheapest plan for the requirements, not proven least:
    # state b 100 + c 140 + d 60 = 300, fees e 80
    assert why.min_budget_by_source == {"fee_revenue": 80 * M, "state_budget": 300 * M}
    assert why.min_total_budget == 380 * M
    assert why.message_params == {
        "reason": "budget", "exact": False,
        "short": {"state_budget": {"budget": 250 * M, "needed": 300 * M}}}
    assert why.driving_units[["unit_id", "min_required", "cost_of_requirement"]
                             ].values.tolist() == [["U1", 4, 240 * M], ["U2", 4, 60 * M]]


def together_case():
    # U1 needs a1 (A, 50); U2 needs b1 (B, 50); U3 needs one of c1 (C, 100) or a2 (A, 60).
    # Budgets A 0, B 0, C 100. A alone cannot hire b1, B alone cannot hire a1, C alone
    # neither: no source can fix the plan alone.
    g = gaps_table([
        row("U1", "a1", 50 * M, funding_source="A"),
        row("U2", "b1", 50 * M, funding_source="B"),
        row("U3", "c1", 100 * M, funding_source="C"),
        row("U3", "a2", 60 * M, funding_source="A"),
    ])
    units = units_table([{"unit_id": "U1", "min_fill": 1.0}, {"unit_id": "U2", "min_fill": 1.0},
                         {"unit_id": "U3", "min_fill": 0.5}])
    return instance(g, units, budgets={"A": 0, "B": 0, "C": 100 * M})


def test_sources_that_cannot_fix_the_plan_alone_rise_together():
    inst = together_case()
    assert inst.unit_required.tolist() == [1, 1, 1]
    # the least extra money: a1 + b1 (100 over A and B) with U3 on C's unused 100 (c1),
    # rather than a2 (60 more over A). Held there (A 50, B 50, C 100), each source's least
    # with the others at theirs: A 50 (a1), B 50 (b1), C 100 (a2 would need A at 110)
    least = least_budgets(inst)
    assert least.by_source == {"A": 50 * M, "B": 50 * M, "C": 100 * M}
    assert least.together is True and least.exact is True
    # the least total with every source held at its figure: a1 + b1 + c1 = 200 (the cheapest
    # plan ignoring the budgets, a1 + b1 + a2 = 160, needs A at 110)
    assert least.total == 200 * M
    assert least.plan.tolist() == [1, 1, 1, 0] and least.plan.dtype.kind == "i"
    why = budget_infeasibility(inst)
    assert why.message_params == {
        "reason": "budget", "exact": True, "together": True,
        "short": {"A": {"budget": 0.0, "needed": 50 * M}, "B": {"budget": 0.0, "needed": 50 * M}}}
    assert why.min_total_budget == 200 * M
    # driving units: what each unit's requirement costs in the short sources A and B
    assert why.driving_units[["unit_id", "min_required", "cost_of_requirement"]
                             ].values.tolist() == [["U1", 1, 50 * M], ["U2", 1, 50 * M]]


def two_fixers():
    # U1 needs 2 of a (state, 100 × 2) and b (fees, 80 × 2). State 150 pays one a, fees 0.
    # State alone: a a = 200 (raise 50); fees alone: a + b, fees 80 (raise 80)
    g = gaps_table([row("U1", "a", 100 * M, vacancies=2),
                    row("U1", "b", 80 * M, vacancies=2, funding_source="fee_revenue")])
    return instance(g, min_fill=0.5, budgets={"state_budget": 150 * M, "fee_revenue": 0})


def test_of_two_sources_that_can_fix_the_plan_the_smaller_raise_is_held():
    least = least_budgets(two_fixers())
    # both are short, each with its own figure; the state's raise (50) is the smaller, so
    # the total is the cheapest plan with the state at 200 and fees at 0: a a = 200 (with
    # fees raised instead it would be a + b = 180)
    assert least.by_source == {"fee_revenue": 80 * M, "state_budget": 200 * M}
    assert least.total == 200 * M and least.plan.tolist() == [2, 0]
    assert least.together is False
    why = budget_infeasibility(two_fixers())
    assert why.message_params == {"reason": "budget", "exact": True, "short": {
        "fee_revenue": {"budget": 0.0, "needed": 80 * M},
        "state_budget": {"budget": 150 * M, "needed": 200 * M}}}
    assert why.min_total_budget == 200 * M


def test_a_source_one_dong_short_needs_the_smaller_raise():
    # U1 needs 1 of a (fees, 100) or b (state, 100); fees one đồng short, state two
    g = gaps_table([row("U1", "a", 100 * M, funding_source="fee_revenue"),
                    row("U1", "b", 100 * M)])
    inst = instance(g, min_fill=0.5, budgets={"fee_revenue": 100 * M - 1,
                                              "state_budget": 100 * M - 2})
    least = least_budgets(inst)
    assert least.by_source == {"fee_revenue": 100 * M, "state_budget": 100 * M}
    assert least.total == 100 * M and least.plan.tolist() == [1, 0]  # fees raised by 1 đồng
    assert budget_infeasibility(inst).message_params["short"] == {
        "fee_revenue": {"budget": 100 * M - 1, "needed": 100 * M},
        "state_budget": {"budget": 100 * M - 2, "needed": 100 * M}}


def test_a_source_without_a_budget_is_least_with_the_short_one_at_its_figure():
    # U1 needs 2 of a (A, 100 × 2) and c (C without a budget, 60 × 1); A 50 pays no a.
    # A alone: a + c, A 100. C's least with A at 100: one a, so one c = 60 (with A
    # unlimited it would be 0)
    g = gaps_table([row("U1", "a", 100 * M, vacancies=2, funding_source="A"),
                    row("U1", "c", 60 * M, funding_source="C")])
    inst = instance(g, min_fill=2 / 3, budgets={"A": 50 * M})
    assert inst.unit_required.tolist() == [2]
    least = least_budgets(inst)
    assert least.by_source == {"A": 100 * M, "C": 60 * M}
    assert least.total == 160 * M and least.plan.tolist() == [1, 1]


def test_only_the_sources_named_may_grow():
    # U1 needs 2 of a (state, 100 × 2) and b (fees, 50 × 2); fees 50 pay one b, state 0.
    # Every source may grow: each can fix the plan alone, fees with b b = 100 (raise 50),
    # the state with a + b = 100 (raise 100): both are short with those figures, fees (the
    # smaller raise) are held at 100 and the least total there is b b = 100
    g = gaps_table([row("U1", "a", 100 * M, vacancies=2),
                    row("U1", "b", 50 * M, vacancies=2, funding_source="fee_revenue")])
    inst = instance(g, min_fill=0.5, budgets={"state_budget": 0, "fee_revenue": 50 * M})
    least = least_budgets(inst)
    assert least.by_source == {"fee_revenue": 100 * M, "state_budget": 100 * M}
    assert least.total == 100 * M
    # only the state may grow: its least 100 (a + b); fees' least with the state at 100: one
    # b = 50; the least total a + b = 150
    least = least_budgets(inst, sources=("state_budget",))
    assert least.by_source == {"fee_revenue": 50 * M, "state_budget": 100 * M}
    assert least.total == 150 * M and least.plan.tolist() == [1, 1]
    # only fees may grow: 100 (b b); the state's least with fees at 100: 0
    least = least_budgets(inst, sources=("fee_revenue",))
    assert least.by_source == {"fee_revenue": 100 * M, "state_budget": 0.0}
    assert least.total == 100 * M and least.plan.tolist() == [0, 2]


def test_a_source_without_a_budget_named_to_grow_is_held_at_its_least():
    # U1 needs 1 of a (A, budget 100, cost 100) or c (C without a budget, 60). C may grow:
    # it needs nothing (a is paid by A), so it is held at 0 and A's least there is 100;
    # the least total at those figures is a = 100 (c, cheaper, would need C above 0)
    g = gaps_table([row("U1", "a", 100 * M, funding_source="A"),
                    row("U1", "c", 60 * M, funding_source="C")])
    inst = instance(g, min_fill=0.5, budgets={"A": 100 * M})
    least = least_budgets(inst, sources=("C",))
    assert least.by_source == {"A": 100 * M, "C": 0.0}
    assert least.total == 100 * M and least.plan.tolist() == [1, 0]


@pytest.mark.parametrize("objective", ["fair", "priority"])
def test_the_least_budgets_do_not_depend_on_the_objective(objective):
    # the least budgets pay for the requirements only: the same under every objective
    inst = instance(two_fixers().gaps, min_fill=0.5, objective=objective,
                    budgets={"state_budget": 150 * M, "fee_revenue": 0})
    why = budget_infeasibility(inst)
    assert why.min_budget_by_source == {"fee_revenue": 80 * M, "state_budget": 200 * M}
    assert why.min_total_budget == 200 * M


def test_a_source_without_a_budget_named_to_grow_is_held_at_zero_when_others_pay():
    # U1 needs 2 of c (C without a budget, 60 × 2) and a (A, 100 × 2); A's 200 pays a a.
    # C may grow but needs nothing: held at 0, A's least there is a a = 200, and the least
    # total at those figures a a = 200 (c c, cheaper at 120, would need C at 120)
    g = gaps_table([row("U1", "c", 60 * M, vacancies=2, funding_source="C"),
                    row("U1", "a", 100 * M, vacancies=2, funding_source="A")])
    inst = instance(g, min_fill=0.5, budgets={"A": 200 * M})
    least = least_budgets(inst, sources=("C",))
    assert least.by_source == {"A": 200 * M, "C": 0.0}
    assert least.total == 200 * M and least.plan.tolist() == [0, 2]


def test_the_least_extra_money_is_the_least_of_every_plan():
    # U1 needs 1 of p0 (C, 176.5 × 2); U0 needs 3 of p1 (B, 44 × 3), p2 (A, 118 × 2) and
    # p3 (C, 191 × 1). Budgets A 39, B 31, C 88 pay for no post: no source can fix the plan
    # alone (U1 needs C raised, U0's three hires need B or A raised). The extra money of
    # U0's choices, with p0 (88.5 over C): p1 × 3 = 132 − 31 = 101; p1 × 2 + p2 =
    # 57 + 79 = 136; p1 × 2 + p3 = 57 + 191 = 248: the least is p1 × 3.
    g = gaps_table([row("U1", "p0", 176_500_000, vacancies=2, funding_source="C"),
                    row("U0", "p1", 44 * M, vacancies=3, funding_source="B"),
                    row("U0", "p2", 118 * M, vacancies=2, funding_source="A"),
                    row("U0", "p3", 191 * M, vacancies=1, funding_source="C")])
    inst = instance(g, min_fill=0.5, budgets={"A": 39 * M, "B": 31 * M, "C": 88 * M})
    assert inst.unit_required.tolist() == [1, 3]
    least = least_budgets(inst)
    # held at B 132, C 176.5 (A as set): A needs 0, B 132 (p2 and p3 out of reach), C 176.5
    assert least.by_source == {"A": 0.0, "B": 132 * M, "C": 176_500_000}
    assert least.total == 308_500_000 and least.plan.tolist() == [1, 3, 0, 0]
    assert least.together is True and least.exact is True


def test_every_least_budget_program_is_exact_to_the_dong_within_a_minute(monkeypatch):
    # docs/optimiser.md: the least budgets are exact to the đồng, found by integer programs
    # given 60 s each (``exact`` is false only when one ran out of time). Every program run
    # for the together case is recorded as the model receives it (the real run unchanged):
    # no relative gap, an absolute gap below one đồng (the model counts money in millions),
    # and 60 s.
    from planner.optimise.model import MONEY_UNIT, AllocationModel

    given: list[dict] = []
    real = AllocationModel.run

    def recorded(self, **kw):
        given.append(kw)
        return real(self, **kw)

    monkeypatch.setattr(AllocationModel, "run", recorded)
    least = least_budgets(together_case())
    assert least.by_source == {"A": 50 * M, "B": 50 * M, "C": 100 * M}
    # the three sources alone, the least extra money, the others held, the least total
    assert len(given) >= 4
    for kw in given:
        assert kw["integer"] is True and kw["maximise"] is False
        assert kw["gap"] == 0.0
        assert 0 < kw["abs_gap"] * MONEY_UNIT < 1.0  # below one đồng
        assert kw["time_limit"] == 60.0

"""The multi-year model (issue 15) on tiny cases solved by hand (issue 18: its mutants).

Written so that `make mutate MODULE=planner/optimise/model_multiyear.py` runs in seconds a
mutant: each case has one to three rows and one to three years, and its answer is worked out
by hand from README's statement of the model (X[r, y] = hires made in years ≤ y, whole and
never falling; X ≤ room; Σ X ≤ group room per (unit, staff type); Σ cost · X ≤ budget per
source and year, a hire paid every year from the year it joins at that year's cost; unit
minimum, unit hires a year, unit budget, row hires over the horizon) and its objectives
(``priority``: most priority-weighted staff-years, then least cost; ``min_cost``: least cost;
``fair``: the highest least final fill (N0_u + Σ X) / Q_u, then priority, then cost). The
arrays are written out in full (room = max(0, quota − N0)), never computed by the model.
Money in đồng; the cost stage's value is in millions of đồng (the model's unit).
"""

from __future__ import annotations

import numpy as np
import pytest
from multiyear_model_cases import INF, M, _best_by_dynamic_programming, _knapsack_mip, _mip, _plan

from planner.optimise.model_multiyear import MultiYearMip, solve_multiyear

# --- the stages and their values ---------------------------------------------------------


def test_priority_stages_report_staff_years_then_cost():
    # one row, room 2 in both years, priority 3, 100 million a hire a year, no budget:
    # X = 2, 2 → 3 × (2 + 2) = 12 weighted staff-years, cost 4 × 100 = 400 million
    res = solve_multiyear(_mip([[2, 2]], priority=[3]), gap=0.0)
    assert res.status == "optimal"
    assert res.cumulative.tolist() == [[2, 2]]
    assert res.hires.tolist() == [[2, 0]]
    assert [s.goal for s in res.stages] == ["weighted_staff_years", "total_cost"]
    assert [s.status for s in res.stages] == ["optimal", "optimal"]
    assert res.stages[0].value == pytest.approx(12)
    assert res.stages[0].bound == pytest.approx(12)
    assert res.stages[1].value == pytest.approx(400)
    assert res.stages[1].bound == pytest.approx(400)
    assert res.least_budgets is None


def test_min_cost_has_one_stage_and_hires_only_what_the_minimum_asks():
    # room 3 a year; the unit needs 1 by year 1 and 2 by year 2; 100 and 80 million:
    # the least cost is X = 1, 2 → 100 + 2 × 80 = 260 million
    res = solve_multiyear(_mip([[3, 3]], cost=[[100 * M, 80 * M]], unit_min=[[1, 2]],
                               objective="min_cost"), gap=0.0)
    assert res.cumulative.tolist() == [[1, 2]]
    assert [s.goal for s in res.stages] == ["total_cost"]
    assert res.stages[0].value == pytest.approx(260)


def test_fair_stages_and_the_least_final_fill():
    # units 0 and 1: quota 4 each, 2 and 3 staying, room 2 and 1; budget one hire (100
    # million). Hiring in unit 0 gives fills 3/4 and 3/4: t = 0.75 (hiring in unit 1: 2/4).
    # Then 1 weighted staff-year (priority 1 of unit 0's row), then 100 million.
    mip = _mip([[2], [1]], priority=[1, 5], group=[0, 1], group_room=[[2], [1]],
               unit=[0, 1], unit_min=[[0], [0]], budgets=[[100 * M]], objective="fair",
               fair_quota=[4, 4], fair_staying=[2, 3])
    res = solve_multiyear(mip, gap=0.0)
    assert res.cumulative.tolist() == [[1], [0]]
    assert [s.goal for s in res.stages] == ["min_ratio", "weighted_staff_years", "total_cost"]
    assert [s.value for s in res.stages] == pytest.approx([0.75, 1, 100])


def test_fair_ties_on_the_least_fill_are_broken_by_priority():
    # unit 0: quota 4, 4 staying (full); unit 1: quota 4, 2 staying, two rows of room 1 in
    # separate groups, priorities 1 and 2; budget one hire. t = min(4/4, 3/4) = 0.75 either
    # way, so the priority stage picks the priority-2 row.
    mip = _mip([[0], [1], [1]], priority=[9, 1, 2], group=[0, 1, 2],
               group_room=[[0], [1], [1]], unit=[0, 1, 1], unit_min=[[0], [0]],
               budgets=[[100 * M]], objective="fair", fair_quota=[4, 4],
               fair_staying=[4, 2])
    assert _plan(mip) == [[0], [0], [1]]


def test_fair_without_its_quotas_is_refused():
    with pytest.raises(ValueError, match=r"^the fair objective needs fair_quota and "
                                         r"fair_staying$"):
        solve_multiyear(_mip([[1]], objective="fair"))
    with pytest.raises(ValueError, match="fair_quota and fair_staying"):
        solve_multiyear(_mip([[1]], objective="fair", fair_quota=[1]))


# --- each constraint at its edge -----------------------------------------------------------


@pytest.mark.parametrize(("budget", "hires"), [(200 * M, 2), (200 * M - 1, 1),
                                                (300 * M, 3), (0, 0)])
def test_a_budget_is_met_to_the_dong(budget, hires):
    # room 3, 100 million a hire: ⌊budget / 100 million⌋ hires (at most 3)
    assert _plan(_mip([[3]], budgets=[[budget]])) == [[hires]]


def test_a_hire_is_paid_every_year_at_that_years_cost():
    # 100 million in year 1 and 120 in year 2, budget 100 a year: a year-1 hire stays on the
    # books in year 2 at 120 > 100, and X cannot fall: nobody is hired
    assert _plan(_mip([[1, 1]], cost=[[100 * M, 120 * M]],
                      budgets=[[100 * M, 100 * M]])) == [[0, 0]]
    # budget 120 in year 2: the hire is kept both years
    assert _plan(_mip([[1, 1]], cost=[[100 * M, 120 * M]],
                      budgets=[[100 * M, 120 * M]])) == [[1, 1]]


def test_budgets_per_source_are_separate():
    # rows 0 and 1 in sources 0 and 1, room 2 each, separate groups; budgets 100 and 200
    # million: 1 hire of source 0, 2 of source 1
    assert _plan(_mip([[2], [2]], group=[0, 1], group_room=[[2], [2]], source=[0, 1],
                      budgets=[[100 * M], [200 * M]])) == [[1], [2]]


def test_the_group_room_caps_the_sum_of_its_rows_each_year():
    # two rows of room 2 in one group whose room is 3 then 1... X cannot fall, so the
    # group's year-2 room (1) caps year 1 too: 1 hire in all, the priority-2 row
    assert _plan(_mip([[2, 2], [2, 2]], priority=[1, 2], group_room=[[3, 1]])) == \
        [[0, 0], [1, 1]]
    # group room 3 both years: the priority-2 row full (2), the other 1
    assert _plan(_mip([[2, 2], [2, 2]], priority=[1, 2], group_room=[[3, 3]])) == \
        [[1, 1], [2, 2]]
    # two groups: each capped by its own room
    assert _plan(_mip([[2], [2]], group=[0, 1], group_room=[[1], [0]])) == [[1], [0]]


def test_the_row_cap_counts_hires_over_the_horizon():
    # room 3 every year; at most 2 hires over the three years: X = 2, 2, 2
    assert _plan(_mip([[3, 3, 3]], row_max=[2])) == [[2, 2, 2]]
    # a cap of 3 is the room itself: 3, 3, 3
    assert _plan(_mip([[3, 3, 3]], row_max=[3])) == [[3, 3, 3]]
    # per row: the second row is uncapped (inf) and the third capped at 0
    assert _plan(_mip([[3, 3], [1, 1], [2, 2]], row_max=[1, INF, 0], group=[0, 1, 2],
                      group_room=[[3, 3], [1, 1], [2, 2]])) == [[1, 1], [1, 1], [0, 0]]


def test_the_unit_budget_each_year():
    # room 3, 100 million a hire, the unit's budget 150 then 250 million: X = 1, 2
    assert _plan(_mip([[3, 3]], unit_budget=[[150 * M, 250 * M]])) == [[1, 2]]
    # two units, only unit 1's budget is finite (0): unit 0 hires its room, unit 1 nobody
    assert _plan(_mip([[2], [2]], group=[0, 1], group_room=[[2], [2]], unit=[0, 1],
                      unit_min=[[0], [0]], unit_budget=[[INF], [0]])) == [[2], [0]]


@pytest.mark.parametrize(("cap", "expected"), [(0, [0, 0, 0]), (1, [1, 2, 3]),
                                               (2, [2, 4, 4]), (INF, [4, 4, 4])])
def test_unit_hires_a_year(cap, expected):
    # one row of room 4 a year; at most `cap` hires a year in the unit
    assert _plan(_mip([[4, 4, 4]], unit_max=[cap])) == [expected]


def test_unit_hires_a_year_count_every_row_of_the_unit():
    # two rows of unit 0 (room 2 each, separate groups) and one of unit 1 (room 2); unit 0
    # may hire 1 a year, unit 1 has no cap: unit 0 has 1 then 2 hires, unit 1 its 2 at once
    res = solve_multiyear(_mip([[2, 2], [2, 2], [2, 2]], group=[0, 1, 2],
                               group_room=[[2, 2], [2, 2], [2, 2]], unit=[0, 0, 1],
                               unit_min=[[0, 0], [0, 0]], unit_max=[1, INF]), gap=0.0)
    X = res.cumulative
    assert X[:2].sum(axis=0).tolist() == [1, 2]
    assert X[2].tolist() == [2, 2]


def test_a_unit_minimum_outranks_priority():
    # one hire affordable (100 million); unit 0's row has priority 1, unit 1's priority 5,
    # but unit 0 must have 1 hire in year 1: its row is hired
    assert _plan(_mip([[1], [1]], priority=[1, 5], group=[0, 1], group_room=[[1], [1]],
                      unit=[0, 1], unit_min=[[1], [0]], budgets=[[100 * M]])) == [[1], [0]]


def test_a_minimum_of_the_second_year_only():
    # min_cost: the unit needs 2 by year 2 and nothing in year 1, room 2 a year: X = 0, 2
    assert _plan(_mip([[2, 2]], unit_min=[[0, 2]], objective="min_cost")) == [[0, 2]]


def test_hires_never_fall():
    # room 2 then 1: X = 2, 1 would let one go; the most staff-years without firing is
    # X = 1, 1 (2 staff-years)
    assert _plan(_mip([[2, 1]])) == [[1, 1]]


# --- no plan -------------------------------------------------------------------------------


def test_least_budgets_per_source_and_year():
    # source 0: one row (unit 0) that must have 2 hires by year 1 and 3 by year 2, budget
    # 150 million in year 1 and none (inf) in year 2; source 1: a row of unit 1 with 500
    # million a year and no minimum. Least budgets: 200 million for source 0 in year 1, the
    # budgets kept where nothing passes them (inf stays inf; 500 million stays 500)
    mip = _mip([[3, 3], [1, 1]], group=[0, 1], group_room=[[3, 3], [1, 1]], source=[0, 1],
               budgets=[[150 * M, INF], [500 * M, 500 * M]], unit=[0, 1],
               unit_min=[[2, 3], [0, 0]])
    res = solve_multiyear(mip, gap=0.0)
    assert res.status == "infeasible" and res.cumulative is None
    assert res.least_budgets.tolist() == [[200 * M, INF], [500 * M, 500 * M]]
    assert [s.goal for s in res.stages] == ["weighted_staff_years"]
    assert res.stages[0].status == "infeasible"


def test_no_money_helps_a_minimum_above_the_room():
    # the unit must have 3 hires where the room is 2: infeasible whatever the budget
    res = solve_multiyear(_mip([[2]], unit_min=[[3]], budgets=[[1_000 * M]]), gap=0.0)
    assert res.status == "infeasible" and res.least_budgets is None
    # and with no finite budget at all
    res = solve_multiyear(_mip([[2]], unit_min=[[3]]), gap=0.0)
    assert res.status == "infeasible" and res.least_budgets is None


def test_a_time_limit_spent_before_the_solver_returns_the_starting_plan_or_nothing():
    # a feasible case: the starting plan (nobody, topped up by priority) is returned with
    # status feasible_time_limit; room 2, no budget: the greedy hires 2 in year 1
    res = solve_multiyear(_mip([[2, 2]]), time_limit=1e-9)
    assert res.status == "feasible_time_limit"
    assert res.cumulative.tolist() == [[2, 2]]
    assert res.stages == ()
    # no starting plan (a minimum above the room): no plan, not "infeasible"; no stage run,
    # the seconds those of the call
    import time

    t0 = time.perf_counter()
    res = solve_multiyear(_mip([[2]], unit_min=[[3]]), time_limit=1e-9)
    wall = time.perf_counter() - t0
    assert res.status == "no_solution_time_limit" and res.cumulative is None
    assert res.stages == () and res.least_budgets is None
    assert 0 <= res.seconds <= wall and 0 < res.build_seconds <= wall


# --- what a solve reports besides the plan ---------------------------------------------------


def test_a_solve_prints_nothing_and_its_seconds_are_within_the_call(capfd):
    # HiGHS's banner and log stay silent (the CLI's output is the planner's own); the
    # seconds reported are those of the call: each ≥ 0 and none above the wall time
    import time

    t0 = time.perf_counter()
    res = solve_multiyear(_mip([[2, 2], [1, 1]], group=[0, 1], group_room=[[2, 2], [1, 1]],
                               budgets=[[200 * M, 200 * M]], priority=[1, 2]), gap=0.0)
    wall = time.perf_counter() - t0
    assert res.cumulative.tolist() == [[1, 1], [1, 1]]
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert 0 < res.build_seconds <= wall
    assert 0 <= res.seconds <= wall
    assert all(0 <= s.seconds <= res.seconds for s in res.stages)
    assert res.cumulative.dtype.kind == "i"  # whole hires
    # the same of a plan that does not exist (a minimum above the room)
    t0 = time.perf_counter()
    res = solve_multiyear(_mip([[2]], unit_min=[[3]], budgets=[[100 * M]]), gap=0.0)
    wall = time.perf_counter() - t0
    assert res.status == "infeasible"
    assert 0 < res.build_seconds <= wall and 0 <= res.seconds <= wall
    assert [s.goal for s in res.stages] == ["weighted_staff_years"]


# --- knapsacks: HiGHS branches, its stop rule and options are used -------------------------


@pytest.mark.parametrize("seed", range(5))
def test_a_knapsack_plan_is_the_lexicographic_optimum(seed):
    mip, (room, cost, priority) = _knapsack_mip(seed)
    res = solve_multiyear(mip, gap=0.0)
    top, least = _best_by_dynamic_programming(room, cost, priority, 123)
    assert res.status == "optimal"
    X = res.cumulative[:, 0]
    assert (X >= 0).all() and (room >= X).all() and (cost * X).sum() <= 1_234
    assert (priority * X).sum() == top and (cost * X).sum() == least
    assert res.stages[0].value == pytest.approx(top)
    assert res.stages[1].value == pytest.approx(least)


def test_the_least_budget_is_the_cheapest_way_to_meet_the_minimum():
    # the unit must have 12 hires; 100 million is far too little; the least budget is the
    # cost of the 12 cheapest hires (each row's room of them at its cost)
    mip, (room, cost, _) = _knapsack_mip(7, 100, unit_min=[[12]])
    res = solve_multiyear(mip, gap=0.0)
    cheapest = sorted(c for c, k in zip(cost.tolist(), room.tolist(), strict=True)
                      for _ in range(k))[:12]
    assert res.status == "infeasible"
    assert res.least_budgets.tolist() == [[sum(cheapest) * M]]


def test_the_core_problem_path_gives_the_same_optimum(monkeypatch):
    # above CORE columns a stage first solves a core problem (the columns the relaxation
    # leaves fractional or nearly indifferent; the others fixed at the relaxation's rounded
    # values), then the whole problem from its plan. With CORE at 1: rows A, B, C (room 1
    # each, own groups), 60, 50 and 50 million, priorities 7, 5, 5, budget 100 million. The
    # relaxation takes A whole (best priority per đồng) and 0.8 of B or C; the core frees
    # only that column, so its plan is A alone (7). The optimum is B and C (5 + 5 = 10, cost
    # 100 million): the whole problem must be solved with A free again.
    import planner.optimise.model_multiyear as model_multiyear

    monkeypatch.setattr(model_multiyear, "CORE", 1)
    res = solve_multiyear(_mip([[1], [1], [1]], priority=[7, 5, 5],
                               cost=[[60 * M], [50 * M], [50 * M]], group=[0, 1, 2],
                               group_room=[[1], [1], [1]], budgets=[[100 * M]]), gap=0.0)
    assert res.status == "optimal"
    assert res.cumulative.tolist() == [[0], [1], [1]]
    assert [s.value for s in res.stages] == pytest.approx([10, 100])
    # and a 30-row knapsack with CORE at 5 still reaches the dynamic programming optimum
    monkeypatch.setattr(model_multiyear, "CORE", 5)
    mip, (room, cost, priority) = _knapsack_mip(3)
    res = solve_multiyear(mip, gap=0.0)
    X = res.cumulative[:, 0]
    assert ((priority * X).sum(), (cost * X).sum()) == \
        _best_by_dynamic_programming(room, cost, priority, 123)


def test_the_least_budget_of_a_fair_plan_counts_money_only():
    # fair objective, one unit that must have 1 hire, no money (budget 0): rows of 100.5 and
    # 100 million (own groups, room 1 each). The least budget is the cheaper hire, 100
    # million: the excess alone is minimised, not hires or the fair ratio with it.
    mip = _mip([[1], [1]], cost=[[100_500_000], [100 * M]], group=[0, 1],
               group_room=[[1], [1]], budgets=[[0]], unit_min=[[1]], objective="fair",
               fair_quota=[2], fair_staying=[0])
    res = solve_multiyear(mip, gap=0.0)
    assert res.status == "infeasible"
    assert res.least_budgets.tolist() == [[100 * M]]


def test_a_time_limit_that_does_not_bind_changes_nothing():
    # ten minutes for a tiny case and a 30-row knapsack: each stage gets what is left of it,
    # never less than nothing, and both plans are the optima found without a limit
    res = solve_multiyear(_mip([[2, 2]], priority=[3]), time_limit=600.0, gap=0.0)
    assert res.status == "optimal" and res.cumulative.tolist() == [[2, 2]]
    assert [s.status for s in res.stages] == ["optimal", "optimal"]
    mip, (room, cost, priority) = _knapsack_mip(4)
    res = solve_multiyear(mip, time_limit=600.0, gap=0.0)
    assert res.status == "optimal"
    X = res.cumulative[:, 0]
    assert ((priority * X).sum(), (cost * X).sum()) == \
        _best_by_dynamic_programming(room, cost, priority, 123)


def test_fair_counts_a_unit_of_one_post_at_the_final_year():
    # two years, no money in year 1 and one hire in year 2. Unit 0: quota 1, nobody staying;
    # unit 1: quota 4, 2 staying (priority 5). Final fills: hiring in unit 0 gives 1/1 and
    # 2/4 → t = 0.5; hiring in unit 1 gives 0/1 and 3/4 → t = 0. So unit 0 is hired in year
    # 2, although unit 1's row has the higher priority.
    mip = _mip([[1, 1], [2, 2]], priority=[1, 5], group=[0, 1],
               group_room=[[1, 1], [2, 2]], unit=[0, 1], unit_min=[[0, 0], [0, 0]],
               budgets=[[0, 100 * M]], objective="fair", fair_quota=[1, 4],
               fair_staying=[0, 2])
    res = solve_multiyear(mip, gap=0.0)
    assert res.cumulative.tolist() == [[0, 1], [0, 0]]
    assert res.stages[0].value == pytest.approx(0.5)


def test_the_objective_is_priority_unless_named():
    # a MultiYearMip built without an objective solves for priority, then cost
    mip = MultiYearMip(room=np.array([[1.0], [1.0]]), priority=np.array([1.0, 2.0]),
                       cost=np.full((2, 1), 100.0 * M), group=np.array([0, 1]),
                       group_room=np.array([[1.0], [1.0]]), source=np.array([0, 0]),
                       budgets=np.array([[100.0 * M]]), unit=np.array([0, 0]),
                       unit_min=np.zeros((1, 1)))
    res = solve_multiyear(mip, gap=0.0)
    assert res.cumulative.tolist() == [[0], [1]]
    assert [s.goal for s in res.stages] == ["weighted_staff_years", "total_cost"]


@pytest.mark.parametrize("seed", range(3))
def test_a_plan_within_the_gap_is_reported_optimal_with_its_bound(seed):
    # a relative gap of 5 %: the plan's weighted hires are at least 95 % of the optimum (by
    # dynamic programming), the stage's bound is at least the optimum, and the status is
    # "optimal" (a plan proved within the gap, however HiGHS stopped)
    mip, (room, cost, priority) = _knapsack_mip(seed)
    res = solve_multiyear(mip, gap=0.05)
    top, _ = _best_by_dynamic_programming(room, cost, priority, 123)
    X = res.cumulative[:, 0]
    assert res.status == "optimal"
    assert [s.status for s in res.stages] == ["optimal", "optimal"]
    assert (room >= X).all() and (cost * X).sum() <= 1_234
    assert (priority * X).sum() >= 0.95 * top - 1e-9
    assert res.stages[0].value == pytest.approx((priority * X).sum())
    assert res.stages[0].bound >= top - 1e-6


def test_fair_ends_with_the_least_cost():
    # one unit, quota 2, 1 staying; rows A (100 million) and B (80 million), equal
    # priority, one post free in the unit (group room 1): either hire fills the unit (t = 1)
    # with the same weighted hires, so the last stage takes the cheaper, B
    mip = _mip([[1], [1]], cost=[[100 * M], [80 * M]], group_room=[[1]],
               objective="fair", fair_quota=[2], fair_staying=[1])
    res = solve_multiyear(mip, gap=0.0)
    assert res.cumulative.tolist() == [[0], [1]]
    assert [s.value for s in res.stages] == pytest.approx([1.0, 1, 80])

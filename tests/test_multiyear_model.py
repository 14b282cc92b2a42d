"""The multi-year model (issue 15) on hand cases and against brute force.

Every expected value is worked out from the issue's statement of the model, never from the
code under test: the brute force enumerates every whole hire vector x[r, y] ≥ 0 and checks the
constraints as the issue writes them (X = hires so far, N0 = headcount − departures so far).
"""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from planner.optimise.model_multiyear import MultiYearMip, solve_multiyear

M = 1_000_000  # one million đồng


def _mip(quota, headcount, departures, *, priority=None, cost=None, group=None, source=None,
         budgets=None, unit=None, unit_min=None, objective="priority", unit_max=None):
    quota = np.asarray(quota, dtype=float)
    n, T = quota.shape
    n0 = np.asarray(headcount, dtype=float)[:, None] - np.cumsum(np.asarray(departures, float),
                                                                  axis=1)
    group = np.zeros(n, dtype=np.int64) if group is None else np.asarray(group)
    G = int(group.max()) + 1
    group_room = np.zeros((G, T))
    for g in range(G):
        group_room[g] = np.maximum(0, (quota[group == g] - n0[group == g]).sum(axis=0))
    unit = np.zeros(n, dtype=np.int64) if unit is None else np.asarray(unit)
    U = int(unit.max()) + 1
    source = np.zeros(n, dtype=np.int64) if source is None else np.asarray(source)
    S = int(source.max()) + 1
    q_u = np.array([quota[unit == u, -1].sum() for u in range(U)])
    s_u = np.array([n0[unit == u, -1].sum() for u in range(U)])
    return MultiYearMip(
        room=np.maximum(0, quota - n0),
        priority=np.ones(n) if priority is None else np.asarray(priority, float),
        cost=np.full((n, T), 100 * M) if cost is None else np.asarray(cost, float),
        group=group, group_room=group_room, source=source,
        budgets=np.full((S, T), np.inf) if budgets is None else np.asarray(budgets, float),
        unit=unit, unit_min=np.zeros((U, T)) if unit_min is None else np.asarray(unit_min),
        objective=objective, unit_max=None if unit_max is None else np.asarray(unit_max, float),
        fair_quota=q_u, fair_staying=s_u)


def test_departures_free_posts_year_by_year():
    # quota 3 every year, 3 on board, one leaves each year: N0 = 2, 1, 0; room 1, 2, 3
    res = solve_multiyear(_mip([[3, 3, 3]], [3], [[1, 1, 1]]))
    assert res.status == "optimal"
    assert res.cumulative.tolist() == [[1, 2, 3]]
    assert res.hires.tolist() == [[1, 1, 1]]
    assert res.stages[0].value == pytest.approx(6)  # 1 + 2 + 3 staff-years


def test_a_quota_cut_faster_than_departures_hires_nobody():
    # quota 5, 4, 3; on board 5; one leaves in year 2: N0 = 5, 4, 4 → rooms 0, 0, 0
    res = solve_multiyear(_mip([[5, 4, 3]], [5], [[0, 1, 0]]))
    assert res.cumulative.tolist() == [[0, 0, 0]]


def test_a_post_freed_now_but_cut_later_is_not_filled():
    # room 1 in year 1 (a departure) but the quota falls to 4 in year 2: N0 = 4, 4, room 1, 0.
    # Hiring in year 1 would leave 5 on board against 4 in year 2 (X is cumulative: no firing).
    res = solve_multiyear(_mip([[5, 4]], [5], [[1, 0]]))
    assert res.cumulative.tolist() == [[0, 0]]


def test_budget_goes_to_the_higher_priority_and_is_paid_every_year():
    # two rows of one unit, room 1 each from year 1; one hire costs 100 million a year;
    # budget 150 million a year: one hire only, the one with priority 2
    res = solve_multiyear(_mip([[1, 1], [1, 1]], [0, 0], [[0, 0], [0, 0]], priority=[1, 2],
                               group=[0, 1], budgets=[[150 * M, 150 * M]]))
    assert res.cumulative.tolist() == [[0, 0], [1, 1]]


def test_an_earlier_hire_counts_more():
    # budget 0 in year 1, 100 million in year 2 for source 0; source 1 pays 100 million in both
    # row 0 (source 0) can only be hired in year 2; row 1 (source 1) from year 1
    res = solve_multiyear(_mip([[1, 1], [1, 1]], [0, 0], [[0, 0], [0, 0]], source=[0, 1],
                               group=[0, 1], budgets=[[0, 100 * M], [100 * M, 100 * M]]))
    assert res.cumulative.tolist() == [[0, 1], [1, 1]]
    assert res.stages[0].value == pytest.approx(3)


def test_unit_room_binds_across_positions():
    # one (unit, staff type): position A 2 above its quota, position B 2 below: the unit as
    # a whole is at its quota, so no hire (redeployment, not recruitment)
    res = solve_multiyear(_mip([[3, 3], [2, 2]], [5, 0], [[0, 0], [0, 0]], group=[0, 0]))
    assert res.cumulative.tolist() == [[0, 0], [0, 0]]
    # one of A's staff leaves in year 2: one post of the unit is free from then on
    res = solve_multiyear(_mip([[3, 3], [2, 2]], [5, 0], [[0, 1], [0, 0]], group=[0, 0]))
    assert res.cumulative.tolist() == [[0, 0], [0, 1]]


def test_cheapest_among_equally_weighted_plans():
    # one post, two candidate rows with equal priority; row 1 is cheaper
    res = solve_multiyear(_mip([[1], [1]], [0, 0], [[0], [0]], group=[0, 0],
                               cost=[[120 * M], [90 * M]]))
    # group room: Σ (quota − N0) = 2 → both hired; make the group room 1 by a third row
    res = solve_multiyear(_mip([[1], [1], [0]], [0, 0, 1], [[0], [0], [0]], group=[0, 0, 0],
                               cost=[[120 * M], [90 * M], [100 * M]]))
    assert res.cumulative.tolist() == [[0], [1], [0]]


def test_infeasible_minimum_reports_the_least_budget_per_year():
    # the unit must have 2 hires by year 1 and 3 by year 2, 100 million each, budget 150 a year
    res = solve_multiyear(_mip([[3, 3]], [0], [[0, 0]], budgets=[[150 * M, 150 * M]],
                               unit_min=[[2, 3]]))
    assert res.status == "infeasible" and res.cumulative is None
    assert res.least_budgets.tolist() == [[200 * M, 300 * M]]


def test_min_cost_meets_the_target_at_least_cost():
    res = solve_multiyear(_mip([[2, 2], [2, 2]], [0, 0], [[0, 0], [0, 0]], group=[0, 1],
                               cost=[[100 * M, 100 * M], [80 * M, 80 * M]],
                               unit_min=[[0, 3]], objective="min_cost"))
    # 3 hires by year 2, none needed before: the cheapest hires them all in year 2,
    # both of the cheaper row and one of the other
    assert res.cumulative.tolist() == [[0, 1], [0, 2]]


def test_fair_raises_the_lowest_final_ratio_first():
    # two units, quota 4 each, 2 on board in each... unit 1 has 3; one hire affordable
    res = solve_multiyear(_mip([[4], [4]], [2, 3], [[0], [0]], group=[0, 1], unit=[0, 1],
                               budgets=[[100 * M]], priority=[1, 5], objective="fair"))
    assert res.cumulative.tolist() == [[1], [0]]  # 3/4 each instead of 2/4 and 4/4


def test_unit_yearly_cap():
    res = solve_multiyear(_mip([[4, 4]], [0], [[0, 0]], unit_max=[1]))
    assert res.cumulative.tolist() == [[1, 2]]


# --- brute force ------------------------------------------------------------------------


def _brute(quota, headcount, departures, priority, cost, group, source, budgets, unit_min,
           objective):
    """Every whole hire vector, checked against the issue's constraints; the lexicographic
    optimum's (first goal, total cost), or None when none is feasible."""
    n, T = quota.shape
    n0 = headcount[:, None] - np.cumsum(departures, axis=1)
    top = int(max(0, (quota - n0).max()))
    best = None
    for flat in itertools.product(range(top + 1), repeat=n * T):
        x = np.array(flat).reshape(n, T)
        X = np.cumsum(x, axis=1)
        room = np.maximum(0, quota - n0)
        if (X - room).max() > 0:
            continue
        ok = True
        for g in set(group.tolist()):
            m = group == g
            if np.any(X[m].sum(axis=0) > np.maximum(0, (quota[m] - n0[m]).sum(axis=0))):
                ok = False
        for s in range(budgets.shape[0]):
            m = source == s
            if np.any((cost[m] * X[m]).sum(axis=0) > budgets[s]):
                ok = False
        if np.any(X.sum(axis=0) < unit_min[0]):
            ok = False
        if not ok:
            continue
        total_cost = float((cost * X).sum())
        key = (float((priority[:, None] * X).sum()), -total_cost) if objective == "priority" \
            else (-total_cost,)
        if best is None or key > best:
            best = key
    return best


@pytest.mark.parametrize("seed", range(60))
def test_brute_force_small_instances(seed):
    rng = random.Random(seed)
    n, T = rng.choice([(1, 3), (2, 2), (2, 3), (3, 2)])
    quota = np.array([[rng.randint(0, 3) for _ in range(T)] for _ in range(n)], dtype=float)
    headcount = np.array([rng.randint(0, 3) for _ in range(n)], dtype=float)
    departures = np.zeros((n, T))
    for r in range(n):
        left = headcount[r]
        for y in range(T):
            d = rng.randint(0, int(left))
            departures[r, y] = d
            left -= d
    priority = np.array([rng.choice([1, 2, 3]) for _ in range(n)], dtype=float)
    cost = np.array([[rng.choice([80, 100, 130]) * M for _ in range(T)] for _ in range(n)])
    group = np.array([rng.randint(0, 1) for _ in range(n)])
    source = np.array([rng.randint(0, 1) for _ in range(n)])
    S = int(source.max()) + 1
    budgets = np.array([[rng.choice([0, 100, 150, 250, 10_000]) * M for _ in range(T)]
                        for _ in range(S)], dtype=float)
    objective = rng.choice(["priority", "priority", "min_cost"])
    unit_min = np.array([[rng.randint(0, 2) for _ in range(T)]]) if objective == "min_cost" \
        or rng.random() < 0.15 else np.zeros((1, T), dtype=int)
    expected = _brute(quota, headcount, departures, priority, cost, group, source, budgets,
                      unit_min, objective)
    res = solve_multiyear(_mip(quota, headcount, departures, priority=priority, cost=cost,
                               group=group, source=source, budgets=budgets,
                               unit_min=unit_min, objective=objective), gap=0.0)
    if expected is None:
        assert res.status == "infeasible"
        return
    assert res.status == "optimal"
    X = res.cumulative
    got_cost = float((cost * X).sum())
    if objective == "priority":
        assert float((priority[:, None] * X).sum()) == pytest.approx(expected[0])
        assert -got_cost == pytest.approx(expected[1])
    else:
        assert -got_cost == pytest.approx(expected[0])


def test_a_time_limit_counts_from_each_run_not_from_the_models_first_run():
    # HiGHS compares its time limit with a clock that adds up over every run of one object:
    # after a second of earlier runs a 0.5 s limit stopped the next run at once, so with
    # `plan --time-limit` a later stage got no time. Each run now gets its own limit: a
    # relaxation of a few milliseconds solves within 0.5 s however long the model ran before.
    from planner.optimise.model_multiyear import MultiYearModel

    rng = np.random.default_rng(7)
    n, years = 400, 5
    quota = rng.integers(1, 9, size=(n, 1)).repeat(years, axis=1)
    headcount = np.maximum(0, quota[:, 0] - rng.integers(0, 4, size=n))
    departures = rng.integers(0, 2, size=(n, years))
    cost = rng.integers(80, 200, size=(n, 1)).repeat(years, axis=1) * M
    data = _mip(quota, headcount, departures, cost=cost, priority=rng.integers(1, 4, size=n),
                unit=np.arange(n) % 40, budgets=np.full((1, years), 20_000 * M))
    model = MultiYearModel(data)
    spent, lp_seconds = 0.0, 1.0
    while spent < 1.0:
        status, *_, seconds = model._run("weighted_staff_years", True, time_limit=None, gap=0.0,
                                         start=None, integer=True)
        spent += seconds
        status, *_, lp_seconds = model._run("weighted_staff_years", True, time_limit=None,
                                            gap=0.0, start=None, integer=False)
        spent += lp_seconds
    assert lp_seconds < 0.25  # the relaxation alone is quick
    status, x, *_ = model._run("weighted_staff_years", True, time_limit=0.5, gap=0.0,
                               start=None, integer=False)
    assert status == "optimal" and x is not None

"""The cases shared by the multi-year model's tests (tests/test_mutation_kills_model_multiyear.py
and tests/test_multiyear_model_time.py): the model's arrays written out in full, and one-year
knapsacks with their optimum by dynamic programming (written from the rule, not the model)."""

from __future__ import annotations

import numpy as np

from planner.optimise.model_multiyear import MultiYearMip, solve_multiyear

M = 1_000_000  # one million đồng
INF = np.inf


def _mip(room, *, priority=None, cost=None, group=None, group_room=None, source=None,
         budgets=None, unit=None, unit_min=None, objective="priority", row_max=None,
         unit_max=None, unit_budget=None, fair_quota=None, fair_staying=None) -> MultiYearMip:
    """The model's arrays as given; defaults: one group, source and unit each, whose room is
    the sum of the rows' rooms, 100 million đồng a hire a year, no budget, no minimum."""
    room = np.asarray(room, dtype=float)
    n, T = room.shape
    return MultiYearMip(
        room=room,
        priority=np.ones(n) if priority is None else np.asarray(priority, float),
        cost=np.full((n, T), 100.0 * M) if cost is None else np.asarray(cost, float),
        group=np.zeros(n, np.int64) if group is None else np.asarray(group, np.int64),
        group_room=room.sum(axis=0, keepdims=True) if group_room is None
        else np.asarray(group_room, float),
        source=np.zeros(n, np.int64) if source is None else np.asarray(source, np.int64),
        budgets=np.full((1, T), INF) if budgets is None else np.asarray(budgets, float),
        unit=np.zeros(n, np.int64) if unit is None else np.asarray(unit, np.int64),
        unit_min=np.zeros((1, T)) if unit_min is None else np.asarray(unit_min, float),
        objective=objective,
        row_max=None if row_max is None else np.asarray(row_max, float),
        unit_max=None if unit_max is None else np.asarray(unit_max, float),
        unit_budget=None if unit_budget is None else np.asarray(unit_budget, float),
        fair_quota=None if fair_quota is None else np.asarray(fair_quota, float),
        fair_staying=None if fair_staying is None else np.asarray(fair_staying, float))


def _plan(mip: MultiYearMip) -> list[list[int]]:
    res = solve_multiyear(mip, gap=0.0)
    assert res.status == "optimal", res.status
    assert res.cumulative is not None
    return res.cumulative.tolist()


def _knapsack(seed: int, n: int = 30):
    """One year, n rows each in its own group (room 1–3), priorities 1–9, costs 80–210
    million (multiples of 10 million), one source with 1,234 million: a bounded knapsack
    whose relaxation is fractional, so HiGHS branches."""
    rng = np.random.default_rng(seed)
    room = rng.integers(1, 4, size=n)
    cost = rng.choice([80, 100, 130, 170, 210], size=n)  # millions
    priority = rng.integers(1, 10, size=n)
    return room, cost, priority


def _best_by_dynamic_programming(room, cost, priority, budget_tens: int) -> tuple[int, int]:
    """The lexicographic optimum of the knapsack, by dynamic programming over the budget in
    tens of millions (written from the rule, not from the model): the most priority-weighted
    hires, then the least cost (millions) among plans with that much."""
    best = [0] * (budget_tens + 1)  # best[b]: most weighted hires costing at most b
    for r in range(len(room)):
        w, p = int(cost[r]) // 10, int(priority[r])
        for _ in range(int(room[r])):  # one more hire of row r at a time (0/1 copies)
            for b in range(budget_tens, w - 1, -1):
                best[b] = max(best[b], best[b - w] + p)
    top = best[budget_tens]
    least = min(b for b in range(budget_tens + 1) if best[b] == top)
    return top, least * 10


def _knapsack_mip(seed: int, budget: int = 1_234, **extra) -> tuple[MultiYearMip, tuple]:
    """The knapsack of ``seed`` as the model's arrays: each row its own group, one source
    with ``budget`` million đồng; ``extra``: more of :func:`_mip`'s arguments."""
    room, cost, priority = _knapsack(seed)
    n = len(room)
    return _mip(room[:, None], priority=priority, cost=cost[:, None] * M, group=np.arange(n),
                group_room=room[:, None], budgets=[[budget * M]], **extra), (room, cost, priority)

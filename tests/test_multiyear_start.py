"""The multi-year model's starting plan (issue 15, "Speed"): never "no plan" when one exists.

The checker below is written from README's statement of the multi-year model (rows r, years y,
X[r, y] = hires made in years ≤ y, N0 = headcount − departures so far), from the raw quotas,
headcounts and departures, not from the model's arrays or code: whole hires ≥ 0 every year,
X ≤ max(0, quota − N0) per row and year, Σ X ≤ max(0, Σ (quota − N0)) per (unit, staff type)
and year, Σ cost · X ≤ budget per source and year, unit minimum, unit hires a year, unit
budget, hires over the horizon per row.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.optimise.model_multiyear import MultiYearMip, solve_multiyear
from planner.optimise.multiyear_start import greedy_plan

M = 1_000_000


def _instance(quota, headcount, departures, *, priority=None, cost=None, group=None,
              source=None, budgets=None, unit=None, unit_min=None, objective="priority",
              unit_max=None, unit_budget=None, row_max=None):
    quota = np.asarray(quota, dtype=float)
    n, T = quota.shape
    n0 = np.asarray(headcount, float)[:, None] - np.cumsum(np.asarray(departures, float), axis=1)
    group = np.zeros(n, dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)
    unit = group.copy() if unit is None else np.asarray(unit, dtype=np.int64)
    source = np.zeros(n, dtype=np.int64) if source is None else np.asarray(source, np.int64)
    G, U, S = int(group.max()) + 1, int(unit.max()) + 1, int(source.max()) + 1
    group_room = np.zeros((G, T))
    for g in range(G):
        group_room[g] = np.maximum(0, (quota[group == g] - n0[group == g]).sum(axis=0))
    raw = {"quota": quota, "headcount": np.asarray(headcount, float),
           "departures": np.asarray(departures, float), "group": group, "unit": unit,
           "source": source,
           "cost": np.full((n, T), 100 * M) if cost is None else np.asarray(cost, float),
           "budgets": np.full((S, T), np.inf) if budgets is None else np.asarray(budgets, float),
           "unit_min": np.zeros((U, T)) if unit_min is None else np.asarray(unit_min, float),
           "unit_max": None if unit_max is None else np.asarray(unit_max, float),
           "unit_budget": None if unit_budget is None else np.asarray(unit_budget, float),
           "row_max": None if row_max is None else np.asarray(row_max, float)}
    mip = MultiYearMip(
        room=np.maximum(0, quota - n0),
        priority=np.ones(n) if priority is None else np.asarray(priority, float),
        cost=raw["cost"], group=group, group_room=group_room, source=source,
        budgets=raw["budgets"], unit=unit, unit_min=raw["unit_min"], objective=objective,
        row_max=raw["row_max"], unit_max=raw["unit_max"], unit_budget=raw["unit_budget"],
        fair_quota=np.array([quota[unit == u, -1].sum() for u in range(U)]),
        fair_staying=np.array([n0[unit == u, -1].sum() for u in range(U)]))
    return mip, raw


def broken_rules(raw, X) -> list[str]:
    """The rules of README's multi-year model that the cumulative plan X breaks."""
    X = np.asarray(X)
    quota, cost = raw["quota"], raw["cost"]
    n, T = quota.shape
    hires = np.diff(np.concatenate([np.zeros((n, 1)), X], axis=1), axis=1)
    out = []
    if np.any(hires < 0) or np.any(np.round(X) != X):
        out.append("hires whole and ≥ 0 every year")
    on_board_no_hire = raw["headcount"][:, None] - np.cumsum(raw["departures"], axis=1)
    for r in range(n):
        for y in range(T):
            if X[r, y] > max(0, quota[r, y] - on_board_no_hire[r, y]):
                out.append(f"row room r{r} y{y}")
    for g in set(raw["group"].tolist()):
        rows = [r for r in range(n) if raw["group"][r] == g]
        for y in range(T):
            free = sum(quota[r, y] - on_board_no_hire[r, y] for r in rows)
            if sum(X[r, y] for r in rows) > max(0, free):
                out.append(f"unit room g{g} y{y}")
    for s in range(raw["budgets"].shape[0]):
        for y in range(T):
            spent = sum(cost[r, y] * X[r, y] for r in range(n) if raw["source"][r] == s)
            if spent > raw["budgets"][s, y]:
                out.append(f"budget s{s} y{y}")
    for u in range(raw["unit_min"].shape[0]):
        rows = [r for r in range(n) if raw["unit"][r] == u]
        for y in range(T):
            if sum(X[r, y] for r in rows) < raw["unit_min"][u, y]:
                out.append(f"unit minimum u{u} y{y}")
            if raw["unit_max"] is not None and sum(hires[r, y] for r in rows) > \
                    raw["unit_max"][u]:
                out.append(f"unit hires a year u{u} y{y}")
            if raw["unit_budget"] is not None and sum(cost[r, y] * X[r, y] for r in rows) > \
                    raw["unit_budget"][u, y]:
                out.append(f"unit budget u{u} y{y}")
    if raw["row_max"] is not None:
        for r in range(n):
            if X[r, -1] > raw["row_max"][r]:
                out.append(f"hires over the horizon r{r}")
    return out


# --- hand cases --------------------------------------------------------------------------


def test_greedy_hires_the_higher_priority_first_within_the_budget():
    # rows: room 1 and 2 every year, priority 2 and 1, 100 million a hire, 200 million a
    # year: one hire of row 0 and one of row 1, from the first year
    mip, raw = _instance([[1, 1], [2, 2]], [0, 0], [[0, 0], [0, 0]], priority=[2, 1],
                         group=[0, 1], unit=[0, 0], budgets=[[200 * M, 200 * M]])
    X = greedy_plan(mip)
    assert X is not None and X.tolist() == [[1, 1], [1, 1]]
    assert broken_rules(raw, X) == []


def test_greedy_keeps_a_hire_only_if_it_fits_every_later_year():
    # a post free in year 1 but cut in year 2 (no firing): nobody; a budget that falls in
    # year 2 to one hire: one hire from year 1, kept
    mip, raw = _instance([[5, 4]], [5], [[1, 0]])
    assert greedy_plan(mip).tolist() == [[0, 0]]
    mip, raw = _instance([[3, 3]], [0], [[0, 0]], budgets=[[300 * M, 100 * M]])
    X = greedy_plan(mip)
    assert X.tolist() == [[1, 1]] and broken_rules(raw, X) == []


def test_greedy_meets_a_minimum_with_the_cheaper_row():
    mip, raw = _instance([[2, 2], [2, 2]], [0, 0], [[0, 0], [0, 0]], group=[0, 1],
                         unit=[0, 0], cost=[[100 * M, 100 * M], [80 * M, 80 * M]],
                         unit_min=[[0, 3]], objective="min_cost")
    X = greedy_plan(mip)
    assert X.tolist() == [[0, 1], [0, 2]] and broken_rules(raw, X) == []


def test_greedy_gives_up_only_on_a_minimum_it_cannot_meet():
    mip, _ = _instance([[3, 3]], [0], [[0, 0]], budgets=[[150 * M, 150 * M]],
                       unit_min=[[2, 3]])
    assert greedy_plan(mip) is None


def test_a_time_limit_before_any_solver_step_still_returns_the_starting_plan():
    rng = np.random.default_rng(3)
    n, T = 40, 4
    quota = rng.integers(0, 6, size=(n, 1)).repeat(T, axis=1)
    mip, raw = _instance(quota, rng.integers(0, 3, size=n), np.zeros((n, T)),
                         priority=rng.integers(1, 4, size=n), group=rng.integers(0, 5, size=n),
                         unit=np.arange(n) // 10, budgets=[[2_000 * M] * T])
    res = solve_multiyear(mip, time_limit=1e-9)
    assert res.status == "feasible_time_limit"
    assert res.cumulative is not None and res.cumulative.sum() > 0
    assert broken_rules(raw, res.cumulative) == []
    full = solve_multiyear(mip, gap=0.0)
    assert full.status == "optimal" and broken_rules(raw, full.cumulative) == []
    # the optimum is at least as good as the starting plan
    p = mip.priority[:, None]
    assert (p * full.cumulative).sum() >= (p * res.cumulative).sum()


# --- property: small random instances ------------------------------------------------------


@st.composite
def instances(draw):
    n = draw(st.integers(1, 5))
    T = draw(st.integers(1, 4))
    small = st.integers(0, 4)
    quota = [[draw(small) for _ in range(T)] for _ in range(n)]
    headcount = [draw(small) for _ in range(n)]
    departures = []
    for r in range(n):
        left, row = headcount[r], []
        for _ in range(T):
            d = draw(st.integers(0, left))
            row.append(d)
            left -= d
        departures.append(row)
    U = draw(st.integers(1, 2))
    S = draw(st.integers(1, 2))
    unit = [draw(st.integers(0, U - 1)) for _ in range(n)]
    # (unit, staff type) groups inside units
    group = [2 * unit[r] + draw(st.integers(0, 1)) for r in range(n)]
    _, group = np.unique(group, return_inverse=True)
    _, unit = np.unique(unit, return_inverse=True)
    U = int(unit.max()) + 1
    source = [draw(st.integers(0, S - 1)) for _ in range(n)]
    _, source = np.unique(source, return_inverse=True)
    S = int(source.max()) + 1
    money = st.sampled_from([0, 80, 100, 150, 250, 400, 10_000])
    cost = [[draw(st.sampled_from([80, 100, 130])) * M for _ in range(T)] for _ in range(n)]
    budgets = [[draw(st.one_of(money.map(lambda v: v * M), st.just(np.inf)))
                for _ in range(T)] for _ in range(S)]
    objective = draw(st.sampled_from(["priority", "min_cost", "fair"]))
    unit_min = [[draw(st.integers(0, 2)) for _ in range(T)] for _ in range(U)] \
        if draw(st.booleans()) else None
    unit_max = [draw(st.sampled_from([0, 1, 2, np.inf])) for _ in range(U)] \
        if draw(st.booleans()) else None
    unit_budget = [[draw(money) * M for _ in range(T)] for _ in range(U)] \
        if draw(st.booleans()) else None
    row_max = [draw(st.sampled_from([0, 1, 3, np.inf])) for _ in range(n)] \
        if draw(st.booleans()) else None
    return _instance(quota, headcount, departures,
                     priority=[draw(st.integers(1, 3)) for _ in range(n)], cost=cost,
                     group=group, source=source, budgets=budgets, unit=unit,
                     unit_min=unit_min, objective=objective, unit_max=unit_max,
                     unit_budget=unit_budget, row_max=row_max)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.randoms(use_true_random=False))
def test_the_starting_plan_meets_every_rule(case, rnd):
    mip, raw = case
    X = greedy_plan(mip)
    if not raw["unit_min"].any():
        assert X is not None  # hiring nobody is a plan: never "no plan" without a minimum
    if X is not None:
        assert broken_rules(raw, X) == []
    # built on any base (the relaxation rounded down, or worse), the plan still meets them
    base = np.array([[rnd.uniform(0, 5) for _ in range(mip.years)] for _ in range(mip.n)])
    X = greedy_plan(mip, np.maximum.accumulate(base, axis=1))
    if not raw["unit_min"].any():
        assert X is not None
    if X is not None:
        assert broken_rules(raw, X) == []


@pytest.mark.parametrize("seed", range(25))
def test_solve_with_the_start_stays_feasible_and_optimal(seed):
    # the solver's plan (start given) meets every rule; with gap 0 it is at least as good
    # as the starting plan on the first goal
    rng = np.random.default_rng(seed)
    n, T = int(rng.integers(2, 8)), int(rng.integers(2, 5))
    quota = rng.integers(0, 5, size=(n, T))
    headcount = rng.integers(0, 4, size=n)
    mip, raw = _instance(quota, headcount, np.zeros((n, T)),
                         priority=rng.integers(1, 4, size=n),
                         cost=rng.choice([80, 100, 130], size=(n, T)) * M,
                         group=rng.integers(0, 2, size=n), unit=np.zeros(n, dtype=int),
                         budgets=rng.choice([100, 250, 400], size=(1, T)) * M,
                         unit_max=[int(rng.integers(1, 4))])
    start = greedy_plan(mip)
    assert start is not None
    res = solve_multiyear(mip, gap=0.0)
    assert res.status == "optimal" and broken_rules(raw, res.cumulative) == []
    value = float((mip.priority[:, None] * res.cumulative).sum())
    assert value >= float((mip.priority[:, None] * start).sum())
    assert value == pytest.approx(res.stages[0].value)


# --- the checker of the starting plan against README's rules (issue 18) ------------------

#: violations()'s word for each rule of broken_rules() above
RULE_WORDS = {"hires whole and ≥ 0 every year": {"hires must be whole and ≥ 0",
                                                 "hires so far fall (firing)"},
              "row room": {"row room"}, "unit room": {"unit room"}, "budget": {"budget"},
              "unit minimum": {"unit minimum"}, "unit hires a year": {"unit hires a year"},
              "unit budget": {"unit budget"}, "hires over the horizon": {"row room"}}


def _words(broken: list[str]) -> set[str]:
    out: set[str] = set()
    for b in broken:
        rule = next(r for r in RULE_WORDS if b.startswith(r))
        out |= RULE_WORDS[rule]
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_the_checker_finds_exactly_the_rules_a_plan_breaks(case, data):
    # any cumulative plan (falling, fractional or negative ones included) is checked by
    # violations() and by the independent broken_rules(): the same rules, in its words
    from planner.optimise.multiyear_start import violations

    mip, raw = case
    whole = data.draw(st.booleans())
    cells = st.integers(0, 4) if whole else st.sampled_from([-1, 0, 0.5, 1, 2, 3])
    X = np.array([[data.draw(cells) for _ in range(mip.years)] for _ in range(mip.n)],
                 dtype=float)
    if (np.diff(X, axis=1) < 0).any():
        assert "hires so far fall (firing)" in violations(mip, X)
    # on a plan that never falls the two checkers must agree rule by rule (for a falling
    # one, README's "hires over the horizon" of the final year and violations()'s cap on
    # every year differ, and both already refuse the plan)
    X = np.maximum.accumulate(X, axis=1)
    found = set(violations(mip, X))
    broken = broken_rules(raw, X)
    expected = _words(broken)
    # broken_rules names one rule for fractions and negatives (and for falls, which a rising
    # plan has none of); violations() its own
    assert ("hires must be whole and ≥ 0" in found) == \
        any(b.startswith("hires whole and ≥ 0 every year") for b in broken)
    whole_words = RULE_WORDS["hires whole and ≥ 0 every year"]
    assert found - whole_words == expected - whole_words


def test_the_checker_names_each_rule_on_plans_worked_by_hand():
    from planner.optimise.multiyear_start import violations

    # one row, room 2 then 2, 100 million a hire, budget 150 million a year
    mip, _ = _instance([[2, 2]], [0], [[0, 0]], budgets=[[150 * M, 150 * M]])
    assert violations(mip, np.array([[1, 1]])) == []
    assert violations(mip, np.array([[1, 0]])) == ["hires so far fall (firing)"]
    assert violations(mip, np.array([[0.5, 1]])) == ["hires must be whole and ≥ 0"]
    # −1 hires: also fewer than the unit's minimum of 0
    assert violations(mip, np.array([[-1, 0]])) == ["hires must be whole and ≥ 0",
                                                    "unit minimum"]
    assert violations(mip, np.array([[2, 2]])) == ["budget"]  # 200 million > 150
    assert violations(mip, np.array([[3, 3]])) == ["row room", "unit room", "budget"]
    assert violations(mip, np.array([[1, 1, 1]])) == ["shape (1, 3) is not (1, 2)"]
    # a budget of exactly 200 million pays two hires; one đồng less does not
    mip, _ = _instance([[2, 2]], [0], [[0, 0]], budgets=[[200 * M, 200 * M - 1]])
    assert violations(mip, np.array([[2, 2]])) == ["budget"]
    assert violations(mip, np.array([[2, 1]])) == ["hires so far fall (firing)"]
    # a unit minimum of 2 in year 2, a unit cap of 1 hire a year, a unit budget
    mip, _ = _instance([[3, 3]], [0], [[0, 0]], unit_min=[[0, 2]], unit_max=[1],
                       unit_budget=[[100 * M, 150 * M]], row_max=[2])
    assert violations(mip, np.array([[1, 1]])) == ["unit minimum"]
    assert violations(mip, np.array([[1, 2]])) == ["unit budget"]  # 200 million > 150
    assert violations(mip, np.array([[0, 2]])) == ["unit hires a year", "unit budget"]
    assert violations(mip, np.array([[2, 3]])) == ["row room", "unit hires a year",
                                                   "unit budget"]


# --- the greedy's documented order, worked by hand (issue 18) ------------------------------


def test_greedy_counts_every_hire_of_a_unit_in_the_same_year():
    # three rows of one unit, room 1 each, two years: at most 2 hires a year → rows 0 and 1
    # in year 1, row 2 in year 2
    mip, raw = _instance([[1, 1]] * 3, [0, 0, 0], [[0, 0]] * 3, group=[0, 1, 2],
                         unit=[0, 0, 0], unit_max=[2])
    X = greedy_plan(mip)
    assert X is not None and X.tolist() == [[1, 1], [1, 1], [0, 1]]
    # a unit budget of 250 million at 100 million a hire: two hires, whichever rows
    mip, raw = _instance([[1, 1]] * 3, [0, 0, 0], [[0, 0]] * 3, group=[0, 1, 2],
                         unit=[0, 0, 0], unit_budget=[[250 * M, 250 * M]])
    X = greedy_plan(mip)
    assert X is not None and X.tolist() == [[1, 1], [1, 1], [0, 0]]
    # exactly 200 million: still two; the source budget 200 million - 1 đồng: one
    mip, raw = _instance([[2, 2]], [0], [[0, 0]], unit_budget=[[200 * M, 200 * M]])
    X = greedy_plan(mip)
    assert X.tolist() == [[2, 2]] and broken_rules(raw, X) == []
    mip, raw = _instance([[2, 2]], [0], [[0, 0]], budgets=[[200 * M - 1, 200 * M - 1]])
    X = greedy_plan(mip)
    assert X.tolist() == [[1, 1]] and broken_rules(raw, X) == []


def test_greedy_for_min_cost_hires_the_minimum_and_no_more():
    # min_cost, four rows of one unit (room 1 each), a minimum of 2 then 1 … 2: exactly two
    # hires, the first rows (equal value: row order)
    mip, raw = _instance([[1, 1]] * 4, [0] * 4, [[0, 0]] * 4, group=[0, 1, 2, 3],
                         unit=[0] * 4, unit_min=[[2, 2]], objective="min_cost")
    X = greedy_plan(mip)
    assert X is not None and X.tolist() == [[1, 1], [1, 1], [0, 0], [0, 0]]
    # a minimum of exactly one hire
    mip, raw = _instance([[3, 3]], [0], [[0, 0]], unit_min=[[1, 1]], objective="min_cost")
    X = greedy_plan(mip)
    assert X.tolist() == [[1, 1]] and broken_rules(raw, X) == []


def test_greedy_keeps_the_base_plans_hires_first():
    # two rows, priority 1 and 2, one hire affordable (100 million): alone, the greedy hires
    # row 1; built on a base that hires row 0, it keeps row 0's hire
    mip, _ = _instance([[1, 1], [1, 1]], [0, 0], [[0, 0], [0, 0]], priority=[1, 2],
                       group=[0, 1], unit=[0, 0], budgets=[[100 * M, 100 * M]])
    assert greedy_plan(mip).tolist() == [[0, 0], [1, 1]]
    assert greedy_plan(mip, np.array([[1.0, 1.0], [0.0, 0.0]])).tolist() == [[1, 1], [0, 0]]
    # a base hiring both: the higher priority per đồng is kept first
    assert greedy_plan(mip, np.array([[1.0, 1.0], [1.0, 1.0]])).tolist() == [[0, 0], [1, 1]]
    # min_cost keeps the base as it is, no more (room 3): 1 hire from year 1
    mip, _ = _instance([[3, 3]], [0], [[0, 0]], objective="min_cost")
    assert greedy_plan(mip, np.array([[1.0, 1.0]])).tolist() == [[1, 1]]
    assert greedy_plan(mip).tolist() == [[0, 0]]
    # forty rows of equal value, a base hiring all, budget for five: the first five rows
    n = 40
    mip, _ = _instance([[1, 1]] * n, [0] * n, [[0, 0]] * n, group=list(range(n)),
                       unit=[0] * n, budgets=[[500 * M, 500 * M]])
    X = greedy_plan(mip, np.ones((n, 2)))
    assert X[:, 1].tolist() == [1] * 5 + [0] * (n - 5)


def test_greedy_ignores_a_year_that_costs_nothing():
    # the row costs nothing in year 1 and 100 million in year 2, budget 0 then 100 million:
    # one hire from year 1 (kept, so paid in year 2)
    mip, raw = _instance([[3, 3]], [0], [[0, 0]], cost=[[0, 100 * M]],
                         budgets=[[0, 100 * M]])
    X = greedy_plan(mip)
    assert X is not None and X.tolist() == [[1, 1]] and broken_rules(raw, X) == []


def test_fair_ratio_by_hand():
    from planner.optimise.multiyear_start import fair_ratio

    # units: U0 quota 4 with 1 staying, U1 quota 0 (no ratio), U2 quota 2 with 2 staying;
    # the plan's final year hires 1 into U0 (its earlier years do not count): min(2/4, 4/2)
    mip, _ = _instance([[4, 4], [0, 0], [2, 2]], [1, 0, 2], [[0, 0]] * 3, group=[0, 1, 2])
    assert mip.fair_quota.tolist() == [4, 0, 2] and mip.fair_staying.tolist() == [1, 0, 2]
    X = np.array([[0, 1], [0, 0], [0, 0]])
    assert fair_ratio(mip, X) == 0.5
    assert fair_ratio(mip, np.array([[3, 0], [0, 0], [0, 0]])) == 0.25  # the final year
    # a unit of quota 1 with nobody: ratio 0
    mip, _ = _instance([[4, 4], [1, 1]], [1, 0], [[0, 0]] * 2, group=[0, 1])
    assert fair_ratio(mip, np.array([[0, 1], [0, 0]])) == 0.0
    # no unit with a quota, or no fair data: 0
    mip, _ = _instance([[0, 0]], [0], [[0, 0]])
    assert fair_ratio(mip, np.array([[0, 0]])) == 0.0
    from dataclasses import replace

    mip, _ = _instance([[4, 4]], [3], [[0, 0]])
    assert fair_ratio(mip, np.array([[0, 0]])) == 0.75
    assert fair_ratio(replace(mip, fair_quota=None), np.array([[0, 0]])) == 0.0
    assert fair_ratio(replace(mip, fair_staying=None), np.array([[0, 0]])) == 0.0


def test_greedy_takes_equal_rows_in_row_order_among_many():
    # forty rows of one unit, priority 1 and 2 alternating (rows 1, 3, 5 … at 2), room 1
    # each, 100 million a hire: the five of priority 2 listed first, rows 1, 3, 5, 7, 9
    n = 40
    priority = [1 + (r % 2) for r in range(n)]
    first_five = [1, 3, 5, 7, 9]
    # built on a base hiring all, with a budget for five
    mip, raw = _instance([[1, 1]] * n, [0] * n, [[0, 0]] * n, group=list(range(n)),
                         unit=[0] * n, priority=priority, budgets=[[500 * M, 500 * M]])
    X = greedy_plan(mip, np.ones((n, 2)))
    assert np.flatnonzero(X[:, 0]).tolist() == first_five and broken_rules(raw, X) == []
    # min_cost meeting a unit minimum of five
    mip, raw = _instance([[1, 1]] * n, [0] * n, [[0, 0]] * n, group=list(range(n)),
                         unit=[0] * n, priority=priority, unit_min=[[5, 5]],
                         objective="min_cost")
    X = greedy_plan(mip)
    assert np.flatnonzero(X[:, 0]).tolist() == first_five and broken_rules(raw, X) == []


def test_greedy_keeps_a_units_room_for_a_staff_type_across_its_rows():
    # one (unit, staff type): rows A, B, D with 1 vacant post each, E with 1 above its quota
    # of 0: the unit may hire 3 - 1 = 2 of them: A and B
    mip, raw = _instance([[1, 1], [1, 1], [1, 1], [0, 0]], [0, 0, 0, 1], [[0, 0]] * 4,
                         group=[0, 0, 0, 0], unit=[0, 0, 0, 0])
    X = greedy_plan(mip)
    assert X is not None and X.tolist() == [[1, 1], [1, 1], [0, 0], [0, 0]]
    assert broken_rules(raw, X) == []
    # two rows of 2 posts, a third 2 above its quota of 0: room 2 in all, row A takes it
    mip, raw = _instance([[2, 2], [2, 2], [0, 0]], [0, 0, 2], [[0, 0]] * 3,
                         group=[0, 0, 0], unit=[0, 0, 0])
    X = greedy_plan(mip)
    assert X is not None and X.tolist() == [[2, 2], [0, 0], [0, 0]]


def test_greedy_meets_the_minimum_of_a_unit_beyond_the_number_of_years():
    # three units, one year, a minimum of 1 in the third: one hire there
    mip, raw = _instance([[1]] * 3, [0] * 3, [[0]] * 3, group=[0, 1, 2],
                         unit_min=[[0], [0], [1]], objective="min_cost")
    X = greedy_plan(mip)
    assert X is not None and X.tolist() == [[0], [0], [1]] and broken_rules(raw, X) == []


def test_a_unit_budget_one_dong_short_of_two_hires():
    # 200 million − 1 đồng: the greedy hires one; the checker refuses two
    from planner.optimise.multiyear_start import violations

    mip, raw = _instance([[2, 2]], [0], [[0, 0]], unit_budget=[[200 * M - 1, 200 * M - 1]])
    X = greedy_plan(mip)
    assert X.tolist() == [[1, 1]] and broken_rules(raw, X) == []
    assert violations(mip, np.array([[2, 2]])) == ["unit budget"]
    assert violations(mip, np.array([[1, 1]])) == []

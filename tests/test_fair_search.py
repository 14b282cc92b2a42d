"""`fair`'s lowest ratio by the search over its candidate values (issue 12 item 7d).

The ratios are checked as exact fractions against their definition (staying + hires) / quota,
by brute force on small instances, against the MIP with a continuous ratio on medium ones,
and by hand.
"""

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.io.synthetic import synthetic_instance
from planner.optimise.allocate import allocate_hires
from planner.optimise.fair_search import _Units
from planner.optimise.instance import prepare
from planner.optimise.model import AllocationModel
from planner.optimise.result import SolveStatus
from planner.optimise.stages import COST, MIN_RATIO, WEIGHTED_HIRES, StageSolver, solve
from tests.optimise_cases import M, assert_plan_keeps_the_rules, gaps_table, units_table
from tests.test_optimise_properties import feasible_plans

FAIR = [MIN_RATIO, WEIGHTED_HIRES, COST]


def unit_ratio(gaps: pd.DataFrame, hires: np.ndarray) -> Fraction:
    """The lowest (staying + hires) / quota over units with a quota, as a fraction."""
    t = pd.DataFrame({"u": gaps["unit_id"], "q": gaps["quota"], "h": hires,
                      "s": gaps["headcount"] - gaps["expected_departures"]}).groupby("u").sum()
    return min(Fraction(int(s + h), int(q)) for q, s, h in zip(t["q"], t["s"], t["h"],
                                                               strict=True) if q > 0)


def plan_hires(a) -> np.ndarray:
    return a.plan["hires"].to_numpy(dtype=np.int64)


# --- by hand -----------------------------------------------------------------------------------

def three_units(budget: float):
    # U1 1 of 3 on staff, U2 3 of 7, U3 2 of 6; every hire 100 M from one budget.
    rows = [{"unit_id": u, "position_id": f"p{u}", "quota": q, "headcount": s, "cost": 100 * M}
            for u, q, s in (("U1", 3, 1), ("U2", 7, 3), ("U3", 6, 2))]
    return gaps_table(rows), {"state_budget": budget}


def test_the_lowest_ratio_by_hand():
    # 500 M buys 5 hires. Ratio 2/3 needs U1 ≥ ⌈2 − 1⌉ = 1, U2 ≥ ⌈14/3 − 3⌉ = 2,
    # U3 ≥ ⌈4 − 2⌉ = 2: 5 hires, just affordable. The next candidate, 5/7, needs
    # U1 ≥ ⌈15/7 − 1⌉ = 2, U2 ≥ 2, U3 ≥ ⌈30/7 − 2⌉ = 3: 7 hires, 700 M. So 2/3, plan (1, 2, 2).
    gaps, budgets = three_units(500 * M)
    for solver in ("highs", "cbc"):
        a = allocate_hires(gaps, budgets=budgets, objective="fair", solver=solver)
        assert a.status is SolveStatus.OPTIMAL
        assert list(plan_hires(a)) == [1, 2, 2]
        assert a.objective == float(Fraction(2, 3))
        assert "search" in a.stages[0]["steps"]
        assert [s["goal"] for s in a.stages] == ["min_ratio", "weighted_hires", "cost"]
    # 699 M still buys 6 hires, not 7: the ratio stays 2/3 and the sixth hire goes where
    # priority and cost decide (all equal here: one more, 600 M)
    a = allocate_hires(gaps, budgets={"state_budget": 699 * M}, objective="fair")
    assert a.objective == float(Fraction(2, 3)) and a.total_hires == 6
    a = allocate_hires(gaps, budgets={"state_budget": 700 * M}, objective="fair")
    assert unit_ratio(gaps, plan_hires(a)) == Fraction(5, 7)
    assert list(plan_hires(a)) == [2, 2, 3]


def test_requirements_are_exact_where_floats_are_not():
    # U1 0 of 14 on staff, U2 0 of 42, 36 hires affordable. Split k and 36 − k, the lowest
    # ratio is highest where k/14 = (36 − k)/42: k = 9, both at 9/14. U2 then needs
    # 9/14 × 42 = 27 hires exactly, but in floats 9/14 × 42 is 27.000000000000004, whose
    # ceiling would ask for 28 (and 9/14 would look out of reach).
    rows = [{"unit_id": u, "position_id": f"p{u}", "quota": q, "headcount": 0, "cost": 10 * M}
            for u, q in (("U1", 14), ("U2", 42))]
    gaps = gaps_table(rows)
    assert math.ceil(9 / 14 * 42) == 28  # the float trap this test is about
    a = allocate_hires(gaps, budgets={"state_budget": 360 * M}, objective="fair")
    assert a.status is SolveStatus.OPTIMAL
    assert list(plan_hires(a)) == [9, 27]
    assert unit_ratio(gaps, plan_hires(a)) == Fraction(9, 14)


def _fair_units(gaps, budgets):
    """The search's view of the units of ``gaps`` prepared for ``fair``."""
    inst, _, _ = prepare(gaps, None, budgets=budgets, total_budget=None, min_fill=None,
                         objective="fair", target_fill=1.0, solver="highs", time_limit=None,
                         gap=1e-4)
    return _Units(StageSolver(AllocationModel(inst.mip_data()), gap=1e-4))


def test_requirements_follow_their_definition():
    # need_u(r) is the least whole k with (S_u + k)/Q_u ≥ r, found here by counting up
    gaps, budgets = three_units(500 * M)
    units = _fair_units(gaps, budgets)
    for r in [Fraction(a, b) for b in range(1, 9) for a in range(0, 2 * b + 1)]:
        expected = []
        for q, s in zip(units.quota, units.staying, strict=True):
            k = -s - 1
            while Fraction(s + k, q) < r:
                k += 1
            expected.append(k)
        assert units.needs(r).tolist() == expected, r
    # every ratio a plan can reach is a candidate
    every = {Fraction(s + k, q) for q, s, n in zip(units.quota, units.staying, units.most,
                                                   strict=True) for k in range(n + 1)}
    assert set(units.candidates(Fraction(0), Fraction(10))) == every
    assert units.candidates(Fraction(1, 2), Fraction(5, 7)) == sorted(
        c for c in every if Fraction(1, 2) <= c <= Fraction(5, 7))


# --- brute force ------------------------------------------------------------------------------

@st.composite
def fair_instances(draw):
    """Units with different quotas (so the candidate fractions interleave), caps, minimums,
    pins, quota ceilings per staff type, two budgets and sometimes a total."""
    rows = []
    for i in range(draw(st.integers(1, 5))):
        quota = draw(st.integers(1, 7))
        staying = draw(st.integers(0, quota))
        rows.append({"unit_id": f"U{draw(st.integers(1, 3))}", "position_id": f"p{i}",
                     "staff_type": draw(st.sampled_from(["civil_servant", "public_employee"])),
                     "quota": quota, "headcount": staying,
                     "cost": draw(st.sampled_from([50, 70, 100, 120])) * M,
                     "priority": draw(st.sampled_from([1.0, 1.0, 2.0, 3.0])),
                     "funding_source": draw(st.sampled_from(["state_budget", "fee_revenue"]))})
        if quota > staying and draw(st.booleans()) and draw(st.booleans()):
            rows[-1]["min_hires"] = draw(st.integers(0, 1))
    gaps = gaps_table(rows)
    # at most 2 or 3 hires a row (max_hires): the enumeration stays small
    cap = draw(st.sampled_from([2, 3]))
    gaps["max_hires"] = pd.array(np.minimum(gaps["vacancies"], cap), dtype="Int64")
    full = (gaps["vacancies"] * gaps["annual_cost_per_hire"]).groupby(
        gaps["funding_source"]).sum()
    # budgets short of the vacancies most of the time: the lowest ratio is below 1
    budgets = {s: float(round(full[s] * draw(st.sampled_from([0.2, 0.35, 0.5, 0.65, 1.0])),
                              -6))
               for s in sorted(set(gaps["funding_source"])) if draw(st.integers(0, 4)) > 0}
    unit_rows = [{"unit_id": u, "max_hires": draw(st.sampled_from([pd.NA, 1, 2, 3])),
                  "min_fill": draw(st.sampled_from([math.nan, 0.5]))}
                 for u in sorted(set(gaps["unit_id"])) if draw(st.booleans())]
    units = units_table(unit_rows) if unit_rows else None
    total = draw(st.sampled_from([None, None, 0.3, 0.5])) if budgets else None
    total_budget = None if total is None else float(round(full.sum() * total, -6))
    return gaps, units, budgets, draw(st.sampled_from([None, 0.3])), total_budget


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fair_instances())
def test_the_search_finds_the_brute_force_optimum(case):
    gaps, units, budgets, min_fill, total_budget = case
    a = allocate_hires(gaps, units, budgets=budgets, min_fill=min_fill, objective="fair",
                       gap=0, total_budget=total_budget)
    prio = gaps["priority"].to_numpy()
    cost = gaps["annual_cost_per_hire"].to_numpy()
    best = None
    for h in feasible_plans(gaps, units, budgets, min_fill, total_budget=total_budget):
        key = (unit_ratio(gaps, h), float(prio @ h), -float(cost @ h))
        best = key if best is None or key > best else best
    if best is None:
        event("no plan")
        assert a.status is SolveStatus.INFEASIBLE
        return
    event(f"steps {a.stages[0]['steps']}")
    event("lowest ratio below 1" if best[0] < 1 else "every unit full")
    assert a.status is SolveStatus.OPTIMAL
    assert_plan_keeps_the_rules(a, gaps, units, budgets=budgets, min_fill=min_fill,
                                total_budget=total_budget)
    h = plan_hires(a)
    assert unit_ratio(gaps, h) == best[0]
    assert a.objective == float(best[0])
    assert (float(prio @ h), -float(cost @ h)) == best[1:]
    assert a.stages[0]["gap"] == 0.0


# --- against the MIP with a continuous ratio -----------------------------------------------------

def stage_outcome(inst, *, ratio_search: bool, time_limit: float | None = None,
                  start: np.ndarray | None = None):
    model = AllocationModel(inst.mip_data())
    solver = StageSolver(model, gap=1e-4)
    return model, solver, solve(solver, FAIR, ratio_search=ratio_search,
                                time_limit=time_limit, start=start)


def prepared(n_rows: int, seed: int):
    s = synthetic_instance(n_rows, seed=seed)
    inst, _, _ = prepare(s.gaps, s.units, budgets=s.budgets, total_budget=None, min_fill=None,
                         objective="fair", target_fill=1.0, solver="highs", time_limit=None,
                         gap=1e-4)
    return inst


def exact_ratio(inst, hires: np.ndarray) -> Fraction:
    per_unit = np.bincount(inst.unit, weights=hires, minlength=inst.n_units).astype(np.int64)
    return min(Fraction(int(inst.unit_staying[u] + per_unit[u]), int(inst.unit_quota[u]))
               for u in range(inst.n_units) if inst.unit_quota[u] > 0)


@pytest.mark.parametrize(("n_rows", "seed"), [(300, 1), (800, 2), (2_500, 3)])
def test_the_search_agrees_with_the_mip_path(n_rows, seed):
    # 2,500 rows: above the core sub-problem's size, so its path runs too
    inst = prepared(n_rows, seed)
    _, _, searched = stage_outcome(inst, ratio_search=True)
    _, _, mip = stage_outcome(inst, ratio_search=False)
    assert searched.status == mip.status == "optimal"
    assert "search" in searched.stages[0].steps or "core" in searched.stages[0].steps
    assert "search" not in mip.stages[0].steps
    assert exact_ratio(inst, searched.hires) == exact_ratio(inst, mip.hires)
    assert searched.stages[0].value == pytest.approx(float(exact_ratio(inst, mip.hires)),
                                                     abs=1e-12)
    for a, b in zip(searched.stages[1:], mip.stages[1:], strict=True):
        # each later stage within the gap of the other path's (both are within 1e-4)
        assert abs(a.value - b.value) <= 2e-4 * abs(b.value), (a.goal, a.value, b.value)
    weighted = [float(inst.priority @ o.hires) for o in (searched, mip)]
    assert abs(weighted[0] - weighted[1]) <= 2e-4 * weighted[1]


def test_a_time_limit_still_runs_the_later_stages_and_keeps_the_ratio():
    # With no time left the search cannot check anything: it keeps the starting plan's ratio
    # (a time-limited result, not a proof: its bound is the largest candidate not ruled out),
    # and the weighted-hires stage still runs, holding every unit at the whole number of
    # hires that ratio needs.
    inst = prepared(800, 2)
    model, solver, full = stage_outcome(inst, ratio_search=True)
    fair_rows = model.groups["fair"].rows
    before = [model.rhs(int(r)) for r in fair_rows]
    start = solver.lower.copy()
    start[:inst.unit.size] = full.hires
    start[-1] = 0.0
    cut = solve(solver, FAIR, time_limit=0.0, start=start)
    assert cut.status == "time_limit"
    assert [s.goal for s in cut.stages][:2] == ["min_ratio", "weighted_hires"]
    assert cut.stages[0].status == "time_limit"
    assert cut.stages[0].value == float(exact_ratio(inst, start[:-1]))
    assert exact_ratio(inst, cut.hires) >= exact_ratio(inst, start[:-1])
    assert [model.rhs(int(r)) for r in fair_rows] == before  # the rows are restored


def test_a_time_limit_gives_every_stage_its_turn():
    # the search takes at most half the time; with 30 s every stage runs on 2,500 rows and
    # (on this instance) ends where the unlimited solve does
    inst = prepared(2_500, 3)
    _, _, free = stage_outcome(inst, ratio_search=True)
    _, _, limited = stage_outcome(inst, ratio_search=True, time_limit=30.0)
    assert [s.goal for s in limited.stages] == ["min_ratio", "weighted_hires", "cost"]
    assert exact_ratio(inst, limited.hires) == exact_ratio(inst, free.hires)


def test_every_plan_of_the_enumeration_is_a_candidate():
    # the candidates are complete: on a small instance every reachable lowest ratio is one
    gaps, budgets = three_units(1_000 * M)
    units = _fair_units(gaps, budgets)
    cands = set(units.candidates(Fraction(0), Fraction(2)))
    vac = gaps["vacancies"].tolist()
    for h in itertools.product(*[range(v + 1) for v in vac]):
        assert unit_ratio(gaps, np.array(h)) in cands


def test_a_time_limit_counts_from_the_run_not_from_the_first_run_of_the_model():
    # HiGHS compares its time limit with a clock that adds up over every run of one object:
    # after a second of earlier runs, a 0.5 s limit stopped the next run at once (so with
    # --time-limit the later stages and the ratio checks got no time). Each run now gets its
    # own limit: a relaxation of a few milliseconds solves within 0.5 s however long the
    # model ran before.
    inst = prepared(800, 2)
    model = AllocationModel(inst.mip_data())
    solver = StageSolver(model, gap=1e-4)
    obj = solver.objective(WEIGHTED_HIRES)
    spent = 0.0
    while spent < 1.0:
        r = model.run(objective=obj, maximise=True, integer=True, lower=solver.lower,
                      upper=solver.upper, gap=0.0)
        spent += r.seconds
        lp = model.run(objective=obj, maximise=True, integer=False, lower=solver.lower,
                       upper=solver.upper)
        spent += lp.seconds
    assert lp.seconds < 0.25  # the relaxation alone is quick
    r = model.run(objective=obj, maximise=True, integer=False, lower=solver.lower,
                  upper=solver.upper, time_limit=0.5)
    assert r.status == "optimal"

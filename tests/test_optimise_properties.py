"""Property tests on random small instances, checked against brute-force enumeration."""

import itertools
import math

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.optimise.allocate import allocate_hires
from planner.optimise.result import SolveStatus
from tests.optimise_cases import (
    M,
    assert_plan_keeps_the_rules,
    gaps_table,
    unit_rooms,
    units_table,
)

SOURCES = ["state_budget", "fee_revenue"]
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw):
    n = draw(st.integers(1, 5))
    equal = draw(st.booleans())  # equal priorities: many plans tie on weighted hires
    rows = []
    for i in range(n):
        vac = draw(st.integers(0, 3))
        # a position above its quota takes room from the unit's other positions of its type
        over = draw(st.sampled_from([0, 0, 0, 1, 2])) if vac == 0 else 0
        rows.append({
            "unit_id": f"U{draw(st.integers(1, 3))}", "position_id": f"p{i}",
            "staff_type": draw(st.sampled_from(["civil_servant", "civil_servant",
                                                "public_employee"])),
            "quota": 4, "headcount": 4 - vac + over,
            "cost": draw(st.sampled_from([50, 60, 70, 80, 90, 100, 120])) * M,
            "priority": 1.0 if equal else draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
            "funding_source": draw(st.sampled_from(SOURCES)),
        })
        if vac and draw(st.booleans()) and draw(st.booleans()):
            rows[-1]["min_hires"] = draw(st.integers(0, 1))
    gaps = gaps_table(rows)
    used = sorted(set(gaps["funding_source"]))
    full = (gaps["vacancies"] * gaps["annual_cost_per_hire"]).groupby(gaps["funding_source"]).sum()
    budgets = {s: float(round(full[s] * draw(st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.2])), -6))
               for s in used if draw(st.booleans())}
    unit_rows = []
    for u in sorted(set(gaps["unit_id"])):
        if draw(st.booleans()):
            unit_rows.append({"unit_id": u,
                              "max_hires": draw(st.sampled_from([pd_na(), 1, 2, 4])),
                              "min_fill": draw(st.sampled_from([math.nan, 0.25, 0.5]))})
    units = units_table(unit_rows) if unit_rows else None
    min_fill = draw(st.sampled_from([None, None, 0.3]))
    return gaps, units, budgets, min_fill


def pd_na():
    import pandas as pd

    return pd.NA


def feasible_plans(gaps, units, budgets, min_fill, *, objective="priority", total_budget=None,
                   target_fill=1.0):
    """Every whole-number plan meeting every rule, by enumeration."""
    vac = gaps["vacancies"].to_numpy()
    lo = gaps["min_hires"].fillna(0).to_numpy(dtype=int)
    hi = np.minimum(vac, gaps["max_hires"].astype("float64").fillna(np.inf).to_numpy())
    cost = gaps["annual_cost_per_hire"].to_numpy()
    unit = gaps["unit_id"].to_numpy()
    settings_ = units.set_index("unit_id") if units is not None else None
    req, cap = {}, {}
    rooms = unit_rooms(gaps)
    hireable = rooms.groupby("unit_id")["hireable"].sum()
    group = list(zip(unit, gaps["staff_type"], strict=True))
    for u in set(unit):
        fill = min_fill
        if settings_ is not None and u in settings_.index:
            s = settings_.loc[u]
            fill = s["min_fill"] if not math.isnan(s["min_fill"]) else fill
            cap[u] = np.inf if s["max_hires"] is None or str(s["max_hires"]) == "<NA>" \
                else float(s["max_hires"])
        v = hireable[u]  # vacancies the unit may recruit into, within its quota
        req[u] = math.floor((fill or 0) * v + 1e-9)
        if objective == "min_cost":
            req[u] = max(req[u], math.floor(target_fill * v + 1e-9))
    sources = sorted(set(gaps["funding_source"]))
    ranges = [range(int(a), int(b) + 1) for a, b in zip(lo, hi, strict=True)]
    for plan in itertools.product(*ranges):
        h = np.array(plan)
        spent = {s: (h * cost)[gaps["funding_source"].to_numpy() == s].sum() for s in sources}
        if any(spent.get(s, 0) > b for s, b in budgets.items()):
            continue
        if total_budget is not None and (h * cost).sum() > total_budget:
            continue
        ok = True
        for key in set(group):  # the unit ceiling, per (unit, staff type)
            hk = sum(x for x, k in zip(h, group, strict=True) if k == key)
            if hk and rooms.at[key, "staying"] + hk > rooms.at[key, "quota"]:
                ok = False
        for u in set(unit):
            hu = h[unit == u].sum()
            if hu < req[u] or hu > cap.get(u, np.inf):
                ok = False
        if ok:
            yield h


def brute_force(gaps, units, budgets, min_fill, *, objective="priority", total_budget=None,
                target_fill=1.0):
    """Every whole-number plan; the best by the objective's goals in order, or None."""
    cost = gaps["annual_cost_per_hire"].to_numpy()
    prio = gaps["priority"].to_numpy()
    unit = gaps["unit_id"].to_numpy()
    quota = {u: gaps["quota"][unit == u].sum() for u in set(unit)}
    staying = {u: (gaps["headcount"] - gaps["expected_departures"])[unit == u].sum()
               for u in set(unit)}
    best, best_key = None, None
    for h in feasible_plans(gaps, units, budgets, min_fill, objective=objective,
                            total_budget=total_budget, target_fill=target_fill):
        weighted, total = float(prio @ h), float(cost @ h)
        if objective == "priority":
            key = (weighted, -total)
        elif objective == "fair":
            ratio = min((staying[u] + h[unit == u].sum()) / quota[u] for u in set(unit))
            key = (round(ratio, 9), weighted, -total)
        else:
            key = (-total,)
        if best_key is None or key > best_key:
            best, best_key = h, key
    return best, best_key


@SETTINGS
@given(instances(), st.sampled_from(["priority", "fair"]))
def test_plans_are_optimal_whole_and_within_every_limit(case, objective):
    gaps, units, budgets, min_fill = case
    a = allocate_hires(gaps, units, budgets=budgets, min_fill=min_fill, objective=objective,
                       gap=0)
    best, key = brute_force(gaps, units, budgets, min_fill, objective=objective)
    if best is None:
        assert a.status is SolveStatus.INFEASIBLE
        assert a.infeasibility is not None
        return
    assert a.status is SolveStatus.OPTIMAL
    assert_plan_keeps_the_rules(a, gaps, units, budgets=budgets, min_fill=min_fill)
    h = a.plan["hires"].to_numpy(dtype=float)
    weighted = float(gaps["priority"].to_numpy() @ h)
    cost = float(gaps["annual_cost_per_hire"].to_numpy() @ h)
    if objective == "priority":
        assert (weighted, -cost) == key  # the most weighted hires, then the cheapest
    else:
        assert math.isclose(a.objective, key[0], abs_tol=1e-9)
        assert (weighted, -cost) == key[1:]


@SETTINGS
@given(instances(), st.sampled_from([0.0, 0.5, 1.0]), st.sampled_from(["highs", "cbc"]))
def test_more_budget_never_gives_a_worse_plan(case, extra_share, solver):
    gaps, units, budgets, min_fill = case
    a = allocate_hires(gaps, units, budgets=budgets, min_fill=min_fill, gap=0, solver=solver)
    more = {s: b + extra_share * 200 * M for s, b in budgets.items()}
    b = allocate_hires(gaps, units, budgets=more, min_fill=min_fill, gap=0, solver=solver)
    if a.status is SolveStatus.OPTIMAL:
        assert b.status is SolveStatus.OPTIMAL
        assert b.objective >= a.objective - 1e-9


@SETTINGS
@given(instances(), st.randoms(use_true_random=False))
def test_row_order_does_not_change_the_objective(case, random):
    gaps, units, budgets, min_fill = case
    order = list(range(len(gaps)))
    random.shuffle(order)
    a = allocate_hires(gaps, units, budgets=budgets, min_fill=min_fill, gap=0)
    b = allocate_hires(gaps.iloc[order], units, budgets=budgets, min_fill=min_fill, gap=0)
    assert a.status == b.status
    if a.status is SolveStatus.OPTIMAL:
        assert a.objective == b.objective
        assert a.total_cost == b.total_cost  # the second stage too


@SETTINGS
@given(instances(), st.sampled_from([0.25, 0.5, 1.0]))
def test_min_cost_reports_a_budget_that_works_and_no_less_does(case, target):
    gaps, units, _, min_fill = case
    a = allocate_hires(gaps, units, min_fill=min_fill, objective="min_cost",
                       target_fill=target, gap=0)
    best, key = brute_force(gaps, units, {}, min_fill, objective="min_cost",
                            target_fill=target)
    if best is None:
        assert a.status is SolveStatus.INFEASIBLE
        return
    assert a.status is SolveStatus.OPTIMAL
    assert a.total_cost == -key[0]
    enough = allocate_hires(gaps, units, budgets=a.cost_by_source, min_fill=min_fill,
                            objective="min_cost", target_fill=target, gap=0)
    assert enough.status is SolveStatus.OPTIMAL
    if a.total_cost > 0:
        less = allocate_hires(gaps, units, total_budget=a.total_cost - 1, min_fill=min_fill,
                              objective="min_cost", target_fill=target, gap=0)
        assert less.status is SolveStatus.INFEASIBLE
        assert less.infeasibility.min_total_budget == a.total_cost


@st.composite
def short_of_money(draw):
    """Units whose required hires can be paid from several sources, budgets too small."""
    rows = []
    for u in range(draw(st.integers(1, 2))):
        for p in range(draw(st.integers(1, 3))):
            rows.append({"unit_id": f"U{u}", "position_id": f"p{u}{p}",
                         "vacancies": draw(st.integers(1, 2)),
                         "cost": draw(st.sampled_from([60, 90, 100, 101, 150])) * M,
                         "funding_source": draw(st.sampled_from(["A", "B", "C"]))})
    gaps = gaps_table(rows)
    budgets = {s: draw(st.sampled_from([0, 50, 100, 150, 250])) * M
               for s in sorted(set(gaps["funding_source"]))}
    return gaps, None, budgets, draw(st.sampled_from([0.5, 1.0]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(instances(), short_of_money()))
def test_the_least_budgets_of_an_infeasible_plan_are_least_and_enough(case):
    # issue 12: a short source's figure is its least budget with the others as set (one
    # đồng less: no plan), found by brute force; when no source can fix it alone they rise
    # together; every other figure and the least total are brute-force minima at the held
    # figures
    gaps, units, budgets, min_fill = case
    a = allocate_hires(gaps, units, budgets=budgets, min_fill=min_fill, gap=0)
    if a.status is not SolveStatus.INFEASIBLE or a.infeasibility.message_params.get(
            "reason") != "budget":
        event("not short of money")
        return
    event("short of money")
    info = a.infeasibility
    assert info.message_params["exact"] is True
    figures = info.min_budget_by_source
    short = info.message_params["short"]
    cost = gaps["annual_cost_per_hire"].to_numpy()
    src = gaps["funding_source"].to_numpy()

    def least_spend(s, others):
        spends = [float(cost[src == s] @ h[src == s])
                  for h in feasible_plans(gaps, units, others, min_fill)]
        return min(spends) if spends else None

    if not info.message_params.get("together"):
        # each short source alone: its least budget with the other budgets as set
        for s in short:
            others = {o: b for o, b in budgets.items() if o != s}
            assert figures[s] == least_spend(s, others), s
            assert not allocate_hires(gaps, units, budgets={**budgets, s: figures[s] - 1},
                                      min_fill=min_fill, gap=0).has_plan, s
            assert allocate_hires(gaps, units, budgets={**budgets, s: figures[s]},
                                  min_fill=min_fill, gap=0).has_plan, s
        raised = min(short, key=lambda s: (figures[s] - budgets[s], s))
        held = {**budgets, raised: figures[raised]}
    else:
        # no source can alone: raised together, each least with the others at their figures
        held = {s: max(b, figures[s]) for s, b in budgets.items()}
        for s in short:
            assert not allocate_hires(gaps, units, budgets={**held, s: held[s] - 1},
                                      min_fill=min_fill, gap=0).has_plan, s
        assert allocate_hires(gaps, units, budgets=held, min_fill=min_fill, gap=0).has_plan
    for s in figures:  # every other source: its least with the short one(s) raised
        if s in short:
            continue
        others = {o: b for o, b in held.items() if o != s}
        assert figures[s] == least_spend(s, others), s
    totals = [float(cost @ h) for h in feasible_plans(gaps, units, held, min_fill)]
    assert info.min_total_budget == min(totals)

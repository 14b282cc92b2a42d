"""The budget curve: the same plans as solving each level, in one go."""

import pandas as pd
import pytest

from planner.optimise import allocate_hires
from planner.scenario import ScenarioError
from planner.sweep import CURVE_COLUMNS, budget_curve
from planner.synthetic import synthetic_instance
from tests.optimise_cases import M, gaps_table, units_table


def _instance():
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": 100 * M, "priority": 3},
        {"unit_id": "U1", "position_id": "b", "vacancies": 2, "cost": 60 * M,
         "funding_source": "fee_revenue"},
        {"unit_id": "U2", "position_id": "c", "vacancies": 4, "cost": 90 * M, "priority": 2},
        {"unit_id": "U2", "position_id": "d", "vacancies": 2, "cost": 70 * M},
    ])
    units = units_table([{"unit_id": "U2", "min_fill": 0.5}])
    return gaps, units


def test_each_level_is_the_plan_allocate_hires_finds():
    gaps, units = _instance()
    budgets = {"fee_revenue": 60 * M}
    curve = budget_curve(gaps, units, source="state_budget", budgets=budgets, points=5,
                         low=0, high=800 * M, gap=0, workers=1)
    assert list(curve.columns) == CURVE_COLUMNS
    assert list(curve["budget"]) == [0, 200 * M, 400 * M, 600 * M, 800 * M]
    assert list(curve["source"]) == ["state_budget"] * 5
    # U2 must get 3 hires (70 + 70 + 90 = 230 million): below that no plan
    assert curve.loc[0, "status"] == "infeasible" and curve.loc[1, "status"] == "infeasible"
    for row in curve.itertuples():
        a = allocate_hires(gaps, units, budgets={**budgets, "state_budget": row.budget}, gap=0)
        if row.status == "infeasible":
            assert a.status == "infeasible"
            continue
        assert a.status == "optimal" and row.status == "optimal"
        assert row.weighted_hires == a.objective
        assert row.hires == a.total_hires and row.cost == a.total_cost
    ok = curve[curve["status"] == "optimal"]
    assert ok["weighted_hires"].is_monotonic_increasing
    assert ok["fill_rate"].is_monotonic_increasing


def test_the_default_range_runs_from_the_requirements_to_every_vacancy():
    gaps, units = _instance()
    curve = budget_curve(gaps, units, source="state_budget", points=3, gap=0)
    assert curve["budget"].iloc[0] == 230 * M  # the cheapest way to meet U2's minimum
    assert curve["budget"].iloc[-1] == 300 * M + 360 * M + 140 * M
    assert (curve["status"] == "optimal").all()
    assert curve["hires"].iloc[-1] == 11  # every vacancy (fees have no budget: unlimited)


def test_the_total_budget_curve():
    gaps, _ = _instance()
    curve = budget_curve(gaps, points=3, low=0, high=1_000 * M, gap=0)
    assert list(curve["source"]) == ["total"] * 3
    # 500 million: a × 3 (priority 3) and c × 2 (priority 2) weigh 13; six cheaper hires
    # would weigh at most 8
    assert list(curve["hires"]) == [0, 5, 11]
    assert list(curve["weighted_hires"]) == [0, 13, 21]


def test_two_workers_give_the_same_curve_as_one():
    inst = synthetic_instance(400, seed=3)
    one = budget_curve(inst.gaps, inst.units, source="state_budget", budgets=inst.budgets,
                       points=6, gap=0, workers=1)
    two = budget_curve(inst.gaps, inst.units, source="state_budget", budgets=inst.budgets,
                       points=6, gap=0, workers=2)
    cols = ["budget", "weighted_hires", "status"]
    pd.testing.assert_frame_equal(one[cols], two[cols])


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"source": "service_revenue"}, ["service_revenue", "fee_revenue, state_budget"]),
    ({"points": 0}, ["points"]),
    ({"objective": "min_cost"}, ["priority or fair"]),
    ({"low": 5e8, "high": 1e8}, ["high", "low"]),
    ({"low": -1}, ["low"]),
    ({"workers": 0}, ["workers"]),
])
def test_bad_curve_parameters(kwargs, words):
    gaps, units = _instance()
    with pytest.raises(ScenarioError) as err:
        budget_curve(gaps, units, **kwargs)
    for w in words:
        assert w in str(err.value)

"""The budget curve: the same plans as solving each level, in one go."""

import pandas as pd
import pytest

from planner.domain.scenario import ScenarioError
from planner.io.synthetic import synthetic_instance
from planner.optimise.allocate import allocate_hires
from planner.optimise.sweep import CURVE_COLUMNS, budget_curve
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
    assert curve["source"].isna().all() and curve["is_total"].tolist() == [True] * 3
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


def test_a_level_solved_worse_than_a_lower_one_is_solved_again_from_it():
    # The mechanism that keeps the curve from falling: a level whose plan came out worse than
    # a lower level's (two workers start from different plans; each level is only optimal
    # within the gap) is re-solved from the lower plan, which its larger budget allows.
    from planner.optimise.instance import prepare
    from planner.optimise.sweep import _Level, _make_monotone

    gaps, units = _instance()
    inst, objective, _solver = prepare(gaps, units, budgets={}, total_budget=None,
                                      min_fill=None, objective="priority", target_fill=1.0,
                                      solver="highs", time_limit=None, gap=0)
    budgets = inst.budgets.copy()
    budgets[inst.sources.index("state_budget")] = 0.0  # the level's row, set per level
    args = {"inst": inst, "data": inst.mip_data(budgets=budgets), "source": "state_budget",
            "solver": "highs", "objective": objective, "gap": 0, "time_limit": None}
    level = _Level(**args)
    low = level.solve(400 * M, None)
    high = level.solve(500 * M, None)
    assert high["_first"] > low["_first"]
    worse = {**high, "weighted_hires": 0.0, "hires": 0, "_first": 0.0,
             "_plan": high["_plan"] * 0}
    records = [low, worse]
    _make_monotone(records, **args)
    assert records[1]["weighted_hires"] == high["weighted_hires"]  # the true optimum again
    assert "_plan" not in records[0] and "_first" not in records[1]


def test_a_curve_never_falls_as_the_budget_grows():
    inst = synthetic_instance(600, seed=11)
    for workers in (1, 2):
        curve = budget_curve(inst.gaps, inst.units, source="state_budget", budgets=inst.budgets,
                             points=9, workers=workers)
        ok = curve[curve["status"] != "infeasible"]
        assert ok["weighted_hires"].is_monotonic_increasing, ok


def test_sweep_reports_a_level_without_a_plan_instead_of_crashing(tmp_path):
    # issue 12: `sweep --min-fill 0.3 --source state_budget --low 0 --points 3` ended in
    # exit 1 ("boolean value of NA is ambiguous") after writing the CSV
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "curve.csv"
    r = subprocess.run([sys.executable, "-m", "planner", "sweep", "--min-fill", "0.3",
                        "--source", "state_budget", "--low", "0", "--points", "3",
                        "--out", str(out)],
                       cwd=Path(__file__).resolve().parents[1], capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    curve = pd.read_csv(out, encoding="utf-8-sig")
    assert curve["status"].iloc[0] == "infeasible"  # 0 đồng cannot pay the 30 % minimum
    assert curve["status"].iloc[-1] == "optimal"

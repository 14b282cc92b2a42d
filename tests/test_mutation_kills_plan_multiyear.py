"""The multi-year plan read back (planner/optimise/multiyear.py, issue 15), in process, on
tiny files solved by hand (issue 18: the mutants of ``plan_multiyear``, whose other tests run
the ``plan`` command as a subprocess that in-process mutation cannot see).

Every expected figure is worked out by hand from README's multi-year rules and
/work/shared/DOMAIN.md's cost of a hire: 12 × base salary × coefficient × (1 + allowance +
contribution + bonus); a public employee has allowance 0, contribution 23.5 %, bonus 10 %, so
at coefficient 1 and base 2,000,000 đồng a hire costs 12 × 2,000,000 × 1.335 = 32,040,000
đồng a year, at base 3,000,000: 48,060,000. Departures: ``expected_departures`` in the first
year; N0 = headcount − departures so far; a row's room max(0, quota − N0); hires never fall;
the cost of the hires so far is paid every year.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.domain.multiyear import MultiYearSettings
from planner.domain.scenario import Objective, Scenario, UnitSetting
from planner.io.inputs import load_inputs
from planner.optimise.multiyear import plan_multiyear

HEAD = ("unit_id,unit_name,position_id,position_name,staff_type,funding_source,"
        "salary_coefficient,quota,headcount,expected_departures,priority")
Y2 = (2026, 2027)


def _inputs(tmp_path: Path, *rows: str, extra: str = ""):
    path = tmp_path / "q.csv"
    path.write_text("\n".join([HEAD + extra, *rows]) + "\n", encoding="utf-8")
    return load_inputs(path)


def test_costs_by_year_budgets_by_year_and_the_plan_table(tmp_path):
    # P1: quota 3, 2 on board, 1 leaves in 2026 → N0 1, 1, room 2, 2; state budget.
    # P2: quota 1, 1 on board → room 0; fee revenue (no budget).
    # Costs of P1: 32,040,000 in 2026 (base 2,000,000), 48,060,000 in 2027 (3,000,000).
    # Budget 100 million in 2026 and 90 million in 2027: two hires cost 96,120,000 in 2027,
    # above 90 million, and hires never fall, so one hire from 2026 (X = 1, 1).
    inputs = _inputs(tmp_path,
                     "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,3,2,1,1",
                     "U1,Sở A,P2,Kế toán,public_employee,fee_revenue,2,1,1,0,1")
    plan = plan_multiyear(inputs, Scenario(base_salary=2_000_000,
                                           budgets={"state_budget": 100_000_000}),
                          MultiYearSettings(years=Y2, base_salary_by_year={2027: 3_000_000},
                                            budgets_by_year={("state_budget", 2027): 90e6}))
    assert plan.status == "optimal" and plan.years == Y2
    p = plan.plan.set_index(["position_id", "year"])
    cols = ["quota", "on_board_start", "departures", "hires", "on_board_end",
            "vacancies_end", "surplus_end", "salary_cost"]
    assert p.loc[("P1", 2026), cols].tolist() == [3, 2, 1, 1, 2, 1, 0, 32_040_000]
    assert p.loc[("P1", 2027), cols].tolist() == [3, 2, 0, 0, 2, 1, 0, 48_060_000]
    assert p.loc[("P2", 2026), cols].tolist() == [1, 1, 0, 0, 1, 0, 0, 0]
    assert p.loc[("P2", 2027), cols].tolist() == [1, 1, 0, 0, 1, 0, 0, 0]
    assert plan.plan.loc[0, ["unit_id", "unit_name", "position_name", "staff_type",
                             "funding_source"]].tolist() == \
        ["U1", "Sở A", "Chuyên viên", "public_employee", "state_budget"]
    b = plan.by_year.set_index("year")
    assert b.loc[2026, ["quota", "on_board_start", "departures", "hires", "on_board_end",
                        "vacancies_end", "salary_cost", "surplus_to_streamline"]].tolist() == \
        [4, 3, 1, 1, 3, 1, 32_040_000, 0]
    assert b.loc[2027, ["quota", "on_board_start", "departures", "hires", "on_board_end",
                        "vacancies_end", "salary_cost", "surplus_to_streamline"]].tolist() == \
        [4, 3, 0, 0, 3, 1, 48_060_000, 0]
    assert "streamline_payout" not in plan.by_year.columns
    assert plan.surplus.empty
    budgets = plan.budgets.set_index(["source", "year"])
    assert budgets.loc[("state_budget", 2026), ["budget", "used"]].tolist() == \
        [100_000_000, 32_040_000]
    assert budgets.loc[("state_budget", 2027), ["budget", "used"]].tolist() == \
        [90_000_000, 48_060_000]
    assert pd.isna(budgets.loc[("fee_revenue", 2026), "budget"])  # no budget
    assert budgets.loc[("fee_revenue", 2027), "used"] == 0
    assert budgets["least"].isna().all()
    assert list(plan.budgets.columns) == ["source", "year", "budget", "used", "least"]
    assert plan.parameters["years"] == [2026, 2027]
    assert plan.parameters["base_salary_by_year"] == {"2027": 3_000_000}
    assert plan.parameters["budgets_by_year"] == {"state_budget@2027": 90e6}


def test_the_one_year_cost_rules_each_year(tmp_path):
    # a civil servant at coefficient 2.34, allowance 25 %, contribution 22.5 %, bonus 10 %:
    # 12 × 2,530,000 × 2.34 × 1.575 = 111,891,780 đồng a year (DOMAIN.md's worked check)
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,1,0,0,1")
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(years=Y2))
    assert plan.plan["salary_cost"].tolist() == [111_891_780, 111_891_780]
    # a bonus of 0 and a civil-servant contribution of 0: 12 × 2,530,000 × 2.34 × 1.25
    plan = plan_multiyear(inputs, Scenario(bonus_rate=0.0,
                                           contribution_rates={"civil_servant": 0.0}),
                          MultiYearSettings(years=Y2))
    assert plan.plan["salary_cost"].tolist() == [88_803_000, 88_803_000]


def test_a_minimum_fill_makes_every_unit_hire(tmp_path):
    # two units, one post each: quota 4, nobody on board, 100 million a hire (annual_cost),
    # priorities 5 and 1, one source with 200 million a year: without a minimum both hires
    # go to U1; with min_fill 25 % each unit must have ⌊0.25 × 4⌋ = 1
    rows = ["U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,4,0,0,5,100000000",
            "U2,Sở B,P1,Chuyên viên,public_employee,state_budget,1,4,0,0,1,100000000"]
    inputs = _inputs(tmp_path, *rows, extra=",annual_cost")
    budgets = {"state_budget": 200_000_000}
    plan = plan_multiyear(inputs, Scenario(budgets=budgets), MultiYearSettings(years=Y2))
    assert plan.plan.groupby("unit_id")["on_board_end"].max().to_dict() == {"U1": 2, "U2": 0}
    plan = plan_multiyear(inputs, Scenario(budgets=budgets, min_fill=0.25),
                          MultiYearSettings(years=Y2))
    assert plan.plan.groupby("unit_id")["on_board_end"].max().to_dict() == {"U1": 1, "U2": 1}
    # the unit's own setting wins over the scenario's: U2 at 0 → both hires to U1 again
    plan = plan_multiyear(inputs, Scenario(budgets=budgets, min_fill=0.25,
                                           units=(UnitSetting(unit_id="U2", min_fill=0.0),)),
                          MultiYearSettings(years=Y2))
    assert plan.plan.groupby("unit_id")["on_board_end"].max().to_dict() == {"U1": 2, "U2": 0}


def test_unit_settings_hires_a_year_and_budget_cap(tmp_path):
    # one post of quota 4, nobody on board, 100 million a hire; U1 may hire 1 a year: 1, 2
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,4,0,0,1,"
                               "100000000", extra=",annual_cost")
    plan = plan_multiyear(inputs, Scenario(units=(UnitSetting(unit_id="U1", max_hires=1),)),
                          MultiYearSettings(years=Y2))
    assert plan.plan["on_board_end"].tolist() == [1, 2]
    # a unit budget cap of 250 million (every year): 2 hires
    plan = plan_multiyear(inputs, Scenario(units=(UnitSetting(unit_id="U1",
                                                              budget_cap=250e6),)),
                          MultiYearSettings(years=Y2))
    assert plan.plan["on_board_end"].tolist() == [2, 2]


def test_a_rows_max_hires_caps_its_hires_over_the_plan(tmp_path):
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,4,0,0,1,3",
                     "U1,Sở A,P2,Kế toán,public_employee,state_budget,1,2,0,0,1,",
                     extra=",max_hires")
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(years=Y2))
    p = plan.plan.set_index(["position_id", "year"])["on_board_end"]
    assert p.to_dict() == {("P1", 2026): 3, ("P1", 2027): 3, ("P2", 2026): 2, ("P2", 2027): 2}


def test_min_cost_reaches_the_target_in_the_target_year_only(tmp_path):
    # quota 2, nobody on board: min_cost hires as late as the target allows (cheapest):
    # target year 2027 → 0, 2, 2; no target year → the last year: 0, 0, 2
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,2,0,0,1")
    years = (2026, 2027, 2028)
    plan = plan_multiyear(inputs, Scenario(objective=Objective.MIN_COST),
                          MultiYearSettings(years=years, target_year=2027))
    assert plan.plan["on_board_end"].tolist() == [0, 2, 2]
    plan = plan_multiyear(inputs, Scenario(objective=Objective.MIN_COST),
                          MultiYearSettings(years=years))
    assert plan.plan["on_board_end"].tolist() == [0, 0, 2]
    # a target fill of 50 %: ⌊0.5 × 2⌋ = 1 by the last year
    plan = plan_multiyear(inputs, Scenario(objective=Objective.MIN_COST, target_fill=0.5),
                          MultiYearSettings(years=years))
    assert plan.plan["on_board_end"].tolist() == [0, 0, 1]


def test_surplus_is_counted_per_unit_and_staff_type(tmp_path):
    # U1: civil servants P1 quota 2 with 3 on board, P2 quota 2 with 0 → the group is 1
    # below its quota (4 − 3): one hire, no surplus (redeployment). Public employees P3 quota
    # 1 with 2 on board: 1 to streamline each year, paid 300 million each.
    inputs = _inputs(tmp_path,
                     "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,2,3,0,1",
                     "U1,Sở A,P2,Văn thư,civil_servant,state_budget,2.34,2,0,0,1",
                     "U1,Sở A,P3,Giáo viên,public_employee,state_budget,2.34,1,2,0,1")
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(
        years=Y2, payout_per_leaver={"public_employee": 300e6}))
    p = plan.plan.set_index(["position_id", "year"])
    assert p.loc[("P2", 2026), "hires"] == 1
    assert p.loc[("P1", 2026), "surplus_end"] == 1  # a row above its quota is shown
    assert plan.surplus[["unit_id", "unit_name", "staff_type", "year", "quota",
                         "on_board_end", "surplus"]].values.tolist() == [
        ["U1", "Sở A", "public_employee", 2026, 1, 2, 1],
        ["U1", "Sở A", "public_employee", 2027, 1, 2, 1]]
    assert plan.surplus["payout"].tolist() == [300e6, 300e6]
    assert plan.by_year["surplus_to_streamline"].tolist() == [1, 1]
    assert plan.by_year["streamline_payout"].tolist() == [300e6, 300e6]


def test_quota_and_departures_of_later_years(tmp_path):
    # quota 3 in 2026 and 2 in 2027 (a column of later quotas), 2 on board, no departures:
    # room 1 then 0 and hires never fall, so nobody is hired; one leaves in 2027 (a
    # departures column): N0 2, 1, room 1, 1: one hire from 2026
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,3,2,0,1")
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(years=Y2),
                          quota_years={2027: np.array([2.0])})
    assert plan.plan["quota"].tolist() == [3, 2]
    assert plan.plan["hires"].tolist() == [0, 0]
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(years=Y2),
                          quota_years={2027: np.array([2.0])},
                          departure_years={2027: np.array([1.0])})
    assert plan.plan["departures"].tolist() == [0, 1]
    assert plan.plan["hires"].tolist() == [1, 0]
    assert plan.plan["on_board_start"].tolist() == [2, 3]
    assert plan.plan["on_board_end"].tolist() == [3, 2]


def test_no_plan_gives_the_least_budget_per_year(tmp_path):
    # min_fill 100 %: 2 hires each year at 100 million, budget 100 million: infeasible; the
    # least budgets are 200 million in each year
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,2,0,0,1,"
                               "100000000", extra=",annual_cost")
    plan = plan_multiyear(inputs, Scenario(budgets={"state_budget": 100e6}, min_fill=1.0),
                          MultiYearSettings(years=Y2))
    assert plan.status == "infeasible"
    assert plan.plan is None and plan.by_year is None and plan.surplus is None
    assert plan.budgets["least"].tolist() == [200e6, 200e6]
    assert plan.budgets["used"].tolist() == [None, None]


def test_an_unknown_source_in_the_budgets_is_refused(tmp_path):
    from planner.domain.scenario import ScenarioError

    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,2,0,0,1")
    with pytest.raises(ScenarioError) as caught:
        plan_multiyear(inputs, Scenario(budgets={"fee_revenue": 1e9}),
                       MultiYearSettings(years=Y2))
    assert caught.value.code == "unknown_source"
    with pytest.raises(ScenarioError) as caught:
        plan_multiyear(inputs, Scenario(), MultiYearSettings(
            years=Y2, budgets_by_year={("fee_revenue", 2027): 1e9}))
    assert caught.value.code == "multiyear.budget_source"


# --- what plan_multiyear hands the model, and what it reads back (issue 18, second run) ---

INT_COLUMNS = ["year", "quota", "on_board_start", "departures", "hires", "on_board_end",
               "vacancies_end", "surplus_end", "salary_cost"]


@pytest.fixture
def handed(monkeypatch):
    """The model's data and time limit as plan_multiyear hands them to the real solve (the
    solve still runs: the wrapper only records its arguments)."""
    import planner.optimise.multiyear as multiyear

    seen: dict = {}
    real = multiyear.solve_multiyear

    def recorded(mip, **options):
        seen["mip"], seen["options"] = mip, options
        return real(mip, **options)

    monkeypatch.setattr(multiyear, "solve_multiyear", recorded)
    return seen


def test_fair_compares_each_units_final_year_quota_and_staying(tmp_path, handed):
    # U1 (one post): quota 4 in 2026-2027, 12 in 2028; 6 on board, 3 leave in 2028, so it
    # may hire only in 2028 (room 0, 0, 9) and its final-year ratio is (3 + x1) / 12.
    # U2: quota 4, 2 on board: (2 + x2) / 4, room 2 every year, priority 5 against 1.
    # One hire a year affordable (100 million, budget 100 million): to U1, min(4/12, 2/4) =
    # 1/3; to U2, min(3/12, 3/4) = 1/4. Fair gives it to U1, in 2028. Read with the quota
    # or the staying of another year (U1 at 4 or 6), or without the quota, U2 would win.
    inputs = _inputs(tmp_path,
                     "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,4,6,0,1,100000000",
                     "U2,Sở B,P1,Chuyên viên,public_employee,state_budget,1,4,2,0,5,100000000",
                     extra=",annual_cost")
    years = (2026, 2027, 2028)
    plan = plan_multiyear(inputs, Scenario(objective=Objective.FAIR,
                                           budgets={"state_budget": 100e6}),
                          MultiYearSettings(years=years),
                          quota_years={2028: np.array([12.0, 4.0])},
                          departure_years={2028: np.array([3.0, 0.0])})
    assert plan.status == "optimal"
    hires = plan.plan.set_index(["unit_id", "year"])["hires"]
    assert hires.to_dict() == {("U1", 2026): 0, ("U1", 2027): 0, ("U1", 2028): 1,
                               ("U2", 2026): 0, ("U2", 2027): 0, ("U2", 2028): 0}
    mip = handed["mip"]
    assert mip.fair_quota.tolist() == [12, 4]
    assert mip.fair_staying.tolist() == [3, 2]
    assert mip.room.tolist() == [[0, 0, 9], [2, 2, 2]]


def test_a_unit_over_its_quota_for_a_staff_type_hires_none_of_it(tmp_path, handed):
    # U1's civil servants: P1 quota 2 with 4 on board, P2 quota 3 with 2: P2 has a vacant
    # post, but the unit has 6 civil servants for 5 posts, so it may hire none (DOMAIN.md:
    # a unit never goes past its quota; the surplus is redeployed into P2)
    inputs = _inputs(tmp_path,
                     "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,2,4,0,1",
                     "U1,Sở A,P2,Văn thư,civil_servant,state_budget,2.34,3,2,0,1")
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(years=Y2))
    assert plan.plan["hires"].tolist() == [0, 0, 0, 0]
    assert handed["mip"].group_room.tolist() == [[0, 0]]
    assert handed["mip"].room.tolist() == [[0, 0], [1, 1]]


def test_a_minimum_fill_counts_only_the_room_that_lasts(tmp_path, handed):
    # U1, civil servants, min fill 100 %: P1 quota 5 in 2026 and 3 in 2027 with 2 on board
    # (room 3, then 1); P2 quota 2 with 3 on board (one above). Hires never fall, so a post
    # counts in a year only if it is still there later: P1 lasts 1, 1; the unit's room for
    # civil servants is 7 - 5 = 2 in 2026 and 5 - 5 = 0 in 2027, so 0, 0 last: the unit
    # must hire nobody (and can, so the plan exists).
    inputs = _inputs(tmp_path,
                     "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,5,2,0,1",
                     "U1,Sở A,P2,Văn thư,civil_servant,state_budget,2.34,2,3,0,1")
    plan = plan_multiyear(inputs, Scenario(min_fill=1.0), MultiYearSettings(years=Y2),
                          quota_years={2027: np.array([3.0, 2.0])})
    assert plan.status == "optimal"
    assert plan.plan["hires"].tolist() == [0, 0, 0, 0]
    assert handed["mip"].unit_min.tolist() == [[0, 0]]
    # P1 alone (P2 gone): the room that lasts is 1, 1, so at 100 % one hire from 2026
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,5,2,0,1")
    plan = plan_multiyear(inputs, Scenario(min_fill=1.0), MultiYearSettings(years=Y2),
                          quota_years={2027: np.array([3.0])})
    assert plan.status == "optimal"
    assert handed["mip"].unit_min.tolist() == [[1, 1]]
    assert plan.plan["hires"].tolist() == [1, 0]


def test_a_quota_cut_and_the_settings_kept_with_the_plan(tmp_path):
    # a cut of 10 % of the civil servants' quota by 2027, in equal steps from 2026 (two
    # steps): quota 20 → ⌊20 × 5 %⌋ = 1 post cut in 2026, ⌊20 × 10 %⌋ = 2 by 2027: 19, 18.
    # The public employee's quota is not cut.
    from planner.domain.multiyear import QuotaCut

    inputs = _inputs(tmp_path,
                     "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,20,20,0,1",
                     "U1,Sở A,P2,Giáo viên,public_employee,state_budget,2.34,3,3,0,1")
    settings = MultiYearSettings(
        years=Y2, quota_cut=QuotaCut(rate=0.1, by_year=2027, staff_types=("civil_servant",),
                                     exempt_sectors=("y tế",)),
        attrition={"public_employee": 0.0}, target_year=2027,
        payout_per_leaver={"civil_servant": 5e6})
    plan = plan_multiyear(inputs, Scenario(time_limit=30.0), settings)
    assert plan.plan.set_index(["position_id", "year"])["quota"].to_dict() == {
        ("P1", 2026): 19, ("P1", 2027): 18, ("P2", 2026): 3, ("P2", 2027): 3}
    # 20 on board for 19 and 18 posts: 1 and 2 to streamline, 5 million each
    assert plan.by_year["surplus_to_streamline"].tolist() == [1, 2]
    assert plan.by_year["streamline_payout"].tolist() == [5e6, 10e6]
    p = plan.parameters
    assert p["quota_cut"] == {"rate": 0.1, "by_year": 2027, "staff_types": ["civil_servant"],
                              "exempt_sectors": ["y tế"]}
    assert p["attrition"] == {"public_employee": 0.0}
    assert p["target_year"] == 2027
    assert p["payout_per_leaver"] == {"civil_servant": 5e6}
    assert p["roster"] is False
    assert p["years"] == [2026, 2027]
    assert p["time_limit"] == 30.0
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(years=Y2))
    assert plan.parameters["quota_cut"] is None
    assert plan.plan["quota"].tolist() == [20, 3, 20, 3]  # year by year


def test_departures_from_a_roster_count(tmp_path):
    # the roster's counts per (unit, position, year): 2 of P1 leave in 2027; the file's own
    # expected_departures (1) is not used when a roster is given
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,5,5,1,1")
    roster = pd.DataFrame({"unit_id": ["U1"], "position_id": ["P1"], "year": [2027],
                           "departures": [2]})
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(years=Y2), roster=roster)
    assert plan.plan["departures"].tolist() == [0, 2]
    assert plan.plan["hires"].tolist() == [0, 2]
    assert plan.parameters["roster"] is True


def test_counts_are_whole_numbers_and_the_surplus_table_is_as_documented(tmp_path):
    # U2 listed first: U2's public employee P3 quota 1 with 2 on board in 2026, quota 2 in
    # 2027; U1's civil servant P1 quota 1 with 2 on board in 2026, quota 2 in 2027. Payouts
    # are given for public employees only (300 million): U1's leaver is paid nothing; 2027
    # has no surplus, so nothing to streamline and nothing to pay.
    inputs = _inputs(tmp_path,
                     "U2,Sở B,P3,Giáo viên,public_employee,state_budget,2.34,1,2,0,1",
                     "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,1,2,0,1")
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(
        years=Y2, payout_per_leaver={"public_employee": 300e6}),
        quota_years={2027: np.array([2.0, 2.0])})
    for col in INT_COLUMNS:
        assert plan.plan[col].dtype == np.int64, col
    assert list(plan.surplus.columns) == ["unit_id", "unit_name", "staff_type", "year",
                                          "quota", "on_board_end", "surplus", "payout"]
    assert plan.surplus["surplus"].dtype == np.int64
    # in the file's order of units
    assert plan.surplus[["unit_id", "year", "surplus", "payout"]].values.tolist() == [
        ["U2", 2026, 1, 300e6], ["U1", 2026, 1, 0.0]]
    assert plan.by_year["surplus_to_streamline"].tolist() == [2, 0]
    assert plan.by_year["surplus_to_streamline"].dtype == np.int64
    assert plan.by_year["streamline_payout"].tolist() == [300e6, 0.0]


def test_the_time_limit_handed_to_the_solve(tmp_path, handed):
    # the scenario's limit, or README's default of 60 s when it sets none
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,2,0,0,1")
    plan_multiyear(inputs, Scenario(time_limit=7.0, gap=0.02), MultiYearSettings(years=Y2))
    assert handed["options"] == {"time_limit": 7.0, "gap": 0.02}
    plan_multiyear(inputs, Scenario(), MultiYearSettings(years=Y2))
    assert handed["options"] == {"time_limit": 60.0, "gap": 1e-4}


def test_a_plan_without_a_solution_keeps_its_years_settings_and_result(tmp_path):
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,2,0,0,1,"
                               "100000000", extra=",annual_cost")
    plan = plan_multiyear(inputs, Scenario(budgets={"state_budget": 100e6}, min_fill=1.0),
                          MultiYearSettings(years=Y2))
    assert plan.status == "infeasible" and plan.years == Y2
    assert plan.result.status == "infeasible"
    assert plan.parameters["years"] == [2026, 2027]
    assert plan.parameters["min_fill"] == 1.0


def test_the_refusal_of_an_unknown_source_names_the_setting_and_the_known_sources(tmp_path):
    from planner.domain.scenario import ScenarioError

    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,2,0,0,1",
                     "U1,Sở A,P2,Kế toán,public_employee,fee_revenue,1,2,0,0,1")
    with pytest.raises(ScenarioError) as caught:
        plan_multiyear(inputs, Scenario(budgets={"other_fund": 1e9}),
                       MultiYearSettings(years=Y2))
    assert caught.value.params == {"parameter": "budgets.other_fund", "value": "other_fund",
                                   "known": "fee_revenue, state_budget"}
    with pytest.raises(ScenarioError) as caught:
        plan_multiyear(inputs, Scenario(), MultiYearSettings(
            years=Y2, budgets_by_year={("other_fund", 2027): 1e9}))
    assert caught.value.params == {"value": "other_fund", "year": "2027",
                                   "known": "fee_revenue, state_budget"}


def test_a_units_file_settings_apply_with_the_scenarios(tmp_path):
    # the units file caps U1 at 1 hire a year; a scenario unit setting on U2 (so the
    # scenario's units are merged with the file's) leaves U1's cap in force: 1, 2
    inputs = _inputs(tmp_path, "U1,Sở A,P1,Chuyên viên,public_employee,state_budget,1,4,0,0,1")
    units = tmp_path / "units.csv"
    units.write_text("unit_id,unit_name,max_hires,budget_cap,min_fill\nU1,Sở A,1,,\n",
                     encoding="utf-8")
    inputs = load_inputs(tmp_path / "q.csv", units=units)
    plan = plan_multiyear(inputs, Scenario(units=(UnitSetting(unit_id="U1", min_fill=0.0),)),
                          MultiYearSettings(years=Y2))
    assert plan.plan["on_board_end"].tolist() == [1, 2]


def test_the_room_that_lasts_per_row_and_per_unit(tmp_path, handed):
    # min fill 100 %, so each unit's minimum is the room that lasts, counted by hand:
    # U1, one post: quota 3 then 5, 2 on board → room 1, 3 (rising: all of it lasts): 1, 3.
    # U2, civil servants: A quota 5 then 3 with 2 on board → room 3, 1, lasting 1, 1;
    # B quota 2 then 4 with 2 on board → room 0, 2, lasting 0, 2; the unit's room for civil
    # servants 3, 3 → U2 may keep 1 then 3.
    inputs = _inputs(tmp_path,
                     "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,3,2,0,1",
                     "U2,Sở B,A,Chuyên viên,civil_servant,state_budget,2.34,5,2,0,1",
                     "U2,Sở B,B,Văn thư,civil_servant,state_budget,2.34,2,2,0,1")
    plan = plan_multiyear(inputs, Scenario(min_fill=1.0), MultiYearSettings(years=Y2),
                          quota_years={2027: np.array([5.0, 3.0, 4.0])})
    assert handed["mip"].room.tolist() == [[1, 3], [3, 1], [0, 2]]
    assert handed["mip"].unit_min.tolist() == [[1, 3], [1, 3]]
    assert plan.status == "optimal" and plan.result.status == "optimal"
    assert plan.plan.set_index(["unit_id", "position_id", "year"])["on_board_end"].to_dict() == {
        ("U1", "P1", 2026): 3, ("U1", "P1", 2027): 5, ("U2", "A", 2026): 3,
        ("U2", "A", 2027): 3, ("U2", "B", 2026): 2, ("U2", "B", 2027): 4}

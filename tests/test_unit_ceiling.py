"""The unit ceiling: the quota is assigned to a unit per staff type, so hiring never takes a
(unit, staff type) past its total quota, whatever its positions' own vacancies say.

Every expected figure below is worked out by hand from the rule (staff staying + hires ≤ quota,
summed over the unit's positions of one staff type; no hire where staff already reach it).
"""

import numpy as np
import pandas as pd
import pytest

from planner.api import solve as solve_scenario
from planner.domain.gaps import headline, quota_room, staffing_gaps, summarise
from planner.domain.scenario import Scenario
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES
from planner.optimise.allocate import allocate_hires
from planner.optimise.result import SolveStatus
from planner.present.plan_text import explain_infeasible
from tests.optimise_cases import M, assert_plan_keeps_the_rules, gaps_table, hires_of, units_table


def _unit(rows):
    return gaps_table([{"unit_id": "U1", **r} for r in rows])


def test_a_unit_at_its_quota_in_total_hires_nobody():
    # position a: quota 1, on board 3 (2 above); position b: quota 3, on board 1 (2 vacant).
    # The unit: quota 4, staff 4: at its quota. The 2 vacancies of b are filled by moving
    # the 2 extra staff of a, not by hiring.
    gaps = _unit([{"position_id": "a", "quota": 1, "headcount": 3, "cost": 100 * M},
                  {"position_id": "b", "quota": 3, "headcount": 1, "cost": 100 * M}])
    a = allocate_hires(gaps)
    assert a.status is SolveStatus.OPTIMAL
    assert hires_of(a) == {"a": 0, "b": 0}
    unit = a.by_unit.iloc[0]
    assert unit["bound"] == "quota_ceiling"
    assert unit["redeployable"] == 2
    assert a.plan.set_index("position_id").at["b", "bound"] == "quota_ceiling"


def test_a_unit_with_one_post_of_room_hires_one_the_best_one():
    # a: quota 2, on board 3 (+1); b: quota 3, on board 1 (−2); c: quota 1, on board 0 (−1).
    # Unit: quota 6, staff 4: room 2, though the positions show 3 vacancies.
    gaps = _unit([{"position_id": "a", "quota": 2, "headcount": 3, "cost": 100 * M},
                  {"position_id": "b", "quota": 3, "headcount": 1, "cost": 100 * M,
                   "priority": 2},
                  {"position_id": "c", "quota": 1, "headcount": 0, "cost": 80 * M}])
    a = allocate_hires(gaps)
    assert hires_of(a) == {"a": 0, "b": 2, "c": 0}  # priority 2 posts first, up to the room
    assert a.by_unit.iloc[0]["redeployable"] == 1  # min(vacancies 3, surplus 1)
    cheap = allocate_hires(gaps.assign(priority=1.0))
    assert hires_of(cheap)["c"] == 1 and cheap.total_hires == 2  # equal weight: cheapest too


def test_each_staff_type_has_its_own_ceiling():
    # civil servants at their quota (a +1, b −1); public employees have 2 vacant posts.
    gaps = _unit([{"position_id": "a", "quota": 2, "headcount": 3, "cost": 100 * M},
                  {"position_id": "b", "quota": 2, "headcount": 1, "cost": 100 * M},
                  {"position_id": "t", "quota": 5, "headcount": 3, "cost": 90 * M,
                   "staff_type": "public_employee"}])
    a = allocate_hires(gaps)
    assert hires_of(a) == {"a": 0, "b": 0, "t": 2}


def test_expected_departures_free_room_under_the_ceiling():
    # a: quota 2, on board 3, one leaving (staying 2); b: quota 2, on board 1 (−1).
    # Staying 3 of quota 4: one hire.
    gaps = _unit([{"position_id": "a", "quota": 2, "headcount": 3, "expected_departures": 1,
                   "cost": 100 * M},
                  {"position_id": "b", "quota": 2, "headcount": 1, "cost": 100 * M}])
    assert allocate_hires(gaps).total_hires == 1
    # without the departure the unit is at its quota (4 of 4)
    gaps2 = _unit([{"position_id": "a", "quota": 2, "headcount": 3, "cost": 100 * M},
                   {"position_id": "b", "quota": 3, "headcount": 1, "cost": 100 * M}])
    assert allocate_hires(gaps2).total_hires == 1  # quota 5, staff 4
    gaps3 = _unit([{"position_id": "a", "quota": 1, "headcount": 3, "cost": 100 * M},
                   {"position_id": "b", "quota": 3, "headcount": 1, "cost": 100 * M}])
    assert allocate_hires(gaps3).total_hires == 0  # quota 4, staff 4


def test_the_minimum_fill_counts_only_posts_the_unit_may_recruit_into():
    # 3 vacancies on positions, but room for 1: min_fill 1.0 asks for 1 hire, not 3.
    gaps = _unit([{"position_id": "a", "quota": 1, "headcount": 3, "cost": 100 * M},
                  {"position_id": "b", "quota": 5, "headcount": 2, "cost": 100 * M}])
    a = allocate_hires(gaps, min_fill=1.0)
    assert a.status is SolveStatus.OPTIMAL
    assert a.total_hires == 1
    assert a.by_unit.iloc[0]["min_required"] == 1


def test_pins_above_the_units_room_are_explained():
    gaps = _unit([{"position_id": "a", "quota": 1, "headcount": 3, "cost": 100 * M},
                  {"position_id": "b", "quota": 4, "headcount": 1, "cost": 100 * M,
                   "min_hires": 2}])
    a = allocate_hires(gaps)  # room: quota 5 − staff 4 = 1 < 2 pinned
    assert a.status is SolveStatus.INFEASIBLE
    info = a.infeasibility
    assert info.message_params["reason"] == "pin_above_quota"
    assert info.message_params["groups"][0] == {
        "unit_id": "U1", "unit_name": "Đơn vị U1", "staff_type": "civil_servant",
        "pinned": 2, "room": 1}
    text = explain_infeasible(info, "vi")
    assert "chỉ định tuyển 2, biên chế chưa sử dụng 1" in text
    assert "Công chức" in text
    assert "2 pinned, unused quota 1" in explain_infeasible(info, "en")


def test_the_least_budget_of_an_infeasible_requirement_respects_the_ceiling():
    # U1's cheap post (50 M) is in a group at its quota; its requirement (1 hire) must be met
    # by the public-employee post at 120 M. A budget of 100 M is short by 20 M.
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "quota": 1, "headcount": 2, "cost": 100 * M},
        {"unit_id": "U1", "position_id": "b", "quota": 2, "headcount": 1, "cost": 50 * M},
        {"unit_id": "U1", "position_id": "c", "quota": 2, "headcount": 1, "cost": 120 * M,
         "staff_type": "public_employee"}])
    a = allocate_hires(gaps, budgets={"state_budget": 100 * M}, min_fill=1.0)
    assert a.status is SolveStatus.INFEASIBLE
    assert a.infeasibility.min_budget_by_source == {"state_budget": 120 * M}
    ok = allocate_hires(gaps, budgets={"state_budget": 120 * M}, min_fill=1.0)
    assert ok.status is SolveStatus.OPTIMAL and hires_of(ok) == {"a": 0, "b": 0, "c": 1}


def test_one_more_billion_looks_past_posts_a_cap_blocks():
    # U1: 2 vacancies at 100 M, but the unit may take 1; U2: 1 vacancy at 900 M. With 500 M
    # the plan hires 1 (U1) and 400 M is left; the cheapest post money could open is U2's
    # (900 M), so the budget binds and one more billion buys 1 more hire.
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "vacancies": 2, "cost": 100 * M},
        {"unit_id": "U2", "position_id": "b", "vacancies": 1, "cost": 900 * M}])
    units = units_table([{"unit_id": "U1", "max_hires": 1}])
    a = allocate_hires(gaps, units, budgets={"state_budget": 500 * M})
    assert a.total_hires == 1
    row = a.budget_values.iloc[0]
    assert bool(row["binding"]) is True
    more = allocate_hires(gaps, units, budgets={"state_budget": 1500 * M})
    assert more.total_hires == 2
    assert row["value_per_billion"] == more.objective - a.objective == 1


def test_gaps_summaries_name_who_could_be_redeployed():
    gaps = gaps_table([
        {"unit_id": "U1", "position_id": "a", "quota": 1, "headcount": 3, "cost": 100 * M},
        {"unit_id": "U1", "position_id": "b", "quota": 3, "headcount": 1, "cost": 100 * M},
        {"unit_id": "U1", "position_id": "c", "quota": 2, "headcount": 0, "cost": 100 * M,
         "staff_type": "public_employee"},
        {"unit_id": "U2", "position_id": "d", "quota": 2, "headcount": 3, "cost": 100 * M},
        {"unit_id": "U2", "position_id": "e", "quota": 4, "headcount": 1, "cost": 100 * M}])
    room = quota_room(gaps).set_index(["unit_id", "staff_type"])
    # U1 civil servants: vacancies 2, surplus 2 → redeploy 2, hire 0;
    # U1 public employees: vacancies 2 → hire 2; U2: vacancies 3, surplus 1 → redeploy 1, hire 2
    assert room.loc[("U1", "civil_servant"), ["redeployable", "hireable"]].tolist() == [2, 0]
    assert room.loc[("U1", "public_employee"), ["redeployable", "hireable"]].tolist() == [0, 2]
    assert room.loc[("U2", "civil_servant"), ["redeployable", "hireable"]].tolist() == [1, 2]
    by_unit = summarise(gaps, "unit").set_index("unit_id")
    assert by_unit["redeployable"].to_dict() == {"U1": 2, "U2": 1}
    assert headline(gaps)["redeployable"] == 3


def _sample():
    return load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])


def _over_quota(plan: pd.DataFrame) -> pd.DataFrame:
    """(unit, staff type) groups whose staff staying plus hires pass their quota although
    they hired: computed from the plan's own columns."""
    t = plan.assign(staying=plan["headcount"] - plan["expected_departures"],
                    hires=plan["hires"].astype(int))
    g = t.groupby(["unit_id", "staff_type"])[["quota", "staying", "hires"]].sum()
    return g[(g["hires"] > 0) & (g["staying"] + g["hires"] > g["quota"])]


@pytest.mark.parametrize("budget", [3e9, 20e9, None])
def test_no_unit_of_the_sample_ends_above_its_quota(budget):
    inputs = _sample()
    scenario = Scenario(budgets={} if budget is None else {"state_budget": budget})
    a = solve_scenario(inputs, scenario, explain=False)
    assert a.has_plan
    assert _over_quota(a.plan).empty
    # and with no money limit and no unit settings, the hires fill per (unit, staff type)
    # exactly what the ceiling allows
    if budget is None:
        gaps = staffing_gaps(inputs.positions, rules=scenario.rules).drop(
            columns=["min_hires", "max_hires"], errors="ignore")
        free = allocate_hires(gaps, explain=False)
        room = quota_room(gaps).set_index(["unit_id", "staff_type"])
        hired = free.plan.assign(hires=free.plan["hires"].astype(int)).groupby(
            ["unit_id", "staff_type"])["hires"].sum()
        expected = np.minimum(room["quota"] - room["staying"], room["vacancies"]).clip(lower=0)
        assert hired.reindex(expected.index).tolist() == expected.tolist()


def test_the_sample_has_units_whose_positions_hide_a_full_quota():
    # the walk of issue 12: districts with a surplus position beside vacant ones
    gaps = staffing_gaps(_sample().positions)
    room = quota_room(gaps)
    assert (room["redeployable"] > 0).sum() >= 3
    a = allocate_hires(gaps, budgets={"state_budget": 3e9}, explain=False)
    assert_plan_keeps_the_rules(a, gaps, None, budgets={"state_budget": 3e9})

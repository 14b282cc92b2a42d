"""The fill rate at a quota of one post, and redeployable posts counted as whole posts (issue 18).

Written for the mutants of planner/domain/gaps.py that the tests let through after the unit
ceiling (`make mutate MODULE=planner/domain/gaps.py`). By the definitions of docs/gaps.md: fill
rate = staff on board ÷ quota, undefined only where the quota is 0; redeployable = min(V, S)
per (unit, staff type), a number of posts.
"""

from __future__ import annotations

import pandas as pd

from planner.domain.gaps import overall_fill_rate, staffing_gaps, summarise
from planner.domain.rules import CostRules

M = 1_000_000


def test_a_quota_of_one_post_has_a_fill_rate():
    assert overall_fill_rate(1, 1) == 1.0
    assert overall_fill_rate(0, 1) == 0.0
    assert overall_fill_rate(2, 1) == 2.0  # surplus: above 1
    assert overall_fill_rate(3, 0) is None


def _row(unit, position, quota, headcount):
    return {"unit_id": unit, "unit_name": f"Đơn vị {unit}", "position_id": position,
            "position_name": "Vị trí", "staff_type": "civil_servant",
            "funding_source": "state_budget", "sector": "QLNN", "grade": "", "quota": quota,
            "headcount": headcount, "expected_departures": 0, "salary_coefficient": 2.34,
            "allowance_rate": 0.0, "annual_cost": 100.0 * M, "priority": 1.0,
            "min_hires": pd.NA, "max_hires": pd.NA, "source_row": 2}


def test_redeployable_posts_by_unit_are_whole_numbers():
    # U1: P1 quota 3, 1 on board (2 vacant); P2 quota 1, 2 on board (1 surplus) → min(2, 1) = 1
    # U2: one position, 2 vacant, no surplus → 0
    positions = pd.DataFrame([_row("U1", "P1", 3, 1), _row("U1", "P2", 1, 2),
                              _row("U2", "P1", 2, 0)])
    s = summarise(staffing_gaps(positions, rules=CostRules()), "unit")
    assert dict(zip(s["unit_id"], s["redeployable"], strict=True)) == {"U1": 1, "U2": 0}
    assert str(s["redeployable"].dtype) == "int64"


def test_quota_room_counts_whole_posts_and_a_blank_staff_type_is_its_own_group():
    # U1 civil servants: quota 3 + 1, staying 1 + 2 → hireable max(0, 4 − 3) = 1, vacancies 2,
    # surplus 1, redeployable min(2, 1) = 1; U1 with no staff type: quota 2, none → hireable 2
    from planner.domain.gaps import quota_room

    blank = {**_row("U1", "P3", 2, 0), "staff_type": None}
    gaps = staffing_gaps(pd.DataFrame([_row("U1", "P1", 3, 1), _row("U1", "P2", 1, 2), blank]),
                         rules=CostRules())
    room = quota_room(gaps)
    assert room[["unit_id", "staff_type", "hireable", "redeployable"]].values.tolist() == [
        ["U1", "civil_servant", 1, 1], ["U1", "", 2, 0]]
    assert str(room["hireable"].dtype) == "int64" and str(room["redeployable"].dtype) == "int64"
    # a table without a staff_type column is one staff type per unit (blank)
    room = quota_room(gaps[gaps["staff_type"].notna()].drop(columns="staff_type"))
    assert room[["unit_id", "staff_type", "hireable"]].values.tolist() == [["U1", "", 1]]


def test_only_a_row_with_neither_coefficient_nor_annual_cost_is_costed_at_the_default():
    # README cost rules: the row's annual cost wins; else its coefficient; else the default 2.34
    rows = []
    for position, coefficient, cost in [("P1", 3.0, None), ("P2", None, 90.0 * M),
                                        ("P3", None, None), ("P4", 3.0, 90.0 * M)]:
        rows.append({**_row("U1", position, 1, 0), "salary_coefficient": coefficient,
                     "annual_cost": cost})
    gaps = staffing_gaps(pd.DataFrame(rows), rules=CostRules())
    assert gaps["coefficient_defaulted"].tolist() == [False, False, True, False]
    assert gaps["salary_coefficient"].tolist()[2] == 2.34

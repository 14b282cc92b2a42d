"""Summaries and headline figures of the gaps table, on a table built and summed by hand.

vacancies = max(0, quota − headcount + departures), surplus = max(0, headcount − departures −
quota), fill rate = (headcount − departures) ÷ quota (undefined when the quota is 0), vacancy
cost = vacancies × cost per hire (README "Cost rules and their sources", docs/gaps.md).
"""

import math

import pandas as pd
import pytest

from planner.domain.gaps import GAP_COLUMNS, GROUPS, fill_rate, headline, staffing_gaps, summarise
from planner.domain.rules import CostRules

M = 1_000_000


def row(unit_id, unit_name, sector, staff_type, source, quota, headcount, departures, cost,
        **extra):
    r = {"unit_id": unit_id, "unit_name": unit_name, "position_id": f"P{quota}{headcount}",
         "position_name": "Vị trí", "staff_type": staff_type, "funding_source": source,
         "sector": sector, "grade": "", "quota": quota, "headcount": headcount,
         "expected_departures": departures, "salary_coefficient": 2.34,
         "allowance_rate": 0.0, "annual_cost": float(cost), "priority": 1.0,
         "min_hires": pd.NA, "max_hires": pd.NA, "source_row": 2}
    r.update(extra)
    return r


# unit, sector, staff type, source, quota, headcount, departures, cost per hire
#  r1 U1 QLNN     civil servant   NSNN  10  7  1  100 tr → staying 6, vacancies 4, cost 400 tr
#  r2 U1 QLNN     contract        fees   2  3  0   80 tr → staying 3, surplus 1
#  r3 U2 Giáo dục public employee NSNN  20 15  2   90 tr → staying 13, vacancies 7, cost 630 tr
#  r4 U2 Giáo dục public employee fees   0  0  0   90 tr → nothing
#  r5 U3 QLNN     civil servant   NSNN   5  5  0  100 tr → full
TABLE = pd.DataFrame([
    row("U1", "Sở Nội vụ", "QLNN", "civil_servant", "state_budget", 10, 7, 1, 100 * M),
    row("U1", "Sở Nội vụ", "QLNN", "contract", "fee_revenue", 2, 3, 0, 80 * M),
    row("U2", "Trường THPT A", "Giáo dục", "public_employee", "state_budget", 20, 15, 2, 90 * M),
    row("U2", "Trường THPT A", "Giáo dục", "public_employee", "fee_revenue", 0, 0, 0, 90 * M),
    row("U3", "UBND huyện Cam Lâm", "QLNN", "civil_servant", "state_budget", 5, 5, 0, 100 * M),
])

COLUMNS = ["rows", "quota", "headcount", "expected_departures", "vacancies", "surplus",
           "vacancy_cost", "fill_rate"]


@pytest.fixture(scope="module")
def gaps():
    return staffing_gaps(TABLE)


def test_the_gaps_of_each_row(gaps):
    assert gaps["vacancies"].tolist() == [4, 0, 7, 0, 0]
    assert gaps["surplus"].tolist() == [0, 1, 0, 0, 0]
    assert gaps["annual_cost_per_hire"].tolist() == [100 * M, 80 * M, 90 * M, 90 * M, 100 * M]
    assert str(gaps["vacancies"].dtype) == "int64" and str(gaps["surplus"].dtype) == "int64"
    assert list(gaps.columns[:len(TABLE.columns)]) == list(TABLE.columns)
    assert set(GAP_COLUMNS) <= set(gaps.columns)


def as_rows(summary, keys):
    return [tuple(r[k] for k in keys) + tuple(r[c] for c in COLUMNS)
            for r in summary.to_dict("records")]


def test_summary_by_unit(gaps):
    s = summarise(gaps, "unit")
    # by unit also what its surplus staff could fill (issue 12): U1's surplus (a contract
    # post) is of another staff type than its vacancies (civil servants): nothing
    assert list(s.columns) == ["unit_id", "unit_name", *COLUMNS, "redeployable"]
    assert s["redeployable"].tolist() == [0, 0, 0]
    assert as_rows(s, ["unit_id", "unit_name"]) == [
        ("U2", "Trường THPT A", 2, 20, 15, 2, 7, 0, 630 * M, pytest.approx(13 / 20)),
        ("U1", "Sở Nội vụ", 2, 12, 10, 1, 4, 1, 400 * M, pytest.approx(9 / 12)),
        ("U3", "UBND huyện Cam Lâm", 1, 5, 5, 0, 0, 0, 0, pytest.approx(1.0)),
    ]


def test_summary_by_sector(gaps):
    s = summarise(gaps, "sector")
    assert list(s.columns) == ["sector", *COLUMNS]
    assert as_rows(s, ["sector"]) == [
        ("Giáo dục", 2, 20, 15, 2, 7, 0, 630 * M, pytest.approx(13 / 20)),
        ("QLNN", 3, 17, 15, 1, 4, 1, 400 * M, pytest.approx(14 / 17)),
    ]


def test_summary_by_staff_type(gaps):
    s = summarise(gaps, "staff_type")
    assert as_rows(s, ["staff_type"]) == [
        ("public_employee", 2, 20, 15, 2, 7, 0, 630 * M, pytest.approx(13 / 20)),
        ("civil_servant", 2, 15, 12, 1, 4, 0, 400 * M, pytest.approx(11 / 15)),
        ("contract", 1, 2, 3, 0, 0, 1, 0, pytest.approx(3 / 2)),  # above 1: surplus
    ]


def test_summary_by_funding_source(gaps):
    s = summarise(gaps, "funding_source")
    assert as_rows(s, ["funding_source"]) == [
        ("state_budget", 3, 35, 27, 3, 11, 0, 1030 * M, pytest.approx(24 / 35)),
        ("fee_revenue", 2, 2, 3, 0, 0, 1, 0, pytest.approx(3 / 2)),
    ]


def test_groups_are_the_four_keys_and_others_are_refused(gaps):
    assert GROUPS == ("unit", "sector", "staff_type", "funding_source")
    with pytest.raises(ValueError) as err:
        summarise(gaps, "position")
    assert str(err.value) == ("cannot group by 'position'; expected one of unit, sector, "
                              "staff_type, funding_source")


def test_units_with_one_id_and_two_names_are_two_groups():
    # the unit key is (id, name): a renamed unit is shown under both names, never merged
    t = pd.DataFrame([row("U1", "Sở Nội vụ", "", "civil_servant", "state_budget", 3, 1, 0, M),
                      row("U1", "Sở Nội vụ (cũ)", "", "civil_servant", "state_budget", 4, 1, 0, M)])
    s = summarise(staffing_gaps(t), "unit")
    assert s[["unit_name", "vacancies"]].values.tolist() == [["Sở Nội vụ (cũ)", 3],
                                                            ["Sở Nội vụ", 2]]


def test_a_blank_sector_is_a_group_of_its_own():
    t = pd.DataFrame([row("U1", "A", None, "civil_servant", "state_budget", 3, 1, 0, M),
                      row("U2", "B", "Y tế", "civil_servant", "state_budget", 2, 1, 0, M)])
    s = summarise(staffing_gaps(t), "sector")
    assert len(s) == 2
    assert s["vacancies"].tolist() == [2, 1]
    assert pd.isna(s.at[0, "sector"]) and s.at[1, "sector"] == "Y tế"


def test_quota_zero_has_no_fill_rate_and_its_staff_are_surplus():
    t = pd.DataFrame([row("U1", "A", "", "civil_servant", "state_budget", 0, 2, 0, M),
                      row("U2", "B", "", "civil_servant", "state_budget", 0, 0, 0, M)])
    g = staffing_gaps(t)
    assert g["vacancies"].tolist() == [0, 0] and g["surplus"].tolist() == [2, 0]
    s = summarise(g, "unit")
    assert s["fill_rate"].isna().all()
    assert s["surplus"].tolist() == [2, 0]
    h = headline(g)
    assert h["fill_rate"] is None
    assert (h["quota"], h["surplus"], h["vacancy_cost"]) == (0, 2, 0.0)


def test_fill_rate_is_staff_over_quota():
    rates = fill_rate(pd.Series([6, 3, 0, 2, 0]), pd.Series([10, 2, 1, 0, 0]))
    assert rates.dtype == "float64"
    assert rates.iloc[:3].tolist() == [0.6, 1.5, 0.0]
    assert rates.iloc[3:].isna().all()


def test_headline_on_the_hand_table(gaps):
    h = headline(gaps)
    assert h == {
        "units": 3, "positions": 5, "quota": 37, "headcount": 30, "expected_departures": 3,
        "vacancies": 11, "surplus": 1, "redeployable": 0, "fill_rate": pytest.approx(27 / 37),
        "vacancy_cost_by_source": {"fee_revenue": 0.0, "state_budget": 1030 * M},
        "vacancy_cost": 1030 * M,
    }
    for key in ("units", "positions", "quota", "headcount", "expected_departures", "vacancies",
                "surplus"):
        assert type(h[key]) is int, key
    assert type(h["vacancy_cost"]) is float


def test_headline_counts_each_unit_once():
    t = pd.DataFrame([row("U1", "A", "", "civil_servant", "state_budget", 3, 1, 0, M),
                      row("U1", "A", "", "contract", "fee_revenue", 2, 1, 0, M),
                      row("U2", "B", "", "civil_servant", "state_budget", 1, 1, 0, M)])
    assert headline(staffing_gaps(t))["units"] == 2


def test_cost_per_hire_is_rounded_to_whole_dong():
    # 12 × 2,530,000 × 2.3456 × (1 + 0.25 + 0.225 + 0.10) = 71,212,416 × 1.575 = 112,159,555.2
    t = pd.DataFrame([row("U1", "A", "", "civil_servant", "state_budget", 3, 1, 0, math.nan,
                          salary_coefficient=2.3456, allowance_rate=0.25)])
    assert staffing_gaps(t).at[0, "annual_cost_per_hire"] == 112_159_555


def test_cost_per_hire_uses_the_rules_given():
    # base 2,000,000, bonus 0.05, contract contributions 0.3, allowance 0.1:
    # 12 × 2,000,000 × 3.0 × (1 + 0.1 + 0.3 + 0.05) = 72,000,000 × 1.45 = 104,400,000
    t = pd.DataFrame([row("U1", "A", "", "contract", "fee_revenue", 3, 1, 0, math.nan,
                          salary_coefficient=3.0, allowance_rate=0.1)])
    rules = CostRules(base_salary=2_000_000, bonus_rate=0.05, contribution_rates={"contract": 0.3})
    assert staffing_gaps(t, rules=rules).at[0, "annual_cost_per_hire"] == 104_400_000


@pytest.mark.parametrize("by", ["unit", "sector"])
def test_groups_with_equal_vacancies_keep_the_order_of_the_file(by):
    # 40 units listed from U39 down to U00 with 0, 1 or 2 vacancies: most vacancies first, and
    # among equals the order of the file (Python's sorted is stable: the definition)
    vacancies = [(i * 7) % 3 for i in range(40)]
    t = pd.DataFrame([row(f"U{39 - i:02d}", f"Đơn vị {39 - i}", f"Khối {39 - i}",
                          "civil_servant", "state_budget", v, 0, 0, M)
                      for i, v in enumerate(vacancies)])
    s = summarise(staffing_gaps(t), by)
    order = sorted(range(40), key=lambda i: -vacancies[i])
    key = "unit_id" if by == "unit" else "sector"
    expected = [f"U{39 - i:02d}" if by == "unit" else f"Khối {39 - i}" for i in order]
    assert s[key].tolist() == expected


def test_the_fill_rate_every_page_uses_is_staff_on_board_over_quota():
    # one definition (planner.domain.gaps): by hand, quota 10 + 0, 8 on staff, 1 leaving, 2 hires
    from planner.domain.gaps import overall_fill_rate, plan_fill_rates

    plan = pd.DataFrame({"quota": [6, 4, 0], "headcount": [5, 3, 0],
                         "expected_departures": [1, 0, 0], "hires": [1, 1, 0]})
    assert plan_fill_rates(plan) == (0.7, 0.9)
    assert overall_fill_rate(0, 0) is None and overall_fill_rate(0, 5) == 0.0
    unsolved = plan.assign(hires=pd.array([pd.NA] * 3, dtype="Int64"))
    assert plan_fill_rates(unsolved) == (0.7, None)

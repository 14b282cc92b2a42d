"""Cost of one hire and the gaps table, on cases checked by hand against DOMAIN.md."""

import math

import pandas as pd
import pytest

from planner.domain.gaps import GAP_COLUMNS, headline, staffing_gaps, summarise
from planner.domain.rules import CostRules
from planner.io.inputs import load_inputs


def positions(**overrides) -> pd.DataFrame:
    row = {
        "unit_id": "U1", "unit_name": "Sở Nội vụ", "position_id": "P1",
        "position_name": "Chuyên viên", "staff_type": "civil_servant",
        "funding_source": "state_budget", "sector": "", "grade": "", "quota": 10,
        "headcount": 7, "expected_departures": 1, "salary_coefficient": 2.34,
        "allowance_rate": 0.25, "annual_cost": float("nan"), "priority": 1.0,
        "min_hires": pd.NA, "max_hires": pd.NA, "source_row": 2,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_worked_check_from_domain_notes():
    # 12 × 2.34 × 2,340,000 × 1.575 ≈ 103.5 million VND (base salary from 1 Jul 2024)
    g = staffing_gaps(positions(), rules=CostRules(base_salary=2_340_000))
    assert g.at[0, "annual_cost_per_hire"] == round(12 * 2.34 * 2_340_000 * 1.575)
    assert 103.4e6 < g.at[0, "annual_cost_per_hire"] < 103.6e6
    # default base salary 2,530,000 (from 1 Jul 2026): about 111.9 million
    g = staffing_gaps(positions())
    assert 111.8e6 < g.at[0, "annual_cost_per_hire"] < 112.0e6


def test_public_employee_pays_unemployment_insurance_and_no_civil_service_allowance():
    g = staffing_gaps(positions(staff_type="public_employee", allowance_rate=0.0))
    # 1 + 0 allowance + 0.235 contributions + 0.10 bonus
    assert g.at[0, "annual_cost_per_hire"] == round(12 * 2_530_000 * 2.34 * 1.335)


def test_changed_rules_change_the_cost():
    rules = CostRules(base_salary=2_000_000, bonus_rate=0.0,
                      contribution_rates={"civil_servant": 0.2})
    g = staffing_gaps(positions(), rules=rules)
    assert g.at[0, "annual_cost_per_hire"] == round(12 * 2_000_000 * 2.34 * 1.45)


def test_annual_cost_overrides_the_formula():
    g = staffing_gaps(positions(annual_cost=90_000_000.0))
    assert g.at[0, "annual_cost_per_hire"] == 90_000_000


@pytest.mark.parametrize(
    ("quota", "headcount", "departures", "vacancies", "surplus"),
    [(10, 7, 1, 4, 0), (10, 10, 0, 0, 0), (10, 12, 1, 0, 1), (0, 0, 0, 0, 0), (5, 0, 0, 5, 0)],
)
def test_vacancies_and_surplus(quota, headcount, departures, vacancies, surplus):
    g = staffing_gaps(positions(quota=quota, headcount=headcount, expected_departures=departures))
    assert (g.at[0, "vacancies"], g.at[0, "surplus"]) == (vacancies, surplus)


def test_input_table_is_not_modified():
    p = positions()
    before = p.copy()
    staffing_gaps(p)
    pd.testing.assert_frame_equal(p, before)


def test_cost_rules_reject_bad_values():
    with pytest.raises(ValueError, match="base_salary"):
        CostRules(base_salary=0)
    with pytest.raises(ValueError, match="unknown staff type 'teacher'"):
        CostRules(contribution_rates={"teacher": 0.2})


@pytest.fixture(scope="module")
def sample_gaps():
    from planner.io.sample import SAMPLE_FILES

    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
    return staffing_gaps(inputs.positions)


def test_sample_gaps_columns_and_invariants(sample_gaps):
    assert set(GAP_COLUMNS) <= set(sample_gaps.columns)
    g = sample_gaps
    staying = g["headcount"] - g["expected_departures"]
    assert (g["vacancies"] - g["surplus"] == g["quota"] - staying).all()
    assert ((g["vacancies"] == 0) | (g["surplus"] == 0)).all()
    assert (g["annual_cost_per_hire"] > 0).all()


@pytest.mark.parametrize("by", ["unit", "sector", "staff_type", "funding_source"])
def test_summaries_add_up_to_the_detail(sample_gaps, by):
    s = summarise(sample_gaps, by)
    for col in ("quota", "headcount", "vacancies", "surplus"):
        assert s[col].sum() == sample_gaps[col].sum()
    assert s["rows"].sum() == len(sample_gaps)
    assert s["vacancies"].is_monotonic_decreasing


def test_headline_figures(sample_gaps):
    h = headline(sample_gaps)
    assert h["quota"] == sample_gaps["quota"].sum()
    assert h["vacancies"] == sample_gaps["vacancies"].sum()
    expected_cost = (sample_gaps["vacancies"] * sample_gaps["annual_cost_per_hire"]).sum()
    assert math.isclose(h["vacancy_cost"], expected_cost)
    assert set(h["vacancy_cost_by_source"]) == {"state_budget", "fee_revenue"}
    assert 0 < h["fill_rate"] < 1

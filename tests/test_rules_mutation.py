"""Every default cost rule, priced on a post of each staff type (issue 18).

Expected figures are worked by hand from /work/shared/DOMAIN.md "Cost of one hire":
annual cost = 12 × base salary × coefficient × (1 + allowance + contributions + bonus), with
base salary 2,530,000 VND (Decree 161/2026), the blank coefficient budgeted at chuyên viên A1
step 1 = 2.34 (Decree 204/2004), the civil-service allowance 25 % for civil servants only,
employer contributions 17.5 + 3 + 2 = 22.5 % for civil servants and + 1 % unemployment
insurance = 23.5 % for public employees and contract staff, and the bonus fund 10 %
(Decree 73/2024). The figures are typed out, not computed by the code under test.
"""

import math

import pytest
from helpers_inputs import csv_bytes, load

from planner.domain.gaps import staffing_gaps
from planner.domain.rules import FEE_REVENUE, STATE_BUDGET, CostRules, StaffType
from planner.domain.scenario import ScenarioError

HEADER = ["Tên đơn vị", "Vị trí việc làm", "Loại", "Nguồn kinh phí", "Biên chế được giao",
          "Số có mặt", "Hệ số lương"]

# 12 × 2,530,000 = 30,360,000; × 2.34 = 71,042,400 VND of grade salary a year
GRADE_SALARY_A1 = 71_042_400
# civil servant: × (1 + 0.25 + 0.225 + 0.10) = × 1.575
CIVIL_SERVANT_A1 = 111_891_780
# public employee and contract: × (1 + 0 + 0.235 + 0.10) = × 1.335
PUBLIC_EMPLOYEE_A1 = 94_841_604
CONTRACT_A1 = 94_841_604


def priced(rows, rules=None):
    """The cost per hire of posts read from a CSV typed with the coefficient left blank."""
    inputs = load(csv_bytes([HEADER, *rows]), name="chi_tieu.csv")
    return staffing_gaps(inputs.positions, rules=rules)


def test_the_worked_figures_are_right():
    # the hand figures above, checked once against their own arithmetic
    assert 12 * 2_530_000 == 30_360_000
    assert GRADE_SALARY_A1 == 30_360_000 * 234 // 100
    assert GRADE_SALARY_A1 * 1575 // 1000 == CIVIL_SERVANT_A1
    assert GRADE_SALARY_A1 * 1335 // 1000 == PUBLIC_EMPLOYEE_A1


@pytest.mark.parametrize(
    ("typed", "staff_type", "expected"),
    [
        ("công chức", "civil_servant", CIVIL_SERVANT_A1),
        ("viên chức", "public_employee", PUBLIC_EMPLOYEE_A1),
        ("hợp đồng", "contract", CONTRACT_A1),
        ("HĐ 68", "contract", CONTRACT_A1),
        ("", "civil_servant", CIVIL_SERVANT_A1),  # no staff type: a civil-servant post
    ],
)
def test_default_rules_price_a_post_of_each_staff_type(typed, staff_type, expected):
    g = priced([["Sở Nội vụ", "Chuyên viên", typed, "NSNN", 3, 1, ""]])
    assert g.at[0, "staff_type"] == staff_type
    assert g.at[0, "salary_coefficient"] == 2.34
    assert g.at[0, "annual_cost_per_hire"] == expected


def test_default_allowance_applies_per_staff_type_only():
    g = priced([["Sở Nội vụ", "Chuyên viên", "công chức", "NSNN", 3, 1, ""],
                ["Trường THPT A", "Giáo viên", "viên chức", "NSNN", 3, 1, ""],
                ["Sở Nội vụ", "Lái xe", "hợp đồng", "phí", 2, 0, ""]])
    assert g["allowance_rate"].tolist() == [0.25, 0.0, 0.0]
    assert g["annual_cost_per_hire"].tolist() == [CIVIL_SERVANT_A1, PUBLIC_EMPLOYEE_A1,
                                                  CONTRACT_A1]
    assert g["funding_source"].tolist() == ["state_budget", "state_budget", "fee_revenue"]


def test_a_typed_coefficient_and_allowance_win_over_the_defaults():
    # chuyên viên chính A2.1 = 4.40 with a 30 % teacher allowance typed in the file:
    # 30,360,000 × 4.40 × (1 + 0.30 + 0.235 + 0.10) = 133,584,000 × 1.635 = 218,409,840
    rows = [["Trường THPT A", "Giáo viên", "viên chức", "NSNN", 3, 1, "4,40", "30%"]]
    inputs = load(csv_bytes([[*HEADER, "Tỷ lệ phụ cấp"], *rows]), name="chi_tieu.csv")
    g = staffing_gaps(inputs.positions)
    assert g.at[0, "annual_cost_per_hire"] == 218_409_840


def test_contribution_rates_by_staff_type_are_the_legal_sums():
    rules = CostRules()
    assert dict(rules.contribution_rates) == {
        "civil_servant": pytest.approx(0.175 + 0.03 + 0.02),
        "public_employee": pytest.approx(0.175 + 0.03 + 0.02 + 0.01),
        "contract": pytest.approx(0.175 + 0.03 + 0.02 + 0.01),
    }
    assert rules.base_salary == 2_530_000
    assert rules.bonus_rate == pytest.approx(0.10)


def test_names_of_staff_types_and_funding_sources_are_the_data_contract_ids():
    # docs/data-contract.md: staff_type civil_servant | public_employee | contract,
    # funding_source state_budget | fee_revenue
    assert [t.value for t in StaffType] == ["civil_servant", "public_employee", "contract"]
    assert (STATE_BUDGET, FEE_REVENUE) == ("state_budget", "fee_revenue")


def test_overriding_one_contribution_rate_keeps_the_others():
    rules = CostRules(contribution_rates={"civil_servant": 0.2})
    assert dict(rules.contribution_rates) == {
        "civil_servant": 0.2, "public_employee": 0.235, "contract": 0.235}
    # a contract post under these rules: 71,042,400 × (1 + 0 + 0.235 + 0.10)
    g = priced([["Sở Nội vụ", "Lái xe", "hợp đồng", "phí", 2, 0, ""]], rules=rules)
    assert g.at[0, "annual_cost_per_hire"] == CONTRACT_A1


def test_changed_bonus_and_base_salary_price_every_staff_type():
    # base 2,340,000 (Decree 73/2024) and no bonus: 12 × 2,340,000 × 2.34 = 65,707,200
    rules = CostRules(base_salary=2_340_000, bonus_rate=0.0)
    g = priced([["Sở Nội vụ", "Chuyên viên", "công chức", "NSNN", 3, 1, ""],
                ["Sở Nội vụ", "Lái xe", "hợp đồng", "phí", 2, 0, ""]], rules=rules)
    # × 1.475 = 96,918,120; × 1.235 = 81,148,392
    assert g["annual_cost_per_hire"].tolist() == [96_918_120, 81_148_392]


@pytest.mark.parametrize("bonus_rate", [0, 0.10, 1])
def test_bonus_rates_from_zero_to_one_are_accepted(bonus_rate):
    assert CostRules(bonus_rate=bonus_rate).bonus_rate == bonus_rate


@pytest.mark.parametrize("bonus_rate", [-0.01, 1.01, 1.5, float("nan")])
def test_a_bonus_rate_outside_zero_to_one_is_rejected(bonus_rate):
    with pytest.raises(ValueError,
                       match=r"^bonus_rate must be between 0 and 1 \(e\.g\. 0\.5 for 50%\), got "):
        CostRules(bonus_rate=bonus_rate)


@pytest.mark.parametrize("rate", [0, 0.235, 1])
def test_contribution_rates_from_zero_to_one_are_accepted(rate):
    rules = CostRules(contribution_rates={"contract": rate})
    assert rules.contribution_rates["contract"] == rate


@pytest.mark.parametrize("rate", [-0.01, 1.01, 1.5, float("nan")])
def test_a_contribution_rate_outside_zero_to_one_is_rejected(rate):
    with pytest.raises(ValueError,
                       match=r"^contribution_rates\.contract must be between 0 and 1 "
                             r"\(e\.g\. 0\.5 for 50%\), got "):
        CostRules(contribution_rates={"contract": rate})


@pytest.mark.parametrize("base_salary", [1, 2_530_000])
def test_any_positive_base_salary_is_accepted(base_salary):
    assert CostRules(base_salary=base_salary).base_salary == base_salary


@pytest.mark.parametrize("base_salary", [0, -2_530_000, float("nan")])
def test_a_base_salary_not_above_zero_is_rejected(base_salary):
    with pytest.raises(ValueError, match=r"^base_salary must be a number above 0, got "):
        CostRules(base_salary=base_salary)


def test_an_unknown_staff_type_names_the_known_ones():
    with pytest.raises(ValueError) as err:
        CostRules(contribution_rates={"teacher": 0.2})
    assert str(err.value) == ("contribution_rates has unknown staff type 'teacher'; "
                              "expected one of civil_servant, public_employee, contract")


def test_rules_are_a_frozen_copy():
    given = {"civil_servant": 0.2}
    rules = CostRules(contribution_rates=given)
    given["civil_servant"] = 0.9
    assert rules.contribution_rates["civil_servant"] == 0.2
    with pytest.raises(TypeError):
        rules.contribution_rates["civil_servant"] = 0.9  # type: ignore[index]


# --- the default salary coefficient (issue 11 item 9: rows without one) ----------------------
# The rule: a row without a coefficient is costed at 2.34 for its staff type unless the
# scenario sets another; a coefficient is a number above 0 and at most 20 (the input tables'
# check). Written for the survivors of `make mutate MODULE=planner/domain/rules.py` after the
# default coefficients were added (95 mutants where there were 36).

THREE_TYPES = {"civil_servant", "public_employee", "contract"}


def test_every_staff_type_defaults_to_2_34_and_a_scenario_may_set_each():
    from planner.domain.rules import CostRules, default_coefficients

    assert default_coefficients({}) == dict.fromkeys(THREE_TYPES, 2.34)
    rules = CostRules(default_coefficients={"contract": 3.0})
    assert dict(rules.default_coefficients) == {"civil_servant": 2.34, "public_employee": 2.34,
                                                "contract": 3.0}
    with pytest.raises(TypeError):  # read-only once made
        rules.default_coefficients["contract"] = 1.0  # type: ignore[index]


@pytest.mark.parametrize("value", [0.01, 0.5, 1, 19.99, 20, 20.0])
def test_a_default_coefficient_above_0_and_at_most_20_is_taken(value):
    from planner.domain.rules import default_coefficients

    assert default_coefficients({"public_employee": value})["public_employee"] == value


@pytest.mark.parametrize("value", [0, 0.0, -1, 20.01, 20.1, "2.34", None, math.nan])
def test_a_default_coefficient_outside_0_to_20_or_not_a_number_is_refused(value):
    from planner.domain.rules import default_coefficients

    with pytest.raises(ScenarioError) as caught:
        default_coefficients({"public_employee": value})
    exc = caught.value
    assert exc.code == "coefficient"
    assert exc.params["parameter"] == "default_coefficient.public_employee"
    assert exc.params["most"] == "20"
    shown = exc.params["value"]
    assert shown is value or (isinstance(value, float) and math.isnan(value) and shown != shown)


def test_an_unknown_staff_type_s_default_coefficient_is_refused_naming_it():
    from planner.domain.rules import default_coefficients

    with pytest.raises(ScenarioError) as caught:
        default_coefficients({"teacher": 2.34})
    exc = caught.value
    assert exc.code == "unknown_staff_type"
    assert exc.params["parameter"] == "default_coefficient"
    assert exc.params["value"] == "teacher"
    assert set(exc.params["known"].split(", ")) == THREE_TYPES
    assert "teacher" in exc.render("vi") and "teacher" in exc.render("en")

"""Cost rules and their legal sources: the one place where default figures live.

Every figure here is a parameter a user can override (CLI flags, scenario file, the app).
Sources are cited as in README ("Cost rules and their sources"); "(unverified)" marks background
knowledge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from planner.domain.parameters import ScenarioError, check_positive, check_share, is_number


class StaffType(StrEnum):
    CIVIL_SERVANT = "civil_servant"  # công chức (state agencies)
    PUBLIC_EMPLOYEE = "public_employee"  # viên chức (schools, hospitals, service units)
    CONTRACT = "contract"  # hợp đồng hỗ trợ, phục vụ (Decree 68/2000, Decree 111/2022)


STATE_BUDGET = "state_budget"  # ngân sách nhà nước (NSNN)
FEE_REVENUE = "fee_revenue"  # phí, lệ phí được để lại

#: Base salary (lương cơ sở), VND per month. 1,490,000 from 1 Jul 2019; 1,800,000 from
#: 1 Jul 2023; 2,340,000 from 1 Jul 2024 (Decree 73/2024); 2,530,000 from 1 Jul 2026
#: (Decree 161/2026).
BASE_SALARY_VND = 2_530_000

#: Employer contributions as a share of salary: social insurance 17.5 %, health insurance 3 %,
#: trade union 2 %, plus unemployment insurance 1 % for public employees and contract staff.
CONTRIBUTION_RATES: Mapping[str, float] = MappingProxyType(
    {
        StaffType.CIVIL_SERVANT: 0.225,
        StaffType.PUBLIC_EMPLOYEE: 0.235,
        StaffType.CONTRACT: 0.235,
    }
)

#: Bonus fund: 10 % of the grade-salary fund from 1 Jul 2024 (Decree 73/2024, art. 4).
BONUS_RATE = 0.10

#: Allowances as a share of salary when the data carry none: the civil-service allowance
#: (phụ cấp công vụ) of 25 % for civil servants. Occupational allowances of teachers
#: (30–50 %) and health workers (20–70 %) vary by post (unverified): the data should carry them.
DEFAULT_ALLOWANCE_RATES: Mapping[str, float] = MappingProxyType(
    {
        StaffType.CIVIL_SERVANT: 0.25,
        StaffType.PUBLIC_EMPLOYEE: 0.0,
        StaffType.CONTRACT: 0.0,
    }
)

#: Vacant quota is budgeted at the chuyên viên (A1) step-1 coefficient when no grade is known
#: (Decree 204/2004 table; finance rules on budgeting vacant posts).
DEFAULT_SALARY_COEFFICIENT = 2.34

#: The coefficient a row without one is costed at, per staff type (a scenario may set each:
#: ``default_coefficient``). 2.34 for every type unless the scenario says otherwise.
DEFAULT_SALARY_COEFFICIENTS: Mapping[str, float] = MappingProxyType(
    {s.value: DEFAULT_SALARY_COEFFICIENT for s in StaffType}
)
#: The range a salary coefficient may take (the input tables' check: above 0, at most 20).
MAX_SALARY_COEFFICIENT = 20.0

MONTHS_PER_YEAR = 12


@dataclass(frozen=True, kw_only=True)
class CostRules:
    """How one hire is costed per year.

    annual cost = 12 × base_salary × salary_coefficient
                  × (1 + allowance_rate + contribution_rate[staff_type] + bonus_rate)

    A row without a salary coefficient is costed at ``default_coefficients[staff_type]``.
    """

    base_salary: float = BASE_SALARY_VND
    contribution_rates: Mapping[str, float] = field(
        default_factory=lambda: dict(CONTRIBUTION_RATES)
    )
    bonus_rate: float = BONUS_RATE
    default_coefficients: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_SALARY_COEFFICIENTS)
    )

    def __post_init__(self) -> None:
        check_positive("base_salary", self.base_salary)
        check_share("bonus_rate", self.bonus_rate)
        rates = {str(k): v for k, v in self.contribution_rates.items()}
        for staff_type in StaffType:
            rates.setdefault(staff_type.value, CONTRIBUTION_RATES[staff_type])
        for key, rate in rates.items():
            if key not in StaffType._value2member_map_:
                raise ScenarioError("unknown_staff_type", parameter="contribution_rates",
                                    value=key, known=", ".join(StaffType))
            rates[key] = check_share(f"contribution_rates.{key}", rate)
        object.__setattr__(self, "contribution_rates", MappingProxyType(rates))
        object.__setattr__(self, "default_coefficients",
                           MappingProxyType(default_coefficients(self.default_coefficients)))


def default_coefficients(given: Mapping[str, object]) -> dict[str, float]:
    """Every staff type's default coefficient: ``given`` over 2.34. Raises ScenarioError naming
    the staff type when one is unknown or its value is not a number above 0 and at most 20."""
    out = dict(DEFAULT_SALARY_COEFFICIENTS)
    for key, value in given.items():
        key = str(key)
        if key not in StaffType._value2member_map_:
            raise ScenarioError("unknown_staff_type", parameter="default_coefficient",
                                value=key, known=", ".join(StaffType))
        if not (is_number(value) and 0 < float(value) <= MAX_SALARY_COEFFICIENT):
            raise ScenarioError("coefficient", parameter=f"default_coefficient.{key}",
                                value=value, most=f"{MAX_SALARY_COEFFICIENT:g}")
        out[key] = float(value)
    return out

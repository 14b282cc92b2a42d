"""Staffing gaps and the cost of one hire, per (unit, position) and by group.

vacancies = max(0, quota − headcount + expected_departures)
surplus   = max(0, headcount − expected_departures − quota)
annual_cost_per_hire = annual_cost if given, else
    12 × base_salary × salary_coefficient × (1 + allowance_rate + contribution_rate + bonus_rate)
    where a row without a salary coefficient takes the scenario's default for its staff type
    (``default_coefficient``, 2.34 unless set); the gaps table shows the coefficient used and
    ``coefficient_defaulted`` marks such rows.

The quota is assigned to a unit as a whole, per staff type (civil-service quota under Decree
62/2020, public-employee numbers under Decree 106/2020, contract posts on their own); job positions
describe its structure inside it, and recruitment is only into unused quota. So per (unit, staff
type), with V and S the sums of its positions' vacancies and surplus:

hireable     = max(0, Σ quota − Σ staying) = max(0, V − S)   posts it may recruit into
redeployable = min(V, S)                                    vacant posts to fill by moving its own
                                                            surplus staff (điều chuyển nội bộ)
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np
import pandas as pd

from planner.domain.rules import MONTHS_PER_YEAR, CostRules

#: The columns of the gaps table the CLI writes, in order.
GAP_COLUMNS = [
    "unit_id", "unit_name", "position_id", "position_name", "staff_type", "funding_source",
    "quota", "headcount", "expected_departures", "vacancies", "surplus", "annual_cost_per_hire",
]
GROUPS = ("unit", "sector", "staff_type", "funding_source")
#: The keys a quota is assigned on: one ceiling per (unit, staff type).
QUOTA_KEYS = ["unit_id", "staff_type"]
QUOTA_ROOM_COLUMNS = [*QUOTA_KEYS, "quota", "staying", "vacancies", "surplus", "hireable",
                      "redeployable"]


def annual_cost_per_hire(positions: pd.DataFrame, rules: CostRules) -> pd.Series:
    """VND per hire per year for every row (the row's own annual_cost wins when given)."""
    contribution = positions["staff_type"].map(rules.contribution_rates).fillna(0.0)
    formula = (
        MONTHS_PER_YEAR
        * rules.base_salary
        * salary_coefficient(positions, rules)
        * (1 + positions["allowance_rate"] + contribution + rules.bonus_rate)
    )
    return positions["annual_cost"].fillna(formula).round(0)


def salary_coefficient(positions: pd.DataFrame, rules: CostRules) -> pd.Series:
    """Each row's coefficient: its own, else the default of its staff type (rules)."""
    default = positions["staff_type"].map(rules.default_coefficients).astype("float64")
    return positions["salary_coefficient"].astype("float64").fillna(default)


def coefficient_defaulted(positions: pd.DataFrame) -> pd.Series:
    """Rows costed at a default coefficient: neither a coefficient nor an annual cost given."""
    return (positions["salary_coefficient"].isna() & positions["annual_cost"].isna()).astype(bool)


def staffing_gaps(positions: pd.DataFrame, *, rules: CostRules | None = None) -> pd.DataFrame:
    """The gaps table: every input column plus vacancies, surplus and annual_cost_per_hire.

    ``positions`` is :attr:`planner.io.inputs.Inputs.positions`. The input is not modified.
    """
    rules = rules or CostRules()
    staying = positions["headcount"] - positions["expected_departures"]
    out = positions.copy()
    out["vacancies"] = (positions["quota"] - staying).clip(lower=0).astype("int64")
    out["surplus"] = (staying - positions["quota"]).clip(lower=0).astype("int64")
    out["annual_cost_per_hire"] = annual_cost_per_hire(positions, rules)
    defaulted = coefficient_defaulted(positions)
    out["coefficient_defaulted"] = defaulted
    out["salary_coefficient"] = positions["salary_coefficient"].astype("float64").where(
        ~defaulted, salary_coefficient(positions, rules))
    return out


def quota_room(gaps: pd.DataFrame) -> pd.DataFrame:
    """One row per (unit, staff type) in order of first appearance: its quota, staff staying,
    the sums of its positions' vacancies and surplus, and from them what it may hire and what
    it should fill by redeployment (module docstring). A table without staff_type is one
    staff type."""
    keys = _quota_keys(gaps)
    staying = gaps["headcount"] - gaps["expected_departures"]
    out = (gaps.assign(staff_type=keys["staff_type"], staying=staying,
                       surplus=(staying - gaps["quota"]).clip(lower=0))
           .groupby(QUOTA_KEYS, sort=False, dropna=False)
           .agg(quota=("quota", "sum"), staying=("staying", "sum"),
                vacancies=("vacancies", "sum"), surplus=("surplus", "sum"))
           .reset_index())
    out["hireable"] = (out["quota"] - out["staying"]).clip(lower=0).astype("int64")
    out["redeployable"] = out[["vacancies", "surplus"]].min(axis=1).astype("int64")
    return out[QUOTA_ROOM_COLUMNS]


def quota_group(gaps: pd.DataFrame) -> np.ndarray:
    """Row → index of its (unit, staff type) in :func:`quota_room`'s order."""
    codes, _ = pd.MultiIndex.from_frame(_quota_keys(gaps)).factorize()
    return np.asarray(codes, dtype=np.int64)


def _quota_keys(gaps: pd.DataFrame) -> pd.DataFrame:
    staff_type = gaps["staff_type"].fillna("") if "staff_type" in gaps else ""
    return pd.DataFrame({"unit_id": gaps["unit_id"], "staff_type": staff_type},
                        index=gaps.index)


def summarise(gaps: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per group (unit, sector, staff_type or funding_source) with totals.

    Columns: the group key(s), rows, quota, headcount, expected_departures, vacancies, surplus,
    vacancy_cost (cost of filling every vacancy for a year) and fill_rate (on board ÷ quota);
    by unit also redeployable (vacant posts its own surplus staff could fill, :func:`quota_room`).
    """
    if by not in GROUPS:
        raise ValueError(f"cannot group by {by!r}; expected one of {', '.join(GROUPS)}")
    keys = ["unit_id", "unit_name"] if by == "unit" else [by]
    g = gaps.assign(vacancy_cost=gaps["vacancies"] * gaps["annual_cost_per_hire"])
    out = (
        g.groupby(keys, sort=False, dropna=False)
        .agg(rows=("quota", "size"), quota=("quota", "sum"), headcount=("headcount", "sum"),
             expected_departures=("expected_departures", "sum"), vacancies=("vacancies", "sum"),
             surplus=("surplus", "sum"), vacancy_cost=("vacancy_cost", "sum"))
        .reset_index()
    )
    out["fill_rate"] = fill_rate(out["headcount"] - out["expected_departures"], out["quota"])
    if by == "unit":
        moved = quota_room(gaps).groupby("unit_id", sort=False)["redeployable"].sum()
        out["redeployable"] = out["unit_id"].map(moved).fillna(0).astype("int64")
    return out.sort_values("vacancies", ascending=False, kind="stable").reset_index(drop=True)


def fill_rate(staff: pd.Series, quota: pd.Series) -> pd.Series:
    """Staff ÷ quota; above 1 where there is surplus, NaN where the quota is 0."""
    return (staff / quota.where(quota > 0)).astype("float64")


def overall_fill_rate(staff: float, quota: float) -> float | None:
    """The fill rate of a whole table (province, unit, plan): staff on board ÷ quota, the
    definition every page, export and comparison uses; None where the quota is 0."""
    return float(staff) / float(quota) if quota > 0 else None


def plan_fill_rates(plan: pd.DataFrame) -> tuple[float | None, float | None]:
    """A plan's fill rate before and after its hires: (headcount − expected departures) ÷
    quota, then with the hires added (after is None while the plan has no hires figure)."""
    quota = float(plan["quota"].sum())
    staying = float(plan["headcount"].sum() - plan["expected_departures"].sum())
    hires = plan["hires"]
    before = overall_fill_rate(staying, quota)
    if hires.isna().any():
        return before, None
    return before, overall_fill_rate(staying + float(hires.sum()), quota)


class Headline(TypedDict):
    """The province's figures (:func:`headline`)."""

    units: int
    positions: int
    quota: int
    headcount: int
    expected_departures: int
    vacancies: int
    surplus: int
    redeployable: int
    fill_rate: float | None
    vacancy_cost_by_source: dict[str, float]
    vacancy_cost: float


def headline(gaps: pd.DataFrame) -> Headline:
    """The figures an officer reads first: totals, fill rate, cost of filling every vacancy."""
    staff = int(gaps["headcount"].sum() - gaps["expected_departures"].sum())
    quota = int(gaps["quota"].sum())
    cost = (gaps["vacancies"] * gaps["annual_cost_per_hire"]).groupby(gaps["funding_source"]).sum()
    return {
        "units": int(gaps["unit_id"].nunique()),
        "positions": len(gaps),
        "quota": quota,
        "headcount": int(gaps["headcount"].sum()),
        "expected_departures": int(gaps["expected_departures"].sum()),
        "vacancies": int(gaps["vacancies"].sum()),
        "surplus": int(gaps["surplus"].sum()),
        "redeployable": int(quota_room(gaps)["redeployable"].sum()),
        "fill_rate": overall_fill_rate(staff, quota),
        "vacancy_cost_by_source": {str(k): float(v) for k, v in cost.items()},
        "vacancy_cost": float(cost.sum()),
    }

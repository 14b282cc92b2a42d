"""Synthetic allocation instances at three scales, for the benchmark and the tests.

Nothing here is real data. An instance looks like the planner's own inputs after
:func:`planner.domain.gaps.staffing_gaps`: one row per (unit, position) with vacancies and the cost
of
one hire, a units table with per-unit minimum fill (about a third of the units), recruitment
caps and a few unit budget caps, and two funding sources (state budget and retained fees)
whose budgets bind: each covers well under the cost of filling every vacancy.

Scales: ``province`` (~6,000 rows, ~1,000 units), ``large`` (~60,000 rows: a large province
or a ministry) and ``country`` (~300,000 rows). Generation is vectorised and seeded, so the
same ``(scale, seed)`` always gives the same instance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.domain.gaps import staffing_gaps
from planner.domain.rules import FEE_REVENUE, STATE_BUDGET, CostRules
from planner.io.inputs import POSITION_COLUMNS, UNIT_COLUMNS

SCALES: dict[str, int] = {"province": 6_000, "large": 60_000, "country": 300_000}

#: Share of the vacancy cost of each source that its budget covers (so the budgets bind).
BUDGET_SHARES = {STATE_BUDGET: 0.45, FEE_REVENUE: 0.40}

_COEFFICIENTS = np.array([1.86, 2.06, 2.10, 2.34, 2.67, 3.00, 3.33, 4.00, 4.40])
_COEF_WEIGHTS = np.array([0.12, 0.05, 0.15, 0.40, 0.10, 0.06, 0.04, 0.04, 0.04])
_SECTORS = np.array(["admin", "education", "health", "fee_office"])
_SECTOR_WEIGHTS = np.array([0.25, 0.45, 0.20, 0.10])


@dataclass(frozen=True)
class SyntheticInstance:
    """An instance: the gaps table, the units table and budgets per funding source."""

    scale: str
    gaps: pd.DataFrame
    units: pd.DataFrame
    budgets: dict[str, float]

    @property
    def rows(self) -> int:
        return len(self.gaps)


def synthetic_instance(scale: str | int = "province", *, seed: int = 0,
                       budget_shares: dict[str, float] | None = None,
                       min_fill_share: float = 0.33) -> SyntheticInstance:
    """A seeded instance of ``scale`` ("province", "large", "country" or a row count)."""
    if isinstance(scale, str):
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)} "
                             "or a number of rows")
        n_rows, name = SCALES[scale], scale
    else:
        n_rows, name = int(scale), f"{int(scale)}_rows"
    if n_rows < 1:
        raise ValueError(f"an instance needs at least one row, got {n_rows}")
    rng = np.random.default_rng(seed)
    positions, units = _positions(rng, n_rows, min_fill_share)
    gaps = staffing_gaps(positions, rules=CostRules())
    shares = budget_shares or BUDGET_SHARES
    need = (gaps["vacancies"] * gaps["annual_cost_per_hire"]).groupby(gaps["funding_source"]).sum()
    budgets = {src: float(round(need[src] * share, -6)) for src, share in shares.items()
               if src in need.index}
    return SyntheticInstance(scale=name, gaps=gaps, units=units, budgets=budgets)


def _positions(rng: np.random.Generator, n_rows: int,
               min_fill_share: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    sizes = rng.integers(2, 11, size=n_rows // 2 + 1)  # rows per unit, mean 6
    ends = np.cumsum(sizes)
    n_units = int(np.searchsorted(ends, n_rows) + 1)
    sizes = sizes[:n_units].copy()
    sizes[-1] -= int(ends[n_units - 1] - n_rows)
    unit = np.repeat(np.arange(n_units), sizes)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    slot = np.arange(n_rows) - np.repeat(first, sizes)

    unit_sector = rng.choice(_SECTORS, size=n_units, p=_SECTOR_WEIGHTS)
    sector = unit_sector[unit]
    # fee offices and some admin units have contract posts paid from retained fees
    contract = ((sector == "fee_office") & (slot > 0)) | (
        (sector == "admin") & (slot >= 4) & (rng.random(n_rows) < 0.5))
    staff_type = np.where(contract, "contract",
                          np.where(sector == "admin", "civil_servant", "public_employee"))
    staff_type = np.where(sector == "fee_office", np.where(slot == 0, "civil_servant",
                                                           "contract"), staff_type)
    source = np.where(staff_type == "contract", FEE_REVENUE, STATE_BUDGET)
    coefficient = rng.choice(_COEFFICIENTS, size=n_rows, p=_COEF_WEIGHTS)
    coefficient = np.where(staff_type == "contract", np.minimum(coefficient, 2.34), coefficient)
    allowance = np.select(
        [staff_type == "civil_servant", sector == "education", sector == "health"],
        [np.full(n_rows, 0.25), rng.choice([0.30, 0.35, 0.50], size=n_rows),
         rng.choice([0.20, 0.30, 0.40, 0.70], size=n_rows)], default=0.0)
    quota = np.where(sector == "education", rng.integers(4, 60, n_rows),
                     rng.integers(1, 25, n_rows))
    vacancy_share = np.where(sector == "education", rng.uniform(0, 0.30, n_rows),
                             rng.uniform(0, 0.15, n_rows))
    headcount = np.rint(quota * (1 - vacancy_share)).astype(np.int64)
    headcount = np.where(rng.random(n_rows) < 0.03, quota + 1, headcount)  # a few surplus rows
    departures = rng.binomial(headcount, 0.03)
    priority = rng.choice([1.0, 2.0, 3.0], size=n_rows, p=[0.6, 0.3, 0.1])
    priority = np.where((sector == "health") & (slot == 0), 3.0, priority)

    unit_ids = np.char.add("U", np.char.zfill(np.arange(1, n_units + 1).astype(str), 6))
    row_unit_ids = unit_ids[unit]
    positions = pd.DataFrame({
        "unit_id": row_unit_ids,
        "unit_name": np.char.add("Đơn vị ", row_unit_ids),
        "position_id": np.char.add(np.char.add(row_unit_ids, "-"),
                                   np.char.zfill(slot.astype(str), 2)),
        "position_name": np.char.add("Vị trí ", slot.astype(str)),
        "staff_type": staff_type,
        "funding_source": source,
        "sector": sector,
        "grade": "",
        "quota": quota.astype(np.int64),
        "headcount": headcount.astype(np.int64),
        "expected_departures": departures.astype(np.int64),
        "salary_coefficient": coefficient,
        "allowance_rate": allowance,
        "annual_cost": np.nan,
        "priority": priority,
        "min_hires": pd.array([pd.NA] * n_rows, dtype="Int64"),
        "max_hires": pd.array([pd.NA] * n_rows, dtype="Int64"),
        "source_row": np.arange(2, n_rows + 2),
    })[POSITION_COLUMNS]
    for col in ("unit_id", "unit_name", "position_id", "position_name", "staff_type",
                "funding_source", "sector", "grade"):
        positions[col] = positions[col].astype("str")

    min_fill = np.where(rng.random(n_units) < min_fill_share,
                        rng.choice([0.3, 0.4, 0.5, 0.6], size=n_units), np.nan)
    # recruitment capacity: some units can run only a few hires a year (never below their minimum)
    unit_vacancies = np.bincount(unit, weights=np.maximum(
        0, quota - headcount + departures), minlength=n_units)
    required = np.floor(np.nan_to_num(min_fill) * unit_vacancies + 1e-9)
    max_hires = np.where(rng.random(n_units) < 0.15,
                         np.maximum(rng.integers(3, 12, n_units), required), -1).astype(np.int64)
    units = pd.DataFrame({
        "unit_id": unit_ids.astype(str),
        "unit_name": np.char.add("Đơn vị ", unit_ids).astype(str),
        "max_hires": pd.array([None if v < 0 else v for v in max_hires.tolist()], dtype="Int64"),
        "budget_cap": np.nan,
        "min_fill": min_fill,
    })[UNIT_COLUMNS]
    # a few units have their own salary-fund ceiling, generous enough for their minimum
    vac_cost = _unit_vacancy_cost(positions)
    capped = rng.random(n_units) < 0.05
    units.loc[capped, "budget_cap"] = np.round(vac_cost[capped] * 0.7, -6)
    return positions, units


def _unit_vacancy_cost(positions: pd.DataFrame) -> np.ndarray:
    g = staffing_gaps(positions)
    cost = (g["vacancies"] * g["annual_cost_per_hire"]).groupby(g["unit_id"], sort=True).sum()
    return cost.to_numpy()

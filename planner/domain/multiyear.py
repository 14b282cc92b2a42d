"""The multi-year staffing plan's rules (issue 15): its settings, the quota path, the cut rule
and the departures per year. Pure functions on arrays and tables: the year columns are read
by :mod:`planner.io.multiyear`, the plan is solved by :mod:`planner.optimise.multiyear`, the
retirement ages are :mod:`planner.domain.retirement`.

**Quota path.** Per row (unit × position) and year: the year's own quota column
(``quota_<year>``, "Biên chế giao năm 2027", "Chỉ tiêu năm 2027") wins; a year without one
keeps the previous year's quota; the plain ``quota`` stands for the years before the first
year column (today's quota). Or a **cut rule** (:class:`QuotaCut`): a share of the quota of
some staff types removed by a year, in equal steps from the first plan year, per (unit, staff
type) group, sectors exempt. A group's cut in year y is ⌊Q_g × rate × k_y / K⌋ posts (k_y the
step of year y, K the steps to the target year): rounded down, so no unit is cut by more than
the rule. It is shared among the group's rows in proportion to their quotas by the largest
remainder (Hamilton's method: each row its whole share, the posts left one each to the rows
with the largest fractional parts, ties to the earlier row).

**Departures per year.** A year's ``departures_<year>`` column ("Dự kiến nghỉ năm 2027") wins
where its cell is filled;
else the roster's count for that year (:mod:`planner.io.roster`); else, in the first year only,
the plain ``expected_departures``; plus the attrition rate of the row's staff type × the staff
left with no hiring at the start of the year, rounded half up. Departures never take the stock
below 0.

**Money.** Budgets per funding source per year (``SOURCE=VND`` each year, ``SOURCE@YEAR=VND``
one year); a hire costs the one-year cost rules at that year's base salary, every year from
the year it joins.

**Surplus.** The plan never fires anyone: where departures do not bring a (unit, staff type)
down to its quota path, the number to streamline (số người cần tinh giản) per unit and year
is reported, and its payouts when the scenario gives an amount per leaver.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.domain.gaps import quota_group
from planner.domain.parameters import ScenarioError, is_number
from planner.domain.rules import StaffType
from planner.domain.text import fold

PLAN_COLUMNS = ["unit_id", "unit_name", "position_id", "position_name", "staff_type",
                "funding_source", "year", "quota", "on_board_start", "departures", "hires",
                "on_board_end", "vacancies_end", "surplus_end", "salary_cost"]


MAX_YEARS = 30
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a plan may name
_STAFF_TYPES = tuple(sorted(t.value for t in StaffType))


def _known_types() -> str:
    return ", ".join(_STAFF_TYPES)


def is_year(v: object) -> bool:
    """A whole year from 2000 to 2100 (not a bool, not text)."""
    return isinstance(v, int | np.integer) and not isinstance(v, bool) \
        and FIRST_YEAR <= int(v) <= LAST_YEAR


@dataclass(frozen=True, kw_only=True)
class QuotaCut:
    """Cut ``rate`` of the quota of ``staff_types`` by ``by_year``, in equal yearly steps."""

    rate: float
    by_year: int
    staff_types: tuple[str, ...] = (StaffType.CIVIL_SERVANT.value,)
    exempt_sectors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (is_number(self.rate) and 0 <= self.rate <= 1):
            raise ScenarioError("multiyear.cut_rate", value=self.rate)
        if not is_year(self.by_year):
            raise ScenarioError("multiyear.cut_year", value=self.by_year)
        for t in self.staff_types:
            if t not in _STAFF_TYPES:
                raise ScenarioError("multiyear.cut_staff_type", value=t, known=_known_types())


@dataclass(frozen=True, kw_only=True)
class MultiYearSettings:
    """What a multi-year plan adds to a :class:`planner.domain.scenario.Scenario`. Every
    refusal is a :class:`ScenarioError` coded in the ``[param.multiyear]`` table of the
    catalogues, naming the year, the funding source or staff type and the value."""

    years: tuple[int, ...]
    budgets_by_year: Mapping[tuple[str, int], float] = field(default_factory=dict)
    base_salary_by_year: Mapping[int, float] = field(default_factory=dict)
    quota_cut: QuotaCut | None = None
    attrition: Mapping[str, float] = field(default_factory=dict)
    target_year: int | None = None  # min_cost: the year every unit reaches target_fill
    payout_per_leaver: Mapping[str, float] = field(default_factory=dict)  # per staff type

    def __post_init__(self) -> None:
        ys = self.years
        if not ys or not all(is_year(y) for y in ys) or \
                list(ys) != list(range(ys[0], ys[0] + len(ys))) or len(ys) > MAX_YEARS:
            raise ScenarioError("multiyear.years", most=MAX_YEARS, value=ys)
        first, last = str(ys[0]), str(ys[-1])
        for (source, year), amount in self.budgets_by_year.items():
            if year not in ys:
                raise ScenarioError("multiyear.budget_year", source=source, value=year,
                                    first=first, last=last)
            if not (is_number(amount) and amount >= 0):
                raise ScenarioError("multiyear.budget_amount", source=source, year=str(year),
                                    value=amount)
        for year, amount in self.base_salary_by_year.items():
            if year not in ys:
                raise ScenarioError("multiyear.salary_year", value=year, first=first,
                                    last=last)
            if not (is_number(amount) and amount > 0):
                raise ScenarioError("multiyear.salary_amount", year=str(year), value=amount)
        for t, rate in self.attrition.items():
            if t not in _STAFF_TYPES:
                raise ScenarioError("multiyear.attrition_type", value=t, known=_known_types())
            if not (is_number(rate) and 0 <= rate <= 1):
                raise ScenarioError("multiyear.attrition_rate", staff_type=t, value=rate)
        for t, amount in self.payout_per_leaver.items():
            if t not in _STAFF_TYPES:
                raise ScenarioError("multiyear.payout_type", value=t, known=_known_types())
            if not (is_number(amount) and amount >= 0):
                raise ScenarioError("multiyear.payout_amount", staff_type=t, value=amount)
        if self.target_year is not None and self.target_year not in ys:
            raise ScenarioError("multiyear.target_year", value=self.target_year,
                                first=first, last=last)


def parse_years(text: object) -> tuple[int, ...]:
    """"2026-2030" (or "2026–2030", "2026..2030", "2027") → the years."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4}))?\s*", str(text))
    if not m:
        raise ScenarioError("multiyear.years_text", value=text)
    first = int(m.group(1))
    last = int(m.group(2) or first)
    if last < first or last - first + 1 > MAX_YEARS or first < FIRST_YEAR \
            or last > LAST_YEAR:
        raise ScenarioError("multiyear.years_order", most=MAX_YEARS, value=text)
    return tuple(range(first, last + 1))


# --- the per-year data --------------------------------------------------------------------

def quota_path(base: np.ndarray, columns: Mapping[int, np.ndarray],
               years: tuple[int, ...]) -> np.ndarray:
    """n × T quotas: a year's own column, else the previous year's, the plain one before the
    first column. A row with no figure in a year's column (NaN: the reader refuses a blank
    quota cell, so a row the file lacks) keeps its previous quota, as a year without a column
    does, never a quota of 0."""
    out = np.zeros((len(base), len(years)))
    current = np.asarray(base, dtype=float)
    for y in sorted(y for y in columns if y < years[0]):
        current = _given(columns[y], current)
    for k, y in enumerate(years):
        if y in columns:
            current = _given(columns[y], current)
        out[:, k] = current
    return out


def _given(column: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """A year column's figures where given, ``previous`` where the cell is blank (NaN)."""
    column = np.asarray(column, dtype=float)
    return np.where(np.isnan(column), previous, column)


def largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """``total`` whole units shared in proportion to ``weights`` (Hamilton's method: whole
    shares, then one each to the largest fractional parts, ties to the earlier)."""
    weights = np.asarray(weights, dtype=float)
    s = weights.sum()
    if total <= 0 or s <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = weights * total / s
    whole = np.floor(exact + 1e-9).astype(np.int64)
    left = int(total - whole.sum())
    if left > 0:
        order = np.lexsort((np.arange(len(weights)), -(exact - whole)))
        whole[order[:left]] += 1
    return np.asarray(whole, dtype=np.int64)


def cut_path(positions: pd.DataFrame, years: tuple[int, ...], cut: QuotaCut) -> np.ndarray:
    """n × T quotas under the cut rule (see the module's doc)."""
    base = positions["quota"].to_numpy(dtype=float)
    out = np.repeat(base[:, None], len(years), axis=1)
    steps = cut.by_year - years[0] + 1
    if steps <= 0:
        steps = 1
    exempt = [fold(s) for s in cut.exempt_sectors]
    sector = positions.get("sector", pd.Series("", index=positions.index)).fillna("").map(fold)
    covered = positions["staff_type"].isin(cut.staff_types).to_numpy() & ~sector.map(
        lambda s: any(e and e in s for e in exempt)).to_numpy(dtype=bool)
    groups = quota_group(positions)
    for g in np.unique(groups[covered]):
        rows = np.flatnonzero((groups == g) & covered)
        q = base[rows]
        for k, _y in enumerate(years):
            share = cut.rate * min(k + 1, steps) / steps
            posts = math.floor(q.sum() * share + 1e-9)
            out[rows, k] = q - largest_remainder(q, posts)
    return out


def departures_path(positions: pd.DataFrame, years: tuple[int, ...], *,
                    columns: Mapping[int, np.ndarray], roster: pd.DataFrame | None,
                    plain: bool, attrition: Mapping[str, float]) -> np.ndarray:
    """n × T departures (see the module's doc); never more than the stock left."""
    n, T = len(positions), len(years)
    out = np.zeros((n, T))
    if roster is not None and len(roster):
        key = positions["unit_id"] + "\x1f" + positions["position_id"]
        rk = roster["unit_id"] + "\x1f" + roster["position_id"]
        for k, y in enumerate(years):
            sub = roster[roster["year"] == y]
            counts = pd.Series(sub["departures"].to_numpy(), index=rk[sub.index].to_numpy())
            out[:, k] = key.map(counts.groupby(level=0).sum()).fillna(0).to_numpy()
    elif plain:
        out[:, 0] = positions["expected_departures"].to_numpy(dtype=float)
    for k, y in enumerate(years):
        if y in columns:  # a blank cell (NaN) gives no figure: the roster's count, or none
            out[:, k] = _given(columns[y], out[:, k])
    rate = positions["staff_type"].map(dict(attrition)).fillna(0.0).to_numpy(dtype=float)
    stock = positions["headcount"].to_numpy(dtype=float)
    for k in range(T):
        if rate.any():
            out[:, k] += np.floor(rate * np.maximum(stock - out[:, k], 0) + 0.5)
        out[:, k] = np.minimum(out[:, k], np.maximum(stock, 0))
        stock = stock - out[:, k]
    return out



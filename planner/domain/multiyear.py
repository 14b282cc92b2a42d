"""The multi-year staffing plan (issue 15): the data per year and the plan built from it.

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

**Departures per year.** A year's ``departures_<year>`` column ("Dự kiến nghỉ năm 2027") wins;
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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.domain import columns as C
from planner.domain.gaps import annual_cost_per_hire, quota_group
from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity
from planner.domain.rules import CostRules, StaffType
from planner.domain.scenario import Objective, Scenario, ScenarioError
from planner.domain.text import fold
from planner.io.inputs import Inputs, load_inputs
from planner.io.sources import SourceFile, read_sheets
from planner.io.tables import load_table
from planner.optimise.model_multiyear import MultiYearMip, MultiYearResult, solve_multiyear

PLAN_COLUMNS = ["unit_id", "unit_name", "position_id", "position_name", "staff_type",
                "funding_source", "year", "quota", "on_board_start", "departures", "hires",
                "on_board_end", "vacancies_end", "surplus_end", "salary_cost"]
MAX_YEARS = 30
#: seconds for the solve when the scenario sets no time limit: the multi-year problem can
#: take long to prove within the gap; the best plan found by then is reported with its gap
DEFAULT_TIME_LIMIT = 60.0
_CANONICAL_YEAR = re.compile(r"^(quota|departures|expected departures) (\d{4})$")


@dataclass(frozen=True, kw_only=True)
class QuotaCut:
    """Cut ``rate`` of the quota of ``staff_types`` by ``by_year``, in equal yearly steps."""

    rate: float
    by_year: int
    staff_types: tuple[str, ...] = (StaffType.CIVIL_SERVANT.value,)
    exempt_sectors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (isinstance(self.rate, int | float) and 0 <= self.rate <= 1):
            raise ScenarioError.rendered(
                f"quota_cut.rate must be a share from 0 to 1 (0.15 = 15%), "
                                f"got {self.rate!r}")
        if not isinstance(self.by_year, int) or not 2000 <= self.by_year <= 2100:
            raise ScenarioError.rendered(f"quota_cut.by_year must be a year, got {self.by_year!r}")
        known = {t.value for t in StaffType}
        for t in self.staff_types:
            if t not in known:
                raise ScenarioError.rendered(f"quota_cut.staff_types: unknown staff type {t!r}; "
                                    f"expected {', '.join(sorted(known))}")


@dataclass(frozen=True, kw_only=True)
class MultiYearSettings:
    """What a multi-year plan adds to a :class:`planner.domain.scenario.Scenario`."""

    years: tuple[int, ...]
    budgets_by_year: Mapping[tuple[str, int], float] = field(default_factory=dict)
    base_salary_by_year: Mapping[int, float] = field(default_factory=dict)
    quota_cut: QuotaCut | None = None
    attrition: Mapping[str, float] = field(default_factory=dict)
    target_year: int | None = None  # min_cost: the year every unit reaches target_fill
    payout_per_leaver: Mapping[str, float] = field(default_factory=dict)  # per staff type

    def __post_init__(self) -> None:
        ys = self.years
        if not ys or list(ys) != list(range(ys[0], ys[0] + len(ys))) or len(ys) > MAX_YEARS:
            raise ScenarioError.rendered(f"years must be consecutive years (at most {MAX_YEARS}), "
                                f"e.g. 2026-2030, got {ys!r}")
        for (source, year), amount in self.budgets_by_year.items():
            if year not in ys:
                raise ScenarioError.rendered(
                    f"budget for {source} in {year}: {year} is not a year of "
                                    f"the plan ({ys[0]}–{ys[-1]})")
            if not (isinstance(amount, int | float) and math.isfinite(amount) and amount >= 0):
                raise ScenarioError.rendered(
                    f"budget for {source} in {year} must be an amount of at "
                                    f"least 0 đồng, got {amount!r}")
        for year, amount in self.base_salary_by_year.items():
            if year not in ys:
                raise ScenarioError.rendered(f"base salary for {year}: not a year of the plan")
            if not (isinstance(amount, int | float) and amount > 0):
                raise ScenarioError.rendered(
                    f"base salary for {year} must be above 0, got {amount!r}")
        for t, rate in self.attrition.items():
            if t not in {s.value for s in StaffType}:
                raise ScenarioError.rendered(f"attrition: unknown staff type {t!r}")
            if not (isinstance(rate, int | float) and 0 <= rate <= 1):
                raise ScenarioError.rendered(f"attrition of {t} must be a share from 0 to 1, got "
                                    f"{rate!r}")
        if self.target_year is not None and self.target_year not in ys:
            raise ScenarioError.rendered(
                f"target_year {self.target_year} is not a year of the plan")


def parse_years(text: str) -> tuple[int, ...]:
    """"2026-2030" (or "2026–2030", "2026..2030", "2027") → the years."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4}))?\s*", str(text))
    if not m:
        raise ScenarioError.rendered(f"--years must be FIRST-LAST, e.g. 2026-2030, got {text!r}")
    first = int(m.group(1))
    last = int(m.group(2) or first)
    if last < first or last - first + 1 > MAX_YEARS:
        raise ScenarioError.rendered(
            f"--years must run forward over at most {MAX_YEARS} years, got "
                            f"{text!r}")
    return tuple(range(first, last + 1))


# --- year columns in the input files ------------------------------------------------------

@dataclass(frozen=True)
class YearColumns:
    """Columns of one file holding a figure per year: measure → {year: column letter}."""

    plain: dict[str, str]  # measure → letter of its column without a year
    by_year: dict[str, dict[int, str]]


def find_year_columns(source: SourceFile, spec: C.TableSpec, *, sheet: str | None,
                      limits: Limits) -> YearColumns:
    """The quota and departures columns of ``source`` and the year each names."""
    from planner.domain.text import column_letter
    from planner.io.layout import find_header

    for grid in read_sheets(source, sheet=sheet, limits=limits):
        found = find_header(grid.rows, spec, grid.rows)
        if found is None:
            continue
        plain: dict[str, str] = {}
        by_year: dict[str, dict[int, str]] = {}
        for c in found[2]:
            if not c.path or c.part not in (None, "total"):
                continue
            measure = c.measure
            canonical = _CANONICAL_YEAR.match(fold(c.name))
            if canonical:
                measure = "quota" if canonical.group(1) == "quota" else "expected_departures"
            if measure not in ("quota", "expected_departures"):
                continue
            year = c.year if c.year is not None and c.year < 9999 else None
            if year is None:
                plain.setdefault(measure, column_letter(c.idx))
            else:
                by_year.setdefault(measure, {}).setdefault(year, column_letter(c.idx))
        return YearColumns(plain, by_year)
    return YearColumns({}, {})


@dataclass(frozen=True)
class MultiYearInputs:
    inputs: Inputs
    quota_years: dict[int, np.ndarray]  # year → quota per positions row
    departure_years: dict[int, np.ndarray]  # year → departures per positions row
    plain_departures: bool  # the plain expected_departures is a column without a year


def load_multiyear_inputs(quotas: str | Path, headcounts: str | Path | None,
                          units: str | Path | None, *,
                          mappings: Mapping[str, Mapping[str, str]] | None = None,
                          sheet: str | None = None,
                          limits: Limits | None = None) -> MultiYearInputs:
    """:func:`planner.io.inputs.load_inputs` with the year columns of quotas and departures:
    the plain columns are read as today's figures, each year column on its own."""
    limits = limits or Limits.from_env()
    mappings = {k: dict(v) for k, v in (mappings or {}).items()}
    files = {"quotas": (quotas, C.QUOTAS), "headcounts": (headcounts, C.HEADCOUNTS)}
    sources: dict[str, SourceFile] = {}
    found: dict[str, YearColumns] = {}
    for role, (path, spec) in files.items():
        if path is None:
            continue
        sources[role] = SourceFile.from_path(path, limits=limits)
        found[role] = find_year_columns(sources[role], spec, sheet=sheet, limits=limits)
        chosen = mappings.setdefault(role, {})
        for measure in ("quota", "expected_departures"):
            if measure not in found[role].by_year or measure in chosen:
                continue
            if measure == "quota" and role != "quotas":
                continue
            letter = found[role].plain.get(measure)
            if letter is None:  # no plain column: the earliest year's stands for today
                letter = found[role].by_year[measure][min(found[role].by_year[measure])]
            chosen[measure] = letter
    inputs = load_inputs(sources["quotas"], sources.get("headcounts"),
                         units if units is None else SourceFile.from_path(units, limits=limits),
                         mappings={k: v for k, v in mappings.items() if v}, sheet=sheet,
                         limits=limits)
    year_letters = {(role, letter) for role, cols in found.items()
                    for by in cols.by_year.values() for letter in by.values()}
    role_of = {f.name: f.role for f in inputs.files}
    kept = [w for w in inputs.warnings if not (
        w.code == "column_not_used"
        and (role_of.get(w.file), w.column.split(" · ")[0]) in year_letters)]
    inputs = replace(inputs, warnings=kept)
    pos = inputs.positions
    quota_years = {}
    for year, letter in sorted(found["quotas"].by_year.get("quota", {}).items()):
        quota_years[year] = _year_values(sources["quotas"], C.QUOTAS, "quota", letter,
                                         mappings.get("quotas", {}), pos, sheet, limits)
    departure_years: dict[int, np.ndarray] = {}
    dep_role = "headcounts" if "headcounts" in found and \
        "expected_departures" in found["headcounts"].by_year else "quotas"
    dep_cols = found.get(dep_role, YearColumns({}, {})).by_year.get("expected_departures", {})
    spec = C.HEADCOUNTS if dep_role == "headcounts" else C.QUOTAS
    for year, letter in sorted(dep_cols.items()):
        departure_years[year] = _year_values(sources[dep_role], spec, "expected_departures",
                                             letter, mappings.get(dep_role, {}), pos, sheet,
                                             limits)
    plain_dep = "expected_departures" in found.get(dep_role, YearColumns({}, {})).plain or \
        not dep_cols
    return MultiYearInputs(inputs, quota_years, departure_years, plain_dep)


def _year_values(source: SourceFile, spec: C.TableSpec, measure: str, letter: str,
                 base: Mapping[str, str], positions: pd.DataFrame, sheet: str | None,
                 limits: Limits) -> np.ndarray:
    """One year column's figures, in the order of ``positions`` (0 where a row has none)."""
    from planner.domain.text import slug

    table, located, found = load_table(source, spec, mapping={**base, measure: letter},
                                       sheet=sheet, limits=limits)
    errors = [p for p in found if p.is_error]
    if errors:
        raise InputError(errors)
    codes = located.has("unit_id") and located.has("position_id")
    if codes:
        key = table["unit_id"].str.lower() + "\x1f" + table["position_id"].str.lower()
        target = positions["unit_id"].str.lower() + "\x1f" + positions["position_id"].str.lower()
    else:
        key = table["unit_name"].map(slug) + "\x1f" + table["position_name"].map(slug)
        target = positions["unit_name"].map(slug) + "\x1f" + positions["position_name"].map(slug)
    values = pd.Series(pd.to_numeric(table[measure], errors="coerce").to_numpy(),
                       index=key.to_numpy())
    values = values[~values.index.duplicated()]
    return target.map(values).fillna(0).to_numpy(dtype=float)


# --- the per-year data --------------------------------------------------------------------

def quota_path(base: np.ndarray, columns: Mapping[int, np.ndarray],
               years: tuple[int, ...]) -> np.ndarray:
    """n × T quotas: a year's own column, else the previous year's, the plain one before the
    first column."""
    out = np.zeros((len(base), len(years)))
    current = np.asarray(base, dtype=float)
    earlier = [y for y in columns if y < years[0]]
    if earlier:
        current = np.asarray(columns[max(earlier)], dtype=float)
    for k, y in enumerate(years):
        if y in columns:
            current = np.asarray(columns[y], dtype=float)
        out[:, k] = current
    return out


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
    return whole


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
        if y in columns:
            out[:, k] = columns[y]
    rate = positions["staff_type"].map(dict(attrition)).fillna(0.0).to_numpy(dtype=float)
    stock = positions["headcount"].to_numpy(dtype=float)
    for k in range(T):
        if rate.any():
            out[:, k] += np.floor(rate * np.maximum(stock - out[:, k], 0) + 0.5)
        out[:, k] = np.minimum(out[:, k], np.maximum(stock, 0))
        stock = stock - out[:, k]
    return out


# --- the plan -----------------------------------------------------------------------------

@dataclass(frozen=True)
class MultiYearPlan:
    status: str
    years: tuple[int, ...]
    plan: pd.DataFrame | None  # PLAN_COLUMNS, one row per (unit, position, year)
    by_year: pd.DataFrame | None  # per year totals
    surplus: pd.DataFrame | None  # per unit, staff type and year: the number to streamline
    budgets: pd.DataFrame  # source, year, budget, used, least (when infeasible)
    result: MultiYearResult
    parameters: dict

    def summary(self) -> dict[str, Any]:
        """The one-year summary's keys plus per-year totals."""
        r = self.result
        first = r.stages[0] if r.stages else None
        plan = self.plan
        per_year = [] if self.by_year is None else [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items()}
            for rec in self.by_year.to_dict("records")]
        cost_by_source: dict[str, float] = {}
        if plan is not None:
            for s, v in plan.groupby("funding_source")["salary_cost"].sum().items():
                cost_by_source[str(s)] = float(v)
        used = self.budgets.dropna(subset=["budget"])
        shares = {f"{rec['source']}@{rec['year']}": (rec["used"] / rec["budget"]
                                                     if rec["budget"] else None)
                  for rec in used.to_dict("records")}
        gaps = []
        for s in r.stages:
            if s.value is not None and s.bound is not None:
                gaps.append(abs(s.bound - s.value) / max(abs(s.value), 1e-9))
        least = None
        if r.least_budgets is not None:
            least = [{"source": rec["source"], "year": int(rec["year"]),
                      "budget": rec["budget"], "least_budget": rec["least"]}
                     for rec in self.budgets.to_dict("records") if rec["least"] is not None
                     and not pd.isna(rec["least"])]
        return {
            "status": self.status,
            "objective": None if first is None else first.value,
            "best_bound": None if first is None else first.bound,
            "gap": max(gaps) if gaps else None,
            "solver": "highs",
            "solve_seconds": r.seconds,
            "build_seconds": r.build_seconds,
            "years": list(self.years),
            "total_hires": None if plan is None else int(plan["hires"].sum()),
            "total_cost": None if plan is None else float(plan["salary_cost"].sum()),
            "cost_by_source": cost_by_source,
            "budget_used_share": shares,
            "parameters": self.parameters,
            "stages": [{"goal": s.goal, "status": s.status, "value": s.value,
                        "bound": s.bound, "seconds": s.seconds} for s in r.stages],
            "per_year": per_year,
            "surplus_to_streamline": None if self.surplus is None else int(
                self.surplus.loc[self.surplus["year"] == self.years[-1], "surplus"].sum()),
            "infeasibility": None if least is None else {"min_budget_by_source_year": least},
        }


def plan_multiyear(inputs: Inputs, scenario: Scenario, settings: MultiYearSettings, *,
                   quota_years: Mapping[int, np.ndarray] | None = None,
                   departure_years: Mapping[int, np.ndarray] | None = None,
                   plain_departures: bool = True,
                   roster: pd.DataFrame | None = None) -> MultiYearPlan:
    """The multi-year plan of ``scenario`` over ``settings.years`` (see the module's doc)."""
    years = settings.years
    T = len(years)
    pos = scenario.apply_rows(inputs.positions.copy())
    n = len(pos)
    if settings.quota_cut is not None:
        quota = cut_path(pos, years, settings.quota_cut)
    else:
        quota = quota_path(pos["quota"].to_numpy(dtype=float), quota_years or {}, years)
    departures = departures_path(pos, years, columns=departure_years or {}, roster=roster,
                                 plain=plain_departures, attrition=settings.attrition)
    headcount = pos["headcount"].to_numpy(dtype=float)
    n0 = headcount[:, None] - np.cumsum(departures, axis=1)
    room = np.maximum(0, quota - n0)
    group = quota_group(pos)
    G = int(group.max()) + 1 if n else 0
    group_room = np.zeros((G, T))
    np.add.at(group_room, group, quota - n0)
    group_room = np.maximum(group_room, 0)
    # costs: the one-year rules at each year's base salary
    cost = np.zeros((n, T))
    for k, y in enumerate(years):
        rules = CostRules(base_salary=settings.base_salary_by_year.get(y, scenario.base_salary),
                          contribution_rates=scenario.contribution_rates,
                          bonus_rate=scenario.bonus_rate)
        cost[:, k] = annual_cost_per_hire(pos, rules).to_numpy(dtype=float)
    sources = tuple(sorted(pos["funding_source"].unique()))
    source = np.searchsorted(np.array(sources, dtype=object),
                             pos["funding_source"].to_numpy(dtype=object)).astype(np.int64)
    budgets = np.full((len(sources), T), np.inf)
    for name, amount in scenario.budgets.items():
        if name not in sources:
            raise ScenarioError.rendered(f"budget for funding source {name!r}, which no row uses; "
                                f"funding sources in the data: {', '.join(sources)}")
        budgets[sources.index(name)] = float(amount)
    for (name, year), amount in settings.budgets_by_year.items():
        if name not in sources:
            raise ScenarioError.rendered(f"budget for funding source {name!r}, which no row uses; "
                                f"funding sources in the data: {', '.join(sources)}")
        budgets[sources.index(name), years.index(year)] = float(amount)
    unit_index, unit_ids = pd.factorize(pos["unit_id"])
    unit_index = unit_index.astype(np.int64)
    U = len(unit_ids)
    units = scenario.apply_units(inputs.units, pos["unit_id"])
    fill, cap, ubudget = _unit_settings(units, np.asarray(unit_ids, dtype=object))
    # hireable per unit and year, from the rooms that last (X never falls): min over t ≥ y
    eff_room = np.minimum.accumulate(room[:, ::-1], axis=1)[:, ::-1]
    eff_group = np.minimum.accumulate(group_room[:, ::-1], axis=1)[:, ::-1]
    group_vac = np.zeros((G, T))
    np.add.at(group_vac, group, eff_room)
    group_unit = np.zeros(G, dtype=np.int64)
    group_unit[group] = unit_index
    hireable = np.zeros((U, T))
    np.add.at(hireable, group_unit, np.minimum(eff_group, group_vac))
    min_fill = np.where(np.isnan(fill), scenario.min_fill or 0.0, fill)
    unit_min = np.floor(min_fill[:, None] * hireable + 1e-9)
    if scenario.objective is Objective.MIN_COST:
        k = years.index(settings.target_year or years[-1])
        unit_min[:, k] = np.maximum(unit_min[:, k],
                                    np.floor(scenario.target_fill * hireable[:, k] + 1e-9))
    row_max = pos["max_hires"].to_numpy(dtype="float64", na_value=np.inf) \
        if "max_hires" in pos else None
    q_u = np.bincount(unit_index, weights=quota[:, -1], minlength=U)
    s_u = np.bincount(unit_index, weights=n0[:, -1], minlength=U)
    mip = MultiYearMip(room=room, priority=pos["priority"].to_numpy(dtype=float), cost=cost,
                       group=group, group_room=group_room, source=source, budgets=budgets,
                       unit=unit_index, unit_min=unit_min, objective=scenario.objective.value,
                       row_max=row_max, unit_max=cap,
                       unit_budget=np.repeat(ubudget[:, None], T, axis=1),
                       fair_quota=q_u, fair_staying=s_u)
    if scenario.solver.value != "highs":
        raise ScenarioError.rendered("the multi-year plan is solved by HiGHS only (solver highs)")
    result = solve_multiyear(mip, time_limit=scenario.time_limit or DEFAULT_TIME_LIMIT,
                             gap=scenario.gap)
    params = {**scenario.to_dict(), "years": list(years),
              "budgets_by_year": {f"{s}@{y}": v for (s, y), v in
                                  settings.budgets_by_year.items()},
              "base_salary_by_year": {str(y): v for y, v in
                                      settings.base_salary_by_year.items()},
              "quota_cut": None if settings.quota_cut is None else {
                  "rate": settings.quota_cut.rate, "by_year": settings.quota_cut.by_year,
                  "staff_types": list(settings.quota_cut.staff_types),
                  "exempt_sectors": list(settings.quota_cut.exempt_sectors)},
              "attrition": dict(settings.attrition),
              "target_year": settings.target_year,
              "payout_per_leaver": dict(settings.payout_per_leaver),
              "roster": roster is not None}
    budget_table = _budget_table(sources, years, budgets, cost, source, result)
    if result.cumulative is None:
        return MultiYearPlan(result.status, years, None, None, None, budget_table, result,
                             params)
    X = result.cumulative
    hires = result.hires
    on_board_start = headcount[:, None] - np.concatenate(
        [np.zeros((n, 1)), np.cumsum(departures, axis=1)[:, :-1]], axis=1) + \
        np.concatenate([np.zeros((n, 1)), X[:, :-1]], axis=1)
    on_board_end = n0 + X
    rows = []
    for k, y in enumerate(years):
        rows.append(pd.DataFrame({
            "unit_id": pos["unit_id"], "unit_name": pos["unit_name"],
            "position_id": pos["position_id"], "position_name": pos["position_name"],
            "staff_type": pos["staff_type"], "funding_source": pos["funding_source"],
            "year": y, "quota": quota[:, k].astype(np.int64),
            "on_board_start": on_board_start[:, k].astype(np.int64),
            "departures": departures[:, k].astype(np.int64),
            "hires": hires[:, k].astype(np.int64),
            "on_board_end": on_board_end[:, k].astype(np.int64),
            "vacancies_end": np.maximum(0, quota[:, k] - on_board_end[:, k]).astype(np.int64),
            "surplus_end": np.maximum(0, on_board_end[:, k] - quota[:, k]).astype(np.int64),
            "salary_cost": np.round(cost[:, k] * X[:, k]).astype(np.int64)}))
    plan = pd.concat(rows, ignore_index=True)[PLAN_COLUMNS]
    surplus = _surplus(plan, settings)
    by_year = plan.groupby("year", sort=True).agg(
        quota=("quota", "sum"), on_board_start=("on_board_start", "sum"),
        departures=("departures", "sum"), hires=("hires", "sum"),
        on_board_end=("on_board_end", "sum"), vacancies_end=("vacancies_end", "sum"),
        salary_cost=("salary_cost", "sum")).reset_index()
    streamline = surplus.groupby("year")["surplus"].sum()
    by_year["surplus_to_streamline"] = by_year["year"].map(streamline).fillna(0).astype(np.int64)
    if settings.payout_per_leaver:
        pay = surplus.groupby("year")["payout"].sum()
        by_year["streamline_payout"] = by_year["year"].map(pay).fillna(0.0)
    return MultiYearPlan(result.status, years, plan, by_year, surplus, budget_table, result,
                         params)


def _surplus(plan: pd.DataFrame, settings: MultiYearSettings) -> pd.DataFrame:
    """Per (unit, staff type, year): staff above the quota at the year's end, counted per
    unit and staff type (a position above its quota beside a vacant one is redeployment),
    and the payouts when the scenario gives an amount per leaver."""
    g = plan.groupby(["unit_id", "unit_name", "staff_type", "year"], sort=False).agg(
        quota=("quota", "sum"), on_board_end=("on_board_end", "sum")).reset_index()
    g["surplus"] = (g["on_board_end"] - g["quota"]).clip(lower=0).astype(np.int64)
    g = g[g["surplus"] > 0].reset_index(drop=True)
    if settings.payout_per_leaver:
        g["payout"] = g["surplus"] * g["staff_type"].map(dict(settings.payout_per_leaver)
                                                         ).fillna(0.0)
    return g


def _budget_table(sources, years, budgets, cost, source, result) -> pd.DataFrame:
    rows = []
    X = result.cumulative
    for s, name in enumerate(sources):
        for k, y in enumerate(years):
            used = None if X is None else float(np.dot(cost[source == s, k],
                                                       X[source == s, k]))
            least = None
            if result.least_budgets is not None and math.isfinite(budgets[s, k]):
                least = float(result.least_budgets[s, k])
            rows.append({"source": name, "year": y,
                         "budget": budgets[s, k] if math.isfinite(budgets[s, k]) else None,
                         "used": used, "least": least})
    return pd.DataFrame(rows, columns=["source", "year", "budget", "used", "least"])


def _unit_settings(units: pd.DataFrame | None, unit_ids: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from planner.optimise.instance import _unit_settings as one_year

    return one_year(units, unit_ids)


def problem(code: str, **params: Any) -> InputError:
    return InputError([Problem(severity=Severity.ERROR, code=f"multiyear.{code}",
                               params=params)])

"""The year columns of the input tables (issue 15): quotas and departures per year.

A quota table may carry a column per year (canonical ``quota_<year>``, "Biên chế giao năm
2027", "Chỉ tiêu năm 2027") beside today's ``quota``; a headcount (or quota) table may carry
``departures_<year>`` ("Dự kiến nghỉ năm 2027") beside today's ``expected_departures``.
:func:`load_multiyear_inputs` reads the tables as :func:`planner.io.inputs.load_inputs` does
(the plain columns are today's figures; when a file has only year columns the earliest stands
for today) and each year column on its own, in the order of the positions table. What the
columns mean for the plan (the quota path, the departures per year) is
:mod:`planner.domain.multiyear`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from planner.domain import columns as C
from planner.domain.limits import Limits
from planner.domain.problems import InputError
from planner.domain.text import column_letter, fold, slug
from planner.io.inputs import Inputs, load_inputs
from planner.io.layout import find_header
from planner.io.sources import SourceFile, read_sheets
from planner.io.tables import load_table

_CANONICAL_YEAR = re.compile(r"^(quota|departures|expected departures) (\d{4})$")
#: a file given by its path, or already read (an upload of the app)
FileLike = str | Path | SourceFile


@dataclass(frozen=True)
class YearColumns:
    """Columns of one file holding a figure per year: measure → {year: column letter}."""

    plain: dict[str, str]  # measure → letter of its column without a year
    by_year: dict[str, dict[int, str]]


def find_year_columns(source: SourceFile, spec: C.TableSpec, *, sheet: str | None,
                      limits: Limits) -> YearColumns:
    """The quota and departures columns of ``source`` and the year each names."""
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


def load_multiyear_inputs(quotas: FileLike, headcounts: FileLike | None,
                          units: FileLike | None, *,
                          mappings: Mapping[str, Mapping[str, str]] | None = None,
                          sheet: str | None = None,
                          limits: Limits | None = None) -> MultiYearInputs:
    """:func:`planner.io.inputs.load_inputs` with the year columns of quotas and departures:
    the plain columns are read as today's figures, each year column on its own. A file is a
    path or an already read :class:`SourceFile` (an upload)."""
    limits = limits or Limits.from_env()
    chosen_by_role = {k: dict(v) for k, v in (mappings or {}).items()}
    files = {"quotas": (quotas, C.QUOTAS), "headcounts": (headcounts, C.HEADCOUNTS)}
    sources: dict[str, SourceFile] = {}
    found: dict[str, YearColumns] = {}
    for role, (path, spec) in files.items():
        if path is None:
            continue
        sources[role] = _source(path, limits)
        found[role] = find_year_columns(sources[role], spec, sheet=sheet, limits=limits)
        chosen = chosen_by_role.setdefault(role, {})
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
                         None if units is None else _source(units, limits),
                         mappings={k: v for k, v in chosen_by_role.items() if v}, sheet=sheet,
                         limits=limits)
    year_letters = {(role, letter) for role, cols in found.items()
                    for by in cols.by_year.values() for letter in by.values()}
    role_of = {f.name: f.role for f in inputs.files}
    kept = [w for w in inputs.warnings if not (
        w.code == "column_not_used"
        and (role_of.get(w.file), w.column.split(" · ")[0]) in year_letters)]
    inputs = replace(inputs, warnings=kept)
    pos = inputs.positions
    quota_years: dict[int, np.ndarray] = {}
    for year, letter in sorted(found["quotas"].by_year.get("quota", {}).items()):
        quota_years[year] = _year_values(sources["quotas"], C.QUOTAS, "quota", letter,
                                         chosen_by_role.get("quotas", {}), pos, sheet, limits)
    departure_years: dict[int, np.ndarray] = {}
    dep_role = "headcounts" if "headcounts" in found and \
        "expected_departures" in found["headcounts"].by_year else "quotas"
    dep_cols = found.get(dep_role, YearColumns({}, {})).by_year.get("expected_departures", {})
    spec = C.HEADCOUNTS if dep_role == "headcounts" else C.QUOTAS
    for year, letter in sorted(dep_cols.items()):
        departure_years[year] = _year_values(sources[dep_role], spec, "expected_departures",
                                             letter, chosen_by_role.get(dep_role, {}), pos, sheet,
                                             limits)
    plain_dep = "expected_departures" in found.get(dep_role, YearColumns({}, {})).plain or \
        not dep_cols
    return MultiYearInputs(inputs, quota_years, departure_years, plain_dep)


def _year_values(source: SourceFile, spec: C.TableSpec, measure: str, letter: str,
                 base: Mapping[str, str], positions: pd.DataFrame, sheet: str | None,
                 limits: Limits) -> np.ndarray:
    """One year column's figures, in the order of ``positions``: NaN where a position has no
    figure for the year (a row the file lacks; a blank departures cell), which the quota path
    reads as "the previous year's quota" and the departures as "none given" (a blank quota
    cell is refused by the reader, naming its row and column)."""
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
    return target.map(values).to_numpy(dtype=float)


def _source(file: FileLike, limits: Limits) -> SourceFile:
    return file if isinstance(file, SourceFile) else SourceFile.from_path(file, limits=limits)

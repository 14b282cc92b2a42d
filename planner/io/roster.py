"""The staff roster and the retirement-age rules: departures per (unit, position, year).

**Personal data.** A roster has one row a person (unit, position, staff type, sex, date of
birth or birth year, an optional planned leaving date; often also a name and an ID number).
It is read in memory and only counts per (unit, position, year) leave this module
(:class:`RosterDepartures`). Names, dates of birth and ID numbers never reach a message, a
log, a scenario or an export: a problem names the file, the row, the column and what is
expected, never the cell's value (name and ID columns are not even looked at).

**Retirement age** (Labour Code 2019 art. 169, Decree 135/2020 art. 4 and its Annex I), in
normal working conditions: men 60 years 3 months in 2021, 3 months more each year to 62 years
in 2028; women 55 years 4 months in 2021, 4 months more each year to 60 years in 2035 (before
2021: 60 and 55 years). The age that applies is the one of the year in which it is reached;
one retires at the end of the month in which the age is reached (the pension starts the next
month), so that month's year is the year of departure. When only the birth year is known the
birth date is taken as 1 January (Decree 135/2020 art. 6). Early retirement (hazardous work,
hardship areas) and later retirement (Decree 83/2022) are not modelled: a planned leaving date
on the roster row wins when it is earlier.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity
from planner.domain.retirement import (  # noqa: F401  (the rules, offered here too)
    FEMALE,
    MALE,
    retirement_age_months,
    retirement_month,
)
from planner.domain.text import column_letter, fold, slug
from planner.io.sources import Grid, SourceFile, read_sheets


@dataclass(frozen=True)
class RosterDepartures:
    """What leaves the reader: counts only."""

    counts: pd.DataFrame  # unit_id, position_id, year, departures (years of the plan only)
    people: int  # rows read
    overdue: int  # people past their leaving date before the first year (counted in it)
    file: str


# header texts (folded) of each roster column; name and ID columns are never read
_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit_id": ("unit id", "ma don vi", "ma dv", "ma co quan"),
    "unit_name": ("unit name", "ten don vi", "don vi", "co quan don vi", "ten co quan",
                  "co quan", "ten co quan don vi", "unit"),
    "position_id": ("position id", "ma vi tri", "ma vtvl", "ma vi tri viec lam"),
    "position_name": ("position name", "vi tri viec lam", "vtvl", "ten vi tri viec lam",
                      "vi tri", "position", "chuc danh"),
    "staff_type": ("staff type", "loai", "loai can bo", "doi tuong", "cong chuc vien chuc"),
    "sex": ("sex", "gioi tinh", "gender", "nam nu", "phai"),
    "date_of_birth": ("date of birth", "ngay sinh", "ngay thang nam sinh", "ngay thang sinh",
                      "sinh ngay", "dob"),
    "birth_year": ("birth year", "nam sinh"),
    "planned_leaving": ("planned leaving", "du kien nghi", "ngay nghi du kien",
                        "du kien nghi viec", "ngay du kien nghi", "thoi diem nghi du kien",
                        "planned leaving date"),
}
_MALE = {"nam", "m", "male", "man", "1"}
_FEMALE = {"nu", "f", "female", "woman", "0"}
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_HEADER_SEARCH = 30


def _column_of(text: Any) -> str | None:
    key = fold(text)
    for col, aliases in _COLUMNS.items():
        if key in aliases:
            return col
    return None


def _find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(grid.rows[:_HEADER_SEARCH]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            col = _column_of(cell)
            if col is not None and col not in found:
                found[col] = j
        if ("date_of_birth" in found or "birth_year" in found) and "sex" in found:
            return i, found
    return None


def _month_of(value: Any) -> tuple[int, int] | None:
    """(year, month) of a date as typed: a date cell, dd/mm/yyyy, yyyy-mm-dd, mm/yyyy or a
    year alone (→ January); None when it is none of these."""
    if isinstance(value, dt.datetime | dt.date):
        return value.year, value.month
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == int(value) and 1900 <= value <= 2100:
            return int(value), 1
        return None
    text = str(value).strip()
    m = _DATE_DMY.match(text)
    if m:
        day, month, year = map(int, m.groups())
        return (year, month) if _valid(year, month, day) else None
    m = _DATE_ISO.match(text)
    if m:
        year, month, day = map(int, m.groups())
        return (year, month) if _valid(year, month, day) else None
    m = _MONTH_YEAR.match(text)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
        return (year, month) if 1 <= month <= 12 and 1900 <= year <= 2100 else None
    m = _YEAR.match(text)
    if m and 1900 <= int(m.group(1)) <= 2100:
        return int(m.group(1)), 1
    return None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def _filled(v: Any) -> bool:
    return v is not None and not (isinstance(v, str) and not v.strip()) and v == v


def read_roster(source: str | Path | SourceFile, *, years: Iterable[int],
                positions: pd.DataFrame, sheet: str | None = None,
                limits: Limits | None = None) -> RosterDepartures:
    """Departures per (unit, position, year) of ``years`` from a staff roster.

    ``positions`` are the plan's rows (unit_id, unit_name, position_id, position_name); a
    roster row is matched by codes when the roster has them, else by names (folded). Raises
    :class:`InputError` with every problem (file, row, column, what is expected; never a
    value of the row)."""
    years = sorted(set(years))
    limits = limits or Limits.from_env()
    src = source if isinstance(source, SourceFile) else SourceFile.from_path(source,
                                                                             limits=limits)
    grid, header = None, -1
    cols: dict[str, int] = {}
    for g in read_sheets(src, sheet=sheet, limits=limits):
        found = _find_header(g)
        if found is not None:
            grid, (header, cols) = g, found
            break
    if grid is None:
        raise InputError([Problem(severity=Severity.ERROR, code="multiyear.roster_no_header",
                                  file=src.name)])
    problems: list[Problem] = []
    by_code = "unit_id" in cols and "position_id" in cols
    if not by_code and not ("unit_name" in cols and "position_name" in cols):
        raise InputError([Problem(severity=Severity.ERROR, code="multiyear.roster_no_keys",
                                  file=grid.file, sheet=grid.sheet,
                                  row=grid.excel_row(header))])
    unit_key, pos_key = ("unit_id", "position_id") if by_code else ("unit_name",
                                                                      "position_name")
    norm = (lambda v: str(v).strip().lower()) if by_code else slug
    plan_keys = {(norm(u), norm(p)): (uid, pid) for u, p, uid, pid in zip(
        positions[unit_key], positions[pos_key], positions["unit_id"], positions["position_id"],
        strict=True)}
    first, last = years[0], years[-1]
    counts: dict[tuple[str, str, int], int] = {}
    people = overdue = 0

    def problem(i: int, col: str, code: str, **params: Any) -> None:
        j = cols[col]
        header_text = str(grid.rows[header][j]).strip()
        problems.append(Problem(severity=Severity.ERROR, code=f"multiyear.{code}",
                                file=grid.file, sheet=grid.sheet, row=grid.excel_row(i),
                                column=f"{column_letter(j)} · {header_text}", params=params))

    def cell(row: list[Any], col: str) -> Any:
        j = cols.get(col)
        return row[j] if j is not None and j < len(row) else None

    for i in range(header + 1, len(grid.rows)):
        row = grid.rows[i]
        if not any(_filled(v) for v in row):
            continue
        unit, pos = cell(row, unit_key), cell(row, pos_key)
        if not _filled(unit) and not _filled(pos):
            continue  # a title, group or signature line: no unit, no position
        people += 1
        key = (norm(unit), norm(pos))
        if key not in plan_keys:
            # unit and position names are not personal data: the message names them
            problems.append(Problem(severity=Severity.ERROR, code="multiyear.roster_not_in_plan",
                                    file=grid.file, sheet=grid.sheet, row=grid.excel_row(i),
                                    value=f"{unit} / {pos}"))
            continue
        sex_text = fold(cell(row, "sex"))
        sex = MALE if sex_text in _MALE else FEMALE if sex_text in _FEMALE else None
        if sex is None:
            problem(i, "sex", "roster_bad_sex")
        born = None
        if "date_of_birth" in cols and _filled(cell(row, "date_of_birth")):
            born = _month_of(cell(row, "date_of_birth"))
            if born is None:
                problem(i, "date_of_birth", "roster_bad_date")
        elif "birth_year" in cols and _filled(cell(row, "birth_year")):
            born = _month_of(cell(row, "birth_year"))
            if born is None or not _YEAR.match(str(cell(row, "birth_year")).strip()):
                born = None
                problem(i, "birth_year", "roster_bad_year")
            else:
                born = (born[0], 1)  # birth year only: 1 January
        else:
            problem(i, "date_of_birth" if "date_of_birth" in cols else "birth_year",
                    "roster_no_birth")
        planned = None
        if "planned_leaving" in cols and _filled(cell(row, "planned_leaving")):
            planned = _month_of(cell(row, "planned_leaving"))
            if planned is None:
                problem(i, "planned_leaving", "roster_bad_date")
        if sex is None or born is None:
            continue
        leaving = retirement_month(sex, *born)
        if planned is not None and planned < leaving:
            leaving = planned
        year = leaving[0]
        if year < first:
            overdue += 1
            year = first
        if year > last:
            continue
        k = (*plan_keys[key], year)
        counts[k] = counts.get(k, 0) + 1
    if problems:
        raise InputError(problems)
    table = pd.DataFrame([(u, p, y, c) for (u, p, y), c in counts.items()],
                         columns=["unit_id", "position_id", "year", "departures"])
    return RosterDepartures(counts=table, people=people, overdue=overdue, file=grid.file)

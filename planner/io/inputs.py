"""Load the quotas, headcounts and units files into one validated table of positions.

``load_inputs`` is the entry point both fronts call: it reads each file as offices type it,
types and validates every table, checks the tables against each other and returns
:class:`Inputs`, or raises :class:`InputError` carrying *all* problems (and the rows it skipped).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.domain import columns as C
from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity, SkippedRow
from planner.io.layout import Located
from planner.io.sources import SourceFile
from planner.io.tables import cell, is_in, load_table, map_distinct, name_code

Source = str | Path | SourceFile | pd.DataFrame

#: Columns of :attr:`Inputs.positions`, in order.
POSITION_COLUMNS = [
    "unit_id", "unit_name", "position_id", "position_name", "staff_type", "funding_source",
    "sector", "grade", "quota", "headcount", "expected_departures", "salary_coefficient",
    "allowance_rate", "annual_cost", "priority", "min_hires", "max_hires", "source_row",
]
UNIT_COLUMNS = ["unit_id", "unit_name", "max_hires", "budget_cap", "min_fill"]


@dataclass(frozen=True)
class InputFile:
    """Where a table came from, so results can be traced to their inputs."""

    role: str  # quotas, headcounts, units
    name: str
    sheet: str
    fingerprint: str
    rows: int


@dataclass(frozen=True)
class Inputs:
    """Validated inputs: one row per (unit, position), the optional units table, the report."""

    positions: pd.DataFrame
    units: pd.DataFrame | None
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    files: tuple[InputFile, ...] = ()

    @property
    def fingerprint(self) -> str:
        """One fingerprint for the set of input files (changes when any file changes)."""
        import hashlib

        h = hashlib.sha256()
        for f in self.files:
            h.update(f"{f.role}:{f.fingerprint}".encode())
        return h.hexdigest()[:16]


def _as_source(source: Source, limits: Limits) -> SourceFile | pd.DataFrame:
    if isinstance(source, SourceFile | pd.DataFrame):
        return source
    return SourceFile.from_path(source, limits=limits)


def load_inputs(
    quotas: Source,
    headcounts: Source | None = None,
    units: Source | None = None,
    *,
    mappings: Mapping[str, Mapping[str, str]] | None = None,
    sheet: str | Mapping[str, str] | None = None,
    limits: Limits | None = None,
    year: int | None = None,
) -> Inputs:
    """Read and validate the input files.

    ``mappings`` maps a table role ("quotas", "headcounts", "units") to explicit column
    choices ``{canonical_id: header as typed or column letter}`` for headers that are not
    recognised. ``sheet`` picks the sheet of workbook inputs: one name for every workbook, or
    one per role ({"quotas": "Biểu 1", "headcounts": "Có mặt"}); by default the first sheet
    holding a recognisable table. A CSV has no sheets and ignores it (with a warning).
    ``year`` picks the columns of that year where a table gives several years side by side
    (default: the latest, with a warning naming both columns).
    Raises :class:`InputError` with every problem found.
    """
    limits = limits or Limits.from_env()
    mappings = mappings or {}
    problems: list[Problem] = []
    skipped: list[SkippedRow] = []
    files: list[InputFile] = []
    tables: dict[str, tuple[pd.DataFrame, Located]] = {}
    for role, source, spec in (("quotas", quotas, C.QUOTAS),
                               ("headcounts", headcounts, C.HEADCOUNTS),
                               ("units", units, C.UNITS)):
        if source is None:
            continue
        try:
            src = _as_source(source, limits)
            table, located, found = load_table(src, spec, mapping=mappings.get(role),
                                               sheet=sheet.get(role) if isinstance(sheet, Mapping)
                                               else sheet, limits=limits, year=year)
        except InputError as exc:
            problems += exc.problems
            skipped += exc.skipped
            continue
        problems += found
        skipped += located.skipped
        tables[role] = (table, located)
        files.append(InputFile(role=role, name=located.grid.file, sheet=located.grid.sheet,
                               fingerprint=_fingerprint(src), rows=len(table)))
    # checks across rows and tables run even when cells are wrong: every problem at once
    problems += _key_checks(tables)
    if "quotas" not in tables or any(p.is_error for p in problems):
        raise InputError(problems, skipped)
    positions, origin, cross = _join(tables)
    problems += cross
    if any(p.is_error for p in problems):
        raise InputError(problems, skipped)
    unit_table = _units(tables, positions, problems)
    problems += _warnings(positions, tables, origin)
    return Inputs(positions=positions, units=unit_table,
                  warnings=[p for p in problems if not p.is_error], skipped=skipped,
                  files=tuple(files))


def _fingerprint(src: SourceFile | pd.DataFrame) -> str:
    if isinstance(src, SourceFile):
        return src.fingerprint
    import hashlib

    try:
        digest = pd.util.hash_pandas_object(src, index=False).to_numpy().tobytes()
    except TypeError:  # unhashable cells (lists, dicts): hash their text
        digest = src.to_csv(index=False).encode("utf-8", "replace")
    return hashlib.sha256(digest).hexdigest()


def _problem(located: Located, row: Any, column: str, code: str, value: str = "",
             severity: Severity = Severity.ERROR, **params: Any) -> Problem:
    return Problem(severity=severity, code=code, file=located.grid.file, sheet=located.grid.sheet,
                   row=int(row), column=located.column_ref(column) if column else "", value=value,
                   params=params)


def _keys(a: Located, b: Located | None = None) -> tuple[str, str]:
    """Join on codes when every table involved has them, otherwise on (folded) names."""
    def has(col: str) -> bool:
        return a.has(col) and (b is None or b.has(col))

    return ("unit_id" if has("unit_id") else "unit_name",
            "position_id" if has("position_id") else "position_name")


def _key_series(t: pd.DataFrame, unit_key: str, pos_key: str) -> pd.Series:
    u = t[unit_key] if unit_key == "unit_id" else map_distinct(t["unit_name"], name_code)
    p = t[pos_key] if pos_key == "position_id" else map_distinct(t["position_name"], name_code)
    return u.str.lower() + "\x1f" + p.str.lower()


def _duplicates(t: pd.DataFrame, keys: pd.Series, located: Located, what: str) -> list[Problem]:
    dup = keys.duplicated(keep="first")
    if not dup.any():
        return []
    first_row = t.groupby(keys.to_numpy())["source_row"].transform("min")
    return [
        _problem(located, t.at[i, "source_row"], "unit_name", "duplicate_key",
                 value=f"{cell(t, i, 'unit_name')} / {cell(t, i, 'position_name')}"
                 if what == "position" else str(t.at[i, "unit_name"]),
                 first_row=int(first_row[i]))
        for i in t.index[dup]
    ]


def _key_checks(tables: dict[str, tuple[pd.DataFrame, Located]]) -> list[Problem]:
    """Duplicate keys within each table, minimum above maximum hires, headcount rows with no
    quota row: checks that need no valid numbers, so they run alongside the cell checks."""
    problems: list[Problem] = []
    for table, located in tables.values():
        problems += _names_without_letters(table, located)
    hloc = tables["headcounts"][1] if "headcounts" in tables else None
    if "quotas" in tables:
        quotas, qloc = tables["quotas"]
        problems += _duplicates(quotas, _key_series(quotas, *_keys(qloc, hloc)), qloc, "position")
        for i in quotas.index[quotas["min_hires"] > quotas["max_hires"]]:  # NaN compares False
            problems.append(_problem(qloc, quotas.at[i, "source_row"], "min_hires",
                                     "min_above_max", value=f"{cell(quotas, i, 'min_hires'):g} > "
                                                            f"{cell(quotas, i, 'max_hires'):g}"))
    if "headcounts" in tables:
        heads, hloc = tables["headcounts"]
        quota_loc = tables["quotas"][1] if "quotas" in tables else None
        hkeys = _key_series(heads, *_keys(hloc, quota_loc))
        problems += _duplicates(heads, hkeys, hloc, "position")
        if "quotas" in tables:
            quotas, qloc = tables["quotas"]
            qkeys = set(_key_series(quotas, *_keys(qloc, hloc)))
            for i in heads.index[~is_in(hkeys, qkeys)]:
                problems.append(_problem(hloc, heads.at[i, "source_row"], "position_name",
                                         "not_in_plan",
                                         value=f"{cell(heads, i, 'unit_name')} / "
                                               f"{cell(heads, i, 'position_name')}",
                                         quotas_file=qloc.grid.file))
    if "units" in tables:
        units, uloc = tables["units"]
        key = _unit_key(units, uloc, tables.get("quotas", (None, None))[1])
        problems += _duplicates(units, key, uloc, "unit")
    return problems


def _names_without_letters(t: pd.DataFrame, located: Located) -> list[Problem]:
    """Names that keep no letter or digit once folded ("😀", "★★"): the code made from them
    would be empty, so different units or positions would silently become one."""
    out: list[Problem] = []
    for id_col, name_col in (("unit_id", "unit_name"), ("position_id", "position_name")):
        if id_col not in t or name_col not in t:
            continue
        named = t[name_col].fillna("").astype(str).str.strip() != ""
        empty = (t[id_col].fillna("") == "") & named
        out += [_problem(located, t.at[i, "source_row"], name_col, "name_without_letters",
                         value=str(t.at[i, name_col]), column_id=name_col)
                for i in t.index[empty]]
    return out


def _unit_key(t: pd.DataFrame, a: Located, b: Located | None) -> pd.Series:
    if a.has("unit_id") and b is not None and b.has("unit_id"):
        return t["unit_id"].str.lower()
    return map_distinct(t["unit_name"], name_code)


def _join(tables: dict[str, tuple[pd.DataFrame, Located]]
          ) -> tuple[pd.DataFrame, pd.Series, list[Problem]]:
    """One row per quota row with its headcount; also where each headcount was typed.

    ``origin`` gives, per position, the Excel row of the headcount's source (the headcounts
    file when there is one, else the quotas row), so warnings cite the cell the number is in.
    """
    quotas, qloc = tables["quotas"]
    problems: list[Problem] = []
    positions = quotas.copy()
    origin = quotas["source_row"].astype("Int64")
    if "headcounts" in tables:
        heads, hloc = tables["headcounts"]
        if qloc.has("headcount"):
            problems.append(_problem(qloc, qloc.grid.excel_row(qloc.header_rows[0]), "headcount",
                                     "headcount_column_ignored", severity=Severity.WARNING,
                                     other=hloc.grid.file))
        qkeys = _key_series(quotas, *_keys(qloc, hloc))
        hkeys = _key_series(heads, *_keys(hloc, qloc))
        lookup = heads.assign(_k=hkeys).drop_duplicates("_k").set_index("_k")
        matched = is_in(qkeys, lookup.index)
        positions["headcount"] = qkeys.map(lookup["headcount"]).astype("float64")
        positions["expected_departures"] = qkeys.map(
            lookup["expected_departures"]).astype("float64")
        origin = qkeys.map(lookup["source_row"]).astype("Int64")
        for i in positions.index[~matched]:
            problems.append(_problem(qloc, positions.at[i, "source_row"], "", "no_headcount_row",
                                     severity=Severity.WARNING,
                                     value=f"{cell(positions, i, 'unit_name')} / "
                                           f"{cell(positions, i, 'position_name')}",
                                     headcounts_file=hloc.grid.file))
        positions["headcount"] = positions["headcount"].fillna(0.0)
        positions["expected_departures"] = positions["expected_departures"].fillna(0.0)
    elif qloc.has("headcount"):
        problems += [
            _problem(qloc, positions.at[i, "source_row"], "headcount", "blank_required",
                     column_id="headcount")
            for i in positions.index[positions["headcount"].isna()]
        ]
        positions["expected_departures"] = positions.get(
            "expected_departures", pd.Series(0.0, index=positions.index)).fillna(0.0)
    else:
        problems.append(Problem(severity=Severity.ERROR, code="no_headcount", file=qloc.grid.file,
                                sheet=qloc.grid.sheet))
        return positions, origin, problems
    if any(p.is_error for p in problems):
        return positions, origin, problems
    for col in ("quota", "headcount", "expected_departures", "min_hires", "max_hires"):
        positions[col] = positions[col].astype("Int64") if col in ("min_hires", "max_hires") \
            else positions[col].astype("int64")
    # the optional document columns (issue 16) follow when the quotas table has them
    extra = [c for c in C.DOCUMENT_COLUMNS if c in positions.columns]
    return positions[POSITION_COLUMNS + extra].reset_index(drop=True), \
        origin.reset_index(drop=True), problems


def _units(tables: dict[str, tuple[pd.DataFrame, Located]], positions: pd.DataFrame,
           problems: list[Problem]) -> pd.DataFrame | None:
    """The units table keyed like the positions; units not in the plan are a warning."""
    if "units" not in tables:
        return None
    units, uloc = tables["units"]
    qloc = tables["quotas"][1]
    key = _unit_key(units, uloc, qloc)
    pos_key = _unit_key(positions, qloc, uloc)
    known = dict(zip(pos_key, positions["unit_id"], strict=False))
    listed = is_in(key, known.keys())
    for i in units.index[~listed]:
        problems.append(_problem(uloc, units.at[i, "source_row"], "unit_name", "unit_not_in_plan",
                                 severity=Severity.WARNING, value=str(units.at[i, "unit_name"])))
    out = units.loc[listed].copy()
    out["unit_id"] = key[out.index].map(known)
    out["max_hires"] = out["max_hires"].astype("Int64")
    return out[UNIT_COLUMNS].reset_index(drop=True)


def _warnings(positions: pd.DataFrame, tables: dict[str, tuple[pd.DataFrame, Located]],
              origin: pd.Series) -> list[Problem]:
    """Surplus, quota 0, departures above headcount: shown, never blocking.

    Headcount figures are cited where they were typed: the headcounts file's row when there
    is one, else the quotas row.
    """
    qloc = tables["quotas"][1]
    hloc = tables["headcounts"][1] if "headcounts" in tables else qloc
    quota = positions["quota"].to_numpy()
    heads = positions["headcount"].to_numpy()
    leaving = positions["expected_departures"].to_numpy()
    qrow = positions["source_row"].to_numpy()
    hrow = origin.to_numpy(dtype=object)
    out: list[Problem] = []

    def at_headcount(i: int) -> tuple[Located, int]:
        return (hloc, int(hrow[i])) if not pd.isna(hrow[i]) else (qloc, int(qrow[i]))

    for i in np.flatnonzero(heads - leaving > quota).tolist():
        loc, row = at_headcount(i)
        out.append(_problem(loc, row, "headcount", "surplus", severity=Severity.WARNING,
                            value=str(heads[i]), surplus=int(heads[i] - leaving[i] - quota[i]),
                            quota=int(quota[i]), departures=int(leaving[i])))
    for i in np.flatnonzero(quota == 0).tolist():
        out.append(_problem(qloc, qrow[i], "quota", "zero_quota", severity=Severity.WARNING,
                            value="0"))
    for i in np.flatnonzero(leaving > heads).tolist():
        loc, row = at_headcount(i)
        out.append(_problem(loc, row, "expected_departures", "departures_above_headcount",
                            severity=Severity.WARNING, value=str(leaving[i]),
                            headcount=int(heads[i])))
    return out

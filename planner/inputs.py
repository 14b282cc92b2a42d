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

import pandas as pd

from planner import columns as C
from planner.io.layout import Located
from planner.io.sources import SourceFile
from planner.io.tables import load_table, map_distinct
from planner.limits import Limits
from planner.problems import InputError, Problem, Severity, SkippedRow

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
    sheet: str | None = None,
    limits: Limits | None = None,
) -> Inputs:
    """Read and validate the input files.

    ``mappings`` maps a table role ("quotas", "headcounts", "units") to explicit column
    choices ``{canonical_id: header as typed or column letter}`` for headers that are not
    recognised. ``sheet`` picks the sheet of workbook inputs (default: the first sheet that
    holds a recognisable table). Raises :class:`InputError` with every problem found.
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
                                               sheet=sheet, limits=limits)
        except InputError as exc:
            problems += exc.problems
            skipped += exc.skipped
            continue
        problems += found
        skipped += located.skipped
        tables[role] = (table, located)
        files.append(InputFile(role=role, name=located.grid.file, sheet=located.grid.sheet,
                               fingerprint=_fingerprint(src), rows=len(table)))
    if "quotas" in tables and not any(p.is_error for p in problems):
        positions, cross = _join(tables)
        problems += cross
    else:
        positions = None
    if any(p.is_error for p in problems) or positions is None:
        raise InputError(problems, skipped)
    unit_table = _units(tables, positions, problems)
    if any(p.is_error for p in problems):
        raise InputError(problems, skipped)
    problems += _warnings(positions, tables["quotas"][1])
    return Inputs(positions=positions, units=unit_table,
                  warnings=[p for p in problems if not p.is_error], skipped=skipped,
                  files=tuple(files))


def _fingerprint(src: SourceFile | pd.DataFrame) -> str:
    if isinstance(src, SourceFile):
        return src.fingerprint
    import hashlib

    return hashlib.sha256(pd.util.hash_pandas_object(src, index=False).values.tobytes()).hexdigest()


def _problem(located: Located, row: Any, column: str, code: str, value: str = "",
             severity: Severity = Severity.ERROR, **params: Any) -> Problem:
    return Problem(severity=severity, code=code, file=located.grid.file, sheet=located.grid.sheet,
                   row=int(row), column=located.column_ref(column) if column else "", value=value,
                   params=params)


def _keys(a: Located, b: Located | None = None) -> tuple[str, str]:
    """Join on codes when every table involved has them, otherwise on (folded) names."""
    has = lambda col: col in a.columns and (b is None or col in b.columns)  # noqa: E731
    return ("unit_id" if has("unit_id") else "unit_name",
            "position_id" if has("position_id") else "position_name")


def _key_series(t: pd.DataFrame, unit_key: str, pos_key: str) -> pd.Series:
    from planner.text import slug

    u = t[unit_key] if unit_key == "unit_id" else map_distinct(t["unit_name"], slug)
    p = t[pos_key] if pos_key == "position_id" else map_distinct(t["position_name"], slug)
    return u.str.lower() + "\x1f" + p.str.lower()


def _duplicates(t: pd.DataFrame, keys: pd.Series, located: Located, what: str) -> list[Problem]:
    dup = keys.duplicated(keep="first")
    if not dup.any():
        return []
    first_row = t.groupby(keys.values)["source_row"].transform("min")
    return [
        _problem(located, t.at[i, "source_row"], "unit_name", "duplicate_key",
                 value=f"{t.at[i, 'unit_name']} / {t.at[i, 'position_name']}" if what == "position"
                 else str(t.at[i, "unit_name"]), first_row=int(first_row[i]))
        for i in t.index[dup]
    ]


def _join(tables: dict[str, tuple[pd.DataFrame, Located]]) -> tuple[pd.DataFrame, list[Problem]]:
    quotas, qloc = tables["quotas"]
    problems: list[Problem] = []
    qkeys = _key_series(quotas, *_keys(qloc, tables.get("headcounts", (None, None))[1]))
    problems += _duplicates(quotas, qkeys, qloc, "position")
    positions = quotas.copy()
    if "headcounts" in tables:
        heads, hloc = tables["headcounts"]
        if "headcount" in qloc.columns:
            problems.append(_problem(qloc, qloc.grid.excel_row(qloc.header_rows[0]), "headcount",
                                     "headcount_column_ignored", severity=Severity.WARNING,
                                     other=hloc.grid.file))
        hkeys = _key_series(heads, *_keys(qloc, hloc))
        problems += _duplicates(heads, hkeys, hloc, "position")
        unknown = ~hkeys.isin(set(qkeys))
        for i in heads.index[unknown]:
            problems.append(_problem(hloc, heads.at[i, "source_row"], "position_name",
                                     "not_in_plan",
                                     value=f"{heads.at[i, 'unit_name']} / "
                                           f"{heads.at[i, 'position_name']}",
                                     quotas_file=qloc.grid.file))
        lookup = heads.assign(_k=hkeys).drop_duplicates("_k").set_index("_k")
        matched = qkeys.isin(lookup.index)
        positions["headcount"] = qkeys.map(lookup["headcount"]).astype("float64")
        positions["expected_departures"] = qkeys.map(
            lookup["expected_departures"]).astype("float64")
        for i in positions.index[~matched]:
            problems.append(_problem(qloc, positions.at[i, "source_row"], "", "no_headcount_row",
                                     severity=Severity.WARNING,
                                     value=f"{positions.at[i, 'unit_name']} / "
                                           f"{positions.at[i, 'position_name']}",
                                     headcounts_file=hloc.grid.file))
        positions["headcount"] = positions["headcount"].fillna(0.0)
        positions["expected_departures"] = positions["expected_departures"].fillna(0.0)
    elif "headcount" in qloc.columns:
        problems += [
            _problem(qloc, positions.at[i, "source_row"], "headcount", "blank_required")
            for i in positions.index[positions["headcount"].isna()]
        ]
        positions["expected_departures"] = positions.get(
            "expected_departures", pd.Series(0.0, index=positions.index)).fillna(0.0)
    else:
        problems.append(Problem(severity=Severity.ERROR, code="no_headcount", file=qloc.grid.file,
                                sheet=qloc.grid.sheet))
        return positions, problems
    for i in positions.index[positions["min_hires"].notna() & positions["max_hires"].notna()
                             & (positions["min_hires"] > positions["max_hires"])]:
        problems.append(_problem(qloc, positions.at[i, "source_row"], "min_hires", "min_above_max",
                                 value=f"{positions.at[i, 'min_hires']:g} > "
                                       f"{positions.at[i, 'max_hires']:g}"))
    for col in ("quota", "headcount", "expected_departures", "min_hires", "max_hires"):
        positions[col] = positions[col].astype("Int64") if col in ("min_hires", "max_hires") \
            else positions[col].astype("int64")
    return positions[POSITION_COLUMNS].reset_index(drop=True), problems


def _units(tables: dict[str, tuple[pd.DataFrame, Located]], positions: pd.DataFrame,
           problems: list[Problem]) -> pd.DataFrame | None:
    if "units" not in tables:
        return None
    units, uloc = tables["units"]
    qloc = tables["quotas"][1]
    by_id = "unit_id" in uloc.columns and "unit_id" in qloc.columns
    from planner.text import slug

    key = units["unit_id"].str.lower() if by_id else map_distinct(units["unit_name"], slug)
    pos_key = (positions["unit_id"].str.lower() if by_id
               else map_distinct(positions["unit_name"], slug))
    dup = key.duplicated(keep="first")
    first = units.groupby(key.values)["source_row"].transform("min")
    problems += [_problem(uloc, units.at[i, "source_row"], "unit_name", "duplicate_key",
                          value=str(units.at[i, "unit_name"]), first_row=int(first[i]))
                 for i in units.index[dup]]
    known = dict(zip(pos_key, positions["unit_id"], strict=False))
    for i in units.index[~key.isin(known.keys())]:
        problems.append(_problem(uloc, units.at[i, "source_row"], "unit_name", "unit_not_in_plan",
                                 severity=Severity.WARNING, value=str(units.at[i, "unit_name"])))
    out = units.loc[key.isin(known.keys()) & ~dup].copy()
    out["unit_id"] = key[out.index].map(known)
    out["max_hires"] = out["max_hires"].astype("Int64")
    return out[UNIT_COLUMNS].reset_index(drop=True)


def _warnings(positions: pd.DataFrame, qloc: Located) -> list[Problem]:
    out: list[Problem] = []
    staying = positions["headcount"] - positions["expected_departures"]
    for i in positions.index[staying > positions["quota"]]:
        out.append(_problem(qloc, positions.at[i, "source_row"], "quota", "surplus",
                            severity=Severity.WARNING, value=str(positions.at[i, "unit_name"]),
                            surplus=int(staying[i] - positions.at[i, "quota"])))
    for i in positions.index[positions["quota"] == 0]:
        out.append(_problem(qloc, positions.at[i, "source_row"], "quota", "zero_quota",
                            severity=Severity.WARNING))
    for i in positions.index[positions["expected_departures"] > positions["headcount"]]:
        out.append(_problem(qloc, positions.at[i, "source_row"], "expected_departures",
                            "departures_above_headcount", severity=Severity.WARNING,
                            value=str(positions.at[i, "expected_departures"])))
    return out

"""Turn a located table (raw cells) into a typed table with the contract's columns and defaults.

Parsing never drops a row: a cell that is not a number becomes a problem naming its row and
column, and the row stays (it fails validation, so the whole input is refused, not half-read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from planner.columns import Kind, TableSpec
from planner.io.layout import Located, locate
from planner.io.numbers import parse_column, text_value
from planner.io.sources import Grid, SourceFile, is_workbook, read_sheets
from planner.limits import Limits
from planner.problems import InputError, Problem, Severity
from planner.rules import (
    DEFAULT_ALLOWANCE_RATES,
    DEFAULT_SALARY_COEFFICIENT,
    FEE_REVENUE,
    STATE_BUDGET,
    StaffType,
)
from planner.schemas import CHECK_PARAMS, SCHEMAS, failures
from planner.text import fold, slug

_STAFF_TYPES = {
    **{fold(a): StaffType.CIVIL_SERVANT for a in (
        "civil_servant", "civil servant", "công chức", "CC", "CCHC", "biên chế công chức")},
    **{fold(a): StaffType.PUBLIC_EMPLOYEE for a in (
        "public_employee", "public employee", "viên chức", "VC", "người làm việc",
        "số người làm việc", "biên chế sự nghiệp")},
    **{fold(a): StaffType.CONTRACT for a in (
        "contract", "hợp đồng", "HĐ", "HD", "HĐLĐ", "hợp đồng lao động", "hợp đồng 68",
        "hợp đồng 111", "HĐ 68", "HĐ 111", "NĐ 68", "NĐ 111", "hợp đồng NĐ 68",
        "hợp đồng NĐ 111", "hợp đồng hỗ trợ, phục vụ", "hợp đồng theo NĐ 68/2000",
        "hợp đồng theo NĐ 111/2022")},
}
_FUNDING = {
    **{fold(a): STATE_BUDGET for a in (
        "state_budget", "state budget", "NSNN", "ngân sách", "ngân sách nhà nước",
        "ngân sách tỉnh", "ngân sách huyện", "budget")},
    **{fold(a): FEE_REVENUE for a in (
        "fee_revenue", "fee revenue", "fees", "phí", "phí, lệ phí", "phí, lệ phí để lại",
        "phí, lệ phí được để lại", "nguồn thu phí", "nguồn thu phí, lệ phí", "thu phí")},
    **{fold(a): "service_revenue" for a in (
        "service_revenue", "service revenue", "nguồn thu sự nghiệp", "thu sự nghiệp")},
}


def map_distinct(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``values.map(fn)``, calling ``fn`` once per distinct value (tables repeat names a lot).

    Values are told apart by type as well, so 1, 1.0 and True are not taken for one another.
    """
    seen: dict[tuple[type, Any], Any] = {}
    out = []
    for v in values.tolist():
        try:
            key = (type(v), v)
            hit = seen.get(key, _MISSING)
        except TypeError:  # unhashable cell (a list in a DataFrame)
            out.append(fn(v))
            continue
        if hit is _MISSING:
            hit = seen[key] = fn(v)
        out.append(hit)
    return pd.Series(out, index=values.index, dtype=object)


_MISSING = object()


def staff_type_key(value: str) -> str:
    """"Viên chức" → "public_employee"; unknown text is returned as typed (validation flags it)."""
    return _STAFF_TYPES.get(fold(value), value)


def funding_source_key(value: str) -> str:
    """"NSNN" → "state_budget"; other text becomes a key such as "nguon_thu_khac"."""
    key = fold(value)
    return _FUNDING.get(key, key.replace(" ", "_"))


def load_table(source: SourceFile | pd.DataFrame, spec: TableSpec, *,
               mapping: Mapping[str, str] | None = None, sheet: str | None = None,
               limits: Limits | None = None) -> tuple[pd.DataFrame, Located, list[Problem]]:
    """Read, locate and type one table. Raises :class:`InputError` with every problem found."""
    limits = limits or Limits.from_env()
    notes: list[Problem] = []
    if sheet and isinstance(source, SourceFile) and not is_workbook(source.data):
        notes.append(Problem(severity=Severity.WARNING, code="sheet_in_csv", file=source.name,
                             params={"sheet": sheet}))
        sheet = None
    located = _locate_first(_grids(source, sheet, limits), spec, mapping)
    grid = located.grid
    if len(located.frame) > limits.max_rows:
        raise InputError([Problem(severity=Severity.ERROR, code="too_many_rows",
                                  file=grid.file, sheet=grid.sheet,
                                  params={"rows": len(located.frame), "limit": limits.max_rows})])
    if located.frame.empty:
        raise InputError([*located.problems, Problem(
            severity=Severity.ERROR, code="no_data_rows", file=grid.file, sheet=grid.sheet,
            row=grid.excel_row(located.header_rows[-1]), params={"table": spec.name})],
            located.skipped)
    typed, problems = _type_columns(located, spec, limits)
    located.frame = located.frame.iloc[:0]  # the raw cells are typed now: release them
    return typed, located, notes + located.problems + problems


def _grids(source: SourceFile | pd.DataFrame, sheet: str | None, limits: Limits) -> Iterable[Grid]:
    if isinstance(source, pd.DataFrame):
        name = str(source.attrs.get("name", "table"))
        cells = source.astype(object).where(source.notna(), None).values.tolist()
        rows = [list(map(str, source.columns)), *cells]
        return [Grid(name, "", rows)]
    return read_sheets(source, sheet=sheet, limits=limits)


def _locate_first(grids: Iterable[Grid], spec: TableSpec,
                  mapping: Mapping[str, str] | None) -> Located:
    """The first sheet holding a recognisable table; else the errors of the best attempt."""
    first_error: InputError | None = None
    for grid in grids:
        try:
            return locate(grid, spec, mapping)
        except InputError as exc:
            # a sheet with the right headers but bad mapping beats a sheet with no table at all
            if first_error is None or (_tableless(first_error) and not _tableless(exc)):
                first_error = exc
    assert first_error is not None  # read_sheets yields at least one grid or raises
    raise first_error


def _tableless(exc: InputError) -> bool:
    return all(p.code in ("no_header", "single_column") for p in exc.errors)


def _type_columns(located: Located, spec: TableSpec,
                  limits: Limits) -> tuple[pd.DataFrame, list[Problem]]:
    raw = located.frame
    grid = located.grid
    problems: list[Problem] = []
    out = pd.DataFrame(index=raw.index)
    flagged = raw["_flagged"] if "_flagged" in raw else pd.Series([None] * len(raw))
    for col in spec.columns:
        if col.id not in raw.columns or col.id == "row_number":
            continue
        values = raw[col.id]
        if col.kind is Kind.TEXT:
            texts = map_distinct(values, text_value).astype(str)
            too_long = texts.str.len() > limits.max_cell_chars
            for idx in texts.index[too_long]:
                problems.append(_cell_problem(located, raw, idx, col.id, "cell_too_long",
                                              texts[idx][:40] + "…",
                                              chars=len(texts[idx]), limit=limits.max_cell_chars))
            out[col.id] = texts.where(~too_long, "")
            continue
        numbers, reasons = parse_column(values, col.kind)
        for idx in reasons.index[reasons.notna()]:
            if _is_flagged(flagged, idx, col.id):
                continue
            typed = text_value(values[idx])
            if len(typed) > limits.max_cell_chars:
                problems.append(_cell_problem(located, raw, idx, col.id, "cell_too_long",
                                              typed[:40] + "…", chars=len(typed),
                                              limit=limits.max_cell_chars))
                continue
            problems.append(_cell_problem(located, raw, idx, col.id, reasons[idx], typed,
                                          kind=col.kind.value))
        out[col.id] = numbers
    out["source_row"] = raw["source_row"].astype("int64")
    out["group_label"] = raw["group_label"].fillna("").astype(str)
    out = _apply_defaults(out, spec, located, problems)
    problems += _schema_problems(out, spec, located, located.problems + problems)
    out.attrs["file"] = grid.file
    out.attrs["sheet"] = grid.sheet
    return out.reset_index(drop=True), problems


def _is_flagged(flagged: pd.Series, idx: Any, col_id: str) -> bool:
    f = flagged.get(idx)
    return isinstance(f, set) and col_id in f


def _apply_defaults(t: pd.DataFrame, spec: TableSpec, located: Located,
                    problems: list[Problem]) -> pd.DataFrame:
    """Derive ids from names and fill optional columns with the contract's defaults."""
    if "unit_name" in t:
        given = t["unit_id"] if "unit_id" in t else pd.Series("", index=t.index)
        t["unit_id"] = given.where(given != "", map_distinct(t["unit_name"], slug))
    if "position_name" in t:
        given = t["position_id"] if "position_id" in t else pd.Series("", index=t.index)
        t["position_id"] = given.where(given != "", map_distinct(t["position_name"], slug))
    if spec.name == "quotas":
        st = t["staff_type"] if "staff_type" in t else pd.Series("", index=t.index)
        t["staff_type"] = map_distinct(
            st, lambda v: staff_type_key(v) if v else StaffType.CIVIL_SERVANT.value)
        fs = t["funding_source"] if "funding_source" in t else pd.Series("", index=t.index)
        t["funding_source"] = map_distinct(
            fs, lambda v: funding_source_key(v) if v else STATE_BUDGET)
        t["priority"] = _numeric(t, "priority").fillna(1.0)
        default_allowance = t["staff_type"].map(lambda s: DEFAULT_ALLOWANCE_RATES.get(s, 0.0))
        t["allowance_rate"] = _numeric(t, "allowance_rate").fillna(default_allowance)
        for col in ("annual_cost", "min_hires", "max_hires", "salary_coefficient"):
            t[col] = _numeric(t, col)
        blank_coef = t["salary_coefficient"].isna() & t["annual_cost"].isna()
        if "salary_coefficient" in located.columns:
            rows_in_error = {p.row for p in (*located.problems, *problems) if p.is_error}
            for idx in t.index[blank_coef]:
                if t.at[idx, "source_row"] not in rows_in_error:
                    problems.append(_cell_problem(located, t, idx, "salary_coefficient",
                                                  "default_coefficient", "",
                                                  coefficient=DEFAULT_SALARY_COEFFICIENT))
        t["salary_coefficient"] = t["salary_coefficient"].where(
            ~blank_coef, DEFAULT_SALARY_COEFFICIENT)
        if "sector" not in t or (t["sector"] == "").all():
            t["sector"] = t["group_label"]
        t["grade"] = t.get("grade", "")
    if spec.name == "headcounts" or "expected_departures" in t:
        t["expected_departures"] = _numeric(t, "expected_departures").fillna(0.0)
    if spec.name == "units":
        for col in ("max_hires", "budget_cap", "min_fill"):
            t[col] = _numeric(t, col)
    for col in ("sector", "grade"):
        if col in t:
            t[col] = t[col].fillna("")
    return t


def _numeric(t: pd.DataFrame, col: str) -> pd.Series:
    if col in t:
        return t[col].astype("float64")
    return pd.Series(float("nan"), index=t.index, dtype="float64")


def _schema_problems(t: pd.DataFrame, spec: TableSpec, located: Located,
                     earlier: list[Problem]) -> list[Problem]:
    seen = {(p.row, p.column) for p in earlier if p.is_error}
    raw = located.frame
    out: list[Problem] = []
    for rec in failures(t, SCHEMAS[spec.name]).itertuples(index=False):
        idx = rec.index
        column = located.column_ref(rec.column)
        row = int(t.at[idx, "source_row"])
        if (row, column) in seen:
            continue  # already reported as "not a number" etc.
        seen.add((row, column))
        value = "" if pd.isna(rec.value) else text_value(rec.value)
        if rec.column in raw and idx in raw.index and text_value(raw.at[idx, rec.column]):
            value = text_value(raw.at[idx, rec.column])  # as typed: "2,5", not 2.5
        code = rec.code
        if code == "blank_required" and rec.column in ("unit_id", "position_id"):
            continue  # derived from the name, whose blank is reported itself
        out.append(Problem(severity=Severity.ERROR, code=code, file=located.grid.file,
                           sheet=located.grid.sheet, row=row, column=column, value=value,
                           params={"column_id": rec.column, **CHECK_PARAMS.get(code, {})}))
    return out


def _cell_problem(located: Located, t: pd.DataFrame, idx: Any, col_id: str, code: str,
                  value: str, **params: Any) -> Problem:
    severity = Severity.WARNING if code == "default_coefficient" else Severity.ERROR
    return Problem(severity=severity, code=code, file=located.grid.file,
                   sheet=located.grid.sheet, row=int(t.at[idx, "source_row"]),
                   column=located.column_ref(col_id), value=value,
                   params={"column_id": col_id, **params})

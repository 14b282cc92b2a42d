"""Turn a located table (raw cells) into a typed table with the contract's columns and defaults.

Parsing never drops a row: a cell that is not a number becomes a problem naming its row and
column, and the row stays (it fails validation, so the whole input is refused, not half-read).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from planner.domain.columns import Kind, TableSpec, position_group_key, recruitment_form_key
from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity
from planner.domain.rules import (
    DEFAULT_ALLOWANCE_RATES,
    DEFAULT_SALARY_COEFFICIENT,
    FEE_REVENUE,
    STATE_BUDGET,
    StaffType,
)
from planner.domain.schemas import CHECK_PARAMS, failures
from planner.domain.text import fold, slug
from planner.io.hidden import Hidden, blank_hidden, hidden_parts
from planner.io.layout import WHOLE_UNIT, Located, locate
from planner.io.numbers import parse_column, text_value
from planner.io.sources import Grid, SourceFile, is_workbook, read_sheets

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


def cell(t: pd.DataFrame, idx: Hashable, column: str) -> Any:
    """One cell of ``t``: what it holds is known only at run time (pandas types it as any
    scalar at all)."""
    return t.at[idx, column]


def map_distinct(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """``values.map(fn)``, calling ``fn`` once per distinct value (tables repeat names a lot).

    Values are told apart by type as well, so 1, 1.0 and True are not taken for one another.
    """
    seen: dict[Any, Any] = {}
    out: list[Any] = []
    append = out.append
    for v in values.tolist():
        # text (most cells) is its own key: no tuple is built for it, and a str never equals
        # the (type, value) key of anything else
        key = v if type(v) is str else (type(v), v)
        try:
            hit = seen.get(key, _MISSING)
        except TypeError:  # unhashable cell (a list in a DataFrame)
            append(fn(v))
            continue
        if hit is _MISSING:
            hit = seen[key] = fn(v)
        append(hit)
    return pd.Series(out, index=values.index, dtype=object)


_MISSING = object()


def is_in(values: pd.Series, allowed: Iterable[Hashable]) -> pd.Series:
    """``values.isin(allowed)`` for a table's text keys, as fast as pandas' hash table.

    pandas 3 types text as pyarrow strings, and its ``isin`` on them turns every allowed value
    into a pyarrow scalar first: 0.1 s to match 6,000 position keys, three times per file set.
    Compared as Python objects the same membership is a hash lookup (3 ms); missing values
    match missing values either way.
    """
    return values.astype(object).isin(allowed if isinstance(allowed, pd.Index)
                                      else list(allowed))

#: :func:`planner.domain.text.slug`, remembered: a table's unit and position names are turned
#: into codes more than once (typing the table, then joining the tables)
name_code = lru_cache(maxsize=1 << 16)(slug)


def staff_type_key(value: str) -> str:
    """"Viên chức" → "public_employee"; unknown text is returned as typed (validation flags it)."""
    return _STAFF_TYPES.get(fold(value), value)


def funding_source_key(value: str) -> str:
    """"NSNN" → "state_budget"; other text becomes a key such as "nguon_thu_khac"."""
    key = fold(value)
    return _FUNDING.get(key, key.replace(" ", "_"))


def load_table(source: SourceFile | pd.DataFrame, spec: TableSpec, *,
               mapping: Mapping[str, str] | None = None, sheet: str | None = None,
               limits: Limits | None = None, year: int | None = None
               ) -> tuple[pd.DataFrame, Located, list[Problem]]:
    """Read, locate and type one table. Raises :class:`InputError` with every problem found.

    ``year`` picks among columns for several years ("Biên chế giao năm 2025 | năm 2026");
    without it the latest year is read (with a warning naming both)."""
    limits = limits or Limits.from_env()
    notes: list[Problem] = []
    if sheet and isinstance(source, SourceFile) and not is_workbook(source.data):
        notes.append(Problem(severity=Severity.WARNING, code="sheet_in_csv", file=source.name,
                             params={"sheet": sheet}))
        sheet = None
    grids = iter(_grids(source, sheet, limits))
    # the reader sizes every sheet (and refuses one too large) before the first grid comes
    # out; only then may the hidden parts be looked up, which opens an ODS or XLS whole
    first = next(grids, None)
    hidden = hidden_parts(source) if isinstance(source, SourceFile) else {}
    if sheet:  # a sheet chosen by name is read, hidden or not (its rows and columns are not)
        for info in hidden.values():
            info.sheet_hidden = False
    located = _locate_first(itertools.chain([] if first is None else [first], grids), spec,
                            mapping, year=year, hidden=hidden, notes=notes)
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
                  mapping: Mapping[str, str] | None, *, year: int | None,
                  hidden: dict[str, Hidden], notes: list[Problem]) -> Located:
    """The first visible sheet holding a recognisable table; else the errors of the best
    attempt. Hidden sheets are skipped with a warning, hidden rows and columns blanked with
    one; a table found only on a hidden sheet is refused, saying so."""
    first_error: InputError | None = None
    hidden_tables: list[str] = []
    skipped_sheets: list[Problem] = []
    for grid in grids:
        info = hidden.get(grid.sheet)
        if info is not None and info.sheet_hidden:
            try:
                locate(grid, spec, mapping, year=year)
                hidden_tables.append(grid.sheet)
            except InputError:
                pass
            skipped_sheets.append(Problem(severity=Severity.WARNING, code="hidden_sheet_skipped",
                                          file=grid.file, sheet=grid.sheet))
            continue
        blanked: list[Problem] = []
        if info is not None:
            grid, blanked = blank_hidden(grid, info)
        try:
            located = locate(grid, spec, mapping, year=year)
        except InputError as exc:
            # a sheet with the right headers but bad mapping beats a sheet with no table at all
            if first_error is None or (_tableless(first_error) and not _tableless(exc)):
                first_error = exc
            continue
        notes += skipped_sheets + blanked
        return located
    if hidden_tables and (first_error is None or _tableless(first_error)):
        raise InputError([Problem(severity=Severity.ERROR, code="table_on_hidden_sheet",
                                  file=next(iter(hidden.values())).file,
                                  sheet=hidden_tables[0],
                                  params={"sheets": ", ".join(hidden_tables)})])
    if first_error is None:  # every sheet was hidden and held no table
        raise InputError(skipped_sheets or [Problem(severity=Severity.ERROR, code="no_sheets")])
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
    for name in ("_part", "_part_staff_type", "_part_label", "_part_position"):
        if name in raw:
            out[name] = raw[name]
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
    """Derive ids from names and fill optional columns with the contract's defaults.

    A table without a job position column stands for whole units: its rows are named
    "Toàn đơn vị". A row of a staff-type split takes the part's staff type and adds it to the
    position's name ("Toàn đơn vị (viên chức)"); a row of a wide table takes the position its
    column names. A table keyed by codes alone shows the codes as names.
    """
    if "_part" in t:
        wide = t["_part_position"] != ""
        if "position_name" in t:
            t.loc[wide, "position_name"] = t.loc[wide, "_part_position"]
        else:
            t["position_name"] = t["_part_position"].where(wide, WHOLE_UNIT)
        labelled = ~wide & (t["_part_label"] != "")
        t.loc[labelled, "position_name"] = (t.loc[labelled, "position_name"].where(
            t.loc[labelled, "position_name"] != "", WHOLE_UNIT) + " (" + t.loc[
            labelled, "_part_label"] + ")")
        typed = t["_part_staff_type"] != ""
        if spec.name == "quotas":
            st = t["staff_type"] if "staff_type" in t else pd.Series("", index=t.index)
            t["staff_type"] = st.where(~typed, t["_part_staff_type"])
        if "position_id" in t:
            t.loc[typed | wide, "position_id"] = ""
    if "unit_name" not in t and "unit_id" in t:
        t["unit_name"] = t["unit_id"]
    if "position_name" not in t:
        t["position_name"] = t.get("position_id", WHOLE_UNIT)
    if "unit_name" in t:
        given = t["unit_id"] if "unit_id" in t else pd.Series("", index=t.index)
        t["unit_id"] = given.where(given != "", map_distinct(t["unit_name"], name_code))
    if "position_name" in t:
        given = t["position_id"] if "position_id" in t else pd.Series("", index=t.index)
        position_ids = map_distinct(t["position_name"], name_code)
        t["position_id"] = given.where(given != "", position_ids)
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
        # a blank coefficient stays blank (NaN): the scenario's default for the row's staff
        # type costs it (planner.domain.gaps), so the default is a plan parameter, not a
        # read-time one
        blank_coef = t["salary_coefficient"].isna() & t["annual_cost"].isna()
        rows_in_error = {p.row for p in (*located.problems, *problems) if p.is_error}
        costed = t.index[blank_coef & ~t["source_row"].isin(rows_in_error)]
        if len(costed):
            # one summary warning, not one per row: most offices' tables carry no coefficient
            first = costed[0]
            problems.append(Problem(
                severity=Severity.WARNING, code="default_coefficient", file=located.grid.file,
                sheet=located.grid.sheet, row=int(cell(t, first, "source_row")),
                column=located.column_ref("salary_coefficient")
                if "salary_coefficient" in located.columns else "",
                params={"column_id": "salary_coefficient", "rows": len(costed),
                        "coefficient": DEFAULT_SALARY_COEFFICIENT}))
        for col, key in (("position_group", position_group_key),
                         ("recruitment_form", recruitment_form_key)):
            if col in t:  # optional document columns (issue 16): codes from words
                t[col] = map_distinct(t[col].fillna(""), key)
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
    return t.drop(columns=[c for c in t.columns if c.startswith("_part")])


def _numeric(t: pd.DataFrame, col: str) -> pd.Series:
    if col in t:
        return t[col].astype("float64")
    return pd.Series(float("nan"), index=t.index, dtype="float64")


def _schema_problems(t: pd.DataFrame, spec: TableSpec, located: Located,
                     earlier: list[Problem]) -> list[Problem]:
    seen = {(p.row, p.column) for p in earlier if p.is_error}
    raw = located.frame
    out: list[Problem] = []
    rec: Any  # itertuples' named fields are known only at run time
    for rec in failures(t, spec.name).itertuples(index=False):
        idx = rec.index
        part = int(cell(raw, idx, "_part")) if "_part" in raw and idx in raw.index else None
        column = located.column_ref(rec.column, part)
        row = int(cell(t, idx, "source_row"))
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
    part = int(cell(t, idx, "_part")) if "_part" in t else None
    return Problem(severity=severity, code=code, file=located.grid.file,
                   sheet=located.grid.sheet, row=int(cell(t, idx, "source_row")),
                   column=located.column_ref(col_id, part), value=value,
                   params={"column_id": col_id, **params})

"""The table sheets of the plan workbook: By unit, Detail, Parameters and Checks.

Each writer lays a title line, then one formatted table (header row, data, total row where
sums mean something), freezes the rows down to the header, puts an autofilter on the data
and sets up printing (A4 landscape, fit to width, header row on every page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from planner.domain.problems import Problem, SkippedRow, problems_table
from planner.export.headers import header, in_words, kind, summed, text
from planner.export.summary import has_plan
from planner.export.xlsx import (
    TEXT_CHARS_PER_UNIT,
    Column,
    Formats,
    Span,
    fit_row_heights,
    freeze_and_filter,
    page_setup,
    set_widths,
    wrapped_lines,
    write_cell,
    write_formula,
    write_table,
)
from planner.i18n import t

#: Columns of the By unit sheet, in order (those the allocation lacks are left out).
BY_UNIT_COLUMNS = [
    "row_number", "unit_id", "unit_name", "quota", "headcount", "expected_departures",
    "vacancies", "redeployable", "hires", "remaining_vacancies", "hires_cost", "hires_cost_million",
    "fill_rate_before", "fill_rate_after", "min_required", "bound", "why_text",
]
CHECK_COLUMNS = ["check_type", "file", "sheet", "row", "column", "value", "message", "code"]
_TITLE_ROW, _HEADER_ROW = 0, 2
_VALUE_WIDTH = 30  # the Parameters sheet's value column


def columns_for(frame: pd.DataFrame, keys: Sequence[str], lang: str) -> list[Column]:
    out = []
    for key in keys:
        k = kind(key, frame[key] if key in frame.columns else None)
        out.append(Column(key, header(key, lang), k, total=summed(key, k)))
    return out


def _title(ws: Worksheet, fmt: Formats, title: str, subtitle: str) -> None:
    ws.write_string(_TITLE_ROW, 0, title, fmt.get(bold=True, border=False, size=13))
    ws.write_string(_TITLE_ROW + 1, 0, subtitle, fmt.get(border=False, italic=True))


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True).assign(row_number=range(1, len(frame) + 1))


def write_by_unit(ws: Worksheet, fmt: Formats, by_unit: pd.DataFrame, *, lang: str,
                  subtitle: str) -> Span:
    """One row per unit with a total row; fill rates in the total row are ratios of totals."""
    frame = _numbered(in_words(by_unit, lang))
    frame["hires_cost_million"] = frame["hires_cost"] / 1e6
    if "why" in by_unit.columns:  # why a unit left with vacancies got no more, in words
        from planner.present.plan_text import why_words

        frame["why_text"] = [why_words(r, lang) or "" for r in by_unit.to_dict("records")]
    keys = [k for k in BY_UNIT_COLUMNS if k in frame.columns]
    columns = columns_for(frame, keys, lang)
    _title(ws, fmt, text("sheet_title.by_unit", lang), subtitle)
    span = write_table(ws, fmt, frame, columns, row=_HEADER_ROW, label_col=_label_col(keys),
                       total_label=text("total", lang))
    _fill_rate_totals(ws, fmt, span, frame)
    set_widths(ws, frame, columns, header_row=span.header_row)
    freeze_and_filter(ws, span)
    page_setup(ws, repeat_row=span.header_row, footer=text("page", lang))
    if len(keys) > PRINTED_COLUMNS:
        # A4 prints about ten columns readably: the key ones on the first page across, the
        # rest on a second, with the row number and the unit's name repeated on the left
        ws.set_v_pagebreaks([PRINTED_COLUMNS - 1])  # xlsxwriter breaks after this column
        ws.repeat_columns(0, _label_col(keys))
        ws.fit_to_pages(2, 0)
    return span


#: Columns of the By unit sheet on the first page across when printed.
PRINTED_COLUMNS = 10


def _label_col(keys: Sequence[str]) -> int:
    """The total label goes in the unit name column (else the first column)."""
    return keys.index("unit_name") if "unit_name" in keys else 0


def _fill_rate_totals(ws: Worksheet, fmt: Formats, span: Span, frame: pd.DataFrame) -> None:
    """Fill rate of the whole plan = (on board − departures [+ hires]) ÷ quota, from the totals."""
    needed = {"quota", "headcount", "expected_departures", "hires"}
    if span.total_row is None or not needed <= {c.key for c in span.columns}:
        return
    q, h, d, n = (span.total_cell(k) for k in ("quota", "headcount", "expected_departures",
                                                "hires"))
    quota = frame["quota"].sum()
    staying = frame["headcount"].sum() - frame["expected_departures"].sum()
    cell_format = fmt.get("rate", bold=True, fill="#F2F2F2")
    planned = has_plan(frame)
    for key, formula, value in (
        ("fill_rate_before", f'=IF({q}>0,({h}-{d})/{q},"")', staying / quota if quota else None),
        ("fill_rate_after", f'=IF({q}>0,({h}-{d}+{n})/{q},"")',
         (staying + frame["hires"].sum()) / quota if quota else None),
    ):
        if key == "fill_rate_after" and not planned:
            continue  # no plan, no fill rate after it (the cell stays blank)
        if key in {c.key for c in span.columns}:
            write_formula(ws, span.total_row, span.col(key), formula, value, cell_format)


def write_detail(ws: Worksheet, fmt: Formats, plan: pd.DataFrame, *, lang: str,
                 subtitle: str) -> Span:
    """One row per (unit, position), every column of the plan, with a total row."""
    frame = _numbered(in_words(plan, lang))
    keys = ["row_number", *plan.columns]
    columns = columns_for(frame, keys, lang)
    _title(ws, fmt, text("sheet_title.detail", lang), subtitle)
    span = write_table(ws, fmt, frame, columns, row=_HEADER_ROW, label_col=_label_col(keys),
                       total_label=text("total", lang))
    set_widths(ws, frame, columns, header_row=span.header_row)
    freeze_and_filter(ws, span)
    page_setup(ws, repeat_row=span.header_row, footer=text("page", lang))
    return span


def write_parameters(ws: Worksheet, fmt: Formats, parameters: list[tuple[str, str, Any, str]],
                     settings: Mapping[str, pd.DataFrame], files: pd.DataFrame,
                     fingerprint: str | None, *, lang: str, subtitle: str,
                     solver_rows: Sequence[tuple[str, Any, str]] = ()) -> Span:
    """Every parameter (label, value, key), per-row and per-unit settings, the solver's
    result (status, objective, bound, gap: kept off page 1), the input files."""
    _title(ws, fmt, text("sheet_title.parameters", lang), subtitle)
    frame = pd.DataFrame(parameters, columns=["parameter", "key", "value", "kind"])
    columns = [Column("parameter", header("parameter", lang)),
               Column("value", header("value", lang)),
               Column("key", header("key", lang))]
    for j, c in enumerate(columns):
        ws.write_string(_HEADER_ROW, j, c.header, fmt.get(header=True))
    row = _HEADER_ROW
    record: Any  # itertuples' named fields are known only at run time
    for record in frame.itertuples(index=False):
        row += 1
        ws.write_string(row, 0, record.parameter, fmt.get())
        if record.value is None:
            ws.write_string(row, 1, text("not_set", lang), fmt.get(italic=True, align="right"))
        else:
            wrap = record.kind == "text"
            write_cell(ws, row, 1, record.value, fmt.get(record.kind, wrap=wrap), record.kind)
            lines = wrapped_lines(str(record.value), _VALUE_WIDTH * TEXT_CHARS_PER_UNIT - 1)
            if wrap and lines > 1:
                ws.set_row(row, 15 * lines + 2)
        ws.write_string(row, 2, record.key, fmt.get())
    span = Span(header_row=_HEADER_ROW, first_row=_HEADER_ROW + 1, last_row=row, total_row=None,
                columns=tuple(columns))
    ws.set_column(0, 0, 52)
    ws.set_column(1, 1, _VALUE_WIDTH)
    ws.set_column(2, 2, 34)
    if not files.empty:  # the input files' table below: fingerprints and row counts
        ws.set_column(3, 3, 68)
        ws.set_column(4, 4, 12)
    ws.freeze_panes(span.header_row + 1, 0)
    row += 2
    for name, table in settings.items():
        if table.empty:
            continue
        ws.write_string(row, 0, text(f"parameters.{name}", lang),
                        fmt.get(bold=True, border=False, size=12))
        cols = columns_for(table, list(table.columns), lang)
        row = write_table(ws, fmt, table, cols, row=row + 1).next_row + 1
    if solver_rows:
        from planner.export.summary import write_solver_rows

        ws.write_string(row, 0, text("summary.solver_section", lang),
                        fmt.get(bold=True, border=False, size=12))
        row = write_solver_rows(ws, fmt, row + 1, list(solver_rows), width=2,
                                chars=_VALUE_WIDTH + 34 - 2) + 1
    ws.write_string(row, 0, text("parameters.files", lang), fmt.get(bold=True, border=False,
                                                                     size=12))
    if files.empty:
        ws.write_string(row + 1, 0, text("parameters.no_files", lang), fmt.get(border=False,
                                                                             italic=True))
        row += 2
    else:
        cols = [Column(k, header(f"file_{k}", lang), "count" if k == "rows" else "text")
                for k in files.columns]
        row = write_table(ws, fmt, files, cols, row=row + 1).next_row
        if fingerprint:
            ws.write_string(row, 0, text("parameters.fingerprint", lang), fmt.get(bold=True))
            ws.write_string(row, 1, fingerprint, fmt.get(bold=True))
            row += 1
    page_setup(ws, repeat_row=None, footer=text("page", lang))
    return span


def checks_table(warnings: Sequence[Problem], skipped: Sequence[SkippedRow],
                 lang: str) -> pd.DataFrame:
    """Validation warnings and skipped rows in one table (warnings first)."""
    problems = problems_table(list(warnings), lang).assign(
        check_type=lambda t: t["severity"].map(lambda s: text(f"checks.{s}", lang)))

    rows = pd.DataFrame({
        "check_type": text("checks.skipped", lang),
        "file": [s.file for s in skipped], "sheet": [s.sheet for s in skipped],
        "row": pd.array([s.row for s in skipped], dtype="Int64"), "column": "",
        "value": [s.text for s in skipped],
        "message": [t(f"skipped.{s.kind}", lang) for s in skipped],
        "code": [s.kind for s in skipped],
    }, columns=CHECK_COLUMNS)
    parts = [p for p in (problems[CHECK_COLUMNS], rows) if not p.empty]
    if not parts:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def write_checks(ws: Worksheet, fmt: Formats, table: pd.DataFrame | None, *, lang: str,
                 subtitle: str) -> Span:
    _title(ws, fmt, text("sheet_title.checks", lang), subtitle)
    frame = table if table is not None else pd.DataFrame(columns=CHECK_COLUMNS)
    columns = [Column(k, header(f"check_{k}", lang), "count" if k == "row" else "text",
                      wrap=k in ("message", "value")) for k in CHECK_COLUMNS]
    span = write_table(ws, fmt, frame, columns, row=_HEADER_ROW)
    set_widths(ws, frame, columns, header_row=span.header_row,
               minimum=(12, 18, 12, 6, 14, 20, 40, 12))
    widths: dict[str, float] = {"value": 32, "message": 70}
    for key, width in widths.items():
        ws.set_column(span.col(key), span.col(key), width)
    fit_row_heights(ws, frame, span, widths)
    if table is None or table.empty:
        key = "checks.no_inputs" if table is None else "checks.none"
        ws.write_string(span.next_row + 1, 0, text(key, lang), fmt.get(border=False, italic=True))
    freeze_and_filter(ws, span)
    page_setup(ws, repeat_row=span.header_row, footer=text("page", lang))
    return span


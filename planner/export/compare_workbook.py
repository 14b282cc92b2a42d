"""A scenario comparison as an Excel workbook (bytes): headline, per unit, parameters, inputs.

Every text is written with ``write_string`` and the workbook refuses to turn strings into
formulas, links or numbers. Headers are frozen and filterable; differences are highlighted
with conditional formats, green where the scenario is better than the reference and red
where it is worse (more hires and higher fill are better; more remaining vacancies are
worse; money spent is neither and is not coloured), so they stay highlighted when the user
sorts or edits. Differences of rates are in percentage points; parameters are in words.
When the scenarios were solved on different input data the first sheet says so in its
second line.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd
import xlsxwriter

from planner.export.xlsx import workbook_options
from planner.i18n import t
from planner.present.compare import (
    BETTER,
    Comparison,
    by_unit_headers,
    figure_label,
    parameter_label,
    parameter_value,
    text_value,
)

_NUM = {"count": "#,##0", "money": "#,##0", "share": "0.0%", "text": "@"}


def compare_xlsx(cmp: Comparison, *, lang: str = "vi") -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, workbook_options(office_font=False))
    f = _Formats(wb, lang)
    _headline_sheet(wb, f, cmp, lang)
    _by_unit_sheet(wb, f, cmp, lang)
    _parameters_sheet(wb, f, cmp, lang)
    _inputs_sheet(wb, f, cmp, lang)
    wb.close()
    return buf.getvalue()


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook, lang: str) -> None:
        self.title = wb.add_format({"bold": True, "font_size": 13})
        self.warn = wb.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE",
                                   "text_wrap": True})
        self.header = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                     "text_wrap": True, "valign": "top"})
        self.text = wb.add_format({"num_format": "@"})
        self.num = {k: wb.add_format({"num_format": v}) for k, v in _NUM.items()}
        self.signed = {k: wb.add_format({"num_format": "+#,##0;-#,##0;0"})
                       for k in ("count", "money")}
        self.points = wb.add_format({"num_format": t("compare.points_format", lang)})
        self.up = wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.down = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.changed = wb.add_format({"bg_color": "#FFEB9C"})


def _write(ws: Any, row: int, col: int, value: Any, fmt: Any, f: _Formats) -> None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float) or hasattr(value, "item"):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), f.text if fmt is None else fmt)


def _header(ws: Any, row: int, headers: list[str], f: _Formats, widths: list[int]) -> None:
    for c, (h, w) in enumerate(zip(headers, widths, strict=True)):
        ws.write_string(row, c, h, f.header)
        ws.set_column(c, c, w)
    ws.freeze_panes(row + 1, 0)


def _highlight(ws: Any, f: _Formats, first: int, last: int, col: int,
               direction: int = 1) -> None:
    """Green where the difference is better, red where worse (``direction`` -1: fewer is
    better; 0: not coloured)."""
    if last < first or not direction:
        return
    good, bad = (f.up, f.down) if direction > 0 else (f.down, f.up)
    ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": ">", "value": 0,
                                                  "format": good})
    ws.conditional_format(first, col, last, col, {"type": "cell", "criteria": "<", "value": 0,
                                                  "format": bad})


def _headline_sheet(wb: Any, f: _Formats, cmp: Comparison, lang: str) -> None:
    ws = wb.add_worksheet(t("store.sheet.headline", lang)[:31])
    ws.write_string(0, 0, t("store.compare.title", lang, names=", ".join(cmp.labels)), f.title)
    warning = cmp.warning(lang)
    if warning:
        ws.set_row(1, 48)
        ws.merge_range(1, 0, 1, 2 * cmp.n - 1, warning, f.warn)
    else:
        ws.write_string(1, 0, t("store.compare.same_inputs", lang), f.text)
    top = 3
    headers = [t("store.col.figure", lang), *cmp.labels,
               *[t("store.col.diff", lang, name=cmp.labels[i - 1], base=cmp.labels[0])
                 for i in range(2, cmp.n + 1)]]
    _header(ws, top, headers, f, [34] + [22] * (len(headers) - 1))
    h = cmp.headline
    for r, rec in enumerate(h.to_dict("records"), start=top + 1):
        kind = rec["kind"]
        ws.write_string(r, 0, figure_label(rec["figure"], lang), f.text)
        for i in range(1, cmp.n + 1):
            value = rec[f"s{i}"]
            if kind == "text":
                value = text_value(rec["figure"], value, lang)
            _write(ws, r, i, value, f.num[kind], f)
        for i in range(2, cmp.n + 1):
            col = cmp.n + i - 1
            diff = rec[f"diff_{i}"]
            if kind == "share":  # percentage points
                _write(ws, r, col, None if diff is None else float(diff) * 100, f.points, f)
            else:
                _write(ws, r, col, diff, f.signed.get(kind, f.text), f)
            _highlight(ws, f, r, r, col, BETTER.get(rec["figure"], 0))
    last = top + len(h)
    ws.autofilter(top, 0, last, len(headers) - 1)


def _by_unit_sheet(wb: Any, f: _Formats, cmp: Comparison, lang: str) -> None:
    ws = wb.add_worksheet(t("store.sheet.by_unit", lang)[:31])
    table = cmp.by_unit
    names = by_unit_headers(cmp, lang)
    columns = list(table.columns)
    _header(ws, 0, [names.get(c, c) for c in columns], f,
            [12 if c == "unit_id" else 44 if c == "unit_name" else 16 for c in columns])
    diff_cols = {c for c in columns if "_diff_" in c}
    for r, rec in enumerate(table.itertuples(index=False), start=1):
        for c, (col, value) in enumerate(zip(columns, rec, strict=True)):
            if col in ("unit_id", "unit_name"):
                ws.write_string(r, c, str(value), f.text)
            elif col == "changed":
                ws.write_boolean(r, c, bool(value))
            else:
                _write(ws, r, c, value, f.signed["count"] if col in diff_cols
                       else f.num["count"], f)
    last = len(table)
    for c, col in enumerate(columns):
        if col in diff_cols:
            _highlight(ws, f, 1, last, c, BETTER[col.split("_diff_")[0]])
    if "changed" in columns and last:
        c = columns.index("changed")
        ws.conditional_format(1, 1, last, 1, {"type": "formula",
                                               "criteria": f"=${_col(c)}2=TRUE",
                                               "format": f.changed})
    ws.autofilter(0, 0, max(last, 1), len(columns) - 1)


def _parameters_sheet(wb: Any, f: _Formats, cmp: Comparison, lang: str) -> None:
    ws = wb.add_worksheet(t("store.sheet.parameters", lang)[:31])
    p = cmp.parameters
    headers = [t("store.col.parameter", lang), *cmp.labels, t("store.col.differs", lang)]
    _header(ws, 0, headers, f, [52] + [26] * cmp.n + [12])
    for r, rec in enumerate(p.to_dict("records"), start=1):
        ws.write_string(r, 0, parameter_label(rec["parameter"], lang), f.text)
        for i in range(1, cmp.n + 1):
            ws.write_string(r, i, parameter_value(rec["parameter"], str(rec[f"s{i}"]), lang),
                            f.text)
        ws.write_boolean(r, cmp.n + 1, bool(rec["differs"]))
    if len(p):
        ws.conditional_format(1, 0, len(p), cmp.n, {
            "type": "formula", "criteria": f"=${_col(cmp.n + 1)}2=TRUE", "format": f.changed})
    ws.autofilter(0, 0, max(len(p), 1), len(headers) - 1)


def _inputs_sheet(wb: Any, f: _Formats, cmp: Comparison, lang: str) -> None:
    ws = wb.add_worksheet(t("store.sheet.inputs", lang)[:31])
    table = cmp.inputs
    headers = [t("store.col.role", lang)]
    for label in cmp.labels:
        headers += [t("store.col.file", lang, name=label),
                    t("store.col.fingerprint", lang, name=label)]
    headers.append(t("store.col.same", lang))
    _header(ws, 0, headers, f, [16] + [28, 16] * cmp.n + [12])
    for r, rec in enumerate(table.to_dict("records"), start=1):
        ws.write_string(r, 0, t(f"store.role.{rec['role']}", lang), f.text)
        for i in range(1, cmp.n + 1):
            ws.write_string(r, 2 * i - 1, str(rec[f"name_{i}"]), f.text)
            ws.write_string(r, 2 * i, str(rec[f"fingerprint_{i}"]), f.text)
        ws.write_boolean(r, 2 * cmp.n + 1, bool(rec["same"]))
    ws.autofilter(0, 0, max(len(table), 1), len(headers) - 1)


def _col(index: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(index))  # xlsxwriter ships no type hints

"""Plain tables as CSV or XLSX bytes, safe to open in Excel and LibreOffice.

CSV: UTF-8 with a BOM (Excel then shows Vietnamese correctly); a text cell that starts with
``= + - @``, a tab or a carriage return gets a leading apostrophe so spreadsheets treat it as
text (OWASP "CSV injection"); numbers stay numbers. XLSX: strings are written as strings,
never as formulas, links or numbers.
"""

from __future__ import annotations

import io

import pandas as pd

from planner.columns import label

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text value that a spreadsheet would run as a formula; leave others alone."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def headers_for(columns: list[str], headers: str) -> list[str]:
    """Column headers: canonical ids ("ids") or labels in "vi" / "en"."""
    if headers == "ids":
        return list(columns)
    return [label(c, headers) for c in columns]


def table_csv(table: pd.DataFrame, *, headers: str = "ids") -> bytes:
    out = table.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = headers_for(list(table.columns), headers)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def table_xlsx(table: pd.DataFrame, *, sheet: str = "Sheet1", lang: str = "vi") -> bytes:
    buf = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": options}) as xw:
        shown = table.copy()
        shown.columns = headers_for(list(table.columns), lang)
        shown.to_excel(xw, sheet_name=sheet[:31], index=False)
        ws = xw.sheets[sheet[:31]]
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(shown), len(shown.columns) - 1)
        for i, col in enumerate(shown.columns):
            width = max([len(str(col))] + [len(str(v)) for v in shown.iloc[:200, i]]) + 2
            ws.set_column(i, i, min(width, 50))
    return buf.getvalue()

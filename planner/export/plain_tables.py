"""Plain tables as CSV or XLSX bytes, safe to open in Excel and LibreOffice.

CSV: UTF-8 with a BOM (Excel then shows Vietnamese correctly); a text cell that starts with
``= + - @``, a tab or a carriage return gets a leading apostrophe so spreadsheets treat it as
text (OWASP "CSV injection"); numbers stay numbers, and whole numbers are written without
".0". XLSX: strings are written as strings, never as formulas, links or numbers; numbers get
the format of their kind (counts, whole đồng, percentages), the header row is frozen and
filtered, and the sheet prints on A4 landscape, fitted to the width.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import xlsxwriter

from planner.export.headers import header, in_words, kind, text
from planner.export.xlsx import (
    Column,
    Formats,
    freeze_and_filter,
    page_setup,
    set_widths,
    workbook_options,
    write_table,
)

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
    return [header(c, headers) for c in columns]


def whole_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """A copy where float columns holding only whole numbers (and blanks) become integers."""
    out = table.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s):
            values = s.dropna()
            if values.abs().lt(2**53).all() and (values % 1 == 0).all():
                out[col] = s.astype("Int64")
    return out


def table_csv(table: pd.DataFrame, *, headers: str = "ids") -> bytes:
    out = whole_numbers(table)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = headers_for(list(table.columns), headers)
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def table_xlsx(table: pd.DataFrame, *, sheet: str = "Sheet1", lang: str = "vi") -> bytes:
    """One formatted sheet: headers in ``lang`` on row 1 (frozen, filtered), staff types and
    funding sources in words, numbers formatted by kind, A4 landscape print set-up."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, workbook_options())
    # fixed properties: the same table gives the same bytes
    workbook.set_properties({"author": "planner", "created": dt.datetime(2000, 1, 1)})
    ws = workbook.add_worksheet(sheet[:31])
    fmt = Formats(workbook)
    shown = in_words(table, lang)
    columns = [Column(c, header(c, lang), kind(c, table[c])) for c in table.columns]
    span = write_table(ws, fmt, shown, columns, row=0)
    set_widths(ws, shown, columns, header_row=0)
    freeze_and_filter(ws, span)
    page_setup(ws, repeat_row=0, footer=text("page", lang))
    workbook.close()
    return buffer.getvalue()

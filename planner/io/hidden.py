"""Hidden sheets, rows and columns: never read silently (issue 11, item 11).

Offices hide last year's columns, scratch rows and whole working sheets rather than delete them.
By default a hidden sheet is skipped, and hidden rows and columns are blanked before the table
is looked for, each with a warning naming them; a workbook whose only table sits on a hidden
sheet is refused, saying so.

What is read where: sheet visibility from calamine's ``sheets_metadata`` (XLSX, XLS, ODS);
hidden rows and columns from the sheet XML of an XLSX (``<row hidden="1">``, ``<col min max
hidden="1">``) and from the ODS ``content.xml`` (``table:visibility="collapse"|"filter"``).
An .xls file's hidden rows and columns cannot be seen through calamine: such a file gets a
warning saying so.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from planner.domain.problems import Problem, Severity
from planner.domain.text import column_letter
from planner.io.files import OLE_MAGIC, ZIP_MAGIC, Grid, SourceFile
from planner.io.numbers import cell_text
from planner.io.sources import sheet_paths

_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*?)/?>")
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_R = re.compile(rb'\br="(\d+)"')
_MIN = re.compile(rb'\bmin="(\d+)"')
_MAX = re.compile(rb'\bmax="(\d+)"')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s>/]")


@dataclass
class Hidden:
    """What one sheet hides: the sheet itself, rows (Excel numbers), columns (0-based)."""

    file: str
    sheet_hidden: bool = False
    rows: set[int] = field(default_factory=set)
    columns: set[int] = field(default_factory=set)
    unchecked: bool = False  # an .xls: rows and columns cannot be seen


def hidden_parts(source: SourceFile) -> dict[str, Hidden]:
    """Sheet name → what it hides ({} for a CSV, or when the workbook cannot be opened: the
    reader then says what is wrong with it)."""
    data = source.data
    if not data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return {}
    out: dict[str, Hidden] = {}
    if data.startswith(ZIP_MAGIC):
        try:
            z = zipfile.ZipFile(io.BytesIO(data))
            if "xl/workbook.xml" in z.namelist():
                return _xlsx(z, source.name)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
            return {}  # the reader refuses the file itself
    try:
        from python_calamine import CalamineWorkbook, SheetVisibleEnum

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for meta in book.sheets_metadata:
            # (not a test on str(meta.visible): "SheetVisibleEnum.Hidden" holds "Visible")
            out[meta.name] = Hidden(source.name,
                                    sheet_hidden=meta.visible != SheetVisibleEnum.Visible)
    except Exception:
        return {}
    if data.startswith(OLE_MAGIC):
        for h in out.values():
            h.unchecked = True
        return out
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        if "content.xml" in z.namelist():
            _ods(z, out, source.name)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error,
            ElementTree.ParseError):
        pass  # a damaged part: the reader refuses the file itself
    return out


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_NAME = re.compile(rb'\bname="([^"]*)"')
_STATE = re.compile(rb'\bstate="(hidden|veryHidden)"')


def _xlsx(z: zipfile.ZipFile, file: str) -> dict[str, Hidden]:
    """From the XLSX parts themselves (no second parse of the workbook by calamine)."""
    from html import unescape

    out: dict[str, Hidden] = {}
    try:
        book = z.read("xl/workbook.xml")
        for attrs in _SHEET_TAG.findall(book):
            found = _NAME.search(attrs)
            if found:
                key = unescape(found.group(1).decode("utf-8", "replace"))
                out[key] = Hidden(file, sheet_hidden=_STATE.search(attrs) is not None)
        for name, path in sheet_paths(z).items():
            _xlsx_sheet(z.read(path), out.setdefault(name, Hidden(file)))
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return {}
    return out


def _xlsx_sheet(xml: bytes, into: Hidden) -> None:
    if b'hidden="' not in xml:
        return
    m = _SHEET_DATA.search(xml)
    head = xml[:m.start()] if m else xml
    for attrs in _COL.findall(head):
        if _HIDDEN.search(attrs):
            lo, hi = _MIN.search(attrs), _MAX.search(attrs)
            if lo and hi and int(hi.group(1)) - int(lo.group(1)) < 1000:
                into.columns.update(range(int(lo.group(1)) - 1, int(hi.group(1))))
    for attrs in _ROW.findall(xml, m.start() if m else 0):
        if _HIDDEN.search(attrs):
            r = _R.search(attrs)
            if r:
                into.rows.add(int(r.group(1)))


_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


_S = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _ods(z: zipfile.ZipFile, out: dict[str, Hidden], file: str) -> None:
    """Hidden sheets (a table style with ``table:display="false"``: calamine reports them
    visible), rows and columns (``table:visibility`` "collapse" or "filter")."""
    raw = z.read("content.xml")
    if b'table:visibility="' not in raw and b'table:display="false"' not in raw:
        return
    hidden_styles: set[str] = set()
    style = ""
    row = col = 0
    sheet = Hidden(file)
    for _event, el in ElementTree.iterparse(io.BytesIO(raw), events=("start",)):  # noqa: S314
        tag = el.tag
        if tag == f"{{{_S}}}style":
            style = el.get(f"{{{_S}}}name", "")
        elif tag == f"{{{_S}}}table-properties":
            if el.get(f"{{{_T}}}display") == "false":
                hidden_styles.add(style)
        elif tag == f"{{{_T}}}table":
            sheet = out.setdefault(el.get(f"{{{_T}}}name", ""), Hidden(file))
            if el.get(f"{{{_T}}}style-name", "") in hidden_styles:
                sheet.sheet_hidden = True
            row = col = 0
        elif tag == f"{{{_T}}}table-column":
            n = int(el.get(f"{{{_T}}}number-columns-repeated", "1"))
            if el.get(f"{{{_T}}}visibility", "visible") != "visible" and n < 1000:
                sheet.columns.update(range(col, col + n))
            col += n
        elif tag == f"{{{_T}}}table-row":
            n = int(el.get(f"{{{_T}}}number-rows-repeated", "1"))
            if el.get(f"{{{_T}}}visibility", "visible") != "visible" and n < 100_000:
                sheet.rows.update(range(row + 1, row + n + 1))
            row += n


def blank_hidden(grid: Grid, info: Hidden) -> tuple[Grid, list[Problem]]:
    """``grid`` with its hidden rows and columns blanked (its rows are changed in place), and
    a warning naming them."""
    out: list[Problem] = []
    if info.unchecked:
        return grid, [Problem(severity=Severity.WARNING, code="hidden_rows_unchecked",
                              file=grid.file, sheet=grid.sheet)]
    rows = [r for r in sorted(info.rows) if 0 <= r - grid.first_row < len(grid.rows)
            and any(cell_text(v) for v in grid.rows[r - grid.first_row])]
    for r in rows:
        grid.rows[r - grid.first_row] = []
    if rows:
        out.append(Problem(severity=Severity.WARNING, code="hidden_rows_skipped", file=grid.file,
                           sheet=grid.sheet, params={"rows": _ranges(rows), "count": len(rows)}))
    cols = sorted(c for c in info.columns if any(
        c < len(r) and cell_text(r[c]) for r in grid.rows))
    if cols:
        names = [f"{column_letter(c)} · {_first_text(grid.rows, c)}".strip(" ·") for c in cols]
        for line in grid.rows:
            for c in cols:
                if c < len(line):
                    line[c] = None
        merged = tuple(m for m in grid.merged if not (m[1] in cols and m[3] in cols))
        grid = Grid(grid.file, grid.sheet, grid.rows, first_row=grid.first_row, merged=merged,
                    special=grid.special)
        out.append(Problem(severity=Severity.WARNING, code="hidden_columns_skipped",
                           file=grid.file, sheet=grid.sheet,
                           params={"columns": ", ".join(names), "count": len(cols)}))
    return grid, out


def _first_text(rows: list[list[Any]], c: int) -> str:
    for r in rows[:60]:
        if c < len(r) and cell_text(r[c]):
            return cell_text(r[c])
    return ""


def _ranges(rows: list[int]) -> str:
    """[5, 7, 8, 9] → "5, 7–9"."""
    out: list[str] = []
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if r is not None:
            start = prev = r
    return ", ".join(out)

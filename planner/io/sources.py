"""Read a user's file (CSV or a workbook) into grids of cells, whatever its layout.

The kind of file is told by its bytes, not its name: a zip is a workbook (XLSX/ODS), an OLE
container is a legacy .xls or a password-protected XLSX, anything else must be text (CSV).
Workbooks are read with calamine (fast, merged ranges included); a second pass over the sheet
XML finds Excel error values (#REF!, #DIV/0! …) and formulas saved without a value, which
calamine would show as blanks. Every failure is an :class:`InputError` naming the file.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity
from planner.domain.text import column_index, fold
from planner.io.csv_text import read_csv
from planner.io.extent import Extent, refuse_if_too_large, scan_ods, scan_xls, scan_xlsx_sheet
from planner.io.files import (
    OLE_MAGIC,
    UNPACK_RATIO,
    ZIP_MAGIC,
    Grid,
    SourceFile,
    file_problem,
    file_too_large,
    row_slack,
)

__all__ = ["Grid", "SourceFile", "is_workbook", "read_sheets", "row_slack", "sheet_paths"]

# the stream name an encrypted (password-protected) OOXML file keeps in its OLE container
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def read_sheets(source: SourceFile, *, sheet: str | None = None,
                limits: Limits | None = None) -> Iterator[Grid]:
    """Yield the sheets of ``source`` (one grid for a CSV); ``sheet`` picks one by name/number."""
    limits = limits or Limits.from_env()
    data = source.data
    if len(data) > limits.max_file_bytes:
        raise file_too_large(source.name, len(data), limits)
    if not re.search(rb"\S", data):
        raise InputError([file_problem(source.name, "empty_file")])
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            raise InputError([file_problem(source.name, "password_protected")])
        yield from _read_workbook(source, sheet, limits)
    elif data.startswith(ZIP_MAGIC):
        yield from _read_workbook(source, sheet, limits)
    else:
        yield read_csv(source, limits)  # a CSV has one table; ``sheet`` does not apply


def is_workbook(data: bytes) -> bool:
    """A zip (XLSX, ODS) or OLE container (XLS, encrypted XLSX), as opposed to text."""
    return data.startswith((ZIP_MAGIC, OLE_MAGIC))


# --- workbooks ------------------------------------------------------------------------------


def _read_workbook(source: SourceFile, sheet: str | None, limits: Limits) -> Iterator[Grid]:
    paths: dict[str, str] = {}
    z: zipfile.ZipFile | None = None
    if source.data.startswith(ZIP_MAGIC):
        try:
            z = zipfile.ZipFile(io.BytesIO(source.data))
            infos = z.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise InputError([file_problem(source.name, "corrupt_workbook")]) from None
        names = {i.filename for i in infos}
        if not ({"xl/workbook.xml", "content.xml"} & names):
            raise InputError([file_problem(source.name, "zip_not_workbook")])
        unpacked = sum(i.file_size for i in infos)
        if unpacked > UNPACK_RATIO * max(len(source.data), 2**20):
            raise InputError([file_problem(source.name, "workbook_unpacks_too_large",
                                           size_mb=round(unpacked / 2**20))])
        paths = sheet_paths(z)
        if "content.xml" in names and "xl/workbook.xml" not in names:
            scan_ods(z, source, limits)  # calamine reads all of an ODS file when opening it
    else:
        scan_xls(source, limits)  # and all of an XLS file
    book = None if paths else _open_book(source)
    sheet_names = list(paths) if book is None else list(book.sheet_names)
    if not sheet_names:
        raise InputError([file_problem(source.name, "no_sheets")])
    chosen = sheet_names
    if sheet:
        picked = _pick_sheet(sheet, sheet_names)
        if picked is None:
            raise InputError([file_problem(source.name, "unknown_sheet", sheet=sheet,
                                           sheets=", ".join(sheet_names))])
        chosen = [picked]
    for name in chosen:
        special_cells: dict[tuple[int, int], str] = {}
        if z is not None and name in paths:
            # before anything is parsed; says whether the sheet may hold error values or
            # formulas, which only then are looked for in a second read of its XML
            if scan_xlsx_sheet(z, paths[name], source, name, limits):
                special_cells = _special_cells(z, paths[name])
        elif z is not None and "xl/workbook.xml" in names:  # sheet parts not found: check all
            for part in sorted(n for n in names if n.startswith("xl/worksheets/")
                               and n.endswith(".xml")):
                scan_xlsx_sheet(z, part, source, name, limits)
        if book is None:
            book = _open_book(source)
        try:
            ws = book.get_sheet_by_name(name)
            if ws.start and ws.end:  # checked before reading; once more as calamine sized it
                extent = Extent()
                extent.add(*ws.start)
                extent.add(*ws.end)
                refuse_if_too_large(extent, source, name, limits)
            if ws.height > limits.max_rows + row_slack(limits):
                raise InputError([Problem(severity=Severity.ERROR, code="too_many_rows",
                                          file=source.name, sheet=name,
                                          params={"rows": ws.height, "limit": limits.max_rows})])
            rows = ws.to_python(skip_empty_area=True)
            start_row, start_col = ws.start if ws.start else (0, 0)
            merged = tuple(
                (r0 - start_row, c0 - start_col, r1 - start_row, c1 - start_col)
                for (r0, c0), (r1, c1) in (ws.merged_cell_ranges or [])
            )
        except InputError:
            raise
        except Exception:
            raise InputError([Problem(severity=Severity.ERROR, code="corrupt_sheet",
                                      file=source.name, sheet=name)]) from None
        del ws  # calamine's copy of the sheet: the Python rows are all that is needed now
        special = {(r - start_row, c - start_col): v for (r, c), v in special_cells.items()}
        if start_col:
            rows = [[""] * start_col + list(r) for r in rows]
            merged = tuple((r0, c0 + start_col, r1, c1 + start_col) for r0, c0, r1, c1 in merged)
            special = {(r, c + start_col): v for (r, c), v in special.items()}
        for k, r in enumerate(rows):  # blanks as None, row by row (no second copy of the sheet)
            if "" in r:
                rows[k] = [None if v == "" else v for v in r]
        yield Grid(source.name, name, rows, first_row=start_row + 1, merged=merged,
                   special=special)


def _open_book(source: SourceFile) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(source.data))
    except Exception:  # calamine raises its own error types for every kind of damage
        raise InputError([file_problem(source.name, "corrupt_workbook")]) from None


def _pick_sheet(wanted: str, names: list[str]) -> str | None:
    if wanted in names:
        return wanted
    folded = {fold(n): n for n in names}
    if fold(wanted) in folded:
        return folded[fold(wanted)]
    if wanted.isdigit() and 1 <= int(wanted) <= len(names):
        return names[int(wanted) - 1]
    return None


_CELL = re.compile(rb"<c\s([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_ERR_T = re.compile(rb'\bt="e"')
_FORMULA = re.compile(rb"<f[\s>/]")
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_FORMULA_TEXT = re.compile(rb"<f[^>]*>(.*?)</f>", re.S)
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def sheet_paths(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name → path of its XML inside an XLSX, in the workbook's order ({} when the
    parts cannot be read: calamine then lists the sheets, or says the file is damaged)."""
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))  # noqa: S314 (no DTDs; expat)
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError,
            ValueError, zlib.error):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out: dict[str, str] = {}
    for s in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(s.get(f"{{{_NS['r']}}}id"), "").lstrip("/")
        if "worksheets/" in target:  # chart, dialog and macro sheets hold no table
            out[s.get("name", "")] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _special_cells(z: zipfile.ZipFile, path: str) -> dict[tuple[int, int], str]:
    """Cells of one sheet holding an Excel error value, or a formula saved without its value.

    Only XLSX has them (a formula in a CSV is plain text and is caught when parsed).
    Returns {(row0, col0): "#REF!" or "=SUM(…)"} with absolute 0-based positions.
    """
    try:
        xml = z.read(path)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return {}  # calamine reports a damaged sheet
    found: dict[tuple[int, int], str] = {}
    if b't="e"' not in xml and b"<f" not in xml:
        return found
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2) or b""
        is_error = _ERR_T.search(attrs) is not None
        if not (is_error or _FORMULA.search(body)):
            continue
        value = _VALUE.search(body)
        ref = _REF.search(attrs)
        if ref is None:
            continue
        pos = (int(ref.group(2)) - 1, column_index(ref.group(1).decode()))
        if is_error:
            found[pos] = (value.group(1) if value else b"#VALUE!").decode("utf-8", "replace")
        elif value is None or not value.group(1).strip():
            f = _FORMULA_TEXT.search(body)
            found[pos] = "=" + (f.group(1).decode("utf-8", "replace") if f else "")
    return found

"""Read a user's file (CSV or a workbook) into grids of cells, whatever its layout.

The kind of file is told by its bytes, not its name: a zip is a workbook (XLSX/ODS), an OLE
container is a legacy .xls or a password-protected XLSX, anything else must be text (CSV).
Workbooks are read with calamine (fast, merged ranges included); a second pass over the sheet
XML finds Excel error values (#REF!, #DIV/0! …) and formulas saved without a value, which
calamine would show as blanks. Every failure is an :class:`InputError` naming the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import stat
import struct
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity
from planner.domain.text import column_index, column_letter, fold

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITERS = (",", ";", "\t", "|")
# the stream name an encrypted (password-protected) OOXML file keeps in its OLE container
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# how much larger than the file its unpacked parts may be (a zip bomb is refused before reading)
_UNPACK_RATIO = 20


@dataclass(frozen=True)
class SourceFile:
    """A file as the user gave it: a name to show in messages and its bytes."""

    name: str
    data: bytes = field(repr=False)

    @classmethod
    def from_path(cls, path: str | Path, *, limits: Limits | None = None) -> SourceFile:
        """Read a file, never more than the size limit plus one byte, whatever it is.

        A regular file above the limit is refused by its size before reading; anything else
        (a device such as /dev/zero, a pipe, a file still growing) is read up to the limit
        and refused once it passes it.
        """
        p = Path(path)
        limits = limits or Limits.from_env()
        try:
            with p.open("rb") as fh:
                st = os.fstat(fh.fileno())
                if stat.S_ISDIR(st.st_mode):
                    raise IsADirectoryError
                if stat.S_ISREG(st.st_mode) and st.st_size > limits.max_file_bytes:
                    raise _too_large(p.name, st.st_size, limits)
                data = fh.read(limits.max_file_bytes + 1)
        except FileNotFoundError:
            raise InputError([_file_problem(str(p), "file_not_found")]) from None
        except IsADirectoryError:
            raise InputError([_file_problem(str(p), "file_is_directory")]) from None
        except PermissionError:
            raise InputError([_file_problem(str(p), "file_not_readable")]) from None
        except OSError as exc:
            raise InputError([_file_problem(str(p), "file_read_error",
                                            detail=exc.strerror or type(exc).__name__)]) from None
        if len(data) > limits.max_file_bytes:
            raise InputError([_file_problem(str(p), "file_too_large_unsized",
                                            limit_mb=round(limits.max_file_bytes / 2**20, 1))])
        return cls(p.name, data)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Grid:
    """The cells of one sheet. ``rows[i][j]`` is Excel row ``first_row + i``, column ``j``."""

    file: str
    sheet: str
    rows: list[list[Any]]
    first_row: int = 1
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), 0-based in rows
    special: dict[tuple[int, int], str] = field(default_factory=dict)  # error/formula cells

    def excel_row(self, i: int) -> int:
        return self.first_row + i


def _file_problem(file: str, code: str, **params: Any) -> Problem:
    return Problem(severity=Severity.ERROR, code=code, file=file, params=params)


def _too_large(file: str, size: int, limits: Limits) -> InputError:
    """A file over the size limit (checked on the path before reading, and on uploaded bytes)."""
    return InputError([_file_problem(file, "file_too_large", size_mb=round(size / 2**20, 1),
                                     limit_mb=round(limits.max_file_bytes / 2**20, 1))])


def read_sheets(source: SourceFile, *, sheet: str | None = None,
                limits: Limits | None = None) -> Iterator[Grid]:
    """Yield the sheets of ``source`` (one grid for a CSV); ``sheet`` picks one by name/number."""
    limits = limits or Limits.from_env()
    data = source.data
    if len(data) > limits.max_file_bytes:
        raise _too_large(source.name, len(data), limits)
    if not re.search(rb"\S", data):
        raise InputError([_file_problem(source.name, "empty_file")])
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise InputError([_file_problem(source.name, "password_protected")])
        yield from _read_workbook(source, sheet, limits)
    elif data.startswith(_ZIP_MAGIC):
        yield from _read_workbook(source, sheet, limits)
    else:
        yield _read_csv(source, limits)  # a CSV has one table; ``sheet`` does not apply


def is_workbook(data: bytes) -> bool:
    """A zip (XLSX, ODS) or OLE container (XLS, encrypted XLSX), as opposed to text."""
    return data.startswith((_ZIP_MAGIC, _OLE_MAGIC))


def row_slack(limits: Limits) -> int:
    """Rows allowed beyond the data-row limit for titles, headers, group and total rows."""
    return max(1000, limits.max_rows // 10)


# --- workbooks ------------------------------------------------------------------------------


def _read_workbook(source: SourceFile, sheet: str | None, limits: Limits) -> Iterator[Grid]:
    paths: dict[str, str] = {}
    z: zipfile.ZipFile | None = None
    if source.data.startswith(_ZIP_MAGIC):
        try:
            z = zipfile.ZipFile(io.BytesIO(source.data))
            infos = z.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise InputError([_file_problem(source.name, "corrupt_workbook")]) from None
        names = {i.filename for i in infos}
        if not ({"xl/workbook.xml", "content.xml"} & names):
            raise InputError([_file_problem(source.name, "zip_not_workbook")])
        unpacked = sum(i.file_size for i in infos)
        if unpacked > _UNPACK_RATIO * max(len(source.data), 2**20):
            raise InputError([_file_problem(source.name, "workbook_unpacks_too_large",
                                            size_mb=round(unpacked / 2**20))])
        paths = _sheet_paths(z)
        if "content.xml" in names and "xl/workbook.xml" not in names:
            _scan_ods(z, source, limits)  # calamine reads all of an ODS file when opening it
    else:
        _scan_xls(source, limits)  # and all of an XLS file
    book = None if paths else _open_book(source)
    sheet_names = list(paths) if book is None else list(book.sheet_names)
    if not sheet_names:
        raise InputError([_file_problem(source.name, "no_sheets")])
    chosen = sheet_names
    if sheet:
        picked = _pick_sheet(sheet, sheet_names)
        if picked is None:
            raise InputError([_file_problem(source.name, "unknown_sheet", sheet=sheet,
                                            sheets=", ".join(sheet_names))])
        chosen = [picked]
    for name in chosen:
        special_cells: dict[tuple[int, int], str] = {}
        if z is not None and name in paths:
            # before anything is parsed; says whether the sheet may hold error values or
            # formulas, which only then are looked for in a second read of its XML
            if _scan_xlsx_sheet(z, paths[name], source, name, limits):
                special_cells = _special_cells(z, paths[name])
        elif z is not None and "xl/workbook.xml" in names:  # sheet parts not found: check all
            for part in sorted(n for n in names if n.startswith("xl/worksheets/")
                               and n.endswith(".xml")):
                _scan_xlsx_sheet(z, part, source, name, limits)
        if book is None:
            book = _open_book(source)
        try:
            ws = book.get_sheet_by_name(name)
            if ws.start and ws.end:  # checked before reading; once more as calamine sized it
                extent = _Extent()
                extent.add(*ws.start)
                extent.add(*ws.end)
                _refuse_if_too_large(extent, source, name, limits)
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
        raise InputError([_file_problem(source.name, "corrupt_workbook")]) from None


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


def _sheet_paths(z: zipfile.ZipFile) -> dict[str, str]:
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


_PREFIX = re.compile(rb"<(\w+:)?sheetData[\s>/]")


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


# --- the used range of a sheet, found before the reader allocates it -----------------------
#
# calamine sizes a sheet as the rectangle from its first to its last cell holding something and
# allocates every cell of it at once: one space in XFD1048576 asks for 549 GB and aborts the
# process. So each sheet's cells are located first, streaming its XML (XLSX, ODS) or its BIFF
# records (XLS), and a rectangle above the limits is refused naming the cell that stretches it.


class _Extent:
    """The rectangle of a sheet's cells holding something (0-based, inclusive)."""

    __slots__ = ("bottom", "left", "lowest", "right", "rightmost", "top")

    def __init__(self) -> None:
        self.top = self.left = 2**31
        self.bottom = self.right = -1
        self.lowest = self.rightmost = (0, 0)  # the cells that stretch it down / right

    def add(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        """A cell (or ``rows`` × ``cols`` repeated cells starting there) holding something."""
        last_row, last_col = row + rows - 1, col + cols - 1
        self.top, self.left = min(self.top, row), min(self.left, col)
        if last_row > self.bottom:
            self.bottom, self.lowest = last_row, (last_row, col)
        if last_col > self.right:
            self.right, self.rightmost = last_col, (row, last_col)

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1 if self.bottom >= 0 else 0

    @property
    def width(self) -> int:
        return self.right - self.left + 1 if self.right >= 0 else 0

    def too_large(self, limits: Limits) -> bool:
        return (self.height > limits.max_rows + row_slack(limits)
                or self.width > limits.max_columns
                or self.height * self.width > limits.max_cells)

    def problem(self, source: SourceFile, sheet: str, limits: Limits) -> Problem:
        tall = self.height > limits.max_rows + row_slack(limits)
        wide = self.width > limits.max_columns
        row, col = self.lowest if tall or not wide else self.rightmost
        if not (tall or wide):  # within both limits, but the rectangle as a whole is too large
            row, col = self.lowest if self.height >= self.width else self.rightmost
        return Problem(severity=Severity.ERROR, code="used_range_too_large", file=source.name,
                       sheet=sheet,
                       params={"cell": f"{column_letter(col)}{row + 1}",
                               "range": f"{column_letter(self.left)}{self.top + 1}:"
                                        f"{column_letter(self.right)}{self.bottom + 1}",
                               "rows": self.height, "columns": self.width,
                               "max_rows": limits.max_rows + row_slack(limits),
                               "max_columns": limits.max_columns,
                               "max_cells": limits.max_cells})


def _refuse_if_too_large(extent: _Extent, source: SourceFile, sheet: str, limits: Limits) -> None:
    if extent.too_large(limits):
        raise InputError([extent.problem(source, sheet, limits)])


# XLSX: where values start, row elements, and cells past column Z holding a value, inline text
# or a formula (styled but empty cells, <c r="AB9" s="3"/>, hold nothing; calamine skips them)
_VALUE_MARKS = (b"<v>", b"<v ", b"<is>", b"<f>", b"<f ")


@cache
def _xlsx_patterns(prefix: bytes, stop: int) -> tuple[re.Pattern[bytes], ...]:
    """Row element, cell, cell past column Z holding something, row numbered above ``stop``."""
    p = re.escape(prefix)
    return (re.compile(rb"<" + p + rb'row\b[^>]*?\br="([0-9]{1,10})"'),
            re.compile(rb"<" + p + rb'c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,10})"'),
            re.compile(rb"<" + p + rb'c r="([A-Z]{2,3})([0-9]{1,10})"[^>]*?(?<!/)>\s*<' + p
                       + rb"(?:v|is|f)[\s>/]"),
            re.compile(rb"<" + p + rb'row\b[^>]*?\br="(' + _above(stop) + rb')"'))


_MAX_CARRY = 16 * 2**20


def _scan_xlsx_sheet(z: zipfile.ZipFile, path: str, source: SourceFile, sheet: str,
                     limits: Limits) -> bool:
    """Refuse a worksheet with too many rows, or whose used range is too large, before it is
    parsed. Returns whether its XML holds ``t="e"`` or ``<f`` anywhere (what
    :func:`_special_cells` looks for; the pieces are cut before a cell, so no such mark is
    split between two pieces).

    The sheet's XML is streamed in 1 MiB pieces cut before a cell, so memory stays bounded.
    Rows are counted with byte counts, stopping as soon as the limit is passed: a million-row
    sheet is refused after reading a third of it. Stretches of rows without any value
    (formatted but blank rows, as Excel leaves them) are not counted. Every cell holding
    something is located by its reference (r="XFD1048576"), so a stray value far from the
    table is refused naming its cell, whatever the sheet's declared <dimension> says.
    """
    stop = limits.max_rows + row_slack(limits)
    budget = _UNPACK_RATIO * max(len(source.data), 2**20)
    rows = read = text = 0
    prefix: bytes | None = None
    extent = _Extent()
    state = [0]  # the row last seen (0-based)
    carry = b""
    shared: array[int] | None = None
    special = False
    try:
        with z.open(path) as fh:
            while True:
                chunk = fh.read(1 << 20)
                read += len(chunk)
                if read > budget:
                    raise InputError([_file_problem(source.name, "workbook_unpacks_too_large",
                                                    size_mb=round(read / 2**20))])
                buf = carry + chunk
                if chunk:  # keep the last cell, which may go on in the next chunk
                    cut = _last_cell_start(buf)
                    piece, carry = buf[:cut], buf[cut:]
                    if len(carry) > _MAX_CARRY:  # one cell of more than 16 MiB
                        raise InputError([Problem(
                            severity=Severity.ERROR, code="cell_far_too_long", file=source.name,
                            sheet=sheet, params={"chars": _MAX_CARRY,
                                                 "limit": limits.max_cell_chars})])
                else:
                    piece, carry = buf, b""
                if not special:
                    special = b't="e"' in piece or b"<f" in piece
                if prefix is None:
                    m = _PREFIX.search(piece)
                    prefix = (m.group(1) or b"") if m else None
                if prefix is not None and piece:
                    if _locate_xlsx_cells(piece, prefix, extent, state, stop):
                        rows += piece.count(b"</" + prefix + b"row>")
                    if rows > stop:
                        raise InputError([Problem(
                            severity=Severity.ERROR, code="too_many_rows_early", file=source.name,
                            sheet=sheet, params={"rows": rows, "limit": limits.max_rows})])
                    _refuse_if_too_large(extent, source, sheet, limits)
                    if b't="s"' in piece:
                        if shared is None:
                            shared = _shared_string_sizes(z)
                        text += _shared_text(piece, shared, budget - text)
                        if text > budget:
                            raise InputError([Problem(
                                severity=Severity.ERROR, code="shared_text_too_large",
                                file=source.name, sheet=sheet,
                                params={"size_mb": round(text / 2**20)})])
                if not chunk:
                    break
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        raise InputError([Problem(severity=Severity.ERROR, code="corrupt_sheet",
                                  file=source.name, sheet=sheet)]) from None
    return special


def _shared_string_sizes(z: zipfile.ZipFile) -> array[int]:
    """The size in bytes of each shared string's XML (an upper bound of its characters), in
    order; empty when the workbook has none or they cannot be read (calamine then decides)."""
    sizes: array[int] = array("Q")
    name = next((n for n in z.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if name is None:
        return sizes
    offset = previous = 0
    tail = b""
    try:
        with z.open(name) as fh:
            while chunk := fh.read(1 << 20):
                buf = tail + chunk
                base = offset - len(tail)
                for m in _SI_END.finditer(buf):
                    end = base + m.end()
                    if end > previous:
                        sizes.append(end - previous)
                        previous = end
                offset += len(chunk)
                tail = buf[-16:]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
        return array("Q")
    return sizes


_SI_END = re.compile(rb"</(?:\w+:)?si>")
_SHARED_CELL = re.compile(rb't="s"[^>]*>\s*<(?:\w+:)?v>\s*([0-9]{1,10})\s*<')


def _shared_text(piece: bytes, sizes: array[int], room: int) -> int:
    """Bytes of shared-string text the cells of ``piece`` would copy (calamine gives each cell
    its own copy: one 32 KB string used by a million cells is 32 GB). An upper bound (cells ×
    longest string) when it fits in ``room``, else the exact sum."""
    if not sizes:
        return 0
    cells = piece.count(b't="s"')
    bound = cells * max(sizes)
    if bound <= room:
        return bound
    n = len(sizes)
    return sum(sizes[i] for i in map(int, _SHARED_CELL.findall(piece)) if i < n)


def _last_cell_start(buf: bytes) -> int:
    """Where the last cell of ``buf`` starts (else its last tag; 0 when neither: the piece is
    kept whole for the next chunk)."""
    at = max(buf.rfind(b"<c "), buf.rfind(b":c "))
    if at > 0 and buf[at] == ord(":"):
        at = buf.rfind(b"<", 0, at)
    if at <= 0:
        at = buf.rfind(b"<")
    return max(at, 0)


def _locate_xlsx_cells(piece: bytes, prefix: bytes, extent: _Extent, state: list[int],
                       stop: int) -> bool:
    """Stretch ``extent`` over the cells of ``piece`` holding something, cheaply.

    Excel, LibreOffice and the libraries write rows in ascending order, so a piece's values
    lie between the row of its first value and the row of its last; row numbers of six digits
    or more are all read as well (a far row placed out of order is still found), and every
    cell past column Z that holds a value is located. ``state`` carries the row last seen
    across pieces (a piece may start inside a row). Returns whether the piece holds a value.
    """
    m = _first_mark(prefix).search(piece)
    if m is None:
        return False
    first, last = m.start(), _last_mark(piece, prefix)
    row_at, cell_at, wide, far_row = _xlsx_patterns(prefix, stop)
    tag = b"<" + prefix
    for at in (first, last):
        m = row_at.match(piece, piece.rfind(tag + b"row", 0, at) if at else 0)
        row = int(m.group(1)) - 1 if m else state[0]
        c = cell_at.match(piece, max(piece.rfind(tag + b"c ", 0, at), 0))
        if c:
            row = int(c.group(2)) - 1  # the cell's own reference, when it has one
        extent.add(row, column_index(c.group(1).decode()) if c else 0)
    far = far_row.findall(piece, 0, last)
    if far:
        row = max(map(int, far))
        at = piece.find(tag + b"c ", max(piece.find(b'r="%d"' % row), 0))
        c = cell_at.match(piece, at) if at >= 0 else None
        extent.add(row - 1, column_index(c.group(1).decode()) if c else 0)
    for letters, row in dict(reversed(wide.findall(piece))).items():  # first cell per column
        extent.add(int(row) - 1, column_index(letters.decode()))
    for m in row_at.finditer(piece, max(piece.rfind(tag + b"row"), 0)):
        state[0] = int(m.group(1)) - 1
    return True


@cache
def _first_mark(prefix: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<" + re.escape(prefix) + rb"(?:v|is|f)[\s>/]")


def _last_mark(piece: bytes, prefix: bytes) -> int:
    """Where the last value of ``piece`` starts (searched from the end, in growing windows:
    a piece is cut before a cell, so it is near the end)."""
    marks = [b"<" + prefix + m for m in (b"v>", b"v ", b"is>", b"f>", b"f ")]
    for start in (len(piece) - 4096, len(piece) - 65536, 0):
        last = max(piece.rfind(m, max(start, 0)) for m in marks)
        if last >= 0 or start <= 0:
            return last
    return -1


def _above(n: int) -> bytes:
    """A regex matching the decimal numbers above ``n`` (no leading zeros)."""
    digits = str(n)
    options = [rb"[1-9][0-9]{%d,}" % len(digits)]
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            options.append(digits[:i].encode() + b"[%d-9]" % (int(d) + 1) + b"[0-9]{%d}" % rest)
    return b"(?:" + b"|".join(options) + b")"


_ODS_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_VALUE_TYPE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_ODS_CELLS = (f"{_ODS_T}table-cell", f"{_ODS_T}covered-table-cell")


def _scan_ods(z: zipfile.ZipFile, source: SourceFile, limits: Limits) -> None:
    """Refuse an ODS workbook with a sheet whose used range is too large.

    calamine reads every sheet of an ODS file when it opens it, expanding repeated cells, so
    all sheets are checked first, streaming content.xml (repeated rows and cells counted, not
    expanded; rows dropped once seen).
    """
    try:
        fh = z.open("content.xml")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return  # calamine says the file is damaged
    name, extent = "", _Extent()
    row = col = 0
    row_repeat = 1
    stack: list[ElementTree.Element] = []
    try:
        with fh:
            for event, elem in ElementTree.iterparse(fh, events=("start", "end")):  # noqa: S314
                if event == "start":
                    stack.append(elem)
                    if elem.tag == f"{_ODS_T}table":
                        name, extent, row = elem.get(f"{_ODS_T}name", ""), _Extent(), 0
                    elif elem.tag == f"{_ODS_T}table-row":
                        col, row_repeat = 0, _repeat(elem.get(f"{_ODS_T}number-rows-repeated"))
                    continue
                stack.pop()
                if elem.tag in _ODS_CELLS:
                    cols = _repeat(elem.get(f"{_ODS_T}number-columns-repeated"))
                    if elem.get(_ODS_VALUE_TYPE) or len(elem):
                        extent.add(row, col, rows=row_repeat, cols=cols)
                    col += cols
                elif elem.tag == f"{_ODS_T}table-row":
                    row += row_repeat
                    _refuse_if_too_large(extent, source, name, limits)
                    if stack:
                        stack[-1].remove(elem)  # the rows seen are not kept
                elif elem.tag == f"{_ODS_T}table":
                    _refuse_if_too_large(extent, source, name, limits)
                    elem.clear()
    except (ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError,
            zlib.error):
        return  # calamine says the file is damaged


def _repeat(raw: str | None) -> int:
    try:
        return min(max(int(raw), 1), 2**31) if raw else 1
    except ValueError:
        return 1


# BIFF records (XLS): beginning and end of a sheet, the sheet list, and cells holding a value
_BOF = {0x0009, 0x0209, 0x0409, 0x0809}
_EOF, _BOUNDSHEET, _MULRK = 0x000A, 0x0085, 0x00BD
_XLS_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0205, 0x00D6, 0x0206, 0x0406, 0x0004,
              0x0003, 0x0002, 0x0005}


def _scan_xls(source: SourceFile, limits: Limits) -> None:
    """Refuse a legacy .xls workbook with a sheet whose used range is too large (calamine
    reads every sheet when it opens one; an .xls sheet can reach 65,536 × 256 cells, 1 GB)."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(source.data))
        stream_name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if stream_name is None:
            return
        data = ole.openstream(stream_name).read()
    except Exception:  # olefile raises its own errors for every kind of damage
        return  # calamine says the file is damaged
    sheets: dict[int, str] = {}
    extents: dict[str, _Extent] = {}
    current: _Extent | None = None
    name = ""
    depth = pos = 0
    unpack = struct.Struct("<HH").unpack_from
    while pos + 4 <= len(data):
        kind, size = unpack(data, pos)
        body = pos + 4
        if kind == _BOUNDSHEET and size >= 8:
            if data[body + 5] == 0:  # a worksheet (not a chart, macro or module)
                sheets[int.from_bytes(data[body:body + 4], "little")] = _biff_name(
                    data[body + 6:body + size])
        elif kind in _BOF:
            if depth == 0 and pos in sheets:
                name = sheets[pos]
                current = extents.setdefault(name, _Extent())
            depth += 1
        elif kind == _EOF:
            depth = max(depth - 1, 0)
            if depth == 0 and current is not None:
                _refuse_if_too_large(current, source, name, limits)
                current = None
        elif current is not None and depth == 1 and size >= 4:
            if kind in _XLS_CELLS:
                current.add(*unpack(data, body))
            elif kind == _MULRK and size >= 6:
                r, first = unpack(data, body)
                last = int.from_bytes(data[body + size - 2:body + size], "little")
                current.add(r, first, cols=max(last - first + 1, 1))
        pos = body + size
    if current is not None:
        _refuse_if_too_large(current, source, name, limits)


def _biff_name(raw: bytes) -> str:
    """A sheet name as a BOUNDSHEET record stores it (BIFF8: length, flags, Latin-1 or
    UTF-16; BIFF5: length and bytes)."""
    if len(raw) < 2:
        return ""
    n, flags = raw[0], raw[1]
    if flags in (0, 1) and len(raw) >= 2 + n * (1 + flags):
        return raw[2:2 + n * (1 + flags)].decode("utf-16-le" if flags else "latin-1", "replace")
    return raw[1:1 + n].decode("cp1252", "replace")


# --- CSV ------------------------------------------------------------------------------------


def _decode(source: SourceFile) -> str:
    data = source.data
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                raise InputError([_file_problem(source.name, "bad_encoding",
                                                encoding=enc)]) from None
            return _textual(source, text)
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a BOM, or binary
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_textual(text):
                return _textual(source, text)
        raise InputError([_file_problem(source.name, "not_a_table_file")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # text in a legacy 8-bit encoding (Windows-1258, TCVN3, VNI) reads as Windows-1258
        # without many control characters; random bytes do not
        if not _looks_textual(data[:65536].decode("cp1258", errors="replace")):
            raise InputError([_file_problem(source.name, "not_a_table_file")]) from None
        line = data[: exc.start].count(b"\n") + 1
        raise InputError([Problem(severity=Severity.ERROR, code="not_utf8", file=source.name,
                                  row=line, params={"byte": f"0x{data[exc.start]:02X}"})]) from None
    return _textual(source, text)


def _textual(source: SourceFile, text: str) -> str:
    text = text.rstrip("\x1a")  # DOS end-of-file mark left by old tools
    if not _NOT_SPACE.search(text):  # (no stripped copy of a large file)
        raise InputError([_file_problem(source.name, "empty_file")])
    if not _looks_textual(text):
        raise InputError([_file_problem(source.name, "not_a_table_file")])
    return text


def _looks_textual(text: str) -> bool:
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or ch == "\ufffd")
    return bad <= max(8, len(sample) // 50)  # a few stray control characters are tolerated


def _sniff_delimiter(lines: list[str]) -> str:
    best, best_score = ",", (-1, -1)
    for delim in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim)
                      if any(c.strip() for c in r)]
        except csv.Error:  # a cell beyond csv's field limit: reported when the file is read
            continue
        if not counts:
            continue
        widest = max(counts)
        rows_at_width = sum(1 for n in counts if n >= 2 and n >= widest - 1)
        score = (rows_at_width if widest >= 2 else 0, widest)
        if score > best_score:
            best, best_score = delim, score
    return best


_NOT_SPACE = re.compile(r"\S")
_LONE_CR = re.compile(r"\r(?!\n)")
_BLANK_LINE = re.compile(r"^[,;\t| \r\"']*$", re.M)
_BLANK_LINE_BYTES = re.compile(rb"^[,;\t| \r\"']*$", re.M)


def _count_rows(text: str | bytes, limits: Limits) -> int | None:
    """Lines holding something, when there may be more than the limit allows; else None.

    Counting newlines is cheap; only a file with more lines than the limit is looked at
    closer, still without splitting it (blank lines such as ",,,," do not count). Works on
    the raw bytes of ASCII-compatible files, so a huge file is refused before it is decoded.
    """
    stop = limits.max_rows + row_slack(limits)
    if isinstance(text, str):
        newlines, ends = text.count("\n"), text.endswith("\n")
    else:
        newlines, ends = text.count(b"\n"), text.endswith(b"\n")
    lines = newlines + (not ends)
    if lines <= stop:
        return None
    blank = (sum(1 for _ in _BLANK_LINE.finditer(text)) if isinstance(text, str)
             else sum(1 for _ in _BLANK_LINE_BYTES.finditer(text)))
    filled = lines - blank + ends
    return filled if filled > stop else None


def _refuse_too_many_rows(source: SourceFile, text: str | bytes, limits: Limits) -> None:
    rows_found = _count_rows(text, limits)
    if rows_found is not None:
        raise InputError([Problem(severity=Severity.ERROR, code="too_many_rows", file=source.name,
                                  params={"rows": rows_found, "limit": limits.max_rows})])


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time (csv joins quoted line breaks);
    unlike a StringIO this holds no second copy of a large file."""
    start, n = 0, len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        yield text[start:end]
        start = end


def _read_csv(source: SourceFile, limits: Limits) -> Grid:
    data = source.data
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (
        data[:4096].count(b"\x00") > len(data[:4096]) // 4)
    if not utf16:
        _refuse_too_many_rows(source, data, limits)  # before decoding a huge file
    text = _decode(source)
    if "\r" in text and _LONE_CR.search(text):
        # lines ended by CR alone (Excel for Mac's "CSV (Macintosh)", classic Mac OS): read
        # them as lines; a CR before LF is left to csv, which keeps CRLF files as they are
        text = _LONE_CR.sub("\n", text)
    _refuse_too_many_rows(source, text, limits)
    delim = _sniff_delimiter(text[:262144].splitlines()[:60])
    rows: list[list[Any]] = []
    reader = csv.reader(_lines(text), delimiter=delim)
    try:
        for record in reader:
            rows.append([c if c.strip() else None for c in record])
    except csv.Error as exc:
        if "field limit" in str(exc):  # a cell of more than 128 KiB: not a staffing table
            raise InputError([Problem(severity=Severity.ERROR, code="cell_far_too_long",
                                      file=source.name, row=len(rows) + 1,
                                      params={"chars": csv.field_size_limit(),
                                              "limit": limits.max_cell_chars})]) from None
        raise InputError([Problem(severity=Severity.ERROR, code="csv_syntax", file=source.name,
                                  row=len(rows) + 1, params={"detail": str(exc)})]) from None
    if text.count('"') % 2:  # a quote opened and never closed swallows the rows after it
        runaway = next((k for k, r in enumerate(rows) if any(c and "\n" in c for c in r)), None)
        if runaway is not None:
            raise InputError([Problem(severity=Severity.ERROR, code="unbalanced_quote",
                                      file=source.name, row=runaway + 1)])
    return Grid(source.name, "", rows)

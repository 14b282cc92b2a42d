"""The used range of a sheet, found before the reader allocates it.

calamine sizes a sheet as the rectangle from its first to its last cell holding something and
allocates every cell of it at once: one space in XFD1048576 asks for 549 GB and aborts the
process. So each sheet's cells are located first, streaming its XML (XLSX, ODS) or its BIFF
records (XLS), and a rectangle above the limits is refused naming the cell that stretches it.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from array import array
from functools import cache
from xml.etree import ElementTree

from planner.domain.limits import Limits
from planner.domain.problems import InputError, Problem, Severity
from planner.domain.text import column_index, column_letter
from planner.io.files import UNPACK_RATIO, SourceFile, file_problem, row_slack


class Extent:
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


def refuse_if_too_large(extent: Extent, source: SourceFile, sheet: str, limits: Limits) -> None:
    if extent.too_large(limits):
        raise InputError([extent.problem(source, sheet, limits)])


# XLSX: where values start, row elements, and cells past column Z holding a value, inline text
# or a formula (styled but empty cells, <c r="AB9" s="3"/>, hold nothing; calamine skips them)
@cache
def _xlsx_patterns(prefix: bytes, stop: int) -> tuple[re.Pattern[bytes], ...]:
    """Row element, cell, cell past column Z holding something, row numbered above ``stop``."""
    p = re.escape(prefix)
    return (re.compile(rb"<" + p + rb'row\b[^>]*?\br="([0-9]{1,10})"'),
            re.compile(rb"<" + p + rb'c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,10})"'),
            re.compile(rb"<" + p + rb'c r="([A-Z]{2,3})([0-9]{1,10})"[^>]*?(?<!/)>\s*<' + p
                       + rb"(?:v|is|f)[\s>/]"),
            re.compile(rb"<" + p + rb'row\b[^>]*?\br="(' + _above(stop) + rb')"'))


_PREFIX = re.compile(rb"<(\w+:)?sheetData[\s>/]")


_MAX_CARRY = 16 * 2**20


def scan_xlsx_sheet(z: zipfile.ZipFile, path: str, source: SourceFile, sheet: str,
                    limits: Limits) -> bool:
    """Refuse a worksheet with too many rows, or whose used range is too large, before it is
    parsed. Returns whether its XML holds ``t="e"`` or ``<f`` anywhere (what the workbook
    reader's ``_special_cells`` in :mod:`planner.io.sources` looks for; the pieces are cut
    before a cell, so no such mark is split between two pieces).

    The sheet's XML is streamed in 1 MiB pieces cut before a cell, so memory stays bounded.
    Rows are counted with byte counts, stopping as soon as the limit is passed: a million-row
    sheet is refused after reading a third of it. Stretches of rows without any value
    (formatted but blank rows, as Excel leaves them) are not counted. Every cell holding
    something is located by its reference (r="XFD1048576"), so a stray value far from the
    table is refused naming its cell, whatever the sheet's declared <dimension> says.
    """
    stop = limits.max_rows + row_slack(limits)
    budget = UNPACK_RATIO * max(len(source.data), 2**20)
    rows = read = text = 0
    prefix: bytes | None = None
    extent = Extent()
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
                    raise InputError([file_problem(source.name, "workbook_unpacks_too_large",
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
                    refuse_if_too_large(extent, source, sheet, limits)
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


def _locate_xlsx_cells(piece: bytes, prefix: bytes, extent: Extent, state: list[int],
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


def scan_ods(z: zipfile.ZipFile, source: SourceFile, limits: Limits) -> None:
    """Refuse an ODS workbook with a sheet whose used range is too large.

    calamine reads every sheet of an ODS file when it opens it, expanding repeated cells, so
    all sheets are checked first, streaming content.xml (repeated rows and cells counted, not
    expanded; rows dropped once seen).
    """
    try:
        fh = z.open("content.xml")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return  # calamine says the file is damaged
    name, extent = "", Extent()
    row = col = 0
    row_repeat = 1
    stack: list[ElementTree.Element] = []
    try:
        with fh:
            for event, elem in ElementTree.iterparse(fh, events=("start", "end")):  # noqa: S314
                if event == "start":
                    stack.append(elem)
                    if elem.tag == f"{_ODS_T}table":
                        name, extent, row = elem.get(f"{_ODS_T}name", ""), Extent(), 0
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
                    refuse_if_too_large(extent, source, name, limits)
                    if stack:
                        stack[-1].remove(elem)  # the rows seen are not kept
                elif elem.tag == f"{_ODS_T}table":
                    refuse_if_too_large(extent, source, name, limits)
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


def scan_xls(source: SourceFile, limits: Limits) -> None:
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
    extents: dict[str, Extent] = {}
    current: Extent | None = None
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
                current = extents.setdefault(name, Extent())
            depth += 1
        elif kind == _EOF:
            depth = max(depth - 1, 0)
            if depth == 0 and current is not None:
                refuse_if_too_large(current, source, name, limits)
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
        refuse_if_too_large(current, source, name, limits)


def _biff_name(raw: bytes) -> str:
    """A sheet name as a BOUNDSHEET record stores it (BIFF8: length, flags, Latin-1 or
    UTF-16; BIFF5: length and bytes)."""
    if len(raw) < 2:
        return ""
    n, flags = raw[0], raw[1]
    if flags in (0, 1) and len(raw) >= 2 + n * (1 + flags):
        return raw[2:2 + n * (1 + flags)].decode("utf-16-le" if flags else "latin-1", "replace")
    return raw[1:1 + n].decode("cp1252", "replace")

"""Tables in an xlsxwriter sheet formatted the way an office formats them.

Every cell is written with the function for its type: text with ``write_string`` (so a unit
named ``=HYPERLINK(…)`` stays text), numbers with ``write_number`` (never numbers stored as
text), dates with ``write_datetime``. Money is whole đồng with thousands separators (or triệu
đồng with one decimal where the header says so), rates are percentages, counts whole numbers.
Total rows are ``SUM`` formulas that carry their computed value, so a program that does not
recalculate (openpyxl, a viewer) reads the same figure Excel shows.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet


def workbook_options(*, office_font: bool = True) -> dict[str, Any]:
    """Options every exported workbook is opened with: strings are never turned into formulas,
    links or numbers behind the caller's back. A new dict each time (xlsxwriter changes it).
    ``office_font=False`` keeps xlsxwriter's default font instead of Times New Roman."""
    options = copy.deepcopy(_WORKBOOK_OPTIONS)
    if not office_font:
        del options["default_format_properties"]
    return options


_WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,
    # Offices print official tables in Times New Roman; LibreOffice substitutes the
    # metric-compatible Liberation Serif, so column widths hold in both.
    "default_format_properties": {"font_name": "Times New Roman", "font_size": 11},
}

#: Excel number formats by kind of value. Excel shows the separators of the reader's locale
#: (1.234.567 in a Vietnamese Excel, 1,234,567 in an English one).
NUM_FORMATS = {
    "text": "@",
    "count": "#,##0",
    "money": "#,##0",
    "balance": "#,##0;[Red]-#,##0",  # money left, red when overspent
    "million": "#,##0.0",
    "rate": "0.0%",
    "rate_fine": "0.00%",
    "decimal": "#,##0.00",
    "weight": "General",
    "date": "dd/mm/yyyy",
}
KINDS = tuple(NUM_FORMATS)
_MAX_WIDTH = {"text": 48}
_MIN_WIDTH = 6
#: Characters of text in Times New Roman that fit in one unit of column width (a unit is the
#: width of a digit; letters are narrower on average), for guessing how text wraps.
TEXT_CHARS_PER_UNIT = 1.2
_MIN_NUMBER_WIDTH = 9  # room for a header of short words over small numbers


@dataclass(frozen=True)
class Column:
    """One column of a written table: the frame's column, its header, how to show it."""

    key: str
    header: str
    kind: str = "text"
    total: bool = False  # a SUM in the total row
    wrap: bool = False  # long text wraps within the column

    def __post_init__(self) -> None:
        if self.kind not in NUM_FORMATS:
            raise ValueError(f"column {self.key!r}: unknown kind {self.kind!r}; "
                             f"expected one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class Span:
    """Where a written table sits (0-based rows), so callers can add formulas that refer to it."""

    header_row: int
    first_row: int  # first data row
    last_row: int  # last data row (first_row - 1 when there are none)
    total_row: int | None
    columns: tuple[Column, ...]
    first_col: int = 0

    @property
    def next_row(self) -> int:
        return (self.total_row if self.total_row is not None else self.last_row) + 1

    def col(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return self.first_col + i
        raise KeyError(key)

    def letter(self, key: str) -> str:
        return str(xl_col_to_name(self.col(key)))  # xlsxwriter ships no type hints

    def total_cell(self, key: str) -> str:
        if self.total_row is None:
            raise ValueError("the table has no total row")
        return f"{self.letter(key)}{self.total_row + 1}"


class Formats:
    """xlsxwriter formats made once per workbook and shared by every cell that needs them."""

    def __init__(self, workbook: Workbook):
        self._workbook = workbook
        self._made: dict[tuple[Any, ...], Any] = {}

    def get(self, kind: str = "text", *, bold: bool = False, border: bool = True,
            header: bool = False, wrap: bool = False, size: int | None = None,
            italic: bool = False, fill: str | None = None, align: str | None = None) -> Any:
        key = (kind, bold, border, header, wrap, size, italic, fill, align)
        if key not in self._made:
            props: dict[str, Any] = {"num_format": NUM_FORMATS[kind], "valign": "vcenter"}
            if bold or header:
                props["bold"] = True
            if border:
                props["border"] = 1
            if header:
                props.update(text_wrap=True, align="center", bg_color="#DDEBF7")
            if wrap:
                props["text_wrap"] = True
            if size:
                props["font_size"] = size
            if italic:
                props["italic"] = True
            if fill:
                props["bg_color"] = fill
            if align:
                props["align"] = align
            self._made[key] = self._workbook.add_format(props)
        return self._made[key]


def is_blank(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def write_cell(ws: Worksheet, row: int, col: int, value: Any, cell_format: Any,
               kind: str = "text") -> None:
    """Write one value with the function for its type (see the module docstring)."""
    if is_blank(value):
        ws.write_blank(row, col, None, cell_format)
    elif kind == "date" and isinstance(value, dt.date):
        ws.write_datetime(row, col, value, cell_format)
    elif kind != "text" and isinstance(value, Real) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number):
            ws.write_number(row, col, number, cell_format)
        else:
            ws.write_blank(row, col, None, cell_format)
    else:
        ws.write_string(row, col, str(value), cell_format)


def write_table(ws: Worksheet, fmt: Formats, frame: pd.DataFrame, columns: Sequence[Column], *,
                row: int, first_col: int = 0, total_label: str | None = None,
                label_col: int = 0, bold_rows: Iterable[int] = ()) -> Span:
    """Write a header row, one row per record of ``frame`` and an optional total row.

    The total row puts ``total_label`` in column ``label_col`` (index into ``columns``) and a
    ``SUM`` over the data for every column with ``total=True``, with its computed value.
    """
    columns = tuple(columns)
    for j, c in enumerate(columns):
        ws.write_string(row, first_col + j, c.header, fmt.get(header=True))
    first = row + 1
    bold = set(bold_rows)
    cells = [fmt.get(c.kind, wrap=c.wrap) for c in columns]
    bold_cells = [fmt.get(c.kind, bold=True, wrap=c.wrap) for c in columns]
    data = [frame[c.key].tolist() if c.key in frame.columns else [None] * len(frame)
            for c in columns]
    for i in range(len(frame)):
        formats = bold_cells if i in bold else cells
        for j, c in enumerate(columns):
            write_cell(ws, first + i, first_col + j, data[j][i], formats[j], c.kind)
    last = first + len(frame) - 1
    total_row = None
    if total_label is not None:
        total_row = last + 1
        for j, c in enumerate(columns):
            cell_format = fmt.get(c.kind, bold=True, fill="#F2F2F2")
            if j == label_col:
                ws.write_string(total_row, first_col + j, total_label, cell_format)
            elif c.total:
                numbers = pd.to_numeric(pd.Series(data[j], dtype="object"), errors="coerce")
                value = float(numbers.sum())
                if len(frame) and numbers.isna().all():  # nothing to add up (no plan)
                    ws.write_blank(total_row, first_col + j, None, cell_format)
                elif len(frame):
                    letter = xl_col_to_name(first_col + j)
                    ws.write_formula(total_row, first_col + j,
                                     f"=SUM({letter}{first + 1}:{letter}{last + 1})",
                                     cell_format, _cached(value))
                else:
                    ws.write_number(total_row, first_col + j, value, cell_format)
            else:
                ws.write_blank(total_row, first_col + j, None, cell_format)
    return Span(header_row=row, first_row=first, last_row=last, total_row=total_row,
                columns=columns, first_col=first_col)


def _cached(value: float) -> float | int:
    """A formula's stored result: whole numbers as int so files read back without '.0'."""
    return int(value) if float(value).is_integer() else value


def write_formula(ws: Worksheet, row: int, col: int, formula: str, value: Any,
                  cell_format: Any) -> None:
    """A formula with its computed value stored (blank text when the value is blank)."""
    ws.write_formula(row, col, formula, cell_format, "" if is_blank(value) else _cached(value))


def display_width(value: Any, kind: str) -> int:
    """Characters a value takes on screen in its number format (a guess good for widths)."""
    if is_blank(value):
        return 0
    if kind == "text" or not isinstance(value, Real) or isinstance(value, bool):
        return len(str(value))
    number = float(value)
    if not math.isfinite(number):
        return 0
    if kind in ("rate", "rate_fine"):
        return len(f"{number * 100:.2f}%")
    if kind == "date":
        return 10
    decimals = {"million": 1, "decimal": 2, "weight": 2}.get(kind, 0)
    return len(f"{number:,.{decimals}f}")


def set_widths(ws: Worksheet, frame: pd.DataFrame, columns: Sequence[Column], *,
               first_col: int = 0, sample: int = 2000, header_row: int | None = None,
               minimum: Sequence[int] = ()) -> None:
    """Column widths from the longest value (first ``sample`` rows) and the header's longest
    word (headers wrap), within sensible bounds; the header row gets the height it needs."""
    lines = 1
    for j, c in enumerate(columns):
        values = frame[c.key].iloc[:sample].tolist() if c.key in frame.columns else []
        content = max((display_width(v, c.kind) for v in values), default=0)
        word = max((len(w) for w in c.header.split()), default=0)
        least = _MIN_WIDTH if c.kind == "text" else _MIN_NUMBER_WIDTH
        width = max(content + 2, word + 2, least, minimum[j] if j < len(minimum) else 0)
        width = min(width, _MAX_WIDTH.get(c.kind, 22))
        ws.set_column(first_col + j, first_col + j, width)
        lines = max(lines, wrapped_lines(c.header, width - 1))
    if header_row is not None:
        ws.set_row(header_row, 15 * lines + 4)


def fit_row_heights(ws: Worksheet, frame: pd.DataFrame, span: Span,
                    widths: dict[str, float], line_height: float = 15.0) -> None:
    """Give each data row the height its wrapped text needs (spreadsheet programs do not
    always grow rows on opening, and printed rows would overlap)."""
    texts = {k: frame[k].tolist() for k in widths if k in frame.columns}
    for i in range(len(frame)):
        lines = max((wrapped_lines(str(texts[k][i]), widths[k] * TEXT_CHARS_PER_UNIT - 1)
                     for k in texts
                     if not is_blank(texts[k][i])), default=1)
        if lines > 1:
            ws.set_row(span.first_row + i, line_height * lines + 2)


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (words kept whole
    unless longer than a line; line breaks in the text kept)."""
    width = max(int(width), 1)
    total = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > width:
                count, used = count + 1, 0
            used += (1 if used else 0) + len(word)
            while used > width:
                count, used = count + 1, used - width
        total += count
    return total


def page_setup(ws: Worksheet, *, repeat_row: int | None, footer: str,
               portrait: bool = False) -> None:
    """A4, landscape unless ``portrait``, fit to the page width, the header row on every page."""
    ws.set_paper(9)
    if portrait:
        ws.set_portrait()
    else:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    ws.set_footer("&C" + footer.replace("&", "&&").replace("{page}", "&P")
                  .replace("{pages}", "&N"))


def freeze_and_filter(ws: Worksheet, span: Span) -> None:
    """Freeze the rows down to the header and put an autofilter on the data (not the total)."""
    ws.freeze_panes(span.header_row + 1, 0)
    ws.autofilter(span.header_row, span.first_col, max(span.last_row, span.header_row),
                  span.first_col + len(span.columns) - 1)

"""Numbers as offices type them: "1.234" (dot thousands), "2,34" (decimal comma), "25%", "12 tr".

Each cell is parsed on its own into a float or a reason why it is not a number. The reading of a
lone separator depends on the column: in counts and money "1.234" and "1,234" are thousands
(a count cannot be fractional); in coefficients and rates "2.34" and "2,34" are decimals.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import lru_cache
from typing import Any

import pandas as pd

from planner.domain.columns import Kind
from planner.domain.text import clean

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f']+")
_CURRENCY = re.compile(r"(vnđ|vnd|đồng|dong|đ|₫)$", re.IGNORECASE)
_INT = re.compile(r"[+-]?\d+")
_GROUPED_DOT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+")
_GROUPED_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+")
_DEC_COMMA = re.compile(r"[+-]?\d*,\d+")
_DEC_DOT = re.compile(r"[+-]?\d*\.\d+")
_DOT_THOUSANDS_COMMA_DEC = re.compile(r"[+-]?\d{1,3}(\.\d{3})+,\d+")
_COMMA_THOUSANDS_DOT_DEC = re.compile(r"[+-]?\d{1,3}(,\d{3})+\.\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XLSX cells
_EXCEL_ERRORS = {"#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"}

_THOUSANDS_KINDS = {Kind.COUNT, Kind.MONEY}
#: kinds a percentage can never be (issue 11): the reason reported for each
_NO_PERCENT = {Kind.COUNT: "percent_in_count", Kind.COEFFICIENT: "percent_in_coefficient"}

#: Why a cell is not a number; each is a message key under ``problem.`` in the catalogues.
NOT_A_NUMBER = "not_a_number"
EXCEL_ERROR = "excel_error"
FORMULA = "formula_text"
DATE_IN_NUMBER = "date_in_number"
CONTROL_IN_NUMBER = "control_in_number"


def parse_number(value: Any, kind: Kind) -> tuple[float | None, str | None]:
    """One cell → (number, None), (None, None) when blank, or (None, reason) when not a number."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, NOT_A_NUMBER
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None, None
        if isinstance(value, float) and math.isinf(value):
            return None, NOT_A_NUMBER
        return float(value), None
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return None, DATE_IN_NUMBER
    raw = str(value)
    # NUL and the like: removed from the quoted value, named instead. Looked for before the
    # spaces are tidied: Python counts U+000B, U+000C and U+001C-U+001F as white space, so
    # "1\x1e2" would otherwise read as the count 12
    if _CONTROL.search(raw):
        return None, CONTROL_IN_NUMBER
    text = clean(raw)
    if not text or text in {"-", "–", "—"}:
        return None, None
    if text.upper() in _EXCEL_ERRORS:
        return None, EXCEL_ERROR
    if text.startswith("="):
        return None, FORMULA
    percent = text.endswith("%")
    if percent and kind in _NO_PERCENT:  # "100%" is not 1 person, "2,34%" not 0.0234
        return None, _NO_PERCENT[kind]
    compact = _SPACES.sub("", text.rstrip("%"))
    compact = _CURRENCY.sub("", compact)
    number = _to_float(compact, kind)
    if number is None or not math.isfinite(number):  # "9" * 400 reads as infinity
        return None, NOT_A_NUMBER
    return (number / 100 if percent else number), None


_parse_cached = lru_cache(maxsize=1 << 16, typed=True)(parse_number)


def parse_cell(value: Any, kind: Kind) -> tuple[float | None, str | None]:
    """:func:`parse_number`, remembered per (type, value): tables repeat their numbers."""
    if value is None:
        return None, None
    try:
        return _parse_cached(value, kind)
    except TypeError:  # unhashable (a list in a DataFrame cell)
        return parse_number(value, kind)


def _to_float(s: str, kind: Kind) -> float | None:
    if _INT.fullmatch(s):
        return float(s)
    if _DOT_THOUSANDS_COMMA_DEC.fullmatch(s):  # 1.234,5
        return float(s.replace(".", "").replace(",", "."))
    if _COMMA_THOUSANDS_DOT_DEC.fullmatch(s):  # 1,234.5
        return float(s.replace(",", ""))
    thousands_ok = kind in _THOUSANDS_KINDS
    if _GROUPED_DOT.fullmatch(s) and (thousands_ok or s.count(".") > 1):  # 1.234 / 1.234.567
        return float(s.replace(".", "")) if thousands_ok else None
    if _GROUPED_COMMA.fullmatch(s) and (thousands_ok or s.count(",") > 1):  # 1,234,567
        return float(s.replace(",", "")) if thousands_ok else None
    if _DEC_COMMA.fullmatch(s):  # 2,34
        return float(s.replace(",", "."))
    if _DEC_DOT.fullmatch(s):  # 2.34
        return float(s)
    return None


def parse_column(values: pd.Series, kind: Kind) -> tuple[pd.Series, pd.Series]:
    """Parse a whole column. Returns (float values with NaN for blanks/bad, reason or None).

    Cells are parsed once per distinct value, so a 60,000-row column of repeated counts
    costs a few hundred parses.
    """
    lookup: dict[Any, tuple[float, str | None]] = {}
    numbers: list[float] = []
    reasons: list[str | None] = []
    add_number, add_reason = numbers.append, reasons.append
    for value in values.tolist():
        key: tuple[type, Any] | None = (type(value), value)
        try:
            hit = lookup.get(key)
        except TypeError:  # unhashable (a list in a DataFrame cell)
            hit = key = None
        if hit is None:
            number, reason = parse_number(value, kind)
            hit = (math.nan if number is None else number, reason)
            # NaN is not remembered: every NaN is a new key (it equals nothing)
            if key is not None and not (type(value) is float and value != value):
                lookup[key] = hit
        add_number(hit[0])
        add_reason(hit[1])
    return (
        pd.Series(numbers, index=values.index, dtype="float64"),
        pd.Series(reasons, index=values.index, dtype="object"),
    )


def text_value(value: Any) -> str:
    """A cell as text: 101.0 → "101", dates as dd/mm/yyyy, blanks as ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = clean(value)
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def cell_text(value: Any) -> str:
    """:func:`text_value`, remembered per (type, value): tables repeat names and numbers."""
    if value is None:
        return ""
    try:
        return _text_cached(value)
    except TypeError:  # unhashable (a list in a DataFrame cell)
        return text_value(value)


_text_cached = lru_cache(maxsize=1 << 16, typed=True)(text_value)

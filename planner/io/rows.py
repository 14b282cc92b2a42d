"""What a row below the header is: data, a group heading, a subtotal or total, or a footer.

Offices number group rows I, II, III (or A, B) and name them "Khối Sở, ban, ngành"; they close
groups with "Cộng" and the table with "Tổng cộng". A total label is recognised with its
diacritics: "Cộng" is a total, "Công an tỉnh" (the provincial police) and "Công ty …" are units,
and so are "Tổng công ty …" and "Tổng cục …". Text typed without diacritics ("Cong", "Tong
cong") counts only when it is all ASCII and the words after the total word are total-like.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from planner.domain.columns import ROW_NUMBER, Kind, TableSpec
from planner.domain.text import fold
from planner.io.numbers import cell_text, parse_cell

ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
GROUP_LETTER = re.compile(r"^[a-z]$")
#: one cell of a row of column numbers: "1", "(1)", "A", "(B)", "4a", "3=1-2", "(5)=(3)-(4)",
#: "5=6+7+8", "1 = 2 + 3", "(7)=(5)x(6)"
_MARK = r"(?:\(\s*(?:\d{1,3}[a-z]?|[a-zđ])\s*\)|\d{1,3}[a-z]?|[a-zđ])"
COLUMN_NUMBER = re.compile(
    rf"^{_MARK}(?:\s*=\s*{_MARK}(?:\s*[-+x*/:]\s*{_MARK})*)?$", re.IGNORECASE)
GROUP_WORDS = ("khoi ", "nhom ", "linh vuc ", "cap tinh", "cap huyen", "cap xa", "nganh ")
FOOTER_WORDS = re.compile(
    r"ngay \d* ?thang|nguoi lap|thu truong|giam doc|chu tich|ky ten|ky ghi ro|noi nhan|"
    r"ke toan truong|truong phong|xac nhan"
)

# "Tổng cộng …", "Tổng số …", "Total …": a total whatever follows.
_STRONG = re.compile(r"^(tổng cộng|tổng số|grand total|sub ?total|total)(?![^\W\d_])")
_STRONG_ASCII = re.compile(r"^(tong cong|tong so|grand total|sub ?total|total)\b")
# "Cộng", "Tổng", "Sum": a total only when what follows is total-like ("Cộng khối II", "Cộng:").
_WEAK = re.compile(r"^(cộng|tổng|sum)(?![^\W\d_])")
_WEAK_ASCII = re.compile(r"^(cong|tong|sum)\b")
_CONTINUATIONS = frozenset({
    "khoi", "cap", "nhom", "linh", "nganh", "toan", "chung", "cac", "so", "don", "phan",
    "muc", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "a", "b", "c", "d",
})
_GRAND = ("tong", "total", "grand")


@lru_cache(maxsize=1 << 16)
def is_total_label(text: str) -> bool:
    """Is ``text`` (a label cell) a subtotal or total label?"""
    low = " ".join(unicodedata.normalize("NFC", text).lower().split())
    if not low or low[0] not in "tcsg":  # tổng, cộng, total, sum, grand
        return False
    words = fold(low).split()
    if len(words) > 10:
        return False
    ascii_only = low.isascii()
    strong = _STRONG_ASCII if ascii_only else _STRONG
    if strong.match(low if not ascii_only else " ".join(words)):
        return True
    weak = (_WEAK_ASCII if ascii_only else _WEAK).match(low if not ascii_only else " ".join(words))
    if not weak:
        return False
    rest = fold(low[weak.end():]).split()
    return not rest or rest[0] in _CONTINUATIONS or rest[0].isdigit()


def total_scope(text: str) -> str:
    """"grand" for a table total ("Tổng cộng", "Total"), "sub" for a group total ("Cộng")."""
    return "grand" if fold(text).startswith(_GRAND) else "sub"


@lru_cache(maxsize=1 << 12)
def group_level(stt: str) -> str | None:
    """Level of a group row from its number: "roman" (I, II), "letter" (A, B) or None."""
    key = fold(stt)
    if not key:
        return None
    if ROMAN.match(key):
        return "roman"
    if GROUP_LETTER.match(key):
        return "letter"
    return None


@lru_cache(maxsize=1 << 16)
def is_group_name(name: str) -> bool:
    return fold(name).startswith(GROUP_WORDS)


def is_footer_text(text: str) -> bool:
    return FOOTER_WORDS.search(fold(text)) is not None


def is_column_numbers(cells: list[str]) -> bool:
    """A row of column numbers under the header, in any style offices use: "(1) (2) (3)",
    "1 2 3" (typed as text or numbers), "A | B | C | 1 | 2 | 3=1-2", "4a | 4b | 5=6+7+8",
    "1 = 2 + 3". Every filled cell must be such a token; the plain numbers among them rise
    and do not repeat (so a data row of counts is not taken for one)."""
    filled = [c for c in cells if c]
    if len(filled) < 2 or not all(len(c) <= 40 and COLUMN_NUMBER.match(c) for c in filled):
        return False
    plain = [int(c) for c in filled if c.isdigit()]
    if plain != sorted(plain) or len(set(plain)) != len(plain):
        return False
    letters = [c for c in filled if len(c) == 1 and c.isalpha()]
    # letters alone ("A | B") must run in order; a lone letter next to a name is a group row
    return len(letters) < 2 or [fold(c) for c in letters] == sorted(fold(c) for c in letters)


# --- every row below the header ------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A row below the header: its index in the grid, kind, and for groups/totals more detail."""

    i: int
    kind: str  # data, group, total, blank, footer, column_numbers
    level: str | None = None  # group: "letter", "roman" or None; total: "grand" or "sub"


def is_filled(value: Any) -> bool:
    """A cell holding something: not None, blank text or NaN."""
    return value is not None and not (isinstance(value, str) and not value.strip()) and not (
        isinstance(value, float) and value != value)


def is_blank_row(row: list[Any]) -> bool:
    """A row with no cell filled (see :func:`is_filled`)."""
    for v in row:
        if v is None:
            continue
        if isinstance(v, str):
            if v.strip():
                return False
        elif not (isinstance(v, float) and v != v):  # NaN
            return False
    return True


def classify_rows(rows: list[list[Any]], header_end: int, columns: dict[str, int],
                  spec: TableSpec, *, numeric: list[int] | None = None) -> list[Entry]:
    """Say what each row below the header is (``columns``: canonical id → column index;
    ``numeric``: every column holding numbers, sub-columns of a split included)."""
    by_kind = {c.id: c.kind for c in spec.columns}
    if numeric is None:
        numeric = [idx for cid, idx in columns.items() if by_kind[cid] is not Kind.TEXT]
    stt_col = columns.get(ROW_NUMBER.id)
    # a table keyed by codes alone (an HR database export: unit_id, position_id, figures) names
    # its units and positions by their codes, as typed ("CV", chuyên viên, is no Roman 105): a
    # row giving both is data however blank its figures (then refused, naming the blank cell),
    # never a group heading or a footer
    name_col = columns.get("unit_name", columns.get("unit_id"))
    pos_col = columns.get("position_name", columns.get("position_id"))
    # a table of units has no position column: there a row naming a unit by its code is a unit
    # (a unit without settings is still a unit, not a group heading or a footer)
    code_col = columns.get("unit_id") if pos_col is None else None

    def get(row: list[Any], c: int | None) -> str:
        return cell_text(row[c]) if c is not None and c < len(row) else ""

    def second_key(row: list[Any]) -> str:
        if code_col is None:
            return get(row, pos_col)
        code = get(row, code_col)
        return code if code and group_level(code) is None and not is_total_label(code) else ""

    entries: list[Entry] = []
    facts: dict[int, tuple[str, str, str, bool, bool]] = {}
    last_numbered = -1
    count = Kind.COUNT
    for i in range(header_end, len(rows)):
        row = rows[i]
        if is_blank_row(row):
            continue
        width = len(row)
        values = [v for c in numeric if c < width and is_filled(v := row[c])]
        has_numbers = False
        for v in values:
            if parse_cell(v, count)[0] is not None:
                has_numbers = True
                break
        facts[i] = (get(row, stt_col), get(row, name_col), second_key(row), has_numbers,
                    bool(values))
        last_numbered = i if has_numbers else last_numbered
    in_footer = False
    first_filled = min(facts, default=-1)
    for i in range(header_end, len(rows)):
        row = rows[i]
        if i not in facts:
            entries.append(Entry(i, "blank"))
            continue
        if (i == first_filled or (len(facts[i][1]) <= 6 and _strong_numbers(row))) \
                and is_column_numbers([cell_text(v) for v in row]):
            entries.append(Entry(i, "column_numbers"))
            continue
        stt, name, pos, has_numbers, has_values = facts[i]
        if _is_total([stt, name, pos]):
            label = next(t for t in (stt, name, pos) if t and is_total_label(t))
            entries.append(Entry(i, "total", total_scope(label)))
        elif i > last_numbered and (in_footer or is_footer_text(_joined(row)) or (
                not (name and pos) and not has_values)):
            # below the last number: signature lines, place and date, notes (a row naming a
            # unit and a position, or with something in a number column, stays data)
            in_footer = True
            entries.append(Entry(i, "footer"))
        elif not pos and (level := group_level(stt)) is not None:
            entries.append(Entry(i, "group", level))
        elif not pos and is_group_name(name):
            entries.append(Entry(i, "group"))
        elif not pos and not has_numbers:
            entries.append(Entry(i, "footer" if is_footer_text(_joined(row)) else "group"))
        else:
            entries.append(Entry(i, "data"))
    return entries


def _strong_numbers(row: list[Any]) -> bool:
    """A row of column numbers anywhere (repeated on a later page): one with "(1)" or "3=1-2"."""
    return any(isinstance(v, str) and ("(" in v or "=" in v) for v in row)


def _joined(row: list[Any]) -> str:
    return " ".join(t for t in (cell_text(v) for v in row) if t)


def _is_total(texts: list[str]) -> bool:
    # a cheap look at the first letter spares the cache a million row numbers and names
    return any(text and text[0] in _TOTAL_INITIALS and is_total_label(text) for text in texts)


_TOTAL_INITIALS = frozenset("tTcCsSgG")

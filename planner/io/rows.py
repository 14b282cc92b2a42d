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
from functools import lru_cache

from planner.text import fold

ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
GROUP_LETTER = re.compile(r"^[a-z]$")
COLUMN_NUMBER = re.compile(r"^\(\s*\d+\s*\).*$|^\d{1,3}$")
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
    """A row of column numbers under the header: "(1) (2) (3)", "1 2 3" or "(5)=(3)-(4)"."""
    filled = [c for c in cells if c]
    if len(filled) < 2 or not all(COLUMN_NUMBER.match(c) for c in filled):
        return False
    plain = [int(c) for c in filled if c.isdigit()]
    return plain == sorted(plain) and len(set(plain)) == len(plain)

"""Text folding for matching what people type: case, spacing and Vietnamese diacritics.

"Biên chế  được giao", "BIEN CHE DUOC GIAO" and "bien che duoc giao" all fold to the same key.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: object) -> str:
    """Lower-case ASCII words of ``text``: diacritics removed, đ→d, punctuation → spaces."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", s).strip()


def slug(text: object) -> str:
    """A stable code derived from a name: ``"Sở Nội vụ"`` → ``"so-noi-vu"``."""
    return fold(text).replace(" ", "-")


def clean(text: object) -> str:
    """Trim and collapse inner whitespace (NBSP and line breaks included), keep diacritics (NFC)."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Excel letters → 0-based column index (A → 0, AB → 27; case does not matter)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1

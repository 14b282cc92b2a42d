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


#: escapes for the control characters people recognise; the others become \xNN or \uNNNN
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}
#: characters that change what a terminal shows beyond their own place: bidi overrides and
#: isolates (text shown in another order than stored) and Unicode line/paragraph separators
_REORDERING = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                        "\u2066\u2067\u2068\u2069\u2028\u2029")


def printable(text: object, *, keep: str = "") -> str:
    """``text`` safe to print on a terminal: control characters (C0, DEL, C1) and bidi
    controls shown as escapes (ESC as ``\\x1b``, a line break as ``\\n``), so a name or note
    cannot clear the screen, set the window title or reorder what is shown. Characters in
    ``keep`` (e.g. ``"\\n"`` for multi-line output) pass through."""
    s = str(text)
    if s.isprintable() and not _REORDERING.intersection(s):
        return s  # the common case, fast
    out = []
    for ch in s:
        if ch in keep:
            out.append(ch)
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif ch in _REORDERING or unicodedata.category(ch) == "Cc":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)

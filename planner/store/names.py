"""Scenario names and free text as the store keeps them: one spelling per name, storable text.

Names are normalised before they are saved or looked up (:func:`normal_name`), so names that
look the same are the same name; names, authors and notes are refused only for characters no
store can keep (:func:`check_text`). Everything else is kept exactly as typed, and printed with
control characters escaped (:func:`planner.domain.text.printable`).
"""

from __future__ import annotations

import unicodedata

from planner.store.database import InvalidText

#: characters that change nothing a reader sees: format characters (category Cf: zero-width
#: space and joiners, word joiner, BOM, soft hyphen, bidi marks) and a few other default-ignorable
#: ones (combining grapheme joiner, Hangul fillers, variation selectors)
_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0"
                       + "".join(map(chr, range(0x180B, 0x1810)))
                       + "".join(map(chr, range(0xFE00, 0xFE10))))


def normal_name(name: object) -> str:
    """A scenario name as the store keeps and compares it: invisible characters removed,
    Unicode NFC (a name typed with composed or decomposed accents is one name), runs of
    whitespace (line breaks, NBSP, ...) collapsed to one space, ends trimmed. "Mẫu" in NFC,
    in NFD and with a zero-width space inside are all "Mẫu"."""
    text = "".join(ch for ch in str(name or "")
                   if ch not in _INVISIBLE and unicodedata.category(ch) != "Cf")
    return " ".join(unicodedata.normalize("NFC", text).split())


def check_text(field: str, text: str) -> str:
    """``text`` unchanged, or :class:`InvalidText` if it holds a character no store can keep:
    NUL (PostgreSQL refuses it in text) or a lone surrogate (not Unicode text; what an invalid
    byte on the command line becomes)."""
    for position, ch in enumerate(text, start=1):
        if ch == "\x00" or unicodedata.category(ch) == "Cs":
            raise InvalidText(f"the {field} holds the character U+{ord(ch):04X} at position "
                              f"{position}, which cannot be stored", field=field,
                              char=f"U+{ord(ch):04X}", position=position)
    return text

"""Amounts as officers type them in a field or on the command line (one parser for both).

A field has a *unit*: what a bare number means there (đồng, triệu đồng, tỷ đồng, or percent).
A unit word typed after the number overrides it: "60 tỷ", "500 triệu", "2,5tr", "2.340.000 đ".

- "2,5" and "2.5" are two and a half (a decimal comma or point);
- "2.340.000", "2 340 000" and "2,340,000" are 2,340,000 (thousands grouped by dots, spaces
  or commas); "1.234,5" and "1,234.5" mix both;
- one separator followed by exactly three digits ("1.500", "2,340") is read as thousands in a
  field of whole đồng (a fraction of a đồng means nothing) and is **ambiguous** elsewhere
  ("1.500 tỷ": one and a half, or fifteen hundred?): an error asking to write it otherwise,
  never a guess;
- "60e9" (the CLI's scientific form), "30%" in a percent field.

:func:`parse_amount` returns đồng for money units and a share (0.3 for "30") for percent;
it raises :class:`AmountError` with a catalogue code (``amount.<code>``) otherwise.
:func:`echo` says back what was understood ("2,5 tỷ đ (2.500.000.000 đ)").
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from planner.i18n import fmt_number, fmt_percent, t


class Unit(StrEnum):
    """What a bare number means in a field."""

    DONG = "dong"
    MILLION = "million"
    BILLION = "billion"
    PERCENT = "percent"


FACTORS = {Unit.DONG: 1.0, Unit.MILLION: 1e6, Unit.BILLION: 1e9, Unit.PERCENT: 0.01}

#: Unit words (lower case, NFC), longest first so "triệu" wins over "tr".
_WORDS: tuple[tuple[str, Unit | float], ...] = (
    ("billion", Unit.BILLION), ("triệu", Unit.MILLION), ("trieu", Unit.MILLION),
    ("million", Unit.MILLION), ("nghìn", 1e3), ("nghin", 1e3), ("ngàn", 1e3), ("ngan", 1e3),
    ("tỷ", Unit.BILLION), ("tỉ", Unit.BILLION), ("ty", Unit.BILLION), ("ti", Unit.BILLION),
    ("bn", Unit.BILLION), ("tr", Unit.MILLION), ("k", 1e3),
)
_CURRENCY = r"(?:đồng|dong|vnđ|vnd|đ|₫)"
_TAIL = re.compile(r"^(?P<number>.*?)\s*(?P<word>" + "|".join(w for w, _ in _WORDS)
                   + r")?\.?\s*" + _CURRENCY + r"?\s*(?:/\s*(?:năm|nam|tháng|thang|year|month))?"
                   r"\s*(?P<percent>%)?$", re.IGNORECASE)
_SPACES = "\u0020\u00a0\u2007\u202f\u2009"
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE][+-]?\d+")
_PLAIN = re.compile(r"\d+")
_GROUPS = {sep: re.compile(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+") for sep in ".,"}
_SPACE_GROUPS = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?")
_MIXED = {(".", ","): re.compile(r"\d{1,3}(?:\.\d{3})+,\d+"),   # 1.234,5
          (",", "."): re.compile(r"\d{1,3}(?:,\d{3})+\.\d+")}    # 1,234.5
_DECIMAL = re.compile(r"\d*[.,]\d+")


@dataclass
class AmountError(ValueError):
    """Why a typed amount was refused: ``code`` is a message key under ``amount.``."""

    code: str
    value: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message("en")

    def message(self, lang: str) -> str:
        return t(f"amount.{self.code}", lang, value=self.value, **self.params)


def _number(text: str, *, whole: bool, shown: str) -> float:
    """The number part (no sign, no unit) → float, or AmountError."""
    s = text.strip()
    for sp in _SPACES[1:]:
        s = s.replace(sp, " ")
    if not s or any(c.isalpha() for c in s.replace("e", "").replace("E", "")):
        raise AmountError("not_a_number", shown)
    if " " in s:
        if not _SPACE_GROUPS.fullmatch(s):
            raise AmountError("bad_grouping", shown)
        s = s.replace(" ", "")
        if "." in s or "," in s:  # "2 340,5": spaces group, the separator is a decimal
            return float(s.replace(",", "."))
        return float(s)
    if _PLAIN.fullmatch(s):
        return float(s)
    if _SCIENTIFIC.fullmatch(s):
        return float(s.replace(",", "."))
    for (thousands, decimal), pattern in _MIXED.items():
        if pattern.fullmatch(s):
            return float(s.replace(thousands, "").replace(decimal, "."))
    for sep, pattern in _GROUPS.items():
        if pattern.fullmatch(s):
            if s.count(sep) > 1 or whole:
                return float(s.replace(sep, ""))
            if s.startswith("0"):  # "0,500": a decimal (no group starts with 0)
                return float(s.replace(sep, "."))
            head, tail = s.split(sep)
            raise AmountError("ambiguous", shown, {"thousands": head + tail,
                                                   "decimal": f"{head}{',' if sep == '.' else '.'}"
                                                              f"{tail.rstrip('0') or '0'}"})
    if _DECIMAL.fullmatch(s):
        return float(s.replace(",", "."))
    if s.count(".") + s.count(",") > 1:
        raise AmountError("bad_grouping", shown)
    raise AmountError("not_a_number", shown)


def parse_amount(text: Any, *, unit: Unit | str = Unit.DONG, maximum: float | None = None,
                 minimum: float | None = None) -> float | None:
    """A typed amount → đồng (money units) or a share (percent); None when blank.

    ``maximum`` and ``minimum`` (in the result's terms: đồng, or a share) refuse values
    outside with a message naming the bound (a minimum above zero catches "2,5" typed for a
    base salary of 2.5 million). Raises :class:`AmountError` for anything else.
    """
    unit = Unit(unit)
    if text is None:
        return None
    if isinstance(text, bool):
        raise AmountError("not_a_number", str(text))
    if isinstance(text, int | float):
        if not math.isfinite(text):
            raise AmountError("not_a_number", str(text))
        raw, value = str(text), float(text) * FACTORS[unit]
    else:
        raw = unicodedata.normalize("NFC", str(text)).strip()
        if not raw:
            return None
        value = _parse_text(raw, unit)
    if value < 0:
        raise AmountError("negative", raw)
    if maximum is not None and value > maximum:
        raise AmountError("too_large", raw, {"maximum": _plain(maximum, unit)})
    if minimum is not None and value < minimum:
        raise AmountError("too_small", raw, {"minimum": _plain(minimum, unit)})
    return value


def _parse_text(raw: str, unit: Unit) -> float:
    body = raw
    negative = False
    if body[:1] in "-−–":
        negative, body = True, body[1:].lstrip()
    elif body[:1] == "+":
        body = body[1:].lstrip()
    match = _TAIL.match(body)
    if match is None or not match.group("number"):
        raise AmountError("not_a_number", raw)
    word = (match.group("word") or "").lower()
    percent = bool(match.group("percent"))
    if percent and unit is not Unit.PERCENT:
        raise AmountError("percent_here", raw)
    if word and unit is Unit.PERCENT:
        raise AmountError("not_a_share", raw)
    factor: float = FACTORS[unit]
    whole = unit is Unit.DONG
    if word:
        meant = dict(_WORDS)[word]
        factor = FACTORS[meant] if isinstance(meant, Unit) else float(meant)
        whole = False
    number = _number(match.group("number"), whole=whole, shown=raw)
    value = number * factor
    if not math.isfinite(value):
        raise AmountError("not_a_number", raw)
    return -value if negative else value


def _plain(bound: float, unit: Unit) -> str:
    if unit is Unit.PERCENT:
        return fmt_number(bound * 100, "vi", decimals=2) + "%"
    return fmt_number(bound / FACTORS[unit], "vi", decimals=3)


def echo(value: float | None, unit: Unit | str, lang: str) -> str:
    """What a field understood, in the language's format: "2,5 tỷ đ (2.500.000.000 đ)",
    "2.530.000 đ", "30%"."""
    unit = Unit(unit)
    if value is None:
        return ""
    if unit is Unit.PERCENT:
        return fmt_percent(value, lang, decimals=1 if round(value * 1000) % 10 else 0)
    whole = t("money.dong", lang, amount=fmt_number(round(value), lang))
    if unit is Unit.DONG:
        return whole
    key = "money.billion" if unit is Unit.BILLION else "money.million"
    scaled = t(key, lang, amount=fmt_number(value / FACTORS[unit], lang, decimals=4))
    return f"{scaled} ({whole})"


def typed(value: float | None, unit: Unit | str, lang: str) -> str:
    """A value written back into a field the way the officer would type it ("2,5", "2.530.000")."""
    unit = Unit(unit)
    if value is None:
        return ""
    scaled = value / FACTORS[unit]
    if unit is Unit.DONG:
        return fmt_number(round(scaled), lang)
    text = fmt_number(scaled, lang, decimals=4)
    # group separators would make "1.500" (vi) ambiguous when read back: leave them out
    group = "." if lang == "vi" else ","
    return text.replace(group, "")

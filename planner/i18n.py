"""Messages and number formats in Vietnamese (default) and English.

One catalogue per language (``planner/locales/vi.toml``, ``en.toml``); code refers to messages
by key. Numbers go through Babel with the language's locale: 1.234.567 and 2,34 in Vietnamese,
1,234,567 and 2.34 in English. Money is whole đồng, or triệu / tỷ đồng when large.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal, format_percent

from planner.domain.columns import label
from planner.domain.problems import Problem

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
_LOCALES = {"vi": "vi_VN", "en": "en_US"}
_DIR = Path(__file__).with_name("locales")


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    with (_DIR / f"{lang}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def t(key: str, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in.

    A missing key falls back to English, then to the key itself (a test checks that both
    catalogues have the same keys, so the fallbacks only guard against typos at run time).
    """
    text = catalogue(lang).get(key) or catalogue("en").get(key) or key
    if not params:
        return text
    return text.format_map(_Lenient({k: _fmt_param(v, lang) for k, v in params.items()}))


def coded(table: str, code: object, lang: str = DEFAULT_LANG) -> object:
    """A code in words from a catalogue table (``coded("vocab.source", "state_budget")`` →
    "Ngân sách nhà nước"); a code the table lacks, or a value that is not text, as it is."""
    if not isinstance(code, str):
        return code
    return catalogue(lang).get(f"{table}.{code}", code)


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fmt_param(value: Any, lang: str) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return fmt_number(value, lang)
    if isinstance(value, float):
        return fmt_number(value, lang, decimals=2)
    if isinstance(value, list | tuple):
        return ", ".join(str(_fmt_param(v, lang)) for v in value)
    return value


def locale_of(lang: str) -> str:
    return _LOCALES.get(lang, _LOCALES[DEFAULT_LANG])


def fmt_number(value: float | int | None, lang: str = DEFAULT_LANG, decimals: int = 0) -> str:
    """1234567 → "1.234.567" (vi) / "1,234,567" (en); decimals are trimmed of trailing zeros."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def fmt_percent(share: float | None, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(share, format=pattern, locale=locale_of(lang))


def fmt_money(vnd: float | None, lang: str = DEFAULT_LANG, *, unit: str = "auto") -> str:
    """Money in đồng: whole đồng below a million, else triệu or tỷ (``unit`` may force one).

    vi: "1.234.567 đ", "12,5 triệu đ", "1,23 tỷ đ"; en: "1,234,567 VND", "12.5 million VND".
    """
    if vnd is None or (isinstance(vnd, float) and math.isnan(vnd)):
        return "–"
    if unit == "auto":
        unit = "billion" if abs(vnd) >= 1e9 else "million" if abs(vnd) >= 1e6 else "dong"
    if unit == "billion":
        return t("money.billion", lang, amount=fmt_number(vnd / 1e9, lang, decimals=2))
    if unit == "million":
        return t("money.million", lang, amount=fmt_number(vnd / 1e6, lang, decimals=1))
    return t("money.dong", lang, amount=fmt_number(round(vnd), lang))


def problem_message(problem: Problem, lang: str = DEFAULT_LANG) -> str:
    params = dict(problem.params)
    if "column_id" in params:
        params["column_label"] = label(params["column_id"], lang)
    for key, value in params.items():  # lists of columns or headers: one line
        if isinstance(value, list | tuple):
            params[key] = "; ".join(map(str, value)) or "–"
    return t(f"problem.{problem.code}", lang, **params, value=problem.value)


def problem_line(problem: Problem, lang: str = DEFAULT_LANG) -> str:
    """One line for a terminal: "error: quotas.xlsx, sheet Biểu 1, row 14, column D · …: msg"."""
    where = [problem.file] if problem.file else []
    if problem.sheet:
        where.append(t("where.sheet", lang, sheet=problem.sheet))
    if problem.row is not None:
        where.append(t("where.row", lang, row=problem.row))
    if problem.column:
        where.append(t("where.column", lang, column=problem.column))
    head = t(f"severity.{problem.severity.value}", lang)
    if not where:  # a problem with no file (an option, an output): "Error: message"
        return f"{head}: {problem_message(problem, lang)}"
    return f"{head}: {', '.join(where)}: {problem_message(problem, lang)}"

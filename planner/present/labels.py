"""Words, number formats and colours the app shows; no Streamlit here (charts use it too).

Every string comes from the ``[ui]`` table of the message catalogue (:mod:`planner.i18n`);
column headers from the data contract (:func:`planner.domain.columns.label`) unless ``[ui.column]``
has a more precise one. Coded values (staff types, funding sources) are shown in words, and
always in the same colour, on every chart.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

from planner.domain.columns import Kind
from planner.domain.columns import column_kind as contract_kind
from planner.domain.columns import label as contract_label
from planner.i18n import catalogue, coded, locale_of, t
from planner.optimise.result import Bound, BoundKind, BudgetKey

#: Colours of staff types and funding sources, the same on every chart (colour-blind safe
#: Okabe–Ito hues, sources and staff types kept apart).
STAFF_TYPE_COLOURS = {
    "civil_servant": "#0072B2",
    "public_employee": "#009E73",
    "contract": "#E69F00",
}
SOURCE_COLOURS = {
    "state_budget": "#56B4E9",
    "fee_revenue": "#D55E00",
    "service_revenue": "#CC79A7",
}
#: Further colours for funding sources or positions the tables above do not name.
EXTRA_COLOURS = ("#8C6D31", "#7F7F7F", "#17BECF", "#BCBD22", "#9467BD", "#8C564B", "#E377C2",
                 "#1F77B4", "#2CA02C", "#FF7F0E")
#: Before / after the plan.
STAGE_COLOURS = {"before": "#A7B4C2", "after": "#C0392B", "hires": "#009E73"}
BUDGET_COLOURS = {"budget": "#D5DBE1", "used": "#0072B2", "over": "#C0392B"}

CODED_COLUMNS = {"staff_type": "vocab.staff_type", "funding_source": "vocab.source"}


def ui(key: str, lang: str, /, **params: Any) -> str:
    """A message of the ``[ui]`` table of the catalogue."""
    return t(f"ui.{key}", lang, **params)


def column_label(column_id: str, lang: str) -> str:
    """The header of a column: ``[ui.column]`` when it has one, else the data contract's."""
    return catalogue(lang).get(f"ui.column.{column_id}") or contract_label(column_id, lang)


def code_label(column_id: str, code: object, lang: str) -> str:
    """A code in words: ``("funding_source", "state_budget")`` → "Ngân sách nhà nước"."""
    table = CODED_COLUMNS.get(column_id)
    if table is None or code is None:
        return "" if code is None else str(code)
    return str(coded(table, code, lang))


def source_name(source: str, lang: str) -> str:
    """A funding source in words (``[vocab.source]``; an unknown key as it is)."""
    return code_label("funding_source", source, lang)


def budget_name(key: BudgetKey, lang: str) -> str:
    """A budget in words: the funding source's name, or "Tổng ngân sách" for the total."""
    return t("vocab.total_budget", lang) if key.is_total else source_name(str(key.source), lang)


def bound_words(code: object, lang: str) -> object:
    """What limits a unit's or row's hires, in words (``[ui.bound]``; codes may be joined by
    commas): "budget:state_budget" → "Hết dự toán Ngân sách nhà nước". A code this version
    does not know, or a value that is not text, is returned as it is."""
    if not isinstance(code, str) or not code:
        return code
    words = catalogue(lang)
    out = []
    for part in (c.strip() for c in code.split(",")):
        bound = Bound.parse(part)
        if bound is None:
            out.append(part)
        elif bound.kind is BoundKind.BUDGET:
            out.append(t("ui.bound.budget_source", lang,
                         source=source_name(str(bound.source), lang)))
        else:
            out.append(words.get(f"ui.bound.{bound.kind}", part))
    return ", ".join(out)


def colours(column_id: str, codes: list[str]) -> list[str]:
    """Colours of ``codes`` of a coded column, fixed per code, in the order given."""
    fixed = STAFF_TYPE_COLOURS if column_id == "staff_type" else SOURCE_COLOURS
    out, extra = [], iter(EXTRA_COLOURS * (1 + len(codes) // len(EXTRA_COLOURS)))
    for code in codes:
        out.append(fixed.get(code) or next(extra))
    return out


@cache
def _symbols(lang: str) -> tuple[str, str]:
    loc = locale_of(lang)
    return get_group_symbol(loc), get_decimal_symbol(loc)


def number(value: Any, lang: str, decimals: int = 0) -> str:
    """A number with the language's separators (Babel's symbols): 1.234.567 / 1,234,567.

    Fast enough for whole tables; agrees with :func:`planner.i18n.fmt_number` except that
    ``decimals`` are kept rather than trimmed.
    """
    if _missing(value):
        return ""
    try:
        text = f"{float(value):,.{decimals}f}"
    except (TypeError, ValueError):
        return str(value)
    group, decimal = _symbols(lang)
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", group)


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def percent(share: Any, lang: str, decimals: int = 1) -> str:
    if _missing(share):
        return ""
    return number(float(share) * 100, lang, decimals) + "%"


def billions(vnd: float | None) -> float | None:
    """VND → tỷ đồng (charts plot money in billions)."""
    return None if vnd is None else vnd / 1e9


def vega_locale(lang: str) -> dict[str, Any]:
    """Vega's number locale, so chart axes use the language's separators too."""
    group, decimal = _symbols(lang)
    return {"number": {"decimal": decimal, "thousands": group, "grouping": [3],
                       "currency": ["", " đ"]}}


#: How the app's tables show each kind of column (the kinds: planner.domain.columns).
_SHOWN_AS = {Kind.COUNT: "count", Kind.MONEY: "money", Kind.RATE: "rate",
             Kind.COEFFICIENT: "decimal", Kind.WEIGHT: "decimal", Kind.ROW: "plain"}


def column_kind(column_id: str) -> str:
    """How the app's tables show a column: count, money, rate, decimal, plain (row numbers
    as Excel shows them, no separators) or text."""
    kind = contract_kind(column_id)
    return "text" if kind is None else _SHOWN_AS.get(kind, "text")


def formatter(column_id: str, lang: str) -> Callable[[Any], str]:
    """A function that shows one value of the column in ``lang`` (for tables)."""
    kind = column_kind(column_id)
    if kind in ("count", "money"):
        return lambda v: number(v, lang)
    if kind == "rate":
        return lambda v: percent(v, lang)
    if kind == "decimal":
        return lambda v: number(v, lang, 2)
    if kind == "plain":
        return lambda v: "" if _missing(v) else str(int(v))
    return lambda v: "" if _missing(v) else str(v)

"""A field for an amount typed the Vietnamese way: "2,5" (tỷ), "2.340.000" (đồng), "60 tỷ".

A text field read by :func:`planner.io.amounts.parse_amount` (the CLI's parser too). Under the
field, what it understood in the language's format ("= 2,5 tỷ đ (2.500.000.000 đ)"), or, when
the entry is not an amount or is ambiguous ("1.500" in a field of tỷ), an error saying how to
write it: never a silently different number.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.io.amounts import AmountError, Unit, echo, parse_amount, typed
from planner.ui import state


def seed(key: str, value: float | None, unit: Unit) -> None:
    """Give the field its value (đồng or a share) when Streamlit has forgotten it."""
    state.seed(key, typed(value, unit, state.lang()))


def put(key: str, value: float | None, unit: Unit) -> None:
    """Set the field's text (before it is drawn, e.g. in an on_click callback)."""
    st.session_state[key] = typed(value, unit, state.lang())


def current(key: str, unit: Unit) -> float | None:
    """The value the field holds now (None when blank or not an amount)."""
    try:
        return parse_amount(st.session_state.get(key), unit=unit)
    except AmountError:
        return None


def amount_input(where: Any, label: str, *, key: str, unit: Unit,
                 maximum: float | None = None, minimum: float | None = None,
                 help: str | None = None, placeholder: str | None = None,
                 disabled: bool = False) -> tuple[float | None, str | None]:
    """Draw the field in ``where`` (a column or st); returns (value, None) or (None, error)."""
    lang = state.lang()
    text = where.text_input(label, key=key, help=help, placeholder=placeholder,
                            disabled=disabled)
    try:
        value = parse_amount(text, unit=unit, maximum=maximum, minimum=minimum)
    except AmountError as exc:
        message = exc.message(lang)
        where.error(message, icon=":material/error:")
        return None, message
    if value is not None and unit is not Unit.PERCENT and not disabled:
        where.caption("= " + echo(value, unit, lang))
    return value, None

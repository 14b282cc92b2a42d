"""Drawing a chart on the page without Altair's schema validation at every rerun.

Streamlit turns an Altair chart into its Vega-Lite spec with ``chart.to_dict()``, and Altair
validates the whole spec against the Vega-Lite JSON schema each time (jsonschema: for the
Plan page's first three charts 0.10–0.29 s with the check against 0.03–0.14 s without, measured
on the project's loaded machine, at every rerun). The
charts drawn here come from the pure builders of :mod:`planner.present.charts` (and its
siblings), whose output tests validate against the schema for every chart the app draws
(tests/test_chart_draw.py); at run time the spec is made by Altair the same way, only not
validated again. Everything else goes Streamlit's own way (its lock, theme and the Arrow
datasets it collects while ``to_dict`` runs).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, cast

import streamlit as st

from planner.ui.chart_fit import fit

MEMO = "chart_memo."  # + name: (owner, key, chart) of the last chart built under that name


class Checked:
    """An Altair chart whose spec is already known valid: ``to_dict`` skips the schema check.

    Only ``to_dict`` differs; any other attribute is the chart's own."""

    def __init__(self, chart: Any) -> None:
        self.chart = chart

    def to_dict(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        kwargs["validate"] = False
        spec: dict[str, Any] = self.chart.to_dict(*args, **kwargs)
        return spec

    def __getattr__(self, name: str) -> Any:
        return getattr(self.chart, name)


def draw(where: Any, chart: Any, *, key: str) -> None:
    """``chart`` (title wrapped to its column, :func:`planner.ui.chart_fit.fit`) in ``where``
    (``st`` or a column), its spec not validated again."""
    where.altair_chart(cast(Any, Checked(fit(chart))), key=key)


def remembered(name: str, owner: object, key: Hashable, build: Callable[[], Any]) -> Any:
    """The chart ``build()`` gives for ``owner`` (the plan shown) and ``key`` (language and
    choices), built again only when either changes: a rerun that leaves them as they were (a
    budget typed, another field changed) reuses this session's chart. One chart per name."""
    slot = MEMO + name
    held = st.session_state.get(slot)
    if held is not None and held[0] is owner and held[1] == key:
        return held[2]
    chart = build()
    st.session_state[slot] = (owner, key, chart)
    return chart

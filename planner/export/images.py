"""The chart on the Summary sheet, rendered offline to PNG with vl-convert.

The chart is the app's own: :func:`planner.present.charts.remaining_by_unit` (vacancies before and
remaining after the plan for the units with the most vacancies), so the workbook shows the
picture the officer saw on screen. Only what print needs is changed: a fixed width, and a
font that has every Vietnamese letter (vl-convert's built-in sans-serif font lacks some, and
falls back to a serif font for those words).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

#: Units shown on the Summary chart (the By unit sheet lists them all).
TOP_UNITS = 15
#: Width of the whole chart in pixels (the app's chart fits its plot, unit names and title
#: into this width).
WIDTH = 760
#: A font installed with LibreOffice and most Linux systems that covers Vietnamese; where it
#: is missing vl-convert uses its own font.
FONT = "DejaVu Sans"


def summary_chart(by_unit: pd.DataFrame, *, lang: str = "vi",
                  top: int = TOP_UNITS) -> alt.TopLevelMixin:
    """The remaining-vacancies chart of :mod:`planner.present.charts`, set up for a printed page."""
    from planner.present.charts import remaining_by_unit

    shown = remaining_by_unit(by_unit, lang=lang, top=top)
    if not isinstance(shown, alt.SchemaBase):  # every altair chart is one; copy() is its own
        raise TypeError(f"not an altair chart: {type(shown).__name__}")
    chart = shown.copy(deep=True).properties(width=WIDTH)
    if chart.config is alt.Undefined:
        # altair's configure leaves its arguments unannotated; mypy sees Any
        configured: alt.TopLevelMixin = chart.configure(font=FONT)
        return configured
    chart.config.font = FONT
    return chart


def chart_png(chart: alt.TopLevelMixin, *, scale: float = 2.0) -> bytes:
    """PNG bytes of an Altair chart, rendered offline (vl-convert; no browser, no network)."""
    import vl_convert

    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)

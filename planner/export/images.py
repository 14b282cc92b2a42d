"""The chart on the Summary sheet, rendered offline to PNG with vl-convert.

``remaining_by_unit_chart`` is a pure function (table in, Altair chart out): the units with
the most vacancies before the plan, each with its vacancies before and after. It aggregates
to the top ``top`` units first, so the picture stays readable and Altair never sees a large
table. ``chart_png`` renders any Altair chart to PNG bytes without a browser or network.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from planner.export.labels import text

#: Colours of the "before" and "after" bars: light and dark, so a black-and-white print
#: still tells them apart.
BEFORE_COLOUR = "#A7B4C2"
AFTER_COLOUR = "#C0392B"
FONT = "DejaVu Sans"


def remaining_by_unit_chart(by_unit: pd.DataFrame, *, lang: str = "vi", top: int = 15,
                            width: int = 520) -> alt.LayerChart:
    """Vacancies before and after the plan for the ``top`` units with the most vacancies.

    ``by_unit`` needs unit_name, vacancies and remaining_vacancies (one row per unit).
    Ties are broken by unit name, so the same table always gives the same picture.
    """
    ranked = (by_unit.assign(_name=by_unit["unit_name"].astype(str))
              .sort_values(["vacancies", "_name"], ascending=[False, True], kind="stable")
              .head(top))
    before, after = text("chart.before", lang), text("chart.after", lang)
    long = pd.concat([
        pd.DataFrame({"unit": ranked["_name"], "stage": before,
                      "vacancies": ranked["vacancies"].astype("int64"), "order": 0}),
        pd.DataFrame({"unit": ranked["_name"], "stage": after,
                      "vacancies": ranked["remaining_vacancies"].astype("int64"), "order": 1}),
    ], ignore_index=True)
    units = ranked["_name"].tolist()
    y = alt.Y("unit:N", sort=units, title=None, axis=alt.Axis(labelLimit=320))
    y_offset = alt.YOffset("stage:N", sort=[before, after])
    base = alt.Chart(long).encode(y=y, yOffset=y_offset,
                                  x=alt.X("vacancies:Q", title=text("chart.axis", lang),
                                          axis=alt.Axis(format="d", tickMinStep=1)))
    bars = base.mark_bar().encode(
        color=alt.Color("stage:N", sort=[before, after],
                        scale=alt.Scale(range=[BEFORE_COLOUR, AFTER_COLOUR]),
                        legend=alt.Legend(title=None, orient="top")),
        tooltip=["unit:N", "stage:N", "vacancies:Q"])
    # the exact figure at the end of each bar: the printed page has no tooltips
    labels = base.mark_text(align="left", dx=3, fontSize=10, color="#333333").encode(
        text="vacancies:Q")
    return (
        alt.layer(bars, labels, title=text("chart.title", lang, n=len(units)))
        .properties(width=width, height=max(100, 26 * len(units)))
        .configure(font=FONT)
        .configure_title(fontSize=14, anchor="start", font=FONT)
        .configure_axis(labelFontSize=11, titleFontSize=11, labelFont=FONT, titleFont=FONT)
        .configure_legend(labelFontSize=11, labelFont=FONT)
        .configure_view(stroke=None)
    )


def chart_png(chart: alt.TopLevelMixin, *, scale: float = 2.0) -> bytes:
    """PNG bytes of an Altair chart, rendered offline (vl-convert; no browser, no network)."""
    import vl_convert

    return vl_convert.vegalite_to_png(chart.to_json(), scale=scale)

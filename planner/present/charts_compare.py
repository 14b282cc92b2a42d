"""The difference-by-unit chart of a scenario comparison (a pure function: table in, chart out)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from planner.i18n import t

MEASURES = ("hires", "remaining")


def difference_long(by_unit: pd.DataFrame, labels: Sequence[str], *, measure: str = "hires",
                    top: int = 25) -> pd.DataFrame:
    """One row per (unit, compared scenario) with its difference from the first scenario.

    Only units where some scenario differs are kept, the ``top`` largest differences first.
    Columns: unit_id, unit_name, scenario, difference.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    diffs = [f"{measure}_diff_{i}" for i in range(2, len(labels) + 1)]
    size = by_unit[diffs].abs().max(axis=1).fillna(0).astype("float64")
    kept = by_unit.loc[size > 0].assign(_size=size[size > 0])
    kept = kept.sort_values(["_size", "unit_name"], ascending=[False, True], kind="stable")
    kept = kept.head(top)
    long = kept.melt(id_vars=["unit_id", "unit_name"], value_vars=diffs, var_name="column",
                     value_name="difference")
    long["scenario"] = long["column"].map(
        {c: labels[i] for i, c in enumerate(diffs, start=1)})
    long["difference"] = pd.to_numeric(long["difference"]).astype("float64").fillna(0.0)
    return long[["unit_id", "unit_name", "scenario", "difference"]]


def difference_by_unit_chart(by_unit: pd.DataFrame, labels: Sequence[str], *,
                             measure: str = "hires", lang: str = "vi",
                             top: int = 25) -> alt.LayerChart:
    """Bars of (scenario − first scenario) per unit for ``measure`` ("hires" or "remaining").

    ``by_unit`` is :attr:`planner.present.compare.Comparison.by_unit`, ``labels`` its scenario
    labels.
    Units are sorted by the size of the largest difference; bars right of zero mean more than
    the first scenario. With no difference at all the chart says so in its title.
    """
    data = difference_long(by_unit, labels, measure=measure, top=top)
    base_title = t(f"store.chart.title_{measure}", lang, base=labels[0])
    title = base_title if len(data) else t("store.chart.no_difference", lang, base=labels[0])
    order = list(dict.fromkeys(data["unit_name"]))
    x_title = t(f"store.chart.axis_{measure}", lang, base=labels[0])
    unit_title = t("store.chart.axis_unit", lang)
    scenario_title = t("store.chart.legend", lang)
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("difference:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("unit_name:N", sort=order, title=unit_title, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("scenario:N", title=scenario_title,
                        scale=alt.Scale(domain=list(labels[1:]))),
        yOffset=alt.YOffset("scenario:N", sort=list(labels[1:])),
        tooltip=[alt.Tooltip("unit_name:N", title=unit_title),
                 alt.Tooltip("scenario:N", title=scenario_title),
                 alt.Tooltip("difference:Q", title=x_title, format="+d")],
    )
    rule = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#555").encode(x="zero:Q")
    height = max(60, 22 * len(order) * max(1, len(labels) - 1))
    layered: alt.LayerChart = (bars + rule).properties(title=title, height=height,
                                                       width="container")
    return layered

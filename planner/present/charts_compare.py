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


#: units the chart shows by default: the ones whose results differ most
TOP_UNITS = 15
GOOD, BAD, NEUTRAL = "#1a7f37", "#c62828", "#8a8a8a"
ROW_PX = 18  # height of one bar


def difference_by_unit_chart(by_unit: pd.DataFrame, labels: Sequence[str], *,
                             measure: str = "hires", lang: str = "vi",
                             top: int = TOP_UNITS) -> alt.LayerChart:
    """Bars of (scenario − first scenario) per unit for ``measure`` ("hires" or "remaining").

    ``by_unit`` is :attr:`planner.present.compare.Comparison.by_unit`, ``labels`` its scenario
    labels.
    The ``top`` units whose results differ most, largest first, each with its full name, a bar
    per compared scenario (a fixed height each, so hundreds of units or three scenarios stay
    readable) and the difference written at the bar's end. Colour says better or worse
    (more hires are better; more remaining vacancies are worse); with three scenarios the
    second and third are told apart by shade and by the legend. With no difference at all
    the chart says so in its title.
    """
    from planner.present.compare import effect

    data = difference_long(by_unit, labels, measure=measure, top=top)
    base = labels[0]
    changed = int((by_unit[[f"{measure}_diff_{i}" for i in range(2, len(labels) + 1)]]
                   .fillna(0).abs().max(axis=1) > 0).sum())
    title = [t(f"store.chart.title_{measure}", lang, base=base)]
    if len(data):
        title.append(t("compare.top", lang, n=min(top, changed), total=changed))
    else:
        title = [t("store.chart.no_difference", lang, base=base)]
    words = {"better": t("compare.better", lang), "worse": t("compare.worse", lang),
             None: t("compare.no_direction", lang)}
    data = data.assign(
        effect=[words[effect(measure, d)] for d in data["difference"]],
        text=[("+" if d > 0 else "") + f"{d:,.0f}".replace(",", "." if lang == "vi" else ",")
              for d in data["difference"]])
    order = list(dict.fromkeys(data["unit_name"]))
    compared = list(labels[1:])
    x_title = t(f"store.chart.axis_{measure}", lang, base=base)
    unit_title = t("store.chart.axis_unit", lang)
    scenario_title = t("store.chart.legend", lang)
    effect_title = t("compare.effect_legend", lang, base=base)
    limit = max(1.0, float(data["difference"].abs().max()) if len(data) else 1.0)
    x = alt.X("difference:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1),
              scale=alt.Scale(domain=[-limit * 1.25, limit * 1.25], nice=False))
    y = alt.Y("unit_name:N", sort=order, title=None,  # the names say they are units
              axis=alt.Axis(labelLimit=0, labelPadding=6))
    offset = alt.YOffset("scenario:N", sort=compared, scale=alt.Scale(domain=compared))
    tooltip = [alt.Tooltip("unit_name:N", title=unit_title),
               alt.Tooltip("scenario:N", title=scenario_title),
               alt.Tooltip("difference:Q", title=x_title, format="+d"),
               alt.Tooltip("effect:N", title=effect_title)]
    encoding = dict(x=x, y=y, yOffset=offset, tooltip=tooltip)
    bars = alt.Chart(data).mark_bar(height={"band": 0.85}).encode(
        **encoding,
        color=alt.Color("effect:N", title=effect_title,
                        scale=alt.Scale(domain=[words["better"], words["worse"],
                                                words[None]],
                                        range=[GOOD, BAD, NEUTRAL])),
        opacity=alt.Opacity("scenario:N", title=scenario_title, sort=compared,
                            scale=alt.Scale(domain=compared,
                                            range=[1.0, 0.55][:len(compared)]),
                            legend=alt.Legend() if len(compared) > 1 else None))
    values_pos = alt.Chart(data).transform_filter("datum.difference > 0").mark_text(
        fontSize=11, dx=4, align="left").encode(**encoding, text="text:N")
    values_neg = alt.Chart(data).transform_filter("datum.difference < 0").mark_text(
        fontSize=11, dx=-4, align="right").encode(**encoding, text="text:N")
    rule = alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#555").encode(x="zero:Q")
    per_unit = ROW_PX * max(1, len(compared)) + 8
    layered: alt.LayerChart = (
        alt.layer(bars, values_pos, values_neg, rule)
        .properties(title=alt.TitleParams(title, anchor="start"),
                    height={"step": per_unit}, width="container")
        .configure_legend(orient="bottom", labelLimit=0, titleLimit=0)
        .configure_axis(labelFontSize=12, titleFontSize=12))
    return layered

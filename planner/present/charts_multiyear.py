"""The multi-year plan's charts (Altair; table in, chart out; no Streamlit here).

:func:`stock_flow` is the quota path against staff on board, year by year: a bar per year
split into the staff kept from the start of the year, the year's hires and the year's
departures (stacked on top, so the bar's lower two parts are the staff at the end of the
year and kept + departures the staff at its start), and the quota as a line.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from planner.i18n import t

PARTS = ("kept", "hires", "departures")
COLOURS = {"kept": "#4C78A8", "hires": "#54A24B", "departures": "#E45756"}


def stock_flow_table(plan: pd.DataFrame, unit_id: str | None = None) -> pd.DataFrame:
    """Per year and part: the number of people (the whole province, or one unit)."""
    rows = plan if unit_id is None else plan[plan["unit_id"] == unit_id]
    y = rows.groupby("year", sort=True)[["quota", "on_board_start", "departures",
                                         "hires"]].sum()
    kept = y["on_board_start"] - y["departures"]
    out = pd.concat([pd.DataFrame({"year": y.index, "part": part, "people": values.to_numpy(),
                                   "quota": y["quota"].to_numpy()})
                     for part, values in (("kept", kept), ("hires", y["hires"]),
                                          ("departures", y["departures"]))],
                    ignore_index=True)
    out["order"] = out["part"].map({p: i for i, p in enumerate(PARTS)})
    return out


def stock_flow(plan: pd.DataFrame, *, lang: str = "vi", unit_id: str | None = None,
               title: str = "") -> alt.LayerChart:
    data = stock_flow_table(plan, unit_id)
    data["part_label"] = data["part"].map(lambda p: t(f"ui.multiyear.part.{p}", lang))
    data["year_label"] = data["year"].astype(str)
    labels = [t(f"ui.multiyear.part.{p}", lang) for p in PARTS]
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("year_label:O", title=t("ui.multiyear.year", lang)),
        y=alt.Y("sum(people):Q", title=t("ui.multiyear.people", lang)),
        color=alt.Color("part_label:N", title=None,
                        scale=alt.Scale(domain=labels, range=[COLOURS[p] for p in PARTS]),
                        sort=labels),
        order=alt.Order("order:Q"),
        tooltip=["year_label:O", "part_label:N", "people:Q"])
    line = alt.Chart(data[data["part"] == "kept"]).mark_line(
        point=True, color="#222222", strokeDash=[6, 3]).encode(
        x="year_label:O", y="quota:Q",
        tooltip=[alt.Tooltip("quota:Q", title=t("ui.multiyear.quota", lang))])
    return alt.LayerChart(layer=[bars, line], title=title or t("ui.multiyear.chart", lang),
                          height=320)

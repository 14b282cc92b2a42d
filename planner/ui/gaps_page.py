"""Gaps page (Thiếu hụt): where the vacancies are and what filling them would cost.

Headline figures, then charts (vacancies by unit, by sector, by funding source) and the gaps
table: all follow the search and filters (the figures say what they cover).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.domain.gaps import headline, summarise
from planner.present import charts
from planner.present.labels import code_label
from planner.ui import cache, session, state
from planner.ui.chart_draw import draw
from planner.ui.widgets import (
    count,
    csv_button,
    labeller,
    metric_row,
    money,
    money_short,
    search_units,
    share,
    show_table,
    tr,
)

ROW_COLUMNS = ["unit_id", "unit_name", "sector", "position_name", "staff_type", "funding_source",
               "quota", "headcount", "expected_departures", "vacancies", "surplus",
               "annual_cost_per_hire"]
UNIT_COLUMNS = ["unit_id", "unit_name", "rows", "quota", "headcount", "expected_departures",
                "vacancies", "surplus", "redeployable", "vacancy_cost", "fill_rate"]
STACKS = ("staff_type", "funding_source", "position_name")


def headline_figures(gaps: pd.DataFrame) -> None:
    h = headline(gaps)
    lang = state.lang()
    metric_row([
        (tr("gaps.quota"), count(h["quota"]), None),
        (tr("gaps.headcount"), count(h["headcount"]), None),
        (tr("gaps.vacancies"), count(h["vacancies"]), tr("gaps.help_vacancies")),
        (tr("gaps.surplus"), count(h["surplus"]), tr("gaps.help_surplus")),
        (tr("gaps.fill_rate"), share(h["fill_rate"]), tr("gaps.help_fill_rate")),
        (tr("gaps.cost_total"), money_short(h["vacancy_cost"]), tr("gaps.help_cost")),
    ], widths=[1.15, 1, 1.05, 0.95, 1.05, 1.8])
    by_source = sorted(h["vacancy_cost_by_source"].items(), key=lambda kv: -kv[1])
    st.caption(tr("gaps.headline_note", departures=count(h["expected_departures"]),
                  units=count(h["units"]), costs=" · ".join(
                      f"{code_label('funding_source', s, lang)} {money(v)}" for s, v in by_source)))
    if h["redeployable"]:
        st.caption(tr("gaps.redeployable_note", n=count(h["redeployable"])))


def filters(gaps: pd.DataFrame) -> tuple[pd.Series, int]:
    """The filter row; returns which rows of ``gaps`` it keeps and how many units to chart."""
    lang = state.lang()
    c1, c2, c3, c4, c5 = st.columns([3, 3, 2, 2, 2])
    text = c1.text_input(tr("filter.search"), key=state.W_GAPS_SEARCH,
                         placeholder=tr("filter.search_placeholder"))
    sectors = sorted(gaps["sector"].dropna().astype(str).unique())
    picked_sectors = c2.multiselect(tr("filter.sector"), sectors, key=state.W_GAPS_SECTORS,
                                    placeholder=tr("filter.all"))
    types = sorted(gaps["staff_type"].unique())
    picked_types = c3.multiselect(tr("filter.staff_type"), types,
                                  key=state.lang_key(state.W_GAPS_TYPES),
                                  placeholder=tr("filter.all"),
                                  format_func=lambda v: code_label("staff_type", v, lang))
    sources = sorted(gaps["funding_source"].unique())
    picked_sources = c4.multiselect(tr("filter.source"), sources,
                                    key=state.lang_key(state.W_GAPS_SOURCES),
                                    placeholder=tr("filter.all"),
                                    format_func=lambda v: code_label("funding_source", v, lang))
    state.seed(state.W_GAPS_TOP, charts.TOP_UNITS)
    top = c5.number_input(tr("gaps.top"), min_value=5, max_value=charts.MAX_TOP, step=5,
                          key=state.W_GAPS_TOP)
    keep = search_units(gaps, text)
    if picked_sectors:
        keep &= gaps["sector"].isin(picked_sectors)
    if picked_types:
        keep &= gaps["staff_type"].isin(picked_types)
    if picked_sources:
        keep &= gaps["funding_source"].isin(picked_sources)
    return keep, int(top)


def chart_section(shown: pd.DataFrame, top: int) -> None:
    lang = state.lang()
    left, right = st.columns([3, 2], gap="medium")
    with left:
        key = state.lang_key(state.W_GAPS_STACK)
        state.seed(key, STACKS[0])
        stack = st.radio(tr("gaps.stack"), STACKS, key=key, horizontal=True,
                         format_func=labeller("chart.stack."), label_visibility="collapsed")
        draw(st, cache.gaps_chart("unit", shown, lang, top, stack),
             key="chart_vacancies_by_unit")
    with right:
        draw(st, cache.gaps_chart("sector", shown, lang, top, stack), key="chart_by_sector")
        draw(st, cache.gaps_chart("funding_source", shown, lang, top, stack),
             key="chart_by_source")


def table_section(shown: pd.DataFrame, *, everything: bool) -> None:
    """The gaps table of the rows ``shown`` (``everything``: no filter, the cached summary)."""
    st.subheader(tr("gaps.table"))
    c1, c2 = st.columns([3, 2])
    view = c1.radio(tr("gaps.view"), ["unit", "position"], horizontal=True,
                    format_func=labeller("gaps.view_"), key=state.lang_key(state.W_GAPS_VIEW))
    state.seed(state.W_GAPS_ONLY_VACANT, True)
    only = c2.checkbox(tr("gaps.only_vacant"), key=state.W_GAPS_ONLY_VACANT)
    if view == "unit":
        by_unit = session.summary("unit") if everything else summarise(shown, "unit")
        table = by_unit[UNIT_COLUMNS] if len(shown) else pd.DataFrame(columns=UNIT_COLUMNS)
    else:
        table = shown[ROW_COLUMNS].sort_values(["vacancies", "unit_name"],
                                               ascending=[False, True], kind="stable")
    if only:
        table = table[table["vacancies"] > 0]
    st.caption(tr("gaps.rows_shown", n=count(len(table))))
    show_table(table, height=420, key=f"gaps_table_{view}")
    csv_button(table, f"thieu_hut_{'don_vi' if view == 'unit' else 'vi_tri'}.csv",
               tr("gaps.download"), key="dl_gaps")


def render() -> None:
    ds = session.dataset()
    gaps = session.gaps()
    st.header(tr("gaps.title"))
    st.caption(tr("gaps.subtitle_sample") if ds.kind == "sample"
               else tr("gaps.subtitle_files", files=", ".join(ds.file_names)))
    figures = st.container()  # drawn after the filters, which they follow
    keep, top = filters(gaps)
    shown = gaps[keep]
    with figures:
        headline_figures(shown)
        if keep.all():
            st.caption(tr("gaps.scope_all"))
        else:
            st.caption(tr("gaps.scope_filtered", units=count(shown["unit_id"].nunique()),
                          rows=count(len(shown)), all_units=count(gaps["unit_id"].nunique())))
    if not keep.all():
        st.caption(tr("filter.active", n=count(int(keep.sum())), total=count(len(gaps))))
    chart_section(shown, top)
    table_section(shown, everything=bool(keep.all()))


if __name__ == "__main__":
    render()

"""Charts of gaps and plans: a table in, an Altair chart out (no Streamlit here).

Every builder aggregates before plotting (per unit, per group, top N), so a 60,000-row input
gives a chart of at most a few hundred rows, far below Altair's 5,000-row limit. Labels come
from the ``[ui]`` catalogue in the language asked for; tooltips carry the exact figures
formatted for that language; staff types and funding sources keep one colour on every chart
(:mod:`planner.present.labels`). Money is plotted in tỷ đồng (billions of VND).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import altair as alt
import pandas as pd

from planner.i18n import fmt_money
from planner.optimise.result import TOTAL_BUDGET
from planner.present.labels import (
    BUDGET_COLOURS,
    EXTRA_COLOURS,
    STAGE_COLOURS,
    budget_name,
    code_label,
    colours,
    number,
    percent,
    source_name,
    ui,
    vega_locale,
)

TOP_UNITS = 20  # units shown by default on the per-unit charts
MAX_TOP = 60  # most units one chart shows (the rest are reached with the search box)
MAX_CATEGORIES = 8  # positions or sectors shown by name; the rest are grouped as "other"
ROW_PX = 22  # height of one bar
LABEL_PX = 300  # room for unit names


def _finish(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """Language, fonts, and sizing: the width follows the page, the height is the bars'."""
    # altair's configure_* methods leave their arguments unannotated; mypy sees Any
    finished: alt.TopLevelMixin = (
        chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
        .configure(locale=vega_locale(lang))
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=LABEL_PX)
        .configure_legend(orient="bottom", labelLimit=200, titleFontSize=12, labelFontSize=12,
                          columns=3)
        .configure_title(fontSize=15, anchor="start")
    )
    return finished


def _empty(message: str, lang: str, title: str = "") -> alt.TopLevelMixin:
    chart = alt.Chart(pd.DataFrame({"text": [message]})).mark_text(
        fontSize=14, color="#555").encode(text="text:N").properties(height=80, title=title)
    return _finish(chart, lang)


def unit_labels(frame: pd.DataFrame) -> pd.Series:
    """Unit names, with the code added where two units share a name."""
    names = frame[["unit_id", "unit_name"]].drop_duplicates()
    shared = names["unit_name"].duplicated(keep=False)
    label = names["unit_name"].where(~shared, names["unit_name"] + " (" + names["unit_id"] + ")")
    lookup = dict(zip(names["unit_id"], label, strict=True))
    return frame["unit_id"].map(lookup)


def _restrict(frame: pd.DataFrame, units: Iterable[str] | None) -> pd.DataFrame:
    if units is None:
        return frame
    return frame[frame["unit_id"].isin(set(units))]


def _top(totals: pd.DataFrame, by: str, top: int) -> pd.DataFrame:
    top = max(1, min(int(top), MAX_TOP))
    return (totals[totals[by] > 0]
            .sort_values([by, "unit_name"], ascending=[False, True], kind="stable").head(top))


# --- gaps ------------------------------------------------------------------------------------


def vacancies_by_unit(gaps: pd.DataFrame, *, lang: str = "vi", top: int = TOP_UNITS,
                      stack: str = "staff_type", units: Iterable[str] | None = None
                      ) -> alt.TopLevelMixin:
    """Vacancies of the ``top`` units with most of them, stacked by staff type or position.

    ``units`` restricts the chart to some unit ids (a search). ``stack`` is "staff_type",
    "funding_source" or "position_name".
    """
    g = _restrict(gaps, units)
    title = ui("chart.vacancies_by_unit", lang, n=min(int(top), MAX_TOP))
    totals = g.groupby("unit_id", sort=False).agg(unit_name=("unit_name", "first"),
                                                  vacancies=("vacancies", "sum")).reset_index()
    chosen = _top(totals, "vacancies", top)
    if chosen.empty:
        return _empty(ui("chart.no_vacancies", lang), lang, title)
    rows = g[g["unit_id"].isin(chosen["unit_id"])]
    category, domain, palette = _categories(rows, stack, lang)
    parts = (rows.assign(category=category)
             .groupby(["unit_id", "category"], sort=False)["vacancies"].sum().reset_index())
    parts = parts[parts["vacancies"] > 0]
    parts = parts.merge(chosen.rename(columns={"vacancies": "unit_total"}), on="unit_id")
    parts["unit"] = unit_labels(parts)
    parts["rank"] = parts["category"].map({c: i for i, c in enumerate(domain)})
    parts["vacancies_text"] = parts["vacancies"].map(lambda v: number(v, lang))
    parts["total_text"] = parts["unit_total"].map(lambda v: number(v, lang))
    order = unit_labels(chosen).tolist()
    bars = alt.Chart(parts).mark_bar().encode(
        y=alt.Y("unit:N", sort=order, title=None),
        x=alt.X("sum(vacancies):Q", title=ui("chart.vacancies_axis", lang),
                axis=alt.Axis(format=",~f", tickMinStep=1)),
        color=alt.Color("category:N", title=ui(f"chart.stack.{stack}", lang),
                        scale=alt.Scale(domain=domain, range=palette)),
        order=alt.Order("rank:Q"),
        tooltip=[alt.Tooltip("unit:N", title=ui("chart.unit", lang)),
                 alt.Tooltip("category:N", title=ui(f"chart.stack.{stack}", lang)),
                 alt.Tooltip("vacancies_text:N", title=ui("chart.vacancies", lang)),
                 alt.Tooltip("total_text:N", title=ui("chart.unit_total", lang))],
    )
    totals = parts.drop_duplicates("unit")[["unit", "unit_total", "total_text"]]
    chart = alt.layer(bars, _end_labels(totals, "unit", "unit_total", "total_text", order))
    return _finish(chart.properties(height=ROW_PX * len(order) + 10, title=title), lang)


def _end_labels(frame: pd.DataFrame, y: str, x: str, text: str, order: list[str]) -> alt.Chart:
    """The total written at the end of each bar."""
    labels: alt.Chart = alt.Chart(frame).mark_text(
        align="left", dx=3, fontSize=11, color="#333").encode(
        y=alt.Y(f"{y}:N", sort=order, title=None), x=alt.X(f"{x}:Q"), text=f"{text}:N")
    return labels


def _categories(rows: pd.DataFrame, stack: str, lang: str
                ) -> tuple[pd.Series, list[str], list[str]]:
    """The stacking category of each row in words, the legend's order and its colours."""
    if stack in ("staff_type", "funding_source"):
        codes = (rows.groupby(stack)["vacancies"].sum().sort_values(ascending=False)
                 .index.tolist())
        words = [code_label(stack, c, lang) for c in codes]
        return rows[stack].map(lambda c: code_label(stack, c, lang)), words, colours(stack, codes)
    if stack not in rows.columns:
        raise ValueError(f"cannot stack by {stack!r}")
    by = rows.groupby(stack)["vacancies"].sum().sort_values(ascending=False)
    named = [str(c) for c in by.index[:MAX_CATEGORIES] if by[c] > 0]
    other = ui("chart.other", lang)
    category = rows[stack].astype("string").fillna(other)
    category = category.where(category.isin(named), other)
    domain = named + ([other] if (category == other).any() else [])
    palette = list(EXTRA_COLOURS[: len(named)]) + (["#BBBBBB"] if other in domain else [])
    return category, domain, palette


def vacancies_by_group(gaps: pd.DataFrame, *, by: str = "sector", lang: str = "vi"
                       ) -> alt.TopLevelMixin:
    """Vacancies by sector (stacked by staff type) or by funding source, with their cost."""
    title = ui(f"chart.vacancies_by_{by}", lang)
    g = gaps.assign(vacancy_cost=gaps["vacancies"] * gaps["annual_cost_per_hire"])
    if by == "funding_source":
        parts = g.groupby("funding_source", sort=False)[["vacancies", "vacancy_cost"]].sum()
        parts = parts.reset_index().sort_values("vacancies", ascending=False)
        codes = parts["funding_source"].tolist()
        parts["group"] = [code_label("funding_source", c, lang) for c in codes]
        parts["category"] = parts["group"]
        domain, palette = parts["group"].tolist(), colours("funding_source", codes)
        legend_title = ui("chart.stack.funding_source", lang)
    elif by == "sector":
        unknown = ui("chart.unknown", lang)
        g = g.assign(group=g["sector"].astype("string").fillna(unknown).replace("", unknown))
        by_group = g.groupby("group")["vacancies"].sum().sort_values(ascending=False)
        named = list(by_group.index[:MAX_CATEGORIES * 2])
        other = ui("chart.other", lang)
        g["group"] = g["group"].where(g["group"].isin(named), other)
        codes = list(g.groupby("staff_type")["vacancies"].sum().sort_values(ascending=False)
                     .index)
        domain = [code_label("staff_type", c, lang) for c in codes]
        palette = colours("staff_type", codes)
        g["category"] = g["staff_type"].map(lambda c: code_label("staff_type", c, lang))
        parts = (g.groupby(["group", "category"], sort=False)[["vacancies", "vacancy_cost"]]
                 .sum().reset_index())
        legend_title = ui("chart.stack.staff_type", lang)
    else:
        raise ValueError(f"cannot group by {by!r}; expected sector or funding_source")
    parts = parts[parts["vacancies"] > 0]
    if parts.empty:
        return _empty(ui("chart.no_vacancies", lang), lang, title)
    totals = parts.groupby("group")["vacancies"].sum().sort_values(ascending=False)
    parts = parts.assign(vacancies_text=parts["vacancies"].map(lambda v: number(v, lang)),
                         cost_text=parts["vacancy_cost"].map(lambda v: fmt_money(v, lang)))
    order = totals.index.tolist()
    bars = alt.Chart(parts).mark_bar().encode(
        y=alt.Y("group:N", sort=order, title=None),
        x=alt.X("sum(vacancies):Q", title=ui("chart.vacancies_axis", lang),
                axis=alt.Axis(format=",~f", tickMinStep=1)),
        color=alt.Color("category:N", title=legend_title,
                        scale=alt.Scale(domain=domain, range=palette),
                        legend=alt.Legend(columns=2)),
        tooltip=[alt.Tooltip("group:N", title=ui(f"chart.group.{by}", lang)),
                 alt.Tooltip("category:N", title=legend_title),
                 alt.Tooltip("vacancies_text:N", title=ui("chart.vacancies", lang)),
                 alt.Tooltip("cost_text:N", title=ui("chart.vacancy_cost", lang))],
    )
    ends = pd.DataFrame({"group": order, "total": totals.to_numpy(),
                         "total_text": [number(v, lang) for v in totals]})
    chart = alt.layer(bars, _end_labels(ends, "group", "total", "total_text", order))
    return _finish(chart.properties(height=ROW_PX * len(order) + 10, title=title), lang)


# --- plans -----------------------------------------------------------------------------------


def _chosen_units(by_unit: pd.DataFrame, top: int, units: Iterable[str] | None) -> pd.DataFrame:
    b = _restrict(by_unit, units)
    chosen = _top(b, "vacancies", top)
    return chosen.assign(unit=unit_labels(chosen))


def remaining_by_unit(by_unit: pd.DataFrame, *, lang: str = "vi", top: int = TOP_UNITS,
                      units: Iterable[str] | None = None) -> alt.TopLevelMixin:
    """Vacancies of each unit before the plan and remaining after it (the product's chart).

    ``by_unit`` is the plan's per-unit table (vacancies, hires, remaining_vacancies, …).
    """
    title = ui("chart.remaining_by_unit", lang, n=min(int(top), MAX_TOP))
    chosen = _chosen_units(by_unit, top, units)
    if chosen.empty:
        return _empty(ui("chart.no_vacancies", lang), lang, title)
    stages = {"before": ui("chart.before", lang), "after": ui("chart.after", lang)}
    tips = {"vacancies_text": chosen["vacancies"].map(lambda v: number(v, lang)),
            "hires_text": chosen["hires"].map(lambda v: number(v, lang)),
            "remaining_text": chosen["remaining_vacancies"].map(lambda v: number(v, lang)),
            "cost_text": chosen["hires_cost"].map(lambda v: fmt_money(v, lang))}
    base = chosen.assign(**tips)
    long = pd.concat([
        base.assign(stage=stages["before"], value=base["vacancies"], stage_rank=0),
        base.assign(stage=stages["after"], value=base["remaining_vacancies"], stage_rank=1),
    ], ignore_index=True)
    long = long[["unit", "stage", "stage_rank", "value", *tips]]
    # each bar's value written at its end, in the language's number format (issue 13)
    long["value_text"] = long["value"].map(lambda v: number(v, lang))
    y = alt.Y("unit:N", sort=chosen["unit"].tolist(), title=None)
    bars = alt.Chart(long).mark_bar().encode(
        y=y, yOffset=alt.YOffset("stage_rank:O"),
        x=alt.X("value:Q", title=ui("chart.vacancies_axis", lang),
                axis=alt.Axis(format=",~f", tickMinStep=1)),
        color=alt.Color("stage:N", title=None,
                        scale=alt.Scale(domain=list(stages.values()),
                                        range=[STAGE_COLOURS["before"], STAGE_COLOURS["after"]])),
        tooltip=[alt.Tooltip("unit:N", title=ui("chart.unit", lang)),
                 alt.Tooltip("vacancies_text:N", title=ui("chart.before", lang)),
                 alt.Tooltip("hires_text:N", title=ui("chart.hires", lang)),
                 alt.Tooltip("remaining_text:N", title=ui("chart.after", lang)),
                 alt.Tooltip("cost_text:N", title=ui("chart.hires_cost", lang))],
    )
    values = alt.Chart(long).mark_text(align="left", dx=3, fontSize=10, color="#333").encode(
        y=y, yOffset=alt.YOffset("stage_rank:O"), x=alt.X("value:Q"), text="value_text:N")
    chart = alt.layer(bars, values).properties(height=(ROW_PX + 6) * len(chosen) + 10,
                                               title=title)
    return _finish(chart, lang)


def fill_rate_by_unit(by_unit: pd.DataFrame, *, lang: str = "vi", top: int = TOP_UNITS,
                      units: Iterable[str] | None = None) -> alt.TopLevelMixin:
    """Each unit's fill rate before and after the plan (the same units as the chart above)."""
    title = ui("chart.fill_by_unit", lang, n=min(int(top), MAX_TOP))
    chosen = _chosen_units(by_unit, top, units)
    chosen = chosen[chosen["quota"] > 0]
    if chosen.empty:
        return _empty(ui("chart.no_vacancies", lang), lang, title)
    stages = {"before": ui("chart.before", lang), "after": ui("chart.after", lang)}
    base = chosen.assign(
        before_text=chosen["fill_rate_before"].map(lambda v: percent(v, lang)),
        after_text=chosen["fill_rate_after"].map(lambda v: percent(v, lang)))
    cols = ["unit", "fill_rate_before", "fill_rate_after", "before_text", "after_text"]
    tooltip = [alt.Tooltip("unit:N", title=ui("chart.unit", lang)),
               alt.Tooltip("before_text:N", title=ui("chart.fill_before", lang)),
               alt.Tooltip("after_text:N", title=ui("chart.fill_after", lang))]
    y = alt.Y("unit:N", sort=chosen["unit"].tolist(), title=None)
    rule = alt.Chart(base[cols]).mark_rule(color="#888", strokeWidth=2).encode(
        y=y, x=alt.X("fill_rate_before:Q", title=ui("chart.fill_axis", lang),
                     axis=alt.Axis(format="~%"), scale=alt.Scale(zero=False)),
        x2="fill_rate_after:Q", tooltip=tooltip)
    long = pd.concat([
        base[cols].assign(stage=stages["before"], rate=base["fill_rate_before"]),
        base[cols].assign(stage=stages["after"], rate=base["fill_rate_after"]),
    ], ignore_index=True)
    points = alt.Chart(long).mark_circle(size=90, opacity=1).encode(
        y=y, x=alt.X("rate:Q"),
        color=alt.Color("stage:N", title=None, legend=alt.Legend(columns=1),
                        scale=alt.Scale(domain=list(stages.values()),
                                        range=[STAGE_COLOURS["before"], STAGE_COLOURS["hires"]])),
        tooltip=tooltip)
    # the same height per unit as remaining_by_unit, so the two charts line up side by side
    chart = alt.layer(rule, points).properties(height=(ROW_PX + 6) * len(chosen) + 10,
                                               title=title)
    return _finish(chart, lang)


def budget_table(cost_by_source: Mapping[str, float], budgets: Mapping[str, float],
                 total_budget: float | None = None) -> pd.DataFrame:
    """One row per funding source (and the total when it is capped): budget and cost in VND;
    ``is_total`` marks the total's row (its ``funding_source`` is empty: it is no source)."""
    sources = list(dict.fromkeys([*budgets, *cost_by_source]))
    rows = [{"funding_source": s, "is_total": False, "budget": budgets.get(s),
             "cost": cost_by_source.get(s, 0.0)} for s in sources]
    if total_budget is not None:
        rows.append({"funding_source": "", "is_total": True, "budget": total_budget,
                     "cost": float(sum(cost_by_source.values()))})
    table = pd.DataFrame(rows, columns=["funding_source", "is_total", "budget", "cost"])
    return table.astype({"is_total": "bool", "budget": "float64", "cost": "float64"})


def budget_use(budgets: pd.DataFrame, *, lang: str = "vi") -> alt.TopLevelMixin:
    """Cost of the plan against the budget of each funding source (and the total), in tỷ."""
    title = ui("chart.budget_use", lang)
    if budgets.empty:
        return _empty(ui("chart.no_budget", lang), lang, title)
    b = budgets.copy()
    total = budget_name(TOTAL_BUDGET, lang)
    b["group"] = [total if is_total else source_name(s, lang)
                  for s, is_total in zip(b["funding_source"], b["is_total"], strict=True)]
    b["budget_b"] = b["budget"] / 1e9
    b["cost_b"] = b["cost"] / 1e9
    b["budget_text"] = b["budget"].map(
        lambda v: ui("chart.no_limit", lang) if pd.isna(v) else fmt_money(v, lang))
    b["cost_text"] = b["cost"].map(lambda v: fmt_money(v, lang))
    b["share_text"] = [percent(c / v, lang) if pd.notna(v) and v > 0 else "–"
                       for c, v in zip(b["cost"], b["budget"], strict=True)]
    sources = b[~b["is_total"]]
    codes, domain = sources["funding_source"].tolist(), sources["group"].tolist()
    palette = colours("funding_source", codes)
    if b["is_total"].any():
        domain, palette = [*domain, total], [*palette, "#555555"]
    tooltip = [alt.Tooltip("group:N", title=ui("chart.stack.funding_source", lang)),
               alt.Tooltip("cost_text:N", title=ui("chart.used", lang)),
               alt.Tooltip("budget_text:N", title=ui("chart.budget", lang)),
               alt.Tooltip("share_text:N", title=ui("chart.used_share", lang))]
    y = alt.Y("group:N", sort=b["group"].tolist(), title=None)
    budget_bar = alt.Chart(b).mark_bar(color=BUDGET_COLOURS["budget"], size=30).encode(
        y=y, x=alt.X("budget_b:Q", title=ui("chart.money_axis", lang),
                     axis=alt.Axis(format=",~f")), tooltip=tooltip)
    used_bar = alt.Chart(b).mark_bar(size=16).encode(
        y=y, x="cost_b:Q",
        color=alt.Color("group:N", legend=None, scale=alt.Scale(domain=domain, range=palette)),
        tooltip=tooltip)
    label = alt.Chart(b).mark_text(align="left", dx=4, fontSize=12).encode(
        y=y, x="cost_b:Q", text="share_text:N")
    chart = alt.layer(budget_bar, used_bar, label).properties(
        height=44 * len(b) + 20, title=title)
    return _finish(chart, lang)


def budget_curve(curve: pd.DataFrame, *, lang: str = "vi", current: float | None = None
                 ) -> alt.TopLevelMixin:
    """Hires as the budget grows ("what each extra billion buys"), the current budget marked.

    ``curve`` has budget (VND), hires, weighted_hires, fill_rate, cost, status (and source).
    """
    title = ui("chart.curve", lang)
    c = curve.dropna(subset=["hires"]).sort_values("budget").reset_index(drop=True)
    if c.empty:
        return _empty(ui("chart.no_curve", lang), lang, title)
    c["budget_b"] = c["budget"] / 1e9
    step = c["budget_b"].diff()
    gain = c["hires"].diff() / step.where(step > 0)
    c["gain_text"] = gain.map(lambda v: "" if pd.isna(v) else number(v, lang, 1))
    c["budget_text"] = c["budget"].map(lambda v: fmt_money(v, lang))
    c["hires_text"] = c["hires"].map(lambda v: number(v, lang))
    c["weighted_text"] = c["weighted_hires"].map(lambda v: number(v, lang, 1))
    c["fill_text"] = c["fill_rate"].map(lambda v: percent(v, lang))
    c["cost_text"] = c["cost"].map(lambda v: fmt_money(v, lang))
    tooltip = [alt.Tooltip("budget_text:N", title=ui("chart.budget", lang)),
               alt.Tooltip("hires_text:N", title=ui("chart.hires", lang)),
               alt.Tooltip("weighted_text:N", title=ui("chart.weighted_hires", lang)),
               alt.Tooltip("fill_text:N", title=ui("chart.fill_after", lang)),
               alt.Tooltip("cost_text:N", title=ui("chart.used", lang)),
               alt.Tooltip("gain_text:N", title=ui("chart.gain_per_billion", lang))]
    cols = ["budget_b", "hires", "budget_text", "hires_text", "weighted_text", "fill_text",
            "cost_text", "gain_text"]
    base = alt.Chart(c[cols]).encode(
        x=alt.X("budget_b:Q", title=ui("chart.money_axis", lang), axis=alt.Axis(format=",~f")),
        y=alt.Y("hires:Q", title=ui("chart.hires_axis", lang),
                axis=alt.Axis(format=",~f", tickMinStep=1)),
        tooltip=tooltip)
    layers = [base.mark_line(color=STAGE_COLOURS["hires"], strokeWidth=2),
              base.mark_circle(color=STAGE_COLOURS["hires"], size=60, opacity=1)]
    if current is not None:
        mark = pd.DataFrame({"x": [current / 1e9],
                             "text": [ui("chart.current_budget", lang,
                                         amount=fmt_money(current, lang))]})
        rule = alt.Chart(mark).mark_rule(color=STAGE_COLOURS["after"], strokeDash=[6, 4],
                                         strokeWidth=2).encode(x="x:Q")
        text = alt.Chart(mark).mark_text(align="left", dx=6, dy=-6, baseline="top",
                                         color=STAGE_COLOURS["after"], fontSize=12).encode(
            x="x:Q", y=alt.value(4), text="text:N")
        layers += [rule, text]
    chart = alt.layer(*layers).properties(height=320, title=title)
    return _finish(chart, lang)


def chart_rows(chart: alt.TopLevelMixin) -> int:
    """How many data rows a chart carries (all layers), for tests of the 5,000-row limit."""
    spec = chart.to_dict()
    return sum(len(v) for v in spec.get("datasets", {}).values())

"""The Plan page's results: headline figures, charts, tables, explanations and downloads.

Everything here is drawn from one :class:`planner.ui.solving.PlanResult`, the plan on screen,
so what the officer downloads is what they see.
"""

from __future__ import annotations

import logging
import math
from datetime import date

import pandas as pd
import streamlit as st

from planner.domain.gaps import plan_fill_rates
from planner.domain.scenario import Scenario
from planner.export.workbook import plan_csv, plan_workbook, workbook_file_name
from planner.io.inputs import Inputs
from planner.optimise.result import TOTAL_BUDGET, Allocation, BudgetKey, SolveStatus, valued_budget
from planner.present import charts
from planner.present.labels import bound_words, budget_name, code_label, number, source_name
from planner.ui import cache, infeasible, session, state
from planner.ui.chart_draw import draw, remembered
from planner.ui.solving import PlanResult, SolveFailure
from planner.ui.widgets import (
    count,
    csv_button,
    money,
    money_short,
    search_units,
    share,
    show_table,
    tr,
)

log = logging.getLogger(__name__)

DETAIL_COLUMNS = ["unit_id", "unit_name", "position_name", "staff_type", "funding_source",
                "vacancies", "hires", "remaining_vacancies", "bound", "annual_cost_per_hire",
                "hires_cost", "quota", "headcount", "expected_departures"]
UNIT_COLUMNS = ["unit_id", "unit_name", "vacancies", "redeployable", "hires",
                "remaining_vacancies", "bound", "why_text",
                "fill_rate_before", "fill_rate_after", "hires_cost", "min_required", "quota",
                "headcount", "expected_departures"]


def status_text(allocation: Allocation) -> str:
    text = tr(f"status.{allocation.status}")
    if allocation.status is SolveStatus.FEASIBLE_TIME_LIMIT and allocation.gap is not None:
        text += " · " + tr("plan.gap", gap=share(allocation.gap))
    return text


def headline(result: PlanResult) -> None:
    a = result.allocation
    before, after = plan_fill_rates(a.plan)
    delta = None if before is None or after is None else (after - before) * 100
    remaining = int(a.plan["remaining_vacancies"].sum())
    lang = state.lang()
    cols = st.columns([1, 1.3, 1.3, 1.2, 1.4])
    cols[0].metric(tr("plan.hires"), count(a.total_hires), border=True,
                   help=tr("plan.help_hires"))
    cols[1].metric(tr("plan.cost"), money_short(a.total_cost), border=True,
                   help=tr("plan.help_cost"))
    cols[2].metric(tr("plan.fill_after"), share(after), border=True,
                   delta=None if delta is None else tr(
                       "plan.points", n=("+" if delta >= 0 else "") + number(delta, lang, 1)),
                   help=tr("plan.help_fill", before=share(before)))
    cols[3].metric(tr("plan.remaining"), count(remaining), border=True,
                   help=tr("plan.help_remaining"))
    cols[4].metric(tr("plan.status"), tr(f"status_short.{a.status}"), border=True,
                   help=status_text(a) + " · " + tr("plan.solved_in", solver=str(a.solver),
                                                    seconds=number(a.solve_seconds, lang, 2)))
    used = []
    for source, cost in sorted(a.cost_by_source.items(), key=lambda kv: -kv[1]):
        budget = a.budgets.get(source)
        name = source_name(source, lang)
        used.append(tr("plan.used_of", source=name, cost=money(cost), budget=money(budget),
                       share=share(cost / budget)) if budget else
                    tr("plan.used_no_limit", source=name, cost=money(cost)))
    total = a.total_budget
    if total:
        used.append(tr("plan.used_of", source=budget_name(TOTAL_BUDGET, lang),
                       cost=money(a.total_cost),
                       budget=money(total), share=share(a.total_cost / total)))
    st.caption(" · ".join(used))
    if a.status is SolveStatus.FEASIBLE_TIME_LIMIT:  # never an unmarked partial answer
        st.warning(tr("plan.time_limited", gap=share(a.gap) if a.gap is not None else "–"),
                   icon=":material/timer:")


def failure_panel(failure: SolveFailure, have_result: bool) -> None:
    """Why the last solve gave no plan; an infeasible requirement is explained, not an error."""
    if failure.kind == "infeasible" and failure.allocation is not None:
        infeasible.show(failure.allocation, failure.scenario)
    elif failure.kind == "no_solution_time_limit":
        st.warning(tr("plan.no_solution", seconds=failure.scenario.time_limit or 0),
                   icon=":material/timer:")
    elif failure.kind == "scenario":
        st.warning(tr("plan.bad_scenario", message=failure.message), icon=":material/tune:")
    else:
        st.error(tr("plan.solve_error", message=failure.message), icon=":material/error:")
    if have_result:
        st.caption(tr("plan.showing_last_good"))


def chart_tab(result: PlanResult) -> None:
    lang = state.lang()
    by_unit = result.allocation.by_unit
    c1, c2 = st.columns([3, 1])
    text = c1.text_input(tr("filter.search"), key=state.W_PLAN_SEARCH,
                         placeholder=tr("filter.search_placeholder"))
    state.seed(state.W_PLAN_TOP, charts.TOP_UNITS)
    top = int(c2.number_input(tr("gaps.top"), min_value=5, max_value=charts.MAX_TOP, step=5,
                              key=state.W_PLAN_TOP))
    units = None if not text else by_unit.loc[search_units(by_unit, text), "unit_id"]
    left, right = st.columns([3, 2], gap="medium")
    chosen = (lang, top, text)
    draw(left, remembered("remaining", result.allocation, chosen, lambda: charts.remaining_by_unit(
        by_unit, lang=lang, top=top, units=units)), key="chart_remaining")
    draw(right, remembered("fill", result.allocation, chosen, lambda: charts.fill_rate_by_unit(
        by_unit, lang=lang, top=top, units=units)), key="chart_fill")


def units_tab(result: PlanResult) -> None:
    lang = state.lang()
    by_unit = result.allocation.by_unit.copy()
    if "bound" in by_unit.columns:
        words = {c: bound_words(c, lang) for c in by_unit["bound"].unique()}
        by_unit["bound"] = by_unit["bound"].map(words)
    if "why" in by_unit.columns:  # why a unit left with vacancies got no more, in words
        from planner.present.plan_text import why_words

        by_unit["why_text"] = [why_words(r, lang) or "" for r in by_unit.to_dict("records")]
    text = st.text_input(tr("filter.search"), key="w_units_search",
                         placeholder=tr("filter.search_placeholder"))
    shown = by_unit[search_units(by_unit, text)].sort_values(
        ["vacancies", "unit_name"], ascending=[False, True], kind="stable")
    cols = [c for c in UNIT_COLUMNS if c in shown.columns]
    st.caption(tr("plan.bound_help"))
    show_table(shown[cols], height=420, key="plan_units_table")
    csv_button(shown[cols], "phuong_an_theo_don_vi.csv", tr("plan.download_units_csv"),
               key="dl_units_csv")


def detail_tab(result: PlanResult) -> None:
    plan = result.allocation.plan
    c1, c2 = st.columns([3, 2])
    text = c1.text_input(tr("filter.search"), key="w_detail_search",
                         placeholder=tr("filter.search_placeholder"))
    state.seed(state.W_PLAN_ONLY_HIRES, True)
    only = c2.checkbox(tr("plan.only_hires"), key=state.W_PLAN_ONLY_HIRES)
    keep = search_units(plan, text)
    if only:
        keep &= plan["hires"] > 0
    shown = plan.loc[keep, [c for c in DETAIL_COLUMNS if c in plan.columns]]
    if "bound" in shown.columns:
        lang = state.lang()
        words = {c: bound_words(c, lang) for c in shown["bound"].unique()}
        shown = shown.assign(bound=shown["bound"].map(words))
    st.caption(tr("gaps.rows_shown", n=count(len(shown))))
    show_table(shown, height=420, key="plan_detail_table")


def budget_tab(result: PlanResult, current: Scenario) -> None:
    lang = state.lang()
    a = result.allocation
    left, right = st.columns([2, 3], gap="medium")
    table = charts.budget_table(a.cost_by_source, a.budgets, a.total_budget)
    draw(left, charts.budget_use(table, lang=lang), key="chart_budget_use")
    if len(a.budget_values):
        left.markdown(budget_value_text(a.budget_values, lang))
    with right:
        curve_section(result)


def budget_value_text(values: pd.DataFrame, lang: str) -> str:
    """What one more billion of each budget buys, one line per budget given."""
    lines = []
    for r in values.to_dict("records"):
        name = budget_name(valued_budget(r), lang)
        value = r["value_per_billion"]
        if r["method"] == "not_applicable" or value is None or pd.isna(value):
            continue
        if not r["binding"]:
            lines.append(tr("plan.value_slack", source=name, slack=money(r["slack"])))
        elif r["value_unit"] == "min_fill_rate":
            lines.append(tr("plan.value_fair", source=name, n=number(value * 100, lang, 2)))
        elif not pd.isna(r.get("hires_per_billion", math.nan)):
            lines.append(tr("plan.value_people", source=name,
                            people=number(r["hires_per_billion"], lang),
                            weighted=number(value, lang, 1)))
        else:
            lines.append(tr("plan.value_binding", source=name, n=number(value, lang, 1)))
    return "\n".join(f"- {line}" for line in lines)


def curve_section(result: PlanResult) -> None:
    lang = state.lang()
    sc = result.scenario
    if str(sc.objective) == "min_cost":
        st.info(tr("plan.curve_min_cost"), icon=":material/info:")
        return
    options = [BudgetKey(s) for s in sc.budgets] + \
        ([TOTAL_BUDGET] if sc.total_budget is not None else [])
    if not options:
        st.info(tr("plan.curve_needs_budget"), icon=":material/info:")
        return
    c1, c2 = st.columns([3, 2])
    budget = c1.selectbox(tr("plan.curve_source"), options,
                          key=state.lang_key(state.W_CURVE_SOURCE),
                          format_func=lambda key: budget_name(key, lang))
    c2.write("")
    wanted = (result.fingerprint, sc.to_toml(), budget)
    stored = state.get(state.CURVE)
    if c2.button(tr("plan.curve_draw"), icon=":material/show_chart:", key="curve_draw"):
        ds = session.dataset()
        with st.spinner(tr("plan.curve_drawing"), show_time=True):
            try:
                frame = cache.budget_curve(ds.cache_key, sc.to_toml(), budget, 11, ds.inputs)
            except Exception as exc:  # the curve is an extra; the plan stays on screen
                log.exception("budget curve failed")
                st.warning(tr("plan.curve_failed", message=str(exc)))
                return
        stored = (wanted, frame)
        state.put(state.CURVE, stored)
    if stored is None or stored[0] != wanted:
        st.caption(tr("plan.curve_help"))
        return
    current = sc.total_budget if budget.is_total else sc.budgets.get(str(budget.source))
    draw(st, charts.budget_curve(stored[1], lang=lang, current=current), key="chart_curve")


def parameters_line(sc: Scenario) -> str:
    """A scenario's main parameters in one line: budgets, minimum fill, objective."""
    lang = state.lang()
    parts = [f"{code_label('funding_source', k, lang)} {money(v)}" for k, v in sc.budgets.items()]
    if sc.total_budget is not None:
        parts.append(f"{tr('chart.total')} {money(sc.total_budget)}")
    if sc.min_fill is not None:
        parts.append(f"{tr('plan.min_fill')} {share(sc.min_fill)}")
    parts.append(tr(f"objective.{sc.objective}"))
    return " · ".join(parts)


def downloads(result: PlanResult, *, old: bool = False) -> None:
    """The plan as CSV and as the workbook, and the scenario file: all from the plan shown;
    then the documents to sign.

    A plan of other parameters than the fields hold (kept on screen after a failed solve) is
    downloaded with "truoc_do" (earlier) in its file names and said so on its buttons; its
    documents are not offered."""
    for key in DOC_FIELDS:  # the issuer typed outlives the documents' expander closed (its
        if key in st.session_state:  # fields are not drawn then: Streamlit would forget them)
            st.session_state[key] = st.session_state[key]
    lang = state.lang()
    a = result.allocation
    stem = "phuong_an_truoc_do" if old else "phuong_an"
    suffix = tr("plan.old_suffix") if old else ""
    c1, c2, c3 = st.columns(3)
    c1.download_button(tr("plan.download_csv") + suffix, lambda: _plan_csv(a, lang),
                       file_name=f"{stem}.csv", mime="text/csv", key="dl_plan_csv",
                       icon=":material/download:", on_click="ignore", width="stretch")
    ds = session.dataset()
    today = date.today()
    # the issuing body typed for the documents below (widget values are in the session
    # state when the page runs; the click's callable runs outside the page's run)
    agency = st.session_state.get("w_doc_body")
    parent = st.session_state.get("w_doc_parent_body")
    name = (st.session_state.get("w_doc_name") or "").strip() or None
    c2.download_button(tr("plan.download_xlsx") + suffix,
                       data=lambda: plan_xlsx(a, ds.inputs, result.scenario, lang,
                                              agency=agency, parent_agency=parent,
                                              scenario_name=name),
                       file_name=f"{stem}.xlsx" if old else workbook_file_name(name, today),
                       key="dl_plan_xlsx", type="secondary" if old else "primary",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", on_click="ignore", width="stretch")
    c3.download_button(tr("plan.download_scenario") + suffix,
                       result.scenario.to_toml().encode(), file_name=f"{stem}.toml",
                       mime="application/toml", key="dl_scenario",
                       icon=":material/description:", on_click="ignore", width="stretch")
    if not old:
        document_downloads(result)


W_DOC_OPEN = "w_doc_open"  # the documents' expander is open
#: the documents' fields; the Excel workbook's page headers take the issuer typed there too
DOC_FIELDS = ("w_doc_parent_body", "w_doc_body", "w_doc_place", "w_doc_unit", "w_doc_name",
              W_DOC_OPEN)  # open stays open after a language switch too (the label changes)


def document_downloads(result: PlanResult) -> None:
    """The documents to sign: the recruitment plan (.docx) for the province or one unit, and
    the staffing report (.xlsx), with the issuer's heading typed here (what is left blank
    prints as a marked blank)."""
    import datetime as dt

    from planner.export.workbook import workbook_file_name

    a = result.allocation
    if not len(a.plan) or not (a.plan["hires"].fillna(0) > 0).any():
        return
    box = st.expander(tr("plan.doc_title"), icon=":material/contract_edit:", key=W_DOC_OPEN,
                      on_change="rerun")
    if box.open is False:  # drawn only when open: each rerun of the page stays light
        return
    with box:
        c1, c2, c3 = st.columns(3)
        fields = {key: col.text_input(tr(f"plan.doc_{key}"), key=f"w_doc_{key}",
                                      placeholder=tr(f"plan.doc_{key}_hint")).strip()
                  for col, key in ((c1, "parent_body"), (c2, "body"), (c3, "place"))}
        units = ["", *sorted(a.plan["unit_name"].astype(str).unique())]
        all_units = tr("plan.doc_all_units")  # now: Streamlit may call format_func later
        unit = c1.selectbox(tr("plan.doc_unit"), units, key="w_doc_unit",
                            format_func=lambda u: u or all_units)
        name = c2.text_input(tr("plan.doc_name"), key="w_doc_name",
                             placeholder=tr("plan.doc_name_hint")).strip() or None
        today = dt.date.today()
        inputs = session.dataset().inputs  # now, while the page runs (not at the click)
        c3.write("")
        c3.download_button(tr("plan.download_docx"),
                           data=lambda: plan_docx(a, inputs, created=today,
                                                  unit=unit or None, scenario_name=name,
                                                  **fields),
                           file_name="ke_hoach_tuyen_dung_" + (
                               workbook_file_name(name, today, suffix=".docx") if name
                               else f"{today:%Y-%m-%d}.docx"),
                           mime="application/vnd.openxmlformats-officedocument."
                           "wordprocessingml.document", key="dl_plan_docx",
                           icon=":material/description:", on_click="ignore", width="stretch")
        c3.download_button(tr("plan.download_staffing"),
                           data=lambda: staffing_xlsx(inputs, created=today,
                                                      parent_body=fields["parent_body"],
                                                      body=fields["body"]),
                           file_name=f"bao_cao_bien_che_{today:%Y%m%d}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument."
                           "spreadsheetml.sheet", key="dl_staffing_report",
                           icon=":material/table_view:", on_click="ignore", width="stretch")


def staffing_xlsx(inputs: Inputs, *, created: date, parent_body: str = "",
                  body: str = "") -> bytes:
    """The staffing report as the CLI writes it (``document staffing-report``)."""
    from planner.export.staffing_report import Reporter, staffing_report_xlsx

    given = {k: v for k, v in (("parent_body", parent_body), ("body", body)) if v}
    return staffing_report_xlsx(inputs, created=created, reporter=Reporter(**given))


def plan_docx(allocation: Allocation, inputs: Inputs, *, created: date, unit: str | None = None,
              scenario_name: str | None = None, **issuer: str) -> bytes:
    """The recruitment plan as the CLI writes it (``document recruitment-plan``): the same
    plan, issuer fields and date give the same bytes."""
    from planner.export.recruitment_plan import Issuer, recruitment_plan_docx

    return recruitment_plan_docx(allocation, inputs=inputs, created=created, unit=unit,
                                 scenario_name=scenario_name,
                                 issuer=Issuer(**{k: v for k, v in issuer.items() if v}))


def _plan_csv(allocation: Allocation, lang: str) -> bytes:
    return plan_csv(allocation, headers=lang)


def plan_xlsx(allocation: Allocation, inputs: Inputs, scenario: Scenario, lang: str, *,
              agency: str | None = None, parent_agency: str | None = None,
              scenario_name: str | None = None) -> bytes:
    """The allocation workbook, as the CLI writes it; ``agency`` and ``parent_agency`` (the
    issuer typed for the documents) head its pages."""
    return plan_workbook(allocation, inputs=inputs, scenario=scenario, lang=lang,
                         scenario_name=scenario_name, agency=(agency or "").strip() or None,
                         parent_agency=(parent_agency or "").strip() or None)

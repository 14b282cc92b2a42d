"""Plan page (Phương án): set the scenario, solve, read and download the plan.

Parameters first (budgets per funding source and in total, objective, minimum fill, target
fill, base salary, time limit), then the editable priorities, pins and unit caps, then Solve.
The last good plan stays on screen; a solve that gives none says why beside it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.domain.scenario import Scenario, ScenarioError
from planner.i18n import LANGS
from planner.present import labels
from planner.present.labels import number
from planner.ui import (
    plan_params,
    plan_results,
    save_panel,
    scenario_file,
    session,
    solving,
    state,
)
from planner.ui.widgets import count, tr


def open_scenario_file() -> None:
    """A scenario file (TOML) replaces every parameter of the page."""
    uploaded = st.file_uploader(tr("plan.open_scenario"), type=["toml"],
                                key=state.W_SCENARIO_FILE, help=tr("plan.help_open_scenario"))
    if uploaded is None or state.get(state.SCENARIO_FILE_ID) == uploaded.file_id:
        return
    state.put(state.SCENARIO_FILE_ID, uploaded.file_id)
    try:
        sources = session.gaps()["funding_source"].unique()
        sc = scenario_file.read(uploaded.getvalue(), sources=sources)
        gaps = session.gaps(sc)
        sc.apply_units(session.dataset().inputs.units, sc.apply_rows(gaps)["unit_id"])
    except (ScenarioError, scenario_file.ScenarioFileError) as exc:
        st.warning(scenario_file.message(exc, name=uploaded.name, lang=state.lang()),
                   icon=":material/description:")
        return
    session.use_scenario(sc)
    state.put(state.NOTICE, tr("plan.scenario_opened", name=uploaded.name))
    st.rerun()


def parameters(current: Scenario) -> tuple[Scenario, str | None, Any]:
    """The parameter widgets; returns the scenario they describe (or the reason it was
    refused) and the place for the Solve button."""
    gaps = session.gaps(current)
    values, action = plan_params.parameter_widgets(gaps, current)
    with st.expander(tr("plan.settings")):
        rows, units, file = st.tabs([tr("plan.rows_editor"), tr("plan.units_editor"),
                                     tr("plan.scenario_file")], key=state.W_SETTINGS_TABS)
        with rows:
            st.caption(tr("plan.rows_editor_help"))
            plan_params.row_editor(gaps, current)
        with units:
            st.caption(tr("plan.units_editor_help"))
            plan_params.unit_editor(gaps, current)
        with file:
            open_scenario_file()
    return (*plan_params.scenario_from_widgets(gaps, current, values), action)


RESULT_TABS = ["plan.tab_charts", "plan.tab_units", "plan.tab_detail", "plan.tab_budget"]


def result_tab_labels() -> list[str]:
    """The result tabs' labels; the tab open before a language switch stays open after it
    (the tabs' state is the label shown)."""
    shown = [tr(k) for k in RESULT_TABS]
    chosen = st.session_state.get(state.W_PLAN_TABS)
    if chosen is not None and chosen not in shown:
        for lang in LANGS:
            words = [labels.ui(k, lang) for k in RESULT_TABS]
            if chosen in words:
                st.session_state[state.W_PLAN_TABS] = shown[words.index(chosen)]
                break
    return shown


def render() -> None:
    ds = session.dataset()
    st.header(tr("plan.title"))
    notice = state.get(state.NOTICE)
    if notice:
        st.success(notice, icon=":material/check_circle:")
        state.drop(state.NOTICE)
    with st.container(border=True):
        sc, refused, action = parameters(session.scenario())
    state.put(state.SCENARIO, sc)
    result = solving.current_result()
    notice = st.empty()
    clicked = action.button(tr("plan.solve"), type="primary", icon=":material/play_arrow:",
                        disabled=refused is not None, key="solve", width="stretch")
    first_visit = result is None and ds.kind == "sample" and not state.get(state.AUTO_SOLVED)
    requested = bool(state.get(state.SOLVE_REQUEST))  # "Use the needed budget" asks to solve
    state.drop(state.SOLVE_REQUEST)
    if (clicked or requested or first_visit) and refused is None:
        state.put(state.AUTO_SOLVED, True)
        solving.solve(sc)
        result = solving.current_result()
    failure = state.get(state.SOLVE_FAILURE)
    failed_now = failure is not None and failure.scenario.to_toml() == sc.to_toml()
    old_plan = result is not None and result.scenario.to_toml() != sc.to_toml()
    if refused:
        notice.warning(tr("plan.bad_scenario", message=refused), icon=":material/tune:")
    elif old_plan and not failed_now:
        notice.info(tr("plan.stale"), icon=":material/update:")
    if failure is not None:
        plan_results.failure_panel(failure, have_result=result is not None)
    if result is None:
        if failure is None:
            st.info(tr("plan.press_solve"), icon=":material/info:")
        return
    if old_plan and (failed_now or refused):  # kept on screen after a failure: said so (and
        # in its downloads' names); otherwise the "parameters changed" note above says it
        st.warning(tr("plan.old_plan", parameters=plan_results.parameters_line(result.scenario)),
                   icon=":material/history:")
    a = result.allocation
    st.caption(tr("plan.result_of", rows=count(len(a.plan)), seconds=number(
        a.solve_seconds + a.build_seconds, state.lang(), 2)))
    plan_results.headline(result)
    plan_results.downloads(result, old=old_plan)
    save_panel.render(result, old=old_plan)
    # only the open tab is drawn (a tab chosen reruns the page): every other rerun — a budget
    # typed, Solve — stays light on the server and in the browser (scripts/bench_app.py)
    charts_tab, units_tab, detail_tab, budget_tab = st.tabs(
        result_tab_labels(), key=state.W_PLAN_TABS, on_change="rerun")
    if charts_tab.open is not False:
        with charts_tab:
            plan_results.chart_tab(result)
    if units_tab.open:
        with units_tab:
            plan_results.units_tab(result)
    if detail_tab.open:
        with detail_tab:
            plan_results.detail_tab(result)
    if budget_tab.open:
        with budget_tab:
            plan_results.budget_tab(result, sc)


if __name__ == "__main__":
    render()

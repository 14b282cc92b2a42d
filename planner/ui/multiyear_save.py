"""Save the multi-year plan on screen, from the multi-year page (issue 15): a name, a note,
Save; the same store and the same save as the Plan page's panel (:mod:`planner.ui.save_panel`)
and the Saved scenarios page, which lists the plan, reopens it on the multi-year page and
compares multi-year plans year by year."""

from __future__ import annotations

from typing import Any

import streamlit as st

from planner.domain.scenario import Scenario
from planner.optimise.multiyear_result import MultiYearPlan
from planner.store import StoreError
from planner.ui import scenarios_page, state
from planner.ui.save_panel import save_form
from planner.ui.widgets import tr

#: the multi-year page's result (a MultiYearPlan, or the refusal's text) and the (scenario,
#: inputs) it was solved with: kept here so the Saved scenarios page can reopen a plan there
RESULT = "multiyear_result"
RUN = "multiyear_run"
PAGE = "planner/ui/multiyear_page.py"
W_NAME = "w_my_save_name"  # + "." + version: a new, empty form after each save
W_NOTE = "w_my_save_note"
W_REPLACE = "w_my_save_replace"
VERSION = "multiyear_save_version"
NOTICE = "multiyear_save_notice"
REOPENED = "multiyear_reopened_notice"


def render(plan: MultiYearPlan, scenario: Scenario, inputs: Any) -> None:
    """The Save panel for ``plan``, solved with ``scenario`` on ``inputs`` (an
    :class:`~planner.io.inputs.Inputs`, or the input files of a reopened plan)."""
    tx = scenarios_page.tx
    notice = state.get(NOTICE)
    with st.expander(tr("multiyear.save_title"), icon=":material/save:",
                     expanded=bool(notice)):
        if notice:
            st.success(notice, icon=":material/check_circle:")
            state.drop(NOTICE)
        submitted, name, note, replace = save_form("multiyear_save_form", VERSION,
                                                   (W_NAME, W_NOTE, W_REPLACE))
        if not submitted:
            return
        s = scenarios_page.store()
        if s is None:
            return
        user = scenarios_page.current_user()
        try:
            info = s.save(name, scenario, allocation=plan, inputs=inputs, note=note,
                          author=user or "", owner=user, replace=replace)
        except StoreError as exc:
            st.error(scenarios_page.error_text(exc), icon=":material/error:")
            return
        state.put(NOTICE, tx("saved", name=info.name, id=str(info.id)))
        state.put(VERSION, state.get(VERSION, 0) + 1)  # a new, empty form
        st.rerun()

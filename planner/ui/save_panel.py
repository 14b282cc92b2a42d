"""Save the plan on screen from the Plan page, beside its downloads: a name, a note, Save.

The same store and the same save as the Saved scenarios page (:mod:`planner.ui.scenarios_page`),
so the officer need not leave the results. What is saved is the plan shown with the
parameters it was solved for (a plan kept on screen after a failed solve says so).
"""

from __future__ import annotations

import streamlit as st

from planner.store import StoreError
from planner.ui import scenarios_page, session, state
from planner.ui.solving import PlanResult
from planner.ui.widgets import tr

W_NAME = "w_plan_save_name"  # + "." + version: a new, empty form after each save
W_NOTE = "w_plan_save_note"
W_REPLACE = "w_plan_save_replace"
VERSION = "plan_save_version"
NOTICE = "plan_save_notice"


def render(result: PlanResult, *, old: bool = False) -> None:
    tx = scenarios_page.tx
    notice = state.get(NOTICE)
    with st.expander(tr("plan.save_title" if not old else "plan.save_title_old"),
                     icon=":material/save:", expanded=bool(notice)):
        if notice:
            st.success(notice, icon=":material/check_circle:")
            state.drop(NOTICE)
        submitted, name, note, replace = save_form("plan_save_form", VERSION,
                                                   (W_NAME, W_NOTE, W_REPLACE))
        if not submitted:
            return
        s = scenarios_page.store()
        if s is None:
            return
        user = scenarios_page.current_user()
        try:
            info = s.save(name, result.scenario, allocation=result.allocation,
                          inputs=session.dataset().inputs, note=note, author=user or "",
                          owner=user, replace=replace)
        except StoreError as exc:
            st.error(scenarios_page.error_text(exc), icon=":material/error:")
            return
        state.put(NOTICE, tx("saved", name=info.name, id=str(info.id)))
        state.put(VERSION, state.get(VERSION, 0) + 1)  # a new, empty form
        st.rerun()


def save_form(form: str, version: str, keys: tuple[str, str, str]) -> tuple[bool, str, str, bool]:
    """A name, a note, "replace" and Save, in a form that is new and empty after each save
    (``version``: the state key counting saves; ``keys``: the name's, note's and replace's
    widget keys, suffixed with that count). Returns (submitted, name, note, replace)."""
    tx = scenarios_page.tx
    w_name, w_note, w_replace = keys
    v = state.get(version, 0)
    with st.form(f"{form}.{v}", border=False):
        c1, c2 = st.columns([2, 3])
        name = c1.text_input(tx("name"), key=f"{w_name}.{v}", max_chars=200)
        note = c2.text_input(tx("note"), key=f"{w_note}.{v}", max_chars=2000)
        replace = st.checkbox(tx("replace"), key=f"{w_replace}.{v}", help=tx("replace_help"))
        submitted = st.form_submit_button(tx("save"), type="primary", icon=":material/save:")
    return submitted, name, note, replace

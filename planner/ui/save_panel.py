"""Save the plan on screen from the Plan page, beside its downloads: a name, a note, Save.

The same store and the same save as the Saved scenarios page (:mod:`planner.ui.scenarios_page`),
so the officer need not leave the results. What is saved is the plan shown with the
parameters it was solved for (a plan kept on screen after a failed solve says so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from planner.store import ScenarioInfo, ScenarioStore, StoreError
from planner.ui import scenarios_page, session, state
from planner.ui.solving import PlanResult
from planner.ui.widgets import tr


@dataclass(frozen=True)
class SaveKeys:
    """The state and widget keys of one page's Save panel."""

    form: str  # the form's key, + "." + version: a new, empty form after each save
    name: str
    note: str
    replace: str
    version: str  # how many saves this session (the forms' suffix)
    notice: str  # "saved as …", shown once after the rerun


PLAN_KEYS = SaveKeys(form="plan_save_form", name="w_plan_save_name",
                     note="w_plan_save_note", replace="w_plan_save_replace",
                     version="plan_save_version", notice="plan_save_notice")

#: what a page saves: (the store, name, note, replace, the signed-in user) → the saved info
Saver = Callable[[ScenarioStore, str, str, bool, str | None], ScenarioInfo]


def render(result: PlanResult, *, old: bool = False) -> None:
    """The Plan page's panel: the plan on screen with the parameters it was solved for."""
    def save(s: ScenarioStore, name: str, note: str, replace: bool,
             user: str | None) -> ScenarioInfo:
        return s.save(name, result.scenario, allocation=result.allocation,
                      inputs=session.dataset().inputs, note=note, author=user or "",
                      owner=user, replace=replace)

    save_panel(tr("plan.save_title" if not old else "plan.save_title_old"), PLAN_KEYS, save)


def save_panel(title: str, keys: SaveKeys, save: Saver) -> None:
    """A Save panel (an expander): a name, a note, "replace" and Save in a form that is new
    and empty after each save; the store's refusal shown under it, "saved as …" after it."""
    tx = scenarios_page.tx
    notice = state.get(keys.notice)
    with st.expander(title, icon=":material/save:", expanded=bool(notice)):
        if notice:
            st.success(notice, icon=":material/check_circle:")
            state.drop(keys.notice)
        v = state.get(keys.version, 0)
        with st.form(f"{keys.form}.{v}", border=False):
            c1, c2 = st.columns([2, 3])
            name = c1.text_input(tx("name"), key=f"{keys.name}.{v}", max_chars=200)
            note = c2.text_input(tx("note"), key=f"{keys.note}.{v}", max_chars=2000)
            replace = st.checkbox(tx("replace"), key=f"{keys.replace}.{v}",
                                  help=tx("replace_help"))
            submitted = st.form_submit_button(tx("save"), type="primary",
                                              icon=":material/save:")
        if not submitted:
            return
        s = scenarios_page.store()
        if s is None:
            return
        try:
            info = save(s, name, note, replace, scenarios_page.current_user())
        except StoreError as exc:
            st.error(scenarios_page.error_text(exc), icon=":material/error:")
            return
        state.put(keys.notice, tx("saved", name=info.name, id=str(info.id)))
        state.put(keys.version, v + 1)
        st.rerun()

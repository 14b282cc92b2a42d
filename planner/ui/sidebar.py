"""The sidebar every page shares: the language switch, who is signed in, the dataset in use."""

from __future__ import annotations

import streamlit as st

from planner.i18n import LANGS
from planner.ui import auth, session, state
from planner.ui.widgets import count, tr

LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def language() -> str:
    """The language switch (Vietnamese by default); returns the language in use."""
    state.seed(state.LANG, "vi")
    st.sidebar.radio(tr("sidebar.language"), LANGS, key=state.LANG, horizontal=True,
                     format_func=LANGUAGE_NAMES.__getitem__)
    return state.lang()


def account() -> None:
    """Signed in as whom, with a sign-out button; or that the app runs without sign-in."""
    auth.account_panel()


def dataset_panel() -> None:
    """What the officer is looking at: the sample or their files, and its size."""
    ds = session.dataset()
    positions = ds.inputs.positions
    box = st.sidebar.container(border=True)
    box.markdown(f"**{tr('sidebar.dataset')}**")
    if ds.kind == "sample":
        box.markdown(tr("sidebar.sample"))
    else:
        box.markdown("\n".join(f"- `{name}`" for name in ds.file_names))
    box.caption(tr("sidebar.size", units=count(positions["unit_id"].nunique()),
                   rows=count(len(positions)), quota=count(int(positions["quota"].sum()))))
    result = state.get(state.RESULT)
    if result is not None:
        box.caption(tr("sidebar.plan", hires=count(result.allocation.total_hires)))
    from planner.ui import drafts

    drafts.sidebar_note(box)

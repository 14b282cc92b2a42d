"""Pages of the app as ``st.Page`` objects with titles in the session's language."""

from __future__ import annotations

import streamlit as st

from planner.ui.widgets import tr


def page(path: str, title_key: str, icon: str, url_path: str, *,
         default: bool = False) -> st.Page:
    """A page file (relative to streamlit_app.py) titled by ``ui.nav.<title_key>``."""
    return st.Page(path, title=tr(f"nav.{title_key}"), icon=icon, url_path=url_path,
                   default=default)

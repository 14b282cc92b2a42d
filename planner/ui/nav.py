"""Pages of the app as ``st.Page`` objects with titles in the session's language, and the page
an officer sees when she opens an address the app does not have."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from urllib.parse import unquote, urlparse

import streamlit as st
from streamlit.errors import StreamlitAPIException

from planner.ui.widgets import tr


def page(path: str, title_key: str, icon: str, url_path: str, *,
         default: bool = False) -> st.Page:
    """A page file (relative to streamlit_app.py) titled by ``ui.nav.<title_key>``."""
    return st.Page(path, title=tr(f"nav.{title_key}"), icon=icon, url_path=url_path,
                   default=default)


def requested_path() -> str:
    """The page part of the address in the officer's browser ("" for the app's root)."""
    url = st.context.url or ""
    path = unquote(urlparse(url).path).strip("/")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):].strip("/")
    return path


def unknown_address(pages: Sequence[st.Page], *, alias: str, default_name: str
                    ) -> st.Page | None:
    """A hidden page for an address no page has, so that Streamlit's English "Page not found"
    box is not shown: ``alias`` ("/thieu-hut") opens the default page, anything else a page
    in the officer's language with a link to each page. None for a known address, and for
    ``default_name``, the default page's own url_path, which no other page may take (one
    officers have no reason to type).

    Streamlit gives the default page the root address only (a name given to it is refused
    for any other page and leads nowhere), hence the alias; an address of several parts
    ("/a/b") never reaches the app (the browser cannot load the app's files from there)."""
    path = requested_path().split("/")[-1]
    known = {p.url_path for p in pages} | {default_name}
    if not path or path in known:
        return None
    default = next(p for p in pages if p.url_path == "")  # Streamlit's root: the default page
    shows = partial(_to_default, default) if path == alias else \
        partial(_not_found, path, list(pages))
    try:
        return st.Page(shows, title=tr("nav.not_found_title"), url_path=path,
                       visibility="hidden")
    except StreamlitAPIException:  # not a name Streamlit accepts for a page
        return None


def _to_default(default: st.Page) -> None:
    # the tab's draft id is the session's: planner/ui/drafts.py writes it back in the address
    st.switch_page(default)


def _not_found(path: str, pages: list[st.Page]) -> None:
    st.header(tr("nav.not_found_title"))
    st.warning(tr("nav.not_found", address=f"/{path}"), icon=":material/link_off:")
    for p in pages:
        st.page_link(p)

"""Small pieces every page uses: messages in the session's language, tables, downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import streamlit as st

from planner.domain.text import fold
from planner.export.plain_tables import table_csv
from planner.i18n import fmt_money, fmt_number, fmt_percent
from planner.present import labels
from planner.ui import state

#: Tables up to this many rows are shown with the language's number format (pandas Styler);
#: longer ones with the browser's (Streamlit's "localized" format), which stays fast.
STYLED_ROWS = 2_000


#: Less empty space above the page title, so the figures and first chart fit on a laptop screen.
#: No clipped text (issue 13): columns wrap onto a new line rather than shrink below what their
#: content needs (headline cards, fields, buttons, charts side by side), and labels, buttons and
#: headline labels wrap instead of ending in "…". tests/browser/test_app_layout_browser.py
#: measures every page at 1366×768 and 800×900.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 3rem; }
[data-testid="stMetricValue"] { font-size: 1.55rem; }
[data-testid="stMain"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap; row-gap: 0.75rem; }
[data-testid="stMain"] [data-testid="stColumn"] { min-width: min(9.5rem, 100%); }
[data-testid="stMain"] [data-testid="stColumn"]:has([data-testid="stMetric"]) {
  min-width: min(11rem, 100%); }
[data-testid="stMain"] [data-testid="stColumn"]:has([data-testid="stVegaLiteChart"]) {
  min-width: min(22rem, 100%); }
[data-testid="stMain"] [data-testid="stColumn"]:has([data-testid="stDownloadButton"]) {
  min-width: min(13rem, 100%); }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stWidgetLabel"] *, button [data-testid="stMarkdownContainer"] p,
[role="tab"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; }
[data-testid="stMetricLabel"] { height: auto; min-height: 1.5rem; }
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > script) { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
button[kind] { height: auto; min-height: 2.5rem; }
</style>"""

#: The file uploader's button in Vietnamese at once, before any script runs (Streamlit has no
#: setting for it); its line "50MB per file • CSV, XLSX…" is worded by streamlit_vi.js, which
#: keeps the file types that line lists for each uploader.
UPLOADER_VI_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button p { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button p::after { content: "Chọn tệp"; font-size: 0.95rem; }
[data-testid="stFileUploaderDeleteBtn"] button::after { content: ""; }
</style>"""


def page_style() -> None:
    st.html(PAGE_CSS)


#: Streamlit's other English words (toolbar tooltips, "Select all", dialogs, screen-reader
#: labels) in Vietnamese: a script with a fixed table of Streamlit's strings (see the file).
STREAMLIT_VI_JS = Path(__file__).with_name("streamlit_vi.js")


def streamlit_words() -> None:
    """Streamlit's own labels in the session's language: CSS for the file uploader (seen at
    once, before any script runs), the script for the rest. In English the script stands by."""
    lang = state.lang()
    if lang == "vi":
        st.html(UPLOADER_VI_CSS)
    script = STREAMLIT_VI_JS.read_text(encoding="utf-8").replace("__LANG__", lang)
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def tr(key: str, /, **params: Any) -> str:
    """The ``[ui]`` message ``key`` in the session's language."""
    return labels.ui(key, state.lang(), **params)


def labeller(prefix: str) -> Callable[[object], str]:
    """A ``format_func`` showing option ``v`` as the message ``prefix + v`` (language fixed
    now, so the function does not read session state when Streamlit calls it later)."""
    lang = state.lang()
    return lambda v: labels.ui(f"{prefix}{v}", lang)


def money(vnd: float | None) -> str:
    return fmt_money(vnd, state.lang())


def money_short(vnd: float | None) -> str:
    """Money for a headline figure, in the fewest characters the language allows."""
    if vnd is None or pd.isna(vnd) or abs(vnd) < 1e6:
        return money(vnd)
    lang = state.lang()
    unit, amount = ("billion", vnd / 1e9) if abs(vnd) >= 1e9 else ("million", vnd / 1e6)
    return labels.ui(f"money.{unit}", lang, amount=fmt_number(amount, lang, decimals=2 if
                                                              unit == "billion" else 1))


def count(n: float | None) -> str:
    return fmt_number(n, state.lang())


def share(x: float | None) -> str:
    return fmt_percent(x, state.lang())


def metric_row(items: Sequence[tuple[str, str, str | None]],
               widths: Sequence[float] | None = None) -> None:
    """One row of headline figures: (label, value, help)."""
    for col, (label, value, help_) in zip(st.columns(widths or len(items)), items, strict=True):
        col.metric(label, value, help=help_, border=True)


def in_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy with staff types and funding sources in words."""
    out = frame.copy()
    for column in labels.CODED_COLUMNS:
        if column in out.columns:
            out[column] = out[column].map(lambda v, c=column: labels.code_label(c, v, lang))
    return out


def column_config(columns: Iterable[str], lang: str, *, styled: bool) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for col in columns:
        label = labels.column_label(col, lang)
        kind = labels.column_kind(col)
        if kind == "text":
            # the unit's name stays in view while the officer scrolls a wide table sideways
            config[col] = st.column_config.TextColumn(label, pinned=col == "unit_name" or None)
        elif styled:
            config[col] = st.column_config.NumberColumn(label)
        else:
            fmt = {"rate": "percent", "plain": "%d"}.get(kind, "localized")
            config[col] = st.column_config.NumberColumn(label, format=fmt)
    return config


def show_table(frame: pd.DataFrame, *, columns: Sequence[str] | None = None,
               height: int | Literal["auto", "stretch", "content"] = "auto",
               key: str | None = None) -> None:
    """A read-only table with headers, codes and numbers in the session's language."""
    lang = state.lang()
    columns = list(columns or frame.columns)
    shown = in_words(frame[columns], lang).reset_index(drop=True)
    styled = len(shown) <= STYLED_ROWS
    data: Any = shown
    if styled:
        data = shown.style.format({c: labels.formatter(c, lang) for c in columns
                                   if labels.column_kind(c) != "text"})
    st.dataframe(data, hide_index=True, height=height, key=key,
                 column_config=column_config(columns, lang, styled=styled))


def csv_button(frame: pd.DataFrame, file_name: str, label: str, *, key: str,
               headers: str | None = None) -> None:
    """Download a table as CSV (UTF-8 with BOM, formula-safe), headers in the session's language."""
    lang = headers or state.lang()  # built on click, not at every rerun of the page
    st.download_button(label, lambda: table_csv(frame, headers=lang), file_name=file_name,
                       mime="text/csv", key=key,
                       icon=":material/download:", on_click="ignore")


def search_units(frame: pd.DataFrame, text: str | None) -> pd.Series:
    """Rows whose unit name or code contains ``text`` (case and diacritics ignored)."""
    if not text or not text.strip():
        return pd.Series(True, index=frame.index)
    needle = fold(text)
    keep = pd.Series(False, index=frame.index)
    for column in ("unit_name", "unit_id"):
        values = frame[column].astype("string").fillna("")
        # fold each distinct name once (60,000 rows hold about 10,000 units)
        hit = {v: needle in fold(v) for v in pd.unique(values)}
        keep |= values.map(hit).astype(bool)
    return keep

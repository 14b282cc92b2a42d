"""Shared helpers of the AppTest tests: start the app, find pages and elements."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
PAGES = {"data": "planner/ui/data_page.py", "gaps": "planner/ui/gaps_page.py",
         "plan": "planner/ui/plan_page.py"}


def start(timeout: float = 120) -> AppTest:
    """The app as an officer first sees it (the Gaps page of the sample)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_page(at: AppTest, name: str) -> AppTest:
    at.switch_page(PAGES[name]).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_tab(at: AppTest, label: str, key: str = "w_plan_tabs") -> AppTest:
    """Open the tab ``label`` of tabs drawn lazily (only the open tab's content is on the page,
    as the Plan page's results): the officer's click, as the tabs' state, then the rerun."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    tabs = [t.label for t in at.tabs]
    assert label in tabs, (label, tabs)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def chart_titles(at: AppTest) -> list[str]:
    """Each chart's title as one text (a title wrapped onto lines is joined back)."""
    out = []
    for spec in chart_specs(at):
        title = spec.get("title", "")
        if isinstance(title, dict):
            title = title.get("text", "")
        out.append("".join(title) if isinstance(title, list) else title)
    return out


def chart_rows(at: AppTest, index: int) -> list[dict]:
    """The data rows (every layer) of the ``index``-th chart on the page."""
    import pyarrow as pa

    chart = at.get("vega_lite_chart")[index]
    rows: list[dict] = []
    for dataset in chart.proto.datasets:
        rows += pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
    return rows


def chart_by_title(at: AppTest, start: str) -> int:
    """Index of the first chart whose title starts with ``start``."""
    for i, title in enumerate(chart_titles(at)):
        if str(title).startswith(start):
            return i
    raise AssertionError(f"no chart titled {start!r}; charts: {chart_titles(at)}")


def button(at: AppTest, key: str):
    return at.button(key=key)


def texts(at: AppTest) -> str:
    """Every piece of text on the page, for 'is this message shown' checks."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success",
                 "warning", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def frame_with(at: AppTest, column: str):
    """The first table on the page that has ``column`` (st.dataframe keys are not exposed)."""
    for frame in at.dataframe:
        value = frame.value
        if column in value.columns:
            return value
    raise AssertionError(f"no table with a column {column!r}")

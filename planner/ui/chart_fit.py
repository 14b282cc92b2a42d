"""Charts that fit their column: a long title is broken into lines instead of running past
the chart's right edge (Vega draws a title on one line, cut by the chart's bounds). Each line
but the last keeps its trailing space, so the lines joined give the title back.

Columns are as narrow as about 22 rem (the page's CSS stacks charts below that), where a
15 px title holds about 46 characters.
"""

from __future__ import annotations

import textwrap
from typing import Any

import altair as alt

TITLE_CHARS = 46


def fit(chart: Any, chars: int = TITLE_CHARS) -> Any:
    """``chart`` with its title wrapped to lines of at most ``chars`` characters."""
    title = getattr(chart, "title", alt.Undefined)
    text = title if isinstance(title, str) else getattr(title, "text", None)
    if not isinstance(text, str) or len(text) <= chars:
        return chart
    lines = textwrap.wrap(text, chars, break_long_words=False)
    # each line but the last keeps its space, so the lines joined read as the title
    lines = [line + " " for line in lines[:-1]] + lines[-1:]
    return chart.properties(title=alt.TitleParams(text=lines, anchor="start", frame="bounds"))

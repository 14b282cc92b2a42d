"""One name per figure on every page (issue 13, item 8).

The Gaps and Plan pages are rendered (AppTest) and every name a figure is shown under is
collected: headline labels and their help, table headers, chart titles, axes, legends and
tooltips. The vacancies figure (approved − (on board − expected departures), per position)
was "Biên chế chưa sử dụng" in the headline and tables and "Còn thiếu" in the charts; it is
now "Biên chế còn thiếu" wherever it is shown, and the figure after the plan is "Còn thiếu
sau tuyển" in the headline and in the table.
"""

from __future__ import annotations

import json

from app_helpers import chart_specs, metrics, open_page, open_tab, start

RETIRED = "chưa sử dụng"  # the second name of the vacancies figure
NAME = "Biên chế còn thiếu"


def _names(node: object) -> list[str]:
    """Every title of a chart spec (chart, axes, legends, tooltips), as text."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "title" and isinstance(value, str | list):
                out.append("".join(value) if isinstance(value, list) else value)
            elif key == "title" and isinstance(value, dict):
                text = value.get("text", "")
                out.append("".join(text) if isinstance(text, list) else text)
            else:
                out += _names(value)
    elif isinstance(node, list):
        for item in node:
            out += _names(item)
    return out


def _headers(at) -> list[str]:
    """The headers of every table on the page (their column_config labels)."""
    out = []
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        out += [c.get("label", "") for c in config.values() if isinstance(c, dict)]
    return out


def _shown(at) -> dict[str, list[str]]:
    return {"metrics": list(metrics(at)) + [m.help or "" for m in at.metric],
            "tables": _headers(at),
            "charts": [n for spec in chart_specs(at) for n in _names(spec)]}


def test_the_vacancies_figure_has_one_name_on_every_page():
    at = start()  # the Gaps page of the sample
    gaps = _shown(at)
    plan = _shown(open_page(at, "plan"))
    for tab in ("Theo đơn vị", "Chi tiết", "Ngân sách"):  # the result tabs, each drawn when open
        for kind, names in _shown(open_tab(at, tab)).items():
            plan[kind] += names
    everything = [text for page in (gaps, plan) for texts in page.values() for text in texts]
    assert [t for t in everything if RETIRED in t.lower()] == []
    # the same figure under the same name in the headline, the unit table and the charts
    assert NAME in metrics(at.switch_page("planner/ui/gaps_page.py").run())
    assert NAME in gaps["tables"], gaps["tables"]
    assert any(t == NAME for t in gaps["charts"]), gaps["charts"]  # the charts' tooltips
    assert any(t.startswith(NAME) for t in plan["charts"]), plan["charts"]
    # after the plan: one name in the headline and in the plan's table
    assert "Còn thiếu sau tuyển" in plan["metrics"]
    assert "Còn thiếu sau tuyển" in plan["tables"], plan["tables"]

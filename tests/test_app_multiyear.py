"""AppTest: the multi-year page (issue 15) on the sample: planned, charted, figures equal to
planner.optimise.multiyear called directly with the same parameters (the page only calls it)."""

from __future__ import annotations

import pytest
from app_helpers import chart_by_title, chart_rows, chart_titles, metrics, start

from planner.domain.multiyear import MultiYearSettings
from planner.domain.scenario import Scenario
from planner.i18n import fmt_number
from planner.io.multiyear import load_multiyear_inputs
from planner.io.roster import read_roster
from planner.io.sample import SAMPLE_MULTIYEAR_FILES
from planner.optimise.multiyear import plan_multiyear

pytestmark = pytest.mark.slow

PAGE = "planner/ui/multiyear_page.py"


def test_sample_multiyear_page():
    at = start()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    at.number_input(key="w_my_last").set_value(2028).run()
    for source in ("state_budget", "fee_revenue"):  # blank: no limit
        at.text_input(key=f"w_my_budget.{source}").set_value("").run()
    at.button[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    files = SAMPLE_MULTIYEAR_FILES
    loaded = load_multiyear_inputs(files["quotas"], files["headcounts"], files["units"])
    years = (2026, 2027, 2028)
    roster = read_roster(files["roster"], years=years, positions=loaded.inputs.positions)
    plan = plan_multiyear(loaded.inputs, Scenario(time_limit=30.0),
                          MultiYearSettings(years=years), quota_years=loaded.quota_years,
                          departure_years=loaded.departure_years,
                          plain_departures=loaded.plain_departures, roster=roster.counts)
    shown = metrics(at)
    assert shown["Số tuyển"] == fmt_number(int(plan.by_year["hires"].sum()), "vi")
    assert shown["Số nghỉ"] == fmt_number(int(plan.by_year["departures"].sum()), "vi")
    assert shown["Cần tinh giản (năm cuối)"] == fmt_number(
        int(plan.by_year["surplus_to_streamline"].iloc[-1]), "vi")
    titles = [str(t) for t in chart_titles(at)]
    assert any("toàn tỉnh" in t for t in titles), titles
    # the province chart's bars: kept + hires per year = staff at the year's end
    rows = chart_rows(at, chart_by_title(at, "Lộ trình biên chế và số có mặt: toàn tỉnh"))
    parts = {(r["year"], r["part"]): r["people"] for r in rows if "part" in r}  # both layers
    end = {}
    for (year, part), people in parts.items():
        if part in ("kept", "hires"):
            end[year] = end.get(year, 0) + people
    assert [end[y] for y in years] == plan.by_year["on_board_end"].tolist()
    assert len(at.get("download_button")) == 2


def test_multiyear_amounts_are_typed_the_vietnamese_way():
    # issue 13 item 1 on the multi-year page: "2,5" in a field of tỷ is 2.5 billion đồng,
    # shown back in Vietnamese format; "1.500" there is ambiguous and stops the plan
    at = start()
    at.switch_page(PAGE).run()
    field = at.text_input(key="w_my_budget.state_budget")
    assert field.label.startswith("Kinh phí mỗi năm, Ngân sách nhà nước"), field.label
    field.set_value("2,5").run()
    assert "= 2,5 tỷ đ (2.500.000.000 đ)" in [c.value for c in at.caption]
    at.text_input(key="w_my_cut").set_value("12,5").run()
    assert not at.error, [e.value for e in at.error]
    at.text_input(key="w_my_budget.state_budget").set_value("1.500").run()
    assert at.error, "an ambiguous amount must be an error under the field"
    assert next(b for b in at.button if b.label == "Lập kế hoạch").disabled

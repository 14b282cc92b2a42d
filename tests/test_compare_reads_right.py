"""A comparison that reads right (issue 13, item 5): better is green and worse red (fewer
remaining vacancies are better), rate differences in percentage points, the workbook's
parameters in words, and a chart of the units that differ most with their full names.

The tiny plans are those of tests/test_compare.py, whose figures are worked out by hand there:
A hires 3 (U1: 3, U2: 0), B hires 5 (U1: 2, U2: 3); each of the 3 rows has a quota of 10,
4 vacancies and 6 staying, so the fill after is (18 + hires) / 30.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from test_compare import COST, A, B, C, _plan, _stored

from planner.domain.scenario import Scenario
from planner.export.compare_workbook import compare_xlsx
from planner.present.charts_compare import difference_by_unit_chart
from planner.present.compare import compare_scenarios, effect, headline_table
from planner.ui.scenarios_page import GREEN, RED, _diff_colour, headline_styled


def test_fill_rate_differences_are_percentage_points():
    cmp = compare_scenarios([A, B])
    table = headline_table(cmp, "vi").set_index("Chỉ tiêu")
    # (18 + 5) / 30 − (18 + 3) / 30 = 2 / 30 = 6.67 percentage points
    assert table.loc["Tỷ lệ lấp đầy sau khi tuyển"].iloc[-1] == "+6,7 điểm %"
    assert headline_table(cmp, "en").set_index("Figure").loc[
        "Fill rate after hiring"].iloc[-1] == "+6.7 pp"


def test_better_is_green_and_worse_red():
    # B leaves 3 fewer vacancies in U2 (better) and 1 more in U1 (worse)
    assert effect("remaining", -3) == "better" and effect("remaining", 1) == "worse"
    assert effect("hires", 3) == "better" and effect("hires_cost", 2 * COST) is None
    assert _diff_colour(3, direction=-1) == RED  # "+3 còn thiếu" is worse
    assert _diff_colour(-3, direction=-1) == GREEN
    assert _diff_colour(3, direction=1) == GREEN
    cmp = compare_scenarios([A, B])
    styled = headline_styled(cmp, "vi")
    styled._compute()
    figures = list(cmp.headline["figure"])
    last = len(styled.data.columns) - 1
    colour = {f: dict(styled.ctx.get((i, last), [])) for i, f in enumerate(figures)}
    assert colour["remaining_vacancies"]["background-color"] == "#C6EFCE"  # 2 fewer: better
    assert colour["total_hires"]["background-color"] == "#C6EFCE"
    assert colour["hires_cost"] == {}  # money spent is neither better nor worse


def test_the_workbook_says_parameters_in_words_and_colours_by_meaning():
    cmp = compare_scenarios([A, B])
    book = openpyxl.load_workbook(io.BytesIO(compare_xlsx(cmp, lang="vi")))
    params = book["Tham số"]
    names = [params.cell(r, 1).value for r in range(2, params.max_row + 1)]
    assert "Dự toán kinh phí: Ngân sách nhà nước (đồng/năm)" in names
    assert "Tỷ lệ lấp đầy tối thiểu mỗi đơn vị" in names
    assert not any("." in n.split(" (")[0] and "_" in n for n in names), names  # no code names
    row = names.index("Dự toán kinh phí: Ngân sách nhà nước (đồng/năm)") + 2
    assert [params.cell(row, c).value for c in (2, 3)] == ["300.000.000", "500.000.000"]
    sheet = book["Tổng quan"]
    fill_row = next(r for r in range(1, sheet.max_row + 1)
                    if sheet.cell(r, 1).value == "Tỷ lệ lấp đầy sau khi tuyển")
    cell = sheet.cell(fill_row, 4)
    assert cell.value == pytest.approx(2 / 30 * 100)  # percentage points
    assert "điểm %" in cell.number_format
    # remaining vacancies: a rise is red in the by-unit sheet (the rule for "> 0" is the bad one)
    by_unit = book["Theo đơn vị"]
    headers = [c.value for c in by_unit[1]]
    col = headers.index("Chênh lệch còn thiếu B − A") + 1
    letter = openpyxl.utils.get_column_letter(col)
    rules = [r for rng in by_unit.conditional_formatting for r in rng.rules
             if letter in str(rng.sqref)]
    above = next(r for r in rules if r.operator == "greaterThan")
    assert above.dxf.fill.bgColor.rgb.endswith("FFC7CE")  # red


def test_the_chart_shows_the_units_that_differ_most_with_full_names():
    long_name = "Trung tâm Kiểm soát bệnh tật tỉnh Khánh Hòa (cơ sở 2, Cam Lâm)"
    base = {(f"U{i:03d}", "CV"): 0 for i in range(300)}
    other = {k: (i % 4) for i, k in enumerate(base)}  # at most 3, U299 alone 4
    other[("U299", "CV")] = 4
    plans = [_plan(base), _plan(other), _plan({k: 1 for k in base})]
    for plan in plans:
        plan.loc[plan["unit_id"] == "U299", "unit_name"] = long_name
    a, b, c = (_stored(11 + i, name, plan, scenario=Scenario()) for i, (name, plan) in
               enumerate(zip(["Mẫu", "Ngân sách +20 tỷ", "Ngân sách +40 tỷ"], plans,
                             strict=True)))
    cmp = compare_scenarios([a, b, c])
    spec = difference_by_unit_chart(cmp.by_unit, cmp.labels, measure="remaining",
                                    lang="vi", top=15).to_dict()
    rows = next(iter(spec["datasets"].values()))
    units = list(dict.fromkeys(r["unit_name"] for r in rows))
    assert len(units) == 15  # of 300 units that differ
    assert long_name in units  # by 4 in B and C: among the largest
    bars = spec["layer"][0]["encoding"]
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] == 0  # full names
    assert spec["height"] == {"step": 2 * 18 + 8}  # a fixed height per unit and scenario
    colours = dict(zip(bars["color"]["scale"]["domain"], bars["color"]["scale"]["range"],
                       strict=True))
    for r in rows:  # fewer remaining vacancies (a negative difference) is better: green
        if r["difference"] < 0:
            assert colours[r["effect"]] == "#1a7f37"
        elif r["difference"] > 0:
            assert colours[r["effect"]] == "#c62828"
    assert {r["text"] for r in rows if r["unit_name"] == long_name} == {"-4", "-1"}
    assert "15 đơn vị khác nhiều nhất (trên 300 đơn vị có khác biệt)" in str(spec["title"])


@pytest.mark.parametrize("pair", [(A, C), (B, C)])
def test_every_difference_colour_follows_its_meaning(pair):
    cmp = compare_scenarios(list(pair))
    for measure in ("hires", "remaining"):
        for d in pd.to_numeric(cmp.by_unit[f"{measure}_diff_2"]).fillna(0):
            expected = "" if d == 0 else GREEN if (d > 0) == (measure == "hires") else RED
            assert _diff_colour(d, direction=1 if measure == "hires" else -1) == expected

"""Chart builders: small tables checked by hand, labels and colours, and the 5,000-row limit."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.present import charts
from planner.present.labels import SOURCE_COLOURS, STAFF_TYPE_COLOURS


def _gaps(rows: list[tuple]) -> pd.DataFrame:
    cols = ["unit_id", "unit_name", "position_name", "staff_type", "funding_source", "sector",
            "vacancies", "annual_cost_per_hire"]
    return pd.DataFrame(rows, columns=cols)


TINY = _gaps([
    ("A", "Sở A", "Chuyên viên", "civil_servant", "state_budget", "Khối sở", 3, 100e6),
    ("A", "Sở A", "Lái xe", "contract", "fee_revenue", "Khối sở", 1, 80e6),
    ("B", "Trường B", "Giáo viên", "public_employee", "state_budget", "Giáo dục", 1500, 110e6),
    ("C", "Trạm C", "Bác sĩ", "public_employee", "state_budget", "Y tế", 2, 120e6),
    ("D", "Xã D", "Văn thư", "civil_servant", "state_budget", "Khối sở", 0, 90e6),
])


def _data(chart) -> list[dict]:
    """All rows the chart carries, every layer's dataset together."""
    spec = chart.to_dict()
    return [row for rows in spec["datasets"].values() for row in rows]


def _bars(chart) -> list[dict]:
    """The rows of the first dataset that has a 'category' or 'stage' field (the bars)."""
    spec = chart.to_dict()
    for rows in spec["datasets"].values():
        if rows and ("category" in rows[0] or "stage" in rows[0]):
            return rows
    raise AssertionError("no bar data")


def _colour_scale(chart) -> dict[str, str]:
    spec = chart.to_dict()
    layers = spec.get("layer", [spec])
    for layer in layers:
        color = layer.get("encoding", {}).get("color")
        if color and "scale" in color and "domain" in color["scale"]:
            return dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True))
    raise AssertionError("no colour scale")


def test_vacancies_by_unit_takes_the_top_units_in_order_and_stacks_by_staff_type():
    chart = charts.vacancies_by_unit(TINY, top=2, lang="vi")
    bars = _bars(chart)
    assert {b["unit"] for b in bars} == {"Trường B", "Sở A"}  # C has 2, fewer than A's 4
    by = {(b["unit"], b["category"]): b["vacancies"] for b in bars}
    assert by == {("Trường B", "Viên chức"): 1500, ("Sở A", "Công chức"): 3,
                  ("Sở A", "Hợp đồng"): 1}
    # tooltips carry the exact figures formatted in Vietnamese
    assert {b["total_text"] for b in bars if b["unit"] == "Trường B"} == {"1.500"}
    spec = chart.to_dict()
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Trường B", "Sở A"]
    assert spec["config"]["locale"]["number"]["thousands"] == "."


def test_units_with_no_vacancies_are_left_out_and_search_restricts_units():
    chart = charts.vacancies_by_unit(TINY, top=10, units=["C", "D"])
    assert {b["unit"] for b in _bars(chart)} == {"Trạm C"}


def test_stack_by_position_groups_the_rest_as_other(monkeypatch):
    monkeypatch.setattr(charts, "MAX_CATEGORIES", 2)
    chart = charts.vacancies_by_unit(TINY, top=10, stack="position_name", lang="en")
    cats = {b["category"] for b in _bars(chart)}
    assert cats == {"Giáo viên", "Chuyên viên", "Other"}
    other = sum(b["vacancies"] for b in _bars(chart) if b["category"] == "Other")
    assert other == 1 + 2  # Lái xe (1) and Bác sĩ (2)


def test_staff_types_and_sources_keep_their_colours_across_charts_and_languages():
    for lang in ("vi", "en"):
        by_unit = _colour_scale(charts.vacancies_by_unit(TINY, lang=lang))
        by_sector = _colour_scale(charts.vacancies_by_group(TINY, by="sector", lang=lang))
        word = {"vi": "Công chức", "en": "Civil servant"}[lang]
        assert by_unit[word] == by_sector[word] == STAFF_TYPE_COLOURS["civil_servant"]
    by_source = _colour_scale(charts.vacancies_by_group(TINY, by="funding_source", lang="en"))
    assert by_source["State budget"] == SOURCE_COLOURS["state_budget"]
    assert by_source["Retained fees"] == SOURCE_COLOURS["fee_revenue"]


def test_vacancies_by_group_adds_up_vacancies_and_their_cost():
    chart = charts.vacancies_by_group(TINY, by="funding_source", lang="en")
    bars = {b["group"]: b for b in _bars(chart)}
    assert bars["State budget"]["vacancies"] == 3 + 1500 + 2
    assert bars["State budget"]["vacancy_cost"] == pytest.approx(3 * 100e6 + 1500 * 110e6
                                                                 + 2 * 120e6)
    assert bars["Retained fees"]["cost_text"] == "80 million VND"


def test_an_empty_selection_says_so_instead_of_an_empty_chart():
    chart = charts.vacancies_by_unit(TINY, units=["D"], lang="en")
    assert _data(chart) == [{"text": "No vacancies in the selection."}]


def _by_unit() -> pd.DataFrame:
    return pd.DataFrame({
        "unit_id": ["A", "B", "C"], "unit_name": ["Sở A", "Trường B", "Trạm C"],
        "quota": [10, 40, 0], "headcount": [6, 30, 0], "expected_departures": [0, 0, 0],
        "vacancies": [4, 10, 0], "hires": [4, 5, 0], "remaining_vacancies": [0, 5, 0],
        "hires_cost": [4e8, 5.5e8, 0.0], "fill_rate_before": [0.6, 0.75, float("nan")],
        "fill_rate_after": [1.0, 0.875, float("nan")],
    })


def test_remaining_by_unit_shows_before_and_after_for_each_unit():
    chart = charts.remaining_by_unit(_by_unit(), lang="vi")
    bars = _bars(chart)
    values = {(b["unit"], b["stage"]): b["value"] for b in bars}
    assert values == {("Trường B", "Trước phương án"): 10, ("Trường B", "Sau phương án"): 5,
                      ("Sở A", "Trước phương án"): 4, ("Sở A", "Sau phương án"): 0}
    assert chart.to_dict()["layer"][0]["encoding"]["y"]["sort"] == ["Trường B", "Sở A"]
    assert {b["cost_text"] for b in bars if b["unit"] == "Trường B"} == {"550 triệu đ"}


@pytest.mark.parametrize(("lang", "written"), [("vi", "1.214"), ("en", "1,214")])
def test_remaining_by_unit_writes_each_bars_value_at_its_end(lang, written):
    """Value labels on the Plan page's before/after bars (issue 13, item 8): one text per bar,
    at the bar's own value and offset, in the language's thousands separator."""
    by_unit = _by_unit().assign(vacancies=[4, 1214, 0], hires=[4, 14, 0],
                                remaining_vacancies=[0, 1200, 0])
    spec = charts.remaining_by_unit(by_unit, lang=lang).to_dict()
    bars, values = spec["layer"]
    assert values["mark"]["type"] == "text"
    for channel in ("y", "yOffset", "x"):  # the text sits where its bar ends
        assert values["encoding"][channel]["field"] == bars["encoding"][channel]["field"]
    assert values["encoding"]["text"]["field"] == "value_text"
    rows = [r for rows in spec["datasets"].values() for r in rows]
    texts = {(r["unit"], r["stage_rank"]): r["value_text"] for r in rows}
    thousands = "." if lang == "vi" else ","
    assert texts == {("Trường B", 0): written, ("Trường B", 1): f"1{thousands}200",
                     ("Sở A", 0): "4", ("Sở A", 1): "0"}


def test_fill_rate_by_unit_skips_units_without_quota():
    chart = charts.fill_rate_by_unit(_by_unit(), lang="en")
    units = {r["unit"] for r in _data(chart)}
    assert units == {"Sở A", "Trường B"}
    texts = {r["unit"]: (r["before_text"], r["after_text"]) for r in _data(chart)}
    assert texts["Trường B"] == ("75.0%", "87.5%")


def test_budget_use_compares_cost_with_each_budget_and_the_total():
    table = charts.budget_table({"state_budget": 45e9, "fee_revenue": 1e9},
                                {"state_budget": 60e9}, total_budget=50e9)
    assert table["funding_source"].tolist() == ["state_budget", "fee_revenue", ""]
    assert table["is_total"].tolist() == [False, False, True]  # the total is no source
    assert table["cost"].tolist() == [45e9, 1e9, 46e9]
    assert table.loc[0, "budget"] == 60e9 and table.loc[2, "budget"] == 50e9
    assert pd.isna(table.loc[1, "budget"])  # no budget: no limit
    rows = {r["group"]: r for r in _data(charts.budget_use(table, lang="vi")) if "group" in r}
    assert rows["Ngân sách nhà nước"]["share_text"] == "75,0%"
    assert rows["Phí, lệ phí để lại"]["budget_text"] == "không giới hạn"
    assert rows["Tổng ngân sách"]["cost_b"] == pytest.approx(46.0)


def test_budget_curve_marks_the_current_budget_and_what_a_billion_buys():
    curve = pd.DataFrame({"budget": [0.0, 10e9, 20e9], "source": "state_budget",
                          "weighted_hires": [0.0, 150.0, 200.0], "hires": [0, 100, 120],
                          "fill_rate": [0.8, 0.9, 0.92], "cost": [0.0, 9.9e9, 12e9],
                          "status": "optimal"})
    chart = charts.budget_curve(curve, lang="en", current=15e9)
    rows = _data(chart)
    points = [r for r in rows if "hires" in r]
    assert [p["gain_text"] for p in points] == ["", "10.0", "2.0"]
    marks = [r for r in rows if "x" in r]
    assert marks == [{"x": 15.0, "text": "Current: 15 billion VND"}]


def test_60000_row_inputs_stay_far_below_altairs_5000_row_limit():
    from planner.io.synthetic import synthetic_instance

    gaps = synthetic_instance("large").gaps
    assert len(gaps) == 60_000
    built = [
        charts.vacancies_by_unit(gaps, top=charts.MAX_TOP, stack="position_name"),
        charts.vacancies_by_unit(gaps, top=charts.MAX_TOP),
        charts.vacancies_by_group(gaps, by="sector"),
        charts.vacancies_by_group(gaps, by="funding_source"),
    ]
    by_unit = gaps.groupby(["unit_id", "unit_name"], as_index=False)[
        ["quota", "headcount", "expected_departures", "vacancies"]].sum()
    by_unit["hires"] = by_unit["vacancies"] // 2
    by_unit["remaining_vacancies"] = by_unit["vacancies"] - by_unit["hires"]
    by_unit["hires_cost"] = by_unit["hires"] * 1e8
    staff = by_unit["headcount"] - by_unit["expected_departures"]
    by_unit["fill_rate_before"] = staff / by_unit["quota"]
    by_unit["fill_rate_after"] = (staff + by_unit["hires"]) / by_unit["quota"]
    built += [charts.remaining_by_unit(by_unit, top=10_000),
              charts.fill_rate_by_unit(by_unit, top=10_000)]
    for chart in built:
        assert 0 < charts.chart_rows(chart) <= 4 * charts.MAX_TOP * (charts.MAX_CATEGORIES + 1)

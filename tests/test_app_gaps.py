"""AppTest: the app opens on the Gaps page of the sample; figures, charts, filters, language."""

from __future__ import annotations

from app_helpers import (
    chart_by_title,
    chart_rows,
    chart_specs,
    chart_titles,
    metrics,
    open_page,
    start,
)

from planner.domain.gaps import headline, staffing_gaps
from planner.domain.scenario import Scenario
from planner.i18n import fmt_money, fmt_number, fmt_percent
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES


def _sample_headline() -> dict:
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"],
                         SAMPLE_FILES["units"])
    rules = Scenario.from_toml((SAMPLE_FILES["quotas"].parent / "phuong_an_mau.toml")
                               .read_text(encoding="utf-8")).rules
    return headline(staffing_gaps(inputs.positions, rules=rules))


def test_opens_on_the_gaps_page_of_the_sample_with_its_headline_figures():
    at = start()
    assert at.header[0].value == "Thiếu hụt biên chế"
    h = _sample_headline()
    shown = metrics(at)
    assert shown["Biên chế được giao"] == fmt_number(h["quota"], "vi")
    assert shown["Số có mặt"] == fmt_number(h["headcount"], "vi")
    assert shown["Biên chế còn thiếu"] == fmt_number(h["vacancies"], "vi")
    assert shown["Dôi dư"] == fmt_number(h["surplus"], "vi")
    assert shown["Tỷ lệ lấp đầy"] == fmt_percent(h["fill_rate"], "vi")
    assert shown["Kinh phí lấp đầy (năm)"] == fmt_money(h["vacancy_cost"], "vi")
    assert "." in shown["Biên chế được giao"]  # 9.272: Vietnamese thousands separator
    # the cost of filling every vacancy per funding source is stated under the figures
    note = " ".join(c.value for c in at.caption)
    for source, word in (("state_budget", "Ngân sách nhà nước"),
                         ("fee_revenue", "Phí, lệ phí để lại")):
        assert f"{word} {fmt_money(h['vacancy_cost_by_source'][source], 'vi')}" in note
    # the sidebar names the dataset in use
    assert any("Tỉnh mẫu" in m.value for m in at.sidebar.markdown)


def test_the_vacancies_by_unit_chart_shows_the_units_with_most_vacancies():
    at = start()
    i = chart_by_title(at, "Biên chế còn thiếu theo đơn vị")
    rows = chart_rows(at, i)
    totals = {r["unit"]: r["unit_total"] for r in rows if "unit_total" in r}
    assert len(totals) == 20
    inputs = load_inputs(*SAMPLE_FILES.values())
    by_unit = staffing_gaps(inputs.positions).groupby("unit_name")["vacancies"].sum()
    assert max(totals.values()) == by_unit.max()
    assert min(totals.values()) >= by_unit.sort_values(ascending=False).iloc[19]
    assert any(t.startswith("Còn thiếu theo lĩnh vực") for t in chart_titles(at))
    assert any(t.startswith("Còn thiếu theo nguồn kinh phí") for t in chart_titles(at))


def test_search_and_top_n_change_the_chart_and_table():
    at = start()
    at.number_input(key="w_gaps_top").set_value(5).run()
    i = chart_by_title(at, "Biên chế còn thiếu theo đơn vị")
    assert len({r["unit"] for r in chart_rows(at, i) if "unit_total" in r}) == 5
    at.text_input(key="w_gaps_search").input("khanh son").run()  # diacritics ignored
    i = chart_by_title(at, "Biên chế còn thiếu theo đơn vị")
    units = {r["unit"] for r in chart_rows(at, i) if "unit_total" in r}
    assert units and all("Khánh Sơn" in u for u in units)
    table = at.dataframe[0].value
    assert len(table) and table["unit_name"].str.contains("Khánh Sơn").all()


def test_stacking_by_position_and_the_row_view_of_the_table():
    at = start()
    at.radio(key="w_gaps_stack@vi").set_value("position_name").run()
    i = chart_by_title(at, "Biên chế còn thiếu theo đơn vị")
    spec = chart_specs(at)[i]
    assert spec["layer"][0]["encoding"]["color"]["title"] == "Vị trí việc làm"
    positions = {r["category"] for r in chart_rows(at, i) if "category" in r}
    assert "Giáo viên" in positions
    at.radio(key="w_gaps_view@vi").set_value("position").run()
    table = at.dataframe[0].value
    assert {"position_name", "vacancies", "annual_cost_per_hire"} <= set(table.columns)
    assert (table["vacancies"] > 0).all()
    assert table["vacancies"].is_monotonic_decreasing


def test_the_english_switch_changes_labels_headers_and_chart_titles():
    at = start()
    at.sidebar.radio(key="w_lang").set_value("en").run()
    assert at.header[0].value == "Staffing gaps"
    shown = metrics(at)
    assert {"Approved quota", "On board", "Vacancies", "Surplus", "Fill rate"} <= set(shown)
    assert "," in shown["Approved quota"]  # 9,272
    assert any(t.startswith("Vacancies by unit") for t in chart_titles(at))
    assert at.radio(key="w_gaps_view@en").options == ["Unit", "Unit and job position"]
    # every page follows the language
    open_page(at, "data")
    assert at.header[0].value == "Data"
    assert at.button(key="load").label == "Load data"


def test_choices_survive_the_language_switch():
    at = start()
    at.radio(key="w_gaps_stack@vi").set_value("position_name").run()
    at.multiselect(key="w_gaps_types@vi").set_value(["civil_servant"]).run()
    at.sidebar.radio(key="w_lang").set_value("en").run()
    assert at.radio(key="w_gaps_stack@en").value == "position_name"
    assert at.multiselect(key="w_gaps_types@en").value == ["civil_servant"]
    assert "Filtered:" in " ".join(c.value for c in at.caption)  # the filter still applies
    i = chart_by_title(at, "Vacancies by unit")
    assert chart_specs(at)[i]["layer"][0]["encoding"]["color"]["title"] == "Job position"

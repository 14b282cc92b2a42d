"""The allocation workbook, read back with openpyxl: sheets, headers, formats, totals, printing.

Every workbook here comes from a real solve (the sample province with its sample scenario,
or tiny tables), exported with a fixed date.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from planner.api import solve as solve_scenario
from planner.domain.scenario import Scenario
from planner.export.workbook import plan_workbook
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO

DAY = dt.date(2026, 3, 5)
SHEETS = {"vi": ["Tóm tắt", "Theo đơn vị", "Chi tiết", "Tham số", "Kiểm tra"],
          "en": ["Summary", "By unit", "Detail", "Parameters", "Checks"]}
HEADER_ROW = 3  # 1-based: title, subtitle, header


@pytest.fixture(scope="module")
def sample():
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    allocation = solve_scenario(inputs, scenario)
    return inputs, scenario, allocation


@pytest.fixture(scope="module")
def books(sample):
    inputs, scenario, allocation = sample
    out = {}
    for lang in ("vi", "en"):
        out[lang] = plan_workbook(allocation, inputs=inputs, scenario=scenario, lang=lang,
                                  scenario_name="Phương án mẫu", created=DAY)
    return out


def load(data: bytes, data_only: bool = True) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


def header_of(ws, row: int = HEADER_ROW) -> list[str]:
    return [c.value for c in ws[row] if c.value is not None]


def column(ws, name: str, row: int = HEADER_ROW) -> int:
    """1-based column index of a header."""
    return header_of(ws, row).index(name) + 1


def data_rows(ws) -> list[int]:
    """Rows between the header and the total row (the total row is the last one used)."""
    return list(range(HEADER_ROW + 1, ws.max_row))


# --- sheets and headers ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sheets_are_named_in_the_language(books, lang):
    assert load(books[lang]).sheetnames == SHEETS[lang]


def test_vietnamese_headers(books):
    wb = load(books["vi"])
    by_unit = header_of(wb["Theo đơn vị"])
    assert by_unit[:9] == ["STT", "Mã đơn vị", "Tên đơn vị", "Biên chế được giao", "Số có mặt",
                           "Dự kiến nghỉ", "Biên chế chưa sử dụng",
                           "Điều chuyển nội bộ được (người)", "Đề xuất tuyển dụng"]
    assert "Kinh phí tuyển dụng (đ/năm)" in by_unit
    assert "Kinh phí tuyển dụng (triệu đồng/năm)" in by_unit
    detail = header_of(wb["Chi tiết"])
    assert detail[:5] == ["STT", "Mã đơn vị", "Tên đơn vị", "Mã vị trí", "Vị trí việc làm"]
    assert "Chi phí một người/năm (đ)" in detail
    assert wb["Tóm tắt"]["A1"].value == "Phương án tuyển dụng biên chế"


def test_english_headers(books):
    wb = load(books["en"])
    assert header_of(wb["By unit"])[:4] == ["No.", "Unit code", "Unit", "Approved quota"]
    assert "Cost of hires (million VND/year)" in header_of(wb["By unit"])
    assert header_of(wb["Detail"])[3:5] == ["Position code", "Job position"]
    assert wb["Summary"]["A1"].value == "Recruitment plan"
    assert header_of(wb["Checks"])[:4] == ["Type", "File", "Sheet", "Row"]


def test_detail_has_every_column_of_the_plan_and_one_row_per_position(books, sample):
    _, _, allocation = sample
    ws = load(books["en"])["Detail"]
    assert len(header_of(ws)) == 1 + len(allocation.plan.columns)  # STT + the plan
    assert len(data_rows(ws)) == len(allocation.plan) == 967


def test_codes_are_shown_in_words(books):
    ws = load(books["vi"])["Chi tiết"]
    types = {ws.cell(r, column(ws, "Loại")).value for r in data_rows(ws)}
    sources = {ws.cell(r, column(ws, "Nguồn kinh phí")).value for r in data_rows(ws)}
    assert types == {"Công chức", "Viên chức", "Hợp đồng"}
    assert sources == {"Ngân sách nhà nước", "Phí, lệ phí để lại"}


# --- formats ---------------------------------------------------------------------------------


def test_numbers_are_numbers_with_their_formats(books):
    ws = load(books["vi"])["Theo đơn vị"]
    formats = {
        "Biên chế được giao": "#,##0", "Đề xuất tuyển dụng": "#,##0",
        "Kinh phí tuyển dụng (đ/năm)": "#,##0",
        "Kinh phí tuyển dụng (triệu đồng/năm)": "#,##0.0",
        "Tỷ lệ lấp đầy trước tuyển": "0.0%", "Tỷ lệ lấp đầy sau tuyển": "0.0%",
    }
    for name, number_format in formats.items():
        col = column(ws, name)
        for r in data_rows(ws):
            cell = ws.cell(r, col)
            assert cell.number_format == number_format, (name, r)
            if cell.value is not None:
                assert cell.data_type == "n" and isinstance(cell.value, int | float), (name, r)
    cost = column(ws, "Kinh phí tuyển dụng (đ/năm)")
    million = column(ws, "Kinh phí tuyển dụng (triệu đồng/năm)")
    for r in data_rows(ws):
        assert ws.cell(r, cost).value == round(ws.cell(r, cost).value)  # whole đồng
        assert ws.cell(r, million).value == pytest.approx(ws.cell(r, cost).value / 1e6)


def test_no_number_is_stored_as_text(books):
    wb = load(books["vi"], data_only=False)
    for name in ("Theo đơn vị", "Chi tiết"):
        ws = wb[name]
        for row in ws.iter_rows(min_row=HEADER_ROW + 1):
            for cell in row:
                if cell.data_type == "s":
                    text = str(cell.value).replace(".", "").replace(",", "").strip()
                    assert not text.lstrip("-").isdigit(), (name, cell.coordinate, cell.value)


def test_date_is_a_real_date_shown_dd_mm_yyyy(books):
    wb = load(books["vi"])
    cell = wb["Tóm tắt"]["B2"]
    assert cell.value == dt.datetime(2026, 3, 5)
    assert cell.number_format == "dd/mm/yyyy"
    assert wb.properties.created == dt.datetime(2026, 3, 5)
    assert "05/03/2026" in wb["Chi tiết"]["A2"].value


# --- layout and printing ---------------------------------------------------------------------


@pytest.mark.parametrize("sheet", ["By unit", "Detail", "Checks"])
def test_frozen_header_autofilter_and_print_setup(books, sheet):
    ws = load(books["en"])[sheet]
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    last_col = openpyxl.utils.get_column_letter(len(header_of(ws)))
    assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:{last_col}")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    if sheet == "By unit":  # issue 16: ten key columns on the first page across, the rest
        # on a second, the row number, code and name repeated on the left of each
        assert ws.page_setup.fitToWidth == 2
        assert [b.id for b in ws.col_breaks.brk] == [9]  # after column J, the 10th
        assert len(header_of(ws)) > 10
        assert ws.print_title_cols == "$A:$C"
    else:
        assert ws.page_setup.fitToWidth in (1, None)  # 1 is the default and may be left out
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert "&P" in ws.oddFooter.center.text


def test_summary_and_parameters_print_on_a4_landscape_fitted_to_width(books):
    wb = load(books["vi"])
    for name, pages_high in (("Tóm tắt", (1, None)), ("Tham số", (0,))):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToHeight in pages_high  # the summary is one page (1: default)


def test_columns_have_sensible_widths(books):
    ws = load(books["vi"])["Theo đơn vị"]
    widths = {header_of(ws)[i]: ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
              for i in range(len(header_of(ws)))}
    longest_name = max(len(ws.cell(r, 3).value) for r in data_rows(ws))
    assert widths["Tên đơn vị"] >= longest_name
    assert all(6 <= w <= 50 for w in widths.values()), widths


def test_summary_has_the_chart_image(books):
    names = zipfile.ZipFile(io.BytesIO(books["vi"])).namelist()
    assert [n for n in names if n.startswith("xl/media/")] == ["xl/media/image1.png"]
    rels = zipfile.ZipFile(io.BytesIO(books["vi"])).read(
        "xl/worksheets/_rels/sheet1.xml.rels").decode()
    assert "drawing" in rels
    png = zipfile.ZipFile(io.BytesIO(books["vi"])).read("xl/media/image1.png")
    assert png.startswith(b"\x89PNG")


# --- totals ----------------------------------------------------------------------------------


def test_totals_equal_the_sums_of_the_detail(books, sample):
    _, _, allocation = sample
    wb = load(books["vi"])
    detail, by_unit = wb["Chi tiết"], wb["Theo đơn vị"]
    assert detail.cell(detail.max_row, column(detail, "Tên đơn vị")).value == "Tổng cộng"
    assert by_unit.cell(by_unit.max_row, column(by_unit, "Tên đơn vị")).value == "Tổng cộng"
    for name in ("Biên chế được giao", "Số có mặt", "Dự kiến nghỉ", "Biên chế chưa sử dụng",
                 "Đề xuất tuyển dụng", "Còn thiếu sau tuyển", "Kinh phí tuyển dụng (đ/năm)"):
        d_col, u_col = column(detail, name), column(by_unit, name)
        detail_sum = sum(detail.cell(r, d_col).value for r in data_rows(detail))
        assert detail.cell(detail.max_row, d_col).value == pytest.approx(detail_sum), name
        assert by_unit.cell(by_unit.max_row, u_col).value == pytest.approx(detail_sum), name
        unit_sum = sum(by_unit.cell(r, u_col).value for r in data_rows(by_unit))
        assert unit_sum == pytest.approx(detail_sum), name
    hires = column(detail, "Đề xuất tuyển dụng")
    assert detail.cell(detail.max_row, hires).value == allocation.total_hires
    cost = column(detail, "Kinh phí tuyển dụng (đ/năm)")
    assert detail.cell(detail.max_row, cost).value == pytest.approx(allocation.total_cost)


def test_total_rows_are_formulas_over_the_data(books):
    wb = load(books["vi"], data_only=False)
    ws = wb["Chi tiết"]
    col = openpyxl.utils.get_column_letter(column(ws, "Đề xuất tuyển dụng"))
    assert ws[f"{col}{ws.max_row}"].value == f"=SUM({col}{HEADER_ROW + 1}:{col}{ws.max_row - 1})"
    by_unit = wb["Theo đơn vị"]
    rate = by_unit.cell(by_unit.max_row, column(by_unit, "Tỷ lệ lấp đầy sau tuyển")).value
    assert rate.startswith("=IF(")


def test_summary_figures_match_the_plan(books, sample):
    _, _, allocation = sample
    ws = load(books["en"])["Summary"]
    figures = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    plan = allocation.plan
    assert figures["Approved quota"] == plan["quota"].sum()
    assert figures["On board"] == plan["headcount"].sum()
    assert figures["Vacancies before hiring"] == plan["vacancies"].sum()
    assert figures["Proposed hires"] == allocation.total_hires
    assert figures["Vacancies remaining after hiring"] == plan["remaining_vacancies"].sum()
    assert figures["Cost of hires (VND/year)"] == pytest.approx(allocation.total_cost)
    staying = plan["headcount"].sum() - plan["expected_departures"].sum()
    assert figures["Fill rate before hiring"] == pytest.approx(staying / plan["quota"].sum())
    assert figures["Fill rate after hiring"] == pytest.approx(
        (staying + allocation.total_hires) / plan["quota"].sum())
    # issue 16: page 1 in the officers' words; the solver's status, bound, gap and the input
    # fingerprint are on the Parameters sheet
    for solver_word in ("Status", "Optimality gap", "Best bound", "Solver", "Input fingerprint"):
        assert solver_word not in figures, solver_word
    words = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert "HiGHS" not in words and sample[0].fingerprint not in words
    assert "Units: people; money: VND per year (unless stated)." in words
    assert "PREPARED BY" in words and "HEAD OF THE UNIT" in words
    params = load(books["en"])["Parameters"]
    moved = {params.cell(r, 1).value: params.cell(r, 2).value
             for r in range(1, params.max_row + 1)}
    assert moved["Status"] == "Optimal"
    assert moved["Optimality gap"] == pytest.approx(allocation.gap)
    assert moved["Best bound"] == pytest.approx(allocation.best_bound)
    assert ws.cell(1, 1).value == "Recruitment plan"


def test_summary_compares_cost_with_the_budget_of_each_source(books, sample):
    _, scenario, allocation = sample
    ws = load(books["en"])["Summary"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 6)]
            for r in range(1, ws.max_row + 1)}
    for source, name in (("state_budget", "State budget"), ("fee_revenue", "Retained fees")):
        budget, cost, left, share = rows[name]
        assert budget == scenario.budgets[source]
        assert cost == pytest.approx(allocation.cost_by_source[source])
        assert left == pytest.approx(budget - cost)
        assert share == pytest.approx(cost / budget)
        assert cost <= budget + 1e-6
    assert rows["Total"][1] == pytest.approx(allocation.total_cost)


# --- traceability -----------------------------------------------------------------------------


def test_parameters_name_every_scenario_parameter_and_input_file(books, sample):
    inputs, scenario, _ = sample
    ws = load(books["en"])["Parameters"]
    keys = {ws.cell(r, 3).value: ws.cell(r, 2).value for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    assert keys["base_salary"] == scenario.base_salary
    assert keys["bonus_rate"] == pytest.approx(scenario.bonus_rate)
    assert keys["budgets.state_budget"] == scenario.budgets["state_budget"]
    assert keys["budgets.fee_revenue"] == scenario.budgets["fee_revenue"]
    assert keys["contribution_rates.civil_servant"] == pytest.approx(0.225)
    assert keys["objective"].startswith("Priority")
    assert keys["total_budget"] == "not set"
    values = [c.value for row in ws.iter_rows() for c in row]
    for f in inputs.files:
        assert f.fingerprint in values and f.name in values
    assert inputs.fingerprint in values


def test_checks_list_every_warning_and_skipped_row(books, sample):
    inputs, _, _ = sample
    ws = load(books["en"])["Checks"]
    kinds = [ws.cell(r, 1).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert kinds.count("Warning") == len(inputs.warnings)
    assert kinds.count("Skipped row") == len(inputs.skipped)
    message = column(ws, "Message")
    messages = [ws.cell(r, message).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert all(messages)


def test_the_same_plan_exported_twice_gives_the_same_workbook(books, sample):
    inputs, scenario, allocation = sample
    again = plan_workbook(allocation, inputs=inputs, scenario=scenario, lang="vi",
                          scenario_name="Phương án mẫu", created=DAY)
    assert again == books["vi"]  # byte for byte: no clock, no solve times
    first, second = load(books["vi"], data_only=False), load(again, data_only=False)
    for name in first.sheetnames:
        assert [[c.value for c in r] for r in first[name].iter_rows()] == \
               [[c.value for c in r] for r in second[name].iter_rows()]


def test_the_date_is_the_only_thing_that_changes_with_the_day(sample):
    inputs, scenario, allocation = sample
    a = load(plan_workbook(allocation, inputs=inputs, scenario=scenario, created=DAY))
    b = load(plan_workbook(allocation, inputs=inputs, scenario=scenario,
                           created=dt.date(2026, 3, 6)))
    differing = []
    for name in a.sheetnames:
        for ra, rb in zip(a[name].iter_rows(), b[name].iter_rows(), strict=True):
            differing += [(name, x.coordinate) for x, y in zip(ra, rb, strict=True)
                          if x.value != y.value]
    assert differing == [("Tóm tắt", "B2")] + [(s, "A2") for s in a.sheetnames[1:]]


def test_without_inputs_or_scenario_the_workbook_still_says_what_it_knows(sample):
    _, _, allocation = sample
    wb = load(plan_workbook(allocation, lang="en", created=DAY, chart=False))
    assert wb.sheetnames == SHEETS["en"]
    checks = [c.value for row in wb["Checks"].iter_rows() for c in row if c.value]
    assert any("without the inputs" in str(v) for v in checks)
    params = {wb["Parameters"].cell(r, 3).value for r in range(4, wb["Parameters"].max_row + 1)}
    assert "objective" in params  # from the allocation's own parameters


def test_unknown_language_is_refused(sample):
    with pytest.raises(ValueError, match="lang must be one of vi, en"):
        plan_workbook(sample[2], lang="fr")


def test_detail_sheet_reads_back_as_the_plan(books, sample):
    _, _, allocation = sample
    frame = pd.read_excel(io.BytesIO(books["en"]), sheet_name="Detail", header=HEADER_ROW - 1,
                          engine="openpyxl")
    frame = frame.iloc[:-1]  # the total row
    assert frame["Proposed hires"].astype(int).tolist() == allocation.plan["hires"].tolist()
    assert frame["Unit code"].tolist() == allocation.plan["unit_id"].tolist()


def test_an_infeasible_plan_is_exported_with_its_explanation_and_no_made_up_figures(sample):
    inputs, scenario, _ = sample
    demanding = scenario.with_changes(min_fill=0.9)
    allocation = solve_scenario(inputs, demanding)
    assert str(allocation.status) == "infeasible"
    wb = load(plan_workbook(allocation, inputs=inputs, scenario=demanding, lang="en",
                            created=DAY))
    ws = wb["Summary"]
    figures = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert figures["Status"] == "The requirements cannot all be met"
    assert figures["Explanation"].startswith("No plan")  # the CLI's wording, in English
    assert figures["Proposed hires"] is None  # blank, not a misleading 0
    assert figures["Vacancies remaining after hiring"] is None
    assert figures["Fill rate after hiring"] is None
    assert figures["Vacancies before hiring"] == allocation.plan["vacancies"].sum()
    by_unit = wb["By unit"]
    total = [c.value for c in by_unit[by_unit.max_row]]
    header = header_of(by_unit)
    assert total[header.index("Proposed hires")] is None
    assert total[header.index("Fill rate after hiring")] is None
    assert total[header.index("Approved quota")] == allocation.plan["quota"].sum()
    names = zipfile.ZipFile(io.BytesIO(plan_workbook(allocation, created=DAY))).namelist()
    assert not [n for n in names if n.startswith("xl/media/")]  # no chart of a plan not made

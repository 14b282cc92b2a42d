"""Validation (issue 2): every error and warning names file, sheet, Excel row, column and value.

All problems are reported at once; warnings (surplus, quota 0, departures above headcount) are
shown but never block the import. Files are written by the tests, as an office would type them.
"""

import pytest
from helpers_inputs import HEADER, by_code, csv_bytes, load, problems_of, xlsx

from planner.domain.problems import InputError, Severity
from planner.i18n import problem_line
from planner.io.inputs import load_inputs
from planner.io.sources import SourceFile

SHEET = "Biểu 1"
QUOTAS_HEADER = ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Hệ số lương",
                 "Loại"]


def quotas_book(*rows, header=QUOTAS_HEADER):
    """Title on row 1, header on row 2, data from row 3 (Excel rows as the user sees them)."""
    return xlsx([["BIỂU CHỈ TIÊU BIÊN CHẾ 2019"], header, *rows], title=SHEET)


def one(problems, code):
    found = by_code(problems, code)
    assert len(found) == 1, (code, [(p.code, p.row, p.column) for p in problems])
    return found[0]


def where(p):
    return (p.file, p.sheet, p.row, p.column, p.value)


# --- errors -----------------------------------------------------------------------------------


def test_missing_required_column_names_the_header_row_and_the_columns_found():
    book = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 12, 2.34, "công chức"],
                       header=["STT", "Vị trí việc làm", "Biên chế được giao", "Hệ số lương",
                               "Loại", "Số có mặt"])
    # issue 11: a table without job positions is a per-unit table; without units it is not
    p = one(problems_of(book), "missing_column")
    assert (p.file, p.sheet, p.row) == ("chi_tieu.xlsx", SHEET, 2)
    assert p.params["column_id"] == "unit_name"
    assert p.params["found"] == ["A · STT", "B · Vị trí việc làm", "C · Biên chế được giao",
                                 "D · Hệ số lương", "E · Loại", "F · Số có mặt"]
    assert "Unit" in problem_line(p, "en") and "F · Số có mặt" in problem_line(p, "en")


def test_missing_headcount_everywhere_is_an_error_naming_the_file():
    book = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 12, 2.34, "công chức"])
    p = one(problems_of(book), "no_headcount")
    assert (p.file, p.sheet) == ("chi_tieu.xlsx", SHEET)


@pytest.mark.parametrize(("typed", "code", "shown"), [
    (-3, "negative_number", "-3"),
    (2.5, "not_whole_number", "2.5"),
    ("2,5", "not_whole_number", "2,5"),
    ("mười", "not_a_number", "mười"),
    ("12 người", "not_a_number", "12 người"),
    (5_000_000, "count_too_large", "5000000"),
])
def test_bad_counts_name_row_column_and_value(typed, code, shown):
    book = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 12, 2.34, "công chức"],
                       [2, "Sở Tư pháp", "Văn thư", typed, 1.86, "công chức"],
                       header=[*QUOTAS_HEADER, "Số có mặt"])
    p = one(problems_of(book), code)
    assert where(p) == ("chi_tieu.xlsx", SHEET, 4, "D · Biên chế được giao", shown)
    assert p.severity is Severity.ERROR
    assert shown in problem_line(p, "vi") and "dòng 4" in problem_line(p, "vi")


def test_text_in_a_decimal_column_and_a_date_in_a_count_column():
    import datetime as dt

    book = quotas_book([1, "Sở Nội vụ", "Chuyên viên", dt.datetime(2019, 3, 12), "hai", "VC", 3],
                       header=[*QUOTAS_HEADER, "Số có mặt"])
    problems = problems_of(book)
    assert where(one(problems, "date_in_number")) == (
        "chi_tieu.xlsx", SHEET, 3, "D · Biên chế được giao", "12/03/2019")
    assert where(one(problems, "not_a_number")) == (
        "chi_tieu.xlsx", SHEET, 3, "E · Hệ số lương", "hai")


def test_unknown_staff_type_quotes_what_was_typed():
    book = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 12, 2.34, "biên chế"],
                       [2, "Sở Tư pháp", "Văn thư", 3, 1.86, "Viên chức"],
                       header=[*QUOTAS_HEADER, "Số có mặt"])
    p = one(problems_of(book), "unknown_staff_type")
    assert where(p) == ("chi_tieu.xlsx", SHEET, 3, "F · Loại", "biên chế")


def test_duplicate_unit_and_position_names_both_rows():
    book = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 12, 2.34, "CC", 10],
                       [2, "Sở Tư pháp", "Văn thư", 3, 1.86, "CC", 3],
                       [3, "SỞ NỘI VỤ", "chuyên  viên", 2, 2.34, "CC", 1],
                       header=[*QUOTAS_HEADER, "Số có mặt"])
    p = one(problems_of(book), "duplicate_key")
    assert where(p) == ("chi_tieu.xlsx", SHEET, 5, "B · Tên đơn vị", "SỞ NỘI VỤ / chuyên viên")
    assert p.params["first_row"] == 3


def test_headcount_row_with_no_quota_row_is_not_in_the_approved_plan():
    quotas = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 12, 2.34, "CC"])
    heads = xlsx([["Tên đơn vị", "Vị trí việc làm", "Số có mặt"],
                  ["Sở Nội vụ", "Chuyên viên", 10],
                  ["Sở Nội vụ", "Lái xe", 1]], title="Có mặt")
    p = one(problems_of(quotas, heads), "not_in_plan")
    assert where(p) == ("so_co_mat.xlsx", "Có mặt", 3, "B · Vị trí việc làm",
                        "Sở Nội vụ / Lái xe")
    assert p.params["quotas_file"] == "chi_tieu.xlsx"


def test_excel_errors_and_formulas_without_values_are_one_problem_per_cell():
    rows = [["BIỂU"], [*HEADER], ["Sở Nội vụ", "Chuyên viên", "=B9*2", 10, 2.34],
            ["Sở Tư pháp", "Văn thư", 3, None, 1.86]]
    book = xlsx(rows, title=SHEET, errors={"D4": "#DIV/0!"})
    problems = problems_of(book)
    assert [where(p) for p in problems if p.is_error] == [
        ("chi_tieu.xlsx", SHEET, 3, "C · Biên chế được giao", "=B9*2"),
        ("chi_tieu.xlsx", SHEET, 4, "D · Số có mặt", "#DIV/0!"),
    ]
    assert [p.code for p in problems if p.is_error] == ["formula_no_value", "excel_error"]


def test_merged_cells_over_counts_are_refused_row_by_row():
    rows = [[*HEADER], ["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34],
            ["Sở Nội vụ", "Văn thư", None, 3, 1.86]]
    problems = problems_of(xlsx(rows, merges=["C2:C3"], title=SHEET))
    assert [where(p) for p in problems] == [
        ("chi_tieu.xlsx", SHEET, 2, "C · Biên chế được giao", "C2:C3"),
        ("chi_tieu.xlsx", SHEET, 3, "C · Biên chế được giao", "C2:C3")]


def test_minimum_above_maximum_hires():
    rows = [[*HEADER, "Tuyển tối thiểu", "Tuyển tối đa"],
            ["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34, 3, 1]]
    p = one(problems_of(xlsx(rows, title=SHEET)), "min_above_max")
    assert where(p) == ("chi_tieu.xlsx", SHEET, 2, "F · Tuyển tối thiểu", "3 > 1")


# --- all at once --------------------------------------------------------------------------------


def test_five_different_mistakes_give_five_problems_at_once():
    book = quotas_book(
        [1, "Sở Nội vụ", "Chuyên viên", -2, 2.34, "CC", 10],        # negative quota
        [2, "Sở Tư pháp", "Văn thư", 3, 1.86, "CC", 2.5],           # fractional headcount
        [3, "Sở Y tế", "Bác sĩ", 40, "hai phẩy ba", "VC", 38],     # text in a number column
        [4, "Sở Công Thương", "Kế toán", 2, 2.34, "biệt phái", 1],  # unknown staff type
        [5, "Sở Tư pháp", "Văn thư", 1, 1.86, "CC", 1],             # duplicate of row 4
        header=[*QUOTAS_HEADER, "Số có mặt"])
    problems = problems_of(book)
    errors = [p for p in problems if p.is_error]
    assert sorted((p.row, p.code) for p in errors) == [
        (3, "negative_number"), (4, "not_whole_number"), (5, "not_a_number"),
        (6, "unknown_staff_type"), (7, "duplicate_key")]
    assert all(p.file == "chi_tieu.xlsx" and p.sheet == SHEET and p.column for p in errors)


def test_problems_in_both_files_are_reported_together_and_nothing_is_imported():
    quotas = quotas_book([1, "Sở Nội vụ", "Chuyên viên", "x", 2.34, "CC"])
    heads = xlsx([["Tên đơn vị", "Vị trí việc làm", "Số có mặt"],
                  ["Sở Nội vụ", "Chuyên viên", -1]], title="Có mặt")
    with pytest.raises(InputError) as info:
        load(quotas, heads)
    assert sorted((p.file, p.row, p.code) for p in info.value.errors) == [
        ("chi_tieu.xlsx", 3, "not_a_number"), ("so_co_mat.xlsx", 2, "negative_number")]


def test_a_blank_required_cell_is_reported_once():
    rows = [[*HEADER], ["Sở Nội vụ", None, 12, 10, 2.34], ["Sở Tư pháp", "Văn thư", None, 3, 1.86]]
    problems = problems_of(xlsx(rows, title=SHEET))
    assert sorted((p.row, p.column, p.code) for p in problems if p.is_error) == [
        (2, "B · Vị trí việc làm", "blank_required"),
        (3, "C · Biên chế được giao", "blank_required")]


# --- warnings do not block ------------------------------------------------------------------------


def test_warnings_in_a_combined_table_cite_its_rows_and_do_not_block():
    rows = [["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt",
             "Dự kiến nghỉ", "Hệ số lương"],
            ["Sở Nội vụ", "Chuyên viên", 10, 12, 0, 2.34],   # surplus 2
            ["Sở Tư pháp", "Văn thư", 0, 0, 0, 1.86],        # quota 0
            ["Sở Y tế", "Bác sĩ", 5, 1, 3, 2.34]]            # departures above headcount
    inputs = load(xlsx(rows, title=SHEET))
    assert len(inputs.positions) == 3
    got = {p.code: p for p in inputs.warnings}
    assert set(got) == {"surplus", "zero_quota", "departures_above_headcount"}
    assert where(got["surplus"]) == ("chi_tieu.xlsx", SHEET, 2, "D · Số có mặt", "12")
    assert got["surplus"].params["surplus"] == 2 and got["surplus"].params["quota"] == 10
    assert where(got["zero_quota"]) == ("chi_tieu.xlsx", SHEET, 3, "C · Biên chế được giao", "0")
    assert where(got["departures_above_headcount"]) == (
        "chi_tieu.xlsx", SHEET, 4, "E · Dự kiến nghỉ", "3")
    assert all(p.severity is Severity.WARNING for p in inputs.warnings)
    assert "12 on board: 2 above the approved quota of 10" in problem_line(got["surplus"], "en")


def test_headcount_warnings_cite_the_headcounts_file_row_the_number_came_from():
    quotas = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 10, 2.34, "CC"],
                         [2, "Sở Y tế", "Bác sĩ", 5, 2.34, "VC"])
    heads = xlsx([["SỐ CÓ MẶT"], [],
                  ["Tên đơn vị", "Vị trí việc làm", "Số có mặt", "Dự kiến nghỉ hưu"],
                  ["Sở Y tế", "Bác sĩ", 1, 3],
                  ["Sở Nội vụ", "Chuyên viên", 12, 0]], title="Có mặt")
    inputs = load(quotas, heads)
    got = {p.code: p for p in inputs.warnings}
    assert where(got["departures_above_headcount"]) == (
        "so_co_mat.xlsx", "Có mặt", 4, "D · Dự kiến nghỉ hưu", "3")
    assert got["departures_above_headcount"].params["headcount"] == 1
    assert where(got["surplus"]) == ("so_co_mat.xlsx", "Có mặt", 5, "C · Số có mặt", "12")


def test_quota_row_missing_from_the_headcounts_file_is_a_warning_counted_as_zero():
    quotas = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 10, 2.34, "CC"],
                         [2, "Sở Y tế", "Bác sĩ", 5, 2.34, "VC"])
    heads = xlsx([["Tên đơn vị", "Vị trí việc làm", "Số có mặt"],
                  ["Sở Nội vụ", "Chuyên viên", 8]])
    inputs = load(quotas, heads)
    p = one(inputs.warnings, "no_headcount_row")
    assert where(p) == ("chi_tieu.xlsx", SHEET, 4, "", "Sở Y tế / Bác sĩ")
    assert list(inputs.positions["headcount"]) == [8, 0]


def test_missing_salary_coefficient_is_budgeted_at_the_default_with_a_warning():
    from planner.domain.gaps import staffing_gaps

    rows = [[*HEADER], ["Sở Nội vụ", "Chuyên viên", 12, 10, None]]
    inputs = load(xlsx(rows, title=SHEET))
    p = one(inputs.warnings, "default_coefficient")
    assert where(p) == ("chi_tieu.xlsx", SHEET, 2, "E · Hệ số lương", "")
    # the reader keeps the blank; the scenario's default (2.34 unless set) costs it
    assert inputs.positions["salary_coefficient"].isna().tolist() == [True]
    gaps = staffing_gaps(inputs.positions)
    assert gaps["salary_coefficient"].tolist() == [2.34]
    assert gaps["coefficient_defaulted"].tolist() == [True]
    # civil servant: 12 months × 2,530,000 × 2.34 × (1 + 25 % allowance + 22.5 % + 10 % bonus)
    assert gaps["annual_cost_per_hire"].tolist() == [round(12 * 2_530_000 * 2.34 * 1.575)]


def test_sheet_option_with_a_csv_is_ignored_with_a_warning():
    data = csv_bytes([HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, "2,34"]])
    inputs = load(data, name="q.csv", sheet="Biểu 2")
    p = one(inputs.warnings, "sheet_in_csv")
    assert p.file == "q.csv" and p.params["sheet"] == "Biểu 2"


def test_header_without_data_rows_is_an_error_listing_what_was_skipped():
    rows = [["BIỂU"], [*HEADER], ["Khối Sở, ban, ngành"], ["Tổng cộng", None, 0, 0]]
    with pytest.raises(InputError) as info:
        load(xlsx(rows, title=SHEET))
    p = one(info.value.problems, "no_data_rows")
    assert (p.file, p.sheet, p.row) == ("chi_tieu.xlsx", SHEET, 2)
    assert [(s.row, s.kind) for s in info.value.skipped] == [(1, "title"), (3, "group"),
                                                             (4, "total")]


def test_problem_table_has_one_row_per_problem_errors_first_in_both_languages():
    book = quotas_book([1, "Sở Nội vụ", "Chuyên viên", -1, 2.34, "CC", 0],
                       [2, "Sở Tư pháp", "Văn thư", 0, 1.86, "công chức", 0],
                       header=[*QUOTAS_HEADER, "Số có mặt"])
    with pytest.raises(InputError) as info:
        load(book)
    for lang, word in (("vi", "số âm"), ("en", "negative")):
        table = info.value.table(lang)
        assert list(table.columns) == ["severity", "file", "sheet", "row", "column", "value",
                                       "message", "code"]
        assert table.loc[0, "severity"] == "error" and word in table.loc[0, "message"]
        assert table.loc[0, "row"] == 3 and table.loc[0, "value"] == "-1"


def test_every_problem_code_in_the_reader_has_a_message_in_both_catalogues():
    import re
    from pathlib import Path

    from planner.i18n import catalogue
    from planner.io.numbers import DATE_IN_NUMBER, EXCEL_ERROR, FORMULA, NOT_A_NUMBER

    root = Path(__file__).resolve().parent.parent / "planner"
    sources = [*root.joinpath("io").glob("*.py"), root / "domain" / "schemas.py"]
    codes = {DATE_IN_NUMBER, EXCEL_ERROR, FORMULA, NOT_A_NUMBER}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'code="(\w+)"', text))
        codes |= set(re.findall(r'\bfile_problem\([^()]*?, "(\w+)"', text))
        codes |= set(re.findall(r'_check\(.*?, "(\w+)"\)', text))
        codes |= set(re.findall(r'"(\w+)", severity=Severity\.WARNING', text))
        codes |= set(re.findall(r'_cell_problem\(\s*\w+, \w+, \w+, [^,]+,\s*"(\w+)"', text))
    assert len(codes) > 40
    for lang in ("vi", "en"):
        missing = {c for c in codes if f"problem.{c}" not in catalogue(lang)}
        assert not missing, (lang, missing)


def test_units_table_duplicates_are_errors_and_unknown_units_warnings():
    quotas = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 10, 2.34, "CC", 8],
                         header=[*QUOTAS_HEADER, "Số có mặt"])
    units = xlsx([["Tên đơn vị", "Tuyển tối đa", "Trần kinh phí"],
                  ["Sở Nội vụ", 3, "1.000.000.000"], ["Sở Y tế", 2, None]], title="Đơn vị")
    inputs = load_inputs(SourceFile("chi_tieu.xlsx", quotas), units=SourceFile("don_vi.xlsx",
                                                                               units))
    p = one(inputs.warnings, "unit_not_in_plan")
    assert where(p) == ("don_vi.xlsx", "Đơn vị", 3, "A · Tên đơn vị", "Sở Y tế")
    assert inputs.units.to_dict("records")[0]["budget_cap"] == 1_000_000_000
    twice = xlsx([["Tên đơn vị", "Tuyển tối đa"], ["Sở Nội vụ", 3], ["SỞ NỘI VỤ", 2]])
    with pytest.raises(InputError) as info:
        load_inputs(SourceFile("chi_tieu.xlsx", quotas), units=SourceFile("don_vi.xlsx", twice))
    p = one(info.value.errors, "duplicate_key")
    assert (p.file, p.row, p.value, p.params["first_row"]) == ("don_vi.xlsx", 3, "SỞ NỘI VỤ", 2)


def test_units_with_a_code_and_no_settings_are_units_not_group_rows():
    quotas = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 10, 2.34, "CC", 8],
                         header=[*QUOTAS_HEADER, "Số có mặt"])
    units = xlsx([["Mã đơn vị", "Tên đơn vị", "Tuyển tối đa"],
                  [None, "I. Khối Sở, ban, ngành", None],
                  ["S03", "Sở Nội vụ", None],
                  ["S04", "Sở Tư pháp", 2],
                  ["S05", "Sở Y tế", None],
                  [None, "Tổng cộng", 2]])
    inputs = load_inputs(SourceFile("chi_tieu.xlsx", quotas),
                         units=SourceFile("don_vi.xlsx", units))
    assert list(inputs.units["unit_name"]) == ["Sở Nội vụ"]  # the unit of the plan
    # the units outside the plan are read and reported, the last one too (not a footer)
    assert [p.row for p in inputs.warnings if p.code == "unit_not_in_plan"] == [4, 5]
    assert [(s.row, s.kind) for s in inputs.skipped if s.file == "don_vi.xlsx"] == [
        (2, "group"), (6, "total")]


def test_headcount_column_in_the_quotas_table_is_ignored_when_a_headcounts_file_is_given():
    quotas = quotas_book([1, "Sở Nội vụ", "Chuyên viên", 10, 2.34, "CC", 99],
                         header=[*QUOTAS_HEADER, "Số có mặt"])
    heads = xlsx([["Tên đơn vị", "Vị trí việc làm", "Số có mặt"], ["Sở Nội vụ", "Chuyên viên", 8]])
    inputs = load(quotas, heads)
    p = one(inputs.warnings, "headcount_column_ignored")
    assert (p.file, p.row, p.column, p.params["other"]) == ("chi_tieu.xlsx", 2, "G · Số có mặt",
                                                            "so_co_mat.xlsx")
    assert list(inputs.positions["headcount"]) == [8]

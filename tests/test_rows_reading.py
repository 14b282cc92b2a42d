"""What each row below a header is, on rows typed the way offices type them (issue 18).

The rule (planner/io/rows.py, README "Files as offices type them"): groups are numbered I, II,
III or A, B and named "Khối …", "Nhóm …", "Lĩnh vực …", "Cấp tỉnh …"; "Cộng" closes a group
and "Tổng cộng" the table; signature lines, place and date come below the last number; a row
of column numbers "(1) (2) (3)" may sit under the header.
"""

import math

import pytest

from planner.domain.columns import HEADCOUNTS, QUOTAS, UNITS
from planner.io.rows import (
    Entry,
    classify_rows,
    group_level,
    is_blank_row,
    is_column_numbers,
    is_filled,
    is_footer_text,
    is_group_name,
    is_total_label,
    total_scope,
)


@pytest.mark.parametrize("label", [
    "Tổng cộng", "TỔNG CỘNG", "Tổng cộng toàn tỉnh", "Tổng số", "Tổng số biên chế",
    "tổng  cộng", "Total", "Grand total", "Subtotal", "Sub total", "Cộng", "Cộng:", "Cộng khối II",
    "Cộng (I)", "Cộng I", "Cộng 1", "Tổng", "Tổng:", "Sum", "Tổng các đơn vị", "Cộng toàn tỉnh",
    "Tong cong", "TONG CONG", "tong so", "Cong", "cong khoi II", "Tong", "sum", "total 2019",
])
def test_total_labels(label):
    assert is_total_label(label)


@pytest.mark.parametrize("label", [
    "", " ", "Công an tỉnh", "Công ty Điện lực", "Tổng công ty Cảng", "Tổng cục Thuế",
    "Cộng đồng dân cư", "Cong ty Dien luc", "Tong cuc Thue", "Tổng hợp xã Cam Hải", "Sở Tài chính",
    "Trường THPT Tổng cộng", "Summit", "Totality", "Tổngcộng", "Cộngđồng",
    "Tổng cộng " + "x " * 10,
])
def test_unit_names_are_not_totals(label):
    assert not is_total_label(label)


def test_a_long_label_starting_with_a_total_word_is_not_a_total():
    # more than ten words: a sentence, not a total label
    assert is_total_label("Tổng cộng " + " ".join(["các"] * 8))  # 10 words
    assert not is_total_label("Tổng cộng " + " ".join(["các"] * 9))  # 11 words


@pytest.mark.parametrize(("label", "scope"), [
    ("Tổng cộng", "grand"), ("Tổng số", "grand"), ("TOTAL", "grand"), ("Grand total", "grand"),
    ("Cộng", "sub"), ("Cộng khối II", "sub"), ("Sum", "sub"), ("Subtotal", "sub"),
])
def test_total_scope(label, scope):
    assert total_scope(label) == scope


@pytest.mark.parametrize(("stt", "level"), [
    ("I", "roman"), ("II", "roman"), ("IV", "roman"), ("IX", "roman"), ("XIV", "roman"),
    ("xl", "roman"), ("XC", "roman"), ("CIII", "roman"), (" III ", "roman"),
    ("A", "letter"), ("b", "letter"), ("Đ", "letter"),
    ("", None), ("1", None), ("12", None), ("IIII", None), ("VV", None), ("IC", None),
    ("AB", None), ("1.1", None), ("MM", None), ("CCCC", None),
])
def test_group_numbers(stt, level):
    assert group_level(stt) == level


@pytest.mark.parametrize(("name", "group"), [
    ("Khối Sở, ban, ngành", True), ("KHỐI HUYỆN", True), ("Nhóm sự nghiệp giáo dục", True),
    ("Lĩnh vực y tế", True), ("Cấp tỉnh", True), ("Cấp huyện", True), ("Cấp xã", True),
    ("Ngành giáo dục", True), ("Sở Nội vụ", False), ("Khối", False), ("Trường THPT Khối A", False),
    ("", False),
])
def test_group_names(name, group):
    assert is_group_name(name) is group


@pytest.mark.parametrize(("text", "footer"), [
    ("Nha Trang, ngày 15 tháng 3 năm 2019", True), ("ngày ... tháng ... năm", True),
    ("Người lập biểu", True), ("NGƯỜI LẬP", True), ("Thủ trưởng đơn vị", True),
    ("Giám đốc", True), ("KT. CHỦ TỊCH", True), ("(Ký tên, đóng dấu)", True),
    ("(Ký, ghi rõ họ tên)", True), ("Nơi nhận:", True), ("Kế toán trưởng", True),
    ("Trưởng phòng", True), ("Xác nhận của cơ quan", True),
    ("Sở Nội vụ", False), ("Chuyên viên", False), ("", False),
])
def test_footer_text(text, footer):
    assert is_footer_text(text) is footer


@pytest.mark.parametrize(("cells", "numbers"), [
    (["(1)", "(2)", "(3)"], True), (["1", "2", "3", "4"], True), (["(1)", "", "(2)"], True),
    (["(4)", "(5)=(3)-(4)"], True), (["1", "2"], True), (["( 1 )", "( 2 )"], True),
    (["1", "3", "2"], False),  # numbers out of order: data
    (["1", "1"], False), (["1"], False), (["", "(1)"], False), (["1", "Sở Nội vụ"], False),
    (["1000", "2000"], False), (["12", "2.34"], False),
])
def test_rows_of_column_numbers(cells, numbers):
    assert is_column_numbers(cells) is numbers


@pytest.mark.parametrize(("value", "filled"), [
    (None, False), ("", False), ("  ", False), (math.nan, False), ("x", True), (0, True),
    (0.0, True), (False, True), ("0", True),
])
def test_filled_cells(value, filled):
    assert is_filled(value) is filled


def test_blank_rows():
    assert is_blank_row([])
    assert is_blank_row([None, "", "  ", math.nan])
    assert not is_blank_row([None, 0])
    assert not is_blank_row([None, "x"])
    assert not is_blank_row([math.nan, False])


# --- classify_rows ---------------------------------------------------------------------------

QUOTA_COLUMNS = {"row_number": 0, "unit_name": 1, "position_name": 2, "quota": 3}


def kinds(rows, header_end=1, columns=None, spec=QUOTAS):
    entries = classify_rows(rows, header_end, columns or QUOTA_COLUMNS, spec)
    return [(e.i, e.kind, e.level) for e in entries]


def test_a_typical_quota_sheet():
    rows = [
        ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],  # 0 header
        ["(1)", "(2)", "(3)", "(4)"],                                     # 1
        ["A", "Khối tỉnh", None, None],                                   # 2
        ["I", "Sở, ban, ngành", None, None],                              # 3
        [1, "Sở Nội vụ", "Chuyên viên", 12],                              # 4
        [2, "Sở Nội vụ", "Văn thư", "3"],                                 # 5
        [None, None, None, None],                                         # 6
        [None, "Cộng I", None, 15],                                       # 7
        ["II", "Khối huyện", None, None],                                 # 8
        [3, "UBND huyện Cam Lâm", "Chuyên viên", 7],                      # 9
        ["", "Cộng", "", 7],                                              # 10
        ["", "Tổng cộng", "", 22],                                        # 11
        ["", "Nha Trang, ngày 15 tháng 3 năm 2019", "", None],            # 12
        ["", "", "Người lập biểu", None],                                 # 13
        ["", "Nguyễn Văn A", "", None],                                   # 14
    ]
    assert kinds(rows) == [
        (1, "column_numbers", None), (2, "group", "letter"), (3, "group", "roman"),
        (4, "data", None), (5, "data", None), (6, "blank", None), (7, "total", "sub"),
        (8, "group", "roman"), (9, "data", None), (10, "total", "sub"), (11, "total", "grand"),
        (12, "footer", None), (13, "footer", None), (14, "footer", None),
    ]


def test_bare_numbers_are_column_numbers_only_right_under_the_header():
    # "1 2 3 4" below a data row may be data; "(1) (2) (3) (4)" never is (issue 11, item 5:
    # column-number rows in every style, wherever they stand, are skipped and listed)
    head = ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"]
    data = [1, "Sở Nội vụ", "Chuyên viên", 12]
    assert kinds([head, data, [1, 2, 3, 4]]) == [(1, "data", None), (2, "data", None)]
    assert kinds([head, data, ["(1)", "(2)", "(3)", "(4)"]]) == [
        (1, "data", None), (2, "column_numbers", None)]
    assert kinds([head, [1, 2, 3, 4], data])[0] == (1, "column_numbers", None)


def test_a_group_named_by_its_words_or_without_numbers():
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            ["", "Lĩnh vực giáo dục", "", ""],
            ["", "Trường THPT A", "", ""],            # a unit heading its positions
            [1, "", "Giáo viên", 20],
            ["", "Giám đốc sở ký duyệt", "", ""],     # footer words above the last number
            [2, "", "Giáo viên", 5]]
    assert kinds(rows) == [(1, "group", None), (2, "group", None), (3, "data", None),
                           (4, "footer", None), (5, "data", None)]


def test_rows_below_the_last_number():
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            [1, "Sở Nội vụ", "Chuyên viên", 12],
            ["", "Sở Y tế", "Bác sĩ", ""],    # unit and position named: still data
            ["", "Ghi chú: số liệu tạm tính", "", ""],
            ["", "Sở Tư pháp", "", ""]]       # once in the footer, always in the footer
    assert kinds(rows) == [(1, "data", None), (2, "data", None), (3, "footer", None),
                           (4, "footer", None)]


def test_a_row_with_text_in_a_number_column_stays_data_below_the_last_number():
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            [1, "Sở Nội vụ", "Chuyên viên", 12],
            [2, "Sở Y tế", "Bác sĩ", "mười"]]
    assert kinds(rows)[1] == (2, "data", None)


def test_a_total_in_the_row_number_or_position_column():
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            [1, "Sở Nội vụ", "Chuyên viên", 12],
            ["Cộng", "", "", 12],
            ["", "", "Tổng cộng", 12]]
    assert kinds(rows) == [(1, "data", None), (2, "total", "sub"), (3, "total", "grand")]


def test_a_units_table_names_units_by_code():
    columns = {"row_number": 0, "unit_id": 1, "unit_name": 2, "max_hires": 3}
    rows = [["STT", "Mã đơn vị", "Tên đơn vị", "Tối đa tuyển"],
            ["I", "", "Khối sở", None],
            [1, "SNV", "Sở Nội vụ", None],      # a unit without settings, named by its code
            [2, "II", "Sở Y tế", 3],            # a code like a group number is no code
            [None, "", "Cộng", 3],
            [None, "", "Sở Tư pháp", None]]
    assert kinds(rows, columns=columns, spec=UNITS) == [
        (1, "group", "roman"), (2, "data", None), (3, "data", None), (4, "total", "sub"),
        (5, "footer", None)]


def test_a_later_row_of_column_numbers_with_a_formula_is_column_numbers():
    # a form printed over several pages repeats its column numbers; "4=3-2" says so even
    # without brackets, while text digits "1 2 3 4" below data may be a row of counts
    head = ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"]
    data = [1, "Sở Nội vụ", "Chuyên viên", 12]
    assert kinds([head, data, ["1", "2", "3", "4=3-2"], data]) == [
        (1, "data", None), (2, "column_numbers", None), (3, "data", None)]
    assert kinds([head, data, ["1", "2", "3", "4"]]) == [(1, "data", None), (2, "data", None)]


def test_a_place_and_date_line_split_over_cells_is_a_footer():
    # "Nha Trang, ngày 15" | "tháng 3 năm 2019": typed over the name and position columns
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            [1, "Sở Nội vụ", "Chuyên viên", 12],
            ["", "Nha Trang, ngày 15", "tháng 3 năm 2019", None]]
    assert kinds(rows) == [(1, "data", None), (2, "footer", None)]


def test_a_unit_heading_with_its_code_in_a_quota_table_is_a_group():
    # a unit named (with its code) above its positions, as in a per-unit form: a heading,
    # not a post with a blank quota
    columns = {"row_number": 0, "unit_id": 1, "unit_name": 2, "position_name": 3, "quota": 4}
    rows = [["STT", "Mã đơn vị", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            ["", "THPT-A", "Trường THPT A", "", ""],
            [1, "", "", "Giáo viên", 20],
            [2, "", "", "Kế toán", 1]]
    assert kinds(rows, columns=columns) == [(1, "group", None), (2, "data", None),
                                           (3, "data", None)]


def test_a_table_keyed_by_codes_alone_reads_every_coded_row_as_data():
    """An HR database export (unit_id, position_id, figures): a row giving both codes is a
    post even with its figure blank, wherever it stands (issue 18: such a row was taken for a
    group heading, or below the last number for a footer, and dropped)."""
    columns = {"unit_id": 0, "position_id": 1, "headcount": 2}
    rows = [["unit_id", "position_id", "headcount"],
            ["SNV", "CV", 10], ["SNV", "VT", None], ["CC", "KT", None],  # CC: a chi cục
            ["STP", "CV", 7], ["STP", "KT", ""]]
    assert kinds(rows, columns=columns, spec=HEADCOUNTS) == [
        (1, "data", None), (2, "data", None), (3, "data", None), (4, "data", None),
        (5, "data", None)]


def test_a_blank_figure_in_a_codes_only_export_is_refused_naming_its_cell():
    from planner.domain.problems import InputError
    from planner.io.inputs import load_inputs
    from planner.io.sources import SourceFile

    quotas = SourceFile("chi_tieu.csv", (
        "Mã đơn vị,Tên đơn vị,Mã vị trí,Vị trí việc làm,Biên chế được giao\n"
        "SNV,Sở Nội vụ,CV,Chuyên viên,12\nSNV,Sở Nội vụ,VT,Văn thư,2\n"
        "STP,Sở Tư pháp,CV,Chuyên viên,9\n").encode())
    export = SourceFile("export.csv", b"unit_id,position_id,headcount\nSNV,CV,10\nSNV,VT,\n"
                                      b"STP,CV,\n")
    with pytest.raises(InputError) as caught:
        load_inputs(quotas, export)
    blank = [(p.code, p.file, p.row, p.column) for p in caught.value.errors]
    assert blank == [("blank_required", "export.csv", 3, "C · headcount"),
                     ("blank_required", "export.csv", 4, "C · headcount")]


def test_a_units_table_without_row_numbers_puts_group_numbers_in_the_code_column():
    # no STT column: "I", "II" head the groups in the code column; neither is a unit
    columns = {"unit_id": 0, "unit_name": 1, "max_hires": 2}
    rows = [["Mã đơn vị", "Tên đơn vị", "Tối đa tuyển"],
            ["I", "Các cơ quan hành chính", None],
            ["SNV", "Sở Nội vụ", None],
            ["II", "Các đơn vị sự nghiệp", None],
            ["BVT", "Bệnh viện tỉnh", 4]]
    assert kinds(rows, columns=columns, spec=UNITS) == [
        (1, "group", None), (2, "data", None), (3, "group", None), (4, "data", None)]


def test_a_units_table_with_no_setting_filled_lists_every_unit():
    # no number anywhere: every row naming a unit by code and name is a unit
    columns = {"unit_id": 0, "unit_name": 1, "max_hires": 2}
    rows = [["Mã đơn vị", "Tên đơn vị", "Tối đa tuyển"],
            ["SNV", "Sở Nội vụ", None], ["STP", "Sở Tư pháp", ""]]
    assert kinds(rows, columns=columns, spec=UNITS) == [(1, "data", None), (2, "data", None)]


def test_a_unit_whose_only_setting_is_a_budget_typed_with_dots_is_a_unit():
    # "1.500.000.000" (1.5 tỷ as an officer types it, as text) is a number in a money column
    columns = {"unit_name": 0, "max_hires": 1, "budget_cap": 2}
    rows = [["Tên đơn vị", "Tối đa tuyển", "Kinh phí tối đa"],
            ["Sở Nội vụ", None, "1.500.000.000"]]
    assert kinds(rows, columns=columns, spec=UNITS) == [(1, "data", None)]


def test_the_last_post_may_bear_a_title_of_the_signature_lines():
    # "Kế toán trưởng", "Trưởng phòng", "Giám đốc" are posts too: the last numbered row is data
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            [1, "Sở Tài chính", "Chuyên viên", 12],
            [2, "Sở Tài chính", "Kế toán trưởng", 1],
            ["", "Người lập biểu", "Kế toán trưởng", None]]
    assert kinds(rows) == [(1, "data", None), (2, "data", None), (3, "footer", None)]


def test_a_post_below_the_last_number_with_a_figure_in_words_stays_data():
    # its unit carried from above, its quota typed "mười": read (and refused for the word),
    # never dropped as a footer
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            [1, "Sở Y tế", "Bác sĩ", 12],
            ["", "", "Điều dưỡng", "mười"]]
    assert kinds(rows) == [(1, "data", None), (2, "data", None)]


def test_a_sheet_blank_below_its_header():
    assert kinds([["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
                  [None, None, None, None], ["", " ", None, None]]) == [
        (1, "blank", None), (2, "blank", None)]


def test_a_repeated_row_of_column_numbers_with_a_sum_in_the_name_column():
    # "10=8+9" (six characters) under the name column of a repeated row of column numbers
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            [1, "Sở Nội vụ", "Chuyên viên", 12],
            ["1", "10=8+9", "11", "12"],
            [2, "Sở Nội vụ", "Văn thư", 3]]
    assert kinds(rows) == [(1, "data", None), (2, "column_numbers", None), (3, "data", None)]


def test_a_numbered_grand_total_is_a_grand_total():
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],
            [1, "Sở Nội vụ", "Chuyên viên", 12],
            ["I+II", "Tổng cộng", "", 12]]
    assert kinds(rows)[1] == (2, "total", "grand")


def test_entries_are_frozen_with_their_defaults():
    e = Entry(3, "data")
    assert (e.i, e.kind, e.level) == (3, "data", None)
    with pytest.raises(AttributeError):
        e.kind = "group"  # type: ignore[misc]

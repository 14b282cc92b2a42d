"""Reading files as offices type them (issue 2): one test per layout, each from a file written here.

Every test asserts the imported rows and that the totals after import equal the typed data rows
(never a subtotal counted as data, never a data row dropped).
"""

import pytest
from helpers_inputs import (
    HEADER,
    by_code,
    csv_bytes,
    load,
    problems_of,
    rows_of,
    skipped_of,
    src,
    xlsx,
    xlsx_sheets,
)

from planner.domain.text import column_index, column_letter
from planner.io.rows import is_total_label

DATA = [
    ["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34],
    ["Sở Tư pháp", "Văn thư", 3, 3, 1.86],
    ["Công an tỉnh", "Kế toán", 2, 1, 2.34],
]
EXPECTED = [("Sở Nội vụ", "Chuyên viên", 12, 10), ("Sở Tư pháp", "Văn thư", 3, 3),
            ("Công an tỉnh", "Kế toán", 2, 1)]


def assert_totals(inputs, expected=EXPECTED):
    """The imported rows are exactly the typed data rows, and so are their totals."""
    assert rows_of(inputs) == expected
    assert int(inputs.positions["quota"].sum()) == sum(r[2] for r in expected)
    assert int(inputs.positions["headcount"].sum()) == sum(r[3] for r in expected)


# --- title lines, blank rows, signatures ----------------------------------------------------


def test_title_lines_blank_rows_and_signature_lines_are_skipped():
    rows = [
        ["UBND TỈNH KHÁNH HÒA", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["SỞ NỘI VỤ", None, None, "Độc lập - Tự do - Hạnh phúc"],
        [],
        ["BIỂU TỔNG HỢP BIÊN CHẾ NĂM 2019"],
        ["(Kèm theo Công văn số 123/SNV-TCBC ngày 05/3/2019)"],
        [],
        HEADER,
        DATA[0],
        [],
        DATA[1],
        [None, None, None, None, None],
        DATA[2],
        [],
        [None, "Nha Trang, ngày 05 tháng 3 năm 2019"],
        ["Người lập biểu", None, None, "GIÁM ĐỐC"],
        [None, None, None, "(Ký tên, đóng dấu)"],
        ["Nguyễn Văn A", None, None, "Trần Thị B"],
    ]
    inputs = load(xlsx(rows))
    assert_totals(inputs)
    assert list(inputs.positions["source_row"]) == [8, 10, 12]
    assert skipped_of(inputs, "title") == [(1, "title"), (2, "title"), (4, "title"),
                                           (5, "title")]
    assert skipped_of(inputs, "footer") == [(14, "footer"), (15, "footer"), (16, "footer"),
                                            (17, "footer")]
    blank = [s for s in inputs.skipped if s.kind == "blank"]
    assert len(blank) == 1 and blank[0].text == "3"  # rows 9, 11 and 13, reported as a count


# --- two-row headers ------------------------------------------------------------------------

TWO_ROW = [
    ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế", None, "Hệ số lương", "Ghi chú"],
    [None, None, None, "Được giao", "Có mặt", None, None],
    [1, *DATA[0], None],
    [2, *DATA[1], None],
    [3, *DATA[2], "mới thành lập"],
]


def test_two_row_header_with_merged_parent_maps_to_quota_and_headcount():
    # "Biên chế" merged over "Được giao" and "Có mặt"; the single headers merged down two rows
    merges = ["D3:E3", "A3:A4", "B3:B4", "C3:C4", "F3:F4", "G3:G4"]
    inputs = load(xlsx([["BIỂU SỐ 1"], [], *TWO_ROW], merges=merges))
    assert_totals(inputs)
    assert list(inputs.positions["source_row"]) == [5, 6, 7]
    assert list(inputs.positions["salary_coefficient"]) == [2.34, 1.86, 2.34]
    assert skipped_of(inputs) == [(1, "title")]


def test_two_row_header_in_a_csv_without_merges():
    data = csv_bytes(TWO_ROW)
    inputs = load(data, name="bien_che.csv")
    assert_totals(inputs)
    assert list(inputs.positions["source_row"]) == [3, 4, 5]


# --- STT column and the row of column numbers -----------------------------------------------


@pytest.mark.parametrize("numbers", [["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
                                     [1, 2, 3, 4, 5, 6],
                                     ["(1)", "(2)", "(3)", "(4)", "(5)=(4)-(3)", "(6)"]])
def test_stt_column_and_row_of_column_numbers(numbers):
    rows = [["STT", *HEADER], numbers, *[[i + 1, *r] for i, r in enumerate(DATA)]]
    inputs = load(xlsx(rows))
    assert_totals(inputs)
    assert skipped_of(inputs, "column_numbers") == [(2, "column_numbers")]
    assert "row_number" not in inputs.positions.columns


# --- group rows and totals ------------------------------------------------------------------

GROUPED = [
    ["STT", *HEADER],
    ["A", "CẤP TỈNH"],
    ["I", "Khối Sở, ban, ngành", None, 15, 13],
    [1, *DATA[0]],
    [2, *DATA[1]],
    [None, "Cộng", None, 15, 13],
    ["II", "Khối đơn vị sự nghiệp"],
    [1, *DATA[2]],
    [None, "Cộng khối II", None, 2, 1],
    [None, "Tổng cộng", None, 17, 14],
]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_group_and_total_rows_are_skipped_listed_and_never_counted(fmt):
    data = xlsx(GROUPED) if fmt == "xlsx" else csv_bytes(GROUPED)
    inputs = load(data, name=f"bieu.{fmt}")
    assert_totals(inputs)
    assert skipped_of(inputs, "group") == [(2, "group"), (3, "group"), (7, "group")]
    assert skipped_of(inputs, "total") == [(6, "total"), (9, "total"), (10, "total")]
    # the group a row sits in becomes its sector when there is no sector column
    assert list(inputs.positions["sector"]) == ["Khối Sở, ban, ngành", "Khối Sở, ban, ngành",
                                                "Khối đơn vị sự nghiệp"]
    assert not by_code(inputs.warnings, "total_mismatch")  # the typed totals add up


def test_a_typed_total_that_disagrees_with_its_rows_is_an_error_naming_both_figures():
    # issue 11: the rows read must add up to the typed totals; a difference may be a misread
    rows = [list(r) for r in GROUPED]
    rows[5] = [None, "Cộng", None, 16, 13]  # data rows 4-5 add up to 15, not 16
    rows[9] = [None, "Tổng cộng", None, 17, 20]  # all data rows: headcount 14, not 20
    errors = by_code(problems_of(xlsx(rows)), "total_mismatch")
    assert [(e.row, e.column, e.value, e.params["computed"], e.params["rows"]) for e in errors] \
        == [(6, "D · Biên chế được giao", "16", 15, "4–5"),
            (10, "E · Số có mặt", "20", 14, "4–8")]
    assert all(e.is_error and e.file == "chi_tieu.xlsx" and e.sheet == "Biểu 1" for e in errors)
    group = [list(r) for r in GROUPED]
    group[2] = ["I", "Khối Sở, ban, ngành", None, 99, 13]  # a group row carrying its totals
    errors = by_code(problems_of(xlsx(group)), "total_mismatch")
    assert [(e.row, e.value, e.params["computed"]) for e in errors] == [(3, "99", 15)]


@pytest.mark.parametrize("label", ["Công an tỉnh", "CÔNG AN TỈNH", "Cong an tinh",
                                   "Tổng công ty Khánh Việt", "Tổng cục Thuế", "Công ty TNHH MTV",
                                   "Công đoàn ngành"])
def test_unit_names_that_start_like_a_total_are_data(label):
    assert not is_total_label(label)
    rows = [HEADER, [label, "Chuyên viên", 4, 2, 2.34], [*DATA[0]], ["Cộng", None, 16, 12]]
    inputs = load(xlsx(rows))
    assert rows_of(inputs) == [(label, "Chuyên viên", 4, 2), EXPECTED[0]]
    assert skipped_of(inputs, "total") == [(4, "total")]


@pytest.mark.parametrize("label", ["Cộng", "CỘNG", "Tổng cộng", "TỔNG CỘNG", "Tổng số", "Tổng",
                                   "Cộng I", "Cộng khối huyện", "Tổng cộng (I+II)", "Cong",
                                   "Tong cong", "TONG CONG", "Total", "Grand total", "Subtotal",
                                   "Cộng:"])
def test_total_labels(label):
    assert is_total_label(label)


# --- numbers as typed -------------------------------------------------------------------------


def test_numbers_stored_as_text_decimal_commas_and_dot_thousands():
    rows = [
        [*HEADER, "Chi phí một năm"],
        ["Sở Nội vụ", "Chuyên viên", "12", " 10 ", "2,34", "95.000.000"],
        ["Sở Tư pháp", "Văn thư", "1.234", "1.200", "1,86", None],
        ["Công an tỉnh", "Kế toán", "2", "1", "2.34", "1.234.567,5"],
    ]
    for data, name in ((xlsx(rows), "t.xlsx"), (csv_bytes(rows, sep=";"), "t.csv")):
        inputs = load(data, name=name)
        assert rows_of(inputs) == [("Sở Nội vụ", "Chuyên viên", 12, 10),
                                   ("Sở Tư pháp", "Văn thư", 1234, 1200),
                                   ("Công an tỉnh", "Kế toán", 2, 1)]
        assert list(inputs.positions["salary_coefficient"]) == [2.34, 1.86, 2.34]
        annual = inputs.positions["annual_cost"]
        assert annual[0] == 95_000_000 and annual[2] == 1_234_567.5 and annual.isna()[1]
        assert int(inputs.positions["quota"].sum()) == 12 + 1234 + 2


# --- headers as people type them ------------------------------------------------------------


@pytest.mark.parametrize("header", [
    ["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt", "Hệ số lương",
     "Nguồn kinh phí", "Ưu tiên"],
    ["Don vi", "Vi tri viec lam", "Bien che duoc giao", "So co mat", "He so luong",
     "Nguon kinh phi", "Uu tien"],
    ["TÊN ĐƠN VỊ", "VỊ TRÍ VIỆC LÀM", "BIÊN CHẾ ĐƯỢC GIAO", "SỐ CÓ MẶT", "HỆ SỐ LƯƠNG",
     "NGUỒN KINH PHÍ", "ƯU TIÊN"],
    ["  tên   đơn vị ", "Vị trí\nviệc làm", "Biên chế  được giao\n(năm 2019)", "số có mặt",
     "Hệ số lương (bậc 1)", "nguồn  kinh phí", "ưu tiên"],
    ["Unit", "Job position", "Approved quota", "On board", "Salary coefficient",
     "Funding source", "Priority"],
    ["unit_name", "position_name", "quota", "headcount", "salary_coefficient",
     "funding_source", "priority"],
])
def test_headers_with_or_without_diacritics_any_case_spacing_or_english(header):
    rows = [header, [*DATA[0], "NSNN", 2], [*DATA[1], "Phí, lệ phí", None],
            [*DATA[2], None, "1,5"]]
    inputs = load(xlsx(rows))
    assert_totals(inputs)
    assert list(inputs.positions["funding_source"]) == ["state_budget", "fee_revenue",
                                                        "state_budget"]
    assert list(inputs.positions["priority"]) == [2.0, 1.0, 1.5]
    assert not by_code(inputs.warnings, "column_not_used")


def test_no_code_columns_names_are_the_keys_and_ids_are_derived():
    inputs = load(xlsx([HEADER, *DATA]))
    assert list(inputs.positions["unit_id"]) == ["so-noi-vu", "so-tu-phap", "cong-an-tinh"]
    assert list(inputs.positions["position_id"]) == ["chuyen-vien", "van-thu", "ke-toan"]
    same_name = [HEADER, ["Sở Y tế", "Chuyên viên", 2, 1, 2.34],
                 ["Sở Y tế", "Kế toán", 1, 1, 2.34]]
    assert list(load(xlsx(same_name)).positions["unit_id"]) == ["so-y-te", "so-y-te"]


def test_given_codes_are_kept():
    rows = [["Mã đơn vị", "Mã vị trí", *HEADER], ["SNV", "CV01", *DATA[0]]]
    inputs = load(xlsx(rows))
    assert rows_of(inputs, "unit_id", "position_id") == [("SNV", "CV01")]


# --- separate headcounts, or one combined table -----------------------------------------------


def test_separate_headcounts_file_matched_by_names_in_any_case_diacritics_and_spacing():
    quotas = [["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Hệ số lương"],
              *[[u, p, q, c] for u, p, q, _, c in DATA]]
    heads = [["BÁO CÁO SỐ CÓ MẶT ĐẾN 31/12/2018"],
             ["Đơn vị", "VTVL", "Số có mặt", "Dự kiến nghỉ hưu"],
             ["CONG AN TINH", "ke toan", 1, 0],
             ["  sở   nội  vụ ", "CHUYÊN VIÊN", "10", "2"],
             ["Sở Tư Pháp", "Văn Thư", 3, None]]
    inputs = load(xlsx(quotas), xlsx(heads))
    assert_totals(inputs)
    assert list(inputs.positions["expected_departures"]) == [2, 0, 0]
    assert not inputs.warnings
    assert [f.role for f in inputs.files] == ["quotas", "headcounts"]


def test_headcounts_by_codes_when_both_files_have_them():
    quotas = [["Mã ĐV", "Tên đơn vị", "Mã VTVL", "Vị trí việc làm", "Biên chế được giao",
               "Hệ số lương"], ["SNV", "Sở Nội vụ", "CV", "Chuyên viên", 12, 2.34]]
    heads = [["Mã ĐV", "Tên đơn vị", "Mã VTVL", "Vị trí việc làm", "Số có mặt"],
             ["snv", "Sở Nội vụ (cũ)", "cv", "Chuyên viên chính", 10]]
    inputs = load(xlsx(quotas), xlsx(heads))
    assert rows_of(inputs) == [("Sở Nội vụ", "Chuyên viên", 12, 10)]


def test_combined_single_table_needs_no_second_file():
    rows = [[*HEADER, "Số dự kiến nghỉ hưu, thôi việc"], *[[*r, 1] for r in DATA]]
    inputs = load(xlsx(rows))
    assert_totals(inputs)
    assert list(inputs.positions["expected_departures"]) == [1, 1, 1]


# --- CSV dialects -----------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_separators_and_encodings(sep, encoding):
    rows = [["DANH SÁCH BIÊN CHẾ"], HEADER,
            *[[u, p, q, h, str(c).replace(".", ",")] for u, p, q, h, c in DATA]]
    inputs = load(csv_bytes(rows, sep=sep, encoding=encoding), name="bien_che.csv")
    assert_totals(inputs)
    assert list(inputs.positions["salary_coefficient"]) == [2.34, 1.86, 2.34]
    assert list(inputs.positions["source_row"]) == [3, 4, 5]


def test_utf16_without_bom_is_read_too():
    data = csv_bytes([HEADER, *DATA], sep="\t", encoding="utf-16-le")
    assert_totals(load(data, name="unicode.txt"))


# --- sheets -----------------------------------------------------------------------------------


def test_first_sheet_with_a_recognisable_table_is_used():
    book = xlsx_sheets({"Hướng dẫn": [["Hướng dẫn điền biểu"], ["Điền số liệu vào Biểu 1"]],
                        "Biểu 1": [["BIỂU 1"], HEADER, *DATA],
                        "Biểu 2": [HEADER, ["Sở Y tế", "Bác sĩ", 40, 38, 2.34]]})
    inputs = load(book)
    assert_totals(inputs)
    assert inputs.files[0].sheet == "Biểu 1"


@pytest.mark.parametrize("sheet", ["Biểu 2", "bieu 2", "3"])
def test_sheet_is_chosen_by_name_folded_name_or_number(sheet):
    book = xlsx_sheets({"Hướng dẫn": [["Hướng dẫn"]], "Biểu 1": [HEADER, *DATA],
                        "Biểu 2": [HEADER, ["Sở Y tế", "Bác sĩ", 40, 38, 2.34]]})
    inputs = load(book, sheet=sheet)
    assert rows_of(inputs) == [("Sở Y tế", "Bác sĩ", 40, 38)]
    assert inputs.files[0].sheet == "Biểu 2"


def test_unknown_sheet_lists_the_sheets():
    book = xlsx_sheets({"Biểu 1": [HEADER, *DATA]})
    (p,) = problems_of(book, sheet="Biểu 9")
    assert (p.code, p.file, p.params["sheets"]) == ("unknown_sheet", "chi_tieu.xlsx", "Biểu 1")


# --- explicit mappings --------------------------------------------------------------------------

ODD = [["Đơn vị", "Vị trí việc làm", "SL giao 2019", "Thực có", "Hệ số lương"], *DATA]


def test_explicit_mapping_by_header_and_by_column_letter():
    by_header = load(xlsx(ODD), mappings={"quotas": {"quota": "SL giao 2019",
                                                      "headcount": "thuc co"}})
    assert_totals(by_header)
    # the issue's own example: "Chỉ tiêu 2019" is even recognised without a mapping
    typed = [["Đơn vị", "Vị trí việc làm", "Chỉ tiêu 2019", "Thực có", "Hệ số lương"], *DATA]
    assert_totals(load(xlsx(typed), mappings={"quotas": {"quota": "Chỉ tiêu 2019",
                                                         "headcount": "Thực có"}}))
    assert_totals(load(xlsx(typed), mappings={"quotas": {"headcount": "Thực có"}}))
    by_letter = load(xlsx(ODD), mappings={"quotas": {"quota": "C", "headcount": "d"}})
    assert_totals(by_letter)


def test_column_letters_and_indices_agree_with_excel():
    from openpyxl.utils import get_column_letter

    for i in (0, 1, 25, 26, 27, 701, 702, 16383):  # A, B, Z, AA, AB, ZZ, AAA, XFD
        letters = column_letter(i)
        assert letters == get_column_letter(i + 1)
        assert column_index(letters) == column_index(letters.lower()) == i


def test_failed_detection_lists_found_and_missing_columns():
    problems = problems_of(xlsx([["Biểu 1"], *ODD]))
    missing = by_code(problems, "missing_column")
    assert [p.params["column_id"] for p in missing] == ["quota"]
    assert missing[0].params["header_row"] == 2
    assert missing[0].params["found"] == ["A · Đơn vị", "B · Vị trí việc làm", "C · SL giao 2019",
                                          "D · Thực có", "E · Hệ số lương"]
    unused = by_code(problems, "column_not_used")
    assert [p.column for p in unused] == ["C · SL giao 2019"]  # "Thực có" is on board (#11)


def test_mapping_to_a_header_that_is_not_there_names_the_columns():
    problems = problems_of(xlsx(ODD), mappings={"quotas": {"quota": "SL giao 2020"}})
    (p,) = by_code(problems, "map_header_not_found")
    assert p.value == "SL giao 2020" and "C · SL giao 2019" in p.params["found"]


def test_a_dataframe_is_read_like_a_sheet():
    import pandas as pd

    frame = pd.DataFrame(DATA, columns=HEADER)
    frame.attrs["name"] = "upload.xlsx"
    assert_totals(load(frame))


def test_source_name_is_kept_in_the_report():
    inputs = load(src("Biểu BC 2019.xlsx", xlsx([HEADER, *DATA])))
    assert inputs.files[0].name == "Biểu BC 2019.xlsx"


def test_the_data_contract_document_is_current():
    """docs/data-contract.md holds the tables scripts/data_contract_table.py makes from the
    code; regenerate with `python scripts/data_contract_table.py --write`."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "data_contract_table.py"
    spec = importlib.util.spec_from_file_location("data_contract_table", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    doc = module.DOC.read_text(encoding="utf-8")
    for name, text in module.parts().items():
        assert f"<!-- {name}:start -->\n{text}\n<!-- {name}:end -->" in doc, name


def test_cli_map_and_sheet_options(tmp_path):
    """`--map quota="…"` (a header or a column letter) and `--sheet`, as a user types them."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    book = tmp_path / "bieu.xlsx"
    book.write_bytes(xlsx_sheets({"Hướng dẫn": [["Hướng dẫn"]], "Biểu 2": ODD}))

    def validate(*args):
        return subprocess.run([sys.executable, "-m", "planner", "validate", "--quotas", str(book),
                               "--lang", "en", *args], cwd=root, capture_output=True, text=True,
                              timeout=120)

    failed = validate()
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert "Required column “Approved quota” (quota) is missing" in failed.stderr
    assert "C · SL giao 2019" in failed.stderr
    ok = validate("--sheet", "Biểu 2", "--map", 'quota="SL giao 2019"', "--map", "headcount=D")
    assert ok.returncode == 0, ok.stderr
    assert "3 units, 3 positions; quota 17, on board 14" in ok.stdout


def test_sheet_per_role():
    quotas = xlsx_sheets({"Ghi chú": [["x"]], "Chỉ tiêu": [
        ["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Hệ số lương"],
        ["Sở Nội vụ", "Chuyên viên", 12, 2.34]]})
    heads = xlsx_sheets({"Có mặt": [["Tên đơn vị", "Vị trí việc làm", "Số có mặt"],
                                    ["Sở Nội vụ", "Chuyên viên", 10]], "Chỉ tiêu": [["y"]]})
    inputs = load(quotas, heads, sheet={"quotas": "Chỉ tiêu", "headcounts": "Có mặt"})
    assert rows_of(inputs) == [("Sở Nội vụ", "Chuyên viên", 12, 10)]
    assert [(f.role, f.sheet) for f in inputs.files] == [("quotas", "Chỉ tiêu"),
                                                          ("headcounts", "Có mặt")]


# --- issue 11: never a silent misread --------------------------------------------------------

NUMBER_ROWS = {
    "brackets": ["(1)", "(2)", "(3)", "(4)", "(5)"],
    "plain text": ["1", "2", "3", "4", "5"],
    "numbers": [1, 2, 3, 4, 5],
    "letters and formula": ["A", "B", 1, 2, "3=1-2"],
    "letters as text": ["A", "B", "1", "2", "3 = 1 - 2"],
    "sub-numbers": ["1", "2", "4a", "4b", "5=6+7+8"],
    "spaced formula": ["A", "B", "1", "2", "1 = 2 + 3"],
    "bracket formula": ["(1)", "(2)", "(3)", "(4)", "(5)=(3)-(4)"],
}


@pytest.mark.parametrize("style", list(NUMBER_ROWS), ids=list(NUMBER_ROWS))
def test_every_style_of_column_number_row_is_skipped_never_read_as_a_unit(style):
    # before issue 11, "A | B | C | 1 | 2 | 3=1-2" was read as a unit "B" with quota 1
    rows = [HEADER, NUMBER_ROWS[style], *[r for r in DATA]]
    inputs = load(xlsx(rows))
    assert_totals(inputs)
    assert skipped_of(inputs, "column_numbers") == [(2, "column_numbers")]


def test_a_leaf_under_an_on_board_parent_is_never_the_quota():
    rows = [["Tên đơn vị", "Vị trí việc làm", "Biên chế có mặt", None, "Biên chế được giao"],
            [None, None, "Biên chế", "Hợp đồng", None],
            *[[u, p, h, 1, q] for u, p, q, h, _ in DATA]]
    inputs = load(xlsx(rows, merges=["C1:D1", "A1:A2", "B1:B2", "E1:E2"]))
    assert_totals(inputs)
    unused = by_code(inputs.warnings, "column_not_used")
    assert [p.column for p in unused] == ["D · Biên chế có mặt › Hợp đồng"]


def test_a_leaf_under_a_quota_parent_is_never_the_headcount():
    rows = [["Tên đơn vị", "Vị trí việc làm", "Số có mặt", "Chỉ tiêu được giao"],
            [None, None, None, "Số lượng hiện có"],
            *[[u, p, h, q] for u, p, q, h, _ in DATA]]
    inputs = load(xlsx(rows, merges=["A1:A2", "B1:B2", "C1:C2"]))
    # "Chỉ tiêu được giao › Số lượng hiện có" names an on-board alias, but under a quota parent
    # it is the quota (column D); the headcount is column C
    assert_totals(inputs)


def test_map_accepts_a_header_path_with_any_separator():
    rows = [["Tên đơn vị", "Vị trí việc làm", "Biên chế", None, None],
            [None, None, "Đề án", "Kế hoạch", "Có mặt"],
            *[[u, p, q + 5, q, h] for u, p, q, h, _ in DATA]]
    merges = ["C1:E1", "A1:A2", "B1:B2"]
    for path in ("Biên chế › Kế hoạch", "Biên chế > Kế hoạch", "bien che / ke hoach"):
        inputs = load(xlsx(rows, merges=merges), mappings={"quotas": {"quota": path}})
        assert_totals(inputs)


def test_a_blank_staff_type_cell_beside_typed_ones_is_zero_and_makes_no_row():
    rows = [["Tên đơn vị", "Biên chế được giao", None, "Số có mặt", None],
            [None, "Công chức", "Viên chức", "Công chức", "Viên chức"],
            ["Sở Nội vụ", 20, None, 18, None],
            ["Trung tâm Y tế", None, 40, 1, 35]]
    inputs = load(xlsx(rows, merges=["B1:C1", "D1:E1", "A1:A2"]))
    assert rows_of(inputs, "unit_name", "staff_type", "quota", "headcount") == [
        ("Sở Nội vụ", "civil_servant", 20, 18),
        ("Trung tâm Y tế", "civil_servant", 0, 1),  # on board without a post: a row, surplus
        ("Trung tâm Y tế", "public_employee", 40, 35)]


def test_a_whole_figure_mapped_beside_a_split_quota_is_refused_not_repeated():
    rows = [["Tên đơn vị", "Biên chế được giao", None, "Có mặt (tổng)"],
            [None, "Công chức", "Viên chức", None],
            ["Sở Nội vụ", 20, 5, 24]]
    problems = problems_of(xlsx(rows, merges=["B1:C1", "A1:A2", "D1:D2"]),
                           mappings={"quotas": {"headcount": "D"}})
    (p,) = by_code(problems, "parts_do_not_match")
    assert p.params["column_id"] == "headcount" and "--map quota=" in __import__(
        "planner.i18n", fromlist=["x"]).problem_message(p, "en")


def test_a_header_level_left_out_is_never_skipped_and_a_bad_first_cell_is_not_a_header():
    # "Biên chế" over "Đề án | Kế hoạch": the figures are never read under "Biên chế" alone
    rows = [["Tên đơn vị", "Vị trí việc làm", "Biên chế", None, "Số có mặt"],
            [None, None, "Đề án", "Kế hoạch", None],
            ["Sở Nội vụ", "Chuyên viên", 12, 10, 8]]
    (p,) = by_code(problems_of(xlsx(rows, merges=["C1:D1"])), "ambiguous_column")
    assert p.params["columns"] == ["C · Biên chế › Đề án", "D · Biên chế › Kế hoạch"]
    # text under a count column in the first data row is a bad cell, not a header level
    bad = csv_bytes([HEADER, ["Sở Nội vụ", "Chuyên viên", "12", "mười", "2,34"], DATA[1]])
    (p,) = by_code(problems_of(bad, name="q.csv"), "not_a_number")
    assert (p.row, p.column, p.value) == (2, "D · Số có mặt", "mười")

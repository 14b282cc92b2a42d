"""Hostile and broken inputs (issue 7, "Inputs"): a corpus the tests make themselves.

Each file ends in an InputError with the right code naming file (and row and column where
there is one), never another exception; nothing of a refused file is imported. A subset runs
through the CLI as a subprocess: exit 2, a message, no traceback. Limits are configurable by
environment variables and tested here; their speed is measured by scripts/bench_inputs.py.
"""

import io
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers_inputs import (
    HEADER,
    by_code,
    csv_bytes,
    encrypted_xlsx,
    generated_csv,
    generated_xlsx,
    load,
    problems_of,
    rows_of,
    xlsx,
)

from planner.domain.limits import Limits
from planner.domain.problems import InputError
from planner.io.inputs import load_inputs

ROOT = Path(__file__).resolve().parent.parent
GOOD = [HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34], ["Sở Tư pháp", "Văn thư", 3, 3, 1.86]]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 stores Vietnamese: base letter, then a combining tone mark."""
    import unicodedata

    out = b""
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out += (base + tones).encode("cp1258")
    return out


def _legacy(text: str, table: dict[str, bytes]) -> bytes:
    """``text`` in an 8-bit Vietnamese font encoding, letters mapped by ``table``."""
    return b"".join(table.get(ch, ch.encode("ascii", "replace")) for ch in text)


# TCVN3 (ABC) and VNI-Windows bytes of the letters used in "Sở Nội vụ" / "Tên đơn vị"
TCVN3 = {"ở": b"\xab", "ộ": b"\xe9", "ụ": b"\xf8", "ê": b"\xd6", "đ": b"\xae", "ơ": b"\xac",
         "ị": b"\xde"}
VNI = {"ở": b"o\xfb", "ộ": b"o\xe4", "ụ": b"u\xef", "ê": b"e\xe2", "đ": b"\xf1", "ơ": b"\xf4",
       "ị": b"i\xf2"}

def _stray(ref: str, value: object) -> bytes:
    """A small workbook (header, one data row) with ``value`` in cell ``ref`` far away."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Biểu 1"
    for r in GOOD[:2]:
        wb.active.append(r)
    wb.active[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_rng = random.Random(20190101)
GARBAGE = bytes(_rng.randrange(256) for _ in range(20000))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(_rng.randrange(256) for _ in range(3000))
LEGACY_TEXT = ("STT,Ten don vi,Vi tri viec lam,Bien che duoc giao,So co mat,He so luong\n"
               "1,Sở Nội vụ,Chuyên viên,12,10,2.34\n")

#: name, bytes, expected code, expected row (None when the problem is about the whole file)
CORPUS = [
    ("rong.csv", b"", "empty_file", None),
    ("khoang_trang.csv", b" \r\n\r\n \t\n", "empty_file", None),
    ("bom_only.csv", b"\xef\xbb\xbf", "empty_file", None),
    ("utf16_bom_only.csv", b"\xff\xfe", "empty_file", None),
    ("rac.csv", GARBAGE, "not_a_table_file", None),
    ("anh.xlsx", PNG, "not_a_table_file", None),
    ("nen.zip", _zip({"bao_cao.docx": b"not a workbook", "readme.txt": b"hello"}),
     "zip_not_workbook", None),
    ("mat_khau.xlsx", encrypted_xlsx(xlsx(GOOD)), "password_protected", None),
    ("hong.xlsx", xlsx(GOOD)[:3000], "corrupt_workbook", None),
    ("ole_rac.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + GARBAGE, "corrupt_workbook", None),
    ("vo_xlsx.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<<<"}),
     "corrupt_workbook", None),
    ("bom_zip.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>",
                           "xl/worksheets/sheet1.xml": b" " * (60 * 2**20)}),
     "workbook_unpacks_too_large", None),
    ("cp1258.csv", cp1258(LEGACY_TEXT), "not_utf8", 2),
    ("tcvn3.csv", _legacy(LEGACY_TEXT, TCVN3), "not_utf8", 2),
    ("vni.csv", _legacy(LEGACY_TEXT, VNI), "not_utf8", 2),
    ("hai_cham.csv", "\n".join(":".join(map(str, r)) for r in GOOD).encode(), "single_column", 1),
    ("mot_cot.xlsx", xlsx([["Sở Nội vụ; Chuyên viên; 12; 10"], ["Sở Tư pháp; Văn thư; 3; 3"]]),
     "single_column", 1),
    ("khong_tieu_de.csv", csv_bytes(GOOD[1:]), "no_header", None),
    ("ngoac_kep.csv", b'Ten don vi,Vi tri viec lam,Bien che duoc giao,So co mat\n'
                      b'"So Noi vu,Chuyen vien,12,10\nSo Tu phap,Van thu,3,3\n',
     "unbalanced_quote", 2),
    # issue 17: one stray cell far from the table (the reader allocated the whole rectangle)
    ("mot_o_xa.xlsx", _stray("XFD1048576", " "), "used_range_too_large", None),
    ("o_xa_5000.xlsx", _stray("XFD5000", "x"), "used_range_too_large", None),
    ("emoji.csv", csv_bytes([HEADER, ["😀", "Chuyên viên", 12, 10, "2,34"]]),
     "name_without_letters", 2),
    ("nul_trong_so.csv", csv_bytes([HEADER, ["Sở Nội vụ", "Chuyên viên", "1\x002", 10, "2"]]),
     "control_in_number", 2),
    # U+001E, which Python's str.split() counts as white space: once read as 12
    ("phan_cach_trong_so.csv", csv_bytes([HEADER, ["Sở Nội vụ", "Chuyên viên", "1\x1e2", 10,
                                                   "2"]]), "control_in_number", 2),
]


@pytest.mark.parametrize(("name", "data", "code", "row"), CORPUS, ids=[c[0] for c in CORPUS])
def test_broken_files_end_in_one_clear_problem(name, data, code, row):
    problems = problems_of(data, name=name)
    assert [p.code for p in problems if p.is_error] == [code]
    (p,) = [p for p in problems if p.is_error]
    assert p.file == name and p.row == row


def test_the_legacy_encoding_message_names_the_line_and_the_way_out():
    (p,) = problems_of(cp1258(LEGACY_TEXT), name="cp1258.csv")
    assert p.params["byte"] == "0x53" or p.params["byte"].startswith("0x")
    from planner.i18n import problem_line

    line = problem_line(p, "en")
    assert "cp1258.csv, row 2" in line and "CSV UTF-8" in line and "TCVN3" in line


def test_utf16_unicode_text_from_excel_loads():
    data = csv_bytes(GOOD, sep="\t", encoding="utf-16")
    assert rows_of(load(data, name="unicode.txt")) == [("Sở Nội vụ", "Chuyên viên", 12, 10),
                                                       ("Sở Tư pháp", "Văn thư", 3, 3)]


# --- wrong contents -----------------------------------------------------------------------------


def test_wrong_separator_semicolon_inside_a_comma_file_is_still_read():
    # Excel in a Vietnamese locale writes ";" and decimal commas; the reader sniffs it
    data = csv_bytes([[*r[:4], str(r[4]).replace(".", ",")] if i else r
                      for i, r in enumerate(GOOD)], sep=";")
    assert len(load(data, name="chấm_phẩy.csv").positions) == 2


def test_duplicate_keys_negative_fractional_and_text_counts_all_at_once():
    rows = [HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34],
            ["Sở Nội Vụ", "Chuyên Viên", 1, 1, 2.34],
            ["Sở Tư pháp", "Văn thư", -3, 1.5, 1.86],
            ["Sở Y tế", "Bác sĩ", "bốn mươi", 38, 2.34]]
    problems = problems_of(xlsx(rows))
    assert sorted((p.row, p.column, p.code) for p in problems if p.is_error) == [
        (3, "A · Tên đơn vị", "duplicate_key"),
        (4, "C · Biên chế được giao", "negative_number"),
        (4, "D · Số có mặt", "not_whole_number"),
        (5, "C · Biên chế được giao", "not_a_number")]


def test_formulas_and_error_values_in_cells():
    rows = [HEADER, ["Sở Nội vụ", "Chuyên viên", "=SUM(C5:C9)", 10, 2.34],
            ["Sở Tư pháp", "Văn thư", 3, None, "=1/0"], ["Sở Y tế", "Bác sĩ", None, 38, 2.34]]
    problems = problems_of(xlsx(rows, errors={"D3": "#REF!", "C4": "#DIV/0!"}))
    assert sorted((p.row, p.column, p.code, p.value) for p in problems if p.is_error) == [
        (2, "C · Biên chế được giao", "formula_no_value", "=SUM(C5:C9)"),
        (3, "D · Số có mặt", "excel_error", "#REF!"),
        (3, "E · Hệ số lương", "formula_no_value", "=1/0"),
        (4, "C · Biên chế được giao", "excel_error", "#DIV/0!")]


def test_formula_typed_as_text_in_a_csv():
    data = csv_bytes([HEADER, ["Sở Nội vụ", "Chuyên viên", "=10+2", 10, "2,34"]])
    (p,) = [p for p in problems_of(data, name="q.csv") if p.is_error]
    assert (p.code, p.row, p.column, p.value) == ("formula_text", 2, "C · Biên chế được giao",
                                                  "=10+2")


def test_merged_cells_over_data_rows():
    rows = [HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34],
            [None, "Văn thư", 2, 2, 1.86], ["Sở Tư pháp", "Kế toán", 6, None, 2.34],
            ["Sở Y tế", "Bác sĩ", 3, 4, 2.34]]
    # a unit name merged down over its rows is read for each row; a count merged over two
    # rows cannot be shared out and is refused for both
    problems = problems_of(xlsx(rows, merges=["A2:A3", "D4:D5"]))
    assert sorted((p.row, p.code, p.value) for p in problems if p.is_error) == [
        (4, "merged_numeric", "D4:D5"), (5, "merged_numeric", "D4:D5")]
    ok = load(xlsx(rows[:3], merges=["A2:A3"]))
    assert rows_of(ok) == [("Sở Nội vụ", "Chuyên viên", 12, 10), ("Sở Nội vụ", "Văn thư", 2, 2)]


def test_a_hundred_thousand_blank_rows_are_skipped_as_one_entry():
    data = csv_bytes([*GOOD[:2], *([["", "", "", "", ""]] * 100_000), GOOD[2]])
    inputs = load(data, name="trong.csv")
    assert list(inputs.positions["source_row"]) == [2, 100_003]
    assert [(s.row, s.kind, s.text) for s in inputs.skipped] == [(3, "blank", "100000")]
    book = load(generated_xlsx(2, blank_rows=100_000))
    assert list(book.positions["source_row"]) == [100_002, 100_003]
    assert [(s.row, s.kind, s.text) for s in book.skipped] == [(2, "blank", "100000")]


def test_a_million_row_csv_is_refused_by_the_row_limit():
    (p,) = problems_of(generated_csv(1_000_000), name="trieu_dong.csv")
    assert (p.code, p.file, p.params["rows"], p.params["limit"]) == (
        "too_many_rows", "trieu_dong.csv", 1_000_001, Limits().max_rows)


def test_a_million_row_workbook_is_refused_before_it_is_parsed():
    (p,) = problems_of(generated_xlsx(1_000_000), name="trieu_dong.xlsx")
    assert (p.code, p.sheet, p.params["limit"]) == ("too_many_rows_early", "Biểu 1", 300_000)
    # counting stopped just past the limit (300,000 rows + 30,000 for titles and totals)
    assert 330_000 < p.params["rows"] < 340_000


def test_extremely_long_cell_values():
    long_name = "Trung tâm " * 2000
    problems = problems_of(xlsx([HEADER, [long_name, "Chuyên viên", 12, 10, 2.34],
                                 ["Sở Tư pháp", "Văn thư", "9" * 5000, 3, 1.86]]))
    assert sorted((p.row, p.column, p.code, p.params["chars"]) for p in problems) == [
        (2, "A · Tên đơn vị", "cell_too_long", 19_999),
        (3, "C · Biên chế được giao", "cell_too_long", 5000)]
    assert all(len(p.value) <= 81 for p in problems)  # messages quote the beginning only
    huge = ",".join(HEADER) + "\n" + "Sở Nội vụ,\"" + "x" * 200_000 + "\",12,10,2\n"
    (p,) = problems_of(huge.encode(), name="o_khong_lo.csv")
    assert (p.code, p.row) == ("cell_far_too_long", 2)


def test_control_characters_are_removed_from_names():
    data = csv_bytes([HEADER, ["Sở\x00 Nội\x07 vụ", "Chuyên\x1b viên", 12, 10, "2,34"]])
    assert rows_of(load(data, name="q.csv")) == [("Sở Nội vụ", "Chuyên viên", 12, 10)]


# --- never half-imported ------------------------------------------------------------------------


def test_one_bad_row_refuses_the_whole_file():
    rows = [HEADER, *[[f"Đơn vị {i}", "Chuyên viên", 2, 1, 2.34] for i in range(500)]]
    rows[321][2] = "hai"
    with pytest.raises(InputError) as info:
        load(xlsx(rows))
    assert [(p.row, p.code) for p in info.value.errors] == [(322, "not_a_number")]


def test_a_broken_second_file_refuses_the_whole_input():
    quotas = xlsx([["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Hệ số lương"],
                   ["Sở Nội vụ", "Chuyên viên", 12, 2.34]])
    with pytest.raises(InputError) as info:
        load(quotas, b"\x00\x01garbage" * 300)
    assert [(p.file, p.code) for p in info.value.errors] == [("so_co_mat.xlsx",
                                                              "not_a_table_file")]


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError) as info:
        load_inputs(tmp_path / "khong_co.xlsx", tmp_path)
    assert [p.code for p in info.value.errors] == ["file_not_found", "file_is_directory"]


# --- limits ---------------------------------------------------------------------------------------


def test_row_limit_is_configurable(monkeypatch):
    rows = [HEADER, *[[f"Đơn vị {i}", "Chuyên viên", 2, 1, 2.34] for i in range(12)]]
    monkeypatch.setenv("PLANNER_MAX_ROWS", "10")
    (p,) = problems_of(xlsx(rows))
    assert (p.code, p.params["rows"], p.params["limit"]) == ("too_many_rows", 12, 10)
    (p,) = problems_of(csv_bytes(rows), name="q.csv")
    assert (p.code, p.params["rows"]) == ("too_many_rows", 12)
    monkeypatch.setenv("PLANNER_MAX_ROWS", "12")
    assert len(load(xlsx(rows)).positions) == 12


def test_file_size_limit_is_configurable(monkeypatch, tmp_path):
    data = xlsx(GOOD)
    monkeypatch.setenv("PLANNER_MAX_FILE_MB", str(len(data) / 2**20 * 0.5))
    (p,) = problems_of(data)
    assert p.code == "file_too_large"
    path = tmp_path / "lon.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        load_inputs(path)
    assert [p.code for p in info.value.errors] == ["file_too_large"]
    monkeypatch.setenv("PLANNER_MAX_FILE_MB", "1")
    assert len(load_inputs(path).positions) == 2


def test_cell_length_limit_is_configurable(monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_CELL_CHARS", "9")
    problems = problems_of(xlsx(GOOD))
    # "Sở Nội vụ" and "Văn thư" fit in 9 characters; "Chuyên viên" and "Sở Tư pháp" do not
    assert sorted((p.row, p.column, p.params["chars"]) for p in problems) == [
        (2, "B · Vị trí việc làm", 11), (3, "A · Tên đơn vị", 10)]


def test_limits_passed_explicitly_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_ROWS", "1")
    assert len(load(xlsx(GOOD), limits=Limits(max_rows=5)).positions) == 2


@pytest.mark.parametrize("raw", ["", "abc", "0", "-5", "nan", "inf"])
def test_nonsense_limit_settings_fall_back_to_the_defaults(monkeypatch, raw):
    for var in ("PLANNER_MAX_ROWS", "PLANNER_MAX_FILE_MB", "PLANNER_MAX_CELL_CHARS"):
        monkeypatch.setenv(var, raw)
    assert Limits.from_env() == Limits()


# --- through the CLI ----------------------------------------------------------------------------

CLI_CASES = [
    ("rong.csv", b"", "The file is empty", None),
    ("rac.csv", GARBAGE, "not a table", None),
    ("mat_khau.xlsx", encrypted_xlsx(xlsx(GOOD)), "password-protected", None),
    ("hong.xlsx", xlsx(GOOD)[:3000], "damaged", None),
    ("cp1258.csv", cp1258(LEGACY_TEXT), "not UTF-8", "row 2"),
    ("loi.xlsx", xlsx(GOOD, errors={"C3": "#REF!"}), "Excel error #REF!",
     "row 3, column C · Biên chế được giao"),
    ("gop.xlsx", xlsx([*GOOD, ["Sở Y tế", "Bác sĩ", None, 4, 2.34]], merges=["C3:C4"]),
     "merged", "row 4, column C · Biên chế được giao"),
    ("mot_o_xa.xlsx", _stray("XFD1048576", " "), "holds something in cell XFD1048576",
     "sheet “Biểu 1”"),
    ("bom_trong_so.csv", csv_bytes([HEADER, ["Sở Nội vụ", "Chuyên viên", "\ufeff12", 10, "2"]]),
     "“[U+FEFF]12” is not a number", "row 2, column C · Biên chế được giao"),
]


def _cli(path: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", "validate", "--quotas", str(path),
                           "--lang", "en"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


@pytest.mark.parametrize(("name", "data", "says", "where"), CLI_CASES,
                         ids=[c[0] for c in CLI_CASES])
def test_cli_validate_exits_2_with_a_message_and_no_traceback(tmp_path, name, data, says,
                                                              where):
    path = tmp_path / name
    path.write_bytes(data)
    r = _cli(path)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert says in r.stderr and name in r.stderr
    if where:
        assert where in r.stderr


def test_cli_refuses_a_million_row_file_by_the_limit(tmp_path):
    path = tmp_path / "trieu_dong.csv"
    path.write_bytes(generated_csv(1_000_000))
    r = _cli(path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "1,000,001 rows, above the limit of 300,000 data rows (PLANNER_MAX_ROWS)" in r.stderr


def test_cli_limits_come_from_the_environment(tmp_path):
    path = tmp_path / "q.xlsx"
    path.write_bytes(xlsx(GOOD))
    r = _cli(path, {"PLANNER_MAX_ROWS": "1"})
    assert r.returncode == 2 and "above the limit of 1 data rows" in r.stderr
    assert _cli(path).returncode == 0


def test_every_code_in_the_corpus_has_a_message_in_both_languages():
    from planner.i18n import catalogue

    codes = {c[2] for c in CORPUS} | {"too_many_rows", "too_many_rows_early", "cell_too_long",
                                      "cell_far_too_long", "file_too_large", "merged_numeric",
                                      "excel_error", "formula_no_value", "formula_text",
                                      "file_too_large_unsized", "file_read_error"}
    for lang in ("vi", "en"):
        assert {f"problem.{c}" for c in codes} <= set(catalogue(lang)), lang
    assert by_code([], "x") == []

"""The allocation workbook as an official attachment (issue 16 item 2): the issuing body on
every printed page, page 1 without solver words, signature lines, a name from the plan, a
printable By unit sheet, and the CSV's values in the language of its headers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import openpyxl
import pytest

from planner.api import solve as solve_scenario
from planner.domain.scenario import Scenario
from planner.export.workbook import plan_csv, plan_workbook, workbook_file_name
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO
from tests.test_recruitment_plan import ARTIFACTS, SOFFICE, save_page_png, soffice_convert

DAY = dt.date(2026, 3, 5)
SOLVER_WORDS = ("Cận tốt nhất", "Khoảng cách tối ưu", "HiGHS", "highs", "Bộ giải",
                "Giá trị hàm mục tiêu", "Dấu vân tay", "(chưa đặt tên)")


@pytest.fixture(scope="module")
def solved():
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    return inputs, scenario, solve_scenario(inputs, scenario, explain=False)


def test_every_printed_page_names_the_issuing_body(solved):
    inputs, scenario, allocation = solved
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(
        allocation, inputs=inputs, scenario=scenario, created=DAY, agency="Sở Nội vụ & Tư pháp",
        parent_agency="UBND tỉnh Khánh Hòa")))
    for ws in wb.worksheets:
        left = ws.oddHeader.left.text
        assert "UBND TỈNH KHÁNH HÒA" in left and "SỞ NỘI VỤ && TƯ PHÁP" in left, ws.title


def test_without_a_name_the_plan_is_named_by_its_date(solved):
    inputs, scenario, allocation = solved
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(allocation, inputs=inputs,
                                                         scenario=scenario, created=DAY)))
    words = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert not any("(chưa đặt tên)" in w for w in words)
    assert "Phương án: Phương án lập ngày 05/03/2026 · Ngày lập: 05/03/2026" in words


def test_the_file_name_comes_from_the_plans_name_and_date():
    assert workbook_file_name("Phương án mẫu 2026!", DAY) == "phuong_an_mau_2026_2026-03-05.xlsx"
    assert workbook_file_name(None, DAY) == "phuong_an_2026-03-05.xlsx"
    assert workbook_file_name("../../etc/passwd", DAY) == "etc_passwd_2026-03-05.xlsx"


@pytest.mark.parametrize(("lang", "types", "sources"), [
    ("vi", {"Công chức", "Viên chức", "Hợp đồng"}, {"Ngân sách nhà nước", "Phí, lệ phí để lại"}),
    ("en", {"Civil servant", "Public employee", "Contract"}, {"State budget", "Retained fees"}),
])
def test_csv_values_are_in_the_language_of_its_headers(solved, lang, types, sources):
    _, _, allocation = solved
    rows = list(csv.reader(io.StringIO(plan_csv(allocation, headers=lang).decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    type_col = header.index("Loại" if lang == "vi" else "Staff type")
    source_col = header.index("Nguồn kinh phí" if lang == "vi" else "Funding source")
    assert {r[type_col] for r in data} == types
    assert {r[source_col] for r in data} == sources
    # ids keep the codes (a machine reads those)
    ids = list(csv.DictReader(io.StringIO(plan_csv(allocation).decode("utf-8-sig"))))
    assert {r["staff_type"] for r in ids} == {"civil_servant", "public_employee", "contract"}


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed; `make test` "
                    "installs it through scripts/ensure-system-deps")
def test_page_one_prints_in_the_officers_words(solved, tmp_path):
    from pypdf import PdfReader

    inputs, scenario, allocation = solved
    path = tmp_path / workbook_file_name("Phương án mẫu", DAY)
    path.write_bytes(plan_workbook(allocation, inputs=inputs, scenario=scenario, created=DAY,
                                   scenario_name="Phương án mẫu", agency="Sở Nội vụ",
                                   parent_agency="UBND tỉnh Khánh Hòa"))
    pdf_path = soffice_convert(path, "pdf", tmp_path)
    pages = PdfReader(pdf_path).pages
    first = " ".join(pages[0].extract_text().split())
    for words in ("UBND TỈNH KHÁNH HÒA", "SỞ NỘI VỤ", "Phương án mẫu", "Đơn vị tính",
                  "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "Đề xuất tuyển dụng"):
        assert words in first, words
    for words in SOLVER_WORDS:
        assert words not in first, words
    assert inputs.fingerprint not in first
    everything = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Khoảng cách tối ưu" in everything  # moved, not lost: on the Parameters pages
    ARTIFACTS.mkdir(exist_ok=True)
    save_page_png(pdf_path, ARTIFACTS / "phuong_an_trang1.png")
    shutil.copy(path, ARTIFACTS / path.name)

"""The staffing report (issue 16 item 4): quota and staff on board per unit, by staff type
and by position group, with group and total rows; read back with openpyxl, its figures checked
against the inputs, printed by LibreOffice; the CLI's file equal to the app's."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys

import openpyxl
import pytest

from planner.export.staffing_report import Reporter, staffing_report_xlsx
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES
from tests.test_document_columns import ROWS, write
from tests.test_recruitment_plan import ARTIFACTS, ROOT, SOFFICE, save_page_png, soffice_convert

DAY = dt.date(2026, 3, 5)
FIRST_DATA = 10  # rows 1–9: heading, title, date, ĐVT, two header rows, column numbers
TYPE_HEADERS = ["Tổng số", "Công chức", "Viên chức hưởng lương từ NSNN",
                "Viên chức hưởng lương từ nguồn thu sự nghiệp", "Hợp đồng (NĐ 111/2022)"]
GROUP_HEADERS = ["Tổng số", "Lãnh đạo, quản lý", "Chuyên môn, nghiệp vụ chuyên ngành",
                 "Chuyên môn dùng chung", "Hỗ trợ, phục vụ", "Chưa xác định nhóm"]


@pytest.fixture(scope="module")
def sample_inputs():
    return load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])


def rows_of(ws) -> tuple[list[tuple], list[tuple], tuple]:
    """(group rows, unit rows, total row) of a form, as values."""
    groups, units, total = [], [], None
    for r in ws.iter_rows(min_row=FIRST_DATA, values_only=True):
        if r[1] == "Tổng cộng":
            total = r
            break
        (groups if isinstance(r[0], str) else units).append(r)
    return groups, units, total


def expected_by_type(positions):
    """Biểu 1's figures computed from the definition: public employees split by who pays."""
    def cat(r):
        if r["staff_type"] == "public_employee":
            return "budget" if r["funding_source"] == "state_budget" else "revenue"
        return r["staff_type"]
    out = {}
    for r in positions.to_dict("records"):
        unit = out.setdefault(r["unit_name"], {k: [0, 0] for k in (
            "total", "civil_servant", "budget", "revenue", "contract")})
        for key in ("total", cat(r)):
            unit[key][0] += int(r["quota"])
            unit[key][1] += int(r["headcount"])
    return out


def test_form_1_by_staff_type_adds_up_to_the_inputs(sample_inputs):
    wb = openpyxl.load_workbook(io.BytesIO(staffing_report_xlsx(
        sample_inputs, created=DAY, reporter=Reporter(parent_body="UBND tỉnh Khánh Hòa",
                                                      body="Sở Nội vụ"))), data_only=True)
    assert wb.sheetnames == ["Biểu 1 - Theo loại", "Biểu 2 - Theo nhóm VTVL"]
    ws = wb["Biểu 1 - Theo loại"]
    assert ws["A1"].value == "UBND TỈNH KHÁNH HÒA" and ws["A2"].value == "SỞ NỘI VỤ"
    assert "05/03/2026" in ws["A5"].value
    headers = [c for c in next(ws.iter_rows(min_row=7, max_row=7, values_only=True)) if c]
    assert headers == ["STT", "Tên cơ quan, đơn vị", *TYPE_HEADERS, "Ghi chú"]
    groups, units, total = rows_of(ws)
    expected = expected_by_type(sample_inputs.positions)
    assert len(units) == len(expected) == sample_inputs.positions["unit_id"].nunique()
    for r in units:
        e = expected[r[1]]
        assert list(r[2:12]) == [*e["total"], *e["civil_servant"], *e["budget"],
                                 *e["revenue"], *e["contract"]], r[1]
        # the parts make the whole
        assert r[2] == r[4] + r[6] + r[8] + r[10] and r[3] == r[5] + r[7] + r[9] + r[11]
    # group rows (I, II, …) carry their units' sums; the total is the sum of the groups
    assert [g[0] for g in groups] == ["I", "II", "III", "IV", "V", "VI", "VII"][:len(groups)]
    assert [sum(g[j] for g in groups) for j in range(2, 12)] == list(total[2:12])
    assert total[2] == sample_inputs.positions["quota"].sum()
    assert total[3] == sample_inputs.positions["headcount"].sum()


def test_form_2_by_position_group_reads_the_groups_from_the_data(tmp_path):
    inputs = load_inputs(write(tmp_path, ROWS))
    wb = openpyxl.load_workbook(io.BytesIO(staffing_report_xlsx(inputs, created=DAY)),
                                data_only=True)
    ws = wb["Biểu 2 - Theo nhóm VTVL"]
    headers = [c for c in next(ws.iter_rows(min_row=7, max_row=7, values_only=True)) if c]
    assert headers == ["STT", "Tên cơ quan, đơn vị", *GROUP_HEADERS, "Ghi chú"]
    _, units, total = rows_of(ws)
    by_name = {r[1]: r for r in units}
    # from ROWS: Khánh Sơn has a specialist (5 / 3) and a shared post (3 / 2); the school a
    # teacher (specialist, 10 / 7), a head (leadership, 1 / 1), a guard (support, 2 / 1)
    assert list(by_name["UBND huyện Khánh Sơn"][2:14]) == [8, 5, 0, 0, 5, 3, 3, 2, 0, 0, 0, 0]
    assert list(by_name["Trường Tiểu học Sơn Bình"][2:14]) == [13, 9, 1, 1, 10, 7, 0, 0, 2, 1,
                                                               0, 0]
    assert list(total[2:14]) == [21, 14, 1, 1, 15, 10, 3, 2, 2, 1, 0, 0]
    # the sample carries no position group: every post is "not determined", never guessed
    sample = openpyxl.load_workbook(io.BytesIO(staffing_report_xlsx(
        load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"]), created=DAY)),
        data_only=True)["Biểu 2 - Theo nhóm VTVL"]
    _, _, total = rows_of(sample)
    assert total[2] == total[12] and total[3] == total[13] and sum(total[4:12]) == 0


def test_cli_writes_the_apps_report_byte_for_byte(sample_inputs, tmp_path):
    from planner.ui.plan_results import staffing_xlsx

    out = tmp_path / "F.xlsx"
    r = subprocess.run([sys.executable, "-m", "planner", "document", "staffing-report",
                        "--out", str(out), "--date", "2026-03-05", "--body", "Sở Nội vụ"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == staffing_xlsx(sample_inputs, created=DAY, body="Sở Nội vụ")
    assert out.read_bytes() == staffing_report_xlsx(sample_inputs, created=DAY,
                                                    reporter=Reporter(body="Sở Nội vụ"))


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed; `make test` "
                    "installs it through scripts/ensure-system-deps")
def test_libreoffice_prints_the_report(sample_inputs, tmp_path):
    from pypdf import PdfReader

    path = tmp_path / "bao_cao_bien_che.xlsx"
    path.write_bytes(staffing_report_xlsx(sample_inputs, created=DAY,
                                          reporter=Reporter(body="Sở Nội vụ")))
    pdf = soffice_convert(path, "pdf", tmp_path)
    pages = PdfReader(pdf).pages
    first = " ".join(pages[0].extract_text().split())
    for words in ("SỞ NỘI VỤ", "Biểu số 01", "BIÊN CHẾ ĐƯỢC GIAO VÀ SỐ CÓ MẶT", "ĐVT: người",
                  "Công chức", "Được giao", "Có mặt", "Khối Sở, ban, ngành"):
        assert words in first, words
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages}
    assert sizes == {(842, 595)}  # A4 landscape
    everything = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Tổng cộng" in everything and "THỦ TRƯỞNG ĐƠN VỊ" in everything
    save_page_png(pdf, ARTIFACTS / "bao_cao_bien_che_trang1.png")

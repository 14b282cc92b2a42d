"""A corpus of workbooks laid out like the forms provincial offices fill in (issue 11).

Every file is built here by code, cell by cell, after the layouts offices use: the Ministry of
Home Affairs' staffing report forms (biểu số lượng công chức, viên chức; headers three to four
rows deep, "Trong đó" columns, a row of column numbers), the budget-estimate forms for staff and
salary funds (dự toán: "năm N-1 | năm N" side by side, "ĐVT: triệu đồng", "Nội dung" as the unit
column), provincial quota decisions and their annexes ("Phụ lục … kèm theo Quyết định số
…/QĐ-UBND": per unit, split into biên chế công chức / số người làm việc / HĐ 111, "tạm giao" and
"giao"), recruitment plan annexes (Decree 115/2020 art. 4: units on heading rows, positions
below) and unit × position tables with merged headers.

Each :class:`Case` carries the figures a person reads off the printed form (``rows``: unit,
position, staff type, quota, headcount per row to plan), or the refusal expected (the message
code, and the ``--map`` that resolves it, after which ``rows`` must be read). Nothing here is
computed by the code under test.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl

Rows = Sequence[Sequence[Any]]
CC, VC, HD = "civil_servant", "public_employee", "contract"
WHOLE = "Toàn đơn vị"


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: Rows
    merges: Sequence[str] = ()
    hidden: bool = False
    hidden_rows: Sequence[int] = ()  # Excel row numbers
    hidden_cols: Sequence[str] = ()  # letters


@dataclass(frozen=True)
class Case:
    name: str  # file name, as an office would save it
    form: str  # which real form it is laid out like
    quotas: bytes
    rows: tuple[tuple[str, str, str, int, int], ...] = ()  # unit, position, staff type, q, h
    headcounts: bytes | None = None
    headcounts_name: str = "so_co_mat.xlsx"
    warnings: tuple[str, ...] = ()  # codes that must be among the warnings
    refused: str | None = None  # the error code expected
    fix: dict[str, dict[str, str]] = field(default_factory=dict)  # the --map that resolves it
    year: int | None = None
    departures: int = 0


def book(*sheets: Sheet) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in sheets:
        ws = wb.create_sheet(s.name)
        for r, row in enumerate(s.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for m in s.merges:
            ws.merge_cells(m)
        for r in s.hidden_rows:
            ws.row_dimensions[r].hidden = True
        for c in s.hidden_cols:
            ws.column_dimensions[c].hidden = True
        if s.hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet(rows: Rows, merges: Sequence[str] = (), name: str = "Biểu 1", **kw: Any) -> bytes:
    return book(Sheet(name, rows, merges, **kw))


def heading(form: str, title: str, basis: str, unit: str = "ĐVT: người") -> list[list[Any]]:
    """The lines above a table on a Decree 30/2020 form: issuing body and motto, form number,
    title, the document it is attached to, the unit of measure."""
    return [
        ["UBND TỈNH KHÁNH HÒA", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["SỞ NỘI VỤ", None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        [],
        [form],
        [title],
        [basis],
        [None, None, None, None, unit],
    ]


SIGNATURE = [
    [],
    [None, None, None, None, "Khánh Hòa, ngày 15 tháng 01 năm 2026"],
    ["Người lập biểu", None, None, None, "GIÁM ĐỐC"],
    [None, None, None, None, "(Ký tên, đóng dấu)"],
    ["Nguyễn Văn An", None, None, None, "Trần Thị Bình"],
]
TOP = len(heading("", "", ""))  # rows above every header below: 7


def _cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    h = heading

    # 1. unit × position table, groups I/II, subtotals and a grand total, signature lines
    rows = [*h("Biểu số 01", "TỔNG HỢP BIÊN CHẾ CÔNG CHỨC NĂM 2026",
               "(Kèm theo Công văn số 45/SNV-TCBC ngày 10/01/2026)"),
            ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt",
             "Hệ số lương", "Ghi chú"],
            ["I", "Khối Sở, ban, ngành"],
            [1, "Sở Nội vụ", "Chuyên viên", 12, 10, "2,34"],
            [2, "Sở Nội vụ", "Văn thư", 2, 2, "1,86"],
            [3, "Sở Tư pháp", "Chuyên viên", 9, 7, "2,34"],
            [None, "Cộng khối I", None, 23, 19],
            ["II", "Khối đơn vị sự nghiệp"],
            [4, "Trung tâm Dịch vụ việc làm", "Kế toán", 3, 1, "2,34"],
            [None, "Cộng khối II", None, 3, 1],
            [None, "Tổng cộng", None, 26, 20],
            *SIGNATURE]
    add(Case("01_bien_che_theo_vi_tri.xlsx", "unit × position summary (Sở Nội vụ)", sheet(rows),
             (("Sở Nội vụ", "Chuyên viên", CC, 12, 10), ("Sở Nội vụ", "Văn thư", CC, 2, 2),
              ("Sở Tư pháp", "Chuyên viên", CC, 9, 7),
              ("Trung tâm Dịch vụ việc làm", "Kế toán", CC, 3, 1))))

    # 2. classic two-row header, parent merged, column numbers (1)…(6)
    rows = [*h("Biểu số 02", "BIÊN CHẾ ĐƯỢC GIAO VÀ CÓ MẶT", "(Kèm theo Báo cáo số 12/BC-SNV)"),
            ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế", None, "Ghi chú"],
            [None, None, None, "Được giao", "Có mặt", None],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            [1, "Sở Y tế", "Thanh tra viên", 4, 3],
            [2, "Sở Y tế", "Chuyên viên", 10, 10],
            *SIGNATURE]
    add(Case("02_hai_dong_tieu_de.xlsx", "two-row header, merged parent", sheet(
        rows, ["D8:E8", "A8:A9", "B8:B9", "C8:C9", "F8:F9"]),
        (("Sở Y tế", "Thanh tra viên", CC, 4, 3), ("Sở Y tế", "Chuyên viên", CC, 10, 10))))

    # 3. the misread: "A | B | C | 1 | 2 | 3=1-2" under the header
    rows = [*h("Biểu số 03", "BIÊN CHẾ CHƯA SỬ DỤNG", "(Kèm theo Công văn số 88/SNV)"),
            ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt",
             "Biên chế chưa sử dụng"],
            ["A", "B", "C", 1, 2, "3=1-2"],
            [1, "Sở Tài chính", "Kế toán viên", 6, 5, 1],
            [2, "Sở Tài chính", "Chuyên viên", 8, 8, 0]]
    add(Case("03_so_cot_chu_va_so.xlsx", "column numbers A B C 1 2 3=1-2", sheet(rows),
             (("Sở Tài chính", "Kế toán viên", CC, 6, 5),
              ("Sở Tài chính", "Chuyên viên", CC, 8, 8))))

    # 4. column numbers typed as numbers 1 2 3 4 5
    rows = [*h("Biểu số 04", "BIÊN CHẾ NĂM 2026", "(Kèm theo Công văn số 9/SNV)"),
            ["STT", "Tên cơ quan, đơn vị", "Vị trí việc làm", "Chỉ tiêu biên chế", "Số hiện có"],
            [1, 2, 3, 4, 5],
            [1, "Văn phòng UBND tỉnh", "Chuyên viên", 15, 13],
            [2, "Văn phòng UBND tỉnh", "Lái xe", 3, 3]]
    add(Case("04_so_cot_kieu_so.xlsx", "column numbers typed as numbers", sheet(rows),
             (("Văn phòng UBND tỉnh", "Chuyên viên", CC, 15, 13),
              ("Văn phòng UBND tỉnh", "Lái xe", CC, 3, 3))))

    # 5. per-unit table split by staff type, 3-row header with "Trong đó", totals row
    rows = [*h("Biểu số 01/BNV", "SỐ LƯỢNG CÔNG CHỨC, VIÊN CHỨC NĂM 2026",
               "(Kèm theo Công văn số 5/BNV-TCBC)"),
            ["STT", "Tên cơ quan, đơn vị", "Biên chế được giao năm 2026", None, None, None,
             "Biên chế có mặt", None, None, None],
            [None, None, "Tổng số", "Trong đó", None, None, "Tổng số", "Trong đó", None, None],
            [None, None, None, "Công chức", "Viên chức", "HĐ 111", None, "Công chức",
             "Viên chức", "HĐ 111"],
            ["1", "2", "3=4+5+6", "4", "5", "6", "7=8+9+10", "8", "9", "10"],
            [1, "Sở Nội vụ", 30, 25, None, 5, 28, 24, None, 4],
            [2, "Trung tâm Y tế huyện Diên Khánh", 120, None, 110, 10, 100, None, 95, 5],
            [None, "Tổng cộng", 150, 25, 110, 15, 128, 24, 95, 9]]
    merges = ["C8:F8", "G8:J8", "D9:F9", "H9:J9", "A8:A10", "B8:B10", "C9:C10", "G9:G10"]
    add(Case("05_theo_don_vi_chia_loai.xlsx", "Ministry staffing report, per unit by staff type",
             sheet(rows, merges),
             (("Sở Nội vụ", f"{WHOLE} (công chức)", CC, 25, 24),
              ("Sở Nội vụ", f"{WHOLE} (hợp đồng NĐ 111)", HD, 5, 4),
              ("Trung tâm Y tế huyện Diên Khánh", f"{WHOLE} (viên chức)", VC, 110, 95),
              ("Trung tâm Y tế huyện Diên Khánh", f"{WHOLE} (hợp đồng NĐ 111)", HD, 10, 5)),
             warnings=("default_coefficient",)))

    # 6. per-unit, no positions, no coefficient, no split
    rows = [*h("Phụ lục I", "BIÊN CHẾ CÔNG CHỨC CÁC CƠ QUAN HÀNH CHÍNH NĂM 2026",
               "(Kèm theo Quyết định số 120/QĐ-UBND ngày 20/12/2025 của UBND tỉnh)"),
            ["STT", "Tên cơ quan, đơn vị", "Biên chế công chức được giao", "Số có mặt",
             "Ghi chú"],
            [1, "Sở Kế hoạch và Đầu tư", 45, 41],
            [2, "Sở Xây dựng", 38, 38],
            [3, "Thanh tra tỉnh", 30, 27, "Có 1 biệt phái"],
            [None, "Cộng", 113, 106]]
    add(Case("06_theo_don_vi.xlsx", "quota decision annex, per unit", sheet(rows),
             (("Sở Kế hoạch và Đầu tư", WHOLE, CC, 45, 41), ("Sở Xây dựng", WHOLE, CC, 38, 38),
              ("Thanh tra tỉnh", WHOLE, CC, 30, 27)), warnings=("default_coefficient",)))

    # 7. "Biên chế có mặt › Biên chế" beside the quota: the leaf is on board, never the quota
    rows = [*h("Biểu số 07", "TÌNH HÌNH SỬ DỤNG BIÊN CHẾ", "(Kèm theo Báo cáo số 3/BC-SYT)"),
            ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế có mặt", None,
             "Biên chế được giao"],
            [None, None, None, "Biên chế", "Hợp đồng", None],
            [1, "Bệnh viện Đa khoa tỉnh", "Bác sĩ", 80, 6, 95],
            [2, "Bệnh viện Đa khoa tỉnh", "Điều dưỡng", 150, 12, 160]]
    add(Case("07_co_mat_bien_che.xlsx", "on board split biên chế / hợp đồng", sheet(
        rows, ["D8:E8", "A8:A9", "B8:B9", "C8:C9", "F8:F9"]),
        (("Bệnh viện Đa khoa tỉnh", "Bác sĩ", CC, 95, 80),
         ("Bệnh viện Đa khoa tỉnh", "Điều dưỡng", CC, 160, 150)),
        warnings=("column_not_used",)))

    # 8. two years side by side: the latest is read, with a warning naming both
    rows = [*h("Biểu số 08", "BIÊN CHẾ GIAO NĂM 2025 VÀ NĂM 2026", "(Kèm theo Tờ trình số 7)"),
            ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao năm 2025",
             "Biên chế được giao năm 2026", "Số có mặt đến ngày 31/12/2025"],
            [1, "Sở Công Thương", "Chuyên viên", 20, 18, 17],
            [2, "Sở Công Thương", "Kiểm soát viên thị trường", 40, 38, 36]]
    two_years = sheet(rows)
    add(Case("08_hai_nam.xlsx", "quota collection sheet, two years", two_years,
             (("Sở Công Thương", "Chuyên viên", CC, 18, 17),
              ("Sở Công Thương", "Kiểm soát viên thị trường", CC, 38, 36)),
             warnings=("column_choice_latest_year",)))
    add(Case("08b_hai_nam_chon_2025.xlsx", "the same, --year 2025", two_years,
             (("Sở Công Thương", "Chuyên viên", CC, 20, 17),
              ("Sở Công Thương", "Kiểm soát viên thị trường", CC, 40, 36)),
             warnings=("column_choice_year",), year=2025))

    # 9. provisional and final quota side by side: the final is read
    rows = [*h("Phụ lục II", "BIÊN CHẾ TẠM GIAO VÀ GIAO CHÍNH THỨC NĂM 2026",
               "(Kèm theo Quyết định số 15/QĐ-UBND)"),
            ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế tạm giao", "Biên chế giao",
             "Biên chế hiện có"],
            [1, "UBND phường Nha Trang", "Công chức Văn phòng - Thống kê", 4, 3, 3],
            [2, "UBND phường Nha Trang", "Công chức Tư pháp - Hộ tịch", 3, 3, 2]]
    add(Case("09_tam_giao_va_giao.xlsx", "provisional and final quota", sheet(rows),
             (("UBND phường Nha Trang", "Công chức Văn phòng - Thống kê", CC, 3, 3),
              ("UBND phường Nha Trang", "Công chức Tư pháp - Hộ tịch", CC, 3, 2)),
             warnings=("column_choice_final_over_provisional",)))

    # 10. two quota columns no rule decides: refused, naming them; --map resolves it
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế giao theo Đề án",
             "Biên chế giao theo Kế hoạch", "Số có mặt"],
            [1, "Sở Giáo dục và Đào tạo", "Chuyên viên", 30, 28, 26]]
    add(Case("10_hai_cot_giao.xlsx", "two quota columns, no rule", sheet(rows),
             (("Sở Giáo dục và Đào tạo", "Chuyên viên", CC, 28, 26),),
             refused="ambiguous_column",
             fix={"quotas": {"quota": "Biên chế giao theo Kế hoạch"}}))

    # 11. budget-estimate form: "Nội dung" rows are units, year N-1 / N, money columns
    rows = [*h("Biểu số 02/DT", "DỰ TOÁN BIÊN CHẾ VÀ QUỸ LƯƠNG NĂM 2026",
               "(Theo Thông tư hướng dẫn xây dựng dự toán)", "ĐVT: người; triệu đồng"),
            ["STT", "Nội dung", "Biên chế năm 2025 được giao", "Biên chế năm 2026 được giao",
             "Có mặt đến ngày 31/12/2025", "Kinh phí", "Ghi chú"],
            ["A", "B", 1, 2, 3, 4, 5],
            [1, "Văn phòng Sở", 25, 24, 22, "2.856"],
            [2, "Chi cục Thủy lợi", 18, 17, 17, "2.024"],
            [None, "Tổng cộng", 43, 41, 39, "4.880"]]
    add(Case("11_du_toan.xlsx", "budget estimate for staff and salary funds", sheet(rows),
             (("Văn phòng Sở", WHOLE, CC, 24, 22), ("Chi cục Thủy lợi", WHOLE, CC, 17, 17)),
             warnings=("column_choice_latest_year", "default_coefficient")))

    # 12. recruitment plan annex: units on heading rows, positions below
    rows = [*h("Phụ lục", "KẾ HOẠCH TUYỂN DỤNG VIÊN CHỨC NĂM 2026",
               "(Kèm theo Kế hoạch số 30/KH-SGDĐT)"),
            ["STT", "Đơn vị", "Vị trí việc làm", "Số lượng người làm việc được giao",
             "Số lượng viên chức hiện có", "Nhu cầu tuyển dụng", "Trình độ chuyên môn"],
            ["I", "Khối trường THPT"],
            ["1", "Trường THPT Lý Tự Trọng"],
            [None, None, "Giáo viên Toán", 8, 6, 2, "Đại học"],
            [None, None, "Giáo viên Ngữ văn", 7, 7, 0, "Đại học"],
            ["2", "Trường THPT Nguyễn Văn Trỗi"],
            [None, None, "Giáo viên Tin học", 3, 1, 2, "Đại học"]]
    add(Case("12_ke_hoach_tuyen_dung.xlsx", "recruitment plan annex (Decree 115 art. 4)",
             sheet(rows),
             (("Trường THPT Lý Tự Trọng", "Giáo viên Toán", CC, 8, 6),
              ("Trường THPT Lý Tự Trọng", "Giáo viên Ngữ văn", CC, 7, 7),
              ("Trường THPT Nguyễn Văn Trỗi", "Giáo viên Tin học", CC, 3, 1))))

    # 13. wide table: one column per position under each parent
    rows = [*h("Biểu số 13", "BIÊN CHẾ THEO VỊ TRÍ VIỆC LÀM", "(Kèm theo Công văn số 2)"),
            ["STT", "Tên đơn vị", "Biên chế được giao", None, None, "Số có mặt", None, None],
            [None, None, "Chuyên viên", "Kế toán", "Văn thư", "Chuyên viên", "Kế toán",
             "Văn thư"],
            [1, "Sở Ngoại vụ", 10, 2, 1, 9, 2, 1],
            [2, "Ban Dân tộc", 8, 1, None, 6, 1, None]]
    add(Case("13_bang_ngang.xlsx", "one column per job position", sheet(
        rows, ["C8:E8", "F8:H8", "A8:A9", "B8:B9"]),
        (("Sở Ngoại vụ", "Chuyên viên", CC, 10, 9), ("Sở Ngoại vụ", "Kế toán", CC, 2, 2),
         ("Sở Ngoại vụ", "Văn thư", CC, 1, 1), ("Ban Dân tộc", "Chuyên viên", CC, 8, 6),
         ("Ban Dân tộc", "Kế toán", CC, 1, 1))))

    # 14. quotas with codes, headcounts keyed by codes only (an HR database export)
    quotas = sheet([["Mã đơn vị", "Tên đơn vị", "Mã vị trí", "Vị trí việc làm",
                     "Biên chế được giao", "Hệ số lương"],
                    ["SNV", "Sở Nội vụ", "CV", "Chuyên viên", 12, 2.34],
                    ["SNV", "Sở Nội vụ", "VT", "Văn thư", 2, 1.86],
                    ["STP", "Sở Tư pháp", "CV", "Chuyên viên", 9, 2.34]])
    heads = sheet([["unit_id", "position_id", "headcount", "expected_departures"],
                   ["SNV", "CV", 10, 1], ["SNV", "VT", 2, 0], ["STP", "CV", 7, 0]],
                  name="export")
    add(Case("14_ma_so.xlsx", "headcounts exported by codes only", quotas,
             (("Sở Nội vụ", "Chuyên viên", CC, 12, 10), ("Sở Nội vụ", "Văn thư", CC, 2, 2),
              ("Sở Tư pháp", "Chuyên viên", CC, 9, 7)), headcounts=heads,
             headcounts_name="csdl_export.xlsx", departures=1))

    # 15. hidden sheet, hidden rows and a hidden column: skipped with warnings
    visible = [*h("Biểu số 15", "BIÊN CHẾ NĂM 2026", "(Kèm theo Công văn số 15)"),
               ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao năm 2025",
                "Biên chế được giao", "Số có mặt"],
               [1, "Sở Du lịch", "Chuyên viên", 99, 11, 10],
               [2, "Sở Du lịch (đã giải thể)", "Chuyên viên", 99, 5, 5],
               [3, "Sở Du lịch", "Văn thư", 99, 1, 1]]
    old = [["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt"],
           ["Sở Du lịch", "Chuyên viên", 50, 50]]
    add(Case("15_an.xlsx", "hidden sheet, rows and column", book(
        Sheet("Số liệu cũ", old, hidden=True),
        Sheet("Biểu 1", visible, hidden_rows=(10,), hidden_cols=("D",))),
        (("Sở Du lịch", "Chuyên viên", CC, 11, 10), ("Sở Du lịch", "Văn thư", CC, 1, 1)),
        warnings=("hidden_sheet_skipped", "hidden_rows_skipped", "hidden_columns_skipped")))

    # 16. the only table on a hidden sheet: refused, saying so
    add(Case("16_chi_co_trang_an.xlsx", "table only on a hidden sheet", book(
        Sheet("Hướng dẫn", [["Hướng dẫn điền biểu"], ["Điền số liệu vào trang 2"]]),
        Sheet("Số liệu", old, hidden=True)), refused="table_on_hidden_sheet"))

    # 17. a quota typed as a percentage: refused
    rows = [["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt", "Hệ số lương"],
            ["Sở Nội vụ", "Chuyên viên", "100%", 9, "2,34%"]]
    add(Case("17_phan_tram.xlsx", "percentages in counts", sheet(rows),
             refused="percent_in_count"))

    # 18. a total the rows do not add up to: refused, naming the total row
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt"],
            [1, "Sở Nội vụ", "Chuyên viên", 12, 10],
            [2, "Sở Tư pháp", "Chuyên viên", 9, 7],
            [None, "Tổng cộng", None, 25, 17]]
    add(Case("18_tong_lech.xlsx", "a grand total that disagrees", sheet(rows),
             refused="total_mismatch"))

    # 19. "Tổng số" unequal to its parts: refused, naming the cells
    rows = [["STT", "Tên đơn vị", "Biên chế được giao", None, None, "Số có mặt", None, None],
            [None, None, "Tổng số", "Công chức", "Viên chức", "Tổng số", "Công chức",
             "Viên chức"],
            [1, "Sở Văn hóa", 50, 20, 25, 45, 20, 25]]
    add(Case("19_tong_so_lech.xlsx", "Tổng số is not the sum of its parts", sheet(
        rows, ["C1:E1", "F1:H1", "A1:A2", "B1:B2"]), refused="part_total_mismatch"))

    # 20. units whose names begin like a total word are data
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt"],
            [1, "Cộng đồng dân cư thôn Xuân Sơn - Tổ hỗ trợ", "Nhân viên", 2, 1],
            [2, "Công an tỉnh", "Kế toán", 2, 2],
            [3, "Tổng cục Thống kê - Chi cục", "Thống kê viên", 4, 4],
            [None, "Tổng cộng", None, 8, 7]]
    add(Case("20_ten_giong_dong_tong.xlsx", "unit names beginning with Cộng / Tổng",
             sheet(rows),
             (("Cộng đồng dân cư thôn Xuân Sơn - Tổ hỗ trợ", "Nhân viên", CC, 2, 1),
              ("Công an tỉnh", "Kế toán", CC, 2, 2),
              ("Tổng cục Thống kê - Chi cục", "Thống kê viên", CC, 4, 4))))

    # 21. a group title merged across every column; a unit merged down its positions
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt"],
            ["I", "KHỐI SỞ, BAN, NGÀNH"],
            [1, "Sở Tài nguyên và Môi trường", "Chuyên viên", 14, 12],
            [2, None, "Kế toán", 2, 2],
            [3, None, "Văn thư", 1, 0]]
    add(Case("21_gop_o.xlsx", "merged group title and merged unit cell", sheet(
        rows, ["B2:E2", "B3:B5"]),
        (("Sở Tài nguyên và Môi trường", "Chuyên viên", CC, 14, 12),
         ("Sở Tài nguyên và Môi trường", "Kế toán", CC, 2, 2),
         ("Sở Tài nguyên và Môi trường", "Văn thư", CC, 1, 0))))

    # 22. provincial decision annex: biên chế công chức / số người làm việc / HĐ 68, groups
    rows = [*h("Phụ lục", "GIAO BIÊN CHẾ CÔNG CHỨC, SỐ LƯỢNG NGƯỜI LÀM VIỆC NĂM 2026",
               "(Kèm theo Quyết định số 3456/QĐ-UBND ngày 25/12/2025 của UBND tỉnh)"),
            ["TT", "Tên cơ quan, tổ chức, đơn vị", "Số lượng biên chế được giao", None, None,
             "Số lượng hiện có", None, None],
            [None, None, "Biên chế công chức", "Số người làm việc", "HĐ 68",
             "Biên chế công chức", "Số người làm việc", "HĐ 68"],
            ["A", "B", "1", "2", "3", "4", "5", "6"],
            ["I", "Cấp tỉnh"],
            [1, "Sở Nông nghiệp và Môi trường", 60, 12, 4, 58, 10, 4],
            [2, "Trung tâm Khuyến nông", None, 25, 2, None, 22, 2],
            [None, "Cộng I", 60, 37, 6, 58, 32, 6]]
    add(Case("22_quyet_dinh_giao.xlsx", "provincial quota decision annex", sheet(
        rows, ["C8:E8", "F8:H8", "A8:A9", "B8:B9"]),
        (("Sở Nông nghiệp và Môi trường", f"{WHOLE} (công chức)", CC, 60, 58),
         ("Sở Nông nghiệp và Môi trường", f"{WHOLE} (viên chức)", VC, 12, 10),
         ("Sở Nông nghiệp và Môi trường", f"{WHOLE} (hợp đồng NĐ 111)", HD, 4, 4),
         ("Trung tâm Khuyến nông", f"{WHOLE} (viên chức)", VC, 25, 22),
         ("Trung tâm Khuyến nông", f"{WHOLE} (hợp đồng NĐ 111)", HD, 2, 2))))

    # 23. numbers as text: dot thousands, decimal comma, four-row header
    rows = [["BIỂU TỔNG HỢP"],
            ["STT", "Tên đơn vị", "Vị trí việc làm", "Số lượng biên chế", None, "Hệ số lương"],
            [None, None, None, "Năm 2026", None, None],
            [None, None, None, "Được giao", "Hiện có", None],
            ["1", "Sở Giáo dục và Đào tạo (khối trường)", "Giáo viên", "1.234", "1.198", "2,34"],
            ["2", "Sở Y tế (khối bệnh viện)", "Bác sĩ", "1.020", "987", "2,34"]]
    add(Case("23_so_dang_chu.xlsx", "numbers typed as text, four header rows", sheet(
        rows, ["D2:E2", "D3:E3", "A2:A4", "B2:B4", "C2:C4", "F2:F4"]),
        (("Sở Giáo dục và Đào tạo (khối trường)", "Giáo viên", CC, 1234, 1198),
         ("Sở Y tế (khối bệnh viện)", "Bác sĩ", CC, 1020, 987))))

    # 24. per-unit quotas and a per-unit headcounts file, both split the same way
    quotas = sheet([["STT", "Tên đơn vị", "Biên chế được giao", None],
                    [None, None, "Công chức", "Viên chức"],
                    [1, "UBND xã Cam Hải", 22, 3],
                    [2, "UBND xã Cam Hiệp", 20, 2]], ["C1:D1", "A1:A2", "B1:B2"])
    heads = sheet([["STT", "Tên đơn vị", "Số có mặt", None],
                   [None, None, "Công chức", "Viên chức"],
                   [1, "UBND xã Cam Hải", 21, 3],
                   [2, "UBND xã Cam Hiệp", 18, 1]], ["C1:D1", "A1:A2", "B1:B2"])
    add(Case("24_hai_tep_theo_don_vi.xlsx", "per-unit quotas and headcounts in two files",
             quotas, (("UBND xã Cam Hải", f"{WHOLE} (công chức)", CC, 22, 21),
                      ("UBND xã Cam Hải", f"{WHOLE} (viên chức)", VC, 3, 3),
                      ("UBND xã Cam Hiệp", f"{WHOLE} (công chức)", CC, 20, 18),
                      ("UBND xã Cam Hiệp", f"{WHOLE} (viên chức)", VC, 2, 1)),
             headcounts=heads))

    # 25. Ministry form: "Số có mặt" with "Trong đó: Nữ | Đảng viên" (not staff types)
    rows = [*h("Biểu số 02/BNV", "SỐ LƯỢNG, CHẤT LƯỢNG CÔNG CHỨC", "(Kèm theo Thông tư)"),
            ["STT", "Tên đơn vị", "Biên chế được giao", "Số có mặt", None, None],
            [None, None, None, "Tổng số", "Trong đó", None],
            [None, None, None, None, "Nữ", "Đảng viên"],
            [1, "Sở Khoa học và Công nghệ", 35, 33, 15, 20],
            [2, "Sở Thông tin và Truyền thông", 30, 29, 12, 18]]
    add(Case("25_trong_do_nu.xlsx", "Ministry quality report with Nữ / Đảng viên", sheet(
        rows, ["D8:F8", "E9:F9", "A8:A10", "B8:B10", "C8:C10", "D9:D10"]),
        (("Sở Khoa học và Công nghệ", WHOLE, CC, 35, 33),
         ("Sở Thông tin và Truyền thông", WHOLE, CC, 30, 29)),
        warnings=("column_not_used",)))

    # 26. headcount split but the quota is not, with no "Biên chế" column: refused with --map
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Có mặt", None],
            [None, None, None, None, "Công chức", "Hợp đồng khác"],
            [1, "Sở Nội vụ", "Chuyên viên", 10, 9, 2]]
    add(Case("26_co_mat_chia_loai.xlsx", "headcount split, quota not", sheet(
        rows, ["E1:F1", "A1:A2", "B1:B2", "C1:C2", "D1:D2"]),
        (("Sở Nội vụ", "Chuyên viên", CC, 10, 9),),
        refused="split_not_in_quota", fix={"quotas": {"headcount": "Có mặt › Công chức"}}))

    # 27. coefficients on some rows only: one summary warning
    rows = [["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt", "Hệ số lương"],
            ["Sở Nội vụ", "Chuyên viên chính", 3, 3, "4,40"],
            ["Sở Nội vụ", "Chuyên viên", 12, 9, None],
            ["Sở Nội vụ", "Văn thư", 2, 1, None]]
    add(Case("27_he_so_thieu.xlsx", "coefficient on some rows only", sheet(rows),
             (("Sở Nội vụ", "Chuyên viên chính", CC, 3, 3), ("Sở Nội vụ", "Chuyên viên", CC, 12, 9),
              ("Sở Nội vụ", "Văn thư", CC, 2, 1)), warnings=("default_coefficient",)))

    # 28. column numbers "(1) (2) (3)…(5)=(3)-(4)" and a staff type column
    rows = [["STT", "Tên đơn vị", "Vị trí việc làm", "Loại", "Biên chế được giao", "Số có mặt",
             "Còn thiếu"],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)=(5)-(6)"],
            [1, "Trường Cao đẳng Y tế", "Giảng viên", "Viên chức", 40, 36, 4],
            [2, "Trường Cao đẳng Y tế", "Bảo vệ", "HĐ 111", 4, 4, 0]]
    add(Case("28_so_cot_ngoac.xlsx", "column numbers in brackets with a formula", sheet(rows),
             (("Trường Cao đẳng Y tế", "Giảng viên", VC, 40, 36),
              ("Trường Cao đẳng Y tế", "Bảo vệ", HD, 4, 4))))

    # 29. one column for units (heading rows) and their positions (the rows below)
    rows = [*h("Phụ lục II", "NHU CẦU TUYỂN DỤNG CÔNG CHỨC NĂM 2026",
               "(Kèm theo Kế hoạch số 41/KH-UBND)"),
            ["STT", "Tên đơn vị / Vị trí việc làm", "Biên chế được giao", "Số có mặt",
             "Nhu cầu tuyển dụng"],
            ["1", "Sở Nội vụ"],
            ["-", "Chuyên viên về tổ chức bộ máy", 5, 4, 1],
            ["-", "Văn thư", 1, 1, 0],
            ["2", "Sở Tư pháp"],
            ["-", "Chuyên viên về hộ tịch", 3, 1, 2]]
    add(Case("29_don_vi_va_vi_tri_mot_cot.xlsx", "units and positions in one column",
             sheet(rows),
             (("Sở Nội vụ", "Chuyên viên về tổ chức bộ máy", CC, 5, 4),
              ("Sở Nội vụ", "Văn thư", CC, 1, 1),
              ("Sở Tư pháp", "Chuyên viên về hộ tịch", CC, 3, 1))))

    # 30. budget estimate "Năm N-1 | Năm N" under one parent: year N is read
    rows = [*h("Biểu số 01/DT", "DỰ TOÁN BIÊN CHẾ NĂM 2026", "(Kèm theo Công văn số 77/STC)"),
            ["STT", "Đơn vị", "Biên chế được giao", None, "Số có mặt"],
            [None, None, "Năm N-1", "Năm N", None],
            [1, "Chi cục Kiểm lâm", 60, 58, 55],
            [2, "Ban Quản lý rừng phòng hộ", 22, 20, 20]]
    add(Case("30_nam_n_1_va_nam_n.xlsx", "budget estimate, year N-1 and year N", sheet(
        rows, ["C8:D8", "A8:A9", "B8:B9", "E8:E9"]),
        (("Chi cục Kiểm lâm", WHOLE, CC, 58, 55), ("Ban Quản lý rừng phòng hộ", WHOLE, CC, 20, 20)),
        warnings=("column_choice_latest_year",)))
    return out


CASES = _cases()

"""The bundled sample: a SYNTHETIC province modelled on Khánh Hòa in 2019, and blank templates.

Nothing here is real data. Unit names follow the province's 2019 structure (about 20 provincial
departments and boards, 9 district-level People's Committees) with a few hundred schools and
health units; quotas, headcounts and rates are drawn at random (seeded, so the files are
reproducible). The period depicted is 2019, before the 2025 merger with Ninh Thuận and the
abolition of the district level. Regenerate with ``make sample`` (``python -m planner.io.sample``).
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.domain.columns import HEADCOUNTS, QUOTAS, UNITS, label

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
SAMPLE_DIR = DATA_DIR / "sample"
TEMPLATE_DIR = DATA_DIR / "templates"
SAMPLE_FILES = {
    "quotas": SAMPLE_DIR / "chi_tieu_bien_che.csv",
    "headcounts": SAMPLE_DIR / "so_co_mat.csv",
    "units": SAMPLE_DIR / "don_vi.csv",
}
SAMPLE_SCENARIO = SAMPLE_DIR / "phuong_an_mau.toml"
#: the multi-year plan's sample (issue 15): the quotas with a path to 2030, the same
#: headcounts and units, and a synthetic staff roster (invented names, dates and ID numbers)
SAMPLE_MULTIYEAR_FILES = {
    "quotas": SAMPLE_DIR / "chi_tieu_bien_che_2026_2030.csv",
    "headcounts": SAMPLE_FILES["headcounts"],
    "units": SAMPLE_FILES["units"],
    "roster": SAMPLE_DIR / "danh_sach_nhan_su.csv",
}
SAMPLE_WORKBOOK = SAMPLE_DIR / "bieu_bien_che_2019.xlsx"
#: the same quotas and headcounts per unit, split by staff type, as most quota tables are
SAMPLE_UNIT_WORKBOOK = SAMPLE_DIR / "bien_che_theo_don_vi_2019.xlsx"

DEPARTMENTS = [
    "Văn phòng UBND tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Sở Nội vụ", "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và PTNT",
    "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Ngoại vụ", "Thanh tra tỉnh", "Ban Dân tộc",
    "Ban Quản lý Khu kinh tế Vân Phong",
]
FEE_COLLECTING = {
    "Sở Tư pháp", "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Tài nguyên và Môi trường",
    "Sở Kế hoạch và Đầu tư", "Sở Công Thương", "Sở Nông nghiệp và PTNT", "Sở Y tế",
}
DISTRICTS = [
    ("UBND thành phố Nha Trang", "Nha Trang"), ("UBND thành phố Cam Ranh", "Cam Ranh"),
    ("UBND thị xã Ninh Hòa", "Ninh Hòa"), ("UBND huyện Vạn Ninh", "Vạn Ninh"),
    ("UBND huyện Diên Khánh", "Diên Khánh"), ("UBND huyện Khánh Vĩnh", "Khánh Vĩnh"),
    ("UBND huyện Khánh Sơn", "Khánh Sơn"), ("UBND huyện Cam Lâm", "Cam Lâm"),
    ("UBND huyện Trường Sa", "Trường Sa"),
]
MOUNTAIN = {"Khánh Vĩnh", "Khánh Sơn"}  # higher occupational allowances (unverified rates)

# (position, grade, coefficient, quota range, priority)
CIVIL_POSITIONS = [
    ("Chuyên viên tổng hợp", "Chuyên viên (A1)", 2.34, (6, 30), 1),
    ("Chuyên viên chính", "Chuyên viên chính (A2.1)", 4.40, (2, 8), 1),
    ("Thanh tra viên", "Thanh tra viên (A1)", 2.34, (0, 6), 1),
    ("Kế toán viên", "Kế toán viên (A1)", 2.34, (1, 3), 1),
    ("Văn thư", "Văn thư trung cấp (B)", 1.86, (1, 3), 1),
    ("Công nghệ thông tin", "Chuyên viên (A1)", 2.34, (1, 3), 1),
    ("Tiếp nhận và trả kết quả (Bộ phận Một cửa)", "Chuyên viên (A1)", 2.34, (1, 4), 3),
]
CONTRACT_POSITIONS = [
    ("Hỗ trợ chuyên môn, thu phí (HĐ 111)", "Nhân viên", 1.86, (1, 5)),
    ("Lái xe (HĐ 111)", "Nhân viên lái xe", 2.05, (0, 2)),
]
SCHOOL_LEVELS = [
    ("Trường Mầm non", 2.10, (8, 25), 0.35, "Giáo viên mầm non hạng III"),
    ("Trường Tiểu học", 2.34, (15, 40), 0.35, "Giáo viên tiểu học hạng III"),
    ("Trường THCS", 2.34, (20, 50), 0.30, "Giáo viên THCS hạng III"),
    ("Trường THPT", 2.34, (30, 70), 0.30, "Giáo viên THPT hạng III"),
]
HEALTH_POSITIONS = [
    ("Bác sĩ", "Bác sĩ hạng III", 2.34, 0.40, 3),
    ("Điều dưỡng", "Điều dưỡng hạng IV", 1.86, 0.30, 2),
    ("Hộ sinh", "Hộ sinh hạng IV", 1.86, 0.30, 2),
    ("Dược sĩ", "Dược sĩ hạng III", 2.34, 0.30, 1),
    ("Kỹ thuật viên xét nghiệm", "Kỹ thuật y hạng IV", 1.86, 0.20, 1),
]
COMMUNES_PER_DISTRICT = 5


def generate(seed: int = 2019) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(quotas, headcounts, units) with canonical column ids."""
    rng = random.Random(seed)
    quotas: list[dict[str, Any]] = []
    units: list[dict[str, Any]] = []

    def add(unit_id: str, unit: str, sector: str, position: str, grade: str, coef: float,
            quota: int, staff_type: str, source: str, priority: int,
            allowance: float | None = None) -> None:
        quotas.append({
            "unit_id": unit_id, "unit_name": unit, "position_id": f"{unit_id}-{len(quotas):04d}",
            "position_name": position, "grade": grade, "salary_coefficient": coef,
            "quota": quota, "staff_type": staff_type, "funding_source": source,
            "priority": priority, "allowance_rate": allowance, "sector": sector,
        })

    for k, dept in enumerate(DEPARTMENTS, 1):
        uid = f"S{k:02d}"
        units.append({"unit_id": uid, "unit_name": dept, "max_hires": rng.choice([None, 4, 6, 8]),
                      "min_fill": None})
        for pos, grade, coef, (lo, hi), prio in CIVIL_POSITIONS:
            q = rng.randint(lo, hi)
            if q:
                add(uid, dept, "Khối Sở, ban, ngành", pos, grade, coef, q, "civil_servant",
                    "state_budget", prio)
        if dept in FEE_COLLECTING:
            for pos, grade, coef, (lo, hi) in CONTRACT_POSITIONS:
                q = rng.randint(lo, hi)
                if q:
                    add(uid, dept, "Khối Sở, ban, ngành", pos, grade, coef, q, "contract",
                        "fee_revenue", 1, 0.0)
    for k, (ubnd, district) in enumerate(DISTRICTS, 1):
        uid = f"H{k:02d}"
        small = district == "Trường Sa"
        units.append({"unit_id": uid, "unit_name": ubnd, "max_hires": None,
                      "min_fill": 0.5 if district in MOUNTAIN else None})
        for pos, grade, coef, (lo, hi), prio in CIVIL_POSITIONS:
            q = rng.randint(lo, hi) // (3 if small else 1)
            if q:
                add(uid, ubnd, "Khối huyện, thị xã, thành phố", pos, grade, coef, q,
                    "civil_servant", "state_budget", prio)
        if not small:
            pos, grade, coef, (lo, hi) = CONTRACT_POSITIONS[0]
            add(uid, ubnd, "Khối huyện, thị xã, thành phố", pos, grade, coef, rng.randint(lo, hi),
                "contract", "fee_revenue", 1, 0.0)
        # schools and health units of the district (public employees)
        schools = {"Trường Mầm non": 8, "Trường Tiểu học": 10, "Trường THCS": 6, "Trường THPT": 3}
        if small:
            schools = {"Trường Tiểu học": 1, "Trường THCS": 1}
        elif district in MOUNTAIN:
            schools = {k: max(2, v // 2) for k, v in schools.items()}
        for level, coef, (lo, hi), allowance, grade in SCHOOL_LEVELS:
            for n in range(1, schools.get(level, 0) + 1):
                sid = f"{uid}-{level.split()[-1][:3].upper()}{n:02d}"
                name = f"{level} {district} số {n}"
                extra = 0.2 if district in MOUNTAIN else 0.0
                units.append({"unit_id": sid, "unit_name": name, "max_hires": None,
                              "min_fill": None})
                add(sid, name, "Giáo dục và Đào tạo", "Giáo viên", grade, coef,
                    rng.randint(lo, hi), "public_employee", "state_budget", 2, allowance + extra)
                add(sid, name, "Giáo dục và Đào tạo", "Kế toán", "Kế toán viên trung cấp", 2.10,
                    1, "public_employee", "state_budget", 1, 0.0)
                if level != "Trường Mầm non":
                    add(sid, name, "Giáo dục và Đào tạo", "Thư viện - thiết bị",
                        "Thư viện viên hạng IV", 1.86, 1, "public_employee", "state_budget", 1,
                        0.0)
        health = [(f"Trung tâm Y tế {district}", (3, 8))] + [
            (f"Trạm Y tế xã {n:02d} ({district})", (0, 1)) for n in range(
                1, (1 if small else COMMUNES_PER_DISTRICT) + 1)]
        for n, (name, (lo, hi)) in enumerate(health):
            hid = f"{uid}-YT{n:02d}"
            units.append({"unit_id": hid, "unit_name": name, "max_hires": None, "min_fill": None})
            scale = 6 if n == 0 else 1
            for pos, grade, coef, allowance, prio in HEALTH_POSITIONS:
                q = rng.randint(lo, hi) * scale + (1 if n and pos in ("Bác sĩ", "Điều dưỡng")
                                                   else 0)
                if q:
                    add(hid, name, "Y tế", pos, grade, coef, q, "public_employee",
                        "state_budget", prio, allowance + (0.2 if district in MOUNTAIN else 0.0))
    for name, scale in (("Bệnh viện Đa khoa tỉnh Khánh Hòa", 30), ("Bệnh viện Y học cổ truyền", 5),
                        ("Bệnh viện Lao và Bệnh phổi", 4), ("Bệnh viện Nhi", 6)):
        uid = f"BV{len([u for u in units if u['unit_id'].startswith('BV')]) + 1:02d}"
        units.append({"unit_id": uid, "unit_name": name, "max_hires": None, "min_fill": None})
        for pos, grade, coef, allowance, prio in HEALTH_POSITIONS:
            add(uid, name, "Y tế", pos, grade, coef, rng.randint(2, 5) * scale,
                "public_employee", "state_budget", prio, allowance)
        add(uid, name, "Y tế", "Hộ lý, phục vụ (HĐ 111)", "Nhân viên", 1.50, rng.randint(3, 10),
            "contract", "fee_revenue", 1, 0.0)

    quota_table = pd.DataFrame(quotas)
    heads = []
    r: Any  # itertuples' named fields are known only at run time
    for r in quota_table.itertuples():
        if r.staff_type == "civil_servant":
            vac_share = rng.uniform(0.0, 0.12)
        elif r.sector == "Giáo dục và Đào tạo":
            vac_share = rng.uniform(0.0, 0.25)
        else:
            vac_share = rng.uniform(0.0, 0.2)
        on_board = max(0, round(r.quota * (1 - vac_share)))
        if rng.random() < 0.03:
            on_board = r.quota + rng.randint(1, 2)  # a few surplus rows, as in real tables
        departures = sum(1 for _ in range(on_board) if rng.random() < 0.03)
        heads.append({"unit_id": r.unit_id, "unit_name": r.unit_name,
                      "position_id": r.position_id, "position_name": r.position_name,
                      "headcount": on_board, "expected_departures": departures})
    u = pd.DataFrame(units)
    u["budget_cap"] = None
    return quota_table, pd.DataFrame(heads), u


def _vietnamese(table: pd.DataFrame, spec_columns: list[str]) -> pd.DataFrame:
    out = table[spec_columns].copy()
    out.columns = [label(c, "vi") for c in spec_columns]
    return out


QUOTA_ORDER = ["unit_id", "unit_name", "sector", "position_id", "position_name", "grade",
               "staff_type", "funding_source", "salary_coefficient", "allowance_rate", "quota",
               "priority"]
HEADCOUNT_ORDER = ["unit_id", "unit_name", "position_id", "position_name", "headcount",
                   "expected_departures"]
UNIT_ORDER = ["unit_id", "unit_name", "max_hires", "budget_cap", "min_fill"]

STAFF_TYPE_VI = {"civil_servant": "Công chức", "public_employee": "Viên chức",
                 "contract": "Hợp đồng"}
SOURCE_VI = {"state_budget": "Ngân sách nhà nước", "fee_revenue": "Phí, lệ phí để lại"}

SCENARIO_TOML = """\
# Phương án mẫu cho tỉnh mẫu (dữ liệu tổng hợp, không phải số liệu thật).
# Sample scenario for the synthetic province. Amounts in VND per year.
objective = "priority"
base_salary = 2530000
bonus_rate = 0.1

[budgets]
state_budget = 60000000000
fee_revenue = 2000000000
"""


def write_sample(directory: Path = SAMPLE_DIR) -> None:
    quotas, heads, units = generate()
    directory.mkdir(parents=True, exist_ok=True)
    q = quotas.assign(staff_type=quotas["staff_type"].map(STAFF_TYPE_VI),
                      funding_source=quotas["funding_source"].map(SOURCE_VI))
    _vietnamese(q, QUOTA_ORDER).to_csv(directory / SAMPLE_FILES["quotas"].name, index=False,
                                       encoding="utf-8-sig")
    _vietnamese(heads, HEADCOUNT_ORDER).to_csv(directory / SAMPLE_FILES["headcounts"].name,
                                               index=False, encoding="utf-8-sig")
    _vietnamese(units, UNIT_ORDER).to_csv(directory / SAMPLE_FILES["units"].name, index=False,
                                          encoding="utf-8-sig")
    (directory / SAMPLE_SCENARIO.name).write_text(SCENARIO_TOML, encoding="utf-8")
    (directory / SAMPLE_WORKBOOK.name).write_bytes(office_workbook(quotas, heads))
    (directory / SAMPLE_UNIT_WORKBOOK.name).write_bytes(unit_workbook(quotas, heads))
    write_multiyear_sample(directory, quotas, heads)


#: the sample's quota path: share of the quota cut by each year, per staff type (civil
#: servants 15 % by 2030 in equal steps, as reported for provinces formed from two; contracts
#: 2 % a year; public employees, all in education and health in the sample, held stable)
PATH_CUTS = {"civil_servant": 0.03, "contract": 0.02, "public_employee": 0.0}
PATH_YEARS = (2026, 2027, 2028, 2029, 2030)
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
           "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
_MIDDLE = {"male": ("Văn", "Hữu", "Đức", "Minh", "Quốc"), "female": ("Thị", "Ngọc", "Thu",
                                                                      "Mỹ", "Thanh")}
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Khánh",
          "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo",
          "Trang", "Tuấn", "Vy", "Yến")


def write_multiyear_sample(directory: Path, quotas: pd.DataFrame, heads: pd.DataFrame,
                           seed: int = 2026) -> None:
    """The quota path to 2030 and a synthetic roster matching the headcounts (one row a
    person on board: invented name, ID number, sex and date of birth; ages 23 to 61 (men) or
    57 (women) on 1 January 2026; one in ten with the birth year only)."""
    rng = random.Random(seed)
    q = quotas.assign(staff_type=quotas["staff_type"].map(STAFF_TYPE_VI),
                      funding_source=quotas["funding_source"].map(SOURCE_VI))
    table = _vietnamese(q, QUOTA_ORDER)
    for k, year in enumerate(PATH_YEARS, 1):
        share = quotas["staff_type"].map(PATH_CUTS).fillna(0.0) * k
        table[f"Biên chế giao năm {year}"] = (quotas["quota"]
                                              - (quotas["quota"] * share + 1e-9).astype(int))
    table.to_csv(directory / SAMPLE_MULTIYEAR_FILES["quotas"].name, index=False,
                 encoding="utf-8-sig")
    people: list[dict[str, object]] = []
    for unit_id, unit_name, position_id, position_name, headcount in heads[
            ["unit_id", "unit_name", "position_id", "position_name", "headcount"]].itertuples(
                index=False):
        for _ in range(int(str(headcount))):
            sex = rng.choice(("male", "female"))
            age = rng.randint(23, 61 if sex == "male" else 57)
            year, month, day = 2026 - age, rng.randint(1, 12), rng.randint(1, 28)
            born = str(year) if rng.random() < 0.1 else f"{day:02d}/{month:02d}/{year}"
            name = " ".join((rng.choice(_FAMILY), rng.choice(_MIDDLE[sex]), rng.choice(_GIVEN)))
            people.append({"STT": len(people) + 1, "Họ và tên": name,
                           "Số định danh cá nhân": f"0{rng.randint(10**10, 10**11 - 1)}",
                           "Mã đơn vị": unit_id, "Tên đơn vị": unit_name,
                           "Mã vị trí": position_id, "Vị trí việc làm": position_name,
                           "Giới tính": "Nam" if sex == "male" else "Nữ",
                           "Ngày sinh": born})
    pd.DataFrame(people).to_csv(directory / SAMPLE_MULTIYEAR_FILES["roster"].name, index=False,
                                encoding="utf-8-sig")


def office_workbook(quotas: pd.DataFrame, heads: pd.DataFrame) -> bytes:
    """The same data as a department would type it: titles, two-row header, groups, totals."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    merged = quotas.merge(heads, on=["unit_id", "unit_name", "position_id", "position_name"])
    wb = Workbook()
    ws = _active_sheet(wb)
    ws.title = "Biểu 01"
    ws.append(["UBND TỈNH KHÁNH HÒA (DỮ LIỆU MẪU, TỔNG HỢP)"])
    ws.append(["SỞ NỘI VỤ"])
    ws.append(["BIỂU TỔNG HỢP BIÊN CHẾ ĐƯỢC GIAO VÀ SỐ CÓ MẶT NĂM 2019"])
    ws.append(["(Kèm theo Công văn số …/SNV-TCBC ngày … tháng … năm 2019)"])
    ws.append([])
    ws.append(["STT", "Tên đơn vị", "Vị trí việc làm", "Loại", "Nguồn kinh phí", "Hệ số lương",
               "Phụ cấp", "Biên chế", None, "Dự kiến nghỉ hưu, thôi việc", "Ghi chú"])
    ws.append([None] * 7 + ["Được giao", "Có mặt"])
    for col in "ABCDEFGJK":
        ws.merge_cells(f"{col}6:{col}7")
    ws.merge_cells("H6:I6")
    ws.append([f"({i})" for i in range(1, 12)])
    romans = ["I", "II", "III", "IV", "V"]
    grand = [0, 0]
    for g, (sector, block) in enumerate(merged.groupby("sector", sort=False)):
        ws.append([romans[g], sector])
        ws.cell(ws.max_row, 2).font = Font(bold=True)
        r: Any  # itertuples' named fields are known only at run time
        for n, r in enumerate(block.itertuples(), 1):
            ws.append([n, r.unit_name, r.position_name, STAFF_TYPE_VI[r.staff_type],
                       SOURCE_VI[r.funding_source],
                       f"{r.salary_coefficient:.2f}".replace(".", ","),
                       "" if pd.isna(r.allowance_rate) else f"{r.allowance_rate:.0%}",
                       f"{r.quota:,}".replace(",", "."), r.headcount,
                       r.expected_departures or None])
        ws.append([None, "Cộng", None, None, None, None, None, int(block["quota"].sum()),
                   int(block["headcount"].sum())])
        grand[0] += int(block["quota"].sum())
        grand[1] += int(block["headcount"].sum())
    ws.append([None, "Tổng cộng", None, None, None, None, None, grand[0], grand[1]])
    ws.append([])
    ws.append([None, "Người lập biểu", None, None, None, None, None,
               "Khánh Hòa, ngày … tháng … năm 2019"])
    ws.append([None, None, None, None, None, None, None, "GIÁM ĐỐC"])
    for row in ws.iter_rows(min_row=6, max_row=7):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 36
    return _save(wb)


def unit_workbook(quotas: pd.DataFrame, heads: pd.DataFrame) -> bytes:
    """The same data per unit, split by staff type, as a quota decision's annex lays it out:
    a three-row header ("Biên chế được giao năm 2019" over "Tổng số" and "Trong đó" over
    "Công chức | Viên chức | HĐ 111", the same under "Biên chế có mặt"), a row of column
    numbers "1 | 2 | 3=4+5+6 …", group rows, "Cộng" per group and "Tổng cộng"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    merged = quotas.merge(heads, on=["unit_id", "unit_name", "position_id", "position_name"])
    types = ["civil_servant", "public_employee", "contract"]
    wb = Workbook()
    ws = _active_sheet(wb)
    ws.title = "Phụ lục"
    ws.append(["UBND TỈNH KHÁNH HÒA (DỮ LIỆU MẪU, TỔNG HỢP)"])
    ws.append(["BIÊN CHẾ ĐƯỢC GIAO VÀ CÓ MẶT NĂM 2019 THEO ĐƠN VỊ"])
    ws.append(["(Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm 2019)"])
    ws.append([None] * 9 + ["ĐVT: người"])
    ws.append(["STT", "Tên cơ quan, đơn vị", "Biên chế được giao năm 2019", None, None, None,
               "Biên chế có mặt", None, None, None])
    ws.append([None, None, "Tổng số", "Trong đó", None, None, "Tổng số", "Trong đó"])
    ws.append([None, None, None, "Công chức", "Viên chức", "HĐ 111", None, "Công chức",
               "Viên chức", "HĐ 111"])
    ws.append(["1", "2", "3=4+5+6", "4", "5", "6", "7=8+9+10", "8", "9", "10"])
    for rng in ("A5:A7", "B5:B7", "C5:F5", "G5:J5", "C6:C7", "G6:G7", "D6:F6", "H6:J6"):
        ws.merge_cells(rng)
    romans = ["I", "II", "III", "IV", "V"]
    grand = [0] * 8
    for g, (sector, block) in enumerate(merged.groupby("sector", sort=False)):
        ws.append([romans[g], sector])
        ws.cell(ws.max_row, 2).font = Font(bold=True)
        sub = [0] * 8
        for n, (unit, rows) in enumerate(block.groupby("unit_name", sort=False), 1):
            q = [int(rows.loc[rows["staff_type"] == t, "quota"].sum()) for t in types]
            h = [int(rows.loc[rows["staff_type"] == t, "headcount"].sum()) for t in types]
            figures = [sum(q), *q, sum(h), *h]
            ws.append([n, unit, *[v or None for v in figures]])
            sub = [a + b for a, b in zip(sub, figures, strict=True)]
        ws.append([None, "Cộng", *sub])
        grand = [a + b for a, b in zip(grand, sub, strict=True)]
    ws.append([None, "Tổng cộng", *grand])
    ws.append([])
    ws.append([None, "Người lập biểu", None, None, None, None,
               "Khánh Hòa, ngày … tháng … năm 2019"])
    for row in ws.iter_rows(min_row=5, max_row=8):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.column_dimensions["B"].width = 44
    return _save(wb)


def _active_sheet(wb: Workbook) -> Worksheet:
    """The worksheet a new workbook starts with."""
    from openpyxl.worksheet.worksheet import Worksheet

    ws = wb.active
    if not isinstance(ws, Worksheet):
        raise TypeError("a new openpyxl workbook starts with one worksheet")
    return ws


def _save(wb: Workbook) -> bytes:
    """Workbook bytes with fixed timestamps, so regenerating the sample changes nothing."""
    import datetime as dt

    wb.properties.created = wb.properties.modified = dt.datetime(2019, 8, 6)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_templates(directory: Path = TEMPLATE_DIR) -> None:
    """Blank templates with Vietnamese headers, as CSV and as XLSX with a guidance sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    directory.mkdir(parents=True, exist_ok=True)
    specs = {"mau_chi_tieu_bien_che": QUOTAS, "mau_so_co_mat": HEADCOUNTS, "mau_don_vi": UNITS}
    for stem, spec in specs.items():
        cols = [c for c in spec.columns if c.id != "row_number"]
        if spec.name == "quotas":
            cols = [c for c in cols if c.id not in ("headcount", "expected_departures")]
        header = [c.vi for c in cols]
        (directory / f"{stem}.csv").write_bytes(("\ufeff" + ",".join(header) + "\r\n").encode())
        wb = Workbook()
        ws = _active_sheet(wb)
        ws.title = "Dữ liệu"
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        guide = wb.create_sheet("Hướng dẫn")
        guide.append(["Cột", "Bắt buộc", "Mã cột (column id)", "Ý nghĩa (English)"])
        for c in cols:
            required = "có" if c.id in spec.required else ""
            guide.append([c.vi, required, c.id, c.en])
        (directory / f"{stem}.xlsx").write_bytes(_save(wb))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_DIR
    write_sample(target)
    write_templates(target.parent / "templates")
    print(f"wrote the synthetic sample to {target} and templates to {target.parent / 'templates'}")

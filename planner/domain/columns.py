"""The data contract: canonical column ids, their Vietnamese and English labels, header aliases.

Canonical ids (English, snake_case) are what code, CLI outputs and tests use. Labels are what
people read; aliases are what offices type as headers (matched after folding case, spacing and
diacritics, see :func:`planner.domain.text.fold`). A header also matches an alias it starts with, so
"Biên chế được giao năm 2019" is the quota and "Hệ số lương (bậc 1)" the salary coefficient.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from planner.domain.text import fold


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"  # whole number >= 0
    COEFFICIENT = "coefficient"  # decimal, "2,34"
    RATE = "rate"  # share, "25%" or "0,25"
    MONEY = "money"  # VND, "1.234.567"
    WEIGHT = "weight"  # decimal > 0


@dataclass(frozen=True)
class ColumnSpec:
    id: str
    kind: Kind
    vi: str
    en: str
    aliases: tuple[str, ...] = ()

    @cached_property
    def folded_aliases(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fold(a) for a in (self.id, self.vi, self.en, *self.aliases)))


def _spec(id_: str, kind: Kind, vi: str, en: str, *aliases: str) -> ColumnSpec:
    return ColumnSpec(id_, kind, vi, en, aliases)


# Row number as typed (STT): used to recognise group rows (I, II, A, B); never imported.
ROW_NUMBER = _spec("row_number", Kind.TEXT, "STT", "No.", "TT", "Số TT", "Số thứ tự", "No")

UNIT_ID = _spec("unit_id", Kind.TEXT, "Mã đơn vị", "Unit code", "Mã ĐV", "Mã cơ quan", "unit code")
UNIT_NAME = _spec(
    "unit_name", Kind.TEXT, "Tên đơn vị", "Unit", "Đơn vị", "Cơ quan, đơn vị", "Tên cơ quan",
    "Cơ quan", "Tên cơ quan, đơn vị", "Đơn vị, địa phương", "unit name", "Nội dung",
    "Tên cơ quan, tổ chức, đơn vị", "Cơ quan, tổ chức, đơn vị", "Tên đơn vị, địa phương",
    "Đơn vị sự nghiệp", "Tên đơn vị sự nghiệp", "Tên cơ quan, đơn vị, địa phương",
)
POSITION_ID = _spec(
    "position_id", Kind.TEXT, "Mã vị trí", "Position code", "Mã VTVL", "Mã vị trí việc làm",
)
POSITION_NAME = _spec(
    "position_name", Kind.TEXT, "Vị trí việc làm", "Job position", "VTVL", "Tên vị trí việc làm",
    "Vị trí", "Chức danh", "position", "job position name",
)
QUOTA = _spec(
    "quota", Kind.COUNT, "Biên chế được giao", "Approved quota", "Chỉ tiêu biên chế",
    "Biên chế Được giao", "Số được giao", "Được giao", "Biên chế giao", "Số lượng được giao",
    "Chỉ tiêu", "Biên chế", "approved quota", "Tổng số biên chế được giao",
    "Tổng biên chế được giao", "Số lượng biên chế được giao", "Số lượng người làm việc được giao",
    "Tổng số người làm việc được cấp có thẩm quyền giao", "Biên chế năm được giao",
    "Số người làm việc được giao", "Biên chế công chức được giao", "Biên chế được duyệt",
    "Số lượng người làm việc được duyệt", "Số lượng biên chế",
)
SALARY_COEFFICIENT = _spec(
    "salary_coefficient", Kind.COEFFICIENT, "Hệ số lương", "Salary coefficient", "HSL",
    "Hệ số", "Hệ số lương khởi điểm", "coefficient",
)
STAFF_TYPE = _spec(
    "staff_type", Kind.TEXT, "Loại", "Staff type", "Loại cán bộ", "Đối tượng", "Loại biên chế",
    "Loại nhân sự", "Công chức/Viên chức", "type",
)
FUNDING_SOURCE = _spec(
    "funding_source", Kind.TEXT, "Nguồn kinh phí", "Funding source", "Nguồn", "Nguồn chi trả",
    "Nguồn lương", "source",
)
PRIORITY = _spec("priority", Kind.WEIGHT, "Ưu tiên", "Priority", "Mức ưu tiên", "Hệ số ưu tiên")
ALLOWANCE_RATE = _spec(
    "allowance_rate", Kind.RATE, "Tỷ lệ phụ cấp", "Allowance rate", "Phụ cấp", "Tỉ lệ phụ cấp",
    "Phụ cấp (%)",
)
ANNUAL_COST = _spec(
    "annual_cost", Kind.MONEY, "Chi phí một năm", "Annual cost", "Kinh phí một người một năm",
    "Chi phí/người/năm", "Kinh phí/người/năm", "Chi phí năm",
)
SECTOR = _spec("sector", Kind.TEXT, "Lĩnh vực", "Sector", "Ngành", "Khối", "Ngành, lĩnh vực")
GRADE = _spec(
    "grade", Kind.TEXT, "Ngạch / Hạng", "Grade", "Ngạch", "Hạng chức danh nghề nghiệp",
    "Ngạch, hạng", "Ngạch/Hạng chức danh nghề nghiệp", "Hạng", "Ngạch công chức",
)
MIN_HIRES = _spec(
    "min_hires", Kind.COUNT, "Tuyển tối thiểu", "Minimum hires", "Số tuyển tối thiểu",
    "Tối thiểu", "min hires",
)
MAX_HIRES = _spec(
    "max_hires", Kind.COUNT, "Tuyển tối đa", "Maximum hires", "Số tuyển tối đa", "Tối đa",
    "Khả năng tuyển dụng", "max hires",
)
HEADCOUNT = _spec(
    "headcount", Kind.COUNT, "Số có mặt", "On board", "Biên chế Có mặt", "Có mặt",
    "Số hiện có", "Hiện có", "Số lượng hiện có", "Số người làm việc hiện có", "Biên chế hiện có",
    "Số có mặt thực tế", "headcount on board", "staff on board", "Biên chế thực có mặt",
    "Tổng biên chế hiện nay", "Số lượng viên chức hiện có", "Có mặt đến ngày", "Biên chế có mặt",
    "Số lượng công chức hiện có", "Số người làm việc có mặt", "Thực có", "Số thực có",
    "Biên chế thực có", "Hiện nay", "Số lượng có mặt", "Số người hiện có",
)
EXPECTED_DEPARTURES = _spec(
    "expected_departures", Kind.COUNT, "Dự kiến nghỉ", "Expected departures",
    "Số dự kiến nghỉ hưu, thôi việc", "Dự kiến nghỉ hưu", "Nghỉ hưu, thôi việc", "Số nghỉ hưu",
    "Dự kiến giảm", "Giảm trong kỳ", "departures",
)
BUDGET_CAP = _spec(
    "budget_cap", Kind.MONEY, "Trần kinh phí", "Budget cap", "Kinh phí tối đa", "Hạn mức kinh phí",
)
MIN_FILL = _spec(
    "min_fill", Kind.RATE, "Tỷ lệ lấp đầy tối thiểu", "Minimum fill", "Tỷ lệ tuyển tối thiểu",
    "Lấp đầy tối thiểu", "Tỉ lệ lấp đầy tối thiểu",
)


@dataclass(frozen=True)
class TableSpec:
    """One input table: its columns and which of them must be present."""

    name: str  # "quotas", "headcounts", "units"
    columns: tuple[ColumnSpec, ...]
    required: tuple[str, ...]
    # Groups where one of the columns must be present (e.g. a coefficient or an annual cost).
    one_of: tuple[tuple[str, ...], ...] = ()

    def by_id(self) -> dict[str, ColumnSpec]:
        return {c.id: c for c in self.columns}


QUOTAS = TableSpec(
    "quotas",
    (
        ROW_NUMBER, UNIT_ID, UNIT_NAME, POSITION_ID, POSITION_NAME, QUOTA, SALARY_COEFFICIENT,
        STAFF_TYPE, FUNDING_SOURCE, PRIORITY, ALLOWANCE_RATE, ANNUAL_COST, SECTOR, GRADE,
        MIN_HIRES, MAX_HIRES, HEADCOUNT, EXPECTED_DEPARTURES,
    ),
    # no job position column: one row per unit ("Toàn đơn vị"); no coefficient: 2.34 (issue 11)
    required=("unit_name", "quota"),
)
HEADCOUNTS = TableSpec(
    "headcounts",
    (ROW_NUMBER, UNIT_ID, UNIT_NAME, POSITION_ID, POSITION_NAME, HEADCOUNT, EXPECTED_DEPARTURES),
    # codes alone (unit_id, position_id) are keys enough: an HR database's export (issue 11)
    required=("headcount",),
    one_of=(("unit_name", "unit_id"),),
)
UNITS = TableSpec(
    "units",
    (ROW_NUMBER, UNIT_ID, UNIT_NAME, MAX_HIRES, BUDGET_CAP, MIN_FILL, SECTOR),
    required=("unit_name",),
)

#: Headers offices type that are *not* inputs (derived or free-text columns). Matching them
#: here stops a prefix match from taking, e.g., "Biên chế chưa sử dụng" for the quota.
IGNORED_HEADER_TEXTS: tuple[str, ...] = (
    "Biên chế chưa sử dụng", "Số còn thiếu", "Còn thiếu", "Số dôi dư", "Dôi dư",
    "Nhu cầu tuyển dụng", "Đề xuất tuyển dụng", "Hình thức tuyển dụng", "Kinh phí",
    "Ghi chú", "Đơn vị tính", "ĐVT", "Vacancies", "Surplus", "Notes", "Remarks",
)
IGNORED_HEADERS: tuple[str, ...] = tuple(fold(h) for h in IGNORED_HEADER_TEXTS)

#: Every known column, for labels.
ALL_COLUMNS: dict[str, ColumnSpec] = {
    c.id: c for t in (QUOTAS, HEADCOUNTS, UNITS) for c in t.columns
}

#: Labels of derived columns (gaps, plan) that are not input columns.
DERIVED_LABELS: dict[str, tuple[str, str]] = {
    "vacancies": ("Biên chế chưa sử dụng", "Vacancies"),
    "surplus": ("Số dôi dư", "Surplus"),
    "annual_cost_per_hire": ("Chi phí một người/năm (đ)", "Annual cost per hire (VND)"),
    "hires": ("Đề xuất tuyển dụng", "Proposed hires"),
    "remaining_vacancies": ("Còn thiếu sau tuyển", "Remaining vacancies"),
    "hires_cost": ("Kinh phí tuyển dụng (đ/năm)", "Cost of hires (VND/year)"),
    "fill_rate": ("Tỷ lệ lấp đầy", "Fill rate"),
    "fill_rate_after": ("Tỷ lệ lấp đầy sau tuyển", "Fill rate after hiring"),
    "vacancy_cost": ("Kinh phí lấp đầy (đ/năm)", "Cost of filling vacancies (VND/year)"),
    "units": ("Số đơn vị", "Units"),
    "positions": ("Số vị trí", "Positions"),
    "rows": ("Số dòng", "Rows"),
}


def label(column_id: str, lang: str = "vi") -> str:
    """Display label of a canonical or derived column id in ``lang`` ("vi" or "en")."""
    spec = ALL_COLUMNS.get(column_id)
    if spec is not None:
        return spec.vi if lang == "vi" else spec.en
    pair = DERIVED_LABELS.get(column_id)
    if pair is not None:
        return pair[0] if lang == "vi" else pair[1]
    return column_id

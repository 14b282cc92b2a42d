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
    ROW = "row"  # a file's row number, shown as Excel shows it (derived columns only)


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

# Optional columns the documents use (issue 16). Position groups of Decree 62/2020 art. 4
# (civil servants) and Decree 106/2020 (public employees); the form of recruitment of Decree
# 115/2020 and Decree 170/2025 (exam or selection; contracts are signed, Decree 111/2022).
POSITION_GROUP = _spec(
    "position_group", Kind.TEXT, "Nhóm vị trí việc làm", "Position group", "Nhóm VTVL",
    "Nhóm vị trí", "Nhóm", "position group",
)
QUALIFICATION = _spec(
    "qualification", Kind.TEXT, "Trình độ", "Qualification", "Trình độ đào tạo",
    "Trình độ chuyên môn", "Yêu cầu trình độ", "Bằng cấp", "qualification",
)
FIELD = _spec(
    "field", Kind.TEXT, "Chuyên ngành", "Field of study", "Chuyên ngành đào tạo",
    "Ngành đào tạo", "Yêu cầu chuyên ngành", "field of study",
)
RECRUITMENT_FORM = _spec(
    "recruitment_form", Kind.TEXT, "Hình thức tuyển dụng", "Recruitment form",
    "Hình thức tuyển", "Thi tuyển/xét tuyển", "Thi tuyển hoặc xét tuyển", "recruitment form",
)
ETHNIC_MINORITY_TARGET = _spec(
    "ethnic_minority_target", Kind.RATE, "Tỷ lệ người dân tộc thiểu số",
    "Ethnic-minority target", "Tỉ lệ người dân tộc thiểu số", "Tỷ lệ dân tộc thiểu số",
    "Tỷ lệ DTTS", "Tỉ lệ DTTS", "Tỷ lệ người DTTS", "ethnic minority target",
)
#: The optional document columns, in order.
DOCUMENT_COLUMNS = ("position_group", "qualification", "field", "recruitment_form",
                    "ethnic_minority_target")

#: Position groups (codes) and their words; the order of the staffing report.
POSITION_GROUPS = {
    "leadership": ("Lãnh đạo, quản lý", "Leadership and management"),
    "specialist": ("Chuyên môn, nghiệp vụ chuyên ngành", "Specialist (sector)"),
    "shared": ("Chuyên môn dùng chung", "Shared specialist"),
    "support": ("Hỗ trợ, phục vụ", "Support and service"),
}
#: Forms of recruitment (codes) and their words.
RECRUITMENT_FORMS = {
    "exam": ("Thi tuyển", "Exam"),
    "selection": ("Xét tuyển", "Selection"),
    "exam_or_selection": ("Thi tuyển hoặc xét tuyển", "Exam or selection"),
    "contract": ("Ký hợp đồng", "Contract"),
}


#: Words a position group may be typed with (folded); text with any other word names no group.
_GROUP_WORDS = frozenset((
    "lanh", "dao", "quan", "ly", "dieu", "hanh", "chuyen", "mon", "nghiep", "vu", "nganh",
    "dung", "chung", "ho", "tro", "phuc", "chuc", "danh", "nghe", "nhom", "vi", "tri", "viec",
    "lam", "va", "cong", "tac"))
#: Forms of recruitment as typed (folded) → code.
_FORM_TEXTS = {
    **dict.fromkeys(("thi tuyen", "thi", "exam"), "exam"),
    **dict.fromkeys(("xet tuyen", "xet", "selection"), "selection"),
    **dict.fromkeys(("thi tuyen hoac xet tuyen", "thi tuyen xet tuyen", "thi tuyen va xet tuyen",
                     "xet tuyen hoac thi tuyen", "thi hoac xet", "exam or selection",
                     "exam_or_selection"), "exam_or_selection"),
    **dict.fromkeys(("ky hop dong", "hop dong", "contract", "hop dong lao dong"), "contract"),
}


def position_group_key(value: object) -> str:
    """What offices type for a position group → its code ("Lãnh đạo, quản lý" → leadership,
    "Chuyên môn dùng chung" → shared); blank stays blank; text that names no group (or has
    words no group name has) is returned as typed, and validation reports it."""
    f = fold(value)
    if not f:
        return ""
    if f in POSITION_GROUPS:
        return f
    if not set(f.split()) <= _GROUP_WORDS:
        return str(value).strip()
    if "dung chung" in f:
        return "shared"
    if "ho tro" in f or "phuc vu" in f:
        return "support"
    if "lanh dao" in f or "quan ly" in f:
        return "leadership"
    if "chuyen nganh" in f or "chuyen mon" in f or "nghiep vu" in f:
        return "specialist"
    return str(value).strip()


def recruitment_form_key(value: object) -> str:
    """"Thi tuyển" → exam, "Xét tuyển" → selection, "Thi tuyển hoặc xét tuyển" →
    exam_or_selection, "Ký hợp đồng" → contract; blank stays blank; any other text is
    returned as typed (validation reports it: "Thi tuyển hoặc phỏng vấn" is not guessed)."""
    f = fold(value)
    if not f:
        return ""
    return _FORM_TEXTS.get(f, str(value).strip())


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
        MIN_HIRES, MAX_HIRES, HEADCOUNT, EXPECTED_DEPARTURES, POSITION_GROUP, QUALIFICATION,
        FIELD, RECRUITMENT_FORM, ETHNIC_MINORITY_TARGET,
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
    "Nhu cầu tuyển dụng", "Đề xuất tuyển dụng", "Kinh phí",
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


#: Kinds of the columns the planner derives (gaps, plans, per-unit tables, budgets, checks):
#: with the input columns' kinds, the one table the app's tables and the exports format by.
DERIVED_KINDS: dict[str, Kind] = {
    **dict.fromkeys(("vacancies", "surplus", "hires", "remaining_vacancies", "min_required",
                     "redeployable", "possible_hires", "units", "positions", "rows"),
                    Kind.COUNT),
    **dict.fromkeys(("annual_cost_per_hire", "hires_cost", "vacancy_cost", "budget", "cost",
                     "remaining_budget", "cost_of_requirement"), Kind.MONEY),
    **dict.fromkeys(("fill_rate", "fill_rate_before", "fill_rate_after", "used_share"),
                    Kind.RATE),
    **dict.fromkeys(("source_row", "row"), Kind.ROW),
}


#: Count and money columns whose column sum means nothing (per-hire rates, caps, pins, row
#: numbers): a total row leaves them blank.
NOT_ADDITIVE = frozenset({
    "row_number", "annual_cost_per_hire", "annual_cost", "budget_cap", "min_hires", "max_hires",
    "source_row", "row",
})


def column_kind(column_id: str) -> Kind | None:
    """The kind of an input or derived column's values; None for a column neither declares."""
    spec = ALL_COLUMNS.get(column_id)
    return spec.kind if spec is not None else DERIVED_KINDS.get(column_id)


def label(column_id: str, lang: str = "vi") -> str:
    """Display label of a canonical or derived column id in ``lang`` ("vi" or "en")."""
    spec = ALL_COLUMNS.get(column_id)
    if spec is not None:
        return spec.vi if lang == "vi" else spec.en
    pair = DERIVED_LABELS.get(column_id)
    if pair is not None:
        return pair[0] if lang == "vi" else pair[1]
    return column_id

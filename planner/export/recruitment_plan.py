"""The recruitment plan (Kế hoạch tuyển dụng) as a Word document, with its annex.

``recruitment_plan_docx`` turns a solved plan into the .docx a manager signs: laid out per
Decree 30/2020 (see :mod:`planner.export.docx_layout`), with the content Decree 115/2020
art. 4 (as amended by Decree 85/2023) requires of a plan to recruit public employees:

(a) the quota assigned and the quota unused, (b) the number to recruit per job position,
(c) the ethnic-minority share where it applies, (d) the standards and conditions of each
position, (đ) the form and content of the exam or selection, (e) other matters.

The same headings serve civil servants (Decree 170/2025 replaced Decree 138/2020 from
1 Jul 2025; its text was not verified here, see README). Figures come from the plan; what the
data does not hold (qualification, field of study, form of recruitment, the ethnic-minority
share, dates, names) is left as a marked blank (``…………``) for the drafter, or filled from
the optional data columns when they are present (:data:`OPTIONAL_COLUMNS`).

The annex (Phụ lục) lists every (unit, job position) with hires: STT, Đơn vị, Vị trí việc
làm, Biên chế được giao, Hiện có, Chưa sử dụng, Số cần tuyển, Trình độ, Chuyên ngành, Hình
thức tuyển dụng, Ghi chú; grouped by staff type (I. Công chức, II. Viên chức, III. Hợp đồng)
with a subtotal per group and a total. "Chưa sử dụng" is the plan's vacancies: quota less
the staff who stay (on board less expected departures); the note says when departures
are counted in it.

The document is Vietnamese (an administrative document); the bytes depend only on the plan,
the options and the ``created`` date (no clock): the CLI and the app give the same file.
"""

from __future__ import annotations

import datetime as dt
import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from docx.table import Table

from planner.domain.columns import DOCUMENT_COLUMNS, RECRUITMENT_FORMS, recruitment_form_key
from planner.domain.problems import InputError, Problem, Severity
from planner.domain.text import fold
from planner.export import docx_layout as L
from planner.export.summary import has_plan
from planner.i18n import coded, fmt_number

if TYPE_CHECKING:
    from planner.io.inputs import Inputs
    from planner.optimise.result import Allocation

#: Optional data columns the documents read when the plan or the inputs carry them.
OPTIONAL_COLUMNS = DOCUMENT_COLUMNS
#: Staff types in the order of the annex's groups, with their roman numerals.
GROUPS = (("civil_servant", "I"), ("public_employee", "II"), ("contract", "III"))
#: The rule each staff type is recruited under (shown in the body).
RULES = {
    "civil_servant": "Luật Cán bộ, công chức năm 2025 và Nghị định số 170/2025/NĐ-CP",
    "public_employee": "Luật Viên chức và Nghị định số 115/2020/NĐ-CP (được sửa đổi, bổ sung "
                       "bởi Nghị định số 85/2023/NĐ-CP)",
    "contract": "Nghị định số 111/2022/NĐ-CP về hợp đồng đối với một số loại công việc trong "
                "cơ quan hành chính và đơn vị sự nghiệp công lập",
}
ANNEX_HEADERS = ("STT", "Đơn vị", "Vị trí việc làm", "Biên chế được giao", "Hiện có",
                 "Chưa sử dụng", "Số cần tuyển", "Trình độ", "Chuyên ngành",
                 "Hình thức tuyển dụng", "Ghi chú")
#: Annex column widths (cm) on A4 landscape (27.7 cm less the margins: 24.7 cm).
ANNEX_WIDTHS = (1.2, 4.0, 3.8, 1.6, 1.4, 1.6, 1.6, 2.0, 2.2, 2.2, 2.9)


@dataclass(frozen=True, kw_only=True)
class Issuer:
    """Who issues the plan: printed in the heading, the number line and the signature block.
    Blank fields print as marked blanks for the drafter to fill in Word."""

    parent_body: str = "ỦY BAN NHÂN DÂN TỈNH " + L.BLANK
    body: str = L.BLANK
    symbol: str = "KH-" + "……"  # ký hiệu: KH-UBND, KH-SNV …
    place: str = L.BLANK  # địa danh: "Khánh Hòa"
    authority: str = ""  # thẩm quyền ký: "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC"
    signer_title: str = "THỦ TRƯỞNG ĐƠN VỊ"
    signer_name: str = ""


@dataclass(frozen=True)
class AnnexRow:
    """One line of the annex: a (unit, job position) with hires."""

    staff_type: str
    unit: str
    position: str
    quota: int
    headcount: int
    vacancies: int
    hires: int
    qualification: str
    field: str
    form: str
    note: str


def select_rows(plan: pd.DataFrame, *, unit: str | None = None,
                staff_type: str | None = None) -> pd.DataFrame:
    """The plan's rows for one unit (its code or name, as typed: case and accents do not
    matter) or for all units, and one staff type or all. An unknown unit or staff type is
    bad input (a message naming it)."""
    rows = plan
    if unit is not None:
        wanted = fold(unit)
        keep = (plan["unit_id"].map(fold) == wanted) | (plan["unit_name"].map(fold) == wanted)
        if not keep.any():
            raise InputError([Problem(severity=Severity.ERROR, code="doc_unknown_unit",
                                      value=unit)])
        rows = rows[keep]
    if staff_type is not None:
        if staff_type not in dict(GROUPS):
            raise InputError([Problem(severity=Severity.ERROR, code="doc_unknown_staff_type",
                                      value=staff_type,
                                      params={"known": ", ".join(dict(GROUPS))})])
        rows = rows[rows["staff_type"] == staff_type]
    return rows


def with_optional_columns(plan: pd.DataFrame, inputs: Inputs | None) -> pd.DataFrame:
    """The plan with the optional columns of :data:`OPTIONAL_COLUMNS` it lacks taken from the
    inputs (by unit and position code) when they carry them; absent ones stay absent."""
    if inputs is None:
        return plan
    positions = inputs.positions
    extra = [c for c in OPTIONAL_COLUMNS if c in positions.columns and c not in plan.columns]
    if not extra:
        return plan
    keys = ["unit_id", "position_id"]
    table = positions[keys + extra].drop_duplicates(keys)
    return plan.merge(table, on=keys, how="left", validate="many_to_one")


def form_words(value: object, staff_type: str) -> str:
    """The form of recruitment in words: from the data (codes or as typed), else the rule's
    default for contracts (a contract is signed), else a marked blank."""
    text = _text(value)
    if text:
        code = recruitment_form_key(text)
        return RECRUITMENT_FORMS[code][0] if code in RECRUITMENT_FORMS else text
    return RECRUITMENT_FORMS["contract"][0] if staff_type == "contract" else L.BLANK


def annex_rows(rows: pd.DataFrame) -> list[AnnexRow]:
    """The annex lines: the rows with hires, grouped by staff type in :data:`GROUPS` order,
    in the plan's order inside a group."""
    hired = rows[rows["hires"].fillna(0) > 0]
    out = []
    for staff_type, _ in GROUPS:
        for r in hired[hired["staff_type"] == staff_type].to_dict("records"):
            departures = int(r.get("expected_departures") or 0)
            notes = []
            if departures:
                notes.append(f"Gồm {fmt_number(departures)} người sắp nghỉ")
            share = r.get("ethnic_minority_target")
            if share is not None and not pd.isna(share) and share != "":
                notes.append(f"Tỷ lệ người DTTS: {_percent(share)}")
            out.append(AnnexRow(
                staff_type=staff_type, unit=str(r["unit_name"]),
                position=str(r["position_name"]), quota=int(r["quota"]),
                headcount=int(r["headcount"]), vacancies=int(r["vacancies"]),
                hires=int(r["hires"]),
                qualification=_text(r.get("qualification")) or L.BLANK,
                field=_text(r.get("field")) or L.BLANK,
                form=form_words(r.get("recruitment_form"), staff_type),
                note="; ".join(notes)))
    return out


def recruitment_plan_docx(allocation: Allocation, *, inputs: Inputs | None = None,
                          created: dt.date, year: int | None = None, unit: str | None = None,
                          staff_type: str | None = None, issuer: Issuer | None = None,
                          scenario_name: str | None = None) -> bytes:
    """The recruitment plan as .docx bytes (see the module docstring).

    ``unit`` (a code or name) makes the plan of one unit, else of every unit in the plan;
    ``staff_type`` keeps one staff type; ``year`` is the recruitment year (default: the
    year of ``created``). Raises :class:`InputError` for an unknown unit or staff type or
    when the selection has no hires, ``ValueError`` for an allocation without a plan.
    """
    if not has_plan(allocation.plan):
        raise ValueError("the allocation holds no plan (no hires decided)")
    issuer = issuer or Issuer()
    year = year or created.year
    plan = with_optional_columns(allocation.plan, inputs)
    rows = select_rows(plan, unit=unit, staff_type=staff_type)
    lines = annex_rows(rows)
    if not lines:
        raise InputError([Problem(severity=Severity.ERROR,
                                  code="doc_no_hires_unit" if unit else "doc_no_hires",
                                  value=unit or "")])
    types = [t for t, _ in GROUPS if any(a.staff_type == t for a in lines)]
    unit_names = list(dict.fromkeys(rows["unit_name"].astype(str)))
    subject = _subject(types, year, unit_names[0] if unit is not None else None)

    doc = Document()
    L.setup_document(doc)
    L.fixed_properties(doc, title=f"Kế hoạch {subject[0].lower()}{subject[1:]}",
                       created=created)
    _heading(doc, issuer, year)
    L.para(doc, "KẾ HOẠCH", size=L.BODY_PT, bold=True, align="center", before=12, after=0)
    L.para(doc, subject, size=L.BODY_PT, bold=True, align="center", after=0)
    L.rule(doc, width_chars=10)
    _body(doc, rows=rows, lines=lines, types=types, year=year, unit_names=unit_names,
          scenario_name=scenario_name)
    _signature(doc, issuer)
    _annex(doc, lines, issuer=issuer, year=year, unit_name=unit_names[0] if unit else None)
    return L.deterministic_bytes(doc, created=created)


def _subject(types: list[str], year: int, unit_name: str | None) -> str:
    words = {"civil_servant": "công chức", "public_employee": "viên chức",
             "contract": "nhân sự hợp đồng"}
    who = ", ".join(words[t] for t in types)
    where = f" của {unit_name}" if unit_name else ""
    return f"Tuyển dụng {who}{where} năm {year}"


def _heading(doc: DocxDocument, issuer: Issuer, year: int) -> None:
    """Boxes 1–4 of Decree 30/2020: issuing body and number (left), national name, motto,
    place and date (right)."""
    table = doc.add_table(rows=2, cols=2)
    L.borderless(table)
    L.widths(table, (6.0, 10.5))
    left, right = table.rows[0].cells
    L.cell_text(left, issuer.parent_body.upper(), size=12, align="center")
    L.para(left, issuer.body.upper(), size=12, bold=True, align="center", after=0)
    L.rule(left, width_chars=8)
    L.cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True, align="center")
    L.para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, align="center", after=0)
    L.rule(right, width_chars=14)
    number, date = table.rows[1].cells
    L.cell_text(number, f"Số:        /{issuer.symbol}", size=13, align="center")
    L.cell_text(date, f"{issuer.place}, ngày     tháng     năm {year}", size=13, italic=True,
                align="center")


def _body(doc: DocxDocument, *, rows: pd.DataFrame, lines: list[AnnexRow], types: list[str],
          year: int, unit_names: list[str], scenario_name: str | None) -> None:
    def heading(text: str) -> None:
        L.para(doc, text, bold=True, indent=True, before=6, after=3)

    def text(value: str, **kw: Any) -> None:
        L.para(doc, value, indent=True, after=3, **kw)

    rules = "; ".join(RULES[t] for t in types)
    text(f"Căn cứ {rules};")
    text("Căn cứ quyết định giao biên chế, số lượng người làm việc năm "
         f"{year} của cấp có thẩm quyền số {L.BLANK} ngày {L.BLANK};")
    basis = f" (phương án «{scenario_name}»)" if scenario_name else ""
    text(f"Căn cứ phương án tuyển dụng đã lập theo biên chế chưa sử dụng và dự toán kinh phí"
         f"{basis}, cơ quan ban hành Kế hoạch tuyển dụng năm {year} như sau:")

    heading("I. MỤC ĐÍCH, YÊU CẦU")
    text("Tuyển dụng đủ số lượng, đúng cơ cấu vị trí việc làm được phê duyệt trong phạm vi biên "
         "chế, số lượng người làm việc được giao và chưa sử dụng; bảo đảm công khai, minh bạch, "
         "khách quan, đúng quy định của pháp luật.")

    heading("II. BIÊN CHẾ ĐƯỢC GIAO, CHƯA SỬ DỤNG VÀ SỐ LƯỢNG CẦN TUYỂN")
    text(f"Số đơn vị: {fmt_number(len(unit_names))}. Số liệu theo từng loại:")
    staff_words = {t: str(coded("vocab.staff_type", t)) for t, _ in GROUPS}
    for number, t in enumerate(types, start=1):
        part = rows[rows["staff_type"] == t]
        hires = sum(a.hires for a in lines if a.staff_type == t)
        departures = int(part["expected_departures"].sum())
        quota = fmt_number(int(part["quota"].sum()))
        text(f"{number}. {staff_words[t]}: biên chế được giao {quota}"
             f"; hiện có {fmt_number(int(part['headcount'].sum()))}"
             + (f"; dự kiến nghỉ hưu, thôi việc {fmt_number(departures)}" if departures else "")
             + f"; chưa sử dụng {fmt_number(int(part['vacancies'].sum()))}"
             f"; số cần tuyển {fmt_number(hires)} người.")
    total = sum(a.hires for a in lines)
    text(f"Tổng số cần tuyển: {fmt_number(total)} người, tại "
         f"{fmt_number(len(lines))} vị trí việc làm; chi tiết theo từng vị trí việc làm tại "
         "Phụ lục kèm theo.")
    cost = float(rows.loc[rows["hires"].fillna(0) > 0, "hires_cost"].sum())
    text(f"Kinh phí chi trả tiền lương, phụ cấp và các khoản đóng góp của số cần tuyển dự kiến "
         f"{fmt_number(round(cost / 1e6))} triệu đồng/năm.")

    heading("III. TỶ LỆ NGƯỜI DÂN TỘC THIỂU SỐ (NẾU CÓ)")
    shares = rows.get("ethnic_minority_target")
    given = sorted({_percent(s) for s in shares.dropna() if s != ""}) if shares is not None \
        else []
    if len(given) == 1:
        text(f"Tỷ lệ người dân tộc thiểu số được tuyển dụng: {given[0]}.")
    elif given:
        text("Tỷ lệ người dân tộc thiểu số được tuyển dụng: theo từng vị trí, ghi tại cột Ghi "
             "chú của Phụ lục.")
    else:
        text(f"Tỷ lệ người dân tộc thiểu số được tuyển dụng: {L.BLANK} (theo quy định, nếu có).")

    heading("IV. TIÊU CHUẨN, ĐIỀU KIỆN ĐĂNG KÝ DỰ TUYỂN")
    text("1. Điều kiện chung: theo quy định của Luật Cán bộ, công chức, Luật Viên chức và các "
         "văn bản hướng dẫn.")
    grades = sorted({_text(g) for g in rows.loc[rows["hires"].fillna(0) > 0].get(
        "grade", pd.Series(dtype=str)).dropna() if _text(g)})
    standard = ("tiêu chuẩn của ngạch, chức danh nghề nghiệp (" + "; ".join(grades) + ")"
                if grades else f"tiêu chuẩn của ngạch, chức danh nghề nghiệp {L.BLANK}")
    text(f"2. Điều kiện của từng vị trí việc làm: {standard}; trình độ và chuyên ngành đào "
         "tạo theo Phụ lục kèm theo.")

    heading("V. HÌNH THỨC, NỘI DUNG THI TUYỂN HOẶC XÉT TUYỂN")
    forms = sorted({a.form for a in lines if a.form != L.BLANK})
    text("1. Hình thức: " + (", ".join(forms) if forms else L.BLANK)
         + " (theo từng vị trí việc làm tại Phụ lục).")
    text(f"2. Nội dung, thời gian thi hoặc xét: {L.BLANK}")

    heading("VI. TỔ CHỨC THỰC HIỆN")
    text(f"Thời gian dự kiến tổ chức tuyển dụng: {L.BLANK}. Hội đồng tuyển dụng, việc thông báo "
         f"tuyển dụng và tiếp nhận phiếu đăng ký dự tuyển: {L.BLANK}")


def _signature(doc: DocxDocument, issuer: Issuer) -> None:
    """Boxes 7 and 9 of Decree 30/2020: recipients (left), signature block (right)."""
    table = doc.add_table(rows=1, cols=2)
    L.borderless(table)
    L.widths(table, (7.5, 8.5))
    left, right = table.rows[0].cells
    L.cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True)
    for item in ("- Như trên;", f"- {L.BLANK};", "- Lưu: VT, " + "……" + "."):
        L.para(left, item, size=11, align="left", after=0)
    first = issuer.authority.upper() if issuer.authority else issuer.signer_title.upper()
    L.cell_text(right, first, size=13, bold=True, align="center")
    if issuer.authority:
        L.para(right, issuer.signer_title.upper(), size=13, bold=True, align="center", after=0)
    L.para(right, "(Ký, ghi rõ họ tên và đóng dấu)", size=12, italic=True, align="center",
           after=54)
    L.para(right, issuer.signer_name or L.BLANK, size=13, bold=True, align="center", after=0)
    table.rows[0].cells[0].paragraphs[0].paragraph_format.space_before = Pt(12)


def _annex(doc: DocxDocument, lines: list[AnnexRow], *, issuer: Issuer, year: int,
           unit_name: str | None) -> None:
    """The annex on A4 landscape pages: its title and the table (header repeated on each
    page, a row of column numbers, group rows with subtotals, the total)."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    L.page(section, landscape=True)
    section.different_first_page_header_footer = False  # numbered from its first page on
    L.para(doc, "Phụ lục", bold=True, align="center", after=0)
    where = f" CỦA {unit_name.upper()}" if unit_name else ""
    L.para(doc, f"SỐ LƯỢNG CẦN TUYỂN DỤNG THEO VỊ TRÍ VIỆC LÀM NĂM {year}{where}", bold=True,
           align="center", after=0)
    L.para(doc, f"(Kèm theo Kế hoạch số       /{issuer.symbol} ngày     tháng     năm {year} "
           f"của {issuer.body})", italic=True, align="center", after=6)
    table = doc.add_table(rows=2, cols=len(ANNEX_HEADERS))
    table.style = doc.styles["Table Grid"]
    for j, name in enumerate(ANNEX_HEADERS):
        L.cell_text(table.rows[0].cells[j], name, size=11, bold=True, align="center")
        L.cell_text(table.rows[1].cells[j], f"({j + 1})", size=10, italic=True, align="center")
    L.repeat_header(table.rows[0])
    L.repeat_header(table.rows[1])
    staff_words = {t: str(coded("vocab.staff_type", t)) for t, _ in GROUPS}
    numeric = (3, 4, 5, 6)
    for staff_type, numeral in GROUPS:
        group = [a for a in lines if a.staff_type == staff_type]
        if not group:
            continue
        _total_row(table, numeral, staff_words[staff_type], group, numeric, shaded=False)
        for k, a in enumerate(group, start=1):
            cells = table.add_row().cells
            values = (str(k), a.unit, a.position, fmt_number(a.quota), fmt_number(a.headcount),
                      fmt_number(a.vacancies), fmt_number(a.hires), a.qualification, a.field,
                      a.form, a.note)
            for j, v in enumerate(values):
                L.cell_text(cells[j], v, size=11,
                            align="right" if j in numeric else "center" if j == 0 else "left")
    _total_row(table, "", "Tổng cộng", lines, numeric, shaded=True)
    L.widths(table, ANNEX_WIDTHS)


def _total_row(table: Table, numeral: str, label: str, lines: list[AnnexRow],
               numeric: tuple[int, ...], *, shaded: bool) -> None:
    cells = table.add_row().cells
    sums = (sum(a.quota for a in lines), sum(a.headcount for a in lines),
            sum(a.vacancies for a in lines), sum(a.hires for a in lines))
    L.cell_text(cells[0], numeral, size=11, bold=True, align="center")
    merged = cells[1].merge(cells[2])
    L.cell_text(merged, label, size=11, bold=True)
    for j, v in zip(numeric, sums, strict=True):
        L.cell_text(cells[j], fmt_number(v), size=11, bold=True, align="right")
    if shaded:
        for c in cells:
            L.shade(c)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _percent(value: object) -> str:
    """A share (0.15) or a typed percentage ("15%") as "15%"."""
    if isinstance(value, str):
        return value.strip()
    if not isinstance(value, numbers.Real):
        raise TypeError(f"a share is a number or a typed percentage, not {value!r}")
    number = float(value)
    return fmt_number(number * 100 if number <= 1 else number, "vi", 2) + "%"

"""The administrative layout of Decree 30/2020/NĐ-CP (Phụ lục I) in python-docx terms.

What the decree fixes and this module applies: A4 paper; margins top and bottom 20–25 mm,
left 30–35 mm, right 15–20 mm (we take 20, 20, 30, 15); Times New Roman; the national name
(12–13 pt, bold capitals) and motto (13–14 pt, bold) at the top right with a rule below; the
issuing body (its parent body upright capitals, the body itself bold capitals, 12–13 pt) at
the top left with a rule below, the number and symbol ("Số: …/KH-…") under it; place and
date in italics under the motto; the document type and summary (bold, centred); the body
13–14 pt, justified; recipients ("Nơi nhận:" bold italic 12 pt, the list 11 pt) bottom left
and the signature block (authority and title bold capitals) bottom right; page numbers
centred in the top margin from page 2 on.

Every function here is layout only; the words come from the document modules.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

#: where paragraphs go: the document's body or a table cell
type Container = DocxDocument | _Cell

FONT = "Times New Roman"
BODY_PT = 14
HEADING_PT = 13
#: Margins (mm) of Decree 30/2020 Phụ lục I, section II.3: top, bottom, left, right.
MARGINS_MM = (20, 20, 30, 15)
A4_MM = (210, 297)
#: What stands where the data holds nothing: the drafter types over it.
BLANK = "…………"


def setup_document(doc: DocxDocument) -> None:
    """Default font and the first section's A4 page, margins and page numbers."""
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_before = Pt(0)
    normal.space_after = Pt(0)
    normal.line_spacing = 1.0
    section = doc.sections[0]
    page(section, landscape=False)
    page_numbers(section)


def page(section: Section, *, landscape: bool) -> None:
    width, height = A4_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(height), Mm(width)) if landscape else \
        (Mm(width), Mm(height))
    top, bottom, left, right = MARGINS_MM
    if landscape:  # the annex in landscape keeps the binding margin on the long edge's top
        section.top_margin, section.bottom_margin = Mm(left), Mm(right)
        section.left_margin, section.right_margin = Mm(top), Mm(bottom)
    else:
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def page_numbers(section: Section) -> None:
    """The page number centred in the header, from page 2 on (first page: none)."""
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(HEADING_PT * 2))
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    para._p.append(field)


def para(container: Container, text: str = "", *, size: float = BODY_PT, bold: bool = False,
         italic: bool = False, align: str = "justify", indent: bool = False,
         before: float = 0, after: float = 6, underline: bool = False) -> Paragraph:
    """One paragraph of one run (``container``: the document or a table cell)."""
    p: Paragraph = container.add_paragraph()
    if text:
        run(p, text, size=size, bold=bold, italic=italic, underline=underline)
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent:
        fmt.first_line_indent = Cm(1)
    return p


def run(p: Paragraph, text: str, *, size: float = BODY_PT, bold: bool = False,
        italic: bool = False, underline: bool = False) -> Run:
    r: Run = p.add_run(text)
    r.font.size = Pt(size)
    r.font.bold = bold or None
    r.font.italic = italic or None
    r.font.underline = underline or None
    return r


def rule(container: Container, *, width_chars: int = 12) -> Paragraph:
    """The short rule under the issuing body, the motto and the summary (a centred line)."""
    p = para(container, "", align="center", after=4)
    run(p, "\u2500" * width_chars, size=8)
    return p


def borderless(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tbl_pr.append(borders)


def first_cell_paragraph(cell: _Cell) -> Paragraph:
    """A cell starts with one empty paragraph: use it for the first line."""
    first: Paragraph = cell.paragraphs[0]
    return first


def cell_text(cell: _Cell, text: str, *, size: float = 12, bold: bool = False,
              italic: bool = False, align: str = "left") -> None:
    p = cell.paragraphs[0]
    if text:
        run(p, text, size=size, bold=bold, italic=italic)
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_after = Pt(1)
    p.paragraph_format.space_before = Pt(1)


def widths(table: Table, cm: Sequence[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for col, w in zip(table.columns, cm, strict=False):  # the grid LibreOffice lays out by
        col.width = Cm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, cm, strict=False):
            cell.width = Cm(w)


def repeat_header(row: _Row) -> None:
    """Repeat this table row at the top of every printed page."""
    tr_pr = row._tr.get_or_add_trPr()
    e = OxmlElement("w:tblHeader")
    e.set(qn("w:val"), "true")
    tr_pr.append(e)


def shade(cell: _Cell, fill: str = "F2F2F2") -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    e = OxmlElement("w:shd")
    e.set(qn("w:val"), "clear")
    e.set(qn("w:color"), "auto")
    e.set(qn("w:fill"), fill)
    tc_pr.append(e)


def fixed_properties(doc: DocxDocument, *, title: str, created: dt.date) -> None:
    """Document properties that depend on the date given only (no clock, no user name)."""
    stamp = dt.datetime.combine(created, dt.time())
    props = doc.core_properties
    props.title = title
    props.author = "planner"
    props.last_modified_by = "planner"
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    props.comments = ""


def deterministic_bytes(doc: DocxDocument, *, created: dt.date) -> bytes:
    """The .docx bytes with every zip entry stamped with ``created`` (python-docx stamps the
    entries with the clock): the same document and date give the same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    stamp = (max(created.year, 1980), created.month, created.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()

"""What a workbook hides, read from the file the way Excel and LibreOffice save it (issue 11,
item 11; issue 18: the reader's hidden-part rules, each asserted on a real file).

The expected rows, columns and sheets are the ones hidden when the file is written here (with
openpyxl for an .xlsx, in the OpenDocument markup LibreOffice writes for an .ods), never taken
from the code under test. Excel row numbers count from 1, columns from 0 (A = 0).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest

from planner.domain.problems import Severity
from planner.i18n import problem_message
from planner.io.hidden import Hidden, blank_hidden, hidden_parts
from planner.io.inputs import load_inputs
from planner.io.sources import Grid, SourceFile


def _xlsx(build) -> SourceFile:
    wb = openpyxl.Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return SourceFile("bieu.xlsx", out.getvalue())


def test_an_xlsx_names_its_hidden_sheets_rows_and_columns():
    def build(wb):
        ws = wb.active
        ws.title = "Biểu 1 & 2"  # an ampersand: escaped in the workbook part
        for r in range(1, 13):
            ws.append([f"r{r}c{c}" for c in range(1, 8)])
        for r in (3, 5, 6, 7):
            ws.row_dimensions[r].hidden = True
        ws.column_dimensions["B"].hidden = True
        ws.column_dimensions.group("D", "F", hidden=True)  # one <col min="4" max="6">
        old = wb.create_sheet("Năm cũ")
        old.append(["x"])
        old.sheet_state = "hidden"
        very = wb.create_sheet("Nháp")
        very.append(["y"])
        very.sheet_state = "veryHidden"
        plain = wb.create_sheet("Biểu 3")
        plain.append(["z"])

    parts = hidden_parts(_xlsx(build))
    assert set(parts) == {"Biểu 1 & 2", "Năm cũ", "Nháp", "Biểu 3"}
    first = parts["Biểu 1 & 2"]
    assert (first.sheet_hidden, first.rows, first.columns) == (False, {3, 5, 6, 7}, {1, 3, 4, 5})
    assert parts["Năm cũ"].sheet_hidden and parts["Nháp"].sheet_hidden
    assert not parts["Biểu 3"].sheet_hidden
    assert (parts["Biểu 3"].rows, parts["Biểu 3"].columns) == (set(), set())
    assert not any(h.unchecked for h in parts.values())
    assert {h.file for h in parts.values()} == {"bieu.xlsx"}


def test_an_xlsx_row_hidden_after_column_widths_is_a_row_not_a_column():
    """A hidden column's <col> comes before <sheetData>, a hidden row's <row> inside it: a
    row's attributes are never read as a column's, nor the other way round."""
    def build(wb):
        ws = wb.active
        for _ in range(5):
            ws.append([1, 2, 3])
        ws.row_dimensions[2].hidden = True

    (only,) = hidden_parts(_xlsx(build)).values()
    assert (only.rows, only.columns) == ({2}, set())


def test_a_csv_and_a_damaged_workbook_hide_nothing():
    assert hidden_parts(SourceFile("a.csv", "Tên đơn vị,Biên chế\nSở A,3\n".encode())) == {}
    assert hidden_parts(SourceFile("a.xlsx", b"PK\x03\x04 not a zip at all")) == {}


# --- ODS: the markup LibreOffice writes (content.xml) ----------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _cell(v) -> str:
    if isinstance(v, int):
        return (f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


_HIDDEN_STYLE = ('<style:style style:name="ta1" style:family="table">'
                 '<style:table-properties table:display="false"/></style:style>')


def _ods(tables: str, *, hidden_style: bool = True) -> SourceFile:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
        'office:version="1.3"><office:automatic-styles>'
        + (_HIDDEN_STYLE if hidden_style else "")
        + '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '</office:automatic-styles><office:body><office:spreadsheet>'
        f"{tables}</office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return SourceFile("bieu.ods", out.getvalue())


def _row(*cells, attrs: str = "") -> str:
    return f"<table:table-row{attrs}>{''.join(_cell(c) for c in cells)}</table:table-row>"


def test_an_ods_names_its_hidden_sheets_rows_and_columns():
    old = ('<table:table table:name="Số liệu cũ" table:style-name="ta1">'
           '<table:table-column table:number-columns-repeated="3"/>'
           + _row("Tên đơn vị", "Vị trí", "Biên chế") + "</table:table>")
    # columns: A–B shown (repeated 2), C hidden ("collapse"), D–E hidden as a filter result
    # (repeated 2), F shown; rows: 1 shown, 2 collapsed, 3–5 filtered out (repeated 3),
    # 6–7 shown (repeated 2), 8 collapsed
    form = ('<table:table table:name="Biểu 1" table:style-name="ta2">'
            '<table:table-column table:number-columns-repeated="2"/>'
            '<table:table-column table:visibility="collapse"/>'
            '<table:table-column table:visibility="filter" table:number-columns-repeated="2"/>'
            '<table:table-column/>'
            + _row("a", "b", "c", "d", "e", "f")
            + _row("x", attrs=' table:visibility="collapse"')
            + _row("y", attrs=' table:visibility="filter" table:number-rows-repeated="3"')
            + _row("z", attrs=' table:number-rows-repeated="2"')
            + _row("w", attrs=' table:visibility="collapse"')
            + "</table:table>")
    shown = ('<table:table table:name="Biểu 2"><table:table-column/>' + _row("v")
             + "</table:table>")
    parts = hidden_parts(_ods(old + form + shown))
    assert set(parts) == {"Số liệu cũ", "Biểu 1", "Biểu 2"}
    assert parts["Số liệu cũ"].sheet_hidden
    assert (parts["Số liệu cũ"].rows, parts["Số liệu cũ"].columns) == (set(), set())
    form_parts = parts["Biểu 1"]
    assert not form_parts.sheet_hidden
    assert form_parts.rows == {2, 3, 4, 5, 8}
    assert form_parts.columns == {2, 3, 4}
    assert not parts["Biểu 2"].sheet_hidden
    assert (parts["Biểu 2"].rows, parts["Biểu 2"].columns) == (set(), set())
    assert not any(h.unchecked for h in parts.values())
    assert {h.file for h in parts.values()} == {"bieu.ods"}


def test_an_ods_that_hides_nothing_reports_each_sheet_shown():
    parts = hidden_parts(_ods('<table:table table:name="Biểu"><table:table-column/>'
                              + _row("a") + _row("b") + "</table:table>"))
    assert {k: (v.sheet_hidden, v.rows, v.columns) for k, v in parts.items()} == {
        "Biểu": (False, set(), set())}


def test_an_ods_sheet_that_only_collapses_a_row_keeps_the_sheet_shown():
    """Only the table style with display="false" hides a sheet; another style does not."""
    parts = hidden_parts(_ods(
        '<table:table table:name="Biểu" table:style-name="ta2"><table:table-column/>'
        + _row("a") + _row("b", attrs=' table:visibility="collapse"') + "</table:table>"))
    assert (parts["Biểu"].sheet_hidden, parts["Biểu"].rows) == (False, {2})


def test_an_ods_hiding_only_rows_and_columns_names_them():
    """No sheet hidden (no table style with display="false" in the file): the hidden rows and
    columns are still found."""
    parts = hidden_parts(_ods(
        '<table:table table:name="Biểu" table:style-name="ta2">'
        '<table:table-column/><table:table-column table:visibility="collapse"/>'
        + _row("a", "b") + _row("c", "d", attrs=' table:visibility="filter"') + _row("e", "f")
        + "</table:table>", hidden_style=False))
    assert {k: (v.sheet_hidden, v.rows, v.columns) for k, v in parts.items()} == {
        "Biểu": (False, {2}, {1})}


def test_an_ods_hiding_only_a_sheet_names_it():
    parts = hidden_parts(_ods(
        '<table:table table:name="Cũ" table:style-name="ta1"><table:table-column/>'
        + _row("a") + "</table:table>"
        '<table:table table:name="Biểu" table:style-name="ta2"><table:table-column/>'
        + _row("b") + "</table:table>"))
    assert {k: (v.sheet_hidden, v.rows, v.columns) for k, v in parts.items()} == {
        "Cũ": (True, set(), set()), "Biểu": (False, set(), set())}


def test_hiding_the_rest_of_a_sheet_is_not_a_list_of_hidden_columns():
    """Excel's "hide every column to the right" is one <col> up to column XFD (16,384): a
    hidden run of more than 1,000 columns (999 in an .ods, 100,000 rows or more) is taken for
    that and not listed column by column; narrower runs are listed."""
    def build(wb):
        ws = wb.active
        ws.append(["Tên", "Biên chế"])
        ws.column_dimensions.group("C", "ALN", hidden=True)   # C … 1,002nd column: 1,000 wide
        other = wb.create_sheet("Rộng")
        other.append(["Tên", "Biên chế"])
        other.column_dimensions.group("C", "ALO", hidden=True)  # 1,001 wide
        rest = wb.create_sheet("Phần còn lại")
        rest.append(["Tên", "Biên chế"])
        rest.column_dimensions.group("C", "XFD", hidden=True)

    parts = hidden_parts(_xlsx(build))
    assert parts["Sheet"].columns == set(range(2, 1002))
    assert parts["Rộng"].columns == set()
    assert parts["Phần còn lại"].columns == set()
    ods = hidden_parts(_ods(
        '<table:table table:name="Biểu"><table:table-column/>'
        '<table:table-column table:visibility="collapse" table:number-columns-repeated="999"/>'
        '<table:table-column table:visibility="collapse" table:number-columns-repeated="1000"/>'
        + _row("a")
        + _row("b", attrs=' table:visibility="collapse" table:number-rows-repeated="99999"')
        + _row("c", attrs=' table:visibility="collapse" table:number-rows-repeated="100000"')
        + "</table:table>"))
    assert ods["Biểu"].columns == set(range(1, 1000))
    assert ods["Biểu"].rows == set(range(2, 2 + 99_999))


def test_a_sheet_named_in_single_quotes_still_has_its_hidden_rows_read():
    """XML allows name='…' as well as name="…": such a sheet's hidden rows are read all the
    same (workbook.xml rewritten here as another program than Excel may write it)."""
    def build(wb):
        ws = wb.active
        ws.title = "Biểu"
        for r in range(1, 5):
            ws.append([f"r{r}"])
        ws.row_dimensions[3].hidden = True

    source = _xlsx(build)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source.data)) as z, zipfile.ZipFile(out, "w") as w:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace('name="Biểu"'.encode(), "name='Biểu'".encode())
                assert "name='Biểu'".encode() in data
            w.writestr(item, data)
    parts = hidden_parts(SourceFile("bieu.xlsx", out.getvalue()))
    assert (parts["Biểu"].file, parts["Biểu"].rows) == ("bieu.xlsx", {3})


# --- blanking a grid ------------------------------------------------------------------------

def _grid(rows, first_row=1, merged=(), special=None) -> Grid:
    return Grid("bieu.xlsx", "Biểu 1", [list(r) for r in rows], first_row=first_row,
                merged=merged, special=special or {})


def test_hidden_rows_are_blanked_and_named_in_ranges():
    # Excel rows 4 … 13 (the grid starts at row 4); rows 5, 7, 8, 9, 12 hidden, and 14 and 20
    # (past the grid) and 6 (empty) hidden too: none of these is named
    rows = [[f"row {4 + i}", 4 + i] for i in range(10)]
    rows[2] = [None, "  "]
    grid, problems = blank_hidden(_grid(rows, first_row=4),
                                  Hidden("bieu.xlsx", rows={5, 6, 7, 8, 9, 12, 14, 20}))
    assert [r for r in grid.rows] == [
        ["row 4", 4], [], [None, "  "], [], [], [], ["row 10", 10], ["row 11", 11], [],
        ["row 13", 13]]
    (p,) = problems
    assert (p.code, p.file, p.sheet) == ("hidden_rows_skipped", "bieu.xlsx", "Biểu 1")
    assert p.severity is Severity.WARNING
    assert p.params == {"rows": "5, 7–9, 12", "count": 5}
    assert "5 hidden rows are not read: rows 5, 7–9, 12." in problem_message(p, "en")


def test_a_hidden_row_above_the_grid_is_not_counted():
    grid, problems = blank_hidden(_grid([["a"], ["b"]], first_row=3),
                                  Hidden("bieu.xlsx", rows={1, 2, 3}))
    assert grid.rows == [[], ["b"]]
    assert problems[0].params == {"rows": "3", "count": 1}


def test_hidden_columns_are_blanked_and_named_by_letter_and_header():
    rows = [["Tên đơn vị", "Biên chế 2024", "Biên chế 2025", None, "Có mặt"],
            ["Sở A", 10, 12, None, 9],
            ["Sở B", 4, 5],
            ["Ghi chú"]]  # a row ending before the hidden column
    merged = ((0, 1, 0, 2), (0, 0, 1, 0), (0, 2, 0, 4))
    special = {(1, 4): "#REF!"}
    grid, problems = blank_hidden(_grid(rows, first_row=3, merged=merged, special=special),
                                  Hidden("bieu.xlsx", columns={1, 3, 9}))
    # column D (3) is empty and column J (9) lies past the table: neither is named
    assert grid.rows == [["Tên đơn vị", None, "Biên chế 2025", None, "Có mặt"],
                         ["Sở A", None, 12, None, 9], ["Sở B", None, 5], ["Ghi chú"]]
    (p,) = problems
    assert (p.code, p.severity, p.file, p.sheet) == (
        "hidden_columns_skipped", Severity.WARNING, "bieu.xlsx", "Biểu 1")
    assert (grid.first_row, grid.special) == (3, {(1, 4): "#REF!"})
    assert p.params == {"columns": "B · Biên chế 2024", "count": 1}
    # no merge lies wholly in hidden columns (B–C reaches the shown C): all three stay
    assert grid.merged == merged
    assert (grid.file, grid.sheet) == ("bieu.xlsx", "Biểu 1")


def test_a_merge_within_hidden_columns_is_dropped():
    rows = [["Tên", "Cũ", "Cũ", "Mới"], ["Sở A", 1, 2, 3]]
    grid, _ = blank_hidden(_grid(rows, merged=((0, 1, 0, 2),)),
                           Hidden("bieu.xlsx", columns={1, 2}))
    assert grid.merged == ()
    assert grid.rows == [["Tên", None, None, "Mới"], ["Sở A", None, None, 3]]


def test_a_hidden_column_is_named_by_its_first_text_even_below_blank_rows():
    rows = [[None, None], ["", ""], ["Đơn vị", "Ghi chú"], ["Sở A", "x"]]
    _, problems = blank_hidden(_grid(rows), Hidden("bieu.xlsx", columns={0, 1}))
    assert problems[0].params == {"columns": "A · Đơn vị, B · Ghi chú", "count": 2}


def test_a_hidden_column_past_the_end_of_a_short_title_row_is_named_by_its_header():
    rows = [["BIỂU SỐ 1"], ["Tên đơn vị", "Ghi chú"], ["Sở A", "x"]]
    _, problems = blank_hidden(_grid(rows), Hidden("bieu.xlsx", columns={1}))
    assert problems[0].params == {"columns": "B · Ghi chú", "count": 1}


def test_hidden_column_x_keeps_its_letter():
    rows = [[f"c{c}" for c in range(23)] + ["Ghi chú"], ["Sở A"] + [1] * 23]
    _, problems = blank_hidden(_grid(rows), Hidden("bieu.xlsx", columns={23}))
    assert problems[0].params == {"columns": "X · Ghi chú", "count": 1}


def test_a_hidden_column_with_text_only_below_row_60_is_named_by_letter():
    rows = [["Tên", None] for _ in range(60)] + [["Sở A", "ghi chú"]]
    _, problems = blank_hidden(_grid(rows), Hidden("bieu.xlsx", columns={1}))
    assert problems[0].params == {"columns": "B", "count": 1}


def test_hidden_rows_and_columns_both_give_a_warning_each():
    rows = [["Tên", "Cũ", "Mới"], ["Sở A", 1, 2], ["Sở B", 3, 4]]
    grid, problems = blank_hidden(_grid(rows), Hidden("bieu.xlsx", rows={3}, columns={1}))
    assert [p.code for p in problems] == ["hidden_rows_skipped", "hidden_columns_skipped"]
    assert grid.rows == [["Tên", None, "Mới"], ["Sở A", None, 2], []]


def test_nothing_hidden_leaves_the_grid_as_it_was():
    rows = [["Tên", "Cũ"], ["Sở A", 1]]
    grid, problems = blank_hidden(_grid(rows), Hidden("bieu.xlsx"))
    assert (grid.rows, problems) == ([["Tên", "Cũ"], ["Sở A", 1]], [])


def test_an_xls_says_its_hidden_rows_cannot_be_seen():
    rows = [["Tên", "Cũ"], ["Sở A", 1]]
    grid, problems = blank_hidden(_grid(rows), Hidden("bieu.xls", rows={2}, unchecked=True))
    assert grid.rows == [["Tên", "Cũ"], ["Sở A", 1]]
    (p,) = problems
    assert (p.code, p.file, p.sheet) == ("hidden_rows_unchecked", "bieu.xlsx", "Biểu 1")
    assert p.severity is Severity.WARNING


@pytest.mark.parametrize("hidden, expected", [
    ({1}, "1"), ({2, 3}, "2–3"), ({2, 4}, "2, 4"), ({7, 8, 9, 1, 3}, "1, 3, 7–9"),
    ({10, 11, 12, 13}, "10–13"),
])
def test_hidden_row_ranges_are_written_as_an_officer_reads_them(hidden, expected):
    rows = [[f"r{r}"] for r in range(1, 15)]
    _, (p,) = blank_hidden(_grid(rows), Hidden("bieu.xlsx", rows=hidden))
    assert p.params == {"rows": expected, "count": len(hidden)}


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; "
                    "`make test` installs libreoffice-calc-nogui")
def test_an_xls_names_its_hidden_sheet_and_says_rows_cannot_be_seen(tmp_path):
    """An .xls saved by LibreOffice from a workbook with a hidden sheet: the sheet is known to
    be hidden and is not read; its rows and columns cannot be seen, which each sheet says.
    (Issue 18: calamine's "SheetVisibleEnum.Hidden" was tested for the word "Visible", so an
    .xls workbook's hidden sheet of last year's figures was read as the table.)"""
    def build(wb):
        old = wb.active
        old.title = "Số liệu cũ"
        head = ["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt"]
        old.append(head)
        old.append(["Sở A", "Chuyên viên", 50, 50])  # last year's figures, hidden
        old.sheet_state = "hidden"
        form = wb.create_sheet("Biểu 1")
        form.append(head)
        form.append(["Sở A", "Chuyên viên", 3, 2])
        form.append(["Sở A", "Văn thư", 1, 1])
        form.row_dimensions[3].hidden = True  # an .xls cannot show it: read, with a warning
        wb.active = 1  # a hidden sheet is never the one open

    (tmp_path / "bieu.xlsx").write_bytes(_xlsx(build).data)
    done = subprocess.run([SOFFICE, "--headless", "--convert-to", "xls", "--outdir", str(tmp_path),
                           str(tmp_path / "bieu.xlsx")], capture_output=True, text=True,
                          timeout=300, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    parts = hidden_parts(SourceFile("bieu.xls", (tmp_path / "bieu.xls").read_bytes()))
    assert {k: (v.file, v.sheet_hidden, v.unchecked) for k, v in parts.items()} == {
        "Số liệu cũ": ("bieu.xls", True, True), "Biểu 1": ("bieu.xls", False, True)}
    xls = SourceFile("bieu.xls", (tmp_path / "bieu.xls").read_bytes())
    inputs = load_inputs(xls)
    assert inputs.positions["quota"].tolist() == [3, 1]  # Biểu 1's, not the hidden 50
    assert {"hidden_sheet_skipped", "hidden_rows_unchecked"} <= {w.code for w in inputs.warnings}

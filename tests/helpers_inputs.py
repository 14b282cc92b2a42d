"""Small builders for the input tests: workbooks and CSV files written by the tests themselves.

Every file the input tests read is made here, in memory, so each test shows the exact layout it
checks. ``xlsx`` writes with openpyxl (merges, formulas and error cells as Excel stores them);
``csv_bytes`` writes any separator and encoding.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
import pandas as pd

from planner.domain.problems import InputError, Problem
from planner.io.inputs import Inputs, load_inputs
from planner.io.sources import SourceFile

Rows = Sequence[Sequence[Any]]

#: The plain header most tests start from.
HEADER = ["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt", "Hệ số lương"]


def xlsx(rows: Rows, *, merges: Iterable[str] = (), title: str = "Biểu 1",
         sheets: dict[str, Rows] | None = None, errors: dict[str, str] | None = None) -> bytes:
    """A workbook whose first sheet holds ``rows`` (``None`` = empty cell).

    ``merges`` are ranges such as "D5:E5"; ``errors`` puts Excel error values in cells
    ({"C3": "#REF!"}), stored with t="e" as Excel does; ``sheets`` adds further sheets after
    the first.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    _fill(ws, rows, merges)
    for ref, err in (errors or {}).items():
        ws[ref] = err
        ws[ref].data_type = "e"
    for name, more in (sheets or {}).items():
        _fill(wb.create_sheet(name), more, ())
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_sheets(sheets: dict[str, Rows]) -> bytes:
    """A workbook with the given sheets, in order."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        _fill(wb.create_sheet(name), rows, ())
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill(ws, rows: Rows, merges: Iterable[str]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for m in merges:
        ws.merge_cells(m)


def csv_bytes(rows: Rows, *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    """CSV text of ``rows`` in ``encoding`` ("utf-8-sig" adds a BOM, "utf-16" is Excel's
    "Unicode text" with its BOM)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


def src(name: str, data: bytes) -> SourceFile:
    return SourceFile(name, data)


def load(quotas: bytes | SourceFile | pd.DataFrame, headcounts: bytes | SourceFile | None = None,
         *, name: str = "chi_tieu.xlsx", headcounts_name: str = "so_co_mat.xlsx",
         **kwargs: Any) -> Inputs:
    """``load_inputs`` on in-memory files (bytes are named ``name`` / ``headcounts_name``)."""
    q = SourceFile(name, quotas) if isinstance(quotas, bytes) else quotas
    h = SourceFile(headcounts_name, headcounts) if isinstance(headcounts, bytes) else headcounts
    return load_inputs(q, h, **kwargs)


def problems_of(quotas: Any, headcounts: Any = None, **kwargs: Any) -> list[Problem]:
    """The problems ``load`` raises (fails the test if the input loads)."""
    try:
        load(quotas, headcounts, **kwargs)
    except InputError as exc:
        return exc.problems
    raise AssertionError("the input loaded, but problems were expected")


def rows_of(inputs: Inputs, *cols: str) -> list[tuple]:
    """Imported rows as tuples of ``cols`` (default: unit, position, quota, headcount)."""
    cols = cols or ("unit_name", "position_name", "quota", "headcount")
    return [tuple(r) for r in inputs.positions[list(cols)].itertuples(index=False)]


def skipped_of(inputs: Inputs | InputError, kind: str | None = None) -> list[tuple[int, str]]:
    """(Excel row, kind) of the skipped rows, optionally of one kind."""
    return [(s.row, s.kind) for s in inputs.skipped if kind is None or s.kind == kind]


def by_code(problems: list[Problem], code: str) -> list[Problem]:
    return [p for p in problems if p.code == code]


def encrypted_xlsx(plain: bytes, password: str = "mật khẩu") -> bytes:
    """``plain`` encrypted as Excel does with a password (an OLE file with an
    EncryptedPackage stream), by msoffcrypto-tool."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    return out.getvalue()


_SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b"<sheetData>")
_SHEET_TAIL = b"</sheetData></worksheet>"


def generated_xlsx(n_rows: int, *, blank_rows: int = 0) -> bytes:
    """A real XLSX with a header and ``n_rows`` data rows, its sheet XML written directly
    (streamed, so a million rows take seconds, not the minutes openpyxl would).

    ``blank_rows`` empty-but-formatted rows (as Excel leaves them) come between the header
    and the data.
    """
    import zipfile

    template = xlsx([HEADER, ["x", "y", 1, 1, 1.0]], title="Biểu 1")
    src_zip = zipfile.ZipFile(io.BytesIO(template))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in src_zip.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info, src_zip.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_SHEET_HEAD)
            head = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>'
                           for c, h in zip("ABCDE", HEADER, strict=True))
            fh.write(f'<row r="1">{head}</row>'.encode())
            for r in range(2, 2 + blank_rows):
                fh.write(f'<row r="{r}" ht="15" customHeight="1"><c r="A{r}" s="0"/></row>'
                         .encode())
            first = 2 + blank_rows
            chunk: list[str] = []
            for r in range(first, first + n_rows):
                chunk.append(
                    f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Đơn vị {r // 10}</t></is>'
                    f'</c><c r="B{r}" t="inlineStr"><is><t>Vị trí {r % 10}</t></is></c>'
                    f'<c r="C{r}"><v>5</v></c><c r="D{r}"><v>3</v></c>'
                    f'<c r="E{r}"><v>2.34</v></c></row>')
                if len(chunk) == 20000:
                    fh.write("".join(chunk).encode())
                    chunk = []
            fh.write("".join(chunk).encode())
            fh.write(_SHEET_TAIL)
    return out.getvalue()


def generated_csv(n_rows: int) -> bytes:
    """A CSV with a header and ``n_rows`` short data rows."""
    lines = [",".join(HEADER)]
    lines += [f"Đơn vị {r // 10},Vị trí {r % 10},5,3,\"2,34\"" for r in range(n_rows)]
    return ("\n".join(lines) + "\n").encode()

"""The staffing report a province sends up: quota against staff on board, per unit.

``staffing_report_xlsx(inputs, created=...)`` gives a workbook of two forms (biểu), laid out
the way the Ministry of Home Affairs' statistical report forms are typed (Circular 2/2023/
TT-BNV on the Home Affairs statistical reporting regime; the exact form number and columns of
the current form could not be verified, see README): the reporting body and the form's
number top left, the title, the reporting date and the unit of measure ("ĐVT: người"), a
header two rows deep with merged parent cells, a row of column numbers, group rows numbered
I, II, III (the data's sector, "Khối Sở, ban, ngành" …) with their subtotals ("Cộng"), the
total ("Tổng cộng"), and the signature lines (Người lập biểu / Thủ trưởng đơn vị).

- **Biểu 1 — by staff type**: for each unit the quota (Được giao) and staff on board (Có mặt)
  in total and for civil servants (công chức), public employees paid by the state budget
  (viên chức hưởng lương từ ngân sách nhà nước), public employees paid from the unit's own
  revenue (service revenue or retained fees: viên chức hưởng lương từ nguồn thu sự nghiệp) and
  contracts (hợp đồng, Decree 111/2022).
- **Biểu 2 — by position group** (Decree 62/2020): the same two figures for the four groups
  (lãnh đạo, quản lý; chuyên môn, nghiệp vụ chuyên ngành; chuyên môn dùng chung; hỗ trợ, phục
  vụ) and a column for positions whose group the data does not give.

Figures come from the inputs (the quota tables and staff on board), not from a plan. Totals
are SUM formulas with their values stored. The bytes depend only on the inputs, the options
and the date given.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from planner.domain.columns import POSITION_GROUPS
from planner.export.xlsx import Formats, workbook_options, write_formula

if TYPE_CHECKING:
    from planner.io.inputs import Inputs

#: Staff categories of Biểu 1: code → header words.
CATEGORIES = {
    "civil_servant": "Công chức",
    "public_employee_budget": "Viên chức hưởng lương từ NSNN",
    "public_employee_revenue": "Viên chức hưởng lương từ nguồn thu sự nghiệp",
    "contract": "Hợp đồng (NĐ 111/2022)",
}
#: Position groups of Biểu 2 (the data contract's order) and the column for unknown groups.
GROUPS = {**{k: v[0] for k, v in POSITION_GROUPS.items()}, "": "Chưa xác định nhóm"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")
_FIRST_DATA_COL = 2  # STT, Tên đơn vị, then the figures


@dataclass(frozen=True, kw_only=True)
class Reporter:
    """Who reports: printed top left of each form. Blank fields print as marked blanks."""

    parent_body: str = ""
    body: str = "…………"


def category(staff_type: str, funding_source: str) -> str:
    """Biểu 1's category of a row: public employees split by who pays them (the state budget,
    or the unit's own revenue: service revenue and retained fees)."""
    if staff_type == "public_employee":
        return "public_employee_budget" if funding_source == "state_budget" \
            else "public_employee_revenue"
    return staff_type


def report_tables(positions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(by staff type, by position group): one row per unit, in the order of the data, with
    the columns ``sector, unit_id, unit_name`` and ``quota.<key>``, ``headcount.<key>`` for
    every category or group and ``total``."""
    p = positions.assign(
        _category=[category(s, f) for s, f in zip(positions["staff_type"],
                                                   positions["funding_source"], strict=True)],
        _group=positions["position_group"].fillna("") if "position_group" in positions
        else "")
    p["sector"] = p["sector"].fillna("").astype(str) if "sector" in p else ""
    keys = ["sector", "unit_id", "unit_name"]
    units = p[keys].drop_duplicates("unit_id").reset_index(drop=True)

    def table(by: str, codes: Mapping[str, str]) -> pd.DataFrame:
        out = units.copy()
        for figure in ("quota", "headcount"):
            sums = p.pivot_table(index="unit_id", columns=by, values=figure, aggfunc="sum",
                                 fill_value=0)
            out[f"{figure}.total"] = out["unit_id"].map(p.groupby("unit_id")[figure].sum())
            for code in codes:
                col = sums[code] if code in sums.columns else pd.Series(dtype="int64")
                out[f"{figure}.{code}"] = out["unit_id"].map(col).fillna(0).astype("int64")
        return out

    return table("_category", CATEGORIES), table("_group", GROUPS)


def staffing_report_xlsx(inputs: Inputs, *, created: dt.date,
                         reporter: Reporter | None = None) -> bytes:
    """The staffing report workbook (see the module docstring)."""
    reporter = reporter or Reporter()
    by_type, by_group = report_tables(inputs.positions)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, workbook_options())
    workbook.set_properties({"title": "Báo cáo biên chế được giao và số có mặt",
                             "author": "planner", "company": "",
                             "created": dt.datetime.combine(created, dt.time())})
    fmt = Formats(workbook)
    for number, (sheet, title, table, labels) in enumerate((
            ("Biểu 1 - Theo loại", "BIÊN CHẾ ĐƯỢC GIAO VÀ SỐ CÓ MẶT THEO LOẠI CÔNG CHỨC, "
             "VIÊN CHỨC, HỢP ĐỒNG", by_type, {"total": "Tổng số", **CATEGORIES}),
            ("Biểu 2 - Theo nhóm VTVL", "BIÊN CHẾ ĐƯỢC GIAO VÀ SỐ CÓ MẶT THEO NHÓM VỊ TRÍ VIỆC "
             "LÀM", by_group, {"total": "Tổng số", **GROUPS})), start=1):
        ws = workbook.add_worksheet(sheet)
        _write_form(ws, fmt, number=number, title=title, table=table, labels=labels,
                    reporter=reporter, created=created)
    workbook.close()
    return buffer.getvalue()


def _write_form(ws: Worksheet, fmt: Formats, *, number: int, title: str, table: pd.DataFrame,
                labels: dict[str, str], reporter: Reporter, created: dt.date) -> None:
    keys = list(labels)
    n_cols = _FIRST_DATA_COL + 2 * len(keys) + 1  # … and Ghi chú
    last = n_cols - 1
    ws.write_string(0, 0, reporter.parent_body.upper(), fmt.get(border=False))
    ws.write_string(1, 0, reporter.body.upper(), fmt.get(bold=True, border=False))
    ws.write_string(0, last - 2, f"Biểu số {number:02d}", fmt.get(bold=True, border=False))
    ws.merge_range(3, 0, 3, last, title, fmt.get(bold=True, size=13, border=False,
                                                   align="center"))
    ws.merge_range(4, 0, 4, last, f"(Số liệu đến ngày {created:%d/%m/%Y})",
                   fmt.get(italic=True, border=False, align="center"))
    ws.write_string(5, last - 1, "ĐVT: người", fmt.get(italic=True, border=False))

    top, sub, numbers = 6, 7, 8
    head = fmt.get(header=True)
    ws.merge_range(top, 0, sub, 0, "STT", head)
    ws.merge_range(top, 1, sub, 1, "Tên cơ quan, đơn vị", head)
    for j, key in enumerate(keys):
        at = _FIRST_DATA_COL + 2 * j
        ws.merge_range(top, at, top, at + 1, labels[key], head)
        ws.write_string(sub, at, "Được giao", head)
        ws.write_string(sub, at + 1, "Có mặt", head)
    ws.merge_range(top, last, sub, last, "Ghi chú", head)
    ws.set_row(top, 48)
    for j in range(n_cols):  # the column numbers: A, B, then (1) (2) …
        label = "A" if j == 0 else "B" if j == 1 else "" if j == last else f"({j - 1})"
        ws.write_string(numbers, j, label, fmt.get(italic=True, align="center"))

    figure_cols = [f"{f}.{k}" for k in keys for f in ("quota", "headcount")]
    row = numbers + 1
    subtotal_rows = []
    sectors = list(dict.fromkeys(table["sector"]))
    for g, sector in enumerate(sectors):
        block = table[table["sector"] == sector]
        group_row = row
        ws.write_string(row, 0, ROMAN[g] if g < len(ROMAN) else str(g + 1),
                        fmt.get(bold=True, align="center"))
        ws.write_string(row, 1, sector or "Khác", fmt.get(bold=True))
        row += 1
        first = row
        for k, record in enumerate(block.to_dict("records"), start=1):
            ws.write_number(row, 0, k, fmt.get("count", align="center"))
            ws.write_string(row, 1, str(record["unit_name"]), fmt.get())
            for j, col in enumerate(figure_cols):
                ws.write_number(row, _FIRST_DATA_COL + j, int(record[col]), fmt.get("count"))
            ws.write_string(row, last, "", fmt.get())
            row += 1
        for j, col in enumerate(figure_cols):  # the group row carries the group's sums
            c = _FIRST_DATA_COL + j
            write_formula(ws, group_row, c, f"=SUM({xl_rowcol_to_cell(first, c)}:"
                          f"{xl_rowcol_to_cell(row - 1, c)})", int(block[col].sum()),
                          fmt.get("count", bold=True))
        ws.write_string(group_row, last, "", fmt.get(bold=True))
        subtotal_rows.append(group_row)
    ws.write_string(row, 0, "", fmt.get(bold=True, fill="#F2F2F2"))
    ws.write_string(row, 1, "Tổng cộng", fmt.get(bold=True, fill="#F2F2F2"))
    for j, col in enumerate(figure_cols):
        c = _FIRST_DATA_COL + j
        cells = ",".join(xl_rowcol_to_cell(r, c) for r in subtotal_rows)
        write_formula(ws, row, c, f"=SUM({cells})", int(table[col].sum()),
                      fmt.get("count", bold=True, fill="#F2F2F2"))
    ws.write_string(row, last, "", fmt.get(bold=True, fill="#F2F2F2"))
    row += 2
    right = max(last - 4, 3)
    ws.merge_range(row, right, row, last, "…………, ngày …… tháng …… năm ……",
                   fmt.get(italic=True, border=False, align="center"))
    ws.write_string(row + 1, 1, "NGƯỜI LẬP BIỂU",
                    fmt.get(bold=True, border=False, align="center"))
    ws.write_string(row + 2, 1, "(Ký, ghi rõ họ tên)",
                    fmt.get(italic=True, border=False, align="center"))
    ws.merge_range(row + 1, right, row + 1, last, "THỦ TRƯỞNG ĐƠN VỊ",
                   fmt.get(bold=True, border=False, align="center"))
    ws.merge_range(row + 2, right, row + 2, last, "(Ký tên, đóng dấu)",
                   fmt.get(italic=True, border=False, align="center"))

    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 36)
    ws.set_column(_FIRST_DATA_COL, last - 1, 9)
    ws.set_column(last, last, 12)
    ws.freeze_panes(numbers + 1, 2)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(top, numbers)
    ws.print_area(0, 0, row + 6, last)
    ws.set_footer("&CTrang &P/&N")
    ws.hide_gridlines(2)

"""A unit name that looks like a formula goes through import, solve and both exports as text.

The quotas file is a CSV this test writes, as an office (or an attacker) would; the results
are read back with openpyxl and the csv module.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import openpyxl
import pytest

from planner.api import solve as solve_scenario
from planner.domain.gaps import GAP_COLUMNS, staffing_gaps
from planner.domain.scenario import Scenario
from planner.export.plain_tables import table_csv, table_xlsx
from planner.export.workbook import plan_csv, plan_workbook
from planner.io.inputs import load_inputs

EVIL = '=HYPERLINK("http://example.invalid","x")'
# starts a spreadsheet runs as a formula: = + - @ (through import) and tab, CR (which the
# importer trims off names, so they are fed to the exports directly)
NAMES = [EVIL, "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)"]
WHITESPACE = ["\tTab unit", "\rCR unit"]


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    path = tmp_path_factory.mktemp("evil") / "chi_tieu.csv"
    rows = ["Tên đơn vị,Vị trí việc làm,Biên chế được giao,Số có mặt,Hệ số lương,Loại,"
            "Nguồn kinh phí"]
    for i, name in enumerate(NAMES):
        quoted = '"' + name.replace('"', '""') + '"'
        rows.append(f"{quoted},Chuyên viên,{5 + i},2,2.34,công chức,NSNN")
    rows.append('Sở Nội vụ,"=1+1",4,1,2.34,công chức,NSNN')  # a formula as a position name
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))
    inputs = load_inputs(path)
    allocation = solve_scenario(inputs, Scenario(budgets={"state_budget": 1e12}))
    return inputs, allocation


def test_import_keeps_the_names_as_typed(solved):
    inputs, allocation = solved
    assert set(NAMES) <= set(inputs.positions["unit_name"])
    assert set(NAMES) <= set(allocation.plan["unit_name"])
    assert allocation.total_hires > 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_workbook_keeps_formula_like_names_as_text(solved, lang):
    inputs, allocation = solved
    data = plan_workbook(allocation, inputs=inputs, lang=lang, created=dt.date(2026, 3, 5))
    wb = openpyxl.load_workbook(io.BytesIO(data))  # formulas as written, not their values
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in NAMES or cell.value == "=1+1":
                    found.setdefault(cell.value, []).append(cell.data_type)
    assert found[EVIL] and set(found[EVIL]) == {"s"}
    for name in [*NAMES, "=1+1"]:
        assert found.get(name), f"{name!r} is missing from the workbook"
        assert set(found[name]) == {"s"}, (name, found[name])
    # and no formula anywhere but the total rows we write
    formulas = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas and all(f.startswith(("=SUM(", "=IF(")) for f in formulas)
    assert "HYPERLINK" not in " ".join(formulas)


def test_workbook_stores_the_evil_name_as_a_shared_string_not_a_formula(solved):
    inputs, allocation = solved
    import zipfile

    data = plan_workbook(allocation, inputs=inputs, created=dt.date(2026, 3, 5), chart=False)
    z = zipfile.ZipFile(io.BytesIO(data))
    sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/s"))
    assert "HYPERLINK" not in sheets  # not in any <f> element
    assert "HYPERLINK" in z.read("xl/sharedStrings.xml").decode()


@pytest.mark.parametrize("headers", ["ids", "vi"])
def test_csv_prefixes_formula_like_text_and_leaves_numbers_alone(solved, headers):
    _, allocation = solved
    text = plan_csv(allocation, headers=headers).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    name_col = header.index("unit_name" if headers == "ids" else "Tên đơn vị")
    names = [r[name_col] for r in body]
    assert "'" + EVIL in names
    for name in NAMES:
        assert "'" + name in names, name
    assert "Sở Nội vụ" in names  # ordinary text untouched
    position_col = header.index("position_name" if headers == "ids" else "Vị trí việc làm")
    assert "'=1+1" in [r[position_col] for r in body]
    for col_name in (("quota", "hires", "hires_cost") if headers == "ids" else
                     ("Biên chế được giao", "Đề xuất tuyển dụng", "Kinh phí tuyển dụng (đ/năm)")):
        col = header.index(col_name)
        for r in body:
            assert r[col].lstrip("-").isdigit(), (col_name, r[col])  # a number, no apostrophe


def test_tab_and_carriage_return_starts_are_neutralised_in_both_exports(solved):
    _, allocation = solved
    plan = allocation.plan.copy()
    plan.loc[0, "unit_name"], plan.loc[1, "position_name"] = WHITESPACE
    by_unit = allocation.by_unit.copy()
    by_unit.loc[0, "unit_name"] = WHITESPACE[0]
    changed = dataclasses.replace(allocation, plan=plan, by_unit=by_unit)
    rows = list(csv.reader(io.StringIO(plan_csv(changed).decode("utf-8-sig"), newline="")))
    assert rows[1][1] == "'" + WHITESPACE[0] and rows[2][3] == "'" + WHITESPACE[1]
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(changed, created=dt.date(2026, 3, 5),
                                                         chart=False)))
    # a CR is stored as OOXML's escape _x000D_, which openpyxl hands back as written
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(("\t", "\r", "_x000D_"))]
    assert len(cells) == 3 and all(c.data_type == "s" for c in cells)


def test_negative_numbers_stay_numbers_and_text_minus_is_prefixed():
    import pandas as pd

    table = pd.DataFrame({"unit_name": ["-Ban A", "B"], "surplus": [-3, 2],
                          "rate": [-0.5, 0.25]})
    rows = list(csv.reader(io.StringIO(table_csv(table).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'-Ban A", "-3", "-0.5"]
    wb = openpyxl.load_workbook(io.BytesIO(table_xlsx(table)))
    ws = wb.active
    assert ws["A2"].value == "-Ban A" and ws["A2"].data_type == "s"
    assert ws["B2"].value == -3 and ws["B2"].data_type == "n"


def test_gaps_exports_keep_formula_like_names_as_text(solved):
    inputs, _ = solved
    gaps = staffing_gaps(inputs.positions)[GAP_COLUMNS]
    ws = openpyxl.load_workbook(io.BytesIO(table_xlsx(gaps))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == EVIL]
    assert cells and all(c.data_type == "s" for c in cells)
    text = table_csv(gaps).decode("utf-8-sig")
    assert "'" + EVIL.replace('"', '""') in text

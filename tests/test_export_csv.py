"""The plan as CSV, and the tiny hand-checked plan through both exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from planner.api import solve as solve_scenario
from planner.domain.gaps import staffing_gaps
from planner.domain.scenario import Scenario
from planner.export.plain_tables import table_csv, table_xlsx, whole_numbers
from planner.export.workbook import plan_csv, plan_workbook
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO
from planner.optimise.allocate import PLAN_COLUMNS, allocate_hires


def rows_of(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def sample_allocation():
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    return solve_scenario(inputs, scenario)


@pytest.fixture(scope="module")
def tiny():
    """Two units, three positions; 1 hire of 100 million fits a 250 million budget twice."""
    positions = pd.DataFrame({
        "Mã đơn vị": ["A", "A", "B"], "Tên đơn vị": ["Sở A", "Sở A", "Trường B"],
        "Vị trí việc làm": ["Chuyên viên", "Văn thư", "Giáo viên"],
        "Biên chế được giao": [5, 2, 10], "Số có mặt": [3, 2, 9],
        "Chi phí một năm": [100_000_000, 80_000_000, 120_000_000],
        "Loại": ["công chức", "công chức", "viên chức"], "Nguồn kinh phí": ["NSNN"] * 3,
        "Ưu tiên": [1, 1, 3],
    })
    inputs = load_inputs(positions)
    gaps = staffing_gaps(inputs.positions)
    return inputs, allocate_hires(gaps, budgets={"state_budget": 250_000_000})


def test_csv_has_bom_canonical_ids_and_one_row_per_position(sample_allocation):
    rows = rows_of(plan_csv(sample_allocation))
    assert list(rows[0]) == PLAN_COLUMNS
    assert len(rows) == len(sample_allocation.plan) == 967
    assert sum(int(r["hires"]) for r in rows) == sample_allocation.total_hires
    assert sum(int(r["hires_cost"]) for r in rows) == pytest.approx(sample_allocation.total_cost)
    assert {r["staff_type"] for r in rows} == {"civil_servant", "public_employee", "contract"}
    keys = [(r["unit_id"], r["position_id"]) for r in rows]
    assert len(set(keys)) == len(keys)


def test_csv_writes_whole_numbers_without_decimals(sample_allocation):
    rows = rows_of(plan_csv(sample_allocation))
    for name in ("annual_cost_per_hire", "hires_cost", "quota", "hires"):
        assert all(r[name].lstrip("-").isdigit() for r in rows), name


@pytest.mark.parametrize(("lang", "first"), [("vi", ["Mã đơn vị", "Tên đơn vị", "Mã vị trí"]),
                                             ("en", ["Unit code", "Unit", "Position code"])])
def test_csv_with_labelled_headers(sample_allocation, lang, first):
    rows = rows_of(plan_csv(sample_allocation, headers=lang))
    assert list(rows[0])[:3] == first
    assert len(rows) == 967


def test_csv_refuses_an_unknown_header_style(sample_allocation):
    with pytest.raises(ValueError, match="headers must be"):
        plan_csv(sample_allocation, headers="fr")


def test_tiny_plan_by_hand(tiny):
    """B (priority 3) gets its one vacancy for 120 million; the other 130 million buys one
    hire in A (the 100-million post: 80 + 100 would exceed it, 100 alone fits)."""
    _, allocation = tiny
    plan = allocation.plan.set_index("position_name")
    assert plan.loc["Giáo viên", "hires"] == 1
    assert plan["hires"].sum() == 2
    assert allocation.total_cost <= 250_000_000
    rows = rows_of(plan_csv(allocation))
    assert [(r["unit_id"], r["position_name"], r["vacancies"]) for r in rows] == [
        ("A", "Chuyên viên", "2"), ("A", "Văn thư", "0"), ("B", "Giáo viên", "1")]


def test_tiny_plan_workbook_by_hand(tiny):
    inputs, allocation = tiny
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(
        allocation, inputs=inputs, lang="en", created=dt.date(2026, 3, 5))), data_only=True)
    ws = wb["By unit"]
    header = [c.value for c in ws[3]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=4)]
    assert [r["Unit"] for r in rows] == ["Sở A", "Trường B", "Total"]
    unit_a, unit_b, total = rows
    assert (unit_a["Approved quota"], unit_a["On board"], unit_a["Vacancies"]) == (7, 5, 2)
    assert (unit_b["Approved quota"], unit_b["Vacancies"], unit_b["Proposed hires"]) == (10, 1, 1)
    assert total["Approved quota"] == 17 and total["Vacancies"] == 3
    assert total["Proposed hires"] == 2
    assert total["Fill rate before hiring"] == pytest.approx(14 / 17)
    assert total["Fill rate after hiring"] == pytest.approx(16 / 17)
    assert unit_b["Fill rate after hiring"] == pytest.approx(1.0)
    assert total["Cost of hires (million VND/year)"] == pytest.approx(
        allocation.total_cost / 1e6)


def test_whole_numbers_leaves_fractions_and_blanks_alone():
    table = pd.DataFrame({"a": [1.0, 2.0, None], "b": [1.5, 2.0, 3.0], "c": ["x", "y", "z"]})
    out = whole_numbers(table)
    assert str(out["a"].dtype) == "Int64" and out["a"].isna().tolist() == [False, False, True]
    assert out["b"].dtype == "float64"
    assert table_csv(table).decode("utf-8-sig").splitlines()[1] == "1,1.5,x"


def test_table_xlsx_formats_a_gaps_table(sample_allocation):
    plan = sample_allocation.plan[PLAN_COLUMNS]
    ws = openpyxl.load_workbook(io.BytesIO(table_xlsx(plan, sheet="Kế hoạch"))).active
    header = [c.value for c in ws[1]]
    assert ws.title == "Kế hoạch" and header[1] == "Tên đơn vị"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$1:$1"
    quota = ws.cell(2, header.index("Biên chế được giao") + 1)
    cost = ws.cell(2, header.index("Chi phí một người/năm (đ)") + 1)
    assert quota.data_type == "n" and quota.number_format == "#,##0"
    assert cost.data_type == "n" and cost.number_format == "#,##0"
    assert ws.cell(2, header.index("Loại") + 1).value in {"Công chức", "Viên chức", "Hợp đồng"}

"""Comparing saved scenarios: tiny plans checked by hand, the chart, the workbook read back."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest

from planner.domain.scenario import Scenario
from planner.export.compare_workbook import compare_xlsx
from planner.present.charts_compare import difference_by_unit_chart, difference_long
from planner.present.compare import CompareError, by_unit_headers, compare_scenarios, headline_table
from planner.store import InputFileRecord, ScenarioInfo, StoredScenario

NOW = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
COST = 100_000_000.0  # one hire costs 100 million a year in these plans


def _plan(hires: dict[tuple[str, str], int], vacancies: int = 4) -> pd.DataFrame:
    rows = []
    for (unit, pos), h in hires.items():
        rows.append({"unit_id": unit, "unit_name": f"Đơn vị {unit}", "position_id": pos,
                     "position_name": pos, "staff_type": "civil_servant",
                     "funding_source": "fee_revenue" if pos == "KT" else "state_budget",
                     "quota": 10, "headcount": 10 - vacancies, "expected_departures": 0,
                     "vacancies": vacancies, "hires": h, "remaining_vacancies": vacancies - h,
                     "annual_cost_per_hire": COST, "hires_cost": h * COST})
    return pd.DataFrame(rows)


def _stored(sid: int, name: str, plan: pd.DataFrame | None, *, fingerprint: str = "f1",
            quotas_print: str = "q1", scenario: Scenario | None = None) -> StoredScenario:
    hires = None if plan is None else int(plan["hires"].sum())
    info = ScenarioInfo(id=sid, name=name, owner="", author="", note="", shared=False,
                        created_at=NOW, updated_at=NOW, inputs_fingerprint=fingerprint,
                        status=None if plan is None else "optimal", total_hires=hires,
                        total_cost=None if plan is None else hires * COST)
    files = (InputFileRecord(role="quotas", name="chi_tieu.xlsx", sheet="Biểu 1",
                             fingerprint=quotas_print, rows=len(plan) if plan is not None else 0),
             InputFileRecord(role="headcounts", name="co_mat.csv", sheet="", fingerprint="h1",
                             rows=3))
    return StoredScenario(info=info, scenario=scenario or Scenario(), input_files=files,
                          plan=plan)


A = _stored(1, "A", _plan({("U1", "CV"): 2, ("U1", "KT"): 1, ("U2", "CV"): 0}),
            scenario=Scenario(budgets={"state_budget": 3e8, "fee_revenue": 1e8}))
B = _stored(2, "B", _plan({("U1", "CV"): 1, ("U1", "KT"): 1, ("U2", "CV"): 3}),
            scenario=Scenario(budgets={"state_budget": 5e8, "fee_revenue": 1e8}, min_fill=0.5))
C = _stored(3, "C", _plan({("U1", "CV"): 2, ("U1", "KT"): 1, ("U2", "CV"): 0}),
            fingerprint="f2", quotas_print="q2")


def test_per_unit_hires_and_remaining_with_differences_by_hand():
    cmp = compare_scenarios([A, B])
    t = cmp.by_unit.set_index("unit_id")
    # U1: A hires 2+1=3, B 1+1=2 → −1; remaining A (4−2)+(4−1)=5, B 3+3=6 → +1
    assert t.loc["U1", ["hires_1", "hires_2", "hires_diff_2"]].tolist() == [3, 2, -1]
    assert t.loc["U1", ["remaining_1", "remaining_2", "remaining_diff_2"]].tolist() == [5, 6, 1]
    # U2: A 0, B 3 → +3; remaining 4 → 1
    assert t.loc["U2", ["hires_diff_2", "remaining_diff_2"]].tolist() == [3, -3]
    assert t["changed"].all()
    assert list(cmp.by_unit["unit_id"]) == ["U2", "U1"]  # largest difference first
    assert cmp.same_inputs and cmp.warning("vi") is None


def test_headline_side_by_side_by_hand():
    cmp = compare_scenarios([A, B])
    h = cmp.headline.set_index("figure")
    assert h.loc["total_hires", ["s1", "s2", "diff_2"]].tolist() == [3, 5, 2]
    assert h.loc["hires_cost", "diff_2"] == pytest.approx(2 * COST)
    assert h.loc["cost:fee_revenue", ["s1", "s2"]].tolist() == [COST, COST]
    assert h.loc["cost:state_budget", ["s1", "s2"]].tolist() == [2 * COST, 4 * COST]
    assert h.loc["budget_total", ["s1", "s2"]].tolist() == [4e8, 6e8]
    # quota 30, on board 18: fill 60% before; A 21/30 = 70%, B 23/30
    assert h.loc["fill_rate_before", "s1"] == pytest.approx(0.6)
    assert h.loc["fill_rate_after", ["s1", "s2"]].tolist() == pytest.approx([0.7, 23 / 30])
    assert h.loc["units_with_hires", ["s1", "s2"]].tolist() == [1, 2]
    assert pd.isna(h.loc["status", "diff_2"])
    words = headline_table(cmp, "en").set_index("Figure")
    assert words.loc["Solver status", "A"] == "Optimal"
    assert words.loc["Objective", "A"] == "Priority"
    shown = headline_table(cmp, "vi")
    assert list(shown.columns) == ["Chỉ tiêu", "A", "B", "Chênh lệch B − A"]
    row = shown.set_index("Chỉ tiêu").loc["Kinh phí tuyển (đồng/năm)"]
    assert row.tolist() == ["300 triệu đ", "500 triệu đ", "+200 triệu đ"]
    p = cmp.parameters.set_index("parameter")
    assert p.loc["budgets.state_budget", "differs"] and p.loc["min_fill", "s1"] == "–"
    assert not p.loc["base_salary", "differs"]


def test_three_scenarios_and_different_input_data_is_said():
    cmp = compare_scenarios([A, B, C])
    assert cmp.labels == ("A", "B", "C")
    assert not cmp.same_inputs
    assert cmp.inputs.set_index("role")["same"].to_dict() == {"quotas": False,
                                                              "headcounts": True}
    vi, en = cmp.warning("vi"), cmp.warning("en")
    assert "dữ liệu đầu vào khác nhau" in vi and "Chỉ tiêu biên chế" in vi
    assert "different input data" in en and "Approved quotas" in en
    t = cmp.by_unit.set_index("unit_id")
    assert t.loc["U1", "hires_diff_3"] == 0 and t.loc["U2", "hires_diff_3"] == 0
    headers = by_unit_headers(cmp, "en")
    assert headers["hires_diff_3"] == "Hires difference C − A"


def test_units_missing_from_one_plan_and_repeated_names():
    other = _stored(4, "A", _plan({("U1", "CV"): 2, ("U3", "CV"): 1}))
    cmp = compare_scenarios([A, other])
    assert cmp.labels == ("A (#1)", "A (#4)")
    t = cmp.by_unit.set_index("unit_id")
    assert t.loc["U3", "hires_1"] is pd.NA and t.loc["U3", "hires_2"] == 1
    assert t.loc["U2", "hires_2"] is pd.NA and pd.isna(t.loc["U2", "hires_diff_2"])


def test_what_cannot_be_compared():
    with pytest.raises(CompareError) as exc:
        compare_scenarios([A])
    assert exc.value.code == "how_many"
    with pytest.raises(CompareError) as exc:
        compare_scenarios([A, B, C, A])
    with pytest.raises(CompareError) as exc:
        compare_scenarios([A, _stored(5, "no plan", None)])
    assert "no plan" in exc.value.message("vi")


def test_difference_chart_bars_by_unit():
    cmp = compare_scenarios([A, B, C])
    long = difference_long(cmp.by_unit, cmp.labels)
    # C equals A everywhere: its bars are zero; B differs in both units
    bars = zip(long["unit_id"], long["scenario"], long["difference"], strict=True)
    assert sorted(bars) == [
        ("U1", "B", -1.0), ("U1", "C", 0.0), ("U2", "B", 3.0), ("U2", "C", 0.0)]
    spec = difference_by_unit_chart(cmp.by_unit, cmp.labels, lang="en").to_dict()
    assert "Difference in hires by unit against “A”" in str(spec["title"])
    same = compare_scenarios([A, C])
    assert difference_long(same.by_unit, same.labels).empty
    spec = difference_by_unit_chart(same.by_unit, same.labels, lang="vi").to_dict()
    assert "Không có đơn vị nào khác" in str(spec["title"])
    remaining = difference_long(cmp.by_unit, cmp.labels, measure="remaining")
    assert set(remaining.loc[remaining["scenario"] == "B", "difference"]) == {1.0, -3.0}
    with pytest.raises(ValueError):
        difference_long(cmp.by_unit, cmp.labels, measure="cost")


def test_workbook_read_back():
    hostile = _stored(6, "=HYPERLINK(\"http://x\")", _plan({("U1", "CV"): 0, ("U2", "CV"): 4}),
                      fingerprint="f9", quotas_print="q9")
    data = compare_xlsx(compare_scenarios([A, hostile]), lang="vi")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Tổng quan", "Theo đơn vị", "Tham số", "Dữ liệu đầu vào"]
    head = wb["Tổng quan"]
    assert "dữ liệu đầu vào khác nhau" in head["A2"].value  # the warning, second line
    assert head["B4"].value == "A" and head["C4"].value == '=HYPERLINK("http://x")'
    assert head["C4"].data_type == "s"  # text, never a formula
    rows = {r[0]: r for r in head.iter_rows(min_row=5, values_only=True)}
    assert rows["Tổng số tuyển"][1:] == (3, 4, 1)
    units = wb["Theo đơn vị"]
    assert units.freeze_panes == "A2" and units.auto_filter.ref.startswith("A1:")
    header = [c.value for c in units[1]]
    diff_col = header.index('Chênh lệch tuyển =HYPERLINK("http://x") − A')
    values = {r[0]: r[diff_col] for r in units.iter_rows(min_row=2, values_only=True)}
    assert values == {"U1": -3, "U2": 4}
    rules = {str(k.sqref): [r.operator for r in v]
             for k, v in units.conditional_formatting._cf_rules.items()}
    letter = openpyxl.utils.get_column_letter(diff_col + 1)
    assert rules[f"{letter}2:{letter}3"] == ["greaterThan", "lessThan"]
    inputs = wb["Dữ liệu đầu vào"]
    assert [c.value for c in inputs[2]][-1] is False  # the quotas differ

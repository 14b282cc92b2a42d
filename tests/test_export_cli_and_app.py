"""`solve --out plan.xlsx|plan.csv` writes the export module's files, and the app's download of
the same plan is the same workbook, byte for byte (both on the same day)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from planner.api import solve as solve_scenario
from planner.domain.scenario import Scenario
from planner.export.workbook import plan_csv, plan_workbook
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO

ROOT = Path(__file__).resolve().parent.parent


def solve_cli(out: Path, *extra: str) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "planner", "solve", "--scenario",
                        str(SAMPLE_SCENARIO), "--out", str(out), *extra],
                       cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def same_plan():
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    return inputs, scenario, solve_scenario(inputs, scenario)


def test_solve_out_xlsx_is_the_plan_workbook(tmp_path, same_plan):
    inputs, scenario, allocation = same_plan
    out = tmp_path / "plan.xlsx"
    before = dt.date.today()
    solve_cli(out)
    if dt.date.today() != before:
        pytest.skip("the date changed during the solve (midnight); rerun")
    expected = plan_workbook(allocation, inputs=inputs, scenario=scenario, lang="vi")
    assert out.read_bytes() == expected
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Tóm tắt", "Theo đơn vị", "Chi tiết", "Tham số", "Kiểm tra"]


def test_solve_out_xlsx_in_english(tmp_path):
    out = tmp_path / "plan.xlsx"
    solve_cli(out, "--lang", "en")
    assert openpyxl.load_workbook(out).sheetnames == [
        "Summary", "By unit", "Detail", "Parameters", "Checks"]


@pytest.mark.parametrize(("extra", "headers"), [((), "ids"), (("--lang", "vi"), "vi")])
def test_solve_out_csv_is_the_plan_csv(tmp_path, same_plan, extra, headers):
    _, _, allocation = same_plan
    out = tmp_path / "plan.csv"
    solve_cli(out, *extra)
    assert out.read_bytes() == plan_csv(allocation, headers=headers)


def test_the_apps_download_is_the_same_workbook(same_plan):
    pytest.importorskip("streamlit")
    from planner.ui.plan_results import plan_xlsx

    inputs, scenario, allocation = same_plan
    assert plan_xlsx(allocation, inputs, scenario, "vi") == plan_workbook(
        allocation, inputs=inputs, scenario=scenario, lang="vi")

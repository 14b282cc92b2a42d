"""The multi-year plan's data and command (issue 15): the quota path, the cut rule, departures
per year, yearly budgets and base salaries, the `plan` command's outputs and exit codes, and
that no personal data of the roster reaches any output.

Expected figures are worked out by hand from the issue's rules and DOMAIN.md's cost rule
(12 × base salary × coefficient × (1 + 25 % + 22.5 % + 10 %) for a civil servant).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planner.domain.multiyear import (
    PLAN_COLUMNS,
    QuotaCut,
    cut_path,
    largest_remainder,
    parse_years,
    quota_path,
)
from planner.io.sample import SAMPLE_MULTIYEAR_FILES

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2026, 2027, 2028, 2029, 2030)


def run_plan(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", "plan", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


# --- the quota path -------------------------------------------------------------------------

def test_quota_path_from_year_columns():
    got = quota_path(np.array([10.0]), {2027: np.array([9.0]), 2029: np.array([7.0])}, YEARS)
    assert got.tolist() == [[10, 9, 9, 7, 7]]
    # a column of a year before the plan stands for the years up to the next column
    got = quota_path(np.array([10.0]), {2025: np.array([12.0]), 2028: np.array([8.0])}, YEARS)
    assert got.tolist() == [[12, 12, 8, 8, 8]]


def test_a_row_without_a_figure_for_a_year_keeps_its_previous_quota(tmp_path):
    # no figure for a row and year (NaN) is not a quota of 0: the row keeps its previous
    # quota, as a year without a column does
    nan = float("nan")
    got = quota_path(np.array([10.0, 6.0]),
                     {2027: np.array([9.0, nan]), 2029: np.array([nan, 4.0])}, YEARS)
    assert got.tolist() == [[10, 9, 9, 9, 9], [6, 6, 6, 4, 4]]
    from planner.domain.problems import InputError
    from planner.io.multiyear import load_multiyear_inputs

    # a blank quota cell of a year column is refused, naming its row and column
    quotas = tmp_path / "q.csv"
    quotas.write_text("unit_id,unit_name,position_id,position_name,staff_type,funding_source,"
                      "salary_coefficient,quota,headcount,quota_2027,quota_2028\n"
                      "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,10,8,9,\n",
                      encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_multiyear_inputs(quotas, None, None)
    text = caught.value.render("en")
    assert "row 2" in text and "quota_2028" in text, text


def test_largest_remainder():
    # 2 posts over quotas 7, 5, 3: exact shares 0.933, 0.667, 0.4 → one each to the first two
    assert largest_remainder(np.array([7, 5, 3]), 2).tolist() == [1, 1, 0]
    assert largest_remainder(np.array([7, 5, 3]), 1).tolist() == [1, 0, 0]
    # 3 over 1, 1, 1: whole shares; 1 over 1, 1: the tie goes to the earlier row
    assert largest_remainder(np.array([1, 1, 1]), 3).tolist() == [1, 1, 1]
    assert largest_remainder(np.array([2, 2]), 1).tolist() == [1, 0]
    assert largest_remainder(np.array([0, 0]), 2).tolist() == [0, 0]


def test_cut_rule_in_equal_steps_rounded_down_per_unit_and_staff_type():
    pos = pd.DataFrame({
        "unit_id": ["U", "U", "U", "U", "S"],
        "staff_type": ["civil_servant"] * 3 + ["public_employee", "civil_servant"],
        "sector": ["Khối Sở", "Khối Sở", "Khối Sở", "Khối Sở", "Giáo dục và Đào tạo"],
        "quota": [7, 5, 3, 40, 20]})
    cut = QuotaCut(rate=0.15, by_year=2030, exempt_sectors=("Giáo dục",))
    got = cut_path(pos, YEARS, cut)
    # group U/civil servants, Q = 15: posts cut ⌊15 × 0.03 k⌋ = 0, 0, 1, 1, 2 for k = 1..5
    assert got[:3].T.tolist() == [[7, 5, 3], [7, 5, 3], [6, 5, 3], [6, 5, 3], [6, 4, 3]]
    assert got[3].tolist() == [40] * 5  # public employees are not in the rule
    assert got[4].tolist() == [20] * 5  # an exempt sector
    # the rule reached earlier than the last year: 15 % by 2027 (2 steps), then held
    got = cut_path(pos.iloc[:3], YEARS, QuotaCut(rate=0.15, by_year=2027))
    # ⌊15 × 0.075⌋ = 1, ⌊15 × 0.15⌋ = 2
    assert got.T.tolist() == [[6, 5, 3], [6, 4, 3], [6, 4, 3], [6, 4, 3], [6, 4, 3]]


def test_years_option():
    assert parse_years("2026-2030") == YEARS
    assert parse_years("2026–2028") == (2026, 2027, 2028)
    assert parse_years("2027") == (2027,)


# --- a small province through the command -------------------------------------------------

COST_2530 = 12 * 2_530_000 * 2.34 * (1 + 0.25 + 0.225 + 0.10)  # 111,891,780 đồng a year
COST_2600 = 12 * 2_600_000 * 2.34 * (1 + 0.25 + 0.225 + 0.10)  # 114,984,000


def _small(tmp: Path) -> tuple[Path, Path]:
    quotas = tmp / "chi_tieu.csv"
    quotas.write_text(
        "\ufeffMã đơn vị,Tên đơn vị,Mã vị trí,Vị trí việc làm,Loại,Nguồn kinh phí,Hệ số lương,"
        "Biên chế được giao,Biên chế giao năm 2027,Chỉ tiêu năm 2029\n"
        "U1,Sở Nội vụ,P1,Chuyên viên,Công chức,NSNN,\"2,34\",5,5,4\n", encoding="utf-8")
    heads = tmp / "co_mat.csv"
    heads.write_text("\ufeffMã đơn vị,Tên đơn vị,Mã vị trí,Vị trí việc làm,Số có mặt,"
                     "Dự kiến nghỉ,Dự kiến nghỉ năm 2028\n"
                     "U1,Sở Nội vụ,P1,Chuyên viên,4,1,2\n", encoding="utf-8")
    return quotas, heads


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_year_columns_budgets_by_year_and_base_salary_by_year(tmp_path):
    quotas, heads = _small(tmp_path)
    out = tmp_path / "ke_hoach.csv"
    summary = tmp_path / "tom_tat.json"
    res = run_plan("--years", "2026-2030", "--quotas", str(quotas), "--headcounts", str(heads),
                   "--budget", "NSNN=250 triệu", "--budget", "NSNN@2026=120000000",
                   "--base-salary", "2027=2.600.000", "--out", str(out), "--summary",
                   str(summary))
    assert res.returncode == 0, res.stderr
    rows = _rows(out)
    assert list(rows[0].keys()) == PLAN_COLUMNS
    by_year = {int(r["year"]): r for r in rows}
    # quota 5, 5, 5 (kept), 4 (2029), 4; on board 4; departures 1 (plain, first year), 0,
    # 2 (its column), 0, 0 → stock with no hiring 3, 3, 1, 1, 1; row room 2, 2, 4, 3, 3.
    # 2026: 120 million pays one hire (111.9 million); 2027 on: 250 million pays two
    # (2 × 115.0 in 2027 at the new base salary); X = 1, 2, 3?, …: the room and the
    # budget: 2028 room 4 but 250 million pays 2 → X = 1, 2, 2, 2, 2.
    assert [int(by_year[y]["quota"]) for y in YEARS] == [5, 5, 5, 4, 4]
    assert [int(by_year[y]["departures"]) for y in YEARS] == [1, 0, 2, 0, 0]
    assert [int(by_year[y]["hires"]) for y in YEARS] == [1, 1, 0, 0, 0]
    assert [int(by_year[y]["on_board_start"]) for y in YEARS] == [4, 4, 5, 3, 3]
    assert [int(by_year[y]["on_board_end"]) for y in YEARS] == [4, 5, 3, 3, 3]
    assert [int(by_year[y]["vacancies_end"]) for y in YEARS] == [1, 0, 2, 1, 1]
    assert [int(by_year[y]["surplus_end"]) for y in YEARS] == [0] * 5
    assert int(by_year[2026]["salary_cost"]) == round(COST_2530)
    assert int(by_year[2027]["salary_cost"]) == round(2 * COST_2600)
    assert int(by_year[2028]["salary_cost"]) == round(2 * COST_2530)
    s = json.loads(summary.read_text(encoding="utf-8"))
    assert s["status"] == "optimal" and s["years"] == list(YEARS)
    assert [y["hires"] for y in s["per_year"]] == [1, 1, 0, 0, 0]
    assert s["total_hires"] == 2
    assert s["parameters"]["budgets_by_year"] == {"state_budget@2026": 120000000.0}


def test_surplus_to_streamline_and_never_firing(tmp_path):
    quotas = tmp_path / "q.csv"
    quotas.write_text("unit_id,unit_name,position_id,position_name,staff_type,funding_source,"
                      "salary_coefficient,quota,quota_2027,quota_2028\n"
                      "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,10,9,7\n"
                      "U1,Sở A,P2,Văn thư,civil_servant,state_budget,1.86,2,2,2\n",
                      encoding="utf-8")
    heads = tmp_path / "h.csv"
    heads.write_text("unit_id,unit_name,position_id,position_name,headcount,departures_2027\n"
                     "U1,Sở A,P1,Chuyên viên,10,1\nU1,Sở A,P2,Văn thư,1,0\n", encoding="utf-8")
    out = tmp_path / "p.xlsx"
    res = run_plan("--years", "2026-2028", "--quotas", str(quotas), "--headcounts", str(heads),
                   "--out", str(out), "--lang", "en")
    assert res.returncode == 0, res.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Path", "2026", "2027", "2028", "To streamline", "Budgets by year"]
    path = [[c.value for c in r] for r in wb["Path"].iter_rows()]
    header = path[0]
    col = {h: header.index(h) for h in header}
    # unit U1 civil servants: quota 12, 11, 9; on board 11, after 1 leaving in 2027: 10.
    # 2026: one post free in the unit (P2) → hire 1 (X = 1); 2027: 10 + 1 = 11 vs 11;
    # 2028: 11 on board vs 9 → 2 to streamline. But the hire of 2026 would then be above
    # the 2028 quota: X never falls, so the row room of 2028 (P2: 2 − 1 = 1) and the unit
    # room (max(0, 9 − 10) = 0) forbid it: no hire at all; to streamline 2026 0, 2027 0 + …
    hires = [row[col["Hires"]] for row in path[1:]]
    streamline = [row[col["To streamline"]] for row in path[1:]]
    assert hires == [0, 0, 0]
    # end of 2026: 11 vs 12 → 0; 2027: 10 vs 11 → 0; 2028: 10 vs 9 → 1
    assert streamline == [0, 0, 1]
    sheet = [[c.value for c in r] for r in wb["To streamline"].iter_rows()]
    assert len(sheet) == 2 and "2028" in [str(v) for v in sheet[1]]


def test_infeasible_minimum_is_exit_3_with_the_least_budget_and_no_file(tmp_path):
    quotas, heads = _small(tmp_path)
    out = tmp_path / "ke_hoach.csv"
    res = run_plan("--years", "2026-2027", "--quotas", str(quotas), "--headcounts", str(heads),
                   "--budget", "NSNN=100 triệu", "--min-fill", "1", "--out", str(out),
                   "--lang", "en")
    assert res.returncode == 3, res.stderr
    assert not out.exists()
    # room 2 each year: min fill 1 → 2 hires in 2026, paid in both years
    for year in (2026, 2027):
        assert (f"state_budget, {year}: budget 100,000,000 VND, needs "
                f"{round(2 * COST_2530):,} VND"
                in res.stderr), res.stderr


@pytest.mark.parametrize("args", [["--years", "2030-2026"], ["--years", "năm sau"],
                                  ["--years", "2026-2030", "--budget", "NSNN@20x=1"],
                                  ["--years", "2026-2027", "--budget", "NSNN@2029=1e9"]])
def test_bad_options_are_exit_2_without_traceback(tmp_path, args):
    quotas, heads = _small(tmp_path)
    res = run_plan(*args, "--quotas", str(quotas), "--headcounts", str(heads), "--out",
                   str(tmp_path / "p.csv"))
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr


# --- the sample and the roster's personal data ---------------------------------------------

def test_sample_plan_writes_every_output_and_no_personal_data(tmp_path):
    roster = pd.read_csv(SAMPLE_MULTIYEAR_FILES["roster"], dtype=str)
    secrets = set(roster["Họ và tên"]) | set(roster["Số định danh cá nhân"]) | set(
        d for d in roster["Ngày sinh"] if "/" in d)
    assert len(secrets) > 5000
    outputs = {}
    for name in ("plan.csv", "plan.xlsx"):
        res = run_plan("--years", "2026-2030", "--out", str(tmp_path / name), "--summary",
                       str(tmp_path / f"{name}.json"), "--time-limit", "20")
        assert res.returncode == 0, res.stderr
        outputs[f"{name}.stdout"] = res.stdout + res.stderr
        outputs[name + ".json"] = (tmp_path / f"{name}.json").read_text(encoding="utf-8")
    outputs["plan.csv"] = (tmp_path / "plan.csv").read_text(encoding="utf-8-sig")
    with zipfile.ZipFile(tmp_path / "plan.xlsx") as z:
        outputs["plan.xlsx"] = "".join(z.read(n).decode("utf-8", "replace")
                                       for n in z.namelist())
    # a bad roster row: the message names the row and the column, not the person
    bad = tmp_path / "ho_so.csv"
    lines = SAMPLE_MULTIYEAR_FILES["roster"].read_text(encoding="utf-8-sig").splitlines()
    first = lines[1].split(",")
    first[-1] = "31/02/1970"
    lines[1] = ",".join(first)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run_plan("--years", "2026-2030", "--quotas", str(SAMPLE_MULTIYEAR_FILES["quotas"]),
                   "--headcounts", str(SAMPLE_MULTIYEAR_FILES["headcounts"]), "--roster",
                   str(bad), "--out", str(tmp_path / "x.csv"), "--lang", "en")
    assert res.returncode == 2
    assert "row 2" in res.stderr and "Ngày sinh" in res.stderr, res.stderr
    outputs["bad roster"] = res.stdout + res.stderr
    secrets.add("31/02/1970")
    for what, text in outputs.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, (what, leaked[:3])
    plan = pd.read_csv(io.StringIO(outputs["plan.csv"]))
    assert list(plan.columns) == PLAN_COLUMNS
    assert sorted(plan["year"].unique()) == list(YEARS)
    s = json.loads(outputs["plan.xlsx.json"])
    assert [y["year"] for y in s["per_year"]] == list(YEARS)
    # the stock identity, year by year: start − departures + hires = end
    assert (plan["on_board_start"] - plan["departures"] + plan["hires"]
            == plan["on_board_end"]).all()
    # no (unit, staff type) ever hired above its quota path
    g = plan.groupby(["unit_id", "staff_type", "year"])[["on_board_end", "quota", "hires"]].sum()
    assert not ((g["hires"] > 0) & (g["on_board_end"] > g["quota"])).any()


def test_scenario_file_multiyear_table_gives_the_plan_of_the_same_flags(tmp_path):
    quotas, heads = _small(tmp_path)
    scenario = tmp_path / "phuong_an.toml"
    scenario.write_text('[budgets]\nstate_budget = 250000000\n\n[multiyear]\nyears = "2026-2028"\n'
                        "[multiyear.budgets.2026]\nNSNN = 120000000\n"
                        "[multiyear.base_salary]\n2027 = 2600000\n", encoding="utf-8")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    res = run_plan("--scenario", str(scenario), "--quotas", str(quotas), "--headcounts",
                   str(heads), "--out", str(a))
    assert res.returncode == 0, res.stderr
    res = run_plan("--years", "2026-2028", "--quotas", str(quotas), "--headcounts",
                   str(heads), "--budget", "NSNN=250000000", "--budget", "NSNN@2026=120000000",
                   "--base-salary", "2027=2600000", "--out", str(b))
    assert res.returncode == 0, res.stderr
    assert a.read_bytes() == b.read_bytes()
    assert [int(r["hires"]) for r in _rows(a)] == [1, 1, 0]
    # without years anywhere: exit 2 with the message
    res = run_plan("--quotas", str(quotas), "--headcounts", str(heads), "--out", str(a),
                   "--lang", "en")
    assert res.returncode == 2 and "--years 2026-2030" in res.stderr


def test_readme_multiyear_example_is_read():
    import re
    import tomllib

    from planner.cli import build_parser
    from planner.cli.plan import _scenario_and_settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n(\[multiyear\].*?)```", readme, flags=re.DOTALL).group(1)
    path = ROOT / "var" / "readme_multiyear_example.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(block, encoding="utf-8")
    try:
        args = build_parser().parse_args(["plan", "--scenario", str(path), "--out", "x.csv"])
        _, settings = _scenario_and_settings(args, "en")
    finally:
        path.unlink()
    assert settings.years == YEARS and settings.target_year == 2030
    assert settings.budgets_by_year == {("state_budget", 2027): 55e9}
    assert settings.base_salary_by_year == {2028: 2_700_000}
    assert settings.quota_cut.rate == 0.15 and settings.quota_cut.exempt_sectors == (
        "Giáo dục", "Y tế")
    assert settings.attrition == {"civil_servant": 0.01}
    assert tomllib.loads(block)["multiyear"]["payout_per_leaver"] == {"civil_servant": 3e8}


def test_departures_path_attrition_and_never_below_zero():
    from planner.domain.multiyear import departures_path

    pos = pd.DataFrame({"unit_id": ["U", "U"], "position_id": ["A", "B"],
                        "staff_type": ["civil_servant", "public_employee"],
                        "headcount": [100, 3], "expected_departures": [5, 1]})
    got = departures_path(pos, (2026, 2027, 2028), columns={2027: np.array([0.0, 9.0])},
                          roster=None, plain=True, attrition={"civil_servant": 0.02})
    # A: 2026 plain 5, + 2 % of the 95 left = 1.9 → 2: 7; stock 93. 2027 column 0, + 2 % of
    # 93 = 1.86 → 2; stock 91. 2028: 0 + 1.82 → 2.
    assert got[0].tolist() == [7, 2, 2]
    # B (no attrition): 1 in 2026, its column says 9 in 2027 but only 2 are left: 2; then 0
    assert got[1].tolist() == [1, 2, 0]


def test_a_bad_cell_in_a_year_column_names_the_cell(tmp_path):
    quotas, heads = _small(tmp_path)
    text = quotas.read_text(encoding="utf-8").replace(",5,5,4\n", ",5,năm,4\n")
    quotas.write_text(text, encoding="utf-8")
    res = run_plan("--years", "2026-2030", "--quotas", str(quotas), "--headcounts", str(heads),
                   "--out", str(tmp_path / "p.csv"), "--lang", "en")
    assert res.returncode == 2, res.stderr
    assert "row 2" in res.stderr and "Biên chế giao năm 2027" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "p.csv").exists()


def test_payouts_of_the_streamlined(tmp_path):
    from planner.domain.multiyear import MultiYearSettings
    from planner.domain.scenario import Scenario
    from planner.io.inputs import load_inputs
    from planner.optimise.multiyear import plan_multiyear

    quotas = tmp_path / "q.csv"
    quotas.write_text("unit_id,unit_name,position_id,position_name,staff_type,funding_source,"
                      "salary_coefficient,quota,headcount\n"
                      "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,10,12\n",
                      encoding="utf-8")
    inputs = load_inputs(quotas)
    plan = plan_multiyear(inputs, Scenario(), MultiYearSettings(
        years=(2026, 2027), payout_per_leaver={"civil_servant": 300e6}))
    # 12 on board against 10, nobody leaves: 2 to streamline each year, 600 million each
    assert plan.by_year["surplus_to_streamline"].tolist() == [2, 2]
    assert plan.by_year["streamline_payout"].tolist() == [600e6, 600e6]
    assert plan.plan["hires"].sum() == 0

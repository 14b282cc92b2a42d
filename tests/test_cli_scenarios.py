"""``python -m planner scenarios …`` and ``compare`` against a real store (SQLite and PostgreSQL).

The end-to-end test: a scenario solved and saved is reopened by a new process, compared with
another, exported to TOML and solved again from the CLI to the same plan.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.cli import main
from planner.domain.scenario import Scenario
from planner.store import ScenarioStore
from tests.store_backends import sample_inputs, solved, store_url  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def filled(store_url, sample_inputs):  # noqa: F811
    """A store with two scenarios saved without results (parameters and inputs only)."""
    s = ScenarioStore(store_url)
    s.save("Ngân sách thấp", Scenario(budgets={"state_budget": 4e10}), inputs=sample_inputs,
           author="Lan", note="giảm 20 tỷ")
    s.save("Một cửa trước", Scenario(min_fill=0.5), inputs=sample_inputs)
    yield store_url
    s.close()


def test_list_show_export_rename_delete(filled, tmp_path, capsys):
    assert main(["scenarios", "list", "--database", filled]) == 0
    out = capsys.readouterr()
    assert "Ngân sách thấp" in out.out and "Một cửa trước" in out.out
    assert "2 phương án" in out.err
    assert main(["scenarios", "show", "Ngân sách thấp", "--database", filled]) == 0
    out = capsys.readouterr().out
    assert "Phương án «Ngân sách thấp»" in out and "giảm 20 tỷ" in out
    assert "state_budget = 40000000000.0" in out and "chi_tieu_bien_che.csv" in out
    toml = tmp_path / "low.toml"
    assert main(["scenarios", "export", "Ngân sách thấp", "--out", str(toml),
                 "--database", filled]) == 0
    assert Scenario.from_toml(toml.read_text(encoding="utf-8")) == \
        Scenario(budgets={"state_budget": 4e10})
    assert main(["scenarios", "rename", "Ngân sách thấp", "Ngân sách −20 tỷ",
                 "--database", filled, "--lang", "en"]) == 0
    assert "renamed to “Ngân sách −20 tỷ”" in capsys.readouterr().out
    assert main(["scenarios", "delete", "Một cửa trước", "--database", filled]) == 2
    assert "--yes" in capsys.readouterr().err  # not a terminal: confirmation is required
    assert main(["scenarios", "delete", "Một cửa trước", "--yes", "--database", filled]) == 0
    assert [i.name for i in ScenarioStore(filled).list()] == ["Ngân sách −20 tỷ"]


def test_list_as_a_table_and_an_empty_store(filled, tmp_path, capsys):
    out = tmp_path / "list.csv"
    assert main(["scenarios", "list", "--out", str(out), "--database", filled]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table["name"]) == ["Một cửa trước", "Ngân sách thấp"]
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    assert main(["scenarios", "list", "--database", empty, "--lang", "en"]) == 0
    assert "No scenarios saved yet" in capsys.readouterr().out


def test_mistakes_are_clear_messages_with_exit_2(filled, tmp_path):
    r = cli("scenarios", "show", "không có", "--database", filled)
    assert r.returncode == 2 and "Không có phương án đã lưu «không có»" in r.stderr
    assert "Traceback" not in r.stderr
    r = cli("compare", "Ngân sách thấp", "Một cửa trước", "--database", filled, "--lang", "en")
    assert r.returncode == 2 and "saved without a result" in r.stderr
    r = cli("compare", "Ngân sách thấp", "--database", filled)
    assert r.returncode == 2 and "hai hoặc ba" in r.stderr
    r = cli("scenarios", "list", "--database", "postgresql+psycopg://u:pw@127.0.0.1:1/x"
            "?connect_timeout=2")
    assert r.returncode == 2 and "Không dùng được kho phương án" in r.stderr
    assert "pw" not in r.stderr and "Traceback" not in r.stderr
    r = cli("scenarios", "export", "Ngân sách thấp", "--out", str(tmp_path / "no" / "x.toml"),
            "--database", filled)
    assert r.returncode == 2 and "x.toml" in r.stderr


def test_owner_filter_from_the_cli(store_url, capsys):  # noqa: F811
    s = ScenarioStore(store_url)
    s.save("của Mai", Scenario(), owner="mai")
    s.save("chung", Scenario(), owner="mai", shared=True)
    assert main(["scenarios", "list", "--user", "lan", "--database", store_url]) == 0
    out = capsys.readouterr().out
    assert "chung" in out and "của Mai" not in out
    assert main(["scenarios", "delete", "chung", "--yes", "--user", "lan",
                 "--database", store_url]) == 2
    assert "chỉ người lưu" in capsys.readouterr().err


def test_saved_reopened_compared_exported_and_solved_again(store_url, solved, tmp_path):  # noqa: F811
    inputs, scenario, allocation = solved
    from planner.api import solve as solve_scenario

    lower = scenario.with_changes(budgets={**scenario.budgets,
                                           "state_budget": scenario.budgets["state_budget"] - 2e10})
    s = ScenarioStore(store_url)
    s.save("Mẫu", scenario, allocation=allocation, inputs=inputs, author="Lan")
    s.save("Ngân sách −20 tỷ", lower, allocation=solve_scenario(inputs, lower), inputs=inputs)
    s.close()
    # reopened by other processes: compare, then export
    diff = tmp_path / "diff.xlsx"
    r = cli("compare", "Mẫu", "Ngân sách −20 tỷ", "--out", str(diff), "--database", store_url)
    assert r.returncode == 0, r.stderr
    assert "Tổng số tuyển" in r.stdout and "dữ liệu đầu vào khác nhau" not in r.stderr
    wb = openpyxl.load_workbook(diff)
    totals = {row[0]: row for row in wb["Tổng quan"].iter_rows(min_row=5, values_only=True)}
    assert totals["Tổng số tuyển"][1] == allocation.total_hires
    toml = tmp_path / "mau.toml"
    r = cli("scenarios", "export", "Mẫu", "--out", str(toml), "--database", store_url)
    assert r.returncode == 0, r.stderr
    plan_csv = tmp_path / "plan.csv"
    r = cli("solve", "--scenario", str(toml), "--out", str(plan_csv))
    assert r.returncode == 0, r.stderr
    again = pd.read_csv(plan_csv, encoding="utf-8-sig", dtype={"unit_id": str,
                                                                "position_id": str})
    stored = ScenarioStore(store_url).get("Mẫu").plan
    key = ["unit_id", "position_id"]
    merged = stored[[*key, "hires"]].merge(again[[*key, "hires"]], on=key,
                                           suffixes=("_saved", "_again"), validate="1:1")
    assert len(merged) == len(stored)
    assert (merged["hires_saved"] == merged["hires_again"]).all()
    assert int(again["hires"].sum()) == allocation.total_hires


def test_compare_workbook_from_the_cli_in_english(store_url, solved, tmp_path, capsys):  # noqa: F811
    inputs, scenario, allocation = solved
    s = ScenarioStore(store_url)
    a = s.save("A", scenario, allocation=allocation, inputs=inputs)
    s.save("B", scenario.with_changes(min_fill=0.0), allocation=allocation, inputs=inputs)
    out = tmp_path / "d.xlsx"
    assert main(["compare", str(a.id), "B", "--out", str(out), "--database", store_url,
                 "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "No unit differs" in text
    wb = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Overview", "By unit", "Parameters", "Input data"]
    params = {r[0]: r for r in wb["Parameters"].iter_rows(min_row=2, values_only=True)}
    assert params["Minimum fill rate per unit"][-1] is True  # parameters in words (issue 13)


TINY = """\
unit_id,unit_name,position_id,position_name,funding_source,annual_cost,quota,headcount,priority
U1,Trường A,U1-1,Giáo viên,state_budget,100000000,6,2,3
U1,Trường A,U1-2,Kế toán,state_budget,80000000,2,1,1
U2,Trạm Y tế B,U2-1,Bác sĩ,state_budget,120000000,4,2,2
"""


def test_solve_save_then_export_and_solve_again(store_url, tmp_path):  # noqa: F811
    quotas = tmp_path / "quotas.csv"
    quotas.write_text(TINY, encoding="utf-8")
    r = cli("solve", "--quotas", str(quotas), "--budget", "state_budget=500 triệu",
            "--out", str(tmp_path / "first.csv"), "--save", "Thử 500 triệu",
            "--note", "ghi chú", "--author", "Lan", "--database", store_url)
    assert r.returncode == 0, r.stderr
    assert "Đã lưu phương án «Thử 500 triệu»" in r.stdout
    stored = ScenarioStore(store_url).get("Thử 500 triệu")
    assert stored.info.author == "Lan" and stored.info.note == "ghi chú"
    assert stored.scenario.budgets == {"state_budget": 5e8}
    # by hand: 4 teachers (weight 3, 100 M) + 1 accountant (weight 1, 80 M) = 13 for 480 M
    # beats 3 teachers + 1 doctor + 1 accountant = 12 for 500 M; the stored plan is the CSV's
    first = pd.read_csv(tmp_path / "first.csv", encoding="utf-8-sig")
    assert first["hires"].tolist() == [4, 1, 0]
    assert int(first["hires"].sum()) == stored.info.total_hires
    assert stored.plan["hires"].tolist() == first["hires"].tolist()
    # saving the same name again is refused unless --replace
    r = cli("solve", "--quotas", str(quotas), "--out", str(tmp_path / "x.csv"),
            "--save", "Thử 500 triệu", "--database", store_url)
    assert r.returncode == 2 and "Thử 500 triệu" in r.stderr and "Traceback" not in r.stderr
    toml = tmp_path / "saved.toml"
    r = cli("scenarios", "export", "Thử 500 triệu", "--out", str(toml), "--database", store_url)
    assert r.returncode == 0, r.stderr
    r = cli("solve", "--quotas", str(quotas), "--scenario", str(toml),
            "--out", str(tmp_path / "again.csv"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "first.csv").read_bytes()

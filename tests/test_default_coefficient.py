"""The salary coefficient of rows that carry none is a plan parameter (issue 11, item 9).

The reader keeps a blank coefficient blank (one summary warning); the scenario's
``default_coefficient`` per staff type (2.34 unless set) costs it. Expected costs are worked out
here from the salary rules (README "Cost rules"; ../shared/DOMAIN.md "Cost of one hire"):

    annual cost = 12 × base salary × coefficient × (1 + allowance + contribution + bonus)

with base salary 2,530,000 đ (Decree 161/2026), allowance 25 % for civil servants and 0 for
others, contributions 22.5 % (civil servants) and 23.5 % (public employees, contracts), bonus
10 % (Decree 73/2024).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from app_helpers import open_page, start
from helpers_inputs import load, xlsx

from planner.domain.gaps import staffing_gaps
from planner.domain.scenario import Scenario, ScenarioError

ROOT = Path(__file__).resolve().parent.parent
BASE = 2_530_000


def cost(coefficient: float, *, allowance: float, contribution: float) -> int:
    """One hire a year, by the rule above (rounded to the đồng as the gaps table is)."""
    return round(12 * BASE * coefficient * (1 + allowance + contribution + 0.10))


def civil_servant(coefficient: float) -> int:
    return cost(coefficient, allowance=0.25, contribution=0.225)


def public_employee(coefficient: float) -> int:
    return cost(coefficient, allowance=0.0, contribution=0.235)


def contract(coefficient: float) -> int:
    return cost(coefficient, allowance=0.0, contribution=0.235)


# A per-unit table split by staff type, no job positions and no coefficient column, as most
# provincial quota tables are (README "Per-unit tables").
PER_UNIT = [
    ["BIỂU TỔNG HỢP BIÊN CHẾ NĂM 2026"],
    ["STT", "Tên đơn vị", "Biên chế được giao", None, None, "Biên chế có mặt", None, None],
    [None, None, "Công chức", "Viên chức", "HĐ 111", "Công chức", "Viên chức", "HĐ 111"],
    [1, "Sở Nội vụ", 10, 0, 2, 8, 0, 1],
    [2, "Sở Y tế", 6, 20, 0, 5, 15, 0],
]
MERGES = ["C2:E2", "F2:H2", "A2:A3", "B2:B3"]


@pytest.fixture(scope="module")
def per_unit_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("per_unit") / "bien_che_theo_don_vi.xlsx"
    path.write_bytes(xlsx(PER_UNIT, merges=MERGES))
    return path


def planner(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


# --- the reader keeps the blank; the scenario costs it -------------------------------------


def test_the_reader_keeps_blank_coefficients_and_warns_once(per_unit_file):
    inputs = load(per_unit_file.read_bytes(), name=per_unit_file.name)
    warned = [p for p in inputs.warnings if p.code == "default_coefficient"]
    rows = inputs.positions
    assert len(warned) == 1 and warned[0].params["rows"] == len(rows)
    assert rows["salary_coefficient"].isna().all()  # not filled at read time
    # a row with a coefficient typed keeps it and is not counted
    typed = [["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt", "Hệ số lương"],
             ["Sở Nội vụ", "Chuyên viên", 3, 1, "3,00"], ["Sở Nội vụ", "Văn thư", 2, 1, None]]
    mixed = load(xlsx(typed))
    assert mixed.positions["salary_coefficient"].tolist()[0] == 3.0
    assert [p.params["rows"] for p in mixed.warnings if p.code == "default_coefficient"] == [1]


def test_default_coefficient_per_staff_type_costs_only_the_blank_rows():
    typed = [["Tên đơn vị", "Vị trí việc làm", "Loại", "Biên chế được giao", "Số có mặt",
              "Hệ số lương"],
             ["Sở Nội vụ", "Chuyên viên chính", "CC", 3, 1, "4,40"],
             ["Sở Nội vụ", "Chuyên viên", "CC", 3, 1, None],
             ["Trường A", "Giáo viên", "VC", 5, 2, None],
             ["Trường A", "Bảo vệ", "HĐ 111", 1, 0, None]]
    inputs = load(xlsx(typed))
    sc = Scenario(default_coefficient={"civil_servant": 2.67, "public_employee": 2.10,
                                       "contract": 1.86})
    gaps = staffing_gaps(inputs.positions, rules=sc.rules)
    assert gaps["annual_cost_per_hire"].tolist() == [
        civil_servant(4.40),  # its own coefficient: the default does not touch it
        civil_servant(2.67), public_employee(2.10), contract(1.86)]
    assert gaps["salary_coefficient"].tolist() == [4.40, 2.67, 2.10, 1.86]
    assert gaps["coefficient_defaulted"].tolist() == [False, True, True, True]
    # unset, every staff type is costed at 2.34 (chuyên viên step 1)
    plain = staffing_gaps(inputs.positions)
    assert plain["annual_cost_per_hire"].tolist() == [
        civil_servant(4.40), civil_servant(2.34), public_employee(2.34), contract(2.34)]


# --- the scenario parameter ----------------------------------------------------------------


def test_one_number_sets_every_staff_type_and_the_toml_round_trips():
    sc = Scenario.from_toml("default_coefficient = 2.1\n")
    assert dict(sc.default_coefficient) == {"civil_servant": 2.1, "public_employee": 2.1,
                                            "contract": 2.1}
    partial = Scenario.from_toml("[default_coefficient]\npublic_employee = 2.1\n")
    assert dict(partial.default_coefficient) == {"civil_servant": 2.34, "public_employee": 2.1,
                                                 "contract": 2.34}
    assert "[default_coefficient]" in partial.to_toml()
    assert Scenario.from_toml(partial.to_toml()) == partial
    assert dict(Scenario().default_coefficient) == {"civil_servant": 2.34,
                                                    "public_employee": 2.34, "contract": 2.34}


@pytest.mark.parametrize(("toml", "message"), [
    ("default_coefficient = 0", "default_coefficient.civil_servant must be a salary "
                                "coefficient above 0 and at most 20"),
    ("default_coefficient = 20.5", "at most 20"),
    ("default_coefficient = nan", "default_coefficient must be a number"),
    ('default_coefficient = "2,34"', "default_coefficient must be a number"),
    ("default_coefficient = true", "default_coefficient must be a number"),
    ("[default_coefficient]\nteacher = 2.1", "default_coefficient has unknown staff type "
                                             "'teacher'; expected one of civil_servant, "
                                             "public_employee, contract"),
    ("[default_coefficient]\ncontract = -1.86", "default_coefficient.contract must be"),
    ('[default_coefficient]\ncontract = "1,86"', "default_coefficient.contract must be a number"),
])
def test_bad_default_coefficients_are_refused_naming_them(toml, message):
    with pytest.raises(ScenarioError) as err:
        Scenario.from_toml(toml)
    assert message in str(err.value)


# --- the CLI -----------------------------------------------------------------------------


def test_gaps_costs_a_per_unit_table_at_the_coefficients_given(per_unit_file, tmp_path):
    out = tmp_path / "gaps.csv"
    r = planner("gaps", "--quotas", str(per_unit_file), "--out", str(out),
                "--default-coefficient", "2,67", "--default-coefficient", "Viên chức=2.1")
    assert r.returncode == 0, r.stderr
    assert "4 dòng chưa có hệ số lương" in r.stderr + r.stdout
    rows = {(x["unit_name"], x["staff_type"]): int(float(x["annual_cost_per_hire"]))
            for x in read_csv(out)}
    # the flag without a staff type sets every type (2.67); "Viên chức=2.1" then the public
    # employees only. A staff type with 0 quota and 0 on board gives no row (Sở Nội vụ's viên
    # chức, Sở Y tế's HĐ 111)
    assert rows == {
        ("Sở Nội vụ", "civil_servant"): civil_servant(2.67),
        ("Sở Nội vụ", "contract"): contract(2.67),
        ("Sở Y tế", "civil_servant"): civil_servant(2.67),
        ("Sở Y tế", "public_employee"): public_employee(2.10),
    }


def test_solve_with_the_flag_equals_solve_with_the_scenario_file(per_unit_file, tmp_path):
    scenario = tmp_path / "pa.toml"
    scenario.write_text("[budgets]\nstate_budget = 600000000\n[default_coefficient]\n"
                        "civil_servant = 3.0\npublic_employee = 2.1\n", encoding="utf-8")
    by_file, by_flag = tmp_path / "a.csv", tmp_path / "b.csv"
    r1 = planner("solve", "--quotas", str(per_unit_file), "--scenario", str(scenario),
                 "--out", str(by_file), "--no-explain")
    r2 = planner("solve", "--quotas", str(per_unit_file), "--budget", "NSNN=600 triệu",
                 "--default-coefficient", "CC=3", "--default-coefficient", "VC=2,1",
                 "--out", str(by_flag), "--no-explain")
    assert r1.returncode == 0, r1.stderr
    assert r2.returncode == 0, r2.stderr
    plan = read_csv(by_file)
    assert plan == read_csv(by_flag)
    costs = {x["staff_type"]: int(float(x["annual_cost_per_hire"])) for x in plan}
    assert costs["civil_servant"] == civil_servant(3.0)
    assert costs["public_employee"] == public_employee(2.1)
    assert costs["contract"] == contract(2.34)  # not set: the documented default
    # 600 million buys what the hand costs allow, never more
    spent = sum(int(x["hires"]) * int(float(x["annual_cost_per_hire"])) for x in plan)
    assert 0 < spent <= 600_000_000


@pytest.mark.parametrize(("flag", "message"), [
    ("teacher=2.1", "--default-coefficient: unknown staff type in “teacher=2.1”"),
    ("0", "--default-coefficient must be [STAFF_TYPE=]VALUE with a salary coefficient above 0"),
    ("21", "at most 20"),
    ("2,34%", "got “2,34%”"),
    ("abc", "got “abc”"),
    ("CC=", "got “CC=”"),
])
def test_a_bad_flag_is_exit_2_naming_it(per_unit_file, tmp_path, flag, message):
    out = tmp_path / "x.csv"
    for command in ("gaps", "solve"):
        r = planner(command, "--quotas", str(per_unit_file), "--out", str(out), "--lang", "en",
                    f"--default-coefficient={flag}")
        assert r.returncode == 2, (command, r.stderr)
        assert message in r.stderr and "Traceback" not in r.stderr
        assert not out.exists()


def test_a_bad_flag_is_told_in_vietnamese_by_default(per_unit_file, tmp_path):
    r = planner("solve", "--quotas", str(per_unit_file), "--out", str(tmp_path / "x.csv"),
                "--default-coefficient", "giáo viên=2")
    assert r.returncode == 2
    assert "loại biên chế không rõ trong “giáo viên=2”" in r.stderr


# --- the app -------------------------------------------------------------------------------


def test_the_plan_page_sets_the_coefficient_of_rows_without_one():
    table = ("Tên đơn vị,Vị trí việc làm,Loại,Biên chế được giao,Số có mặt\n"
             "Sở Nội vụ,Chuyên viên,CC,10,8\nTrường A,Giáo viên,VC,20,15\n")
    at = open_page(start(), "data")
    at.file_uploader(key="w_quotas_file").set_value(("bc.csv", table.encode(), "text/csv"))
    at.run()
    at.button(key="load").click().run()
    assert not at.exception, [e.message for e in at.exception]
    open_page(at, "plan")
    field = at.number_input(key="w_default_coef.public_employee")
    assert field.value == pytest.approx(2.34)
    assert at.number_input(key="w_default_coef.civil_servant").value == pytest.approx(2.34)
    field.set_value(2.1).run()
    at.button(key="solve").click().run()
    assert not at.exception, [e.message for e in at.exception]
    result = at.session_state["plan_result"]
    assert result.scenario.default_coefficient["public_employee"] == 2.1
    plan = result.allocation.plan.set_index("staff_type")
    assert plan.at["public_employee", "annual_cost_per_hire"] == public_employee(2.1)
    assert plan.at["civil_servant", "annual_cost_per_hire"] == civil_servant(2.34)

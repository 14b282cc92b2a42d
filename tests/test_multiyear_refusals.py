"""The multi-year plan's refusals (issue 15) are catalogue-coded: each is shown in Vietnamese
and in English, and each names its culprit (the year, the funding source or staff type, the
value given). The CLI shows them in the officer's language with exit code 2 and no file.

The culprits expected are the values the test gives, never read back from the code; the
Vietnamese words expected are those of the catalogue's vocabulary for the thing refused
("năm", "nguồn", "lương cơ sở", "tỷ lệ", …), so an English text shown to a Vietnamese officer
fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main
from planner.domain.multiyear import MultiYearSettings, QuotaCut, parse_years
from planner.domain.scenario import Scenario, ScenarioError
from planner.io.inputs import load_inputs
from planner.optimise.multiyear import plan_multiyear

PLAN = (2026, 2027, 2028, 2029, 2030)


def refusal(make) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        make()
    exc = caught.value
    assert exc.code.startswith("multiyear.") or exc.code == "unknown_source", exc.code
    return exc


def inputs(tmp_path: Path):
    quotas = tmp_path / "q.csv"
    quotas.write_text("unit_id,unit_name,position_id,position_name,staff_type,funding_source,"
                      "salary_coefficient,quota,headcount\n"
                      "U1,Sở A,P1,Chuyên viên,civil_servant,state_budget,2.34,10,8\n",
                      encoding="utf-8")
    return load_inputs(quotas)


# (what is refused, the culprits each language must name, a Vietnamese word, an English one)
CASES = {
    "cut rate above 1": (lambda: QuotaCut(rate=1.5, by_year=2030),
                         ["1.5"], "tỷ lệ cắt giảm", "share"),
    "cut rate as text": (lambda: QuotaCut(rate="15%", by_year=2030),
                         ["'15%'"], "tỷ lệ cắt giảm", "share"),
    "cut year": (lambda: QuotaCut(rate=0.15, by_year=1999), ["1999"], "năm", "year"),
    "cut staff type": (lambda: QuotaCut(rate=0.15, by_year=2030, staff_types=("giáo viên",)),
                       ["'giáo viên'", "civil_servant"], "loại cán bộ", "staff type"),
    "years with a gap": (lambda: MultiYearSettings(years=(2026, 2028)),
                         ["(2026, 2028)"], "liên tiếp", "consecutive"),
    "budget of a year outside the plan": (
        lambda: MultiYearSettings(years=PLAN, budgets_by_year={("state_budget", 2032): 1e9}),
        ["state_budget", "2032", "2026", "2030"], "không thuộc kế hoạch", "not a year"),
    "negative budget of a year": (
        lambda: MultiYearSettings(years=PLAN,
                                  budgets_by_year={("fee_revenue", 2027): -5e8}),
        ["fee_revenue", "2027", "-500000000.0"], "ngân sách nguồn", "budget for"),
    "budget as text": (
        lambda: MultiYearSettings(years=PLAN,
                                  budgets_by_year={("state_budget", 2028): "60 tỷ"}),
        ["state_budget", "2028", "'60 tỷ'"], "ngân sách nguồn", "budget for"),
    "base salary of a year outside the plan": (
        lambda: MultiYearSettings(years=PLAN, base_salary_by_year={2031: 2.53e6}),
        ["2031", "2026", "2030"], "lương cơ sở", "base salary"),
    "base salary of 0": (
        lambda: MultiYearSettings(years=PLAN, base_salary_by_year={2029: 0}),
        ["2029", "0"], "lương cơ sở", "base salary"),
    "attrition of an unknown staff type": (
        lambda: MultiYearSettings(years=PLAN, attrition={"bác sĩ": 0.02}),
        ["'bác sĩ'", "public_employee"], "loại cán bộ", "staff type"),
    "attrition above 1": (
        lambda: MultiYearSettings(years=PLAN, attrition={"public_employee": 2}),
        ["public_employee", "2"], "tỷ lệ nghỉ việc", "attrition"),
    "payout of an unknown staff type": (
        lambda: MultiYearSettings(years=PLAN, payout_per_leaver={"teacher": 1e8}),
        ["'teacher'", "contract"], "loại cán bộ", "staff type"),
    "negative payout": (
        lambda: MultiYearSettings(years=PLAN, payout_per_leaver={"civil_servant": -1.0}),
        ["civil_servant", "-1.0"], "chi trả", "payout"),
    "target year outside the plan": (
        lambda: MultiYearSettings(years=PLAN, target_year=2035),
        ["2035", "2026", "2030"], "không thuộc kế hoạch", "not a year of the plan"),
    "years backwards": (lambda: parse_years("2030-2026"), ["'2030-2026'", "30"],
                        "năm trước đến năm sau", "run forward"),
    "years in words": (lambda: parse_years("năm 2026"), ["'năm 2026'", "2026-2030"],
                       "NĂM_ĐẦU-NĂM_CUỐI", "FIRST-LAST"),
    "years past 2100": (lambda: parse_years("2099-2102"), ["'2099-2102'"],
                        "2000 đến 2100", "2000 to 2100"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_refusal_names_its_culprit_in_both_languages(case):
    make, culprits, vi_word, en_word = CASES[case]
    exc = refusal(make)
    vi, en = exc.render("vi"), exc.render("en")
    assert vi != en
    for culprit in culprits:
        assert culprit in vi, (culprit, vi)
        assert culprit in en, (culprit, en)
    assert vi_word in vi, vi
    assert en_word in en, en
    assert str(exc) == en  # str() is the English message (logs, tests)
    assert "{" not in vi and "{" not in en  # every placeholder filled


def test_a_budget_for_a_source_no_row_uses(tmp_path):
    data = inputs(tmp_path)
    for settings, scenario, culprits in (
            (MultiYearSettings(years=PLAN, budgets_by_year={("nguon_khac", 2027): 1e9}),
             Scenario(), ["'nguon_khac'", "2027", "state_budget"]),
            (MultiYearSettings(years=PLAN), Scenario(budgets={"fee_revenue": 1e9}),
             ["'fee_revenue'", "state_budget"])):
        exc = refusal(lambda s=settings, c=scenario: plan_multiyear(data, c, s))
        for lang, word in (("vi", "không dòng nào dùng nguồn"), ("en", "no row uses")):
            text = exc.render(lang)
            assert word in text, text
            for culprit in culprits:
                assert culprit in text, (culprit, text)


def test_the_multiyear_plan_refuses_cbc_in_the_officer_s_language(tmp_path):
    exc = refusal(lambda: plan_multiyear(inputs(tmp_path), Scenario(solver="cbc"),
                                         MultiYearSettings(years=PLAN)))
    assert "'cbc'" in exc.render("vi") and "chỉ giải bằng bộ giải HiGHS" in exc.render("vi")
    assert "'cbc'" in exc.render("en") and "HiGHS only" in exc.render("en")


# --- the command line: the flags and the scenario file's [multiyear] table ---------------

def run(tmp_path: Path, capsys, *args: str) -> tuple[int, str]:
    out = tmp_path / "plan.csv"
    code = main(["plan", *args, "--out", str(out)])
    err = capsys.readouterr().err
    assert not out.exists()  # refused before any file is written
    assert "Traceback" not in err and "unexpected error" not in err, err
    return code, err


CLI_CASES = {
    # flags → (culprits, Vietnamese words, English words)
    "no years": ([], [], "--years 2026-2030", "Hãy cho biết các năm", "Give the years"),
    "attrition without a rate": ([], ["--years", "2026-2030", "--attrition", "civil_servant"],
                                 "'civil_servant'", "LOẠI=TỶ_LỆ", "TYPE=RATE"),
    "attrition rate in words": ([], ["--years", "2026-2030", "--attrition",
                                     "civil_servant=hai phần trăm"],
                                "'civil_servant=hai phần trăm'", "LOẠI=TỶ_LỆ", "TYPE=RATE"),
    "budget of a year typed wrong": ([], ["--years", "2026-2030", "--budget",
                                          "NSNN@20x7=60 tỷ"],
                                     "'20x7'", "không phải là một năm", "is not a year"),
    "base salary of a year outside the plan": (
        [], ["--years", "2026-2030", "--base-salary", "2031=2530000"], "2031",
        "lương cơ sở năm 2031", "base salary for 2031"),
    "cut rate above 1": ([], ["--years", "2026-2030", "--quota-cut", "15"], "15.0",
                         "tỷ lệ cắt giảm", "share from 0 to 1"),
    "target year outside the plan": ([], ["--years", "2026-2028", "--target-year", "2030"],
                                     "2030", "không thuộc kế hoạch (2026–2028)",
                                     "not a year of the plan (2026–2028)"),
    "unknown key in [multiyear]": (
        ["[multiyear]", 'years = "2026-2030"', "quota_cuts = 0.15"], [], "quota_cuts",
        "khóa không xác định", "unknown key(s)"),
    "cut rule without a rate": (
        ["[multiyear]", 'years = "2026-2030"', "[multiyear.quota_cut]", "by_year = 2030"], [],
        "rate", "cần có", "needs"),
    "budgets not a table": (["[multiyear]", 'years = "2026-2030"', "budgets = 5"], [],
                            "[multiyear.budgets]", "phải là một bảng", "must be a table"),
    "a year's budgets not a table": (
        ["[multiyear]", 'years = "2026-2030"', "[multiyear.budgets]", '2027 = "60 tỷ"'], [],
        "[multiyear.budgets.2027]", "phải là một bảng", "must be a table"),
    "a budget table keyed by no year": (
        ["[multiyear]", 'years = "2026-2030"', "[multiyear.budgets.next]",
         "state_budget = 1e9"], [], "'next'", "không phải là một năm", "is not a year"),
    "staff types not a list": (
        ["[multiyear]", 'years = "2026-2030"', "[multiyear.quota_cut]", "rate = 0.1",
         'staff_types = "civil_servant"'], [], "'civil_servant'", "phải là một danh sách",
        "must be a list"),
    "multiyear not a table": (['multiyear = "2026-2030"'], [], "'2026-2030'",
                              "phải là một bảng", "must be a table"),
}


@pytest.mark.parametrize("case", list(CLI_CASES))
def test_the_command_line_refuses_in_the_officer_s_language(case, tmp_path, capsys):
    toml, flags, culprit, vi_word, en_word = CLI_CASES[case]
    if toml:
        scenario = tmp_path / "s.toml"
        scenario.write_text("\n".join(toml) + "\n", encoding="utf-8")
        flags = [*flags, "--scenario", str(scenario)]
    code, vi = run(tmp_path, capsys, *flags)  # Vietnamese unless --lang en
    assert code == 2, vi
    code, en = run(tmp_path, capsys, *flags, "--lang", "en")
    assert code == 2, en
    assert culprit in vi and culprit in en, (vi, en)
    assert vi_word in vi, vi
    assert en_word in en, en

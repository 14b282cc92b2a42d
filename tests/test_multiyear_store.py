"""Saving and comparing multi-year plans (issue 15): ``plan --save NAME`` keeps the plan in the
scenario store (SQLite and PostgreSQL), ``scenarios list/show/export`` handle it, ``compare``
of two multi-year plans gives the per-year differences, and a one-year plan is kept exactly
as before.

Expected figures come from the plans' own CSV outputs (one row per unit, position and year),
summed per year by the test: the comparison's differences are plan B's sums minus plan A's.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from planner import api
from planner.domain.multiyear import PLAN_COLUMNS, MultiYearSettings, QuotaCut
from planner.domain.scenario import Scenario
from planner.io.inputs import load_inputs
from planner.io.multiyear import load_multiyear_inputs
from planner.store import ScenarioStore
from planner.store import schema as S
from planner.store.multiyear import plan_from_stored
from tests.store_backends import store_url  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2026, 2027, 2028)

QUOTAS = (
    "unit_id,unit_name,position_id,position_name,staff_type,funding_source,"
    "salary_coefficient,quota,quota_2027,quota_2028,priority\n"
    "U1,Sở Nội vụ,P1,Chuyên viên,civil_servant,state_budget,2.34,10,10,9,3\n"
    "U1,Sở Nội vụ,P2,Văn thư,civil_servant,state_budget,1.86,4,4,3,1\n"
    "U2,UBND xã Ninh Hòa,P1,Công chức địa chính,civil_servant,state_budget,2.34,6,6,6,2\n"
    "U3,Trường THCS Cam Lâm,P1,Giáo viên,public_employee,state_budget,2.34,8,8,8,2\n")
HEADCOUNTS = (
    "unit_id,unit_name,position_id,position_name,headcount,departures_2026,departures_2027,"
    "departures_2028\n"
    "U1,Sở Nội vụ,P1,Chuyên viên,6,1,0,2\n"
    "U1,Sở Nội vụ,P2,Văn thư,5,0,1,0\n"
    "U2,UBND xã Ninh Hòa,P1,Công chức địa chính,3,0,1,1\n"
    "U3,Trường THCS Cam Lâm,P1,Giáo viên,5,1,0,1\n")


@pytest.fixture
def files(tmp_path):
    q, h = tmp_path / "chi_tieu.csv", tmp_path / "co_mat.csv"
    q.write_text(QUOTAS, encoding="utf-8")
    h.write_text(HEADCOUNTS, encoding="utf-8")
    return q, h


def one_year_inputs(tmp_path: Path):
    """The same units and positions as a one-year quota table (no year columns)."""
    table = pd.read_csv(io.StringIO(QUOTAS), dtype=str).drop(columns=["quota_2027",
                                                                      "quota_2028"])
    table["headcount"] = pd.read_csv(io.StringIO(HEADCOUNTS), dtype=str)["headcount"]
    path = tmp_path / "mot_nam.csv"
    table.to_csv(path, index=False)
    return load_inputs(path)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def plan_args(files, out: Path, budget: str, *extra: str) -> list[str]:
    q, h = files
    return ["plan", "--years", "2026-2028", "--quotas", str(q), "--headcounts", str(h),
            "--budget", f"state_budget={budget}", "--out", str(out), *extra]


def solved(files, budget: float):
    loaded = load_multiyear_inputs(files[0], files[1], None)
    scenario = Scenario(budgets={"state_budget": budget})
    settings = MultiYearSettings(years=YEARS, budgets_by_year={("state_budget", 2028): budget * 2},
                                 quota_cut=None, attrition={"public_employee": 0.1})
    plan = api.plan(loaded.inputs, scenario, settings, quota_years=loaded.quota_years,
                    departure_years=loaded.departure_years,
                    plain_departures=loaded.plain_departures)
    assert plan.plan is not None
    return loaded, scenario, plan


def test_a_multiyear_plan_is_saved_and_read_back_exactly(store_url, files):  # noqa: F811
    loaded, scenario, plan = solved(files, 700e6)
    store = ScenarioStore(store_url)
    try:
        info = store.save("Lộ trình 2026–2028", scenario, allocation=plan,
                          inputs=loaded.inputs, note="thử")
        back = store.get(info.id)
        assert back.is_multiyear and back.plan is None and back.by_unit is None
        pd.testing.assert_frame_equal(back.multiyear_tables["my_plan"], plan.plan)
        pd.testing.assert_frame_equal(back.multiyear_tables["my_by_year"], plan.by_year)
        pd.testing.assert_frame_equal(back.multiyear_tables["my_budgets"], plan.budgets,
                                      check_dtype=False)
        assert list(back.multiyear_tables["my_plan"].columns) == PLAN_COLUMNS
        # the list's figures: hires over the years; the cost a year is the last year's
        # salary fund of the hires (the rows' salary_cost of 2028)
        rows = plan.plan
        assert info.total_hires == int(rows["hires"].sum())
        assert info.total_cost == pytest.approx(float(rows.loc[rows["year"] == 2028,
                                                               "salary_cost"].sum()))
        assert info.status == plan.status
        assert back.summary["years"] == list(YEARS)
        assert back.summary["parameters"]["budgets_by_year"] == {"state_budget@2028": 1.4e9}
        assert back.summary["parameters"]["attrition"] == {"public_employee": 0.1}
        assert [f.name for f in back.input_files] == ["chi_tieu.csv", "co_mat.csv"]
        assert store.multiyear_ids() == {info.id}
        again = plan_from_stored(back)
        pd.testing.assert_frame_equal(again.plan, plan.plan)
        pd.testing.assert_frame_equal(again.surplus, plan.surplus)
        assert again.years == YEARS and again.status == plan.status
        # "save as" of the reopened plan keeps every table
        copy = store.save("Bản sao", back.scenario, allocation=back)
        pd.testing.assert_frame_equal(store.get(copy.id).multiyear_tables["my_plan"], plan.plan)
        assert store.multiyear_ids() == {info.id, copy.id}
    finally:
        store.close()


def test_an_infeasible_multiyear_plan_is_kept_with_its_least_budgets(store_url, files):  # noqa: F811
    loaded = load_multiyear_inputs(files[0], files[1], None)
    scenario = Scenario(budgets={"state_budget": 1e6}, min_fill=1.0)
    plan = api.plan(loaded.inputs, scenario, MultiYearSettings(years=YEARS),
                    quota_years=loaded.quota_years, departure_years=loaded.departure_years,
                    plain_departures=loaded.plain_departures)
    assert plan.status == "infeasible" and plan.plan is None
    store = ScenarioStore(store_url)
    try:
        info = store.save("Thiếu tiền", scenario, allocation=plan, inputs=loaded.inputs)
        back = store.get(info.id)
        assert back.is_multiyear and set(back.multiyear_tables) == {"my_budgets"}
        least = back.multiyear_tables["my_budgets"]["least"]
        assert (least > 1e6).all()  # a full fill costs more than 1 million a year
        assert store.multiyear_ids() == {info.id}
        assert info.total_hires is None
    finally:
        store.close()


def test_a_one_year_plan_is_stored_as_before(store_url, tmp_path):  # noqa: F811
    inputs = one_year_inputs(tmp_path)
    scenario = Scenario(budgets={"state_budget": 500e6})
    allocation = api.solve(inputs, scenario, explain=False)
    store = ScenarioStore(store_url)
    try:
        info = store.save("Một năm", scenario, allocation=allocation, inputs=inputs)
        with store.engine.connect() as conn:
            kinds = set(conn.execute(sa.select(S.TABLES.c.kind)
                                     .where(S.TABLES.c.scenario_id == info.id)).scalars())
            summary = conn.execute(sa.select(S.SCENARIOS.c.summary)
                                   .where(S.SCENARIOS.c.id == info.id)).scalar()
        assert kinds == {"plan", "by_unit", "budget_values"}
        assert "plan_kind" not in summary and "years" not in summary
        back = store.get(info.id)
        assert not back.is_multiyear and back.multiyear_tables == {}
        assert store.multiyear_ids() == set()
    finally:
        store.close()


def test_plan_save_show_export_and_compare_on_the_command_line(store_url, files,  # noqa: F811
                                                               tmp_path):
    db = ["--database", store_url]
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    r = run(*plan_args(files, a, "600000000", "--save", "Kế hoạch A", "--note", "ít tiền", *db))
    assert r.returncode == 0, r.stderr
    assert "Đã lưu phương án «Kế hoạch A»" in r.stdout, r.stdout
    r = run(*plan_args(files, b, "1200000000", "--save", "Kế hoạch B", *db))
    assert r.returncode == 0, r.stderr
    # a name taken: refused before solving, nothing written
    c = tmp_path / "c.csv"
    r = run(*plan_args(files, c, "1", "--save", "Kế hoạch A", *db))
    assert r.returncode == 2 and not c.exists()
    assert "Kế hoạch A" in r.stderr and "Traceback" not in r.stderr
    plan_a = pd.read_csv(a, encoding="utf-8-sig", dtype={"unit_id": str, "position_id": str})
    plan_b = pd.read_csv(b, encoding="utf-8-sig", dtype={"unit_id": str, "position_id": str})
    assert plan_a["hires"].sum() != plan_b["hires"].sum()  # the budgets make a difference

    r = run("scenarios", "list", *db)
    assert r.returncode == 0 and "Kế hoạch A" in r.stdout and "Kế hoạch B" in r.stdout

    out = tmp_path / "shown.csv"
    r = run("scenarios", "show", "Kế hoạch A", "--plan-out", str(out), *db)
    assert r.returncode == 0, r.stderr
    assert "Kế hoạch nhiều năm 2026–2028" in r.stdout
    by_year = plan_a.groupby("year")["hires"].sum()
    for year in YEARS:  # the path as `plan` printed it, one line a year
        assert f"Năm {year}:" in r.stdout
        assert f"tuyển {by_year[year]}," in r.stdout.split(f"Năm {year}:")[1].split("\n")[0]
    assert "[multiyear]" in r.stdout
    shown = pd.read_csv(out, encoding="utf-8-sig", dtype={"unit_id": str, "position_id": str})
    pd.testing.assert_frame_equal(shown[PLAN_COLUMNS], plan_a[PLAN_COLUMNS])

    # the exported scenario file gives the same plan again through plan --scenario
    toml = tmp_path / "b.toml"
    r = run("scenarios", "export", "Kế hoạch B", "--out", str(toml), *db)
    assert r.returncode == 0, r.stderr
    assert 'years = "2026-2028"' in toml.read_text(encoding="utf-8")
    again = tmp_path / "b_again.csv"
    q, h = files
    r = run("plan", "--scenario", str(toml), "--quotas", str(q), "--headcounts", str(h),
            "--out", str(again))
    assert r.returncode == 0, r.stderr
    assert again.read_bytes() == b.read_bytes()

    # compare: per year, B's sums minus A's, from the two plan files
    diff = tmp_path / "diff.csv"
    r = run("compare", "Kế hoạch A", "Kế hoạch B", "--out", str(diff), *db, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "Per year (differences against “Kế hoạch A”)" in r.stdout
    got = pd.read_csv(diff, encoding="utf-8-sig")
    assert got["year"].tolist() == list(YEARS)
    sums_a = plan_a.groupby("year")[["hires", "vacancies_end", "surplus_end"]].sum()
    sums_b = plan_b.groupby("year")[["hires", "vacancies_end", "surplus_end"]].sum()
    for figure in ("hires", "vacancies_end", "surplus_end"):
        assert got[f"{figure}_1"].tolist() == sums_a[figure].tolist()
        assert got[f"{figure}_2"].tolist() == sums_b[figure].tolist()
        assert got[f"{figure}_diff_2"].tolist() == (sums_b[figure] - sums_a[figure]).tolist()


def test_a_multiyear_and_a_one_year_plan_are_not_compared(store_url, files,  # noqa: F811
                                                          tmp_path):
    loaded, scenario, plan = solved(files, 700e6)
    inputs = one_year_inputs(tmp_path)
    store = ScenarioStore(store_url)
    try:
        store.save("Nhiều năm", scenario, allocation=plan, inputs=loaded.inputs)
        store.save("Một năm", Scenario(), allocation=api.solve(inputs, Scenario(),
                                                               explain=False), inputs=inputs)
    finally:
        store.close()
    for lang, words in (("vi", "Không thể so sánh kế hoạch nhiều năm"),
                        ("en", "cannot be compared with one-year plans")):
        r = run("compare", "Một năm", "Nhiều năm", "--database", store_url, "--lang", lang)
        assert r.returncode == 2, r.stdout
        assert words in r.stderr and "“Nhiều năm”" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr


def test_the_comparison_of_three_plans_with_different_years(store_url, files):  # noqa: F811
    from planner.present.compare_multiyear import compare_multiyear

    loaded = load_multiyear_inputs(files[0], files[1], None)
    plans = []
    store = ScenarioStore(store_url)
    try:
        for name, years, cut in (("A", YEARS, None), ("B", YEARS, 0.2),
                                 ("C", (2027, 2028, 2029), None)):
            plan = api.plan(loaded.inputs, Scenario(), MultiYearSettings(
                years=years, quota_cut=None if cut is None else QuotaCut(rate=cut,
                                                                         by_year=2028)),
                quota_years=loaded.quota_years, departure_years=loaded.departure_years,
                plain_departures=loaded.plain_departures)
            plans.append(plan)
            store.save(name, Scenario(), allocation=plan, inputs=loaded.inputs)
        cmp = compare_multiyear([store.get(n) for n in ("A", "B", "C")])
    finally:
        store.close()
    table = cmp.per_year.set_index("year")
    assert table.index.tolist() == [2026, 2027, 2028, 2029]
    a, b, c = (p.plan.groupby("year")[["hires", "vacancies_end", "surplus_end"]].sum()
               for p in plans)
    assert table.loc[2026, "hires_3"] is pd.NA and table.loc[2029, "hires_1"] is pd.NA
    for year in (2027, 2028):
        assert table.loc[year, "surplus_end_diff_2"] == b.loc[year, "surplus_end"] - \
            a.loc[year, "surplus_end"]
        assert table.loc[year, "vacancies_end_diff_3"] == c.loc[year, "vacancies_end"] - \
            a.loc[year, "vacancies_end"]
    assert cmp.same_inputs and cmp.labels == ("A", "B", "C")


def test_io_multiyear_reads_an_upload_already_in_memory(files):
    from planner.io.sources import SourceFile

    q, h = files
    by_path = load_multiyear_inputs(q, h, None)
    in_memory = load_multiyear_inputs(SourceFile(q.name, q.read_bytes()),
                                      SourceFile(h.name, h.read_bytes()), None)
    assert by_path.quota_years.keys() == in_memory.quota_years.keys() == {2027, 2028}
    for year in (2027, 2028):
        assert (by_path.quota_years[year] == in_memory.quota_years[year]).all()
    assert in_memory.departure_years.keys() == {2026, 2027, 2028}

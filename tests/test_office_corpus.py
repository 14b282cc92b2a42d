"""The office corpus (issue 11): every workbook read to the figures on its printed form, or
refused with a message naming the ambiguity and the ``--map`` that resolves it.

The expected figures are the ones typed in each case (tests/corpus); units, rows, quota,
headcount and vacancies are derived from them by the rule's definition
(vacancies = max(0, quota − headcount + expected departures)), never by the code under test.
"""

from __future__ import annotations

import pytest
from corpus import CASES, Case

from planner.domain.problems import InputError
from planner.i18n import problem_message
from planner.io.inputs import load_inputs
from planner.io.sources import SourceFile


def _load(case: Case, mappings=None):
    heads = SourceFile(case.headcounts_name, case.headcounts) if case.headcounts else None
    return load_inputs(SourceFile(case.name, case.quotas), heads, mappings=mappings,
                       year=case.year)


def _assert_read(case: Case, inputs) -> None:
    got = [tuple(r) for r in inputs.positions[
        ["unit_name", "position_name", "staff_type", "quota", "headcount"]].itertuples(
        index=False)]
    assert got == list(case.rows)
    expected_units = {r[0] for r in case.rows}
    assert inputs.positions["unit_id"].nunique() == len(expected_units)
    assert len(inputs.positions) == len(case.rows)
    assert int(inputs.positions["quota"].sum()) == sum(r[3] for r in case.rows)
    assert int(inputs.positions["headcount"].sum()) == sum(r[4] for r in case.rows)
    assert int(inputs.positions["expected_departures"].sum()) == case.departures
    vacancies = (inputs.positions["quota"] - inputs.positions["headcount"]
                 + inputs.positions["expected_departures"]).clip(lower=0).sum()
    by_definition = sum(max(0, q - h) for *_, q, h in case.rows) + case.departures
    assert int(vacancies) == by_definition


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_office_file_is_read_right_or_refused_naming_the_fix(case: Case):
    if case.refused is None:
        inputs = _load(case)
        _assert_read(case, inputs)
        codes = {w.code for w in inputs.warnings}
        assert set(case.warnings) <= codes, codes
        return
    with pytest.raises(InputError) as caught:
        _load(case)
    errors = [p for p in caught.value.errors if p.code == case.refused]
    assert errors, [p.code for p in caught.value.errors]
    for p in errors:
        for lang in ("vi", "en"):
            text = problem_message(p, lang)
            assert "{" not in text and text.strip()
    if case.fix:
        (col,) = next(iter(case.fix.values()))
        # the message names the candidates and the --map option
        text = problem_message(errors[0], "en")
        assert f"--map {col}=" in text
        _assert_read(case, _load(case, mappings=case.fix))


def test_the_corpus_has_at_least_25_files_and_covers_refusals():
    assert len(CASES) >= 25
    assert sum(c.refused is not None for c in CASES) >= 5


def test_a_codes_only_headcount_file_solves(tmp_path):
    """Done when (issue 11): an HR database export keyed by codes solves from the command line."""
    import csv
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "chi_tieu.csv").write_text(
        "Mã đơn vị,Tên đơn vị,Mã vị trí,Vị trí việc làm,Biên chế được giao\n"
        "SNV,Sở Nội vụ,CV,Chuyên viên,12\nSNV,Sở Nội vụ,VT,Văn thư,2\n"
        "STP,Sở Tư pháp,CV,Chuyên viên,9\n", encoding="utf-8")
    (tmp_path / "export.csv").write_text(
        "unit_id,position_id,headcount,expected_departures\nSNV,CV,10,1\nSNV,VT,2,0\n"
        "STP,CV,7,0\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "planner", "solve", "--quotas", "chi_tieu.csv",
                        "--headcounts", "export.csv", "--out", "plan.csv", "--summary", "s.json",
                        "--budget", "state_budget=10000000000"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stdout + r.stderr
    plan = list(csv.DictReader((tmp_path / "plan.csv").read_text(encoding="utf-8-sig")
                               .splitlines()))
    by_key = {(p["unit_id"], p["position_id"]): p for p in plan}
    # vacancies by definition: 12 − 10 + 1 = 3, 2 − 2 = 0, 9 − 7 = 2; a budget for all of them
    assert {k: int(p["vacancies"]) for k, p in by_key.items()} == {
        ("SNV", "CV"): 3, ("SNV", "VT"): 0, ("STP", "CV"): 2}
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["total_hires"] == 5


def test_the_sample_per_unit_workbook_matches_the_sample_tables():
    """data/sample's per-unit table split by staff type holds the sample's figures summed by
    unit and staff type (summed here from the CSV sample, not by the reader)."""
    from planner.io.sample import SAMPLE_FILES, SAMPLE_UNIT_WORKBOOK

    per_unit = load_inputs(SAMPLE_UNIT_WORKBOOK).positions
    detail = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"]).positions
    want = detail.groupby(["unit_name", "staff_type"], sort=True)[["quota", "headcount"]].sum()
    want = want[(want["quota"] > 0) | (want["headcount"] > 0)]
    got = per_unit.groupby(["unit_name", "staff_type"], sort=True)[["quota", "headcount"]].sum()
    assert got.to_dict("index") == want.to_dict("index")
    assert set(per_unit["position_name"].str.split(" (", regex=False).str[0]) == {"Toàn đơn vị"}


SOFFICE = __import__("shutil").which("soffice") or __import__("shutil").which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; "
                    "`make test` installs libreoffice-calc-nogui")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_the_same_forms_saved_as_ods_and_xls_read_alike(tmp_path, fmt):
    """Offices forward the same form as .xls or .ods: LibreOffice saves corpus files so, and
    each is read to the same figures (and the .ods keeps its hidden row and column hidden)."""
    import subprocess

    picked = [c for c in CASES if c.name[:2] in ("05", "12", "13", "22", "15")]
    for c in picked:
        (tmp_path / c.name).write_bytes(c.quotas)
    r = subprocess.run([SOFFICE, "--headless", "--convert-to", fmt, "--outdir", str(tmp_path),
                        *[str(tmp_path / c.name) for c in picked]],
                       capture_output=True, text=True, timeout=300,
                       env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    for c in picked:
        converted = tmp_path / c.name.replace(".xlsx", f".{fmt}")
        source = SourceFile(converted.name, converted.read_bytes())
        if c.name.startswith("15") and fmt == "xls":
            # an .xls does not show its hidden rows to the reader: refused by the year rule or
            # read with a warning saying hidden rows were read, never silently
            try:
                inputs = load_inputs(source)
            except InputError:
                continue
            assert "hidden_rows_unchecked" in {w.code for w in inputs.warnings}
            continue
        inputs = load_inputs(source)
        _assert_read(c, inputs)


# --- the app's Data page reads the same corpus (AppTest, the officer's upload widget) --------

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(at, name: str, data: bytes, mime: str = XLSX_MIME):
    at.file_uploader(key="w_quotas_file").set_value((name, data, mime))
    at.run()
    at.button(key="load").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("number", ["05", "13", "22"])
def test_the_data_page_reads_corpus_files_to_their_figures(number):
    from app_helpers import metrics, open_page, start, texts

    case = next(c for c in CASES if c.name.startswith(number))
    at = _upload(open_page(start(), "data"), case.name, case.quotas)
    assert f"{case.name}: {len(case.rows)} dòng" in texts(at)
    open_page(at, "gaps")
    shown = metrics(at)
    quota = sum(r[3] for r in case.rows)
    heads = sum(r[4] for r in case.rows)
    vacancies = sum(max(0, r[3] - r[4]) for r in case.rows)
    as_shown = lambda n: f"{n:,}".replace(",", ".")  # noqa: E731 (Vietnamese thousands)
    assert shown["Biên chế được giao"] == as_shown(quota)
    assert shown["Số có mặt"] == as_shown(heads)
    assert shown["Biên chế còn thiếu"] == as_shown(vacancies)


def test_the_mapping_step_offers_header_paths_for_an_ambiguous_figure():
    from app_helpers import metrics, open_page, start, texts

    table = ("Tên đơn vị,Vị trí việc làm,Biên chế,,Số có mặt\n"
             ",,Đề án,Kế hoạch,\n"
             "Sở Nội vụ,Chuyên viên,12,10,8\nTrường A,Giáo viên,22,20,15\n")
    at = _upload(open_page(start(), "data"), "de_an.csv", table.encode(), "text/csv")
    choice = at.selectbox(key="w_map.quotas.quota")
    assert {"C · Biên chế › Đề án", "D · Biên chế › Kế hoạch"} <= set(choice.options)
    choice.set_value("D · Biên chế › Kế hoạch").run()
    at.button(key="reload").click().run()
    assert not at.exception
    assert "Đã nạp de_an.csv: 2 dòng" in texts(at)
    open_page(at, "gaps")
    assert metrics(at)["Biên chế được giao"] == "30"  # 10 + 20, the plan's column
    assert metrics(at)["Biên chế còn thiếu"] == "7"  # (10 − 8) + (20 − 15)

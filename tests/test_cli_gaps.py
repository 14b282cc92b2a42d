"""`python -m planner validate` and `gaps` as a user runs them (subprocesses, real files)."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from planner.domain.gaps import GAP_COLUMNS

ROOT = Path(__file__).resolve().parent.parent


def planner(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_validate_defaults_to_the_sample():
    r = planner("validate", "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "The input is valid: chi_tieu_bien_che.csv, so_co_mat.csv, don_vi.csv." in r.stdout
    assert "277 units, 967 positions" in r.stdout
    assert "Traceback" not in r.stderr


def test_validate_reports_row_and_column_and_exits_2(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text("Tên đơn vị,Vị trí việc làm,Biên chế được giao,Số có mặt,Hệ số lương\n"
                 "Sở Nội vụ,Chuyên viên,10,8,\"2,34\"\n"
                 "Sở Tư pháp,Chuyên viên,-3,2,\"2,34\"\n"
                 "Sở Y tế,Bác sĩ,abc,2,\"2,34\"\n", encoding="utf-8")
    r = planner("validate", "--quotas", str(f), "--lang", "en")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert "q.csv, row 3, column C · Biên chế được giao: “-3” is negative" in r.stderr
    assert "q.csv, row 4, column C · Biên chế được giao: “abc” is not a number" in r.stderr


def test_validate_messages_are_vietnamese_by_default(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text("Tên đơn vị,Vị trí việc làm,Biên chế được giao,Số có mặt,Hệ số lương\n"
                 "Sở Nội vụ,Chuyên viên,1.5,1,\"2,34\"\n", encoding="utf-8")
    r = planner("validate", "--quotas", str(f))
    assert r.returncode == 2
    assert "Lỗi: q.csv, dòng 2, cột C · Biên chế được giao" in r.stderr
    assert "không phải số nguyên" in r.stderr


def test_missing_file_is_bad_input_not_a_crash(tmp_path):
    r = planner("validate", "--quotas", str(tmp_path / "nope.xlsx"), "--lang", "en")
    assert r.returncode == 2
    assert "File not found" in r.stderr


def test_unknown_option_is_bad_input():
    r = planner("gaps", "--out", "x.csv", "--by", "planet")
    assert r.returncode == 2
    assert "invalid choice: 'planet'" in r.stderr


def test_gaps_csv_has_bom_and_canonical_columns(tmp_path):
    out = tmp_path / "gaps.csv"
    r = planner("gaps", "--out", str(out))
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == GAP_COLUMNS
    assert len(rows) == 967
    assert any(r["unit_name"] == "Sở Nội vụ" for r in rows)
    total_vacancies = sum(int(r["vacancies"]) for r in rows)
    by_unit = tmp_path / "by_unit.csv"
    assert planner("gaps", "--by", "unit", "--out", str(by_unit)).returncode == 0
    units = list(csv.DictReader(io.StringIO(by_unit.read_text(encoding="utf-8-sig"))))
    assert len(units) == 277
    assert sum(int(u["vacancies"]) for u in units) == total_vacancies


def test_gaps_csv_with_vietnamese_headers(tmp_path):
    out = tmp_path / "gaps.csv"
    assert planner("gaps", "--out", str(out), "--lang", "vi").returncode == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("Mã đơn vị,Tên đơn vị,Mã vị trí,Vị trí việc làm")


@pytest.mark.parametrize("by", [None, "sector"])
def test_gaps_xlsx_reads_back_with_real_numbers(tmp_path, by):
    out = tmp_path / "gaps.xlsx"
    args = ["gaps", "--out", str(out)] + (["--by", by] if by else [])
    r = planner(*args)
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert "Biên chế được giao" in header
    quota_col = header.index("Biên chế được giao")
    values = [row[quota_col] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, int | float) for v in values)
    assert ws.freeze_panes == "A2"


def test_office_workbook_gives_the_same_totals_as_the_csv_sample(tmp_path):
    from planner.domain.gaps import headline, staffing_gaps
    from planner.io.inputs import load_inputs
    from planner.io.sample import SAMPLE_FILES, SAMPLE_WORKBOOK

    csv_inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"])
    xlsx_inputs = load_inputs(SAMPLE_WORKBOOK)
    a = headline(staffing_gaps(csv_inputs.positions))
    b = headline(staffing_gaps(xlsx_inputs.positions))
    for key in ("positions", "quota", "headcount", "expected_departures", "vacancies", "surplus"):
        assert a[key] == b[key], key
    kinds = {s.kind for s in xlsx_inputs.skipped}
    assert {"title", "column_numbers", "group", "total", "footer"} <= kinds


def test_sample_files_match_the_generator():
    """data/sample is what planner.io.sample writes: regenerating changes nothing."""
    import pandas as pd

    from planner.io.sample import SAMPLE_FILES, generate

    quotas, heads, _units = generate()
    on_disk = pd.read_csv(SAMPLE_FILES["quotas"], encoding="utf-8-sig")
    assert len(on_disk) == len(quotas)
    assert on_disk["Biên chế được giao"].tolist() == quotas["quota"].tolist()
    on_board = pd.read_csv(SAMPLE_FILES["headcounts"])["Số có mặt"]
    assert on_board.tolist() == heads["headcount"].tolist()

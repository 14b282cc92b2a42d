"""Hostile inputs, second round (issue 17): stray cells far from the table, devices instead of
files, scenario files that are not what they claim, invisible characters, Mac line endings.

Every workbook here is written by the test (openpyxl, and LibreOffice for .xls/.ods, the way an
officer's office suite saves them). The dangerous ones are read in a fresh process through the
CLI, so a reader that allocates the sheet's whole rectangle would abort that process (exit 134)
or blow the memory bound, not the test run; the process reports its own peak memory.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import shutil
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers_inputs import HEADER, csv_bytes, load, problems_of, rows_of, xlsx

from planner.domain.limits import Limits
from planner.domain.problems import InputError, visible
from planner.domain.scenario import Scenario, ScenarioError
from planner.i18n import problem_line
from planner.io.sources import SourceFile, read_sheets

ROOT = Path(__file__).resolve().parent.parent
GOOD = [HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34]]
#: peak resident memory allowed to a CLI process reading one hostile file. The interpreter
#: with pandas, pandera and the planner takes about 150 MB before reading; the files are a few
#: KB. Reading XFD5000's rectangle took 3.3 GB before the fix.
PEAK_MB = 450

# run a CLI command and report the process's own peak memory when it ends (by os._exit, as
# planner/__main__.py ends it, or by SystemExit): VmHWM, the peak of this address space. Not
# getrusage's ru_maxrss, which is kept across exec and so starts at the test worker's own size
# when subprocess uses vfork.
_MEASURED = ("import os, re, runpy, sys\n"
             "def peak():\n"
             "    with open('/proc/self/status') as fh:\n"
             "        kb = int(re.search(r'VmHWM:\\s*(\\d+)', fh.read()).group(1))\n"
             "    print(f'PEAK_MB {kb // 1024}', file=sys.stderr, flush=True)\n"
             # planner/__main__.py ends the process with os._exit (no teardown, no finally)
             "_exit = os._exit\n"
             "def measured_exit(code):\n"
             "    peak()\n"
             "    _exit(code)\n"
             "os._exit = measured_exit\n"
             "sys.argv = ['planner', *sys.argv[1:]]\n"
             "try:\n"
             "    runpy.run_module('planner', run_name='__main__', alter_sys=True)\n"
             "finally:\n"
             "    peak()\n")


def cli(*args: str, env: dict | None = None) -> tuple[int, str, str, int]:
    """``python -m planner ARGS`` in a fresh process: exit code, stdout, stderr, peak MB."""
    r = subprocess.run([sys.executable, "-c", _MEASURED, *args], cwd=ROOT, capture_output=True,
                       text=True, timeout=300, env={**os.environ, **(env or {})})
    lines = r.stderr.splitlines()
    peaks = [int(x.split()[1]) for x in lines if x.startswith("PEAK_MB ")]
    err = "\n".join(x for x in lines if not x.startswith("PEAK_MB "))
    return r.returncode, r.stdout, err, (peaks[0] if peaks else -1)


def stray(ref: str, value, rows=GOOD) -> bytes:
    """A small workbook: the table, and ``value`` in cell ``ref`` far from it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 1"
    for r in rows:
        ws.append(r)
    ws[ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- 1. one stray cell ------------------------------------------------------------------------

#: (file name, cell, value, used range the message states, rows × columns)
STRAY = [
    ("dau_cach_xa.xlsx", "XFD1048576", " ", "A1:XFD1048576", 1_048_576, 16_384),
    ("gia_tri_xa.xlsx", "XFD5000", "ghi chú", "A1:XFD5000", 5000, 16_384),
    ("dong_cuoi.xlsx", "A1048576", 7, "A1:E1048576", 1_048_576, 5),
    ("cot_257.xlsx", "IW2", "x", "A1:IW2", 2, 257),
]


@pytest.mark.parametrize(("name", "ref", "value", "used", "rows", "cols"), STRAY,
                         ids=[s[0] for s in STRAY])
def test_a_stray_cell_far_away_is_refused_before_the_sheet_is_allocated(name, ref, value, used,
                                                                       rows, cols):
    data = stray(ref, value)
    assert len(data) < 10_000  # a few KB
    (p,) = problems_of(data, name=name)
    assert (p.code, p.file, p.sheet, p.params["cell"], p.params["range"]) == (
        "used_range_too_large", name, "Biểu 1", ref, used)
    assert (p.params["rows"], p.params["columns"]) == (rows, cols)
    # the limits it names are the configured ones: 300,000 rows + 10% for titles; 256 columns
    assert (p.params["max_rows"], p.params["max_columns"]) == (330_000, 256)
    assert ref in problem_line(p, "vi") and "Delete" in problem_line(p, "vi")


@pytest.mark.parametrize(("name", "ref", "value"), [(s[0], s[1], s[2]) for s in STRAY[:2]],
                         ids=[s[0] for s in STRAY[:2]])
def test_the_cli_refuses_a_stray_cell_with_exit_2_in_bounded_memory(tmp_path, name, ref,
                                                                    value):
    path = tmp_path / name
    path.write_bytes(stray(ref, value))
    code, out, err, peak = cli("validate", "--quotas", str(path), "--lang", "en")
    assert code == 2, err
    assert out == "" and "Traceback" not in err
    assert f"{name}, sheet “Biểu 1”" in err and f"cell {ref}" in err
    assert 0 < peak < PEAK_MB, peak


def test_a_value_past_column_z_inside_the_limits_is_read_with_the_right_figures():
    # a remark typed in column AD of the data row: 30 columns wide, within every limit
    data = stray("AD2", "ghi chú của phòng")
    inputs = load(data)
    assert rows_of(inputs) == [("Sở Nội vụ", "Chuyên viên", 12, 10)]


def test_a_tall_table_is_still_refused_by_the_row_count_first():
    # 12 rows against a limit of 10 (+1,000 slack): the data rows are counted as before
    rows = [HEADER, *[[f"Đơn vị {i}", "Chuyên viên", 2, 1, 2.34] for i in range(12)]]
    (p,) = problems_of(xlsx(rows), limits=Limits(max_rows=10))
    assert (p.code, p.params["rows"]) == ("too_many_rows", 12)


def test_the_column_and_cell_limits_are_configurable(monkeypatch):
    data = stray("H2", "x")  # the table A:E and a note in H: 8 columns × 2 rows
    monkeypatch.setenv("PLANNER_MAX_COLUMNS", "7")
    (p,) = problems_of(data)
    assert (p.code, p.params["cell"], p.params["columns"], p.params["max_columns"]) == (
        "used_range_too_large", "H2", 8, 7)
    monkeypatch.setenv("PLANNER_MAX_COLUMNS", "8")
    assert rows_of(load(data)) == [("Sở Nội vụ", "Chuyên viên", 12, 10)]
    monkeypatch.setenv("PLANNER_MAX_CELLS", "15")  # 2 rows × 8 columns = 16 cells
    (p,) = problems_of(data)
    assert (p.code, p.params["max_cells"]) == ("used_range_too_large", 15)
    assert Limits.from_env().max_cells == 15


@pytest.fixture(scope="module")
def office_copies(tmp_path_factory) -> dict[str, Path]:
    """The stray-cell workbooks saved by LibreOffice as .ods and .xls (as an office would)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (Debian's libreoffice-calc) is needed: scripts/ensure-system-deps"
    folder = tmp_path_factory.mktemp("office")
    sources = {"o_xa.xlsx": stray("XFD5000", "x"), "xls_xa.xlsx": stray("IV65536", "x"),
               "gan.xlsx": stray("H2", "ghi chú")}
    for name, data in sources.items():
        (folder / name).write_bytes(data)
    profile = folder / "profile"
    for fmt, names in (("ods", ["o_xa.xlsx", "gan.xlsx"]), ("xls", ["xls_xa.xlsx", "gan.xlsx"])):
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", str(folder / fmt),
                        *[str(folder / n) for n in names]],
                       check=True, capture_output=True, timeout=240)
    return {"ods_far": folder / "ods" / "o_xa.ods", "xls_far": folder / "xls" / "xls_xa.xls",
            "ods_near": folder / "ods" / "gan.ods", "xls_near": folder / "xls" / "gan.xls"}


@pytest.mark.parametrize(("key", "cell"), [("ods_far", "XFD5000"), ("xls_far", "IV65536")])
def test_ods_and_xls_stray_cells_are_refused_in_bounded_memory(office_copies, key, cell):
    # calamine reads every sheet of these formats when it opens the file (5 GB for the ODS,
    # 1 GB for the XLS before the fix): they are scanned first
    path = office_copies[key]
    code, _, err, peak = cli("validate", "--quotas", str(path), "--lang", "en")
    assert code == 2, err
    assert f"{path.name}, sheet “Biểu 1”" in err and f"cell {cell}" in err
    assert "Traceback" not in err and 0 < peak < PEAK_MB, peak


@pytest.mark.parametrize("key", ["ods_near", "xls_near"])
def test_ods_and_xls_with_a_note_near_the_table_load(office_copies, key):
    inputs = load(office_copies[key].read_bytes(), name=office_copies[key].name)
    assert rows_of(inputs) == [("Sở Nội vụ", "Chuyên viên", 12, 10)]


def shared_string_bomb(cells: int, chars: int) -> bytes:
    """A valid XLSX whose ``cells`` cells (two per row) all show one ``chars``-long shared
    string: a few KB zipped, ``cells × chars`` bytes once each cell holds its own copy."""
    template = zipfile.ZipFile(io.BytesIO(xlsx(GOOD)))
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in template.infolist():
            data = template.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", (
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>"))
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>'))
            elif info.filename == "xl/worksheets/sheet1.xml":
                rows = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="B%d" t="s">'
                                b"<v>0</v></c></row>" % (r, r, r)
                                for r in range(1, cells // 2 + 1))
                data = b"<worksheet " + ns + b"><sheetData>" + rows + b"</sheetData></worksheet>"
            z.writestr(info.filename, data)
        z.writestr("xl/sharedStrings.xml", b"<sst " + ns + b' count="1" uniqueCount="1"><si><t>'
                   + b"x" * chars + b"</t></si></sst>")
    return out.getvalue()


def test_one_long_shared_string_in_every_cell_is_refused_before_reading(tmp_path):
    # 400,000 cells × 30,000 characters: 12 GB of copies from a file of about 1 MB
    data = shared_string_bomb(400_000, 30_000)
    assert len(data) < 2 * 2**20
    path = tmp_path / "chu_lap.xlsx"
    path.write_bytes(data)
    code, _, err, peak = cli("validate", "--quotas", str(path), "--lang", "en")
    assert code == 2, err
    assert "chu_lap.xlsx, sheet “Biểu 1”: The sheet repeats the same text" in err
    assert "Traceback" not in err and 0 < peak < PEAK_MB, peak


def test_shared_strings_in_an_ordinary_workbook_are_read():
    # the same string in many cells, as offices type unit names, within the budget
    data = shared_string_bomb(2_000, 200)
    grid = next(read_sheets(SourceFile("lap.xlsx", data)))
    assert len(grid.rows) == 1_000 and grid.rows[-1] == ["x" * 200] * 2


# --- 2. devices and other non-files -------------------------------------------------------------


def test_dev_zero_is_read_only_up_to_the_size_limit():
    code, out, err, peak = cli("validate", "--quotas", "/dev/zero", "--lang", "en")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "/dev/zero: The file is larger than the limit of 50 MB (PLANNER_MAX_FILE_MB)" in err
    # the 50 MB + 1 byte read, no more (it read 2.4 GB before failing with MemoryError)
    assert 0 < peak < PEAK_MB, peak


def test_a_scenario_file_is_read_only_up_to_the_size_limit():
    # `solve --scenario /dev/zero` read without a limit too
    code, _out, err, peak = cli("solve", "--scenario", "/dev/zero", "--out", "/tmp/never.csv",
                                "--lang", "en")
    assert code == 2 and "Traceback" not in err
    assert "/dev/zero: The file is larger than the limit of 50 MB" in err
    assert 0 < peak < PEAK_MB, peak


def test_a_pipe_is_read_like_a_file(tmp_path):
    # process substitution and `--quotas /dev/stdin` hand the planner a pipe
    data = csv_bytes([HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, "2,34"]])
    r = subprocess.run([sys.executable, "-m", "planner", "validate", "--quotas", "/dev/stdin",
                        "--lang", "en"], cwd=ROOT, input=data, capture_output=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert b"1 units, 1 positions; quota 12, on board 10" in r.stdout


def test_a_pipe_above_the_limit_is_refused(monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_FILE_MB", "0.1")  # 104,857 bytes
    read_end, write_end = os.pipe()

    def feed() -> None:
        with os.fdopen(write_end, "wb") as fh, contextlib.suppress(BrokenPipeError):
            fh.write(b"a,b\n" * 40_000)  # 160,000 bytes

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        with pytest.raises(InputError) as info:
            load_path(f"/dev/fd/{read_end}")
    finally:
        os.close(read_end)
        writer.join(timeout=10)
    assert [(p.code, p.params["limit_mb"]) for p in info.value.errors] == [
        ("file_too_large_unsized", 0.1)]


def load_path(path: str):
    from planner.io.inputs import load_inputs

    return load_inputs(path)


# --- 3. scenario files --------------------------------------------------------------------------

ROW = "[[rows]]\nunit_id = 'S01'\nposition_id = 'P1'\n"
UNIT = "[[units]]\nunit_id = 'S01'\n"
#: file text, what the message must say
SCENARIOS = [
    ("a = " + "[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ("a = " + "{b = " * 50_000 + "1" + "}" * 50_000, "nested too deeply"),
    (ROW + "priority = 'cao'", "priority must be a number above 0"),
    (ROW + "min_hires = 1.5", "min_hires must be a whole number of at least 0"),
    (ROW + "max_hires = inf", "max_hires must be a whole number of at least 0"),
    (ROW + "min_hires = -3", "min_hires must be a whole number of at least 0 (at most "
                             "1,000,000), got -3"),
    (ROW + "priority = nan", "priority must be a number above 0"),
    (ROW + "min_hires = 3\nmax_hires = 2", "min_hires (3) is above max_hires (2)"),
    (ROW + "colour = 'red'", "rows entry 1: unknown key(s) 'colour'"),
    ("[[rows]]\nposition_id = 'P1'", "rows entry 1: missing unit_id"),
    ("[[rows]]\nunit_id = 5\nposition_id = 'P1'", "unit_id must be a code written as text"),
    ("rows = [1, 2]", "rows entry 1: must be a table"),
    ("[rows]\nunit_id = 'S01'", "rows must be an array of tables"),
    (UNIT + "max_hires = 'x'", "units entry (unit_id 'S01'): max_hires must be a whole number"),
    (UNIT + "budget_cap = nan", "budget_cap must be an amount of at least 0 đồng"),
    (UNIT + "budget_cap = -1", "budget_cap must be an amount of at least 0 đồng"),
    (UNIT + "min_fill = nan", "min_fill must be between 0 and 1"),
    ("min_fill = nan", "min_fill must be a number"),
    ("total_budget = inf", "total_budget must be a number"),
]


@pytest.mark.parametrize(("text", "says"), SCENARIOS, ids=[f"s{i}" for i in range(len(SCENARIOS))])
def test_a_bad_scenario_file_is_a_scenario_error_naming_the_culprit(text, says):
    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml(text)
    assert says in str(info.value)


def test_whole_numbers_written_with_a_decimal_point_are_kept_as_whole_numbers():
    s = Scenario.from_toml(ROW + "min_hires = 2.0\nmax_hires = 4\npriority = 3\n"
                           + UNIT + "max_hires = 5.0\nbudget_cap = 1_000_000\nmin_fill = 0.5")
    (row,), (unit,) = s.rows, s.units
    assert (row.min_hires, row.max_hires, row.priority) == (2, 4, 3.0)
    assert type(row.min_hires) is int and type(unit.max_hires) is int
    assert (unit.max_hires, unit.budget_cap, unit.min_fill) == (5, 1e6, 0.5)
    assert Scenario.from_toml(s.to_toml()) == s


@pytest.mark.parametrize(("text", "says"), [SCENARIOS[i] for i in (0, 2, 3, 4, 5, 13, 14, 16)],
                         ids=["deep", "priority_cao", "min_1.5", "max_inf", "min_-3",
                              "unit_max_x", "cap_nan", "fill_nan"])
def test_the_cli_exits_2_with_the_message_for_each_bad_scenario_file(tmp_path, text, says):
    path = tmp_path / "kich_ban.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err, _ = cli("solve", "--scenario", str(path), "--out",
                            str(tmp_path / "plan.csv"), "--lang", "en")
    assert code == 2, err
    assert "Traceback" not in err and says in err
    assert not (tmp_path / "plan.csv").exists()


# --- 4. messages ----------------------------------------------------------------------------------


def test_a_csv_with_mac_line_endings_is_read_row_by_row():
    rows = [HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, "2,34"],
            ["Sở Tư pháp", "Văn thư", 3, 3, "1,86"]]
    data = csv_bytes(rows).replace(b"\r\n", b"\r")
    assert b"\n" not in data
    inputs = load(data, name="mac.csv")
    assert rows_of(inputs) == [("Sở Nội vụ", "Chuyên viên", 12, 10),
                               ("Sở Tư pháp", "Văn thư", 3, 3)]
    assert list(inputs.positions["source_row"]) == [2, 3]


def test_a_mac_csv_through_the_cli(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(csv_bytes([HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, "2,34"]])
                     .replace(b"\r\n", b"\r"))
    code, out, err, _ = cli("validate", "--quotas", str(path), "--lang", "en")
    assert code == 0, err
    assert "quota 12, on board 10" in out


def test_invisible_characters_in_a_number_are_shown_in_the_message():
    rows = [HEADER, ["Sở Y tế", "Bác sĩ", "\ufeff12", 3, "1,86"],
            ["Sở Tư pháp", "Văn thư", "1\u200b2", 3, "1,86"],
            ["Sở Nội vụ", "Chuyên viên", "12\x00", 3, "1,86"]]
    problems = sorted(problems_of(csv_bytes(rows), name="q.csv"), key=lambda p: p.row)
    assert [(p.row, p.code, p.value) for p in problems] == [
        (2, "not_a_number", "[U+FEFF]12"), (3, "not_a_number", "1[U+200B]2"),
        (4, "control_in_number", "12")]
    assert "“[U+FEFF]12” is not a number" in problem_line(problems[0], "en")
    assert "«[U+FEFF]12» không phải là số" in problem_line(problems[0], "vi")
    assert "invisible control character" in problem_line(problems[2], "en")


def test_visible_writes_each_invisible_character_as_its_code_point():
    assert visible("Sở Nội vụ 12,5") == "Sở Nội vụ 12,5"
    assert visible("a\u00a0b\tc\u2028\u202e") == "a[U+00A0]b[U+0009]c[U+2028][U+202E]"
    assert visible("😀") == "😀"


def test_names_without_a_letter_are_refused_naming_their_rows():
    rows = [HEADER, ["😀", "Chuyên viên", 12, 10, "2,34"], ["🏥", "Văn thư", 3, 3, "1,86"],
            ["Sở Y tế", "★★", 4, 2, "2,34"], ["Sở Tư pháp", "Kế toán", 1, 1, "2,34"]]
    problems = problems_of(csv_bytes(rows), name="q.csv")
    assert sorted((p.row, p.column, p.value) for p in problems
                  if p.code == "name_without_letters") == [
        (2, "A · Tên đơn vị", "😀"), (3, "A · Tên đơn vị", "🏥"), (4, "B · Vị trí việc làm", "★★")]
    assert "no letter or digit" in problem_line(problems[0], "en")


def test_names_with_letters_and_emoji_still_load():
    rows = [HEADER, ["Sở Nội vụ 🏛", "Chuyên viên", 12, 10, "2,34"]]
    assert rows_of(load(csv_bytes(rows), name="q.csv")) == [
        ("Sở Nội vụ 🏛", "Chuyên viên", 12, 10)]


# --- 5. one upload parsed at a time ---------------------------------------------------------------


def test_uploads_are_read_one_at_a_time_per_process():
    from planner.ui.data_page import PARSE_LOCK, one_upload_at_a_time

    spans: list[tuple[str, float, float]] = []

    def read(who: str, seconds: float) -> None:
        with one_upload_at_a_time():
            start = time.monotonic()
            load(xlsx(GOOD))  # a real read while holding the turn
            time.sleep(seconds)
            spans.append((who, start, time.monotonic()))

    threads = [threading.Thread(target=read, args=(f"officer {i}", 0.3)) for i in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert len(spans) == 3 and not PARSE_LOCK.locked()
    spans.sort(key=lambda s: s[1])
    for (_, _, end), (_, start, _) in itertools.pairwise(spans):
        assert start >= end  # the next read began after the previous one ended

"""The CLI against careless and hostile use (issue 17): scenario files that cannot be injected,
writes that are all or nothing, terminal escapes, half-done commands, damaged stores, secrets.

Commands run as a user runs them (``python -m planner ...`` in a subprocess) where the process
matters (exit codes, a file-size limit, what reaches the terminal); in-process otherwise.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.scenario import Scenario
from planner.export.scenario_file import saved_record, scenario_toml
from planner.store import ScenarioStore
from tests.store_backends import sample_inputs, solved, store_url  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s3cr3t-Pa55"
INJECTED_AUTHOR = "Lan\ntotal_budget = 1000000000\n# "
ESCAPES = "\x1b[2J\x1b]0;pwned\x07"  # clear the screen, set the window title


def cli(*args: str, env: dict | None = None, limit: int | None = None,
        cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m planner ARGS``; ``limit`` caps the size of any file it writes (bytes)."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=cwd, env=full_env,
                          capture_output=True, timeout=600,
                          preexec_fn=cap if limit else None)


def out_err(r: subprocess.CompletedProcess) -> str:
    return (r.stdout + r.stderr).decode("utf-8")


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'scenarios.db'}"


# --- 1. secrets in database URLs -------------------------------------------------------------

@pytest.mark.parametrize("url", [f"postgresql+psycopg//lan:{SECRET}@db.example/planner",
                                 f"postgresql://lan:{SECRET}@db.example:54x2/planner"])
def test_a_mistyped_database_url_is_exit_2_and_shows_no_secret(url, tmp_path):
    for args, env in ((["scenarios", "list"], {"PLANNER_DATABASE_URL": url}),
                      (["scenarios", "list", "--database", url], None),
                      (["compare", "A", "B", "--database", url], None),
                      (["solve", "--out", str(tmp_path / "p.csv"), "--save", "X",
                        "--database", url], None)):
        r = cli(*args, env=env)
        text = out_err(r)
        assert r.returncode == 2, text
        assert SECRET not in text and "db.example" not in text
        assert "PLANNER_DATABASE_URL" in text and "Traceback" not in text
    assert not (tmp_path / "p.csv").exists()  # checked before the solve


def test_a_reachable_url_is_printed_with_its_password_hidden(sqlite_url, capsys):
    from planner.cli import main

    assert main(["scenarios", "list", "--database", sqlite_url]) == 0
    assert "scenarios.db" in capsys.readouterr().out  # the CLI user may see their own file
    bad = f"postgresql+psycopg://lan:{SECRET}@127.0.0.1:1/none?connect_timeout=2"
    assert main(["scenarios", "list", "--database", bad]) == 2
    err = capsys.readouterr().err
    assert SECRET not in err and "***" in err


# --- 2. scenario files cannot be injected ----------------------------------------------------

def test_an_author_cannot_inject_a_parameter_into_the_export(store_url, solved, tmp_path):  # noqa: F811
    from planner.api import solve as solve_scenario

    inputs, scenario, allocation = solved
    note = "dòng 1\ndòng 2\x0b\x1b[31m\x7f\x85\u2028[budgets]\r\nstate_budget = 1"
    store = ScenarioStore(store_url)
    info = store.save("Mẫu", scenario, allocation=allocation, inputs=inputs,
                      author=INJECTED_AUTHOR.strip(), note=note)
    store.close()
    out = tmp_path / "mau.toml"
    r = cli("scenarios", "export", "Mẫu", "--out", str(out), "--database", store_url)
    assert r.returncode == 0, out_err(r)
    text = out.read_text(encoding="utf-8")
    assert not _odd_characters(text)
    again = Scenario.from_toml(text)
    assert again == scenario  # no parameter added, none changed
    assert tomllib.loads(text).get("total_budget") == scenario.total_budget
    record = saved_record(text)
    assert record["author"] == INJECTED_AUTHOR.strip() and record["note"] == note
    assert record["name"] == "Mẫu" and record["id"] == info.id
    assert [f["name"] for f in record["inputs"]] == [f.name for f in inputs.files]
    resolved = solve_scenario(inputs, again, explain=False)
    assert resolved.total_hires == allocation.total_hires
    assert resolved.plan["hires"].tolist() == allocation.plan["hires"].tolist()


def _odd_characters(text: str) -> list[str]:
    """Characters of an exported file that could end a line or act on a terminal."""
    return [ch for ch in text if (ord(ch) < 32 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F
            or ch in "\u2028\u2029\u202e"]


free_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    max_size=60)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=free_text, author=free_text, note=free_text)
def test_any_name_author_and_note_round_trip_through_save_export_and_read(
        tmp_path, name, author, note):
    from planner.store.names import normal_name

    scenario = Scenario(budgets={"state_budget": 4.2e10}, min_fill=0.25)
    store = ScenarioStore(f"sqlite:///{tmp_path / 'h.db'}")
    try:
        if not normal_name(name):
            name = "x" + name
        info = store.save(name, scenario, author=author, note=note, replace=True)
        assert info.name == normal_name(name)
        stored = store.get(info.id, tables=False)
        assert (stored.info.author, stored.info.note) == (author.strip(), note)
        text = scenario_toml(stored)
        assert not _odd_characters(text)  # one value per line, nothing for a terminal
        assert Scenario.from_toml(text) == scenario  # solving it gives the same plan
        record = saved_record(text)
        assert (record["name"], record["author"], record["note"]) == \
            (stored.name, stored.info.author, stored.info.note)
        store.delete(info.id)
    finally:
        store.close()


# --- 3. atomic writes ------------------------------------------------------------------------

def _good_xlsx(path: Path) -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "kế hoạch cũ, còn tốt"
    wb.save(path)
    return path.read_bytes()


def _no_temp_left(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_plan_rewritten_under_a_size_limit_leaves_the_old_file_intact(tmp_path):
    plan = tmp_path / "plan.xlsx"
    before = _good_xlsx(plan)
    r = cli("solve", "--out", str(plan), "--no-explain", limit=64 * 1024)
    text = out_err(r)
    assert r.returncode == 2, text
    assert "\nLỗi: Không ghi được tệp «" in "\n" + r.stderr.decode() and "plan.xlsx" in text
    assert "Lỗi: :" not in text
    assert plan.read_bytes() == before
    assert openpyxl.load_workbook(plan)["Sheet"]["A1"].value == "kế hoạch cũ, còn tốt"
    _no_temp_left(tmp_path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_gaps_rewritten_under_a_size_limit_leaves_the_old_file_intact(tmp_path, suffix):
    out = tmp_path / f"gaps{suffix}"
    out.write_bytes(b"old good bytes\r\n" * 10)
    before = out.read_bytes()
    r = cli("gaps", "--out", str(out), limit=8 * 1024)
    assert r.returncode == 2, out_err(r)
    assert out.read_bytes() == before
    _no_temp_left(tmp_path)
    r = cli("gaps", "--out", str(out))  # without the limit the new file replaces it whole
    assert r.returncode == 0 and out.read_bytes() != before


def test_an_export_and_a_comparison_rewritten_under_a_size_limit_stay_intact(tmp_path, solved):  # noqa: F811
    inputs, scenario, allocation = solved
    url = f"sqlite:///{tmp_path / 's.db'}"
    store = ScenarioStore(url)
    store.save("A", scenario, allocation=allocation, inputs=inputs, note="n" * 100_000)
    store.save("B", scenario.with_changes(min_fill=0.5), allocation=allocation, inputs=inputs)
    store.close()
    out = tmp_path / "out"
    out.mkdir()
    toml_file, xlsx = out / "a.toml", out / "so_sanh.xlsx"
    toml_file.write_text("# a good old export\nmin_fill = 0.1\n", encoding="utf-8")
    old_toml, old_xlsx = toml_file.read_bytes(), _good_xlsx(xlsx)
    # an open reader keeps SQLite's shared-memory file (32 KiB) in place, so the limit below
    # stops the commands' own output (a 100 kB note; a ~22 kB workbook), not their store
    keep = sqlite3.connect(tmp_path / "s.db")
    keep.execute("SELECT count(*) FROM scenarios").fetchone()
    try:
        r = cli("scenarios", "export", "A", "--out", str(toml_file), "--database", url,
                limit=64 * 1024)
        assert r.returncode == 2 and "Không ghi được tệp «" in out_err(r), out_err(r)
        r = cli("compare", "A", "B", "--out", str(xlsx), "--database", url, limit=12 * 1024)
        assert r.returncode == 2 and "Không ghi được tệp «" in out_err(r), out_err(r)
    finally:
        keep.close()
    assert toml_file.read_bytes() == old_toml and xlsx.read_bytes() == old_xlsx
    _no_temp_left(out)


def test_write_atomic_keeps_the_mode_of_a_rewritten_file_and_writes_through_devices(tmp_path):
    from planner.export.files import write_atomic

    target = tmp_path / "x.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    write_atomic("/dev/null", b"discarded")  # a device is written, not replaced
    assert Path("/dev/null").is_char_device()
    _no_temp_left(tmp_path)


# --- 5. terminal escapes ---------------------------------------------------------------------

def test_names_with_escape_sequences_are_printed_escaped(sqlite_url, tmp_path):
    store = ScenarioStore(sqlite_url)
    info = store.save(f"Mẫu{ESCAPES}", Scenario(), author=f"Lan{ESCAPES}",
                      note=f"ghi chú{ESCAPES}\ndòng hai\u202e")
    store.close()
    for args in (["scenarios", "list"], ["scenarios", "show", str(info.id)],
                 ["scenarios", "rename", str(info.id), f"Mới{ESCAPES}"],
                 ["scenarios", "delete", str(info.id)],
                 ["scenarios", "show", f"Mới{ESCAPES}"]):
        r = cli(*args, "--database", sqlite_url)
        raw = r.stdout + r.stderr
        assert b"\x1b" not in raw and b"\x07" not in raw and "\u202e".encode() not in raw, args
        assert "\\x1b[2J\\x1b]0;pwned\\x07" in out_err(r), (args, out_err(r))


def test_solve_save_prints_the_saved_name_escaped(sqlite_url, tmp_path):
    r = cli("solve", "--out", str(tmp_path / "p.csv"), "--no-explain",
            "--save", f"Tên{ESCAPES}", "--database", sqlite_url)
    assert r.returncode == 0, out_err(r)
    assert b"\x1b" not in r.stdout + r.stderr and "Tên\\x1b[2J" in out_err(r)


# --- 6. half-done commands -------------------------------------------------------------------

def test_an_unwritable_output_saves_nothing(sqlite_url, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    (tmp_path / "d.csv").mkdir()
    for outs in (["--out", str(blocker / "plan.xlsx")],                 # inside a file
                 ["--out", str(tmp_path / "no" / "such" / "plan.csv")],  # no such folder
                 ["--out", str(tmp_path / "p.csv"), "--summary", str(blocker / "s.json")],
                 ["--out", str(tmp_path / "d.csv")]):                     # a folder
        r = cli("solve", *outs, "--save", "X", "--database", sqlite_url)
        text = out_err(r)
        assert r.returncode == 2, text
        assert text.startswith("Lỗi: Không ghi được tệp «"), text
        assert ScenarioStore(sqlite_url).list() == []
    assert not (tmp_path / "p.csv").exists()


def test_a_name_already_taken_is_refused_before_the_solve(sqlite_url, tmp_path):
    ScenarioStore(sqlite_url).save("Mẫu", Scenario())
    nfd = "Ma\u0302\u0303u"  # the same name typed with combining accents
    r = cli("solve", "--out", str(tmp_path / "p.csv"), "--save", nfd, "--database", sqlite_url)
    assert r.returncode == 2 and "Đã có phương án tên «Mẫu»" in out_err(r), out_err(r)
    assert not (tmp_path / "p.csv").exists()  # refused before any solve or write
    assert len(ScenarioStore(sqlite_url).list()) == 1


# --- 7. damaged stored plans and parameters --------------------------------------------------

def test_a_damaged_store_gives_exit_2_naming_the_scenario(tmp_path, solved):  # noqa: F811
    inputs, scenario, allocation = solved
    db = tmp_path / "s.db"
    url = f"sqlite:///{db}"
    store = ScenarioStore(url)
    good = store.save("Tốt", scenario, allocation=allocation, inputs=inputs)
    plan = store.save("Kế hoạch hỏng", scenario, allocation=allocation, inputs=inputs)
    params = store.save("Tham số hỏng", scenario, allocation=allocation, inputs=inputs)
    row = store.save("Dòng hỏng", Scenario())
    store.close()
    with sqlite3.connect(db) as con:
        con.execute("UPDATE scenario_tables SET payload = x'00ff' WHERE scenario_id = ? "
                    "AND kind = 'plan'", (plan.id,))
        con.execute("UPDATE scenarios SET parameters = '{\"min_fill\": ' WHERE id = ?",
                    (params.id,))
        con.execute("UPDATE scenarios SET created_at = 'không rõ' WHERE id = ?", (row.id,))
    r = cli("scenarios", "list", "--database", url)
    text = out_err(r)
    assert r.returncode == 0, text
    for name in ("Tốt", "Kế hoạch hỏng", "Tham số hỏng", "Dòng hỏng"):
        assert name in r.stdout.decode()
    assert "HỎNG" in r.stdout.decode() and f"«Dòng hỏng» (mã {row.id}) bị hỏng" in text
    for args, name in ((["scenarios", "show", "Kế hoạch hỏng", "--plan-out",
                         str(tmp_path / "k.csv")], "Kế hoạch hỏng"),
                       (["scenarios", "show", "Tham số hỏng"], "Tham số hỏng"),
                       (["scenarios", "export", "Dòng hỏng", "--out", "-"], "Dòng hỏng"),
                       (["compare", "Tốt", "Kế hoạch hỏng"], "Kế hoạch hỏng"),
                       (["compare", "Tham số hỏng", "Tốt"], "Tham số hỏng")):
        r = cli(*args, "--database", url)
        text = out_err(r)
        assert r.returncode == 2, (args, text)
        assert f"«{name}»" in text and "bị hỏng" in text and "Traceback" not in text, text
    assert not (tmp_path / "k.csv").exists()
    r = cli("scenarios", "delete", "Dòng hỏng", "--yes", "--database", url)
    assert r.returncode == 0, out_err(r)
    assert good.id in {i.id for i in ScenarioStore(url).list()}


# --- 9. messages -----------------------------------------------------------------------------

def test_a_write_error_reads_error_colon_message(tmp_path):
    r = cli("gaps", "--out", str(tmp_path / "missing" / "g.csv"), "--lang", "en")
    assert r.returncode == 2
    assert r.stderr.decode().startswith("Error: Cannot write"), r.stderr.decode()

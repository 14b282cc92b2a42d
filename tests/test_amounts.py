"""Amounts typed the Vietnamese way (issue 13, item 1): one parser for the app and the CLI.

Expected values are written out as the officer means them (2,5 tỷ is 2 500 000 000 đồng),
never computed by the parser.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planner.io.amounts import AmountError, Unit, echo, parse_amount, typed

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("text", "unit", "expected"), [
    # a field in tỷ đồng: a decimal comma or point
    ("2,5", Unit.BILLION, 2_500_000_000),
    ("2.5", Unit.BILLION, 2_500_000_000),
    ("60", Unit.BILLION, 60_000_000_000),
    (" 0,75 ", Unit.BILLION, 750_000_000),
    ("0,500", Unit.BILLION, 500_000_000),  # no group of thousands starts with 0
    ("60 tỷ", Unit.BILLION, 60_000_000_000),
    ("500 triệu", Unit.BILLION, 500_000_000),
    ("2,5 tỷ đồng", Unit.BILLION, 2_500_000_000),
    # a field in đồng: thousands grouped by dots, spaces (also no-break) or commas
    ("2.340.000", Unit.DONG, 2_340_000),
    ("2 340 000", Unit.DONG, 2_340_000),
    ("2\u00a0340\u00a0000", Unit.DONG, 2_340_000),
    ("2,340,000", Unit.DONG, 2_340_000),
    ("2.530.000 đ", Unit.DONG, 2_530_000),
    ("2530000", Unit.DONG, 2_530_000),
    ("2,53 triệu", Unit.DONG, 2_530_000),
    ("2,5tr", Unit.DONG, 2_500_000),
    ("1.500", Unit.DONG, 1_500),  # whole đồng: a lone group of three is thousands
    ("1.234.567,5", Unit.DONG, 1_234_567.5),
    ("1,234,567.5", Unit.DONG, 1_234_567.5),
    ("60 tỷ", Unit.DONG, 60_000_000_000),
    ("60e9", Unit.DONG, 60_000_000_000),
    ("60.000.000.000", Unit.DONG, 60_000_000_000),
    ("60 tỷ đồng/năm", Unit.DONG, 60_000_000_000),
    # percent fields give a share
    ("30", Unit.PERCENT, 0.30),
    ("12,5", Unit.PERCENT, 0.125),
    ("12.5%", Unit.PERCENT, 0.125),
])
def test_amounts_as_officers_type_them(text, unit, expected):
    assert parse_amount(text, unit=unit) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_a_blank_field_is_no_value(text):
    assert parse_amount(text, unit=Unit.BILLION) is None


@pytest.mark.parametrize(("text", "unit", "code"), [
    ("1.500", Unit.BILLION, "ambiguous"),     # 1500 tỷ or 1,5 tỷ?
    ("1,500", Unit.BILLION, "ambiguous"),
    ("1.500 tỷ", Unit.DONG, "ambiguous"),
    ("2,500", Unit.PERCENT, "ambiguous"),
    ("2 5", Unit.DONG, "bad_grouping"),       # never 25
    ("2.34.000", Unit.DONG, "bad_grouping"),
    ("1.2.3", Unit.DONG, "bad_grouping"),
    ("nhiều", Unit.DONG, "not_a_number"),
    ("2,5 tỷ tỷ", Unit.DONG, "not_a_number"),
    ("-3", Unit.BILLION, "negative"),
    ("30%", Unit.BILLION, "percent_here"),
    ("5 tỷ", Unit.PERCENT, "not_a_share"),
])
def test_what_cannot_be_read_one_way_is_refused(text, unit, code):
    with pytest.raises(AmountError) as err:
        parse_amount(text, unit=unit)
    assert err.value.code == code
    message = err.value.message("vi")
    assert text.strip() in message and "amount." not in message


def test_an_ambiguous_amount_says_both_readings():
    with pytest.raises(AmountError) as err:
        parse_amount("1.500", unit=Unit.BILLION)
    assert "1500" in err.value.message("vi") and "1,5" in err.value.message("vi")


def test_bounds_name_the_limit():
    with pytest.raises(AmountError) as err:  # đồng typed into a field of tỷ
        parse_amount("60000000000", unit=Unit.BILLION, maximum=1e15)
    assert err.value.code == "too_large"
    with pytest.raises(AmountError) as err:  # "2,5" typed for a base salary
        parse_amount("2,5", unit=Unit.DONG, minimum=100_000)
    assert err.value.code == "too_small" and "100.000" in err.value.message("vi")


def test_the_field_says_back_what_it_understood():
    assert echo(2_500_000_000, Unit.BILLION, "vi") == "2,5 tỷ đ (2.500.000.000 đ)"
    assert echo(2_530_000, Unit.DONG, "vi") == "2.530.000 đ"
    # written back into a field, a value reads as itself (no ambiguous group of thousands)
    for value, unit in [(1_500e9, Unit.BILLION), (2.5e9, Unit.BILLION), (2_530_000, Unit.DONG),
                        (0.125, Unit.PERCENT)]:
        for lang in ("vi", "en"):
            assert parse_amount(typed(value, unit, lang), unit=unit) == pytest.approx(value)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_the_cli_reads_the_same_way(tmp_path):
    """--base-salary typed with spaces gives the same table as plain digits; an ambiguous
    budget is exit 2 with both readings, never a guess."""
    a = cli("gaps", "--base-salary", "2 340 000", "--out", "a.csv", cwd=tmp_path)
    b = cli("gaps", "--base-salary", "2340000", "--out", "b.csv", cwd=tmp_path)
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    c = cli("gaps", "--base-salary", "2.340", "--out", "c.csv", cwd=tmp_path)  # 2,340 đồng
    assert c.returncode == 0 and (tmp_path / "c.csv").read_bytes() != (tmp_path / "a.csv"
                                                                        ).read_bytes()
    r = cli("solve", "--budget", "state_budget=1.500 tỷ", "--out", "p.csv", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "1500" in r.stderr and "1,5" in r.stderr
    assert not (tmp_path / "p.csv").exists()

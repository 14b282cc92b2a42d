"""Property-based fuzzing of the readers and validators (issue 7, "Inputs").

Any byte string (as a CSV and as a would-be XLSX) and any DataFrame (columns drawn from the
real header aliases and junk, cells of mixed types) either loads into a valid table or raises
the project's own InputError, never another exception. A table that loads keeps the
contract: whole counts >= 0, no duplicate keys, and every non-blank row below the header is
either imported or listed as skipped (nothing dropped silently).

Examples per test are kept low (deadline off) so the suite stays quick; raise them with
``HYPOTHESIS_PROFILE_INPUTS=thorough`` for a longer run.
"""

import io
import os
import zipfile

import pandas as pd
from helpers_inputs import HEADER, csv_bytes, xlsx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from planner.domain.columns import ALL_COLUMNS, DOCUMENT_COLUMNS
from planner.domain.problems import InputError, Problem
from planner.domain.rules import StaffType
from planner.io.inputs import POSITION_COLUMNS, Inputs, load_inputs
from planner.io.sources import SourceFile

settings.register_profile("inputs", max_examples=120, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE_INPUTS", "inputs"))

ALIASES = sorted({a for c in ALL_COLUMNS.values() for a in (c.id, c.vi, c.en, *c.aliases)})
JUNK_HEADERS = ["Ghi chú", "Biên chế chưa sử dụng", "", "  ", "Cột 9", "STT", "(1)", "x"]
CELL_WORDS = ["Cộng", "Tổng cộng", "Công an tỉnh", "I", "II", "A", "(1)", "(2)", "2,34",
              "1.234", "12", "-3", "1,5", "0", "#REF!", "#DIV/0!", "=SUM(C2:C9)", "công chức",
              "viên chức", "hợp đồng", "xyz", "NSNN", "Phí, lệ phí", "Sở Nội vụ", "Sở Tư pháp",
              "Chuyên viên", "Văn thư", "Khối Sở, ban, ngành", "Người lập biểu", "25%", "",
              "   ", "nan", "inf", "1e400", "9" * 30, "\x00", "ngày 5 tháng 3 năm 2019"]

cells = st.one_of(
    st.none(),
    st.sampled_from(CELL_WORDS),
    st.integers(min_value=-(10**7), max_value=10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=15),
    st.booleans(),
    st.dates(),
)
headers = st.one_of(st.sampled_from(ALIASES), st.sampled_from(JUNK_HEADERS), st.text(max_size=12))


@st.composite
def grids(draw, *, cell=cells):
    """(header, rows): a header of 1-9 columns and up to 14 rows of that width."""
    header = draw(st.lists(headers, min_size=1, max_size=9))
    width = len(header)
    rows = draw(st.lists(st.lists(cell, min_size=width, max_size=width), max_size=14))
    return header, rows


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def check_loaded(inputs: Inputs, grid_rows: list[list] | None = None) -> None:
    """The contract of a table that loaded (``grid_rows``: every row as the reader saw it,
    header included, to check that no row disappeared)."""
    pos = inputs.positions
    # the contract's columns in order, then any optional document columns (issue 16) the
    # table carried
    assert list(pos.columns)[:len(POSITION_COLUMNS)] == POSITION_COLUMNS
    assert set(pos.columns[len(POSITION_COLUMNS):]) <= set(DOCUMENT_COLUMNS)
    for col in ("quota", "headcount", "expected_departures"):
        assert pos[col].dtype == "int64" and (pos[col] >= 0).all(), col
    keys = pos["unit_id"].str.lower() + "\x1f" + pos["position_id"].str.lower()
    assert not keys.duplicated().any()
    assert (pos["unit_name"].str.len() > 0).all() and (pos["position_name"].str.len() > 0).all()
    assert pos["staff_type"].isin([t.value for t in StaffType]).all()
    # a blank coefficient stays blank: the scenario's default for the staff type costs it
    # (issue 11 item 9); a coefficient given is a salary coefficient
    coef = pos["salary_coefficient"]
    assert (coef.isna() | ((coef > 0) & (coef <= 20))).all()
    assert (pos["priority"] > 0).all()
    assert pos["source_row"].is_unique
    assert all(isinstance(w, Problem) and not w.is_error for w in inputs.warnings)
    if grid_rows is None:
        return
    skipped = {s.row for s in inputs.skipped if s.kind != "blank"}
    imported = set(pos["source_row"])
    assert not (skipped & imported)
    non_blank = {i + 1 for i, r in enumerate(grid_rows) if not all(_is_blank(v) for v in r)}
    unaccounted = sorted(non_blank - skipped - imported)
    # only the header (one or two rows, above every imported row) is neither data nor skipped
    assert 1 <= len(unaccounted) <= 2, unaccounted
    assert unaccounted == list(range(unaccounted[0], unaccounted[-1] + 1))
    assert unaccounted[-1] < min(imported)
    blank = sum(int(s.text) for s in inputs.skipped if s.kind == "blank")
    below = [r for r in range(unaccounted[-1] + 1, len(grid_rows) + 1) if r not in non_blank]
    assert blank == len(below)


def check_refused(exc: InputError) -> None:
    assert exc.errors, "an InputError carries at least one error"
    assert all(isinstance(p, Problem) for p in exc.problems)
    for lang in ("vi", "en"):  # every problem renders, in both languages
        assert exc.render(lang)
        assert len(exc.table(lang)) == len(exc.problems)


def attempt(load, grid_rows=None) -> None:
    try:
        inputs = load()
    except InputError as exc:
        check_refused(exc)
        event(f"refused: {exc.errors[0].code}")
        return
    event("loaded")
    check_loaded(inputs, grid_rows)


# --- bytes ------------------------------------------------------------------------------------


@PROFILE
@given(st.binary(max_size=3000))
def test_any_bytes_as_a_csv(data):
    attempt(lambda: load_inputs(SourceFile("fuzz.csv", data)))


@PROFILE
@given(st.binary(max_size=3000))
def test_any_bytes_after_a_zip_signature(data):
    attempt(lambda: load_inputs(SourceFile("fuzz.xlsx", b"PK\x03\x04" + data)))


VALID_BOOK = xlsx([["BIỂU"], HEADER, ["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34],
                   ["Sở Tư pháp", "Văn thư", 3, 3, 1.86], ["Tổng cộng", None, 15, 13]])


@PROFILE
@given(st.lists(st.tuples(st.integers(0, len(VALID_BOOK) - 1), st.integers(0, 255)),
                min_size=1, max_size=8),
       st.integers(min_value=1, max_value=len(VALID_BOOK)))
def test_a_real_workbook_with_flipped_bytes_or_cut_short(flips, keep):
    data = bytearray(VALID_BOOK)
    for at, byte in flips:
        data[at] = byte
    attempt(lambda: load_inputs(SourceFile("fuzz.xlsx", bytes(data[:keep]))))


SHEET_PATH = "xl/worksheets/sheet1.xml"


@PROFILE
@given(st.binary(max_size=2000))
def test_a_workbook_whose_sheet_xml_is_garbage(xml):
    src = zipfile.ZipFile(io.BytesIO(VALID_BOOK))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info, xml if info.filename == SHEET_PATH else src.read(info))
    attempt(lambda: load_inputs(SourceFile("fuzz.xlsx", out.getvalue())))


# --- tables -----------------------------------------------------------------------------------


@PROFILE
@given(grids())
def test_any_dataframe(grid):
    header, rows = grid
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(
        columns=header, dtype=object)
    grid_rows = [list(map(str, header)), *[list(r) for r in rows]]
    attempt(lambda: load_inputs(frame), grid_rows)


CONTRACT = ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt",
            "Hệ số lương", "Loại", "Dự kiến nghỉ"]


def _row(clean: bool):
    """A data row of the contract; ``clean=False`` mixes in mistakes, groups and totals."""

    def cell(valid, *odd):
        return valid if clean else st.one_of(valid, st.sampled_from(odd))

    counts = st.integers(0, 60).map(str)
    return st.tuples(
        cell(st.integers(1, 99).map(str), "", "I", "II", "A", "(1)"),
        cell(st.integers(0, 40).map(lambda n: f"Đơn vị số {n}"), "Công an tỉnh", "Cộng",
             "Tổng cộng", "Khối Sở, ban, ngành", "", "Người lập biểu", "CONG AN TINH"),
        cell(st.sampled_from(["Chuyên viên", "Kế toán", "Bác sĩ", "Văn thư", "Giáo viên"]), ""),
        cell(counts, "1.234", "", "-1", "2,5", "mười", "=A1", "#REF!"),
        cell(counts, "", "1,5", "abc", "1e9"),
        cell(st.sampled_from(["2,34", "1,86", "2.34", "4,40"]), "", "0", "abc", "25"),
        cell(st.sampled_from(["công chức", "Viên chức", "hợp đồng", "VC", ""]), "xyz"),
        cell(st.integers(0, 5).map(str), "", "-2"),
    ).map(list)


contract_row = st.one_of(*[_row(True)] * 6, _row(False))
furniture = st.sampled_from([["BIỂU TỔNG HỢP BIÊN CHẾ"], [], ["UBND TỈNH", "", "", "CỘNG HÒA"]])


@PROFILE
@given(st.lists(contract_row, max_size=14), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), st.lists(furniture, max_size=3),
       st.booleans())
def test_any_csv_with_the_contract_header(rows, sep, encoding, above, column_numbers):
    """Plausible tables (the contract's header, mostly sensible cells, some mistakes, group and
    total rows): many load, so the invariants of a loaded table are exercised as well as the
    refusals."""
    numbers = [[f"({i})" for i in range(1, 9)]] if column_numbers else []
    table = [*above, CONTRACT, *numbers, *rows]
    data = csv_bytes(table, sep=sep, encoding=encoding)
    grid_rows = [[c if c != "" else None for c in r] for r in table]
    attempt(lambda: load_inputs(SourceFile("fuzz.csv", data)), grid_rows)


@PROFILE
@given(st.lists(st.tuples(st.sampled_from(["Sở Nội vụ", "Sở Y tế", "UBND huyện Cam Lâm"]),
                          st.sampled_from(["Chuyên viên", "Kế toán", "Bác sĩ", "Văn thư"]),
                          st.integers(0, 40), st.integers(0, 45), st.integers(0, 5)),
                min_size=1, max_size=12))
def test_valid_looking_tables_load_with_their_own_totals(records):
    """Tables of whole numbers: they load exactly when (unit, position) is not repeated, and
    then the totals after import equal the typed rows."""
    rows = [[u, p, q, h, d, 2.34] for u, p, q, h, d in records]
    header = ["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt", "Dự kiến nghỉ",
              "Hệ số lương"]
    keys = [(u, p) for u, p, *_ in records]
    try:
        inputs = load_inputs(SourceFile("t.xlsx", xlsx([header, *rows])))
    except InputError as exc:
        assert len(set(keys)) < len(keys)
        assert {p.code for p in exc.errors} == {"duplicate_key"}
        return
    assert len(set(keys)) == len(keys)
    check_loaded(inputs)
    assert int(inputs.positions["quota"].sum()) == sum(r[2] for r in records)
    assert int(inputs.positions["headcount"].sum()) == sum(r[3] for r in records)

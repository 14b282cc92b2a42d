"""Every number format officers type, with the value expected (issue 18).

The rule (planner/io/numbers.py, docs/data-contract.md): Vietnamese offices group thousands
with dots and write decimals with a comma ("1.234.567", "2,34"); English-set machines do the
opposite ("1,234,567", "2.34"). A lone separator is read by the column: in counts and money a
count or an amount of đồng cannot be fractional, so "1.234" and "1,234" are thousands; in
coefficients, rates and weights they are decimals. "25%" is a share (0.25). Currency marks
(đ, ₫, VND, đồng) and spaces between digit groups are ignored. Excel error values, formulas
kept as text and dates are not numbers and say why.
"""

import datetime as dt

import pandas as pd
import pytest

from planner.domain.columns import Kind
from planner.io.numbers import (
    DATE_IN_NUMBER,
    EXCEL_ERROR,
    FORMULA,
    NOT_A_NUMBER,
    cell_text,
    parse_cell,
    parse_column,
    parse_number,
    text_value,
)

BLANK = (None, None)


def value(text, kind):
    number, reason = parse_number(text, kind)
    assert reason is None, (text, kind, reason)
    return number


@pytest.mark.parametrize(
    ("typed", "kind", "expected"),
    [
        # whole numbers, any column
        ("12", Kind.COUNT, 12), ("+5", Kind.COUNT, 5), ("-3", Kind.COUNT, -3),
        ("0", Kind.RATE, 0), ("007", Kind.COUNT, 7),
        # thousands with dots (Vietnamese) and commas (English), several groups
        ("1.234.567", Kind.COUNT, 1_234_567), ("1,234,567", Kind.COUNT, 1_234_567),
        ("1.234.567", Kind.MONEY, 1_234_567), ("1,234,567", Kind.MONEY, 1_234_567),
        ("-1.234.567", Kind.MONEY, -1_234_567), ("+1,234,567", Kind.MONEY, 1_234_567),
        # a lone separator followed by three digits: thousands in counts and money
        ("1.234", Kind.COUNT, 1234), ("1,234", Kind.COUNT, 1234),
        ("1.234", Kind.MONEY, 1234), ("1,234", Kind.MONEY, 1234),
        ("12.500", Kind.COUNT, 12_500), ("999,000", Kind.MONEY, 999_000),
        # ... and a decimal in coefficients, rates and weights
        ("1.234", Kind.COEFFICIENT, 1.234), ("1,234", Kind.COEFFICIENT, 1.234),
        ("2.340", Kind.COEFFICIENT, 2.34), ("2,340", Kind.COEFFICIENT, 2.34),
        ("0.250", Kind.RATE, 0.25), ("0,250", Kind.RATE, 0.25),
        ("1.500", Kind.WEIGHT, 1.5), ("1,500", Kind.WEIGHT, 1.5),
        # decimals with a comma or a dot
        ("2,34", Kind.COEFFICIENT, 2.34), ("2.34", Kind.COEFFICIENT, 2.34),
        ("4,4", Kind.COEFFICIENT, 4.4), (",5", Kind.COEFFICIENT, 0.5), (".5", Kind.RATE, 0.5),
        ("-0,5", Kind.WEIGHT, -0.5), ("+2.1", Kind.WEIGHT, 2.1),
        # two decimals after a lone separator are never thousands, even in a count
        ("1,23", Kind.COUNT, 1.23), ("1.23", Kind.MONEY, 1.23), ("12.3456", Kind.COUNT, 12.3456),
        # both separators: the last one is the decimal mark
        ("1.234,5", Kind.COEFFICIENT, 1234.5), ("1,234.5", Kind.COEFFICIENT, 1234.5),
        ("1.234,5", Kind.MONEY, 1234.5), ("1,234.5", Kind.COUNT, 1234.5),
        ("1.234.567,89", Kind.MONEY, 1_234_567.89), ("1,234,567.89", Kind.MONEY, 1_234_567.89),
        ("-1.234,5", Kind.MONEY, -1234.5),
        # shares
        ("25%", Kind.RATE, 0.25), ("25 %", Kind.RATE, 0.25), ("12,5%", Kind.RATE, 0.125),
        ("12.5%", Kind.RATE, 0.125), ("0%", Kind.RATE, 0), ("100%", Kind.RATE, 1),
        # money with currency marks and grouping spaces (NBSP, narrow NBSP, figure space, ')
        ("1.234.567 đ", Kind.MONEY, 1_234_567), ("1.234.567đ", Kind.MONEY, 1_234_567),
        ("1.234.567 Đ", Kind.MONEY, 1_234_567), ("1.234.567 ₫", Kind.MONEY, 1_234_567),
        ("1,234,567 VND", Kind.MONEY, 1_234_567), ("1.234.567 vnđ", Kind.MONEY, 1_234_567),
        ("1.234.567 VNĐ", Kind.MONEY, 1_234_567), ("111.891.780 đồng", Kind.MONEY, 111_891_780),
        ("111.891.780 dong", Kind.MONEY, 111_891_780),
        ("1 234 567", Kind.MONEY, 1_234_567), ("1\u00a0234\u00a0567", Kind.MONEY, 1_234_567),
        ("1\u202f234\u202f567", Kind.MONEY, 1_234_567),
        ("1\u2007234\u2007567", Kind.MONEY, 1_234_567), ("1'234'567", Kind.MONEY, 1_234_567),
        ("  90.000.000  ", Kind.MONEY, 90_000_000), ("12 ", Kind.COUNT, 12),
    ],
)
def test_typed_numbers_read_as_the_office_meant(typed, kind, expected):
    assert value(typed, kind) == pytest.approx(expected, rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        # several dot or comma groups are thousands, never a decimal: a coefficient or rate
        # cannot be read from them
        ("1.234.567", Kind.COEFFICIENT), ("1,234,567", Kind.COEFFICIENT),
        ("1.234.567", Kind.RATE), ("1,234,567", Kind.WEIGHT),
        # words and multipliers are not read as numbers (never "60 tỷ" → 60)
        ("60 tỷ", Kind.MONEY), ("500 triệu", Kind.MONEY), ("12 tr", Kind.MONEY),
        ("abc", Kind.COUNT), ("12a", Kind.COUNT), ("1..2", Kind.COEFFICIENT),
        ("1.2.3", Kind.COEFFICIENT), ("1,2,3", Kind.COUNT), ("1.23.456", Kind.COUNT),
        ("1.234,5,6", Kind.MONEY), ("2,34,", Kind.COEFFICIENT), ("%", Kind.RATE),
        ("đ", Kind.MONEY), ("VND 12", Kind.MONEY), ("1e5", Kind.MONEY),
        ("9" * 400, Kind.COUNT), ("1 2 x", Kind.COUNT), ("12X", Kind.COUNT), ("X", Kind.RATE),
    ],
)
def test_text_that_is_not_a_number_says_so(typed, kind):
    assert parse_number(typed, kind) == (None, NOT_A_NUMBER)


@pytest.mark.parametrize("typed", ["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "#NUM!",
                                   "#NULL!", "#SPILL!", "#n/a", " #REF! "])
def test_excel_error_values_are_named(typed):
    assert parse_number(typed, Kind.COUNT) == (None, EXCEL_ERROR)


@pytest.mark.parametrize("typed", ["=SUM(A1:A3)", "=12", "= 1+1"])
def test_formulas_kept_as_text_are_named(typed):
    assert parse_number(typed, Kind.MONEY) == (None, FORMULA)


@pytest.mark.parametrize("cell", [dt.date(2019, 7, 1), dt.datetime(2019, 7, 1, 8, 30),
                                  dt.time(8, 30), dt.timedelta(days=2)])
def test_dates_in_a_number_column_are_named(cell):
    assert parse_number(cell, Kind.COUNT) == (None, DATE_IN_NUMBER)


@pytest.mark.parametrize("cell", [None, float("nan"), "", "   ", "-", "–", "—", " - "])
def test_blank_cells_are_blank_not_zero(cell):
    assert parse_number(cell, Kind.COUNT) == BLANK
    assert parse_cell(cell, Kind.COUNT) == BLANK


@pytest.mark.parametrize(("cell", "expected"), [(7, 7.0), (2.34, 2.34), (0, 0.0), (-1, -1.0),
                                                (1_234_567.0, 1_234_567.0)])
def test_numbers_stored_as_numbers_are_kept(cell, expected):
    number, reason = parse_number(cell, Kind.COEFFICIENT)
    assert (number, reason) == (expected, None)
    assert type(number) is float


@pytest.mark.parametrize("cell", [True, False, float("inf"), float("-inf"), [1, 2], {"a": 1}])
def test_booleans_infinities_and_containers_are_not_numbers(cell):
    assert parse_number(cell, Kind.COUNT) == (None, NOT_A_NUMBER)
    assert parse_cell(cell, Kind.COUNT) == (None, NOT_A_NUMBER)


def test_the_column_kind_is_part_of_a_remembered_parse():
    # the same text in two columns: thousands in a count, a decimal in a coefficient
    assert parse_cell("3.456", Kind.COUNT) == (3456.0, None)
    assert parse_cell("3.456", Kind.COEFFICIENT) == (3.456, None)
    assert parse_cell("3.456", Kind.COUNT) == (3456.0, None)
    assert parse_cell("7,891", Kind.RATE) == (7.891, None)
    assert parse_cell("7,891", Kind.MONEY) == (7891.0, None)


def test_a_remembered_parse_tells_one_from_true():
    # 1 == True and hash(1) == hash(True): the cache must still tell them apart
    assert parse_cell(1, Kind.COUNT) == (1.0, None)
    assert parse_cell(True, Kind.COUNT) == (None, NOT_A_NUMBER)
    assert parse_cell(0, Kind.COUNT) == (0.0, None)
    assert parse_cell(False, Kind.COUNT) == (None, NOT_A_NUMBER)


def test_parse_cell_reads_every_format_as_parse_number():
    assert parse_cell("1.234.567 đ", Kind.MONEY) == (1_234_567.0, None)
    assert parse_cell("2,34", Kind.COEFFICIENT) == (2.34, None)
    assert parse_cell("25%", Kind.RATE) == (0.25, None)
    assert parse_cell("#REF!", Kind.COUNT) == (None, EXCEL_ERROR)
    assert parse_cell(dt.date(2019, 7, 1), Kind.COUNT) == (None, DATE_IN_NUMBER)


def test_a_whole_column_keeps_its_order_index_and_reasons():
    cells = pd.Series(["1.234", "2,5", None, "#N/A", "1.234", 12, float("nan"), [1], "x", 12.0,
                       True, "=A1", dt.date(2020, 1, 1)],
                      index=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22], dtype=object)
    numbers, reasons = parse_column(cells, Kind.COUNT)
    assert numbers.index.tolist() == cells.index.tolist()
    assert reasons.index.tolist() == cells.index.tolist()
    assert numbers.dtype == "float64" and reasons.dtype == object
    expected = [1234.0, 2.5, None, None, 1234.0, 12.0, None, None, None, 12.0, None, None, None]
    assert [None if pd.isna(v) else v for v in numbers] == expected
    assert reasons.tolist() == [None, None, None, EXCEL_ERROR, None, None, None, NOT_A_NUMBER,
                                NOT_A_NUMBER, None, NOT_A_NUMBER, FORMULA, DATE_IN_NUMBER]


def test_a_column_is_read_by_its_kind():
    cells = pd.Series(["1.500", "2,340", "25%"])
    counts = parse_column(cells, Kind.COUNT)[0]
    # a count typed as a percentage is refused, not read as 0.25 (issue 11, item 12)
    assert counts.iloc[:2].tolist() == [1500.0, 2340.0] and pd.isna(counts.iloc[2])
    coefficients = parse_column(cells, Kind.COEFFICIENT)[0]
    assert coefficients.iloc[:2].tolist() == [1.5, 2.34] and pd.isna(coefficients.iloc[2])
    assert parse_column(pd.Series(["25%"]), Kind.RATE)[0].tolist() == [0.25]  # a rate may


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (None, ""), (float("nan"), ""), (101.0, "101"), (-3.0, "-3"), (2.5, "2.5"), (7, "7"),
        (dt.datetime(2019, 7, 1, 8, 30), "01/07/2019"), (dt.date(2019, 12, 31), "31/12/2019"),
        ("  Sở   Nội\u00a0vụ ", "Sở Nội vụ"), ("Tr\x01ường\x7f", "Trường"),
        ("Line\nbreak", "Line break"), ("Ho\u0300a", "H\u00f2a"), ("", ""),
    ],
)
def test_cells_as_text(cell, text):
    assert text_value(cell) == text
    assert cell_text(cell) == text


def test_cell_text_of_unhashable_cells_and_of_equal_values_of_other_types():
    assert cell_text([1, 2]) == "[1, 2]"
    assert cell_text(1) == "1"
    assert cell_text(True) == "True"
    assert cell_text(1.0) == "1"


def test_a_column_tells_equal_values_of_other_types_apart():
    # 1 == 1.0 == True and hash(1) == hash(True): a bool is never a count
    numbers, reasons = parse_column(pd.Series([1, True, 1.0, 0, False, "1"], dtype=object),
                                    Kind.COUNT)
    assert [None if pd.isna(v) else v for v in numbers] == [1.0, None, 1.0, 0.0, None, 1.0]
    assert reasons.tolist() == [None, NOT_A_NUMBER, None, None, NOT_A_NUMBER, None]


def test_a_column_parses_each_distinct_value_once(monkeypatch):
    # parse_column's promise (its docstring): a 60,000-row column of repeated counts costs a
    # few hundred parses. Unhashable cells and NaN are parsed each time.
    import planner.io.numbers as numbers_module

    calls = []
    real = numbers_module.parse_number

    def counting(value, kind):
        calls.append(value)
        return real(value, kind)

    monkeypatch.setattr(numbers_module, "parse_number", counting)
    cells = pd.Series(["1.234"] * 300 + [7] * 300 + [None] * 5 + [[1]] * 2 + [float("nan")] * 2,
                      dtype=object)
    numbers, reasons = parse_column(cells, Kind.COUNT)
    assert len(calls) == 3 + 2 + 2
    assert numbers.iloc[0] == 1234.0 and numbers.iloc[299] == 1234.0 and numbers.iloc[300] == 7.0
    assert reasons.iloc[605] == NOT_A_NUMBER and pd.isna(numbers.iloc[-1])


def test_parse_cell_remembers_what_it_parsed():
    from planner.io.numbers import _parse_cached

    parse_cell("4.321,5", Kind.MONEY)
    before = _parse_cached.cache_info().hits
    assert parse_cell("4.321,5", Kind.MONEY) == (4321.5, None)
    assert _parse_cached.cache_info().hits == before + 1


class _UnhashableCell:
    """A cell object without a hash whose text is a number (as some readers hand over)."""

    __hash__ = None

    def __str__(self):
        return "1.234"


def test_an_unhashable_cell_is_read_by_its_text_and_the_columns_kind():
    assert parse_cell(_UnhashableCell(), Kind.COUNT) == (1234.0, None)
    assert parse_cell(_UnhashableCell(), Kind.COEFFICIENT) == (1.234, None)


def test_an_empty_column_is_still_a_column_of_numbers():
    # a table with its header and no rows
    numbers, reasons = parse_column(pd.Series([], dtype=object), Kind.COUNT)
    assert numbers.dtype == "float64" and reasons.dtype == object
    assert numbers.empty and reasons.empty

"""A group heading that carries its group's subtotal is not a data row (issue 18).

Written for two mutants of planner/io/rows.py's `classify_rows` that the tests let through
(`make mutate MODULE=planner/io/rows.py`): a row without a position, with no row number of its
own, whose name starts with a group word ("Khối …", "Cấp huyện") is a heading even when the
office typed the group's subtotal on it; read as data it would count the group's quota twice.
"""

from __future__ import annotations

import pytest

from planner.domain.columns import QUOTAS
from planner.io.rows import classify_rows

COLUMNS = {"row_number": 0, "unit_name": 1, "position_name": 2, "quota": 3}


def test_a_group_heading_with_its_subtotal_is_a_heading_not_data():
    rows = [
        ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao"],  # 0 header
        [None, "Khối huyện", None, 19],                                   # 1 heading, subtotal
        [1, "UBND huyện Cam Lâm", "Chuyên viên", 7],                      # 2
        [2, "UBND huyện Diên Khánh", "Chuyên viên", 12],                  # 3
        [None, "Cấp xã", None, 4],                                        # 4 heading, subtotal
        [3, "UBND xã Suối Tân", "Công chức văn hóa", 4],                  # 5
    ]
    entries = classify_rows(rows, 1, COLUMNS, QUOTAS)
    assert [(e.i, e.kind) for e in entries] == [
        (1, "group"), (2, "data"), (3, "data"), (4, "group"), (5, "data")]


def test_a_long_sum_formula_of_40_characters_is_still_a_column_numbers_row():
    # a totals column described as the sum of nine others: 40 characters, within the bound
    from planner.io.rows import is_column_numbers

    formula = "(20)=(1)+(2)+(3)+(4)+(5)+(6)+(7)+(8)+(9)"
    assert len(formula) == 40
    assert is_column_numbers(["(1)", "(2)", formula])


def test_a_token_of_41_characters_is_not_a_column_number():
    # the bound on a column-number token is 40 characters (a longer "formula" is text: a
    # unit's name or a note, never taken for the row of column numbers)
    from planner.io.rows import COLUMN_NUMBER, is_column_numbers

    formula = "(20)=(1)+(2)+(3)+(4)+(5)+(6)+(7)+(8)+(9a)"
    assert len(formula) == 41 and COLUMN_NUMBER.match(formula)  # only its length is wrong
    assert not is_column_numbers(["(1)", "(2)", formula])


@pytest.mark.parametrize(("cells", "expected"), [
    (["A", "B", "1", "2"], True),  # the letters in order: "A | B | 1 | 2"
    (["B", "A", "1", "2"], False),  # two letters out of order: a lone letter beside a name
    (["A", "C", "B", "1"], False),
    (["A", "1", "2"], True),  # one letter: nothing to order
])
def test_letters_of_a_column_numbers_row_run_in_order(cells, expected):
    from planner.io.rows import is_column_numbers

    assert is_column_numbers(cells) is expected

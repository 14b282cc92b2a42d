"""The refusals of planner/io/numbers.py named by their catalogue code (issue 18: the codes
the module-level pass of `make mutate MODULE=planner/io/numbers.py` changed unnoticed, since
the tests in its TESTS line did not name them).

A percentage is a share, never a count of people ("100%" is not 1 person) nor a salary
coefficient ("2,34%" is not 0.0234); a cell holding an invisible control character (NUL, from
a damaged file) is named, not read with the character dropped. Each code is a message of the
``problem`` table in both catalogues (planner/locales), worded for the officer.
"""

from __future__ import annotations

import pandas as pd
import pytest

from planner.domain.columns import Kind
from planner.i18n import t
from planner.io.numbers import parse_column, parse_number


@pytest.mark.parametrize(("text", "kind", "code"), [
    ("100%", Kind.COUNT, "percent_in_count"), ("12 %", Kind.COUNT, "percent_in_count"),
    ("2,34%", Kind.COEFFICIENT, "percent_in_coefficient"),
    ("1\x002", Kind.COUNT, "control_in_number"), ("2,3\x074", Kind.COEFFICIENT,
                                                  "control_in_number"),
    ("1\x08000", Kind.MONEY, "control_in_number"),
    # the ones Python counts as white space: read as a space, "1\x1e2" was the count 12
    ("1\x0b2", Kind.COUNT, "control_in_number"), ("1\x0c2", Kind.COUNT, "control_in_number"),
    ("1\x1c2", Kind.COUNT, "control_in_number"), ("1\x1d2", Kind.COUNT, "control_in_number"),
    ("1\x1e2", Kind.COUNT, "control_in_number"), ("1\x1f000", Kind.MONEY, "control_in_number"),
    ("2,3\x1f4", Kind.COEFFICIENT, "control_in_number")])
def test_a_percentage_or_a_control_character_is_refused_by_its_code(text, kind, code):
    assert parse_number(text, kind) == (None, code)
    numbers, reasons = parse_column(pd.Series([text, "7"]), kind)
    assert reasons.tolist() == [code, None]
    assert numbers.isna().tolist() == [True, False]


@pytest.mark.parametrize(("code", "vi", "en"), [
    ("percent_in_count", "phần trăm", "percentage"),
    ("percent_in_coefficient", "hệ số lương", "salary coefficient"),
    ("control_in_number", "ký tự điều khiển", "control character")])
def test_each_code_is_a_message_in_both_languages(code, vi, en):
    assert vi in t(f"problem.{code}", "vi", value="2,34%", column_label="x")
    assert en in t(f"problem.{code}", "en", value="2,34%", column_label="x")


def test_a_share_may_be_a_percentage():
    # the kind a percentage belongs to: a share, 25% → 0.25
    assert parse_number("25%", Kind.RATE) == (0.25, None)

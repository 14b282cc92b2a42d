"""The typed tables' schemas: a table the reader's quick pass lets through is one pandera finds
nothing in, and the failure table is pandera's whenever there is something to find.

planner.domain.schemas declares the columns once and leaves pandera unloaded for a table that
surely passes (issue 12 item 5: 0.2-0.3 s of every ``solve``); these tests hold that shortcut
to pandera's own verdict on tables built the way the reader builds them, valid and not.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.columns import POSITION_GROUPS, RECRUITMENT_FORMS
from planner.domain.parameters import MAX_AMOUNT, MAX_COUNT, MAX_WEIGHT
from planner.domain.rules import StaffType
from planner.domain.schemas import SCHEMAS, Rules, failures, pandera_schema, surely_passes

ROOT = Path(__file__).resolve().parent.parent

#: numbers at and around every limit the checks draw (0, whole, 1, 2, 20, the maxima)
NUMBERS = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 19.99, 20.0, 20.01, -1.0, -0.0,
           float(MAX_COUNT), float(MAX_COUNT + 1), float(MAX_AMOUNT), float(MAX_AMOUNT) * 1.01,
           float(MAX_WEIGHT), float(MAX_WEIGHT + 1), math.nan]
TEXTS = ["", " ", "x", "Sở Nội vụ", *[t.value for t in StaffType], *POSITION_GROUPS,
         *RECRUITMENT_FORMS, None]


def _column(rules: Rules, values: list[object], as_objects: bool) -> pd.Series:
    if rules.dtype is float:
        return pd.Series(values, dtype="float64")
    if as_objects:  # codes mapped from words, as the reader makes staff types
        return pd.Series([StaffType(v) if v in {t.value for t in StaffType} else v
                          for v in values], dtype=object)
    return pd.Series(values, dtype=str)


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, pd.DataFrame]:
    name = draw(st.sampled_from(sorted(SCHEMAS)))
    declared = SCHEMAS[name]
    columns = draw(st.lists(st.sampled_from(sorted(declared)), min_size=1, unique=True))
    rows = draw(st.integers(min_value=0, max_value=5))
    as_objects = draw(st.booleans())
    frame = {}
    for col in columns:
        pool = NUMBERS if declared[col].dtype is float else TEXTS
        # mostly valid-looking values, so that whole tables pass often enough to matter
        values = draw(st.lists(st.sampled_from(pool), min_size=rows, max_size=rows))
        frame[col] = _column(declared[col], values, as_objects)
    return name, pd.DataFrame(frame, index=pd.RangeIndex(rows))


def pandera_verdict(table: pd.DataFrame, name: str) -> set[tuple[int, str, str]]:
    """pandera's own failure cases, straight from the declared schema (no shortcut)."""
    schema = pandera_schema(name)
    schema = schema.remove_columns([c for c in schema.columns if c not in table.columns])
    try:
        schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases.dropna(subset=["index"])
        codes = fc["check"].map(lambda c: "blank_required" if c == "not_nullable" else c)
        return {(int(i), str(c), str(k)) for i, c, k in zip(fc["index"], fc["column"], codes,
                                                           strict=True)}
    return set()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_the_quick_pass_agrees_with_pandera(case: tuple[str, pd.DataFrame]) -> None:
    name, table = case
    expected = pandera_verdict(table, name)
    quick = all(surely_passes(table[c], SCHEMAS[name][c]) for c in table.columns)
    assert quick == (not expected), (name, table.to_dict("list"), expected)
    found = failures(table, name)
    got = {(int(i), str(c), str(k)) for i, c, k in zip(found["index"], found["column"],
                                                       found["code"], strict=True)}
    assert got == expected


@pytest.mark.parametrize(("values", "rules"), [
    (pd.Series([1, 2], dtype="int64"), Rules(float)),          # another number type
    (pd.Series([1.0, 2.0], dtype="float32"), Rules(float)),
    (pd.Series(["a", 3], dtype=object), Rules(str)),             # not all text
    (pd.Series([1.0, 2.0]), Rules(str)),
    (pd.Series(["a", "b"], dtype=str), Rules(float)),
])
def test_a_column_of_another_type_goes_to_pandera(values: pd.Series, rules: Rules) -> None:
    assert not surely_passes(values, rules)


def test_each_declared_check_is_applied_by_the_quick_pass() -> None:
    """Per column, a value that breaks one declared check (and only it) is caught: a check
    dropped from the quick pass would let it through."""
    breaking = {"not_whole_number": 1.5, "count_too_large": float(MAX_COUNT + 1),
                "amount_too_large": float(MAX_AMOUNT) * 2, "weight_too_large":
                float(MAX_WEIGHT + 1), "negative_number": -1.0, "not_positive": 0.0,
                "rate_out_of_range": 2.5, "share_out_of_range": 1.5, "blank_required": "",
                "coefficient_out_of_range": 21.0, "unknown_staff_type": "thợ",
                "unknown_position_group": "nhóm 9", "unknown_recruitment_form": "bốc thăm"}
    checked = 0
    for name, declared in SCHEMAS.items():
        for col, rules in declared.items():
            for check in rules.checks:
                bad = breaking[check.code]
                values = _column(rules, [bad], as_objects=False)
                assert not surely_passes(values, rules), (name, col, check.code)
                assert (0, col, check.code) in pandera_verdict(pd.DataFrame({col: values}), name)
                checked += 1
    assert checked >= 30


def test_a_blank_where_none_is_allowed_goes_to_pandera() -> None:
    rules = SCHEMAS["quotas"]["quota"]
    assert not rules.nullable
    assert not surely_passes(pd.Series([1.0, np.nan]), rules)
    assert surely_passes(pd.Series([1.0, np.nan]), SCHEMAS["quotas"]["min_hires"])


def test_reading_valid_files_leaves_pandera_unloaded() -> None:
    code = (
        "import sys\n"
        "from planner.io.inputs import load_inputs\n"
        "from planner.io.sample import SAMPLE_FILES as F\n"
        "load_inputs(F['quotas'], F['headcounts'], F['units'])\n"
        "print('pandera' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


#: The data contract (README "Data contract", docs/data-contract.md), column by column: the
#: problems a filled cell can have, and whether the cell may be left blank.
COUNT = {"negative_number", "not_whole_number", "count_too_large"}
CONTRACT: dict[str, dict[str, tuple[set[str], bool]]] = {
    "quotas": {
        "unit_id": ({"blank_required"}, False), "unit_name": ({"blank_required"}, False),
        "position_id": ({"blank_required"}, False),
        "position_name": ({"blank_required"}, False),
        "quota": (COUNT, False),
        "salary_coefficient": ({"coefficient_out_of_range"}, True),
        "staff_type": ({"unknown_staff_type"}, False),
        "funding_source": ({"blank_required"}, False),
        "priority": ({"not_positive", "weight_too_large"}, False),
        "allowance_rate": ({"rate_out_of_range"}, False),
        "annual_cost": ({"not_positive", "amount_too_large"}, True),
        "min_hires": (COUNT, True), "max_hires": (COUNT, True),
        "headcount": (COUNT, True), "expected_departures": (COUNT, True),
        "position_group": ({"unknown_position_group"}, True),
        "qualification": (set(), True), "field": (set(), True),
        "recruitment_form": ({"unknown_recruitment_form"}, True),
        "ethnic_minority_target": ({"share_out_of_range"}, True),
    },
    "headcounts": {
        "unit_id": ({"blank_required"}, False), "unit_name": ({"blank_required"}, False),
        "position_id": ({"blank_required"}, False),
        "position_name": ({"blank_required"}, False),
        "headcount": (COUNT, False), "expected_departures": (COUNT, False),
    },
    "units": {
        "unit_id": ({"blank_required"}, False), "unit_name": ({"blank_required"}, False),
        "max_hires": (COUNT, True),
        "budget_cap": ({"negative_number", "amount_too_large"}, True),
        "min_fill": ({"share_out_of_range"}, True),
    },
}

#: a value breaking each check, and one passing every check of a column of that kind
BREAKING = {"not_whole_number": 1.5, "count_too_large": float(MAX_COUNT + 1),
            "amount_too_large": float(MAX_AMOUNT) * 2, "weight_too_large": float(MAX_WEIGHT + 1),
            "negative_number": -1.0, "not_positive": 0.0, "rate_out_of_range": 2.5,
            "share_out_of_range": 1.5, "blank_required": "", "coefficient_out_of_range": 21.0,
            "unknown_staff_type": "thợ", "unknown_position_group": "nhóm 9",
            "unknown_recruitment_form": "bốc thăm"}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_each_column_reports_what_the_contract_says(table: str) -> None:
    assert set(SCHEMAS[table]) == set(CONTRACT[table])  # no column checked or left unchecked
    for col, (codes, may_be_blank) in CONTRACT[table].items():
        text = col not in ("quota", "salary_coefficient", "priority", "allowance_rate",
                           "annual_cost", "min_hires", "max_hires", "headcount",
                           "expected_departures", "ethnic_minority_target", "budget_cap",
                           "min_fill")
        for code in sorted(codes):
            frame = pd.DataFrame({col: pd.Series([BREAKING[code]],
                                                 dtype=str if text else "float64")})
            found = failures(frame, table)
            assert found.columns.tolist() == ["index", "column", "code", "value"]
            assert set(zip(found["column"], found["code"], strict=True)) == {(col, code)}, \
                (table, col, code)
            assert found["value"].tolist() == [BREAKING[code]]  # the value as it stands
        blank = pd.DataFrame({col: pd.Series([None], dtype=str if text else "float64")})
        found = failures(blank, table)
        assert found.columns.tolist() == ["index", "column", "code", "value"]
        assert (found.empty if may_be_blank else
                set(zip(found["column"], found["code"], strict=True))
                == {(col, "blank_required")}), (table, col)


def test_a_size_problem_names_its_limit_in_the_message() -> None:
    """The reader's message for a number over its limit states the limit (planner/domain/
    parameters.py's maxima), through the parameters each size check passes."""
    from planner.domain.problems import Problem, Severity
    from planner.domain.schemas import CHECK_PARAMS
    from planner.i18n import problem_line

    for code, limit in (("count_too_large", MAX_COUNT), ("amount_too_large", MAX_AMOUNT),
                        ("weight_too_large", MAX_WEIGHT)):
        p = Problem(severity=Severity.ERROR, code=code, file="f.csv", row=2, column="B",
                    value="9", params=dict(CHECK_PARAMS[code]))
        line = problem_line(p, "en")
        assert f"{limit:,}" in line or f"{limit:g}" in line, (code, line)

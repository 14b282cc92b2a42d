"""Schemas of the typed input tables, declared once (pandera), validated lazily.

Every check's name is the message code of the problem it reports, so the one failure table
pandera returns maps straight onto :class:`planner.domain.problems.Problem` records.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from planner.domain.columns import POSITION_GROUPS, RECRUITMENT_FORMS
from planner.domain.parameters import MAX_AMOUNT, MAX_COUNT, MAX_WEIGHT
from planner.domain.rules import StaffType


def _check(fn: Callable[[pd.Series], pd.Series], code: str) -> pa.Check:
    return pa.Check(fn, name=code, element_wise=False)


#: Parameters of the messages of the checks that have them.
CHECK_PARAMS = {"count_too_large": {"limit": MAX_COUNT},
                "amount_too_large": {"limit": MAX_AMOUNT},
                "weight_too_large": {"limit": MAX_WEIGHT}}

WHOLE = _check(lambda s: s % 1 == 0, "not_whole_number")
COUNT_SIZE = _check(lambda s: s <= MAX_COUNT, "count_too_large")
AMOUNT_SIZE = _check(lambda s: s <= MAX_AMOUNT, "amount_too_large")
WEIGHT_SIZE = _check(lambda s: s <= MAX_WEIGHT, "weight_too_large")
NON_NEGATIVE = _check(lambda s: s >= 0, "negative_number")
POSITIVE = _check(lambda s: s > 0, "not_positive")
RATE = _check(lambda s: (s >= 0) & (s <= 2), "rate_out_of_range")
SHARE = _check(lambda s: (s >= 0) & (s <= 1), "share_out_of_range")
NON_EMPTY = _check(lambda s: s.str.len() > 0, "blank_required")
COEFFICIENT = _check(lambda s: (s > 0) & (s <= 20), "coefficient_out_of_range")
STAFF_TYPE = _check(lambda s: s.isin([t.value for t in StaffType]), "unknown_staff_type")
POSITION_GROUP = _check(lambda s: s.isin(["", *POSITION_GROUPS]), "unknown_position_group")
RECRUITMENT_FORM = _check(lambda s: s.isin(["", *RECRUITMENT_FORMS]), "unknown_recruitment_form")


def _count(*, nullable: bool = False) -> pa.Column:
    return pa.Column(float, [NON_NEGATIVE, WHOLE, COUNT_SIZE], nullable=nullable)


def _text(*, required: bool = True) -> pa.Column:
    return pa.Column(str, [NON_EMPTY] if required else [], nullable=not required)


QUOTAS = pa.DataFrameSchema(
    {
        "unit_id": _text(),
        "unit_name": _text(),
        "position_id": _text(),
        "position_name": _text(),
        "quota": _count(),
        "salary_coefficient": pa.Column(float, [COEFFICIENT], nullable=True),
        "staff_type": pa.Column(str, [STAFF_TYPE]),
        "funding_source": _text(),
        "priority": pa.Column(float, [POSITIVE, WEIGHT_SIZE]),
        "allowance_rate": pa.Column(float, [RATE]),
        "annual_cost": pa.Column(float, [POSITIVE, AMOUNT_SIZE], nullable=True),
        "min_hires": _count(nullable=True),
        "max_hires": _count(nullable=True),
        "headcount": _count(nullable=True),
        "expected_departures": _count(nullable=True),
        # optional document columns (issue 16)
        "position_group": pa.Column(str, [POSITION_GROUP], nullable=True),
        "qualification": _text(required=False),
        "field": _text(required=False),
        "recruitment_form": pa.Column(str, [RECRUITMENT_FORM], nullable=True),
        "ethnic_minority_target": pa.Column(float, [SHARE], nullable=True),
    },
    strict=False,
    name="quotas",
)

HEADCOUNTS = pa.DataFrameSchema(
    {
        "unit_id": _text(),
        "unit_name": _text(),
        "position_id": _text(),
        "position_name": _text(),
        "headcount": _count(),
        "expected_departures": _count(),
    },
    strict=False,
    name="headcounts",
)

UNITS = pa.DataFrameSchema(
    {
        "unit_id": _text(),
        "unit_name": _text(),
        "max_hires": _count(nullable=True),
        "budget_cap": pa.Column(float, [NON_NEGATIVE, AMOUNT_SIZE], nullable=True),
        "min_fill": pa.Column(float, [SHARE], nullable=True),
    },
    strict=False,
    name="units",
)

SCHEMAS = {"quotas": QUOTAS, "headcounts": HEADCOUNTS, "units": UNITS}


def failures(table: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Every failed check as rows of (index, column, code, value); empty when all pass."""
    present = {k: v for k, v in schema.columns.items() if k in table.columns}
    schema = schema.remove_columns([k for k in schema.columns if k not in present])
    try:
        schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        out = pd.DataFrame(
            {
                "index": fc["index"],
                "column": fc["column"],
                "code": fc["check"].map(lambda c: "blank_required" if c == "not_nullable" else c),
                "value": fc["failure_case"],
            }
        )
        return out.dropna(subset=["index"]).reset_index(drop=True)
    return pd.DataFrame(columns=["index", "column", "code", "value"])

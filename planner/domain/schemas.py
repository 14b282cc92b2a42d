"""Schemas of the typed input tables, declared once, validated lazily by pandera.

Every check's name is the message code of the problem it reports, so the one failure table
pandera returns maps straight onto :class:`planner.domain.problems.Problem` records.

The declaration below is plain data (:class:`Rules` per column); :func:`pandera_schema` turns
it into pandera's ``DataFrameSchema``, and pandera is the validator of record: every failure
table comes from it. A table whose every column already has its declared type and passes
every declared check as it stands has no failure to report, and :func:`failures` says so
without loading pandera: pandera and the pydantic models it is built on take 0.2-0.3 s to
import and 0.05 s to set up their first validation, a tenth of a whole ``solve`` on a
6,000-row province (issue 12 item 5). Anything less certain (another dtype, a blank where none
is allowed, a check that fails or cannot say) goes to pandera; ``tests/test_schemas.py``
checks that both ways agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner.domain.columns import POSITION_GROUPS, RECRUITMENT_FORMS
from planner.domain.parameters import MAX_AMOUNT, MAX_COUNT, MAX_WEIGHT
from planner.domain.rules import StaffType

if TYPE_CHECKING:
    import pandera.pandas as pa


@dataclass(frozen=True)
class Check:
    """A vectorised check: ``test`` gives True for each value that passes; ``code`` is both
    pandera's check name and the message code of the problem reported."""

    test: Callable[[pd.Series], pd.Series]
    code: str


@dataclass(frozen=True)
class Rules:
    """What a column of a typed table must hold: its type (float or str), the checks each
    filled value passes, and whether it may be blank."""

    dtype: type
    checks: tuple[Check, ...] = ()
    nullable: bool = False


#: Parameters of the messages of the checks that have them.
CHECK_PARAMS = {"count_too_large": {"limit": MAX_COUNT},
                "amount_too_large": {"limit": MAX_AMOUNT},
                "weight_too_large": {"limit": MAX_WEIGHT}}

WHOLE = Check(lambda s: s % 1 == 0, "not_whole_number")
COUNT_SIZE = Check(lambda s: s <= MAX_COUNT, "count_too_large")
AMOUNT_SIZE = Check(lambda s: s <= MAX_AMOUNT, "amount_too_large")
WEIGHT_SIZE = Check(lambda s: s <= MAX_WEIGHT, "weight_too_large")
NON_NEGATIVE = Check(lambda s: s >= 0, "negative_number")
POSITIVE = Check(lambda s: s > 0, "not_positive")
RATE = Check(lambda s: (s >= 0) & (s <= 2), "rate_out_of_range")
SHARE = Check(lambda s: (s >= 0) & (s <= 1), "share_out_of_range")
NON_EMPTY = Check(lambda s: s.str.len() > 0, "blank_required")
COEFFICIENT = Check(lambda s: (s > 0) & (s <= 20), "coefficient_out_of_range")
STAFF_TYPE = Check(lambda s: s.isin([t.value for t in StaffType]), "unknown_staff_type")
POSITION_GROUP = Check(lambda s: s.isin(["", *POSITION_GROUPS]), "unknown_position_group")
RECRUITMENT_FORM = Check(lambda s: s.isin(["", *RECRUITMENT_FORMS]), "unknown_recruitment_form")


def _count(*, nullable: bool = False) -> Rules:
    return Rules(float, (NON_NEGATIVE, WHOLE, COUNT_SIZE), nullable=nullable)


def _text(*, required: bool = True) -> Rules:
    return Rules(str, (NON_EMPTY,) if required else (), nullable=not required)


QUOTAS: dict[str, Rules] = {
    "unit_id": _text(),
    "unit_name": _text(),
    "position_id": _text(),
    "position_name": _text(),
    "quota": _count(),
    "salary_coefficient": Rules(float, (COEFFICIENT,), nullable=True),
    "staff_type": Rules(str, (STAFF_TYPE,)),
    "funding_source": _text(),
    "priority": Rules(float, (POSITIVE, WEIGHT_SIZE)),
    "allowance_rate": Rules(float, (RATE,)),
    "annual_cost": Rules(float, (POSITIVE, AMOUNT_SIZE), nullable=True),
    "min_hires": _count(nullable=True),
    "max_hires": _count(nullable=True),
    "headcount": _count(nullable=True),
    "expected_departures": _count(nullable=True),
    # optional document columns (issue 16)
    "position_group": Rules(str, (POSITION_GROUP,), nullable=True),
    "qualification": _text(required=False),
    "field": _text(required=False),
    "recruitment_form": Rules(str, (RECRUITMENT_FORM,), nullable=True),
    "ethnic_minority_target": Rules(float, (SHARE,), nullable=True),
}

HEADCOUNTS: dict[str, Rules] = {
    "unit_id": _text(),
    "unit_name": _text(),
    "position_id": _text(),
    "position_name": _text(),
    "headcount": _count(),
    "expected_departures": _count(),
}

UNITS: dict[str, Rules] = {
    "unit_id": _text(),
    "unit_name": _text(),
    "max_hires": _count(nullable=True),
    "budget_cap": Rules(float, (NON_NEGATIVE, AMOUNT_SIZE), nullable=True),
    "min_fill": Rules(float, (SHARE,), nullable=True),
}

SCHEMAS: dict[str, dict[str, Rules]] = {"quotas": QUOTAS, "headcounts": HEADCOUNTS,
                                         "units": UNITS}


def _no_failures() -> pd.DataFrame:
    return pd.DataFrame(columns=["index", "column", "code", "value"])


#: the dtype a text column has once typed (``astype(str)``)
_TEXT_DTYPE = pd.Series([], dtype=str).dtype


def _has_type(values: pd.Series, dtype: type) -> bool:
    """``values`` is of the declared type as the reader makes it: float64 for numbers; for
    text the string dtype, or Python objects that are all ``str`` (codes mapped from words,
    such as :class:`planner.domain.rules.StaffType`)."""
    if dtype is float:
        return values.dtype == np.dtype(np.float64)
    if values.dtype == _TEXT_DTYPE:
        return True
    return values.dtype == np.dtype(object) and all(
        isinstance(v, str) for v in values.dropna().tolist())


def surely_passes(values: pd.Series, rules: Rules) -> bool:
    """True when ``values`` has the declared type and every filled value passes every check, so
    pandera could find nothing; False when a check fails or anything is less than certain."""
    if not _has_type(values, rules.dtype):
        return False
    blank = values.isna()
    if not rules.nullable and bool(blank.any()):
        return False
    for check in rules.checks:
        passed = pd.Series(check.test(values), index=values.index).fillna(False).astype(bool)
        if not bool((passed | blank).all()):
            return False
    return True


@cache
def pandera_schema(name: str) -> pa.DataFrameSchema:
    """The declared table ``name`` as a pandera schema (pandera is imported here, once)."""
    import pandera.pandas as pa

    def column(rules: Rules) -> pa.Column:
        checks = [pa.Check(c.test, name=c.code, element_wise=False) for c in rules.checks]
        return pa.Column(rules.dtype, checks, nullable=rules.nullable)

    return pa.DataFrameSchema({k: column(r) for k, r in SCHEMAS[name].items()}, strict=False,
                              name=name)


def failures(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """Every failed check of the declared table ``name`` as rows of (index, column, code,
    value), columns not in ``table`` left out; empty when all pass."""
    present: Mapping[str, Rules] = {k: r for k, r in SCHEMAS[name].items() if k in table.columns}
    if all(surely_passes(table[k], r) for k, r in present.items()):
        return _no_failures()
    import pandera.pandas as pa

    schema = pandera_schema(name)
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
    return _no_failures()

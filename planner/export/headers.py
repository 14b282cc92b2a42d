"""What the exports call things: column headers, kinds of values, names of coded values.

Headers come from the data contract (:func:`planner.domain.columns.label`) unless the ``[export]``
table of the catalogue has a more precise one (e.g. the unit of money in the header).
Coded values (staff types, funding sources, solver statuses) are shown in words in the
workbook; CSV files keep the codes.
"""

from __future__ import annotations

import pandas as pd

from planner.domain.columns import NOT_ADDITIVE, Kind
from planner.domain.columns import column_kind as contract_kind
from planner.domain.columns import label as contract_label
from planner.i18n import catalogue, coded, t
from planner.present.labels import bound_words

#: How the workbook writes each kind of column (the kinds: planner.domain.columns).
_WRITTEN_AS = {
    Kind.TEXT: "text", Kind.COUNT: "count", Kind.COEFFICIENT: "decimal", Kind.RATE: "rate",
    Kind.MONEY: "money", Kind.WEIGHT: "weight", Kind.ROW: "count",
}
#: The workbook's own forms of a few columns: the row number (STT) as a count, money in
#: millions in the documents, and a balance that may go below zero shown as such.
WORKBOOK_FORMS = {"row_number": "count", "hires_cost_million": "million",
                  "remaining_budget": "balance"}

#: Columns whose values are codes shown in words in the workbook, and the catalogue table.
CODED = {"staff_type": "vocab.staff_type", "funding_source": "vocab.source",
         "status": "export.status", "objective": "export.objective"}


def header(column_id: str, lang: str) -> str:
    """The header of a column in ``lang``: the export catalogue's, else the data contract's."""
    return catalogue(lang).get(f"export.column.{column_id}") or contract_label(column_id, lang)


def kind(column_id: str, values: pd.Series | None = None) -> str:
    """How a column's values are shown: text, count, money, million, rate, decimal, weight."""
    if column_id in WORKBOOK_FORMS:
        return WORKBOOK_FORMS[column_id]
    declared = contract_kind(column_id)
    if declared is not None:
        return _WRITTEN_AS[declared]
    if values is not None and pd.api.types.is_bool_dtype(values):
        return "text"
    if values is not None and pd.api.types.is_integer_dtype(values):
        return "count"
    if values is not None and pd.api.types.is_float_dtype(values):
        return "decimal"
    return "text"


def summed(column_id: str, column_kind: str) -> bool:
    """Whether a total row adds this column up."""
    return column_kind in ("count", "money", "million", "balance") \
        and column_id not in NOT_ADDITIVE


def in_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of ``frame`` with its coded columns (staff type, funding source, what bounds
    the hires) in words."""
    out = frame.copy()
    for column, table in CODED.items():
        if column in out.columns:
            out[column] = out[column].map(lambda v, tb=table: coded(tb, v, lang))
    if "bound" in out.columns:
        out["bound"] = out["bound"].map(lambda v: bound_words(v, lang))
    return out


def text(key: str, lang: str, **params: object) -> str:
    """A message of the ``[export]`` catalogue table."""
    return t(f"export.{key}", lang, **params)

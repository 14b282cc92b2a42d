"""The multi-year plan as CSV or workbook bytes (issue 15).

CSV: one row per (unit, position, year), the columns of
:data:`planner.domain.multiyear.PLAN_COLUMNS` (canonical ids, or headers in ``vi``/``en``), UTF-8
with a BOM, formula-like text neutralised as every export does. Workbook: a summary of the
path (one row per year), one sheet per year with that year's rows, the surplus to streamline,
and the budgets per source and year; headers in the language, frozen and filtered.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import xlsxwriter

from planner.domain.multiyear import PLAN_COLUMNS
from planner.export.headers import in_words, text
from planner.export.plain_tables import neutralise, whole_numbers
from planner.export.xlsx import (
    Column,
    Formats,
    freeze_and_filter,
    page_setup,
    set_widths,
    workbook_options,
    write_table,
)
from planner.i18n import t
from planner.optimise.multiyear_result import MultiYearPlan

_MONEY = {"salary_cost", "budget", "used", "least", "payout", "streamline_payout"}
_TEXT = {"unit_id", "unit_name", "position_id", "position_name", "staff_type",
         "funding_source", "source", "year"}


def header(column: str, lang: str) -> str:
    return t(f"multiyear.column.{column}", lang)


def _solved(plan: MultiYearPlan) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The plan's rows, its path per year and its surplus; a plan that found no hires (no
    plan met the requirements, or time ran out first) has none to write."""
    if plan.plan is None or plan.by_year is None or plan.surplus is None:
        raise ValueError(f"a multi-year plan with status {plan.status} has no plan to write")
    return plan.plan, plan.by_year, plan.surplus


def plan_csv(plan: MultiYearPlan, *, headers: str = "ids") -> bytes:
    rows, _, _ = _solved(plan)
    table = whole_numbers(rows[PLAN_COLUMNS])
    for col in table.columns:
        if table[col].dtype == object or pd.api.types.is_string_dtype(table[col]):
            table[col] = table[col].map(neutralise)
    if headers != "ids":
        table.columns = [header(c, headers) for c in PLAN_COLUMNS]
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _sheet(workbook: xlsxwriter.Workbook, fmt: Formats, name: str, frame: pd.DataFrame,
           lang: str) -> None:
    ws = workbook.add_worksheet(name[:31])
    shown = in_words(frame, lang)
    if "year" in shown:
        shown = shown.assign(year=shown["year"].astype(str))
    columns = [Column(c, header(c, lang), "money" if c in _MONEY else
                      "text" if c in _TEXT else "count") for c in frame.columns]
    span = write_table(ws, fmt, shown, columns, row=0)
    set_widths(ws, shown, columns, header_row=0)
    freeze_and_filter(ws, span)
    page_setup(ws, repeat_row=0, footer=text("page", lang))


def plan_workbook(plan: MultiYearPlan, *, lang: str = "vi") -> bytes:
    rows, by_year, streamline = _solved(plan)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, workbook_options())
    workbook.set_properties({"author": "planner", "created": dt.datetime(2000, 1, 1)})
    fmt = Formats(workbook)
    _sheet(workbook, fmt, t("multiyear.sheet.path", lang), by_year, lang)
    for y in plan.years:
        _sheet(workbook, fmt, str(y), rows[rows["year"] == y][PLAN_COLUMNS], lang)
    surplus = streamline[[c for c in ("unit_id", "unit_name", "staff_type", "year", "quota",
                                      "on_board_end", "surplus", "payout")
                          if c in streamline.columns]]
    _sheet(workbook, fmt, t("multiyear.sheet.surplus", lang), surplus, lang)
    _sheet(workbook, fmt, t("multiyear.sheet.budgets", lang), plan.budgets, lang)
    workbook.close()
    return buffer.getvalue()

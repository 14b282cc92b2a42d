"""The Summary sheet: title, date, scenario, headline figures, money per funding source
against its budget, the solver's status and gap, and the chart of remaining vacancies."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

import pandas as pd
from xlsxwriter.image import Image
from xlsxwriter.worksheet import Worksheet

from planner.domain.gaps import overall_fill_rate
from planner.export.headers import header, text
from planner.export.headers import kind as column_kind
from planner.export.xlsx import Column, Formats, wrapped_lines, write_cell, write_table
from planner.present.labels import source_name

#: Widths of the Summary sheet's columns (characters): figure names, then values.
WIDTHS = (46, 20, 22, 20, 16)
#: The chart sits right of the headline figures, from this column on.
CHART_COLUMN = 3


def has_plan(plan: pd.DataFrame) -> bool:
    """Whether the plan table holds a decided plan: rows, each with its hires (without a plan,
    e.g. when the requirements cannot be met, hires are blank)."""
    return len(plan) > 0 and not plan["hires"].isna().any()


def plan_figures(plan: pd.DataFrame) -> dict[str, Any]:
    """Totals of the plan: the figures a manager reads first (computed from the plan itself).
    Without a plan (no hires decided: the requirements cannot be met) the figures about
    hires are None, never a misleading 0."""
    quota = int(plan["quota"].sum())
    staying = int(plan["headcount"].sum() - plan["expected_departures"].sum())
    planned = has_plan(plan)
    hires = int(plan["hires"].sum()) if planned else None
    cost = float(plan["hires_cost"].sum()) if planned else None
    figures = {
        "units": int(plan["unit_id"].nunique()),
        "positions": len(plan),
        "quota": quota,
        "headcount": int(plan["headcount"].sum()),
        "expected_departures": int(plan["expected_departures"].sum()),
        "vacancies_before": int(plan["vacancies"].sum()),
        "hires": hires,
        "vacancies_after": int(plan["remaining_vacancies"].sum()) if planned else None,
        "fill_before": overall_fill_rate(staying, quota),
        "fill_after": overall_fill_rate(staying + hires, quota) if hires is not None else None,
        "cost": cost,
        "cost_million": None if cost is None else cost / 1e6,
    }
    return figures


#: How the sheet writes the figures that are not columns (the others: their column's kind).
FIGURE_KINDS = {"vacancies_before": "count", "vacancies_after": "count", "fill_before": "rate",
                "fill_after": "rate", "cost_million": "million"}


def budget_table(plan: pd.DataFrame, budgets: Mapping[str, float],
                 total_budget: float | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Cost of the plan per funding source against that source's budget, and the total row.

    Sources appear in the order of the plan, then sources that have a budget but no rows.
    """
    planned = has_plan(plan)
    cost = plan.groupby("funding_source", sort=False)["hires_cost"].sum()
    sources = list(dict.fromkeys([*cost.index, *budgets]))
    rows = []
    for source in sources:
        spent = float(cost.get(source, 0.0)) if planned else None
        budget = budgets.get(source)
        rows.append({
            "funding_source": source, "budget": budget, "cost": spent,
            "remaining_budget": None if budget is None or spent is None else budget - spent,
            "used_share": spent / budget if budget and spent is not None else None,
        })
    table = pd.DataFrame(rows, columns=["funding_source", "budget", "cost", "remaining_budget",
                                        "used_share"])
    spent = float(cost.sum()) if planned else None
    if total_budget is None and sources and all(s in budgets for s in sources):
        total_budget = float(sum(budgets[s] for s in sources))
    total = {"budget": total_budget, "cost": spent,
             "remaining_budget": None if total_budget is None or spent is None
             else total_budget - spent,
             "used_share": spent / total_budget if total_budget and spent is not None else None}
    return table, total


def write_summary(ws: Worksheet, fmt: Formats, *, plan: pd.DataFrame, lang: str, title: str,
                  created: dt.date, scenario_name: str | None, fingerprint: str | None,
                  budgets: Mapping[str, float], total_budget: float | None,
                  solver_rows: list[tuple[str, Any, str]], chart: bytes | None) -> int:
    """Write the Summary sheet; returns the last row used (for the print area)."""
    for j, width in enumerate(WIDTHS):
        ws.set_column(j, j, width)
    ws.write_string(0, 0, title, fmt.get(bold=True, border=False, size=15))
    plain, bold_label = fmt.get(border=False), fmt.get(border=False, bold=True)
    row = 1
    ws.write_string(row, 0, text("summary.date", lang), bold_label)
    ws.write_datetime(row, 1, dt.datetime.combine(created, dt.time()),
                      fmt.get("date", border=False, align="left"))
    row += 1
    if scenario_name:
        ws.write_string(row, 0, text("summary.scenario", lang), bold_label)
        ws.write_string(row, 1, scenario_name, plain)
        row += 1
    if fingerprint:
        ws.write_string(row, 0, text("summary.inputs", lang), bold_label)
        ws.write_string(row, 1, fingerprint, plain)
        row += 1
    ws.write_string(row, 0, text("summary.units_of_measure", lang), fmt.get(border=False,
                                                                           italic=True))
    row += 1

    row = _section(ws, fmt, row + 1, text("summary.headline", lang))
    chart_end, last_col = row, len(WIDTHS) - 1
    if chart:
        # beside the figures: the page then holds the whole summary, on screen and on paper;
        # rendered at twice the size and shown at half, so it stays sharp when printed
        image = Image(io.BytesIO(chart))
        ws.insert_image(row - 1, CHART_COLUMN, "remaining_by_unit.png",
                        {"image_data": io.BytesIO(chart), "object_position": 3,
                         # xlsxwriter sizes by the PNG's DPI; undo that, then halve
                         "x_scale": 0.5 * image.x_dpi / 96, "y_scale": 0.5 * image.y_dpi / 96})
        chart_end = row - 1 + int(image.height / 2 // 20) + 1
        last_col = _last_column(CHART_COLUMN, image.width / 2)
        for r in range(row - 1, chart_end + 1):
            # rows of a fixed height, so the picture covers the same rows in every program
            # (LibreOffice otherwise sizes rows to the font and the picture runs further down)
            ws.set_row(r, 15)
    figures = plan_figures(plan)
    ws.write_string(row, 0, text("summary.figure", lang), fmt.get(header=True))
    ws.write_string(row, 1, text("summary.value", lang), fmt.get(header=True))
    for key, value in figures.items():
        row += 1
        kind = FIGURE_KINDS.get(key) or column_kind(key)
        emphasis = key in ("hires", "vacancies_after", "cost")
        ws.write_string(row, 0, text(f"summary.{key}", lang), fmt.get(bold=emphasis))
        write_cell(ws, row, 1, value, fmt.get(kind, bold=emphasis), kind)

    row = _section(ws, fmt, max(row, chart_end) + 2, text("summary.budget_section", lang))
    table, total = budget_table(plan, budgets, total_budget)
    shown = table.assign(funding_source=table["funding_source"].map(
        lambda s: source_name(s, lang)))
    columns = [Column(c, header(c, lang), k) for c, k in (
        ("funding_source", "text"), ("budget", "money"), ("cost", "money"),
        ("remaining_budget", "balance"), ("used_share", "rate"))]
    span = write_table(ws, fmt, shown, columns, row=row, total_label=text("total", lang))
    if span.total_row is None:
        raise ValueError("a table written with a total label has a total row")
    for key, value in total.items():
        kind = next(c.kind for c in columns if c.key == key)
        write_cell(ws, span.total_row, span.col(key), value,
                   fmt.get(kind, bold=True, fill="#F2F2F2"), kind)
    ws.set_row(span.header_row, 34)
    row = span.next_row
    if not budgets and total_budget is None:
        ws.write_string(row, 0, text("summary.no_budget", lang), fmt.get(border=False, italic=True))
        row += 1

    if solver_rows:  # only when there is no optimal plan (see plan_workbook)
        row = _section(ws, fmt, row + 1, text("summary.solver_section", lang))
        row = write_solver_rows(ws, fmt, row, solver_rows, width=len(WIDTHS) - 1,
                                chars=sum(WIDTHS[1:]) - 2)
    row = write_signatures(ws, fmt, row + 1, lang, right_col=CHART_COLUMN)
    # the printed page must take in the chart, which reaches past the last column with data
    ws.print_area(0, 0, row, last_col)
    return row


def write_solver_rows(ws: Worksheet, fmt: Formats, row: int,
                      solver_rows: list[tuple[str, Any, str]], *, width: int,
                      chars: int) -> int:
    """Label and value per row; long text merged over ``width`` columns and wrapped."""
    for label, value, kind in solver_rows:
        ws.write_string(row, 0, label, fmt.get())
        long_text = kind == "text" and isinstance(value, str) and len(value) > 40
        if long_text:
            ws.merge_range(row, 1, row, width, "", fmt.get(wrap=True))
            ws.set_row(row, 15 * wrapped_lines(value, chars) + 4)
        write_cell(ws, row, 1, value, fmt.get(kind, wrap=long_text), kind)
        row += 1
    return row


def write_signatures(ws: Worksheet, fmt: Formats, row: int, lang: str, *,
                     right_col: int) -> int:
    """The date line and the two signature lines of an attachment: the preparer (left) and
    the head of the unit (right), each with what to write under it; room to sign below.
    Returns the last row used."""
    ws.write_string(row, right_col, text("sign.date_line", lang),
                    fmt.get(italic=True, border=False, align="center"))
    row += 1
    for col, who in ((0, "preparer"), (right_col, "head")):
        ws.write_string(row, col, text(f"sign.{who}", lang),
                        fmt.get(bold=True, border=False, align="center"))
        ws.write_string(row + 1, col, text(f"sign.{who}_hint", lang),
                        fmt.get(italic=True, border=False, align="center"))
    return row + 5


def _last_column(first: int, width_px: float) -> int:
    """The column where a picture ``width_px`` wide placed at column ``first`` ends."""
    col, used = first, 0.0
    while True:
        chars = WIDTHS[col] if col < len(WIDTHS) else 8.43
        used += int(chars * 7 + 0.5) + 5
        if used >= width_px:
            return col
        col += 1


def _section(ws: Worksheet, fmt: Formats, row: int, title: str) -> int:
    ws.write_string(row, 0, title, fmt.get(bold=True, border=False, size=12))
    return row + 1


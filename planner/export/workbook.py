"""The allocation workbook managers download, and the plan as CSV.

``plan_workbook`` gives the XLSX bytes that ``solve --out plan.xlsx`` writes and the app
offers for download; ``plan_csv`` the CSV bytes. Both are deterministic: the same allocation,
inputs, scenario, language and date give the same bytes (the date is passed in; no solve
times, no clock, fixed document properties).

Sheets (Vietnamese names and headers by default, English with ``lang="en"``):
Summary (Tóm tắt), By unit (Theo đơn vị), Detail (Chi tiết), Parameters (Tham số) and
Checks (Kiểm tra). See docs/exports.md for what each holds.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import pandas as pd
import xlsxwriter

from planner.domain.text import fold
from planner.export.headers import in_words, text
from planner.export.plain_tables import table_csv, whole_numbers
from planner.export.sheets import (
    checks_table,
    write_by_unit,
    write_checks,
    write_detail,
    write_parameters,
)
from planner.export.summary import has_plan, write_summary
from planner.export.xlsx import Formats, page_setup, workbook_options
from planner.i18n import LANGS, catalogue, coded
from planner.optimise.allocate import PLAN_COLUMNS
from planner.present.labels import source_name

if TYPE_CHECKING:
    from planner.domain.scenario import Scenario
    from planner.io.inputs import Inputs
    from planner.optimise.result import Allocation

#: Kinds of the scenario's parameters (how the Parameters sheet shows their values).
PARAMETER_KINDS = {
    "base_salary": "money", "bonus_rate": "rate", "contribution_rates": "rate",
    "budgets": "money", "total_budget": "money", "min_fill": "rate", "target_fill": "rate",
    "time_limit": "decimal", "gap": "rate_fine", "objective": "text", "solver": "text",
    "default_coefficient": "decimal",
}
_SETTINGS = ("rows", "units")


def plan_csv(allocation: Allocation, *, headers: str = "ids") -> bytes:
    """The plan as CSV: UTF-8 with BOM, one row per (unit, position), the plan's columns.

    ``headers`` is "ids" (canonical column ids, the default), "vi" or "en" (labels). With ids
    the codes (staff type, funding source) stay codes; with labels they are words in the same
    language ("Công chức", "Ngân sách nhà nước"), so a file never mixes the two; text that a
    spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers (whole
    đồng written without ".0").
    """
    if headers not in ("ids", *LANGS):
        raise ValueError(f"headers must be 'ids', 'vi' or 'en', got {headers!r}")
    plan = allocation.plan
    table = whole_numbers(plan[[c for c in PLAN_COLUMNS if c in plan.columns]])
    if headers in LANGS:  # headers in words: staff types and funding sources too
        table = in_words(table, headers)
    return table_csv(table, headers=headers)


def plan_workbook(allocation: Allocation, *, inputs: Inputs | None = None,
                  scenario: Scenario | None = None, lang: str = "vi", title: str | None = None,
                  scenario_name: str | None = None, created: dt.date | None = None,
                  chart: bool = True, agency: str | None = None,
                  parent_agency: str | None = None) -> bytes:
    """The allocation workbook as XLSX bytes (see the module docstring).

    ``inputs`` adds the input files and their fingerprints (Parameters) and the validation
    warnings and skipped rows (Checks); ``scenario`` adds every scenario parameter and its
    per-row and per-unit settings. ``created`` is the date printed on the workbook and stored
    in its properties (default: today). ``chart=False`` leaves the chart image out.
    ``agency`` and ``parent_agency`` head every printed page (top left, as an attachment of an
    administrative document carries its issuing body). Page 1 (Summary) holds the officers'
    figures, the unit of measure and the signature lines; the solver's status, objective,
    bound and gap and the input fingerprint are on the Parameters sheet (the status and the
    explanation stay on page 1 only when there is no optimal plan: a reader must see that).
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}")
    created = created or dt.date.today()
    if isinstance(created, dt.datetime):
        created = created.date()
    title = title or text("title", lang)
    name = scenario_name or text("dated_name", lang, date=created.strftime("%d/%m/%Y"))
    subtitle = text("subtitle", lang, scenario=name, date=created.strftime("%d/%m/%Y"))
    plan = allocation.plan
    fingerprint = inputs.fingerprint if inputs is not None and inputs.files else None

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, workbook_options())
    stamp = dt.datetime.combine(created, dt.time())
    workbook.set_properties({
        "title": title, "subject": text("subject", lang), "author": "planner",
        "company": "", "comments": text("comments", lang, fingerprint=fingerprint or "–"),
        "created": stamp,
    })
    fmt = Formats(workbook)
    sheets = {k: workbook.add_worksheet(text(f"sheet.{k}", lang)) for k in
              ("summary", "by_unit", "detail", "parameters", "checks")}

    budgets, total_budget = _budgets(allocation, scenario)
    png = _chart_png(allocation.by_unit, lang) if chart and has_plan(plan) else None
    summary = sheets["summary"]
    solver_rows = _solver_rows(allocation, lang)
    not_optimal = str(allocation.status) != "optimal"
    write_summary(summary, fmt, plan=plan, lang=lang, title=title, created=created,
                  scenario_name=scenario_name, fingerprint=None, budgets=budgets,
                  total_budget=total_budget,
                  solver_rows=[r for r in solver_rows if r[0] in _page_one_labels(lang)]
                  if not_optimal else [], chart=png)
    page_setup(summary, repeat_row=None, footer=text("page", lang))
    summary.fit_to_pages(1, 1)  # the summary is one page
    summary.hide_gridlines(2)
    summary.activate()

    write_by_unit(sheets["by_unit"], fmt, allocation.by_unit, lang=lang, subtitle=subtitle)
    write_detail(sheets["detail"], fmt, plan, lang=lang, subtitle=subtitle)
    write_parameters(sheets["parameters"], fmt, parameter_rows(allocation, scenario, lang),
                     _settings(scenario), files_table(inputs, lang), fingerprint, lang=lang,
                     subtitle=subtitle, solver_rows=solver_rows)
    write_checks(sheets["checks"], fmt,
                 None if inputs is None else checks_table(inputs.warnings, inputs.skipped, lang),
                 lang=lang, subtitle=subtitle)
    if agency or parent_agency:
        for ws in sheets.values():  # a taller top margin makes room for the two lines
            ws.set_margins(left=0.4, right=0.4, top=1.0, bottom=0.6)
            ws.set_header(agency_header(agency, parent_agency), {"margin": 0.3})
    workbook.close()
    return buffer.getvalue()


def agency_header(agency: str | None, parent_agency: str | None) -> str:
    """The page header naming the issuing body (its parent above it), top left, in capitals
    as Decree 30/2020 writes it; ``&`` doubled so Excel prints it as typed."""
    lines = [x.upper().replace("&", "&&") for x in (parent_agency, agency) if x]
    if agency:
        lines[-1] = "&B" + lines[-1]
    return "&L" + "\n".join(lines)


def workbook_file_name(scenario_name: str | None, created: dt.date, *,
                       suffix: str = ".xlsx") -> str:
    """The download's file name from the plan's name and the date:
    "Phương án mẫu", 5 Mar 2026 → ``phuong_an_mau_2026-03-05.xlsx`` (ASCII: safe everywhere);
    without a name, ``phuong_an_2026-03-05.xlsx``."""
    stem = "_".join(fold(scenario_name or "").split())[:60] or "phuong_an"
    return f"{stem}_{created:%Y-%m-%d}{suffix}"


def _page_one_labels(lang: str) -> set[str]:
    """The solver rows page 1 keeps when there is no optimal plan: status and explanation."""
    return {text("summary.status", lang), text("summary.infeasible", lang)}


def _chart_png(by_unit: pd.DataFrame, lang: str) -> bytes:
    from planner.export.images import chart_png, summary_chart

    return chart_png(summary_chart(by_unit, lang=lang))


def _budgets(allocation: Allocation, scenario: Scenario | None
             ) -> tuple[dict[str, float], float | None]:
    """Budgets per funding source and the total budget the plan was solved under (the
    allocation's own; else the scenario's)."""
    budgets = {str(k): v for k, v in allocation.budgets.items() if v is not None}
    total = allocation.total_budget
    if total is None:
        total = (allocation.parameters or {}).get("total_budget")
    if scenario is not None:
        budgets = budgets or dict(scenario.budgets)
        total = total if total is not None else scenario.total_budget
    return {k: float(v) for k, v in budgets.items()}, None if total is None else float(total)


#: How the objective value reads for each objective.
_OBJECTIVE_KINDS = {"priority": "decimal", "fair": "rate", "min_cost": "money"}


def _solver_rows(allocation: Allocation, lang: str) -> list[tuple[str, Any, str]]:
    """The solver's status, objective, best bound and gap (never its running time)."""
    status = str(allocation.status)
    objective = str((allocation.parameters or {}).get("objective", "priority"))
    kind = _OBJECTIVE_KINDS.get(objective, "decimal")
    rows: list[tuple[str, Any, str]] = [
        (text("summary.status", lang), coded("export.status", status, lang), "text"),
        (text("summary.objective_kind", lang), coded("export.objective", objective, lang),
         "text"),
        (text(f"summary.objective_{objective}", lang) if objective in _OBJECTIVE_KINDS
         else text("summary.objective", lang), allocation.objective, kind),
        (text("summary.best_bound", lang), allocation.best_bound, kind),
        (text("summary.gap", lang), allocation.gap, "rate_fine"),
        (text("summary.solver", lang), _SOLVER_NAMES.get(str(allocation.solver),
                                                         str(allocation.solver)), "text"),
    ]
    if allocation.infeasibility is not None:
        from planner.present.plan_text import explain_infeasible  # the one wording of it

        rows.append((text("summary.infeasible", lang),
                     explain_infeasible(allocation.infeasibility, lang), "text"))
    return rows


_SOLVER_NAMES = {"highs": "HiGHS", "cbc": "CBC"}


def parameter_rows(allocation: Allocation, scenario: Scenario | None,
                   lang: str) -> list[tuple[str, str, Any, str]]:
    """(label, key, value, kind) for every parameter: the scenario's fields in order, then
    any further effective parameter the optimiser reports. Nested tables (budgets,
    contribution rates) give one row per entry; None means "not set"."""
    values: dict[str, Any] = {}
    if scenario is not None:
        from dataclasses import fields

        values = {f.name: getattr(scenario, f.name) for f in fields(scenario)
                  if f.name not in _SETTINGS}
    for key, value in (getattr(allocation, "parameters", None) or {}).items():
        if key not in _SETTINGS and (key not in values or scenario is None):
            values[key] = value
    rows: list[tuple[str, str, Any, str]] = []
    for key, value in values.items():
        kind = PARAMETER_KINDS.get(key, "text")
        if isinstance(value, Mapping):
            for sub, v in value.items():
                words = source_name(str(sub), lang) if key == "budgets" else \
                    coded("vocab.staff_type", str(sub), lang)
                rows.append((_param_label(key, lang, item=words), f"{key}.{sub}", _plain(v), kind))
            if not value:
                rows.append((_param_label(key, lang, item="–"), key, None, kind))
            continue
        if isinstance(value, bool):
            value, kind = text("yes" if value else "no", lang), "text"
        elif kind == "text" and value is not None:
            value = coded(f"export.{key}", str(_plain(value)), lang)
            value = _SOLVER_NAMES.get(str(value), value) if key == "solver" else value
        elif isinstance(value, str):
            kind = "text"
        rows.append((_param_label(key, lang), key, _plain(value), kind))
    return rows


def _param_label(key: str, lang: str, **params: Any) -> str:
    if f"export.param.{key}" in catalogue(lang):
        return text(f"param.{key}", lang, **params)
    return key if not params else f"{key} ({params.get('item')})"


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    return value


def _settings(scenario: Scenario | None) -> dict[str, pd.DataFrame]:
    """Per-row and per-unit settings of the scenario as tables (empty when none)."""
    out = {}
    columns = {"rows": ["unit_id", "position_id", "priority", "min_hires", "max_hires"],
               "units": ["unit_id", "max_hires", "budget_cap", "min_fill"]}
    for name, cols in columns.items():
        items = getattr(scenario, name, ()) if scenario is not None else ()
        out[name] = pd.DataFrame([vars(s) for s in items], columns=cols)
    return out


def files_table(inputs: Inputs | None, lang: str) -> pd.DataFrame:
    """The input files: role (in words), file name, sheet, fingerprint (SHA-256), data rows."""
    cols = ["role", "name", "sheet", "fingerprint", "rows"]
    if inputs is None:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame([
        {"role": text(f"role.{f.role}", lang), "name": f.name, "sheet": f.sheet,
         "fingerprint": f.fingerprint, "rows": f.rows} for f in inputs.files], columns=cols)

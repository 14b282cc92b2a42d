"""The validation report as one table, and the column-mapping choices it calls for.

No Streamlit here: the Data page shows these tables; tests check them directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from planner.domain.columns import ALL_COLUMNS
from planner.domain.problems import Problem, SkippedRow, problems_table
from planner.i18n import catalogue, problem_message, t
from planner.present.labels import column_label, ui

REPORT_COLUMNS = ["severity", "file", "sheet", "row", "column", "value", "message"]
#: Problems that a choice of column can fix, and the parameter naming the candidates.
MAPPABLE = {"missing_column": "found", "ambiguous_column": "columns",
            "map_header_not_found": "found"}


#: Words the core's messages use for the command line and that mean nothing in the app.
CLI_WORDS = re.compile(r"--[a-z]|PLANNER_[A-Z_]+|\bCLI\b")


def _words(problem: Problem, lang: str) -> dict[str, Any]:
    """The message's parameters in the officer's words: a table's name, column names."""
    params = dict(problem.params)
    if params.get("table") in ("quotas", "headcounts", "units"):
        params["table"] = "«" + t(f"store.role.{params['table']}", lang) + "»"
    for key in ("required", "known"):
        if isinstance(params.get(key), list | tuple):
            params[key] = ", ".join(f"«{column_label(c, lang)}»" for c in params[key])
    if "column_id" in params:
        params["column_label"] = column_label(params["column_id"], lang)
    for key, value in params.items():
        if isinstance(value, list | tuple):
            params[key] = "; ".join(map(str, value)) or "–"
    return params


def app_message(problem: Problem, lang: str) -> str:
    """A problem's message as the app shows it: the app's own wording where the core's names
    a command-line option, table and column names in words, never an internal id."""
    params = _words(problem, lang)
    key = f"ui.problem.{problem.code}"
    if key in catalogue(lang):
        return t(key, lang, **params, value=problem.value)
    return problem_message(replace(problem, params=params), lang)


def report_table(problems: Sequence[Problem], skipped: Sequence[SkippedRow],
                 lang: str) -> pd.DataFrame:
    """Errors, then warnings, then skipped rows: file, sheet, Excel row, column, message."""
    found = problems_table(list(problems), lang)
    # the same order (errors first, then by file, sheet and row), the app's messages
    mine = pd.DataFrame({"i": range(len(problems)),
                         "o": [0 if p.is_error else 1 for p in problems],
                         "file": [p.file for p in problems], "sheet": [p.sheet for p in problems],
                         "row": pd.array([p.row for p in problems], dtype="Int64")})
    order = mine.sort_values(["o", "file", "sheet", "row"], kind="stable",
                             na_position="first")["i"].tolist()
    found["message"] = [app_message(problems[i], lang) for i in order]
    found["severity"] = found["severity"].map(lambda s: t(f"severity.{s}", lang))
    rows = pd.DataFrame(
        [{"severity": ui("report.skipped", lang), "file": s.file, "sheet": s.sheet,
          "row": s.row, "column": "", "value": s.text,
          "message": t(f"skipped.{s.kind}", lang)} for s in skipped],
        columns=REPORT_COLUMNS)
    table = pd.concat([found[REPORT_COLUMNS], rows], ignore_index=True) if len(rows) else \
        found[REPORT_COLUMNS]
    table["row"] = pd.to_numeric(table["row"]).astype("Int64")
    for col in ("file", "sheet", "column", "value", "message"):
        table[col] = table[col].fillna("").astype(str)
    return table.reset_index(drop=True)


@dataclass(frozen=True)
class MappingChoice:
    """A required column the reader could not pick: where, and the headers to choose from."""

    role: str  # quotas, headcounts, units
    file: str
    column_id: str
    options: tuple[str, ...]  # "D · Biên chế 2019" as the file shows them

    def column_label(self, lang: str) -> str:
        return f"{column_label(self.column_id, lang)} ({self.column_id})"


def mapping_choices(problems: Sequence[Problem], roles: Mapping[str, str]
                    ) -> list[MappingChoice]:
    """One choice per column to map; ``roles`` maps a file name to its table role."""
    out: dict[tuple[str, str], MappingChoice] = {}
    for p in problems:
        param = MAPPABLE.get(p.code)
        column_id = p.params.get("column_id")
        if param is None or column_id not in ALL_COLUMNS or p.file not in roles:
            continue
        options = tuple(str(o) for o in p.params.get(param) or ())
        if p.code == "ambiguous_column" and p.params.get("found"):
            options = tuple(str(o) for o in p.params["found"])
        if not options:
            continue
        key = (roles[p.file], column_id)
        out.setdefault(key, MappingChoice(roles[p.file], p.file, column_id, options))
    return list(out.values())

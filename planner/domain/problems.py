"""Problems found in the user's input: one record per problem, one table for all of them.

Each problem names the file, sheet, the row number as Excel shows it, the column (letter and
header as typed), the bad value and a message code; :mod:`planner.i18n` renders the message
in Vietnamese or English. Nothing here raises for a user's mistake except :class:`InputError`,
which carries every problem found, not just the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

#: Characters of a bad value quoted in a problem.
VALUE_CHARS = 80


def visible(text: str) -> str:
    """``text`` with each invisible character written as its code point, "[U+FEFF]": control
    and format characters (NUL, byte-order mark, zero-width space, direction marks), line and
    paragraph separators, and spaces other than the plain one (no-break space …)."""
    if text.isprintable():  # the common case, in C (str.isprintable is False for all of them)
        return text
    return "".join(f"[U+{ord(ch):04X}]" if _invisible(ch) else ch for ch in text)


def _invisible(ch: str) -> bool:
    import unicodedata

    kind = unicodedata.category(ch)
    return kind in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") or (kind == "Zs" and ch != " ")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, kw_only=True)
class Problem:
    severity: Severity
    code: str  # key of the message in the i18n catalogue, e.g. "not_whole_number"
    file: str = ""
    sheet: str = ""
    row: int | None = None  # row number as the user sees it in Excel (1-based)
    column: str = ""  # "D · Biên chế được giao" or a canonical id when no header exists
    value: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # a message quotes the value with its invisible characters shown ("12[U+0000]");
        # a 50,000-character cell is shown by its beginning
        object.__setattr__(self, "value", visible(self.value))
        if len(self.value) > VALUE_CHARS:
            object.__setattr__(self, "value", self.value[:VALUE_CHARS] + "…")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(frozen=True, kw_only=True)
class SkippedRow:
    """A row read but not imported as data (title, group, subtotal, signature ...)."""

    file: str
    sheet: str
    row: int
    kind: str  # "title", "column_numbers", "group", "total", "footer", "blank"
    text: str


PROBLEM_COLUMNS = ["severity", "file", "sheet", "row", "column", "value", "message", "code"]


def problems_table(problems: list[Problem], lang: str = "vi") -> pd.DataFrame:
    """All problems as one table (errors first, then by file and row), messages in ``lang``."""
    from planner.i18n import problem_message  # local: i18n imports this module

    rows = [
        {
            "severity": p.severity.value,
            "file": p.file,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "message": problem_message(p, lang),
            "code": p.code,
        }
        for p in problems
    ]
    table = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    table["row"] = table["row"].astype("Int64")
    order = table["severity"].map({"error": 0, "warning": 1})
    return (
        table.assign(_o=order)
        .sort_values(["_o", "file", "sheet", "row"], kind="stable", na_position="first")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


class InputError(Exception):
    """The user's input cannot be used. Carries every problem found (errors and warnings)."""

    def __init__(self, problems: list[Problem], skipped: list[SkippedRow] | None = None):
        self.problems = list(problems)
        self.skipped = list(skipped or [])
        errors = [p for p in self.problems if p.is_error]
        super().__init__(f"{len(errors)} error(s) in the input" + (
            f"; first: {errors[0].code} in {errors[0].file} row {errors[0].row}" if errors else ""
        ))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def table(self, lang: str = "vi") -> pd.DataFrame:
        return problems_table(self.problems, lang)

    def render(self, lang: str = "vi", limit: int = 50) -> str:
        """Human-readable text of the errors (then warnings), for the CLI."""
        from planner.i18n import problem_line

        ordered = [p for p in self.problems if p.is_error] + [
            p for p in self.problems if not p.is_error
        ]
        lines = [problem_line(p, lang) for p in ordered[:limit]]
        if len(ordered) > limit:
            from planner.i18n import t

            lines.append(t("more_problems", lang, n=len(ordered) - limit))
        return "\n".join(lines)

"""The core's messages as the app shows them (issue 13, item 7): in the officer's language,
with no command-line option, environment variable, table or column id, and no "None".

Every message of the ``[problem]`` catalogue is built with the parameters its text names
(tables and columns given as the core gives them: ids), then read as the app shows it.
"""

from __future__ import annotations

import re
import string

import pytest

from planner.domain.columns import ALL_COLUMNS
from planner.domain.problems import Problem, Severity
from planner.i18n import catalogue
from planner.ui.report import app_message, report_table

CODE_IDS = [c for c in ALL_COLUMNS if "_" in c]  # "quota" is also an English word
IDS = re.compile(r"\b(" + "|".join(sorted(CODE_IDS, key=len, reverse=True)) + r"|None|nan)\b"
                 + r"|\((" + "|".join(ALL_COLUMNS) + r")\)")
TABLE_IDS = re.compile(r"\b(quotas|headcounts)\b")  # checked in Vietnamese
CLI = re.compile(r"--[a-z]|PLANNER_[A-Z_]+|\bCLI\b|\{")


def example(code: str, lang: str) -> Problem:
    text = catalogue(lang)[f"problem.{code}"]
    names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    params = {}
    for name in names - {"value", "column_label"}:
        params[name] = {"table": "quotas", "required": ["unit_name", "quota"],
                        "column_id": "quota", "known": ["quota", "unit_name"],
                        "found": ["A · Tên đơn vị", "B · Biên chế"],
                        "columns": ["D · Biên chế 2024", "E · Biên chế 2025"]}.get(name, "7")
    if "column_label" in names:
        params.setdefault("column_id", "quota")
    return Problem(severity=Severity.ERROR, code=code, file="bien_che.xlsx", value="x",
                   params=params)


CODES = sorted(k.split(".", 1)[1] for k in catalogue("vi") if k.startswith("problem."))


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("code", CODES)
def test_no_internal_names_in_the_apps_messages(code, lang):
    message = app_message(example(code, lang), lang)
    assert not CLI.search(message), message
    assert not IDS.search(message), message
    assert lang == "en" or not TABLE_IDS.search(message), message


def test_the_report_keeps_each_message_with_its_row():
    problems = [Problem(severity=Severity.WARNING, code="not_whole_number", file="b.csv", row=9,
                        column="C · Biên chế", value="2,5"),
                Problem(severity=Severity.ERROR, code="no_header", file="a.csv",
                        params={"table": "quotas", "required": ["unit_name", "quota"]})]
    table = report_table(problems, [], "vi")
    assert table["file"].tolist() == ["a.csv", "b.csv"]  # errors first
    assert "«Chỉ tiêu biên chế»" in table["message"][0] and "--map" not in table["message"][0]
    assert "2,5" in table["message"][1] and "2,5" not in table["message"][0]
    assert pd_isna(table["row"][0]) and table["row"][1] == 9


def pd_isna(v) -> bool:
    import pandas as pd

    return bool(pd.isna(v))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_apps_own_words_name_no_file_setting_or_command(lang):
    """What the app's pages say (``ui.``, ``store.ui.``, ``auth.``, ``amount.``, ``compare.``)
    names no command-line option, environment variable, file path or command."""
    leaks = {k: v for k, v in catalogue(lang).items()
             if k.startswith(("ui.", "store.ui.", "auth.", "amount.", "compare."))
             and re.search(r"--[a-z]|PLANNER_|docs/|var/|\.db\b|\.py\b|\bCLI\b|python -m", v)}
    assert leaks == {}

"""A scenario file (.toml) the officer opens on the Plan page, and what the app says when it
cannot be used (issue 13, item 7).

The message names the file and the key in it, says what is expected and shows the value as the
file has it, in the officer's language: never Python's words ("'utf-8' codec …", "dict"), the
TOML reader's English ("Invalid value (at line 1, column 11)") or a funding source by its code
alone. The rules themselves are the core's (:class:`Scenario`, ``[param]`` messages); only
their wording for the app is here. No Streamlit here: tests call it directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from planner.domain.parameters import ScenarioError, check_known
from planner.domain.scenario import Scenario
from planner.i18n import catalogue, t
from planner.present.labels import source_name, ui

#: First bytes of an Excel/Word file (zip: xlsx, docx, ods; OLE2: xls, doc).
OFFICE_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


class ScenarioFileError(ValueError):
    """The file is not a scenario file at all: ``code`` is a ``[ui.scenario_file]`` key."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


def read(data: bytes, *, sources: Iterable[str]) -> Scenario:
    """The scenario in ``data``; its budgets' funding sources must be the data's ``sources``
    (an unknown one would otherwise be kept silently until Solve)."""
    if data.startswith(OFFICE_MAGIC):
        raise ScenarioFileError("workbook")
    if b"\x00" in data:
        raise ScenarioFileError("binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioFileError("encoding", position=exc.start + 1) from None
    scenario = Scenario.from_toml(text)
    known = sorted(set(sources))
    for source in scenario.budgets:
        check_known(f"budgets.{source}", source, known)
    return scenario


def message(exc: ScenarioError | ScenarioFileError, *, name: str, lang: str) -> str:
    """The whole message the Plan page shows for the file ``name``."""
    return ui("scenario_file.message", lang, name=name, message=_reason(exc, lang))


def _reason(exc: ScenarioError | ScenarioFileError, lang: str) -> str:
    if isinstance(exc, ScenarioFileError):
        return ui(f"scenario_file.{exc.code}", lang, **exc.params)
    if exc.code == "bad_toml":
        detail = str(exc.params.get("detail", ""))
        at = TOML_AT.search(detail)
        if at:
            return ui("scenario_file.syntax_at", lang, line=at[1], column=at[2])
        if "end of document" in detail:
            return ui("scenario_file.syntax_end", lang)
        return ui("scenario_file.syntax", lang)
    if exc.code == "not_array":
        kind = str(exc.params.get("kind", ""))
        got_key = f"ui.scenario_file.got.{exc.params.get('got')}"
        got = t(got_key if got_key in catalogue(lang) else "ui.scenario_file.got.other", lang,
                kind=kind)
        return ui("scenario_file.not_array", lang, kind=kind, got=got)
    shown = dict(exc.params)
    if "parameter" in shown:
        shown["parameter"] = _key(str(shown["parameter"]), lang)
    if "value" in shown:
        shown["value"] = _value(shown["value"], lang)
    if exc.code == "unknown_source":
        shown["known"] = ", ".join(f"«{s}» ({source_name(s, lang)})"
                                   for s in str(shown.get("known", "")).split(", ") if s)
    return exc.render_with(shown, lang)


def _key(key: str, lang: str) -> str:
    """A key of the file with its meaning: «budgets.state_budget» (Ngân sách nhà nước)."""
    head, _, entry = key.partition(".")
    words = catalogue(lang).get(f"param.name.{head}")
    if head == "budgets" and entry:  # a source the data does not have: its key alone
        words = source_name(entry, lang) if source_name(entry, lang) != entry else None
    elif words and entry:
        words = f"{words} – {entry}"
    if not words or words == key:
        return ui("scenario_file.key_plain", lang, key=key)
    return ui("scenario_file.key", lang, key=key, words=words)


def _value(value: Any, lang: str) -> str:
    """A value as the file writes it: text in quotes, a decimal number with the language's
    decimal mark."""
    if isinstance(value, str):
        return f"«{value[:80]}»" if lang == "vi" else f"“{value[:80]}”"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and lang == "vi":
        return repr(value).replace(".", ",")
    return str(value)[:80]

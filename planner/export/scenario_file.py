"""A saved scenario as a TOML file that ``solve --scenario`` reads: nothing in it can be injected.

Every value is written by the TOML library (tomli_w): the parameters, and the record of the
saved scenario (name, id, author, note, time, input files), which sits in the file's header
as TOML values inside comments::

    # Recruitment plan scenario (planner). VND; rates as shares (0.25 = 25%).
    # Saved scenario / phương án đã lưu:
    #   name = "Ngân sách -20 tỷ"
    #   id = 12
    #   author = "Lan\ntotal_budget = 1000000000\n# "
    #   ...

A name, author, note or file name is always one TOML string: a line break in it is written
``\\n``, a control character ``\\u001b``, so it can never become a parameter or a line of its
own, and the file always reads back (:func:`saved_record` gives the record exactly as saved).
Characters that would still act on a terminal or reorder text (C1 controls, bidi controls,
Unicode line separators) are written as ``\\uXXXX`` escapes too: the file prints safely.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import tomli_w

from planner.store.records import StoredScenario

HEADER = "# Recruitment plan scenario (planner). VND; rates as shares (0.25 = 25%)."
SAVED_HEADER = "# Saved scenario / phương án đã lưu:"
PREFIX = "#   "
#: characters left raw by tomli_w (TOML allows them) that a terminal or an editor acts on
#: (a tab inside a value too: every value then reads as it is, one character per character)
_ESCAPE_TOO = re.compile("[\t\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                         "\u2066-\u2069]")


def toml_text(data: dict[str, Any]) -> str:
    """``data`` as TOML by tomli_w, one value per line, every odd character escaped.

    tomli_w writes every string as a basic string ("..."), where ``\\uXXXX`` is valid, and
    those characters can only occur inside strings: the escaping keeps the values exact.
    """
    return _ESCAPE_TOO.sub(lambda m: f"\\u{ord(m.group()):04X}", tomli_w.dumps(data))


def saved_record_of(stored: StoredScenario) -> dict[str, Any]:
    """What the header records of a saved scenario (plain TOML data)."""
    i = stored.info
    record: dict[str, Any] = {
        "name": i.name, "id": i.id, "author": i.author,
        "saved": i.updated_at.isoformat(timespec="seconds"),
        "inputs_fingerprint": i.inputs_fingerprint, "note": i.note,
    }
    if stored.input_files:
        record["inputs"] = [{"role": f.role, "name": f.name, "sheet": f.sheet,
                             "fingerprint": f.fingerprint} for f in stored.input_files]
    return record


def scenario_toml(stored: StoredScenario) -> str:
    """The saved scenario as a scenario file: the header record, then its parameters."""
    record = toml_text(saved_record_of(stored)).rstrip("\n").split("\n")
    lines = [HEADER, SAVED_HEADER, *(PREFIX + line if line else "#" for line in record), ""]
    return "\n".join(lines) + "\n" + toml_text(_parameters(stored))


def parameters_toml(stored: StoredScenario) -> str:
    """Only the parameters, as the file writes them (for ``scenarios show``)."""
    return toml_text(_parameters(stored))


def _parameters(stored: StoredScenario) -> dict[str, Any]:
    """The scenario's parameters; a multi-year plan's with its ``[multiyear]`` table, so that
    ``plan --scenario`` reads the file back into the same settings."""
    data = stored.scenario.to_dict()
    if stored.is_multiyear:
        from planner.store.multiyear import multiyear_toml_table

        data["multiyear"] = multiyear_toml_table(stored.summary)
    return data


def saved_record(text: str) -> dict[str, Any]:
    """The record :func:`scenario_toml` wrote in the header of ``text`` ({} if none)."""
    lines = text.split("\n")  # TOML's line breaks only: U+2028 and the like are not one
    if SAVED_HEADER not in lines:
        return {}
    body = []
    for line in lines[lines.index(SAVED_HEADER) + 1:]:
        if line.startswith(PREFIX):
            body.append(line[len(PREFIX):])
        elif line == "#":
            body.append("")
        else:
            break
    return tomllib.loads("\n".join(body))

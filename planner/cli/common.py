"""Arguments shared by the commands: input files, column mappings, language, outputs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from planner.domain.problems import VALUE_CHARS, InputError, Problem, Severity
from planner.domain.text import printable
from planner.export.files import check_writable, write_atomic
from planner.io.inputs import Inputs, load_inputs
from planner.io.sample import SAMPLE_FILES


def add_input_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("inputs (default: the bundled sample province)")
    g.add_argument("--quotas", metavar="FILE",
                   help="approved quotas, CSV or XLSX (may also carry the headcount columns)")
    g.add_argument("--headcounts", metavar="FILE", help="staff on board, CSV or XLSX")
    g.add_argument("--units", metavar="FILE", help="optional per-unit limits, CSV or XLSX")
    g.add_argument("--sheet", help="sheet name or number in workbooks (default: the first "
                   "sheet holding a recognisable table)")
    g.add_argument("--map", action="append", default=[], metavar="[TABLE.]COLUMN=HEADER",
                   help='map a column whose header is not recognised, e.g. '
                   '--map quota="Chỉ tiêu 2019" or --map headcounts.headcount=F (repeatable); '
                   'a column under merged parents is named by its path, e.g. '
                   '--map headcount="Biên chế có mặt › Biên chế"')
    g.add_argument("--year", type=int, metavar="YYYY",
                   help="when a table gives a figure for several years side by side, read "
                   "this year's column (default: the latest, with a warning naming both)")
    add_lang_argument(p)


def add_lang_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("vi", "en"), default=None,
                   help="language of messages and output headers. Messages and workbooks are "
                   "Vietnamese unless --lang en; CSV headers are the canonical column ids "
                   "unless --lang is given")
    p.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)


def message_lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or "vi"


def parse_money(text: str, lang: str = "vi") -> float:
    """An amount of đồng as people type it (:func:`planner.io.amounts.parse_amount`, the parser
    the app's fields use too): 60000000000, 60e9, "60.000.000.000", "2 340 000", "60 tỷ",
    "1,5 tỷ", "500 triệu". Raises ScenarioError with the catalogue message otherwise (an
    ambiguous "1.500 tỷ" included)."""
    from planner.domain.scenario import ScenarioError
    from planner.io.amounts import AmountError, Unit, parse_amount

    try:
        value = parse_amount(str(text), unit=Unit.DONG)
    except AmountError as exc:
        raise ScenarioError.rendered(exc.message(lang)) from None
    if value is None:  # blank
        raise ScenarioError(AmountError("not_a_number", str(text)).message(lang))
    return value


def parse_mappings(items: list[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for item in items:
        if "=" not in item:
            raise InputError([Problem(severity=Severity.ERROR, code="bad_map_option", value=item)])
        left, header = item.split("=", 1)
        role, _, column = left.strip().rpartition(".")
        roles = [role] if role else ["quotas", "headcounts", "units"]
        for r in roles:
            out.setdefault(r, {})[column.strip()] = header.strip().strip('"')
    return out


def load_from_args(args: argparse.Namespace) -> Inputs:
    if args.quotas is None:
        if args.headcounts or args.units:
            raise InputError([Problem(severity=Severity.ERROR, code="quotas_required")])
        quotas, headcounts, units = (SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"],
                                     SAMPLE_FILES["units"])
    else:
        quotas, headcounts, units = args.quotas, args.headcounts, args.units
    mappings = parse_mappings(args.map)
    # an unqualified --map applies to every table that has such a column; drop it elsewhere
    return load_inputs(quotas, headcounts, units, mappings=_only_known(mappings),
                       sheet=args.sheet, year=getattr(args, "year", None))


def _only_known(mappings: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    from planner.domain.columns import HEADCOUNTS, QUOTAS, UNITS

    specs = {"quotas": QUOTAS, "headcounts": HEADCOUNTS, "units": UNITS}
    out: dict[str, dict[str, str]] = {}
    for role, cols in mappings.items():
        if role not in specs:
            raise InputError([Problem(severity=Severity.ERROR, code="bad_map_option",
                                      value=f"{role}.…")])
        known = specs[role].by_id()
        kept = {c: h for c, h in cols.items() if c in known}
        if kept:
            out[role] = kept
    all_known = {c for s in specs.values() for c in s.by_id()}
    for cols in mappings.values():
        for c in cols:
            if c not in all_known:
                raise InputError([Problem(severity=Severity.ERROR, code="map_unknown_column",
                                          value=c, params={"known": ", ".join(sorted(all_known))})])
    return out


def print_warnings(inputs: Inputs, lang: str, limit: int = 20) -> None:
    from planner.i18n import problem_line, t

    for p in inputs.warnings[:limit]:
        say(problem_line(p, lang), err=True)
    if len(inputs.warnings) > limit:
        say(t("more_problems", lang, n=len(inputs.warnings) - limit), err=True)


def output_path(out: str) -> Path:
    """``--out`` as a path; a suffix other than .csv or .xlsx is bad input."""
    path = Path(out)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError([Problem(severity=Severity.ERROR, code="bad_output_suffix", value=out)])
    return path


def _cannot_write(path: str | Path, exc: OSError) -> InputError:
    shown = printable(path)
    if len(shown) > VALUE_CHARS:  # a long path keeps its end: the file's name
        shown = "…" + shown[-(VALUE_CHARS - 1):]
    return InputError([Problem(severity=Severity.ERROR, code="cannot_write_output",
                               value=shown,
                               params={"detail": exc.strerror or str(exc)})])


def check_output(path: str | Path | None) -> None:
    """Before any work: ``path`` can be written (its folder exists and takes a new file; it
    is not a folder). Bad input otherwise (exit 2, the message names ``path``)."""
    if path is None or str(path) == "-":
        return
    try:
        check_writable(path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def write_output(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then a rename: a
    failure leaves the previous file intact and no temporary file); a file that cannot be
    written is bad input (exit 2, the message names ``path`` as given)."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def say(text: object = "", *, err: bool = False) -> None:
    """Print ``text`` (which may hold names, notes or cells typed by users) with every control
    character other than a line break escaped: what every command prints goes through here
    or through :func:`planner.domain.text.printable`, so no saved name can drive the terminal."""
    print(printable(text, keep="\n"), file=sys.stderr if err else sys.stdout)


def write_table(table: pd.DataFrame, out: str, *, lang: str | None, sheet: str) -> None:
    """Write a table as CSV (UTF-8 with BOM, canonical ids) or XLSX, chosen by the suffix."""
    from planner.export.plain_tables import table_csv, table_xlsx

    path = output_path(out)
    if path.suffix.lower() == ".csv":
        data = table_csv(table, headers=lang or "ids")
    else:
        data = table_xlsx(table, sheet=sheet, lang=lang or "vi")
    write_output(out, data)


def add_save_arguments(p: argparse.ArgumentParser, *, what: str) -> None:
    """``--save NAME`` and its companions, for a command whose result ``what`` is saved
    ("the scenario and its result", "the multi-year plan")."""
    g = p.add_argument_group("saving the result (see `scenarios` and `compare`)")
    g.add_argument("--save", metavar="NAME", help=f"also save {what} in the scenario store")
    g.add_argument("--note", default="", help="a note kept with what is saved")
    g.add_argument("--author", default="", help="who saved it")
    g.add_argument("--replace", action="store_true",
                   help="overwrite a saved scenario of the same name")
    g.add_argument("--database", metavar="URL", default=None,
                   help="the scenario store (default: PLANNER_DATABASE_URL, else "
                   "var/scenarios.db)")

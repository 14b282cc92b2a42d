"""The command-line front: ``python -m planner COMMAND ...``.

Each command lives in its own module of this package with ``add_arguments(parser)`` and
``run(args) -> int``. Exit codes: 0 success, 2 bad input (a message, no traceback),
3 an infeasible requirement (with an explanation), 1 anything unexpected.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from planner.domain.problems import InputError
from planner.domain.scenario import ScenarioError
from planner.domain.text import printable

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3

#: command name → (module, one-line help)
COMMANDS = {
    "validate": ("validate", "check the input files and print a short summary or the problems"),
    "gaps": ("gaps", "write the staffing gaps table (vacancies, surplus, cost per hire)"),
    "solve": ("solve", "propose a hiring allocation under budgets and requirements"),
    "sweep": ("sweep", "the budget curve: what each extra billion VND buys"),
    "plan": ("plan", "the multi-year staffing plan: quota path, departures, hires year by year"),
    "scenarios": ("scenarios", "list, show, export, rename or delete saved scenarios"),
    "compare": ("compare", "compare two or three saved scenarios side by side"),
    "document": ("document", "write a document to sign: the recruitment plan (.docx)"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors are bad input: exit 2, no traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; with ``only``, the arguments of that command alone (the
    others are listed by name and help, their modules not imported: ``solve`` need not load
    the scenario store or the document writers, about 0.5 s of imports)."""
    parser = _Parser(prog="python -m planner", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or name == only:
            module = importlib.import_module(f"planner.cli.{module_name}")
            module.add_arguments(p)
            p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
    args = parser.parse_args(words)
    lang = getattr(args, "lang", None) or "vi"
    try:
        return int(args._run(args) or EXIT_OK)
    except InputError as exc:
        print(printable(exc.render(lang), keep="\n"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except ScenarioError as exc:
        print(printable(exc.render(lang), keep="\n"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one place a traceback is summarised, not shown
        print(printable(f"unexpected error ({type(exc).__name__}): {exc}. ", keep="\n") +
              "Please report it with the command you ran.", file=sys.stderr)
        if "--debug" in (argv or sys.argv):
            raise
        return EXIT_UNEXPECTED

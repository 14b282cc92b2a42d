"""``validate``: check the inputs; print a short summary or every problem (exit 2)."""

from __future__ import annotations

import argparse

from planner.cli.common import (
    add_input_arguments,
    load_from_args,
    message_lang,
    print_warnings,
    say,
)
from planner.domain.gaps import headline, staffing_gaps
from planner.i18n import fmt_number, t


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_arguments(p)


def run(args: argparse.Namespace) -> int:
    lang = message_lang(args)
    inputs = load_from_args(args)
    h = headline(staffing_gaps(inputs.positions))
    print_warnings(inputs, lang)

    def n(value: float) -> str:
        return fmt_number(value, lang)

    say(t("cli.valid", lang, files=", ".join(f.name for f in inputs.files)))
    say(t("cli.summary", lang, units=n(h["units"]), positions=n(h["positions"]),
            quota=n(h["quota"]), headcount=n(h["headcount"]), vacancies=n(h["vacancies"]),
            surplus=n(h["surplus"]), skipped=n(sum(1 for s in inputs.skipped if s.kind != "blank")),
            warnings=n(len(inputs.warnings))))
    return 0

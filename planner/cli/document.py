"""``document``: the documents a manager signs, from a plan solved on the spot.

``python -m planner document recruitment-plan [inputs] [plan parameters] --out KH.docx``
writes the recruitment plan (Word, Decree 30/2020 layout, with its annex). The plan is solved
exactly as ``solve`` would (same inputs, same ``--scenario`` and flags). ``--date`` fixes the
document's date (default: today): the same plan, options and date give the same bytes as
the app's download. Exit codes as ``solve``: 0 written, 2 bad input, 3 no plan meets the
requirements (with the explanation), 1 time ran out before any plan.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.common import (
    add_input_arguments,
    check_output,
    load_from_args,
    message_lang,
    print_warnings,
    say,
    write_output,
)
from planner.cli.solve import (
    EXIT_INFEASIBLE,
    EXIT_NO_SOLUTION,
    add_plan_arguments,
    scenario_from_args,
)
from planner.domain.problems import InputError, Problem, Severity
from planner.domain.text import printable
from planner.i18n import fmt_number, t

if TYPE_CHECKING:
    from planner.export.recruitment_plan import Issuer

#: document kind → (suffix of --out, one-line help)
KINDS = {
    "recruitment-plan": (".docx", "the recruitment plan (Word, Decree 30/2020) with its annex"),
    "staffing-report": (".xlsx", "the staffing report: quota and staff on board per unit, by "
                        "staff type and by position group (workbook)"),
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="document", required=True, parser_class=type(p))
    for name, (suffix, help_text) in KINDS.items():
        d = sub.add_parser(name, help=help_text, description=help_text)
        add_input_arguments(d)
        d.add_argument("--out", required=True, metavar=f"FILE{suffix}")
        d.add_argument("--date", metavar="DD/MM/YYYY",
                       help="the document's date (default: today); also YYYY-MM-DD")
        g = d.add_argument_group("who issues it")
        g.add_argument("--parent-body", metavar="TEXT",
                       help='the issuing body\'s parent, e.g. "UBND tỉnh Khánh Hòa"')
        g.add_argument("--body", metavar="TEXT", help='the issuing body, e.g. "Sở Nội vụ"')
        if name == "recruitment-plan":
            add_plan_arguments(d)
            d.add_argument("--name", metavar="NAME", help="the plan's (scenario's) name")
            _plan_options(d)


def _plan_options(d: argparse.ArgumentParser) -> None:
    """What the recruitment plan covers and who signs it."""
    g = d.add_argument_group("what the plan covers and who signs it")
    g.add_argument("--plan-year", type=int, metavar="YYYY",
                   help="the recruitment year in the title (default: the year of --date)")
    g.add_argument("--unit", metavar="CODE|NAME",
                   help="the plan of one unit (default: every unit of the plan)")
    g.add_argument("--staff-type", choices=("civil_servant", "public_employee", "contract"),
                   help="one staff type only (default: all)")
    g.add_argument("--symbol", metavar="TEXT", help='the symbol after the number, e.g. '
                   '"KH-SNV" (default: "KH-……", to fill)')
    g.add_argument("--place", metavar="TEXT", help='the place name, e.g. "Khánh Hòa"')
    g.add_argument("--authority", metavar="TEXT", help='the signing authority, e.g. '
                   '"KT. GIÁM ĐỐC" (default: none)')
    g.add_argument("--signer-title", metavar="TEXT", help='the signer\'s title, e.g. '
                   '"PHÓ GIÁM ĐỐC"')
    g.add_argument("--signer-name", metavar="TEXT", help="the signer's name")


def parse_date(value: str | None) -> dt.date:
    """``--date`` as typed (05/03/2026 or 2026-03-05); today when not given."""
    if value is None:
        return dt.date.today()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise InputError([Problem(severity=Severity.ERROR, code="doc_bad_date", value=value)])


def issuer_from_args(args: argparse.Namespace) -> Issuer:
    """The issuer block from the flags given (the others keep their marked blanks)."""
    from planner.export.recruitment_plan import Issuer

    given = {k: getattr(args, k) for k in ("parent_body", "body", "symbol", "place",
                                           "authority", "signer_title", "signer_name")
             if getattr(args, k, None)}
    return Issuer(**given)


def run(args: argparse.Namespace) -> int:
    from planner.api import solve as solve_scenario
    from planner.optimise.result import SolveStatus
    from planner.present.plan_text import explain_infeasible, status_line

    lang = message_lang(args)
    suffix = KINDS[args.document][0]
    out = Path(args.out)
    if out.suffix.lower() != suffix:
        raise InputError([Problem(severity=Severity.ERROR, code="doc_bad_suffix",
                                  value=str(args.out), params={"expected": suffix})])
    check_output(out)
    created = parse_date(args.date)
    if args.document == "staffing-report":
        return _staffing_report(args, out, created, lang)
    scenario = scenario_from_args(args)
    inputs = load_from_args(args)
    from planner.export.recruitment_plan import select_rows

    select_rows(inputs.positions, unit=args.unit, staff_type=args.staff_type)  # before the solve
    print_warnings(inputs, lang)
    allocation = solve_scenario(inputs, scenario, explain=False)
    say(status_line(allocation, lang))
    if allocation.status is SolveStatus.INFEASIBLE:
        say(explain_infeasible(allocation.infeasibility, lang), err=True)
        say(t("opt.not_written", lang, path=printable(out)), err=True)
        return EXIT_INFEASIBLE
    if allocation.status is SolveStatus.NO_SOLUTION_TIME_LIMIT:
        say(t("opt.no_solution", lang, seconds=fmt_number(scenario.time_limit or 0, lang, 2)),
            err=True)
        return EXIT_NO_SOLUTION
    from planner.export.recruitment_plan import recruitment_plan_docx

    data = recruitment_plan_docx(allocation, inputs=inputs, created=created, year=args.plan_year,
                                 unit=args.unit, staff_type=args.staff_type,
                                 issuer=issuer_from_args(args), scenario_name=args.name)
    write_output(out, data)
    say(t("opt.written", lang, path=printable(out)))
    return 0


def _staffing_report(args: argparse.Namespace, out: Path, created: dt.date, lang: str) -> int:
    """The staffing report needs the inputs only (no plan is solved)."""
    from planner.export.staffing_report import Reporter, staffing_report_xlsx

    inputs = load_from_args(args)
    print_warnings(inputs, lang)
    given = {k: getattr(args, k) for k in ("parent_body", "body") if getattr(args, k, None)}
    write_output(out, staffing_report_xlsx(inputs, created=created, reporter=Reporter(**given)))
    say(t("opt.written", lang, path=printable(out)))
    return 0

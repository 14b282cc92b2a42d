"""``solve``: propose hires under budgets and requirements; write the plan and a summary.

Flags given beside ``--scenario`` override the scenario file's values (only the flags the user
actually typed). Exit 0 with a plan (optimal, or the best found when time ran out: marked so),
3 when no plan meets the requirements (with the explanation), 1 when time ran out before any
plan was found, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from planner import api
from planner.cli import coefficient
from planner.cli.common import (
    add_input_arguments,
    add_save_arguments,
    check_output,
    load_from_args,
    message_lang,
    output_path,
    parse_money,
    print_warnings,
    say,
    write_output,
)
from planner.domain.scenario import Objective, Scenario, ScenarioError, Solver
from planner.domain.text import printable
from planner.i18n import fmt_number, t
from planner.io.inputs import Inputs
from planner.io.sources import SourceFile
from planner.optimise.result import Allocation, SolveStatus
from planner.present.plan_text import explain_infeasible, human_summary, status_line

EXIT_NO_SOLUTION = 1
EXIT_INFEASIBLE = 3


def parse_budget(item: str, lang: str = "vi") -> tuple[str, float]:
    """``SOURCE=AMOUNT`` → (funding source key, đồng); the source may be typed as in the data
    ("NSNN", "Ngân sách nhà nước", "state_budget")."""
    from planner.io.tables import funding_source_key

    if "=" not in item:
        raise ScenarioError.rendered(t("opt.bad_budget_option", lang, value=item))
    source, amount = item.split("=", 1)
    if not source.strip():
        raise ScenarioError.rendered(t("opt.bad_budget_option", lang, value=item))
    return funding_source_key(source.strip().strip('"')), parse_money(amount, lang)


def add_plan_arguments(p: argparse.ArgumentParser) -> None:
    """The plan parameters shared by ``solve`` and ``sweep`` (all default to None: unset)."""
    g = p.add_argument_group("plan parameters (override --scenario)")
    g.add_argument("--scenario", metavar="FILE.toml", help="a scenario file (TOML)")
    g.add_argument("--budget", action="append", default=None, metavar="SOURCE=VND",
                   help="budget of one funding source per year, e.g. state_budget=60e9 or "
                   '"NSNN=60 tỷ" (repeatable)')
    g.add_argument("--total-budget", metavar="VND", help="budget over all funding sources")
    g.add_argument("--min-fill", type=float, metavar="R",
                   help="every unit gets at least floor(R × its vacancies) hires (0..1)")
    g.add_argument("--objective", choices=[o.value for o in Objective])
    g.add_argument("--target-fill", type=float, metavar="R",
                   help="min_cost: the fill every unit must reach (default 1: all vacancies)")
    g.add_argument("--solver", choices=[s.value for s in Solver])
    g.add_argument("--time-limit", type=float, metavar="S", help="seconds for the solve")
    g.add_argument("--gap", type=float, metavar="G",
                   help="relative optimality gap (default 1e-4 = 0.01%%)")
    g.add_argument("--base-salary", metavar="VND", help="base salary per month")
    g.add_argument("--bonus-rate", type=float, metavar="R", help="bonus fund rate (0.1 = 10%%)")
    coefficient.add_argument(g)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_arguments(p)
    add_plan_arguments(p)
    p.add_argument("--out", required=True, metavar="PLAN.csv|PLAN.xlsx")
    p.add_argument("--summary", metavar="SUMMARY.json", help="write the summary as JSON")
    p.add_argument("--no-explain", action="store_true",
                   help="skip the budget values (what one more billion buys)")
    add_save_arguments(p, what="the scenario and its result")


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario file (or the defaults) with the flags the user gave on top."""
    lang = message_lang(args)
    base = Scenario()
    if args.scenario:
        path = Path(args.scenario)
        try:  # never more than the file-size limit, whatever the path is (/dev/zero)
            text = SourceFile.from_path(path).data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ScenarioError.rendered(t("opt.scenario_file", lang, path=path,
                                  detail=getattr(exc, "strerror", None) or exc)) from None
        base = Scenario.from_toml(text)
    changes: dict[str, Any] = {}
    if args.budget:
        budgets = dict(base.budgets)
        budgets.update(parse_budget(item, lang) for item in args.budget)
        changes["budgets"] = budgets
    if args.total_budget is not None:
        changes["total_budget"] = parse_money(args.total_budget, lang)
    if args.base_salary is not None:
        changes["base_salary"] = parse_money(args.base_salary, lang)
    if args.default_coefficient:
        changes["default_coefficient"] = coefficient.parse(
            args.default_coefficient, base.coefficients, lang)
    for name in ("min_fill", "objective", "target_fill", "solver", "time_limit", "gap",
                 "bonus_rate"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    return base.with_changes(**changes) if changes else base


def run(args: argparse.Namespace) -> int:
    """Check, solve, write, save: every output is checked writable and the scenario store
    (with ``--save``) reachable and the name free before the solve; the scenario is saved
    last, after its outputs are written, so a failed write saves nothing."""
    lang = message_lang(args)
    out = output_path(args.out)
    check_output(out)
    check_output(args.summary)
    scenario = scenario_from_args(args)
    inputs = load_from_args(args)
    if args.save:
        _check_save(args, lang)
    print_warnings(inputs, lang)
    allocation = api.solve(inputs, scenario, explain=not args.no_explain)
    if args.summary:
        write_output(Path(args.summary), json.dumps(allocation.summary(), ensure_ascii=False,
                                                    indent=2).encode("utf-8"))
    say(status_line(allocation, lang))
    if allocation.status is SolveStatus.INFEASIBLE:
        say(explain_infeasible(allocation.infeasibility, lang), err=True)
        say(t("opt.not_written", lang, path=printable(out)), err=True)
        if args.save:
            _save(args, scenario, allocation, inputs, lang)
        return EXIT_INFEASIBLE
    if allocation.status is SolveStatus.NO_SOLUTION_TIME_LIMIT:
        say(t("opt.no_solution", lang, seconds=fmt_number(scenario.time_limit or 0, lang, 2)),
            err=True)
        if args.save:
            _save(args, scenario, allocation, inputs, lang)
        return EXIT_NO_SOLUTION
    write_output(out, _plan_bytes(allocation, out, inputs, scenario, args.lang))
    say(human_summary(allocation, scenario, lang))
    say(t("opt.written", lang, path=printable(out)))
    if args.save:
        _save(args, scenario, allocation, inputs, lang)
    return 0


def _check_save(args: argparse.Namespace, lang: str) -> None:
    """``--save NAME`` before the solve: the store can be used and NAME is free (or
    ``--replace``); a problem is bad input (exit 2) and nothing is solved or written."""
    from planner.store import StoreError, open_store
    from planner.store.names import check_text

    try:
        store = open_store(args.database)
        try:
            store.check_can_save(args.save, replace=args.replace)
            check_text("author", args.author or "")
            check_text("note", args.note or "")
        finally:
            store.close()
    except StoreError as exc:
        raise ScenarioError.rendered(exc.message(lang)) from None


def _save(args: argparse.Namespace, scenario: Scenario, allocation: Allocation,
          inputs: Inputs, lang: str) -> None:
    """``--save NAME``: keep the scenario and its result (also an infeasible one: its
    explanation is part of the record). A store problem is bad input (exit 2)."""
    from planner.store import StoreError, save_scenario

    try:
        info = save_scenario(args.save, scenario, allocation=allocation, inputs=inputs,
                             note=args.note, author=args.author, replace=args.replace,
                             database=args.database)
    except StoreError as exc:
        raise ScenarioError.rendered(exc.message(lang)) from None
    say(t("store.cli.saved", lang, name=printable(info.name), id=info.id))


def _plan_bytes(allocation: Allocation, out: Path, inputs: Inputs, scenario: Scenario,
                lang: str | None) -> bytes:
    from planner.export.workbook import plan_csv, plan_workbook

    if out.suffix.lower() == ".csv":
        return plan_csv(allocation, headers=lang or "ids")
    return plan_workbook(allocation, inputs=inputs, scenario=scenario, lang=lang or "vi")

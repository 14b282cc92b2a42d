"""``sweep``: the budget curve, what each extra billion đồng buys, as a CSV (and a short table).

    python -m planner sweep --scenario phuong_an.toml --source state_budget --points 11 \\
        --out curve.csv

Without ``--source`` the total budget varies. The other budgets stay as the scenario and the
flags set them. Exit 0, or 2 for bad input.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from planner import api
from planner.cli.common import (
    add_input_arguments,
    check_output,
    load_from_args,
    message_lang,
    output_path,
    parse_money,
    print_warnings,
    say,
    write_table,
)
from planner.cli.solve import add_plan_arguments, scenario_from_args
from planner.i18n import fmt_money, fmt_number, fmt_percent, t
from planner.io.tables import funding_source_key
from planner.optimise.result import TOTAL_BUDGET, BudgetKey
from planner.present.labels import budget_name


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_arguments(p)
    add_plan_arguments(p)
    g = p.add_argument_group("curve")
    g.add_argument("--source", metavar="SOURCE",
                   help="funding source whose budget varies (default: the total budget)")
    g.add_argument("--points", type=int, default=11, metavar="N", help="budget levels (11)")
    g.add_argument("--low", metavar="VND", help="lowest budget (default: what the "
                   "requirements alone cost)")
    g.add_argument("--high", metavar="VND", help="highest budget (default: the cost of "
                   "filling every vacancy)")
    g.add_argument("--workers", type=int, metavar="N",
                   help="models solving side by side (default: up to 2, one per core)")
    p.add_argument("--out", required=True, metavar="CURVE.csv|CURVE.xlsx")


def run(args: argparse.Namespace) -> int:
    lang = message_lang(args)
    out = output_path(args.out)  # checked before the solves
    check_output(out)
    scenario = scenario_from_args(args)
    inputs = load_from_args(args)
    print_warnings(inputs, lang)
    budget = BudgetKey(funding_source_key(args.source)) if args.source else TOTAL_BUDGET
    t0 = time.perf_counter()
    curve = api.curve(
        inputs, scenario, budget=budget, points=args.points,
        low=None if args.low is None else parse_money(args.low, lang),
        high=None if args.high is None else parse_money(args.high, lang),
        workers=args.workers)
    seconds = time.perf_counter() - t0
    write_table(curve, str(out), lang=args.lang, sheet="curve")
    say(t("opt.sweep_head", lang, source=budget_name(budget, lang)))
    for r in curve.to_dict("records"):
        say(t("opt.sweep_line", lang, budget=fmt_money(r["budget"], lang),
              hires=fmt_number(None if pd.isna(r["hires"]) else r["hires"], lang),
              weighted=fmt_number(r["weighted_hires"], lang, 1),
              fill=fmt_percent(r["fill_rate"], lang), status=r["status"]))
    say(t("opt.sweep_written", lang, points=len(curve), seconds=fmt_number(seconds, lang, 2),
          path=out))
    return 0

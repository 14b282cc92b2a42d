"""``gaps``: the staffing gaps table, per (unit, position) or per group with ``--by``."""

from __future__ import annotations

import argparse

from planner import api
from planner.cli import coefficient
from planner.cli.common import (
    add_input_arguments,
    check_output,
    load_from_args,
    message_lang,
    output_path,
    parse_money,
    print_warnings,
    write_table,
)
from planner.domain.gaps import GAP_COLUMNS, GROUPS, summarise
from planner.domain.rules import BASE_SALARY_VND, DEFAULT_SALARY_COEFFICIENTS
from planner.domain.scenario import Scenario


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_arguments(p)
    p.add_argument("--by", choices=GROUPS, help="one row per group instead of per position")
    p.add_argument("--base-salary", default=BASE_SALARY_VND, metavar="VND",
                   help=f"base salary per month (default {BASE_SALARY_VND:,} VND, Decree "
                   "161/2026), typed as in the app: 2530000, 2.530.000, \"2 530 000\", 2,53tr")
    coefficient.add_argument(p)
    p.add_argument("--out", required=True, metavar="FILE.csv|FILE.xlsx")


def run(args: argparse.Namespace) -> int:
    check_output(output_path(args.out))
    salary = parse_money(str(args.base_salary), message_lang(args))
    coefficients = coefficient.parse(args.default_coefficient or [],
                                     DEFAULT_SALARY_COEFFICIENTS, message_lang(args))
    inputs = load_from_args(args)
    print_warnings(inputs, message_lang(args))
    gaps = api.gaps(inputs, Scenario(base_salary=salary, default_coefficient=coefficients))
    table = summarise(gaps, args.by) if args.by else gaps[GAP_COLUMNS]
    write_table(table, args.out, lang=args.lang, sheet="gaps" if args.lang != "vi" else "Thiếu hụt")
    return 0

"""``solve``: propose hires under budgets and requirements; write the plan and a summary.

Flags given beside ``--scenario`` override the scenario file's values (only the flags the user
actually typed). Exit 0 with a plan (optimal, or the best found when time ran out: marked so),
3 when no plan meets the requirements (with the explanation), 1 when time ran out before any
plan was found, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

from planner.cli.common import (
    add_input_arguments,
    load_from_args,
    message_lang,
    output_path,
    print_warnings,
    write_output,
)
from planner.columns import Kind
from planner.i18n import coded, fmt_money, fmt_number, fmt_percent, t
from planner.scenario import Objective, Scenario, ScenarioError, Solver

EXIT_NO_SOLUTION = 1
EXIT_INFEASIBLE = 3
_UNITS = (("tỷ", 1e9), ("tỉ", 1e9), ("ty", 1e9), ("ti", 1e9), ("billion", 1e9), ("bn", 1e9),
          ("triệu", 1e6), ("trieu", 1e6), ("tr", 1e6), ("million", 1e6), ("nghìn", 1e3),
          ("ngàn", 1e3), ("nghin", 1e3), ("ngan", 1e3), ("k", 1e3))
_SCIENTIFIC = re.compile(r"[+]?\d+([.,]\d+)?[eE][+-]?\d+")
_UNIT_RE = re.compile(r"^(?P<number>.*?)\s*(?P<unit>" + "|".join(u for u, _ in _UNITS)
                      + r")?\s*(đồng|dong|đ|vnd|vnđ)?\s*$", re.IGNORECASE)


def parse_money(text: str, lang: str = "vi") -> float:
    """An amount of đồng as people type it: 60000000000, 60e9, "60.000.000.000", "60 tỷ",
    "1,5 tỷ", "500 triệu" (raises ScenarioError with the catalogue message otherwise)."""
    from planner.io.numbers import parse_number

    raw = unicodedata.normalize("NFC", str(text)).strip()
    match = _UNIT_RE.match(raw)
    value = None
    if match and match.group("number"):
        number = match.group("number").strip()
        factor = dict(_UNITS).get((match.group("unit") or "").lower(), 1.0)
        if _SCIENTIFIC.fullmatch(number):
            value = float(number)  # 60e9, 6.5E10
        else:  # 60000000000, "60.000.000.000", "1,5" (tỷ), "1.500" (tỷ)
            value, _ = parse_number(number, Kind.MONEY)
        if value is not None:
            value *= factor
    if value is None or not math.isfinite(value) or value < 0:
        raise ScenarioError(t("opt.bad_money", lang, value=raw))
    return float(value)


def parse_budget(item: str, lang: str = "vi") -> tuple[str, float]:
    """``SOURCE=AMOUNT`` → (funding source key, đồng); the source may be typed as in the data
    ("NSNN", "Ngân sách nhà nước", "state_budget")."""
    from planner.io.tables import funding_source_key

    if "=" not in item:
        raise ScenarioError(t("opt.bad_budget_option", lang, value=item))
    source, amount = item.split("=", 1)
    if not source.strip():
        raise ScenarioError(t("opt.bad_budget_option", lang, value=item))
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


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_input_arguments(p)
    add_plan_arguments(p)
    p.add_argument("--out", required=True, metavar="PLAN.csv|PLAN.xlsx")
    p.add_argument("--summary", metavar="SUMMARY.json", help="write the summary as JSON")
    p.add_argument("--no-explain", action="store_true",
                   help="skip the budget values (what one more billion buys)")
    g = p.add_argument_group("saving the scenario (see `scenarios`)")
    g.add_argument("--save", metavar="NAME",
                   help="also save the scenario and its result in the scenario store")
    g.add_argument("--note", default="", help="a note kept with the saved scenario")
    g.add_argument("--author", default="", help="who saved it")
    g.add_argument("--replace", action="store_true",
                   help="overwrite a saved scenario of the same name")
    g.add_argument("--database", metavar="URL", default=None,
                   help="the scenario store (default: PLANNER_DATABASE_URL, else "
                   "var/scenarios.db)")


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """The scenario file (or the defaults) with the flags the user gave on top."""
    lang = message_lang(args)
    base = Scenario()
    if args.scenario:
        path = Path(args.scenario)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(t("opt.scenario_file", lang, path=path,
                                  detail=getattr(exc, "strerror", None) or exc)) from None
        base = Scenario.from_toml(text)
    changes: dict = {}
    if args.budget:
        budgets = dict(base.budgets)
        budgets.update(parse_budget(item, lang) for item in args.budget)
        changes["budgets"] = budgets
    if args.total_budget is not None:
        changes["total_budget"] = parse_money(args.total_budget, lang)
    if args.base_salary is not None:
        changes["base_salary"] = parse_money(args.base_salary, lang)
    for name in ("min_fill", "objective", "target_fill", "solver", "time_limit", "gap",
                 "bonus_rate"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    return base.with_changes(**changes) if changes else base


def run(args: argparse.Namespace) -> int:
    from planner.optimise import SolveStatus, solve_scenario

    lang = message_lang(args)
    out = output_path(args.out)
    scenario = scenario_from_args(args)
    inputs = load_from_args(args)
    print_warnings(inputs, lang)
    allocation = solve_scenario(inputs, scenario, explain=not args.no_explain)
    if args.save:
        _save(args, scenario, allocation, inputs, lang)
    if args.summary:
        write_output(Path(args.summary), json.dumps(allocation.summary(), ensure_ascii=False,
                                                    indent=2).encode("utf-8"))
    print(status_line(allocation, lang))
    if allocation.status is SolveStatus.INFEASIBLE:
        print(explain_infeasible(allocation.infeasibility, lang), file=sys.stderr)
        print(t("opt.not_written", lang, path=out), file=sys.stderr)
        return EXIT_INFEASIBLE
    if allocation.status is SolveStatus.NO_SOLUTION_TIME_LIMIT:
        print(t("opt.no_solution", lang, seconds=fmt_number(scenario.time_limit or 0, lang, 2)),
              file=sys.stderr)
        return EXIT_NO_SOLUTION
    write_output(out, _plan_bytes(allocation, out, inputs, scenario, args.lang))
    print(human_summary(allocation, scenario, lang))
    print(t("opt.written", lang, path=out))
    return 0


def _save(args: argparse.Namespace, scenario: Scenario, allocation, inputs, lang: str) -> None:
    """``--save NAME``: keep the scenario and its result (also an infeasible one: its
    explanation is part of the record). A store problem is bad input (exit 2)."""
    from planner.store import StoreError, save_scenario

    try:
        info = save_scenario(args.save, scenario, allocation=allocation, inputs=inputs,
                             note=args.note, author=args.author, replace=args.replace,
                             database=args.database)
    except StoreError as exc:
        raise ScenarioError(exc.message(lang)) from None
    print(t("store.cli.saved", lang, name=info.name, id=info.id))


def _plan_bytes(allocation, out: Path, inputs, scenario: Scenario, lang: str | None) -> bytes:
    from planner.export.workbook import plan_csv, plan_workbook

    if out.suffix.lower() == ".csv":
        return plan_csv(allocation, headers=lang or "ids")
    return plan_workbook(allocation, inputs=inputs, scenario=scenario, lang=lang or "vi")


# --- what the officer reads ------------------------------------------------------------------

def source_label(source: str, lang: str) -> str:
    return coded("opt.source", source, lang)


def status_line(allocation, lang: str) -> str:
    gap = fmt_percent(allocation.gap, lang, 3) if allocation.gap is not None else "–"
    status = t(f"opt.status.{allocation.status.value}", lang, gap=gap)
    return t("opt.status_line", lang, status=status, solver=allocation.solver,
             seconds=fmt_number(allocation.solve_seconds, lang, 2),
             build=fmt_number(allocation.build_seconds, lang, 2))


def human_summary(allocation, scenario: Scenario, lang: str) -> str:
    m = lambda v: fmt_money(v, lang)  # noqa: E731
    by_unit = allocation.by_unit
    lines = [t("opt.hires", lang, hires=fmt_number(allocation.total_hires, lang),
               units=fmt_number(int((by_unit["hires"] > 0).sum()), lang),
               remaining=fmt_number(int(by_unit["remaining_vacancies"].sum()), lang),
               vacancies=fmt_number(int(by_unit["vacancies"].sum()), lang))]
    objective = scenario.objective.value
    value = allocation.objective
    shown = (m(value) if objective == "min_cost" else fmt_percent(value, lang, 1)
             if objective == "fair" else fmt_number(value, lang, 2))
    lines.append(t(f"opt.objective.{objective}", lang, value=shown))
    lines.append(t("opt.cost_head", lang))
    for source, cost in allocation.cost_by_source.items():
        budget = allocation.budgets.get(source)
        share = allocation.budget_used_share.get(source)
        lines.append(t("opt.cost_line", lang, source=source_label(source, lang), cost=m(cost),
                       budget=m(budget), share=fmt_percent(share, lang))
                     if budget is not None else
                     t("opt.cost_line_free", lang, source=source_label(source, lang),
                       cost=m(cost)))
    if "total" in allocation.budgets:
        lines.append(t("opt.total_line", lang, cost=m(allocation.total_cost),
                       budget=m(allocation.budgets["total"]),
                       share=fmt_percent(allocation.budget_used_share.get("total"), lang)))
    else:
        lines.append(t("opt.total_line_free", lang, cost=m(allocation.total_cost)))
    if objective == "min_cost":
        items = "; ".join(f"{source_label(s, lang)} {m(c)}"
                          for s, c in allocation.cost_by_source.items())
        lines.append(t("opt.min_cost_needs", lang, target=fmt_percent(scenario.target_fill,
                                                                      lang, 0), items=items))
    for rec in allocation.budget_values.to_dict("records"):
        if rec["method"] == "not_applicable":
            continue
        source = source_label(rec["funding_source"], lang)
        value = rec["value_per_billion"]
        if value is None or (isinstance(value, float) and math.isnan(value)) or value <= 0:
            lines.append(t("opt.value_none", lang, source=source))
            continue
        shown = fmt_number(value * (100 if rec["value_unit"] == "min_fill_rate" else 1),
                           lang, 2)
        lines.append(t("opt.value_line", lang, source=source,
                       value=t(f"opt.value.{rec['value_unit']}", lang, value=shown),
                       method=t(f"opt.method.{rec['method']}", lang)))
    return "\n".join(lines)


def explain_infeasible(info, lang: str, limit: int = 10) -> str:
    """The explanation of an infeasible plan, in words an officer can act on."""
    if info is None:
        return t("opt.status.infeasible", lang)
    m = lambda v: fmt_money(v, lang)  # noqa: E731
    p = info.message_params
    reason = p.get("reason", "budget")
    lines = [t("opt.infeasible.head", lang,
               requirement=t(f"opt.requirement.{info.requirement}", lang))]
    count = p.get("count", 0)
    if reason in ("pin_above_vacancies", "pin_above_max_hires"):
        lines.append(t(f"opt.infeasible.{reason}", lang, count=count))
        lines += [t("opt.infeasible.pin_line", lang, unit=_named(r, "unit"),
                    position=_named(r, "position"),
                    min_hires=r["min_hires"], vacancies=r["vacancies"],
                    max_hires=r["max_hires"]) for r in p.get("rows", [])[:limit]]
    elif reason == "capacity":
        lines.append(t("opt.infeasible.capacity", lang, count=count))
        lines += [t("opt.infeasible.capacity_line", lang, unit=_named(r, "unit"),
                    required=r["required"], possible=r["possible"])
                  for r in p.get("units", [])[:limit]]
    elif reason == "unit_budget_cap":
        lines.append(t("opt.infeasible.unit_budget_cap", lang, count=count))
        lines += [t("opt.infeasible.cap_line", lang, unit=_named(r, "unit"),
                    budget_cap=m(r["budget_cap"]), needed=m(r["needed"]))
                  for r in p.get("units", [])[:limit]]
    elif reason == "solver":
        lines.append(t("opt.infeasible.solver", lang))
    else:
        needs = "; ".join(f"{source_label(s, lang)} {m(v)}"
                          for s, v in info.min_budget_by_source.items())
        lines.append(t("opt.infeasible.budget", lang, needs=needs))
        short = dict(p.get("short", {}))
        if "total" in p:
            short["total"] = p["total"]
        for source, v in short.items():
            lines.append(t("opt.infeasible.short_line", lang, source=source_label(source, lang),
                           needed=m(v["needed"]), budget=m(v["budget"]),
                           missing=m(v["needed"] - v["budget"])))
        table = info.driving_units
        if len(table):
            lines.append(t("opt.infeasible.drivers", lang))
            lines += [t("opt.infeasible.driver_line", lang, unit=f"{r.unit_name} ({r.unit_id})",
                        required=fmt_number(r.min_required, lang), cost=m(r.cost_of_requirement))
                      for r in table.head(limit).itertuples()]
    if count > limit:
        lines.append(t("opt.more", lang, n=count - limit))
    return "\n".join(lines)


def _named(record: dict, what: str) -> str:
    name, code = record.get(f"{what}_name"), record.get(f"{what}_id")
    return f"{name} ({code})" if name and name != code else str(code)

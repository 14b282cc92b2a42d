"""``plan``: the multi-year staffing plan (issue 15), hiring year by year under yearly budgets.

    python -m planner plan --years 2026-2030 [--quotas F] [--headcounts F] [--roster F] \\
        [--units F] [plan options] --out PLAN.csv|PLAN.xlsx [--summary S.json] \\
        [--save NAME [--note T] [--author A] [--replace] [--database URL]]

Without ``--quotas`` it plans the bundled sample (a quota path to 2030 and a synthetic
roster). Exit codes as for ``solve``: 0 a plan (optimal, or the best found when time ran
out), 2 bad input, 3 no plan meets the requirements (the least budgets per source and year
are printed; no plan file is written), 1 time ran out before any plan was found.
"""

from __future__ import annotations

import argparse
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from planner.cli.common import (
    add_lang_argument,
    add_save_arguments,
    check_output,
    message_lang,
    output_path,
    parse_mappings,
    parse_money,
    print_warnings,
    say,
    write_output,
)
from planner.cli.solve import _check_save
from planner.domain.multiyear import MultiYearSettings, QuotaCut, is_year, parse_years
from planner.domain.scenario import Objective, Scenario, ScenarioError
from planner.domain.text import printable
from planner.i18n import fmt_money, fmt_number, t
from planner.io.inputs import Inputs
from planner.io.sources import SourceFile
from planner.optimise.multiyear_result import MultiYearPlan

EXIT_NO_SOLUTION = 1
EXIT_INFEASIBLE = 3


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("inputs (default: the bundled sample, its quota path and roster)")
    g.add_argument("--quotas", metavar="FILE", help="quotas, CSV or XLSX; columns per year "
                   "(quota_2027, \"Biên chế giao năm 2027\") give the quota path")
    g.add_argument("--headcounts", metavar="FILE", help="staff on board, CSV or XLSX; "
                   "departures per year in departures_2027 / \"Dự kiến nghỉ năm 2027\"")
    g.add_argument("--roster", metavar="FILE", help="staff roster (one row a person): "
                   "departures by the retirement-age rules of Decree 135/2020")
    g.add_argument("--units", metavar="FILE", help="optional per-unit limits")
    g.add_argument("--sheet", help="sheet name or number in workbooks")
    g.add_argument("--roster-sheet", metavar="NAME", help="sheet of the roster workbook")
    g.add_argument("--map", action="append", default=[], metavar="[TABLE.]COLUMN=HEADER",
                   help="map a column whose header is not recognised (as for solve)")
    add_lang_argument(p)
    g = p.add_argument_group("years and the quota path")
    g.add_argument("--years", metavar="FIRST-LAST", help="e.g. 2026-2030 (or years in the "
                   "scenario file's [multiyear] table)")
    g.add_argument("--quota-cut", type=float, metavar="R",
                   help="cut rule: share of the quota removed by --cut-by (0.15 = 15%%), in "
                   "equal yearly steps, per (unit, staff type), rounded down")
    g.add_argument("--cut-by", type=int, metavar="YEAR", help="year the cut is reached "
                   "(default: the last year)")
    g.add_argument("--cut-staff-type", action="append", metavar="TYPE",
                   help="staff type cut (repeatable; default civil_servant)")
    g.add_argument("--cut-exempt-sector", action="append", metavar="SECTOR",
                   help='sector held stable, e.g. "Giáo dục" (repeatable)')
    g.add_argument("--attrition", action="append", metavar="TYPE=R",
                   help="yearly attrition rate of a staff type, e.g. civil_servant=0.01")
    g = p.add_argument_group("plan parameters (override --scenario)")
    g.add_argument("--scenario", metavar="FILE.toml", help="a scenario file (TOML), with an "
                   "optional [multiyear] table")
    g.add_argument("--budget", action="append", metavar="SOURCE=VND|SOURCE@YEAR=VND",
                   help="a funding source's budget for each year, or for one year")
    g.add_argument("--base-salary", action="append", metavar="VND|YEAR=VND",
                   help="base salary per month, every year or one year (repeatable)")
    g.add_argument("--min-fill", type=float, metavar="R")
    g.add_argument("--objective", choices=[o.value for o in Objective])
    g.add_argument("--target-fill", type=float, metavar="R")
    g.add_argument("--target-year", type=int, metavar="YEAR",
                   help="min_cost: the year every unit reaches --target-fill (default: last)")
    g.add_argument("--time-limit", type=float, metavar="S")
    g.add_argument("--gap", type=float, metavar="G")
    g.add_argument("--bonus-rate", type=float, metavar="R")
    p.add_argument("--out", required=True, metavar="PLAN.csv|PLAN.xlsx")
    p.add_argument("--summary", metavar="SUMMARY.json")
    add_save_arguments(p, what="the multi-year plan")


MULTIYEAR_KEYS = ("years", "budgets", "base_salary", "quota_cut", "attrition", "target_year",
                  "payout_per_leaver")
QUOTA_CUT_KEYS = ("rate", "by_year", "staff_types", "exempt_sectors")


def _scenario_and_settings(args: argparse.Namespace, lang: str
                           ) -> tuple[Scenario, MultiYearSettings]:
    from planner.io.tables import funding_source_key, staff_type_key

    data: dict[str, Any] = {}
    if args.scenario:
        path = Path(args.scenario)
        try:
            data = tomllib.loads(SourceFile.from_path(path).data.decode("utf-8-sig"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ScenarioError.rendered(
                t("opt.scenario_file", lang, path=path, detail=exc)) from None
        except RecursionError:
            raise ScenarioError("nested_too_deep") from None
    multi = _table(data.pop("multiyear", {}), "[multiyear]")
    unknown = set(multi) - set(MULTIYEAR_KEYS)
    if unknown:
        raise ScenarioError("multiyear.unknown_keys", table="[multiyear]",
                            names=", ".join(sorted(unknown)), known=", ".join(MULTIYEAR_KEYS))
    base = Scenario.from_dict(data) if data else Scenario()
    if args.years is None and "years" not in multi:
        raise ScenarioError("multiyear.years_required")
    years = parse_years(args.years if args.years is not None else multi["years"])
    budgets = dict(base.budgets)
    by_year: dict[tuple[str, int], float] = {}
    for year, table in _table(multi.get("budgets", {}), "[multiyear.budgets]").items():
        where = f"[multiyear.budgets.{year}]"
        for source, amount in _table(table, where).items():
            by_year[(funding_source_key(source), _year(year, where))] = amount
    salaries = {_year(y, "[multiyear.base_salary]"): v
                for y, v in _table(multi.get("base_salary", {}),
                                   "[multiyear.base_salary]").items()}
    changes: dict[str, Any] = {}
    for item in args.budget or ():
        if "=" not in item or not item.split("=", 1)[0].strip():
            raise ScenarioError.rendered(t("opt.bad_budget_option", lang, value=item))
        left, amount = item.split("=", 1)
        source, at, year = left.rpartition("@") if "@" in left else (left, "", "")
        key = funding_source_key(source.strip().strip('"'))
        if at:
            by_year[(key, _year(year, f"--budget {item}"))] = parse_money(amount, lang)
        else:
            budgets[key] = parse_money(amount, lang)
    changes["budgets"] = budgets
    for item in args.base_salary or ():
        if "=" in item:
            year, amount = item.split("=", 1)
            salaries[_year(year, f"--base-salary {item}")] = parse_money(amount, lang)
        else:
            changes["base_salary"] = parse_money(item, lang)
    for name in ("min_fill", "objective", "target_fill", "time_limit", "gap", "bonus_rate"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    scenario = base.with_changes(**changes)
    cut_table = multi.get("quota_cut")
    if args.quota_cut is not None:
        cut_table = {"rate": args.quota_cut}
    cut = None
    if cut_table is not None:
        given = dict(_table(cut_table, "[multiyear.quota_cut]"))
        if args.cut_by is not None:
            given["by_year"] = args.cut_by
        given.setdefault("by_year", years[-1])
        if args.cut_staff_type:
            given["staff_types"] = [staff_type_key(s) for s in args.cut_staff_type]
        if args.cut_exempt_sector:
            given["exempt_sectors"] = list(args.cut_exempt_sector)
        unknown = set(given) - set(QUOTA_CUT_KEYS)
        if unknown:
            raise ScenarioError("multiyear.unknown_keys", table="[multiyear.quota_cut]",
                                names=", ".join(sorted(unknown)),
                                known=", ".join(QUOTA_CUT_KEYS))
        if "rate" not in given:
            raise ScenarioError("multiyear.missing_key", table="[multiyear.quota_cut]",
                                names="rate")
        cut = QuotaCut(rate=given["rate"], by_year=given["by_year"],
                       staff_types=tuple(staff_type_key(str(s)) for s in _list(
                           given.get("staff_types", ("civil_servant",)),
                           "[multiyear.quota_cut] staff_types")),
                       exempt_sectors=tuple(str(s) for s in _list(
                           given.get("exempt_sectors", ()),
                           "[multiyear.quota_cut] exempt_sectors")))
    attrition = {staff_type_key(str(k)): v for k, v in
                 _table(multi.get("attrition", {}), "[multiyear.attrition]").items()}
    for item in args.attrition or ():
        kind, sep, rate = item.partition("=")
        try:
            if not sep:
                raise ValueError
            attrition[staff_type_key(kind.strip())] = float(rate.replace(",", "."))
        except ValueError:
            raise ScenarioError("multiyear.attrition_option", value=item) from None
    target = args.target_year if args.target_year is not None else multi.get("target_year")
    settings = MultiYearSettings(
        years=years, budgets_by_year=by_year, base_salary_by_year=salaries, quota_cut=cut,
        attrition=attrition, target_year=target,
        payout_per_leaver={staff_type_key(str(k)): v for k, v in _table(
            multi.get("payout_per_leaver", {}), "[multiyear.payout_per_leaver]").items()})
    return scenario, settings


def _table(value: object, where: str) -> Mapping[str, Any]:
    """A table of the scenario file's [multiyear] part, or a refusal naming it."""
    if not isinstance(value, Mapping):
        raise ScenarioError("multiyear.not_table", table=where, value=value)
    return value


def _list(value: object, where: str) -> list[Any]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ScenarioError("multiyear.not_list", table=where, value=value)
    return list(value)


def _year(text: object, where: str) -> int:
    """A year typed in a flag or a table key ("2027"), or a refusal naming where it stands."""
    try:
        year = int(str(text).strip())
    except ValueError:
        raise ScenarioError("multiyear.not_year", place=where, value=text) from None
    if not is_year(year):
        raise ScenarioError("multiyear.not_year", place=where, value=text)
    return year


def run(args: argparse.Namespace) -> int:
    from planner import api
    from planner.cli.common import _only_known
    from planner.domain.problems import InputError, Problem, Severity
    from planner.io.multiyear import load_multiyear_inputs
    from planner.io.roster import read_roster
    from planner.io.sample import SAMPLE_MULTIYEAR_FILES

    lang = message_lang(args)
    out = output_path(args.out)
    check_output(out)
    check_output(args.summary)
    scenario, settings = _scenario_and_settings(args, lang)
    if args.save:
        _check_save(args, lang)
    if args.quotas is None:
        if args.headcounts or args.units or args.roster:
            raise InputError([Problem(severity=Severity.ERROR, code="quotas_required")])
        files = SAMPLE_MULTIYEAR_FILES
        quotas, headcounts, units, roster = (files["quotas"], files["headcounts"],
                                             files["units"], files["roster"])
    else:
        quotas, headcounts, units, roster = args.quotas, args.headcounts, args.units, args.roster
    loaded = load_multiyear_inputs(quotas, headcounts, units,
                                   mappings=_only_known(parse_mappings(args.map)),
                                   sheet=args.sheet)
    print_warnings(loaded.inputs, lang)
    counts = None
    if roster is not None:
        read = read_roster(roster, years=settings.years, positions=loaded.inputs.positions,
                           sheet=args.roster_sheet)
        counts = read.counts
        say(t("multiyear.roster_read", lang, people=read.people, overdue=read.overdue,
              departures=int(counts["departures"].sum()) if len(counts) else 0), err=True)
    plan = api.plan(loaded.inputs, scenario, settings, quota_years=loaded.quota_years,
                    departure_years=loaded.departure_years,
                    plain_departures=loaded.plain_departures, roster=counts)
    if args.summary:
        write_output(Path(args.summary), json.dumps(plan.summary(), ensure_ascii=False,
                                                    indent=2, default=_json).encode("utf-8"))
    say(t(f"multiyear.status.{plan.status}", lang))
    if plan.status == "infeasible":
        _explain_infeasible(plan, lang)
        say(t("opt.not_written", lang, path=printable(out)), err=True)
        if args.save:  # as solve --save: the requirement no plan meets is kept too
            _save(args, scenario, plan, loaded.inputs, lang)
        return EXIT_INFEASIBLE
    if plan.status == "no_solution_time_limit":
        say(t("opt.no_solution", lang, seconds=fmt_number(scenario.time_limit or 0, lang, 2)),
            err=True)
        if args.save:
            _save(args, scenario, plan, loaded.inputs, lang)
        return EXIT_NO_SOLUTION
    from planner.export.multiyear import plan_csv, plan_workbook

    data = plan_csv(plan, headers=args.lang or "ids") if out.suffix.lower() == ".csv" \
        else plan_workbook(plan, lang=args.lang or "vi")
    write_output(out, data)
    for rec in ([] if plan.by_year is None else plan.by_year.to_dict("records")):
        say(t("multiyear.year_line", lang, year=str(rec["year"]), quota=int(rec["quota"]),
              start=int(rec["on_board_start"]), departures=int(rec["departures"]),
              hires=int(rec["hires"]), end=int(rec["on_board_end"]),
              surplus=int(rec["surplus_to_streamline"]),
              cost=fmt_money(float(rec["salary_cost"]), lang)))
    say(t("opt.written", lang, path=printable(out)))
    if args.save:  # last, after the outputs are written: a failed write saves nothing
        _save(args, scenario, plan, loaded.inputs, lang)
    return 0


def _save(args: argparse.Namespace, scenario: Scenario, plan: MultiYearPlan, inputs: Inputs,
          lang: str) -> None:
    """``--save NAME``: keep the scenario and its multi-year plan (planner.store.multiyear);
    a store problem is bad input (exit 2)."""
    from planner.store import StoreError, save_scenario

    try:
        info = save_scenario(args.save, scenario, allocation=plan, inputs=inputs,
                             note=args.note, author=args.author, replace=args.replace,
                             database=args.database)
    except StoreError as exc:
        raise ScenarioError.rendered(exc.message(lang)) from None
    say(t("store.cli.saved", lang, name=printable(info.name), id=info.id))


def _explain_infeasible(plan: MultiYearPlan, lang: str) -> None:
    table = plan.budgets
    short = table[table["least"].notna() & (table["least"] > table["budget"].fillna(0) + 0.5)]
    if plan.result.least_budgets is None or short.empty:
        say(t("multiyear.infeasible_capacity", lang), err=True)
        return
    say(t("multiyear.infeasible_budget", lang), err=True)
    for rec in short.to_dict("records"):
        say(t("multiyear.least_budget_line", lang, source=rec["source"], year=str(rec["year"]),
              budget=fmt_money(rec["budget"], lang, unit="dong"),
              least=fmt_money(rec["least"], lang, unit="dong")),
            err=True)


def _json(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)

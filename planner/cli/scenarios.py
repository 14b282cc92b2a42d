"""``scenarios``: list, show, export, rename or delete saved scenarios.

    python -m planner scenarios list
    python -m planner scenarios show NAME_OR_ID [--plan-out plan.xlsx]
    python -m planner scenarios export NAME_OR_ID --out scenario.toml
    python -m planner scenarios rename NAME_OR_ID NEW_NAME
    python -m planner scenarios delete NAME_OR_ID [--yes]

Every action takes ``--database URL`` (default: PLANNER_DATABASE_URL, else var/scenarios.db)
and ``--user NAME`` (act as that signed-in user: see only own and shared scenarios).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from planner.cli.common import (
    add_lang_argument,
    check_output,
    message_lang,
    say,
    write_output,
    write_table,
)
from planner.domain.text import printable
from planner.export.scenario_file import parameters_toml, scenario_toml
from planner.i18n import fmt_money, fmt_number, t
from planner.present.compare import text_value
from planner.store import ScenarioStore, StoreError, open_store

__all__ = ["add_arguments", "add_store_arguments", "run", "scenario_toml", "when"]


def add_store_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database", metavar="URL", default=None,
                   help="where scenarios are kept: sqlite:///path/file.db or "
                   "postgresql+psycopg://user:password@host/dbname (default: the "
                   "PLANNER_DATABASE_URL environment variable, else var/scenarios.db)")
    p.add_argument("--user", metavar="NAME", default=None,
                   help="act as this signed-in user: only their own and shared scenarios")
    add_lang_argument(p)


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    a = sub.add_parser("list", help="list saved scenarios, most recently changed first")
    a.add_argument("--out", metavar="FILE.csv|FILE.xlsx", help="also write the list as a table")
    add_store_arguments(a)
    a = sub.add_parser("show", help="show one scenario: parameters, inputs, result")
    a.add_argument("scenario", metavar="NAME_OR_ID")
    a.add_argument("--plan-out", metavar="FILE.csv|FILE.xlsx", help="write its plan table")
    add_store_arguments(a)
    a = sub.add_parser("export", help="write the scenario's parameters as a TOML file "
                       "that solve --scenario reads")
    a.add_argument("scenario", metavar="NAME_OR_ID")
    a.add_argument("--out", required=True, metavar="FILE.toml", help="'-' for standard output")
    add_store_arguments(a)
    a = sub.add_parser("rename", help="rename a scenario")
    a.add_argument("scenario", metavar="NAME_OR_ID")
    a.add_argument("new_name", metavar="NEW_NAME")
    add_store_arguments(a)
    a = sub.add_parser("delete", help="delete a scenario")
    a.add_argument("scenario", metavar="NAME_OR_ID")
    a.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_store_arguments(a)


def run(args: argparse.Namespace) -> int:
    lang = message_lang(args)
    try:
        store = open_store(args.database)
    except StoreError as exc:
        say(exc.message(lang), err=True)
        return 2
    try:
        return _ACTIONS[args.action](store, args, lang)
    except StoreError as exc:
        say(exc.message(lang), err=True)
        return 2
    finally:
        store.close()


def when(moment: datetime) -> str:
    """A stored time in the server's local time, dd/mm/yyyy HH:MM."""
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def _list(store: ScenarioStore, args: argparse.Namespace, lang: str) -> int:
    check_output(args.out)
    infos = store.list(args.user)
    if not infos:
        say(t("store.cli.empty", lang, where=store.describe()))
        return 0
    rows = [{
        t("store.list.id", lang): i.id,
        t("store.list.name", lang): printable(i.name),
        t("store.list.updated", lang): "–" if i.damaged else when(i.updated_at),
        t("store.list.author", lang): printable(i.author) or "–",
        t("store.list.hires", lang): fmt_number(i.total_hires, lang),
        t("store.list.cost", lang): fmt_money(i.total_cost, lang),
        t("store.list.inputs", lang): i.inputs_fingerprint[:8] or "–",
        t("store.list.shared", lang): t("store.cli.yes" if i.shared else "store.cli.no", lang),
        t("store.list.note", lang): (t("store.cli.damaged_mark", lang) if i.damaged
                                     else _short(i.note)),
    } for i in infos]
    say(pd.DataFrame(rows).to_string(index=False))
    for i in infos:
        if i.damaged:
            say(t("store.cli.damaged_row", lang, name=printable(i.name), id=str(i.id),
                  detail=printable(i.damaged)), err=True)
    say(t("store.cli.where", lang, n=len(infos), where=store.describe()), err=True)
    if args.out:
        from planner.store import info_table

        table = info_table(infos)
        table["created_at"] = [i.created_at.isoformat() for i in infos]
        table["updated_at"] = [i.updated_at.isoformat() for i in infos]
        table["damaged"] = [i.damaged for i in infos]
        write_table(table, args.out, lang=args.lang, sheet="scenarios")
    return 0


def _short(text: str, width: int = 40) -> str:
    one = printable(" ".join(text.split()))
    return one if len(one) <= width else one[:width - 1] + "…"


def _show(store: ScenarioStore, args: argparse.Namespace, lang: str) -> int:
    check_output(args.plan_out)
    s = store.get(args.scenario, args.user, tables=bool(args.plan_out))
    i = s.info
    p = printable
    say(t("store.cli.show_title", lang, name=p(i.name), id=str(i.id)))
    say(t("store.cli.show_meta", lang, author=p(i.author) or "–", owner=p(i.owner) or "–",
          created=when(i.created_at), updated=when(i.updated_at),
          shared=t("store.cli.yes" if i.shared else "store.cli.no", lang)))
    for line in i.note.split("\n") if i.note else ():
        say(t("store.cli.show_note", lang, note=p(line)))
    say(t("store.cli.show_inputs", lang, fingerprint=i.inputs_fingerprint or "–"))
    for f in s.input_files:
        say(f"  {t(f'store.role.{f.role}', lang)}: {p(f.name)}"
            f"{' [' + p(f.sheet) + ']' if f.sheet else ''} · {fmt_number(f.rows, lang)} · "
            f"{f.fingerprint[:12]}")
    if i.status is None:
        say(t("store.cli.show_no_result", lang))
    elif s.is_multiyear:
        years = s.summary.get("years") or ["–"]
        say(t("store.cli.show_result_multiyear", lang,
              status=text_value("status", i.status, lang), hires=fmt_number(i.total_hires, lang),
              first=str(years[0]), last=str(years[-1]), cost=fmt_money(i.total_cost, lang)))
    else:
        say(t("store.cli.show_result", lang, status=text_value("status", i.status, lang),
              hires=fmt_number(i.total_hires, lang), cost=fmt_money(i.total_cost, lang)))
    if s.is_multiyear:
        _show_years(s.summary, lang)
    say(t("store.cli.show_parameters", lang))
    say(parameters_toml(s).rstrip())
    if args.plan_out:
        plan = s.multiyear_tables.get("my_plan") if s.is_multiyear else s.plan
        if plan is None:
            say(t("store.cli.show_no_result", lang), err=True)
            return 2
        write_table(plan, args.plan_out, lang=args.lang,
                    sheet="plan" if args.lang == "en" else "Kế hoạch")
    return 0


def _show_years(summary: Mapping[str, Any], lang: str) -> None:
    """A saved multi-year plan's path year by year (as ``plan`` prints it)."""
    for rec in summary.get("per_year") or []:
        say(t("multiyear.year_line", lang, year=str(rec["year"]), quota=int(rec["quota"]),
              start=int(rec["on_board_start"]), departures=int(rec["departures"]),
              hires=int(rec["hires"]), end=int(rec["on_board_end"]),
              surplus=int(rec["surplus_to_streamline"]),
              cost=fmt_money(float(rec["salary_cost"]), lang)))


def _export(store: ScenarioStore, args: argparse.Namespace, lang: str) -> int:
    check_output(args.out)
    text = scenario_toml(store.get(args.scenario, args.user, tables=False))
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    write_output(args.out, text.encode("utf-8"))
    say(t("store.cli.exported", lang, path=printable(args.out)), err=True)
    return 0


def _rename(store: ScenarioStore, args: argparse.Namespace, lang: str) -> int:
    info = store.rename(args.scenario, args.new_name, args.user)
    say(t("store.cli.renamed", lang, name=printable(info.name), id=str(info.id)))
    return 0


def _delete(store: ScenarioStore, args: argparse.Namespace, lang: str) -> int:
    info = store.info(args.scenario, args.user)  # a damaged scenario can still be deleted
    name = printable(info.name)
    if not args.yes:
        if not sys.stdin.isatty():
            say(t("store.cli.confirm_needed", lang, name=name), err=True)
            return 2
        answer = input(printable(t("store.cli.confirm", lang, name=name, id=str(info.id)))
                       + " ")
        if answer.strip().lower() not in ("y", "yes", "c", "có", "co"):
            say(t("store.cli.kept", lang, name=name), err=True)
            return 0
    gone = store.delete(info.id, args.user)
    say(t("store.cli.deleted", lang, name=printable(gone.name), id=str(gone.id)))
    return 0


_ACTIONS = {"list": _list, "show": _show, "export": _export, "rename": _rename,
            "delete": _delete}

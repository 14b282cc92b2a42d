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
from datetime import datetime
from pathlib import Path

import pandas as pd

from planner.cli.common import add_lang_argument, message_lang, write_table
from planner.compare import text_value
from planner.i18n import fmt_money, fmt_number, t
from planner.store import StoredScenario, StoreError, open_store


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
        print(exc.message(lang), file=sys.stderr)
        return 2
    try:
        return _ACTIONS[args.action](store, args, lang)
    except StoreError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    finally:
        store.close()


def when(moment: datetime) -> str:
    """A stored time in the server's local time, dd/mm/yyyy HH:MM."""
    return moment.astimezone().strftime("%d/%m/%Y %H:%M")


def _list(store, args: argparse.Namespace, lang: str) -> int:
    infos = store.list(args.user)
    if not infos:
        print(t("store.cli.empty", lang, where=store.describe()))
        return 0
    rows = [{
        t("store.list.id", lang): i.id,
        t("store.list.name", lang): i.name,
        t("store.list.updated", lang): when(i.updated_at),
        t("store.list.author", lang): i.author or "–",
        t("store.list.hires", lang): fmt_number(i.total_hires, lang),
        t("store.list.cost", lang): fmt_money(i.total_cost, lang),
        t("store.list.inputs", lang): i.inputs_fingerprint[:8] or "–",
        t("store.list.shared", lang): t("store.cli.yes" if i.shared else "store.cli.no", lang),
        t("store.list.note", lang): _short(i.note),
    } for i in infos]
    print(pd.DataFrame(rows).to_string(index=False))
    print(t("store.cli.where", lang, n=len(infos), where=store.describe()), file=sys.stderr)
    if args.out:
        from planner.store import info_table

        table = info_table(infos)
        table["created_at"] = [i.created_at.isoformat() for i in infos]
        table["updated_at"] = [i.updated_at.isoformat() for i in infos]
        write_table(table, args.out, lang=args.lang, sheet="scenarios")
    return 0


def _short(text: str, width: int = 40) -> str:
    one = " ".join(text.split())
    return one if len(one) <= width else one[:width - 1] + "…"


def _show(store, args: argparse.Namespace, lang: str) -> int:
    s = store.get(args.scenario, args.user, tables=bool(args.plan_out))
    i = s.info
    print(t("store.cli.show_title", lang, name=i.name, id=str(i.id)))
    print(t("store.cli.show_meta", lang, author=i.author or "–", owner=i.owner or "–",
            created=when(i.created_at), updated=when(i.updated_at),
            shared=t("store.cli.yes" if i.shared else "store.cli.no", lang)))
    if i.note:
        print(t("store.cli.show_note", lang, note=i.note))
    print(t("store.cli.show_inputs", lang, fingerprint=i.inputs_fingerprint or "–"))
    for f in s.input_files:
        print(f"  {t(f'store.role.{f.role}', lang)}: {f.name}"
              f"{' [' + f.sheet + ']' if f.sheet else ''} · {fmt_number(f.rows, lang)} · "
              f"{f.fingerprint[:12]}")
    if i.status is None:
        print(t("store.cli.show_no_result", lang))
    else:
        print(t("store.cli.show_result", lang, status=text_value("status", i.status, lang),
                hires=fmt_number(i.total_hires, lang), cost=fmt_money(i.total_cost, lang)))
    print(t("store.cli.show_parameters", lang))
    print(s.scenario.to_toml().split("\n", 1)[1].rstrip())
    if args.plan_out:
        if s.plan is None:
            print(t("store.cli.show_no_result", lang), file=sys.stderr)
            return 2
        write_table(s.plan, args.plan_out, lang=args.lang,
                    sheet="plan" if args.lang == "en" else "Kế hoạch")
    return 0


def scenario_toml(s: StoredScenario) -> str:
    """The scenario's parameters as TOML, headed by comments saying where they came from."""
    i = s.info
    lines = [f"# Scenario / phương án: {i.name} (id {i.id})",
             f"# Saved / lưu: {i.updated_at.isoformat(timespec='seconds')}"
             f"{' by ' + i.author if i.author else ''}",
             f"# Input data fingerprint / dấu vân tay dữ liệu: {i.inputs_fingerprint or '-'}"]
    lines += [f"#   {f.role}: {f.name} ({f.fingerprint[:16]})" for f in s.input_files]
    lines += [f"# Note / ghi chú: {line}" for line in i.note.splitlines()]
    return "\n".join(lines) + "\n" + s.scenario.to_toml()


def _export(store, args: argparse.Namespace, lang: str) -> int:
    text = scenario_toml(store.get(args.scenario, args.user, tables=False))
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(t("problem.cannot_write_output", lang, value=args.out,
                detail=exc.strerror or str(exc)), file=sys.stderr)
        return 2
    print(t("store.cli.exported", lang, path=args.out), file=sys.stderr)
    return 0


def _rename(store, args: argparse.Namespace, lang: str) -> int:
    info = store.rename(args.scenario, args.new_name, args.user)
    print(t("store.cli.renamed", lang, name=info.name, id=str(info.id)))
    return 0


def _delete(store, args: argparse.Namespace, lang: str) -> int:
    info = store.get(args.scenario, args.user, tables=False).info
    if not args.yes:
        if not sys.stdin.isatty():
            print(t("store.cli.confirm_needed", lang, name=info.name), file=sys.stderr)
            return 2
        answer = input(t("store.cli.confirm", lang, name=info.name, id=str(info.id)) + " ")
        if answer.strip().lower() not in ("y", "yes", "c", "có", "co"):
            print(t("store.cli.kept", lang, name=info.name), file=sys.stderr)
            return 0
    gone = store.delete(info.id, args.user)
    print(t("store.cli.deleted", lang, name=gone.name, id=str(gone.id)))
    return 0


_ACTIONS = {"list": _list, "show": _show, "export": _export, "rename": _rename,
            "delete": _delete}

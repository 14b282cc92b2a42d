"""``compare``: two or three saved scenarios side by side.

    python -m planner compare A B [C] [--out diff.xlsx]

Prints the headline figures side by side and the units whose hires differ most; ``--out``
writes the full comparison (a workbook with the headline, per-unit, parameter and input
sheets; or the per-unit table as CSV). Scenarios solved on different input data are flagged
on standard error and in the workbook. Differences are against the first scenario.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.cli.common import message_lang, write_table
from planner.cli.scenarios import add_store_arguments
from planner.compare import CompareError, by_unit_headers, compare_scenarios, headline_table
from planner.i18n import t
from planner.store import StoreError, open_store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenarios", nargs="+", metavar="NAME_OR_ID",
                   help="two or three saved scenarios; the first is the reference")
    p.add_argument("--out", metavar="FILE.xlsx|FILE.csv",
                   help="write the comparison: a workbook, or the per-unit table as CSV")
    p.add_argument("--top", type=int, default=15, metavar="N",
                   help="units with the largest differences to print (default 15)")
    add_store_arguments(p)


def run(args: argparse.Namespace) -> int:
    lang = message_lang(args)
    if not 2 <= len(args.scenarios) <= 3:
        print(t("store.compare.how_many", lang, n=len(args.scenarios)), file=sys.stderr)
        return 2
    try:
        store = open_store(args.database)
        try:
            stored = [store.get(ref, args.user) for ref in args.scenarios]
        finally:
            store.close()
        cmp = compare_scenarios(stored)
    except (StoreError, CompareError) as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    warning = cmp.warning(lang)
    if warning:
        print(warning, file=sys.stderr)
    print(headline_table(cmp, lang).to_string(index=False))
    changed = cmp.by_unit[cmp.by_unit["changed"]]
    print()
    if changed.empty:
        print(t("store.cli.no_unit_differs", lang))
    else:
        print(t("store.cli.units_differ", lang, n=len(changed), top=min(args.top, len(changed))))
        headers = by_unit_headers(cmp, lang)
        cols = ["unit_name", *[c for c in cmp.by_unit.columns
                               if c.startswith(("hires_", "remaining_diff"))]]
        shown = changed.head(args.top)[cols].rename(columns=headers)
        print(shown.to_string(index=False))
    if args.out:
        return _write(cmp, args, lang)
    return 0


def _write(cmp, args: argparse.Namespace, lang: str) -> int:
    path = Path(args.out)
    if path.suffix.lower() == ".csv":
        write_table(cmp.by_unit, args.out, lang=args.lang, sheet="by_unit")
    elif path.suffix.lower() == ".xlsx":
        from planner.export.compare_workbook import compare_xlsx

        try:
            path.write_bytes(compare_xlsx(cmp, lang=lang))
        except OSError as exc:
            print(t("problem.cannot_write_output", lang, value=args.out,
                    detail=exc.strerror or str(exc)), file=sys.stderr)
            return 2
    else:
        print(t("problem.bad_output_suffix", lang, value=args.out), file=sys.stderr)
        return 2
    print(t("store.cli.written", lang, path=args.out), file=sys.stderr)
    return 0

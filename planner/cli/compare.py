"""``compare``: two or three saved scenarios side by side.

    python -m planner compare A B [C] [--out diff.xlsx]

Prints the headline figures side by side and the units whose hires differ most; ``--out``
writes the full comparison (a workbook with the headline, per-unit, parameter and input
sheets; or the per-unit table as CSV). Scenarios solved on different input data are flagged
on standard error and in the workbook. Differences are against the first scenario.
"""

from __future__ import annotations

import argparse

from planner.cli.common import (
    check_output,
    message_lang,
    output_path,
    say,
    write_output,
    write_table,
)
from planner.cli.scenarios import add_store_arguments
from planner.domain.text import printable
from planner.i18n import t
from planner.present.compare import (
    CompareError,
    Comparison,
    by_unit_headers,
    compare_scenarios,
    headline_table,
)
from planner.present.compare_multiyear import (
    MultiYearComparison,
    compare_multiyear,
    is_multiyear_comparison,
)
from planner.store import StoreError, open_store
from planner.store.queries import DAMAGE_ERRORS, damage_text


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
        say(t("store.compare.how_many", lang, n=len(args.scenarios)), err=True)
        return 2
    if args.out:
        output_path(args.out)  # a suffix other than .csv or .xlsx, before any work
        check_output(args.out)
    try:
        store = open_store(args.database)
        try:
            stored = [store.get(ref, args.user) for ref in args.scenarios]
        finally:
            store.close()
        multiyear = is_multiyear_comparison(stored)  # a mix is refused (CompareError)
        try:
            if multiyear:
                return _multiyear(compare_multiyear(stored), args, lang)
            cmp = compare_scenarios(stored)
        except CompareError:
            raise
        except DAMAGE_ERRORS as exc:  # a stored plan that decodes but is not a plan
            say(t("store.cli.compare_damaged", lang,
                  names=", ".join(f"«{printable(s.name)}» (id {s.id})" for s in stored),
                  detail=printable(damage_text(exc))), err=True)
            return 2
    except (StoreError, CompareError) as exc:
        say(exc.message(lang), err=True)
        return 2
    warning = cmp.warning(lang)
    if warning:
        say(warning, err=True)
    say(headline_table(cmp, lang).to_string(index=False))
    changed = cmp.by_unit[cmp.by_unit["changed"]]
    say()
    if changed.empty:
        say(t("store.cli.no_unit_differs", lang))
    else:
        say(t("store.cli.units_differ", lang, n=len(changed), top=min(args.top, len(changed))))
        headers = by_unit_headers(cmp, lang)
        cols = ["unit_name", *[c for c in cmp.by_unit.columns
                               if c.startswith(("hires_", "remaining_diff"))]]
        shown = changed.head(args.top)[cols].rename(columns=headers)
        say(shown.to_string(index=False))
    if args.out:
        return _write(cmp, args, lang)
    return 0


def _write(cmp: Comparison, args: argparse.Namespace, lang: str) -> int:
    path = output_path(args.out)
    if path.suffix.lower() == ".csv":
        write_table(cmp.by_unit, args.out, lang=args.lang, sheet="by_unit")
    else:
        from planner.export.compare_workbook import compare_xlsx

        write_output(args.out, compare_xlsx(cmp, lang=lang))
    say(t("store.cli.written", lang, path=printable(args.out)), err=True)
    return 0


def _multiyear(cmp: MultiYearComparison, args: argparse.Namespace, lang: str) -> int:
    """Two or three saved multi-year plans: per year, hires, vacancies and surplus at the
    year's end, and the differences from the first (``--out``: that table, CSV or workbook)."""
    warning = cmp.warning(lang)
    if warning:
        say(warning, err=True)
    say(t("store.cli.years_compared", lang, first=printable(cmp.labels[0])))
    table = cmp.per_year.astype(object).where(cmp.per_year.notna(), "–")
    say(table.rename(columns=cmp.headers(lang)).to_string(index=False))
    if args.out:
        write_table(cmp.per_year, args.out, lang=args.lang, sheet="by_year")
        say(t("store.cli.written", lang, path=printable(args.out)), err=True)
    return 0

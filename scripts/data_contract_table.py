"""Print the data contract's column tables (Markdown) from planner/domain/columns.py.

    .venv/bin/python scripts/data_contract_table.py

Also prints every problem message (code, severity, English and Vietnamese text) from the
catalogues. docs/data-contract.md holds the two parts between the markers
"<!-- columns:start/end -->" and "<!-- problems:start/end -->"; ``--write`` replaces them, so
the document cannot drift from the code (tests/test_read_layouts.py checks it is current).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "data-contract.md"
#: Problems that are warnings (shown, never blocking); every other code is an error.
WARNINGS = {"column_not_used", "default_coefficient", "sheet_in_csv",
            "headcount_column_ignored", "no_headcount_row", "unit_not_in_plan", "surplus",
            "zero_quota", "departures_above_headcount", "column_choice_year",
            "column_choice_latest_year", "column_choice_final_over_provisional",
            "column_choice_exact_over_prefix", "hidden_sheet_skipped", "hidden_rows_skipped",
            "hidden_columns_skipped", "hidden_rows_unchecked"}

KIND_TEXT = {
    "text": "text",
    "count": "whole number ≥ 0",
    "coefficient": "decimal (2,34)",
    "rate": "share (25% or 0,25)",
    "money": "đồng (1.234.567)",
    "weight": "number > 0",
}


def tables() -> str:
    from planner.domain.columns import HEADCOUNTS, IGNORED_HEADER_TEXTS, QUOTAS, UNITS

    out: list[str] = []
    for spec, title in ((QUOTAS, "Quotas (chỉ tiêu biên chế)"),
                        (HEADCOUNTS, "Headcounts (số có mặt)"),
                        (UNITS, "Units (đơn vị, optional)")):
        one_of = {c for group in spec.one_of for c in group}
        out += [f"### {title}", "",
                "| column id | required | Vietnamese label | English label | kind | "
                "also accepted as header |",
                "|---|---|---|---|---|---|"]
        for c in spec.columns:
            if c.id in spec.required:
                req = "yes"
            elif c.id in one_of:
                req = "one of " + " / ".join(next(g for g in spec.one_of if c.id in g))
            elif c.id == "row_number":
                req = "no (never imported)"
            else:
                req = "no"
            aliases = ", ".join(f"“{a}”" for a in c.aliases) or "–"
            out.append(f"| `{c.id}` | {req} | {c.vi} | {c.en} | {KIND_TEXT[c.kind.value]} | "
                       f"{aliases} |")
        out.append("")
    out += ["Headers recognised and deliberately **not** imported (derived or free-text "
            "columns): " + ", ".join(f"“{h}”" for h in IGNORED_HEADER_TEXTS) + ".", ""]
    return "\n".join(out)


def problems() -> str:
    from planner.i18n import catalogue

    en, vi = catalogue("en"), catalogue("vi")
    out = ["| code | severity | message (English) | thông báo (tiếng Việt) |", "|---|---|---|---|"]
    for key in en:
        if not key.startswith("problem."):
            continue
        code = key.removeprefix("problem.")
        sev = "warning" if code in WARNINGS else "error"
        cell = lambda t: t.replace("|", "\\|")  # noqa: E731
        out.append(f"| `{code}` | {sev} | {cell(en[key])} | {cell(vi[key])} |")
    return "\n".join(out) + "\n"


def parts() -> dict[str, str]:
    return {"columns": tables(), "problems": problems()}


def main() -> None:
    if "--write" not in sys.argv:
        for text in parts().values():
            print(text)
        return
    doc = DOC.read_text(encoding="utf-8")
    for name, text in parts().items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        head, rest = doc.split(start, 1)
        _, tail = rest.split(end, 1)
        doc = f"{head}{start}\n{text}\n{end}{tail}"
    DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

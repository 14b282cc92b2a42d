"""Check typed subtotals and totals against the data rows they cover: a difference is an error.

A "Cộng" row closes the rows since the group heading above it; a "Tổng cộng" row covers the
whole table; a group row that carries numbers ("I | Khối Sở, ban, ngành | 150 | 140") covers
the rows up to the next group of its level. Offices place totals above or below their rows
and nest groups, so a typed total is accepted when it equals the sum of *any* run of data rows
between two boundaries (headings and totals) next to it; only when none adds up is it reported,
with the run it most likely covers, as an error (issue 11): a total the rows read do not add
up to means a row was misread, or the total or a row was mistyped; either way the figures are
not to be planned on. The total itself is never imported.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from planner.domain.columns import Kind
from planner.domain.problems import Problem, Severity
from planner.domain.text import column_letter
from planner.io.numbers import parse_cell, text_value
from planner.io.rows import Entry
from planner.io.sources import Grid

_NEAR = 40  # boundaries on each side tried as the start or end of the covered run
_RANK = {"letter": 0, "roman": 1, None: 2}


def check_totals(grid: Grid, rows: list[list[Any]], entries: list[Entry],
                 counted: list[tuple[str, int]], headers: dict[int, str]) -> list[Problem]:
    """Every typed total or subtotal the data rows do not add up to: an error each
    (``counted``: (column id, index) of every count column, sub-columns included)."""
    data = [e.i for e in entries if e.kind == "data"]
    if not counted or not data or not any(e.kind in ("group", "total") for e in entries):
        return []
    ordinal: list[int] = []  # data rows before each entry
    n = 0
    for e in entries:
        ordinal.append(n)
        n += e.kind == "data"
    bounds = sorted({0, n} | {ordinal[k] for k, e in enumerate(entries)
                              if e.kind in ("group", "total")})
    sums = {idx: _prefix(rows, data, idx) for _, idx in counted}
    out: list[Problem] = []
    for k, e in enumerate(entries):
        if e.kind not in ("group", "total"):
            continue
        preferred = _preferred(entries, ordinal, k, n)
        if preferred is None:
            continue
        ranges = _candidates(bounds, ordinal[k], n, before=e.kind == "total")
        for cid, idx in counted:
            row = rows[e.i]
            typed, _ = parse_cell(row[idx] if idx < len(row) else None, Kind.COUNT)
            if typed is None:
                continue
            total, bad = sums[idx]
            if any(_sum(total, bad, a, b) == typed for a, b in ranges):
                continue
            computed = _sum(total, bad, *preferred)
            if computed is None:
                continue
            a, b = preferred
            out.append(Problem(
                severity=Severity.ERROR, code="total_mismatch", file=grid.file,
                sheet=grid.sheet, row=grid.excel_row(e.i),
                column=f"{column_letter(idx)} · {headers.get(idx, '')}".strip(" ·"),
                value=text_value(row[idx]),
                params={"column_id": cid, "computed": _plain(computed),
                        "rows": f"{grid.excel_row(data[a])}–{grid.excel_row(data[b - 1])}"}))
    return out


def _prefix(rows: list[list[Any]], data: list[int], idx: int) -> tuple[list[float], list[int]]:
    """Running sums of a column over the data rows, and running counts of cells not numbers."""
    total, bad = [0.0], [0]
    for i in data:
        value, reason = parse_cell(rows[i][idx] if idx < len(rows[i]) else None, Kind.COUNT)
        total.append(total[-1] + (value or 0.0))
        bad.append(bad[-1] + (reason is not None))
    return total, bad


def _sum(total: list[float], bad: list[int], a: int, b: int) -> float | None:
    if b <= a or bad[b] - bad[a]:
        return None
    return round(total[b] - total[a], 6)


def _candidates(bounds: list[int], o: int, n: int, *, before: bool) -> list[tuple[int, int]]:
    """Runs of data rows from or to the boundary at ordinal ``o``, and the whole table."""
    at = bisect_left(bounds, o)
    out = [(o, b) for b in bounds[at:at + _NEAR + 1] if b > o]
    if before:
        out += [(a, o) for a in bounds[max(0, at - _NEAR):at + 1] if a < o]
    return [*out, (0, n)]


def _preferred(entries: list[Entry], ordinal: list[int], k: int, n: int) -> tuple[int, int] | None:
    """The run of data rows the group or total row at ``k`` most likely covers."""
    e, o = entries[k], ordinal[k]
    if e.kind == "total" and e.level == "grand":
        return (0, n)
    if e.kind == "total":
        start = next((ordinal[j] for j in range(k - 1, -1, -1)
                      if entries[j].kind in ("group", "total")), 0)
        if start < o:
            return (start, o)
        end = next((ordinal[j] for j in range(k + 1, len(entries))
                    if entries[j].kind in ("group", "total")), n)
        return (o, end) if end > o else None
    rank = _RANK.get(e.level, 2)
    end = next((ordinal[j] for j in range(k + 1, len(entries))
                if (entries[j].kind == "group" and _RANK.get(entries[j].level, 2) <= rank)
                or (entries[j].kind == "total" and entries[j].level == "grand")), n)
    return (o, end) if end > o else None


def _plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x

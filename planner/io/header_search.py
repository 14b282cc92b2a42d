"""Which rows of a sheet are its table's header: every start row and depth up to five scored
(:func:`find_header`), merged ranges filled in first (:func:`fill_merged`).
"""

from __future__ import annotations

from typing import Any

from planner.domain.columns import Kind, TableSpec
from planner.io.files import Grid
from planner.io.header import (
    MAX_DEPTH,
    HeaderColumn,
    classify_header,
    header_key,
    match_text,
    score,
    staff_part,
    year_of,
)
from planner.io.numbers import cell_text, parse_cell
from planner.io.rows import group_level, is_column_numbers

HEADER_SEARCH_ROWS = 60


def fill_merged(grid: Grid, *, upto: int | None = None,
                data_from: int | None = None) -> list[list[Any]]:
    """Copy each merged range's value into the cells it covers (text only; numbers are checked).

    ``upto``: only the first rows (a copy for finding the header). ``data_from``: from that row
    on, a range is filled down its first column only, so a group title merged across the number
    columns stays a group row and is not copied into every column.
    """
    rows = grid.rows if upto is None else grid.rows[:upto]
    if not grid.merged:
        return rows
    rows = [list(r) for r in rows]
    for r0, c0, r1, c1 in grid.merged:
        if r0 >= len(rows) or r0 < 0:
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        if data_from is not None and r0 >= data_from:
            c1 = c0
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and row[c] is None:
                    row[c] = top
    return rows


def _header_row_ok(row: list[Any]) -> bool:
    """May this row be a lower level of a header? Not blank, no numbers (years aside), not a
    row of column numbers, not a group row ("I | Khối …")."""
    texts = [cell_text(v) for v in row]
    filled = [t for t in texts if t]
    if not filled or is_column_numbers(filled):
        return False
    for v, t in zip(row, texts, strict=False):
        if not t:
            continue
        if group_level(t) is not None and len(t) <= 4:
            return False
        number, _ = parse_cell(v, Kind.COUNT)
        if number is not None and not (1950 <= number <= 2100 and float(number).is_integer()):
            return False
    return True


def _headerish(row: list[Any], spec: TableSpec) -> bool:
    """A row that reads as a header level: two cells or more naming a column, a staff type, a
    qualifier or a year (not a title line, not a data row of names)."""
    hits = 0
    for text in dict.fromkeys(cell_text(v) for v in row):
        if text and (match_text(text, spec)[0] is not None or staff_part(text) is not None
                     or (year_of((text,)) is not None and not header_key(text))):
            hits += 1
            if hits >= 2:
                return True
    return False


def _labels_under_figures(row: list[Any], cols: list[HeaderColumn], spec: TableSpec) -> bool:
    """Does the row under a header hold labels (text, not numbers nor column numbers) under
    the columns it reads as counts? Then it is a header level left out ("Biên chế" over
    "Đề án | Kế hoạch"), and reading the figures under the parent alone would be a misread."""
    kinds = spec.by_id()
    texts = [cell_text(v) for v in row]
    if not any(texts) or is_column_numbers([t for t in texts if t]):
        return False
    for c in cols:
        if c.measure in kinds and kinds[c.measure].kind is Kind.COUNT and c.idx < len(row):
            text = texts[c.idx]
            if text and parse_cell(row[c.idx], Kind.COUNT)[0] is None \
                    and parse_cell(row[c.idx], Kind.COUNT)[1] is not None \
                    and len(text) > 2 and not text.startswith(("(", "-", "=")):
                return True
    return False


def find_header(rows: list[list[Any]], spec: TableSpec, raw: list[list[Any]] | None = None
                ) -> tuple[int, int, list[HeaderColumn]] | None:
    """(first row, depth, columns) of the most header-like rows, or None.

    Every start row and depth up to five is scored (required columns, then distinct figures);
    on equal scores a header whose every row reads as one (see :func:`_headerish`) wins, the
    deeper such header first (a parent row merged over its columns belongs to it), else the
    shallower, then the higher one: a title line or a group row is not part of a header.
    """
    n = min(len(rows), HEADER_SEARCH_ROWS)
    width = max((len(r) for r in rows[:n + MAX_DEPTH]), default=0)
    best: tuple[tuple[int, bool, int, int], int, int, list[HeaderColumn]] | None = None
    for h in range(n):
        if sum(1 for v in rows[h] if cell_text(v)) < 2:
            continue
        for depth in range(1, MAX_DEPTH + 1):
            last = h + depth - 1
            if depth > 1 and (last >= len(rows) or not _header_row_ok(rows[last])):
                break
            cols = classify_header(rows, h, depth, width, spec)
            below = raw[h + depth] if raw is not None and h + depth < len(raw) else []
            if depth < MAX_DEPTH and h + depth < len(rows) and _header_row_ok(rows[h + depth]) \
                    and _labels_under_figures(below, cols, spec):
                continue  # a level left out below: only the deeper header may be taken
            every_row = all(_headerish(rows[r], spec) for r in range(h, h + depth))
            key = (score(cols, spec), every_row, depth if every_row else -depth, -h)
            if best is None or key > best[0]:
                best = (key, h, depth, cols)
    if best is None or best[0][0] < 11:  # at least one required column and one more
        return None
    return best[1], best[2], best[3]

def first_text_row(rows: list[list[Any]], spec: TableSpec
                   ) -> tuple[int, int, list[HeaderColumn]] | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [cell_text(v) for v in row]
        if sum(1 for t in texts if t) >= 2:
            return i, 1, classify_header(rows, i, 1, len(texts), spec)
    return None


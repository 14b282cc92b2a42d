"""Find the table inside a sheet as offices type it, and say what every other row was.

Handles title lines above the table, a one- or two-row header (a merged parent such as
"Biên chế" over "Được giao" and "Có mặt"), a row of column numbers "(1) (2) (3)", an STT
column, group rows ("I", "II", "Khối Sở, ban, ngành"), subtotal and total rows ("Cộng",
"Tổng cộng"), blank rows and signature lines below. Rows that are not data are returned as
:class:`SkippedRow` records, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.columns import IGNORED_HEADERS, Kind, TableSpec
from planner.io.numbers import cell_text, parse_cell
from planner.io.rows import classify_rows, is_column_numbers, is_filled
from planner.io.sources import Grid
from planner.io.totals import check_totals
from planner.problems import InputError, Problem, Severity, SkippedRow
from planner.text import column_index, column_letter, fold

_HEADER_SEARCH_ROWS = 60
IGNORED = "__ignored__"


@dataclass
class Located:
    """The table found in a grid: which column is which, and which rows are data."""

    grid: Grid
    header_rows: tuple[int, ...]
    columns: dict[str, int]  # canonical id → column index
    headers: dict[int, str]  # column index → header as typed (parent and child joined)
    frame: pd.DataFrame  # raw cell values of data rows, canonical columns + source_row, group
    skipped: list[SkippedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def column_ref(self, column_id: str) -> str:
        """"D · Biên chế được giao": the column as the user sees it."""
        idx = self.columns.get(column_id)
        if idx is None:
            return column_id
        return f"{column_letter(idx)} · {self.headers.get(idx, '')}".strip(" ·")


def match_header(label: str, spec: TableSpec) -> tuple[str | None, int]:
    """Which column a header names: (id, strength) with 2 = exact, 1 = prefix, 0 = none.

    Ignored headers ("Ghi chú", "Biên chế chưa sử dụng" …) return (IGNORED, strength).
    """
    key = fold(label)
    if not key:
        return None, 0
    best: tuple[str | None, int, int] = (None, 0, 0)  # id, strength, alias length
    candidates = [(c.id, a) for c in spec.columns for a in c.folded_aliases]
    candidates += [(IGNORED, a) for a in IGNORED_HEADERS]
    for col_id, alias in candidates:
        if key == alias:
            if best[1] < 2 or len(alias) > best[2]:
                best = (col_id, 2, len(alias))
        elif " " in alias and key.startswith(alias + " ") and best[1] < 2 and len(alias) > best[2]:
            best = (col_id, 1, len(alias))
    return best[0], best[1]


def _fill_merged(grid: Grid) -> list[list[Any]]:
    """Copy each merged range's value into the cells it covers (text only; numbers are checked)."""
    if not grid.merged:
        return grid.rows
    rows = [list(r) for r in grid.rows]
    for r0, c0, r1, c1 in grid.merged:
        if r0 >= len(rows) or r0 < 0:
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and row[c] is None:
                    row[c] = top
    return rows


def _header_labels(rows: list[list[Any]], i: int, double: bool, width: int) -> list[list[str]]:
    """Candidate labels per column for a header starting at row i (best candidate first)."""
    top = [cell_text(v) for v in rows[i]] + [""] * (width - len(rows[i]))
    if not double:
        return [[t] for t in top]
    below = rows[i + 1] if i + 1 < len(rows) else []
    bottom = [cell_text(v) for v in below] + [""] * (width - len(below))
    filled = list(top)
    for c in range(1, width):  # a parent spanning sub-columns without a merge (CSV)
        if not filled[c] and bottom[c] and filled[c - 1] and bottom[c - 1]:
            filled[c] = filled[c - 1]
    out = []
    for c in range(width):
        if bottom[c] and filled[c] and bottom[c] != filled[c]:
            out.append([f"{filled[c]} {bottom[c]}", bottom[c], filled[c]])
        else:
            out.append([bottom[c] or filled[c]])
    return out


def _map_labels(labels: list[list[str]], spec: TableSpec) -> dict[int, tuple[str, int, str]]:
    """Column index → (id, strength, label used) for the columns a header names."""
    mapped: dict[int, tuple[str, int, str]] = {}
    for c, options in enumerate(labels):
        for text in options:
            col_id, strength = match_header(text, spec)
            if col_id is not None:
                mapped[c] = (col_id, strength, text)
                break
    return mapped


def _score(mapped: dict[int, tuple[str, int, str]], spec: TableSpec) -> int:
    ids = {v[0] for v in mapped.values() if v[0] != IGNORED}
    return 10 * len(ids & set(spec.required)) + len(ids)


def find_header(rows: list[list[Any]], spec: TableSpec) -> tuple[int, bool, list[list[str]]] | None:
    """(row index, two-row header?, labels) of the most header-like row, or None.

    A two-row header is taken only when its top row names a column itself, holds at least two
    labels, the row below holds no numbers, and the pair names more than the top row alone,
    so a title line above a header, or a group row below it, is not taken for half a header.
    On equal scores the higher row wins.
    """
    n = min(len(rows), _HEADER_SEARCH_ROWS)
    width = max((len(r) for r in rows[:n + 1]), default=0)
    texts = [[cell_text(v) for v in rows[i]] for i in range(min(len(rows), n + 1))]
    single: list[tuple[int, list[list[str]]] | None] = []
    for i in range(len(texts)):
        if not any(texts[i]):
            single.append(None)
            continue
        labels = _header_labels(rows, i, False, width)
        single.append((_score(_map_labels(labels, spec), spec), labels))
    best: tuple[int, int, bool, list[list[str]]] | None = None
    for i in range(n):
        if single[i] is None:
            continue
        score, labels = single[i]
        if best is None or score > best[0]:
            best = (score, i, False, labels)
        assert best is not None
        if not _could_be_parent_row(texts, i, score):
            continue
        below = single[i + 1][0] if single[i + 1] else 0
        labels = _header_labels(rows, i, True, width)
        double = _score(_map_labels(labels, spec), spec)
        # the pair must name more than the top row alone, or be as good as a complete
        # second row (a merged parent filled down over every column)
        if (double > score or (double == below > 0)) and double >= max(below, best[0]):
            best = (double, i, True, labels)
    if best is None or best[0] < 11:  # at least one required column and one more
        return None
    return best[1], best[2], best[3]


def _could_be_parent_row(texts: list[list[str]], i: int, score: int) -> bool:
    """Row ``i`` may be the top of a two-row header: it names some column itself, holds two
    different labels, and the row below holds labels, not numbers (a data row)."""
    if score <= 0 or i + 1 >= len(texts) or len({t for t in texts[i] if t}) < 2:
        return False
    below = [t for t in texts[i + 1] if t]
    return bool(below) and not is_column_numbers(below) and not any(
        parse_cell(t, Kind.COUNT)[0] is not None for t in below)


def _resolve_mapping(labels: list[list[str]], spec: TableSpec, explicit: Mapping[str, str],
                     grid: Grid) -> tuple[dict[str, int], list[Problem]]:
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    known = spec.by_id()
    taken: set[int] = set()
    for col_id, wanted in explicit.items():
        if col_id not in known:
            problems.append(Problem(severity=Severity.ERROR, code="map_unknown_column",
                                    file=grid.file, sheet=grid.sheet, value=col_id,
                                    params={"known": ", ".join(
                                        c for c in known if c != "row_number")}))
            continue
        idx = _find_column(labels, wanted)
        if idx is None:
            problems.append(Problem(severity=Severity.ERROR, code="map_header_not_found",
                                    file=grid.file, sheet=grid.sheet, value=wanted,
                                    params={"column_id": col_id,
                                            "found": _found_headers(labels)}))
            continue
        columns[col_id] = idx
        taken.add(idx)
    auto = _map_labels(labels, spec)
    by_id: dict[str, list[tuple[int, int]]] = {}
    for idx, (col_id, strength, _text) in auto.items():
        if idx in taken or col_id in columns or col_id == IGNORED:
            continue
        by_id.setdefault(col_id, []).append((idx, strength))
    for col_id, hits in by_id.items():
        strongest = max(s for _, s in hits)
        top = [i for i, s in hits if s == strongest]
        if len(top) > 1:
            problems.append(Problem(severity=Severity.ERROR, code="ambiguous_column",
                                    file=grid.file, sheet=grid.sheet,
                                    params={"column_id": col_id,
                                            "columns": [_ref(labels, i) for i in top]}))
            continue
        columns[col_id] = top[0]
        for i, s in hits:
            if s < strongest:
                problems.append(Problem(severity=Severity.WARNING, code="also_looks_like",
                                        file=grid.file, sheet=grid.sheet, column=_ref(labels, i),
                                        params={"column_id": col_id,
                                                "used": _ref(labels, top[0])}))
    used = set(columns.values())
    for idx, options in enumerate(labels):
        label = options[0]
        if idx in used or not label or auto.get(idx, (None,))[0] == IGNORED:
            continue
        if idx in auto and auto[idx][0] in columns:
            continue  # already reported as also_looks_like
        problems.append(Problem(severity=Severity.WARNING, code="column_not_used",
                                file=grid.file, sheet=grid.sheet, column=_ref(labels, idx)))
    return columns, problems


def _ref(labels: list[list[str]], idx: int) -> str:
    return f"{column_letter(idx)} · {labels[idx][0]}"


def _found_headers(labels: list[list[str]]) -> list[str]:
    return [_ref(labels, i) for i, opts in enumerate(labels) if opts[0]]


def _find_column(labels: list[list[str]], wanted: str) -> int | None:
    w = wanted.strip()
    if re.fullmatch(r"[A-Za-z]{1,3}", w) and column_index(w) < len(labels):
        return column_index(w)
    key = fold(w)
    for idx, options in enumerate(labels):
        if any(fold(o) == key for o in options if o):
            return idx
    return None


def locate(grid: Grid, spec: TableSpec, mapping: Mapping[str, str] | None = None) -> Located:
    """Find ``spec``'s table in ``grid``. Raises :class:`InputError` when it is not there."""
    rows = _fill_merged(grid)
    if rows and not any(sum(1 for v in r if is_filled(v)) > 1 for r in rows):
        # no table has one column: the separator was not recognised, or it was pasted in one
        first = next((i for i, r in enumerate(rows) if any(cell_text(v) for v in r)), None)
        if first is None:
            raise InputError([Problem(severity=Severity.ERROR, code="no_header",
                                      file=grid.file, sheet=grid.sheet,
                                      params={"table": spec.name,
                                              "required": list(spec.required)})])
        raise InputError([Problem(severity=Severity.ERROR, code="single_column", file=grid.file,
                                  sheet=grid.sheet, row=grid.excel_row(first),
                                  value=_row_text(rows[first]))])
    found = find_header(rows, spec)
    if found is None and mapping:
        found = _first_text_row(rows)
    if found is None:
        raise InputError([Problem(severity=Severity.ERROR, code="no_header", file=grid.file,
                                  sheet=grid.sheet,
                                  params={"table": spec.name,
                                          "required": [c for c in spec.required]})])
    h, double, labels = found
    columns, problems = _resolve_mapping(labels, spec, mapping or {}, grid)
    header_end = h + (2 if double else 1)
    headers = {i: opts[0] for i, opts in enumerate(labels) if opts[0]}
    missing = [c for c in spec.required if c not in columns]
    missing += [g[0] for g in spec.one_of if not any(c in columns for c in g)]
    for col_id in missing:
        problems.append(Problem(severity=Severity.ERROR, code="missing_column", file=grid.file,
                                sheet=grid.sheet, row=grid.excel_row(h),
                                params={"column_id": col_id, "found": _found_headers(labels),
                                        "header_row": grid.excel_row(h)}))
    if any(p.is_error for p in problems):
        raise InputError(problems)

    skipped = [SkippedRow(file=grid.file, sheet=grid.sheet, row=grid.excel_row(i), kind="title",
                          text=_row_text(rows[i])) for i in range(h) if _row_text(rows[i])]
    entries = classify_rows(rows, header_end, columns, spec)
    data: list[int] = []  # grid indices of the data rows
    groups: list[str] = []  # the group each data row sits under
    group_label = ""
    blank_count = 0
    first_blank: int | None = None
    name_col = columns.get("unit_name")
    for entry in entries:
        i, kind = entry.i, entry.kind
        if kind == "data":
            data.append(i)
            groups.append(group_label)
        elif kind == "blank":
            blank_count += 1
            first_blank = i if first_blank is None else first_blank
        else:
            text = _row_text(rows[i])
            skipped.append(SkippedRow(file=grid.file, sheet=grid.sheet, row=grid.excel_row(i),
                                      kind=kind, text=text))
            if kind == "group":
                label = cell_text(rows[i][name_col]) if name_col is not None and name_col < len(
                    rows[i]) else ""
                group_label = label or text
    if blank_count and first_blank is not None:
        skipped.append(SkippedRow(file=grid.file, sheet=grid.sheet, row=grid.excel_row(first_blank),
                                  kind="blank", text=str(blank_count)))
    problems += check_totals(grid, rows, entries, columns, headers, spec)
    # column by column: a table of 300,000 rows as lists, not 300,000 dictionaries
    cells = {cid: [rows[i][idx] if idx < len(rows[i]) else None for i in data]
             for cid, idx in columns.items()}
    flagged: list[set[str] | None] = [None] * len(data)
    numeric = [idx for cid, idx in columns.items() if spec.by_id()[cid].kind is not Kind.TEXT]
    merged_numeric = _merged_numeric_cells(grid, numeric, header_end)
    if grid.special or merged_numeric:
        for k, i in enumerate(data):
            bad, blanked = _flag_cells(grid, i, columns, headers, merged_numeric, problems)
            flagged[k] = bad or None
            for cid in blanked:
                cells[cid][k] = None
    frame = pd.DataFrame({**cells, "source_row": [grid.excel_row(i) for i in data],
                          "group_label": groups, "_flagged": flagged},
                         columns=[*columns, "source_row", "group_label", "_flagged"])
    # the located table keeps where it came from, not the whole sheet's cells
    shell = Grid(grid.file, grid.sheet, [], first_row=grid.first_row)
    return Located(grid=shell, header_rows=tuple(range(h, header_end)), columns=columns,
                   headers=headers, frame=frame, skipped=skipped, problems=problems)


def _flag_cells(grid: Grid, i: int, columns: dict[str, int], headers: dict[int, str],
                merged_numeric: dict[tuple[int, int], str],
                problems: list[Problem]) -> tuple[set[str], set[str]]:
    """Excel errors, formulas without a value and merged number cells on row ``i``: a problem
    each. Returns the columns flagged, and those whose cell must be read as blank."""
    flagged: set[str] = set()
    blanked: set[str] = set()
    for cid, idx in columns.items():
        column = f"{column_letter(idx)} · {headers.get(idx, '')}"
        value = grid.special.get((i, idx))
        if value is not None:
            code = "excel_error" if value.startswith("#") else "formula_no_value"
            problems.append(Problem(severity=Severity.ERROR, code=code, file=grid.file,
                                    sheet=grid.sheet, row=grid.excel_row(i), column=column,
                                    value=value, params={"column_id": cid}))
            flagged.add(cid)
            blanked.add(cid)
        if (i, idx) in merged_numeric:
            problems.append(Problem(severity=Severity.ERROR, code="merged_numeric",
                                    file=grid.file, sheet=grid.sheet, row=grid.excel_row(i),
                                    column=column, value=merged_numeric[(i, idx)],
                                    params={"column_id": cid}))
            flagged.add(cid)
    return flagged, blanked


def _merged_numeric_cells(grid: Grid, numeric: list[int],
                          header_end: int) -> dict[tuple[int, int], str]:
    """Cells of number columns covered by a merge spanning several data rows: ambiguous counts."""
    out: dict[tuple[int, int], str] = {}
    for r0, c0, r1, c1 in grid.merged:
        if r1 < header_end or r1 == r0:
            continue
        ref = f"{column_letter(c0)}{grid.excel_row(r0)}:{column_letter(c1)}{grid.excel_row(r1)}"
        for c in range(c0, c1 + 1):
            if c in numeric:
                for r in range(max(r0, header_end), r1 + 1):
                    out[(r, c)] = ref
    return out


def _row_text(row: list[Any]) -> str:
    return " | ".join(t for t in (cell_text(v) for v in row) if t)[:200]


def _first_text_row(rows: list[list[Any]]) -> tuple[int, bool, list[list[str]]] | None:
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        texts = [cell_text(v) for v in row]
        if sum(1 for t in texts if t) >= 2:
            return i, False, [[t] for t in texts]
    return None

"""Find the table inside a sheet as offices type it, and say what every other row was.

Handles title lines above the table, headers up to five rows deep with merged parents (a
column's name is its path, "Biên chế có mặt › Biên chế", see :mod:`planner.io.header`),
staff-type sub-columns ("Tổng số | Công chức | Viên chức | HĐ 111", one row per staff type,
"Tổng số" checked against its parts), wide tables with one column per job position
(unpivoted), several candidates for one column (the latest year, the final over the
provisional quota, ``year`` when given; else refused naming them), a row of column numbers in
any style ("(1) (2)", "A | B | 1 | 2 | 3=1-2"), an STT column, group rows ("I", "II", "Khối
Sở, ban, ngành"), a unit named on a heading row above its positions, subtotal and total rows
("Cộng", "Tổng cộng", checked against the rows read), blank rows and signature lines below.
Rows that are not data are returned as :class:`SkippedRow` records, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.domain.columns import Kind, TableSpec
from planner.domain.problems import InputError, Problem, Severity, SkippedRow
from planner.domain.text import column_letter, fold
from planner.io.files import Grid
from planner.io.header import IGNORED, MAX_DEPTH, SEP, score
from planner.io.header_search import HEADER_SEARCH_ROWS, fill_merged, find_header, first_text_row
from planner.io.numbers import cell_text, parse_cell
from planner.io.resolve import SPLIT, Part, found_headers, header_ref, resolve_columns
from planner.io.rows import Entry, classify_rows, is_filled, is_group_name
from planner.io.totals import check_totals

#: position name of a row that stands for a whole unit (a per-unit quota table)
WHOLE_UNIT = "Toàn đơn vị"


@dataclass
class Located:
    """The table found in a grid: which column is which, and which rows are data."""

    grid: Grid
    header_rows: tuple[int, ...]
    columns: dict[str, int]  # canonical id → column index
    headers: dict[int, str]  # column index → header as typed (its path, parents first)
    frame: pd.DataFrame  # raw cell values of data rows, canonical columns + source_row, group
    skipped: list[SkippedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)

    def has(self, column_id: str) -> bool:
        """Is the column read, whole or as sub-columns of a split?"""
        return column_id in self.columns or any(column_id in p.cols for p in self.parts)

    def column_ref(self, column_id: str, part: int | None = None) -> str:
        """"D · Biên chế được giao": the column as the user sees it."""
        idx = self.columns.get(column_id)
        if part is not None and 0 <= part < len(self.parts):
            idx = self.parts[part].cols.get(column_id, idx)
        elif idx is None and self.parts:
            idx = self.parts[0].cols.get(column_id)
        if idx is None:
            return column_id
        return f"{column_letter(idx)} · {self.headers.get(idx, '')}".strip(" ·")


def locate(grid: Grid, spec: TableSpec, mapping: Mapping[str, str] | None = None, *,
           year: int | None = None) -> Located:
    """Find ``spec``'s table in ``grid``. Raises :class:`InputError` when it is not there."""
    head = fill_merged(grid, upto=HEADER_SEARCH_ROWS + MAX_DEPTH)
    if head and not any(sum(1 for v in r if is_filled(v)) > 1 for r in grid.rows):
        # no table has one column: the separator was not recognised, or it was pasted in one
        first = next((i for i, r in enumerate(head) if any(cell_text(v) for v in r)), None)
        if first is None:
            raise InputError([Problem(severity=Severity.ERROR, code="no_header",
                                      file=grid.file, sheet=grid.sheet,
                                      params={"table": spec.name,
                                              "required": list(spec.required)})])
        raise InputError([Problem(severity=Severity.ERROR, code="single_column", file=grid.file,
                                  sheet=grid.sheet, row=grid.excel_row(first),
                                  value=_row_text(head[first]))])
    found = find_header(head, spec, grid.rows)
    if found is None and mapping:
        found = first_text_row(head, spec)
    if found is None:
        raise InputError([Problem(severity=Severity.ERROR, code="no_header", file=grid.file,
                                  sheet=grid.sheet,
                                  params={"table": spec.name,
                                          "required": [c for c in spec.required]})])
    h, depth, cols = found
    header_end = h + depth
    res = resolve_columns(cols, spec, mapping or {}, grid, year)
    columns, parts, problems = res.columns, res.parts, res.problems
    headers = {c.idx: c.name for c in cols if c.path}
    for measure in SPLIT:
        if parts and measure in columns and measure not in parts[0].cols:
            # a whole figure mapped beside a split one: it cannot be shared out by staff type
            problems.append(Problem(
                severity=Severity.ERROR, code="parts_do_not_match", file=grid.file,
                sheet=grid.sheet, params={"column_id": measure,
                                          "columns": [header_ref(cols, columns[measure])],
                                          "parts": ", ".join(p.label for p in parts)}))
    present = set(columns) | {m for p in parts for m in p.cols}
    missing = [c for c in spec.required if c not in present]
    missing += [g[0] for g in spec.one_of if not any(c in present for c in g)]
    for col_id in missing:
        if any(p.params.get("column_id") == col_id for p in problems if p.is_error):
            continue  # already said why (several candidates, parts that do not match)
        problems.append(Problem(severity=Severity.ERROR, code="missing_column", file=grid.file,
                                sheet=grid.sheet, row=grid.excel_row(h),
                                params={"column_id": col_id, "found": found_headers(cols),
                                        "header_row": grid.excel_row(h)}))
    if any(p.is_error for p in problems):
        raise InputError(problems)

    rows = fill_merged(grid, data_from=header_end)
    skipped = [SkippedRow(file=grid.file, sheet=grid.sheet, row=grid.excel_row(i), kind="title",
                          text=_row_text(rows[i])) for i in range(h) if _row_text(rows[i])]
    counted = [(cid, idx) for cid, idx in columns.items() if spec.by_id()[cid].kind is Kind.COUNT]
    counted += [(cid, idx) for p in parts for cid, idx in p.cols.items()
                if spec.by_id()[cid].kind is Kind.COUNT]
    counted += [(cid, idx) for cid, idx, _ in res.totals]
    numeric = [idx for cid, idx in columns.items() if spec.by_id()[cid].kind is not Kind.TEXT]
    numeric += [idx for _, idx in counted if idx not in numeric]
    entries = classify_rows(rows, header_end, columns, spec, numeric=numeric)
    data: list[int] = []  # grid indices of the data rows
    groups: list[str] = []  # the group each data row sits under
    name_col = columns.get("unit_name")
    pos_col = columns.get("position_name")
    combined = pos_col is None and name_col is not None and _COMBINED.search(
        fold(headers.get(name_col, ""))) is not None
    carried = _unit_headings(rows, entries, name_col, name_col if combined else pos_col,
                             combined=combined)
    group_label = ""
    blank_count = 0
    first_blank: int | None = None
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
            heading = i in carried.values()
            skipped.append(SkippedRow(file=grid.file, sheet=grid.sheet, row=grid.excel_row(i),
                                      kind="unit_heading" if heading else kind, text=text))
            if kind == "group" and not heading:
                label = cell_text(rows[i][name_col]) if name_col is not None and name_col < len(
                    rows[i]) else ""
                group_label = label or text
    if blank_count and first_blank is not None:
        skipped.append(SkippedRow(file=grid.file, sheet=grid.sheet, row=grid.excel_row(first_blank),
                                  kind="blank", text=str(blank_count)))
    problems += check_totals(grid, rows, entries, counted, headers)
    problems += _check_part_totals(grid, rows, data, res.totals, headers)
    # column by column: a table of 300,000 rows as lists, not 300,000 dictionaries
    cells = {cid: [rows[i][idx] if idx < len(rows[i]) else None for i in data]
             for cid, idx in columns.items()}
    if combined and name_col is not None:
        # "Đơn vị / Vị trí việc làm": units on heading rows, their positions on the rows below
        cells["position_name"] = cells["unit_name"]
        columns = {**columns, "position_name": name_col}
        cells["unit_name"] = [rows[carried[i]][name_col] if i in carried else None
                              for i in data]
    elif name_col is not None and carried:
        names = cells["unit_name"]
        for k, i in enumerate(data):
            if i in carried and not cell_text(names[k]):
                names[k] = rows[carried[i]][name_col]
    flagged: list[set[int] | None] = [None] * len(data)
    merged_numeric = _merged_numeric_cells(grid, numeric, header_end)
    if grid.special or merged_numeric:
        refs = {idx: cid for cid, idx in counted} | {idx: cid for cid, idx in columns.items()}
        for k, i in enumerate(data):
            bad = _flag_cells(grid, i, refs, headers, merged_numeric, problems)
            flagged[k] = bad or None
            for idx in bad:
                if (i, idx) in grid.special:
                    for cid, cidx in columns.items():
                        if cidx == idx:
                            cells[cid][k] = None
    # cells flagged, by column index; by column id when the table is not split into parts
    frame_flags: list[set[int] | None] | list[set[str] | None] = flagged
    if not parts:
        frame_flags = [None if f is None else ({cid for cid, idx in columns.items() if idx in f}
                                               or None) for f in flagged]
    frame = pd.DataFrame({**cells, "source_row": [grid.excel_row(i) for i in data],
                          "group_label": groups, "_flagged": frame_flags},
                         columns=[*columns, "source_row", "group_label", "_flagged"])
    if parts:
        frame = _expand(frame, rows, data, parts, columns, grid)
    # the located table keeps where it came from, not the whole sheet's cells
    shell = Grid(grid.file, grid.sheet, [], first_row=grid.first_row)
    return Located(grid=shell, header_rows=tuple(range(h, header_end)), columns=columns,
                   headers=headers, frame=frame, skipped=skipped, problems=problems, parts=parts)


_COMBINED = re.compile(r"\b(vi tri|vtvl|chuc danh)\b")


def _unit_headings(rows: list[list[Any]], entries: list[Entry], name_col: int | None,
                   pos_col: int | None, *, combined: bool = False) -> dict[int, int]:
    """Data rows naming a position but no unit, under a heading row naming only the unit:
    {data row: heading row}. A heading numbered I, II or A, B, or named "Khối …", stays a
    group; a heading with nothing below it to carry to stays a group too. ``combined``: one
    column holds units on heading rows and positions below ("Đơn vị / Vị trí việc làm")."""
    if name_col is None or pos_col is None:
        return {}
    out: dict[int, int] = {}
    heading: int | None = None
    for e in entries:
        if e.kind == "group":
            row = rows[e.i]
            name = cell_text(row[name_col]) if name_col < len(row) else ""
            heading = e.i if name and e.level is None and not is_group_name(name) else None
        elif e.kind == "total":
            heading = None
        elif e.kind == "data" and heading is not None:
            row = rows[e.i]
            if combined or not (cell_text(row[name_col]) if name_col < len(row) else ""):
                out[e.i] = heading
    return out


def _expand(frame: pd.DataFrame, rows: list[list[Any]], data: list[int], parts: list[Part],
            columns: dict[str, int], grid: Grid) -> pd.DataFrame:
    """One row per data row and part; a part whose figures are all blank or 0 makes no row."""
    pieces = []
    # a row that types a figure in some staff-type column leaves the others blank for 0
    typed = {cid: [any(is_filled(rows[i][p.cols[cid]]) if p.cols[cid] < len(rows[i]) else False
                       for p in parts) for i in data] for cid in parts[0].cols}
    for k, part in enumerate(parts):
        sub = frame.copy()
        keep = pd.Series(False, index=sub.index)
        for cid, idx in part.cols.items():
            values = [rows[i][idx] if idx < len(rows[i]) else None for i in data]
            values = [0 if t and not is_filled(v) else v
                      for v, t in zip(values, typed[cid], strict=True)]
            sub[cid] = values
            keep |= pd.Series([_counts(v) for v in values], index=sub.index)
        sub["_part"] = k
        sub["_part_staff_type"] = part.staff_type or ""
        sub["_part_label"] = part.label
        sub["_part_position"] = part.position or ""
        pieces.append(sub[keep])
    out = pd.concat(pieces) if pieces else frame
    out = out.sort_values(["source_row", "_part"], kind="stable")
    flagged = out["_flagged"].tolist()
    part_ix = out["_part"].tolist()
    out["_flagged"] = pd.Series([None if f is None else ({cid for cid, idx in {
        **columns, **parts[p].cols}.items() if idx in f} or None)
        for f, p in zip(flagged, part_ix, strict=True)], index=out.index, dtype=object)
    return out.reset_index(drop=True)


def _counts(value: Any) -> bool:
    """A cell that makes a part's row: anything but blank and 0."""
    if not is_filled(value):
        return False
    number, reason = parse_cell(value, Kind.COUNT)
    return reason is not None or (number is not None and number != 0)


def _check_part_totals(grid: Grid, rows: list[list[Any]], data: list[int],
                       totals: list[tuple[str, int, list[int]]],
                       headers: dict[int, str]) -> list[Problem]:
    """"Tổng số" is a check, never added: on each data row it must equal the sum of its parts."""
    out: list[Problem] = []
    for cid, tidx, pidx in totals:
        for i in data:
            row = rows[i]
            typed, reason = parse_cell(row[tidx] if tidx < len(row) else None, Kind.COUNT)
            if typed is None or reason is not None:
                continue
            total = 0.0
            for idx in pidx:
                v, why = parse_cell(row[idx] if idx < len(row) else None, Kind.COUNT)
                if why is not None:
                    total = float("nan")
                    break
                total += v or 0.0
            if total != total or round(total, 6) == typed:
                continue
            r = grid.excel_row(i)
            out.append(Problem(
                severity=Severity.ERROR, code="part_total_mismatch", file=grid.file,
                sheet=grid.sheet, row=r,
                column=f"{column_letter(tidx)} · {headers.get(tidx, '')}",
                value=cell_text(row[tidx]),
                params={"column_id": cid, "cell": f"{column_letter(tidx)}{r}",
                        "parts": "+".join(f"{column_letter(x)}{r}" for x in pidx),
                        "computed": int(total) if float(total).is_integer() else total}))
    return out


def _flag_cells(grid: Grid, i: int, refs: dict[int, str], headers: dict[int, str],
                merged_numeric: dict[tuple[int, int], str],
                problems: list[Problem]) -> set[int]:
    """Excel errors, formulas without a value and merged number cells on row ``i``: a problem
    each. Returns the column indices flagged."""
    flagged: set[int] = set()
    for idx, cid in refs.items():
        column = f"{column_letter(idx)} · {headers.get(idx, '')}"
        value = grid.special.get((i, idx))
        if value is not None:
            code = "excel_error" if value.startswith("#") else "formula_no_value"
            problems.append(Problem(severity=Severity.ERROR, code=code, file=grid.file,
                                    sheet=grid.sheet, row=grid.excel_row(i), column=column,
                                    value=value, params={"column_id": cid}))
            flagged.add(idx)
        if (i, idx) in merged_numeric:
            problems.append(Problem(severity=Severity.ERROR, code="merged_numeric",
                                    file=grid.file, sheet=grid.sheet, row=grid.excel_row(i),
                                    column=column, value=merged_numeric[(i, idx)],
                                    params={"column_id": cid}))
            flagged.add(idx)
    return flagged


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


__all__ = ["IGNORED", "SEP", "WHOLE_UNIT", "Located", "Part", "find_header", "locate",
           "score"]

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
from planner.domain.text import column_index, column_letter, fold
from planner.io.header import (
    IGNORED,
    MAX_DEPTH,
    PART_LABELS,
    SEP,
    HeaderColumn,
    classify_header,
    header_key,
    match_text,
    score,
    staff_part,
    year_of,
)
from planner.io.numbers import cell_text, parse_cell
from planner.io.rows import (
    Entry,
    classify_rows,
    group_level,
    is_column_numbers,
    is_filled,
    is_group_name,
)
from planner.io.sources import Grid
from planner.io.totals import check_totals

_HEADER_SEARCH_ROWS = 60
#: position name of a row that stands for a whole unit (a per-unit quota table)
WHOLE_UNIT = "Toàn đơn vị"
#: measures a staff-type split or a wide table divides into rows
_SPLIT = ("quota", "headcount", "expected_departures", "min_hires", "max_hires")


@dataclass(frozen=True)
class Part:
    """One row per data row and part: a staff type of a split table, or a position of a wide one."""

    key: str  # "civil_servant", "pos:Chuyên viên" …
    label: str  # what is added to the position name: "công chức"
    staff_type: str | None
    position: str | None  # wide tables: the position named in the header
    cols: dict[str, int]  # measure → column index


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


def _fill_merged(grid: Grid, *, upto: int | None = None,
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
    n = min(len(rows), _HEADER_SEARCH_ROWS)
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


@dataclass
class _Resolved:
    columns: dict[str, int]
    parts: list[Part]
    totals: list[tuple[str, int, list[int]]]  # measure, "Tổng số" column, its parts' columns
    problems: list[Problem]


def _resolve(cols: list[HeaderColumn], spec: TableSpec, explicit: Mapping[str, str],
             grid: Grid, year: int | None) -> _Resolved:
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    known = spec.by_id()
    for col_id, wanted in explicit.items():
        if col_id not in known:
            problems.append(Problem(severity=Severity.ERROR, code="map_unknown_column",
                                    file=grid.file, sheet=grid.sheet, value=col_id,
                                    params={"known": ", ".join(
                                        c for c in known if c != "row_number")}))
            continue
        idx = _find_column(cols, wanted)
        if idx is None:
            problems.append(Problem(severity=Severity.ERROR, code="map_header_not_found",
                                    file=grid.file, sheet=grid.sheet, value=wanted,
                                    params={"column_id": col_id, "found": _found_headers(cols)}))
            continue
        columns[col_id] = idx
    taken = set(columns.values())
    by_measure: dict[str, list[HeaderColumn]] = {}
    for c in cols:
        if c.measure and c.measure != IGNORED and c.idx not in taken \
                and c.measure not in columns and c.part != "unused":
            by_measure.setdefault(c.measure, []).append(c)
    chosen: dict[str, list[HeaderColumn]] = {}
    for measure, hits in by_measure.items():
        picked = _choose_source(measure, hits, grid, year, problems)
        if picked is not None:
            chosen[measure] = picked
    # which rows a data row becomes: the driver's parts (the quota's, in a quota table)
    driver = next((m for m in ("quota", "headcount") if m in known), None)
    row_parts = _parts_of(chosen.get(driver, [])) if driver and driver not in columns else []
    parts: list[Part] = []
    totals: list[tuple[str, int, list[int]]] = []
    if row_parts:
        parts = [_part(key) for key in row_parts]
    for measure, picked in chosen.items():
        whole = [c for c in picked if c.part in (None, "total")]
        split = {c.part: c.idx for c in picked if c.part not in (None, "total")}
        if len(split) == 1 and not row_parts:
            whole, split = [c for c in picked], {}
        if not parts or measure not in _SPLIT:
            if split and not whole and "bien_che" in split and measure in _SPLIT:
                # "Có mặt › Biên chế | Hợp đồng" beside a quota not split: the staff in the
                # quota are the "Biên chế" column; the others are not counted against it
                whole = [c for c in picked if c.part == "bien_che"]
                for c in picked:
                    if c.part != "bien_che":
                        problems.append(Problem(
                            severity=Severity.WARNING, code="column_not_used", file=grid.file,
                            sheet=grid.sheet, column=_ref(cols, c.idx)))
                split = {}
            if split and not whole and measure in _SPLIT:
                problems.append(_parts_problem(grid, measure, picked, "whole"))
                continue
            columns[measure] = (whole or picked)[0].idx
            if split and whole and measure in _SPLIT:
                totals.append((measure, whole[0].idx, list(split.values())))
            continue
        missing = [k for k in row_parts if k not in split]
        if missing and len(split) == 0 and len(whole) == 1 and measure != driver:
            problems.append(_parts_problem(grid, measure, picked, "split", row_parts))
            continue
        if missing:
            problems.append(_parts_problem(grid, measure, picked, "split", row_parts))
            continue
        for part in parts:
            part.cols[measure] = split[part.key]
        extra = [c for c in picked if c.part not in row_parts and c.part not in (None, "total")]
        for c in extra:
            problems.append(Problem(severity=Severity.WARNING, code="column_not_used",
                                    file=grid.file, sheet=grid.sheet,
                                    column=_ref(cols, c.idx)))
        if whole:
            totals.append((measure, whole[0].idx, [split[k] for k in row_parts]))
    used = set(columns.values()) | {i for p in parts for i in p.cols.values()} | {
        t[1] for t in totals}
    losers = {c.idx for hits in by_measure.values() for c in hits}
    for c in cols:
        if c.idx in used or not c.path or c.measure == IGNORED:
            continue
        if c.idx in losers and c.part != "unused":
            continue  # named in the choice made between candidates
        problems.append(Problem(severity=Severity.WARNING, code="column_not_used",
                                file=grid.file, sheet=grid.sheet, column=_ref(cols, c.idx)))
    return _Resolved(columns, parts, totals, problems)


def _part(key: str) -> Part:
    if key.startswith("pos:"):
        return Part(key, key[4:], None, key[4:], {})
    label, staff_type = PART_LABELS[key]
    return Part(key, label, staff_type, None, {})


def _parts_of(picked: list[HeaderColumn]) -> list[str]:
    """The staff types (or positions) a measure's chosen columns split into, in their order."""
    keys = [c.part for c in picked if c.part is not None and c.part != "total"]
    if len(keys) < 2:
        return []
    return list(dict.fromkeys(keys))


def _parts_problem(grid: Grid, measure: str, picked: list[HeaderColumn], how: str,
                   row_parts: list[str] | None = None) -> Problem:
    code = "split_not_in_quota" if how == "whole" else "parts_do_not_match"
    return Problem(severity=Severity.ERROR, code=code, file=grid.file,
                   sheet=grid.sheet,
                   params={"column_id": measure,
                           "columns": [f"{column_letter(c.idx)} · {c.name}" for c in picked],
                           "parts": ", ".join(_part(k).label for k in row_parts or []) or "—"})


#: the rules deciding between candidates, in order; each has its message
#: ``column_choice_<rule>`` (docs/data-contract.md lists them)
CHOICE_RULES = ("year", "latest_year", "final_over_provisional", "exact_over_prefix")


def _choose_source(measure: str, hits: list[HeaderColumn], grid: Grid, year: int | None,
                   problems: list[Problem]) -> list[HeaderColumn] | None:
    """Several columns (or groups of sub-columns) for one figure: the documented rule decides
    and says so in a warning naming both; when none decides, an error naming the candidates."""
    sources: dict[str, list[HeaderColumn]] = {}
    for c in hits:
        sources.setdefault(c.source, []).append(c)
    if len(sources) == 1:
        only = next(iter(sources.values()))
        dup = [c for c in only if sum(1 for d in only if d.part == c.part) > 1]
        if not dup:
            return only
        sources = {f"{c.source}#{c.idx}": [c] for c in only}
    names = list(sources)
    keep = names
    rule = ""
    first = {s: sources[s][0] for s in names}
    if year is not None and any(first[s].year == year for s in keep) \
            and not all(first[s].year == year for s in keep):
        keep, rule = [s for s in keep if first[s].year == year], "year"
    years = {first[s].year for s in keep}
    if len(keep) > 1 and None not in years and len(years) > 1:
        latest = max(y for y in years if y is not None)
        keep, rule = [s for s in keep if first[s].year == latest], "latest_year"
    if len(keep) > 1 and len({first[s].provisional for s in keep}) > 1:
        keep, rule = [s for s in keep if not first[s].provisional], "final_over_provisional"
    strongest = max(max(c.strength for c in sources[s]) for s in keep)
    if len(keep) > 1 and any(max(c.strength for c in sources[s]) < strongest for s in keep):
        keep = [s for s in keep if max(c.strength for c in sources[s]) == strongest]
        rule = rule or "exact_over_prefix"

    def ref(s: str) -> str:
        return ", ".join(f"{column_letter(c.idx)} · {c.name}" for c in sources[s])

    if len(keep) > 1:
        problems.append(Problem(severity=Severity.ERROR, code="ambiguous_column", file=grid.file,
                                sheet=grid.sheet,
                                params={"column_id": measure,
                                        "columns": [ref(s) for s in keep]}))
        return None
    winner = keep[0]
    for s in names:
        if s != winner:
            problems.append(Problem(severity=Severity.WARNING, code=f"column_choice_{rule}",
                                    file=grid.file, sheet=grid.sheet, column=ref(s),
                                    params={"column_id": measure, "used": ref(winner),
                                            "year": year or ""}))
    return sources[winner]


def _ref(cols: list[HeaderColumn], idx: int) -> str:
    return f"{column_letter(idx)} · {cols[idx].name}"


def _found_headers(cols: list[HeaderColumn]) -> list[str]:
    return [_ref(cols, c.idx) for c in cols if c.path]


def _find_column(cols: list[HeaderColumn], wanted: str) -> int | None:
    """A column named by its letter, its path ("Biên chế có mặt › Biên chế", any separator)
    or, when only one column has it, one of its header texts."""
    w = wanted.strip()
    if re.fullmatch(r"[A-Za-z]{1,3}", w) and column_index(w) < len(cols):
        return column_index(w)
    key = fold(w)
    for c in cols:
        if c.path and fold(c.name) == key:
            return c.idx
    hits = [c.idx for c in cols if any(fold(p) == key for p in c.path)]
    leaf = [c.idx for c in cols if c.path and fold(c.path[-1]) == key]
    if len(leaf) == 1:
        return leaf[0]
    return hits[0] if len(hits) == 1 or (hits and not leaf) else None


def locate(grid: Grid, spec: TableSpec, mapping: Mapping[str, str] | None = None, *,
           year: int | None = None) -> Located:
    """Find ``spec``'s table in ``grid``. Raises :class:`InputError` when it is not there."""
    head = _fill_merged(grid, upto=_HEADER_SEARCH_ROWS + MAX_DEPTH)
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
        found = _first_text_row(head, spec)
    if found is None:
        raise InputError([Problem(severity=Severity.ERROR, code="no_header", file=grid.file,
                                  sheet=grid.sheet,
                                  params={"table": spec.name,
                                          "required": [c for c in spec.required]})])
    h, depth, cols = found
    header_end = h + depth
    res = _resolve(cols, spec, mapping or {}, grid, year)
    columns, parts, problems = res.columns, res.parts, res.problems
    headers = {c.idx: c.name for c in cols if c.path}
    for measure in _SPLIT:
        if parts and measure in columns and measure not in parts[0].cols:
            # a whole figure mapped beside a split one: it cannot be shared out by staff type
            problems.append(Problem(
                severity=Severity.ERROR, code="parts_do_not_match", file=grid.file,
                sheet=grid.sheet, params={"column_id": measure,
                                          "columns": [_ref(cols, columns[measure])],
                                          "parts": ", ".join(p.label for p in parts)}))
    present = set(columns) | {m for p in parts for m in p.cols}
    missing = [c for c in spec.required if c not in present]
    missing += [g[0] for g in spec.one_of if not any(c in present for c in g)]
    for col_id in missing:
        if any(p.params.get("column_id") == col_id for p in problems if p.is_error):
            continue  # already said why (several candidates, parts that do not match)
        problems.append(Problem(severity=Severity.ERROR, code="missing_column", file=grid.file,
                                sheet=grid.sheet, row=grid.excel_row(h),
                                params={"column_id": col_id, "found": _found_headers(cols),
                                        "header_row": grid.excel_row(h)}))
    if any(p.is_error for p in problems):
        raise InputError(problems)

    rows = _fill_merged(grid, data_from=header_end)
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


def _first_text_row(rows: list[list[Any]], spec: TableSpec
                    ) -> tuple[int, int, list[HeaderColumn]] | None:
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        texts = [cell_text(v) for v in row]
        if sum(1 for t in texts if t) >= 2:
            return i, 1, classify_header(rows, i, 1, len(texts), spec)
    return None


__all__ = ["IGNORED", "SEP", "WHOLE_UNIT", "Located", "Part", "find_header", "locate",
           "score"]

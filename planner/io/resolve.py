"""Which column is which: the header's columns resolved into the table's measures (``--map``
first, then the documented choice between candidates), and the staff types or positions a
split or wide table divides each data row into (:class:`Part`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from planner.domain.columns import TableSpec
from planner.domain.problems import Problem, Severity
from planner.domain.text import column_index, column_letter, fold
from planner.io.files import Grid
from planner.io.header import IGNORED, PART_LABELS, HeaderColumn

#: measures a staff-type split or a wide table divides into rows
SPLIT = ("quota", "headcount", "expected_departures", "min_hires", "max_hires")


@dataclass(frozen=True)
class Part:
    """One row per data row and part: a staff type of a split table, or a position of a wide one."""

    key: str  # "civil_servant", "pos:Chuyên viên" …
    label: str  # what is added to the position name: "công chức"
    staff_type: str | None
    position: str | None  # wide tables: the position named in the header
    cols: dict[str, int]  # measure → column index


@dataclass
class Resolved:
    columns: dict[str, int]
    parts: list[Part]
    totals: list[tuple[str, int, list[int]]]  # measure, "Tổng số" column, its parts' columns
    problems: list[Problem]


def resolve_columns(cols: list[HeaderColumn], spec: TableSpec, explicit: Mapping[str, str],
                    grid: Grid, year: int | None) -> Resolved:
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
                                    params={"column_id": col_id, "found": found_headers(cols)}))
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
        if not parts or measure not in SPLIT:
            if split and not whole and "bien_che" in split and measure in SPLIT:
                # "Có mặt › Biên chế | Hợp đồng" beside a quota not split: the staff in the
                # quota are the "Biên chế" column; the others are not counted against it
                whole = [c for c in picked if c.part == "bien_che"]
                for c in picked:
                    if c.part != "bien_che":
                        problems.append(Problem(
                            severity=Severity.WARNING, code="column_not_used", file=grid.file,
                            sheet=grid.sheet, column=header_ref(cols, c.idx)))
                split = {}
            if split and not whole and measure in SPLIT:
                problems.append(_parts_problem(grid, measure, picked, "whole"))
                continue
            columns[measure] = (whole or picked)[0].idx
            if split and whole and measure in SPLIT:
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
                                    column=header_ref(cols, c.idx)))
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
                                file=grid.file, sheet=grid.sheet, column=header_ref(cols, c.idx)))
    return Resolved(columns, parts, totals, problems)


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


def header_ref(cols: list[HeaderColumn], idx: int) -> str:
    return f"{column_letter(idx)} · {cols[idx].name}"


def found_headers(cols: list[HeaderColumn]) -> list[str]:
    return [header_ref(cols, c.idx) for c in cols if c.path]


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

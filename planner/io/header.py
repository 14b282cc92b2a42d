"""Headers as offices type them: up to five rows deep, merged parents, staff-type sub-columns.

A column's name is its *path*, the distinct texts from the top header row down to its own cell
("Biên chế có mặt › Biên chế"). Each column is classified into

* a **measure**: the contract column it holds (``quota``, ``headcount`` …), :data:`IGNORED`
  for derived or free-text columns, or None when it names nothing known;
* a **part**: None for a whole figure, ``total`` ("Tổng số"), a staff-type part ("Công chức",
  "Viên chức", "HĐ 111", "Hợp đồng khác", "Biên chế"), a job position of a wide table
  (``pos:<name>``), or ``unused`` for a sub-column that is neither ("Nữ", "Dân tộc thiểu số");
* its **year** (the latest four-digit year in the path) and whether it is **provisional**
  ("tạm giao"): what decides between several candidates for one column.

Rules (issue 11): the deepest text naming a measure decides, read with its parents ("Biên chế"
over "Có mặt" is the headcount); but a leaf under an on-board parent ("có mặt", "hiện có",
"hiện nay", "thực có") is never the quota, and a leaf under a quota parent ("được giao",
"giao", "chỉ tiêu") is never the headcount. "Trong đó" (of which), "Chia ra", "Bao gồm" levels
are parts of the figure above them, never extra people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from planner.domain.columns import IGNORED_HEADERS, TableSpec
from planner.domain.text import fold
from planner.io.numbers import cell_text

IGNORED = "__ignored__"
SEP = " › "
MAX_DEPTH = 5

_ON_BOARD = re.compile(r"\b(co mat|hien co|hien nay|thuc co)\b")
_QUOTA_CONTEXT = re.compile(r"\b(duoc giao|giao|chi tieu)\b")
_PROVISIONAL = re.compile(r"\btam giao\b|\btam thoi\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
#: "năm 2026", "đến ngày 31/12/2025", "tại thời điểm …": dates in a header, dropped for matching
_DATE_WORDS = re.compile(
    r"\b(nam|den ngay|den|tai thoi diem|tinh den|thoi diem|ngay|thang)?\s*"
    r"(\d{1,2} \d{1,2} )?(\d{1,2} )?(19[5-9]\d|20\d\d)\b|\bnam (n \d|n|truoc|nay|sau)\b")
_OF_WHICH = re.compile(r"^(trong do|trong so do|chia ra|bao gom|gom|chi tiet)\b\s*")
#: leaves that qualify the figure above them without splitting it
_QUALIFIERS = re.compile(
    r"^(so luong|sl|so nguoi|nguoi|so|tong so|tong|cong|tong cong|chinh thuc|giao chinh thuc|"
    r"tam giao)$")
#: leaves naming one version of the figure above them ("Biên chế › Đề án | Kế hoạch"): each is
#: a candidate for that figure, never a job position nor silently one of them
_VARIANT = re.compile(
    r"^(ke hoach|thuc hien|de an|du toan|uoc thuc hien|uoc th|kh|th|phuong an|de xuat|du kien|"
    r"de nghi|theo)\b")
_TOTAL = re.compile(r"^(tong so|tong|tong cong|cong|tong so chung)$")
_NOT_POSITION = re.compile(
    r"\b(ty le|ti le|tang|giam|so voi|chenh lech|nu|dan toc|dang vien|trinh do|thac si|"
    r"tien si|dai hoc|cao dang|trung cap|tuoi|ghi chu|kinh phi|luong|phu cap|don vi tinh)\b")

#: staff-type parts: part key → (label used in position names, staff type or None)
PART_LABELS: dict[str, tuple[str, str | None]] = {
    "civil_servant": ("công chức", "civil_servant"),
    "public_employee": ("viên chức", "public_employee"),
    "contract": ("hợp đồng NĐ 111", "contract"),
    "other_contract": ("hợp đồng khác", "contract"),
    "bien_che": ("biên chế", None),
}
_PARTS = [
    (re.compile(r"^(bien che )?(cong chuc|cc|cchc)( hanh chinh)?$|^bien che hanh chinh$"),
     "civil_servant"),
    (re.compile(r"^(bien che )?(vien chuc|vc)( su nghiep)?$|^(so )?nguoi lam viec$|"
                r"^bien che su nghiep$|^so luong nguoi lam viec$"), "public_employee"),
    (re.compile(r"^(lao dong )?(hd|hop dong|hdld)\b.*\bkhac\b"), "other_contract"),
    (re.compile(r"^(lao dong )?(hd|hop dong|hdld)\b.*\b(68|111|161)\b|"
                r"^(lao dong )?(hd|hop dong)( lao dong)?( ho tro phuc vu)?$|^nd (68|111)\b"),
     "contract"),
    (re.compile(r"^bien che$"), "bien_che"),
]


@dataclass(frozen=True)
class HeaderColumn:
    idx: int
    path: tuple[str, ...]
    measure: str | None
    strength: int  # 2 exact, 1 prefix
    part: str | None
    source: str  # the path without its part leaf: what a candidate rule compares
    year: int | None
    provisional: bool

    @property
    def name(self) -> str:
        return SEP.join(self.path)


def header_key(text: str) -> str:
    """A header folded for matching, dates and years dropped ("Biên chế năm 2026 được giao"
    → "bien che duoc giao")."""
    key = fold(text)
    if any(ch.isdigit() for ch in key) or " nam " in f" {key} ":
        key = " ".join(_DATE_WORDS.sub(" ", key).split())
    return key


def match_text(label: str, spec: TableSpec) -> tuple[str | None, int]:
    """Which column a header text names: (id, strength) with 2 = exact, 1 = prefix, 0 = none."""
    _SPECS.setdefault(spec.name, spec)
    return _match(label, spec.name)


_SPECS: dict[str, TableSpec] = {}


@lru_cache(maxsize=1 << 14)
def _match(label: str, spec_name: str) -> tuple[str | None, int]:
    spec = _SPECS[spec_name]
    keys = dict.fromkeys(k for k in (fold(label), header_key(label)) if k)
    best: tuple[str | None, int, int] = (None, 0, 0)  # id, strength, alias length
    candidates = [(c.id, a) for c in spec.columns for a in c.folded_aliases]
    candidates += [(IGNORED, a) for a in IGNORED_HEADERS]
    for key in keys:
        for col_id, alias in candidates:
            if key == alias:
                if best[1] < 2 or len(alias) > best[2]:
                    best = (col_id, 2, len(alias))
            elif (" " in alias and key.startswith(alias + " ") and best[1] < 2
                  and len(alias) > best[2]):
                best = (col_id, 1, len(alias))
    return best[0], best[1]


@lru_cache(maxsize=1 << 12)
def staff_part(text: str) -> str | None:
    """"Công chức" → "civil_servant", "HĐ 68" → "contract", "Tổng số" → "total", else None."""
    key = _OF_WHICH.sub("", fold(text)).strip()
    if _TOTAL.match(key):
        return "total"
    for pattern, part in _PARTS:
        if pattern.match(key):
            return part
    return None


_RELATIVE = re.compile(r"năm\s*n\s*(?:([+-])\s*(\d))?\b", re.IGNORECASE)


def year_of(path: tuple[str, ...]) -> int | None:
    """The latest year a header names: 2026 for "… năm 2026"; "năm N-1" → 9999, "năm N" → 10000
    (relative years compare among themselves)."""
    years = [int(y) for p in path for y in _YEAR.findall(fold(p))]
    for p in path:
        for sign, n in _RELATIVE.findall(p):
            years.append(10000 + (int(n) if sign == "+" else -int(n or 0)))
    return max(years) if years else None


def _is_of_which(text: str) -> bool:
    key = fold(text)
    return bool(_OF_WHICH.match(key)) and not _OF_WHICH.sub("", key).strip()


def classify(idx: int, path: tuple[str, ...], spec: TableSpec,
             has_position_column: bool) -> HeaderColumn:
    """What the column with header ``path`` (top → bottom) holds; see the module's rules.

    A pure function of the path (the header search reads the same cells as part of many
    candidate headers: 1,565 calls for 535 distinct paths on three 6,000-row files), so the
    answer is remembered per path and only the column index is set here."""
    _SPECS.setdefault(spec.name, spec)
    return replace(_classify(path, spec.name, has_position_column), idx=idx)


@lru_cache(maxsize=1 << 14)
def _classify(path: tuple[str, ...], spec_name: str, has_position_column: bool) -> HeaderColumn:
    spec = _SPECS[spec_name]
    idx = 0  # set by classify
    levels = [p for p in path if not _is_of_which(p)]
    of_which = len(levels) < len(path) or any(_OF_WHICH.match(fold(p)) for p in path[1:])
    year = year_of(path)
    provisional = any(_PROVISIONAL.search(fold(p)) for p in path)
    if not levels:
        return HeaderColumn(idx, path, None, 0, None, "", year, provisional)
    leaf = levels[-1]
    parents = levels[:-1]
    part = staff_part(leaf) if parents else None
    if part is not None or (parents and _QUALIFIERS.match(header_key(leaf))):
        measure, strength = _from_parents(parents, spec)
        if measure is None and part is not None and part != "total":
            measure, strength = None, 0
        source = SEP.join(levels[:-1]) if part is not None else SEP.join(levels)
        return HeaderColumn(idx, path, measure, strength, part, source, year, provisional)
    # the leaf read with its parents, then alone, then the parents
    # the first exact match (the leaf read with its parents, then alone), else the deepest
    # prefix match: "Số lượng biên chế › Hiện có" is the headcount, not "Số lượng biên chế …"
    measure, strength = None, 0
    for k in range(len(levels)):
        m, s = match_text(" ".join(levels[k:]), spec)
        if s == 2:
            measure, strength = m, s
            break
        if m is not None and measure is None:
            measure, strength = m, s
    if strength == 1 and parents and match_text(leaf, spec)[0] is None \
            and _from_parents(parents, spec)[0] == measure:
        # only the parents name it ("Biên chế được giao › Chuyên viên"): the leaf is a part
        measure, strength = None, 0
    on_board = any(_ON_BOARD.search(fold(p)) for p in parents)
    quota_ctx = any(_QUOTA_CONTEXT.search(fold(p)) and not _ON_BOARD.search(fold(p))
                    for p in parents)
    if measure == "quota" and on_board:
        measure, strength = ("headcount", 1) if "headcount" in spec.by_id() else (None, 0)
    elif measure == "headcount" and quota_ctx:
        measure, strength = ("quota", 1) if "quota" in spec.by_id() else (None, 0)
    part = None
    source = SEP.join(levels)
    if measure is None and parents:
        parent_measure, parent_strength = _from_parents(parents, spec)
        if parent_measure not in (None, IGNORED) and _VARIANT.match(header_key(leaf)):
            return HeaderColumn(idx, path, parent_measure, parent_strength, None, source, year,
                                provisional)
        if parent_measure is not None and parent_measure != IGNORED:
            key = fold(leaf)
            positional = (not has_position_column and not of_which and key
                          and not _NOT_POSITION.search(key) and not key.isdigit())
            part = f"pos:{leaf}" if positional else "unused"
            measure, strength = parent_measure, parent_strength
            source = SEP.join(levels[:-1])
        elif parent_measure == IGNORED:
            measure, strength = IGNORED, parent_strength
    elif measure is not None and measure != IGNORED and of_which:
        part = "unused"  # "Trong đó: Số có mặt": a part of something, not the figure
    return HeaderColumn(idx, path, measure, strength, part, source, year, provisional)


def _from_parents(parents: list[str], spec: TableSpec) -> tuple[str | None, int]:
    """The measure the parents name, the deepest first ("Có mặt" under "Biên chế")."""
    for k in range(len(parents), 0, -1):
        for j in range(k):
            measure, strength = match_text(" ".join(parents[j:k]), spec)
            if measure is not None:
                return measure, strength
    return None, 0


# --- header rows ----------------------------------------------------------------------------


def header_paths(rows: list[list[Any]], h: int, depth: int, width: int) -> list[tuple[str, ...]]:
    """Per column, the distinct texts of header rows h … h+depth-1, top to bottom.

    A parent typed once over sub-columns without a merge (as in a CSV) is spread over the
    sub-columns its row below fills.
    """
    levels = []
    for r in range(h, h + depth):
        row = rows[r] if r < len(rows) else []
        levels.append([cell_text(row[c]) if c < len(row) else "" for c in range(width)])
    for d in range(depth - 1):
        top = levels[d]
        under = [any(levels[k][c] for k in range(d + 1, depth)) for c in range(width)]
        for c in range(1, width):
            # a parent over sub-columns (its own column has them too): "Có mặt,,," over
            # "Tổng số, Trong đó, …" in a CSV, or a workbook whose merges are not known
            if not top[c] and under[c] and top[c - 1] and under[c - 1] and (
                    d == 0 or levels[d - 1][c] == levels[d - 1][c - 1]):
                top[c] = top[c - 1]
    out = []
    for c in range(width):
        path: list[str] = []
        for d in range(depth):
            t = levels[d][c]
            if t and (not path or path[-1] != t):
                path.append(t)
        out.append(tuple(path))
    return out


def classify_header(rows: list[list[Any]], h: int, depth: int, width: int, spec: TableSpec
                    ) -> list[HeaderColumn]:
    paths = header_paths(rows, h, depth, width)
    cols = [classify(c, p, spec, False) for c, p in enumerate(paths)]
    if any(c.measure == "position_name" or c.measure == "position_id" for c in cols):
        cols = [classify(c, p, spec, True) if (cols[c].part or "").startswith("pos:")
                else cols[c] for c, p in enumerate(paths)]
    return _settle_positions(cols)


def _settle_positions(cols: list[HeaderColumn]) -> list[HeaderColumn]:
    """A wide table needs at least two job positions under one parent; a lone unknown leaf is a
    sub-column not used."""
    by_source: dict[str, list[HeaderColumn]] = {}
    for c in cols:
        if c.part and c.part.startswith("pos:"):
            by_source.setdefault(c.source, []).append(c)
    lone = {s for s, cs in by_source.items() if len({c.part for c in cs}) < 2}
    if not lone:
        return cols
    return [HeaderColumn(c.idx, c.path, c.measure, c.strength, "unused", c.source, c.year,
                         c.provisional) if c.part and c.part.startswith("pos:")
            and c.source in lone else c for c in cols]


def score(cols: list[HeaderColumn], spec: TableSpec) -> int:
    """How well a header names the table: required columns most, then distinct figures."""
    named = [c for c in cols if c.measure and c.measure != IGNORED and c.part != "unused"]
    ids = {c.measure for c in named}
    keys = {(c.measure, c.part) for c in named}
    required = len(ids & set(spec.required)) + sum(1 for g in spec.one_of if ids & set(g))
    return 10 * required + len(ids) + len(keys)

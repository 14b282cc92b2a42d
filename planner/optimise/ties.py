"""Ties spread: among rows the optimiser cannot tell apart, hires go to the emptiest units.

Two rows are *tied* when they have the same priority, the same cost per hire and the same
funding source. Moving one hire from one tied row to another changes no stage's value: the
weighted hires, the cost and every source's spend are the same sums. So after the stages
(docs/optimiser.md, "Ties"), each class of tied rows is redistributed:

1. the hires the stages put on its rows beyond their pins are taken off;
2. every unit that needs them back to keep a requirement gets them first: its minimum hires
   (``min_fill``), and under ``fair`` the lowest staffing ratio the plan reached;
3. the rest go one at a time to the unit with the lowest staffing ratio
   (staff staying + hires) ÷ quota, on the first of its tied rows (in input order) that can
   take one: below the row's bound, its (unit, staff type) below its quota, the unit below its
   cap and its own budget cap. Equal ratios: the unit that comes first in the input.

Classes are taken in the order of their first row; as classes share units, the passes repeat
(a class is re-run only when another changed one of its units) until a pass changes nothing,
at most MAX_PASSES times. Then, in every class, no unit that could take one more tied hire is
left at a lower fill rate than the rate another unit had when it took its last tied hire
(hires a unit needs for its minimum apart): that is what "lowest fill rate first" promises.
It is not the most even spread in every case: with whole hires and different quotas, raising
the emptiest unit by a step may use a hire that would have filled another unit completely.

Every constraint holds after each step, the stages' values are exactly unchanged, and the same
input gives the same plan. Ties are not spread across rows of different cost or priority (a
plan equal in every stage built that way is not looked for).
"""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

import numpy as np

from planner.optimise.instance import AllocationInstance

_EPS = 1e-9


def spread_ties(inst: AllocationInstance, hires: np.ndarray, *, keep_ratio: bool) -> np.ndarray:
    """``hires`` with each class of tied rows redistributed (module docstring). With
    ``keep_ratio`` (the ``fair`` objective) no unit ends below the plan's lowest staffing
    ratio."""
    h = np.asarray(hires, dtype=np.int64).copy()
    tied = _tie_classes(inst) if len(h) > 1 else []
    if not tied:
        return h
    state = _State(inst, h, keep_ratio)
    classes = [rows.tolist() for rows in tied]
    units = [sorted(set(inst.unit[rows].tolist())) for rows in tied]
    seen: list[list[int] | None] = [None] * len(classes)  # unit versions at the last run
    for _ in range(MAX_PASSES):
        changed = False
        for k, rows in enumerate(classes):
            versions = [state.version[u] for u in units[k]]
            if versions == seen[k]:
                continue  # none of its units changed since its last run: the same result
            if state.respread(rows):
                changed = True
                for u in units[k]:
                    state.version[u] += 1
            seen[k] = [state.version[u] for u in units[k]]
        if not changed:
            break
    return np.asarray(state.h, dtype=np.int64)


#: Passes over the classes at most: a class is redistributed given the others as they stand
#: (its result does not depend on how the solver placed its hires); a pass that changes
#: nothing ends the loop.
MAX_PASSES = 20


class _State:
    """The plan and its running sums while classes are redistributed (Python lists: this
    is a loop over single hires, where numpy's per-item access would cost most)."""

    def __init__(self, inst: AllocationInstance, h: np.ndarray, keep_ratio: bool) -> None:
        self.h = h.tolist()
        self.lower, self.upper = inst.lower.tolist(), inst.upper.tolist()
        self.unit, self.group = inst.unit.tolist(), inst.ceiling_group.tolist()
        self.cost = inst.cost.astype(float).tolist()
        self.room = inst.ceiling_room.tolist()
        self.unit_max, self.unit_budget = inst.unit_max.tolist(), inst.unit_budget.tolist()
        self.required = inst.unit_required.tolist()
        self.unit_hired = np.bincount(inst.unit, weights=h, minlength=inst.n_units
                                      ).astype(np.int64).tolist()
        self.group_hired = np.bincount(inst.ceiling_group, weights=h,
                                       minlength=len(inst.ceiling_room)).astype(np.int64).tolist()
        self.unit_spent = np.bincount(inst.unit, weights=h * inst.cost,
                                      minlength=inst.n_units).tolist()
        self.quota = inst.unit_quota.astype(np.int64).tolist()
        self.staying = inst.unit_staying.astype(np.int64).tolist()
        self.version = [0] * inst.n_units  # bumped when a class changes a unit's hires
        #: the least hires each unit must keep: its required minimum and, with keep_ratio,
        #: what holds it at the plan's lowest staffing ratio (exact fractions)
        self.least = list(self.required)
        if keep_ratio:
            ratios = [Fraction(s + k, q) for s, k, q in
                      zip(self.staying, self.unit_hired, self.quota, strict=True) if q > 0]
            if ratios:
                floor = min(ratios)
                self.least = [max(m, math.ceil(floor * q) - s) if q > 0 else m for m, q, s in
                              zip(self.least, self.quota, self.staying, strict=True)]

    def ratio(self, u: int) -> float:
        """(staying + hires) ÷ quota. A quotient of whole numbers rounded once: equal
        fractions give equal floats, and fractions of numbers this small never collide."""
        q = self.quota[u]
        return (self.staying[u] + self.unit_hired[u]) / q if q > 0 else math.inf

    def move(self, r: int, k: int) -> None:
        self.h[r] += k
        self.unit_hired[self.unit[r]] += k
        self.group_hired[self.group[r]] += k
        self.unit_spent[self.unit[r]] += k * self.cost[r]

    def place(self, u: int, rows: list[int]) -> bool:
        """One hire on the first of unit u's ``rows`` that can take it, within every rule."""
        if self.unit_hired[u] + 1 > self.unit_max[u] + _EPS:
            return False
        if self.unit_spent[u] + self.cost[rows[0]] > self.unit_budget[u] + 1e-6:
            return False
        for r in rows:
            g = self.group[r]
            if self.h[r] < self.upper[r] and self.group_hired[g] < self.room[g]:
                self.move(r, 1)
                return True
        return False

    def respread(self, rows: list[int]) -> bool:
        """Redistribute one class (module docstring). True when the plan changed."""
        h, lower, upper = self.h, self.lower, self.upper
        free = [h[r] - lower[r] for r in rows]
        moved = sum(free)
        if moved == 0 or all(h[r] >= upper[r] for r in rows):
            return False  # nothing to move, or nowhere to move it
        by_unit: dict[int, list[int]] = {}
        for r in rows:
            by_unit.setdefault(self.unit[r], []).append(r)
        before = [h[r] for r in rows]
        for r, k in zip(rows, free, strict=True):  # 1. take them off
            if k:
                self.move(r, -k)
        for u, own in by_unit.items():  # 2. what each unit needs back for its requirements
            need = self.least[u] - self.unit_hired[u]
            while need > 0 and moved > 0 and self.place(u, own):
                need -= 1
                moved -= 1
        heap = [(self.ratio(u), u) for u in by_unit]  # 3. the lowest fill rate first
        heapq.heapify(heap)
        while moved > 0 and heap:
            _, u = heapq.heappop(heap)
            if self.place(u, by_unit[u]):
                moved -= 1
                heapq.heappush(heap, (self.ratio(u), u))
        if moved:  # cannot happen (the stages' plan places them all); if it did: as it was
            for r, old in zip(rows, before, strict=True):
                if h[r] != old:
                    self.move(r, old - h[r])
            return False
        return any(h[r] != old for r, old in zip(rows, before, strict=True))


def _tie_classes(inst: AllocationInstance) -> list[np.ndarray]:
    """Classes of rows with equal priority, cost and source, each in input order; classes in
    the order of their first row. Only rows whose hires can move (bound above pin) count, and
    only classes with such rows in two units or more."""
    movable = np.flatnonzero(inst.upper > inst.lower)
    if len(movable) < 2:
        return []
    src, pri, cost = inst.source[movable], inst.priority[movable], inst.cost[movable]
    order = np.lexsort((movable, cost, pri, src))
    keys, src, pri, cost = movable[order], src[order], pri[order], cost[order]
    new = np.ones(len(keys), dtype=bool)
    new[1:] = (src[1:] != src[:-1]) | (pri[1:] != pri[:-1]) | (cost[1:] != cost[:-1])
    unit = inst.unit[keys]
    out = []
    for rows, units in zip(np.split(keys, np.flatnonzero(new)[1:]),
                           np.split(unit, np.flatnonzero(new)[1:]), strict=True):
        if len(rows) > 1 and (units != units[0]).any():
            out.append(np.sort(rows))
    out.sort(key=lambda rows: int(rows[0]))
    return out

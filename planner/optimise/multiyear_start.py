"""A feasible starting plan for the multi-year model (issue 15), in plain numpy (no PuLP).

The MIP of :mod:`planner.optimise.model_multiyear` is handed this plan before HiGHS runs, so a
time limit returns the best plan found with its gap (``feasible_time_limit``) instead of no
plan at all. Hiring nobody meets every ceiling; only a unit minimum (min fill, target) asks for
hires. :func:`greedy_plan` starts from a base plan (nobody, or the LP relaxation's cumulative
hires rounded down) and adds hires year by year, each addition kept for every later year
(hires are never undone) and only where every constraint of every later year still holds:
first the unit minimums, then by priority per đồng (``priority`` and ``fair``), none beyond
the minimums for ``min_cost``. :func:`violations` checks a plan against the model's rules;
a plan with a violation is never returned.

Money: a plan's spending is compared with the budget in whole đồng (cost · X ≤ budget), which
is stricter than the model's right-hand side (budget + 0.5 đồng), so a plan accepted here is
feasible for the model.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from planner.optimise.model_multiyear import MultiYearMip

_EPS = 1e-9


def _caps(d: MultiYearMip) -> tuple[np.ndarray, np.ndarray]:
    """The row and group ceilings per year: the whole rooms (row room also capped by the
    row's hires over the horizon, as X never falls)."""
    row = np.floor(np.maximum(d.room, 0) + _EPS)
    if d.row_max is not None:
        row = np.minimum(row, np.floor(np.asarray(d.row_max, float) + _EPS)[:, None])
    group = np.floor(np.maximum(d.group_room, 0) + _EPS)
    return row, group


def _unit_budget(d: MultiYearMip) -> np.ndarray:
    U, T = d.unit_min.shape
    return np.full((U, T), np.inf) if d.unit_budget is None else np.asarray(d.unit_budget, float)


def _unit_max(d: MultiYearMip) -> np.ndarray:
    U = d.unit_min.shape[0]
    return np.full(U, np.inf) if d.unit_max is None else np.asarray(d.unit_max, float)


def violations(d: MultiYearMip, X: np.ndarray) -> list[str]:
    """The model's constraints that the cumulative plan ``X`` (n × T) breaks, in words."""
    out: list[str] = []
    X = np.asarray(X, dtype=float)
    if X.shape != d.room.shape:
        return [f"shape {X.shape} is not {d.room.shape}"]
    if (np.abs(X - np.rint(X)) > 1e-6).any() or (X < 0).any():
        out.append("hires must be whole and ≥ 0")
    if (np.diff(X, axis=1) < 0).any():
        out.append("hires so far fall (firing)")
    row, group = _caps(d)
    if (row + 1e-6 < X).any():
        out.append("row room")
    gsum = np.zeros_like(group)
    np.add.at(gsum, d.group, X)
    if (gsum > group + 1e-6).any():
        out.append("unit room")
    spend = d.cost * X
    by_source = np.zeros_like(d.budgets, dtype=float)
    np.add.at(by_source, d.source, spend)
    if (by_source > np.floor(d.budgets + 1e-6) + 0.5).any():
        out.append("budget")
    U = d.unit_min.shape[0]
    count = np.zeros((U, d.years))
    np.add.at(count, d.unit, X)
    if (count < d.unit_min - 1e-6).any():
        out.append("unit minimum")
    hires = np.diff(X, axis=1, prepend=0)
    per_unit = np.zeros((U, d.years))
    np.add.at(per_unit, d.unit, hires)
    if (per_unit > _unit_max(d)[:, None] + 1e-6).any():
        out.append("unit hires a year")
    uspend = np.zeros((U, d.years))
    np.add.at(uspend, d.unit, spend)
    if (uspend > np.floor(_unit_budget(d) + 1e-6) + 0.5).any():
        out.append("unit budget")
    return out


def greedy_plan(d: MultiYearMip, base: np.ndarray | None = None) -> np.ndarray | None:
    """A plan (n × T whole cumulative hires) meeting every constraint, built on ``base`` (a
    feasible-or-not plan whose hires are kept where they fit), or None when the greedy meets
    no unit minimum that asks for hires."""
    n, T = d.n, d.years
    # X never falls: a hire of year y must fit the ceilings of every year ≥ y (room_for
    # takes the least room over those years)
    row_cap, group_cap = _caps(d)
    budgets = np.floor(np.asarray(d.budgets, float) + 1e-6)
    ubudget = np.floor(_unit_budget(d) + 1e-6)
    umax = _unit_max(d)
    cost = np.asarray(d.cost, float)
    X = np.zeros((n, T))
    gsum = np.zeros_like(group_cap)
    spent = np.zeros_like(budgets)
    uspent = np.zeros_like(ubudget)
    ucount = np.zeros_like(ubudget)
    uhires = np.zeros_like(ubudget)

    def room_for(r: int, y: int) -> float:
        """The most hires row r can add in year y (kept to the horizon's end)."""
        g, s, u = d.group[r], d.source[r], d.unit[r]
        c = cost[r, y:]
        most = min(float((row_cap[r, y:] - X[r, y:]).min()),
                   float((group_cap[g, y:] - gsum[g, y:]).min()),
                   float(umax[u] - uhires[u, y]))
        if most < 1:
            return 0.0
        for left_money in (budgets[s, y:] - spent[s, y:], ubudget[u, y:] - uspent[u, y:]):
            paid = c > 0
            if paid.any() and np.isfinite(left_money[paid]).any():
                most = min(most, float(np.floor((left_money[paid] + _EPS) / c[paid]).min()))
        return max(0.0, math.floor(most + _EPS))

    def add(r: int, y: int, k: float) -> None:
        g, s, u = d.group[r], d.source[r], d.unit[r]
        X[r, y:] += k
        gsum[g, y:] += k
        spent[s, y:] += cost[r, y:] * k
        uspent[u, y:] += cost[r, y:] * k
        ucount[u, y:] += k
        uhires[u, y] += k

    # the rows in the order the greedy hires them: priority per đồng of a year, then row
    value = np.asarray(d.priority, float) / np.maximum(cost.mean(axis=1), 1.0)
    order = np.lexsort((np.arange(n), -value))
    units = [np.flatnonzero(d.unit == u) for u in range(d.unit_min.shape[0])]
    fill = d.objective != "min_cost"
    base_X = None if base is None else np.floor(np.maximum(np.asarray(base, float), 0) + _EPS)
    for y in range(T):
        if base_X is not None:  # the base's hires of year y where they still fit
            want = base_X[:, y] - X[:, y]
            for r in np.flatnonzero(want >= 1)[np.argsort(-value[want >= 1],
                                                          kind="stable")].tolist():
                k = min(want[r], room_for(r, y))
                if k >= 1:
                    add(r, y, k)
        for u in np.flatnonzero(d.unit_min[:, y] > ucount[:, y] + 1e-6).tolist():
            rows = units[u][np.argsort(-value[units[u]], kind="stable")]
            for r in rows.tolist():
                need = math.ceil(d.unit_min[u, y] - ucount[u, y] - 1e-6)
                if need <= 0:
                    break
                k = min(need, room_for(r, y))
                if k >= 1:
                    add(r, y, k)
        if fill:
            for r in order[row_cap[order, y] - X[order, y] >= 1].tolist():
                k = room_for(r, y)
                if k >= 1:
                    add(r, y, k)
    X = np.rint(X)
    if violations(d, X):
        return None
    return X


def fair_ratio(d: MultiYearMip, X: np.ndarray) -> float:
    """The ``fair`` objective's t of plan X: the least final fill N0_u + Σ X over Q_u."""
    if d.fair_quota is None or d.fair_staying is None:
        return 0.0
    U = d.unit_min.shape[0]
    final = np.zeros(U)
    np.add.at(final, d.unit, X[:, -1])
    q = np.asarray(d.fair_quota, float)
    has = q > 0
    if not has.any():
        return 0.0
    return max(0.0, float(((np.asarray(d.fair_staying, float) + final)[has] / q[has]).min()))

"""The bare HiGHS reference of scripts/bench_solve.py: the planner's matrix loaded into highspy
straight from numpy (no modelling layer), and the same model written for a process that
imports highspy only (``--process``)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.optimise.instance import prepare
from planner.optimise.model import (
    FEASIBILITY_TOLERANCE,
    MONEY_UNIT,
    AllocationModel,
    MipData,
    RowGroup,
    _highs_banner_silenced,
    _HighsBackend,
    budget_rhs,
)

#: the relative gap of every benchmarked solve
GAP = 1e-4

# --- the same matrix, straight into highspy ----------------------------------------------------

def matrix(d: MipData) -> tuple[list[tuple[str, np.ndarray, np.ndarray, float, float]], dict]:
    """The rows of planner.optimise.model.AllocationModel, in its order, as (kind, cols, coefs, lo,
    hi)."""
    cost = d.cost / MONEY_UNIT
    order = np.argsort(d.unit, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(d.unit, minlength=d.n_units))])
    members = [order[starts[u]:starts[u + 1]] for u in range(d.n_units)]
    rows, groups = [], {}

    def add(kind, key, cols, coefs, lo, hi):
        groups.setdefault(kind, ([], []))
        groups[kind][0].append(len(rows))
        groups[kind][1].append(key)
        rows.append((kind, cols, coefs, lo, hi))

    for s in np.flatnonzero(np.isfinite(d.budgets)):
        cols = np.flatnonzero(d.source == s)
        add("budget", s, cols, cost[cols], -math.inf, budget_rhs(d.budgets[s]))
    if math.isfinite(d.total_budget):
        add("total_budget", 0, np.arange(d.n), cost, -math.inf, budget_rhs(d.total_budget))
    for u in np.flatnonzero(np.isfinite(d.unit_min) & (d.unit_min > 0)):
        add("unit_min", u, members[u], np.ones(len(members[u])), d.unit_min[u], math.inf)
    for u in np.flatnonzero(np.isfinite(d.unit_max)):
        add("unit_max", u, members[u], np.ones(len(members[u])), -math.inf, d.unit_max[u])
    for u in np.flatnonzero(np.isfinite(d.unit_budget)):
        add("unit_budget", u, members[u], cost[members[u]], -math.inf,
            budget_rhs(d.unit_budget[u]))
    if d.ceiling is not None and d.ceiling_group is not None:
        by_group = np.argsort(d.ceiling_group, kind="stable")
        cuts = np.concatenate([[0], np.cumsum(np.bincount(d.ceiling_group,
                                                         minlength=len(d.ceiling)))])
        for g in np.flatnonzero(np.isfinite(d.ceiling)):
            cols = by_group[cuts[g]:cuts[g + 1]]
            add("quota_ceiling", g, cols, np.ones(len(cols)), -math.inf, d.ceiling[g])
    if d.keep_weighted:
        add("keep_weighted", 0, np.arange(d.n), d.priority, float(d.priority @ d.lower),
            math.inf)
    return rows, {k: RowGroup(k, np.array(r), np.array(keys)) for k, (r, keys) in groups.items()}


def load_highs(d: MipData, rows):
    import highspy

    _highs_banner_silenced()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_feasibility_tolerance", FEASIBILITY_TOLERANCE)
    h.setOptionValue("primal_feasibility_tolerance", FEASIBILITY_TOLERANCE)
    inf = highspy.kHighsInf
    empty = np.zeros(0, dtype=np.int32)
    h.addCols(d.n, np.zeros(d.n), d.lower.astype(float), d.upper.astype(float), 0, empty, empty,
              np.zeros(0))
    starts = np.cumsum([0] + [len(r[1]) for r in rows[:-1]]).astype(np.int32)
    index = np.concatenate([r[1] for r in rows]).astype(np.int32)
    value = np.concatenate([r[2] for r in rows]).astype(float)
    lo = np.array([max(r[3], -inf) for r in rows])
    hi = np.array([min(r[4], inf) for r in rows])
    h.addRows(len(rows), lo, hi, len(index), starts, index, value)
    return h


class BareModel:
    """planner.optimise.model.AllocationModel's interface on a highspy object loaded from numpy."""

    fair = False

    def __init__(self, d: MipData) -> None:
        self.data = d
        self.n_cols = d.n
        rows, self.groups = matrix(d)
        self._rhs = [r[3] if r[3] > -math.inf else r[4] for r in rows]
        self._senses = [1 if r[3] > -math.inf else -1 for r in rows]
        backend = object.__new__(_HighsBackend)
        import highspy

        backend._hs = highspy
        backend.h = load_highs(d, rows)
        backend.col = np.arange(d.n, dtype=np.int32)
        backend.n_h = d.n
        backend.senses = self._senses
        backend.row = np.arange(len(rows), dtype=np.int32)
        self._backend = backend

    def rhs(self, row: int) -> float:
        return self._rhs[row]

    def set_rhs(self, row: int, value: float) -> None:
        self._rhs[row] = value
        self._backend.rhs_changed(row, value)

    run = AllocationModel.run


# --- the references ----------------------------------------------------------------------------

def priority_instance(inst):
    """The synthetic province prepared as ``solve`` prepares it (objective priority, GAP)."""
    planned, *_ = prepare(inst.gaps, inst.units, budgets=inst.budgets, total_budget=None,
                          min_fill=None, objective="priority", target_fill=1.0, solver="highs",
                          time_limit=None, gap=GAP)
    return planned


BARE_PROCESS = r"""
import json, sys, time
import numpy as np
import highspy
mps, objectives, plan_out = sys.argv[1:4]
data = np.load(objectives)
priority, cost, keep = data["priority"], data["cost"], int(data["keep"])
h = highspy.Highs()
h.setOptionValue("output_flag", False)
h.readModel(mps)
h.setOptionValue("mip_rel_gap", %(gap)r)
h.setOptionValue("mip_feasibility_tolerance", %(tol)r)
h.setOptionValue("primal_feasibility_tolerance", %(tol)r)
n = h.getNumCol()
idx = np.arange(n, dtype=np.int32)
h.changeColsIntegrality(n, idx, np.full(n, highspy.HighsVarType.kInteger))
h.changeColsCost(n, idx, priority)
h.changeObjectiveSense(highspy.ObjSense.kMaximize)
h.run()
x = np.round(np.asarray(h.getSolution().col_value))
weighted = float(priority @ x)
h.changeRowBounds(keep, weighted - 1e-7, highspy.kHighsInf)
h.changeColsCost(n, idx, cost)
h.changeObjectiveSense(highspy.ObjSense.kMinimize)
h.setSolution(n, idx, x)
h.run()
y = np.round(np.asarray(h.getSolution().col_value))
np.savetxt(plan_out, y, fmt="%%d")
print(json.dumps({"objective": float(priority @ y), "cost": float(cost @ y) * %(unit)r,
                  "status": h.getModelStatus().name}))
"""


def write_process_inputs(inst, folder: Path) -> tuple[list[str], Path, Path]:
    """The instance as an office's three CSV files, and the same model as MPS + objectives."""
    g = inst.gaps.reset_index(drop=True)
    g[["unit_id", "unit_name", "position_id", "position_name", "staff_type", "funding_source",
       "sector", "salary_coefficient", "allowance_rate", "quota", "priority"]].to_csv(
        folder / "quotas.csv", index=False)
    g[["unit_id", "unit_name", "position_id", "position_name", "headcount",
       "expected_departures"]].to_csv(folder / "headcounts.csv", index=False)
    inst.units.to_csv(folder / "units.csv", index=False)
    planned = priority_instance(inst)
    d = planned.mip_data()
    rows, groups = matrix(d)
    h = load_highs(d, rows)
    mps, objectives = folder / "model.mps", folder / "objectives.npz"
    h.writeModel(str(mps))
    np.savez(objectives, priority=d.priority, cost=d.cost / MONEY_UNIT,
             keep=int(groups["keep_weighted"].rows[0]))
    args = ["--quotas", str(folder / "quotas.csv"), "--headcounts",
            str(folder / "headcounts.csv"), "--units", str(folder / "units.csv"),
            "--gap", str(GAP), "--out", str(folder / "plan.csv"),
            "--summary", str(folder / "summary.json")]
    for source, budget in inst.budgets.items():
        args += ["--budget", f"{source}={budget:.0f}"]
    return args, mps, objectives

#!/usr/bin/env python3
"""Benchmark of the multi-year ``plan`` (issue 15) against bare HiGHS on the same model.

    .venv/bin/python scripts/bench_multiyear.py --rows 1500,6000 [--time-limit 600]

For each size, the script writes a synthetic province (``planner.io.synthetic``: positions,
costs, two funding sources) as the files an office would give ``plan``: a quotas CSV with a
quota path to 2030 (``quota_2027`` … ``quota_2030``: civil servants cut 3 % a year, rounded
down per row) and a headcounts CSV with departures per year (``departures_2026`` …, about
3 % of the staff a year), and yearly budgets that bind (half the salary fund of filling every
room in the last year). Then, each in a fresh process, timed from start to exit:

* ``plan``: ``python -m planner plan --years 2026-2030 … --gap 0.0001``: reading and checking
  the files, the quota path, the PuLP model, HiGHS by the planner's steps (relaxation, core,
  whole problem stopped by the bound), both stages (staff-years, then cost), the CSV;
* bare HiGHS: this script with ``--bare``: the files read by pandas, the same model (the
  issue's statement: cumulative hires, no firing, row and unit rooms, yearly budgets) put
  into highspy as numpy arrays, HiGHS's own MIP at the same gap, both stages, a CSV of hires.

Prints a markdown table: seconds, status, first-stage value and gap of each, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = (2026, 2027, 2028, 2029, 2030)
GAP = 1e-4
BASE_SALARY = 2_530_000
CONTRIBUTION = {"civil_servant": 0.225, "public_employee": 0.235, "contract": 0.235}
BONUS = 0.10


def write_instance(rows: int, folder: Path, seed: int = 0) -> dict[str, float]:
    """The quotas and headcounts files of a synthetic province; returns the budgets."""
    from planner.io.synthetic import synthetic_instance

    inst = synthetic_instance(rows, seed=seed)
    g = inst.gaps.reset_index(drop=True)
    rng = np.random.default_rng(seed)
    q = g[["unit_id", "unit_name", "position_id", "position_name", "staff_type",
           "funding_source", "sector", "salary_coefficient", "allowance_rate", "quota",
           "priority"]].copy()
    from planner.domain.rules import DEFAULT_ALLOWANCE_RATES

    q["allowance_rate"] = q["allowance_rate"].fillna(q["staff_type"].map(
        DEFAULT_ALLOWANCE_RATES))
    for k, year in enumerate(YEARS[1:], 2):
        cut = np.where(q["staff_type"] == "civil_servant", 0.03 * k, 0.0)
        q[f"quota_{year}"] = (q["quota"] - np.floor(q["quota"] * cut + 1e-9)).astype(int)
    h = g[["unit_id", "unit_name", "position_id", "position_name", "headcount"]].copy()
    left = h["headcount"].to_numpy().copy()
    for year in YEARS:
        d = rng.binomial(left.astype(int), 0.03)
        h[f"departures_{year}"] = d
        left = left - d
    q.to_csv(folder / "quotas.csv", index=False)
    h.to_csv(folder / "headcounts.csv", index=False)
    data = model_data(folder)
    cost, room, source = data["cost"], data["room"], data["source_name"]
    budgets = {}
    for s in sorted(set(source)):
        full = float((cost[source == s, -1] * room[source == s, -1]).sum())
        budgets[s] = round(0.5 * full)
    return budgets


def model_data(folder: Path) -> dict:
    """The issue's model data from the two files, computed here independently of planner."""
    q = pd.read_csv(folder / "quotas.csv")
    h = pd.read_csv(folder / "headcounts.csv")
    h = q[["unit_id", "position_id"]].merge(h, on=["unit_id", "position_id"], how="left")
    n, T = len(q), len(YEARS)
    quota = np.zeros((n, T))
    current = q["quota"].to_numpy(float)
    for k, y in enumerate(YEARS):
        if f"quota_{y}" in q:
            current = q[f"quota_{y}"].to_numpy(float)
        quota[:, k] = current
    dep = np.stack([h[f"departures_{y}"].to_numpy(float) for y in YEARS], axis=1)
    n0 = h["headcount"].to_numpy(float)[:, None] - np.cumsum(dep, axis=1)
    room = np.maximum(0, quota - n0)
    coef = q["salary_coefficient"].to_numpy(float)
    rate = q["allowance_rate"].fillna(0).to_numpy(float) + q["staff_type"].map(
        CONTRIBUTION).to_numpy(float) + BONUS
    cost = np.repeat(np.round(12 * BASE_SALARY * coef * (1 + rate))[:, None], T, axis=1)
    group = pd.factorize(q["unit_id"] + "\x1f" + q["staff_type"])[0]
    return {"quota": quota, "n0": n0, "room": room, "cost": cost, "group": group,
            "source_name": q["funding_source"].to_numpy(object),
            "priority": q["priority"].to_numpy(float)}


def bare(folder: Path, budgets: dict[str, float], time_limit: float) -> dict:
    """The same model straight into highspy (no modelling layer), HiGHS's default MIP."""
    import highspy

    t0 = time.perf_counter()
    d = model_data(folder)
    room, cost, group, n0, quota = d["room"], d["cost"], d["group"], d["n0"], d["quota"]
    n, T = room.shape
    col = np.arange(n * T).reshape(n, T)
    starts, index, value, lo, hi = [0], [], [], [], []

    def row(cols, coefs, low, up):
        index.extend(cols.tolist())
        value.extend(np.asarray(coefs, float).tolist())
        starts.append(len(index))
        lo.append(low)
        hi.append(up)

    inf = highspy.kHighsInf
    for y in range(1, T):
        for r in np.flatnonzero(room[:, y - 1] >= 1):
            row(np.array([col[r, y], col[r, y - 1]]), [1, -1], 0, inf)
    G = group.max() + 1
    groom = np.zeros((G, T))
    np.add.at(groom, group, quota - n0)
    groom = np.maximum(groom, 0)
    order = np.argsort(group, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(group, minlength=G))])
    for g in range(G):
        rows = order[bounds[g]:bounds[g + 1]]
        for y in range(T):
            if groom[g, y] < room[rows, y].sum():
                row(col[rows, y], np.ones(len(rows)), -inf, groom[g, y])
    for s, amount in budgets.items():
        rows = np.flatnonzero(d["source_name"] == s)
        for y in range(T):
            row(col[rows, y], cost[rows, y] / 1e6, -inf, (np.floor(amount) + 0.5) / 1e6)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    N = n * T
    h.addVars(N, np.zeros(N), room.reshape(-1))
    h.changeColsIntegrality(N, np.arange(N, dtype=np.int32),
                            np.full(N, highspy.HighsVarType.kInteger))
    h.addRows(len(lo), np.array(lo), np.array(hi), len(index), np.array(starts[:-1], np.int32),
              np.array(index, np.int32), np.array(value))
    h.setOptionValue("mip_rel_gap", GAP)
    weighted = np.repeat(d["priority"], T)
    stages = []
    for goal, c, sense in (("staff_years", weighted, highspy.ObjSense.kMaximize),
                           ("cost", cost.reshape(-1) / 1e6, highspy.ObjSense.kMinimize)):
        left = time_limit - (time.perf_counter() - t0)
        h.setOptionValue("time_limit", max(1.0, left))
        h.changeColsCost(N, np.arange(N, dtype=np.int32), c)
        h.changeObjectiveSense(sense)
        h.run()
        info = h.getInfo()
        stages.append({"goal": goal, "status": str(h.getModelStatus()).split(".")[-1],
                       "value": info.objective_function_value, "bound": info.mip_dual_bound})
        if goal == "staff_years":
            v = info.objective_function_value
            nz = np.flatnonzero(weighted)
            h.addRow(v - 1e-6 * max(1, abs(v)), inf, len(nz), nz.astype(np.int32),
                     weighted[nz])
    x = np.asarray(h.getSolution().col_value).reshape(n, T)
    pd.DataFrame(np.rint(x).astype(int), columns=[str(y) for y in YEARS]).to_csv(
        folder / "bare_hires.csv", index=False)
    return {"stages": stages}


def timed(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, CPU seconds (user + system of the child) and the result."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", default="1500,6000")
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--bare", metavar="FOLDER", help=argparse.SUPPRESS)
    ap.add_argument("--budgets", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.bare:
        out = bare(Path(args.bare), json.loads(args.budgets), args.time_limit)
        print(json.dumps(out))
        return 0
    print(f"{time.strftime('%Y-%m-%d')} · {platform.processor() or platform.machine()} · "
          f"{os.cpu_count()} cores · Python {platform.python_version()}")
    print("| rows × years | plan process: wall (CPU) | status, staff-years, gap | "
          "bare HiGHS process: wall (CPU) | status, staff-years, gap | ratio wall (CPU) | "
          "load average (1 min) before → after |")
    print("|---|---:|---|---:|---|---:|---|")
    for rows in [int(r) for r in args.rows.split(",")]:
        with tempfile.TemporaryDirectory(prefix="bench-multiyear-") as tmp:
            folder = Path(tmp)
            budgets = write_instance(rows, folder)
            cmd = [sys.executable, "-m", "planner", "plan", "--years", "2026-2030",
                   "--quotas", str(folder / "quotas.csv"), "--headcounts",
                   str(folder / "headcounts.csv"), "--gap", str(GAP), "--time-limit",
                   str(args.time_limit), "--out", str(folder / "plan.csv"), "--summary",
                   str(folder / "s.json")]
            cmd += [a for s, v in budgets.items() for a in ("--budget", f"{s}={v}")]
            load = os.getloadavg()[0]
            t_plan, c_plan, res = timed(cmd)
            if res.returncode != 0:
                print(res.stderr, file=sys.stderr)
                return 1
            s = json.loads((folder / "s.json").read_text())
            t_bare, c_bare, res = timed([sys.executable, __file__, "--bare", str(folder),
                                         "--budgets", json.dumps(budgets), "--time-limit",
                                         str(args.time_limit)])
            if res.returncode != 0:
                print(res.stderr, file=sys.stderr)
                return 1
            b = json.loads(res.stdout.strip().splitlines()[-1])["stages"][0]
            found = b["value"] is not None and abs(b["value"]) < 1e30
            b_gap = abs(b["bound"] - b["value"]) / max(abs(b["value"]), 1e-9) if found \
                else None
            n_rows = len(pd.read_csv(folder / "quotas.csv"))
            first = s["stages"][0] if s["stages"] else {"value": None}

            def pct(g: float | None) -> str:
                return "no bound" if g is None else f"{100 * g:.4f} %"

            def num(v: float | None) -> str:
                return "no plan" if v is None else f"{v:,.0f}"

            print(f"| {n_rows:,} × 5 | {t_plan:.1f} s ({c_plan:.1f} s) | {s['status']}, "
                  f"{num(first['value'])}, {pct(s['gap'])} | "
                  f"{t_bare:.1f} s ({c_bare:.1f} s) | {b['status']}, "
                  f"{num(b['value'] if found else None)}, {pct(b_gap)} | "
                  f"{t_plan / t_bare:.2f} ({c_plan / c_bare:.2f}) | load {load:.1f} → "
                  f"{os.getloadavg()[0]:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark of the allocation solve against two references, on synthetic instances.

    .venv/bin/python scripts/bench_solve.py --scales province,large,country [--sweep]

For each scale (planner.io.synthetic: ~6,000 / ~60,000 / ~300,000 rows, per-unit minimum fill,
two funding sources with binding budgets) the script reports model build time, solve time,
objective (priority-weighted hires), cost of the plan, gap and status for:

* planner: ``allocate_hires(..., explain=False)``: PuLP model, HiGHS, the planner's
  relaxation → core → MIP steps, both lexicographic stages (weighted hires, then cost);
* planner, default: the same with the explanations ``solve`` gives by default (what one more
  billion of each budget buys, on top of the plan);
* bare HiGHS, same steps: the same matrix loaded into highspy directly with numpy (no
  modelling layer) and solved by the same steps (planner.optimise.stages): the cost of PuLP;
* bare HiGHS, default: the same matrix, HiGHS's own MIP with default settings, both stages
  (the second warm-started from the first plan), each stage limited to --bare-time-limit;
* naive PuLP + CBC: a straightforward PuLP model built row by row with Python loops (money in
  đồng, as a first attempt would), solved by PuLP's default CBC with a time limit
  (--naive-time-limit, default 120 s): the first stage only (weighted hires).

Gaps are relative: (bound − plan) / plan for the weighted hires. ``--sweep`` adds the budget
curve against independent cold solves. Prints markdown tables.

``--process`` (issue 12 item 5) times whole processes instead, each started afresh, its
imports included, rounds interleaved, medians reported with the load average:

* planner: ``python -m planner solve`` on the instance written as the three CSV files an office
  gives (quotas, headcounts, units), with the two budgets: reading and validating the files,
  the staffing gaps, the model, the solve, the explanations (default) or not
  (``--no-explain``), and writing the plan (CSV) and the summary (JSON);
* the default planner run once more with the test-only package hypothesis hidden (as in a
  production install from requirements.txt; pandera imports it when it is there);
* bare HiGHS: a Python process that imports highspy and numpy only, reads the same model
  (the planner's matrix written as an MPS file, with the two objectives in a .npy file),
  and solves it with HiGHS's default MIP (gap 0.01 %), both stages: the most weighted hires,
  then the cheapest plan keeping them (warm-started from the first plan), and writes the plan.

Every process runs with its bytecode cached (``PYTHONPYCACHEPREFIX``, one warm-up run not
counted), as an installed application runs.

``--fair`` (issue 12 item 7d) times ``fair`` against ``priority`` on a 6,043-row province with
the reported budgets (481,292,724,706 and 64,810,207,281 đồng) and min fill 0.3: wall and CPU
seconds (CPU is the steadier figure on a shared machine), each stage's seconds and steps, the
lowest ratio, weighted hires and cost. ``--fair-mip`` adds ``fair`` with the lowest ratio by
the MIP with a continuous ratio (the way before the search over candidate ratios);
``--fair-time-limit S`` runs every solve with a time limit.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# the bare HiGHS reference, beside this script
from bench_highs import (
    BARE_PROCESS,
    GAP,
    BareModel,
    load_highs,
    matrix,
    priority_instance,
    write_process_inputs,
)

from planner.io.synthetic import synthetic_instance
from planner.optimise.allocate import allocate_hires
from planner.optimise.instance import prepare
from planner.optimise.model import FEASIBILITY_TOLERANCE, MONEY_UNIT, AllocationModel, cbc_bound
from planner.optimise.stages import COST, WEIGHTED_HIRES, StageSolver, relative_gap, solve

# --- the references ----------------------------------------------------------------------------

def planner_run(inst) -> dict:
    t0 = time.perf_counter()
    a = allocate_hires(inst.gaps, inst.units, budgets=inst.budgets, gap=GAP, explain=False)
    wall = time.perf_counter() - t0
    return {"method": "planner (PuLP + HiGHS)", "stages": 2, "build": a.build_seconds,
            "solve": a.solve_seconds, "first": a.stages[0]["seconds"], "total": wall,
            "objective": a.objective,
            "cost": a.total_cost, "gap": a.gap, "status": a.status.value}


def planner_explained_run(inst) -> dict:
    """The default solve: the plan and its explanations (one more billion per budget)."""
    t0 = time.perf_counter()
    a = allocate_hires(inst.gaps, inst.units, budgets=inst.budgets, gap=GAP, explain=True)
    wall = time.perf_counter() - t0
    return {"method": "planner, default (with explanations)", "stages": 2,
            "build": a.build_seconds, "solve": a.solve_seconds,
            "first": a.stages[0]["seconds"], "total": wall, "objective": a.objective,
            "cost": a.total_cost, "gap": a.gap, "status": a.status.value}


def bare_steps_run(inst) -> dict:
    t0 = time.perf_counter()
    planned = priority_instance(inst)
    model = BareModel(planned.mip_data())
    build = time.perf_counter() - t0
    out = solve(StageSolver(model, gap=GAP), [WEIGHTED_HIRES, COST])
    total = time.perf_counter() - t0
    h = out.hires
    gaps = [s.gap for s in out.stages]
    return {"method": "bare highspy, same steps", "stages": 2, "build": build,
            "solve": out.seconds, "first": out.stages[0].seconds, "total": total,
            "objective": out.stages[0].value,
            "cost": float(planned.cost @ h), "gap": max(g for g in gaps if g is not None),
            "status": out.status}


def bare_default_run(inst, time_limit: float) -> dict:
    import highspy

    t0 = time.perf_counter()
    planned = priority_instance(inst)
    d = planned.mip_data()
    rows, groups = matrix(d)
    h = load_highs(d, rows)
    n = d.n
    idx = np.arange(n, dtype=np.int32)
    h.changeColsIntegrality(n, idx, np.full(n, highspy.HighsVarType.kInteger))
    h.setOptionValue("mip_rel_gap", GAP)
    h.setOptionValue("time_limit", time_limit)
    build = time.perf_counter() - t0
    h.changeColsCost(n, idx, d.priority)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    t1 = time.perf_counter()
    h.run()
    x = np.round(np.asarray(h.getSolution().col_value))
    status1 = h.getModelStatus()
    weighted = float(d.priority @ x)
    bound = h.getInfo().mip_dual_bound
    gap1 = relative_gap(weighted, bound, maximise=True)
    first = time.perf_counter() - t1
    keep = int(groups["keep_weighted"].rows[0])
    h.changeRowBounds(keep, weighted - 1e-7, highspy.kHighsInf)
    h.changeColsCost(n, idx, d.cost / MONEY_UNIT)
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.setSolution(n, idx, x)
    h.run()
    status2 = h.getModelStatus()
    y = np.round(np.asarray(h.getSolution().col_value))
    solve_s = time.perf_counter() - t1
    cost_bound = h.getInfo().mip_dual_bound
    gap2 = relative_gap(float(d.cost @ y) / MONEY_UNIT, cost_bound, maximise=False)
    ok = highspy.HighsModelStatus.kOptimal
    status = "optimal" if status1 == ok and status2 == ok else \
        f"stage 1 {status1.name[1:]}, stage 2 {status2.name[1:]}"
    return {"method": "bare highspy, default MIP", "stages": 2, "build": build,
            "solve": solve_s, "first": first, "total": time.perf_counter() - t0,
            "objective": weighted,
            "cost": float(d.cost @ y), "gap": max(g for g in (gap1, gap2) if g is not None),
            "status": status}


def naive_run(inst, time_limit: float) -> dict:
    """A first attempt: PuLP row by row with Python loops, money in đồng, default CBC."""
    import tempfile

    import pulp

    t0 = time.perf_counter()
    g, units = inst.gaps, inst.units
    prob = pulp.LpProblem("naive", pulp.LpMaximize)
    x, by_unit, by_source = [], {}, {}
    for i, row in enumerate(g.itertuples()):
        upper = int(row.vacancies)
        var = prob.add_variable(f"x_{i}", 0, upper, cat="Integer")
        x.append(var)
        by_unit.setdefault(row.unit_id, []).append((var, float(row.annual_cost_per_hire)))
        by_source.setdefault(row.funding_source, []).append(
            (var, float(row.annual_cost_per_hire)))
    prob += pulp.lpSum(p * v for p, v in zip(g["priority"], x, strict=True))
    for source, budget in inst.budgets.items():
        prob += pulp.lpSum(c * v for v, c in by_source[source]) <= budget
    vacancies = g.groupby("unit_id")["vacancies"].sum()
    for u in units.itertuples():
        members = by_unit.get(u.unit_id, [])
        if not members:
            continue
        if not math.isnan(u.min_fill):
            need = math.floor(u.min_fill * vacancies[u.unit_id] + 1e-9)
            if need > 0:
                prob += pulp.lpSum(v for v, _ in members) >= need
        if u.max_hires is not None and str(u.max_hires) != "<NA>":
            prob += pulp.lpSum(v for v, _ in members) <= int(u.max_hires)
        if not math.isnan(u.budget_cap):
            prob += pulp.lpSum(c * v for v, c in members) <= u.budget_cap
    build = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        solver = pulp.COIN_CMD(msg=False, timeLimit=time_limit, gapRel=GAP,
                               logPath=os.path.join(tmp, "cbc.log"))
        t1 = time.perf_counter()
        stats = prob.solve(solver)
        solve_s = time.perf_counter() - t1
        log = Path(tmp, "cbc.log").read_text(encoding="utf-8", errors="replace")
    objective = stats.objective if stats.has_solution else None
    gap = relative_gap(objective, cbc_bound(log, maximise=True), maximise=True)
    status = {pulp.LpSolveStatus.Optimal: "optimal", pulp.LpSolveStatus.GapLimit: "optimal",
              pulp.LpSolveStatus.TimeLimit: "time limit"}.get(stats.status, stats.status_str)
    if not stats.has_solution:
        status += ", no plan"
    cost = None
    if stats.has_solution:
        cost = float(np.round([v.varValue or 0 for v in x]) @ g["annual_cost_per_hire"])
    return {"method": f"naive PuLP + CBC ({time_limit:g} s limit)", "stages": 1,
            "build": build, "solve": solve_s, "first": solve_s,
            "total": time.perf_counter() - t0,
            "objective": objective, "cost": cost, "gap": gap, "status": status}


# --- the budget curve ----------------------------------------------------------------------------

def sweep_rows(inst, points: int) -> list[str]:
    from planner.optimise.sweep import budget_curve

    out = []
    t0 = time.perf_counter()
    curve = budget_curve(inst.gaps, inst.units, source="state_budget", budgets=inst.budgets,
                         points=points, gap=GAP, workers=1)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    curve2 = budget_curve(inst.gaps, inst.units, source="state_budget", budgets=inst.budgets,
                          points=points, gap=GAP, workers=2)
    two = time.perf_counter() - t0
    t0 = time.perf_counter()
    cold = []
    for level in curve["budget"]:
        a = allocate_hires(inst.gaps, inst.units, budgets={**inst.budgets,
                                                           "state_budget": float(level)},
                           gap=GAP, explain=False)
        cold.append(a.objective)
    cold_s = time.perf_counter() - t0
    worst = max(abs(c - w) / max(1.0, w) for c, w in zip(cold, curve["weighted_hires"],
                                                          strict=True))
    same2 = np.allclose(curve["weighted_hires"], curve2["weighted_hires"], rtol=2 * GAP)
    out.append(f"| {inst.scale} | {len(inst.gaps):,} | {points} | {cold_s:.2f} | {one:.2f} "
               f"({cold_s / one:.2f}×) | {two:.2f} ({cold_s / two:.2f}×) | {worst:.1e} | "
               f"{'yes' if same2 else 'no'} |")
    return out


# --- whole processes (issue 12 item 5) ------------------------------------------------------

def process_rows(inst, rounds: int) -> list[str]:
    import json
    import resource
    import statistics
    import subprocess
    import tempfile

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        args, mps, objectives = write_process_inputs(inst, folder)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        code = BARE_PROCESS % {"gap": GAP, "tol": FEASIBILITY_TOLERANCE, "unit": MONEY_UNIT}
        # a production install (requirements.txt) has no hypothesis, a test-only package that
        # pandera imports when it is there (0.1-0.3 s): hidden from one of the planner runs
        stub = folder / "without_dev" / "hypothesis"
        stub.mkdir(parents=True)
        (stub / "__init__.py").write_text(
            'raise ImportError("hypothesis: not in a production install")\n')
        commands = {
            "planner `solve`, default (with explanations)":
                [sys.executable, "-m", "planner", "solve", *args],
            "planner `solve --no-explain`":
                [sys.executable, "-m", "planner", "solve", *args, "--no-explain"],
            "planner `solve`, default, without the test-only hypothesis package":
                [sys.executable, "-c", "import sys, runpy; sys.path.insert(0, sys.argv.pop(1)); "
                 "sys.argv[0] = 'planner'; runpy.run_module('planner', run_name='__main__')",
                 str(folder / "without_dev"), "solve", *args],
            "bare HiGHS process (highspy, default MIP, both stages)":
                [sys.executable, "-c", code, str(mps), str(objectives),
                 str(folder / "bare_plan.txt")],
        }
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in commands}
        results: dict[str, dict] = {}
        loads = [os.getloadavg()[0]]
        for r in range(rounds + 1):  # round 0 warms the bytecode cache, not counted
            names = list(commands)
            names = names[r % len(names):] + names[:r % len(names)]
            for name in names:
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                out = subprocess.run(commands[name], cwd=root, env=env, capture_output=True,
                                     text=True)
                wall = time.perf_counter() - t0
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if out.returncode != 0:
                    raise SystemExit(f"{name}: exit {out.returncode}\n{out.stderr[-2000:]}")
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                if r:
                    times[name].append((wall, cpu))
                if name.startswith("bare"):
                    # the last line: HiGHS prints its banner first
                    results[name] = json.loads(out.stdout.strip().splitlines()[-1])
                else:
                    summary = json.loads((folder / "summary.json").read_text("utf-8"))
                    results[name] = {"objective": summary["objective"],
                                     "cost": summary["total_cost"], "status": summary["status"],
                                     "gap": summary["gap"]}
            loads.append(os.getloadavg()[0])
    bare = statistics.median(w for w, _ in times[list(commands)[-1]])
    lines = [f"load average (1 min) during the rounds: {min(loads):.2f}–{max(loads):.2f}", "",
             "| rows | process | wall s, median | all rounds s | CPU s, median | × bare HiGHS "
             "| weighted hires | cost (billion VND) | status |",
             "|---:|---|---:|---|---:|---:|---:|---:|---|"]
    for name, ts in times.items():
        wall = statistics.median(w for w, _ in ts)
        cpu = statistics.median(c for _, c in ts)
        res = results[name]
        lines.append(f"| {len(inst.gaps):,} | {name} | {wall:.2f} | "
                     f"{' / '.join(f'{w:.2f}' for w, _ in ts)} | {cpu:.2f} | "
                     f"{wall / bare:.2f} | {res['objective']:,.0f} | {res['cost'] / 1e9:,.1f} | "
                     f"{res['status']} |")
    return lines


# --- fair on a province (issue 12 item 7d) ---------------------------------------------------

#: the budgets of the report (state budget, retained fees), đồng
FAIR_BUDGETS = {"state_budget": 481_292_724_706.0, "fee_revenue": 64_810_207_281.0}


def fair_rows(seeds: list[int], cost_scale: float, state_budget: float | None, *,
              mip: bool = False, time_limit: float | None = None) -> list[str]:
    """``fair`` against ``priority`` on a 6,043-row synthetic province with min fill 0.3 for
    every unit (the units' recruitment caps removed: 30 % of a unit's vacancies is often above
    them, which no budget cures) and the report's budgets; hire costs times ``cost_scale``
    (the synthetic province's hires cost more than the reported one's: at 1 the report's state
    budget cannot pay for the minimum fill). ``mip``: also ``fair`` with the lowest ratio by
    the MIP with a continuous ratio (the way before the search, ``ratio_search=False``; the
    stages alone, no ties spread). ``time_limit``: every solve with that limit."""
    import pandas as pd

    from planner.optimise.allocate import GOALS

    lines = ["| seed | cost scale | state budget (VND) | objective | total s | CPU s "
             "| stages (s, steps) | value | weighted hires | cost (VND) | status | load |",
             "|---:|---:|---:|---|---:|---:|---|---:|---:|---:|---|---:|"]
    budgets = dict(FAIR_BUDGETS)
    if state_budget is not None:
        budgets["state_budget"] = state_budget
    for seed in seeds:
        inst = synthetic_instance(6_043, seed=seed)
        gaps = inst.gaps.copy()
        gaps["annual_cost_per_hire"] = (gaps["annual_cost_per_hire"] * cost_scale).round()
        units = inst.units.copy()
        units["max_hires"] = pd.array([pd.NA] * len(units), dtype="Int64")
        for objective in ("priority", "fair", "fair_mip") if mip else ("priority", "fair"):
            t0, c0 = time.perf_counter(), time.process_time()
            if objective == "fair_mip":
                pi, _, _ = prepare(gaps, units, budgets=budgets, total_budget=None,
                                   min_fill=0.3, objective="fair", target_fill=1.0,
                                   solver="highs", time_limit=time_limit, gap=GAP)
                model = AllocationModel(pi.mip_data())
                out = solve(StageSolver(model, gap=GAP), GOALS[pi.objective],
                            time_limit=time_limit, ratio_search=False)
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                hires = out.hires if out.hires is not None else np.zeros(len(pi.cost))
                value = out.stages[0].value
                weighted, total = float(pi.priority @ hires), float(pi.cost @ hires)
                status = out.status
                stage_list = [{"goal": s.goal, "seconds": s.seconds, "steps": s.steps}
                              for s in out.stages]
                label = "fair, MIP path"
            else:
                a = allocate_hires(gaps, units, budgets=budgets, min_fill=0.3,
                                   objective=objective, gap=GAP, explain=False,
                                   time_limit=time_limit)
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                value, total, status = a.objective, a.total_cost, a.status.value
                weighted = float((a.plan["hires"].astype(float)
                                  * a.plan["priority"].astype(float)).sum())
                stage_list = list(a.stages)
                label = objective
            stages = "; ".join(f"{s['goal']} {s['seconds']:.1f} ({s.get('steps')})"
                               for s in stage_list)
            lines.append(f"| {seed} | {cost_scale:g} | {budgets['state_budget']:,.0f} | "
                         f"{label} | {wall:.1f} | {cpu:.1f} | {stages} | "
                         f"{fmt(value, ',.6g')} | {weighted:,.1f} | {total:,.0f} | "
                         f"{status} | {os.getloadavg()[0]:.1f} |")
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def fmt(v, spec=".2f"):
    return "–" if v is None else format(v, spec)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="province,large,country")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--naive-time-limit", type=float, default=120.0)
    p.add_argument("--bare-time-limit", type=float, default=600.0,
                   help="per stage, for the default-HiGHS reference")
    p.add_argument("--skip", default="",
                   help="comma list of: explained, naive, bare_default, bare_steps")
    p.add_argument("--sweep", action="store_true", help="also time the budget curve")
    p.add_argument("--sweep-points", type=int, default=11)
    p.add_argument("--sweep-scales", default="province,large")
    p.add_argument("--process", action="store_true",
                   help="time whole processes (planner solve, with and without explanations, "
                        "against a bare-HiGHS process) instead")
    p.add_argument("--rounds", type=int, default=5, help="with --process: interleaved rounds")
    p.add_argument("--fair", action="store_true",
                   help="time fair against priority on a province with the budgets of issue 12 "
                        "item 7d instead")
    p.add_argument("--fair-seeds", default="0,1,2")
    p.add_argument("--fair-cost-scale", type=float, default=0.75)
    p.add_argument("--fair-state-budget", type=float, default=None,
                   help="another state budget (VND) than the report's")
    p.add_argument("--fair-mip", action="store_true",
                   help="with --fair: also the lowest ratio by the MIP with a continuous ratio "
                        "(the way before the search)")
    p.add_argument("--fair-time-limit", type=float, default=None,
                   help="with --fair: every solve with this time limit (seconds)")
    args = p.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    print(f"Machine: {platform.machine()} {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average at start "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}; relative gap {GAP:g}\n")
    if args.fair:
        for line in fair_rows([int(x) for x in args.fair_seeds.split(",")],
                              args.fair_cost_scale, args.fair_state_budget,
                              mip=args.fair_mip, time_limit=args.fair_time_limit):
            print(line, flush=True)
        return 0
    if args.process:
        for scale in args.scales.split(","):
            for line in process_rows(synthetic_instance(scale, seed=args.seed), args.rounds):
                print(line, flush=True)
        return 0
    print("| scale | rows | method | stages | build s | first stage s | solve s | total s | "
          "weighted hires | cost (billion VND) | gap | status |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for scale in args.scales.split(","):
        inst = synthetic_instance(scale, seed=args.seed)
        runs = [planner_run(inst)]
        if "explained" not in skip:
            runs.append(planner_explained_run(inst))
        if "bare_steps" not in skip:
            runs.append(bare_steps_run(inst))
        if "bare_default" not in skip:
            runs.append(bare_default_run(inst, args.bare_time_limit))
        if "naive" not in skip:
            runs.append(naive_run(inst, args.naive_time_limit))
        for r in runs:
            cost = None if r["cost"] is None else r["cost"] / 1e9
            print(f"| {scale} | {len(inst.gaps):,} | {r['method']} | {r['stages']} | "
                  f"{r['build']:.2f} | {r['first']:.2f} | {r['solve']:.2f} | {r['total']:.2f} | "
                  f"{fmt(r['objective'], ',.0f')} | {fmt(cost, ',.1f')} | "
                  f"{fmt(None if r['gap'] is None else 100 * r['gap'], '.4f')}% | "
                  f"{r['status']} |", flush=True)
    if args.sweep:
        print("\n| scale | rows | levels | cold solves s | sweep, 1 worker s | sweep, 2 workers s "
              "| largest difference from cold | 2 workers = 1 worker |")
        print("|---|---:|---:|---:|---:|---:|---:|---|")
        for scale in args.sweep_scales.split(","):
            for line in sweep_rows(synthetic_instance(scale, seed=args.seed), args.sweep_points):
                print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long the exports take: the plan workbook and CSV at the sample, province and large scales.

Each instance is solved once (not timed here; see scripts/bench_solve.py), then each export is
run ``--repeat`` times and the best time is reported, with the file size. The chart is
rendered for every workbook (it is part of the download). Usage:
.venv/bin/python scripts/bench_export.py [--scales sample,province,large] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.api import solve as solve_scenario  # noqa: E402
from planner.domain.scenario import Scenario  # noqa: E402
from planner.export.workbook import plan_csv, plan_workbook  # noqa: E402
from planner.io.inputs import load_inputs  # noqa: E402
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO  # noqa: E402
from planner.io.synthetic import synthetic_instance  # noqa: E402
from planner.optimise.allocate import allocate_hires  # noqa: E402


def allocation_for(scale: str):
    if scale == "sample":
        inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"],
                             SAMPLE_FILES["units"])
        scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
        return solve_scenario(inputs, scenario), inputs, scenario
    instance = synthetic_instance(scale, seed=0)
    return allocate_hires(instance.gaps, instance.units, budgets=instance.budgets), None, None


def best_of(repeat: int, fn) -> tuple[float, bytes]:
    best, out = float("inf"), b""
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="sample,province,large")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    print(f"# {dt.date.today():%Y-%m-%d}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}")
    print("| scale | rows | units | workbook (s) | workbook size | CSV (s) | CSV size |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for scale in args.scales.split(","):
        allocation, inputs, scenario = allocation_for(scale)
        t_xlsx, xlsx = best_of(args.repeat, lambda a=allocation, i=inputs, s=scenario:
                               plan_workbook(a, inputs=i, scenario=s,
                                             created=dt.date(2026, 3, 5)))
        t_csv, csv = best_of(args.repeat, lambda a=allocation: plan_csv(a))
        print(f"| {scale} | {len(allocation.plan):,} | {len(allocation.by_unit):,} | "
              f"{t_xlsx:.2f} | {len(xlsx) / 1e6:.1f} MB | {t_csv:.2f} | {len(csv) / 1e6:.1f} MB |",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

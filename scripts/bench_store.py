"""Benchmark the scenario store: save, reopen, list, and saves from several processes at once.

    .venv/bin/python scripts/bench_store.py [--database URL] [--scenarios 200] [--processes 4]

Uses the sample province solved with the sample scenario (967 plan rows). Without
--database it runs on a fresh SQLite file in a temporary folder; give a PostgreSQL URL (e.g.
from scripts/start-postgres) to measure that backend. Prints one line per figure; the results
go into docs/scenarios.md with the date and the machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.api import solve as solve_scenario  # noqa: E402
from planner.domain.scenario import Scenario  # noqa: E402
from planner.io.inputs import load_inputs  # noqa: E402
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO  # noqa: E402
from planner.store import ScenarioStore  # noqa: E402
from planner.store.table_codec import encode_table  # noqa: E402

WORKER = r"""
import sys, time
from planner.store import ScenarioStore
store = ScenarioStore(sys.argv[1]); template = store.get("template")
n, prefix = int(sys.argv[2]), sys.argv[3]
t0 = time.perf_counter()
for i in range(n):
    store.save(f"{prefix}-{i}", template.scenario, allocation=template)
print(time.perf_counter() - t0)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database")
    ap.add_argument("--scenarios", type=int, default=200)
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--per-process", type=int, default=25)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    url = args.database or f"sqlite:///{tmp}/bench.db"
    inputs = load_inputs(**SAMPLE_FILES)
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    allocation = solve_scenario(inputs, scenario)
    store = ScenarioStore(url)
    print(f"backend: {store.backend}; plan rows: {len(allocation.plan)}; "
          f"stored plan: {len(encode_table(allocation.plan)) / 1024:.1f} kB, "
          f"per-unit table: {len(encode_table(allocation.by_unit)) / 1024:.1f} kB")
    store.save("template", scenario, allocation=allocation, inputs=inputs)
    saves, gets = [], []
    for i in range(args.scenarios):
        t0 = time.perf_counter()
        store.save(f"s{i}", scenario, allocation=allocation, inputs=inputs)
        saves.append(time.perf_counter() - t0)
    for i in range(0, args.scenarios, max(1, args.scenarios // 50)):
        t0 = time.perf_counter()
        store.get(f"s{i}")
        gets.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    listed = store.list()
    list_s = time.perf_counter() - t0
    print(f"save (one session): median {statistics.median(saves) * 1000:.1f} ms, "
          f"max {max(saves) * 1000:.1f} ms over {len(saves)} saves")
    print(f"reopen with plan: median {statistics.median(gets) * 1000:.1f} ms")
    print(f"list {len(listed)} scenarios: {list_s * 1000:.1f} ms")
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(args.per_process),
                               f"p{k}"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for k in range(args.processes)]
    outs = [float(p.communicate()[0]) for p in procs]
    wall = time.perf_counter() - t0
    total = args.processes * args.per_process
    kept = sum(1 for i in store.list() if i.name.startswith("p"))
    print(f"{args.processes} processes × {args.per_process} saves at once: {kept}/{total} kept; "
          f"{total / max(outs):.0f} saves/s while all ran (slowest process {max(outs):.2f} s; "
          f"wall time with start-up {wall:.2f} s)")
    if store.backend == "sqlite":
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
        print(f"database files: {size / 2**20:.1f} MiB for {len(store.list())} scenarios")
    store.close()


if __name__ == "__main__":
    main()

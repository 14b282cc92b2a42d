"""Load benchmark (not a timed test): N officers using one server at the same time.

Starts one real server (``streamlit run streamlit_app.py`` on a free port, as the browser
tests do) and drives N headless Chromium pages at once (one browser, one context per officer,
so each is its own Streamlit session with its own cookies). Each officer opens the app on the
sample province, goes to the Plan page (the sample is solved on arrival), then types a budget
and presses Solve ``--rounds`` times. Every budget typed in the whole run is different, so no
solve is served from the app's cache (``st.cache_data`` shares identical solves between
sessions): each press of Solve is a real solve, as when officers work on their own figures.

Measured per solve: the time from pressing Solve to the new plan's figures and charts on
screen (what the officer waits). Reported per N: solves per minute over the solving phase,
the median and slowest wait, the slowest page load, and the server's own CPU time per solve
(from /proc, so it does not depend on what else the machine runs). Prints a Markdown table
with the date and machine, for docs/deployment.md. The browsers run on the same machine as
the server and take their share of its CPUs, so the waits are on the safe side for a
dedicated server; the CPU time per solve gives that server's ceiling.

    .venv/bin/python scripts/bench_load.py [--sessions 1 2 4 8 16] [--rounds 3]

Through the tested deployment (docs/deployment.md): ``--via-nginx`` puts the repository's nginx
configuration (deploy/nginx/planner.conf, run by scripts/start-nginx with a throwaway TLS
certificate, loopback only) in front, and ``--processes 2`` runs two app processes behind it
(implies ``--via-nginx``). Officers then open ``https://planner.test:PORT`` and nginx gives each
browser its own planner_route cookie, which keeps it on one process; the split of officers over
the processes is printed per level (it is nginx's hash of a random cookie, as for real officers).
The server CPU is then the sum over the app processes. Before the levels, one officer per
process warms each process up (imports, first solve).

    .venv/bin/python scripts/bench_load.py --processes 2 --sessions 2 4 8 --rounds 2
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import itertools
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_app import IDLE, machine  # noqa: E402
from conftest import CHROMIUM_ARGS, VIEWPORT, chromium_path, start_app, stop_app  # noqa: E402
from deployment import Deployment, nginx_unavailable, start_deployment  # noqa: E402

PLAN_NAV = "Phương án"
PLAN_TITLE = "Phương án tuyển dụng"
BUDGET_LABEL = "Ngân sách nhà nước (tỷ đồng/năm)"
COST_LABEL = "Kinh phí tuyển"
STALE = "Tham số đã thay đổi so với phương án đang hiển thị"
TIMEOUT = 600_000  # ms: a wait longer than this is a failure, not a figure

#: Budgets (billion VND) never typed twice in one run: 15.00, 15.31, 15.62, …
_budgets = (round(15 + 0.31 * k, 2) for k in itertools.count())


@dataclass
class Session:
    load: float = 0.0  # open the app → Gaps page drawn
    first_plan: float = 0.0  # Plan page clicked → sample plan on screen
    waits: list[float] = field(default_factory=list)  # Solve pressed → new plan on screen
    solve_start: float = 0.0
    solve_end: float = 0.0


async def wait_idle(page) -> None:
    await page.wait_for_function(IDLE, timeout=TIMEOUT, polling=50)


async def metric_text(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)).first
    return (await box.locator("[data-testid='stMetricValue']").inner_text()).strip()


async def officer(browser, url: str, rounds: int, start: asyncio.Event,
                  route: str | None = None) -> Session:
    # behind nginx the certificate is a throwaway self-signed one: not checked by the browser
    ctx = await browser.new_context(viewport=VIEWPORT, locale="vi-VN",
                                    ignore_https_errors=url.startswith("https:"))
    ctx.set_default_timeout(TIMEOUT)  # an overloaded server is measured, not given up on
    if route is not None:  # this officer to a given process (the warm-up)
        host = url.split("://", 1)[1].split(":", 1)[0]
        await ctx.add_cookies([{"name": "planner_route", "value": route, "domain": host,
                                "path": "/", "secure": True, "httpOnly": True}])
    page = await ctx.new_page()
    s = Session()
    try:
        await start.wait()
        t0 = time.perf_counter()
        await page.goto(url, timeout=TIMEOUT)
        await page.get_by_role("heading").first.wait_for(timeout=TIMEOUT)
        await wait_idle(page)
        s.load = time.perf_counter() - t0
        t0 = time.perf_counter()
        await page.locator("[data-testid='stSidebarNav'] a").filter(
            has_text=PLAN_NAV).first.click()
        await page.get_by_role("heading", name=PLAN_TITLE).wait_for(timeout=TIMEOUT)
        await page.locator("[data-testid='stMetric']").first.wait_for(timeout=TIMEOUT)
        await wait_idle(page)
        s.first_plan = time.perf_counter() - t0
        box = page.get_by_label(BUDGET_LABEL, exact=True)
        stale = page.get_by_text(STALE)
        s.solve_start = time.perf_counter()
        for _ in range(rounds):
            await box.fill(str(next(_budgets)))
            await box.press("Enter")
            await stale.wait_for(timeout=TIMEOUT)  # the new budget is in the session
            await wait_idle(page)
            t0 = time.perf_counter()
            await page.get_by_role("button", name="Giải", exact=True).click()
            await stale.wait_for(state="hidden", timeout=TIMEOUT)  # the plan is the new one
            await page.locator("[data-testid='stMetric']").first.wait_for(timeout=TIMEOUT)
            await wait_idle(page)  # … and every figure and chart of it is drawn
            s.waits.append(time.perf_counter() - t0)
        s.solve_end = time.perf_counter()
        await metric_text(page, COST_LABEL)  # a plan is on screen (raises if not)
    finally:
        await ctx.close()
    return s


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its finished children (Linux /proc), in s."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def cpu_seconds_all(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


@dataclass(frozen=True)
class Row:
    n: int
    solves: int
    per_minute: float
    median_wait: float
    slowest_wait: float
    slowest_load: float
    slowest_first_plan: float
    server_cpu_per_officer: float  # server CPU seconds per officer (open, Plan page, solves)
    load_after: float  # the machine's 1-minute load average after the level
    split: str = ""  # officers per app process behind nginx, e.g. "3+1"


def split_over(dep: Deployment | None, seen: int) -> tuple[str, int]:
    """How the officers' WebSockets were spread over the processes since line ``seen`` of
    nginx's access log (one WebSocket per officer), and the log's new length."""
    if dep is None:
        return "", 0
    time.sleep(1.0)  # nginx logs a WebSocket once it is closed
    rows = dep.served_by()
    per = {b.address: set() for b in dep.backends}
    for route, upstream, status, request in rows[seen:]:
        if status == 101 and request.startswith("GET /_stcore/stream") and upstream in per \
                and not route.startswith("warm-up"):
            per[upstream].add(route)
    return "+".join(str(len(v)) for v in per.values()), len(rows)


async def run_level(browser, url: str, n: int, rounds: int, server_pids: list[int],
                    routes: list[str | None] | None = None) -> Row:
    start = asyncio.Event()
    routes = routes or [None] * n
    tasks = [asyncio.create_task(officer(browser, url, rounds, start, routes[k]))
             for k in range(n)]
    await asyncio.sleep(0.5)  # every context open before the clock starts
    cpu0 = cpu_seconds_all(server_pids)
    start.set()
    sessions = await asyncio.gather(*tasks)
    cpu = cpu_seconds_all(server_pids) - cpu0
    waits = [w for s in sessions for w in s.waits]
    span = max(s.solve_end for s in sessions) - min(s.solve_start for s in sessions)
    return Row(n=n, solves=len(waits), per_minute=len(waits) / span * 60,
               median_wait=statistics.median(waits), slowest_wait=max(waits),
               slowest_load=max(s.load for s in sessions),
               slowest_first_plan=max(s.first_plan for s in sessions),
               server_cpu_per_officer=cpu / n, load_after=load_average())


async def bench(url: str, levels: list[int], rounds: int, server_pids: list[int],
                dep: Deployment | None = None) -> list[Row]:
    from playwright.async_api import async_playwright

    rows = []
    args = CHROMIUM_ARGS + (dep.chromium_args() if dep else [])
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=args)
        try:
            # warm-up (imports, caches): one officer per process
            warm = [dep.route_to(k, "warm-up") for k in range(len(dep.backends))] if dep \
                else [None]
            await run_level(browser, url, len(warm), 1, server_pids, warm)
            seen = len(dep.served_by()) if dep else 0
            for n in levels:
                row = await run_level(browser, url, n, rounds, server_pids)
                split, seen = split_over(dep, seen)
                row = dataclasses.replace(row, split=split)
                print(f"  N={n}: {f'officers per process {split}, ' if split else ''}"
                      f"{row.solves} solves, {row.per_minute:.1f}/min, wait median "
                      f"{row.median_wait:.2f} s, slowest {row.slowest_wait:.2f} s, "
                      f"slowest load {row.slowest_load:.2f} s, server CPU "
                      f"{row.server_cpu_per_officer:.2f} s per officer, load average "
                      f"{row.load_after:.1f}", flush=True)
                rows.append(row)
        finally:
            await browser.close()
    return rows


def table(rows: list[Row], processes: int = 1) -> str:
    split = any(r.split for r in rows)
    lines = [f"| app processes | officers at once |{' officers per process |' if split else ''}"
             " solves | solves/min | median wait | slowest wait | "
             "slowest page load | slowest Plan page (sample) | server CPU per officer | "
             "load average after |",
             "|---:|---:|" + ("---:|" if split else "") + "---:|---:|---:|---:|---:|---:|---:|"
             "---:|"]
    lines += [f"| {processes} | {r.n} |{f' {r.split} |' if split else ''} "
              f"{r.solves} | {r.per_minute:.1f} | {r.median_wait:.2f} s | "
              f"{r.slowest_wait:.2f} s | {r.slowest_load:.2f} s | "
              f"{r.slowest_first_plan:.2f} s | {r.server_cpu_per_officer:.2f} s | "
              f"{r.load_after:.1f} |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 2, 4, 8, 16],
                    help="numbers of officers working at once")
    ap.add_argument("--rounds", type=int, default=3, help="solves per officer")
    ap.add_argument("--target", type=float, default=5.0,
                    help="longest acceptable wait for a plan, in seconds")
    ap.add_argument("--via-nginx", action="store_true",
                    help="through the repository's nginx configuration (scripts/start-nginx)")
    ap.add_argument("--processes", type=int, default=1,
                    help="app processes behind nginx (more than 1 implies --via-nginx)")
    args = ap.parse_args()
    if chromium_path() is None:
        print("no Chromium found; install Debian's chromium package", file=sys.stderr)
        return 1
    if args.processes < 1:
        ap.error("--processes must be at least 1")
    via_nginx = args.via_nginx or args.processes > 1
    if via_nginx and nginx_unavailable():
        print(nginx_unavailable(), file=sys.stderr)
        return 1
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, {machine()}, "
          + (f"{args.processes} app process(es) behind nginx" if via_nginx
             else "one app process, no proxy"), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if via_nginx:
            # the officers only solve: the scenario store is not used (a SQLite file of its own)
            dep = start_deployment(args.processes, f"sqlite:///{Path(tmp) / 'scenarios.db'}",
                                   Path(tmp))
            try:
                rows = asyncio.run(bench(dep.url, args.sessions, args.rounds,
                                         [b.proc.pid for b in dep.backends], dep))
            finally:
                dep.stop()
        else:
            url, proc = start_app(Path(tmp) / "app.log")
            try:
                rows = asyncio.run(bench(url, args.sessions, args.rounds, [proc.pid]))
            finally:
                stop_app(proc)
    print()
    print(table(rows, args.processes))
    within = [r.n for r in rows if r.slowest_wait <= args.target]
    print()
    if within:
        print(f"Every solve waited at most {args.target:g} s with up to {max(within)} officers "
              "solving at once.")
    else:
        print(f"No level kept every wait under {args.target:g} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

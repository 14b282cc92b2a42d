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
"""

from __future__ import annotations

import argparse
import asyncio
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
sys.path.insert(0, str(ROOT / "scripts"))

from bench_app import IDLE, machine  # noqa: E402
from conftest import CHROMIUM_ARGS, VIEWPORT, chromium_path, start_app, stop_app  # noqa: E402

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


async def officer(browser, url: str, rounds: int, start: asyncio.Event) -> Session:
    ctx = await browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    ctx.set_default_timeout(TIMEOUT)  # an overloaded server is measured, not given up on
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


async def run_level(browser, url: str, n: int, rounds: int, server_pid: int) -> Row:
    start = asyncio.Event()
    tasks = [asyncio.create_task(officer(browser, url, rounds, start)) for _ in range(n)]
    await asyncio.sleep(0.5)  # every context open before the clock starts
    cpu0 = cpu_seconds(server_pid)
    start.set()
    sessions = await asyncio.gather(*tasks)
    cpu = cpu_seconds(server_pid) - cpu0
    waits = [w for s in sessions for w in s.waits]
    span = max(s.solve_end for s in sessions) - min(s.solve_start for s in sessions)
    return Row(n=n, solves=len(waits), per_minute=len(waits) / span * 60,
               median_wait=statistics.median(waits), slowest_wait=max(waits),
               slowest_load=max(s.load for s in sessions),
               slowest_first_plan=max(s.first_plan for s in sessions),
               server_cpu_per_officer=cpu / n, load_after=load_average())


async def bench(url: str, levels: list[int], rounds: int, server_pid: int) -> list[Row]:
    from playwright.async_api import async_playwright

    rows = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            await run_level(browser, url, 1, 1, server_pid)  # warm-up: imports, caches
            for n in levels:
                row = await run_level(browser, url, n, rounds, server_pid)
                print(f"  N={n}: {row.solves} solves, {row.per_minute:.1f}/min, wait median "
                      f"{row.median_wait:.2f} s, slowest {row.slowest_wait:.2f} s, "
                      f"slowest load {row.slowest_load:.2f} s, server CPU "
                      f"{row.server_cpu_per_officer:.2f} s per officer, load average "
                      f"{row.load_after:.1f}", flush=True)
                rows.append(row)
        finally:
            await browser.close()
    return rows


def table(rows: list[Row]) -> str:
    lines = ["| officers at once | solves | solves/min | median wait | slowest wait | "
             "slowest page load | slowest Plan page (sample) | server CPU per officer | "
             "load average after |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.n} | {r.solves} | {r.per_minute:.1f} | {r.median_wait:.2f} s | "
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
    args = ap.parse_args()
    if chromium_path() is None:
        print("no Chromium found; install Debian's chromium package", file=sys.stderr)
        return 1
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, {machine()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        url, proc = start_app(Path(tmp) / "app.log")
        try:
            rows = asyncio.run(bench(url, args.sessions, args.rounds, proc.pid))
        finally:
            stop_app(proc)
    print()
    print(table(rows))
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

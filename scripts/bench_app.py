"""Benchmark of the app in a real browser (not a timed test): how long an officer waits.

1. Sample province: time from typing a new budget (Enter) to the updated plan chart, over
   several budgets (target: under 2 s), split into the rerun after the budget and the solve.
2. A 60,000-row upload (synthetic, planner.io.synthetic "large"): upload and validation time,
   the Gaps page, a filter change, and a solve, to show the app stays usable.
3. Opening the address: the first chart of the Gaps page on a running server; and a reload
   (F5) of the Plan page after a change, until the draft is restored and the plan chart drawn.

Starts its own server on a free port (like the browser tests) and drives the system Chromium
with Playwright. Prints a Markdown table with the date and machine, for docs/app.md.

    .venv/bin/python scripts/bench_app.py [--runs 5] [--no-large]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from conftest import CHROMIUM_ARGS, VIEWPORT, chromium_path, start_app, stop_app  # noqa: E402

#: The app is idle: no run in progress, no element left from the previous run.
IDLE = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelectorAll('[data-stale=\"true\"]').length === 0")


def wait_idle(page, timeout: float = 300_000) -> None:
    page.wait_for_function(IDLE, timeout=timeout, polling=20)


def chart_svg(page, title: str) -> str:
    chart = page.locator("[data-testid='stVegaLiteChart']").filter(has_text=title).first
    chart.locator("svg.marks").first.wait_for(timeout=300_000)
    return chart.locator("svg.marks").first.inner_html()


def wait_chart_change(page, title: str, old: str, timeout: float = 60_000) -> None:
    page.wait_for_function(
        """([title, old]) => {
            const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
              .filter(c => c.textContent.includes(title));
            const svg = charts.length && charts[0].querySelector('svg.marks');
            return svg && svg.innerHTML !== old
              && !document.querySelector('[data-testid="stStatusWidget"]');
        }""", arg=[title, old], timeout=timeout, polling=20)


def metric_text(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def wait_metric_change(page, label: str, old: str, timeout: float = 60_000) -> None:
    page.wait_for_function(
        """([label, old]) => [...document.querySelectorAll('[data-testid="stMetric"]')]
            .some(m => m.querySelector('[data-testid="stMetricLabel"]').textContent.includes(label)
                 && m.querySelector('[data-testid="stMetricValue"]').textContent.trim() !== old)""",
        arg=[label, old], timeout=timeout, polling=20)


def go(page, name: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=name).first.click()
    wait_idle(page)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(int(x.split()[1]) for x in Path("/proc/meminfo").read_text().splitlines()
                   if x.startswith("MemTotal"))
        mem_text = f"{mem / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        mem_text = "?"
    return f"{os.cpu_count()} cores ({cpu}), {mem_text} RAM, {platform.system()}"


def bench_budget(page, url: str, runs: int) -> list[tuple[float, float, float]]:
    """(budget → chart, budget rerun, solve → chart) in seconds, per run."""
    page.goto(url)
    page.get_by_role("heading").first.wait_for()
    wait_idle(page)
    go(page, "Phương án")
    page.get_by_role("heading", name="Phương án tuyển dụng").wait_for()
    wait_idle(page)
    title = "Còn thiếu theo đơn vị"
    out = []
    budgets = [20 + 7 * i for i in range(runs)]
    for amount in budgets:
        old = chart_svg(page, title)
        old_cost = metric_text(page, "Kinh phí tuyển")
        box = page.get_by_label("Ngân sách nhà nước (tỷ đồng/năm)", exact=True)
        box.fill(str(amount))
        stale = page.get_by_text("Tham số đã thay đổi so với phương án đang hiển thị")
        t0 = time.perf_counter()
        box.press("Enter")
        stale.wait_for()  # the rerun with the new budget is on screen
        t1 = time.perf_counter()
        page.get_by_role("button", name="Giải", exact=True).click()
        stale.wait_for(state="hidden")
        wait_metric_change(page, "Kinh phí tuyển", old_cost)  # the new plan's figures are shown
        wait_idle(page)  # … and every element of the page is drawn (charts included)
        t2 = time.perf_counter()
        changed = chart_svg(page, title) != old
        out.append((t2 - t0, t1 - t0, t2 - t1))
        print(f"  budget {amount} tỷ: {t2 - t0:.2f} s (rerun {t1 - t0:.2f} s, "
              f"solve and chart {t2 - t1:.2f} s; the top units' bars "
              f"{'changed' if changed else 'did not change'})", flush=True)
    return out


def bench_open(page, url: str, runs: int) -> list[float]:
    """Seconds from opening the address to the Gaps page's first chart, per run."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        page.goto(url)
        page.locator("[data-testid='stVegaLiteChart'] svg.marks").first.wait_for(timeout=300_000)
        out.append(time.perf_counter() - t0)
        wait_idle(page)
        print(f"  address → first chart: {out[-1]:.2f} s", flush=True)
    return out


def bench_restore(page, url: str, runs: int) -> list[float]:
    """Seconds from a reload (F5) of the Plan page, with a budget changed and solved, to the
    restored plan's chart (the draft read back from the scenario store)."""
    page.goto(f"{url}/phuong-an")
    page.get_by_role("heading", name="Phương án tuyển dụng").wait_for()
    wait_idle(page)
    box = page.get_by_label("Ngân sách nhà nước (tỷ đồng/năm)", exact=True)
    box.fill("41,5")
    box.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Giải", exact=True).click()
    page.get_by_text("trên 41,5 tỷ đ").first.wait_for()
    wait_idle(page)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        page.reload()
        page.get_by_text("Đã khôi phục công việc đang làm").wait_for(timeout=300_000)
        chart_svg(page, "Còn thiếu theo đơn vị")
        out.append(time.perf_counter() - t0)
        assert page.get_by_label("Ngân sách nhà nước (tỷ đồng/năm)", exact=True) \
            .input_value() == "41,5"
        wait_idle(page)
        print(f"  reload → draft restored and plan chart drawn: {out[-1]:.2f} s", flush=True)
    return out


def large_csv(path: Path) -> int:
    """A 60,000-row combined quotas-and-headcounts CSV with Vietnamese headers."""
    from planner.domain.columns import label
    from planner.io.synthetic import synthetic_instance

    gaps = synthetic_instance("large").gaps
    cols = ["unit_id", "unit_name", "position_id", "position_name", "staff_type",
            "funding_source", "salary_coefficient", "allowance_rate", "quota", "headcount",
            "expected_departures", "priority"]
    table = gaps[cols].copy()
    table.columns = [label(c, "vi") for c in cols]
    table.to_csv(path, index=False, encoding="utf-8-sig")
    return len(table)


def bench_large(page, url: str, folder: Path) -> dict[str, float]:
    path = folder / "bien_che_60000.csv"
    rows = large_csv(path)
    print(f"  {rows} rows, {path.stat().st_size / 2**20:.1f} MB", flush=True)
    out: dict[str, float] = {}
    page.goto(url)
    page.get_by_role("heading").first.wait_for()
    wait_idle(page)
    go(page, "Dữ liệu")
    t0 = time.perf_counter()
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(path)
    page.get_by_role("button", name="Nạp dữ liệu").wait_for()
    wait_idle(page)
    t1 = time.perf_counter()
    page.get_by_role("button", name="Nạp dữ liệu").click()
    page.get_by_text("Đã nạp bien_che_60000.csv").wait_for(timeout=600_000)
    wait_idle(page)
    t2 = time.perf_counter()
    out["upload (browser → server)"] = t1 - t0
    out["read and validate 60,000 rows"] = t2 - t1
    t0 = time.perf_counter()
    go(page, "Thiếu hụt")
    chart_svg(page, "Biên chế còn thiếu theo đơn vị")
    wait_idle(page)
    out["Gaps page (figures, 3 charts, table)"] = time.perf_counter() - t0
    old = chart_svg(page, "Biên chế còn thiếu theo đơn vị")
    t0 = time.perf_counter()
    search = page.get_by_label("Tìm đơn vị", exact=True)
    search.fill("U0001")
    search.press("Enter")
    wait_chart_change(page, "Biên chế còn thiếu theo đơn vị", old)
    wait_idle(page)
    out["search a unit (rerun, charts redrawn)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    go(page, "Phương án")
    page.get_by_role("button", name="Giải", exact=True).wait_for()
    out["Plan page (parameters, editors)"] = time.perf_counter() - t0
    box = page.get_by_label("Ngân sách nhà nước (tỷ đồng/năm)", exact=True)
    box.fill("5000")
    box.press("Enter")
    page.get_by_text("Nhấn «Giải» để lập phương án").wait_for()
    wait_idle(page)
    t0 = time.perf_counter()
    page.get_by_role("button", name="Giải", exact=True).click()
    chart_svg(page, "Còn thiếu theo đơn vị")
    wait_idle(page)
    out["solve 60,000 rows and show the plan"] = time.perf_counter() - t0
    for k, v in out.items():
        print(f"  {k}: {v:.2f} s", flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="budgets tried on the sample")
    ap.add_argument("--no-large", action="store_true", help="skip the 60,000-row upload")
    args = ap.parse_args()
    path = chromium_path()
    if path is None:
        print("no Chromium found; install Debian's chromium package", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench_app_"))
    url, proc = start_app(folder / "streamlit.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport=VIEWPORT, locale="vi-VN").new_page()
            page.set_default_timeout(300_000)  # a loaded machine: measure, never give up early
            print("sample province: budget → updated plan chart", flush=True)
            runs = bench_budget(page, url, args.runs)
            print("opening the address; reload with a draft", flush=True)
            page = browser.new_context(viewport=VIEWPORT, locale="vi-VN").new_page()
            page.set_default_timeout(300_000)
            opened = bench_open(page, url, args.runs)
            restored = bench_restore(page, url, args.runs)
            large = None
            if not args.no_large:
                print("60,000-row upload", flush=True)
                page = browser.new_context(viewport=VIEWPORT, locale="vi-VN").new_page()
                large = bench_large(page, url, folder)
            browser.close()
    finally:
        stop_app(proc)
    total = [r[0] for r in runs]
    print()
    print(f"Measured {dt.date.today():%d/%m/%Y} on {machine()}; Chromium headless at "
          f"{VIEWPORT['width']}×{VIEWPORT['height']}.")
    print()
    print("| measure | median | slowest |")
    print("|---|---|---|")
    print(f"| sample: budget typed → plan chart updated ({len(runs)} budgets) | "
          f"{statistics.median(total):.2f} s | {max(total):.2f} s |")
    print(f"| … of which the rerun after typing the budget | "
          f"{statistics.median(r[1] for r in runs):.2f} s | {max(r[1] for r in runs):.2f} s |")
    print(f"| … of which Solve → chart updated | {statistics.median(r[2] for r in runs):.2f} s "
          f"| {max(r[2] for r in runs):.2f} s |")
    print(f"| address opened → first chart of the Gaps page ({len(opened)} runs) | "
          f"{statistics.median(opened):.2f} s | {max(opened):.2f} s |")
    print(f"| reload (F5) → draft restored, plan chart drawn ({len(restored)} runs) | "
          f"{statistics.median(restored):.2f} s | {max(restored):.2f} s |")
    for k, v in (large or {}).items():
        print(f"| 60,000 rows: {k} | {v:.2f} s | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

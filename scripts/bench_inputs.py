"""Benchmark: how long reading and validating an input file takes, and how much memory.

    .venv/bin/python scripts/bench_inputs.py [--sizes 6000,60000,300000] [--refuse 1000000]
                                             [--largest 300000]

Writes realistic files (an office's layout: title lines, STT, Vietnamese headers, numbers as
typed) to a temporary folder, then loads each one with ``load_inputs`` in a fresh Python
process, so every figure is that file's own: wall time of ``load_inputs`` and the peak
resident memory of the process (which includes the Rust reader's allocations that
tracemalloc cannot see), next to the memory the process held before loading. The million-row
files must be refused by the row limit (PLANNER_MAX_ROWS, 300,000 by default) without being
parsed in full. Then the largest files the limits accept: 300,000 data rows with a notes
column of varied Vietnamese text filling each file to just under the 50 MB size limit (what
makes an office's file large is text, not rows). Prints a Markdown table; docs/data-contract.md
keeps the results and README's limits table the peak memory of the largest accepted files.

``--compare DIR`` (issue 11's benchmark) instead times this checkout's reader against the one in
DIR (another commit's checkout, e.g. ``git worktree add /tmp/old d66b8d7`` with the same
.venv), interleaved round by round on the same files: each child process loads the file four
times, the first (with the reader's lazy imports) and the best of the next three, wall and
CPU time. Prints medians and the load average.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["STT", "Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt",
          "Hệ số lương", "Loại", "Nguồn kinh phí"]
POSITIONS = ["Chuyên viên", "Chuyên viên chính", "Kế toán", "Văn thư", "Giáo viên THCS hạng II",
             "Bác sĩ", "Điều dưỡng hạng IV", "Lái xe", "Thanh tra viên", "Kiểm soát viên"]
TYPES = ["công chức", "viên chức", "hợp đồng"]


def _record(i: int) -> list:
    return [i + 1, f"Đơn vị hành chính sự nghiệp số {i // 10}", POSITIONS[i % 10],
            5 + i % 7, 3 + i % 5, 2.34 + (i % 3) * 0.33, TYPES[i % 3],
            "NSNN" if i % 4 else "Phí, lệ phí"]


def write_xlsx(path: Path, n: int, notes=None) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Biểu 1")
    ws.write_row(0, 0, ["UBND TỈNH KHÁNH HÒA"])
    ws.write_row(1, 0, ["BIỂU TỔNG HỢP BIÊN CHẾ NĂM 2019"])
    ws.write_row(3, 0, HEADER + (["Ghi chú"] if notes else []))
    for i in range(n):
        ws.write_row(4 + i, 0, _record(i) + ([notes(i)] if notes else []))
    wb.close()


def write_csv(path: Path, n: int, notes=None) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["BIỂU TỔNG HỢP BIÊN CHẾ NĂM 2019"])
        w.writerow(HEADER + (["Ghi chú"] if notes else []))
        for i in range(n):
            r = _record(i)
            r[5] = f"{r[5]:.2f}".replace(".", ",")  # decimal comma, as typed in Vietnam
            w.writerow(r + ([notes(i)] if notes else []))


#: words of the notes that fill the "largest accepted" files up to the size limit
WORDS = ("cán bộ", "biên chế", "tuyển dụng", "năm", "theo", "quyết định", "của", "UBND",
         "tỉnh", "đơn vị", "sự nghiệp", "giáo dục", "y tế", "hợp đồng", "chờ", "nghỉ hưu",
         "điều động", "bổ sung", "kế hoạch", "vị trí", "việc làm", "còn thiếu", "đã", "giao")


def _note(rng, chars: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append(rng.choice(WORDS) if rng.random() < 0.8 else str(rng.randrange(10**6)))
    return " ".join(words)


def write_largest(path: Path, n: int, kind: str, limit_mb: float = 50) -> None:
    """The largest file the limits accept: ``n`` data rows (the row limit) and a notes column
    of varied text filling it to just under the file size limit (98%). Notes are what makes
    an office's file large: a column the planner does not use, but reads."""
    import random

    writer = write_xlsx if kind == "XLSX" else write_csv
    target = limit_mb * 2**20 * 0.98
    sample = n // 50  # bytes per row = fixed + slope × note length, from two small files
    per_row = {}
    for chars in (40, 400):
        rng = random.Random(2019)
        writer(path, sample, notes=lambda i, c=chars, r=rng: _note(r, c))
        per_row[chars] = path.stat().st_size / sample
    slope = (per_row[400] - per_row[40]) / 360
    chars = max(1, int(40 + (target / n - per_row[40]) / slope))
    for _ in range(3):  # the full file, its notes shortened while it is above the target
        rng = random.Random(2019)
        writer(path, n, notes=lambda i, c=chars, r=rng: _note(r, c))
        size = path.stat().st_size
        if size <= target:
            return
        chars = max(1, int(chars - (size - target) / n / slope) - 2)
    raise SystemExit(f"the {kind} file came out above {limit_mb} MB; lower the target")


def _peak_kb() -> int:
    """Peak resident memory of this process (KiB): VmHWM, the peak of its own address space
    (getrusage's ru_maxrss is kept across exec, so it can start at the parent's size)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_one(path: str) -> dict:
    """Child process: load one file, report time and memory as JSON."""
    from planner.domain.problems import InputError
    from planner.io.inputs import load_inputs

    before = _peak_kb()
    t0 = time.perf_counter()
    try:
        inputs = load_inputs(path)
        outcome = f"loaded {len(inputs.positions):,} rows"
    except InputError as exc:
        outcome = "refused: " + ", ".join(sorted({p.code for p in exc.errors}))
    seconds = time.perf_counter() - t0
    peak = _peak_kb()
    return {"seconds": seconds, "peak_mb": peak / 1024, "before_mb": before / 1024,
            "outcome": outcome}


COMPARE_CHILD = r"""
import json, sys, time
sys.path.insert(0, ".")
try:
    from planner.io.inputs import load_inputs
except ImportError:  # a checkout from before planner/ was laid out in packages
    from planner.inputs import load_inputs
out = []
for _ in range(4):
    t0, c0 = time.perf_counter(), time.process_time()
    load_inputs(sys.argv[1])
    out.append((time.perf_counter() - t0, time.process_time() - c0))
print(json.dumps(out))
"""


def compare(other: Path, sizes: list[int], rounds: int) -> None:
    """This checkout's reader against ``other``'s, interleaved (see the module docstring)."""
    import statistics

    trees = {"this checkout": ROOT, str(other): other}
    times: dict[tuple[str, str], list[list[tuple[float, float]]]] = {}
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for n in sizes:
            for kind, writer in (("XLSX", write_xlsx), ("CSV", write_csv)):
                path = Path(tmp) / f"bien_che_{n}.{kind.lower()}"
                writer(path, n)
                files.append((f"{kind} {n:,}", path))
        for r in range(rounds):
            order = list(trees) if r % 2 == 0 else list(reversed(trees))
            for label, path in files:
                for name in order:
                    loads.append(os.getloadavg()[0])
                    out = subprocess.run([sys.executable, "-c", COMPARE_CHILD, str(path)],
                                         cwd=trees[name], capture_output=True, text=True,
                                         check=True)
                    times.setdefault((label, name), []).append(json.loads(out.stdout))
                    first = times[label, name][-1][0][0]
                    print(f"round {r + 1} {label} {name}: first {first:.2f} s", file=sys.stderr)
    print(f"\nMeasured {date.today():%d/%m/%Y} on {_cpu_name()}, {_cores()} cores; load average "
          f"(1 min) during the rounds {min(loads):.2f}–{max(loads):.2f}; {rounds} rounds.\n")
    print("| file | reader | first load: wall (median) | CPU | warm, best of 3: wall (median) "
          "| CPU | first-load walls |")
    print("|---|---|---:|---:|---:|---:|---|")
    for (label, name), runs in times.items():
        first_w = statistics.median(run[0][0] for run in runs)
        first_c = statistics.median(run[0][1] for run in runs)
        warm_w = statistics.median(min(w for w, _ in run[1:]) for run in runs)
        warm_c = statistics.median(min(c for _, c in run[1:]) for run in runs)
        print(f"| {label} | {name} | {first_w:.2f} s | {first_c:.2f} s | {warm_w:.2f} s | "
              f"{warm_c:.2f} s | {' / '.join(f'{run[0][0]:.2f}' for run in runs)} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="6000,60000,300000")
    ap.add_argument("--refuse", type=int, default=1_000_000)
    ap.add_argument("--largest", type=int, default=300_000, metavar="ROWS",
                    help="also the largest accepted XLSX and CSV: ROWS data rows filled to "
                         "just under the size limit (0: skip)")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--compare", type=Path, metavar="DIR",
                    help="time this reader against the checkout in DIR instead (interleaved)")
    ap.add_argument("--rounds", type=int, default=3, help="with --compare")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one)))
        return
    if args.compare:
        compare(args.compare.resolve(), [int(s) for s in args.sizes.split(",") if s],
                args.rounds)
        return
    sizes = [int(s) for s in args.sizes.split(",") if s] + ([args.refuse] if args.refuse else [])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            for kind, writer in (("XLSX", write_xlsx), ("CSV", write_csv)):
                path = Path(tmp) / f"bien_che_{n}.{kind.lower()}"
                t0 = time.perf_counter()
                writer(path, n)
                made = time.perf_counter() - t0
                # a file above the size limit is also measured with the size limit raised,
                # so that the row limit is what refuses it
                envs = [{}]
                if path.stat().st_size > 50 * 2**20:
                    envs.append({"PLANNER_MAX_FILE_MB": "1000"})
                for env in envs:
                    out = subprocess.run([sys.executable, __file__, "--one", str(path)],
                                         capture_output=True, text=True, check=True, cwd=ROOT,
                                         env={**os.environ, **env})
                    m = json.loads(out.stdout)
                    note = " (PLANNER_MAX_FILE_MB=1000)" if env else ""
                    rows.append((kind + note, n, path.stat().st_size / 2**20, m, made))
                    print(f"{kind}{note} {n:>9,}: {m['seconds']:.2f} s, peak {m['peak_mb']:.0f} "
                          f"MB (before {m['before_mb']:.0f} MB), {m['outcome']} "
                          f"[file written in {made:.0f} s]", file=sys.stderr)
                path.unlink()
        for kind in ("XLSX", "CSV") if args.largest else ():
            path = Path(tmp) / f"lon_nhat.{kind.lower()}"
            t0 = time.perf_counter()
            write_largest(path, args.largest, kind)
            made = time.perf_counter() - t0
            out = subprocess.run([sys.executable, __file__, "--one", str(path)],
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            m = json.loads(out.stdout)
            label = f"{kind}, largest accepted (notes column)"
            rows.append((label, args.largest, path.stat().st_size / 2**20, m, made))
            print(f"{label} {args.largest:>9,}: {m['seconds']:.2f} s, peak {m['peak_mb']:.0f} "
                  f"MB (before {m['before_mb']:.0f} MB), {m['outcome']}", file=sys.stderr)
            path.unlink()
    cpu = _cpu_name()
    print(f"\nMeasured {date.today():%d/%m/%Y} on {cpu}, {_cores()} cores, Python "
          f"{platform.python_version()}, {platform.system()} {platform.release()}.\n")
    print("| file | data rows | size | load_inputs time | peak memory (process) | outcome |")
    print("|---|---:|---:|---:|---:|---|")
    for kind, n, mb, m, _ in rows:
        print(f"| {kind} | {n:,} | {mb:.1f} MB | {m['seconds']:.2f} s | "
              f"{m['peak_mb']:.0f} MB ({m['before_mb']:.0f} MB before loading) | "
              f"{m['outcome']} |")


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

"""Make docs/img/summary-sheet.png: the Summary sheet of the sample plan as LibreOffice prints it.

Solves the sample province with its sample scenario, writes the workbook, converts it to PDF
with LibreOffice (headless, private profile) and turns the first page into a PNG with
pdftoppm (poppler-utils). Usage: .venv/bin/python scripts/summary_picture.py [--lang vi|en]
[--date DD/MM/YYYY] [--out PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.api import solve as solve_scenario  # noqa: E402
from planner.domain.scenario import Scenario  # noqa: E402
from planner.export.workbook import plan_workbook  # noqa: E402
from planner.io.inputs import load_inputs  # noqa: E402
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.add_argument("--date", default=None, help="date printed on the sheet (default today)")
    p.add_argument("--out", default=str(ROOT / "docs" / "img" / "summary-sheet.png"))
    p.add_argument("--dpi", type=int, default=110)
    args = p.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("needs LibreOffice (soffice) and pdftoppm (apt-get install poppler-utils)",
              file=sys.stderr)
        return 1
    created = dt.datetime.strptime(args.date, "%d/%m/%Y").date() if args.date else dt.date.today()
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    allocation = solve_scenario(inputs, scenario)
    name = "Phương án mẫu" if args.lang == "vi" else "Sample scenario"
    data = plan_workbook(allocation, inputs=inputs, scenario=scenario, lang=args.lang,
                         scenario_name=name, created=created)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "plan.xlsx"
        xlsx.write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(xlsx)],
                       check=True, capture_output=True, timeout=300)
        subprocess.run(["pdftoppm", "-png", "-r", str(args.dpi), "-f", "1", "-l", "1",
                        "-singlefile", str(xlsx.with_suffix(".pdf")), str(out.with_suffix(""))],
                       check=True, timeout=120)
    print(f"wrote {out} ({allocation.total_hires} hires, status {allocation.status})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A real spreadsheet program opens the workbook: LibreOffice converts it to PDF headless.

The PDF must have A4 landscape pages and carry the sheets' titles and the total row, which
shows LibreOffice read the cells, the print set-up and the formulas (it recalculates them).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from planner.api import solve as solve_scenario
from planner.domain.scenario import Scenario
from planner.export.workbook import plan_workbook
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; "
                       "`make test` installs libreoffice-calc-nogui through "
                       "scripts/ensure-system-deps"),
]


def to_pdf(xlsx, tmp_path):
    profile = tmp_path / "lo-profile"
    r = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
        capture_output=True, text=True, timeout=180, check=False)
    pdf = xlsx.with_suffix(".pdf")
    assert r.returncode == 0 and pdf.exists(), f"soffice failed: {r.stdout}\n{r.stderr}"
    return pdf


def pdf_text(pdf) -> str:
    """The PDF's text, pages separated by form feeds: poppler's pdftotext when installed,
    else pypdf (a test dependency, so the text is always checked)."""
    if shutil.which("pdftotext") is not None:
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, timeout=60, check=True).stdout
    from pypdf import PdfReader

    return "".join(page.extract_text() + "\f" for page in PdfReader(pdf).pages)


def test_libreoffice_opens_and_prints_the_workbook(tmp_path):
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    allocation = solve_scenario(inputs, scenario)
    xlsx = tmp_path / "phuong_an.xlsx"
    xlsx.write_bytes(plan_workbook(allocation, inputs=inputs, scenario=scenario,
                                   scenario_name="Phương án mẫu", created=dt.date(2026, 3, 5)))
    pdf = to_pdf(xlsx, tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes and all(abs(float(w) - 841.9) < 1 and abs(float(h) - 595.3) < 1
                         for w, h in boxes), boxes  # every page A4 landscape, in points
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    for title in ("Phương án tuyển dụng biên chế", "PHƯƠNG ÁN TUYỂN DỤNG THEO ĐƠN VỊ",
                  "THAM SỐ CỦA PHƯƠNG ÁN", "KIỂM TRA DỮ LIỆU ĐẦU VÀO", "Tổng cộng",
                  "Ngày lập: 05/03/2026"):
        assert title in flat, title
    # LibreOffice recalculated the total row: it prints the plan's total hires
    total_hires = f"{allocation.total_hires:,}"
    assert total_hires in text
    pages = text.count("\f")
    assert pages >= 5


def test_libreoffice_opens_the_english_workbook_without_inputs(tmp_path):
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"])
    allocation = solve_scenario(inputs, Scenario(budgets={"state_budget": 5e9}))
    xlsx = tmp_path / "plan.xlsx"
    xlsx.write_bytes(plan_workbook(allocation, lang="en", created=dt.date(2026, 3, 5)))
    text = pdf_text(to_pdf(xlsx, tmp_path))
    assert "RECRUITMENT PLAN BY UNIT" in text and "Page 1 of" in text

"""The recruitment plan (issue 16 item 1): a .docx read back with python-docx, its annex's
figures checked against the plan, LibreOffice printing it, and the CLI's file equal to the
app's download byte for byte (same plan, issuer and date)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from planner.api import solve as solve_scenario
from planner.domain.problems import InputError
from planner.domain.scenario import Scenario
from planner.export.recruitment_plan import Issuer, recruitment_plan_docx
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
DAY = dt.date(2026, 3, 5)
ISSUER = Issuer(parent_body="UBND tỉnh Khánh Hòa", body="Sở Nội vụ", place="Khánh Hòa",
                symbol="KH-SNV", authority="KT. GIÁM ĐỐC", signer_title="Phó Giám đốc")
STAFF_WORDS = {"civil_servant": "Công chức", "public_employee": "Viên chức",
               "contract": "Hợp đồng"}


@pytest.fixture(scope="module")
def solved():
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    return inputs, solve_scenario(inputs, scenario, explain=False)


def number(cell_text: str) -> int:
    """A count as the document prints it (Vietnamese: dot thousands)."""
    return int(cell_text.replace(".", ""))


def annex(document) -> list[list[str]]:
    table = document.tables[-1]
    return [[c.text for c in row.cells] for row in table.rows]


def test_the_plan_reads_back_with_the_administrative_layout(solved):
    inputs, allocation = solved
    data = recruitment_plan_docx(allocation, inputs=inputs, created=DAY, issuer=ISSUER,
                                 scenario_name="Phương án mẫu")
    document = docx.Document(io.BytesIO(data))
    head = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert "UBND TỈNH KHÁNH HÒA" in head[0][0] and "SỞ NỘI VỤ" in head[0][0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head[0][1]
    assert "Độc lập - Tự do - Hạnh phúc" in head[0][1]
    assert re.search(r"Số:\s+/KH-SNV", head[1][0])  # the number is left for the office
    assert "Khánh Hòa, ngày" in head[1][1] and "năm 2026" in head[1][1]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "KẾ HOẠCH" in body
    for heading in ("BIÊN CHẾ ĐƯỢC GIAO, CHƯA SỬ DỤNG", "TỶ LỆ NGƯỜI DÂN TỘC THIỂU SỐ",
                    "TIÊU CHUẨN, ĐIỀU KIỆN", "HÌNH THỨC, NỘI DUNG THI TUYỂN HOẶC XÉT TUYỂN",
                    "Phụ lục", "Kèm theo Kế hoạch số"):
        assert heading in body, heading
    # Decree 30/2020: A4; margins top/bottom 20–25 mm, left 30–35, right 15–20 (portrait);
    # Times New Roman 13–14 pt body
    first = document.sections[0]
    assert (round(first.page_width / Mm(1)), round(first.page_height / Mm(1))) == (210, 297)
    assert 20 <= round(first.top_margin / Mm(1)) <= 25
    assert 20 <= round(first.bottom_margin / Mm(1)) <= 25
    assert 30 <= round(first.left_margin / Mm(1)) <= 35
    assert 15 <= round(first.right_margin / Mm(1)) <= 20
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    sign = [c.text for c in document.tables[1].rows[0].cells]
    assert "Nơi nhận:" in sign[0]
    assert "KT. GIÁM ĐỐC" in sign[1] and "PHÓ GIÁM ĐỐC" in sign[1]
    # the body's figures are the plan's
    plan = allocation.plan
    assert f"Tổng số cần tuyển: {int(plan['hires'].sum()):,}".replace(",", ".") in body


def test_the_annex_figures_are_the_plans_and_the_totals_add_up(solved):
    inputs, allocation = solved
    plan = allocation.plan
    rows = annex(docx.Document(io.BytesIO(recruitment_plan_docx(
        allocation, inputs=inputs, created=DAY, issuer=ISSUER))))
    assert rows[0] == ["STT", "Đơn vị", "Vị trí việc làm", "Biên chế được giao", "Hiện có",
                       "Chưa sử dụng", "Số cần tuyển", "Trình độ", "Chuyên ngành",
                       "Hình thức tuyển dụng", "Ghi chú"]
    assert rows[1] == [f"({j})" for j in range(1, 12)]
    expected = plan[plan["hires"] > 0]
    groups, data, group = {}, [], None
    for r in rows[2:-1]:
        if r[0] in ("I", "II", "III"):
            group = r[1]
            groups[group] = [number(v) for v in r[3:7]]
        else:
            data.append((group, r))
    total = rows[-1]
    assert total[1] == "Tổng cộng"
    # every row of the plan with hires, once, with its own figures
    assert len(data) == len(expected)
    by_key = {(r["unit_name"], r["position_name"], STAFF_WORDS[r["staff_type"]]): r
              for r in expected.to_dict("records")}
    assert len(by_key) == len(expected)
    for group_name, r in data:
        src = by_key[(r[1], r[2], group_name)]
        assert [number(v) for v in r[3:7]] == [src["quota"], src["headcount"],
                                               src["vacancies"], src["hires"]]
        # unused quota = quota less those who stay (on board less expected departures)
        assert src["vacancies"] == src["quota"] - (src["headcount"] - src["expected_departures"])
        if src["expected_departures"]:
            assert f"Gồm {src['expected_departures']} người sắp nghỉ" in r[10]
    # group subtotals and the total add up, and equal the plan's
    for staff_type, words in STAFF_WORDS.items():
        part = expected[expected["staff_type"] == staff_type]
        assert groups[words] == [int(part[c].sum()) for c in ("quota", "headcount",
                                                              "vacancies", "hires")]
    assert [number(v) for v in total[3:7]] == [sum(g[k] for g in groups.values())
                                              for k in range(4)]
    assert number(total[6]) == int(plan["hires"].sum()) == allocation.total_hires
    # rows are numbered 1, 2, … inside each group
    for words in STAFF_WORDS.values():
        numbers = [int(r[0]) for g, r in data if g == words]
        assert numbers == list(range(1, len(numbers) + 1))
    # what the sample data does not hold is a marked blank, never invented
    assert all(r[7] == "…………" and r[8] == "…………" for _, r in data)
    assert {r[9] for g, r in data if g == "Hợp đồng"} == {"Ký hợp đồng"}


def test_one_units_plan_and_bad_choices(solved):
    inputs, allocation = solved
    plan = allocation.plan
    unit = plan.loc[plan["hires"] > 0, "unit_name"].iloc[0]
    rows = annex(docx.Document(io.BytesIO(recruitment_plan_docx(
        allocation, inputs=inputs, created=DAY, unit=unit.upper()))))
    data = [r for r in rows[2:-1] if r[0] not in ("I", "II", "III")]
    assert {r[1] for r in data} == {unit}
    assert number(rows[-1][6]) == int(plan.loc[plan["unit_name"] == unit, "hires"].sum())
    with pytest.raises(InputError) as err:
        recruitment_plan_docx(allocation, created=DAY, unit="Sở Không Có")
    assert "Sở Không Có" in err.value.render("vi")
    none_hired = plan.groupby("unit_name")["hires"].sum()
    idle = none_hired[none_hired == 0].index
    if len(idle):
        with pytest.raises(InputError) as err:
            recruitment_plan_docx(allocation, created=DAY, unit=idle[0])
        assert "không tuyển ai" in err.value.render("vi")


def test_the_bytes_depend_on_the_date_not_the_clock(solved):
    inputs, allocation = solved
    once = recruitment_plan_docx(allocation, inputs=inputs, created=DAY)
    assert once == recruitment_plan_docx(allocation, inputs=inputs, created=DAY)
    props = docx.Document(io.BytesIO(once)).core_properties
    assert props.created.date() == DAY and props.author == "planner"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", "document", "recruitment-plan",
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)


def test_cli_writes_the_apps_document_byte_for_byte(solved, tmp_path):
    from planner.ui.plan_results import plan_docx

    inputs, allocation = solved
    out = tmp_path / "KH.docx"
    r = run_cli("--scenario", str(SAMPLE_SCENARIO), "--out", str(out), "--date", "05/03/2026",
                "--parent-body", "UBND tỉnh Khánh Hòa", "--body", "Sở Nội vụ",
                "--place", "Khánh Hòa")
    assert r.returncode == 0, r.stderr
    app = plan_docx(allocation, inputs, created=DAY, parent_body="UBND tỉnh Khánh Hòa",
                    body="Sở Nội vụ", place="Khánh Hòa")
    assert out.read_bytes() == app


@pytest.mark.parametrize(("args", "words"), [
    (("--unit", "XYZ"), "XYZ"),
    (("--date", "31/02/2026"), "31/02/2026"),
    (("--staff-type", "teacher"), "teacher"),
])
def test_cli_bad_choices_are_messages_and_nothing_is_written(tmp_path, args, words):
    out = tmp_path / "KH.docx"
    r = run_cli("--out", str(out), *args)
    assert r.returncode == 2, r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_cli_refuses_another_suffix(tmp_path):
    r = run_cli("--out", str(tmp_path / "KH.doc"))
    assert r.returncode == 2 and ".docx" in r.stderr
    assert not list(tmp_path.iterdir())


def soffice_convert(path: Path, fmt: str, outdir: Path) -> Path:
    profile = outdir / "lo-profile"
    r = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(path)],
                       capture_output=True, text=True, timeout=180, check=False)
    result = outdir / f"{path.stem}.{fmt.split(':')[0]}"
    assert r.returncode == 0 and result.exists(), f"soffice failed: {r.stdout}\n{r.stderr}"
    return result


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed; `make test` "
                    "installs it through scripts/ensure-system-deps")
def test_libreoffice_prints_the_plan(solved, tmp_path):
    from pypdf import PdfReader

    inputs, allocation = solved
    path = tmp_path / "ke_hoach_tuyen_dung.docx"
    path.write_bytes(recruitment_plan_docx(allocation, inputs=inputs, created=DAY,
                                           issuer=ISSUER))
    pdf = PdfReader(soffice_convert(path, "pdf", tmp_path))
    pages = pdf.pages
    assert len(pages) >= 3  # the plan, then the annex on pages of its own
    first = " ".join(pages[0].extract_text().split())
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "SỞ NỘI VỤ", "KẾ HOẠCH", "Khánh Hòa, ngày"):
        assert words in first, words
    # the plan's pages are A4 portrait, the annex's A4 landscape (points)
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages]
    assert sizes[0] == (595, 842) and sizes[-1] == (842, 595), sizes
    annex_text = " ".join(" ".join(p.extract_text().split()) for p in pages
                          if round(float(p.mediabox.width)) == 842)
    assert "Phụ lục" in annex_text and "Tổng cộng" in annex_text
    assert f"{allocation.total_hires:,}".replace(",", ".") in annex_text
    save_page_png(tmp_path / "ke_hoach_tuyen_dung.pdf",
                  ARTIFACTS / "ke_hoach_tuyen_dung_trang1.png")


def save_page_png(pdf: Path, png: Path, page: int = 0) -> None:
    """Render a page of LibreOffice's PDF to PNG (pdfium) for people to look at."""
    import pypdfium2

    png.parent.mkdir(exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        document[page].render(scale=1.5).to_pil().save(png)
    finally:
        document.close()
    assert png.read_bytes().startswith(b"\x89PNG")

"""The Plan page's documents (issue 16): the recruitment plan (.docx) and the staffing report
(.xlsx) a click gives are the files the CLI writes for the same plan, issuer and day, and the
workbook carries the issuing body typed for them. Read from Streamlit's own media file manager
(the same recording as tests/test_app_no_lost_work.py), so these are the bytes a browser gets."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from app_helpers import open_page, start
from streamlit.runtime.media_file_manager import MediaFileManager

from planner.export.recruitment_plan import Issuer, recruitment_plan_docx
from planner.export.staffing_report import Reporter, staffing_report_xlsx

pytestmark = pytest.mark.slow


@pytest.fixture
def downloads(monkeypatch):
    seen: dict[str, object] = {}
    add_deferred = MediaFileManager.add_deferred

    def recording_add_deferred(self, data_callable, *args, **kw):
        file_id = add_deferred(self, data_callable, *args, **kw)
        seen[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_add_deferred)
    return seen


def clicked(at, seen, key: str) -> tuple[bytes, str]:
    """What a click on the download button ``key`` generates, and its file name."""
    button = next(b for b in at.get("download_button") if key in b.proto.id)
    return seen[button.proto.deferred_file_id](), button.proto.label


def test_the_documents_are_the_clis_files_with_the_issuer_typed(downloads):
    at = open_page(start(), "plan")
    today = dt.date.today()
    assert "w_doc_body" not in [t.key for t in at.text_input]  # drawn when the expander opens
    at.session_state["w_doc_open"] = True  # the officer opens "Văn bản để ký"
    at.run()
    at.text_input(key="w_doc_parent_body").input("UBND tỉnh Khánh Hòa").run()
    at.text_input(key="w_doc_body").input("Sở Nội vụ").run()
    at.text_input(key="w_doc_place").input("Khánh Hòa").run()
    at.text_input(key="w_doc_name").input("Phương án tuyển dụng 2026").run()
    result = at.session_state["plan_result"]
    inputs = at.session_state["dataset"].inputs
    if dt.date.today() != today:
        pytest.skip("the date changed during the test (midnight); rerun")
    plan, label = clicked(at, downloads, "dl_plan_docx")
    assert label == "Tải Kế hoạch tuyển dụng (.docx)"
    issuer = Issuer(parent_body="UBND tỉnh Khánh Hòa", body="Sở Nội vụ", place="Khánh Hòa")
    assert plan == recruitment_plan_docx(result.allocation, inputs=inputs, created=today,
                                         issuer=issuer, scenario_name="Phương án tuyển dụng 2026")
    heading = docx.Document(io.BytesIO(plan)).tables[0].rows[0].cells[0].text
    assert "SỞ NỘI VỤ" in heading
    report, _ = clicked(at, downloads, "dl_staffing_report")
    assert report == staffing_report_xlsx(inputs, created=today, reporter=Reporter(
        parent_body="UBND tỉnh Khánh Hòa", body="Sở Nội vụ"))
    # the allocation workbook takes the same issuing body for its page headers
    workbook, _ = clicked(at, downloads, "dl_plan_xlsx")
    summary = openpyxl.load_workbook(io.BytesIO(workbook)).worksheets[0]
    header = summary.oddHeader.left.text
    assert "UBND TỈNH KHÁNH HÒA" in header and "SỞ NỘI VỤ" in header
    assert "Phương án tuyển dụng 2026" in [c.value for row in summary.iter_rows() for c in row]

    # one unit's plan: the annex lists that unit only
    unit = result.allocation.plan.loc[result.allocation.plan["hires"] > 0, "unit_name"].iloc[0]
    at.selectbox(key="w_doc_unit").select(unit).run()
    plan, _ = clicked(at, downloads, "dl_plan_docx")
    rows = [[c.text for c in r.cells] for r in docx.Document(io.BytesIO(plan)).tables[-1].rows]
    assert {r[1] for r in rows[2:-1] if r[0] not in ("I", "II", "III")} == {unit}

    # closed again, the fields are not drawn but what was typed is kept: the workbook still
    # carries the issuer, and the fields hold it when the expander opens again
    at.session_state["w_doc_open"] = False
    at.run()
    assert "w_doc_body" not in [t.key for t in at.text_input]
    workbook, _ = clicked(at, downloads, "dl_plan_xlsx")
    header = openpyxl.load_workbook(io.BytesIO(workbook)).worksheets[0].oddHeader.left.text
    assert "SỞ NỘI VỤ" in header
    at.session_state["w_doc_open"] = True
    at.run()
    assert at.text_input(key="w_doc_body").value == "Sở Nội vụ"
    assert at.selectbox(key="w_doc_unit").value == unit
    at.sidebar.radio(key="w_lang").set_value("en").run()  # still open, in English
    assert at.text_input(key="w_doc_body").value == "Sở Nội vụ"

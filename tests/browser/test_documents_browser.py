"""The documents of issue 16 downloaded in a real browser: type the issuing body on the Plan
page, download the recruitment plan (.docx) and the staffing report (.xlsx), open them with
python-docx and openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from test_app_browser import wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_plan_page_gives_the_documents(page, app_url, tmp_path):
    import docx
    import openpyxl

    page.goto(f"{app_url}/phuong-an")
    page.get_by_role("heading", name="Phương án tuyển dụng").wait_for()
    wait_idle(page)
    page.get_by_text("Văn bản để ký").click()
    for label, value in (("Cơ quan chủ quản", "UBND tỉnh Khánh Hòa"),
                         ("Cơ quan ban hành", "Sở Nội vụ"),
                         ("Tên phương án trên văn bản và tên tệp", "Phương án mẫu")):
        box = page.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Enter")
        wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải Kế hoạch tuyển dụng (.docx)").click()
    today = dt.date.today()
    assert info.value.suggested_filename == f"ke_hoach_tuyen_dung_phuong_an_mau_{today}.docx"
    path = tmp_path / "kh.docx"
    info.value.save_as(path)
    document = docx.Document(io.BytesIO(path.read_bytes()))
    heading = document.tables[0].rows[0].cells[0].text
    assert "UBND TỈNH KHÁNH HÒA" in heading and "SỞ NỘI VỤ" in heading
    assert document.tables[-1].rows[-1].cells[1].text == "Tổng cộng"

    with page.expect_download() as info:
        page.get_by_role("button", name="Tải báo cáo biên chế (.xlsx)").click()
    path = tmp_path / "bc.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    assert book.sheetnames == ["Biểu 1 - Theo loại", "Biểu 2 - Theo nhóm VTVL"]
    assert book.worksheets[0]["A2"].value == "SỞ NỘI VỤ"

    # the allocation workbook is named after the plan and the day
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bảng tính Excel").click()
    assert info.value.suggested_filename == f"phuong_an_mau_{today}.xlsx"

"""A 5 KB workbook with one space in cell XFD1048576, uploaded to a running server in a real
browser (issue 17): the reader used to allocate the whole sheet (549 GB), the server process
aborted and every other officer saw "Connection error". Now the upload is refused with the
validation report, the server answers, and another officer's session, open meanwhile, goes on
working.
"""

from __future__ import annotations

import io
import re
import urllib.request

import openpyxl
import pytest
from test_app_browser import go, metric, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIEWPORT = {"width": 1366, "height": 768}
HEADER = ["Tên đơn vị", "Vị trí việc làm", "Biên chế được giao", "Số có mặt", "Hệ số lương"]


def stray_cell_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 1"
    ws.append(HEADER)
    ws.append(["Sở Nội vụ", "Chuyên viên", 12, 10, 2.34])
    ws["XFD1048576"] = " "
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def healthy(app_url: str) -> bool:
    with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=10) as r:
        return r.status == 200


def test_a_stray_cell_upload_is_refused_and_the_server_and_other_sessions_stay_up(
        browser, app_url):
    data = stray_cell_workbook()
    assert len(data) < 10_000
    other_ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    uploader_ctx = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    try:
        other = other_ctx.new_page()
        other.set_default_timeout(60_000)
        other.goto(app_url)
        other.get_by_role("heading", name="Thiếu hụt biên chế").wait_for()
        wait_idle(other)
        quota_before = metric(other, "Biên chế được giao")

        page = uploader_ctx.new_page()
        page.set_default_timeout(60_000)
        page.goto(app_url)
        wait_idle(page)
        go(page, "Dữ liệu")
        page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
            files=[{"name": "mot_o_xa.xlsx", "buffer": data,
                    "mimeType": "application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet"}])
        page.get_by_text("mot_o_xa.xlsx").first.wait_for()
        wait_idle(page)
        page.get_by_role("button", name="Nạp dữ liệu").click()
        page.get_by_text(re.compile(r"Chưa nạp được dữ liệu: có 1 lỗi")).wait_for()
        wait_idle(page)

        assert healthy(app_url)
        # the officer who uploaded can go on: the sample is still in use
        go(page, "Thiếu hụt")
        assert metric(page, "Biên chế được giao") == quota_before
        # and so can the other officer, whose session was open all along
        other.reload()
        other.get_by_role("heading", name="Thiếu hụt biên chế").wait_for()
        wait_idle(other)
        assert metric(other, "Biên chế được giao") == quota_before
        assert other.get_by_text("Connection error").count() == 0
        assert healthy(app_url)
    finally:
        other_ctx.close()
        uploader_ctx.close()

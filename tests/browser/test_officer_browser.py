"""The app as an HR officer uses it (issue 13), in a real browser (Chromium, Playwright).

- typing "2,5" in a budget field in tỷ đồng gives 2,5 tỷ đ in the plan's budget line;
- an impossible requirement: explained, no "parameters changed" banner, the older plan kept
  and labelled, its downloads named so; "Use the needed budget" solves;
- upload, solve, reload (F5): the same data, parameters and plan are back;
- no clipped text on any page at 1366×768 and 800×900 (tests/browser/overflow.js).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_app_browser import go, metric, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OVERFLOW_JS = (Path(__file__).with_name("overflow.js")).read_text(encoding="utf-8")
BUDGET = "Ngân sách nhà nước (tỷ đồng/năm)"
COMBINED = ("Tên đơn vị,Vị trí việc làm,Biên chế được giao,Số có mặt,Hệ số lương\n"
            "Sở Nội vụ,Chuyên viên,10,8,\"2,34\"\nTrường A,Giáo viên,20,15,\"2,34\"\n")


def open_plan(page, url: str) -> None:
    page.goto(f"{url}/phuong-an")
    page.get_by_role("heading", name="Phương án tuyển dụng").wait_for()
    page.locator("[data-testid='stMetric']").first.wait_for()
    wait_idle(page)


def type_into(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Enter")
    wait_idle(page)


def test_a_budget_typed_with_a_decimal_comma(page, app_url):
    open_plan(page, app_url)
    type_into(page, BUDGET, "2,5")
    page.get_by_text("= 2,5 tỷ đ (2.500.000.000 đ)").wait_for()  # what the field understood
    page.get_by_role("button", name="Giải", exact=True).click()
    page.get_by_text(re.compile(r"Ngân sách nhà nước: dùng .* trên 2,5 tỷ đ")).wait_for()
    wait_idle(page)
    # an ambiguous entry is an error under the field, and Solve waits for it to be fixed
    type_into(page, BUDGET, "1.500")
    page.get_by_test_id("stAlertContentError").get_by_text(
        re.compile(r"“1\.500” có hai cách hiểu")).wait_for()
    assert page.get_by_role("button", name="Giải", exact=True).is_disabled()


def test_an_impossible_requirement_end_to_end(page, app_url):
    open_plan(page, app_url)
    good = metric(page, "Tuyển dụng")
    type_into(page, "Lấp đầy tối thiểu mỗi đơn vị (%)", "50")
    type_into(page, BUDGET, "5")
    page.get_by_role("button", name="Giải", exact=True).click()
    page.get_by_text("Chưa thể đáp ứng yêu cầu với các tham số này").wait_for()
    wait_idle(page)
    assert page.get_by_text("Tham số đã thay đổi").count() == 0  # no banner after a solve
    page.get_by_text(re.compile(r"Phương án bên dưới là của")).first.wait_for()
    assert metric(page, "Tuyển dụng") == good  # the earlier plan, labelled
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"Tải bảng tính Excel — phương án trước đó"))\
            .click()
    assert info.value.suggested_filename == "phuong_an_truoc_do.xlsx"
    page.get_by_role("button", name="Dùng mức kinh phí cần thiết").click()
    page.get_by_text("Chưa thể đáp ứng yêu cầu với các tham số này").wait_for(state="hidden")
    wait_idle(page)
    assert metric(page, "Lời giải") == "Tối ưu"  # solved at once with the budget it needed
    assert page.get_by_text(re.compile(r"Phương án bên dưới là của")).count() == 0
    needed = page.get_by_label(BUDGET, exact=True).input_value()
    page.get_by_text(re.compile(rf"dùng .* trên {re.escape(needed)} tỷ đ")).wait_for()


def test_work_survives_a_reload(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    go(page, "Dữ liệu")
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        files=[{"name": "bien_che_cua_Lan.csv", "buffer": COMBINED.encode("utf-8"),
                "mimeType": "text/csv"}])
    page.get_by_text("bien_che_cua_Lan.csv").first.wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Nạp dữ liệu").click()
    page.get_by_text(re.compile(r"Đã nạp bien_che_cua_Lan\.csv")).wait_for()
    go(page, "Phương án")
    type_into(page, BUDGET, "0,3")
    page.get_by_role("button", name="Giải", exact=True).click()
    page.get_by_text(re.compile(r"dùng .* trên 300 triệu đ")).wait_for()
    wait_idle(page)
    hires, address = metric(page, "Tuyển dụng"), page.url
    assert "ban_nhap=" in address

    page.reload()  # F5
    page.get_by_text(re.compile(r"Đã khôi phục công việc đang làm")).wait_for()
    page.locator("[data-testid='stMetric']").first.wait_for()
    wait_idle(page)
    assert page.url == address
    assert page.get_by_label(BUDGET, exact=True).input_value() == "0,3"
    assert metric(page, "Tuyển dụng") == hires
    page.get_by_text(re.compile(r"dùng .* trên 300 triệu đ")).wait_for()
    assert page.locator("[data-testid='stSidebar']").get_by_text("bien_che_cua_Lan.csv").count()


PAGES = [("", "[data-testid='stVegaLiteChart'] svg.marks"),
         ("du-lieu", "[data-testid='stFileUploader']"),
         ("phuong-an", "[data-testid='stVegaLiteChart'] svg.marks"),
         ("phuong-an-da-luu", "[data-testid='stTextInput']")]


@pytest.mark.parametrize("size", [(1366, 768), (800, 900)], ids=["1366x768", "800x900"])
def test_no_clipped_text_on_any_page(browser, app_url, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  locale="vi-VN")
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        found = {}
        for path, ready in PAGES:
            page.goto(f"{app_url}/{path}")
            page.locator(ready).first.wait_for()
            page.locator("[data-testid='stSkeleton']").first.wait_for(state="detached")
            wait_idle(page)
            page.wait_for_timeout(1000)  # charts finish their layout
            found[path or "thieu-hut"] = page.evaluate(OVERFLOW_JS)
        assert found == {p or "thieu-hut": [] for p, _ in PAGES}
    finally:
        context.close()


@pytest.fixture(scope="module")
def compared_app(tmp_path_factory):
    """An app whose store holds two solved scenarios of the sample (budgets 60 and 40 tỷ)."""
    from conftest import start_app, stop_app

    from planner.api import solve as solve_scenario
    from planner.domain.scenario import Scenario
    from planner.io.inputs import load_inputs
    from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO
    from planner.store import ScenarioStore

    folder = tmp_path_factory.mktemp("compare")
    url = f"sqlite:///{folder / 'scenarios.db'}"
    inputs = load_inputs(*SAMPLE_FILES.values())
    sample = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    lower = sample.with_changes(budgets={**sample.budgets, "state_budget": 40e9})
    store = ScenarioStore(url)
    hires = []
    for name, sc in (("Mẫu", sample), ("Ngân sách 40 tỷ", lower)):
        allocation = solve_scenario(inputs, sc)
        store.save(name, sc, allocation=allocation, inputs=inputs)
        hires.append(allocation.plan.groupby("unit_name")["hires"].sum())
    store.close()
    # the units whose hires differ most (by definition: |B − A| per unit, largest first)
    diff = (hires[1] - hires[0]).abs()
    diff = diff[diff > 0].reset_index().sort_values(["hires", "unit_name"],
                                                     ascending=[False, True])
    app, proc = start_app(folder / "streamlit.log", env={"PLANNER_DATABASE_URL": url})
    yield app, list(diff["unit_name"].head(15))
    stop_app(proc)


@pytest.mark.parametrize("size", [(1366, 768), (800, 900)], ids=["1366x768", "800x900"])
def test_the_comparison_reads_right_and_nothing_is_clipped(browser, compared_app, size):
    app_url, top_units = compared_app
    context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                  locale="vi-VN")
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{app_url}/phuong-an-da-luu")
        page.get_by_role("heading", name="Phương án đã lưu").wait_for()
        wait_idle(page)
        page.get_by_role("tab", name="So sánh").click()
        for name in ("Mẫu", "Ngân sách 40 tỷ"):
            page.get_by_role("combobox", name="Chọn hai hoặc ba phương án để so sánh").click()
            page.get_by_role("option", name=re.compile(re.escape(name) + " · #")).click()
            wait_idle(page)
        page.keyboard.press("Escape")
        chart = page.locator("[data-testid='stVegaLiteChart']").filter(
            has_text="Chênh lệch số tuyển theo đơn vị").first
        chart.scroll_into_view_if_needed()
        chart.locator("svg.marks").first.wait_for()
        wait_idle(page)
        page.wait_for_timeout(1000)
        svg = chart.locator("svg.marks").first.inner_html()
        assert "đơn vị khác nhiều nhất" in svg
        labels = chart.locator("svg.marks .role-axis-label text").all_text_contents()
        assert set(top_units) <= set(labels), (top_units, labels)  # whole names, not cut
        assert page.get_by_text(re.compile(r"điểm %")).count()  # fill rates in points
        assert page.evaluate(OVERFLOW_JS) == []
    finally:
        context.close()

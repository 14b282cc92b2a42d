"""Streamlit's own words in Vietnamese (issue 13, item 7), in a real browser (Chromium).

Every page is opened in Vietnamese, with what an officer does on it: the toolbars of a table
and a chart hovered button by button (their tooltips), a multiselect opened ("Select all"), a
file chosen in the uploader, a mistyped address and the default page's own name. The text
seen on the page, the tooltips, the placeholders and what a screen reader says (aria-label,
title) must hold none of Streamlit's English strings listed below; they are Streamlit 1.67's,
read from its front-end bundle, and kept here independently of the script that translates
them (planner/ui/streamlit_vi.js), so a string that script misses, or a Streamlit upgrade that
rewords one, fails here.

ALLOWED lists what truly cannot be changed, each with the Vietnamese guidance beside it; it is
empty now: the one address that still gets Streamlit's own "Page not found" box (the default
page's internal name, "/trang-dau", which no link uses) shows it in Vietnamese too.
"""

from __future__ import annotations

import re

import pytest
from test_app_browser import wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Streamlit's English, matched as a whole text (short words) or anywhere (sentences).
WHOLE = ["Download as CSV", "Search", "Search...", "Fullscreen", "Close fullscreen",
         "Exit fullscreen", "Show/hide columns", "Select all", "Clear all", "Selected values",
         "No results", "No data", "Choose an option", "Choose options", "Running...", "Stop",
         "Collapse sidebar", "Expand sidebar", "Sidebar", "App pages", "Skip to main content",
         "Main menu", "Print", "Settings", "About", "Upload", "Uploading...", "Browse files",
         "file upload", "Add row", "Delete row", "Show data", "Download as PNG",
         "Copy Vega-Lite spec", "Sort ascending", "Sort descending", "Pin column",
         "Unpin column", "Hide column", "Copy", "Copied", "Increment", "Decrement", "Close",
         "Dismiss", "Open", "Link to heading", "Connecting", "Please wait...", "Deploy"]
ANYWHERE = ["Drag and drop", "per file", "Limit 200MB", "Page not found",
            "does not seem to exist", "Help for ", "Remove ", "This app has encountered",
            "Ask Google", "Running the app"]

#: English that cannot be changed: {string: the Vietnamese guidance shown beside it}.
ALLOWED: dict[str, str] = {}

SEEN_JS = """() => {
  const out = [];
  const shown = (el, pseudo) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0
      && parseFloat(getComputedStyle(el, pseudo || null).fontSize) > 0;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement, text = t.nodeValue.trim();
    if (!text || !el || el.closest('script,style,[data-testid="stIconMaterial"]')) continue;
    if (shown(el)) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
    if (el.closest('svg.marks')) continue;  // Vega's own descriptions of chart marks
    for (const a of ['aria-label', 'title', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v && v.trim()) out.push(v.trim());
    }
  }
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of ['::before', '::after']) {
      const c = getComputedStyle(el, pseudo).content;
      if (c && c.startsWith('"') && c.length > 2 && shown(el, pseudo)) {
        out.push(c.slice(1, -1));
      }
    }
  }
  return out;
}"""


def english(texts: list[str]) -> list[str]:
    found = set()
    for text in texts:
        if text in WHOLE:
            found.add(text)
        found |= {s for s in ANYWHERE if s in text}
    return sorted(found - set(ALLOWED))


def seen(page) -> list[str]:
    return page.evaluate(SEEN_JS)


def open_at(page, url: str) -> None:
    page.goto(url)
    page.locator("[data-testid='stSidebarNav']").first.wait_for()
    page.locator("[data-testid='stSkeleton']").first.wait_for(state="detached")
    wait_idle(page)


def hover_toolbar(page, element_selector: str) -> list[str]:
    """Hover a table or chart, then each button of its toolbar: the tooltips seen."""
    out: list[str] = []
    element = page.locator(f"{element_selector} >> visible=true").first
    # to the middle of the window: scrolled only "into view", a table at the top of the page
    # has its toolbar (drawn above it) under Streamlit's fixed header, which takes the pointer
    element.evaluate("e => e.scrollIntoView({block: 'center'})")
    element.hover()
    container = element.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
    buttons = container.locator("[data-testid='stElementToolbar'] button")
    buttons.first.wait_for()
    for i in range(buttons.count()):
        buttons.nth(i).hover()
        page.wait_for_timeout(400)
        out += seen(page)
    return out


def test_no_streamlit_english_on_any_page(page, app_url):
    found: dict[str, list[str]] = {}

    open_at(page, app_url)  # Gaps: table and chart toolbars, a multiselect opened
    texts = seen(page)
    texts += hover_toolbar(page, "[data-testid='stDataFrame']")
    texts += hover_toolbar(page, "[data-testid='stVegaLiteChart']")
    page.locator("[data-testid='stMultiSelect'] >> visible=true").first.click()
    page.get_by_role("option").first.wait_for()
    # the list's "Select all" item is drawn a moment after its first option (a clean-clone
    # CI run read the page in between): wait for it in either language, then read
    page.get_by_text(re.compile(r"^(Chọn tất cả|Select all)$")).first.wait_for()
    texts += seen(page)
    assert "Chọn tất cả" in texts  # the multiselect's "Select all", now in Vietnamese
    page.keyboard.press("Escape")
    found["thieu-hut"] = english(texts)

    open_at(page, f"{app_url}/du-lieu")  # the uploader, empty and with a file chosen
    texts = seen(page)
    assert "Chọn tệp" in texts  # the button, and its line with the size and the file types:
    line = page.locator("[data-testid='stFileUploaderDropzoneInstructions']").first.inner_text()
    assert re.fullmatch(r"Kéo thả tệp vào đây · tối đa 50 MB mỗi tệp • CSV, .*XLSX.*",
                        line.strip()), line
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        files=[{"name": "bien_che.csv", "mimeType": "text/csv",
                "buffer": "Tên đơn vị,Vị trí việc làm,Biên chế được giao,Số có mặt\n"
                          "Sở Nội vụ,Chuyên viên,10,8\n".encode()}])
    page.get_by_text("bien_che.csv").first.wait_for()
    wait_idle(page)
    found["du-lieu"] = english(texts + seen(page))

    for path in ("phuong-an", "phuong-an-da-luu", "ke-hoach-nhieu-nam"):
        open_at(page, f"{app_url}/{path}")
        found[path] = english(seen(page))
    open_at(page, f"{app_url}/phuong-an")  # the editable table's toolbar
    page.get_by_text("Ưu tiên, giới hạn theo đơn vị, tệp phương án").click()
    wait_idle(page)
    found["phuong-an: bảng sửa được"] = english(
        hover_toolbar(page, "[data-testid='stDataFrame']"))

    # a mistyped address: the app's own page, in Vietnamese, links to every page
    open_at(page, f"{app_url}/phuong-an-cu")
    page.get_by_role("heading", name="Không có trang này").wait_for()
    page.get_by_text("Ứng dụng không có trang nào ở địa chỉ «/phuong-an-cu»").wait_for()
    assert page.locator("[data-testid='stMain'] [data-testid='stPageLink']").count() >= 4
    found["phuong-an-cu"] = english(seen(page))
    # the default page by its name opens it, the draft's id kept in the address
    open_at(page, f"{app_url}/thieu-hut")
    page.get_by_role("heading", name="Thiếu hụt biên chế").wait_for()
    assert re.search(r"/\?ban_nhap=", page.url)
    found["thieu-hut (tên)"] = english(seen(page))
    # the default page's internal name: Streamlit's own box, in Vietnamese
    open_at(page, f"{app_url}/trang-dau")
    page.get_by_text("Không có trang này").first.wait_for()
    found["trang-dau"] = english(seen(page))

    assert found == {k: [] for k in found}

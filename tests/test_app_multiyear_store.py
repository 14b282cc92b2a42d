"""AppTest (issue 15): an officer's own files on the multi-year page, and multi-year plans
saved, listed, reopened and compared in the app.

The officer uploads on the Data page a quota table with year columns ("Biên chế giao năm
2027", "… năm 2028") and a headcount table with departures per year ("Dự kiến nghỉ năm 2027",
"… năm 2028"), chooses the plain quota column as today's (the Data page asks: three columns
could be the quota), and plans 2026–2028 on the multi-year page with no budget limit.

Expected figures, worked out by hand from the rules (README "The multi-year plan"):
quota path per position: Chuyên viên 10, 9, 8; Văn thư 3, 3, 2; Công chức tư pháp 4, 4, 4
(sums 17, 16, 14). Departures: Chuyên viên 0, 1, 0; Văn thư 0, 0, 1; tư pháp 0, 0, 0 (sums
0, 1, 1). N0 (staff with no hiring) Chuyên viên 8, 7, 7 → room max(0, quota − N0) = 2, 2, 1;
Văn thư 3, 3, 2 → 0, 0, 0; tư pháp 2, 2, 2 → 2, 2, 2. Hires are never undone, so Chuyên viên
can keep only 1 (the 2028 room): X = 1, 1, 1; tư pháp X = 2, 2, 2. Hires per year 3, 0, 0; on
board at the year's end (N0 + X) 9 + 3 + 4 = 16, 8 + 3 + 4 = 15, 8 + 2 + 4 = 14.
"""

from __future__ import annotations

import pytest
from app_helpers import start, texts

from planner.store import ScenarioStore

pytestmark = pytest.mark.slow

PAGE = "planner/ui/multiyear_page.py"
SAVED = "planner/ui/scenarios_page.py"
CSV = "text/csv"
QUOTAS = (
    "Tên đơn vị,Vị trí việc làm,Loại cán bộ,Nguồn kinh phí,Hệ số lương,Biên chế được giao,"
    "Biên chế giao năm 2027,Biên chế giao năm 2028\n"
    "Sở Nội vụ,Chuyên viên,Công chức,NSNN,\"2,34\",10,9,8\n"
    "Sở Nội vụ,Văn thư,Công chức,NSNN,\"1,86\",3,3,2\n"
    "UBND xã Cam Lâm,Công chức tư pháp,Công chức,NSNN,\"2,34\",4,4,4\n")
HEADCOUNTS = (
    "Tên đơn vị,Vị trí việc làm,Số có mặt,Dự kiến nghỉ năm 2027,Dự kiến nghỉ năm 2028\n"
    "Sở Nội vụ,Chuyên viên,8,1,0\n"
    "Sở Nội vụ,Văn thư,3,0,1\n"
    "UBND xã Cam Lâm,Công chức tư pháp,2,0,0\n")


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'scenarios.db'}"
    monkeypatch.setenv("PLANNER_DATABASE_URL", url)
    return url


def uploaded():
    at = start()
    at.switch_page("planner/ui/data_page.py").run()
    at.radio(key="w_layout@vi").set_value("separate").run()
    at.file_uploader(key="w_quotas_file").set_value(("bien_che.csv", QUOTAS.encode(), CSV))
    at.file_uploader(key="w_headcounts_file").set_value(("co_mat.csv", HEADCOUNTS.encode(),
                                                         CSV))
    at.run()
    at.button(key="load").click().run()
    # three columns could be today's quota: the officer picks the plain one
    choice = at.selectbox(key="w_map.quotas.quota")
    assert "F · Biên chế được giao" in choice.options, choice.options
    choice.set_value("F · Biên chế được giao").run()
    at.button(key="reload").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Đã nạp bien_che.csv" in texts(at)
    return at


def planned(at, *, cut: float = 0.0):
    at.switch_page(PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    at.number_input(key="w_my_last").set_value(2028).run()
    at.text_input(key="w_my_budget.state_budget").set_value("").run()
    at.text_input(key="w_my_cut").set_value(f"{cut:g}").run()
    next(b for b in at.button if b.label == "Lập kế hoạch").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def by_year_table(at):
    return next(d.value for d in at.dataframe if "surplus_to_streamline" in d.value.columns)


def test_an_upload_s_year_columns_give_the_path_on_the_multiyear_page(store_url):
    at = uploaded()
    at.switch_page(PAGE).run()
    # the page says which year columns it read, and plans that path (no cut by default)
    assert "biên chế các năm 2027, 2028; số nghỉ các năm 2027, 2028" in texts(at)
    assert at.text_input(key="w_my_cut").value == "0"
    planned(at)
    assert {m.label: m.value for m in at.metric}["Số tuyển"] == "3"
    y = by_year_table(at)
    assert y["year"].tolist() == [2026, 2027, 2028]
    assert y["quota"].tolist() == [17, 16, 14]
    assert y["departures"].tolist() == [0, 1, 1]
    assert y["hires"].tolist() == [3, 0, 0]
    assert y["on_board_end"].tolist() == [16, 15, 14]


def test_save_list_reopen_and_compare_multiyear_plans_in_the_app(store_url):
    at = planned(uploaded())
    shown = at.session_state["multiyear_result"]
    at.text_input(key="w_my_save_name.0").input("Lộ trình đã tải")
    at.text_input(key="w_my_save_note.0").input("theo các cột năm")
    at.button(key="FormSubmitter:multiyear_save_form.0-Lưu").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Đã lưu phương án «Lộ trình đã tải»" in texts(at)
    # a second plan: a 20 % cut of the civil-service quota by 2028 instead of the path
    planned(at, cut=20.0)
    cut_plan = at.session_state["multiyear_result"]
    at.text_input(key="w_my_save_name.1").input("Cắt 20%")
    at.button(key="FormSubmitter:multiyear_save_form.1-Lưu").click().run()
    assert not at.exception, [e.message for e in at.exception]

    store = ScenarioStore(store_url)
    try:
        saved = store.get("Lộ trình đã tải")
        ids = store.multiyear_ids()
    finally:
        store.close()
    assert saved.is_multiyear and saved.info.note == "theo các cột năm"
    assert saved.multiyear_tables["my_plan"]["hires"].tolist() == shown.plan["hires"].tolist()
    assert saved.info.total_hires == 3
    assert [f.name for f in saved.input_files] == ["bien_che.csv", "co_mat.csv"]
    assert len(ids) == 2

    # the Saved scenarios page lists both as multi-year plans
    at.switch_page(SAVED).run()
    assert not at.exception, [e.message for e in at.exception]
    listed = next(d.value for d in at.dataframe if "Tên phương án" in d.value.columns)
    kinds = dict(zip(listed["Tên phương án"], listed["Lời giải"], strict=True))
    assert kinds["Lộ trình đã tải"].endswith("· Nhiều năm"), kinds
    assert kinds["Cắt 20%"].endswith("· Nhiều năm"), kinds

    # compare the two, year by year: B − A from the two plans on screen
    at.multiselect(key="w_store_compare").select(saved.id).select(
        next(i for i in ids if i != saved.id)).run()
    assert not at.exception, [e.message for e in at.exception]
    compared = next(d.value for d in at.dataframe if "Năm" in d.value.columns)
    hires_a = shown.plan.groupby("year")["hires"].sum().tolist()
    hires_b = cut_plan.plan.groupby("year")["hires"].sum().tolist()
    vac_a = shown.plan.groupby("year")["vacancies_end"].sum().tolist()
    vac_b = cut_plan.plan.groupby("year")["vacancies_end"].sum().tolist()
    diff_hires = [c for c in compared.columns if c.startswith("Số tuyển") and "−" in c]
    diff_vac = [c for c in compared.columns if c.startswith("Chưa sử dụng cuối năm")
                and "−" in c]
    assert compared[diff_hires[0]].tolist() == [b - a for a, b in zip(hires_a, hires_b,
                                                                      strict=True)]
    assert compared[diff_vac[0]].tolist() == [b - a for a, b in zip(vac_a, vac_b, strict=True)]

    # reopen the first on the multi-year page, as saved
    at.selectbox(key="w_store_pick").select(saved.id).run()
    at.button(key="store_reopen").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Đã mở lại kế hoạch nhiều năm «Lộ trình đã tải»" in texts(at)
    assert by_year_table(at)["quota"].tolist() == [17, 16, 14]
    assert {m.label: m.value for m in at.metric}["Số tuyển"] == "3"

"""AppTest: the Data page: uploads, the column-mapping step, the validation report, templates.

Files are uploaded through AppTest's own ``file_uploader`` support (Streamlit 1.67), i.e. the
same widget and code path an officer's browser uses.
"""

from __future__ import annotations

from app_helpers import metrics, open_page, start, texts

CSV_MIME = "text/csv"
COMBINED = (
    "Tên đơn vị,Vị trí việc làm,Biên chế được giao,Số có mặt,Hệ số lương\n"
    "Sở Nội vụ,Chuyên viên,10,8,\"2,34\"\n"
    "Trường A,Giáo viên,20,15,\"2,34\"\n"
)


def _upload(at, quotas: tuple[str, str], *, headcounts: tuple[str, str] | None = None):
    if headcounts is not None:
        at.radio(key="w_layout@vi").set_value("separate").run()
    at.file_uploader(key="w_quotas_file").set_value((quotas[0], quotas[1].encode(), CSV_MIME))
    if headcounts is not None:
        at.file_uploader(key="w_headcounts_file").set_value(
            (headcounts[0], headcounts[1].encode(), CSV_MIME))
    at.run()
    at.button(key="load").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_the_data_page_shows_the_sample_report_and_templates():
    at = open_page(start(), "data")
    assert at.header[0].value == "Dữ liệu"
    assert "tỉnh mẫu" in texts(at)
    report = [e for e in at.expander if e.label.startswith("Báo cáo kiểm tra dữ liệu")]
    assert report and "0 lỗi" in report[0].label
    labels = {b.label for b in at.get("download_button")}
    assert {"mau_chi_tieu_bien_che.xlsx", "mau_so_co_mat.csv", "mau_don_vi.xlsx"} <= labels
    assert at.button(key="load").disabled  # nothing uploaded yet


def test_uploading_one_combined_table_replaces_the_sample_everywhere():
    at = open_page(start(), "data")
    _upload(at, ("bien_che.csv", COMBINED))
    assert "Đã nạp bien_che.csv: 2 dòng" in texts(at)
    assert any("bien_che.csv" in m.value for m in at.sidebar.markdown)
    open_page(at, "gaps")
    shown = metrics(at)
    assert shown["Biên chế được giao"] == "30"
    assert shown["Biên chế còn thiếu"] == "7"  # (10 − 8) + (20 − 15)
    # back to the sample
    open_page(at, "data")
    at.button(key="back_to_sample").click().run()
    open_page(at, "gaps")
    assert metrics(at)["Biên chế được giao"] == "9.272"


def test_two_tables_are_joined_on_unit_and_position():
    quotas = ("Tên đơn vị,Vị trí việc làm,Biên chế được giao,Hệ số lương\n"
              "Sở Nội vụ,Chuyên viên,10,\"2,34\"\nTrường A,Giáo viên,20,\"2,34\"\n")
    heads = "Tên đơn vị,Vị trí việc làm,Số có mặt\nSở Nội vụ,Chuyên viên,9\nTrường A,Giáo viên,11\n"
    at = open_page(start(), "data")
    _upload(at, ("chi_tieu.csv", quotas), headcounts=("co_mat.csv", heads))
    open_page(at, "gaps")
    assert metrics(at)["Số có mặt"] == "20"
    assert metrics(at)["Biên chế còn thiếu"] == "10"


def test_a_validation_error_is_shown_as_a_table_with_excel_row_and_column():
    at = open_page(start(), "data")
    _upload(at, ("loi.csv", COMBINED.replace("10,8", "10,abc")))
    assert at.error and "1 lỗi" in at.error[0].value
    report = at.dataframe[0].value
    assert len(report) == 1
    row = report.iloc[0]
    assert row["severity"] == "Lỗi"
    assert row["file"] == "loi.csv"
    assert row["row"] == 2  # the second line of the file, as Excel numbers it
    assert row["column"] == "D · Số có mặt"
    assert row["value"] == "abc"
    assert "không phải là số" in row["message"]
    assert any(b.label == "Tải báo cáo (CSV)" for b in at.get("download_button"))
    # the failed file did not replace the data in use
    assert any("Tỉnh mẫu" in m.value for m in at.sidebar.markdown)


def test_an_unrecognised_required_column_is_mapped_by_the_officer():
    at = open_page(start(), "data")
    _upload(at, ("dinh_bien.csv", COMBINED.replace("Biên chế được giao", "Định biên")))
    assert "Chọn cột chưa nhận ra" in [s.value for s in at.subheader]
    choice = at.selectbox(key="w_map.quotas.quota")
    assert "C · Định biên" in choice.options
    assert at.button(key="reload").disabled
    choice.set_value("C · Định biên").run()
    at.button(key="reload").click().run()
    assert not at.exception
    assert "Đã nạp dinh_bien.csv: 2 dòng" in texts(at)
    open_page(at, "gaps")
    assert metrics(at)["Biên chế được giao"] == "30"


def test_report_and_messages_follow_the_english_switch():
    at = start()
    at.sidebar.radio(key="w_lang").set_value("en").run()
    open_page(at, "data")
    _upload(at, ("err.csv", COMBINED.replace("10,8", "10,-3")))
    assert at.error and "1 errors" in at.error[0].value
    report = at.dataframe[0].value
    assert report.iloc[0]["severity"] == "Error"
    assert "negative" in report.iloc[0]["message"]


def test_the_same_file_read_with_another_mapping_is_other_data():
    """Caches key on how a file was read, not only on its bytes."""
    two_counts = ("Tên đơn vị,Vị trí việc làm,Định biên,Số có mặt,Hệ số lương,Định biên mới\n"
                  "Sở Nội vụ,Chuyên viên,10,8,\"2,34\",30\n"
                  "Trường A,Giáo viên,20,15,\"2,34\",40\n")
    at = open_page(start(), "data")
    for header, quota in (("C · Định biên", "30"), ("F · Định biên mới", "70")):
        _upload(at, ("hai_cot.csv", two_counts))
        at.selectbox(key="w_map.quotas.quota").set_value(header).run()
        at.button(key="reload").click().run()
        assert not at.exception
        open_page(at, "gaps")
        assert metrics(at)["Biên chế được giao"] == quota
        open_page(at, "data")

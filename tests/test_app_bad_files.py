"""AppTest: a wrong file uploaded in the app says so in the officer's words (issue 13, item 7).

Scenario files (.toml) on the Plan page: a value of the wrong kind, a syntax error, a table
where entries are expected, a funding source the data does not have, a workbook renamed .toml,
a file not saved as UTF-8, a data table uploaded as a scenario. Data files on the Data page:
binary content, a scenario file, a Word document, an empty file. Each message names the file
(and the key, for a scenario), says what is expected, and carries no internal name ("quotas",
"None", "--map"), no Python or TOML-reader English, and the parameters stay as they were.
"""

from __future__ import annotations

import io
import re

import pytest
from app_helpers import open_page, start

from planner.i18n import t

#: Words that must never reach an officer: internal ids, command-line options, Python's and the
#: TOML reader's English.
LEAKS = re.compile(r"\bNone\b|\bnan\b|\bquotas\b|\bheadcounts\b|--[a-z]|codec|Traceback|"
                   r"\bdict\b|\bstr\b|\blist\b|Invalid|Expected|at line|end of document|"
                   r"decode|position \d|byte 0x|Error\b")


def _office_file(kind: str) -> bytes:
    buf = io.BytesIO()
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.active["A1"] = "Tên đơn vị"
        book.save(buf)
    else:
        from docx import Document

        Document().save(buf)
    return buf.getvalue()


SOURCE_WORDS = t("vocab.source.state_budget", "vi")  # "Ngân sách nhà nước"

SCENARIO_CASES = {
    # file name: (content, what the message must say, by construction of the file)
    "gia_tri_sai.toml": (b"[budgets]\nstate_budget = 'abc'\n",
                         ["«budgets.state_budget»", SOURCE_WORDS, "«abc»", "phải là một số"]),
    "muc_tieu.toml": (b"objective = 'cheapest'\n",
                      ["«objective»", "Mục tiêu", "«cheapest»", "priority, fair, min_cost"]),
    "ty_le.toml": (b"min_fill = 2\n", ["«min_fill»", "từ 0 đến 1", "nhận được 2"]),
    "cu_phap.toml": (b"min_fill = 0.5\nobjective = \n", ["sai cú pháp ở dòng 2"]),
    "do_dang.toml": (b"min_fill = [0.5,\n", ["kết thúc khi một giá trị còn dở"]),
    "bang_don_vi.toml": (b"[units.X]\nmax_hires = 1\n",
                         ["«units»", "[[units]]", "một bảng [units]"]),
    "nguon_la.toml": (b"[budgets]\nngan_sach_xa = 5e9\n",
                      ["«budgets.ngan_sach_xa»", "không dòng nào dùng nguồn kinh phí",
                       SOURCE_WORDS]),
    "so_lieu.toml": ("Tên đơn vị,Biên chế\nSở A,10\n".encode(), ["sai cú pháp ở dòng 1"]),
    "bang_tinh.toml": (_office_file("xlsx"), ["bảng tính Excel", "trang Dữ liệu"]),
    "ma_cu.toml": ("min_fill = 0.5 # tỷ lệ\n".encode("utf-16"),
                   ["không phải tệp chữ"]),  # UTF-16 holds NUL bytes
    "tcvn3.toml": (b"min_fill = 0.5 # t\xfb l\xe6\n", ["UTF-8", "byte thứ 19"]),
}


@pytest.fixture(scope="module")
def plan_app():
    return open_page(start(), "plan")


@pytest.mark.parametrize("name", list(SCENARIO_CASES))
def test_a_wrong_scenario_file_names_the_file_and_key_in_vietnamese(plan_app, name):
    at = plan_app
    content, says = SCENARIO_CASES[name]
    before = at.text_input(key="w_budget.state_budget").value
    at.file_uploader(key="w_scenario_file").set_value((name, content, "application/toml"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = [w.value for w in at.warning if name in w.value]
    assert len(shown) == 1, [w.value for w in at.warning]
    message = shown[0]
    assert message.startswith(f"Không mở được tệp phương án «{name}»: ")
    for words in says:
        assert words in message, (words, message)
    assert not LEAKS.search(message), message
    assert at.text_input(key="w_budget.state_budget").value == before  # nothing taken from it


def test_the_message_follows_the_english_switch():
    at = open_page(start(), "plan")
    at.sidebar.radio(key="w_lang").set_value("en").run()
    at.file_uploader(key="w_scenario_file").set_value(
        ("bad.toml", b"[budgets]\nstate_budget = 'abc'\n", "application/toml"))
    at.run()
    message = next(w.value for w in at.warning if "bad.toml" in w.value)
    assert message.startswith(
        "Cannot open the scenario file “bad.toml”: key “budgets.state_budget”")
    assert t("vocab.source.state_budget", "en") in message and "“abc”" in message
    assert not re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", message)


DATA_CASES = {
    "nhi_phan.csv": (bytes(range(256)) * 8, "nhị phân"),
    "phuong_an.csv": (b"objective = 'priority'\n[budgets]\nstate_budget = 5e9\n",
                      "một cột"),
    "cong_van.xlsx": (_office_file("docx"), None),
    "trong.csv": (b"", None),
}


@pytest.mark.parametrize("name", list(DATA_CASES))
def test_a_wrong_data_file_is_reported_in_vietnamese_with_its_name(name):
    content, says = DATA_CASES[name]
    at = open_page(start(), "data")
    at.file_uploader(key="w_quotas_file").set_value((name, content, "text/csv"))
    at.run()
    at.button(key="load").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.error and "Chưa nạp được dữ liệu" in at.error[0].value
    report = at.dataframe[0].value
    errors = report[report["severity"] == "Lỗi"]
    assert len(errors) >= 1
    assert set(errors["file"]) == {name}
    for message in errors["message"]:
        assert not LEAKS.search(message), message
        assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", message)
    if says:
        assert any(says in m for m in errors["message"]), errors["message"].tolist()
    # the failed file did not replace the data in use
    assert any("Tỉnh mẫu" in m.value for m in at.sidebar.markdown)

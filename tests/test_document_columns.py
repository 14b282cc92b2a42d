"""The optional data columns the documents need (issue 16 item 3): position group (Decree
62/2020), qualification, field of study, recruitment form, ethnic-minority target, read under
the headers offices type, turned into codes, checked, and carried into the recruitment plan."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from planner.api import solve as solve_scenario
from planner.domain.columns import position_group_key, recruitment_form_key
from planner.domain.problems import InputError
from planner.domain.scenario import Scenario
from planner.export.recruitment_plan import recruitment_plan_docx
from planner.io.inputs import load_inputs

HEADER = ("STT,Tên đơn vị,Vị trí việc làm,Loại,Nhóm vị trí việc làm,Trình độ,Chuyên ngành,"
          "Hình thức tuyển dụng,Tỷ lệ người DTTS,Biên chế được giao,Số có mặt\n")
ROWS = [
    '1,UBND huyện Khánh Sơn,Chuyên viên tổng hợp,Công chức,"Chuyên môn, nghiệp vụ chuyên '
    'ngành",Đại học,Luật,Thi tuyển,15%,5,3',
    '2,UBND huyện Khánh Sơn,Văn thư,Công chức,Chuyên môn dùng chung,Đại học,"Văn thư, lưu '
    'trữ",xét tuyển,15%,3,2',
    '3,Trường Tiểu học Sơn Bình,Giáo viên tiểu học,Viên chức,chuyên môn nghiệp vụ chuyên '
    'ngành,Đại học,Giáo dục tiểu học,Thi tuyển hoặc xét tuyển,"0,2",10,7',
    '4,Trường Tiểu học Sơn Bình,Hiệu trưởng,Viên chức,"Lãnh đạo, quản lý",Đại học,Quản lý '
    'giáo dục,,,1,1',
    '5,Trường Tiểu học Sơn Bình,Bảo vệ,Hợp đồng,"Hỗ trợ, phục vụ",,,,,2,1',
]


def write(tmp_path, rows, name="chi_tieu.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("typed", "code"), [
    # the four groups as Decree 62/2020 (civil servants) and 106/2020 (public employees) name
    # them, and as offices shorten them
    ("Lãnh đạo, quản lý", "leadership"), ("lãnh đạo, quản lý, điều hành", "leadership"),
    ("Chuyên môn, nghiệp vụ chuyên ngành", "specialist"),
    ("Chức danh nghề nghiệp chuyên ngành", "specialist"), ("CHUYÊN MÔN DÙNG CHUNG", "shared"),
    ("Hỗ trợ, phục vụ", "support"), ("ho tro phuc vu", "support"), ("", ""),
    ("Nhóm khác", "Nhóm khác"), ("Lãnh đạo tạm thời", "Lãnh đạo tạm thời"),
])
def test_position_groups_as_typed(typed, code):
    assert position_group_key(typed) == code


@pytest.mark.parametrize(("typed", "code"), [
    ("Thi tuyển", "exam"), ("thi tuyen", "exam"), ("Xét tuyển", "selection"),
    ("Thi tuyển hoặc xét tuyển", "exam_or_selection"), ("Thi tuyển/Xét tuyển", "exam_or_selection"),
    ("Ký hợp đồng", "contract"), ("", ""), ("phỏng vấn", "phỏng vấn"),
    ("Thi tuyển hoặc phỏng vấn", "Thi tuyển hoặc phỏng vấn"),  # not guessed: reported
])
def test_recruitment_forms_as_typed(typed, code):
    assert recruitment_form_key(typed) == code


def test_the_columns_are_read_under_their_vietnamese_headers(tmp_path):
    positions = load_inputs(write(tmp_path, ROWS)).positions.set_index("position_name")
    assert positions["position_group"].to_dict() == {
        "Chuyên viên tổng hợp": "specialist", "Văn thư": "shared",
        "Giáo viên tiểu học": "specialist", "Hiệu trưởng": "leadership", "Bảo vệ": "support"}
    assert positions.loc["Văn thư", "field"] == "Văn thư, lưu trữ"
    assert positions.loc["Giáo viên tiểu học", "qualification"] == "Đại học"
    assert positions["recruitment_form"].to_dict()["Giáo viên tiểu học"] == "exam_or_selection"
    assert positions.loc["Chuyên viên tổng hợp", "ethnic_minority_target"] == pytest.approx(0.15)
    assert positions.loc["Giáo viên tiểu học", "ethnic_minority_target"] == pytest.approx(0.2)


@pytest.mark.parametrize(("row", "column", "value", "words"), [
    (1, "E", "Nhóm khác", "Nhóm vị trí việc làm «Nhóm khác» không hợp lệ"),
    (1, "H", "phỏng vấn", "Hình thức tuyển dụng «phỏng vấn» không hợp lệ"),
    (0, "I", "150%", "«150%»"),
])
def test_a_value_that_means_nothing_is_named_by_row_and_column(tmp_path, row, column, value,
                                                               words):
    rows = list(ROWS)
    cells = rows[row].split(",")
    rows[row] = rows[row].replace({"E": "Chuyên môn dùng chung", "H": "xét tuyển",
                                   "I": "15%"}[column], value, 1)
    assert rows[row] != ",".join(cells)
    with pytest.raises(InputError) as err:
        load_inputs(write(tmp_path, rows))
    message = err.value.render("vi")
    assert f"dòng {row + 2}, cột {column}" in message and words in message, message
    assert "Traceback" not in message


def test_the_recruitment_plan_takes_them_from_the_data(tmp_path):
    inputs = load_inputs(write(tmp_path, ROWS))
    allocation = solve_scenario(inputs, Scenario(), explain=False)
    plan = allocation.plan
    assert int(plan["hires"].sum()) == int(plan["vacancies"].sum()) > 0  # no budget: all filled
    document = docx.Document(io.BytesIO(recruitment_plan_docx(
        allocation, inputs=inputs, created=dt.date(2026, 3, 5), unit="UBND huyện Khánh Sơn")))
    rows = [[c.text for c in r.cells] for r in document.tables[-1].rows]
    lines = {r[2]: r for r in rows[2:-1] if r[0] not in ("I", "II", "III")}
    assert lines["Chuyên viên tổng hợp"][7:10] == ["Đại học", "Luật", "Thi tuyển"]
    assert lines["Văn thư"][7:10] == ["Đại học", "Văn thư, lưu trữ", "Xét tuyển"]
    assert "Tỷ lệ người DTTS: 15%" in lines["Văn thư"][10]
    body = "\n".join(p.text for p in document.paragraphs)
    # one share for the whole selection: stated in the body (Decree 115/2020 art. 4 (c))
    assert "Tỷ lệ người dân tộc thiểu số được tuyển dụng: 15%." in body
    assert "Hình thức: Thi tuyển, Xét tuyển" in body

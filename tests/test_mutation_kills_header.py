"""Headers as offices type them, worked by hand from planner/io/header.py's rules (issue 18).

Written for the mutants of planner/io/header.py that the reader's tests let through
(`make mutate MODULE=planner/io/header.py`, 30 Nov 2026): the spreading of a parent typed once
over its sub-columns (a CSV, or a workbook whose merges are lost), the rule that a wide table
needs at least two job positions under one parent, the sub-columns of a table that has its own
job position column, relative years ("năm N+1") and the header score. Each expected value is
worked from the rule stated in the module's docstring or README's data contract.
"""

from __future__ import annotations

from helpers_inputs import load, rows_of, xlsx

from planner.domain.columns import HEADCOUNT, HEADCOUNTS, QUOTA, QUOTAS, UNIT_NAME, TableSpec
from planner.io.header import (
    IGNORED,
    HeaderColumn,
    classify,
    classify_header,
    header_paths,
    match_text,
    score,
    year_of,
)

# --- a parent typed once over its sub-columns ---------------------------------------------


def test_a_csv_parent_typed_once_spreads_over_the_sub_columns_below_it():
    rows = [
        ["", "Biên chế được giao", "", "Biên chế có mặt", "", "Ghi chú"],
        ["Đơn vị", "Công chức", "Viên chức", "Công chức", "Viên chức", "Ghi chú"],
    ]
    assert header_paths(rows, 0, 2, 6) == [
        ("Đơn vị",),
        ("Biên chế được giao", "Công chức"), ("Biên chế được giao", "Viên chức"),
        ("Biên chế có mặt", "Công chức"), ("Biên chế có mặt", "Viên chức"),
        ("Ghi chú",),  # the same text on both rows is one level
    ]


def test_the_parent_in_the_first_column_spreads_to_the_second():
    rows = [["Biên chế có mặt", "", ""], ["Tổng số", "Công chức", "Viên chức"]]
    assert header_paths(rows, 0, 2, 3) == [
        ("Biên chế có mặt", "Tổng số"), ("Biên chế có mặt", "Công chức"),
        ("Biên chế có mặt", "Viên chức")]


def test_a_parent_spreads_only_over_filled_sub_columns_next_to_it():
    # "Ghi chú" has nothing under it; "Trong đó" is under "Có mặt", typed once
    rows = [["Có mặt", "", "Ghi chú"], ["Tổng số", "Trong đó", ""]]
    assert header_paths(rows, 0, 2, 3) == [
        ("Có mặt", "Tổng số"), ("Có mặt", "Trong đó"), ("Ghi chú",)]


def test_a_parent_without_sub_columns_of_its_own_is_not_spread():
    # "Tên đơn vị" is a whole column (nothing under it): "Nam", "Nữ" are not its parts
    rows = [["Tên đơn vị", "", ""], ["", "Nam", "Nữ"]]
    assert header_paths(rows, 0, 2, 3) == [("Tên đơn vị",), ("Nam",), ("Nữ",)]


def test_three_rows_spread_a_middle_level_only_under_the_same_grandparent():
    rows = [
        ["Biên chế có mặt", "", "Biên chế được giao"],
        ["Công chức", "", ""],
        ["Nam", "Nữ", "Tổng số"],
    ]
    # "Công chức" spreads to "Nữ" (same parent above), never across to "Biên chế được giao"
    assert header_paths(rows, 0, 3, 3) == [
        ("Biên chế có mặt", "Công chức", "Nam"), ("Biên chế có mặt", "Công chức", "Nữ"),
        ("Biên chế được giao", "Tổng số")]


def test_a_header_deeper_than_the_sheet_and_rows_shorter_than_the_table_read_as_blank():
    rows = [["Tên đơn vị", "Biên chế được giao"], ["STT"]]
    # three header rows asked of a two-row sheet; the second row has one cell of three
    assert header_paths(rows, 0, 3, 3) == [("Tên đơn vị", "STT"), ("Biên chế được giao",), ()]


# --- wide tables: job positions as columns ------------------------------------------------


def test_a_wide_table_keeps_two_or_more_positions_under_one_parent():
    rows = [
        ["STT", "Tên đơn vị", "Biên chế được giao năm 2026", "", ""],
        ["", "", "Tổng số", "Chuyên viên", "Kế toán"],
    ]
    cols = classify_header(rows, 0, 2, 5, QUOTAS)
    parent = "Biên chế được giao năm 2026"
    assert [(c.measure, c.part) for c in cols] == [
        ("row_number", None), ("unit_name", None), ("quota", "total"),
        ("quota", "pos:Chuyên viên"), ("quota", "pos:Kế toán")]
    assert [c.source for c in cols[2:]] == [parent] * 3
    assert [c.year for c in cols[2:]] == [2026] * 3


def test_a_lone_unknown_leaf_under_a_parent_is_a_sub_column_not_used():
    rows = [
        ["Tên đơn vị", "Biên chế tạm giao năm 2026", "", "Biên chế có mặt"],
        ["", "Tổng số", "Chuyên viên", "Văn thư"],
    ]
    cols = classify_header(rows, 0, 2, 4, QUOTAS)
    quota_parent, on_board = "Biên chế tạm giao năm 2026", "Biên chế có mặt"
    # one leaf under each parent: not a wide table, each leaf is a sub-column not used; the
    # parent's own total stays the total; every other field of the leaf is left as it was
    assert cols[1] == HeaderColumn(1, (quota_parent, "Tổng số"), "quota", 1, "total",
                                   quota_parent, 2026, True)
    assert cols[2] == HeaderColumn(2, (quota_parent, "Chuyên viên"), "quota", 1, "unused",
                                   quota_parent, 2026, True)
    assert cols[3] == HeaderColumn(3, (on_board, "Văn thư"), "headcount", 2, "unused",
                                   on_board, None, False)


def test_with_a_position_column_the_leaves_under_a_figure_are_not_positions():
    for position_header in ("Vị trí việc làm", "Mã vị trí"):
        rows = [
            ["Tên đơn vị", position_header, "Biên chế được giao", ""],
            ["", "", "Hành chính", "Sự nghiệp"],
        ]
        cols = classify_header(rows, 0, 2, 4, QUOTAS)
        parent = "Biên chế được giao"
        # the positions are rows here: "Hành chính" and "Sự nghiệp" split the quota otherwise
        assert cols[2] == HeaderColumn(2, (parent, "Hành chính"), "quota", 2, "unused",
                                       parent, None, False)
        assert cols[3] == HeaderColumn(3, (parent, "Sự nghiệp"), "quota", 2, "unused",
                                       parent, None, False)
        # the same leaves without a position column are the positions of a wide table
        wide = classify_header([r[:1] + r[2:] for r in rows], 0, 2, 3, QUOTAS)
        assert [c.part for c in wide[1:]] == ["pos:Hành chính", "pos:Sự nghiệp"]


# --- parents, years, the score ------------------------------------------------------------


def test_a_staff_type_under_two_parent_rows_takes_the_exact_name_they_form_together():
    # "Biên chế thực có mặt" is an exact name of the headcount; "Thực có mặt" alone only
    # begins with one ("Thực có"): the two rows read together decide
    col = classify(0, ("Biên chế", "Thực có mặt", "Công chức"), QUOTAS, False)
    assert (col.measure, col.strength, col.part) == ("headcount", 2, "civil_servant")


def test_a_total_under_a_parent_naming_nothing_names_nothing():
    col = classify(0, ("Nhóm A", "Tổng số"), QUOTAS, False)
    assert (col.measure, col.strength, col.part) == (None, 0, "total")


def test_relative_years_compare_among_themselves():
    # "năm N" is 10000, "năm N-1" 9999, "năm N+1" 10001 (header.year_of's docstring)
    assert year_of(("Biên chế năm N",)) == 10000
    assert year_of(("Biên chế năm N-1",)) == 9999
    assert year_of(("Biên chế", "Năm N+1")) == 10001
    assert year_of(("Năm N-1", "Năm N+2")) == 10002


def test_match_text_reads_a_table_it_has_not_seen_before():
    spec = TableSpec("header_mutation_probe", (UNIT_NAME, QUOTA, HEADCOUNT),
                     required=("quota",))
    assert match_text("Biên chế được giao", spec) == ("quota", 2)
    assert match_text("Số có mặt", spec) == ("headcount", 2)


def _col(measure: str | None, part: str | None) -> HeaderColumn:
    return HeaderColumn(0, ("x",), measure, 2, part, "x", None, False)


def test_the_score_counts_required_columns_first_then_distinct_figures():
    # score = 10 × (required columns present + one-of groups met) + distinct measures
    #         + distinct (measure, part) pairs; unused, ignored and unnamed columns count nothing
    unit, on_board = _col("unit_name", None), _col("headcount", None)
    unused, unnamed = _col("headcount", "unused"), _col(None, None)
    ignored = _col(IGNORED, None)
    # headcounts: headcount required, one of unit_name/unit_id
    assert score([unit, on_board], HEADCOUNTS) == 10 * (1 + 1) + 2 + 2
    assert score([on_board], HEADCOUNTS) == 10 * 1 + 1 + 1
    assert score([unit, on_board, unused, unnamed, ignored], HEADCOUNTS) == 24
    # quotas: unit_name and quota required; a headcount is a figure, not required
    assert score([unit, _col("quota", None), _col("quota", "civil_servant"), on_board],
                 QUOTAS) == 10 * 2 + 3 + 4


def test_a_mark_without_letters_under_a_figure_leaves_it_the_figure():
    # a "-" or "(*)" typed in the row below a merged header names nothing: the column is the
    # figure its parent names, whole; only "Trong đó", "Chia ra" … levels make it a part
    for mark in ("-", "(*)"):
        col = classify(0, ("Biên chế được giao", mark), QUOTAS, False)
        assert (col.measure, col.part) == ("quota", None)
    col = classify(0, ("Biên chế được giao", "Trong đó", "Nữ"), QUOTAS, False)
    assert (col.measure, col.part) == ("quota", "unused")


# --- staff-type sub-columns read into rows -----------------------------------------------


def test_staff_type_sub_columns_make_one_row_each_named_after_the_staff_type():
    # README, per-unit tables: one row per staff type, named "Toàn đơn vị (<staff type>)";
    # "HĐ 111" and "Hợp đồng khác" are both contracts, yet two rows, never added together
    rows = [["Tên đơn vị", "Biên chế được giao", None, None, "Số có mặt", None, None],
            [None, "Công chức", "HĐ 111", "Hợp đồng khác", "Công chức", "HĐ 111",
             "Hợp đồng khác"],
            ["Sở Nội vụ", 20, 3, 2, 18, 3, 1]]
    inputs = load(xlsx(rows, merges=["B1:D1", "E1:G1", "A1:A2"]))
    assert rows_of(inputs, "position_name", "staff_type", "quota", "headcount") == [
        ("Toàn đơn vị (công chức)", "civil_servant", 20, 18),
        ("Toàn đơn vị (hợp đồng NĐ 111)", "contract", 3, 3),
        ("Toàn đơn vị (hợp đồng khác)", "contract", 2, 1)]


def test_a_biên_chế_sub_column_beside_hợp_đồng_khác_is_its_own_row():
    rows = [["Tên đơn vị", "Biên chế được giao", None, "Số có mặt", None],
            [None, "Biên chế", "Hợp đồng khác", "Biên chế", "Hợp đồng khác"],
            ["Sở Nội vụ", 20, 2, 18, 1]]
    inputs = load(xlsx(rows, merges=["B1:C1", "D1:E1", "A1:A2"]))
    assert rows_of(inputs, "position_name", "quota", "headcount") == [
        ("Toàn đơn vị (biên chế)", 20, 18), ("Toàn đơn vị (hợp đồng khác)", 2, 1)]
    assert rows_of(inputs, "staff_type")[1] == ("contract",)


def test_a_leaf_under_an_on_board_parent_is_never_the_quota():
    # "Số lượng biên chế" alone names the quota, but under "Số có mặt" it is the headcount
    # (header.py's rules); under "Được giao" it stays the quota
    for parent in ("Số có mặt", "Hiện có", "Thực có"):
        col = classify(0, (parent, "Số lượng biên chế"), QUOTAS, False)
        assert col.measure == "headcount", parent
    assert classify(0, ("Được giao", "Số lượng biên chế"), QUOTAS, False).measure == "quota"

"""The retirement-age rules of Decree 135/2020 and the roster reader (issue 15).

Expected values are the Annex I table of Decree 135/2020 (the birth months retiring each year
and at which age), typed from the decree, and dates worked out by hand from the rule: men
60 y 3 m in 2021, +3 months a year to 62 y; women 55 y 4 m in 2021, +4 months a year to 60 y;
leaving at the end of the month the age is reached; birth year only → 1 January.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from planner.domain.problems import InputError
from planner.io.roster import FEMALE, MALE, read_roster, retirement_age_months, retirement_month
from planner.io.sources import SourceFile

# Annex I, men: (first birth month, last birth month, retirement year, age y, age m)
MEN = [((1961, 1), (1961, 9), 2021, 60, 3), ((1961, 10), (1962, 6), 2022, 60, 6),
       ((1962, 7), (1963, 3), 2023, 60, 9), ((1963, 4), (1963, 12), 2024, 61, 0),
       ((1964, 1), (1964, 9), 2025, 61, 3), ((1964, 10), (1965, 6), 2026, 61, 6),
       ((1965, 7), (1966, 3), 2027, 61, 9), ((1966, 4), (1966, 12), 2028, 62, 0)]
# Annex I, women (the first years and the last one)
WOMEN = [((1966, 1), (1966, 8), 2021, 55, 4), ((1966, 9), (1967, 4), 2022, 55, 8),
         ((1967, 5), (1967, 12), 2023, 56, 0), ((1968, 1), (1968, 8), 2024, 56, 4),
         ((1968, 9), (1969, 4), 2025, 56, 8), ((1969, 5), (1969, 12), 2026, 57, 0),
         ((1970, 1), (1970, 8), 2027, 57, 4), ((1975, 5), (1975, 12), 2035, 60, 0)]


def _plus(born, years, months):
    m = born[0] * 12 + born[1] - 1 + years * 12 + months
    return m // 12, m % 12 + 1


@pytest.mark.parametrize(("sex", "row"), [(MALE, r) for r in MEN] + [(FEMALE, r) for r in WOMEN])
def test_annex_cohorts_retire_in_their_year_at_their_age(sex, row):
    first, last, year, age_y, age_m = row
    for born in (first, last):
        expected = _plus(born, age_y, age_m)
        assert expected[0] == year  # the annex's own consistency: reached in that year
        assert retirement_month(sex, *born) == expected


def test_worked_examples():
    # a man born in January 1962: 60 y 6 m (2022 cohort), leaves at the end of July 2022
    assert retirement_month(MALE, 1962, 1) == (2022, 7)
    # a man born in October 1964: 61 y 6 m → April 2026
    assert retirement_month(MALE, 1964, 10) == (2026, 4)
    # a woman born in June 1969: 57 y → June 2026; born 1970 (year only → January): 57 y 4 m
    assert retirement_month(FEMALE, 1969, 6) == (2026, 6)
    assert retirement_month(FEMALE, 1970) == (2027, 5)
    # a man born in 1970: 62 years → January 2032
    assert retirement_month(MALE, 1970) == (2032, 1)


def test_ages_by_year():
    assert retirement_age_months(MALE, 2026) == 61 * 12 + 6  # DOMAIN.md: 61 y 6 m in 2026
    assert retirement_age_months(FEMALE, 2026) == 57 * 12
    assert retirement_age_months(MALE, 2028) == 62 * 12
    assert retirement_age_months(MALE, 2040) == 62 * 12
    assert retirement_age_months(FEMALE, 2034) == 59 * 12 + 8
    assert retirement_age_months(FEMALE, 2035) == 60 * 12
    assert retirement_age_months(FEMALE, 2050) == 60 * 12


POSITIONS = pd.DataFrame({"unit_id": ["S01", "S01", "S02"],
                          "unit_name": ["Sở Nội vụ", "Sở Nội vụ", "Sở Tư pháp"],
                          "position_id": ["S01-0", "S01-1", "S02-0"],
                          "position_name": ["Chuyên viên", "Văn thư", "Chuyên viên"]})

# personal data that must never leave the reader
SECRETS = ("Nguyễn Văn Bí Mật", "079185001234", "12/03/1964", "Trần Thị Riêng Tư",
           "001170009999")


def _roster_csv(rows: list[str], header="STT,Họ và tên,Số CCCD,Tên đơn vị,Vị trí việc làm,"
                "Giới tính,Ngày sinh,Dự kiến nghỉ") -> SourceFile:
    text = "\ufeffDANH SÁCH CÁN BỘ (tổng hợp)\n" + header + "\n" + "\n".join(rows) + "\n"
    return SourceFile("ho_so.csv", text.encode("utf-8"))


def test_counts_per_unit_position_year():
    src = _roster_csv([
        "1,Nguyễn Văn Bí Mật,079185001234,Sở Nội vụ,Chuyên viên,Nam,12/03/1964,",  # → 2025
        "2,Trần Thị Riêng Tư,001170009999,Sở Nội vụ,Chuyên viên,Nữ,1970,",  # → 05/2027
        "3,A,1,Sở Nội vụ,Văn thư,nữ,15/06/1969,",  # 57 y → 06/2026
        "4,B,2,Sở Tư pháp,Chuyên viên,Nam,1980-02-01,31/12/2028",  # planned → 2028
        "5,C,3,Sở Tư pháp,Chuyên viên,Nam,01/01/1990,",  # 62 y → 2052: after the plan
        "6,D,4,Sở Tư pháp,Chuyên viên,NAM,10/1964,",  # 61 y 6 m → 04/2026
    ])
    res = read_roster(src, years=range(2026, 2031), positions=POSITIONS)
    got = {(r.unit_id, r.position_id, r.year): r.departures for r in res.counts.itertuples()}
    # the man born 03/1964 retired in 12/2025 (61 y 3 m): overdue, counted in 2026
    assert got == {("S01", "S01-0", 2026): 1, ("S01", "S01-0", 2027): 1,
                   ("S01", "S01-1", 2026): 1, ("S02", "S02-0", 2028): 1,
                   ("S02", "S02-0", 2026): 1}
    assert res.people == 6 and res.overdue == 1
    assert list(res.counts.columns) == ["unit_id", "position_id", "year", "departures"]
    assert not any(s in res.counts.to_csv() for s in SECRETS)


def test_a_workbook_roster_with_date_cells_and_codes():
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã đơn vị", "Mã vị trí", "Họ và tên", "Giới tính", "Năm sinh"])
    ws.append(["S02", "S02-0", "Lê Văn X", "Nam", 1966])  # 1966 → January: 61 y 9 m → 10/2027
    ws.append(["S01", "S01-1", "Lê Thị Y", "Nữ", 1968.0])  # 56 y 4 m → 05/2024: overdue
    ws2 = wb.create_sheet("Ngày")
    ws2.append(["Mã đơn vị", "Mã vị trí", "Giới tính", "Ngày sinh"])
    ws2.append(["S01", "S01-0", "Nam", dt.datetime(1965, 6, 30)])  # 61 y 6 m → 12/2026
    buf = io.BytesIO()
    wb.save(buf)
    src = SourceFile("ho_so.xlsx", buf.getvalue())
    res = read_roster(src, years=range(2026, 2031), positions=POSITIONS)
    got = {(r.unit_id, r.position_id, r.year): r.departures for r in res.counts.itertuples()}
    assert got == {("S02", "S02-0", 2027): 1, ("S01", "S01-1", 2026): 1}
    res = read_roster(src, years=range(2026, 2031), positions=POSITIONS, sheet="Ngày")
    got = {(r.unit_id, r.position_id, r.year): r.departures for r in res.counts.itertuples()}
    assert got == {("S01", "S01-0", 2026): 1}


def test_bad_rows_are_named_without_their_personal_data():
    src = _roster_csv([
        "1,Nguyễn Văn Bí Mật,079185001234,Sở Nội vụ,Chuyên viên,Nam,31/02/1964,",
        "2,Trần Thị Riêng Tư,001170009999,Sở Nội vụ,Chuyên viên,?,12/03/1964,",
        "3,Nguyễn Văn Bí Mật,079185001234,Sở Không Có,Chuyên viên,Nam,12/03/1964,",
    ])
    with pytest.raises(InputError) as err:
        read_roster(src, years=range(2026, 2031), positions=POSITIONS)
    problems = err.value.problems
    codes = [(p.code, p.row) for p in problems]
    assert codes == [("multiyear.roster_bad_date", 3), ("multiyear.roster_bad_sex", 4),
                     ("multiyear.roster_not_in_plan", 5)]
    assert problems[0].column == "G · Ngày sinh"
    for lang in ("vi", "en"):
        text = err.value.render(lang) + err.value.table(lang).to_csv() + str(err.value)
        assert not any(s in text for s in SECRETS), text
        assert "Sở Không Có" in text  # a unit's name is not personal data


def test_a_roster_without_birth_or_sex_columns_is_refused():
    src = _roster_csv(["1,A,1,Sở Nội vụ,Chuyên viên,Nam"],
                      header="STT,Họ và tên,Số CCCD,Tên đơn vị,Vị trí việc làm,Giới tính")
    with pytest.raises(InputError) as err:
        read_roster(src, years=[2026], positions=POSITIONS)
    assert err.value.problems[0].code == "multiyear.roster_no_header"

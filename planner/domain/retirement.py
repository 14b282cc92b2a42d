"""The retirement-age rules (Labour Code 2019 art. 169, Decree 135/2020 art. 4 and Annex I).

In normal working conditions: men 60 years 3 months in 2021, 3 months more each year to 62
years in 2028; women 55 years 4 months in 2021, 4 months more each year to 60 years in 2035
(before 2021: 60 and 55 years). The age that applies is the one of the year in which it is
reached; one retires at the end of the month in which the age is reached (the pension starts
the next month). When only the birth year is known the birth date is taken as 1 January
(Decree 135/2020 art. 6). The roster reader (:mod:`planner.io.roster`) applies them.
"""

from __future__ import annotations

MALE, FEMALE = "male", "female"

#: Retirement age in months by the year it is reached (Decree 135/2020 art. 4).
_BASE = {MALE: 60 * 12, FEMALE: 55 * 12}
_STEP = {MALE: 3, FEMALE: 4}
_FINAL = {MALE: 62 * 12, FEMALE: 60 * 12}


def retirement_age_months(sex: str, year: int) -> int:
    """The retirement age, in months, for someone who reaches it in ``year``."""
    if year <= 2020:
        return _BASE[sex]
    return min(_FINAL[sex], _BASE[sex] + _STEP[sex] * (year - 2020))


def retirement_month(sex: str, birth_year: int, birth_month: int = 1) -> tuple[int, int]:
    """(year, month) at whose end a person of ``sex`` born in ``birth_month``/``birth_year``
    retires: the year Y in which the age of year Y is reached (there is exactly one: the age
    grows by at most 4 months a year)."""
    born = birth_year * 12 + (birth_month - 1)
    year = birth_year + 50
    while True:
        reached = born + retirement_age_months(sex, year)
        if reached // 12 <= year:
            return reached // 12, reached % 12 + 1
        year += 1

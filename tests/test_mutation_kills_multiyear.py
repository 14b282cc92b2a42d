"""The pure rules of the multi-year plan (issue 15), tested at their edges (issue 18).

Written for the mutants of planner/domain/multiyear.py's rules that the first tests let
through (`make mutate MODULE=planner/domain/multiyear.py`): the settings' limits one step
either side, the cut rule when the rate times the quota is a whole number that floating point
misses, the target year reached before the plan starts, departures from a roster, and the
attrition rounded half up. Every expected figure is worked out by hand from the module's rule
(its docstring, which follows the issue): the cut of group g in year y is ⌊Q_g × rate × k_y /
K⌋ posts, shared by the largest remainder; departures never take the stock below 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

from planner.domain.multiyear import (
    MAX_YEARS,
    MultiYearSettings,
    QuotaCut,
    cut_path,
    departures_path,
    largest_remainder,
    parse_years,
    quota_path,
)
from planner.domain.scenario import ScenarioError

YEARS = (2026, 2027, 2028)


@contextmanager
def _refused(code: str, **params: object) -> Iterator[None]:
    """A refusal with the catalogue code ``code`` naming exactly ``params`` (the culprit and
    what is expected); its messages in both languages show the culprit's value."""
    with pytest.raises(ScenarioError) as caught:
        yield
    exc = caught.value
    assert exc.code == f"multiyear.{code}"
    assert {k: exc.params[k] for k in params} == params
    value = params.get("value")
    if value is not None and not (isinstance(value, float) and math.isnan(value)):
        for lang in ("en", "vi"):
            shown = exc.render(lang)  # a long value is cut at the end: its start is shown
            assert repr(value)[:40] in shown or str(value)[:40] in shown


# --- the cut rule's settings --------------------------------------------------------------

@pytest.mark.parametrize("rate", [0, 0.0, 1, 1.0, 0.15])
def test_a_cut_rate_from_0_to_1_is_taken(rate):
    assert QuotaCut(rate=rate, by_year=2030).rate == rate


@pytest.mark.parametrize("rate", [-0.01, 1.01, "0.15", None])
def test_a_cut_rate_outside_0_to_1_or_not_a_number_is_refused(rate):
    with _refused("cut_rate", value=rate):
        QuotaCut(rate=rate, by_year=2030)


@pytest.mark.parametrize("year", [2000, 2100])
def test_the_cut_year_may_be_2000_to_2100(year):
    assert QuotaCut(rate=0.1, by_year=year).by_year == year


@pytest.mark.parametrize("year", [1999, 2101, 2030.0, "2030"])
def test_a_cut_year_outside_2000_2100_or_not_whole_is_refused(year):
    with _refused("cut_year", value=year):
        QuotaCut(rate=0.1, by_year=year)


def test_the_cut_names_known_staff_types_only():
    assert QuotaCut(rate=0.1, by_year=2030).staff_types == ("civil_servant",)
    QuotaCut(rate=0.1, by_year=2030, staff_types=("civil_servant", "public_employee",
                                                  "contract"))
    with _refused("cut_staff_type", value="teacher",
                  known="civil_servant, contract, public_employee"):
        QuotaCut(rate=0.1, by_year=2030, staff_types=("civil_servant", "teacher"))


# --- the multi-year settings --------------------------------------------------------------

def test_years_must_be_consecutive_and_at_most_30():
    assert MAX_YEARS == 30
    thirty = tuple(range(2001, 2031))
    assert MultiYearSettings(years=thirty).years == thirty
    assert MultiYearSettings(years=(2027,)).years == (2027,)
    for bad in [tuple(range(2001, 2032)), (), (2026, 2028), (2027, 2026)]:
        with _refused("years", value=bad, most=30):
            MultiYearSettings(years=bad)


def test_a_yearly_budget_needs_a_plan_year_and_an_amount_of_at_least_0():
    ok = MultiYearSettings(years=YEARS, budgets_by_year={("NSNN", 2026): 0,
                                                         ("NSNN", 2028): 5e9})
    assert ok.budgets_by_year[("NSNN", 2026)] == 0
    with _refused("budget_year", source="NSNN", value=2029, first="2026", last="2028"):
        MultiYearSettings(years=YEARS, budgets_by_year={("NSNN", 2029): 1e9})
    for amount in [-1, math.inf, math.nan, "1e9"]:
        with _refused("budget_amount", source="NSNN", year="2027"):
            MultiYearSettings(years=YEARS, budgets_by_year={("NSNN", 2027): amount})


def test_a_yearly_base_salary_needs_a_plan_year_and_an_amount_above_0():
    ok = MultiYearSettings(years=YEARS, base_salary_by_year={2027: 2_600_000, 2028: 1})
    assert ok.base_salary_by_year[2028] == 1
    with _refused("salary_year", value=2025, first="2026", last="2028"):
        MultiYearSettings(years=YEARS, base_salary_by_year={2025: 2_340_000})
    for amount in [0, -2_340_000, "2340000"]:
        with _refused("salary_amount", year="2027", value=amount):
            MultiYearSettings(years=YEARS, base_salary_by_year={2027: amount})


def test_attrition_is_a_share_per_known_staff_type():
    ok = MultiYearSettings(years=YEARS, attrition={"civil_servant": 0, "contract": 1})
    assert ok.attrition == {"civil_servant": 0, "contract": 1}
    with _refused("attrition_type", value="teacher",
                  known="civil_servant, contract, public_employee"):
        MultiYearSettings(years=YEARS, attrition={"teacher": 0.01})
    for rate in [-0.01, 1.01, "0.01"]:
        with _refused("attrition_rate", staff_type="public_employee", value=rate):
            MultiYearSettings(years=YEARS, attrition={"public_employee": rate})


def test_the_target_year_is_a_year_of_the_plan():
    assert MultiYearSettings(years=YEARS, target_year=2028).target_year == 2028
    assert MultiYearSettings(years=YEARS, target_year=2026).target_year == 2026
    with _refused("target_year", value=2029, first="2026", last="2028"):
        MultiYearSettings(years=YEARS, target_year=2029)


# --- the --years option -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "years"), [
    ("2026-2030", (2026, 2027, 2028, 2029, 2030)),
    (" 2026 - 2028 ", (2026, 2027, 2028)),
    ("2026–2027", (2026, 2027)),
    ("2026..2028", (2026, 2027, 2028)),
    ("2026-2026", (2026,)),
    ("2027", (2027,)),
    ("2001-2030", tuple(range(2001, 2031))),  # 30 years: the most
])
def test_years_option_forms(text, years):
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["2030-2026", "2000-2030", "1990-2040"])
def test_years_backwards_or_over_30_are_refused(text):
    with _refused("years_order", value=text, most=30):
        parse_years(text)


@pytest.mark.parametrize("text", ["", "năm 2026", "2026-", "26-30", "2026/2030", "2026-2030x"])
def test_years_not_first_last_are_refused(text):
    with _refused("years_text", value=text):
        parse_years(text)


# --- the quota path ---------------------------------------------------------------------------

def test_the_latest_column_before_the_plan_stands_for_its_first_years():
    # columns for 2024 (15) and 2025 (12): 2025's is today's quota; 2027 brings 11
    got = quota_path(np.array([20, 4]), {2024: np.array([15, 1]), 2025: np.array([12, 2]),
                                         2027: np.array([11, 3])}, YEARS)
    assert got.tolist() == [[12, 11, 11], [2, 3, 3]]
    # no column at all: the plain quota every year
    assert quota_path(np.array([7]), {}, YEARS).tolist() == [[7, 7, 7]]
    # a column after the plan's years changes nothing
    assert quota_path(np.array([7]), {2031: np.array([1])}, YEARS).tolist() == [[7, 7, 7]]


# --- the largest remainder --------------------------------------------------------------------

def test_largest_remainder_edges():
    # no post to share, or no weight: nothing to anyone
    assert largest_remainder(np.array([3, 2]), 0).tolist() == [0, 0]
    assert largest_remainder(np.array([3, 2]), -1).tolist() == [0, 0]
    assert largest_remainder(np.array([0, 0]), 1).tolist() == [0, 0]
    # 4 over 10, 10, 10: shares 1⅓ each, 1 whole each, the one left to the earliest
    assert largest_remainder(np.array([10, 10, 10]), 4).tolist() == [2, 1, 1]
    # 5 over 1, 3, 6: shares 0.5, 1.5, 3 → wholes 0, 1, 3; the one left: tie of .5 → row 0
    assert largest_remainder(np.array([1, 3, 6]), 5).tolist() == [1, 1, 3]
    # 3 over 1, 8, 1: shares 0.3, 2.4, 0.3: wholes 0, 2, 0; the one left to the largest .4
    assert largest_remainder(np.array([1, 8, 1]), 3).tolist() == [0, 3, 0]
    # the shares add up to the total, whatever the weights
    assert largest_remainder(np.array([7, 5, 3, 1]), 9).sum() == 9


# --- the cut rule -----------------------------------------------------------------------------

def _positions(quotas, *, staff=None, unit=None, sector=None):
    n = len(quotas)
    out = {"unit_id": unit or ["U"] * n, "staff_type": staff or ["civil_servant"] * n,
           "quota": quotas}
    if sector is not None:
        out["sector"] = sector
    return pd.DataFrame(out)


def test_a_cut_that_is_a_whole_number_of_posts_is_cut_whole():
    # 15 % of 20 by 2028 in three steps: ⌊20 × 0.15 × k / 3⌋ = 1, 2, 3 posts (exactly; in
    # floating point 20 × 0.05 is 0.999…, which must not round down to 0)
    got = cut_path(_positions([20]), YEARS, QuotaCut(rate=0.15, by_year=2028))
    assert got.tolist() == [[19, 18, 17]]


def test_a_cut_year_before_the_plan_cuts_everything_in_its_first_year():
    # by 2026 (the first year: one step) and by 2025 (before the plan): the whole 10 % of 30
    for by in (2026, 2025, 2020):
        got = cut_path(_positions([30]), YEARS, QuotaCut(rate=0.1, by_year=by))
        assert got.tolist() == [[27, 27, 27]], by
    # by 2027: two steps, ⌊30 × 0.1 × 1/2⌋ = 1, then 3
    got = cut_path(_positions([30]), YEARS, QuotaCut(rate=0.1, by_year=2027))
    assert got.tolist() == [[29, 27, 27]]


def test_the_cut_is_per_unit_and_staff_type_and_exempts_sectors_by_their_words():
    pos = _positions([10, 10, 10, 10], unit=["A", "A", "B", "C"],
                     staff=["civil_servant", "civil_servant", "civil_servant", "contract"],
                     sector=["Khối Sở", "Khối Sở", None, "Y tế"])
    cut = QuotaCut(rate=0.2, by_year=2026, staff_types=("civil_servant", "contract"),
                   exempt_sectors=("", "y te"))
    got = cut_path(pos, YEARS, cut)
    # A: Q = 20, 4 posts, 2 each; B (blank sector, not exempt): 2 of 10; C: exempt ("Y tế"
    # folded is "y te"); the empty exempt word exempts nobody
    assert got[:, 0].tolist() == [8, 8, 8, 10]
    # without a sector column nobody is exempt
    got = cut_path(_positions([10, 5]), YEARS, QuotaCut(rate=0.2, by_year=2026,
                                                         exempt_sectors=("Giáo dục",)))
    assert got[:, 0].tolist() == [8, 4]


def test_a_rate_0_cuts_nothing_and_a_rate_1_cuts_everything():
    pos = _positions([7, 3])
    assert cut_path(pos, YEARS, QuotaCut(rate=0, by_year=2028)).tolist() == [[7, 7, 7],
                                                                           [3, 3, 3]]
    # 100 % by 2027 (2 steps): 5 posts, then 10: 5 shared 3.5, 1.5 → 3, 1 + the .5 tie to row 0
    assert cut_path(pos, YEARS, QuotaCut(rate=1, by_year=2027)).tolist() == [[3, 0, 0],
                                                                           [2, 0, 0]]


# --- departures per year ----------------------------------------------------------------------

def _staff(headcount, departures=None, staff=None):
    n = len(headcount)
    return pd.DataFrame({"unit_id": ["U"] * n, "position_id": [f"P{i}" for i in range(n)],
                         "staff_type": staff or ["civil_servant"] * n,
                         "headcount": headcount,
                         "expected_departures": departures or [0] * n})


def test_roster_departures_are_counted_per_row_and_year_and_win_over_the_plain_column():
    pos = _staff([10, 10, 10], departures=[5, 5, 5])
    roster = pd.DataFrame({"unit_id": ["U", "U", "U", "U", "U"],
                           "position_id": ["P0", "P0", "P1", "P0", "P9"],
                           "year": [2026, 2026, 2028, 2030, 2026],
                           "departures": [1, 2, 1, 4, 3]})
    got = departures_path(pos, YEARS, columns={}, roster=roster, plain=True, attrition={})
    # P0: 1 + 2 in 2026 (2030 is after the plan); P1: 1 in 2028; P2: none; P9 is no row
    assert got.tolist() == [[3, 0, 0], [0, 0, 1], [0, 0, 0]]
    # a year column wins over the roster for its year
    got = departures_path(pos, YEARS, columns={2026: np.array([0.0, 2.0, 0.0])},
                          roster=roster, plain=True, attrition={})
    assert got.tolist() == [[0, 0, 0], [2, 0, 1], [0, 0, 0]]
    # an empty roster: the plain column in the first year
    got = departures_path(pos, YEARS, columns={}, roster=roster.iloc[:0], plain=True,
                          attrition={})
    assert got[:, 0].tolist() == [5, 5, 5]


def test_without_a_plain_departures_column_the_first_year_has_none():
    pos = _staff([10], departures=[4])
    got = departures_path(pos, YEARS, columns={2027: np.array([2.0])}, roster=None,
                          plain=False, attrition={})
    assert got.tolist() == [[0, 2, 0]]


def test_attrition_is_rounded_half_up_on_the_staff_left():
    # 2 % of 25 = 0.5 → 1; then 2 % of 24 = 0.48 → 0; the contract row has no rate
    pos = _staff([25, 25], staff=["civil_servant", "contract"])
    got = departures_path(pos, YEARS, columns={}, roster=None, plain=True,
                          attrition={"civil_servant": 0.02})
    assert got.tolist() == [[1, 0, 0], [0, 0, 0]]
    # 10 % of what the listed departures leave: 20 − 5 = 15 → 1.5 → 2, so 7; stock 13;
    # then 1.3 → 1; stock 12; then 1.2 → 1
    pos = _staff([20], departures=[5])
    got = departures_path(pos, YEARS, columns={}, roster=None, plain=True,
                          attrition={"civil_servant": 0.1})
    assert got.tolist() == [[7, 1, 1]]


def test_departures_never_exceed_the_stock_left():
    # 3 on board, 5 listed in the first year: 3 leave; nobody is left for the rest
    pos = _staff([3], departures=[5])
    got = departures_path(pos, YEARS, columns={2027: np.array([2.0])}, roster=None,
                          plain=True, attrition={"civil_servant": 1})
    assert got.tolist() == [[3, 0, 0]]
    # all leaving by attrition: a rate of 1 takes the whole stock in the first year
    got = departures_path(_staff([4]), YEARS, columns={}, roster=None, plain=True,
                          attrition={"civil_servant": 1})
    assert got.tolist() == [[4, 0, 0]]


# --- edges found by the second mutation run ------------------------------------------------

def test_a_one_year_plan_takes_that_years_quota_column():
    assert quota_path(np.array([7]), {2027: np.array([5])}, (2027,)).tolist() == [[5]]
    assert quota_path(np.array([7]), {2026: np.array([6])}, (2027,)).tolist() == [[6]]


def test_largest_remainder_gives_whole_posts_even_to_a_quota_of_one():
    assert largest_remainder(np.array([1, 0]), 1).tolist() == [1, 0]
    for weights, total in [([7, 5, 3], 2), ([3, 2], 0), ([0, 0], 2), ([1], 1)]:
        got = largest_remainder(np.array(weights), total)
        assert got.dtype.kind == "i", (weights, total)  # whole posts, not 1.0


def test_each_group_is_cut_on_its_own_quota():
    # A (unit A, two rows of 5) and B (unit B, one row of 5), 15 % in one step:
    # A: ⌊10 × 0.15⌋ = ⌊1.5⌋ = 1 post, to the earlier row (tie); B: ⌊5 × 0.15⌋ = 0.
    # (Pooled, ⌊15 × 0.15⌋ = 2 posts would be cut: wrong.)
    pos = _positions([5, 5, 5], unit=["A", "A", "B"])
    got = cut_path(pos, YEARS, QuotaCut(rate=0.15, by_year=2026))
    assert got[:, 0].tolist() == [4, 5, 5]


def test_no_sector_or_a_blank_sector_is_never_exempt_whatever_the_words():
    cut = QuotaCut(rate=0.2, by_year=2026, exempt_sectors=("x",))
    assert cut_path(_positions([10]), YEARS, cut)[:, 0].tolist() == [8]
    got = cut_path(_positions([10, 10], unit=["A", "B"], sector=[None, "Xã"]), YEARS, cut)
    assert got[:, 0].tolist() == [8, 10]  # "Xã" folded holds "x": exempt; the blank is not

"""The allocation instance: every rejected value names its culprit, every array is as defined.

planner/optimise/instance.py's definition: per row lower = max(0, min_hires), upper = min(vacancies,
max_hires), pinned when min_hires == max_hires; per unit required = floor(min_fill ×
vacancies) (the units table's min_fill wins over the global one), in min_cost mode also
floor(target_fill × vacancies). Expected values below are worked out by hand from that.
"""

import math

import numpy as np
import pandas as pd
import pytest
from optimise_cases import M, gaps_table, units_table

from planner.domain.scenario import Objective, ScenarioError, Solver
from planner.optimise.instance import REQUIRED_GAP_COLUMNS, prepare
from planner.optimise.result import TOTAL_BUDGET

DEFAULTS = {"budgets": None, "total_budget": None, "min_fill": None, "objective": "priority",
            "target_fill": 0.0, "solver": "highs", "time_limit": None, "gap": 1e-4}


def build(gaps, units=None, **kwargs):
    return prepare(gaps, units, **{**DEFAULTS, **kwargs})


def three_units():
    # U1: rows a (3 vacancies, NSNN) and b (2 vacancies, fees); U2: c (4); U3: d (1)
    return gaps_table([
        {"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": 100 * M},
        {"unit_id": "U1", "position_id": "b", "vacancies": 2, "cost": 80 * M,
         "funding_source": "fee_revenue"},
        {"unit_id": "U2", "position_id": "c", "vacancies": 4, "cost": 90 * M, "headcount": 6,
         "expected_departures": 1},
        {"unit_id": "U3", "position_id": "d", "vacancies": 1, "cost": 70 * M},
    ])


def message(gaps, units=None, **kwargs):
    with pytest.raises(ScenarioError) as err:
        build(gaps, units, **kwargs)
    return str(err.value)


# --- the arrays --------------------------------------------------------------------------------

def test_arrays_of_a_small_instance():
    inst, objective, solver = build(three_units())
    assert (objective, solver) == (Objective.PRIORITY, Solver.HIGHS)
    assert inst.objective is Objective.PRIORITY
    assert inst.unit_ids.tolist() == ["U1", "U2", "U3"]
    assert inst.unit_names.tolist() == ["Đơn vị U1", "Đơn vị U2", "Đơn vị U3"]
    assert inst.n_units == 3
    assert inst.unit.tolist() == [0, 0, 1, 2]
    assert inst.sources == ("fee_revenue", "state_budget")
    assert inst.source.tolist() == [1, 0, 1, 1]
    assert inst.vacancies.tolist() == [3, 2, 4, 1]
    assert inst.lower.tolist() == [0, 0, 0, 0] and inst.upper.tolist() == [3, 2, 4, 1]
    assert inst.pinned.tolist() == [False] * 4
    assert inst.cost.tolist() == [100 * M, 80 * M, 90 * M, 70 * M]
    assert inst.priority.tolist() == [1.0] * 4
    assert inst.budgets.tolist() == [math.inf, math.inf] and inst.total_budget == math.inf
    assert inst.unit_required.tolist() == [0, 0, 0]
    assert inst.unit_requirement.tolist() == ["", "", ""]
    assert inst.unit_max.tolist() == [math.inf] * 3 and inst.unit_budget.tolist() == [math.inf] * 3
    # quota = headcount − departures + vacancies: U1 3 + 2, U2 6 − 1 + 4 = 9, U3 1
    assert inst.unit_quota.tolist() == [5, 9, 1]
    assert inst.unit_staying.tolist() == [0, 5, 0]
    assert inst.unit_vacancies.tolist() == [5, 4, 1]
    assert TOTAL_BUDGET.is_total and TOTAL_BUDGET.source is None


def test_units_are_numbered_in_order_of_first_appearance_and_named_by_their_first_row():
    g = gaps_table([
        {"unit_id": "U9", "unit_name": "Chín", "position_id": "a", "cost": M},
        {"unit_id": "U1", "unit_name": "Một", "position_id": "b", "cost": M},
        {"unit_id": "U9", "unit_name": "Chín (cũ)", "position_id": "c", "cost": M},
    ])
    inst, _, _ = build(g)
    assert inst.unit_ids.tolist() == ["U9", "U1"]
    assert inst.unit_names.tolist() == ["Chín", "Một"]
    assert inst.unit.tolist() == [0, 1, 0]


def test_row_bounds_and_pins():
    g = gaps_table([
        {"unit_id": "U1", "position_id": "a", "vacancies": 5, "cost": M, "min_hires": 2,
         "max_hires": 4},
        {"unit_id": "U1", "position_id": "b", "vacancies": 3, "cost": M, "max_hires": 7},
        {"unit_id": "U1", "position_id": "c", "vacancies": 3, "cost": M, "min_hires": 2,
         "max_hires": 2},
        {"unit_id": "U1", "position_id": "d", "vacancies": 3, "cost": M, "min_hires": -2},
        {"unit_id": "U1", "position_id": "e", "vacancies": 3, "cost": M, "max_hires": 0},
    ])
    inst, _, _ = build(g)
    assert inst.lower.tolist() == [2, 0, 2, 0, 0]
    assert inst.upper.tolist() == [4, 3, 2, 3, 0]
    assert inst.pinned.tolist() == [False, False, True, False, False]
    assert inst.lower.dtype == np.int64 and inst.upper.dtype == np.int64


def test_a_gaps_table_without_min_hires_or_max_hires_columns():
    g = three_units().drop(columns=["min_hires", "max_hires"])
    inst, _, _ = build(g)
    assert inst.lower.tolist() == [0, 0, 0, 0]
    assert inst.upper.tolist() == [3, 2, 4, 1]
    assert inst.pinned.tolist() == [False] * 4
    only_max = three_units().drop(columns=["min_hires"])
    only_max["max_hires"] = pd.array([1, pd.NA, 2, pd.NA], dtype="Int64")
    inst, _, _ = build(only_max)
    assert inst.lower.tolist() == [0, 0, 0, 0] and inst.upper.tolist() == [1, 2, 2, 1]
    assert inst.pinned.tolist() == [False] * 4


def test_budgets_are_placed_by_source():
    inst, _, _ = build(three_units(), budgets={"state_budget": 500 * M}, total_budget=600 * M)
    assert inst.budgets.tolist() == [math.inf, 500 * M]
    assert inst.total_budget == 600 * M
    inst, _, _ = build(three_units(), budgets={"fee_revenue": 0})
    assert inst.budgets.tolist() == [0.0, math.inf]


@pytest.mark.parametrize(("min_fill", "required", "kind"), [
    # floor(min_fill × unit vacancies) with vacancies 5, 4, 1
    (0.5, [2, 2, 0], ["min_fill", "min_fill", ""]),
    (0.6, [3, 2, 0], ["min_fill", "min_fill", ""]),  # 0.6 × 5 = 3 exactly, 2.4 → 2
    (1.0, [5, 4, 1], ["min_fill"] * 3),
    (0.0, [0, 0, 0], [""] * 3),
    (None, [0, 0, 0], [""] * 3),
])
def test_required_hires_from_the_global_min_fill(min_fill, required, kind):
    inst, _, _ = build(three_units(), min_fill=min_fill)
    assert inst.unit_required.tolist() == required
    assert inst.unit_requirement.tolist() == kind


def test_unit_settings_win_over_the_global_min_fill_even_when_zero():
    units = units_table([{"unit_id": "U2", "min_fill": 0.0},
                         {"unit_id": "U3", "min_fill": 1.0, "max_hires": 3,
                          "budget_cap": 50 * M}])
    inst, _, _ = build(three_units(), units, min_fill=0.5)
    assert inst.unit_required.tolist() == [2, 0, 1]
    assert inst.unit_max.tolist() == [math.inf, math.inf, 3]
    assert inst.unit_budget.tolist() == [math.inf, math.inf, 50 * M]


def test_an_unknown_unit_listed_before_a_known_one_is_skipped():
    units = units_table([{"unit_id": "U7", "min_fill": 1.0, "max_hires": 0},
                         {"unit_id": "U2", "max_hires": 2, "budget_cap": 10 * M}])
    inst, _, _ = build(three_units(), units)
    assert inst.unit_max.tolist() == [math.inf, 2, math.inf]
    assert inst.unit_budget.tolist() == [math.inf, 10 * M, math.inf]
    assert inst.unit_required.tolist() == [0, 0, 0]


def test_an_empty_units_table_changes_nothing():
    empty = units_table([{"unit_id": "U1"}]).iloc[0:0]
    inst, _, _ = build(three_units(), empty, min_fill=0.5)
    assert inst.unit_required.tolist() == [2, 2, 0]
    assert inst.unit_max.tolist() == [math.inf] * 3


def test_min_cost_adds_the_target_fill_requirement():
    units = units_table([{"unit_id": "U1", "min_fill": 0.8}])
    inst, objective, _ = build(three_units(), units, objective="min_cost", target_fill=0.5,
                               min_fill=0.2)
    assert objective is Objective.MIN_COST
    # U1: min_fill 0.8 × 5 = 4 > target 0.5 × 5 = 2.5 → 2; U2: 0.2 × 4 = 0.8 → 0 < 2;
    # U3: 0.2 × 1 → 0, 0.5 × 1 → 0
    assert inst.unit_required.tolist() == [4, 2, 0]
    assert inst.unit_requirement.tolist() == ["min_fill", "target_fill", ""]
    # outside min_cost the target plays no part
    inst, _, _ = build(three_units(), units, objective="fair", target_fill=0.5, min_fill=0.2)
    assert inst.unit_required.tolist() == [4, 0, 0]


def test_mip_data_follows_the_objective():
    inst, _, _ = build(three_units(), min_fill=0.5, objective="fair")
    d = inst.mip_data()
    assert d.unit_min.tolist() == [2.0, 2.0, -math.inf]
    assert d.fair_quota.tolist() == [5.0, 9.0, 1.0] and d.fair_staying.tolist() == [0, 5, 0]
    assert d.keep_weighted is True
    assert d.lower.dtype == float and d.upper.tolist() == [3.0, 2.0, 4.0, 1.0]
    d = inst.mip_data(budgets=np.array([1.0, 2.0]), total_budget=3.0)
    assert d.budgets.tolist() == [1.0, 2.0] and d.total_budget == 3.0
    inst, _, _ = build(three_units(), objective="min_cost")
    d = inst.mip_data()
    assert d.fair_quota is None and d.fair_staying is None and d.keep_weighted is False
    assert d.budgets is inst.budgets and d.total_budget == math.inf


def test_solver_name_is_read_in_any_case():
    _, _, solver = build(three_units(), solver="HiGHS")
    assert solver is Solver.HIGHS


# --- rejected values ---------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "shown"), [(-1, "-1"), (math.nan, "nan"), (1.5, "1.5"),
                                              ("x", "'x'"), (math.inf, "inf")])
def test_bad_vacancies_are_rejected_naming_the_row(value, shown):
    g = three_units()
    g["vacancies"] = g["vacancies"].astype(object)
    g.loc[2, "vacancies"] = value
    assert message(g) == (f"vacancies must be a whole number of at least 0; row 3 (unit U2, "
                          f"position c) has {shown}")


def test_several_bad_rows_are_counted():
    g = three_units()
    g["vacancies"] = [-1.0, 2.5, 4.0, -3.0]
    text = message(g)
    prefix = "vacancies must be a whole number of at least 0; row 1 (unit U1, position a) has "
    assert text.startswith(prefix) and text.endswith(" and 2 more rows")
    assert "-1.0" in text.removeprefix(prefix)  # numpy may show np.float64(-1.0)


def test_zero_vacancies_priority_and_cost_are_accepted():
    g = three_units()
    g.loc[0, ["vacancies", "priority", "annual_cost_per_hire"]] = [0, 0.0, 0.0]
    inst, _, _ = build(g)
    assert inst.vacancies[0] == 0 and inst.priority[0] == 0 and inst.cost[0] == 0


@pytest.mark.parametrize(("col", "value", "what"), [
    ("priority", -0.5, "a number of at least 0"),
    ("priority", math.nan, "a number of at least 0"),
    ("annual_cost_per_hire", -1.0, "an amount of at least 0 đồng"),
    ("annual_cost_per_hire", math.inf, "an amount of at least 0 đồng"),
])
def test_bad_priority_and_cost_are_rejected(col, value, what):
    g = three_units()
    g.loc[3, col] = value
    text = message(g)
    prefix = f"{col} must be {what}; row 4 (unit U3, position d) has "
    assert text.startswith(prefix)
    # the value is named (numpy's repr wraps it as np.float64(...) today; the words around it
    # are what this test pins)
    assert repr(value) in text.removeprefix(prefix)


@pytest.mark.parametrize("col", ["unit_id", "funding_source"])
@pytest.mark.parametrize("blank", ["", "  ", None])
def test_blank_unit_or_source_is_rejected(col, blank):
    g = three_units()
    g.loc[1, col] = blank
    assert message(g) == (f"{col} is blank in row 2 of the gaps table (position b); every row "
                          "needs one")


def test_tables_that_are_not_a_gaps_table():
    assert message([1, 2]) == "gaps must be a table (pandas DataFrame), got list"
    g = three_units()
    assert message(g.drop(columns=["priority", "vacancies"])) == (
        "the gaps table lacks the column(s) vacancies, priority; it should be the output of "
        "planner.domain.gaps.staffing_gaps")
    assert message(g.iloc[0:0]) == "the gaps table has no rows: there is nothing to plan"
    assert len(REQUIRED_GAP_COLUMNS) == 10


@pytest.mark.parametrize(("value", "shown"), [(-1, "-1.0"), (1.5, "1.5")])
def test_bad_unit_max_hires_is_rejected(value, shown):
    units = pd.DataFrame([{"unit_id": "U2", "max_hires": value}])
    assert message(three_units(), units) == (
        f"units entry (unit_id 'U2'): max_hires must be a whole number of at least 0 (at most "
        f"1,000,000), got {shown}")


def test_unit_max_hires_zero_is_a_cap_of_zero():
    units = pd.DataFrame([{"unit_id": "U2", "max_hires": 0}])
    inst, _, _ = build(three_units(), units)
    assert inst.unit_max.tolist() == [math.inf, 0, math.inf]


@pytest.mark.parametrize(("units", "expected"), [
    (pd.DataFrame([{"unit": "U1"}]), "the units table needs a unit_id column"),
    (pd.DataFrame([{"unit_id": "U2"}, {"unit_id": "U1"}, {"unit_id": "U2"}]),
     "the units table lists unit 'U2' more than once"),
    (pd.DataFrame([{"unit_id": "U1", "min_fill": 1.2}]),
     "units entry (unit_id 'U1'): min_fill must be between 0 and 1 (e.g. 0.5 for 50%), got 1.2"),
    (pd.DataFrame([{"unit_id": "U1", "budget_cap": -5.0}]),
     "units entry (unit_id 'U1'): budget_cap must be an amount of at least 0 đồng (at most "
     "1,000,000,000,000,000), got -5.0"),
    (pd.DataFrame([{"unit_id": "U1", "budget_cap": "nhiều"}]), "expected a number, got 'nhiều'"),
    (pd.DataFrame([{"unit_id": "U1", "min_fill": [0.5]}]), "expected a number, got [0.5]"),
])
def test_bad_units_tables_are_rejected(units, expected):
    assert message(three_units(), units) == expected


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"budgets": {"service_revenue": 1.0}},
     "budgets.service_revenue: no row uses funding source 'service_revenue'; funding sources "
     "in the data: fee_revenue, state_budget"),
    ({"budgets": {"state_budget": -1}},
     "budgets.state_budget must be an amount of at least 0 đồng (at most "
     "1,000,000,000,000,000), got -1"),
    ({"budgets": {"state_budget": True}},
     "budgets.state_budget must be an amount of at least 0 đồng (at most "
     "1,000,000,000,000,000), got True"),
    ({"total_budget": math.inf}, "total_budget must be an amount of at least 0 đồng (at most "
     "1,000,000,000,000,000), got inf"),
    ({"min_fill": -0.1}, "min_fill must be between 0 and 1 (e.g. 0.5 for 50%), got -0.1"),
    ({"min_fill": 1.01}, "min_fill must be between 0 and 1 (e.g. 0.5 for 50%), got 1.01"),
    ({"target_fill": None}, "target_fill must be between 0 and 1 (e.g. 0.5 for 50%), got None"),
    ({"target_fill": "0.5"}, "target_fill must be between 0 and 1 (e.g. 0.5 for 50%), got '0.5'"),
    ({"objective": "cheapest"},
     "objective must be one of priority, fair, min_cost, got 'cheapest'"),
    ({"solver": "gurobi"}, "solver must be one of highs, cbc, got 'gurobi'"),
    ({"time_limit": 0}, "time_limit must be a number above 0, got 0"),
    ({"time_limit": -1.0}, "time_limit must be a number above 0, got -1.0"),
    ({"time_limit": math.nan}, "time_limit must be a number above 0, got nan"),
    ({"gap": 1}, "gap must be at least 0 and below 1 (e.g. 0.0001), got 1"),
    ({"gap": -0.01}, "gap must be at least 0 and below 1 (e.g. 0.0001), got -0.01"),
    ({"gap": None}, "gap must be at least 0 and below 1 (e.g. 0.0001), got None"),
])
def test_bad_parameters_are_rejected_with_the_exact_message(kwargs, expected):
    assert message(three_units(), **kwargs) == expected


@pytest.mark.parametrize("kwargs", [
    {"min_fill": 0}, {"min_fill": 1}, {"target_fill": 0}, {"target_fill": 1}, {"gap": 0},
    {"gap": 0.99}, {"time_limit": 0.5}, {"time_limit": np.float64(3)}, {"total_budget": 0},
    {"budgets": {"state_budget": np.int64(0)}},
])
def test_boundary_parameters_are_accepted(kwargs):
    build(three_units(), **kwargs)


def test_solver_cbc_when_installed_and_when_not(monkeypatch):
    import planner.optimise.model

    # requirements.txt pins pulp[highs,cbc], so CBC is installed here
    _, _, solver = build(three_units(), solver="cbc")
    assert solver is Solver.CBC
    monkeypatch.setattr(planner.optimise.model, "cbc_available", lambda: False)
    assert message(three_units(), solver="cbc") == (
        "solver cbc is not installed here (pip package cbcbox); use solver highs")
    _, _, solver = build(three_units(), solver="highs")  # HiGHS needs no check
    assert solver is Solver.HIGHS


def test_a_unit_required_to_hire_one_keeps_that_minimum_in_the_model():
    inst, _, _ = build(three_units(), min_fill=1.0)
    assert inst.unit_required.tolist() == [5, 4, 1]
    assert inst.mip_data().unit_min.tolist() == [5.0, 4.0, 1.0]


def test_a_filtered_gaps_table_is_renumbered_without_new_columns():
    g = three_units().iloc[[3, 1, 0]]  # index 3, 1, 0
    inst, _, _ = build(g)
    assert inst.gaps.index.tolist() == [0, 1, 2]
    assert list(inst.gaps.columns) == list(g.columns)
    assert inst.gaps["position_id"].tolist() == ["d", "b", "a"]


def test_two_bad_rows_say_one_more():
    g = three_units()
    g["vacancies"] = [-1, 2, 4, -3]
    text = message(g)
    assert text.startswith("vacancies must be a whole number of at least 0; row 1 (unit U1, "
                           "position a) has ")
    assert text.endswith(" and 1 more rows")


def test_hire_counts_are_whole_numbers_whatever_the_column_types():
    g = three_units()
    g["vacancies"] = g["vacancies"].astype(float)
    g["min_hires"] = [1.0, math.nan, math.nan, 0.0]
    inst, _, _ = build(g)
    assert inst.vacancies.dtype == np.int64 and inst.lower.dtype == np.int64
    assert inst.upper.dtype == np.int64 and inst.unit_required.dtype == np.int64
    assert inst.lower.tolist() == [1, 0, 0, 0]
    inst, _, _ = build(three_units().drop(columns=["min_hires"]))
    assert inst.lower.dtype == np.int64
    assert inst.pinned.dtype == bool  # pins need both columns: none here

"""A scenario's defaults, bounds and settings, each checked against its definition (issue 18).

Defaults come from the cost rules (base salary 2,530,000 VND from 1 Jul 2026, bonus fund 10 %,
contributions 22.5 % / 23.5 % / 23.5 %; /work/shared/DOMAIN.md) and README "Scenarios"
(objective priority, target fill 1, gap 1e-4, solver highs). Shares lie in [0, 1]; amounts are
at least 0; base salary and time limit above 0; the gap in [0, 1).
"""

import math

import pandas as pd
import pytest
from optimise_cases import M, gaps_table, units_table

from planner.domain.scenario import (
    Objective,
    RowSetting,
    Scenario,
    ScenarioError,
    Solver,
    UnitSetting,
)


def error(**kwargs):
    with pytest.raises(ScenarioError) as err:
        Scenario(**kwargs)
    return str(err.value)


def test_defaults():
    s = Scenario()
    assert s.base_salary == 2_530_000 and s.bonus_rate == 0.10
    assert dict(s.contribution_rates) == {"civil_servant": 0.225, "public_employee": 0.235,
                                          "contract": 0.235}
    assert dict(s.budgets) == {} and s.total_budget is None and s.min_fill is None
    assert s.objective is Objective.PRIORITY and s.solver is Solver.HIGHS
    assert (s.target_fill, s.gap, s.time_limit) == (1.0, 1e-4, None)
    assert (s.rows, s.units) == ((), ())
    rules = s.rules
    assert (rules.base_salary, rules.bonus_rate) == (2_530_000, 0.10)


def test_to_dict_leaves_out_none_and_uses_plain_values():
    s = Scenario(objective="fair", solver="CBC", budgets={"state_budget": 60_000 * M},
                 rows=[RowSetting(unit_id="U1", position_id="a", priority=2.0)],
                 units=[UnitSetting(unit_id="U1", max_hires=3)])
    d = s.to_dict()
    assert d == {
        "base_salary": 2_530_000, "bonus_rate": 0.10,
        "contribution_rates": {"civil_servant": 0.225, "public_employee": 0.235,
                               "contract": 0.235},
        "default_coefficient": {"civil_servant": 2.34, "public_employee": 2.34,
                                "contract": 2.34},
        "budgets": {"state_budget": 60_000 * M}, "objective": "fair", "target_fill": 1.0,
        "gap": 1e-4, "solver": "cbc",
        "rows": [{"unit_id": "U1", "position_id": "a", "priority": 2.0}],
        "units": [{"unit_id": "U1", "max_hires": 3}],
    }
    assert type(d["objective"]) is str and type(d["budgets"]) is dict
    assert isinstance(s.rows, tuple) and isinstance(s.units, tuple)
    assert Scenario.from_toml(s.to_toml()) == s
    assert s.to_toml().startswith("# Recruitment plan scenario (planner). VND; rates as shares")


def test_budgets_are_read_as_floats_keyed_by_name():
    s = Scenario(budgets={"state_budget": 60, "fee_revenue": 0})
    assert dict(s.budgets) == {"state_budget": 60.0, "fee_revenue": 0.0}
    assert all(type(v) is float for v in s.budgets.values())
    with pytest.raises(TypeError):
        s.budgets["state_budget"] = 1.0  # type: ignore[index]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"objective": "cheapest"},
     "objective must be one of priority, fair, min_cost, got 'cheapest'"),
    ({"solver": "gurobi"}, "solver must be one of highs, cbc, got 'gurobi'"),
    ({"base_salary": 0}, "base_salary must be a number above 0, got 0"),
    ({"base_salary": math.inf}, "base_salary must be a number above 0, got inf"),
    ({"base_salary": True}, "base_salary must be a number above 0, got True"),
    ({"bonus_rate": 1.5}, "bonus_rate must be between 0 and 1 (e.g. 0.5 for 50%), got 1.5"),
    ({"bonus_rate": -0.1}, "bonus_rate must be between 0 and 1 (e.g. 0.5 for 50%), got -0.1"),
    ({"budgets": {"state_budget": -1}}, "budgets.state_budget must be a number of at least 0, "
                                        "got -1"),
    ({"total_budget": -1}, "total_budget must be a number of at least 0, got -1"),
    ({"total_budget": math.nan}, "total_budget must be a number of at least 0, got nan"),
    ({"min_fill": 1.01}, "min_fill must be between 0 and 1 (e.g. 0.5 for 50%), got 1.01"),
    ({"target_fill": -0.01}, "target_fill must be between 0 and 1 (e.g. 0.5 for 50%), got -0.01"),
    ({"time_limit": 0}, "time_limit must be a number above 0, got 0"),
    ({"gap": 1}, "gap must be at least 0 and below 1 (e.g. 0.0001), got 1"),
    ({"gap": -0.1}, "gap must be at least 0 and below 1 (e.g. 0.0001), got -0.1"),
    ({"contribution_rates": {"contract": 1.5}},
     "contribution_rates.contract must be between 0 and 1 (e.g. 0.5 for 50%), got 1.5"),
])
def test_bad_values_name_the_culprit(kwargs, message):
    assert error(**kwargs) == message


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"min_fill": 1.5},
     "Tỷ lệ lấp đầy tối thiểu (min_fill) phải từ 0 đến 1 (ví dụ 0,5 là 50%), nhận được 1.5"),
    ({"budgets": {"state_budget": -1}},
     "Dự toán theo nguồn – state_budget (budgets.state_budget) phải là số không âm (từ 0 trở "
     "lên), nhận được -1"),
    ({"objective": "re_nhat"},
     "Mục tiêu (objective) phải là một trong: priority, fair, min_cost; nhận được 're_nhat'"),
    ({"rows": [{"unit_id": "A", "position_id": "p", "min_hires": 3, "max_hires": 1}]},
     "dòng thiết lập (đơn vị 'A', vị trí 'p'): số tuyển tối thiểu (min_hires = 3) lớn hơn số "
     "tuyển tối đa (max_hires = 1)"),
])
def test_the_officer_reads_the_refusal_in_vietnamese(kwargs, message):
    # the Plan page and the CLI render the same refusal in the officer's language (issue 14)
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict(kwargs)
    assert err.value.render("vi") == message
    assert str(err.value) == err.value.render("en") != message  # str(): English, for logs


@pytest.mark.parametrize("kwargs", [
    {"bonus_rate": 0}, {"bonus_rate": 1}, {"min_fill": 0}, {"min_fill": 1}, {"target_fill": 0},
    {"gap": 0}, {"gap": 0.999}, {"total_budget": 0}, {"budgets": {"state_budget": 0}},
    {"time_limit": 0.1}, {"base_salary": 1}, {"solver": "HIGHS"},
])
def test_boundary_values_are_accepted(kwargs):
    Scenario(**kwargs)


def test_with_changes_validates_like_a_new_scenario():
    s = Scenario().with_changes(min_fill=0.3)
    assert s.min_fill == 0.3
    with pytest.raises(ScenarioError, match="min_fill"):
        s.with_changes(min_fill=3)


@pytest.mark.parametrize(("data", "message"), [
    ({"speed": 1}, "unknown scenario parameter(s): speed; known: base_salary, bonus_rate, "
                   "budgets, contribution_rates, default_coefficient, gap, min_fill, "
                   "objective, rows, solver, "
                   "target_fill, time_limit, total_budget, units"),
    ({"rows": [{"unit_id": "U1"}]}, "rows entry 1: missing position_id; known keys: "
                                    "unit_id, position_id, priority, min_hires, max_hires"),
    ({"units": [{"unit_id": "U1", "cap": 2}]}, "units entry 1: unknown key(s) 'cap'; known "
                                               "keys: unit_id, max_hires, budget_cap, min_fill"),
    ({"base_salary": "2530000"}, "base_salary must be a number, got '2530000'"),
    ({"bonus_rate": True}, "bonus_rate must be a number, got True"),
    ({"total_budget": "60 tỷ"}, "total_budget must be a number, got '60 tỷ'"),
    ({"min_fill": None}, "min_fill must be a number, got None"),
    ({"target_fill": "1"}, "target_fill must be a number, got '1'"),
    ({"time_limit": "60"}, "time_limit must be a number, got '60'"),
    ({"gap": "0"}, "gap must be a number, got '0'"),
    ({"budgets": [1, 2]}, "budgets must be a table of name = number"),
    ({"contribution_rates": 0.2}, "contribution_rates must be a table of name = number"),
    ({"budgets": {"state_budget": "60"}}, "budgets.state_budget must be a number, got '60'"),
    ({"contribution_rates": {"contract": math.inf}},
     "contribution_rates.contract must be a number, got inf"),
])
def test_bad_scenario_data_names_the_culprit(data, message):
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict(data)
    assert str(err.value).startswith(message)


def test_a_file_that_is_not_toml():
    with pytest.raises(ScenarioError, match=r"^not a valid TOML file: "):
        Scenario.from_toml("min_fill = = 0.3")


def test_a_toml_file_with_every_parameter():
    s = Scenario.from_toml("""
base_salary = 2340000
bonus_rate = 0.1
min_fill = 0.3
objective = "min_cost"
target_fill = 0.8
total_budget = 1e11
time_limit = 30
gap = 0.001
solver = "highs"
[budgets]
state_budget = 6e10
[contribution_rates]
contract = 0.2
[[rows]]
unit_id = "U1"
position_id = "a"
min_hires = 1
max_hires = 1
[[units]]
unit_id = "U2"
budget_cap = 5e8
min_fill = 0.5
""")
    assert s.base_salary == 2_340_000 and s.min_fill == 0.3 and s.target_fill == 0.8
    assert s.objective is Objective.MIN_COST and s.total_budget == 1e11
    assert dict(s.contribution_rates)["contract"] == 0.2
    assert dict(s.contribution_rates)["civil_servant"] == 0.225
    assert s.rows == (RowSetting(unit_id="U1", position_id="a", min_hires=1, max_hires=1),)
    assert s.units == (UnitSetting(unit_id="U2", budget_cap=5e8, min_fill=0.5),)


# --- per-row and per-unit settings ---------------------------------------------------------------

def gaps():
    return gaps_table([{"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": M},
                       {"unit_id": "U1", "position_id": "b", "vacancies": 2, "cost": M,
                        "priority": 3},
                       {"unit_id": "U2", "position_id": "a", "vacancies": 1, "cost": M}])


def test_row_settings_change_only_the_values_given():
    s = Scenario(rows=[RowSetting(unit_id="U2", position_id="a", min_hires=1),
                       RowSetting(unit_id="U1", position_id="b", priority=0.5, max_hires=1)])
    g = gaps()
    out = s.apply_rows(g)
    assert out["priority"].tolist() == [1.0, 0.5, 1.0]
    assert out["min_hires"].tolist()[2] == 1 and pd.isna(out["min_hires"].tolist()[1])
    assert out["max_hires"].tolist()[1] == 1 and pd.isna(out["max_hires"].tolist()[2])
    assert g["priority"].tolist() == [1.0, 3.0, 1.0]  # the input is left as it was
    assert Scenario().apply_rows(g) is g


def test_a_row_setting_is_matched_on_unit_and_position_together():
    s = Scenario(rows=[RowSetting(unit_id="U2", position_id="b", priority=2.0)])
    with pytest.raises(ScenarioError) as err:
        s.apply_rows(gaps())
    assert str(err.value) == "rows: no position 'b' in unit 'U2' in the input tables"


def test_unit_settings_on_an_existing_units_table():
    units = units_table([{"unit_id": "U1", "max_hires": 5, "budget_cap": 100 * M}])
    s = Scenario(units=[UnitSetting(unit_id="U1", min_fill=0.5),
                        UnitSetting(unit_id="U2", max_hires=1, budget_cap=20 * M)])
    out = s.apply_units(units, pd.Series(["U1", "U2"]))
    assert out["unit_id"].tolist() == ["U1", "U2"]
    assert out["unit_name"].tolist() == ["U1", "U2"]
    assert out["max_hires"].tolist() == [5, 1]
    assert out["budget_cap"].tolist() == [100 * M, 20 * M]
    assert out.at[0, "min_fill"] == 0.5 and pd.isna(out.at[1, "min_fill"])
    assert str(out["max_hires"].dtype) == "Int64"
    assert str(out["budget_cap"].dtype) == "float64" and str(out["min_fill"].dtype) == "float64"
    assert units["max_hires"].tolist() == [5]  # the input is left as it was


def test_unit_settings_without_a_units_table():
    s = Scenario(units=[UnitSetting(unit_id="U2", min_fill=1.0)])
    out = s.apply_units(None, pd.Series(["U1", "U2"]))
    assert out[["unit_id", "unit_name"]].values.tolist() == [["U2", "U2"]]
    assert out.at[0, "min_fill"] == 1.0 and pd.isna(out.at[0, "max_hires"])
    assert Scenario().apply_units(None, pd.Series(["U1"])) is None


def test_a_unit_setting_for_an_unknown_unit():
    s = Scenario(units=[UnitSetting(unit_id="U9", max_hires=1)])
    with pytest.raises(ScenarioError) as err:
        s.apply_units(None, pd.Series(["U1", "U2"]))
    assert str(err.value) == "units: no unit 'U9' in the input tables"

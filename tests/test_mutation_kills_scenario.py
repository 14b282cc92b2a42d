"""Scenario files that are not valid, and per-row/per-unit settings at their edges (issue 18).

Written for the mutants of planner/domain/scenario.py that the first tests let through
(`make mutate MODULE=planner/domain/scenario.py`): a broken TOML file must be refused naming
where TOML's reader stopped, and a file nested thousands deep with its own message (not a
traceback); a bad per-row or per-unit setting names its row or unit, the setting and the value,
in both languages (the catalogue's wording, planner/locales); a units table made from the
scenario alone has the reader's columns and types, and its amounts survive the TOML round trip.
"""

from __future__ import annotations

import pandas as pd
import pytest

from planner.domain.scenario import RowSetting, Scenario, ScenarioError, UnitSetting


def test_a_broken_toml_file_is_refused_naming_the_line_and_column():
    # "= =": TOML's reader stops at the second "=", line 1, column 15
    with pytest.raises(ScenarioError) as err:
        Scenario.from_toml("base_salary = = 1")
    assert err.value.code == "bad_toml"
    assert str(err.value) == "not a valid TOML file: Invalid value (at line 1, column 15)"
    assert err.value.render("vi") == ("không phải tệp TOML hợp lệ: "
                                      "Invalid value (at line 1, column 15)")


def test_a_toml_file_nested_too_deep_is_refused_with_its_own_message():
    with pytest.raises(ScenarioError) as err:
        Scenario.from_toml("rows = " + "[" * 3000 + "]" * 3000)
    assert err.value.code == "nested_too_deep"
    assert str(err.value) == ("not a valid scenario file: its tables or arrays are nested too "
                              "deeply")
    assert err.value.render("vi") == ("không phải tệp phương án hợp lệ: các bảng hoặc mảng "
                                      "lồng nhau quá sâu")


def test_unit_settings_without_a_units_table_give_a_units_table_of_the_readers_columns():
    # the units table the reader builds: unit_id, unit_name, max_hires, budget_cap, min_fill
    s = Scenario(units=(UnitSetting(unit_id="U2", budget_cap=30_000_000),))
    out = s.apply_units(None, pd.Series(["U1", "U2"]))
    assert list(out.columns) == ["unit_id", "unit_name", "max_hires", "budget_cap", "min_fill"]
    assert out.to_dict("records")[0]["budget_cap"] == 30_000_000


def test_unit_settings_without_a_units_table_give_its_column_types():
    # a units table as the reader types it: whole max_hires (blank allowed), amounts and shares
    s = Scenario(units=(UnitSetting(unit_id="U2", max_hires=2),
                        UnitSetting(unit_id="U1", budget_cap=5, min_fill=0.5)))
    out = s.apply_units(None, pd.Series(["U1", "U2"]))
    assert {c: str(t) for c, t in out.dtypes.items()} == {
        "unit_id": "object", "unit_name": "object", "max_hires": "Int64",
        "budget_cap": "float64", "min_fill": "float64"}
    assert out["max_hires"].tolist() == [2, pd.NA]
    assert out["budget_cap"].isna().tolist() == [True, False]


def test_a_unit_settings_amount_is_kept_as_an_amount_in_the_scenario_file():
    s = Scenario(units=(UnitSetting(unit_id="U1", budget_cap=30_000_000, min_fill=1),))
    assert s.to_dict()["units"] == [{"unit_id": "U1", "budget_cap": 30_000_000.0,
                                     "min_fill": 1.0}]
    assert type(s.units[0].budget_cap) is float and type(s.units[0].min_fill) is float
    assert Scenario.from_toml(s.to_toml()) == s


@pytest.mark.parametrize(("setting", "en", "vi"), [
    ({"unit_id": " "},
     "units entry (unit_id ' '): unit_id must be a code written as text, got ' '",
     "thiết lập đơn vị (đơn vị ' '): Mã đơn vị (unit_id) phải là một mã viết bằng chữ, "
     "nhận được ' '"),
    ({"unit_id": "U1", "max_hires": 2.5},
     "units entry (unit_id 'U1'): max_hires must be a whole number of at least 0 "
     "(at most 1,000,000), got 2.5",
     "thiết lập đơn vị (đơn vị 'U1'): Số tuyển tối đa (max_hires) phải là số nguyên từ 0 "
     "trở lên (tối đa 1,000,000), nhận được 2.5"),
    ({"unit_id": "U1", "budget_cap": -1},
     "units entry (unit_id 'U1'): budget_cap must be an amount of at least 0 đồng "
     "(at most 1,000,000,000,000,000), got -1",
     "thiết lập đơn vị (đơn vị 'U1'): Trần kinh phí của đơn vị (budget_cap) phải là số tiền "
     "từ 0 đồng trở lên (tối đa 1,000,000,000,000,000), nhận được -1"),
    ({"unit_id": "U1", "min_fill": 1.5},
     "units entry (unit_id 'U1'): min_fill must be between 0 and 1 (e.g. 0.5 for 50%), "
     "got 1.5",
     "thiết lập đơn vị (đơn vị 'U1'): Tỷ lệ lấp đầy tối thiểu (min_fill) phải từ 0 đến 1 "
     "(ví dụ 0,5 là 50%), nhận được 1.5"),
])
def test_a_bad_unit_setting_names_the_unit_the_setting_and_the_value(setting, en, vi):
    with pytest.raises(ScenarioError) as err:
        UnitSetting(**setting)
    assert str(err.value) == en
    assert err.value.render("vi") == vi


@pytest.mark.parametrize(("kind", "given", "en", "vi"), [
    ('row', {'unit_id': ' ', 'position_id': 'P1'},
     "rows entry (unit_id ' ', position_id 'P1'): unit_id must be a code written as text, got ' '",
     "dòng thiết lập (đơn vị ' ', vị trí 'P1'): Mã đơn vị (unit_id) phải là một mã viết bằng "
     "chữ, nhận được ' '"),
    ('row', {'unit_id': 'U1', 'position_id': ''},
     "rows entry (unit_id 'U1', position_id ''): position_id must be a code written as text, got "
     "''",
     "dòng thiết lập (đơn vị 'U1', vị trí ''): Mã vị trí việc làm (position_id) phải là một mã "
     "viết bằng chữ, nhận được ''"),
    ('row', {'unit_id': 'U1', 'position_id': 'P1', 'priority': 0},
     "rows entry (unit_id 'U1', position_id 'P1'): priority must be a number above 0 and at most "
     "1,000, got 0",
     "dòng thiết lập (đơn vị 'U1', vị trí 'P1'): Mức ưu tiên (priority) phải là số lớn hơn 0 và "
     "không quá 1,000, nhận được 0"),
    ('row', {'unit_id': 'U1', 'position_id': 'P1', 'min_hires': -1},
     "rows entry (unit_id 'U1', position_id 'P1'): min_hires must be a whole number of at least "
     "0 (at most 1,000,000), got -1",
     "dòng thiết lập (đơn vị 'U1', vị trí 'P1'): Số tuyển tối thiểu (min_hires) phải là số "
     "nguyên từ 0 trở lên (tối đa 1,000,000), nhận được -1"),
    ('row', {'unit_id': 'U1', 'position_id': 'P1', 'max_hires': 1.5},
     "rows entry (unit_id 'U1', position_id 'P1'): max_hires must be a whole number of at least "
     "0 (at most 1,000,000), got 1.5",
     "dòng thiết lập (đơn vị 'U1', vị trí 'P1'): Số tuyển tối đa (max_hires) phải là số nguyên "
     "từ 0 trở lên (tối đa 1,000,000), nhận được 1.5"),
    ('dict', {'rows': {'unit_id': 'U1'}},
     'rows must be an array of tables ([[rows]]), got dict',
     'rows phải là một mảng các bảng ([[rows]]), nhận được dict'),
    ('dict', {'units': 'U1'},
     'units must be an array of tables ([[units]]), got str',
     'units phải là một mảng các bảng ([[units]]), nhận được str'),
    ('dict', {'rows': [{'unit_id': 'U1', 'position_id': 'P1'}, 5]},
     'rows entry 2: must be a table of name = value, got 5',
     'mục rows thứ 2: phải là một bảng dạng tên = giá trị, nhận được 5'),
    ('dict', {'units': [{'unit_id': 'U1', 'cap': 1}]},
     "units entry 1: unknown key(s) 'cap'; known keys: unit_id, max_hires, budget_cap, min_fill",
     "mục units thứ 1: khóa không xác định 'cap'; các khóa hợp lệ: unit_id, max_hires, "
     "budget_cap, min_fill"),
    ('dict', {'rows': [{'unit_id': 'U1'}]},
     'rows entry 1: missing position_id; known keys: unit_id, position_id, priority, min_hires, '
     'max_hires',
     'mục rows thứ 1: thiếu position_id; các khóa hợp lệ: unit_id, position_id, priority, '
     'min_hires, max_hires'),
])
def test_a_bad_row_setting_or_entry_names_the_row_the_setting_and_the_value(kind, given, en,
                                                                         vi):
    with pytest.raises(ScenarioError) as err:
        RowSetting(**given) if kind == "row" else Scenario.from_dict(given)
    assert str(err.value) == en
    assert err.value.render("vi") == vi


def test_one_default_coefficient_sets_every_staff_type():
    # DOMAIN: a row without a coefficient takes its staff type's default; one number sets all
    s = Scenario(default_coefficient=2.5)
    assert dict(s.default_coefficient) == {"civil_servant": 2.5, "public_employee": 2.5,
                                           "contract": 2.5}
    assert s.to_dict()["default_coefficient"] == {"civil_servant": 2.5,
                                                  "public_employee": 2.5, "contract": 2.5}
    assert Scenario.from_toml("default_coefficient = 3.0\n").rules.default_coefficients == {
        "civil_servant": 3.0, "public_employee": 3.0, "contract": 3.0}


@pytest.mark.parametrize(("kind", "given", "en", "vi"), [
    ("scenario", {"default_coefficient": [2.5]},
     "default_coefficient must be a number (every staff type) or a table of staff type = "
     "number, got [2.5]",
     "Hệ số lương mặc định (default_coefficient) phải là một số (cho mọi loại cán bộ) hoặc một "
     "bảng loại cán bộ = số, nhận được [2.5]"),
    ("dict", {"default_coefficient": {"civil_servant": "hai"}},
     "default_coefficient.civil_servant must be a number, got 'hai'",
     "Hệ số lương mặc định – civil_servant (default_coefficient.civil_servant) phải là một số, "
     "nhận được 'hai'"),
    ("dict", {"objectiv": 1, "budget": 2},
     "unknown scenario parameter(s): budget, objectiv; known: base_salary, bonus_rate, "
     "budgets, contribution_rates, default_coefficient, gap, min_fill, objective, rows, "
     "solver, target_fill, time_limit, total_budget, units",
     "tham số phương án không xác định: budget, objectiv; các tham số hợp lệ: base_salary, "
     "bonus_rate, budgets, contribution_rates, default_coefficient, gap, min_fill, objective, "
     "rows, solver, target_fill, time_limit, total_budget, units"),
    ("dict", {"units": [{"unit_id": "U1", "cap": 1, "fill": 2}]},
     "units entry 1: unknown key(s) 'cap', 'fill'; known keys: unit_id, max_hires, "
     "budget_cap, min_fill",
     "mục units thứ 1: khóa không xác định 'cap', 'fill'; các khóa hợp lệ: unit_id, "
     "max_hires, budget_cap, min_fill"),
    ("dict", {"rows": [{"priority": 2}]},
     "rows entry 1: missing unit_id, position_id; known keys: unit_id, position_id, priority, "
     "min_hires, max_hires",
     "mục rows thứ 1: thiếu unit_id, position_id; các khóa hợp lệ: unit_id, position_id, "
     "priority, min_hires, max_hires"),
])
def test_a_bad_scenario_names_every_culprit(kind, given, en, vi):
    with pytest.raises(ScenarioError) as err:
        Scenario(**given) if kind == "scenario" else Scenario.from_dict(given)
    assert str(err.value) == en
    assert err.value.render("vi") == vi


def test_a_partial_coefficient_table_is_completed_with_the_default_2_34():
    # the module's rule: a staff type the table leaves out keeps the default coefficient 2.34
    s = Scenario(default_coefficient={"civil_servant": 3})
    expected = {"civil_servant": 3.0, "public_employee": 2.34, "contract": 2.34}
    assert dict(s.default_coefficient) == expected
    assert s.to_dict()["default_coefficient"] == expected

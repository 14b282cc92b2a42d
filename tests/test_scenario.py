"""Scenario parameters: TOML round trip with the CLI's names, guard clauses, settings applied."""

import pandas as pd
import pytest

from planner.domain.scenario import Objective, RowSetting, Scenario, ScenarioError, UnitSetting
from planner.io.sample import SAMPLE_SCENARIO


def test_toml_round_trip_keeps_every_parameter():
    s = Scenario(base_salary=2_340_000, bonus_rate=0.05, budgets={"state_budget": 6e10},
                 total_budget=7e10, min_fill=0.5, objective="fair", target_fill=0.8,
                 time_limit=30, gap=1e-3, solver="cbc",
                 contribution_rates={"civil_servant": 0.2},
                 rows=(RowSetting(unit_id="S01", position_id="P1", priority=3, max_hires=2),),
                 units=(UnitSetting(unit_id="S01", max_hires=4, min_fill=0.25),))
    again = Scenario.from_toml(s.to_toml())
    assert again == s
    assert again.objective is Objective.FAIR
    assert again.contribution_rates["public_employee"] == 0.235  # filled from the defaults


def test_toml_uses_the_cli_names():
    text = Scenario(budgets={"fee_revenue": 2e9}, min_fill=0.5).to_toml()
    assert "min_fill = 0.5" in text
    assert "[budgets]" in text and "fee_revenue = 2000000000.0" in text
    assert "[contribution_rates]" in text


def test_sample_scenario_file_is_valid():
    s = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    assert s.budgets["state_budget"] == 60e9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("objective = 'cheapest'", "objective must be one of priority, fair, min_cost"),
        ("min_fill = 1.5", "min_fill must be between 0 and 1"),
        ("base_salary = -1", "base_salary must be a number above 0"),
        ("budgets = { state_budget = -5 }", "budgets.state_budget must be a number of at least 0"),
        ("budgets = { state_budget = 'lots' }", "budgets.state_budget must be a number"),
        ("colour = 'red'", "unknown scenario parameter(s): colour"),
        ("min_fill = ", "not a valid TOML file"),
        ("solver = 'gurobi'", "solver must be one of highs, cbc"),
        ("[contribution_rates]\nteacher = 0.2", "unknown staff type 'teacher'"),
        ("[[rows]]\nunit = 'x'", "rows entry 1: unknown key(s) 'unit'"),
    ],
)
def test_bad_scenarios_name_the_culprit(text, message):
    with pytest.raises(ScenarioError) as exc:
        Scenario.from_toml(text)
    assert message in str(exc.value)


def _gaps() -> pd.DataFrame:
    return pd.DataFrame({
        "unit_id": ["A", "A", "B"], "position_id": ["p", "q", "p"],
        "priority": [1.0, 1.0, 1.0], "min_hires": pd.array([pd.NA] * 3, dtype="Int64"),
        "max_hires": pd.array([pd.NA] * 3, dtype="Int64"),
    })


def test_row_settings_override_priority_and_pins_without_touching_the_input():
    g = _gaps()
    s = Scenario(rows=(RowSetting(unit_id="A", position_id="q", priority=5, min_hires=1),))
    out = s.apply_rows(g)
    assert out["priority"].tolist() == [1.0, 5.0, 1.0]
    assert out["min_hires"].tolist()[1] == 1
    assert g["priority"].tolist() == [1.0, 1.0, 1.0]


def test_row_setting_for_an_unknown_position_is_refused():
    s = Scenario(rows=(RowSetting(unit_id="A", position_id="zzz", priority=2),))
    with pytest.raises(ScenarioError, match="no position 'zzz' in unit 'A'"):
        s.apply_rows(_gaps())


def test_unit_settings_create_or_override_unit_rows():
    s = Scenario(units=(UnitSetting(unit_id="B", max_hires=3),))
    out = s.apply_units(None, pd.Series(["A", "B"]))
    assert out.set_index("unit_id").at["B", "max_hires"] == 3
    with pytest.raises(ScenarioError, match="no unit 'C'"):
        Scenario(units=(UnitSetting(unit_id="C"),)).apply_units(None, pd.Series(["A"]))

"""Charts drawn without Altair's schema check at each rerun (planner/ui/chart_draw.py).

The app skips the check at run time because every chart it draws is checked here: each
builder the pages call, on the sample (the Gaps page's filters, a solved plan, its budget
curve, no unit found), in both languages, with the title wrapped as the page wraps it, is
valid against the Vega-Lite schema. The spec Streamlit gets is Altair's own, only not checked
again; a chart that is not valid is still refused by Altair's ``to_dict()``, so the check
here is a real one.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError

from planner import api
from planner.domain.scenario import Scenario
from planner.io.inputs import load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO
from planner.optimise.result import BudgetKey
from planner.present import charts
from planner.ui.chart_draw import Checked
from planner.ui.chart_fit import fit
from planner.ui.gaps_page import STACKS


@pytest.fixture(scope="module")
def sample():
    inputs = load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"],
                         SAMPLE_FILES["units"])
    scenario = Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))
    gaps = api.gaps(inputs, scenario)
    allocation = api.solve(inputs, scenario)
    curve = api.curve(inputs, scenario, budget=BudgetKey("state_budget"), points=5)
    return gaps, allocation, curve, scenario


def app_charts(sample, lang: str) -> dict[str, alt.TopLevelMixin]:
    """Every chart the Gaps and Plan pages draw through planner.ui.chart_draw.draw."""
    gaps, a, curve, sc = sample
    by_unit = a.by_unit
    out = {f"gaps by unit, {stack}": charts.vacancies_by_unit(gaps, lang=lang, stack=stack)
           for stack in STACKS}
    out["gaps by unit, top 60"] = charts.vacancies_by_unit(gaps, lang=lang, top=60)
    out["gaps by unit, nothing found"] = charts.vacancies_by_unit(gaps.iloc[:0], lang=lang)
    out["gaps by sector"] = charts.vacancies_by_group(gaps, by="sector", lang=lang)
    out["gaps by source"] = charts.vacancies_by_group(gaps, by="funding_source", lang=lang)
    out["remaining"] = charts.remaining_by_unit(by_unit, lang=lang)
    out["remaining, one unit"] = charts.remaining_by_unit(by_unit, lang=lang, top=5,
                                                          units=by_unit["unit_id"].head(1))
    out["remaining, none"] = charts.remaining_by_unit(by_unit, lang=lang, units=[])
    out["fill rate"] = charts.fill_rate_by_unit(by_unit, lang=lang, top=60)
    out["fill rate, none"] = charts.fill_rate_by_unit(by_unit, lang=lang, units=[])
    table = charts.budget_table(a.cost_by_source, a.budgets, a.total_budget)
    out["budget use"] = charts.budget_use(table, lang=lang)
    with_total = charts.budget_table(a.cost_by_source, a.budgets, 70e9)
    out["budget use with a total"] = charts.budget_use(with_total, lang=lang)
    out["budget curve"] = charts.budget_curve(curve, lang=lang,
                                              current=sc.budgets["state_budget"])
    out["budget curve, empty"] = charts.budget_curve(curve.iloc[:0], lang=lang)
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_chart_the_app_draws_is_valid_vega_lite(sample, lang):
    drawn = app_charts(sample, lang)
    assert len(drawn) == 16
    for name, chart in drawn.items():
        shown = fit(chart)
        try:
            spec = shown.to_dict(validate=True)
        except SchemaValidationError as exc:  # pragma: no cover - the failure's message
            raise AssertionError(f"{name} ({lang}): {exc}") from None
        # what the page hands Streamlit is the same spec, only not checked a second time
        assert Checked(shown).to_dict() == spec, name


def test_the_schema_check_is_skipped_only_at_drawing():
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a:Q")
    chart.width = "very wide"  # not a width Vega-Lite knows (set past Altair's own checks)
    with pytest.raises(SchemaValidationError):
        chart.to_dict()  # what the test above relies on: an invalid chart is refused
    assert Checked(chart).to_dict()["width"] == "very wide"  # … and not checked when drawn
    assert Checked(chart).mark == chart.mark  # anything else is the chart's own


@pytest.mark.slow
def test_a_rerun_that_keeps_the_plan_keeps_its_charts_and_solve_redraws_them():
    from app_helpers import chart_rows, open_page, start

    at = open_page(start(), "plan")
    built = at.session_state["chart_memo.remaining"][2]
    rows = chart_rows(at, 0)
    at.text_input(key="w_budget.state_budget").input("20").run()  # nothing solved yet
    assert at.session_state["chart_memo.remaining"][2] is built
    assert chart_rows(at, 0) == rows
    at.button(key="solve").click().run()
    assert not at.exception
    assert at.session_state["chart_memo.remaining"][2] is not built
    after = chart_rows(at, 0)
    assert after != rows  # 20 tỷ instead of 60: more vacancies remain
    by_unit = at.session_state["plan_result"].allocation.by_unit.set_index("unit_name")
    remaining = [r for r in after if r.get("stage") == "Sau phương án"]
    assert remaining and all(r["value"] == by_unit.loc[r["unit"], "remaining_vacancies"]
                             for r in remaining)
    at.number_input(key="w_plan_top").set_value(10).run()  # another choice: built again
    assert len({r["unit"] for r in chart_rows(at, 0) if "stage" in r}) == 10

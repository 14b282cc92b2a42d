"""Multi-year page (Kế hoạch nhiều năm, issue 15): the quota path against staff on board.

On the sample it plans the sample's quota path to 2030 with its synthetic roster; on uploaded
data it reads the uploaded files' year columns (quotas per year such as quota_2027 or "Biên
chế giao năm 2027", departures per year such as departures_2027 or "Dự kiến nghỉ năm 2027")
and plans that path, or the cut rule set here (an optional roster can be uploaded: only its
counts per unit, position and year are kept). Then the stock-and-flow chart for the province
and a chosen unit, hires by year and unit, the surplus to streamline and the budgets per
year, the plan as CSV or workbook, and the Save panel. The page only gathers parameters and
calls :func:`planner.api.plan`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from planner import api
from planner.domain.limits import Limits
from planner.domain.multiyear import MultiYearSettings, QuotaCut
from planner.domain.problems import InputError
from planner.domain.scenario import Scenario, ScenarioError
from planner.export.multiyear import plan_csv, plan_workbook
from planner.io.amounts import Unit
from planner.io.inputs import Inputs
from planner.io.multiyear import MultiYearInputs, load_multiyear_inputs
from planner.io.roster import read_roster
from planner.io.sample import SAMPLE_MULTIYEAR_FILES
from planner.io.sources import SourceFile
from planner.optimise.multiyear_result import MultiYearPlan
from planner.present.charts_multiyear import stock_flow
from planner.present.labels import source_name
from planner.ui import amount_field, multiyear_save, session, state
from planner.ui.amount_field import amount_input
from planner.ui.plan_params import MAX_BUDGET
from planner.ui.widgets import count, metric_row, money_short, tr

RESULT, RUN = multiyear_save.RESULT, multiyear_save.RUN
W_FIRST, W_LAST = "w_my_first", "w_my_last"
W_BUDGET = "w_my_budget"  # prefix: w_my_budget.<source>
W_CUT, W_EXEMPT, W_ROSTER, W_UNIT = "w_my_cut", "w_my_exempt", "w_my_roster", "w_my_unit"


@st.cache_data(max_entries=1, show_spinner=False)
def _sample() -> MultiYearInputs:
    files = SAMPLE_MULTIYEAR_FILES
    loaded = load_multiyear_inputs(files["quotas"], files["headcounts"], files["units"])
    return loaded


@st.cache_data(max_entries=4, show_spinner=False)
def _uploaded(cache_key: str, _upload: tuple[Any, ...]) -> MultiYearInputs:
    """The uploaded files (as the Data page read them: same mappings and sheet) with their
    year columns; ``cache_key`` is the dataset's."""
    files, mappings, sheet = _upload
    by_role = {role: SourceFile(name, data) for role, name, data in files}
    mapped: dict[str, dict[str, str]] = {}
    for role, column_id, header in mappings:
        mapped.setdefault(role, {})[column_id] = header
    return load_multiyear_inputs(by_role["quotas"], by_role.get("headcounts"),
                                 by_role.get("units"), mappings=mapped or None,
                                 sheet=sheet or None)


def _loaded(ds: session.Dataset) -> MultiYearInputs | None:
    """The dataset with its year columns (None when the upload cannot be read again: the
    page then plans the dataset with the cut rule only, as before)."""
    if ds.kind == "sample":
        return _sample()
    if ds.upload is None:
        return None
    try:
        return _uploaded(ds.cache_key, ds.upload)
    except InputError:
        return None


def main() -> None:
    lang = state.lang()
    st.title(tr("multiyear.title"))
    st.caption(tr("multiyear.intro"))
    ds = session.dataset()
    sc = session.scenario()
    sample = ds.kind == "sample"
    loaded = _loaded(ds)
    inputs = loaded.inputs if loaded is not None else ds.inputs
    has_path = loaded is not None and bool(loaded.quota_years)
    if not sample and loaded is not None and (loaded.quota_years or loaded.departure_years):
        st.caption(tr("multiyear.upload_years",
                      quota=", ".join(map(str, sorted(loaded.quota_years))) or "–",
                      departures=", ".join(map(str, sorted(loaded.departure_years))) or "–"))
    c1, c2, c3 = st.columns(3)
    first = int(c1.number_input(tr("multiyear.first_year"), 2020, 2100, 2026, key=W_FIRST))
    last = int(c2.number_input(tr("multiyear.last_year"), 2020, 2100, 2030, key=W_LAST))
    amount_field.seed(W_CUT, 0.0 if has_path else 0.15, Unit.PERCENT)
    cut_share, cut_error = amount_input(c3, tr("multiyear.cut"), key=W_CUT, unit=Unit.PERCENT,
                                        minimum=0.0, maximum=1.0, help=tr("multiyear.help_cut"))
    cut = 100 * (cut_share or 0.0)
    sectors = sorted(inputs.positions["sector"].dropna().unique().tolist())
    exempt = st.multiselect(tr("multiyear.exempt"), sectors, key=W_EXEMPT,
                            default=[s for s in sectors if "giáo dục" in s.lower()
                                     or "y tế" in s.lower()])
    sources = sorted(inputs.positions["funding_source"].unique())
    cols = st.columns(max(1, len(sources)))
    budgets = {}
    errors = [cut_error] if cut_error else []
    for col, source in zip(cols, sources, strict=False):
        key = f"{W_BUDGET}.{source}"
        amount_field.seed(key, sc.budgets.get(source), Unit.BILLION)
        value, error = amount_input(col, tr("multiyear.budget", source=source_name(source, lang)),
                                    key=key, unit=Unit.BILLION, maximum=MAX_BUDGET,
                                    placeholder=tr("plan.no_limit"),
                                    help=tr("multiyear.help_budget"))
        if error:
            errors.append(error)
        elif value:
            budgets[source] = float(value)
    roster_file = None if sample else st.file_uploader(tr("multiyear.roster"),
                                                       type=["csv", "xlsx"], key=W_ROSTER)
    if st.button(tr("multiyear.solve"), type="primary", icon=":material/event_repeat:",
                 disabled=bool(errors)):
        _solve(inputs, sc, loaded, first, last, cut, exempt, budgets, roster_file, sample)
    reopened = state.get(multiyear_save.REOPENED)
    if reopened:  # a saved plan reopened from the Saved scenarios page
        st.success(reopened, icon=":material/check_circle:")
        state.drop(multiyear_save.REOPENED)
    result = state.get(RESULT)
    if isinstance(result, str):
        st.error(result)
    elif result is not None:
        _show(result, lang)
        run = state.get(RUN)
        if run is not None:
            multiyear_save.render(result, run[0], run[1])


def _solve(inputs: Inputs, sc: Scenario, loaded: MultiYearInputs | None, first: int,
           last: int, cut: float, exempt: list[str], budgets: dict[str, float],
           roster_file: Any, sample: bool) -> None:
    try:
        years = tuple(range(first, last + 1))
        settings = MultiYearSettings(
            years=years,
            quota_cut=QuotaCut(rate=cut / 100, by_year=last, exempt_sectors=tuple(exempt))
            if cut > 0 else None)
        scenario = sc.with_changes(budgets=budgets,
                                   time_limit=float(Limits.from_env().app_time_limit))
        roster = None
        if sample:
            roster = read_roster(SAMPLE_MULTIYEAR_FILES["roster"], years=years,
                                 positions=inputs.positions).counts
        elif roster_file is not None:
            roster = read_roster(SourceFile(roster_file.name, roster_file.getvalue()),
                                 years=years, positions=inputs.positions).counts
        with st.spinner(tr("multiyear.solving")):
            plan = api.plan(
                inputs, scenario, settings,
                quota_years=loaded.quota_years if loaded and settings.quota_cut is None else None,
                departure_years=loaded.departure_years if loaded else None,
                plain_departures=loaded.plain_departures if loaded else True, roster=roster)
        state.put(RESULT, plan)
        state.put(RUN, (scenario, inputs))
    except InputError as exc:
        state.put(RESULT, exc.render(state.lang()))
    except ScenarioError as exc:
        state.put(RESULT, exc.render(state.lang()))


def _show(plan: MultiYearPlan, lang: str) -> None:
    st.info(tr(f"multiyear.status.{plan.status}"))
    if plan.plan is None or plan.by_year is None:
        table = plan.budgets[plan.budgets["least"].notna()]
        st.dataframe(table, hide_index=True)
        return
    y = plan.by_year
    metric_row([
        (tr("multiyear.hires"), count(int(y["hires"].sum())), None),
        (tr("multiyear.departures"), count(int(y["departures"].sum())), None),
        (tr("multiyear.streamline"), count(int(y["surplus_to_streamline"].iloc[-1])),
         tr("multiyear.help_streamline")),
        (tr("multiyear.cost_last"), money_short(float(y["salary_cost"].iloc[-1])), None),
    ])
    st.altair_chart(stock_flow(plan.plan, lang=lang, title=tr("multiyear.chart_province")),
                    width="stretch")
    units = plan.plan.drop_duplicates("unit_id")
    names = dict(zip(units["unit_id"], units["unit_name"], strict=True))
    unit = st.selectbox(tr("multiyear.unit"), list(names), format_func=lambda u: names[u],
                        key=W_UNIT)
    st.altair_chart(stock_flow(plan.plan, lang=lang, unit_id=unit,
                               title=tr("multiyear.chart_unit", unit=names[unit])),
                    width="stretch")
    st.subheader(tr("multiyear.by_year"))
    st.dataframe(y, hide_index=True)
    st.subheader(tr("multiyear.hires_by_unit"))
    pivot = plan.plan.pivot_table(index=["unit_id", "unit_name"], columns="year",
                                  values="hires", aggfunc="sum").reset_index()
    pivot.columns = [str(c) for c in pivot.columns]
    st.dataframe(pivot[pivot.iloc[:, 2:].sum(axis=1) > 0], hide_index=True)
    st.subheader(tr("multiyear.surplus"))
    st.dataframe(plan.surplus, hide_index=True)
    st.subheader(tr("multiyear.budgets"))
    st.dataframe(pd.DataFrame(plan.budgets), hide_index=True)
    c1, c2 = st.columns(2)
    c1.download_button(tr("multiyear.download_csv"), plan_csv(plan), "ke_hoach_nhieu_nam.csv",
                       "text/csv")
    c2.download_button(tr("multiyear.download_xlsx"), plan_workbook(plan, lang=lang),
                       "ke_hoach_nhieu_nam.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


main()

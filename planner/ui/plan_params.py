"""The Plan page's parameters: widgets seeded from the session's scenario, read back into one.

Money is typed in tỷ đồng (billions of VND) per year, shares in percent; a blank budget means
no limit. Priorities and pins per (unit, position) and caps per unit are edited in tables
(``st.data_editor``); the edits are kept in the session (``state.ROW_SETTINGS`` and
``state.UNIT_SETTINGS``) and become the scenario's ``rows`` and ``units`` settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from planner.domain.scenario import Objective, RowSetting, Scenario, ScenarioError, UnitSetting
from planner.io.amounts import Unit
from planner.present.labels import code_label, column_label
from planner.ui import amount_field, session, state
from planner.ui.amount_field import amount_input
from planner.ui.solving import app_time_limit
from planner.ui.widgets import labeller, search_units, tr

BILLION = 1e9
MILLION = 1e6
MAX_BUDGET = 1e15  # 1 triệu tỷ đồng: above this, đồng were typed into a field of tỷ
MIN_BASE_SALARY, MAX_BASE_SALARY = 100_000, 100_000_000  # đồng a month: "2,5" is not a salary
EDITOR_ROWS = 2_000  # most rows an editor shows at once (the search box reaches the rest)
ROW_KEYS = ["unit_id", "position_id"]
ROW_EDITABLE = ["priority", "min_hires", "max_hires"]
UNIT_EDITABLE = ["max_hires", "budget_cap", "min_fill"]


def budget_key(source: str) -> str:
    return f"{state.W_BUDGET}.{source}"


def sources(gaps: pd.DataFrame, sc: Scenario) -> list[str]:
    """Funding sources with a budget field: those in the data, then any the scenario names."""
    in_data = gaps.groupby("funding_source")["vacancies"].sum().sort_values(ascending=False)
    return list(dict.fromkeys([*in_data.index, *sc.budgets]))


def parameter_widgets(gaps: pd.DataFrame, sc: Scenario) -> tuple[dict[str, Any], Any]:
    """Draw the parameter widgets; returns the values they hold (scenario field names) and
    the empty column at the end of the budgets' row (for the Solve button)."""
    lang = state.lang()
    names = sources(gaps, sc)
    values: dict[str, Any] = {"budgets": {}}
    cols = st.columns([3] * (len(names) + 1) + [2], vertical_alignment="bottom")
    errors: list[str] = []

    def field(where: Any, label: str, key: str, unit: Unit, **kw: Any) -> float | None:
        value, error = amount_input(where, label, key=key, unit=unit, **kw)
        if error:
            errors.append(f"«{label}»")
        return value

    for col, source in zip(cols, names, strict=False):
        key = budget_key(source)
        amount_field.seed(key, sc.budgets.get(source), Unit.BILLION)
        amount = field(col, tr("plan.budget", source=code_label("funding_source", source, lang)),
                       key, Unit.BILLION, maximum=MAX_BUDGET, placeholder=tr("plan.no_limit"),
                       help=tr("plan.help_budget"))
        if amount is not None:
            values["budgets"][source] = round(amount)
    amount_field.seed(state.W_TOTAL_BUDGET, sc.total_budget, Unit.BILLION)
    total = field(cols[-2], tr("plan.total_budget"), state.W_TOTAL_BUDGET, Unit.BILLION,
                  maximum=MAX_BUDGET, placeholder=tr("plan.no_limit"),
                  help=tr("plan.help_total_budget"))
    values["total_budget"] = None if total is None else round(total)

    c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 2, 2])
    key = state.lang_key(state.W_OBJECTIVE)
    state.seed(key, str(sc.objective))
    values["objective"] = c1.selectbox(tr("plan.objective"), [o.value for o in Objective],
                                       key=key, format_func=labeller("objective."),
                                       help=tr("plan.help_objective"))
    amount_field.seed(state.W_MIN_FILL, sc.min_fill, Unit.PERCENT)
    values["min_fill"] = field(c2, tr("plan.min_fill"), state.W_MIN_FILL, Unit.PERCENT,
                               maximum=1.0, placeholder=tr("plan.none"),
                               help=tr("plan.help_min_fill"))
    amount_field.seed(state.W_TARGET_FILL, sc.target_fill, Unit.PERCENT)
    target = field(c3, tr("plan.target_fill"), state.W_TARGET_FILL, Unit.PERCENT, maximum=1.0,
                   disabled=values["objective"] != Objective.MIN_COST,
                   help=tr("plan.help_target_fill"))
    values["target_fill"] = sc.target_fill if target is None else target
    amount_field.seed(state.W_BASE_SALARY, sc.base_salary, Unit.DONG)
    salary = field(c4, tr("plan.base_salary"), state.W_BASE_SALARY, Unit.DONG,
                   minimum=MIN_BASE_SALARY, maximum=MAX_BASE_SALARY,
                   help=tr("plan.help_base_salary"))
    values["base_salary"] = sc.base_salary if salary is None else salary
    limit = app_time_limit()
    state.seed(state.W_TIME_LIMIT, min(sc.time_limit or limit, limit))
    values["time_limit"] = c5.number_input(tr("plan.time_limit"), min_value=1.0,
                                           max_value=float(limit), step=5.0, format="%.0f",
                                           key=state.W_TIME_LIMIT,
                                           help=tr("plan.help_time_limit", limit=int(limit)))
    coefficient_widgets(gaps, sc, values)
    values["_errors"] = errors
    return values, cols[-1]


def coefficient_widgets(gaps: pd.DataFrame, sc: Scenario, values: dict[str, Any]) -> None:
    """One field per staff type whose rows carry no salary coefficient: the coefficient they
    are costed at (the scenario's ``default_coefficient``, 2.34 unless set). None is drawn
    when every row has its coefficient."""
    if "coefficient_defaulted" not in gaps:
        return
    counts = gaps.loc[gaps["coefficient_defaulted"], "staff_type"].value_counts(sort=False)
    if counts.empty:
        return
    lang = state.lang()
    chosen = dict(sc.coefficients)
    cols = st.columns(max(3, len(counts)))
    for col, (staff_type, rows) in zip(cols, counts.items(), strict=False):
        key = f"{state.W_DEFAULT_COEFFICIENT}.{staff_type}"
        state.seed(key, float(chosen.get(staff_type, 2.34)))
        chosen[staff_type] = col.number_input(
            tr("plan.default_coefficient", staff_type=code_label("staff_type", staff_type, lang)),
            min_value=0.01, max_value=20.0, step=0.01, format="%.2f", key=key,
            help=tr("plan.help_default_coefficient", rows=int(rows)))
    values["default_coefficient"] = chosen


# --- per-row and per-unit settings ------------------------------------------------------------


def row_settings(gaps: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
    """Every (unit, position) with its priority and pins as the scenario sets them."""
    table: pd.DataFrame | None = state.get(state.ROW_SETTINGS)
    if table is None or len(table) != len(gaps):
        applied = sc.apply_rows(gaps)
        table = applied[["unit_id", "unit_name", "position_id", "position_name", "staff_type",
                         "vacancies", *ROW_EDITABLE]].reset_index(drop=True)
        table["priority"] = table["priority"].astype("float64")
        table["min_hires"] = pd.to_numeric(table["min_hires"]).astype("Int64")
        table["max_hires"] = pd.to_numeric(table["max_hires"]).astype("Int64")
        state.put(state.ROW_SETTINGS, table)
    return table


def unit_settings(gaps: pd.DataFrame, sc: Scenario) -> pd.DataFrame:
    """Every unit with its cap on hires, budget cap (VND) and minimum fill."""
    table: pd.DataFrame | None = state.get(state.UNIT_SETTINGS)
    if table is None:
        ds = session.dataset()
        units = sc.apply_units(ds.inputs.units, gaps["unit_id"])
        base = (gaps.groupby("unit_id", sort=False)
                .agg(unit_name=("unit_name", "first"), vacancies=("vacancies", "sum"))
                .reset_index())
        if units is not None and len(units):
            base = base.merge(units[["unit_id", *UNIT_EDITABLE]], on="unit_id", how="left")
        else:
            base = base.assign(max_hires=pd.array([pd.NA] * len(base), dtype="Int64"),
                               budget_cap=float("nan"), min_fill=float("nan"))
        base["max_hires"] = pd.to_numeric(base["max_hires"]).astype("Int64")
        base["budget_cap"] = pd.to_numeric(base["budget_cap"]).astype("float64")
        base["min_fill"] = pd.to_numeric(base["min_fill"]).astype("float64")
        table = base
        state.put(state.UNIT_SETTINGS, table)
    return table


def _apply_edits(table_key: str, view_key: str, editor_key: str, scale: dict[str, float]) -> None:
    """on_change of an editor: copy its edits into the session's settings table."""
    edits = st.session_state.get(editor_key) or {}
    table: pd.DataFrame = state.get(table_key).copy()
    view: list[int] = state.get(view_key) or []
    for pos, changes in (edits.get("edited_rows") or {}).items():
        if int(pos) >= len(view):
            continue
        i = view[int(pos)]
        for col, value in changes.items():
            if col not in table.columns:
                continue
            if value is None or (isinstance(value, float) and pd.isna(value)):
                table.loc[i, col] = pd.NA if str(table[col].dtype) == "Int64" else float("nan")
            else:
                table.loc[i, col] = value * scale.get(col, 1)
    state.put(table_key, table)
    state.put(state.EDITOR_VERSION, state.get(state.EDITOR_VERSION, 0) + 1)


def _height(rows: int) -> int:
    """Editor height: fits a few rows, scrolls beyond ten."""
    return min(360, 35 * (rows + 1) + 3)


def row_editor(gaps: pd.DataFrame, sc: Scenario) -> None:
    table = row_settings(gaps, sc)
    c1, c2 = st.columns([3, 2])
    text = c1.text_input(tr("filter.search"), key=state.W_ROW_FILTER,
                         placeholder=tr("filter.search_placeholder"))
    state.seed("w_row_only_vacant", True)
    only = c2.checkbox(tr("gaps.only_vacant"), key="w_row_only_vacant")
    keep = search_units(table, text)
    if only:
        keep &= table["vacancies"] > 0
    view = list(table.index[keep][:EDITOR_ROWS])
    if keep.sum() > EDITOR_ROWS:
        st.caption(tr("plan.editor_capped", n=EDITOR_ROWS, total=int(keep.sum())))
    state.put(state.ROW_VIEW, view)
    lang = state.lang()
    shown = table.loc[view].reset_index(drop=True)
    shown["staff_type"] = shown["staff_type"].map(lambda v: code_label("staff_type", v, lang))
    key = f"{state.W_ROW_EDITOR}.{state.get(state.EDITOR_VERSION, 0)}"
    st.data_editor(
        shown, key=key, hide_index=True, height=_height(len(shown)), num_rows="fixed",
        placeholder="", disabled=["unit_id", "unit_name", "position_id", "position_name",
                                  "staff_type", "vacancies"],
        column_order=["unit_name", "position_name", "staff_type", "vacancies", *ROW_EDITABLE],
        column_config={
            "unit_name": st.column_config.TextColumn(column_label("unit_name", lang)),
            "position_name": st.column_config.TextColumn(column_label("position_name", lang)),
            "staff_type": st.column_config.TextColumn(column_label("staff_type", lang)),
            "vacancies": st.column_config.NumberColumn(column_label("vacancies", lang)),
            "priority": st.column_config.NumberColumn(column_label("priority", lang),
                                                      min_value=0.0, step=0.5, format="%g",
                                                      help=tr("plan.help_priority")),
            "min_hires": st.column_config.NumberColumn(column_label("min_hires", lang),
                                                       min_value=0, step=1,
                                                       help=tr("plan.help_min_hires")),
            "max_hires": st.column_config.NumberColumn(column_label("max_hires", lang),
                                                       min_value=0, step=1,
                                                       help=tr("plan.help_max_hires")),
        },
        on_change=_apply_edits, args=(state.ROW_SETTINGS, state.ROW_VIEW, key, {}))


def unit_editor(gaps: pd.DataFrame, sc: Scenario) -> None:
    table = unit_settings(gaps, sc)
    text = st.text_input(tr("filter.search"), key=state.W_UNIT_FILTER,
                         placeholder=tr("filter.search_placeholder"))
    keep = search_units(table, text)
    view = list(table.index[keep][:EDITOR_ROWS])
    state.put(state.UNIT_VIEW, view)
    lang = state.lang()
    shown = table.loc[view].reset_index(drop=True)
    shown["budget_cap"] = shown["budget_cap"] / MILLION
    shown["min_fill"] = shown["min_fill"] * 100
    key = f"{state.W_UNIT_EDITOR}.{state.get(state.EDITOR_VERSION, 0)}"
    st.data_editor(
        shown, key=key, hide_index=True, height=_height(len(shown)), num_rows="fixed",
        placeholder="", disabled=["unit_id", "unit_name", "vacancies"],
        column_order=["unit_id", "unit_name", "vacancies", *UNIT_EDITABLE],
        column_config={
            "unit_id": st.column_config.TextColumn(column_label("unit_id", lang)),
            "unit_name": st.column_config.TextColumn(column_label("unit_name", lang)),
            "vacancies": st.column_config.NumberColumn(column_label("vacancies", lang)),
            "max_hires": st.column_config.NumberColumn(column_label("max_hires", lang),
                                                       min_value=0, step=1,
                                                       help=tr("plan.help_unit_max")),
            "budget_cap": st.column_config.NumberColumn(tr("plan.budget_cap_million"),
                                                        min_value=0.0, step=10.0,
                                                        format="%.1f",
                                                        help=tr("plan.help_budget_cap")),
            "min_fill": st.column_config.NumberColumn(tr("plan.min_fill_percent"),
                                                      min_value=0.0, max_value=100.0,
                                                      step=5.0, format="%.0f",
                                                      help=tr("plan.help_unit_min_fill")),
        },
        on_change=_apply_edits,
        args=(state.UNIT_SETTINGS, state.UNIT_VIEW, key,
              {"budget_cap": MILLION, "min_fill": 0.01}))


# --- back into a scenario -------------------------------------------------------------------


def _differences(edited: pd.DataFrame, original: pd.DataFrame, keys: list[str],
                 columns: list[str]) -> pd.DataFrame:
    """Rows of ``edited`` with a value set that differs from ``original`` (others blank).

    Clearing a value the input tables hold is not a setting a scenario can express, so a
    blank edited value never counts as a difference.
    """
    merged = edited[keys + columns].merge(original[keys + columns], on=keys, how="left",
                                          suffixes=("", "_input"))
    out = merged[keys].copy()
    any_change = pd.Series(False, index=merged.index)
    for c in columns:
        new = pd.to_numeric(merged[c]).astype("float64")
        old = pd.to_numeric(merged[f"{c}_input"]).astype("float64")
        diff = new.notna() & (old.isna() | (new != old))
        out[c] = new.where(diff)
        any_change |= diff
    return out[any_change]


def _plain(value: Any, whole: bool) -> Any:
    if pd.isna(value):
        return None
    return int(value) if whole else float(value)


def _once_per_table[T](name: str, table: pd.DataFrame, work: Callable[[], T]) -> T:
    """``work()`` for this settings table and dataset, computed again only when either changes
    (an edit replaces the table), not at every rerun of the page."""
    slot = f"settings_diff.{name}"
    held = state.get(slot)
    key = session.dataset().cache_key
    if held is None or held[0] is not table or held[1] != key:
        held = (table, key, work())
        state.put(slot, held)
    result: T = held[2]
    return result


def rows_from_settings(gaps: pd.DataFrame) -> tuple[RowSetting, ...]:
    """Row settings wherever the edited table differs from the input tables."""
    table = state.get(state.ROW_SETTINGS)
    if table is None:
        return ()
    return _once_per_table("rows", table, lambda: _row_settings(table, gaps))


def _row_settings(table: pd.DataFrame, gaps: pd.DataFrame) -> tuple[RowSetting, ...]:
    diff = _differences(table, gaps, ROW_KEYS, ROW_EDITABLE)
    return tuple(
        RowSetting(unit_id=r["unit_id"], position_id=r["position_id"],
                   **{c: _plain(r[c], c != "priority") for c in ROW_EDITABLE})
        for r in diff.to_dict("records"))


def units_from_settings() -> tuple[UnitSetting, ...]:
    table = state.get(state.UNIT_SETTINGS)
    if table is None:
        return ()
    return _once_per_table("units", table, lambda: _unit_settings(table))


def _unit_settings(table: pd.DataFrame) -> tuple[UnitSetting, ...]:
    units = session.dataset().inputs.units
    original = units if units is not None else pd.DataFrame(
        {"unit_id": pd.Series(dtype="str"), **{c: pd.Series(dtype="float64")
                                               for c in UNIT_EDITABLE}})
    diff = _differences(table, original, ["unit_id"], UNIT_EDITABLE)
    return tuple(
        UnitSetting(unit_id=r["unit_id"],
                    **{c: _plain(r[c], c == "max_hires") for c in UNIT_EDITABLE})
        for r in diff.to_dict("records"))


def scenario_from_widgets(gaps: pd.DataFrame, sc: Scenario,
                          values: dict[str, Any]) -> tuple[Scenario, str | None]:
    """The scenario the widgets describe, or the current one and the reason it was refused."""
    values = dict(values)
    errors = values.pop("_errors", [])
    if errors:  # each is said under its field; the banner names the fields
        return sc, tr("plan.fields_wrong", fields=", ".join(errors))
    try:
        new = sc.with_changes(**values, rows=rows_from_settings(gaps),
                              units=units_from_settings())
    except ScenarioError as exc:
        return sc, exc.render(state.lang())
    return new, None

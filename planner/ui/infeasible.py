"""The explanation shown when no plan meets the requirements (not an error: a finding).

It says which requirement cannot be met and why (the budgets are too small, more hires are
required than vacancies or caps allow, a pin is impossible, a unit's own budget cap is too
low), the budget each funding source would need when money is the problem, and the units that
drive it. When money is the problem, one button puts the budgets needed into the fields.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import streamlit as st

from planner.domain.scenario import Scenario
from planner.i18n import t
from planner.optimise.result import (
    Allocation,
    Infeasibility,
    InfeasibleReason,
    UnitBeyondCapacity,
)
from planner.present.labels import budget_name
from planner.ui import state
from planner.ui.widgets import count, money, share, show_table, tr


def show(allocation: Allocation, scenario: Scenario) -> None:
    info = allocation.infeasibility
    lang = state.lang()
    box = st.container(border=True)
    box.markdown(f"#### :material/lightbulb: {tr('infeasible.title')}")
    if info is None:
        box.markdown(tr("infeasible.unknown"))
        return
    requirement = tr(f"infeasible.requirement.{info.requirement}",
                     min_fill=share(scenario.min_fill), target_fill=share(scenario.target_fill))
    box.markdown(tr(f"infeasible.reason.{info.reason}", requirement=requirement,
                    count=count(info.count)))
    if info.reason is InfeasibleReason.BUDGET:
        lines = [tr("infeasible.needs_total", needed=money(v.needed), budget=money(v.budget))
                 if key.is_total else
                 tr("infeasible.needs_source", source=budget_name(key, lang),
                    needed=money(v.needed), budget=money(v.budget))
                 for key, v in info.shortfalls().items()]
        if info.together:
            lines.append(t("opt.infeasible.together", lang))
        elif len(info.short) > 1:
            lines.append(t("opt.infeasible.each_alone", lang))
        if math.isfinite(info.min_total_budget):
            lines.append(tr("infeasible.whole_cost", total=money(info.min_total_budget)))
        box.markdown("\n".join(f"- {line}" for line in lines))
        box.button(tr("infeasible.use_needed_budget"), icon=":material/auto_fix_high:",
                   key="use_needed_budget", on_click=use_needed_budget,
                   args=(dict(info.min_budget_by_source), info.min_total_budget))
    units = _units(info)
    if len(units):
        box.markdown(tr("infeasible.units"))
        with box:
            show_table(units.head(50), height=240 if len(units) > 6 else "auto",
                       key="driving_units")
    rows = info.pins or info.groups
    if rows:
        box.markdown(tr("infeasible.rows"))
        with box:
            show_table(pd.DataFrame([dataclasses.asdict(r) for r in rows]),
                       key="impossible_pins")


def _units(info: Infeasibility) -> pd.DataFrame:
    """The driving units, with what is possible where capacity is the problem."""
    units = info.driving_units.copy()
    if info.reason is InfeasibleReason.CAPACITY and info.units:
        possible = {u.unit_id: u.possible for u in info.units
                    if isinstance(u, UnitBeyondCapacity)}
        units["possible_hires"] = units["unit_id"].map(possible).astype("Int64")
    if "cost_of_requirement" in units and not (units["cost_of_requirement"] > 0).any():
        units = units.drop(columns="cost_of_requirement")
    return units


def use_needed_budget(by_source: dict[str, float], total: float) -> None:
    """on_click: raise each budget field to what the requirement needs (tỷ, rounded up to
    0.1), never lowering one, and solve at once; a blank field (no limit) stays blank."""
    from planner.io.amounts import Unit
    from planner.ui import amount_field
    from planner.ui.plan_params import budget_key

    for source, needed in by_source.items():
        key = budget_key(source)
        current = amount_field.current(key, Unit.BILLION)
        wanted = math.ceil(needed / 1e8) * 1e8
        if current is not None and current < wanted:
            amount_field.put(key, wanted, Unit.BILLION)
    current = amount_field.current(state.W_TOTAL_BUDGET, Unit.BILLION)
    if math.isfinite(total) and current is not None:
        amount_field.put(state.W_TOTAL_BUDGET, max(current, math.ceil(total / 1e8) * 1e8),
                         Unit.BILLION)
    state.put(state.SOLVE_REQUEST, True)

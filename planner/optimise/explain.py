"""Explanations of an allocation: why a requirement cannot be met, what bounds each unit's
hires, and what one more billion đồng of each budget would buy.

Infeasibility. Without the budgets, units are independent, so the cheapest way to meet the
requirements alone (pins, minimum fill, target fill) is exact and needs no solver: in every
unit take the pinned hires, then the cheapest open vacancies until the unit's requirement is
met (:func:`requirement_plan`); it tells whether any budget can help. When the budgets are
short, :func:`least_budgets` finds exact figures by integer programs: each source's least
budget with the other budgets as set (unit caps and ceilings hold); the sources that can fix
the plan alone are the short ones. Where none can alone, the plan needing the least extra money
in all raises them together. Then every other source's least budget beside them, and the least
total: one đồng less than a figure and no plan meets the requirements.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.optimise.instance import AllocationInstance
from planner.optimise.model import MONEY_UNIT, AllocationModel, MipData, budget_rhs
from planner.optimise.result import (
    TOTAL_BUDGET,
    Bound,
    BoundKind,
    BudgetKey,
    ImpossiblePin,
    Infeasibility,
    InfeasibleReason,
    PinnedAboveQuota,
    Requirement,
    Shortfall,
    UnitBeyondCapacity,
    UnitOverCap,
)

BILLION = 1e9
#: seconds each least-budget integer program may take before its best plan is used (the
#: figures are then marked as not proven least: ``message_params["exact"]`` is False)
LEAST_BUDGET_TIME_LIMIT = 60.0
_UNLIMITED = 1e15  # đồng: a right-hand side no plan reaches, for a budget lifted for a moment
DRIVING_COLUMNS = ["unit_id", "unit_name", "min_required", "cost_of_requirement"]
BUDGET_VALUE_COLUMNS = ["funding_source", "is_total", "budget", "used", "slack", "binding",
                        "hires_per_billion", "value_per_billion", "value_unit", "method"]


# --- the requirements alone --------------------------------------------------------------

def requirement_plan(inst: AllocationInstance) -> np.ndarray:
    """The cheapest hires meeting pins and unit requirements, ignoring the budgets (exact).

    Per unit, greedily the cheapest open vacancies. The unit ceiling caps each (unit, staff
    type) group: within a group only its cheapest spare posts up to its room (less its pins)
    are offered, which is what greedy would take there anyway (a partition matroid)."""
    need = np.maximum(0, inst.unit_required - np.bincount(inst.unit, weights=inst.lower,
                                                          minlength=inst.n_units))
    spare = np.maximum(0, inst.upper - inst.lower)
    spare = _within_ceiling(inst, spare, inst.lower)
    order = np.lexsort((inst.cost, inst.unit))
    u, s = inst.unit[order], spare[order]
    cum = np.cumsum(s)
    start = np.concatenate([[0], np.cumsum(np.bincount(u, minlength=inst.n_units))])[u]
    before = cum - s - np.concatenate([[0], cum])[start]
    take = np.clip(need[u] - before, 0, s)
    hires = inst.lower.copy()
    hires[order] += take.astype(np.int64)
    return hires


def _within_ceiling(inst: AllocationInstance, spare: np.ndarray,
                    taken: np.ndarray) -> np.ndarray:
    """``spare`` hires per row cut so that, cheapest first, no (unit, staff type) group goes
    past its room once ``taken`` hires are counted."""
    n_g = len(inst.ceiling_room)
    left = np.maximum(0, inst.ceiling_room - np.bincount(inst.ceiling_group, weights=taken,
                                                        minlength=n_g)).astype(np.int64)
    order = np.lexsort((inst.cost, inst.ceiling_group))
    grp, s = inst.ceiling_group[order], spare[order]
    cum = np.cumsum(s)
    start = np.concatenate([[0], np.cumsum(np.bincount(grp, minlength=n_g))])[grp]
    before = cum - s - np.concatenate([[0], cum])[start]
    out = np.empty_like(spare)
    out[order] = np.clip(left[grp] - before, 0, s)
    return out


def unit_possible(inst: AllocationInstance) -> np.ndarray:
    """The most hires each unit can take: its rows' upper bounds within each group's room,
    and its cap."""
    group_most = np.minimum(np.bincount(inst.ceiling_group, weights=inst.upper,
                                        minlength=len(inst.ceiling_room)), inst.ceiling_room)
    most = np.bincount(inst.ceiling_unit, weights=group_most, minlength=inst.n_units)
    possible: np.ndarray = np.minimum(inst.unit_max, most)
    return possible


def structural_infeasibility(inst: AllocationInstance) -> Infeasibility | None:
    """Requirements no budget can pay for, found before any solve (None if there is none)."""
    g = inst.gaps
    bad = inst.lower > inst.upper
    if bad.any():
        rows = np.flatnonzero(bad)
        above = inst.lower[rows] > inst.vacancies[rows]
        reason = InfeasibleReason.PIN_ABOVE_VACANCIES if above.any() \
            else InfeasibleReason.PIN_ABOVE_MAX_HIRES
        names = g.get("position_name", g["position_id"])
        pins = tuple(ImpossiblePin(
            unit_id=str(g.at[r, "unit_id"]), unit_name=str(g.at[r, "unit_name"]),
            position_id=str(g.at[r, "position_id"]), position_name=str(names[r]),
            min_hires=int(inst.lower[r]), vacancies=int(inst.vacancies[r]),
            max_hires=int(inst.upper[r])) for r in rows[:20])
        units = np.unique(inst.unit[rows])
        return Infeasibility(Requirement.PINS, reason, {}, math.inf, _units_table(
            inst, units, np.bincount(inst.unit, weights=inst.lower, minlength=inst.n_units),
            np.full(inst.n_units, np.nan)), count=len(rows), pins=pins)
    pinned = np.bincount(inst.ceiling_group, weights=inst.lower,
                         minlength=len(inst.ceiling_room))
    over = np.flatnonzero(pinned > inst.ceiling_room)
    if len(over):
        groups = tuple(PinnedAboveQuota(
            unit_id=str(inst.unit_ids[inst.ceiling_unit[k]]),
            unit_name=str(inst.unit_names[inst.ceiling_unit[k]]),
            staff_type=str(inst.ceiling_staff_type[k]), pinned=int(pinned[k]),
            room=int(inst.ceiling_room[k])) for k in over[:20])
        units = np.unique(inst.ceiling_unit[over])
        return Infeasibility(Requirement.PINS, InfeasibleReason.PIN_ABOVE_QUOTA, {}, math.inf,
                             _units_table(inst, units, np.bincount(
                                 inst.unit, weights=inst.lower, minlength=inst.n_units),
                                 np.full(inst.n_units, np.nan)),
                             count=len(over), groups=groups)
    unit_pins = np.bincount(inst.unit, weights=inst.lower, minlength=inst.n_units)
    room = unit_possible(inst)
    need = np.maximum(inst.unit_required, unit_pins)
    short = need > room + 1e-9
    if short.any():
        units = np.flatnonzero(short)
        pins_short = unit_pins[units] > inst.unit_max[units]
        requirement = Requirement.PINS if pins_short.all() \
            else _kind(inst, units[~pins_short])
        beyond = tuple(UnitBeyondCapacity(
            unit_id=str(inst.unit_ids[u]), unit_name=str(inst.unit_names[u]),
            required=int(need[u]), possible=int(room[u])) for u in units[:20])
        return Infeasibility(requirement, InfeasibleReason.CAPACITY, {}, math.inf,
                             _units_table(inst, units, need, np.full(inst.n_units, np.nan)),
                             count=len(units), units=beyond)
    plan = requirement_plan(inst)
    unit_cost = np.bincount(inst.unit, weights=plan * inst.cost, minlength=inst.n_units)
    over_cap = unit_cost > inst.unit_budget + 1e-6
    if over_cap.any():
        units = np.flatnonzero(over_cap)
        capped = tuple(UnitOverCap(
            unit_id=str(inst.unit_ids[u]), unit_name=str(inst.unit_names[u]),
            budget_cap=float(inst.unit_budget[u]), needed=float(unit_cost[u]))
            for u in units[:20])
        by_source = _by_source(inst, plan)
        return Infeasibility(_kind(inst, units), InfeasibleReason.UNIT_BUDGET_CAP, by_source,
                             float(sum(by_source.values())),
                             _units_table(inst, units, need, unit_cost),
                             count=len(units), units=capped)
    return None


def budget_infeasibility(inst: AllocationInstance) -> Infeasibility:
    """Explain an infeasible solve whose requirements fit every cap: the budgets are short.
    The figures are :func:`least_budgets`'; the driving units are those whose requirement
    costs most in the short sources, in the cheapest plan at those figures."""
    least = least_budgets(inst)
    if least is None:  # no budget helps, though the caps seemed to allow the requirements
        plan, exact = requirement_plan(inst), False
        by_source = _by_source(inst, plan)
        total = float(sum(by_source.values()))
    else:
        by_source, total, plan, exact = least.by_source, least.total, least.plan, least.exact
    short = {s: Shortfall(budget=float(inst.budgets[i]), needed=by_source[s])
             for i, s in enumerate(inst.sources) if by_source[s] > inst.budgets[i] + 1e-6}
    # each short source's figure holds only with the others raised too
    together = least is not None and least.together and len(short) > 1
    total_short = Shortfall(budget=inst.total_budget, needed=total) \
        if total > inst.total_budget + 1e-6 else None
    pin_cost = _by_source(inst, inst.lower)
    pins_short = any(pin_cost[s] > inst.budgets[i] + 1e-6 for i, s in enumerate(inst.sources)) \
        or sum(pin_cost.values()) > inst.total_budget + 1e-6
    requirement = Requirement.PINS if pins_short \
        else _kind(inst, np.flatnonzero(inst.unit_required > 0))
    if short:
        mask = np.isin(inst.source, [inst.sources.index(s) for s in short])
    else:
        mask = np.ones(len(plan), dtype=bool)
    unit_cost = np.bincount(inst.unit, weights=np.where(mask, plan * inst.cost, 0.0),
                            minlength=inst.n_units)
    need = np.bincount(inst.unit, weights=plan, minlength=inst.n_units)
    units = np.flatnonzero(unit_cost > 0)
    # when the cheapest plan fits every budget, the solver could not find it
    reason = InfeasibleReason.BUDGET if short or total_short is not None \
        else InfeasibleReason.SOLVER
    return Infeasibility(requirement, reason, by_source, total,
                         _units_table(inst, units, need, unit_cost), short=short,
                         total_short=total_short, exact=exact, together=together)


@dataclass(frozen=True)
class LeastBudgets:
    """What makes the requirements payable (:func:`least_budgets`)."""

    by_source: dict[str, float]  # each source's least budget, the others held (see below)
    total: float  # the least total budget with every source held: its budget, or for a short
    #               source its least figure
    plan: np.ndarray  # the cheapest plan at those figures
    exact: bool  # every integer program was solved to optimality
    together: bool = False  # no source could fix the plan alone: the short ones rise together


def least_budgets(inst: AllocationInstance, *, sources: tuple[str, ...] | None = None
                  ) -> LeastBudgets | None:
    """The least budgets that let every requirement be met, exact to the đồng; None when no
    budget helps (a cap or ceiling blocks). ``sources``: which budgets may grow (default:
    every source given a budget).

    1. Each such source alone: its least budget with the other budgets as set. Where one or
       more sources can fix the plan alone, those are the short sources, each with its
       figure (one đồng less and, the others as set, no plan exists).
    2. Where no source can alone, the plan that needs the least extra money in all sets the
       figures of the sources it raises.
    Then every other source's least budget with the short ones at their figures (the one
    needing the smallest raise, in case 1), and the least total there."""
    base = replace(inst.mip_data(), fair_quota=None, fair_staying=None, keep_weighted=False,
                   total_budget=math.inf)
    grow = np.isfinite(inst.budgets) if sources is None else \
        np.isin(np.arange(len(inst.sources)), [inst.sources.index(s) for s in sources])
    as_set = inst.budgets.astype(float)
    alone, plans, exact = _least_each(inst, base, as_set, np.flatnonzero(grow))
    fixers = {s: v for s, v in alone.items() if v is not None and v > as_set[s] + 1e-6}
    held = as_set.copy()
    hires: np.ndarray | None
    if fixers:
        first = min(fixers, key=lambda s: (fixers[s] - as_set[s], s))
        held[first] = fixers[first]
        hires = plans[first]
    else:
        hires, ok = _least_extra(inst, base, grow)
        if hires is None:
            return None
        exact &= ok
        spent = np.bincount(inst.source, weights=hires * inst.cost,
                            minlength=len(inst.sources))
        held = np.where(grow, np.maximum(np.nan_to_num(as_set, posinf=0.0), spent), held)
    others = [s for s in range(len(inst.sources)) if s not in fixers]
    rest, _, ok = _least_each(inst, base, held, np.array(others, dtype=np.int64))
    exact &= ok
    figures: dict[str, float] = {}
    for s, name in enumerate(inst.sources):
        figure = fixers[s] if s in fixers else rest[s]
        figures[name] = float(held[s]) if figure is None else figure
    model = AllocationModel(replace(base, budgets=np.where(np.isfinite(held), held,
                                                           _UNLIMITED)))
    plan, ok = _least(model, inst.cost / MONEY_UNIT, base.lower, base.upper)
    exact &= ok
    if plan is None:
        plan = hires
    return LeastBudgets(figures, float(inst.cost @ plan), plan, exact, together=not fixers)


def _least_each(inst: AllocationInstance, base: MipData, budgets: np.ndarray, which: np.ndarray
                ) -> tuple[dict[int, float | None], dict[int, np.ndarray], bool]:
    """For each source in ``which``: its least spend with the others at ``budgets`` (None
    when no amount of it alone allows a plan), and that plan."""
    model = AllocationModel(replace(base, budgets=np.where(np.isfinite(budgets), budgets,
                                                           _UNLIMITED)))
    group = model.groups["budget"]
    row_of = dict(zip(group.keys.tolist(), group.rows.tolist(), strict=True))
    figures: dict[int, float | None] = {}
    plans: dict[int, np.ndarray] = {}
    exact = True
    for s in which.tolist():
        row = row_of[s]
        old = model.rhs(row)
        model.set_rhs(row, budget_rhs(_UNLIMITED))
        in_s = np.where(inst.source == s, inst.cost, 0.0)
        plan, ok = _least(model, in_s / MONEY_UNIT, base.lower, base.upper)
        model.set_rhs(row, old)
        exact &= ok or plan is None
        figures[s] = None if plan is None else float(in_s @ plan)
        if plan is not None:
            plans[s] = plan
    return figures, plans, exact


def _least_extra(inst: AllocationInstance, base: MipData, grow: np.ndarray
                 ) -> tuple[np.ndarray | None, bool]:
    """The plan needing the least extra money in all, the budgets in ``grow`` elastic."""
    n = len(inst.cost)
    model = AllocationModel(replace(base, budgets=np.where(grow & ~np.isfinite(base.budgets),
                                                            0.0, base.budgets),
                                    elastic_budgets=grow))
    k = len(model.elastic)
    return _least(model, np.concatenate([np.zeros(n), np.ones(k)]),
                  np.concatenate([base.lower, np.zeros(k)]),
                  np.concatenate([base.upper, np.full(k, np.inf)]))


def _least(model: AllocationModel, objective: np.ndarray, lower: np.ndarray,
           upper: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """Whole hires minimising ``objective`` exactly (no gap; 0.1 đồng), or the best found in
    the time allowed (False), or None."""
    run = model.run(objective=objective, maximise=False, integer=True, lower=lower,
                    upper=upper, gap=0.0, abs_gap=1e-7, time_limit=LEAST_BUDGET_TIME_LIMIT)
    if run.x is None:
        return None, False
    return np.round(run.x[:len(model.data.lower)]).astype(np.int64), run.status == "optimal"


def _kind(inst: AllocationInstance, units: np.ndarray) -> Requirement:
    kinds = set(inst.unit_requirement[units].tolist()) - {""}
    return Requirement.TARGET_FILL if "target_fill" in kinds else Requirement.MIN_FILL


def _by_source(inst: AllocationInstance, hires: np.ndarray) -> dict[str, float]:
    spent = np.bincount(inst.source, weights=hires * inst.cost, minlength=len(inst.sources))
    return {s: float(spent[i]) for i, s in enumerate(inst.sources)}


def _units_table(inst: AllocationInstance, units: np.ndarray, required: np.ndarray,
                 cost: np.ndarray) -> pd.DataFrame:
    t = pd.DataFrame({"unit_id": inst.unit_ids[units].astype(str),
                      "unit_name": inst.unit_names[units].astype(str),
                      "min_required": required[units].astype(np.int64),
                      "cost_of_requirement": cost[units].astype(float)})
    return t.sort_values(["cost_of_requirement", "min_required"], ascending=False,
                         kind="stable").reset_index(drop=True)[DRIVING_COLUMNS]


# --- what bounds each unit ---------------------------------------------------------------

def unit_bounds(inst: AllocationInstance, hires: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per unit, per row) labels of what limits the hires; see docs/optimiser.md."""
    n_u = inst.n_units

    def count(w: np.ndarray) -> np.ndarray:
        return np.bincount(inst.unit, weights=w, minlength=n_u)

    hired, room = count(hires), count(inst.upper)
    spent_unit = count(hires * inst.cost)
    spent = np.bincount(inst.source, weights=hires * inst.cost, minlength=len(inst.sources))
    slack = inst.budgets - spent
    total_slack = inst.total_budget - spent.sum()
    group_hired = np.bincount(inst.ceiling_group, weights=hires,
                              minlength=len(inst.ceiling_room))
    at_quota = (hires < inst.upper) & (group_hired >= inst.ceiling_room)[inst.ceiling_group]
    open_row = (hires < inst.upper) & ~at_quota
    row_label = np.full(len(hires), "", dtype=object)
    row_label[hires >= inst.vacancies] = "vacancies"
    capped = (hires >= inst.upper) & (inst.upper < inst.vacancies)
    row_label[capped] = np.where(inst.pinned[capped], "pin", "row_cap")
    row_label[at_quota & (row_label == "")] = "quota_ceiling"
    # for each open row: which money rule stops one more hire in it
    money = np.full(len(hires), "", dtype=object)
    money[open_row & (inst.cost + spent_unit[inst.unit]
                      > inst.unit_budget[inst.unit] + 1e-6)] = "unit_budget"
    money[open_row & (money == "") & (inst.cost > slack[inst.source] + 1e-6)] = "budget"
    money[open_row & (money == "") & (inst.cost > total_slack + 1e-6)] = "total_budget"

    def has(mask: np.ndarray) -> np.ndarray:
        return count(mask.astype(float)) > 0

    full_label = np.where(has(row_label == "pin"), "pin",
                          np.where(has(row_label == "row_cap"), "row_cap", "vacancies"))
    # the cheapest open row of each unit, and the money rule that stops a hire there
    cheap_reason = np.full(n_u, "", dtype=object)
    cheap_source = np.zeros(n_u, dtype=np.int64)
    rows = np.flatnonzero(open_row)
    if len(rows):
        rows = rows[np.lexsort((inst.cost[rows], inst.unit[rows]))]
        units, first = np.unique(inst.unit[rows], return_index=True)
        cheap_reason[units] = money[rows[first]]
        cheap_source[units] = inst.source[rows[first]]
    source_names = np.array([Bound.of_budget(s).code for s in inst.sources], dtype=object)
    required = (hired <= inst.unit_required) & (inst.unit_required > 0)
    requirement = np.where(inst.unit_requirement == "", "objective", inst.unit_requirement)
    ceiling_only = ~has(open_row) & has(at_quota)  # every post left is beyond the unit's quota
    labels = np.select(
        [inst.unit_vacancies == 0, hired >= room, ceiling_only, hired >= inst.unit_max,
         cheap_reason == "unit_budget", cheap_reason == "budget",
         cheap_reason == "total_budget", required],
        [BoundKind.NO_VACANCIES.value, full_label, BoundKind.QUOTA_CEILING.value,
         BoundKind.UNIT_CAP.value, BoundKind.UNIT_BUDGET.value, source_names[cheap_source],
         BoundKind.TOTAL_BUDGET.value, requirement],
        default=BoundKind.OBJECTIVE.value).astype(object)
    row_label = np.where(row_label == "", labels[inst.unit], row_label)
    return labels, row_label


# --- budget values -----------------------------------------------------------------------

def budget_values(inst: AllocationInstance, hires: np.ndarray, *, method: str,
                  value_unit: str, lp_duals: dict[BudgetKey, float] | None,
                  resolve: Callable[[BudgetKey], tuple[float, float] | None] | None
                  ) -> pd.DataFrame:
    """One row per budget given (each funding source, and the total): how much is used and
    what one more billion đồng buys: people (``hires_per_billion``, by re-solve only: the
    difference of the two plans) and the first goal (``value_per_billion``: weighted hires or
    points of the lowest fill rate, by re-solve or estimated by the LP dual)."""
    spent = np.bincount(inst.source, weights=hires * inst.cost, minlength=len(inst.sources))
    rows = [(BudgetKey(s), float(inst.budgets[i]), float(spent[i]))
            for i, s in enumerate(inst.sources) if math.isfinite(inst.budgets[i])]
    if math.isfinite(inst.total_budget):
        rows.append((TOTAL_BUDGET, inst.total_budget, float(spent.sum())))
    records = []
    for key, budget, used in rows:
        cheapest = _cheapest_open(inst, hires, key)
        binding = cheapest is not None and budget - used < cheapest - 1e-6
        people: float = math.nan
        if method == "not_applicable":
            value = math.nan
        elif method == "resolve" and resolve is not None:
            found = resolve(key) if binding else (0.0, 0)
            value, people = (math.nan, math.nan) if found is None else found
        else:
            value = abs((lp_duals or {}).get(key, 0.0)) * BILLION
        records.append({"funding_source": key.source, "is_total": key.is_total,
                        "budget": budget, "used": used,
                        "slack": budget - used, "binding": bool(binding),
                        "hires_per_billion": people,
                        "value_per_billion": value, "value_unit": value_unit,
                        "method": method})
    return pd.DataFrame(records, columns=BUDGET_VALUE_COLUMNS)


def _cheapest_open(inst: AllocationInstance, hires: np.ndarray, key: BudgetKey
                   ) -> float | None:
    """The cheapest post that money alone would open: below its row's bound, in a (unit,
    staff type) below its quota, a unit below its cap and with its own budget cap room."""
    group_hired = np.bincount(inst.ceiling_group, weights=hires,
                              minlength=len(inst.ceiling_room))
    unit_hired = np.bincount(inst.unit, weights=hires, minlength=inst.n_units)
    unit_spent = np.bincount(inst.unit, weights=hires * inst.cost, minlength=inst.n_units)
    open_row = ((hires < inst.upper)
                & (group_hired < inst.ceiling_room)[inst.ceiling_group]
                & (unit_hired < inst.unit_max)[inst.unit]
                & (unit_spent[inst.unit] + inst.cost <= inst.unit_budget[inst.unit] + 1e-6))
    if not key.is_total:
        open_row &= inst.source == inst.sources.index(str(key.source))
    return float(inst.cost[open_row].min()) if open_row.any() else None

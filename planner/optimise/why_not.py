"""Why a unit left with vacancies got no more hires, with the figures that make it true.

:func:`planner.optimise.explain.unit_bounds` names what limits each unit (``bound``). Where that is
money (a budget used up, the total budget, or only the minimum hired) or the objective, this
module says why *this* unit and not another, against **the last post the budget funded**:

* the unit's *best open post*: among its rows that could take one more hire as far as the
  unit's own limits go (below the row's bound, its staff type below the unit's quota, the unit
  below its cap and its own budget cap), the one with the most priority per đồng (then the
  cheapest, then the first in the input);
* the *last post funded* by that budget (the row's funding source; any source for the total
  budget), in another unit where there is one: among rows hired beyond what a rule forces
  (beyond their pins, in a unit above its required minimum and, under ``fair``, above the
  lowest staffing ratio), the one with the least priority per đồng (then the dearest, then
  the last in the input).

The reason (``why``):

* ``lower_value``: its best open post gives less priority per đồng than the last post funded
  (its priority and cost per hire against that post's): the money went to posts worth more;
* ``tie``: the same priority and cost per hire as the last post funded; among tied rows hires
  go to the units with the lowest fill rate first (planner.optimise.ties);
* ``equal_value``: as much priority per đồng with another priority and cost: a plan giving it
  the hire instead is as good in weighted hires; the one found is kept;
* ``does_not_fit``: more priority per đồng, but it costs more than the money left, and
  freeing money from the posts funded would not raise the weighted hires (the plan is optimal
  within its gap);
* ``required_only``: the budget went entirely to hires the rules force (pins, minimum fill,
  the lowest staffing ratio), nothing discretionary was funded;
* ``zero_priority``: money is left but the post has priority 0: a hire there counts for
  nothing, so the cheapest plan leaves it out;
* otherwise the ``bound`` code itself (``no_vacancies``, ``vacancies``, ``pin``,
  ``row_cap``, ``quota_ceiling``, ``unit_cap``, ``unit_budget``, ``objective``), with the
  limit in ``why_limit`` where there is one (the unit's cap, its budget cap, its vacancies
  left for redeployment).

Priority per đồng is compared exactly as p₁ × c₂ versus p₂ × c₁ (whole đồng, no rounding).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planner.optimise.instance import AllocationInstance
from planner.optimise.result import TOTAL_BUDGET, BudgetKey

#: Columns :func:`why_not` adds to the per-unit table.
WHY_COLUMNS = ["why", "why_required", "why_position", "why_priority", "why_cost", "why_budget",
               "why_budget_is_total", "why_left", "why_limit", "funded_unit", "funded_position",
               "funded_priority", "funded_cost"]
MONEY_LABELS = ("total_budget", "min_fill", "target_fill", "objective")


def why_not(inst: AllocationInstance, hires: np.ndarray, labels: np.ndarray, *,
            keep_ratio: bool) -> pd.DataFrame:
    """One row per unit (the instance's order) with :data:`WHY_COLUMNS` (module docstring);
    units without remaining vacancies get ``why`` = their bound and no figures."""
    n_u = inst.n_units
    h = np.asarray(hires, dtype=np.int64)
    def count(weights: np.ndarray) -> np.ndarray:
        return np.bincount(inst.unit, weights=weights, minlength=n_u)

    unit_hired = count(h)
    unit_spent = count(h * inst.cost)
    group_hired = np.bincount(inst.ceiling_group, weights=h, minlength=len(inst.ceiling_room))
    spent = np.bincount(inst.source, weights=h * inst.cost, minlength=len(inst.sources))
    slack = inst.budgets - spent
    total_slack = inst.total_budget - spent.sum()
    names = inst.gaps["position_name"].astype(str).to_numpy() \
        if "position_name" in inst.gaps else inst.gaps["position_id"].astype(str).to_numpy()

    open_row = ((h < inst.upper)
                & (group_hired < inst.ceiling_room)[inst.ceiling_group]
                & (unit_hired < inst.unit_max)[inst.unit]
                & (unit_spent[inst.unit] + inst.cost <= inst.unit_budget[inst.unit] + 1e-6))
    forced_unit = unit_hired <= inst.unit_required
    if keep_ratio:
        quota = inst.unit_quota.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(quota > 0, (inst.unit_staying + unit_hired) / quota, np.inf)
        floor = ratio.min() if len(ratio) else np.inf
        forced_unit |= ratio <= floor + 1e-12
    discretionary = (h > inst.lower) & ~forced_unit[inst.unit]

    best = _best_open(inst, open_row).tolist()
    # the last post funded, per budget: its two candidates (the first row in the order, and
    # the first of another unit than that row's), so each unit finds its comparator at once
    last_of = {BudgetKey(b): _last_funded(inst, discretionary & (inst.source == s))
               for s, b in enumerate(inst.sources)}
    last_of[TOTAL_BUDGET] = _last_funded(inst, discretionary)
    out: dict[str, list[Any]] = {c: [None] * n_u for c in WHY_COLUMNS}
    remaining = (inst.unit_vacancies - unit_hired).tolist()
    unit_of, source_of = inst.unit.tolist(), inst.source.tolist()
    priority, cost = inst.priority.tolist(), inst.cost.astype(float).tolist()
    slack_of = slack.tolist()
    required = inst.unit_required.tolist()
    unit_names = [str(x) for x in inst.unit_names]
    for u in range(n_u):
        label = str(labels[u])
        out["why"][u] = label
        if remaining[u] <= 0:
            continue
        if label == "unit_cap":
            out["why_limit"][u] = float(inst.unit_max[u])
        elif label == "unit_budget":
            out["why_limit"][u] = float(inst.unit_budget[u])
        elif label == "quota_ceiling":
            out["why_limit"][u] = float(remaining[u])
        r = best[u]
        money = label.startswith("budget:") or label in MONEY_LABELS
        if r < 0 or not money:
            continue
        out["why_required"][u] = required[u] if required[u] > 0 else None
        out["why_position"][u] = names[r]
        out["why_priority"][u] = priority[r]
        out["why_cost"][u] = cost[r]
        source = source_of[r]
        if label == "total_budget" or (slack_of[source] >= cost[r] - 1e-6
                                       and total_slack < cost[r] - 1e-6):
            budget, left = TOTAL_BUDGET, float(total_slack)
        else:
            budget, left = BudgetKey(inst.sources[source]), float(slack_of[source])
        # the source's key, or the total budget flagged in a column of its own
        out["why_budget"][u] = budget.source
        out["why_budget_is_total"][u] = budget.is_total
        out["why_left"][u] = left if np.isfinite(left) else None
        if left >= cost[r] - 1e-6:  # money is left for it
            if priority[r] <= 0:
                out["why"][u] = "zero_priority"
            continue
        first, other = last_of[budget]
        last = other if first >= 0 and unit_of[first] == u and other >= 0 else first
        if last < 0:
            out["why"][u] = "required_only"
            continue
        out["funded_unit"][u] = unit_names[unit_of[last]]
        out["funded_position"][u] = names[last]
        out["funded_priority"][u] = priority[last]
        out["funded_cost"][u] = cost[last]
        mine = priority[r] * cost[last]
        theirs = priority[last] * cost[r]
        if mine < theirs:
            out["why"][u] = "lower_value"
        elif mine > theirs:
            out["why"][u] = "does_not_fit"
        else:
            same = priority[r] == priority[last] and cost[r] == cost[last]
            out["why"][u] = "tie" if same else "equal_value"
    table = pd.DataFrame(out)
    for c in ("why_priority", "why_cost", "why_left", "why_limit", "funded_priority",
              "funded_cost"):
        table[c] = pd.to_numeric(table[c]).astype("float64")
    table["why_required"] = table["why_required"].astype("Int64")
    return table[WHY_COLUMNS]


def _best_open(inst: AllocationInstance, open_row: np.ndarray) -> np.ndarray:
    """Per unit, its open row with the most priority per đồng (−1: none)."""
    best = np.full(inst.n_units, -1, dtype=np.int64)
    rows = np.flatnonzero(open_row)
    if not len(rows):
        return best
    value = inst.priority[rows] / np.maximum(inst.cost[rows], 1.0)
    order = np.lexsort((rows, inst.cost[rows], -value, inst.unit[rows]))
    ordered = rows[order]
    units, first = np.unique(inst.unit[ordered], return_index=True)
    best[units] = ordered[first]
    return best


def _last_funded(inst: AllocationInstance, pool: np.ndarray) -> tuple[int, int]:
    """The rows of ``pool`` with the least priority per đồng (then the dearest, then the last
    in the input): the first, and the first in another unit than the first's (a unit's
    comparator is a post of another unit where there is one); −1 where there is none."""
    rows = np.flatnonzero(pool)
    if not len(rows):
        return -1, -1
    value = inst.priority[rows] / np.maximum(inst.cost[rows], 1.0)
    ordered = rows[np.lexsort((-rows, -inst.cost[rows], value))]
    other = ordered[inst.unit[ordered] != inst.unit[ordered[0]]]
    return int(ordered[0]), int(other[0]) if len(other) else -1

"""The cases shared by the explanation tests (tests/test_explain_values.py,
tests/test_explain_edges.py): the instance as ``solve`` prepares it, two units worked by hand,
and short calls of the explanations."""

import numpy as np
from optimise_cases import M, gaps_table

from planner.optimise.explain import budget_values, unit_bounds
from planner.optimise.instance import prepare

DEFAULTS = {"budgets": None, "total_budget": None, "min_fill": None, "objective": "priority",
            "target_fill": 0.0, "solver": "highs", "time_limit": None, "gap": 1e-4}


def instance(gaps, units=None, **kwargs):
    return prepare(gaps, units, **{**DEFAULTS, **kwargs})[0]


def two_units():
    # U1: a 3 × 100, b 2 × 50, c 2 × 70 with one pinned hire; 7 vacancies
    # U2: d 5 × 30 capped at 2 hires, e 3 × 40 paid from fees; 8 vacancies
    return gaps_table([
        {"unit_id": "U1", "position_id": "a", "vacancies": 3, "cost": 100 * M},
        {"unit_id": "U1", "position_id": "b", "vacancies": 2, "cost": 50 * M},
        {"unit_id": "U1", "position_id": "c", "vacancies": 2, "cost": 70 * M, "min_hires": 1},
        {"unit_id": "U2", "position_id": "d", "vacancies": 5, "cost": 30 * M, "max_hires": 2},
        {"unit_id": "U2", "position_id": "e", "vacancies": 3, "cost": 40 * M,
         "funding_source": "fee_revenue"},
    ])


def bounds(gaps, hires, units=None, **kwargs):
    inst = instance(gaps, units, **kwargs)
    labels, rows = unit_bounds(inst, np.array(hires, dtype=np.int64))
    return labels.tolist(), rows.tolist()


def one_unit(*rows):
    return gaps_table([{"unit_id": "U1", "position_id": p, "cost": c * M, **kw}
                       for p, c, kw in rows])


def values_of(inst, hires, **kwargs):
    args = {"method": "lp_dual", "value_unit": "weighted_hires", "lp_duals": {},
            "resolve": None, **kwargs}
    return budget_values(inst, np.array(hires, dtype=np.int64), **args)

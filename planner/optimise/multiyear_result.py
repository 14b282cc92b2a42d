"""The multi-year plan's result types (issue 15), PuLP-free like :mod:`planner.optimise.result`:
what the exports, the store and the fronts are typed on. The model
(:mod:`planner.optimise.model_multiyear`) returns a :class:`MultiYearResult`;
:func:`planner.optimise.multiyear.plan_multiyear` turns it into a :class:`MultiYearPlan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Stage:
    goal: str  # weighted_staff_years, total_cost, min_ratio
    status: str
    value: float | None
    bound: float | None
    seconds: float


@dataclass(frozen=True)
class MultiYearResult:
    status: str  # optimal, feasible_time_limit, infeasible, no_solution_time_limit
    cumulative: np.ndarray | None  # n × T whole X[r, y]
    stages: tuple[Stage, ...] = ()
    seconds: float = 0.0
    build_seconds: float = 0.0
    least_budgets: np.ndarray | None = field(default=None)  # S × T, when infeasible

    @property
    def hires(self) -> np.ndarray | None:
        """n × T hires made in each year."""
        if self.cumulative is None:
            return None
        return np.diff(self.cumulative, axis=1, prepend=0)



@dataclass(frozen=True)
class MultiYearPlan:
    status: str
    years: tuple[int, ...]
    plan: pd.DataFrame | None  # PLAN_COLUMNS, one row per (unit, position, year)
    by_year: pd.DataFrame | None  # per year totals
    surplus: pd.DataFrame | None  # per unit, staff type and year: the number to streamline
    budgets: pd.DataFrame  # source, year, budget, used, least (when infeasible)
    result: MultiYearResult
    parameters: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        """The one-year summary's keys plus per-year totals."""
        r = self.result
        first = r.stages[0] if r.stages else None
        plan = self.plan
        per_year = [] if self.by_year is None else [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items()}
            for rec in self.by_year.to_dict("records")]
        cost_by_source: dict[str, float] = {}
        if plan is not None:
            for s, v in plan.groupby("funding_source")["salary_cost"].sum().items():
                cost_by_source[str(s)] = float(v)
        used = self.budgets.dropna(subset=["budget"])
        shares = {f"{rec['source']}@{rec['year']}": (rec["used"] / rec["budget"]
                                                     if rec["budget"] and rec["used"] is not None
                                                     and not pd.isna(rec["used"]) else None)
                  for rec in used.to_dict("records")}  # no plan (infeasible): nothing used
        gaps = []
        for s in r.stages:
            if s.value is not None and s.bound is not None:
                gaps.append(abs(s.bound - s.value) / max(abs(s.value), 1e-9))
        least = None
        if r.least_budgets is not None:
            least = [{"source": rec["source"], "year": int(rec["year"]),
                      "budget": rec["budget"], "least_budget": rec["least"]}
                     for rec in self.budgets.to_dict("records") if rec["least"] is not None
                     and not pd.isna(rec["least"])]
        return {
            "status": self.status,
            "objective": None if first is None else first.value,
            "best_bound": None if first is None else first.bound,
            "gap": max(gaps) if gaps else None,
            "solver": "highs",
            "solve_seconds": r.seconds,
            "build_seconds": r.build_seconds,
            "years": list(self.years),
            "total_hires": None if plan is None else int(plan["hires"].sum()),
            "total_cost": None if plan is None else float(plan["salary_cost"].sum()),
            "cost_by_source": cost_by_source,
            "budget_used_share": shares,
            "parameters": self.parameters,
            "stages": [{"goal": s.goal, "status": s.status, "value": s.value,
                        "bound": s.bound, "seconds": s.seconds} for s in r.stages],
            "per_year": per_year,
            "surplus_to_streamline": None if self.surplus is None else int(
                self.surplus.loc[self.surplus["year"] == self.years[-1], "surplus"].sum()),
            "infeasibility": None if least is None else {"min_budget_by_source_year": least},
        }

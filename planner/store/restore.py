"""A saved result back as an :class:`planner.optimise.Allocation`, for the app to show again.

The store keeps an allocation's summary (``Allocation.summary()``, plain JSON), its plan and
its per-unit table. Reopening a scenario rebuilds the allocation from those, field by field,
so the Plan page shows the saved plan exactly (it is not solved again). Fields the summary
does not carry keep their defaults or None.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from planner.store.records import StoredScenario


def allocation_from_stored(stored: StoredScenario) -> Any:
    """The saved allocation of ``stored`` (which must have been saved with its plan)."""
    from planner import optimise

    if stored.plan is None:
        raise ValueError(f"scenario {stored.name!r} was saved without a result")
    summary = dict(stored.summary)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(optimise.Allocation):
        if not f.init:
            continue
        if f.name == "plan":
            values[f.name] = stored.plan
        elif f.name == "by_unit":
            values[f.name] = stored.by_unit
        elif f.name == "budget_values":
            values[f.name] = stored.budget_values if stored.budget_values is not None \
                else pd.DataFrame(summary.get("budget_values") or [])
        elif f.name == "infeasibility":
            values[f.name] = None  # saved plans are plans: nothing to explain
        elif f.name == "stages":
            values[f.name] = tuple(summary.get("stages") or ())
        elif f.name in summary:
            values[f.name] = _typed(f.name, summary[f.name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            values[f.name] = None
    return optimise.Allocation(**values)


def _typed(name: str, value: Any) -> Any:
    from planner import optimise

    if name == "status" and value is not None:
        return optimise.SolveStatus(value)
    if name in ("cost_by_source", "budgets", "budget_used_share") and isinstance(value, dict):
        return {str(k): (None if v is None else float(v)) for k, v in value.items()}
    return value

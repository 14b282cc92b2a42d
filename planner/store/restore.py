"""A saved result back as an :class:`planner.optimise.result.Allocation`, for the app to show
again.

The store keeps an allocation's summary (``Allocation.summary()``, plain JSON), its plan and
its per-unit table. Reopening a scenario rebuilds the allocation from those
(:meth:`Allocation.from_summary`), so the Plan page shows the saved plan exactly (it is not
solved again).
"""

from __future__ import annotations

from planner.optimise.result import Allocation
from planner.store.records import StoredScenario


def allocation_from_stored(stored: StoredScenario) -> Allocation:
    """The saved allocation of ``stored`` (which must have been saved with its plan)."""
    if stored.plan is None or stored.by_unit is None:
        raise ValueError(f"scenario {stored.name!r} was saved without a result")
    return Allocation.from_summary(stored.summary, plan=stored.plan, by_unit=stored.by_unit,
                                   budget_values=stored.budget_values)

"""The optimiser: which vacancies to fill under budgets, caps and the staffing rules.

- :mod:`planner.optimise.result`: what it returns (PuLP-free; every front is typed on it);
- :mod:`planner.optimise.allocate`: :func:`~planner.optimise.allocate.allocate_hires`, one
  year's plan from tables.

The scenario-level entry points (:func:`planner.api.solve` and the others) are what the CLI and
the app call. The package imports nothing here, so that reading a result never loads PuLP;
it only defers the import of PuLP's log parser to its first use (:mod:`.deferred`).
"""

from planner.optimise.deferred import DEFERRED, defer

for _name in DEFERRED:
    defer(_name)

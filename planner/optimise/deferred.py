"""A module imported only when one of its names is first used (the whole-process time of
``solve``, issue 12 item 5).

PuLP 4.2 imports ``orloge``, its parser of CBC/CPLEX/Gurobi/CP-SAT logs, when PuLP itself is
imported: 0.1–0.3 s, most of PuLP's import time, for a parser used only to read a solver's log
file, which the planner never asks PuLP to do (it reads CBC's bound itself:
:func:`planner.optimise.model.cbc_bound`). :func:`defer` puts a stand-in in ``sys.modules``;
the first name looked up on it imports the real module, so anything that does use orloge
still gets it. (The standard library's ``importlib.util.LazyLoader`` does not do here:
``import orloge`` looks at the module's ``__spec__``, and that loads it.)
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

#: modules that PuLP imports and the planner does not use
DEFERRED = ("orloge",)


class _ImportedOnFirstUse(types.ModuleType):
    """Stands in for a module until one of its names is looked up, then imports it."""

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def defer(name: str) -> None:
    """Import module ``name`` when first used (nothing changes if it is imported already)."""
    if name not in sys.modules:
        sys.modules[name] = _ImportedOnFirstUse(name)

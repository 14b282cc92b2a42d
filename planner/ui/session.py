"""The session's dataset and scenario: created on first use, replaced as a whole.

The app opens on the bundled sample province with the sample scenario. Loading other files
replaces the dataset and resets the scenario and any plan (a plan belongs to its data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.domain.scenario import Scenario
from planner.io.inputs import Inputs
from planner.ui import cache, state


@dataclass(frozen=True)
class Dataset:
    """The validated inputs in use and where they came from."""

    kind: str  # "sample" or "upload"
    inputs: Inputs
    #: How the files were read (column mappings, sheet): the same files read another way are
    #: other data, so the caches key on it too.
    reading: str = ""
    #: What was uploaded, to keep in the officer's draft: ((role, name, bytes), …), the
    #: column mappings and the sheet, as :func:`planner.ui.cache.uploaded_inputs` takes them.
    upload: tuple[Any, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.inputs.files)

    @property
    def fingerprint(self) -> str:
        """The input files' fingerprint (what saved scenarios record)."""
        return self.inputs.fingerprint

    @property
    def cache_key(self) -> str:
        """The files and how they were read: the key of every cached table and solve."""
        if not self.reading:
            return self.inputs.fingerprint
        import hashlib

        return hashlib.sha256(f"{self.inputs.fingerprint}|{self.reading}".encode()).hexdigest()


#: Widget keys of the Plan page's parameters, forgotten when the dataset or scenario changes.
PARAMETER_WIDGETS = (state.W_TOTAL_BUDGET, state.W_BASE_SALARY, state.W_MIN_FILL,
                     state.W_OBJECTIVE, state.W_TARGET_FILL, state.W_TIME_LIMIT)


def dataset() -> Dataset:
    ds: Dataset | None = state.get(state.DATASET)
    if ds is None:
        ds = Dataset("sample", cache.sample_inputs())
        state.put(state.DATASET, ds)
        state.put(state.SCENARIO, cache.sample_scenario())
    return ds


def scenario() -> Scenario:
    dataset()
    sc: Scenario | None = state.get(state.SCENARIO)
    if sc is None:
        sc = Scenario()
        state.put(state.SCENARIO, sc)
    return sc


def use_dataset(ds: Dataset) -> None:
    """Switch the session to another dataset: reset the scenario and forget any plan."""
    state.put(state.DATASET, ds)
    use_scenario(cache.sample_scenario() if ds.kind == "sample" else Scenario())
    state.drop(state.AUTO_SOLVED)


def use_scenario(sc: Scenario) -> None:
    """Replace the whole scenario (e.g. opened from a file): every widget is seeded again."""
    state.put(state.SCENARIO, sc)
    state.drop(state.RESULT, state.SOLVE_FAILURE, state.ROW_SETTINGS, state.UNIT_SETTINGS,
               state.CURVE)
    for key in PARAMETER_WIDGETS:
        state.drop_widget(key)
    state.drop_prefix(state.W_BUDGET + ".")
    state.drop_prefix(state.W_DEFAULT_COEFFICIENT + ".")
    state.put(state.EDITOR_VERSION, state.get(state.EDITOR_VERSION, 0) + 1)


def gaps(sc: Scenario | None = None) -> pd.DataFrame:
    """The gaps table of the dataset in use, costed with the scenario's rules."""
    ds = dataset()
    sc = sc or scenario()
    return cache.gaps_table(ds.cache_key, cache.rules_key(sc), ds.inputs)


def summary(by: str, sc: Scenario | None = None) -> pd.DataFrame:
    ds = dataset()
    sc = sc or scenario()
    return cache.gaps_summary(ds.cache_key, cache.rules_key(sc), by, gaps(sc))

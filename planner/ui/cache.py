"""Cached computations (``st.cache_data``, bounded): loading inputs, gaps, solves, curves.

Cached values are shared by every session and returned as copies; callers never mutate them
in place all the same. Large arguments whose content a fingerprint already identifies are
passed with a leading underscore (not hashed); the fingerprint is the cache key. Nothing here
is ``st.cache_resource``: no object is shared between sessions by reference.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from planner import api
from planner.domain.gaps import summarise
from planner.domain.scenario import Scenario
from planner.io.inputs import Inputs, load_inputs
from planner.io.sample import SAMPLE_FILES, SAMPLE_SCENARIO
from planner.io.sources import SourceFile
from planner.optimise.result import Allocation, BudgetKey
from planner.present import charts

TTL = 3600  # seconds a cached table is kept after its last use

RulesKey = tuple[float, float, tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]


def rules_key(scenario: Scenario) -> RulesKey:
    """The cost parameters of a scenario as a hashable key."""
    return (float(scenario.base_salary), float(scenario.bonus_rate),
            tuple(sorted((str(k), float(v)) for k, v in scenario.contribution_rates.items())),
            tuple(sorted((str(k), float(v)) for k, v in scenario.coefficients.items())))


@st.cache_data(max_entries=1, show_spinner=False)
def sample_inputs() -> Inputs:
    return load_inputs(SAMPLE_FILES["quotas"], SAMPLE_FILES["headcounts"], SAMPLE_FILES["units"])


def sample_scenario() -> Scenario:
    """The bundled sample scenario (budgets for the sample province)."""
    return Scenario.from_toml(SAMPLE_SCENARIO.read_text(encoding="utf-8"))


@st.cache_data(max_entries=8, ttl=TTL, show_spinner=False)
def uploaded_inputs(files: tuple[tuple[str, str, bytes], ...],
                    mappings: tuple[tuple[str, str, str], ...] = (),
                    sheet: str | None = None) -> Inputs:
    """Load uploaded files: ``files`` is ((role, name, bytes), …); raises InputError."""
    by_role = {role: SourceFile(name, data) for role, name, data in files}
    mapped: dict[str, dict[str, str]] = {}
    for role, column_id, header in mappings:
        mapped.setdefault(role, {})[column_id] = header
    return load_inputs(by_role["quotas"], by_role.get("headcounts"), by_role.get("units"),
                       mappings=mapped or None, sheet=sheet or None)


@st.cache_data(max_entries=16, ttl=TTL, show_spinner=False)
def gaps_table(fingerprint: str, rules: RulesKey, _inputs: Inputs) -> pd.DataFrame:
    """The gaps table of a dataset under some cost rules (keyed by the dataset's fingerprint)."""
    base_salary, bonus_rate, contributions, coefficients = rules
    return api.gaps(_inputs, Scenario(base_salary=base_salary, bonus_rate=bonus_rate,
                                      contribution_rates=dict(contributions),
                                      default_coefficient=dict(coefficients)))


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def gaps_summary(fingerprint: str, rules: RulesKey, by: str, _gaps: pd.DataFrame) -> pd.DataFrame:
    return summarise(_gaps, by)


@st.cache_data(max_entries=32, ttl=TTL, show_spinner=False)
def solve(fingerprint: str, scenario_toml: str, _inputs: Inputs) -> Allocation:
    """Solve a scenario on a dataset; the same parameters on the same data solve once."""
    return api.solve(_inputs, Scenario.from_toml(scenario_toml))


@st.cache_data(max_entries=16, ttl=TTL, show_spinner=False)
def budget_curve(fingerprint: str, scenario_toml: str, budget: BudgetKey, points: int,
                 _inputs: Inputs) -> pd.DataFrame:
    """What each extra billion buys: the plan across a range of ``budget``."""
    return api.curve(_inputs, Scenario.from_toml(scenario_toml), budget=budget, points=points)


@st.cache_data(max_entries=64, ttl=TTL, show_spinner=False)
def gaps_chart(by: str, shown: pd.DataFrame, lang: str, top: int, stack: str) -> Any:
    """A chart of the Gaps page: vacancies by unit (``by`` "unit", stacked by ``stack``) or by
    group (``by`` "sector" or "funding_source") of the rows ``shown``. A pure function of its
    arguments (the rows are hashed), so a session opening the page finds it built."""
    if by == "unit":
        return charts.vacancies_by_unit(shown, lang=lang, top=top, stack=stack)
    return charts.vacancies_by_group(shown, by=by, lang=lang)


def mapping_key(mappings: Mapping[str, Mapping[str, str]]) -> tuple[tuple[str, str, str], ...]:
    return tuple(sorted((r, c, h) for r, cols in mappings.items() for c, h in cols.items()))

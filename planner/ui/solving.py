"""Solving from the app: one place that calls the optimiser and keeps the last good plan.

A solve that gives a plan (optimal, or the best found within the time limit) becomes the
session's :class:`PlanResult`. A solve that does not (an infeasible requirement, no plan
within the time limit, an unexpected error) is kept as a :class:`SolveFailure` beside the last
good plan, which stays on screen. Downloads are built from the :class:`PlanResult` shown.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import streamlit as st

from planner.domain.limits import Limits
from planner.domain.problems import InputError
from planner.domain.scenario import Scenario, ScenarioError
from planner.optimise.result import Allocation
from planner.ui import cache, session, state
from planner.ui.report import app_message

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class PlanResult:
    """A plan on screen: the allocation, the scenario and data it was solved for."""

    allocation: Allocation
    scenario: Scenario
    fingerprint: str
    seconds: float  # wall time of the solve as the officer waited for it


@dataclass(frozen=True)
class SolveFailure:
    """A solve that gave no plan: ``kind`` is a status (infeasible, no_solution_time_limit),
    "scenario" (a parameter the planner refused) or "error"; ``allocation`` when there is one."""

    kind: str
    scenario: Scenario
    message: str = ""
    allocation: Allocation | None = None


def app_time_limit() -> float:
    return Limits.from_env().app_time_limit


def solve(sc: Scenario) -> bool:
    """Solve ``sc`` on the session's dataset; True when it gave a plan."""
    ds = session.dataset()
    from planner.ui.widgets import tr

    started = time.perf_counter()
    try:
        with st.spinner(tr("plan.solving"), show_time=True):
            allocation = cache.solve(ds.cache_key, sc.to_toml(), ds.inputs)
    except (ScenarioError, InputError) as exc:
        state.put(state.SOLVE_FAILURE, SolveFailure("scenario", sc, message=_message(exc)))
        return False
    except Exception as exc:  # keep the last good plan on screen, say what went wrong
        log.exception("solve failed")
        state.put(state.SOLVE_FAILURE, SolveFailure("error", sc, message=f"{type(exc).__name__}: "
                                                                         f"{exc}"))
        return False
    seconds = time.perf_counter() - started
    if not allocation.has_plan:
        state.put(state.SOLVE_FAILURE, SolveFailure(allocation.status.value, sc,
                                                    allocation=allocation))
        return False
    state.put(state.RESULT, PlanResult(allocation, sc, ds.fingerprint, seconds))
    state.drop(state.SOLVE_FAILURE, state.CURVE)
    return True


def _message(exc: ScenarioError | InputError) -> str:
    if isinstance(exc, InputError):  # in the app's words (no command-line option names)
        return " ".join(app_message(p, state.lang()) for p in exc.errors[:5])
    return exc.render(state.lang())


def current_result() -> PlanResult | None:
    """The last good plan, if it belongs to the dataset in use."""
    result: PlanResult | None = state.get(state.RESULT)
    if result is not None and result.fingerprint != session.dataset().fingerprint:
        state.drop(state.RESULT)
        return None
    return result

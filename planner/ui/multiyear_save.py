"""Save the multi-year plan on screen, from the multi-year page (issue 15): a name, a note,
Save; the same store and the same save as the Plan page's panel (:mod:`planner.ui.save_panel`)
and the Saved scenarios page, which lists the plan, reopens it on the multi-year page and
compares multi-year plans year by year."""

from __future__ import annotations

from typing import Any

from planner.domain.scenario import Scenario
from planner.optimise.multiyear_result import MultiYearPlan
from planner.store import ScenarioInfo, ScenarioStore
from planner.ui.save_panel import SaveKeys, save_panel
from planner.ui.widgets import tr

#: the multi-year page's result (a MultiYearPlan, or the refusal's text) and the (scenario,
#: inputs) it was solved with: kept here so the Saved scenarios page can reopen a plan there
RESULT = "multiyear_result"
RUN = "multiyear_run"
PAGE = "planner/ui/multiyear_page.py"
KEYS = SaveKeys(form="multiyear_save_form", name="w_my_save_name", note="w_my_save_note",
                replace="w_my_save_replace", version="multiyear_save_version",
                notice="multiyear_save_notice")
REOPENED = "multiyear_reopened_notice"


def render(plan: MultiYearPlan, scenario: Scenario, inputs: Any) -> None:
    """The Save panel for ``plan``, solved with ``scenario`` on ``inputs`` (an
    :class:`~planner.io.inputs.Inputs`, or the input files of a reopened plan)."""
    def save(s: ScenarioStore, name: str, note: str, replace: bool,
             user: str | None) -> ScenarioInfo:
        return s.save(name, scenario, allocation=plan, inputs=inputs, note=note,
                      author=user or "", owner=user, replace=replace)

    save_panel(tr("multiyear.save_title"), KEYS, save)

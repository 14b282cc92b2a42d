"""No lost work in the app (issue 7): a solve that fails or runs out of time keeps the last
good plan and the officer's parameters, with the reason beside them; downloads are built from
the plan on screen, not recomputed with the parameters being edited.

Already covered elsewhere and not repeated here: an infeasible requirement explained with the
last plan kept (tests/test_app_plan.py::test_an_infeasible_requirement_is_explained_and_the_
last_plan_kept), a crashing solver's message shown with the last plan
(test_a_solve_that_fails_keeps_the_last_good_plan), the app's workbook equal to the CLI's for
one plan (tests/test_export_cli_and_app.py), atomic saves (tests/test_store_concurrency.py).

The downloads are read from Streamlit's own media file manager: a recording wrapper around
``MediaFileManager.add``/``add_deferred`` keeps what the page handed to it (the real methods
still run), so the test sees the bytes an officer's browser would get.
"""

from __future__ import annotations

import dataclasses

import pytest
from app_helpers import metrics, open_page, start, texts
from streamlit.runtime.media_file_manager import MediaFileManager

from planner.export.workbook import plan_csv, plan_workbook
from planner.i18n import fmt_number, t

pytestmark = pytest.mark.slow

BUDGET = "w_budget.state_budget"


@pytest.fixture
def downloads(monkeypatch):
    """url or deferred id → the bytes (or the callable) a download button was given."""
    seen: dict[str, object] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def recording_add(self, path_or_data, mimetype, coordinates, file_name=None, **kw):
        url = add(self, path_or_data, mimetype, coordinates, file_name, **kw)
        seen[url] = path_or_data
        return url

    def recording_add_deferred(self, data_callable, *args, **kw):
        file_id = add_deferred(self, data_callable, *args, **kw)
        seen[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add", recording_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", recording_add_deferred)
    return seen


def downloaded(at, seen: dict[str, object]) -> dict[str, bytes]:
    """What each of the Plan page's download buttons gives, by key."""
    out = {}
    for button in at.get("download_button"):
        proto = button.proto
        if not proto.id or not any(k in proto.id for k in ("dl_plan_csv", "dl_plan_xlsx",
                                                           "dl_scenario")):
            continue
        key = next(k for k in ("dl_plan_csv", "dl_plan_xlsx", "dl_scenario") if k in proto.id)
        if proto.HasField("deferred_file_id"):
            out[key] = seen[proto.deferred_file_id]()  # what a click generates
        else:
            out[key] = seen[proto.url]
    assert set(out) == {"dl_plan_csv", "dl_plan_xlsx", "dl_scenario"}, out.keys()
    return out


def expected_downloads(at) -> dict[str, bytes]:
    """The export module's files for the plan the page holds as the one on screen."""
    result = at.session_state["plan_result"]
    inputs = at.session_state["dataset"].inputs
    return {"dl_plan_csv": plan_csv(result.allocation, headers="vi"),
            "dl_plan_xlsx": plan_workbook(result.allocation, inputs=inputs,
                                          scenario=result.scenario, lang="vi"),
            "dl_scenario": result.scenario.to_toml().encode()}


def test_downloads_are_the_plan_on_screen_until_the_next_solve(downloads):
    at = open_page(start(), "plan")
    result = at.session_state["plan_result"]
    assert metrics(at)["Tuyển dụng"] == fmt_number(result.allocation.total_hires, "vi")
    first = downloaded(at, downloads)
    assert first == expected_downloads(at)

    # a new budget typed but not solved: the page says the plan is older than the parameters,
    # and every download is still that plan (and its scenario), not the parameters edited
    at.text_input(key=BUDGET).input("27,5").run()
    assert "Tham số đã thay đổi" in texts(at)
    assert at.session_state["scenario"].budgets["state_budget"] == 27.5e9
    assert downloaded(at, downloads) == first
    assert b"27500000000" not in first["dl_scenario"]

    # solved: now the downloads are the new plan
    at.button(key="solve").click().run()
    assert "Tham số đã thay đổi" not in texts(at)
    second = downloaded(at, downloads)
    assert second == expected_downloads(at)
    assert second["dl_plan_csv"] != first["dl_plan_csv"]
    assert at.session_state["plan_result"].scenario.budgets["state_budget"] == 27.5e9


@pytest.mark.parametrize("failure", ["no_plan_within_time_limit", "solver_error"])
def test_a_failed_solve_keeps_the_last_plan_and_the_parameters(monkeypatch, downloads,
                                                               failure):
    import planner.api
    from planner.optimise.result import SolveStatus
    from planner.ui import cache

    at = open_page(start(), "plan")
    good_hires = metrics(at)["Tuyển dụng"]
    good = downloaded(at, downloads)
    real = planner.api.solve

    # The sample solves in well under a second, so "time ran out before any plan" cannot be
    # caused on purpose: the real solve runs and its status is set to what a timeout gives
    # (as tests/test_app_plan.py does for a time-limited plan). A solver error is raised.
    def timed_out(*args, **kwargs):
        return dataclasses.replace(real(*args, **kwargs),
                                   status=SolveStatus.NO_SOLUTION_TIME_LIMIT)

    def crashed(*args, **kwargs):
        raise RuntimeError("HiGHS: unexpected failure")

    budget = 31.5 if failure == "no_plan_within_time_limit" else 29.5
    monkeypatch.setattr(planner.api, "solve",
                        timed_out if failure == "no_plan_within_time_limit" else crashed)
    try:
        at.text_input(key=BUDGET).input(str(budget).replace(".", ",")).run()
        at.text_input(key="w_min_fill").input("15").run()
        at.button(key="solve").click().run()
    finally:
        cache.solve.clear()  # the doctored result must not serve a later test's solve
    assert not at.exception
    shown = texts(at)
    if failure == "no_plan_within_time_limit":
        assert "mà chưa tìm được phương án" in shown and not at.error
    else:
        assert at.error and "HiGHS: unexpected failure" in at.error[0].value
    assert t("ui.plan.showing_last_good", "vi") in shown
    # the last good plan is on screen, and its downloads
    assert metrics(at)["Tuyển dụng"] == good_hires
    assert downloaded(at, downloads) == good
    # the officer's parameters are kept, to correct and solve again
    assert at.text_input(key=BUDGET).value == str(budget).replace(".", ",")
    assert at.text_input(key="w_min_fill").value == "15"
    assert at.session_state["scenario"].budgets["state_budget"] == budget * 1e9
    assert at.session_state["scenario"].min_fill == 0.15
    # and solving again (the solver back) gives the plan for them
    monkeypatch.setattr(planner.api, "solve", real)
    at.button(key="solve").click().run()
    assert at.session_state["plan_result"].scenario.budgets["state_budget"] == budget * 1e9
    assert t("ui.plan.showing_last_good", "vi") not in texts(at)

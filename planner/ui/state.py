"""Every session-state key of the app, declared once.

Pages read and write ``st.session_state`` only through these names. Keys of widgets start with
``w_``: Streamlit forgets a widget's value when its page is not shown, so each such widget is
seeded from the non-widget key that holds the value for the session (the scenario, the
dataset), see :func:`seed`. Widgets whose option labels change with the language get one key
per language (``w_…@vi``, ``w_…@en``), see :func:`lang_key`. Helpers that add pages (the
Scenarios page, sign-in) add their keys here.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

# --- the session's data (not widgets) -------------------------------------------------------
#: ``Dataset``: the validated inputs in use (the bundled sample until the officer loads files).
DATASET = "dataset"
#: ``Scenario``: the Plan page's parameters (budgets, base salary, objective, pins, caps).
SCENARIO = "scenario"
#: ``PlanResult``: the last good solve (kept on screen when a later solve fails).
RESULT = "plan_result"
#: ``SolveFailure`` or None: the last solve that did not give a plan (infeasible, error).
SOLVE_FAILURE = "solve_failure"
#: DataFrame: per-row settings being edited (priority, min/max hires), all rows of the dataset.
ROW_SETTINGS = "row_settings"
#: DataFrame: per-unit settings being edited (max hires, budget cap, minimum fill).
UNIT_SETTINGS = "unit_settings"
#: int: bumped when the settings tables are rebuilt, so the editors start afresh.
EDITOR_VERSION = "editor_version"
#: list[int]: positions (in ROW_SETTINGS / UNIT_SETTINGS) of the rows each editor shows.
ROW_VIEW = "row_view"
UNIT_VIEW = "unit_view"
#: ``UploadAttempt`` or None: the files of the last failed load, for the column-mapping step.
UPLOAD_ATTEMPT = "upload_attempt"
#: str or None: a one-off notice to show at the top of the next run (e.g. "data loaded").
NOTICE = "notice"
#: DataFrame or None: the budget curve of the last result, with the parameters it was drawn for.
CURVE = "budget_curve"
#: str: file_id of the scenario file last opened (so one upload is applied once).
SCENARIO_FILE_ID = "scenario_file_id"
#: bool: the Plan page solved the sample scenario once on its own (first visit).
AUTO_SOLVED = "auto_solved"

#: bool: solve on this run (set by "Use the needed budget", which also fills the budgets).
SOLVE_REQUEST = "solve_request"
#: str: the draft id of this browser tab (also in the page address, ``?ban_nhap=…``).
DRAFT_ID = "draft_id"
#: str: what was last written to the draft (so an unchanged run writes nothing).
DRAFT_SAVED = "draft_saved"
#: bool: this session has looked for its draft once (restored, or none was found).
DRAFT_CHECKED = "draft_checked"
#: str or None: a one-off sidebar line saying the draft was restored.
DRAFT_NOTICE = "draft_notice"

# --- widgets ---------------------------------------------------------------------------------
#: Language switch in the sidebar ("vi" or "en"); rendered on every page so it persists.
LANG = "w_lang"
# Data page
W_LAYOUT = "w_layout"
W_QUOTAS_FILE = "w_quotas_file"
W_HEADCOUNTS_FILE = "w_headcounts_file"
W_UNITS_FILE = "w_units_file"
W_SHEET = "w_sheet"
W_MAPPING = "w_map"  # prefix: w_map.<role>.<column_id>
# Gaps page
W_GAPS_SEARCH = "w_gaps_search"
W_GAPS_SECTORS = "w_gaps_sectors"
W_GAPS_TYPES = "w_gaps_types"
W_GAPS_SOURCES = "w_gaps_sources"
W_GAPS_TOP = "w_gaps_top"
W_GAPS_STACK = "w_gaps_stack"
W_GAPS_ONLY_VACANT = "w_gaps_only_vacant"
W_GAPS_VIEW = "w_gaps_view"
# Plan page: parameters (seeded from SCENARIO)
W_BUDGET = "w_budget"  # prefix: w_budget.<source>
W_TOTAL_BUDGET = "w_total_budget"
W_BASE_SALARY = "w_base_salary"
W_DEFAULT_COEFFICIENT = "w_default_coef"  # prefix: w_default_coef.<staff_type>
W_MIN_FILL = "w_min_fill"
W_OBJECTIVE = "w_objective"
W_TARGET_FILL = "w_target_fill"
W_TIME_LIMIT = "w_time_limit"
W_SCENARIO_FILE = "w_scenario_file"
W_ROW_EDITOR = "w_row_editor"  # + EDITOR_VERSION
W_UNIT_EDITOR = "w_unit_editor"
W_ROW_FILTER = "w_row_filter"
W_UNIT_FILTER = "w_unit_filter"
# Plan page: results
W_PLAN_SEARCH = "w_plan_search"
W_PLAN_TOP = "w_plan_top"
W_PLAN_ONLY_HIRES = "w_plan_only_hires"
W_CURVE_SOURCE = "w_curve_source"
W_PLAN_TABS = "w_plan_tabs"  # which result tab is open (kept across reruns)
W_SETTINGS_TABS = "w_settings_tabs"
# Saved scenarios page (Phương án đã lưu)
#: str or None: a one-off notice for the Scenarios page (saved, renamed, deleted).
STORE_NOTICE = "store_notice"
#: int or None: id of the scenario whose deletion waits for the officer's confirmation.
STORE_CONFIRM_DELETE = "store_confirm_delete"
#: int: version of the save form; a successful save starts an empty form (keys end ".<n>")
STORE_FORM_VERSION = "store_form_version"
W_SAVE_NAME = "w_save_name"  # + "." + STORE_FORM_VERSION, as the note, replace and shared
W_SAVE_NOTE = "w_save_note"
W_SAVE_AUTHOR = "w_save_author"
W_SAVE_REPLACE = "w_save_replace"
W_SAVE_SHARED = "w_save_shared"
W_SAVE_WHAT = "w_save_what"  # save the solved scenario or the parameters being edited
W_PICK = "w_store_pick"
W_RENAME = "w_store_rename"
W_COMPARE = "w_store_compare"
W_COMPARE_ONLY_CHANGED = "w_store_compare_only_changed"
W_COMPARE_MEASURE = "w_store_compare_measure"


def get(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def drop(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def drop_prefix(prefix: str) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def seed(widget_key: str, value: Any) -> None:
    """Give a widget its value from the session's data when Streamlit has forgotten it."""
    if widget_key not in st.session_state:
        st.session_state[widget_key] = value


def lang() -> str:
    return st.session_state.get(LANG) or "vi"


def lang_key(base: str) -> str:
    """The key of a widget whose option labels are in the session's language.

    Streamlit keeps such a widget's value as the label shown, so after a language switch the
    old label matches no option and the widget shows nothing selected. Each language gets
    its own key (``base@vi``, ``base@en``); the value is carried over on the switch.
    """
    key = f"{base}@{lang()}"
    if key not in st.session_state:
        for other in ("vi", "en"):
            old = f"{base}@{other}"
            if old != key and old in st.session_state:
                st.session_state[key] = st.session_state[old]
                break
    return key


def drop_widget(base: str) -> None:
    """Forget a widget's value in every language (see :func:`lang_key`)."""
    drop(base)
    drop_prefix(base + "@")

"""Data page (Dữ liệu): load the officer's tables, map unrecognised columns, read the report.

The officer uploads quotas and headcounts (one combined table or two) and an optional units
table, as CSV or Excel laid out the way offices type them. When a required column is not
recognised, a mapping step lets them pick it among the headers found. The validation report
(errors, warnings, skipped group/total rows, with rows and columns as Excel shows them) is a
table they can download. Blank templates are offered at the bottom.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import streamlit as st

from planner.domain.problems import InputError, Problem, SkippedRow
from planner.io.sample import SAMPLE_WORKBOOK, TEMPLATE_DIR
from planner.ui import cache, session, state
from planner.ui.report import mapping_choices, report_table
from planner.ui.widgets import count, csv_button, labeller, show_table, tr

FILE_TYPES = ["csv", "txt", "xlsx", "xlsm", "xls", "ods"]
UPLOADERS = {"quotas": state.W_QUOTAS_FILE, "headcounts": state.W_HEADCOUNTS_FILE,
             "units": state.W_UNITS_FILE}

#: One upload is read at a time in a server process: reading the largest accepted file takes
#: several hundred MB for some seconds (README, Limits), so officers loading at the same
#: moment wait in turn, with a message, instead of adding their peaks together.
PARSE_LOCK = threading.Lock()


@contextmanager
def one_upload_at_a_time() -> Iterator[None]:
    """Hold :data:`PARSE_LOCK` while the body runs; while another session holds it, say so."""
    if not PARSE_LOCK.acquire(blocking=False):
        with st.spinner(tr("data.waiting_turn"), show_time=True):
            PARSE_LOCK.acquire()
    try:
        yield
    finally:
        PARSE_LOCK.release()


@dataclass(frozen=True)
class UploadAttempt:
    """Files that did not load, kept so the officer can map columns and try again."""

    files: tuple[tuple[str, str, bytes], ...]  # (role, file name, bytes)
    sheet: str | None
    problems: list[Problem]
    skipped: list[SkippedRow] = field(default_factory=list)
    mappings: tuple[tuple[str, str, str], ...] = ()


def load(files: tuple[tuple[str, str, bytes], ...], *, sheet: str | None = None,
         mappings: tuple[tuple[str, str, str], ...] = ()) -> bool:
    """Load uploaded files into the session; on failure keep the attempt for the report.

    This is what the Load button does (tests drive it directly as well as through the page).
    """
    try:
        with one_upload_at_a_time(), st.spinner(tr("data.loading"), show_time=True):
            inputs = cache.uploaded_inputs(files, mappings, sheet)
    except InputError as exc:
        state.put(state.UPLOAD_ATTEMPT, UploadAttempt(files, sheet, exc.problems, exc.skipped,
                                                      mappings))
        return False
    state.drop(state.UPLOAD_ATTEMPT)
    session.use_dataset(session.Dataset("upload", inputs, reading=repr((mappings, sheet)),
                                        upload=(files, mappings, sheet)))
    state.put(state.NOTICE, tr("data.loaded", files=", ".join(n for _, n, _ in files),
                               rows=count(len(inputs.positions)),
                               warnings=count(len(inputs.warnings))))
    return True


def _current() -> None:
    ds = session.dataset()
    if ds.kind == "sample":
        st.info(tr("data.using_sample"), icon=":material/info:")
    else:
        st.success(tr("data.using_files", files=", ".join(ds.file_names)),
                   icon=":material/check_circle:")
        if st.button(tr("data.back_to_sample"), icon=":material/undo:", key="back_to_sample"):
            state.drop(state.UPLOAD_ATTEMPT)
            session.use_dataset(session.Dataset("sample", cache.sample_inputs()))
            st.rerun()


def _upload_form() -> None:
    st.subheader(tr("data.upload"))
    key = state.lang_key(state.W_LAYOUT)
    state.seed(key, "combined")
    layout = st.radio(tr("data.layout"), ["combined", "separate"], key=key,
                      horizontal=True, format_func=labeller("data.layout_"))
    roles = ("quotas", "headcounts", "units") if layout == "separate" else ("quotas", "units")
    uploaded = {}
    for col, role in zip(st.columns(len(roles)), roles, strict=True):
        key = f"quotas_{layout}" if role == "quotas" else role
        uploaded[role] = col.file_uploader(tr(f"data.file_{key}"), type=FILE_TYPES,
                                           key=UPLOADERS[role], help=tr(f"data.help_{key}"))
    sheet = st.text_input(tr("data.sheet"), key=state.W_SHEET, help=tr("data.help_sheet"))
    if st.button(tr("data.load"), type="primary", icon=":material/upload:", key="load",
                 disabled=uploaded["quotas"] is None):
        files = tuple((role, f.name, f.getvalue()) for role, f in uploaded.items()
                      if f is not None)
        if load(files, sheet=sheet.strip() or None):
            st.rerun()


def _mapping_step(attempt: UploadAttempt) -> None:
    choices = mapping_choices(attempt.problems, {n: r for r, n, _ in attempt.files})
    if not choices:
        return
    st.subheader(tr("data.mapping"))
    st.markdown(tr("data.mapping_help"))
    picked: dict[tuple[str, str], str | None] = {}
    for choice in choices:
        key = f"{state.W_MAPPING}.{choice.role}.{choice.column_id}"
        picked[(choice.role, choice.column_id)] = st.selectbox(
            tr("data.map_to", column=choice.column_label(state.lang()), file=choice.file),
            choice.options, index=None, key=key, placeholder=tr("data.map_placeholder"))
    ready = all(v is not None for v in picked.values())
    if st.button(tr("data.reload"), type="primary", disabled=not ready, key="reload",
                 icon=":material/refresh:"):
        chosen = dict(((r, c), h) for r, c, h in attempt.mappings)
        chosen.update({k: v.split(" · ", 1)[0] for k, v in picked.items() if v is not None})
        mappings = tuple(sorted((r, c, h) for (r, c), h in chosen.items()))
        if load(attempt.files, sheet=attempt.sheet, mappings=mappings):
            state.drop_prefix(state.W_MAPPING + ".")
            st.rerun()
        st.rerun()


def _report(problems: list[Problem], skipped: list[SkippedRow], *, failed: bool) -> None:
    lang = state.lang()
    table = report_table(problems, skipped, lang)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    summary = tr("data.report_counts", errors=count(errors), warnings=count(warnings),
                 skipped=count(len(skipped)))
    if failed:
        st.error(tr("data.failed", n=count(errors)), icon=":material/error:")
    with st.expander(tr("data.report") + " — " + summary, expanded=failed):
        if table.empty:
            st.write(tr("data.report_empty"))
            return
        show_table(table, height=320 if len(table) > 8 else "auto", key="report_table")
        csv_button(table, "bao_cao_kiem_tra.csv", tr("data.report_download"), key="dl_report")


def _templates() -> None:
    st.subheader(tr("data.templates"))
    st.markdown(tr("data.templates_help"))
    cols = st.columns(3)
    for col, stem in zip(cols, ("mau_chi_tieu_bien_che", "mau_so_co_mat", "mau_don_vi"),
                         strict=True):
        col.markdown(f"**{tr(f'data.template_{stem}')}**")
        for suffix, mime in (("xlsx", "application/vnd.openxmlformats-officedocument."
                                      "spreadsheetml.sheet"), ("csv", "text/csv")):
            path = TEMPLATE_DIR / f"{stem}.{suffix}"
            col.download_button(f"{path.name}", path.read_bytes(), file_name=path.name,
                                 mime=mime, key=f"dl_{path.name}", on_click="ignore",
                                 icon=":material/download:")
    st.download_button(tr("data.sample_workbook"), SAMPLE_WORKBOOK.read_bytes(),
                       file_name=SAMPLE_WORKBOOK.name, key="dl_sample_workbook",
                       on_click="ignore", icon=":material/download:")


def render() -> None:
    st.header(tr("data.title"))
    notice = state.get(state.NOTICE)
    if notice:
        st.success(notice, icon=":material/check_circle:")
        state.drop(state.NOTICE)
    _current()
    _upload_form()
    attempt: UploadAttempt | None = state.get(state.UPLOAD_ATTEMPT)
    if attempt is not None:
        st.divider()
        _mapping_step(attempt)
        _report(attempt.problems, attempt.skipped, failed=True)
    else:
        ds = session.dataset()
        _report(ds.inputs.warnings, ds.inputs.skipped, failed=False)
    st.divider()
    _templates()


if __name__ == "__main__":
    render()


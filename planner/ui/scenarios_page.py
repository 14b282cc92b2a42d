"""Saved scenarios page (Phương án đã lưu): save, list, reopen, rename, share, delete, compare.

The page gathers choices, calls :mod:`planner.store` and :mod:`planner.present.compare`, and shows
the
results. Scenarios are kept in the store at ``PLANNER_DATABASE_URL`` (default
``var/scenarios.db``); with sign-in on, the signed-in user sees their own and shared ones.
The page never shows where the store is (no URL, host, user or file path: visitors see "the
server's scenario store"); when the store cannot be used the details go to the server log.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from planner.i18n import t
from planner.present.charts_compare import difference_by_unit_chart
from planner.present.compare import (
    BETTER,
    CompareError,
    Comparison,
    by_unit_headers,
    compare_scenarios,
    effect,
)
from planner.present.compare import headline_table as compare_headline
from planner.present.compare_multiyear import (
    MultiYearComparison,
    compare_multiyear,
    is_multiyear_comparison,
)
from planner.present.labels import ui
from planner.store import (
    ENV_URL,
    ScenarioInfo,
    ScenarioStore,
    SchemaTooNew,
    StoredScenario,
    StoreError,
    StoreUnavailable,
    info_table,
)
from planner.store.queries import DAMAGE_ERRORS, damage_text
from planner.ui import auth, session, solving, state
from planner.ui.chart_fit import fit
from planner.ui.widgets import count, money, page_style

PLAN_PAGE = "planner/ui/plan_page.py"
log = logging.getLogger(__name__)


def tx(key: str, /, **params: object) -> str:
    """A message of the ``[store.ui]`` table in the session's language."""
    return t(f"store.ui.{key}", state.lang(), **params)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ScenarioStore:
    """One store (engine and connection pool) per database for the server; not per user."""
    return ScenarioStore(url or None)


def store() -> ScenarioStore | None:
    try:
        return _store(os.environ.get(ENV_URL, ""))
    except StoreError as exc:
        st.error(error_text(exc), icon=":material/database:")
        return None


def error_text(exc: StoreError) -> str:
    """What a visitor is told: the store's message, except where it would say where the store
    is (an unusable store, a newer schema): then a neutral sentence, details in the log."""
    if isinstance(exc, StoreUnavailable | SchemaTooNew):
        log.warning("scenario store: %s", exc)  # URL with every secret hidden (safe_url)
        return tx("unavailable")
    return exc.message(state.lang())


def current_user() -> str | None:
    """The signed-in user's e-mail (or subject), or None when the app runs without sign-in."""
    return auth.current_user()


def _when(info: ScenarioInfo) -> str:
    return info.updated_at.astimezone().strftime("%d/%m/%Y %H:%M")


def _choice(info: ScenarioInfo) -> str:
    return f"{info.name} · #{info.id} · {_when(info)}"


# --- saving ------------------------------------------------------------------------------------

def save_section(s: ScenarioStore, user: str | None) -> None:
    sc = session.scenario()
    ds = session.dataset()
    result = solving.current_result()
    stale = result is not None and result.scenario.to_toml() != sc.to_toml()
    use_result = result is not None
    if result is None:
        st.info(tx("save_no_plan"), icon=":material/info:")
    elif stale:
        choice = st.radio(tx("save_which"), ("solved", "current"),
                          key=state.lang_key(state.W_SAVE_WHAT),
                          format_func=lambda v: tx(f"save_which_{v}"))
        use_result = choice == "solved"
    else:
        st.caption(tx("save_with_plan", hires=count(result.allocation.total_hires),
                      cost=money(result.allocation.total_cost)))
    state.seed(state.W_SAVE_AUTHOR, user or "")
    v = state.get(state.STORE_FORM_VERSION, 0)  # a new, empty form after each save
    with st.form(f"store_save_form.{v}", border=True):
        name = st.text_input(tx("name"), key=f"{state.W_SAVE_NAME}.{v}", max_chars=200)
        note = st.text_area(tx("note"), key=f"{state.W_SAVE_NOTE}.{v}", height=80)
        author = st.text_input(tx("author"), key=state.W_SAVE_AUTHOR, max_chars=200)
        replace = st.checkbox(tx("replace"), key=f"{state.W_SAVE_REPLACE}.{v}",
                              help=tx("replace_help"))
        shared = st.checkbox(tx("shared"), key=f"{state.W_SAVE_SHARED}.{v}",
                             help=tx("shared_help"), disabled=user is None)
        submitted = st.form_submit_button(tx("save"), type="primary", icon=":material/save:")
    if not submitted:
        return
    try:
        solved = result if use_result else None
        info = s.save(name, solved.scenario if solved is not None else sc,
                      allocation=solved.allocation if solved is not None else None,
                      inputs=ds.inputs,
                      note=note, author=author, owner=user, shared=bool(shared and user),
                      replace=replace)
    except StoreError as exc:
        st.error(error_text(exc), icon=":material/error:")
        return
    state.put(state.STORE_NOTICE, tx("saved", name=info.name, id=str(info.id)))
    state.put(state.STORE_FORM_VERSION, v + 1)
    st.rerun()


# --- the list and one scenario -----------------------------------------------------------------

def list_table(infos: list[ScenarioInfo], fingerprint: str, *,
               multiyear: set[int] | frozenset[int] = frozenset()) -> pd.DataFrame:
    """The list as the page shows it; the ids in ``multiyear`` are multi-year plans (their
    result says so)."""
    table = info_table(infos)
    lang = state.lang()
    kind = " · " + ui("multiyear.kind", lang)
    return pd.DataFrame({
        tx("col_id"): table["id"],
        tx("col_name"): table["name"],
        tx("col_updated"): [_when(i) for i in infos],
        tx("col_author"): table["author"].replace("", "–"),
        tx("col_hires"): [count(h) if pd.notna(h) else "–" for h in table["total_hires"]],
        tx("col_cost"): [money(c) if pd.notna(c) else "–" for c in table["total_cost"]],
        tx("col_status"): [tx("damaged") if i.damaged else
                           (ui(f"status_short.{i.status}", lang) if i.status else tx("no_result"))
                           + (kind if i.id in multiyear else "")
                           for i in infos],
        tx("col_data"): [tx("data_same") if f == fingerprint else tx("data_other")
                         for f in table["inputs_fingerprint"]],
        tx("col_shared"): [tx("yes") if v else "" for v in table["shared"]],
        tx("col_note"): table["note"],
    })


def list_section(s: ScenarioStore, infos: list[ScenarioInfo], user: str | None) -> None:
    ds = session.dataset()
    if not infos:
        st.info(tx("empty"), icon=":material/inbox:")
        return
    st.dataframe(list_table(infos, ds.fingerprint, multiyear=s.multiyear_ids(user)),
                 hide_index=True)
    by_id = {i.id: i for i in infos}
    if state.get(state.W_PICK) not in by_id:
        state.drop(state.W_PICK)
    picked = st.selectbox(tx("pick"), list(by_id), key=state.W_PICK,
                          format_func=lambda i: _choice(by_id[i]))
    info = by_id[picked]
    mine = user is None or info.owner == user
    st.caption(tx("details", author=info.author or "–", owner=info.owner or "–",
                  created=info.created_at.astimezone().strftime("%d/%m/%Y %H:%M"),
                  fingerprint=info.inputs_fingerprint[:12] or "–"))
    if info.note:
        st.markdown(f"> {info.note}")
    c1, c2, c3 = st.columns(3)
    if c1.button(tx("reopen"), key="store_reopen", icon=":material/open_in_new:",
                 type="primary", width="stretch"):
        reopen(s, info.id, user)
    _download_toml(s, info, user, c2)
    if c3.button(tx("delete"), key="store_delete", icon=":material/delete:", disabled=not mine,
                 width="stretch"):
        state.put(state.STORE_CONFIRM_DELETE, info.id)
    if state.get(state.STORE_CONFIRM_DELETE) == info.id:
        confirm_delete(s, info, user)
    with st.expander(tx("rename_share"), expanded=False):
        new_name = st.text_input(tx("new_name"), key=state.W_RENAME, disabled=not mine)
        r1, r2 = st.columns(2)
        if r1.button(tx("rename"), key="store_rename", disabled=not mine or not new_name):
            _change(lambda: s.rename(info.id, new_name, user), "renamed")
        if user is not None and mine:
            label = tx("unshare") if info.shared else tx("share")
            if r2.button(label, key="store_share"):
                _change(lambda: s.set_shared(info.id, not info.shared, user),
                        "unshared" if info.shared else "shared_done")
        if not mine:
            st.caption(tx("not_yours", owner=info.owner or "–"))


def _download_toml(s: ScenarioStore, info: ScenarioInfo, user: str | None,
                   where: Any) -> None:
    from planner.export.scenario_file import scenario_toml

    if info.damaged:
        return
    try:
        text = scenario_toml(s.get(info.id, user, tables=False))
    except StoreError as exc:
        where.error(error_text(exc))
        return
    where.download_button(tx("download_toml"), text.encode("utf-8"), key="store_toml",
                          file_name=f"phuong_an_{info.id}.toml", mime="application/toml",
                          icon=":material/download:", on_click="ignore", width="stretch")


def _change(action: Callable[[], ScenarioInfo], done_key: str) -> None:
    try:
        info = action()
    except StoreError as exc:
        st.error(error_text(exc), icon=":material/error:")
        return
    state.put(state.STORE_NOTICE, tx(done_key, name=info.name, id=str(info.id)))
    state.drop(state.W_RENAME)
    st.rerun()


def confirm_delete(s: ScenarioStore, info: ScenarioInfo, user: str | None) -> None:
    box = st.container(border=True)
    box.warning(tx("confirm_delete", name=info.name, id=str(info.id)), icon=":material/warning:")
    b1, b2 = box.columns(2)
    if b1.button(tx("confirm_yes"), key="store_delete_yes", type="primary"):
        state.drop(state.STORE_CONFIRM_DELETE, state.W_PICK)
        _change(lambda: s.delete(info.id, user), "deleted")
    if b2.button(tx("confirm_no"), key="store_delete_no"):
        state.drop(state.STORE_CONFIRM_DELETE)
        st.rerun()


def reopen(s: ScenarioStore, scenario_id: int, user: str | None) -> None:
    """Every parameter back on the Plan page, and the saved plan when it fits the data in use."""
    from planner.store.restore import allocation_from_stored

    try:
        stored = s.get(scenario_id, user)
    except StoreError as exc:
        st.error(error_text(exc), icon=":material/error:")
        return
    if stored.is_multiyear:
        _reopen_multiyear(stored)
        return
    ds = session.dataset()
    sc = stored.scenario
    limit = solving.app_time_limit()  # the app solves within the server's time limit
    if sc.time_limit is None or sc.time_limit > limit:
        sc = sc.with_changes(time_limit=min(sc.time_limit or limit, limit))
    allocation = None
    if stored.plan is not None and stored.inputs_fingerprint == ds.fingerprint:
        try:  # rebuilt before anything on screen changes: a damaged one leaves it all as it was
            allocation = allocation_from_stored(stored)
        except DAMAGE_ERRORS as exc:
            log.warning("scenario %s: saved result unreadable: %s", stored.id, damage_text(exc))
            st.error(tx("reopen_failed", name=stored.name), icon=":material/error:")
            return
    session.use_scenario(sc)
    state.put(state.AUTO_SOLVED, True)  # the Plan page must not solve over the reopened plan
    if allocation is not None:
        state.put(state.RESULT, solving.PlanResult(allocation, sc, ds.fingerprint, 0.0))
        notice = tx("reopened", name=stored.name)
    elif stored.plan is not None:
        files = ", ".join(f.name for f in stored.input_files) or "–"
        notice = tx("reopened_other_data", name=stored.name, files=files)
    else:
        notice = tx("reopened_no_plan", name=stored.name)
    state.put(state.NOTICE, notice)
    st.switch_page(PLAN_PAGE)


def _reopen_multiyear(stored: StoredScenario) -> None:
    """A saved multi-year plan back on the multi-year page, as saved (not solved again)."""
    from planner.store.multiyear import plan_from_stored
    from planner.store.queries import StoredInputs
    from planner.ui import multiyear_save

    try:
        plan = plan_from_stored(stored)
    except DAMAGE_ERRORS as exc:
        log.warning("scenario %s: saved result unreadable: %s", stored.id, damage_text(exc))
        st.error(tx("reopen_failed", name=stored.name), icon=":material/error:")
        return
    state.put(multiyear_save.RESULT, plan)
    state.put(multiyear_save.RUN, (stored.scenario,
                                   StoredInputs(stored.input_files, stored.inputs_fingerprint)))
    state.put(multiyear_save.REOPENED, ui("multiyear.reopened", state.lang(), name=stored.name))
    st.switch_page(multiyear_save.PAGE)


# --- comparing ---------------------------------------------------------------------------------

def compare_section(s: ScenarioStore, infos: list[ScenarioInfo], user: str | None) -> None:
    by_id = {i.id: i for i in infos}
    chosen = [i for i in state.get(state.W_COMPARE, []) if i in by_id]
    if chosen != state.get(state.W_COMPARE, chosen):
        state.put(state.W_COMPARE, chosen)
    picked = st.multiselect(tx("compare_pick"), list(by_id), key=state.W_COMPARE,
                            max_selections=3, format_func=lambda i: _choice(by_id[i]),
                            help=tx("compare_help"),
                            placeholder=t("compare.pick_placeholder", state.lang()))
    if len(picked) < 2:
        st.info(tx("compare_need_two"), icon=":material/compare_arrows:")
        return
    try:
        stored = [s.get(i, user) for i in picked]
        if is_multiyear_comparison(stored):
            show_multiyear_comparison(compare_multiyear(stored))
            return
        cmp = compare_scenarios(stored)
    except StoreError as exc:
        st.warning(error_text(exc), icon=":material/warning:")
        return
    except CompareError as exc:
        st.warning(exc.message(state.lang()), icon=":material/warning:")
        return
    except DAMAGE_ERRORS as exc:
        st.warning(t("store.cli.compare_damaged", state.lang(),
                     names=", ".join(f"«{x.name}» (#{x.id})" for x in stored),
                     detail=damage_text(exc)), icon=":material/warning:")
        return
    show_comparison(cmp)


def _inputs_banner(warning: str | None, lang: str) -> None:
    """Above a comparison: a warning when the plans were made from different inputs, else a
    note that they share them."""
    if warning:
        st.warning(warning, icon=":material/dataset:")
    else:
        st.caption(t("store.compare.same_inputs", lang))


def show_multiyear_comparison(cmp: MultiYearComparison) -> None:
    """Two or three multi-year plans: per year, hires, vacancies and surplus at the year's
    end, and the differences from the first."""
    lang = state.lang()
    _inputs_banner(cmp.warning(lang), lang)
    st.subheader(ui("multiyear.compare_title", lang))
    st.caption(t("store.cli.years_compared", lang, first=cmp.labels[0]))
    table = cmp.per_year.copy()
    table["year"] = table["year"].astype(str)
    st.dataframe(table.rename(columns=cmp.headers(lang)), hide_index=True)
    from planner.export.plain_tables import table_csv

    st.download_button(ui("multiyear.download_compare", lang),
                       table_csv(cmp.per_year, headers="ids"),
                       file_name="so_sanh_ke_hoach_nhieu_nam.csv", mime="text/csv",
                       key="store_compare_multiyear_csv", icon=":material/download:",
                       on_click="ignore")


GREEN = "background-color: #C6EFCE; color: #006100"
RED = "background-color: #FFC7CE; color: #9C0006"


def _diff_colour(value: Any, direction: int = 1) -> str:
    """Green where the difference is better, red where worse (``direction`` -1: fewer is
    better, e.g. remaining vacancies; 0: neither, not coloured)."""
    if value is None or pd.isna(value) or value == 0 or not direction:
        return ""
    return GREEN if direction * value > 0 else RED


def headline_styled(cmp: Comparison, lang: str) -> Styler:
    """The headline table with its differences coloured better (green) or worse (red)."""
    table = compare_headline(cmp, lang)
    diff_headers = list(table.columns[1 + cmp.n:])

    def colours(_column: pd.Series, i: int) -> list[str]:
        return [{"better": GREEN, "worse": RED}.get(effect(f, d) or "", "")
                for f, d in zip(cmp.headline["figure"], cmp.headline[f"diff_{i}"],
                                strict=True)]

    styled = table.style
    for i, header in enumerate(diff_headers, start=2):
        styled = styled.apply(colours, i=i, subset=[header])
    return styled


def show_comparison(cmp: Comparison) -> None:
    lang = state.lang()
    _inputs_banner(cmp.warning(lang), lang)
    st.subheader(tx("compare_headline"))
    st.dataframe(headline_styled(cmp, lang), hide_index=True)
    st.subheader(tx("compare_by_unit"))
    only = st.toggle(tx("only_changed"), value=True, key=state.W_COMPARE_ONLY_CHANGED)
    table = cmp.by_unit[cmp.by_unit["changed"]] if only else cmp.by_unit
    headers = by_unit_headers(cmp, lang)
    columns = [c for c in table.columns if c not in ("changed",) and not c.startswith("vacancies")]
    shown = table[columns].rename(columns=headers).reset_index(drop=True)
    diffs: list[Hashable] = [headers[c] for c in columns if "_diff_" in c]
    plain: list[Hashable] = [headers[c] for c in columns if c not in ("unit_id", "unit_name")
                             and "_diff_" not in c]
    styled = shown.style
    for c in columns:
        if "_diff_" in c:
            styled = styled.map(_diff_colour, direction=BETTER[c.split("_diff_")[0]],
                                subset=[headers[c]])
    def whole(v: Any) -> str:
        return "–" if pd.isna(v) else count(v)

    def signed(v: Any) -> str:
        return "–" if pd.isna(v) else ("+" if v > 0 else "") + count(v)

    styled = styled.format(whole, subset=plain).format(signed, subset=diffs)
    st.dataframe(styled, hide_index=True)
    measure = st.radio(tx("chart_measure"), ("hires", "remaining"), horizontal=True,
                       key=state.lang_key(state.W_COMPARE_MEASURE),
                       format_func=lambda v: tx(f"measure_{v}"))
    st.altair_chart(fit(difference_by_unit_chart(cmp.by_unit, cmp.labels, measure=measure,
                                                 lang=lang)))
    from planner.export.compare_workbook import compare_xlsx

    st.download_button(tx("download_compare"), compare_xlsx(cmp, lang=lang),
                       file_name="so_sanh_phuong_an.xlsx", key="store_compare_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore")


# --- the page ----------------------------------------------------------------------------------

def render() -> None:
    page_style()
    st.header(tx("title"))
    notice = state.get(state.STORE_NOTICE)
    if notice:
        st.success(notice, icon=":material/check_circle:")
        state.drop(state.STORE_NOTICE)
    s = store()
    if s is None:
        return
    user = current_user()
    st.caption(tx("where") + " · " +
               (tx("signed_in", user=user) if user else tx("local_mode")))
    try:
        save_tab, list_tab, compare_tab = st.tabs([tx("tab_save"), tx("tab_list"),
                                                   tx("tab_compare")])
        with save_tab:
            save_section(s, user)
        infos = s.list(user)
        with list_tab:
            list_section(s, infos, user)
        with compare_tab:
            compare_section(s, infos, user)
    except StoreError as exc:
        st.error(error_text(exc), icon=":material/database:")


if __name__ == "__main__":
    render()

"""Work that survives a reload, a dropped connection and a server restart: the officer's draft.

Each browser tab gets a random draft id, kept in the page address (``?ban_nhap=…``). After
every run that changed something, the working data set (the uploaded files and how they were
read), the parameters and the last plan are written to the scenario store as that draft
(:mod:`planner.store.drafts`); opening the address again (F5, a new connection, a restarted
server) puts them back, and the sidebar says so. With sign-in, a draft belongs to the
signed-in officer: another officer opening the same address gets nothing of it, and an
officer opening the app without an id gets their own latest draft back.

The fresh sample (no upload, the sample's parameters) is not written: a draft holds work.
A store that cannot be used costs the officer nothing but the draft (logged, not shown).
"""

from __future__ import annotations

import base64
import logging
import os
from typing import Any

import streamlit as st

from planner.store import ENV_URL, StoreError
from planner.store.drafts import DraftStore, keep_days, new_draft_id
from planner.ui import auth, cache, session, state
from planner.ui.widgets import tr

log = logging.getLogger(__name__)
QUERY = "ban_nhap"  # the page address's parameter holding the draft id
VERSION = 1
PLAN_PART = "draft_plan_part"  # (PlanResult, its part of the draft document), encoded once


def _store() -> DraftStore | None:
    from planner.ui.scenarios_page import _store as shared_store

    try:
        return DraftStore(shared_store(os.environ.get(ENV_URL, "")))
    except StoreError as exc:
        log.warning("drafts unavailable: %s", exc)
        return None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


# --- what a draft holds ----------------------------------------------------------------------

def _signature() -> tuple[Any, ...]:
    ds = session.dataset()
    result = state.get(state.RESULT)
    return (ds.cache_key, session.scenario().to_toml(),
            None if result is None else (id(result.allocation), result.scenario.to_toml()))


def _worth_keeping() -> bool:
    ds = session.dataset()
    if ds.kind != "sample":
        return True
    return session.scenario().to_toml() != cache.sample_scenario().to_toml()


def document() -> dict[str, Any]:
    """The session's work as a JSON document."""
    from planner.store.queries import Result
    from planner.store.table_codec import encode_table

    ds = session.dataset()
    doc: dict[str, Any] = {"version": VERSION, "scenario": session.scenario().to_toml(),
                           "dataset": {"kind": ds.kind}}
    if ds.kind != "sample" and ds.upload is not None:
        files, mappings, sheet = ds.upload
        doc["dataset"].update(files=[{"role": r, "name": n, "data": _b64(d)}
                                     for r, n, d in files],
                              mappings=[list(m) for m in mappings], sheet=sheet)
    result = state.get(state.RESULT)
    if result is not None:
        held = state.get(PLAN_PART)  # the plan's part is encoded once per plan, not at every
        if held is None or held[0] is not result:  # change of a field (budget typed)
            kept = Result.of(result.allocation)
            held = (result, {"scenario": result.scenario.to_toml(),
                             "fingerprint": result.fingerprint, "seconds": result.seconds,
                             "summary": kept.summary,
                             "tables": {k: _b64(encode_table(t))
                                        for k, t in kept.tables.items()}})
            state.put(PLAN_PART, held)
        doc["plan"] = held[1]
    return doc


def apply(doc: dict[str, Any]) -> None:
    """Put a draft's work back into the session (raises on anything it cannot read)."""
    from planner.domain.scenario import Scenario
    from planner.optimise.result import Allocation
    from planner.store.table_codec import decode_table
    from planner.ui.solving import PlanResult

    if doc.get("version") != VERSION:
        raise ValueError(f"draft version {doc.get('version')!r}")
    data = doc["dataset"]
    if data.get("kind") == "upload":
        files = tuple((str(f["role"]), str(f["name"]), _unb64(f["data"])) for f in data["files"])
        mappings = tuple(_mapping(m) for m in data.get("mappings") or ())
        sheet = data.get("sheet")
        inputs = cache.uploaded_inputs(files, mappings, sheet)
        session.use_dataset(session.Dataset("upload", inputs, reading=repr((mappings, sheet)),
                                            upload=(files, mappings, sheet)))
    else:
        session.use_dataset(session.Dataset("sample", cache.sample_inputs()))
    session.use_scenario(Scenario.from_toml(doc["scenario"]))
    state.put(state.AUTO_SOLVED, True)  # the Plan page must not solve over the restored plan
    plan = doc.get("plan")
    ds = session.dataset()
    if plan and plan.get("fingerprint") == ds.fingerprint:
        tables = {k: decode_table(_unb64(v)) for k, v in plan["tables"].items()}
        if tables.get("plan") is None or tables.get("by_unit") is None:
            raise ValueError("the draft's plan lacks its tables")
        allocation = Allocation.from_summary(plan["summary"], plan=tables["plan"],
                                             by_unit=tables["by_unit"],
                                             budget_values=tables.get("budget_values"))
        state.put(state.RESULT, PlanResult(allocation,
                                           Scenario.from_toml(plan["scenario"]),
                                           ds.fingerprint, float(plan.get("seconds") or 0)))


# --- each run ---------------------------------------------------------------------------------

def restore() -> None:
    """Once per session: put back the draft the address (or the signed-in officer) names;
    every run: keep the draft id in the address."""
    if not state.get(state.DRAFT_CHECKED):
        state.put(state.DRAFT_CHECKED, True)
        wanted = st.query_params.get(QUERY)
        user = auth.current_user()
        store = _store()
        draft = None
        if store is not None:
            try:
                draft = store.get(wanted, owner=user) if wanted else store.latest(user or "")
            except StoreError as exc:
                log.warning("draft not read: %s", exc)
        if draft is not None:
            try:
                apply(draft.document)
            except Exception:  # a draft that no longer reads: start afresh, keep the server up
                log.exception("draft %s…: not restored", draft.id[:6])
                draft = None
        if draft is not None:
            state.put(state.DRAFT_ID, draft.id)
            state.put(state.DRAFT_SAVED, _signature())
            state.put(state.DRAFT_NOTICE, tr(
                "draft.restored", when=draft.updated_at.astimezone().strftime("%H:%M %d/%m/%Y")))
        else:
            state.put(state.DRAFT_ID, new_draft_id())
    if st.query_params.get(QUERY) != state.get(state.DRAFT_ID):
        st.query_params[QUERY] = state.get(state.DRAFT_ID)


def save() -> None:
    """After a run: write the draft if the work changed since it was last written."""
    draft_id = state.get(state.DRAFT_ID)
    if not draft_id:
        return
    signature = _signature()
    written = state.get(state.DRAFT_SAVED)
    if signature == written:
        return
    keep = _worth_keeping()
    if not keep and written is None:  # the untouched sample: nothing to keep
        return
    store = _store()
    if store is None:
        return
    try:
        if keep:
            store.put(draft_id, document(), owner=auth.current_user())
        else:  # back to the untouched sample: a reload must not bring the old work back
            store.delete(draft_id, owner=auth.current_user())
    except (StoreError, ValueError) as exc:
        log.warning("draft not written: %s", exc)
        return
    state.put(state.DRAFT_SAVED, signature)


def sidebar_note(box: Any) -> None:
    """The sidebar's lines about the draft: restored just now, and how long work is kept."""
    notice = state.get(state.DRAFT_NOTICE)
    if notice:
        box.success(notice, icon=":material/restore:")
        state.drop(state.DRAFT_NOTICE)
    days = keep_days()
    box.caption(tr("draft.kept", days=f"{days:g}"))


def _mapping(item: object) -> tuple[str, str, str]:
    """One (table, column, header) of a draft's column mappings."""
    if not isinstance(item, list | tuple) or len(item) != 3:
        raise ValueError(f"a column mapping is (table, column, header), not {item!r}")
    table, column, header = (str(x) for x in item)
    return table, column, header

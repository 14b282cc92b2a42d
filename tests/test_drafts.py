"""Drafts in the real scenario store (issue 13, item 2), on SQLite and PostgreSQL.

A draft is read back only by its exact random id, only by its owner, and only until it
expires; an id copied from another officer cannot overwrite their draft.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.store import ScenarioStore
from planner.store.drafts import DraftStore, keep_days, new_draft_id, valid_draft_id
from tests.store_backends import store_url  # noqa: F401  (fixture)


@pytest.fixture
def drafts(store_url):  # noqa: F811
    store = ScenarioStore(store_url)
    yield DraftStore(store)
    store.close()


DOC = {"version": 1, "scenario": "base_salary = 2530000\n", "note": "Sở Nội vụ — bản nháp"}


def test_a_draft_comes_back_whole_by_its_id(drafts):
    draft_id = new_draft_id()
    drafts.put(draft_id, DOC)
    got = drafts.get(draft_id)
    assert got is not None and got.document == DOC and got.id == draft_id
    drafts.put(draft_id, {**DOC, "note": "sửa lần 2"})  # replaced, not duplicated
    assert drafts.get(draft_id).document["note"] == "sửa lần 2"
    assert drafts.count() == 1


def test_ids_are_random_and_a_guessable_id_is_never_read(drafts):
    ids = {new_draft_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(valid_draft_id(i) for i in ids)
    assert all(len(i) == 32 for i in ids)  # 24 random bytes, URL-safe
    for guess in ("1", "admin", "0" * 31, "' OR 1=1 --", None, 12345):
        assert drafts.get(guess) is None
    with pytest.raises(ValueError):
        drafts.put("1", DOC)


def test_drafts_are_isolated_between_officers(drafts):
    lan, mai = new_draft_id(), new_draft_id()
    drafts.put(lan, {**DOC, "note": "của Lan"}, owner="lan@sonoivu.example")
    drafts.put(mai, {**DOC, "note": "của Mai"}, owner="mai@sonoivu.example")
    # Mai with Lan's address gets nothing of Lan's, and cannot overwrite it
    assert drafts.get(lan, owner="mai@sonoivu.example") is None
    assert drafts.get(lan) is None  # nor anyone without sign-in
    drafts.put(lan, {**DOC, "note": "ghi đè"}, owner="mai@sonoivu.example")
    assert drafts.get(lan, owner="lan@sonoivu.example").document["note"] == "của Lan"
    # a signed-in officer's latest draft is their own
    assert drafts.latest("mai@sonoivu.example").document["note"] == "của Mai"
    assert drafts.latest("lan@sonoivu.example").document["note"] == "của Lan"
    assert drafts.latest("") is None  # drafts without an owner are found by id only


def test_drafts_expire(drafts, monkeypatch):
    now = datetime.now(UTC)
    old, fresh = new_draft_id(), new_draft_id()
    drafts.put(old, DOC, days=1, now=now - timedelta(days=2))
    assert drafts.get(old, now=now) is None  # expired: not read
    assert drafts.get(old, now=now - timedelta(days=1, hours=1)) is not None
    drafts.put(fresh, DOC, days=1, now=now)  # a write deletes what has expired
    assert drafts.count() == 1 and drafts.get(fresh, now=now) is not None
    monkeypatch.setenv("PLANNER_DRAFT_DAYS", "3")
    assert keep_days() == 3
    for bad in ("0", "-1", "nhiều", "nan"):
        monkeypatch.setenv("PLANNER_DRAFT_DAYS", bad)
        assert keep_days() == 14

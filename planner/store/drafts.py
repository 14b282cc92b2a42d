"""Drafts: the app's work in progress, kept in the scenario store until they expire.

A draft is one JSON document (what the app needs to put an officer's work back: uploaded
tables and how they were read, the parameters, the last plan), gzip-compressed, under a
random id (:func:`new_draft_id`: 192 random bits, URL-safe) and its owner (the signed-in
user, or "" without sign-in). A draft is read back only

- by its exact id, which must look like one this module makes (a short, guessable or
  hand-typed id is never looked up), and
- by its owner: a signed-in officer never reads another's draft, even with its id;
  without sign-in the unguessable id is the key;
- before it expires: ``PLANNER_DRAFT_DAYS`` days (default 14) after its last change.

Expired drafts are deleted on the next write. The table (``drafts``) comes with schema
version 4 (:mod:`planner.store.schema`).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from planner.store import schema as S
from planner.store.scenarios import ScenarioStore

ENV_DAYS = "PLANNER_DRAFT_DAYS"
DEFAULT_DAYS = 14.0
#: what :func:`new_draft_id` makes: 32 URL-safe characters (192 random bits)
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")


def new_draft_id() -> str:
    return secrets.token_urlsafe(24)


def valid_draft_id(value: Any) -> bool:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def keep_days() -> float:
    """How long a draft is kept after its last change (``PLANNER_DRAFT_DAYS``; a value that is
    not a positive number means the default)."""
    try:
        days = float(os.environ.get(ENV_DAYS, ""))
    except ValueError:
        return DEFAULT_DAYS
    return days if days > 0 and days == days and days < 36_500 else DEFAULT_DAYS


@dataclass(frozen=True)
class Draft:
    id: str
    owner: str
    updated_at: datetime
    expires_at: datetime
    document: dict[str, Any]


def _encode(document: dict[str, Any]) -> bytes:
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return gzip.compress(raw.encode("utf-8"), compresslevel=6, mtime=0)


def _decode(payload: bytes) -> dict[str, Any]:
    doc = json.loads(gzip.decompress(payload).decode("utf-8"))
    if not isinstance(doc, dict):
        raise ValueError("a draft is a JSON object")
    return doc


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)  # SQLite drops the zone


class DraftStore:
    """Drafts in a :class:`ScenarioStore`'s database (same URL, same transactions)."""

    def __init__(self, store: ScenarioStore) -> None:
        self.store = store

    def put(self, draft_id: str, document: dict[str, Any], *, owner: str | None = None,
            days: float | None = None, now: datetime | None = None) -> None:
        """Write (or replace) the draft ``draft_id`` of ``owner``; delete expired drafts.

        A draft of that id with another owner is left alone (and nothing is written): an id
        copied from another officer's address cannot overwrite their work.
        """
        if not valid_draft_id(draft_id):
            raise ValueError("not a draft id made by new_draft_id()")
        now = now or datetime.now(UTC)
        expires = now + timedelta(days=keep_days() if days is None else days)
        payload = _encode(document)
        t = S.DRAFTS
        with self.store._write() as conn:
            conn.execute(t.delete().where(t.c.expires_at < now))
            row = conn.execute(sa.select(t.c.owner).where(t.c.id == draft_id)).first()
            if row is None:
                conn.execute(t.insert().values(id=draft_id, owner=owner or "", created_at=now,
                                               updated_at=now, expires_at=expires,
                                               payload=payload))
            elif row.owner == (owner or ""):
                conn.execute(t.update().where(t.c.id == draft_id)
                             .values(updated_at=now, expires_at=expires, payload=payload))

    def get(self, draft_id: Any, *, owner: str | None = None,
            now: datetime | None = None) -> Draft | None:
        """The draft ``draft_id`` of ``owner`` if it exists and has not expired, else None
        (also for an id that does not look like one :func:`new_draft_id` makes)."""
        if not valid_draft_id(draft_id):
            return None
        now = now or datetime.now(UTC)
        t = S.DRAFTS
        with self.store._read() as conn:
            row = conn.execute(sa.select(t).where(t.c.id == draft_id,
                                                  t.c.owner == (owner or ""))).first()
        return self._draft(row, now)

    def latest(self, owner: str, *, now: datetime | None = None) -> Draft | None:
        """A signed-in officer's most recent draft (never one without an owner)."""
        if not owner:
            return None
        now = now or datetime.now(UTC)
        t = S.DRAFTS
        with self.store._read() as conn:
            row = conn.execute(sa.select(t).where(t.c.owner == owner)
                               .order_by(t.c.updated_at.desc()).limit(1)).first()
        return self._draft(row, now)

    @staticmethod
    def _draft(row: Any, now: datetime) -> Draft | None:
        if row is None or _aware(row.expires_at) < now:
            return None
        try:
            document = _decode(row.payload)
        except (OSError, EOFError, ValueError, UnicodeDecodeError):
            return None  # a damaged draft is no draft: the officer starts afresh
        return Draft(row.id, row.owner, _aware(row.updated_at), _aware(row.expires_at), document)

    def delete(self, draft_id: str, *, owner: str | None = None) -> None:
        t = S.DRAFTS
        with self.store._write() as conn:
            conn.execute(t.delete().where(t.c.id == draft_id, t.c.owner == (owner or "")))

    def count(self) -> int:
        with self.store._read() as conn:
            found = conn.execute(sa.select(sa.func.count()).select_from(S.DRAFTS)).scalar()
            return int(found or 0)

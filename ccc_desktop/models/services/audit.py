"""The hash-chained audit trail: who did what to which record, and a check that it is whole."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from ccc_desktop.models.clock import Clock
from ccc_desktop.models.records import AuditEntry, AuditVerification
from ccc_desktop.models.roles import Actor, Permission
from ccc_desktop.models.storage.audit import AuditStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.meta import MetaStore

GENESIS = "0" * 64
SYSTEM = "system"


def entry_hash(key: bytes, e: AuditEntry, prev_hash: str) -> str:
    d = e.__dict__
    body = json.dumps(
        [d["id"], d["at"], d["account_id"], d["actor"], d["action"], d["record_type"],
         d["record_id"], d["detail"], prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


class AuditTrail:
    """Append entries inside the caller's transaction; verify the chain on request."""

    def __init__(self, db: Database, clock: Clock, reader: Actor | None = None) -> None:
        self.db = db
        self.clock = clock
        # The session's own account: reading the trail is checked against it, whatever actor a
        # caller passes. Trails the vault uses internally (set-up, unlock) have no reader.
        self.reader = reader
        self.store = AuditStore(db)
        self.meta = MetaStore(db)
        self._folded: list[tuple[str, str, str]] | None = None
        self._fold_thread = 0

    @contextmanager
    def folded(self) -> Iterator[list[tuple[str, str, str]]]:
        """Inside one transaction that writes many records (an import): the services' own
        entries are gathered, not written, and the caller writes one entry that names the
        whole batch (the import keeps a list of every record it wrote)."""
        if self._folded is not None:
            raise RuntimeError("audit entries are already being folded")
        gathered: list[tuple[str, str, str]] = []
        self._folded = gathered
        # Only this thread's entries fold: the window's own thread keeps writing as usual.
        self._fold_thread = threading.get_ident()
        try:
            yield gathered
        finally:
            self._folded = None

    def _key(self) -> bytes:
        key = self.meta.get("audit_key")
        if key is None:
            raise RuntimeError("vault has no audit key")
        return key

    def record(self, actor: Actor | None, action: str, record_type: str = "",
               record_id: object = "", detail: str = "") -> AuditEntry:
        if self._folded is not None and threading.get_ident() == self._fold_thread:
            self._folded.append((action, record_type, "" if record_id is None else str(record_id)))
            return AuditEntry(id=0, at="", account_id=actor.account_id if actor else None,
                              actor=actor.username if actor else SYSTEM, action=action,
                              record_type=record_type, record_id=str(record_id), detail=detail,
                              prev_hash="", hash="")
        with self.db.transaction():
            last = self.store.last()
            prev = last.hash if last else GENESIS
            draft = AuditEntry(
                id=(last.id + 1) if last else 1,
                at=self.clock.now().isoformat(timespec="seconds"),
                account_id=actor.account_id if actor else None,
                actor=actor.username if actor else SYSTEM,
                action=action,
                record_type=record_type,
                record_id="" if record_id is None else str(record_id),
                detail=detail,
                prev_hash=prev,
                hash="",
            )
            digest = entry_hash(self._key(), draft, prev)
            entry = replace(draft, hash=digest)
            self.store.insert(entry)
            self.meta.put("audit_head", f"{entry.id}:{digest}".encode())
            return entry

    def verify(self, actor: Actor | None = None,
               progress: Callable[[int, int], None] | None = None) -> AuditVerification:
        self._require_reader(actor)
        key = self._key()
        total = self.store.count()
        prev = GENESIS
        last_id = 0
        checked = 0
        for e in self.store.iter_all():
            checked += 1
            if e.id <= last_id:
                return AuditVerification(False, checked, f"Entry {e.id} is out of order.", e.id)
            if e.prev_hash != prev:
                return AuditVerification(
                    False, checked,
                    f"Entry {e.id} does not follow the one before it: an entry was removed or "
                    "moved.", e.id)
            if entry_hash(key, e, prev) != e.hash:
                return AuditVerification(False, checked, f"Entry {e.id} has been altered.", e.id)
            prev, last_id = e.hash, e.id
            if progress and checked % 500 == 0:
                progress(checked, total)
        head = self.meta.get("audit_head")
        expected = f"{last_id}:{prev}".encode() if last_id else None
        if head != expected:
            return AuditVerification(
                False, checked, "The newest entries of the audit trail have been removed.", None)
        return AuditVerification(True, checked)

    def _require_reader(self, actor: Actor | None) -> None:
        for who in (self.reader, actor):
            if who is not None:
                who.require(Permission.VIEW_AUDIT)

    def entries(self, actor: Actor | None = None, search: str = "", limit: int = 500) -> list[AuditEntry]:
        self._require_reader(actor)
        return self.store.page(search, limit)

    def for_record(self, actor: Actor | None, record_type: str, record_id: object) -> list[AuditEntry]:
        self._require_reader(actor)
        return self.store.for_record(record_type, str(record_id))

"""The hash-chained audit trail: who did what to which record, and a check that it is whole.

The chain's key lives in the database, so anyone who holds the database key (a Session
volunteer too) could re-chain it. What they cannot forge is the checkpoint: the head (count,
last id, last hash) authenticated under a key derived from the seal key, which manager sessions
write after each of their entries and check (with the whole chain) when they unlock. A trail
rewritten or cut short below the last checkpoint is reported at the next manager unlock;
entries a Session volunteer's key wrote since the last manager session can still be altered by
that key, and nothing can prevent that (the volunteer's app writes them with the same keys).

The actor of an entry is the trail's own: the session's account, bound when the trail is made.
Callers never name it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from ccc_desktop.models import crypto
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


SealKey = Callable[[], "bytes | bytearray | None"]


class AuditTrail:
    """Append entries inside the caller's transaction; verify the chain on request."""

    def __init__(self, db: Database, clock: Clock, actor: Actor | None = None,
                 seal_key: SealKey | None = None, reader: Actor | None = None) -> None:
        self.db = db
        self.clock = clock
        # The account every entry is written as (None: the system, e.g. a tidy-up at unlock).
        self.actor = actor
        # The session's own account: reading the trail is checked against it, whatever actor a
        # caller passes. Trails the vault uses internally (set-up, unlock) have no reader.
        self.reader = reader
        # Manager sessions: gives the seal key, to keep the checkpoint up to date.
        self._seal_key = seal_key
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

    def record(self, action: str, record_type: str = "", record_id: object = "",
               detail: str = "") -> AuditEntry:
        actor = self.actor
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
            seal = self._seal_key() if self._seal_key else None
            if seal is not None:
                self._write_checkpoint(seal)
            return entry

    # ---- the head, and the checkpoint a volunteer's key cannot forge ------------------------------
    def head_problem(self) -> str:
        """The cheap check every unlock makes before it appends: does the newest entry match the
        head marker? (Truncation followed by a new entry would otherwise hide itself.)"""
        self._require_reader(None)
        last = self.store.last()
        head = self.meta.get("audit_head")
        expected = f"{last.id}:{last.hash}".encode() if last else None
        if head != expected:
            return "The newest entries of the audit trail have been removed."
        return ""

    @staticmethod
    def _checkpoint_mac(seal: bytes | bytearray, count: int, last_id: int, last_hash: str) -> str:
        return crypto.mac(seal, "audit-checkpoint", count, last_id, last_hash)

    def _write_checkpoint(self, seal: bytes | bytearray) -> None:
        last = self.store.last()
        if last is None:
            return
        # Entries are numbered 1, 2, 3 … as they are appended, so the newest id is the count:
        # no count(*) over the whole trail after every entry (half a million rows at 20,000
        # families).
        count = last.id
        mac = self._checkpoint_mac(seal, count, last.id, last.hash)
        self.meta.put("audit_checkpoint", f"{count}:{last.id}:{last.hash}:{mac}".encode())

    def checkpoint_head(self) -> tuple[int, str] | None:
        """(last id, last hash) of the last checkpoint; check it with checkpoint_problem first."""
        self._require_reader(None)
        raw = self.meta.get("audit_checkpoint")
        try:
            _, last_id, last_hash, _ = raw.decode().split(":") if raw else ("", "", "", "")
            return (int(last_id), last_hash) if raw else None
        except ValueError:
            return None

    def checkpoint_problem(self, seal: bytes | bytearray) -> str:
        """Against the last checkpoint a manager session wrote: is every entry it covered still
        there, unchanged? Empty when it holds (or when none has been written yet)."""
        self._require_reader(None)
        raw = self.meta.get("audit_checkpoint")
        if raw is None:
            return ""
        try:
            count_s, last_id_s, last_hash, mac = raw.decode().split(":")
            count, last_id = int(count_s), int(last_id_s)
        except ValueError:
            return "The audit trail's checkpoint has been altered."
        if not crypto.mac_ok(seal, mac, "audit-checkpoint", count, last_id, last_hash):
            return "The audit trail's checkpoint has been altered."
        # One row read, whatever the trail's length: the newest checkpointed entry must still be
        # there with the same hash (a cut tail loses it; a re-chained trail changes it). An entry
        # removed from the middle without re-chaining breaks the chain, which Verify finds.
        entry = self.store.get(last_id)
        if entry is None:
            return ("Entries of the audit trail that a Coordinator or Chair session had already "
                    "checked have been removed.")
        if entry.hash != last_hash:
            return ("The audit trail has been rewritten since a Coordinator or Chair session "
                    "last checked it.")
        return ""

    def verify(self, actor: Actor | None = None,
               progress: Callable[[int, int], None] | None = None,
               since: tuple[int, str] | None = None) -> AuditVerification:
        """The whole chain, or (``since``: an entry's id and hash, e.g. the checkpoint's) only
        what was appended after that entry."""
        self._require_reader(actor)
        key = self._key()
        total = self.store.count() if progress else 0  # a count reads the whole trail
        last_id, prev = since if since is not None else (0, GENESIS)
        checked = 0
        for e in self.store.iter_all(after=last_id):
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

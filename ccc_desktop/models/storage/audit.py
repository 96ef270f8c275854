"""SQL for the audit trail. Rows are only ever inserted (triggers refuse UPDATE and DELETE).

An entry written while the seal key is held (a Coordinator, Chair or recovery session) keeps
its action, record and detail sealed in ``sealed`` (context ``audit_log.sealed|<id>``); the open
columns then say only that an entry was made, when and by whom, so neither the wording nor the
order of entries ("check recorded", then "volunteer paused" in the same second) tells a Session
volunteer's key a sealed fact. The chain's hashes are over the entry as written (opened), so
the checks are the same for sealed and plain entries.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from ccc_desktop.models.errors import VaultCorrupt
from ccc_desktop.models.records import AuditEntry
from ccc_desktop.models.storage.database import Database, Row

_COLUMNS = ("id, at, account_id, actor, action, record_type, record_id, detail, prev_hash, hash, "
            "sealed")
SEALED_ACTION = "entry"  # what the open column says of a sealed entry


def _context(entry_id: int) -> str:
    return f"audit_log.sealed|{entry_id}"


def _entry(db: Database, row: Row) -> AuditEntry:
    entry = AuditEntry(**{k: row[k] for k in row.keys() if k != "sealed"})
    if row["sealed"] is None or db.sealer is None:
        return entry  # plain, or sealed and shown as the open columns say (no seal key)
    try:
        action, record_type, record_id, detail = json.loads(
            db.sealer.open_text(_context(entry.id), row["sealed"]))
    except VaultCorrupt:  # moved or changed in the file: the chain check reports it altered
        return replace(entry, action="(a sealed entry that has been altered)")
    return replace(entry, action=action, record_type=record_type, record_id=record_id,
                   detail=detail)


@contextmanager
def rewriting_sealed_text(db: Database) -> Iterator[None]:
    """The changes ever made to written entries, inside the caller's transaction: sealing the
    released plain entries once and resealing every entry under a new seal key (neither
    changes what an entry says), and replacing a disposed volunteer's name as the actor of
    their entries (vouched for under the seal key). The append-only trigger is lifted for them."""
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    yield
    db.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")


def seal_plain_entries(db: Database, progress: Callable[[int], None] | None = None) -> int:
    """Seal the entries written in plain before sealing existed (the sealing step, once).

    The trail is append-only; this is the one change made to old entries, and it leaves what
    each entry says (and so the chain) exactly as it was, only no longer readable without the
    seal key. Inside the caller's transaction."""
    sealer = db.sealer
    assert sealer is not None
    rows = db.query("SELECT id, action, record_type, record_id, detail FROM audit_log "
                    "WHERE sealed IS NULL ORDER BY id")
    if not rows:
        return 0
    with rewriting_sealed_text(db):
        for n, r in enumerate(rows, 1):
            blob = sealer.seal_text(_context(r["id"]), json.dumps(
                [r["action"], r["record_type"], r["record_id"], r["detail"]], ensure_ascii=False))
            db.execute("UPDATE audit_log SET action = ?, record_type = '', record_id = '', "
                       "detail = '', sealed = ? WHERE id = ?", (SEALED_ACTION, blob, r["id"]))
            if progress is not None and n % 1000 == 0:
                progress(n)
    return len(rows)


class AuditStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def last(self) -> AuditEntry | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT 1")
        return _entry(self.db, row) if row else None

    def head(self) -> tuple[int, str] | None:
        """(id, hash) of the newest entry, without opening its sealed text: what appending an
        entry and checking the head need, read on every action."""
        row = self.db.query_one("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        return (int(row[0]), str(row[1])) if row else None

    def get(self, entry_id: int) -> AuditEntry | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM audit_log WHERE id = ?", (entry_id,))
        return _entry(self.db, row) if row else None

    def next_id(self) -> int:
        return int(self.db.scalar("SELECT coalesce(max(id), 0) + 1 FROM audit_log"))

    def by_account(self, account_id: int) -> list[AuditEntry]:
        rows = self.db.query(f"SELECT {_COLUMNS} FROM audit_log WHERE account_id = ? ORDER BY id",
                             (account_id,))
        return [_entry(self.db, r) for r in rows]

    def set_actor(self, entry_ids: list[int], actor: str) -> None:
        """A disposed volunteer's name replaced as the actor of their entries (models/audit.py
        ``redact_actor`` vouches for each with a MAC). Inside the caller's transaction."""
        with rewriting_sealed_text(self.db):
            self.db.executemany("UPDATE audit_log SET actor = ? WHERE id = ?",
                                [(actor, i) for i in entry_ids])
        self.db.changed("audit")

    def insert(self, e: AuditEntry) -> None:
        sealer = self.db.sealer
        values: tuple[str, str, str, str, bytes | None]
        if sealer is None:
            values = (e.action, e.record_type, e.record_id, e.detail, None)
        else:
            values = (SEALED_ACTION, "", "", "", sealer.seal_text(_context(e.id), json.dumps(
                [e.action, e.record_type, e.record_id, e.detail], ensure_ascii=False)))
        self.db.execute(
            f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (e.id, e.at, e.account_id, e.actor, *values[:4], e.prev_hash, e.hash, values[4]),
        )
        self.db.changed("audit")

    def iter_all(self, batch: int = 2000, after: int = 0) -> Iterator[AuditEntry]:
        last = after
        while True:
            rows = self.db.query(
                f"SELECT {_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            )
            if not rows:
                return
            for r in rows:
                yield _entry(self.db, r)
            last = rows[-1]["id"]

    def iter_newest(self, batch: int = 2000) -> Iterator[AuditEntry]:
        before = None
        while True:
            rows = self.db.query(
                f"SELECT {_COLUMNS} FROM audit_log WHERE ? IS NULL OR id < ? ORDER BY id DESC LIMIT ?",
                (before, before, batch))
            if not rows:
                return
            for r in rows:
                yield _entry(self.db, r)
            before = rows[-1]["id"]

    def page(self, search: str = "", limit: int = 500, offset: int = 0) -> list[AuditEntry]:
        """Newest first. Entries are sealed, so a search opens them and matches here (case
        folded, like SQL's LIKE did)."""
        if not search:
            rows = self.db.query(f"SELECT {_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?",
                                 (limit, offset))
            return [_entry(self.db, r) for r in rows]
        needle = search.casefold()
        out: list[AuditEntry] = []
        skipped = 0
        for e in self.iter_newest():
            if any(needle in str(v).casefold() for v in
                   (e.actor, e.action, e.record_type, e.record_id, e.detail)):
                if skipped < offset:
                    skipped += 1
                    continue
                out.append(e)
                if len(out) >= limit:
                    break
        return out

    def count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM audit_log"))

    def for_record(self, record_type: str, record_id: str) -> list[AuditEntry]:
        return [e for e in self.iter_all() if e.record_type == record_type and e.record_id == record_id]

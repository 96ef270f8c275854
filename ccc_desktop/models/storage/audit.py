"""SQL for the audit trail. Rows are only ever inserted (triggers refuse UPDATE and DELETE)."""

from __future__ import annotations

from collections.abc import Iterator

from ccc_desktop.models.records import AuditEntry
from ccc_desktop.models.storage.database import Database, Row

_COLUMNS = "id, at, account_id, actor, action, record_type, record_id, detail, prev_hash, hash"


def _entry(row: Row) -> AuditEntry:
    return AuditEntry(**{k: row[k] for k in row.keys()})


class AuditStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def last(self) -> AuditEntry | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT 1")
        return _entry(row) if row else None

    def get(self, entry_id: int) -> AuditEntry | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM audit_log WHERE id = ?", (entry_id,))
        return _entry(row) if row else None

    def next_id(self) -> int:
        return int(self.db.scalar("SELECT coalesce(max(id), 0) + 1 FROM audit_log"))

    def insert(self, e: AuditEntry) -> None:
        self.db.execute(
            f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (e.id, e.at, e.account_id, e.actor, e.action, e.record_type, e.record_id, e.detail,
             e.prev_hash, e.hash),
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
                yield _entry(r)
            last = rows[-1]["id"]

    def page(self, search: str = "", limit: int = 500, offset: int = 0) -> list[AuditEntry]:
        like = f"%{search}%"
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM audit_log WHERE ? = '' OR actor LIKE ? OR action LIKE ? "
            "OR record_type LIKE ? OR record_id LIKE ? OR detail LIKE ? "
            "ORDER BY id DESC LIMIT ? OFFSET ?",
            (search, like, like, like, like, like, limit, offset),
        )
        return [_entry(r) for r in rows]

    def count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM audit_log"))

    def for_record(self, record_type: str, record_id: str) -> list[AuditEntry]:
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM audit_log WHERE record_type = ? AND record_id = ? ORDER BY id",
            (record_type, record_id),
        )
        return [_entry(r) for r in rows]

"""SQL for walking every sealed column (models/sealed.py lists them) when the seal key changes."""

from __future__ import annotations

from collections.abc import Iterator

from ccc_desktop.models.storage.database import Database, Row

# Table and column names come from models/sealed.py's fixed list, never from the user.


class SealedStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self, table: str, column: str) -> int:
        return int(self.db.scalar(f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"))  # noqa: S608

    def rows(self, table: str, column: str, batch: int = 500) -> Iterator[tuple[int, Row]]:
        last = 0
        while True:
            rows = self.db.query(
                f"SELECT rowid AS _rowid_, * FROM {table} WHERE {column} IS NOT NULL "  # noqa: S608
                "AND rowid > ? ORDER BY rowid LIMIT ?", (last, batch))
            if not rows:
                return
            for r in rows:
                yield int(r["_rowid_"]), r
            last = int(rows[-1]["_rowid_"])

    def put(self, table: str, column: str, rowid: int, blob: bytes) -> None:
        self.db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (blob, rowid))  # noqa: S608

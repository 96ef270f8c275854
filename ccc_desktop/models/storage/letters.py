"""SQL for stored letters (the PDF bytes live inside the encrypted database)."""

from __future__ import annotations

from ccc_desktop.models.records import StoredLetter
from ccc_desktop.models.storage.database import Database, Row

_COLUMNS = "id, kind, title, subject_type, subject_id, created_at, created_by"


def _letter(row: Row) -> StoredLetter:
    return StoredLetter(**{k: row[k] for k in row.keys()})


class LetterStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, kind: str, title: str, subject_type: str, subject_id: int | None,
               created_at: str, created_by: int | None, pdf: bytes) -> int:
        new_id = self.db.execute(
            "INSERT INTO letters (kind, title, subject_type, subject_id, created_at, created_by, pdf) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kind, title, subject_type, subject_id, created_at, created_by, pdf),
        )
        self.db.changed("letters")
        return new_id

    def get(self, letter_id: int) -> StoredLetter | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM letters WHERE id = ?", (letter_id,))
        return _letter(row) if row else None

    def pdf(self, letter_id: int) -> bytes | None:
        value = self.db.scalar("SELECT pdf FROM letters WHERE id = ?", (letter_id,))
        return None if value is None else bytes(value)

    def for_subject(self, subject_type: str, subject_id: int | None) -> list[StoredLetter]:
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM letters WHERE subject_type = ? AND subject_id IS ? "
            "ORDER BY created_at DESC, id DESC",
            (subject_type, subject_id),
        )
        return [_letter(r) for r in rows]

    def delete_for_subject(self, subject_type: str, subject_id: int) -> int:
        cur = self.db.query("SELECT count(*) FROM letters WHERE subject_type = ? AND subject_id = ?",
                            (subject_type, subject_id))
        self.db.execute("DELETE FROM letters WHERE subject_type = ? AND subject_id = ?",
                        (subject_type, subject_id))
        self.db.changed("letters")
        return int(cur[0][0])

"""SQL for stored letters (the PDF bytes live inside the encrypted database)."""

from __future__ import annotations

from ccc_desktop.models.records import Shown, StoredLetter
from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.sealing import (
    ALL,
    SealedRow,
    open_binary,
    openable,
    seal_row,
    select,
    wrap,
)

_COLUMNS = "id, kind, title, subject_type, subject_id, created_at, created_by, " + select()


def _letter(db: Database, row: Row) -> StoredLetter:
    r = SealedRow(db, "letters", row)
    return StoredLetter(**{k: r[k] for k in r.keys()})


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
        seal_row(self.db, "letters", new_id, ALL)
        self.db.changed("letters")
        return new_id

    def get(self, letter_id: int) -> StoredLetter | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM letters WHERE id = ?", (letter_id,))
        return _letter(self.db, row) if row else None

    def pdf(self, letter_id: int) -> bytes | None:
        return open_binary(self.db, "letters", "pdf", letter_id)

    def for_subject(self, subject_type: str, subject_id: int | None) -> Shown[StoredLetter]:
        """The subject's letters; one moved here from another record in the file does not
        open and is left out (counted in ``hidden``)."""
        rows = openable(wrap(self.db, "letters", self.db.query(
            f"SELECT {_COLUMNS} FROM letters WHERE subject_type = ? AND subject_id IS ? "
            "ORDER BY created_at DESC, id DESC",
            (subject_type, subject_id),
        )))
        out: Shown[StoredLetter] = Shown(StoredLetter(**{k: r[k] for k in r.keys()}) for r in rows)
        out.hidden = rows.hidden
        return out

    def delete_for_subject(self, subject_type: str, subject_id: int) -> int:
        cur = self.db.query("SELECT count(*) FROM letters WHERE subject_type = ? AND subject_id = ?",
                            (subject_type, subject_id))
        self.db.execute("DELETE FROM letters WHERE subject_type = ? AND subject_id = ?",
                        (subject_type, subject_id))
        self.db.changed("letters")
        return int(cur[0][0])

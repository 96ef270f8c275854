"""SQL for stored letters (the PDF bytes live inside the encrypted database).

Everything about a letter but its id is sealed (models/sealed.py SEALED_TABLES): its kind,
title, subject, when and by whom it was made, and the PDF. A record's letters are found by the
blind index of the subject (``subject_index``) and ordered after opening."""

from __future__ import annotations

from collections.abc import Iterable

from ccc_desktop.models.records import Shown, StoredLetter
from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.sealing import (
    ALL,
    SealedRow,
    open_binary,
    openable,
    owner_where,
    seal_row,
    select,
    wrap,
)

_COLUMNS = ("id, kind, title, subject_type, subject_id, created_at, created_by, subject_index, "
            + select())
_FIELDS = ("id", "kind", "title", "subject_type", "subject_id", "created_at", "created_by")


def _letter(row: SealedRow) -> StoredLetter:
    return StoredLetter(**{k: row[k] for k in _FIELDS})


def _newest_first(letters: Iterable[StoredLetter]) -> list[StoredLetter]:
    return sorted(letters, key=lambda x: (x.created_at, x.id), reverse=True)


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
        """The letter; SealedMoved if it was moved to another record in the file."""
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM letters WHERE id = ?", (letter_id,))
        return _letter(SealedRow(self.db, "letters", row)) if row else None

    def pdf(self, letter_id: int) -> bytes | None:
        return open_binary(self.db, "letters", "pdf", letter_id)

    def _rows(self, owners: Iterable[tuple[str, int | None]]) -> list[Row]:
        where, params = owner_where(self.db, "letters", owners)
        # The clause is built from the registry's column names; values are parameters.
        return self.db.query(f"SELECT {_COLUMNS} FROM letters WHERE {where}", params)  # noqa: S608

    def for_subject(self, subject_type: str, subject_id: int | None) -> Shown[StoredLetter]:
        """The subject's letters, newest first; one moved here from another record in the file
        does not open and is left out (counted in ``hidden``)."""
        rows = openable(wrap(self.db, "letters", self._rows([(subject_type, subject_id)])))
        out: Shown[StoredLetter] = Shown(_newest_first(_letter(r) for r in rows))
        out.hidden = rows.hidden
        return out

    def ids_for(self, owners: Iterable[tuple[str, int | None]]) -> frozenset[int]:
        """The ids of the letters kept about any of ``owners`` (by index, nothing opened)."""
        return frozenset(int(r["id"]) for r in self._rows(owners))

    def all(self) -> Shown[StoredLetter]:
        """Every letter that opens, by id (one moved in the file is counted in ``hidden``)."""
        rows = openable(wrap(self.db, "letters", self.db.query(
            f"SELECT {_COLUMNS} FROM letters ORDER BY id")))
        out: Shown[StoredLetter] = Shown(_letter(r) for r in rows)
        out.hidden = rows.hidden
        return out

    def delete_for_subject(self, subject_type: str, subject_id: int) -> int:
        return self.delete_for([(subject_type, subject_id)])

    def delete_for(self, owners: Iterable[tuple[str, int | None]]) -> int:
        """With the records they are about (disposal, an import undone); returns how many."""
        where, params = owner_where(self.db, "letters", owners)
        # The clause is built from the registry's column names; values are parameters.
        n = int(self.db.scalar(f"SELECT count(*) FROM letters WHERE {where}", params))  # noqa: S608
        if n:
            self.db.execute(f"DELETE FROM letters WHERE {where}", params)  # noqa: S608
            self.db.changed("letters")
        return n

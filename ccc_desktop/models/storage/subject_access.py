"""SQL for subject access requests (sealed but for the row id: opened and selected here)."""

from __future__ import annotations

from typing import Any

from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.sealing import ALL, seal_row, select, wrap, wrap_one

_SAR_COLUMNS = ("id, requester_name, subject_category, subject_record_id, subject_person, "
                "identity_check, received_on, due_on, status, closed_on, notes, created_at, created_by, "
                + select())


SAR_EDITABLE = frozenset({"requester_name", "identity_check", "notes", "subject_category",
                          "subject_record_id", "subject_person", "received_on", "due_on",
                          "status", "closed_on"})


class SarStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, values: dict[str, Any]) -> int:
        cols = list(values)
        new_id = self.db.execute(
            f"INSERT INTO subject_access_requests ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)})", [values[c] for c in cols])
        seal_row(self.db, "subject_access_requests", new_id, ALL)
        self.db.changed("subject_access")
        return new_id

    def update(self, request_id: int, **values: Any) -> None:
        unknown = set(values) - SAR_EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        sets = ", ".join(f"{k} = ?" for k in values)  # keys come from SAR_EDITABLE only
        self.db.execute(f"UPDATE subject_access_requests SET {sets} WHERE id = ?",
                        [*values.values(), request_id])
        seal_row(self.db, "subject_access_requests", request_id, values)
        self.db.changed("subject_access")

    def get(self, request_id: int) -> Row | None:
        return wrap_one(self.db, "subject_access_requests", self.db.query_one(
            f"SELECT {_SAR_COLUMNS} FROM subject_access_requests WHERE id = ?", (request_id,)))

    # Every column but the id is sealed (issue 12, migration 0024): whose record a request is
    # about, its dates and whether it is open. Requests are opened and selected here (a centre
    # has a handful a year).
    def _opened(self) -> list[Any]:
        return wrap(self.db, "subject_access_requests", self.db.query(
            f"SELECT {_SAR_COLUMNS} FROM subject_access_requests"))

    def all(self, open_only: bool = False) -> list[Any]:
        rows = [r for r in self._opened() if not open_only or r["status"] == "open"]
        return sorted(rows, key=lambda r: (r["status"] != "open", r["due_on"], r["id"]))

    def for_subject(self, category: str, record_id: int) -> list[Any]:
        return sorted((r for r in self._opened() if r["subject_category"] == category
                       and r["subject_record_id"] == record_id), key=lambda r: r["id"])

    def open_subjects(self) -> set[tuple[str, int]]:
        return {(r["subject_category"], int(r["subject_record_id"])) for r in self._opened()
                if r["status"] == "open" and r["subject_record_id"] is not None}

    def closed_unlinked(self, cutoff: str, request_id: int | None = None) -> list[Any]:
        """Closed requests not linked to a record, closed on or before cutoff (one, or all)."""
        return sorted((r for r in self._opened() if r["status"] != "open"
                       and r["subject_record_id"] is None and r["closed_on"] is not None
                       and r["closed_on"] <= cutoff and request_id in (None, r["id"])),
                      key=lambda r: (r["closed_on"], r["id"]))

    def delete(self, request_id: int) -> int:
        n = int(self.db.scalar("SELECT count(*) FROM subject_access_requests WHERE id = ?", (request_id,)))
        self.db.execute("DELETE FROM subject_access_requests WHERE id = ?", (request_id,))
        self.db.changed("subject_access")
        return n

    def delete_for_subject(self, category: str, record_id: int) -> list[int]:
        ids = [int(r["id"]) for r in self.for_subject(category, record_id)]
        self.db.executemany("DELETE FROM subject_access_requests WHERE id = ?", [(i,) for i in ids])
        self.db.changed("subject_access")
        return ids

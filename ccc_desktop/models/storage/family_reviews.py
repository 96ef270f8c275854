"""SQL for a family's reviews of its contact arrangement.

Everything but a review's id is sealed (models/sealed.py, the family_reviews entry): its notes
and date (migration 0026) and which family it is about (0030). A family's reviews are found by
the blind index of the family (``family_index``), as a record's letters are found by theirs,
so a Session volunteer's key no longer reads which families have had reviews. A row whose
index was changed in the file opens only to its own family and is left out elsewhere.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.sealing import (
    ALL,
    openable,
    opened_kept,
    owner_where,
    seal_row,
    select,
    wrap,
)

_SELECT = f"id, family_id, reviewed_on, notes, family_index, {select()}"


class ReviewStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, family_id: int, on: date, notes: str, now: str) -> int:
        new_id = self.db.execute(
            "INSERT INTO family_reviews (family_id, reviewed_on, notes, created_at) "
            "VALUES (?, ?, ?, ?)", (family_id, on.isoformat(), notes, now))
        seal_row(self.db, "family_reviews", new_id, ALL)
        self.db.changed("families")
        return new_id

    def _of(self, family_ids: list[int]) -> list[Any]:
        """The families' reviews that open to them (by each family's index; rows not sealed
        yet by their open column)."""
        out: list[Any] = []
        for start in range(0, len(family_ids), 400):
            where, params = owner_where(self.db, "family_reviews",
                                        [(i,) for i in family_ids[start:start + 400]])
            # The WHERE clause comes from owner_where (indexes and ids are parameters).
            out += openable(wrap(self.db, "family_reviews", self.db.query(
                f"SELECT {_SELECT} FROM family_reviews WHERE {where}", params)))  # noqa: S608
        return out

    def for_family(self, family_id: int) -> list[Any]:
        """A family's reviews by date (ordered after opening)."""
        rows = [r for r in self._of([family_id]) if r["family_id"] == family_id]
        return sorted(rows, key=lambda r: (r["reviewed_on"], r["id"]))

    def ids_for(self, family_ids: list[int]) -> list[int]:
        wanted = set(family_ids)
        return sorted(int(r["id"]) for r in self._of(family_ids) if r["family_id"] in wanted)

    def delete_for(self, family_ids: list[int]) -> None:
        """A family's reviews go with it (no cascade from a sealed link)."""
        self.db.executemany("DELETE FROM family_reviews WHERE id = ?",
                            [(i,) for i in self.ids_for(family_ids)])

    def last_dates(self, family_ids: list[int]) -> dict[int, str]:
        """Each family's latest review date. Every review is opened once a session and kept by
        row and nonce (``opened_kept``): the dashboard asks for every family at once."""
        wanted = set(family_ids)
        out: dict[int, str] = {}
        rows = self.db.query(f"SELECT id, family_id, reviewed_on, {select()} FROM family_reviews")
        for _r, opened in opened_kept(self.db, "family_reviews", rows, ("reviewed_on", "family_id")):
            fid, on = opened["family_id"], opened["reviewed_on"]
            if fid in wanted and on and on > out.get(fid, ""):
                out[fid] = on
        return out

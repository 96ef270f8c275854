"""SQL for the waiting list (issue 14)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_desktop.models.storage.database import Database, Row

_SELECT = ("w.id, w.family_id, f.reference, w.added_on, w.pattern_id, w.status, w.offered_on, "
           "w.offered_session_id, w.offers_made, w.left_on, w.left_reason, "
           "p.weekday, p.start_time AS p_start, p.end_time AS p_end, p.label AS p_label, "
           "s.session_date AS offered_date, s.start_time AS offered_start "
           "FROM waiting_list w JOIN families f ON f.id = w.family_id "
           "LEFT JOIN session_patterns p ON p.id = w.pattern_id "
           "LEFT JOIN sessions s ON s.id = w.offered_session_id")


class WaitingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, family_id: int, added_on: date, pattern_id: int | None, now: str) -> int:
        new_id = self.db.execute(
            "INSERT INTO waiting_list (family_id, added_on, pattern_id, created_at) "
            "VALUES (?, ?, ?, ?)", (family_id, added_on.isoformat(), pattern_id, now))
        self.db.changed("waiting", "families")
        self.db.mark("family", family_id)
        return new_id

    def update(self, entry_id: int, **values: Any) -> None:
        allowed = {"status", "offered_on", "offered_session_id", "offers_made", "left_on",
                   "left_reason"}
        if not values or set(values) - allowed:
            raise ValueError("unknown waiting list fields")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(f"UPDATE waiting_list SET {assignments} WHERE id = ?",  # noqa: S608
                        [*(v.isoformat() if isinstance(v, date) else v for v in values.values()),
                         entry_id])
        family_id = self.db.scalar("SELECT family_id FROM waiting_list WHERE id = ?", (entry_id,))
        self.db.changed("waiting", "families")
        if family_id is not None:
            self.db.mark("family", family_id)

    def get(self, entry_id: int) -> Row | None:
        return self.db.query_one(f"SELECT {_SELECT} WHERE w.id = ?", (entry_id,))  # noqa: S608

    def open_entries(self) -> list[Row]:
        return self.db.query(f"SELECT {_SELECT} WHERE w.status IN ('waiting', 'offered') "  # noqa: S608
                             "ORDER BY w.added_on, w.id")

    def for_family(self, family_id: int) -> list[Row]:
        return self.db.query(f"SELECT {_SELECT} WHERE w.family_id = ? "  # noqa: S608
                             "ORDER BY w.added_on DESC, w.id DESC", (family_id,))

    def on_list_at(self, day: date) -> list[Row]:
        """The entries on the list at the end of a day: added by it and not yet left."""
        return self.db.query(
            "SELECT family_id, added_on FROM waiting_list WHERE added_on <= ? "
            "AND (left_on IS NULL OR left_on > ?) ORDER BY added_on, id",
            (day.isoformat(), day.isoformat()))

    def open_for_family(self, family_id: int) -> list[int]:
        return [r[0] for r in self.db.query(
            "SELECT id FROM waiting_list WHERE family_id = ? AND status IN ('waiting', 'offered')",
            (family_id,))]

    def open_sessions(self, first: date, last: date) -> list[Row]:
        """Sessions between two dates with a free place, and their pattern."""
        return self.db.query(
            "SELECT s.id, s.session_date, s.start_time, s.end_time, s.capacity, s.pattern_id, "
            "(SELECT count(*) FROM bookings b WHERE b.session_id = s.id AND b.status <> 'cancelled') "
            "AS booked FROM sessions s WHERE s.session_date BETWEEN ? AND ? "
            "AND s.finalised_at IS NULL ORDER BY s.session_date, s.start_time",
            (first.isoformat(), last.isoformat()))

    def booked_families(self, session_id: int) -> set[int]:
        return {r[0] for r in self.db.query(
            "SELECT family_id FROM bookings WHERE session_id = ? AND status <> 'cancelled'",
            (session_id,))}

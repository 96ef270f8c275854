"""SQL for bookings: a family's places in sessions, with arrival, leaving and absence."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_desktop.models.storage.database import Database, Row

_B_SELECT = ("b.id, b.family_id, b.session_id, s.session_date, s.start_time, s.end_time, b.status, "
             "b.arrived_at, b.left_at, b.absence_reason, b.assessment")


class BookingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def find(self, family_id: int, session_id: int) -> Row | None:
        return self.db.query_one(
            f"SELECT {_B_SELECT} FROM bookings b JOIN sessions s ON s.id = b.session_id "
            "WHERE b.family_id = ? AND b.session_id = ?", (family_id, session_id))

    def get(self, booking_id: int) -> Row | None:
        return self.db.query_one(
            f"SELECT {_B_SELECT} FROM bookings b JOIN sessions s ON s.id = b.session_id "
            "WHERE b.id = ?", (booking_id,))

    def insert(self, family_id: int, session_id: int, now: str) -> int:
        new_id = self.db.execute(
            "INSERT INTO bookings (family_id, session_id, created_at) VALUES (?, ?, ?)",
            (family_id, session_id, now))
        self.db.changed("bookings", "register")
        self.db.mark("family", family_id)
        return new_id

    def update(self, booking_id: int, **values: Any) -> None:
        allowed = {"status", "arrived_at", "left_at", "absence_reason", "assessment"}
        if not values or set(values) - allowed:
            raise ValueError("unknown booking fields")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(f"UPDATE bookings SET {assignments} WHERE id = ?",  # noqa: S608
                        [*values.values(), booking_id])
        family_id = self.db.scalar("SELECT family_id FROM bookings WHERE id = ?", (booking_id,))
        if family_id is not None:
            self.db.mark("family", family_id)
        self.db.changed("bookings", "register")

    def active_count(self, session_id: int) -> int:
        return int(self.db.scalar(
            "SELECT count(*) FROM bookings WHERE session_id = ? AND status <> 'cancelled'",
            (session_id,)))

    def for_session(self, session_id: int) -> list[Row]:
        return self.db.query(
            f"SELECT {_B_SELECT}, f.reference FROM bookings b JOIN sessions s ON s.id = b.session_id "
            "JOIN families f ON f.id = b.family_id WHERE b.session_id = ? AND b.status <> 'cancelled' "
            "ORDER BY f.reference", (session_id,))

    def for_family(self, family_id: int) -> list[Row]:
        return self.db.query(
            f"SELECT {_B_SELECT} FROM bookings b JOIN sessions s ON s.id = b.session_id "
            "WHERE b.family_id = ? ORDER BY s.session_date DESC, s.start_time", (family_id,))

    def attendance(self, family_id: int, first: date | None, last: date | None) -> list[Row]:
        return self.db.query(
            "SELECT s.session_date, b.arrived_at, b.left_at FROM bookings b "
            "JOIN sessions s ON s.id = b.session_id WHERE b.family_id = ? "
            "AND b.arrived_at IS NOT NULL AND s.session_date BETWEEN ? AND ? "
            "ORDER BY s.session_date, s.start_time",
            (family_id, (first or date(1900, 1, 1)).isoformat(),
             (last or date(9999, 12, 31)).isoformat()))


"""SQL for session patterns and dated sessions (shared by the register and the rota)."""

from __future__ import annotations

from datetime import date

from ccc_desktop.models.storage.database import Database, Row

_COLUMNS = ("id, session_date, start_time, end_time, capacity, pattern_id, notes, finalised_at, "
            "finalised_by")


class SessionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, on: date, start: str, end: str, capacity: int,
               pattern_id: int | None = None) -> int:
        new_id = self.db.execute(
            "INSERT INTO sessions (session_date, start_time, end_time, capacity, pattern_id) "
            "VALUES (?, ?, ?, ?, ?)",
            (on.isoformat(), start, end, capacity, pattern_id),
        )
        self.db.changed("sessions")
        return new_id

    def get(self, session_id: int) -> Row | None:
        return self.db.query_one(f"SELECT {_COLUMNS} FROM sessions WHERE id = ?", (session_id,))

    def on_date(self, on: date) -> list[Row]:
        return self.db.query(
            f"SELECT {_COLUMNS} FROM sessions WHERE session_date = ? ORDER BY start_time",
            (on.isoformat(),),
        )

    def between(self, first: date, last: date) -> list[Row]:
        return self.db.query(
            f"SELECT {_COLUMNS} FROM sessions WHERE session_date BETWEEN ? AND ? "
            "ORDER BY session_date, start_time",
            (first.isoformat(), last.isoformat()),
        )

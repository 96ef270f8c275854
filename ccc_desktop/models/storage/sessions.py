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
        self.db.mark("session", new_id)
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

    # ---- patterns, notes and finalising (issue 3) -----------------------------------------
    def insert_pattern(self, weekday: int, start: str, end: str, capacity: int, label: str) -> int:
        new_id = self.db.execute(
            "INSERT INTO session_patterns (weekday, start_time, end_time, capacity, label) "
            "VALUES (?, ?, ?, ?, ?)", (weekday, start, end, capacity, label))
        self.db.changed("sessions")
        return new_id

    def patterns(self, active_only: bool = True) -> list[Row]:
        return self.db.query(
            "SELECT id, weekday, start_time, end_time, capacity, label, active "
            "FROM session_patterns WHERE active >= ? ORDER BY weekday, start_time",
            (1 if active_only else 0,))

    def pattern(self, pattern_id: int) -> Row | None:
        return self.db.query_one(
            "SELECT id, weekday, start_time, end_time, capacity, label, active "
            "FROM session_patterns WHERE id = ?", (pattern_id,))

    def find(self, on: date, start: str) -> Row | None:
        return self.db.query_one(
            f"SELECT {_COLUMNS} FROM sessions WHERE session_date = ? AND start_time = ?",
            (on.isoformat(), start))

    def set_capacity(self, session_id: int, capacity: int) -> None:
        self.db.execute("UPDATE sessions SET capacity = ? WHERE id = ?", (capacity, session_id))
        self.db.changed("sessions", "register")
        self.db.mark("session", session_id)

    def set_notes(self, session_id: int, notes: str) -> None:
        self.db.execute("UPDATE sessions SET notes = ? WHERE id = ?", (notes, session_id))
        self.db.changed("sessions", "register")

    def finalise(self, session_id: int, at: str, account_id: int) -> None:
        self.db.execute("UPDATE sessions SET finalised_at = ?, finalised_by = ? WHERE id = ?",
                        (at, account_id, session_id))
        self.db.changed("sessions", "register")

    def with_counts(self, first: date, last: date) -> list[Row]:
        return self.db.query(
            "SELECT s.id, s.session_date, s.start_time, s.end_time, s.capacity, s.finalised_at, "
            "s.pattern_id, "
            "(SELECT count(*) FROM bookings b WHERE b.session_id = s.id AND b.status <> 'cancelled') "
            "AS booked FROM sessions s WHERE s.session_date BETWEEN ? AND ? "
            "ORDER BY s.session_date, s.start_time", (first.isoformat(), last.isoformat()))

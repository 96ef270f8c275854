"""SQL for the waiting list (issue 14).

Everything on a waiting list entry but its id is sealed (issue 12, migration 0026): which
family, when it joined, the session it needs, the offers made, when it left and why (a
"referral closed" would give away a family's sealed closing date). The list is a few dozen
rows: they are opened and selected, ordered and joined to families, patterns and sessions here,
in Python.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.sealing import ALL, seal_row, select, wrap

_OPEN = ("waiting", "offered")


class WaitingStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _opened(self) -> list[Any]:
        return wrap(self.db, "waiting_list", self.db.query(
            "SELECT id, family_id, added_on, pattern_id, status, offered_on, offered_session_id, "
            f"offers_made, left_on, left_reason, created_at, {select()} FROM waiting_list"))

    def _entries(self, rows: list[Any]) -> list[dict[str, Any]]:
        """The rows as the lists read them: with the family's reference, the pattern's day and
        times and the offered session's date (a pattern or session gone reads as none)."""
        if not rows:
            return []
        fids = sorted({int(r["family_id"]) for r in rows if r["family_id"] is not None})
        marks = ", ".join("?" for _ in fids)
        refs = {int(r[0]): r[1] for r in self.db.query(
            f"SELECT id, reference FROM families WHERE id IN ({marks})", fids)}  # noqa: S608
        patterns = {int(r[0]): r for r in self.db.query(
            "SELECT id, weekday, start_time, end_time, label FROM session_patterns")}
        wanted = sorted({int(r["offered_session_id"]) for r in rows
                         if r["offered_session_id"] is not None})
        sessions: dict[int, Row] = {}
        if wanted:
            marks = ", ".join("?" for _ in wanted)
            sessions = {int(s[0]): s for s in self.db.query(
                f"SELECT id, session_date, start_time FROM sessions WHERE id IN ({marks})",  # noqa: S608
                wanted)}
        out = []
        for r in rows:
            fid = r["family_id"]
            if fid is None or int(fid) not in refs:
                continue  # its family is gone (removed with it; a row left behind reads as none)
            p = patterns.get(int(r["pattern_id"])) if r["pattern_id"] is not None else None
            s = (sessions.get(int(r["offered_session_id"]))
                 if r["offered_session_id"] is not None else None)
            out.append({
                "id": int(r["id"]), "family_id": int(fid), "reference": refs[int(fid)],
                "added_on": r["added_on"], "pattern_id": r["pattern_id"] if p is not None else None,
                "status": r["status"], "offered_on": r["offered_on"],
                "offered_session_id": r["offered_session_id"] if s is not None else None,
                "offers_made": int(r["offers_made"] or 0), "left_on": r["left_on"],
                "left_reason": r["left_reason"] or "",
                "weekday": p["weekday"] if p is not None else None,
                "p_start": p["start_time"] if p is not None else None,
                "p_end": p["end_time"] if p is not None else None,
                "p_label": p["label"] if p is not None else None,
                "offered_date": s["session_date"] if s is not None else None,
                "offered_start": s["start_time"] if s is not None else None})
        return out

    def insert(self, family_id: int, added_on: date, pattern_id: int | None, now: str) -> int:
        new_id = self.db.execute(
            "INSERT INTO waiting_list (family_id, added_on, pattern_id, created_at) "
            "VALUES (?, ?, ?, ?)", (family_id, added_on.isoformat(), pattern_id, now))
        seal_row(self.db, "waiting_list", new_id, ALL)
        self.db.changed("waiting", "families")
        self.db.mark("family", family_id)
        return new_id

    def update(self, entry_id: int, **values: Any) -> None:
        allowed = {"status", "offered_on", "offered_session_id", "offers_made", "left_on",
                   "left_reason"}
        if not values or set(values) - allowed:
            raise ValueError("unknown waiting list fields")
        row = self.get(entry_id)
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(f"UPDATE waiting_list SET {assignments} WHERE id = ?",  # noqa: S608
                        [*(v.isoformat() if isinstance(v, date) else v for v in values.values()),
                         entry_id])
        seal_row(self.db, "waiting_list", entry_id, tuple(values))
        self.db.changed("waiting", "families")
        if row is not None:
            self.db.mark("family", row["family_id"])

    def get(self, entry_id: int) -> dict[str, Any] | None:
        rows = wrap(self.db, "waiting_list", self.db.query(
            "SELECT id, family_id, added_on, pattern_id, status, offered_on, offered_session_id, "
            f"offers_made, left_on, left_reason, created_at, {select()} FROM waiting_list "
            "WHERE id = ?", (entry_id,)))
        found = self._entries(rows)
        return found[0] if found else None

    def open_entries(self) -> list[dict[str, Any]]:
        rows = [r for r in self._opened() if r["status"] in _OPEN]
        return sorted(self._entries(rows), key=lambda e: (e["added_on"], e["id"]))

    def for_family(self, family_id: int) -> list[dict[str, Any]]:
        rows = [r for r in self._opened() if r["family_id"] == family_id]
        return sorted(self._entries(rows), key=lambda e: (e["added_on"], e["id"]), reverse=True)

    def facts_for(self, family_id: int) -> list[tuple[str, str | None, str | None, str]]:
        """(added_on, offered_on, left_on, left_reason) of each of the family's entries."""
        return [(r["added_on"], r["offered_on"], r["left_on"], r["left_reason"] or "")
                for r in self._opened() if r["family_id"] == family_id]

    def on_list_at(self, day: date) -> list[tuple[int, str]]:
        """The entries on the list at the end of a day: added by it and not yet left, as
        (family_id, added_on)."""
        iso = day.isoformat()
        rows = sorted((r for r in self._opened() if r["family_id"] is not None
                       and r["added_on"] <= iso and (not r["left_on"] or r["left_on"] > iso)),
                      key=lambda r: (r["added_on"], r["id"]))
        return [(int(r["family_id"]), r["added_on"]) for r in rows]

    def open_for_family(self, family_id: int) -> list[int]:
        return sorted(int(r["id"]) for r in self._opened()
                      if r["family_id"] == family_id and r["status"] in _OPEN)

    def delete_for(self, family_ids: list[int]) -> None:
        """A family's entries go with it (no cascade from a sealed family)."""
        wanted = set(family_ids)
        self.db.executemany("DELETE FROM waiting_list WHERE id = ?",
                            [(int(r["id"]),) for r in self._opened() if r["family_id"] in wanted])

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

"""Test-only retention and subject-access sources: small tables created by the test.

They stand in for the families and volunteers areas (built on other branches) and show
exactly what a real source implements (see models/services/retention.py). A test puts them in
play with ``only_retention_sources`` or ``with_sar_source``: an extra area in the list of areas
(``models/services/registry.AREAS``), for the services already built and those built later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pytest

from ccc_desktop.models.data_protection_records import Candidate, SarPart, SarRow, SarSection
from ccc_desktop.models.sealed import seal_text
from ccc_desktop.models.services import registry
from ccc_desktop.models.services.area import Area


def _use_areas(monkeypatch: pytest.MonkeyPatch, services, areas: tuple[Area, ...]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(registry, "AREAS", areas)
    assert services.areas is areas  # the services ask the list of areas each time


def only_retention_sources(monkeypatch: pytest.MonkeyPatch, services, *sources) -> None:  # type: ignore[no-untyped-def]
    """The retention report asks these sources only (the areas' own are set aside)."""
    areas = tuple(replace(a, retention_sources=()) for a in registry.AREAS)
    _use_areas(monkeypatch, services, (*areas, Area("test", retention_sources=tuple(sources))))


def with_sar_source(monkeypatch: pytest.MonkeyPatch, services, source) -> None:  # type: ignore[no-untyped-def]
    """A subject access response also asks ``source``, after the areas' own."""
    _use_areas(monkeypatch, services, (*registry.AREAS, Area("test", sar_sources=(source,))))


class FakeSource:
    def __init__(self, category: str = "family", basis: str = "last used", prefix: str = "F") -> None:
        self.category = category
        self.basis = basis
        self.prefix = prefix
        self.table = f"test_{category}"

    # ---- set-up for tests ----------------------------------------------------------------------
    def install(self, session) -> None:  # type: ignore[no-untyped-def]
        t = self.table
        with session.db.transaction():
            session.db.execute(
                f"CREATE TABLE IF NOT EXISTS {t} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "created_on TEXT NOT NULL, last_used TEXT, incident_hold INTEGER NOT NULL DEFAULT 0, "
                "summons_open INTEGER NOT NULL DEFAULT 0, other_parent_address TEXT NOT NULL DEFAULT '', "
                "violent_note TEXT NOT NULL DEFAULT '', sealed BLOB)")
            session.db.execute(
                f"CREATE TABLE IF NOT EXISTS {t}_visits (id INTEGER PRIMARY KEY, "
                f"person_id INTEGER NOT NULL REFERENCES {t} (id), note TEXT NOT NULL)")
            session.db.execute(f"CREATE INDEX IF NOT EXISTS {t}_last_used ON {t} (last_used)")

    def add(self, session, name: str, last_used: date | None, *, created_on: date | None = None,  # type: ignore[no-untyped-def]
            incident: bool = False, summons: bool = False, visits: Sequence[str] = (),
            other_parent_address: str = "", violent_note: str = "", secret: str = "") -> int:
        with session.db.transaction():
            rid = session.db.execute(
                f"INSERT INTO {self.table} (name, created_on, last_used, incident_hold, summons_open, "
                "other_parent_address, violent_note, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, (created_on or last_used or date(2020, 1, 1)).isoformat(),
                 last_used.isoformat() if last_used else None, int(incident), int(summons),
                 other_parent_address, violent_note,
                 seal_text(session, secret, f"{self.table}.sealed") if secret else None))
            for note in visits:
                session.db.execute(f"INSERT INTO {self.table}_visits (person_id, note) VALUES (?, ?)",
                                   (rid, note))
        return rid

    def count(self, session) -> int:  # type: ignore[no-untyped-def]
        return int(session.db.scalar(f"SELECT count(*) FROM {self.table}")) + int(
            session.db.scalar(f"SELECT count(*) FROM {self.table}_visits"))

    # ---- the RetentionSource protocol ----------------------------------------------------------
    def _candidate(self, row) -> Candidate:  # type: ignore[no-untyped-def]
        return Candidate(self.category, row["id"], f"{self.prefix}-{row['id']:05d}", row["name"],
                         date.fromisoformat(row["last_used"]))

    def candidates(self, session, cutoff: date) -> list[Candidate]:  # type: ignore[no-untyped-def]
        rows = session.db.query(
            f"SELECT id, name, last_used FROM {self.table} WHERE last_used IS NOT NULL AND last_used <= ?",
            (cutoff.isoformat(),))
        return [self._candidate(r) for r in rows]

    def candidate(self, session, record_id: int) -> Candidate | None:  # type: ignore[no-untyped-def]
        row = session.db.query_one(
            f"SELECT id, name, last_used FROM {self.table} WHERE id = ? AND last_used IS NOT NULL",
            (record_id,))
        return self._candidate(row) if row else None

    def holds(self, session, record_ids: Sequence[int]) -> dict[int, list[str]]:  # type: ignore[no-untyped-def]
        out: dict[int, list[str]] = {}
        for rid in record_ids:
            row = session.db.query_one(
                f"SELECT incident_hold, summons_open FROM {self.table} WHERE id = ?", (rid,))
            reasons = []
            if row["summons_open"]:
                reasons.append("Linked to an open witness summons")
            if row["incident_hold"]:
                reasons.append("Safeguarding incident hold")
            if reasons:
                out[rid] = reasons
        return out

    def dispose(self, session, record_id: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
        visits = int(session.db.scalar(f"SELECT count(*) FROM {self.table}_visits WHERE person_id = ?",
                                       (record_id,)))
        session.db.execute(f"DELETE FROM {self.table}_visits WHERE person_id = ?", (record_id,))
        session.db.execute(f"DELETE FROM {self.table} WHERE id = ?", (record_id,))
        return {self.table: 1, f"{self.table}_visits": visits}

    # ---- a subject access source ---------------------------------------------------------------
    def sar(self, services, request) -> SarPart | None:  # type: ignore[no-untyped-def]
        session = services.session
        if request.subject_category != self.category or request.subject_record_id is None:
            return None
        row = session.db.query_one(f"SELECT * FROM {self.table} WHERE id = ?", (request.subject_record_id,))
        if row is None:
            return None
        rows = [SarRow("Name", row["name"], about="parent_a"),
                SarRow("Last visit", row["last_used"] or "", about="parent_a")]
        if row["other_parent_address"]:
            rows.append(SarRow("Other parent's address", row["other_parent_address"], about="parent_b"))
        if row["violent_note"]:
            rows.append(SarRow("Risk note", row["violent_note"], about="parent_a", violent_crime=True))
        visits = session.db.query(f"SELECT note FROM {self.table}_visits WHERE person_id = ?", (row["id"],))
        sections = [SarSection("Your family record", tuple(rows))]
        if visits:
            sections.append(SarSection("Visits", tuple(SarRow("Visit", v["note"]) for v in visits)))
        return SarPart(sections)

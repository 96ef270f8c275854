"""SQL for summonses and their steps, letter templates, police visits, agreements and the policy."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_desktop.models.legal_records import (
    SUMMONS_STEPS,
    Agreement,
    PoliceVisit,
    PolicyReview,
    PolicyVersion,
    Summons,
    SummonsStep,
)
from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.sealing import ALL, STEP_NOT_DONE, SealedRow, seal_row, select


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


_SUMMONS_COLS = (
    "id, received_on, received_how, served_on, court, court_address, case_number, hearing_date, "
    "hearing_time, applicant, applicant_address, family_id, respond_by, notes, outcome, "
    "outcome_note, closed_on, created_at, " + select()
)
_SUMMONS_EDITABLE = (
    "received_on", "received_how", "served_on", "court", "court_address", "case_number",
    "hearing_date", "hearing_time", "applicant", "applicant_address", "family_id", "respond_by",
    "notes",
)


def _summons(row: Row, db: Database) -> Summons:
    r = SealedRow(db, "summonses", row)
    return Summons(
        id=r["id"], received_on=date.fromisoformat(r["received_on"]), received_how=r["received_how"],
        served_on=r["served_on"], court=r["court"], court_address=r["court_address"],
        case_number=r["case_number"], hearing_date=date.fromisoformat(r["hearing_date"]),
        hearing_time=r["hearing_time"], applicant=r["applicant"],
        applicant_address=r["applicant_address"], family_id=r["family_id"],
        respond_by=_d(r["respond_by"]), notes=r["notes"], outcome=r["outcome"],
        outcome_note=r["outcome_note"], closed_on=_d(r["closed_on"]), created_at=r["created_at"],
    )


def _step(row: Row, db: Database) -> SummonsStep | None:
    """The step, or None for a step not yet done (every summons has a row for each of the
    four steps, sealed alike: issue 12, migration 0024)."""
    r = SealedRow(db, "summons_steps", row)
    if not r["done_on"]:
        return None
    return SummonsStep(r["summons_id"], r["step"], date.fromisoformat(r["done_on"]), r["done_by"],
                       r["note"], r["recorded_at"])



def add_step_rows(db: Database, summons_id: int) -> None:
    """A new summons's four step rows, none done yet, in the policy's order."""
    for step, _label in SUMMONS_STEPS:
        step_id = db.execute(
            "INSERT INTO summons_steps (summons_id, step, done_on, done_by, note, recorded_at, "
            "recorded_by) VALUES (?, ?, '', '', '', '', NULL)", (summons_id, step))
        seal_row(db, "summons_steps", step_id, ALL)


class SummonsStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _values(self, values: dict[str, Any]) -> list[Any]:
        return [_iso(v) if isinstance(v, date) else v for v in (values[k] for k in _SUMMONS_EDITABLE)]

    def _next_id(self) -> int:
        """Above every summons there is and every one disposed of: the reference S-00012 kept
        in the disposal log is never given to another summons (the table's ids are plain
        rowids, which SQLite reuses after the newest row is deleted)."""
        return int(self.db.scalar(
            "SELECT max(coalesce((SELECT max(id) FROM summonses), 0), coalesce((SELECT "
            "max(CAST(substr(reference, 3) AS INTEGER)) FROM disposal_log WHERE category = "
            "'summons'), 0)) + 1"))

    def insert(self, values: dict[str, Any], created_at: str, created_by: int) -> int:
        cols = ", ".join(_SUMMONS_EDITABLE)
        marks = ", ".join("?" for _ in _SUMMONS_EDITABLE)
        new_id = self.db.execute(
            f"INSERT INTO summonses (id, {cols}, created_at, created_by) "
            f"VALUES (?, {marks}, ?, ?)",
            (self._next_id(), *self._values(values), created_at, created_by))
        seal_row(self.db, "summonses", new_id, ALL)
        add_step_rows(self.db, new_id)
        self.db.changed("summonses")
        return new_id

    def update(self, summons_id: int, values: dict[str, Any]) -> None:
        sets = ", ".join(f"{k} = ?" for k in _SUMMONS_EDITABLE)  # fixed column names only
        self.db.execute(f"UPDATE summonses SET {sets} WHERE id = ?",
                        (*self._values(values), summons_id))
        seal_row(self.db, "summonses", summons_id, _SUMMONS_EDITABLE)
        self.db.changed("summonses")

    def close(self, summons_id: int, outcome: str | None, note: str, closed_on: date | None) -> None:
        self.db.execute("UPDATE summonses SET outcome = ?, outcome_note = ?, closed_on = ? WHERE id = ?",
                        (outcome, note, _iso(closed_on), summons_id))
        seal_row(self.db, "summonses", summons_id, ("outcome", "outcome_note", "closed_on"))
        self.db.changed("summonses")

    def get(self, summons_id: int) -> Summons | None:
        r = self.db.query_one(f"SELECT {_SUMMONS_COLS} FROM summonses WHERE id = ?", (summons_id,))
        return _summons(r, self.db) if r else None

    # Every column but the id is sealed (issue 12, migrations 0017 and 0020): whether a summons
    # is open, its dates and its family are known only after opening, so every read opens all
    # of them and selects and orders here (a centre has a handful).
    def _opened(self) -> list[Summons]:
        return [_summons(r, self.db) for r in self.db.query(f"SELECT {_SUMMONS_COLS} FROM summonses")]

    def all(self, open_only: bool = False) -> list[Summons]:
        return sorted((s for s in self._opened() if not open_only or s.closed_on is None),
                      key=lambda s: (s.closed_on is not None, s.hearing_date, s.received_on, s.id))

    def for_family(self, family_id: int) -> list[Summons]:
        return sorted((s for s in self._opened() if s.family_id == family_id),
                      key=lambda s: (s.received_on, s.id), reverse=True)

    def received_between(self, first: date, last: date) -> list[Summons]:
        """Those received in the period, by date received (the statistics)."""
        return sorted((s for s in self._opened() if first <= s.received_on <= last),
                      key=lambda s: (s.received_on, s.id))

    def families_with_open(self) -> set[int]:
        """The families an open summons is about (they are held back from disposal)."""
        return {s.family_id for s in self._opened() if s.closed_on is None and s.family_id is not None}

    def served_on_open(self) -> set[str]:
        """Who the open summonses were served on, folded (volunteers held back from disposal)."""
        return {s.served_on.strip().casefold() for s in self._opened() if s.closed_on is None}

    # ---- steps ---------------------------------------------------------------------------------
    def put_step(self, summons_id: int, step: str, done_on: date, done_by: str, note: str,
                 recorded_at: str, recorded_by: int) -> None:
        self.db.execute(
            "INSERT INTO summons_steps (summons_id, step, done_on, done_by, note, recorded_at, recorded_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (summons_id, step) DO UPDATE SET "
            "done_on = excluded.done_on, done_by = excluded.done_by, note = excluded.note, "
            "recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by",
            (summons_id, step, done_on.isoformat(), done_by, note, recorded_at, recorded_by))
        step_id = self.db.scalar("SELECT id FROM summons_steps WHERE summons_id = ? AND step = ?",
                                 (summons_id, step))
        seal_row(self.db, "summons_steps", step_id,
                 ("done_on", "done_by", "note", "recorded_at", "recorded_by"))
        self.db.changed("summonses")

    def remove_step(self, summons_id: int, step: str) -> None:
        """The step's row stays, emptied: a summons keeps a row for each step (migration 0024)."""
        step_id = self.db.scalar("SELECT id FROM summons_steps WHERE summons_id = ? AND step = ?",
                                 (summons_id, step))
        if step_id is not None:
            sets = ", ".join(f"{f} = ?" for f in STEP_NOT_DONE)
            self.db.execute(f"UPDATE summons_steps SET {sets} WHERE id = ?",  # noqa: S608
                            (*STEP_NOT_DONE.values(), step_id))
            seal_row(self.db, "summons_steps", step_id, tuple(STEP_NOT_DONE))
        self.db.changed("summonses")

    def closed_for_family(self, family_id: int) -> list[int]:
        return sorted(s.id for s in self._opened()
                      if s.family_id == family_id and s.closed_on is not None)

    def closed_served_on(self, full_name: str) -> list[int]:
        """Closed summonses served on this person (a volunteer being disposed of). Who was
        served is sealed: the summonses are opened and compared here."""
        want = full_name.strip().casefold()
        if not want:
            return []
        return sorted(s.id for s in self._opened()
                      if s.closed_on is not None and want in s.served_on.casefold())

    def closed_before(self, cutoff: str, summons_id: int | None = None) -> list[Summons]:
        """Closed summonses closed on or before ``cutoff`` (retention), oldest first."""
        return sorted((s for s in self._opened() if s.closed_on is not None
                       and s.closed_on.isoformat() <= cutoff and summons_id in (None, s.id)),
                      key=lambda s: (s.closed_on, s.id))

    def family_of(self, summons_ids: list[int]) -> dict[int, int]:
        wanted = set(summons_ids)
        return {s.id: s.family_id for s in self._opened()
                if s.id in wanted and s.family_id is not None}

    def delete(self, summons_id: int) -> dict[str, int]:
        """Disposal: the summons and its steps (they cascade); the caller deletes its letters
        and attachments. Rows deleted per table."""
        counts = {"summonses": int(self.db.scalar("SELECT count(*) FROM summonses WHERE id = ?",
                                                  (summons_id,))),
                  "summons_steps": len(self.steps(summons_id))}  # the steps done
        self.db.execute("DELETE FROM summons_steps WHERE summons_id = ?", (summons_id,))
        self.db.execute("DELETE FROM summonses WHERE id = ?", (summons_id,))
        self.db.changed("summonses")
        return counts

    def clear_applicant(self, summons_id: int) -> None:
        """Disposal of the family a closed summons was about: who applied, and where, go."""
        self.db.execute("UPDATE summonses SET applicant = '', applicant_address = '' WHERE id = ?",
                        (summons_id,))
        seal_row(self.db, "summonses", summons_id, ("applicant", "applicant_address"))
        self.db.changed("summonses")

    def unlink_closed_family(self, family_id: int) -> int:
        """A disposed family: closed summonses keep their record but no longer name it.
        (An open summons holds the family back from disposal.)"""
        ids = self.closed_for_family(family_id)
        for sid in ids:
            self.db.execute("UPDATE summonses SET family_id = NULL WHERE id = ?", (sid,))
            seal_row(self.db, "summonses", sid, ("family_id",))
        if ids:
            self.db.changed("summonses")
        return len(ids)

    def steps(self, summons_id: int) -> list[SummonsStep]:
        rows = self.db.query(
            f"SELECT id, summons_id, step, done_on, done_by, note, recorded_at, {select()} "
            "FROM summons_steps WHERE summons_id = ? ORDER BY id", (summons_id,))
        # Whether and when a step was done is sealed: selected and ordered here, after opening.
        steps = [(st, int(r["id"])) for r in rows if (st := _step(r, self.db)) is not None]
        return [st for st, _id in sorted(steps, key=lambda x: (x[0].done_on, x[1]))]

    def steps_for_open(self, open_only: bool = True) -> dict[int, set[str]]:
        """Which steps each summons has recorded. Whether a step was done, and whether the
        summons is open, are sealed: the rows (and the summonses, when only the open ones
        are wanted) are opened."""
        wanted = ({s.id for s in self._opened() if s.closed_on is None} if open_only else None)
        out: dict[int, set[str]] = {}
        for r in self.db.query(f"SELECT summons_id, step, done_on, {select()} FROM summons_steps"):
            if wanted is not None and r["summons_id"] not in wanted:
                continue
            if SealedRow(self.db, "summons_steps", r)["done_on"]:
                out.setdefault(r["summons_id"], set()).add(r["step"])
        return out


class TemplateStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, kind: str) -> Row | None:
        return self.db.query_one(
            "SELECT kind, body, updated_at, updated_by FROM letter_templates WHERE kind = ?", (kind,))

    def put(self, kind: str, body: str, updated_at: str, updated_by: int) -> None:
        self.db.execute(
            "INSERT INTO letter_templates (kind, body, updated_at, updated_by) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, "
            "updated_by = excluded.updated_by", (kind, body, updated_at, updated_by))
        self.db.changed("templates")

    def delete(self, kind: str) -> None:
        self.db.execute("DELETE FROM letter_templates WHERE kind = ?", (kind,))
        self.db.changed("templates")


_VISIT_COLS = ("id, visit_date, visit_time, officer_name, officer_number, station, emergency, asked, "
               "said, outcome, family_id, recorded_at, " + select())


def _visit(row: Row, db: Database) -> PoliceVisit:
    r = SealedRow(db, "police_visits", row)
    return PoliceVisit(r["id"], date.fromisoformat(r["visit_date"]), r["visit_time"], r["officer_name"],
                       r["officer_number"], r["station"], bool(r["emergency"]), r["asked"], r["said"],
                       r["outcome"], r["family_id"], r["recorded_at"])


class PoliceStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, v: dict[str, Any], recorded_at: str, recorded_by: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO police_visits (visit_date, visit_time, officer_name, officer_number, station, "
            "emergency, asked, said, outcome, family_id, recorded_at, recorded_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (v["visit_date"].isoformat(), v["visit_time"], v["officer_name"], v["officer_number"],
             v["station"], int(v["emergency"]), v["asked"], v["said"], v["outcome"], v["family_id"],
             recorded_at, recorded_by))
        seal_row(self.db, "police_visits", new_id, ALL)
        self.db.changed("police")
        return new_id

    def get(self, visit_id: int) -> PoliceVisit | None:
        r = self.db.query_one(f"SELECT {_VISIT_COLS} FROM police_visits WHERE id = ?", (visit_id,))
        return _visit(r, self.db) if r else None

    def unlink_family(self, family_id: int) -> int:
        """A disposed family: police visits keep their record but no longer name it (which
        family is sealed: the visits are opened and compared here)."""
        ids = [v.id for v in self.all() if v.family_id == family_id]
        for visit_id in ids:
            self.db.execute("UPDATE police_visits SET family_id = NULL WHERE id = ?", (visit_id,))
            seal_row(self.db, "police_visits", visit_id, ("family_id",))
        if ids:
            self.db.changed("police")
        return len(ids)

    def all(self) -> list[PoliceVisit]:
        # The date and time are sealed: ordered here, after opening (a centre has a handful).
        rows = self.db.query(f"SELECT {_VISIT_COLS} FROM police_visits")
        return sorted((_visit(r, self.db) for r in rows),
                      key=lambda v: (v.visit_date, v.visit_time, v.id), reverse=True)


_AGREEMENT_COLS = ("id, agency_type, agency_name, family_id, scope, valid_from, valid_to, approved_by, "
                   "ended_on, created_at, " + select())


def _agreement(row: Row, db: Database) -> Agreement:
    r = SealedRow(db, "assessment_agreements", row)
    return Agreement(r["id"], r["agency_type"], r["agency_name"], r["family_id"], r["scope"],
                     date.fromisoformat(r["valid_from"]), date.fromisoformat(r["valid_to"]),
                     r["approved_by"], _d(r["ended_on"]), r["created_at"])


class AgreementStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, v: dict[str, Any], created_at: str, created_by: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO assessment_agreements (agency_type, agency_name, family_id, scope, valid_from, "
            "valid_to, approved_by, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (v["agency_type"], v["agency_name"], v["family_id"], v["scope"],
             v["valid_from"].isoformat(), v["valid_to"].isoformat(), v["approved_by"], created_at,
             created_by))
        seal_row(self.db, "assessment_agreements", new_id, ALL)
        self.db.changed("agreements")
        return new_id

    def end(self, agreement_id: int, on: date) -> None:
        self.db.execute("UPDATE assessment_agreements SET ended_on = ? WHERE id = ?",
                        (on.isoformat(), agreement_id))
        seal_row(self.db, "assessment_agreements", agreement_id, ("ended_on",))
        self.db.changed("agreements")

    def get(self, agreement_id: int) -> Agreement | None:
        r = self.db.query_one(f"SELECT {_AGREEMENT_COLS} FROM assessment_agreements WHERE id = ?",
                              (agreement_id,))
        return _agreement(r, self.db) if r else None

    # Every column but the id is sealed (issue 12, migration 0024): which family, which agency,
    # the dates. Agreements are opened and selected here (a centre has a handful).
    def all(self) -> list[Agreement]:
        rows = [_agreement(r, self.db) for r in self.db.query(
            f"SELECT {_AGREEMENT_COLS} FROM assessment_agreements")]
        return sorted(rows, key=lambda a: (a.valid_to, a.id), reverse=True)

    def ids_for_family(self, family_id: int) -> list[int]:
        return sorted(a.id for a in self.all() if a.family_id == family_id)

    def delete_for_family(self, family_id: int) -> int:
        """A disposed family: agreements naming only that family go (standing ones stay)."""
        ids = self.ids_for_family(family_id)
        if ids:
            self.db.executemany("DELETE FROM assessment_agreements WHERE id = ?", [(i,) for i in ids])
            self.db.changed("agreements")
        return len(ids)

    def covering(self, family_id: int) -> list[Agreement]:
        """Agreements for this family and standing ones (no family), newest first."""
        return [a for a in self.all() if a.family_id in (family_id, None)]


class PolicyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _version(self, r: Row) -> PolicyVersion:
        return PolicyVersion(r["id"], int(r["number"]), r["body"], r["note"], r["created_at"],
                             r["display_name"] or "")

    _VERSION_SQL = (
        "SELECT v.id, (SELECT count(*) FROM policy_versions w WHERE w.id <= v.id) AS number, v.body, "
        "v.note, v.created_at, a.display_name FROM policy_versions v "
        "LEFT JOIN accounts a ON a.id = v.created_by "
    )

    def current(self) -> PolicyVersion | None:
        r = self.db.query_one(self._VERSION_SQL + "ORDER BY v.id DESC LIMIT 1")
        return self._version(r) if r else None

    def versions(self) -> list[PolicyVersion]:
        return [self._version(r) for r in self.db.query(self._VERSION_SQL + "ORDER BY v.id DESC")]

    def version(self, version_id: int) -> PolicyVersion | None:
        r = self.db.query_one(self._VERSION_SQL + "WHERE v.id = ?", (version_id,))
        return self._version(r) if r else None

    def first_saved_at(self) -> str | None:
        return self.db.scalar("SELECT min(created_at) FROM policy_versions")

    def add_version(self, body: str, note: str, created_at: str, created_by: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO policy_versions (body, note, created_at, created_by) VALUES (?, ?, ?, ?)",
            (body, note, created_at, created_by))
        self.db.changed("policy")
        return new_id

    def add_review(self, reviewed_on: date, reviewed_by: str, changes: str, version_id: int | None,
                   recorded_at: str, recorded_by: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO policy_reviews (reviewed_on, reviewed_by, changes, version_id, recorded_at, "
            "recorded_by) VALUES (?, ?, ?, ?, ?, ?)",
            (reviewed_on.isoformat(), reviewed_by, changes, version_id, recorded_at, recorded_by))
        self.db.changed("policy")
        return new_id

    def reviews(self) -> list[PolicyReview]:
        rows = self.db.query(
            "SELECT id, reviewed_on, reviewed_by, changes, version_id, recorded_at FROM policy_reviews "
            "ORDER BY reviewed_on DESC, id DESC")
        return [PolicyReview(r["id"], date.fromisoformat(r["reviewed_on"]), r["reviewed_by"],
                             r["changes"], r["version_id"], r["recorded_at"]) for r in rows]

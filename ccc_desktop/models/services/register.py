"""Session days, bookings and the register.

The register is the one screen a Session volunteer uses. ``RegisterService.day`` returns names,
times and safety arrangements only (``RegisterEntry``): nothing else about a family leaves
this module for an actor with RUN_REGISTER alone.
"""

from __future__ import annotations

import builtins
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ccc_desktop.documents.day_sheet import day_sheet_pdf
from ccc_desktop.models import limits
from ccc_desktop.models.centre_details import load_centre_details
from ccc_desktop.models.dates import format_date, parse_date, parse_time
from ccc_desktop.models.errors import NotFound, PermissionDenied, ValidationError
from ccc_desktop.models.families_records import (
    Attendance,
    Booking,
    BookingStatus,
    ReferralStatus,
    RegisterAdult,
    RegisterDay,
    RegisterEntry,
    SessionInfo,
    SessionPattern,
)
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.storage.bookings import BookingStore
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.storage.sessions import SessionStore
from ccc_desktop.models.validation import clean_text

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session


def _hm(text: str, field: str, label: str) -> str:
    return parse_time(text, field, label).strftime("%H:%M")


def _booking(r: Row) -> Booking:
    return Booking(id=r["id"], family_id=r["family_id"], session_id=r["session_id"],
                   session_date=date.fromisoformat(r["session_date"]), start_time=r["start_time"],
                   end_time=r["end_time"], status=BookingStatus(r["status"]),
                   arrived_at=r["arrived_at"], left_at=r["left_at"],
                   absence_reason=r["absence_reason"], assessment=bool(r["assessment"]))


class _Base:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.sessions = SessionStore(session.db)
        self.bookings = BookingStore(session.db)
        self.families = FamilyStore(session.db)

    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    def _today(self) -> date:
        return self.session.clock.today()

    def _session_row(self, session_id: int) -> Row:
        row = self.sessions.get(session_id)
        if row is None:
            raise NotFound("That session no longer exists.")
        return row


class BookingService(_Base):
    """Session days and times, dated sessions and families' places on them."""

    # ---- patterns and sessions -----------------------------------------------------------
    def add_pattern(self, weekday: int, start: str, end: str, capacity: int, label: str = "") -> int:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValidationError("Day: choose a day of the week.", "weekday")
        s, e = _hm(start, "start_time", "Starts at"), _hm(end, "end_time", "Ends at")
        if e <= s:
            raise ValidationError("Ends at: the session must end after it starts.", "end_time")
        if not isinstance(capacity, int) or not 1 <= capacity <= 200:
            raise ValidationError("Capacity: enter the number of families, from 1 to 200.", "capacity")
        with self.session.db.transaction():
            pattern_id = self.sessions.insert_pattern(
                weekday, s, e, capacity, clean_text(label, "label", "Label", limits.SHORT))
            self.session.audit.record("session pattern added", "session_pattern", pattern_id)
        return pattern_id

    def patterns(self) -> builtins.list[SessionPattern]:
        self.session.actor.require(Permission.RUN_REGISTER)
        return [SessionPattern(id=r["id"], weekday=r["weekday"], start_time=r["start_time"],
                               end_time=r["end_time"], capacity=r["capacity"], label=r["label"],
                               active=bool(r["active"])) for r in self.sessions.patterns()]

    def ensure_sessions(self, pattern_id: int, first: date, last: date) -> builtins.list[int]:
        """The dated sessions of a pattern between two dates, created where missing."""
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        p = self.sessions.pattern(pattern_id)
        if p is None:
            raise NotFound("That session pattern no longer exists.")
        if last < first:
            raise ValidationError("Until: the last date is before the first.", "last")
        if (last - first).days > 3 * 366:
            raise ValidationError("Until: book at most three years ahead at a time.", "last")
        day = first + timedelta(days=(p["weekday"] - first.weekday()) % 7)
        ids = []
        created = 0
        with self.session.db.transaction():
            while day <= last:
                row = self.sessions.find(day, p["start_time"])
                if row is None:
                    ids.append(self.sessions.insert(day, p["start_time"], p["end_time"],
                                                    p["capacity"], pattern_id))
                    created += 1
                else:
                    ids.append(row["id"])
                day += timedelta(days=7)
            if created:
                self.session.audit.record("sessions created", "session_pattern", pattern_id,
                                          f"{created} sessions")
        return ids

    def add_session(self, on: str, start: str, end: str, capacity: int) -> int:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        day = parse_date(on, "session_date", "Date")
        s, e = _hm(start, "start_time", "Starts at"), _hm(end, "end_time", "Ends at")
        if e <= s:
            raise ValidationError("Ends at: the session must end after it starts.", "end_time")
        if not isinstance(capacity, int) or not 1 <= capacity <= 200:
            raise ValidationError("Capacity: enter the number of families, from 1 to 200.", "capacity")
        if self.sessions.find(day, s) is not None:
            raise ValidationError(f"There is already a session on {format_date(day)} at {s}.",
                                  "session_date")
        with self.session.db.transaction():
            session_id = self.sessions.insert(day, s, e, capacity)
            self.session.audit.record("session added", "session", session_id)
        return session_id

    def sessions_between(self, first: date, last: date) -> builtins.list[SessionInfo]:
        self.session.actor.require(Permission.RUN_REGISTER)
        return [SessionInfo(id=r["id"], session_date=date.fromisoformat(r["session_date"]),
                            start_time=r["start_time"], end_time=r["end_time"],
                            capacity=r["capacity"], booked=r["booked"],
                            finalised=r["finalised_at"] is not None, pattern_id=r["pattern_id"])
                for r in self.sessions.with_counts(first, last)]

    # ---- bookings ------------------------------------------------------------------------
    def _check_bookable(self, family_id: int) -> Row:
        fam = self.families.get(family_id)
        if fam is None:
            raise NotFound("That family's record no longer exists.")
        if fam["referral_status"] != ReferralStatus.ACCEPTED.value:
            raise ValidationError(
                f"Family {fam['reference']} is '{fam['referral_status']}': only an accepted "
                "referral (after the pre-visit) can be booked into sessions.", "family")
        if not fam["previsit_on"]:
            raise ValidationError("Record the pre-visit before booking a first session.", "family")
        adults = self.families.adults(family_id)
        missing = [a["full_name"] for a in adults
                   if not (a["ground_rules_on"] and a["policy_agreed_on"])]
        if not adults or missing:
            raise ValidationError(
                "Ground rules: record the date the ground rules and policy were explained and "
                "agreed for " + (", ".join(missing) if missing else "every adult")
                + " before booking.", "ground_rules")
        return fam

    def _book_one(self, family_id: int, session_id: int) -> int:
        s = self._session_row(session_id)
        when = date.fromisoformat(s["session_date"])
        if s["finalised_at"] is not None:
            raise ValidationError(f"The register for {format_date(when)} has been finalised: no "
                                  "more bookings can be made for it.", "session")
        existing = self.bookings.find(family_id, session_id)
        if existing is not None and existing["status"] != BookingStatus.CANCELLED.value:
            raise ValidationError(f"The family is already booked into the session on "
                                  f"{format_date(when)} at {s['start_time']}.", "session")
        if self.bookings.active_count(session_id) >= s["capacity"]:
            raise ValidationError(f"The session on {format_date(when)} at {s['start_time']} is full "
                                  f"({s['capacity']} families).", "session")
        if existing is not None:
            self.bookings.update(existing["id"], status=BookingStatus.BOOKED.value,
                                 arrived_at=None, left_at=None, absence_reason="")
            booking_id = existing["id"]
        else:
            booking_id = self.bookings.insert(family_id, session_id, self._now())
        # A booking made today for a later session uses the record today; one entered
        # afterwards for a past session counts from that session's day.
        self.families.touch(family_id, min(when, self._today()))
        return booking_id

    def book(self, family_id: int, session_id: int) -> int:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        self._check_bookable(family_id)
        with self.session.db.transaction():
            booking_id = self._book_one(family_id, session_id)
            self.session.audit.record("booking made", "family", family_id,
                                      f"booking {booking_id}, session {session_id}")
        return booking_id

    def book_repeating(self, family_id: int, pattern_id: int, first: str, last: str) -> builtins.list[int]:
        """Weekly on the pattern's day from first to last (dd/mm/yyyy). All or nothing."""
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        start = parse_date(first, "first", "From")
        end = parse_date(last, "last", "Until")
        if end < start:
            raise ValidationError("Until: the last date is before the first.", "last")
        self._check_bookable(family_id)
        with self.session.db.transaction():
            session_ids = self.ensure_sessions(pattern_id, start, end)
            if not session_ids:
                raise ValidationError("There is no session on that day between those dates.", "first")
            ids = [self._book_one(family_id, sid) for sid in session_ids]
            self.session.audit.record("bookings made", "family", family_id,
                                      f"{len(ids)} weekly bookings, pattern {pattern_id}")
        return ids

    def cancel(self, booking_id: int) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        b = self._get(booking_id)
        s = self._session_row(b.session_id)
        if s["finalised_at"] is not None:
            raise ValidationError("That session's register has been finalised: the booking can "
                                  "no longer be cancelled.", "booking")
        if b.arrived_at:
            raise ValidationError("The family attended this session: it cannot be cancelled.",
                                  "booking")
        with self.session.db.transaction():
            self.bookings.update(booking_id, status=BookingStatus.CANCELLED.value)
            self.families.touch(b.family_id, self._today())
            self.session.audit.record("booking cancelled", "family", b.family_id,
                                      f"booking {booking_id}")

    def set_assessment(self, booking_id: int, assessment: bool) -> Booking:
        """Mark (or unmark) a booking as an assessment session: an agency assesses the family
        at the centre. Clause 7 refuses this unless an assessment agreement covering the family
        is in force on the session's day."""
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        b = self._get(booking_id)
        if b.assessment == bool(assessment):
            return b
        if assessment:
            if b.status is BookingStatus.CANCELLED:
                raise ValidationError("That booking was cancelled: it cannot be an assessment "
                                      "session.", "booking")
            agreement = self.services.agreements.require_in_force(b.family_id, b.session_date)
            detail = f"booking {booking_id}; agreement {agreement.id}"
        else:
            detail = f"booking {booking_id}"
        with self.session.db.transaction():
            self.bookings.update(booking_id, assessment=int(bool(assessment)))
            self.families.touch(b.family_id, min(b.session_date, self._today()))
            self.session.audit.record(
                "assessment session marked" if assessment else "assessment session unmarked",
                "family", b.family_id, detail)
        return self._get(booking_id)

    def no_show(self, booking_id: int) -> None:
        self.services.register.no_show(booking_id)

    def _get(self, booking_id: int) -> Booking:
        row = self.bookings.get(booking_id)
        if row is None:
            raise NotFound("That booking no longer exists.")
        return _booking(row)

    def for_family(self, family_id: int) -> builtins.list[Booking]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return [_booking(r) for r in self.bookings.for_family(family_id)]

    def attendance(self, family_id: int, first: date | None = None,
                   last: date | None = None) -> builtins.list[Attendance]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return [Attendance(date.fromisoformat(r["session_date"]), r["arrived_at"], r["left_at"])
                for r in self.bookings.attendance(family_id, first, last)]


class RegisterService(_Base):
    """The register for a day: names, times and safety arrangements, nothing else."""

    def day(self, on: date) -> builtins.list[RegisterDay]:
        self.session.actor.require(Permission.RUN_REGISTER)
        out = []
        for s in self.sessions.on_date(on):
            entries = []
            for b in self.bookings.for_session(s["id"]):
                safety = self.families.safety(b["family_id"])
                adults = tuple(RegisterAdult(a["full_name"], a["role"], a["arrive_minutes_before"],
                                             a["leave_minutes_after"])
                               for a in self.families.adults(b["family_id"]))
                children = tuple(c["full_name"] for c in self.families.children(b["family_id"]))
                entries.append(RegisterEntry(
                    booking_id=b["id"], family_id=b["family_id"], reference=b["reference"],
                    adults=adults, children=children, status=BookingStatus(b["status"]),
                    arrived_at=b["arrived_at"], left_at=b["left_at"],
                    absence_reason=b["absence_reason"],
                    must_not_attend=safety["must_not_attend"] if safety else "",
                    safety_notes=safety["safety_notes"] if safety else "",
                    assessment=bool(b["assessment"])))
            out.append(RegisterDay(
                session_id=s["id"], session_date=on, start_time=s["start_time"],
                end_time=s["end_time"], capacity=s["capacity"], entries=tuple(entries),
                on_duty=tuple(self.services.volunteers.on_duty(s["id"])), notes=s["notes"],
                finalised=s["finalised_at"] is not None, finalised_at=s["finalised_at"]))
        return out

    def session_dates(self, first: date, last: date) -> builtins.list[date]:
        self.session.actor.require(Permission.RUN_REGISTER)
        return sorted({date.fromisoformat(r["session_date"]) for r in self.sessions.between(first, last)})

    def session_day(self, session_id: int) -> RegisterDay:
        """One session's register (as ``day`` gives it)."""
        self.session.actor.require(Permission.RUN_REGISTER)
        s = self._session_row(session_id)
        return next(d for d in self.day(date.fromisoformat(s["session_date"]))
                    if d.session_id == session_id)

    def day_sheet(self, session_id: int) -> bytes:
        """The session's register on paper for the door (A4 landscape PDF).

        Built only from ``session_day`` (what a Session volunteer may see) and the centre's own
        details, so it is the same sheet whoever prints it, and holds nothing more."""
        day = self.session_day(session_id)
        centre = load_centre_details(SettingsStore(self.session.db))
        return day_sheet_pdf(centre, day, self.session.clock.now())

    def record_day_sheet_output(self, session_id: int, how: str) -> None:
        """Audit that a day's sheet left the screen (printed, or saved by a manager)."""
        actor = self.session.actor
        actor.require(Permission.RUN_REGISTER)
        if how not in ("printed", "saved as PDF"):
            raise ValidationError("A day's sheet is either printed or saved as a PDF.", "how")
        if how != "printed" and not actor.can(Permission.EDIT_FAMILIES):
            raise PermissionDenied("save the day's sheet as a file", actor.role.label)
        self._session_row(session_id)
        with self.session.db.transaction():
            self.session.audit.record(f"day sheet {how}", "session", session_id)

    # ---- changes -------------------------------------------------------------------------
    def _change(self, booking_id: int, future_ok: bool = False) -> tuple[Row, Row]:
        """The booking and its session; after finalising only Coordinator/Chair may change it."""
        actor = self.session.actor
        actor.require(Permission.RUN_REGISTER)
        b = self.bookings.get(booking_id)
        if b is None:
            raise NotFound("That booking no longer exists.")
        s = self._session_row(b["session_id"])
        if s["finalised_at"] is not None and not actor.can(Permission.EDIT_FAMILIES):
            raise ValidationError("This register has been finalised: ask the Coordinator to "
                                  "change it.", "register")
        if b["status"] == BookingStatus.CANCELLED.value:
            raise ValidationError("That booking was cancelled.", "booking")
        if not future_ok and date.fromisoformat(s["session_date"]) > self._today():
            raise ValidationError("That session has not happened yet: its register opens on the "
                                  "day.", "register")
        return b, s

    def _audit(self, s: Row, action: str, family_id: int, detail: str) -> None:
        if s["finalised_at"] is not None:
            action = f"{action} after the register was finalised"
        self.session.audit.record(action, "family", family_id, detail)

    def _clock_time(self) -> str:
        return self.session.clock.now().strftime("%H:%M")

    def arrive(self, booking_id: int, at: str = "") -> str:
        b, s = self._change(booking_id)
        when = _hm(at, "arrived_at", "Arrived") if (at or "").strip() else self._clock_time()
        if b["left_at"] and b["left_at"] < when:
            raise ValidationError("Arrived: that is after the time they left.", "arrived_at")
        with self.session.db.transaction():
            self.bookings.update(booking_id, arrived_at=when, status=BookingStatus.BOOKED.value,
                                 absence_reason="")
            self.families.touch(b["family_id"], date.fromisoformat(s["session_date"]))
            self._audit(s, "arrival recorded", b["family_id"], f"booking {booking_id}")
        return when

    def leave(self, booking_id: int, at: str = "") -> str:
        b, s = self._change(booking_id)
        when = _hm(at, "left_at", "Left") if (at or "").strip() else self._clock_time()
        if not b["arrived_at"]:
            raise ValidationError("Left: record the arrival first.", "left_at")
        if when < b["arrived_at"]:
            raise ValidationError(f"Left: {when} is before the arrival at {b['arrived_at']}.",
                                  "left_at")
        with self.session.db.transaction():
            self.bookings.update(booking_id, left_at=when)
            self.families.touch(b["family_id"], date.fromisoformat(s["session_date"]))
            self._audit(s, "departure recorded", b["family_id"], f"booking {booking_id}")
        return when

    def set_times(self, booking_id: int, arrived: str, left: str) -> None:
        """Correct both times at once (typed hh:mm; left may be blank)."""
        b, s = self._change(booking_id)
        a = _hm(arrived, "arrived_at", "Arrived")
        lft = _hm(left, "left_at", "Left") if (left or "").strip() else None
        if lft is not None and lft < a:
            raise ValidationError(f"Left: {lft} is before the arrival at {a}.", "left_at")
        with self.session.db.transaction():
            self.bookings.update(booking_id, arrived_at=a, left_at=lft,
                                 status=BookingStatus.BOOKED.value, absence_reason="")
            self.families.touch(b["family_id"], date.fromisoformat(s["session_date"]))
            self._audit(s, "attendance times changed", b["family_id"], f"booking {booking_id}")

    def _mark(self, booking_id: int, status: BookingStatus, reason: str) -> None:
        # An absence may be known in advance (a call during the week); a no-show may not.
        b, s = self._change(booking_id, future_ok=status is BookingStatus.ABSENT)
        with self.session.db.transaction():
            self.bookings.update(booking_id, status=status.value, arrived_at=None, left_at=None,
                                 absence_reason=reason)
            self._audit(s, f"marked {status.value}", b["family_id"], f"booking {booking_id}")

    def absent(self, booking_id: int, reason: str) -> None:
        reason = clean_text(reason, "absence_reason", "Reason", limits.REASON)
        if not reason:
            raise ValidationError("Reason: say why the family is absent (e.g. child unwell).",
                                  "absence_reason")
        self._mark(booking_id, BookingStatus.ABSENT, reason)

    def no_show(self, booking_id: int) -> None:
        self._mark(booking_id, BookingStatus.NO_SHOW, "")

    def set_notes(self, session_id: int, notes: str) -> None:
        actor = self.session.actor
        actor.require(Permission.RUN_REGISTER)
        s = self._session_row(session_id)
        if s["finalised_at"] is not None and not actor.can(Permission.EDIT_FAMILIES):
            raise ValidationError("This register has been finalised: ask the Coordinator to "
                                  "change it.", "notes")
        notes = clean_text(notes, "notes", "Session notes", limits.TEXT)
        with self.session.db.transaction():
            self.sessions.set_notes(session_id, notes)
            action = "session notes changed"
            if s["finalised_at"] is not None:
                action += " after the register was finalised"
            self.session.audit.record(action, "session", session_id)

    def finalise(self, session_id: int) -> None:
        actor = self.session.actor
        actor.require(Permission.RUN_REGISTER)
        s = self._session_row(session_id)
        if s["finalised_at"] is not None:
            raise ValidationError("This register has already been finalised.", "register")
        unmarked = [b for b in self.bookings.for_session(session_id)
                    if b["status"] == BookingStatus.BOOKED.value and not b["arrived_at"]]
        if unmarked:
            raise ValidationError(f"{len(unmarked)} booked {'family has' if len(unmarked) == 1 else 'families have'} "
                                  "no arrival, absence or no-show recorded yet.", "register")
        with self.session.db.transaction():
            self.sessions.finalise(session_id, self._now(), actor.account_id)
            self.session.audit.record("register finalised", "session", session_id)

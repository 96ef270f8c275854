"""The waiting list (issue 14): accepted referrals for which no place is free yet.

A family joins with the date and the session pattern it needs (or any session). The list is
kept in the order families joined; when a place is free at an upcoming session (a booking was
cancelled, capacity grew), ``openings`` offers it to the first waiting family that fits, and
the register and the dashboard show that. Offering, declining and taking a place are audited;
the statistics count families joining, offered a place, leaving and waiting at a period's end.
"""

from __future__ import annotations

import builtins
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ccc_desktop.models.dates import format_date, parse_optional_date
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.statistics_records import LeftWaitingReason
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.sessions import SessionStore
from ccc_desktop.models.storage.waiting import WaitingStore
from ccc_desktop.models.templates import (
    CENTRE_FIELDS,
    LetterKind,
    TemplateField,
    render_blocks,
)
from ccc_desktop.models.waiting_records import WEEKDAYS, PlaceOpening, WaitingEntry

if TYPE_CHECKING:
    from ccc_desktop.models.data_protection_records import SarPart, SubjectAccessRequest
    from ccc_desktop.models.records import DashboardSection
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

LOOK_AHEAD_DAYS = 28
LETTER_KIND = "waiting_list_referrer"
WAITING_FIELDS = (
    TemplateField("referrer_name", "Who made the referral", "Ann Solicitor"),
    TemplateField("referrer_organisation", "Their organisation (may be empty)", "Brook & Hale"),
    TemplateField("family_reference", "The centre's reference for the family", "F-0012"),
    TemplateField("referral_date", "The date of the referral", "5 January 2027"),
    TemplateField("waiting_since", "The date the family joined the waiting list", "10 January 2027"),
    TemplateField("weeks_waited", "How long the family has waited, in words", "3 weeks"),
    TemplateField("position", "The family's place on the list", "2"),
    TemplateField("session_needed", "The session the family needs", "any session"),
)
WAITING_LETTER = LetterKind(LETTER_KIND, "Waiting list: letter to the referrer",
                            "waiting_list_referrer.txt", CENTRE_FIELDS + WAITING_FIELDS, "family")


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class WaitingListService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = WaitingStore(session.db)
        self.families = FamilyStore(session.db)
        self.sessions = SessionStore(session.db)

    def _today(self) -> date:
        return self.session.clock.today()

    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    def _entry(self, r: dict[str, Any], position: int) -> WaitingEntry:
        added = date.fromisoformat(r["added_on"])
        left = _d(r["left_on"])
        needs = "Any session"
        if r["pattern_id"] is not None and r["weekday"] is not None:
            needs = f"{WEEKDAYS[r['weekday']]} {r['p_start']}-{r['p_end']}"
        offered = ""
        if r["offered_date"]:
            offered = f"{format_date(date.fromisoformat(r['offered_date']))} {r['offered_start']}"
        return WaitingEntry(
            id=r["id"], family_id=r["family_id"], reference=r["reference"], position=position,
            added_on=added, days_waited=((left or self._today()) - added).days,
            pattern_id=r["pattern_id"], needs=needs, status=r["status"],
            offered_on=_d(r["offered_on"]), offered_session_id=r["offered_session_id"],
            offered=offered if r["status"] == "offered" else "", offers_made=r["offers_made"],
            left_on=left, left_reason=r["left_reason"])

    def _require(self, entry_id: int) -> dict[str, Any]:
        r = self.store.get(entry_id)
        if r is None:
            raise NotFound("That waiting list entry no longer exists.")
        return r

    # ---- reading --------------------------------------------------------------------------
    def entries(self) -> builtins.list[WaitingEntry]:
        """Everyone waiting or offered a place, first come first."""
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return [self._entry(r, n) for n, r in enumerate(self.store.open_entries(), start=1)]

    def for_family(self, family_id: int) -> builtins.list[WaitingEntry]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        positions = {e.id: e.position for e in self.entries()}
        return [self._entry(r, positions.get(r["id"], 0)) for r in self.store.for_family(family_id)]

    def openings(self, within_days: int = LOOK_AHEAD_DAYS) -> builtins.list[PlaceOpening]:
        """Free places at sessions in the next weeks, each offered to the first family waiting
        for that session (its pattern, or any) that is not already booked into it. A family is
        offered one place at a time."""
        self.session.actor.require(Permission.VIEW_FAMILIES)
        waiting = [e for e in self.entries() if e.status == "waiting"]
        if not waiting:
            return []
        today = self._today()
        out: builtins.list[PlaceOpening] = []
        used: set[int] = set()
        for s in self.store.open_sessions(today, today + timedelta(days=within_days)):
            free = s["capacity"] - s["booked"]
            if free <= 0:
                continue
            booked = self.store.booked_families(s["id"])
            for e in waiting:
                if e.id in used or e.family_id in booked:
                    continue
                if e.pattern_id is not None and e.pattern_id != s["pattern_id"]:
                    continue
                used.add(e.id)
                out.append(PlaceOpening(s["id"], date.fromisoformat(s["session_date"]),
                                        s["start_time"], s["end_time"], free, e))
                break
        return out

    # ---- changing -------------------------------------------------------------------------
    def add(self, family_id: int, on: str = "", pattern_id: int | None = None) -> int:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        fam = self.families.get(family_id)
        if fam is None:
            raise NotFound("That family's record no longer exists.")
        if fam["referral_status"] != "accepted":
            raise ValidationError("Only an accepted referral can go on the waiting list.", "family")
        if self.store.open_for_family(family_id):
            raise ValidationError(f"Family {fam['reference']} is already on the waiting list.",
                                  "family")
        when = parse_optional_date(on, "added_on", "Waiting since") or self._today()
        if when > self._today():
            raise ValidationError("Waiting since: that date is in the future.", "added_on")
        if pattern_id is not None and self.sessions.pattern(pattern_id) is None:
            raise NotFound("That session pattern no longer exists.")
        with self.session.db.transaction():
            entry_id = self.store.insert(family_id, when, pattern_id, self._now())
            self.families.touch(family_id, self._today())
            actor_detail = f"entry {entry_id}; pattern {pattern_id or 'any'}"
            self.session.audit.record("put on the waiting list", "family", family_id,
                                      actor_detail)
        return entry_id

    def offer(self, entry_id: int, session_id: int) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        r = self._require(entry_id)
        if r["status"] != "waiting":
            raise ValidationError("That family is not waiting for a place.", "entry")
        s = self.sessions.get(session_id)
        if s is None:
            raise NotFound("That session no longer exists.")
        if r["pattern_id"] is not None and s["pattern_id"] != r["pattern_id"]:
            raise ValidationError("That session is not on the day and time the family needs.",
                                  "session")
        with self.session.db.transaction():
            self.store.update(entry_id, status="offered", offered_on=self._today(),
                              offered_session_id=session_id, offers_made=r["offers_made"] + 1)
            self.session.audit.record("place offered", "family", r["family_id"],
                                      f"entry {entry_id}; session {session_id}")

    def decline_offer(self, entry_id: int) -> None:
        """The family could not take the place offered: back to waiting, keeping its turn."""
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        r = self._require(entry_id)
        if r["status"] != "offered":
            raise ValidationError("No place has been offered to that family.", "entry")
        with self.session.db.transaction():
            self.store.update(entry_id, status="waiting", offered_session_id=None)
            self.session.audit.record("place offer declined", "family", r["family_id"],
                                      f"entry {entry_id}")

    def take(self, entry_id: int) -> int:
        """The family takes the place offered: it is booked into that session and leaves the
        list. Returns the booking's id."""
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        r = self._require(entry_id)
        if r["status"] != "offered" or r["offered_session_id"] is None:
            raise ValidationError("Offer the family a place first.", "entry")
        with self.session.db.transaction():
            booking_id = self.services.bookings.book(r["family_id"], r["offered_session_id"])
            self.store.update(entry_id, status="placed", left_on=self._today(),
                              left_reason=LeftWaitingReason.PLACED.value)
            self.session.audit.record("place taken", "family", r["family_id"],
                                      f"entry {entry_id}; booking {booking_id}")
        return booking_id

    def letter_to_referrer(self, entry_id: int) -> int:
        """The letter about the wait, from its editable template (Legal › Letter templates),
        kept with the family's letters. Returns the stored letter's id. Nothing about the
        family but its reference and the referral's date."""
        from ccc_desktop.documents.templated import templated_letter_pdf
        from ccc_desktop.models.dates import format_date_long
        from ccc_desktop.models.services.centre import load_centre_details
        from ccc_desktop.models.storage.meta import SettingsStore

        actor = self.session.actor
        actor.require(Permission.VIEW_FAMILIES)
        entry = next((e for e in self.for_family(self._require(entry_id)["family_id"])
                      if e.id == entry_id), None)
        if entry is None:  # pragma: no cover - _require found it
            raise NotFound("That waiting list entry no longer exists.")
        family = self.services.families.get(entry.family_id)
        centre = load_centre_details(SettingsStore(self.session.db))
        weeks = entry.days_waited // 7
        values = {
            "centre_name": centre.name, "centre_address": centre.address,
            "centre_phone": centre.phone, "centre_email": centre.email,
            "chair_name": centre.chair_name or "The Chair", "naccc_contact": centre.naccc_contact,
            "solicitor_name": centre.solicitor_name, "solicitor_firm": centre.solicitor_firm,
            "today": format_date_long(self._today()), "signed_by": actor.display_name,
            "referrer_name": family.referral.referrer_name,
            "referrer_organisation": family.referral.referrer_organisation,
            "family_reference": family.reference,
            "referral_date": format_date_long(family.referral.referral_date),
            "waiting_since": format_date_long(entry.added_on),
            "weeks_waited": (f"{weeks} week{'s' if weeks != 1 else ''}" if weeks
                             else f"{entry.days_waited} day{'s' if entry.days_waited != 1 else ''}"),
            "position": str(entry.position) if entry.position else "—",
            "session_needed": "any session" if entry.pattern_id is None
            else f"our {entry.needs} session",
        }
        lk = WAITING_LETTER
        body = self.services.templates.body_for_use(LETTER_KIND)
        pdf = templated_letter_pdf(centre, self._today(), render_blocks(body, lk, values), lk.title)
        letter = self.services.letters.keep(
            LETTER_KIND, f"Waiting list letter to {family.referral.referrer_name or 'the referrer'}",
            "family", entry.family_id, pdf, f"entry {entry_id}")
        return letter.id

    def remove(self, entry_id: int, reason: str) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        r = self._require(entry_id)
        if r["status"] not in ("waiting", "offered"):
            raise ValidationError("That family has already left the waiting list.", "entry")
        try:
            why = LeftWaitingReason(reason)
        except ValueError:
            raise ValidationError("Reason: choose one of the reasons.", "reason") from None
        if why is LeftWaitingReason.PLACED:
            raise ValidationError("Reason: use 'Take the place' when the family takes one.", "reason")
        with self.session.db.transaction():
            self.store.update(entry_id, status="removed", left_on=self._today(),
                              left_reason=why.value)
            self.session.audit.record("taken off the waiting list", "family",
                                      r["family_id"], f"entry {entry_id}; {why.value}")


def leave_on_close(session: Session, family_id: int) -> None:
    """Inside the closing transaction: a closed referral leaves the waiting list."""
    store = WaitingStore(session.db)
    for entry_id in store.open_for_family(family_id):
        store.update(entry_id, status="removed", left_on=session.clock.today(),
                     left_reason=LeftWaitingReason.CLOSED.value)


def waiting_section(services: Services) -> DashboardSection | None:
    from ccc_desktop.models.records import DashboardItem, DashboardSection

    actor = services.session.actor
    if not actor.can(Permission.VIEW_FAMILIES):
        return None
    waiting = services.waiting
    entries = waiting.entries()
    if not entries:
        return None
    items = []
    for o in waiting.openings():
        items.append(DashboardItem(
            f"A place is free on {format_date(o.session_date)} at {o.start_time}: offer it to "
            f"family {o.entry.reference} (waiting {o.entry.days_waited} days).", "warning",
            "waiting", o.session_date))
    n = sum(1 for e in entries if e.status == "waiting")
    longest = max(e.days_waited for e in entries)
    items.append(DashboardItem(
        f"{n} {'family is' if n == 1 else 'families are'} waiting for a place; the longest wait "
        f"is {longest} days.", "info", "waiting"))
    return DashboardSection("Waiting list", items, order=25)


def statistics_sar(services: Services, request: SubjectAccessRequest) -> SarPart | None:
    """For a family's request: its waiting list entries, why its referral was turned down or
    closed, and what the centre's statistics keep (counts only, nothing about the person)."""
    from ccc_desktop.models.data_protection_records import SarPart, SarRow, SarSection
    from ccc_desktop.models.services.statistics import LEDGER_STATEMENT
    from ccc_desktop.models.statistics_records import (
        CLOSE_LABELS,
        DECLINE_LABELS,
        CloseReason,
        DeclineReason,
    )

    if request.subject_category != "family" or request.subject_record_id is None:
        return None
    fid = request.subject_record_id
    session = services.session
    if not FamilyStore(session.db).exists(fid):
        return None
    rows: list[SarRow] = []
    for r in WaitingStore(session.db).for_family(fid):
        text = f"on the waiting list from {format_date(date.fromisoformat(r['added_on']))}"
        if r["left_on"]:
            text += (f" until {format_date(date.fromisoformat(r['left_on']))} "
                     f"({LeftWaitingReason(r['left_reason']).label.lower()})")
        rows.append(SarRow("Waiting list", text))
    closing = FamilyStore(session.db).closing(fid)
    if closing["decline_reason"]:
        rows.append(SarRow("Why the referral was turned down",
                           DECLINE_LABELS[DeclineReason(closing["decline_reason"])]))
    if closing["close_reason"]:
        why = CLOSE_LABELS[CloseReason(closing["close_reason"])]
        if closing["close_note"]:
            why += f": {closing['close_note']}"
        rows.append(SarRow("Why the case closed", why))
    rows.append(SarRow("The centre's statistics", LEDGER_STATEMENT))
    return SarPart([SarSection("Waiting list, closing and the centre's statistics", tuple(rows))])


STATISTICS = Area("statistics", dashboard=(waiting_section,), sar_sources=(statistics_sar,),
                  letter_kinds=(WAITING_LETTER,))

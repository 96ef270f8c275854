"""Witness summonses and the policy's steps, police visits, and assessment agreements (clause 7)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ccc_desktop.documents.templated import templated_letter_pdf
from ccc_desktop.models.centre_details import load_centre_details
from ccc_desktop.models.dates import (
    format_date,
    format_date_long,
    parse_date,
    parse_optional_date,
    parse_time,
)
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.legal_records import (
    AGENCY_TYPES,
    OUTCOMES,
    RECEIVED_HOW,
    STEP_LABELS,
    SUMMONS_STEPS,
    Agreement,
    AgreementForm,
    AgreementStatus,
    PoliceVisit,
    PoliceVisitForm,
    Summons,
    SummonsDetail,
    SummonsForm,
)
from ccc_desktop.models.limits import FIELD_LIMITS, Limit
from ccc_desktop.models.records import DashboardItem, DashboardSection, StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.services.legal_retention import SummonsRetentionSource
from ccc_desktop.models.storage.legal import AgreementStore, PoliceStore, SummonsStore
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.storage.retention import AreaRetentionStore
from ccc_desktop.models.templates import SUMMONS_LETTERS, letter_kind, render_blocks
from ccc_desktop.models.validation import clean_name, clean_text

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

SUMMONS_LETTER_KINDS = tuple(k.kind for k in SUMMONS_LETTERS)


def _text(value: str, field: str, label: str, limit: int | None = None, need: bool = False) -> str:
    """Free text within the field's limit from ``limits.FIELD_LIMITS`` (``limit``, in
    characters, only for a field not listed there)."""
    kind = FIELD_LIMITS.get(field) or Limit(limit or 200, 1 if (limit or 200) <= 200 else 40)
    if kind.name:
        return clean_name(value, field, label, kind, need=need)
    return clean_text(value, field, label, kind, need=need)


def _not_future(d: date, today: date, field: str, label: str) -> None:
    if d > today:
        raise ValidationError(f"{label}: {format_date(d)} is in the future.", field)


def _family_id(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        n = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ValidationError("Family: choose a family from the list.", "family_id") from None
    if n <= 0:
        raise ValidationError("Family: choose a family from the list.", "family_id")
    return n


class SummonsService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = SummonsStore(session.db)

    def _require(self) -> None:
        self.session.actor.require(Permission.MANAGE_LEGAL)

    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    def _get(self, summons_id: int) -> Summons:
        s = self.store.get(summons_id)
        if s is None:
            raise NotFound("That summons no longer exists.")
        return s

    def _check(self, form: SummonsForm) -> dict[str, Any]:
        today = self.session.clock.today()
        received = parse_date(form.received_on, "received_on", "Date received")
        _not_future(received, today, "received_on", "Date received")
        if form.received_how not in RECEIVED_HOW:
            raise ValidationError("How it arrived: choose post, in person, email or other.",
                                  "received_how")
        court = _text(form.court, "court", "Court", need=True)
        case_number = _text(form.case_number, "case_number", "Case number", 60, need=True)
        hearing = parse_date(form.hearing_date, "hearing_date", "Hearing date")
        if hearing < received:
            raise ValidationError("Hearing date: it is before the date the summons was received.",
                                  "hearing_date")
        time = ""
        if (form.hearing_time or "").strip():
            time = parse_time(form.hearing_time, "hearing_time", "Hearing time").strftime("%H:%M")
        respond_by = parse_optional_date(form.respond_by, "respond_by", "Respond by")
        if respond_by is not None and respond_by < received:
            raise ValidationError("Respond by: it is before the date the summons was received.",
                                  "respond_by")
        return {
            "received_on": received, "received_how": form.received_how,
            "served_on": _text(form.served_on, "served_on", "Served on", 120),
            "court": court, "court_address": _text(form.court_address, "court_address", "Court's address", 400),
            "case_number": case_number, "hearing_date": hearing, "hearing_time": time,
            "applicant": _text(form.applicant, "applicant", "Applied for by"),
            "applicant_address": _text(form.applicant_address, "applicant_address", "Their address", 400),
            "family_id": _family_id(form.family_id), "respond_by": respond_by,
            "notes": _text(form.notes, "notes", "Notes", 5000),
        }

    # ---- the summons ---------------------------------------------------------------------------
    def log(self, form: SummonsForm) -> Summons:
        self._require()
        values = self._check(form)
        actor = self.session.actor
        with self.session.db.transaction():
            new_id = self.store.insert(values, self._now(), actor.account_id)
            self.session.audit.record("summons logged", "summons", new_id,
                                      f"received by {values['received_how']}")
        return self._get(new_id)

    def update(self, summons_id: int, form: SummonsForm) -> Summons:
        self._require()
        old = self._get(summons_id)
        values = self._check(form)
        changed = [k for k, v in values.items() if getattr(old, k) != v]
        if not changed:
            return old
        with self.session.db.transaction():
            self.store.update(summons_id, values)
            self.session.audit.record("summons changed", "summons", summons_id,
                                      "fields: " + ", ".join(changed))
        return self._get(summons_id)

    def all(self, open_only: bool = False) -> list[Summons]:
        self._require()
        return self.store.all(open_only)

    def steps_done(self, open_only: bool = False) -> dict[int, set[str]]:
        """For each summons, the steps already recorded (for lists)."""
        self._require()
        return self.store.steps_for_open(open_only)

    def for_family(self, family_id: int) -> list[Summons]:
        self._require()
        return self.store.for_family(family_id)

    def detail(self, summons_id: int) -> SummonsDetail:
        self._require()
        s = self._get(summons_id)
        steps = {st.step: st for st in self.store.steps(summons_id)}
        return SummonsDetail(s, steps, self.services.letters.for_subject("summons", summons_id))

    # ---- the policy's steps --------------------------------------------------------------------
    def record_step(self, summons_id: int, step: str, done_on: str, done_by: str,
                    note: str = "") -> SummonsDetail:
        self._require()
        s = self._get(summons_id)
        if step not in STEP_LABELS:
            raise ValidationError("Step: choose one of the policy's steps.", "step")
        if not s.is_open:
            raise ValidationError("This summons is closed; reopen it to change its steps.", "step")
        label = STEP_LABELS[step]
        when = parse_date(done_on, "done_on", f"{label}: date")
        _not_future(when, self.session.clock.today(), "done_on", f"{label}: date")
        if when < s.received_on:
            raise ValidationError(f"{label}: the date is before the summons was received "
                                  f"({format_date(s.received_on)}).", "done_on")
        who = _text(done_by, "done_by", f"{label}: done by", 120, need=True)
        note = _text(note, "note", f"{label}: note", 2000)
        actor = self.session.actor
        with self.session.db.transaction():
            self.store.put_step(summons_id, step, when, who, note, self._now(), actor.account_id)
            self.session.audit.record("summons step recorded", "summons", summons_id,
                                      f"{label}, dated {when.isoformat()}")
        return self.detail(summons_id)

    def clear_step(self, summons_id: int, step: str) -> SummonsDetail:
        self._require()
        s = self._get(summons_id)
        if step not in STEP_LABELS:
            raise ValidationError("Step: choose one of the policy's steps.", "step")
        if not s.is_open:
            raise ValidationError("This summons is closed; reopen it to change its steps.", "step")
        with self.session.db.transaction():
            self.store.remove_step(summons_id, step)
            self.session.audit.record("summons step cleared", "summons", summons_id,
                                      STEP_LABELS[step])
        return self.detail(summons_id)

    def close(self, summons_id: int, outcome: str, closed_on: str, note: str = "") -> Summons:
        self._require()
        s = self._get(summons_id)
        if outcome not in OUTCOMES:
            raise ValidationError("Outcome: choose set aside, withdrawn, attendance required or other.",
                                  "outcome")
        when = parse_date(closed_on, "closed_on", "Closed on")
        _not_future(when, self.session.clock.today(), "closed_on", "Closed on")
        if when < s.received_on:
            raise ValidationError("Closed on: it is before the summons was received.", "closed_on")
        note = _text(note, "outcome_note", "Outcome note", 2000)
        if outcome == "other" and not note:
            raise ValidationError("Outcome note: say what happened when the outcome is 'other'.",
                                  "outcome_note")
        with self.session.db.transaction():
            self.store.close(summons_id, outcome, note, when)
            self.session.audit.record("summons closed", "summons", summons_id,
                                      f"outcome: {outcome}")
        return self._get(summons_id)

    def reopen(self, summons_id: int) -> Summons:
        self._require()
        s = self._get(summons_id)
        if s.is_open:
            return s
        with self.session.db.transaction():
            self.store.close(summons_id, None, "", None)
            self.session.audit.record("summons reopened", "summons", summons_id)
        return self._get(summons_id)

    # ---- letters -------------------------------------------------------------------------------
    def letter_values(self, s: Summons) -> dict[str, str]:
        """The fields a summons letter may use. Deliberately nothing about the family or child."""
        self._require()
        centre = load_centre_details(SettingsStore(self.session.db))
        served = (f"{s.served_on}, one of the centre's volunteers" if s.served_on else "the centre")
        return {
            "centre_name": centre.name, "centre_address": centre.address,
            "centre_phone": centre.phone, "centre_email": centre.email,
            "chair_name": centre.chair_name or "The Chair", "naccc_contact": centre.naccc_contact,
            "solicitor_name": centre.solicitor_name, "solicitor_firm": centre.solicitor_firm,
            "today": format_date_long(self.session.clock.today()),
            "signed_by": self.session.actor.display_name,
            "case_number": s.case_number, "court": s.court, "court_address": s.court_address,
            "hearing_date": format_date_long(s.hearing_date), "hearing_time": s.hearing_time,
            "received_date": format_date_long(s.received_on), "served_on": served,
            "applicant": s.applicant, "applicant_address": s.applicant_address,
            "respond_by": format_date_long(s.respond_by) if s.respond_by else "",
        }

    def render_letter(self, summons_id: int, kind: str) -> bytes:
        """The PDF, not stored (used by tests and for a quick look)."""
        self._require()
        if kind not in SUMMONS_LETTER_KINDS:
            raise ValidationError("Letter: choose one of the summons letters.", "kind")
        s = self._get(summons_id)
        lk = letter_kind(SUMMONS_LETTERS, kind)
        body = self.services.templates.body_for_use(kind)
        blocks = render_blocks(body, lk, self.letter_values(s))
        centre = load_centre_details(SettingsStore(self.session.db))
        return templated_letter_pdf(centre, self.session.clock.today(), blocks, lk.title)

    def generate_letter(self, summons_id: int, kind: str) -> StoredLetter:
        """Render the letter from its template and keep it with the summons (audited)."""
        pdf = self.render_letter(summons_id, kind)
        s = self._get(summons_id)
        title = {
            "summons_court": f"Letter to {s.court}",
            "summons_solicitor": f"Letter to {s.applicant or 'the solicitor'}",
            "summons_naccc": "Letter to the NACCC office",
            "summons_committee_solicitor": "Note for the committee solicitor",
        }[kind]
        return self.services.letters.keep(kind, f"{title} (case {s.case_number})", "summons", summons_id, pdf)


def step_names(keys: list[str]) -> str:
    return ", ".join(STEP_LABELS[k] for k in keys)


def summons_section(services: Services) -> DashboardSection | None:
    """Open summonses, most urgent (earliest response or hearing date) first, then the oldest.

    Overdue once the response date or hearing has passed; due soon while steps are missing."""
    actor = services.session.actor
    if not actor.can(Permission.MANAGE_LEGAL):
        return None
    today = services.session.clock.today()
    store = SummonsStore(services.session.db)
    done = store.steps_for_open()
    open_ = sorted(store.all(open_only=True), key=lambda s: (s.urgent_date, s.received_on, s.id))
    items = []
    for s in open_:
        missing = [k for k, _ in SUMMONS_STEPS if k not in done.get(s.id, set())]
        text = f"Summons, case {s.case_number} ({s.court}): hearing {s.hearing_label}"
        if s.respond_by:
            text += f", respond by {format_date(s.respond_by)}"
        text += (f". Still to do: {step_names(missing)}." if missing
                 else ". All steps done: record the outcome.")
        days = (s.urgent_date - today).days
        if days < 0:
            severity = "overdue"
        elif missing:
            severity = "warning"
        else:
            severity = "info"
        items.append(DashboardItem(text, severity, "legal", s.urgent_date))
    return DashboardSection("Witness summonses", items, order=200,
                            empty_text="No open witness summonses.")


# ---- police visits ------------------------------------------------------------------------------
class PoliceService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = PoliceStore(session.db)

    def log(self, form: PoliceVisitForm) -> PoliceVisit:
        actor = self.session.actor
        actor.require(Permission.MANAGE_LEGAL)
        when = parse_date(form.visit_date, "visit_date", "Date of the visit")
        _not_future(when, self.session.clock.today(), "visit_date", "Date of the visit")
        time = ""
        if (form.visit_time or "").strip():
            time = parse_time(form.visit_time, "visit_time", "Time").strftime("%H:%M")
        values = {
            "visit_date": when, "visit_time": time,
            "officer_name": _text(form.officer_name, "officer_name", "Officer's name", 120, need=True),
            "officer_number": _text(form.officer_number, "officer_number", "Officer's number", 40),
            "station": _text(form.station, "station", "Station", 120),
            "emergency": bool(form.emergency),
            "asked": _text(form.asked, "asked", "What was asked", 5000),
            "said": _text(form.said, "said", "What the volunteer said", 5000),
            "outcome": _text(form.outcome, "outcome", "Outcome", 5000),
            "family_id": _family_id(form.family_id),
        }
        now = self.session.clock.now().isoformat(timespec="seconds")
        with self.session.db.transaction():
            new_id = self.store.insert(values, now, actor.account_id)
            self.session.audit.record("police visit logged", "police visit", new_id,
                                      "emergency call-out" if values["emergency"] else "not an emergency")
        visit = self.store.get(new_id)
        assert visit is not None
        return visit

    def all(self) -> list[PoliceVisit]:
        self.session.actor.require(Permission.MANAGE_LEGAL)
        return self.store.all()

    def get(self, visit_id: int) -> PoliceVisit:
        self.session.actor.require(Permission.MANAGE_LEGAL)
        visit = self.store.get(visit_id)
        if visit is None:
            raise NotFound("That police visit no longer exists.")
        return visit


# ---- assessment agreements (clause 7) -----------------------------------------------------------
CLAUSE_7 = ("the centre's policy (clause 7) does not allow solicitors, Cafcass officers, social "
            "workers or any other agency to carry out family assessments at the centre unless an "
            "agreement allows it")

class AgreementService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = AgreementStore(session.db)

    def add(self, form: AgreementForm) -> Agreement:
        actor = self.session.actor
        actor.require(Permission.MANAGE_LEGAL)
        if form.agency_type not in AGENCY_TYPES:
            raise ValidationError("Agency: choose solicitor, Cafcass officer, social worker or other.",
                                  "agency_type")
        start = parse_date(form.valid_from, "valid_from", "From")
        end = parse_date(form.valid_to, "valid_to", "To")
        if end < start:
            raise ValidationError("To: the agreement cannot end before it starts.", "valid_to")
        values = {
            "agency_type": form.agency_type,
            "agency_name": _text(form.agency_name, "agency_name", "Who", 160, need=True),
            "family_id": _family_id(form.family_id),
            "scope": _text(form.scope, "scope", "Scope", 2000, need=True),
            "valid_from": start, "valid_to": end,
            "approved_by": _text(form.approved_by, "approved_by", "Approved by", 120, need=True),
        }
        now = self.session.clock.now().isoformat(timespec="seconds")
        with self.session.db.transaction():
            new_id = self.store.insert(values, now, actor.account_id)
            self.session.audit.record(
                "assessment agreement recorded", "agreement", new_id,
                f"{form.agency_type}; " + (f"family {values['family_id']}" if values["family_id"]
                                           else "standing, any family"))
        return self.get(new_id)

    def end(self, agreement_id: int, on: str) -> Agreement:
        actor = self.session.actor
        actor.require(Permission.MANAGE_LEGAL)
        agreement = self.get(agreement_id)
        when = parse_date(on, "ended_on", "Ended on")
        if when < agreement.valid_from:
            raise ValidationError("Ended on: that is before the agreement started.", "ended_on")
        with self.session.db.transaction():
            self.store.end(agreement_id, when)
            self.session.audit.record("assessment agreement ended", "agreement", agreement_id)
        return self.get(agreement_id)

    def get(self, agreement_id: int) -> Agreement:
        self.session.actor.require(Permission.MANAGE_LEGAL)
        a = self.store.get(agreement_id)
        if a is None:
            raise NotFound("That agreement no longer exists.")
        return a

    def all(self) -> list[Agreement]:
        self.session.actor.require(Permission.MANAGE_LEGAL)
        return self.store.all()

    def _check_reader(self) -> None:
        actor = self.session.actor
        if not (actor.can(Permission.MANAGE_LEGAL) or actor.can(Permission.VIEW_FAMILIES)):
            actor.require(Permission.MANAGE_LEGAL)

    def in_force(self, family_id: int, on: date | None = None) -> list[Agreement]:
        self._check_reader()
        on = on or self.session.clock.today()
        return [a for a in self.store.covering(family_id) if a.in_force_on(on)]

    def status_for_family(self, family_id: int, on: date | None = None) -> AgreementStatus:
        """For the family's record: whether an assessment agreement is in force, in words."""
        self._check_reader()
        on = on or self.session.clock.today()
        covering = self.store.covering(family_id)
        live = tuple(a for a in covering if a.in_force_on(on))
        if live:
            a = min(live, key=lambda x: x.last_day)
            more = f" (and {len(live) - 1} more)" if len(live) > 1 else ""
            text = (f"Assessment agreement in force: {a.agency_label}, until "
                    f"{format_date(a.last_day)}{more}.")
            return AgreementStatus(family_id, True, text, live)
        return AgreementStatus(family_id, False, "No assessment agreement is in force.", ())

    def require_in_force(self, family_id: int, on_date: date) -> Agreement:
        """Before an assessment session is recorded: refuse, saying why, unless one is in force."""
        self._check_reader()
        covering = self.store.covering(family_id)
        live = [a for a in covering if a.in_force_on(on_date)]
        if live:
            return max(live, key=lambda x: x.last_day)
        when = format_date(on_date)
        reason = f"No assessment agreement is in force for this family on {when}"
        ended = [a for a in covering if a.last_day < on_date]
        future = [a for a in covering if a.valid_from > on_date]
        if future:
            a = min(future, key=lambda x: x.valid_from)
            reason += f" (the agreement with {a.agency_label} starts on {format_date(a.valid_from)})"
        elif ended:
            a = max(ended, key=lambda x: x.last_day)
            reason += f" (the agreement with {a.agency_label} ended on {format_date(a.last_day)})"
        raise ValidationError(
            f"{reason}: {CLAUSE_7}. Record an agreement under Summons & legal first.", "agreement")


def agreement_status(services: Services, family_id: int) -> AgreementStatus:
    """The hook the families side calls to show "assessment agreement in force" on a family."""
    return services.agreements.status_for_family(family_id)


# ---- what the legal area brings ----------------------------------------------------------------
HOLD_SUMMONS_FAMILY = "Linked to an open witness summons"


def family_summons_holds(session: Session, category: str,
                         record_ids: Sequence[int]) -> dict[int, list[str]]:
    """A family linked to an open witness summons is held back from disposal."""
    if category != "family":
        return {}
    found = AreaRetentionStore(session.db).families_with_open_summons(list(record_ids))
    return {rid: [HOLD_SUMMONS_FAMILY] for rid in found}


LEGAL = Area(
    "legal",
    dashboard=(summons_section,),
    holds=(family_summons_holds,),
    # A closed summons goes the retention period after it was closed (legal_retention.py).
    retention_sources=(SummonsRetentionSource(),),
    # Letters kept for a summons are read by those who handle summonses.
    letter_subjects={"summons": Permission.MANAGE_LEGAL},
    letter_kinds=SUMMONS_LETTERS,
)


__all__ = [
    "LEGAL",
    "AgreementService", "PoliceService", "SummonsService", "agreement_status", "summons_section",
    "SUMMONS_LETTER_KINDS",
]

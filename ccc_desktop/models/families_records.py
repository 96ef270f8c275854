"""Plain records for families, referrals, bookings, the register, consent and disclosure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class AdultRole(StrEnum):
    RESIDENT = "resident parent"
    VISITING = "visiting parent"
    RELATIVE = "other relative"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Route(StrEnum):
    SELF = "self"
    SOLICITOR = "solicitor"
    CAFCASS = "cafcass"
    SOCIAL_SERVICES = "social services"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"self": "Self-referral", "solicitor": "Solicitor", "cafcass": "Cafcass",
                "social services": "Social services", "other": "Other"}[self.value]


class ContactKind(StrEnum):
    SUPPORTED = "supported"
    SUPERVISED = "supervised"
    HANDOVER = "handover"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ReferralStatus(StrEnum):
    RECEIVED = "received"
    PREVISIT_BOOKED = "pre-visit booked"
    PREVISIT_DONE = "pre-visit done"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Which status may follow which.
NEXT_STATUS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.RECEIVED: frozenset({ReferralStatus.PREVISIT_BOOKED, ReferralStatus.DECLINED,
                                        ReferralStatus.CLOSED}),
    ReferralStatus.PREVISIT_BOOKED: frozenset({ReferralStatus.PREVISIT_DONE, ReferralStatus.DECLINED,
                                               ReferralStatus.CLOSED}),
    ReferralStatus.PREVISIT_DONE: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED,
                                             ReferralStatus.CLOSED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.DECLINED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.CLOSED: frozenset(),
}


class ExceptionGround(StrEnum):
    CHILD_AT_RISK = "child at risk of harm"
    VIOLENCE = "risk of physical violence"

    @property
    def label(self) -> str:
        return {"child at risk of harm": "A child is at risk of harm",
                "risk of physical violence": "Someone is at risk of physical violence"}[self.value]


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    ABSENT = "absent"
    NO_SHOW = "no-show"


@dataclass(frozen=True)
class AdultInput:
    full_name: str
    role: AdultRole | str
    address: str = ""
    phone: str = ""
    email: str = ""
    arrive_minutes_before: int = 0
    leave_minutes_after: int = 0
    ground_rules_on: str = ""  # dd/mm/yyyy as typed
    policy_agreed_on: str = ""


@dataclass(frozen=True)
class ChildInput:
    full_name: str
    date_of_birth: str  # dd/mm/yyyy
    needs: str = ""


@dataclass(frozen=True)
class ReferralInput:
    referral_date: str  # dd/mm/yyyy
    route: Route | str
    referrer_name: str = ""
    referrer_organisation: str = ""
    referrer_contact: str = ""
    court_order: bool = False
    contact_kind: ContactKind | str = ContactKind.SUPPORTED


@dataclass(frozen=True)
class Adult:
    id: int
    family_id: int
    full_name: str
    role: AdultRole
    address: str
    phone: str
    email: str
    arrive_minutes_before: int
    leave_minutes_after: int
    ground_rules_on: date | None
    policy_agreed_on: date | None

    @property
    def agreed(self) -> bool:
        return self.ground_rules_on is not None and self.policy_agreed_on is not None


@dataclass(frozen=True)
class Child:
    id: int
    family_id: int
    full_name: str
    date_of_birth: date
    needs: str


@dataclass(frozen=True)
class Referral:
    referral_date: date
    route: Route
    referrer_name: str
    referrer_organisation: str
    referrer_contact: str
    court_order: bool
    contact_kind: ContactKind
    status: ReferralStatus
    previsit_on: date | None
    previsit_by: str
    previsit_notes: str


@dataclass(frozen=True)
class Safety:
    must_not_attend: str
    safety_notes: str
    # (adult name, role, minutes before, minutes after) for every adult with a stagger
    staggers: tuple[tuple[str, str, int, int], ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.must_not_attend.strip() or self.safety_notes.strip() or self.staggers)


@dataclass(frozen=True)
class Consent:
    id: int
    family_id: int
    adult_id: int
    adult_name: str
    to_whom: str
    purpose: str
    given_on: date
    how: str
    withdrawn_on: date | None

    def active_on(self, on: date) -> bool:
        return self.given_on <= on and (self.withdrawn_on is None or self.withdrawn_on > on)


@dataclass(frozen=True)
class Family:
    id: int
    reference: str
    referral: Referral
    adults: tuple[Adult, ...]
    children: tuple[Child, ...]
    safety: Safety
    first_session_on: date | None
    next_review_due: date | None
    reviews: tuple[tuple[date, str], ...]
    last_used_on: date
    created_at: str
    updated_at: str

    @property
    def names(self) -> str:
        return ", ".join(a.full_name for a in self.adults)

    @property
    def ground_rules_missing(self) -> tuple[str, ...]:
        return tuple(a.full_name for a in self.adults if not a.agreed)


@dataclass(frozen=True)
class FamilyRow:
    """One line of the family list (no contact details)."""

    id: int
    reference: str
    adults: str
    children: str
    status: ReferralStatus
    last_used_on: date


@dataclass(frozen=True)
class SessionPattern:
    id: int
    weekday: int
    start_time: str
    end_time: str
    capacity: int
    label: str
    active: bool

    @property
    def weekday_name(self) -> str:
        return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                "Sunday")[self.weekday]


@dataclass(frozen=True)
class SessionInfo:
    id: int
    session_date: date
    start_time: str
    end_time: str
    capacity: int
    booked: int
    finalised: bool
    pattern_id: int | None = None  # the session day it was made from (a waiting list asks for one)


@dataclass(frozen=True)
class Booking:
    id: int
    family_id: int
    session_id: int
    session_date: date
    start_time: str
    end_time: str
    status: BookingStatus
    arrived_at: str | None
    left_at: str | None
    absence_reason: str
    assessment: bool = False  # an assessment session (clause 7)


@dataclass(frozen=True)
class RegisterAdult:
    """What a Session volunteer sees of an adult: a name, a role and the stagger."""

    name: str
    role: str
    arrive_minutes_before: int
    leave_minutes_after: int


@dataclass(frozen=True)
class RegisterEntry:
    booking_id: int
    family_id: int
    reference: str
    adults: tuple[RegisterAdult, ...]
    children: tuple[str, ...]
    status: BookingStatus
    arrived_at: str | None
    left_at: str | None
    absence_reason: str
    must_not_attend: str
    safety_notes: str
    assessment: bool = False  # an agency assesses the family at this session (clause 7)

    @property
    def has_safety(self) -> bool:
        return bool(self.must_not_attend.strip() or self.safety_notes.strip()
                    or any(a.arrive_minutes_before or a.leave_minutes_after for a in self.adults))


@dataclass(frozen=True)
class RegisterDay:
    session_id: int
    session_date: date
    start_time: str
    end_time: str
    capacity: int
    entries: tuple[RegisterEntry, ...]
    on_duty: tuple[str, ...]
    notes: str
    finalised: bool
    finalised_at: str | None


@dataclass(frozen=True)
class Attendance:
    session_date: date
    arrived_at: str
    left_at: str | None


@dataclass(frozen=True)
class Disclosure:
    id: int
    family_id: int
    requested_by: str
    organisation: str
    requested_on: date
    asked_for: str
    answer: str
    ground: str | None
    authorised_by: str
    reason: str
    disclosed: str
    letter_id: int | None
    answered_on: date | None
    reference: str = ""


@dataclass(frozen=True)
class IncidentInput:
    occurred_on: str  # dd/mm/yyyy
    what_happened: str
    who_involved: str
    action_taken: str
    who_told: str
    kind: str = "safeguarding"


@dataclass(frozen=True)
class Incident:
    id: int
    family_id: int
    occurred_on: date
    kind: str
    what_happened: str
    who_involved: str
    action_taken: str
    who_told: str
    keep_beyond_three_years: bool
    created_at: str


@dataclass(frozen=True)
class RetentionCandidate:
    family_id: int
    reference: str
    last_used_on: date
    holds: tuple[str, ...] = field(default_factory=tuple)

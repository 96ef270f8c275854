"""Volunteers, DBS checks and the rota: the plain values that cross the domain boundary,
and the date rules (renewal due, staged warnings) that need no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ccc_desktop.models.dates import add_years


class VolunteerStatus(StrEnum):
    APPLICANT = "applicant"
    ACTIVE = "active"
    PAUSED = "paused"
    RESIGNED = "resigned"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class VolunteerRole(StrEnum):
    SESSION = "session"
    COORDINATOR = "coordinator"
    COMMITTEE = "committee"

    @property
    def label(self) -> str:
        return {"session": "Session volunteer", "coordinator": "Coordinator",
                "committee": "Committee member"}[self.value]


class DbsLevel(StrEnum):
    BASIC = "basic"
    STANDARD = "standard"
    ENHANCED = "enhanced"
    ENHANCED_BARRED = "enhanced_barred"

    @property
    def label(self) -> str:
        return {"basic": "Basic", "standard": "Standard", "enhanced": "Enhanced",
                "enhanced_barred": "Enhanced with children's barred list"}[self.value]

    @property
    def rank(self) -> int:
        return list(DbsLevel).index(self)


class DbsOutcome(StrEnum):
    CLEAR = "clear"
    DISCLOSED = "disclosed"

    @property
    def label(self) -> str:
        return {"clear": "Clear", "disclosed": "Information disclosed"}[self.value]


class RiskDecision(StrEnum):
    PROCEED = "proceed"
    PROCEED_WITH_CONDITIONS = "proceed_with_conditions"
    DO_NOT_PROCEED = "do_not_proceed"

    @property
    def label(self) -> str:
        return {"proceed": "Accepted: may volunteer",
                "proceed_with_conditions": "Accepted with conditions",
                "do_not_proceed": "Not accepted: may not volunteer"}[self.value]


class WarningStage(StrEnum):
    """How close a renewal is. PAUSED: a renewal is in progress, so no 60/30/7-day warning."""

    NONE = "none"
    DAYS_60 = "60 days"
    DAYS_30 = "30 days"
    DAYS_7 = "7 days"
    PAUSED = "renewal in progress"
    OVERDUE = "overdue"


WARNING_DAYS = (60, 30, 7)


# ---- input values (what a form hands the service) ------------------------------------------
@dataclass(frozen=True)
class VolunteerDetails:
    full_name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    date_of_birth: date | None = None
    start_date: date | None = None
    roles: frozenset[VolunteerRole] = frozenset({VolunteerRole.SESSION})
    references_received: int = 0
    induction_on: date | None = None
    safeguarding_on: date | None = None
    undertaking_version: str = ""
    undertaking_signed_on: date | None = None
    policy_read_on: date | None = None
    court_clause_acknowledged: bool = False
    account_id: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class DbsCheckInput:
    """A check as typed in. The outcome, disclosed information and risk decision are sealed."""

    level: DbsLevel
    certificate_number: str
    issue_date: date
    id_checked_by: str
    outcome: DbsOutcome
    disclosed_information: str = ""
    decision: RiskDecision | None = None
    decision_notes: str = ""
    decided_by: str = ""
    decided_on: date | None = None
    update_service: bool = False
    last_status_check: date | None = None


# ---- output values ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Volunteer:
    id: int
    details: VolunteerDetails
    status: VolunteerStatus
    resigned_on: date | None
    resignation_reason: str
    created_at: str
    updated_at: str
    current_undertaking_version: str = ""
    safeguarding_renewal_due: date | None = None

    @property
    def name(self) -> str:
        return self.details.full_name

    @property
    def undertaking_current(self) -> bool:
        d = self.details
        return (d.undertaking_signed_on is not None and bool(d.undertaking_version)
                and d.undertaking_version == self.current_undertaking_version)

    @property
    def needs_to_sign_again(self) -> bool:
        """Signed, but an older version of the undertaking than the centre's current one."""
        return self.details.undertaking_signed_on is not None and not self.undertaking_current

    @property
    def retention_clock_starts(self) -> date | None:
        """The resignation date starts the three-year retention clock (policy, DP 5)."""
        return self.resigned_on if self.status is VolunteerStatus.RESIGNED else None

    def training_gaps(self, today: date) -> list[str]:
        d = self.details
        gaps = []
        if d.induction_on is None:
            gaps.append("induction")
        if d.safeguarding_on is None:
            gaps.append("safeguarding training")
        elif self.safeguarding_renewal_due is not None and self.safeguarding_renewal_due < today:
            gaps.append("safeguarding training renewal")
        return gaps

    def undertaking_gap(self) -> str:
        if self.details.undertaking_signed_on is None:
            return "confidentiality undertaking not signed"
        if not self.undertaking_current:
            return (f"signed undertaking version {self.details.undertaking_version or '?'}; "
                    f"must sign version {self.current_undertaking_version}")
        return ""


@dataclass(frozen=True)
class DbsCheck:
    """What anyone managing volunteers may see: dates and levels, never the result."""

    id: int
    volunteer_id: int
    volunteer_name: str
    level: DbsLevel
    certificate_number: str
    issue_date: date
    update_service: bool
    last_status_check: date | None
    id_checked_by: str
    renewal_applied_on: date | None
    renewal_due: date
    created_at: str

    @property
    def renewal_in_progress(self) -> bool:
        return self.renewal_applied_on is not None

    def stage(self, today: date) -> WarningStage:
        return warning_stage(self.renewal_due, today, self.renewal_in_progress)

    def days_left(self, today: date) -> int:
        return (self.renewal_due - today).days


@dataclass(frozen=True)
class DbsResult:
    """The sealed part of a check. Only ever built from a Coordinator's or Chair's session."""

    check_id: int
    outcome: DbsOutcome
    disclosed_information: str
    decision: RiskDecision | None
    decision_notes: str
    decided_by: str
    decided_on: date | None

    @property
    def satisfactory(self) -> bool:
        """Clear (unless a decision says otherwise), or disclosed and accepted by a decision."""
        if self.decision is RiskDecision.DO_NOT_PROCEED:
            return False
        if self.outcome is DbsOutcome.CLEAR:
            return True
        return self.decision in (RiskDecision.PROCEED, RiskDecision.PROCEED_WITH_CONDITIONS)


@dataclass(frozen=True)
class RotaSession:
    session_id: int
    session_date: date
    start_time: str
    end_time: str
    finalised: bool
    on_duty: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RotaEntry:
    session_id: int
    volunteer_id: int
    volunteer_name: str
    duty: str


@dataclass(frozen=True)
class RotaSheetSession:
    """One session on the month's rota on paper: when, how full, who is on duty and doing what."""

    session_date: date
    start_time: str
    end_time: str
    capacity: int
    booked: int
    duties: tuple[RotaEntry, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class VolunteerRetention:
    """For the retention report (issue 6): a resigned volunteer and when the record may go."""

    volunteer_id: int
    name: str
    resigned_on: date
    dispose_after: date


# ---- date rules ------------------------------------------------------------------------------
def renewal_due(issue_date: date, update_service: bool, last_status_check: date | None,
                renewal_years: int = 3) -> date:
    """Issue date + renewal_years; for Update Service subscribers, the next annual status check
    (a year after the last one, or a year after issue if none has been done yet)."""
    if update_service:
        return add_years(last_status_check or issue_date, 1)
    return add_years(issue_date, renewal_years)


def warning_stage(due: date, today: date, renewal_in_progress: bool) -> WarningStage:
    days = (due - today).days
    if days < 0:
        return WarningStage.OVERDUE
    if days > WARNING_DAYS[0]:
        return WarningStage.NONE
    if renewal_in_progress:
        return WarningStage.PAUSED
    if days <= 7:
        return WarningStage.DAYS_7
    if days <= 30:
        return WarningStage.DAYS_30
    return WarningStage.DAYS_60


@dataclass(frozen=True)
class VolunteerOverview:
    """One line of the volunteers list: the record, its newest DBS check's dates and what is missing."""

    volunteer: Volunteer
    dbs_due: date | None
    dbs_stage: WarningStage | None
    needs: tuple[str, ...]

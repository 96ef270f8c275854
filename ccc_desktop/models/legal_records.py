"""Plain records for summonses, police visits, assessment agreements and the policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.records import StoredLetter

# The policy's witness-summons steps, in the order the policy gives them.
SUMMONS_STEPS: tuple[tuple[str, str], ...] = (
    ("chair", "Chair notified"),
    ("letter", "Letter to the court and/or solicitor"),
    ("naccc", "NACCC office informed"),
    ("solicitor", "Committee solicitor consulted"),
)
STEP_LABELS = dict(SUMMONS_STEPS)
RECEIVED_HOW = ("post", "in person", "email", "other")
OUTCOMES = ("set aside", "withdrawn", "attendance required", "other")
AGENCY_TYPES = {
    "solicitor": "Solicitor",
    "cafcass": "Cafcass officer",
    "social worker": "Social worker",
    "other": "Other agency",
}

POLICE_GUIDANCE = (
    "The centre's policy: unless they are called in an emergency, the police should be asked "
    "not to approach or detain anybody on the centre's premises. If the police or somebody "
    "wishing to serve an order arrives at the centre, they should be asked to serve the order "
    "elsewhere."
)


@dataclass(frozen=True)
class SummonsForm:
    """A summons as typed in the form: dates dd/mm/yyyy, time hh:mm."""

    received_on: str
    received_how: str
    court: str
    case_number: str
    hearing_date: str
    hearing_time: str = ""
    served_on: str = ""  # empty = the centre; otherwise the volunteer's name
    court_address: str = ""
    applicant: str = ""
    applicant_address: str = ""
    family_id: int | None = None
    respond_by: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Summons:
    id: int
    received_on: date
    received_how: str
    served_on: str
    court: str
    court_address: str
    case_number: str
    hearing_date: date
    hearing_time: str
    applicant: str
    applicant_address: str
    family_id: int | None
    respond_by: date | None
    notes: str
    outcome: str | None
    outcome_note: str
    closed_on: date | None
    created_at: str

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def served_on_label(self) -> str:
        return self.served_on or "the centre"

    @property
    def hearing_label(self) -> str:
        return format_date(self.hearing_date) + (f" {self.hearing_time}" if self.hearing_time else "")

    @property
    def urgent_date(self) -> date:
        """The first date something must happen by: the response date or the hearing."""
        return min(d for d in (self.respond_by, self.hearing_date) if d is not None)


@dataclass(frozen=True)
class SummonsStep:
    summons_id: int
    step: str
    done_on: date
    done_by: str
    note: str
    recorded_at: str

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]


@dataclass(frozen=True)
class SummonsDetail:
    summons: Summons
    steps: dict[str, SummonsStep]
    letters: list[StoredLetter] = field(default_factory=list)

    @property
    def missing_steps(self) -> list[str]:
        return [key for key, _ in SUMMONS_STEPS if key not in self.steps]


@dataclass(frozen=True)
class PoliceVisitForm:
    visit_date: str
    officer_name: str
    visit_time: str = ""
    officer_number: str = ""
    station: str = ""
    emergency: bool = False
    asked: str = ""
    said: str = ""
    outcome: str = ""
    family_id: int | None = None


@dataclass(frozen=True)
class PoliceVisit:
    id: int
    visit_date: date
    visit_time: str
    officer_name: str
    officer_number: str
    station: str
    emergency: bool
    asked: str
    said: str
    outcome: str
    family_id: int | None
    recorded_at: str


@dataclass(frozen=True)
class AgreementForm:
    agency_type: str
    agency_name: str
    scope: str
    valid_from: str
    valid_to: str
    approved_by: str
    family_id: int | None = None  # None = a standing agreement for any family


@dataclass(frozen=True)
class Agreement:
    id: int
    agency_type: str
    agency_name: str
    family_id: int | None
    scope: str
    valid_from: date
    valid_to: date
    approved_by: str
    ended_on: date | None
    created_at: str

    @property
    def last_day(self) -> date:
        """The last day it is in force (ending early moves it forward)."""
        return min(self.valid_to, self.ended_on) if self.ended_on else self.valid_to

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on <= self.last_day

    @property
    def agency_label(self) -> str:
        return f"{self.agency_name} ({AGENCY_TYPES.get(self.agency_type, self.agency_type)})"


@dataclass(frozen=True)
class AgreementStatus:
    """What the family's record shows for clause 7."""

    family_id: int
    in_force: bool
    text: str
    agreements: tuple[Agreement, ...] = ()


@dataclass(frozen=True)
class PolicyVersion:
    id: int | None  # None = the shipped default, not yet saved
    number: int
    body: str
    note: str
    created_at: str
    created_by_name: str


@dataclass(frozen=True)
class PolicyReview:
    id: int
    reviewed_on: date
    reviewed_by: str
    changes: str
    version_id: int | None
    recorded_at: str


@dataclass(frozen=True)
class PolicyReviewStatus:
    last_review: PolicyReview | None
    next_due: date | None  # None until a first review (or version) is recorded
    days_left: int | None

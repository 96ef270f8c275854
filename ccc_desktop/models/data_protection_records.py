"""Records of the data-protection work that cross layers: retention (the report, disposal log)
and subject access (requests, the assembled response). The services fill them, the documents
(PDFs) and the screens read them; this module imports no service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ccc_desktop.models.dates import format_date

# ---- retention ---------------------------------------------------------------------------------
DUE = "due"
SOON = "soon"
HELD = "held"
RETENTION_STATUS_LABELS = {DUE: "Due for disposal", SOON: "Falls due soon", HELD: "Held"}
CATEGORY_LABELS = {"family": "Family", "volunteer": "Volunteer",
                   "subject_access": "Subject access request"}


@dataclass(frozen=True)
class Candidate:
    category: str
    record_id: int
    reference: str  # no personal data: kept in the disposal log
    label: str  # what the Coordinator recognises; never logged
    last_used: date


@dataclass(frozen=True)
class RetentionItem:
    candidate: Candidate
    basis: str
    due_on: date
    status: str
    holds: tuple[str, ...] = ()
    disposed_before: date | None = None  # disposed of, then brought back by restoring a backup

    @property
    def note(self) -> str:
        """Why it is held, or that it came back with a restored backup."""
        parts = list(self.holds)
        if self.disposed_before is not None:
            parts.append(f"Disposed of on {format_date(self.disposed_before)} but brought back by "
                         "restoring an older backup: dispose of it again")
        return "; ".join(parts)

    @property
    def category(self) -> str:
        return self.candidate.category

    @property
    def record_id(self) -> int:
        return self.candidate.record_id

    @property
    def reference(self) -> str:
        return self.candidate.reference

    @property
    def label(self) -> str:
        return self.candidate.label

    @property
    def last_used(self) -> date:
        return self.candidate.last_used

    @property
    def status_label(self) -> str:
        return RETENTION_STATUS_LABELS[self.status]

    @property
    def disposable(self) -> bool:
        return self.status == DUE


@dataclass(frozen=True)
class RetentionReport:
    generated_on: date
    period_years: int
    horizon_days: int
    items: tuple[RetentionItem, ...]
    categories: tuple[str, ...] = ()

    def with_status(self, status: str) -> list[RetentionItem]:
        return [i for i in self.items if i.status == status]

    @property
    def due(self) -> list[RetentionItem]:
        return self.with_status(DUE)

    @property
    def soon(self) -> list[RetentionItem]:
        return self.with_status(SOON)

    @property
    def held(self) -> list[RetentionItem]:
        return self.with_status(HELD)


@dataclass(frozen=True)
class DisposalEntry:
    id: int
    batch_id: int
    reference: str
    category: str
    last_used: date
    disposed_on: date
    authorised_by: str
    authorised_role: str


@dataclass(frozen=True)
class DisposalBatch:
    id: int
    disposed_at: str
    authorised_name: str
    authorised_role: str
    record_count: int
    vacuumed: bool
    entries: tuple[DisposalEntry, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DisposalResult:
    batch_id: int
    disposed: int
    rows_deleted: int
    vacuumed: bool = True


# ---- subject access ----------------------------------------------------------------------------
OPEN, ANSWERED, WITHDRAWN = "open", "answered", "withdrawn"
SAR_STATUS_LABELS = {OPEN: "Open", ANSWERED: "Answered", WITHDRAWN: "Withdrawn"}

@dataclass(frozen=True)
class SubjectAccessRequest:
    id: int
    requester_name: str
    subject_category: str
    subject_record_id: int | None
    subject_person: str
    identity_check: str
    received_on: date
    due_on: date
    status: str
    closed_on: date | None
    notes: str

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def status_label(self) -> str:
        return SAR_STATUS_LABELS[self.status]


@dataclass(frozen=True)
class SarRow:
    label: str
    value: str
    about: str = ""  # '' = the requester; anything else is another person
    violent_crime: bool = False


@dataclass(frozen=True)
class SarSection:
    heading: str
    rows: tuple[SarRow, ...]


@dataclass(frozen=True)
class Withheld:
    heading: str
    item: str  # the row's label, never its value
    reason: str


@dataclass(frozen=True)
class SarPart:
    sections: list[SarSection] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)


@dataclass(frozen=True)
class SarResponse:
    request: SubjectAccessRequest
    sections: tuple[SarSection, ...]
    withheld: tuple[Withheld, ...]
    # The record's documents the Coordinator chose to give a copy of (the pack attaches them).
    attached: tuple[SarDocument, ...] = ()


@dataclass(frozen=True)
class SarDocument:
    """A document the subject's record carries (an attachment), for the review before a
    subject access response: given with the response, or withheld with a reason."""

    attachment_id: int
    name: str
    kind: str  # "PDF", "JPEG picture", "Word document" ...
    media_type: str
    added_on: date
    own: bool  # the person's own (a volunteer's); a family's documents concern several people


# Reasons a Coordinator may give for withholding a document from a subject access response.
DOCUMENT_REASONS = (
    "It is about other people as well (for example the other parent), and they have not "
    "agreed to its release",
    "Held to prevent crime due to violence (the exemption in the centre's data protection policy)",
    "Legal advice, or papers of court proceedings the person can ask the court for",
)


@dataclass(frozen=True)
class SarDocuments:
    response_letter_id: int
    internal_letter_id: int
    withheld: int

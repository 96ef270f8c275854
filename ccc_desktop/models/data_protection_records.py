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
                   "subject_access": "Subject access request", "summons": "Witness summons"}

# What disposal cleared from other records, as the certificate names it: (table, field) ->
# (kind of record, field). The fields are storage/data_protection.NAME_TEXT_FIELDS and
# NAME_SEALED_TEXT; ("<table>", "deleted ...") entries count whole rows that went because
# they named the person and cannot be cleared (a stored letter's PDF, a court paper).
CLEARED_KINDS = {
    "summonses": "Witness summons", "summons_steps": "Witness summons step",
    "police_visits": "Police visit", "subject_access_requests": "Subject access request",
    "families": "Family", "family_reviews": "Family review", "bookings": "Booking",
    "disclosures": "Disclosure request", "consents": "Consent", "dbs_checks": "DBS check",
    "assessment_agreements": "Assessment agreement", "sessions": "Session",
    "policy_reviews": "Policy review", "letters": "Stored letter", "attachments": "Attached document",
    "incidents": "Incident", "volunteers": "Volunteer", "accounts": "Staff account",
    "audit_log": "Audit trail entry", "import_batches": "Import",
}
CLEARED_FIELDS = {
    "served_on": "served on", "applicant": "applicant", "applicant_address": "applicant's address",
    "notes": "notes", "outcome_note": "outcome note", "case_number": "case number",
    "done_by": "done by", "note": "note", "asked": "what was asked", "said": "what was said",
    "outcome": "outcome", "requester_name": "requester", "identity_check": "identity check",
    "previsit_by": "pre-visit by", "previsit_notes": "pre-visit notes",
    "close_note": "closing note", "must_not_attend": "must not attend",
    "safety_notes": "safety notes", "absence_reason": "absence reason",
    "requested_by": "requested by", "asked_for": "asked for", "reason": "reason",
    "disclosed": "what was disclosed", "to_whom": "to whom", "purpose": "purpose",
    "id_checked_by": "ID checked by", "approved_by": "approved by", "scope": "scope",
    "reviewed_by": "reviewed by", "changes": "changes", "title": "title",
    "file_name": "file name", "details_sealed.what": "what happened",
    "details_sealed.who": "who was involved", "details_sealed.action": "action taken",
    "details_sealed.told": "who was told", "restricted_sealed": "restricted notes",
    "details_sealed.notes": "notes", "details_sealed.resignation_reason": "reason for resigning",
    # A volunteer's details column before migration 0028 renamed it (certificates made then).
    "private_sealed.notes": "notes", "private_sealed.resignation_reason": "reason for resigning",
    "family link": "link to the family",
    "text": "text naming them (letter deleted)",
    "content": "text naming them (document deleted)",
    "display_name": "name (now \"Former volunteer\" and its number)",
    "actor": "who made it (now \"Former volunteer\" and its number)",
    "deleted letters": "letters naming them deleted",
    "deleted attachments": "attached documents deleted",
}


# Records that mention a first or last name of a disposed person alone, and are not linked to
# them, are left as they are and counted on the certificate as ("<table>", LEFT + field).
LEFT = "left:"


def cleared_label(table: str, field_name: str) -> tuple[str, str]:
    """(kind of record, field) as printed on the certificate."""
    name = field_name.removeprefix(LEFT)
    label = (LEFT_FIELDS.get(name) if field_name.startswith(LEFT) else None) or \
        CLEARED_FIELDS.get(name, name.replace("_", " "))
    return (CLEARED_KINDS.get(table, table.replace("_", " ").capitalize()), label)


# Where a name alone was left, when it differs from CLEARED_FIELDS; "unread": a picture or a
# scan attached to a record that mentions the person, which the program cannot read.
LEFT_FIELDS = {"text": "text", "content": "text", "unread": "picture or scan, not readable: look at it"}
UNREAD = "unread"


@dataclass(frozen=True)
class NameScope:
    """Whose names a disposal clears, and where word by word. ``own``: the rows deleted with
    the record (table -> ids); ``linked``: rows that stay but are linked to it (a closed
    summons about the family, a police visit linked to it, a session the family or volunteer
    was in), where a first or last name alone is cleared too. Elsewhere only the whole name
    is, unless the same record names the person in full."""

    names: tuple[str, ...]
    own: dict[str, frozenset[int]] = field(default_factory=dict)
    linked: dict[str, frozenset[int]] = field(default_factory=dict)
    # Names that are also the name of someone in a record that stays (the same adult in
    # another family, a namesake): not cleared whole outside the linked records, only listed.
    shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class NameMention:
    """A record not linked to a disposed person that mentions one of their names alone: it is
    not changed, and the Coordinator is shown it before the disposal (never logged)."""

    reference: str  # the disposed record's reference
    table: str
    record_id: int
    field: str
    word: str  # as written in the record
    place: str  # which record, in words: "Disclosure request, family F-0012"
    shared: bool = False  # a full name someone in a record that stays has too

    @property
    def where(self) -> str:
        return f"{self.place}, {cleared_label(self.table, LEFT + self.field)[1]}"


def _day(value: object) -> str:
    try:
        return format_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return ""


_OWNER_LABEL = {"family": "family F-{:04d}", "referral": "referral of family F-{:04d}",
                "volunteer": "volunteer V-{:05d}", "summons": "witness summons S-{:05d}",
                "subject_access": "subject access request SAR-{:05d}"}


def place_label(table: str, value: object) -> str:
    """Which record a row is, for the disposal dialog: the kind and a reference or a date
    (``value`` is the column ``storage/data_protection._PLACE`` names for the table)."""
    kind = CLEARED_KINDS.get(table, table.replace("_", " ").capitalize())
    if value is None or value == "":
        return kind
    if table == "attachments" and ":" in str(value):  # "family:12": the record it belongs to
        owner_type, owner_id = str(value).split(":")
        owner = _OWNER_LABEL.get(owner_type)
        return f"{kind}, {owner.format(int(owner_id))}" if owner else kind
    if table == "letters" and "|" in str(value):  # "<made at>|family:12": when, and whose
        made, _, owner = str(value).partition("|")
        owner_type, _, owner_id = owner.partition(":")
        day = _day(made)
        where = f"{kind} of {day}" if day else kind
        label = _OWNER_LABEL.get(owner_type)
        return f"{where}, {label.format(int(owner_id))}" if label and owner_id.isdigit() else where
    if table in ("family_reviews", "bookings", "disclosures", "consents", "incidents"):
        return f"{kind}, family F-{int(str(value)):04d}"
    if table in ("summonses", "summons_steps"):
        return f"Witness summons S-{int(str(value)):05d}"
    if table == "dbs_checks":
        return f"{kind}, volunteer V-{int(str(value)):05d}"
    if table == "volunteers":
        return f"Volunteer V-{int(str(value)):05d}"
    if table == "subject_access_requests":
        return f"{kind} SAR-{int(str(value)):05d}"
    if table in ("families", "assessment_agreements"):
        return f"{kind} {value}"
    day = _day(value)
    return f"{kind} of {day}" if day else kind


class DisposalCounts(dict[str, int]):
    """What a retention source's ``dispose`` returns: rows deleted per table, and in
    ``cleared`` what it cleared from other records that stay: (table, field) -> records."""

    def __init__(self, counts: dict[str, int] | None = None,
                 cleared: dict[tuple[str, str], int] | None = None) -> None:
        super().__init__(counts or {})
        self.cleared: dict[tuple[str, str], int] = dict(cleared or {})

    def add_cleared(self, found: dict[tuple[str, str], int]) -> None:
        for k, n in found.items():
            self.cleared[k] = self.cleared.get(k, 0) + n


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
    # What was cleared from other records: (table, field, records), no names (issue 12);
    # ``cleared_label`` prints them.
    cleared: tuple[tuple[str, str, int], ...] = ()


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

"""Subject access requests (data protection principle 6).

A request is logged with who asked, how their identity was checked, the date received and the
due date (one calendar month later), and its status. The response gathers what the centre holds
about the person from every area's ``sar_sources`` into a PDF, leaving out

- items flagged as held to prevent crime due to violence (the policy's exemption), and
- other people's personal data (never the other parent's address or phone),

and a separate internal record lists what was withheld and why. Both PDFs are kept in the vault
(``letters``, subject type ``subject_access``).

Plugging an area in
-------------------
List a function ``fn(services, request) -> SarPart | None`` in the area's ``Area.sar_sources``
(``services/area.py``). It looks at
``request.subject_category`` / ``subject_record_id`` (the linked record; return None when it
is not the area's) and ``request.subject_person`` (which person in that record, a key the area
chose when linking, e.g. ``'parent_a'``), and returns sections of ``SarRow``. Mark each row:

- ``about``: the key of the person the row is about (``''`` = the requester). A row about
  anyone else is withheld as another person's data by the assembler, whatever the area did.
- ``violent_crime=True``: held to prevent crime due to violence; withheld under the exemption.

Rows the area withholds for its own reasons go straight into ``SarPart.withheld``. Sources run
with the Coordinator's or Chair's session (they may open sealed fields to show the person
their own data). The assembler never prints a withheld row's value, even in the internal record.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.documents.subject_access import sar_internal_record_pdf, sar_pack_pdf
from ccc_desktop.models import limits
from ccc_desktop.models.centre_details import load_centre_details
from ccc_desktop.models.data_protection_records import (
    ANSWERED,
    OPEN,
    SAR_STATUS_LABELS,
    WITHDRAWN,
    Candidate,
    SarDocument,
    SarDocuments,
    SarPart,
    SarResponse,
    SarRow,
    SarSection,
    SubjectAccessRequest,
    Withheld,
)
from ccc_desktop.models.dates import add_months, format_date, parse_date
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.records import DashboardItem, DashboardSection, StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Rectifier, sar_sources
from ccc_desktop.models.services.attachments import sar_documents
from ccc_desktop.models.storage.letters import LetterStore
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.storage.subject_access import SarStore
from ccc_desktop.models.validation import clean_text, required

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

SUBJECT_TYPE = "subject_access"
STATUS_LABELS = SAR_STATUS_LABELS

REASON_VIOLENT_CRIME = ("Held to prevent crime due to violence (the exemption in the centre's "
                        "data protection policy)")
REASON_THIRD_PARTY = "Another person's personal data"
REASON_NOT_REVIEWED = ("A family's document concerns several people: not given until the "
                       "Coordinator has reviewed it and chosen to give a copy")
DOCUMENTS_HEADING = "Documents held"

IDENTITY_CHECKS = (
    "Seen photo ID in person (passport or driving licence)",
    "Known to the Coordinator and confirmed in person",
    "Letter from the referring solicitor or agency confirming identity",
    "Proof of address and photo ID sent by post",
)




def _request(row) -> SubjectAccessRequest:
    return SubjectAccessRequest(
        row["id"], row["requester_name"], row["subject_category"], row["subject_record_id"],
        row["subject_person"], row["identity_check"], date.fromisoformat(row["received_on"]),
        date.fromisoformat(row["due_on"]), row["status"],
        date.fromisoformat(row["closed_on"]) if row["closed_on"] else None, row["notes"])


# ---- this module's own sources ---------------------------------------------------------------------
def request_source(services: Services, request: SubjectAccessRequest) -> SarPart:
    services.session.actor.require(Permission.VIEW_REPORTS)
    rows = (
        SarRow("Name", request.requester_name),
        SarRow("Request received", format_date(request.received_on)),
        SarRow("How your identity was checked", request.identity_check),
        SarRow("Response due by", format_date(request.due_on)),
    )
    return SarPart([SarSection("Your request", rows)])


def letters_source(services: Services, request: SubjectAccessRequest) -> SarPart | None:
    services.session.actor.require(Permission.VIEW_REPORTS)
    if not request.subject_category or request.subject_record_id is None:
        return None
    letters = LetterStore(services.session.db).for_subject(request.subject_category, request.subject_record_id)
    if not letters:
        return None
    rows = tuple(SarRow(x.title, f"written {format_date(date.fromisoformat(x.created_at[:10]))}")
                 for x in letters)
    return SarPart([SarSection("Letters and documents the centre wrote", rows)])




def sort_rows(heading: str, rows: tuple[SarRow, ...], person: str) -> tuple[list[SarRow], list[Withheld]]:
    """The assembler's own rule, whatever a source did: other people's data and exempt items out."""
    keep, out = [], []
    for row in rows:
        if row.about and row.about != person:
            out.append(Withheld(heading, row.label, REASON_THIRD_PARTY))
        elif row.violent_crime:
            out.append(Withheld(heading, row.label, REASON_VIOLENT_CRIME))
        else:
            keep.append(row)
    return keep, out


class SubjectAccessService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = SarStore(session.db)

    def _get(self, request_id: int) -> SubjectAccessRequest:
        row = self.store.get(request_id)
        if row is None:
            raise NotFound("That subject access request is no longer recorded.")
        return _request(row)

    def get(self, request_id: int) -> SubjectAccessRequest:
        self.session.actor.require(Permission.VIEW_REPORTS)
        return self._get(request_id)

    def list(self, open_only: bool = False) -> list[SubjectAccessRequest]:
        self.session.actor.require(Permission.VIEW_REPORTS)
        return [_request(r) for r in self.store.all(open_only)]

    def log(self, requester_name: str, identity_check: str, received: str | date,
            subject_category: str = "", subject_record_id: int | None = None,
            subject_person: str = "", notes: str = "") -> SubjectAccessRequest:
        actor = self.session.actor
        actor.require(Permission.VIEW_REPORTS)
        name = required(requester_name, "requester_name", "Who is asking", limits.NAME)
        check = required(identity_check, "identity_check", "How their identity was checked",
                         limits.TEXT)
        received_on = received if isinstance(received, date) else parse_date(
            received, "received_on", "Date received")
        today = self.session.clock.today()
        if received_on > today:
            raise ValidationError("Date received: that is in the future.", "received_on")
        if subject_category and subject_record_id is None:
            raise ValidationError("Choose the record the request is about.", "subject_record_id")
        values = {
            "requester_name": name, "identity_check": check,
            "subject_category": subject_category or "", "subject_record_id": subject_record_id,
            "subject_person": subject_person or "",
            "received_on": received_on.isoformat(),
            "due_on": add_months(received_on, 1).isoformat(),
            "status": OPEN, "notes": clean_text(notes, "notes", "Notes", limits.NOTES),
            "created_at": self.session.clock.now().isoformat(timespec="seconds"),
            "created_by": actor.account_id,
        }
        with self.session.db.transaction():
            new_id = self.store.insert(values)
            link = f"; linked to {subject_category} {subject_record_id}" if subject_category else ""
            self.session.audit.record("subject access request logged", SUBJECT_TYPE, new_id,
                                      f"due {values['due_on']}{link}")
        return self._get(new_id)

    def link(self, request_id: int, category: str, record_id: int, person: str = "") -> None:
        actor = self.session.actor
        actor.require(Permission.VIEW_REPORTS)
        self._get(request_id)
        if not category:
            raise ValidationError("Choose the kind of record.", "subject_category")
        with self.session.db.transaction():
            self.store.update(request_id, subject_category=category, subject_record_id=record_id,
                              subject_person=person or "")
            self.session.audit.record("subject access request linked", SUBJECT_TYPE,
                                      request_id, f"{category} {record_id}")

    def close(self, request_id: int, status: str, on: date | None = None) -> None:
        actor = self.session.actor
        actor.require(Permission.VIEW_REPORTS)
        request = self._get(request_id)
        if status not in (ANSWERED, WITHDRAWN):
            raise ValidationError("Choose answered or withdrawn.", "status")
        if not request.is_open:
            raise ValidationError("That request is already closed.", "status")
        on = on or self.session.clock.today()
        if on < request.received_on:
            raise ValidationError("Closed on: that is before the request was received.", "closed_on")
        with self.session.db.transaction():
            self.store.update(request_id, status=status, closed_on=on.isoformat())
            self.session.audit.record(f"subject access request {status}", SUBJECT_TYPE,
                                      request_id)

    # ---- the response ---------------------------------------------------------------------------
    def review(self, request_id: int) -> builtins.list[SarDocument]:
        """The documents the request's record carries, for the Coordinator to give a copy of
        or withhold (with a reason) before the response is produced."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        self.session.actor.require(Permission.AUTHORISE_DISCLOSURE)
        return sar_documents(self.services, self._get(request_id))

    def _documents(self, request: SubjectAccessRequest, choices: Mapping[int, str | None] | None,
                   ) -> tuple[builtins.list[SarDocument], builtins.list[Withheld]]:
        """``choices``: attachment id -> None to give a copy, or the reason it is withheld. A
        document not chosen: a volunteer's own is given; a family's is withheld (it concerns
        several people) until the Coordinator has looked at it and chosen to give it."""
        documents = sar_documents(self.services, request)
        choices = dict(choices or {})
        unknown = set(choices) - {d.attachment_id for d in documents}
        if unknown:
            raise ValidationError("A document chosen for the response is not one the record "
                                  "holds: review the documents again.", "documents")
        given: builtins.list[SarDocument] = []
        withheld: builtins.list[Withheld] = []
        for d in documents:
            if d.attachment_id in choices:
                reason = choices[d.attachment_id]
                if reason is not None:
                    reason = clean_text(reason, "reason", "Why it is withheld", limits.TEXT)
                    if not reason:
                        raise ValidationError(f"Say why {d.name} is withheld.", "reason")
            else:
                reason = None if d.own else REASON_NOT_REVIEWED
            if reason is None:
                given.append(d)
            else:
                withheld.append(Withheld(DOCUMENTS_HEADING, d.name, reason))
        return given, withheld

    def assemble(self, request_id: int,
                 choices: Mapping[int, str | None] | None = None) -> SarResponse:
        """What the centre holds about the person, with what was withheld and why; the
        record's documents given or withheld as ``choices`` says (see ``_documents``)."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        self.session.actor.require(Permission.AUTHORISE_DISCLOSURE)
        request = self._get(request_id)
        sections: list[SarSection] = []
        withheld: list[Withheld] = []
        for source in sar_sources(self.services.areas):
            part = source(self.services, request)
            if part is None:
                continue
            withheld.extend(part.withheld)
            for section in part.sections:
                keep, out = sort_rows(section.heading, section.rows, request.subject_person)
                withheld.extend(out)
                if keep:
                    sections.append(SarSection(section.heading, tuple(keep)))
        given, held_back = self._documents(request, choices)
        withheld.extend(held_back)
        return SarResponse(request, tuple(sections), tuple(withheld), tuple(given))

    def produce(self, request_id: int,
                choices: Mapping[int, str | None] | None = None) -> SarDocuments:
        """Build and keep the response PDF (with a copy of each document given: ``choices``,
        as ``assemble`` takes it) and the internal record of what was withheld. Each document
        given is opened through the attachments service, which audits it."""
        response = self.assemble(request_id, choices)
        centre = load_centre_details(SettingsStore(self.session.db))
        today = self.session.clock.today()
        letters = self.services.letters
        files = [(d, self.services.attachments.open(d.attachment_id,
                                                     "given in a subject access response"))
                 for d in response.attached]
        with self.session.db.transaction():
            a = letters.keep("sar-response", "Subject access response", SUBJECT_TYPE, request_id,
                             sar_pack_pdf(centre, response, today, files))
            b = letters.keep("sar-withheld", "Subject access: internal record of withheld items",
                             SUBJECT_TYPE, request_id, sar_internal_record_pdf(centre, response, today),
                             f"{len(response.withheld)} items withheld")
        return SarDocuments(a.id, b.id, len(response.withheld))

    def documents(self, request_id: int) -> builtins.list[StoredLetter]:
        self.session.actor.require(Permission.VIEW_REPORTS)
        self._get(request_id)
        return self.services.letters.for_subject(SUBJECT_TYPE, request_id)


# ---- dashboard ---------------------------------------------------------------------------------------
def sar_section(services: Services) -> DashboardSection | None:
    if not services.session.actor.can(Permission.VIEW_REPORTS):
        return None
    today = services.session.clock.today()
    items = []
    for r in services.subject_access.list(open_only=True):
        left = r.days_left(today)
        if left < 0:
            text, sev = f"overdue by {-left} day{'s' if left != -1 else ''}", "overdue"
        elif left == 0:
            text, sev = "due today", "overdue"
        else:
            text, sev = f"{left} day{'s' if left != 1 else ''} left", "warning" if left <= 7 else "info"
        items.append(DashboardItem(
            f"Subject access request from {r.requester_name}: {text}",
            sev, "reports", r.due_on))
    return DashboardSection("Subject access requests", items, order=610,
                            empty_text="No subject access requests are open.")


# ---- rectification of this module's own fields ------------------------------------------------------
def _sar_field(name: str, label: str) -> Rectifier:
    def read(services: Services, record_id: int) -> str:
        services.session.actor.require(Permission.VIEW_REPORTS)
        row = SarStore(services.session.db).get(record_id)
        if row is None:
            raise NotFound("That subject access request is no longer recorded.")
        return str(row[name])

    def write(services: Services, record_id: int, value: str) -> None:
        services.session.actor.require(Permission.VIEW_REPORTS)
        SarStore(services.session.db).update(record_id, **{name: required(value, name, label)})

    return Rectifier(SUBJECT_TYPE, name, label, Permission.VIEW_REPORTS, read, write)


RECTIFIERS = (
    _sar_field("requester_name", "Who is asking"),
    _sar_field("identity_check", "How their identity was checked"),
)


# ---- retention of the requests themselves -----------------------------------------------------------
class SubjectAccessRetention:
    """Closed requests not linked to a record are kept for the retention period after closing.

    A request linked to a family or volunteer record goes when that record is disposed of, and
    an open request is never a candidate (it holds its linked record back instead).
    """

    category = SUBJECT_TYPE
    basis = "closed"

    @staticmethod
    def _candidate(row) -> Candidate:
        received = format_date(date.fromisoformat(row["received_on"]))
        return Candidate(SUBJECT_TYPE, row["id"], f"SAR-{row['id']:05d}",
                         f"{row['requester_name']} (request received {received})",
                         date.fromisoformat(row["closed_on"]))

    def candidates(self, session: Session, cutoff: date) -> list[Candidate]:
        return [self._candidate(r) for r in SarStore(session.db).closed_unlinked(cutoff.isoformat())]

    def candidate(self, session: Session, record_id: int) -> Candidate | None:
        rows = SarStore(session.db).closed_unlinked(date.max.isoformat(), record_id)
        return self._candidate(rows[0]) if rows else None

    def holds(self, session: Session, record_ids: Sequence[int]) -> dict[int, list[str]]:
        return {}

    def dispose(self, session: Session, record_id: int) -> dict[str, int]:
        # Its letters (response, internal record) are deleted by the retention service.
        return {"subject access requests": SarStore(session.db).delete(record_id)}


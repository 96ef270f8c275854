"""Disclosure requests (clause 4) and passing on contact details (clauses 5, 6).

The answer that needs no exception is the attendance letter: dates and times only. Anything
beyond that needs an exception ground, the Coordinator or Chair who authorised it and a reason;
a parent's contact details go only where a consent in scope or a recorded exception covers it.
Every request and every disclosure is in the disclosure log and the audit trail (the audit
detail names grounds and record ids, never people).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from ccc_desktop.documents.attendance import attendance_letter
from ccc_desktop.models import limits
from ccc_desktop.models.dates import format_date, parse_date
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.families_records import Disclosure, ExceptionGround
from ccc_desktop.models.records import StoredLetter
from ccc_desktop.models.roles import Permission, Role
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.family_rows import ConsentStore, DisclosureStore
from ccc_desktop.models.validation import clean_name, required

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

_T = TypeVar("_T")

ATTENDANCE_KIND = "attendance"


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _disclosure(r: Row) -> Disclosure:
    return Disclosure(id=r["id"], family_id=r["family_id"], requested_by=r["requested_by"],
                      organisation=r["organisation"],
                      requested_on=date.fromisoformat(r["requested_on"]), asked_for=r["asked_for"],
                      answer=r["answer"], ground=r["ground"], authorised_by=r["authorised_by"],
                      reason=r["reason"], disclosed=r["disclosed"], letter_id=r["letter_id"],
                      answered_on=_d(r["answered_on"]), reference=r["reference"])



def _norm(text: str) -> str:
    return " ".join((text or "").casefold().split()).strip(" .,;")


def consent_covers(to_whom: str, requested_by: str, organisation: str) -> bool:
    """Clause 5: a consent covers passing details on only to whom it names. The request's
    requester or organisation must be that person or agency (compared without case or spacing);
    a consent to Cafcass never lets the details go to the former partner or anyone else."""
    scope = _norm(to_whom)
    return bool(scope) and scope in {_norm(requested_by), _norm(organisation)} - {""}

class DisclosureService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = DisclosureStore(session.db)
        self.families = FamilyStore(session.db)
        self.consents = ConsentStore(session.db)

    def _today(self) -> date:
        return self.session.clock.today()

    def _get_row(self, disclosure_id: int) -> Row:
        row = self.store.get(disclosure_id)
        if row is None:
            raise NotFound("That disclosure request no longer exists.")
        return row

    # ---- requests ------------------------------------------------------------------------
    def log_request(self, family_id: int, requested_by: str, organisation: str,
                    requested_on: str, asked_for: str) -> int:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        if not self.families.exists(family_id):
            raise NotFound("That family's record no longer exists.")
        who = required(requested_by, "requested_by", "Who asked", limits.NAME)
        organisation = clean_name(organisation, "organisation", "Organisation",
                                  limits.ORGANISATION, need=False)
        when = parse_date(requested_on, "requested_on", "Date of the request")
        if when > self._today():
            raise ValidationError("Date of the request: that date is in the future.", "requested_on")
        what = required(asked_for, "asked_for", "What they asked for", limits.TEXT)
        with self.session.db.transaction():
            new_id = self.store.insert(family_id, who, organisation, when, what,
                                       self.session.clock.now().isoformat(timespec="seconds"),
                                       actor.account_id)
            self.families.touch(family_id, self._today())
            self.session.audit.record("disclosure request logged", "family", family_id,
                                      f"request {new_id}")
        return new_id

    def log_and_answer(self, family_id: int, requested_by: str, organisation: str,
                       requested_on: str, asked_for: str,
                       answer: Callable[[int], _T]) -> tuple[int, _T]:
        """Log a request and answer it (``answer(request_id)``: one of the answer methods) as
        one unit: if the answer fails (a letter that cannot be made, a missing reason), the
        request is not logged either."""
        with self.session.db.transaction():
            request_id = self.log_request(family_id, requested_by, organisation, requested_on,
                                          asked_for)
            return request_id, answer(request_id)

    def get(self, disclosure_id: int) -> Disclosure:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return _disclosure(self._get_row(disclosure_id))

    def for_family(self, family_id: int) -> builtins.list[Disclosure]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return [_disclosure(r) for r in self.store.for_family(family_id)]

    def log(self) -> builtins.list[Disclosure]:
        """The disclosure log: every request and what was disclosed."""
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return [_disclosure(r) for r in self.store.log()]

    # ---- the answer that needs no exception ----------------------------------------------
    def attendance_pdf(self, family_id: int, recipient: str, organisation: str,
                       first: date | None = None, last: date | None = None) -> bytes:
        """The letter's bytes (not stored): dates and times, and the names that identify it."""
        actor = self.session.actor
        actor.require(Permission.VIEW_FAMILIES)
        fam = self.families.get(family_id)
        if fam is None:
            raise NotFound("That family's record no longer exists.")
        adults = [a["full_name"] for a in self.families.adults(family_id)]
        children = [c["full_name"] for c in self.families.children(family_id)]
        today = self._today()
        last = min(last or today, today)  # never a session after the letter's own date
        rows = self.services.bookings.attendance(family_id, first, last)
        return attendance_letter(self.services.centre.details(), self._today(),
                                 fam["reference"], recipient, organisation, adults, children, rows,
                                 actor.display_name)

    def answer_with_attendance(self, disclosure_id: int, first: str = "",
                               last: str = "") -> StoredLetter:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self._get_row(disclosure_id)
        start = parse_date(first, "first", "From") if (first or "").strip() else None
        end = parse_date(last, "last", "Until") if (last or "").strip() else None
        if start and end and end < start:
            raise ValidationError("Until: the last date is before the first.", "last")
        pdf = self.attendance_pdf(row["family_id"], row["requested_by"], row["organisation"],
                                  start, end)
        family = self.families.get(row["family_id"])
        if family is None:
            raise NotFound("That family's record no longer exists.")
        ref = family["reference"]
        with self.session.db.transaction():
            letter = self.services.letters.keep(
                ATTENDANCE_KIND, f"Attendance letter {ref} ({format_date(self._today())})",
                "family", row["family_id"], pdf, f"disclosure request {disclosure_id}")
            self.store.answer(disclosure_id, answer="attendance", letter_id=letter.id,
                              disclosed="Attendance dates and times", answered_on=self._today())
            self.session.audit.record("disclosure made", "family", row["family_id"],
                                      f"request {disclosure_id}; attendance only; letter {letter.id}")
        return letter

    # ---- beyond attendance: an exception ground, an authoriser and a reason --------------
    def _authoriser(self, account_id: int | None) -> int:
        if account_id is None:
            raise ValidationError("Authorised by: choose the Coordinator or Chair who authorised "
                                  "this disclosure.", "authorised_by")
        acc = AccountStore(self.session.db).get(account_id)
        if acc is None or not acc.enabled or acc.role not in (Role.COORDINATOR, Role.CHAIR):
            raise ValidationError("Authorised by: only the Coordinator or the Chair can authorise "
                                  "a disclosure.", "authorised_by")
        return acc.id

    def authoriser_choices(self) -> builtins.list[tuple[int, str]]:
        self.session.actor.require(Permission.AUTHORISE_DISCLOSURE)
        return [(a.id, f"{a.display_name} ({a.role.label})")
                for a in AccountStore(self.session.db).all()
                if a.enabled and a.role in (Role.COORDINATOR, Role.CHAIR)]

    def disclose_beyond(self, disclosure_id: int, ground: ExceptionGround | str | None,
                        authorised_by: int | None, reason: str, disclosed: str) -> None:
        """Record a disclosure beyond attendance. Refused without a ground, authoriser, reason."""
        actor = self.session.actor
        actor.require(Permission.AUTHORISE_DISCLOSURE)
        row = self._get_row(disclosure_id)
        try:
            g = ExceptionGround(ground) if ground else None
        except ValueError:
            g = None
        if g is None:
            raise ValidationError("Ground: anything beyond attendance dates and times may be "
                                  "disclosed only if a child is at risk of harm or someone is at "
                                  "risk of physical violence. Choose the ground.", "ground")
        authoriser = self._authoriser(authorised_by)
        why = required(reason, "reason", "Reason", limits.TEXT)
        what = required(disclosed, "disclosed", "What was disclosed", limits.NOTES)
        with self.session.db.transaction():
            self.store.answer(disclosure_id, answer="beyond", ground=g.value,
                              authorised_by=authoriser, reason=why, disclosed=what,
                              answered_on=self._today())
            self.families.touch(row["family_id"], self._today())
            self.session.audit.record("disclosure beyond attendance", "family",
                                      row["family_id"], f"request {disclosure_id}; ground: "
                                      f"{g.value}; authorised by account {authoriser}")

    def refuse(self, disclosure_id: int, reason: str) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self._get_row(disclosure_id)
        why = required(reason, "reason", "Reason", limits.TEXT)
        with self.session.db.transaction():
            self.store.answer(disclosure_id, answer="refused", reason=why, answered_on=self._today())
            self.session.audit.record("disclosure refused", "family", row["family_id"],
                                      f"request {disclosure_id}")

    # ---- contact details (clauses 5, 6) --------------------------------------------------
    def share_contact_details(self, disclosure_id: int, adult_id: int,
                              consent_id: int | None = None) -> dict[str, str]:
        """An adult's address, phone and email for passing on to the requester: only with a
        consent in scope (that adult's, given and not withdrawn today) or when this request
        already carries a recorded exception. Logged and audited."""
        actor = self.session.actor
        actor.require(Permission.VIEW_CONTACT_DETAILS)
        actor.require(Permission.EDIT_FAMILIES)
        row = self._get_row(disclosure_id)
        adult = self.families.adult(adult_id)
        if adult is None or adult["family_id"] != row["family_id"]:
            raise NotFound("That adult is not in this family's record.")
        today = self._today()
        basis = ""
        if consent_id is not None:
            c = self.consents.get(consent_id)
            if c is None or c["adult_id"] != adult_id:
                raise ValidationError("Consent: that consent is not this adult's.", "consent")
            if date.fromisoformat(c["given_on"]) > today or (
                    c["withdrawn_on"] and date.fromisoformat(c["withdrawn_on"]) <= today):
                raise ValidationError("Consent: that consent has been withdrawn, so the contact "
                                      "details cannot be passed on.", "consent")
            if not consent_covers(c["to_whom"], row["requested_by"], row["organisation"]):
                raise ValidationError(
                    f"Consent: that consent is for passing details to {c['to_whom']}, not to "
                    "whoever made this request. Record a consent that names them, or an exception.",
                    "consent")
            basis = f"consent {consent_id}"
        elif row["answer"] == "beyond" and row["ground"]:
            basis = f"exception ({row['ground']})"
        else:
            raise ValidationError("Consent: a parent's address, phone and email are passed on only "
                                  "with their consent or under a recorded exception.", "consent")
        disclosed = (row["disclosed"] + "; " if row["disclosed"] else "") + \
            f"contact details of adult {adult_id} ({basis})"
        with self.session.db.transaction():
            values: dict[str, object] = {"disclosed": disclosed, "answered_on": today}
            if row["answer"] == "pending":
                values["answer"] = "beyond"
                values["ground"] = "consent"
                values["consent_id"] = consent_id
            self.store.answer(disclosure_id, **values)
            self.families.touch(row["family_id"], today)
            self.session.audit.record("contact details disclosed", "family",
                                      row["family_id"], f"request {disclosure_id}; adult "
                                      f"{adult_id}; basis: {basis}")
        return {"name": adult["full_name"], "address": adult["address"], "phone": adult["phone"],
                "email": adult["email"]}

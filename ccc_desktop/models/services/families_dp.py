"""Families in the data-protection work (issue 6): the retention source, subject access and
rectification, listed in ``FAMILIES`` (the families area). See ``services/area.py``.

Retention: a family falls due three years after it was last used (the latest booking,
attendance, letter or change: ``families.last_used_on``). A safeguarding incident marked "keep
beyond three years" holds it back (an open witness summons is held by the legal area).
Disposal deletes every row about the family; its letters and linked subject access requests
are deleted by the retention service after ``dispose``.

Subject access: a request linked to a family names the person with ``subject_person`` =
``'adult:<id>'`` (``FamilyService.sar_people`` lists the choices). The response holds that
adult's own details, consents and ground rules, the family's attendance and the disclosure
requests made about the family. Other adults' and the children's details are marked as other
people's data; incidents and the safety arrangements are marked as held to prevent crime due
to violence, so the assembler withholds them and lists them in the internal record.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ccc_desktop.documents.pdf_text import pdf_text, read_document
from ccc_desktop.models import limits
from ccc_desktop.models.data_protection_records import (
    Candidate,
    DisposalCounts,
    NameScope,
    SarPart,
    SarRow,
    SarSection,
    SubjectAccessRequest,
)
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import NotFound
from ccc_desktop.models.families_records import AdultInput, AdultRole
from ccc_desktop.models.records import StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Area, Rectifier
from ccc_desktop.models.services.families import families_section
from ccc_desktop.models.storage.bookings import BookingStore
from ccc_desktop.models.storage.data_protection import (
    clear_names,
    drop_summons_papers,
    family_name_scope,
)
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.family_rows import ConsentStore, DisclosureStore, IncidentStore
from ccc_desktop.models.storage.legal import AgreementStore, PoliceStore, SummonsStore
from ccc_desktop.models.validation import clean_name

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

HOLD_INCIDENT = "Safeguarding incident hold (kept beyond three years)"


class FamilyRetentionSource:
    category = "family"
    basis = "last used"

    @staticmethod
    def _candidate(row: Row) -> Candidate:
        return Candidate("family", row["id"], row["reference"], row["adults"] or row["reference"],
                         date.fromisoformat(row["last_used_on"]))

    def candidates(self, session: Session, cutoff: date) -> list[Candidate]:
        return [self._candidate(r) for r in FamilyStore(session.db).unused_since(cutoff)]

    def candidate(self, session: Session, record_id: int) -> Candidate | None:
        rows = FamilyStore(session.db).unused_since(date.max, record_id)
        return self._candidate(rows[0]) if rows else None

    def holds(self, session: Session, record_ids: Sequence[int]) -> dict[int, list[str]]:
        return {fid: [HOLD_INCIDENT] for fid in FamilyStore(session.db).incident_holds(list(record_ids))}

    def name_scope(self, session: Session, record_id: int) -> NameScope:
        """The family's adults' and children's names, and the records linked to it."""
        store = FamilyStore(session.db)
        names = [a["full_name"] for a in store.adults(record_id)]
        names += [c["full_name"] for c in store.children(record_id)]
        return family_name_scope(session.db, record_id, names)

    def dispose(self, session: Session, record_id: int) -> DisposalCounts:
        """Every row about the family; assessment agreements naming only this family go too,
        and closed summonses and police visits keep their record but lose the family link
        (an open summons holds the family back). Counts are of rows deleted; ``cleared`` lists
        what other records lost (never the names)."""
        store = FamilyStore(session.db)
        counts = DisposalCounts(store.row_counts(record_id))
        scope = self.name_scope(session, record_id)  # before the links go
        db = session.db
        # Closed summonses about the family keep their record but lose who applied and where,
        # their letters and the court papers attached to them (they name the family).
        summonses = SummonsStore(db)
        closed = summonses.closed_for_family(record_id)
        for summons_id in closed:
            summonses.clear_applicant(summons_id)
        if closed:
            counts.add_cleared({("summonses", "applicant"): len(closed),
                                ("summonses", "family link"): len(closed)})
        counts.add_cleared(drop_summons_papers(db, closed))
        store.delete_family(record_id, letters=False)
        agreements = AgreementStore(db).delete_for_family(record_id)
        if agreements:
            counts["assessment agreements"] = agreements
        summonses.unlink_closed_family(record_id)
        visits = PoliceStore(db).unlink_family(record_id)
        if visits:
            counts.add_cleared({("police_visits", "family link"): visits})
        # Then the names in the free text of the records that stay: whole everywhere, a first
        # or last name alone in the records linked to the family.
        counts.add_cleared(clear_names(db, scope, letter_text=pdf_text,
                                       document_text=read_document).counts())
        return counts


def sar_people(session: Session, family_id: int) -> builtins.list[tuple[str, str]]:
    """(subject_person key, label) for linking a subject access request to a family's adult."""
    session.actor.require(Permission.VIEW_FAMILIES)
    return [(f"adult:{a['id']}", f"{a['full_name']} ({a['role']})")
            for a in FamilyStore(session.db).adults(family_id)]


def family_sar(services: Services, request: SubjectAccessRequest) -> SarPart | None:
    session = services.session
    session.actor.require(Permission.VIEW_REPORTS)
    if request.subject_category != "family" or request.subject_record_id is None:
        return None
    store = FamilyStore(session.db)
    fam = store.get(request.subject_record_id)
    if fam is None:
        return None
    fid = fam["id"]
    me = request.subject_person or ""
    sections: list[SarSection] = []
    people = []
    for a in store.adults(fid):
        key = f"adult:{a['id']}"
        about = "" if key == me else key
        role = a["role"]
        people += [SarRow(f"{role.capitalize()}: name", a["full_name"], about)]
        for label, column in (("address", "address"), ("telephone", "phone"), ("email", "email")):
            if a[column]:
                people.append(SarRow(f"{role.capitalize()}: {label}", a[column], about))
        people.append(SarRow(f"{role.capitalize()}: ground rules and policy agreed",
                             ", ".join(format_date(date.fromisoformat(a[c])) if a[c] else "not recorded"
                                       for c in ("ground_rules_on", "policy_agreed_on")), about))
    for c in store.children(fid):
        key = f"child:{c['id']}"
        people += [SarRow("Child: name", c["full_name"], key),
                   SarRow("Child: date of birth", format_date(date.fromisoformat(c["date_of_birth"])), key)]
        if c["needs"]:
            people.append(SarRow("Child: needs", c["needs"], key))
    sections.append(SarSection(f"The family record {fam['reference']}", (
        SarRow("Referred on", format_date(date.fromisoformat(fam["referral_date"]))),
        SarRow("Referral status", fam["referral_status"]),
        SarRow("Kind of contact", fam["contact_kind"]),
        *people)))
    safety = []
    if fam["must_not_attend"]:
        safety.append(SarRow("People who must not attend", fam["must_not_attend"], violent_crime=True))
    if fam["safety_notes"]:
        safety.append(SarRow("Safety notes", fam["safety_notes"], violent_crime=True))
    if safety:
        sections.append(SarSection("Safety arrangements", tuple(safety)))
    attendance = [SarRow(format_date(date.fromisoformat(r["session_date"])),
                         f"arrived {r['arrived_at']}" + (f", left {r['left_at']}" if r["left_at"] else ""))
                  for r in BookingStore(session.db).attendance(fid, None, None)]
    if attendance:
        sections.append(SarSection("Attendance", tuple(attendance)))
    consents = []
    for c in ConsentStore(session.db).for_family(fid):
        key = f"adult:{c['adult_id']}"
        text = f"to {c['to_whom']}, for {c['purpose']}, given {format_date(date.fromisoformat(c['given_on']))} ({c['how']})"
        if c["withdrawn_on"]:
            text += f", withdrawn {format_date(date.fromisoformat(c['withdrawn_on']))}"
        consents.append(SarRow("Consent to share contact details", text, "" if key == me else key))
    if consents:
        sections.append(SarSection("Consents", tuple(consents)))
    disclosures = [SarRow(format_date(date.fromisoformat(d["requested_on"])),
                          f"{d['requested_by']} ({d['organisation'] or 'no organisation'}) asked for: "
                          f"{d['asked_for']}; answer: {d['answer']}",
                          violent_crime=d["answer"] == "beyond")
                   for d in DisclosureStore(session.db).for_family(fid)]
    if disclosures:
        sections.append(SarSection("Requests for information about the family", tuple(disclosures)))
    incidents = [SarRow(f"Incident on {format_date(date.fromisoformat(i['occurred_on']))}",
                        "(sealed record)", violent_crime=True)
                 for i in IncidentStore(session.db).for_family(fid)]
    if FamilyStore(session.db).has_restricted(fid):
        incidents.append(SarRow("Restricted notes", "(sealed record)", violent_crime=True))
    if incidents:
        sections.append(SarSection("Incidents", tuple(incidents)))
    return SarPart(sections)


# ---- rectification: correcting an adult's or a child's details -------------------------------
def _adult_reader(column: str):
    def read(services: Services, adult_id: int) -> str:
        services.session.actor.require(Permission.EDIT_FAMILIES)
        row = FamilyStore(services.session.db).adult(adult_id)
        if row is None:
            raise NotFound("That adult's record no longer exists.")
        return row[column] or ""
    return read


def _adult_writer(column: str):
    def write(services: Services, adult_id: int, value: str) -> None:
        session = services.session
        session.actor.require(Permission.EDIT_FAMILIES)
        store = FamilyStore(session.db)
        row = store.adult(adult_id)
        if row is None:
            raise NotFound("That adult's record no longer exists.")
        current = AdultInput(row["full_name"], AdultRole(row["role"]), row["address"], row["phone"],
                             row["email"], row["arrive_minutes_before"], row["leave_minutes_after"])
        # The same checks as editing the family.
        changed: dict[str, Any] = {column: value}
        values = services.families.check_adult(replace(current, **changed))
        store.update_adult(adult_id, {column: values[column]})
        store.reindex(row["family_id"])
        store.touch(row["family_id"], session.clock.today())
    return write


def _child_write(services: Services, child_id: int, value: str) -> None:
    session = services.session
    session.actor.require(Permission.EDIT_FAMILIES)
    store = FamilyStore(session.db)
    row = store.child(child_id)
    if row is None:
        raise NotFound("That child's record no longer exists.")
    name = clean_name(value, "full_name", "Child's name", limits.NAME)
    store.update_child(child_id, {"full_name": name, "date_of_birth": row["date_of_birth"],
                                  "needs": row["needs"]})
    store.reindex(row["family_id"])
    store.touch(row["family_id"], session.clock.today())


def _child_read(services: Services, child_id: int) -> str:
    services.session.actor.require(Permission.EDIT_FAMILIES)
    row = FamilyStore(services.session.db).child(child_id)
    if row is None:
        raise NotFound("That child's record no longer exists.")
    return row["full_name"]


def _touch_on_letter(session: Session, letter: StoredLetter) -> None:
    if letter.subject_type == "family" and letter.subject_id is not None:
        FamilyStore(session.db).touch(letter.subject_id, session.clock.today())


FAMILIES = Area(
    "families",
    dashboard=(families_section,),
    retention_sources=(FamilyRetentionSource(),),
    sar_sources=(family_sar,),
    rectifiers=(
        *(Rectifier("family_adult", column, label, Permission.EDIT_FAMILIES,
                    _adult_reader(column), _adult_writer(column))
          for column, label in (("full_name", "Name"), ("address", "Address"),
                                ("phone", "Telephone"), ("email", "Email"))),
        Rectifier("family_child", "full_name", "Child's name", Permission.EDIT_FAMILIES,
                  _child_read, _child_write),
    ),
    letter_subjects={"family": Permission.VIEW_FAMILIES},
    on_letter_stored=(_touch_on_letter,),
)

"""Families (policy clauses 1, 4, 5, 6, 11): referrals, people, safety, ground rules, consent,
incidents, reviews, search and the retention facts.

Who sees what
-------------
Coordinator and Chair hold every permission. A Session volunteer holds only RUN_REGISTER: the
register service (``models/services/register.py``) gives them names, times and safety
arrangements, and every method here refuses them, so addresses, phone numbers, emails, referral
details and incidents cannot be reached through any service call. Contact details are further
blanked for any actor without VIEW_CONTACT_DETAILS.
"""

from __future__ import annotations

import builtins
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, cast

from ccc_desktop.models import limits
from ccc_desktop.models.dates import add_months, parse_date
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.families_records import (
    NEXT_STATUS,
    Adult,
    AdultInput,
    AdultRole,
    Child,
    ChildInput,
    ContactKind,
    Family,
    FamilyRow,
    Referral,
    ReferralInput,
    ReferralStatus,
    RetentionCandidate,
    Route,
    Safety,
)
from ccc_desktop.models.records import DashboardItem, DashboardSection, Shown, StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.sealed import open_sealed, seal_text
from ccc_desktop.models.services.family_checks import (
    checked_name as _name,
)
from ccc_desktop.models.services.family_checks import (
    choice as _enum,
)
from ccc_desktop.models.services.family_checks import (
    optional_date as _d,
)
from ccc_desktop.models.services.family_consents import FamilyConsents
from ccc_desktop.models.services.family_incidents import FamilyIncidents
from ccc_desktop.models.services.volunteer_base import pad_sealed, unpad_sealed
from ccc_desktop.models.statistics_records import (
    CloseReason,
    DeclineReason,
    Key,
    dump,
    family_contribution,
)
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.family_rows import ConsentStore, IncidentStore
from ccc_desktop.models.storage.sealing import restricted_context
from ccc_desktop.models.storage.statistics import LedgerStore
from ccc_desktop.models.validation import clean_text

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

INCIDENT_HOLD = "incident: keep beyond three years"
NewFamily = tuple[ReferralInput, Sequence[AdultInput], Sequence[ChildInput]]
_Checked = tuple[dict[str, object], builtins.list[dict[str, object]], builtins.list[dict[str, object]]]


class FamilyNotAdded(ValidationError):
    """One of the families given to ``add_families`` failed a check: nothing was written.
    ``index`` says which; the message and ``field`` are the check's own."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(str(error), error.field)
        self.index = index


class FamilyService(FamilyConsents, FamilyIncidents):
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = FamilyStore(session.db)
        self.consents_store = ConsentStore(session.db)
        self.incidents_store = IncidentStore(session.db)

    # ---- helpers -------------------------------------------------------------------------
    def _require_family(self, family_id: int) -> Row:
        row = self.store.get(family_id)
        if row is None:
            raise NotFound("That family's record no longer exists.")
        return row

    def _adult(self, row: Row, contacts: bool) -> Adult:
        return Adult(
            id=row["id"], family_id=row["family_id"], full_name=row["full_name"],
            role=AdultRole(row["role"]),
            address=row["address"] if contacts else "", phone=row["phone"] if contacts else "",
            email=row["email"] if contacts else "",
            arrive_minutes_before=row["arrive_minutes_before"],
            leave_minutes_after=row["leave_minutes_after"],
            ground_rules_on=_d(row["ground_rules_on"]), policy_agreed_on=_d(row["policy_agreed_on"]))

    def _build(self, row: Row) -> Family:
        contacts = self.session.actor.can(Permission.VIEW_CONTACT_DETAILS)
        adults = tuple(self._adult(r, contacts) for r in self.store.adults(row["id"]))
        children = tuple(Child(id=r["id"], family_id=r["family_id"], full_name=r["full_name"],
                               date_of_birth=date.fromisoformat(r["date_of_birth"]), needs=r["needs"])
                         for r in self.store.children(row["id"]))
        reviews = tuple((date.fromisoformat(r["reviewed_on"]), r["notes"])
                        for r in self.store.reviews(row["id"]))
        first = _d(self.store.first_session(row["id"]))
        status = ReferralStatus(row["referral_status"])
        due = next_review_due(first, reviews[-1][0] if reviews else None) \
            if status is ReferralStatus.ACCEPTED else None
        staggers = tuple((a.full_name, a.role.value, a.arrive_minutes_before, a.leave_minutes_after)
                         for a in adults if a.arrive_minutes_before or a.leave_minutes_after)
        return Family(
            id=row["id"], reference=row["reference"],
            referral=Referral(
                referral_date=date.fromisoformat(row["referral_date"]),
                route=Route(row["referral_route"]), referrer_name=row["referrer_name"],
                referrer_organisation=row["referrer_organisation"],
                referrer_contact=row["referrer_contact"], court_order=bool(row["court_order"]),
                contact_kind=ContactKind(row["contact_kind"]), status=status,
                previsit_on=_d(row["previsit_on"]), previsit_by=row["previsit_by"],
                previsit_notes=row["previsit_notes"]),
            adults=adults, children=children,
            safety=Safety(row["must_not_attend"], row["safety_notes"], staggers),
            first_session_on=first, next_review_due=due, reviews=reviews,
            last_used_on=date.fromisoformat(row["last_used_on"]),
            created_at=row["created_at"], updated_at=row["updated_at"])

    def _edited(self, family_id: int, action: str, detail: str = "") -> None:
        """Inside a transaction: reindex, move last used, audit."""
        self.store.reindex(family_id)
        self.store.touch(family_id, self._today())
        self.session.audit.record(action, "family", family_id, detail)

    # ---- creating and reading ------------------------------------------------------------
    def create(self, referral: ReferralInput, adults: builtins.list[AdultInput],
               children: builtins.list[ChildInput]) -> int:
        return self.add_families([(referral, adults, children)])[0]

    def _check_family(self, referral: ReferralInput, adults: Sequence[AdultInput],
                      children: Sequence[ChildInput]) -> _Checked:
        ref_values = self._check_referral(referral)
        if not adults:
            raise ValidationError("Add at least one adult.", "adults")
        return (ref_values, [self.check_adult(a, f"adults.{i}.") for i, a in enumerate(adults)],
                [self._check_child(c, f"children.{i}.") for i, c in enumerate(children)])

    def add_families(self, families: Sequence[NewFamily]) -> builtins.list[int]:
        """New families (referral, adults, children), each checked as ``create`` checks one,
        written in one transaction with an audit entry each; the ids in order. A family that
        fails a check stops the lot (``FamilyNotAdded`` says which). With the seal key (always,
        for the Coordinator and Chair who may add families) the rows go in sealed, a few
        statements for the whole batch: an import of thousands of rows uses this."""
        self.session.actor.require(Permission.EDIT_FAMILIES)
        checked: builtins.list[_Checked] = []
        for i, (referral, adults, children) in enumerate(families):
            try:
                checked.append(self._check_family(referral, adults, children))
            except ValidationError as exc:
                raise FamilyNotAdded(i, exc) from None
        db = self.session.db
        with db.transaction():
            if db.sealer is None:
                ids = [self._insert_one(*c) for c in checked]
            else:
                ledger = LedgerStore(db)
                adds = [family_contribution(ledger.new_family_facts(
                    ref, [cast(date, c["date_of_birth"]) for c in kids])) for ref, _a, kids in checked]
                ids = self.store.insert_many(
                    [(ref, grown, kids, dump(add))
                     for (ref, grown, kids), add in zip(checked, adds, strict=True)],
                    self._now(), self._today())
                total: Counter[Key] = Counter()
                for add in adds:
                    total.update(add)
                ledger.add({k: n for k, n in total.items() if n})
            for family_id, (_ref, grown, kids) in zip(ids, checked, strict=True):
                self.session.audit.record("family created", "family", family_id,
                                          f"{len(grown)} adults, {len(kids)} children")
        return ids

    def _insert_one(self, ref_values: dict[str, object], adult_values: builtins.list[dict[str, object]],
                    child_values: builtins.list[dict[str, object]]) -> int:
        """One family the way every store writes a row (sealed at the next manager unlock)."""
        family_id = self.store.insert(ref_values, self._now(), self._today())
        for v in adult_values:
            self.store.insert_adult(family_id, v)
        for v in child_values:
            self.store.insert_child(family_id, v)
        self.store.reindex(family_id)
        self.store.touch(family_id, self._today())
        return family_id

    def get(self, family_id: int) -> Family:
        """Opening a record is itself written to the audit trail."""
        actor = self.session.actor
        actor.require(Permission.VIEW_FAMILIES)
        row = self._require_family(family_id)
        family = self._build(row)
        self.session.audit.record("family opened", "family", family_id)
        return family

    def reference(self, family_id: int) -> str:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return self._require_family(family_id)["reference"]

    def references(self, family_ids: Iterable[int | None]) -> dict[int, str]:
        """The references of the given families (one query, for a list that shows many); a
        family no longer on file is left out."""
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return self.store.references(sorted({f for f in family_ids if f is not None}))

    def search(self, text: str, limit: int = 500) -> builtins.list[FamilyRow]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        ids = None if not (text or "").strip() else self.store.search(text, limit)
        rows = self.store.list_rows(ids, limit)
        return [FamilyRow(id=r["id"], reference=r["reference"], adults=r["adults"] or "",
                          children=r["children"] or "", status=ReferralStatus(r["referral_status"]),
                          last_used_on=date.fromisoformat(r["last_used_on"])) for r in rows]

    def count(self) -> int:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return self.store.count()

    # ---- editing -------------------------------------------------------------------------
    def update_referral(self, family_id: int, referral: ReferralInput) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        self._require_family(family_id)
        values = self._check_referral(referral)
        with self.session.db.transaction():
            self.store.update(family_id, values, self._now())
            self._edited(family_id, "referral changed", "fields: " + ", ".join(sorted(values)))

    def record_previsit(self, family_id: int, on: str, by: str, notes: str) -> None:
        """Books (a future date) or records (today or past) the pre-visit."""
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self._require_family(family_id)
        when = parse_date(on, "previsit_on", "Pre-visit date")
        by = _name(by, "previsit_by", "Pre-visit by")
        status = ReferralStatus(row["referral_status"])
        if status in (ReferralStatus.DECLINED, ReferralStatus.CLOSED):
            raise ValidationError(f"The referral is {status.value}: no pre-visit can be recorded.",
                                  "previsit_on")
        new_status = status
        if status in (ReferralStatus.RECEIVED, ReferralStatus.PREVISIT_BOOKED):
            new_status = (ReferralStatus.PREVISIT_DONE if when <= self._today()
                          else ReferralStatus.PREVISIT_BOOKED)
        with self.session.db.transaction():
            self.store.update(family_id, {"previsit_on": when, "previsit_by": by,
                                          "previsit_notes": clean_text(notes, "previsit_notes",
                                                                       "Pre-visit notes", limits.NOTES),
                                          "referral_status": new_status.value}, self._now())
            self._edited(family_id, "pre-visit recorded", f"status {new_status.value}")

    def set_status(self, family_id: int, status: ReferralStatus | str, reason: str = "",
                   note: str = "") -> None:
        """Move a referral on. Declining asks why (``DeclineReason``), closing asks why
        (``CloseReason``); 'other' needs a note. The day it happens is kept for the statistics."""
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self._require_family(family_id)
        new = _enum(ReferralStatus, status, "status", "Referral status")
        old = ReferralStatus(row["referral_status"])
        if new is old:
            return
        if new not in NEXT_STATUS[old]:
            raise ValidationError(f"Referral status: a referral that is {old.value} cannot become "
                                  f"{new.value}.", "status")
        visited = (row["previsit_on"] and row["previsit_by"]
                   and date.fromisoformat(row["previsit_on"]) <= self._today())
        if new in (ReferralStatus.ACCEPTED, ReferralStatus.PREVISIT_DONE) and not visited:
            raise ValidationError("Referral status: record the pre-visit (the date it took place "
                                  "and who did it) first.", "status")
        note = clean_text(note, "note", "Note", limits.REASON)
        today = self._today()
        values: dict[str, object] = {"referral_status": new.value}
        detail = f"{old.value} -> {new.value}"
        if new is ReferralStatus.ACCEPTED:
            values["accepted_on"] = today
        elif new is ReferralStatus.DECLINED:
            why = self._reason(DeclineReason, reason, note, "Why it was turned down")
            values.update(declined_on=today, decline_reason=why.value, close_note=note)
            detail += f"; reason: {why.value}"
        elif new is ReferralStatus.CLOSED:
            why = self._reason(CloseReason, reason, note, "Why it closed")
            values.update(closed_on=today, close_reason=why.value, close_note=note)
            detail += f"; reason: {why.value}"
        with self.session.db.transaction():
            self.store.update(family_id, values, self._now())
            if new is ReferralStatus.CLOSED:
                from ccc_desktop.models.services.waiting import leave_on_close

                leave_on_close(self.session, family_id)
            self._edited(family_id, "referral status changed", detail)

    @staticmethod
    def _reason(kind: type[CloseReason] | type[DeclineReason], reason: str, note: str,
                label: str) -> CloseReason | DeclineReason:
        if not (reason or "").strip():
            raise ValidationError(f"{label}: choose a reason.", "reason")
        try:
            why = kind(reason)
        except ValueError:
            raise ValidationError(f"{label}: choose one of the reasons.", "reason") from None
        if why.value == "not recorded":
            raise ValidationError(f"{label}: choose one of the reasons.", "reason")
        if why.value == "other" and not note:
            raise ValidationError(f"{label}: say why in the note.", "note")
        return why

    def closing(self, family_id: int) -> tuple[str | None, str | None, str]:
        """(decline reason, close reason, note) as recorded, for the family's record."""
        self.session.actor.require(Permission.VIEW_FAMILIES)
        self._require_family(family_id)
        r = self.store.closing(family_id)
        return r["decline_reason"], r["close_reason"], r["close_note"]

    def add_adult(self, family_id: int, adult: AdultInput) -> int:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        self._require_family(family_id)
        values = self.check_adult(adult)
        with self.session.db.transaction():
            adult_id = self.store.insert_adult(family_id, values)
            self._edited(family_id, "adult added", f"adult {adult_id}")
        return adult_id

    def update_adult(self, adult_id: int, adult: AdultInput) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self.store.adult(adult_id)
        if row is None:
            raise NotFound("That adult's record no longer exists.")
        values = self.check_adult(adult)
        changed = sorted(k for k, v in values.items()
                         if (v.isoformat() if isinstance(v, date) else v) != row[k])
        with self.session.db.transaction():
            self.store.update_adult(adult_id, values)
            self._edited(row["family_id"], "adult changed",
                         f"adult {adult_id}; fields: {', '.join(changed) or 'none'}")

    def remove_adult(self, adult_id: int) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self.store.adult(adult_id)
        if row is None:
            raise NotFound("That adult's record no longer exists.")
        with self.session.db.transaction():
            self.store.delete_adult(adult_id)
            self._edited(row["family_id"], "adult removed", f"adult {adult_id}")

    def record_ground_rules(self, adult_id: int, ground_rules_on: str, policy_agreed_on: str) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self.store.adult(adult_id)
        if row is None:
            raise NotFound("That adult's record no longer exists.")
        values = {
            "ground_rules_on": self._past_date(ground_rules_on, "ground_rules_on", "Ground rules agreed"),
            "policy_agreed_on": self._past_date(policy_agreed_on, "policy_agreed_on", "Policy agreed"),
        }
        with self.session.db.transaction():
            self.store.update_adult(adult_id, values)
            self._edited(row["family_id"], "ground rules recorded", f"adult {adult_id}")

    def add_child(self, family_id: int, child: ChildInput) -> int:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        self._require_family(family_id)
        values = self._check_child(child)
        with self.session.db.transaction():
            child_id = self.store.insert_child(family_id, values)
            self._edited(family_id, "child added", f"child {child_id}")
        return child_id

    def update_child(self, child_id: int, child: ChildInput) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self.store.child(child_id)
        if row is None:
            raise NotFound("That child's record no longer exists.")
        values = self._check_child(child)
        with self.session.db.transaction():
            self.store.update_child(child_id, values)
            self._edited(row["family_id"], "child changed", f"child {child_id}")

    def remove_child(self, child_id: int) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self.store.child(child_id)
        if row is None:
            raise NotFound("That child's record no longer exists.")
        with self.session.db.transaction():
            self.store.delete_child(child_id)
            self._edited(row["family_id"], "child removed", f"child {child_id}")

    def set_safety(self, family_id: int, must_not_attend: str, safety_notes: str) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        self._require_family(family_id)
        values = {"must_not_attend": clean_text(must_not_attend, "must_not_attend",
                                                "Must not attend", limits.TEXT),
                  "safety_notes": clean_text(safety_notes, "safety_notes", "Safety notes",
                                             limits.LONG_NOTES)}
        with self.session.db.transaction():
            self.store.update(family_id, values, self._now())
            self._edited(family_id, "safety arrangements changed")

    # ---- restricted notes (sealed) --------------------------------------------------------
    def restricted_notes(self, family_id: int) -> str:
        """Notes only the Coordinator and Chair read, sealed with the second key. Reading them is
        audited."""
        actor = self.session.actor
        actor.require(Permission.VIEW_RESTRICTED)
        self._require_family(family_id)
        text = unpad_sealed(open_sealed(self.session, self.store.restricted(family_id),
                                        restricted_context(family_id)))
        self.session.audit.record("restricted notes opened", "family", family_id)
        return text

    def has_restricted_notes(self, family_id: int) -> bool:
        """Opens the sealed notes to tell (storage: every family holds them, empty until
        written); not audited, as nothing is read out."""
        self.session.actor.require(Permission.VIEW_RESTRICTED)
        self._require_family(family_id)
        return self.store.has_restricted(family_id)

    def set_restricted_notes(self, family_id: int, text: str) -> None:
        actor = self.session.actor
        actor.require(Permission.VIEW_RESTRICTED)
        actor.require(Permission.EDIT_FAMILIES)
        self._require_family(family_id)
        text = clean_text(text, "restricted_notes", "Restricted notes", limits.LONG_NOTES)
        # Padded to 1 KiB steps (migration 0026), so its length does not say how much was
        # written; cleared notes are sealed empty text (0029), so that there were any does not show.
        sealed = seal_text(self.session, pad_sealed(text), restricted_context(family_id))
        with self.session.db.transaction():
            self.store.set_restricted(family_id, sealed, self._now())
            self._edited(family_id, "restricted notes changed" if text else "restricted notes cleared")

    def record_review(self, family_id: int, on: str, notes: str = "") -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        self._require_family(family_id)
        when = self._past_date(on, "reviewed_on", "Review date")
        assert when is not None
        notes = clean_text(notes, "notes", "Review notes", limits.NOTES)
        with self.session.db.transaction():
            self.store.add_review(family_id, when, notes, self._now())
            self._edited(family_id, "review recorded")

    # ---- letters -------------------------------------------------------------------------
    def letters(self, family_id: int) -> Shown[StoredLetter]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return self.services.letters.for_subject("family", family_id)

    # ---- dashboard and retention ---------------------------------------------------------
    def reviews_due(self, within_days: int = 30) -> builtins.list[tuple[int, str, date]]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        today = self._today()
        out = []
        for r in self.store.review_facts():
            due = next_review_due(_d(r["first_session"]), _d(r["last_review"]))
            if due is not None and (due - today).days <= within_days:
                out.append((r["id"], r["reference"], due))
        return sorted(out, key=lambda x: x[2])

    def lacking_ground_rules(self) -> builtins.list[tuple[int, str]]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return [(r["id"], r["reference"]) for r in self.store.lacking_ground_rules()]

    def retention_candidates(self) -> builtins.list[RetentionCandidate]:
        """Every family with its last-used date and any hold; the disposal service decides."""
        self.session.actor.require(Permission.DISPOSE_RECORDS)
        return [RetentionCandidate(family_id=r["id"], reference=r["reference"],
                                   last_used_on=date.fromisoformat(r["last_used_on"]),
                                   holds=(INCIDENT_HOLD,) if r["incident_holds"] else ())
                for r in self.store.retention_rows()]


def next_review_due(first_session: date | None, last_review: date | None) -> date | None:
    """Three months after the first session, then six-monthly."""
    if first_session is None:
        return None
    if last_review is None or last_review < first_session:
        return add_months(first_session, 3)
    return add_months(last_review, 6)


def families_section(services: Services) -> DashboardSection | None:
    actor = services.session.actor
    if not actor.can(Permission.VIEW_FAMILIES):
        return None
    fam = services.families
    today = services.session.clock.today()
    items = []
    lacking = fam.lacking_ground_rules()
    if lacking:
        n = len(lacking)
        items.append(DashboardItem(
            f"{n} {'family has' if n == 1 else 'families have'} an adult without the ground rules "
            "and policy agreed (no bookings until they are).", "info", "families"))
    for _family_id, reference, due in fam.reviews_due():
        overdue = due < today
        items.append(DashboardItem(f"Family {reference}: review {'overdue' if overdue else 'due'}",
                                   "overdue" if overdue else "warning", "families", due))
    return DashboardSection("Families", items, order=20,
                            empty_text="No reviews due and every adult has agreed the ground rules.")

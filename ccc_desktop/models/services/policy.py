"""The confidentiality policy (clauses 11 and 12): its text with versions, and annual reviews."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.documents.policy import policy_pdf
from ccc_desktop.models import limits
from ccc_desktop.models.dates import add_months, format_date, parse_date
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.legal_records import PolicyReview, PolicyReviewStatus, PolicyVersion
from ccc_desktop.models.records import DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.storage.legal import PolicyStore
from ccc_desktop.models.validation import clean_name, clean_text
from ccc_desktop.resources import read_text

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

REVIEW_MONTHS = 12
WARN_DAYS = 30


def shipped_policy() -> str:
    return read_text("policy", "confidentiality-policy.txt").strip() + "\n"


class PolicyService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = PolicyStore(session.db)

    # ---- the text ------------------------------------------------------------------------------
    def current(self) -> PolicyVersion:
        """The policy in force; every role may read it (clause 11)."""
        self.session.actor.require(Permission.VIEW_POLICY)
        version = self.store.current()
        if version is None:
            return PolicyVersion(None, 0, shipped_policy(), "The shipped policy text", "", "")
        return version

    def versions(self) -> list[PolicyVersion]:
        self.session.actor.require(Permission.VIEW_POLICY)
        return self.store.versions()

    def version(self, version_id: int) -> PolicyVersion:
        self.session.actor.require(Permission.VIEW_POLICY)
        v = self.store.version(version_id)
        if v is None:
            raise NotFound("That version of the policy no longer exists.")
        return v

    def save(self, body: str, note: str) -> PolicyVersion:
        """A new version; earlier ones are kept."""
        actor = self.session.actor
        actor.require(Permission.EDIT_TEMPLATES)
        # No visible text (only spaces, zero-width or control characters) counts as empty.
        body = clean_text(body, "body", "Policy text", limits.POLICY, need=True)
        note = clean_text(note, "note", "What changed", limits.REASON)
        if not note:
            raise ValidationError("What changed: say briefly what this version changes.", "note")
        if body + "\n" == self.current().body or body == self.current().body:
            raise ValidationError("Policy text: nothing has changed.", "body")
        with self.session.db.transaction():
            new_id = self.store.add_version(body + "\n", note,
                                            self.session.clock.now().isoformat(timespec="seconds"),
                                            actor.account_id)
            self.session.audit.record("policy changed", "policy", new_id,
                                      f"{len(body)} characters")
        return self.version(new_id)

    def restore_shipped(self, note: str = "Back to the shipped text") -> PolicyVersion:
        return self.save(shipped_policy(), note)

    def pdf(self, version_id: int | None = None) -> bytes:
        """The policy as an A4 PDF for anyone who asks; printing it is audited by the caller."""
        version = self.current() if version_id is None else self.version(version_id)
        centre = self.services.centre.details()
        return policy_pdf(centre, version, self.review_status().last_review)

    def record_output(self, how: str) -> None:
        """how: 'printed' or 'saved as PDF'."""
        self.session.actor.require(Permission.VIEW_POLICY)
        self.session.audit.record(f"policy {how}", "policy", "")

    # ---- reviews -------------------------------------------------------------------------------
    def record_review(self, reviewed_on: str, reviewed_by: str, changes: str) -> PolicyReview:
        actor = self.session.actor
        actor.require(Permission.EDIT_TEMPLATES)
        when = parse_date(reviewed_on, "reviewed_on", "Reviewed on")
        if when > self.session.clock.today():
            raise ValidationError(f"Reviewed on: {format_date(when)} is in the future.", "reviewed_on")
        who = clean_name(reviewed_by, "reviewed_by", "Reviewed by", limits.ORGANISATION, need=False)
        if not who:
            raise ValidationError("Reviewed by: say who reviewed the policy.", "reviewed_by")
        changes = clean_text(changes, "changes", "Changes", limits.NOTES) or "No changes"
        current = self.store.current()
        with self.session.db.transaction():
            new_id = self.store.add_review(when, who, changes, current.id if current else None,
                                           self.session.clock.now().isoformat(timespec="seconds"),
                                           actor.account_id)
            self.session.audit.record("policy review recorded", "policy review", new_id,
                                      f"reviewed on {when.isoformat()}")
        return next(r for r in self.store.reviews() if r.id == new_id)

    def reviews(self) -> list[PolicyReview]:
        self.session.actor.require(Permission.VIEW_POLICY)
        return self.store.reviews()

    def review_status(self) -> PolicyReviewStatus:
        self.session.actor.require(Permission.VIEW_POLICY)
        reviews = self.store.reviews()
        last = reviews[0] if reviews else None
        if last is None:
            return PolicyReviewStatus(None, None, None)
        due = add_months(last.reviewed_on, REVIEW_MONTHS)
        return PolicyReviewStatus(last, due, (due - self.session.clock.today()).days)


def policy_section(services: Services) -> DashboardSection | None:
    if not services.session.actor.can(Permission.EDIT_TEMPLATES):
        return None
    status = services.policy.review_status()
    items = []
    if status.next_due is None:
        items.append(DashboardItem(
            "No review of the confidentiality policy is recorded yet (clause 12: it is reviewed "
            "every year). Record the last review.", "warning", "policy"))
        return DashboardSection("Confidentiality policy", items, order=800)
    assert status.days_left is not None
    due: date = status.next_due
    if status.days_left < 0:
        items.append(DashboardItem(
            "The confidentiality policy's annual review is overdue.",
            "overdue", "policy", due))
    elif status.days_left <= WARN_DAYS:
        items.append(DashboardItem(
            f"The policy's annual review is due in {status.days_left} "
            f"day{'s' if status.days_left != 1 else ''}.", "warning", "policy", due))
    return DashboardSection("Confidentiality policy", items, order=800,
                            empty_text=f"Next annual review due on {format_date(due)}.")


POLICY = Area("policy", dashboard=(policy_section,))

"""The confidentiality policy in the app: versions, PDF, annual reviews and the dashboard warning."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.services.policy import policy_section, shipped_policy
from ccc_desktop.resources import resource_path


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_the_shipped_policy_is_the_reference_text(coordinator) -> None:
    text = resource_path("policy", "confidentiality-policy.txt").read_text("utf-8")
    current = coordinator.policy.current()
    assert current.id is None and current.body.strip() == text.strip()
    assert "Volunteers must not make verbal or written reports" in current.body


def test_edits_make_versions_and_keep_the_old_ones(coordinator, chair) -> None:
    v1 = coordinator.policy.save(shipped_policy() + "\n13. A new clause.", "Added clause 13")
    v2 = chair.policy.save(v1.body.replace("13. A new clause.", "13. A better clause."), "Reworded 13")
    assert (v1.number, v2.number) == (1, 2)
    assert coordinator.policy.current().id == v2.id
    assert [v.note for v in coordinator.policy.versions()] == ["Reworded 13", "Added clause 13"]
    assert "A new clause" in coordinator.policy.version(v1.id).body
    assert coordinator.policy.versions()[0].created_by_name == "Margaret Holt"
    back = coordinator.policy.restore_shipped()
    assert back.body.strip() == shipped_policy().strip() and back.number == 3


@pytest.mark.parametrize("body,note,field", [
    ("", "x", "body"), ("Some text", "", "note"), (None, "no change", "body"),
])
def test_bad_policy_edits(coordinator, body, note, field) -> None:
    with pytest.raises(ValidationError) as err:
        coordinator.policy.save(shipped_policy() if body is None else body, note)
    assert err.value.field == field
    assert coordinator.policy.versions() == []


def test_policy_prints_as_a_pdf_for_anyone(volunteer, coordinator) -> None:
    text = pdf_text(volunteer.policy.pdf())
    assert "Chesterfield Child Contact Centre Confidentiality Policy" in text
    assert "Volunteers must not make verbal or written reports in any family court proceedings" in text
    assert "Police at the Centre" in text
    volunteer.policy.record_output("printed")
    assert coordinator.audit.entries(coordinator.session.actor, "policy printed")


def test_reviews_set_the_next_due_date_and_the_dashboard_warns_30_days_ahead(coordinator, clock) -> None:
    section = policy_section(coordinator)
    assert section is not None and section.items[0].severity == "warning"
    assert "No review" in section.items[0].text
    coordinator.policy.record_review("10/01/2026", "Management committee", "Updated clause 8 (DBS)")
    status = coordinator.policy.review_status()
    assert status.next_due is not None and status.next_due.isoformat() == "2027-01-10"
    assert status.last_review is not None and status.last_review.changes == "Updated clause 8 (DBS)"
    section = policy_section(coordinator)
    assert section is not None and section.items == []  # 45 days away
    assert "10 Jan 2027" in section.empty_text
    clock.advance(days=15)  # 11 Dec 2026: 30 days to go
    item = policy_section(coordinator).items[0]  # type: ignore[union-attr]
    assert item.severity == "warning" and "due in 30 days" in item.text
    assert item.due is not None and item.due.isoformat() == "2027-01-10" and item.tab == "policy"
    clock.advance(days=-1)  # 31 days to go: quiet
    assert policy_section(coordinator).items == []  # type: ignore[union-attr]
    clock.advance(days=32)  # 11 Jan 2027
    item = policy_section(coordinator).items[0]  # type: ignore[union-attr]
    assert item.severity == "overdue" and "overdue" in item.text
    assert item.due is not None and item.due.isoformat() == "2027-01-10"
    coordinator.policy.record_review("11/01/2027", "Margaret Holt and committee", "")
    assert coordinator.policy.review_status().next_due.isoformat() == "2028-01-11"  # type: ignore[union-attr]
    assert [r.changes for r in coordinator.policy.reviews()] == ["No changes", "Updated clause 8 (DBS)"]


@pytest.mark.parametrize("on,by,field", [("27/11/2026", "Chair", "reviewed_on"), ("x", "Chair", "reviewed_on"),
                                         ("01/11/2026", " ", "reviewed_by")])
def test_bad_reviews(coordinator, on, by, field) -> None:
    with pytest.raises(ValidationError) as err:
        coordinator.policy.record_review(on, by, "")
    assert err.value.field == field


def test_volunteer_reads_the_policy_but_changes_nothing(volunteer) -> None:
    assert volunteer.policy.current().body
    assert volunteer.policy.reviews() == []
    volunteer.policy.review_status()
    for call in (lambda: volunteer.policy.save("New text", "mine"),
                 lambda: volunteer.policy.record_review("01/11/2026", "Sam", ""),
                 lambda: volunteer.policy.restore_shipped()):
        with pytest.raises(PermissionDenied):
            call()
    assert policy_section(volunteer) is None

"""Subject access requests (DP principle 6) and rectification."""

from __future__ import annotations

import io
from datetime import date

import pytest
from dataprot_fakes import FakeSource, with_sar_source
from pypdf import PdfReader

from ccc_desktop.models.errors import NotFound, PermissionDenied, ValidationError
from ccc_desktop.models.services.subject_access import (
    REASON_THIRD_PARTY,
    REASON_VIOLENT_CRIME,
    SarRow,
    sort_rows,
)


@pytest.fixture
def family(monkeypatch, coordinator) -> FakeSource:
    fam = FakeSource("family", "last used", "F")
    fam.install(coordinator.session)
    with_sar_source(monkeypatch, coordinator, fam.sar)
    return fam


def text_of(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_a_request_is_due_one_calendar_month_after_it_was_received(coordinator) -> None:
    sar = coordinator.subject_access
    r = sar.log("Dana Whitfield", "Seen photo ID in person", "15/11/2026")
    assert (r.received_on, r.due_on, r.status) == (date(2026, 11, 15), date(2026, 12, 15), "open")
    assert sar.log("A", "ID", "31/01/2026").due_on == date(2026, 2, 28)
    assert sar.log("B", "ID", date(2024, 1, 31)).due_on == date(2024, 2, 29)  # leap year
    assert sar.log("C", "ID", "30/12/2025").due_on == date(2026, 1, 30)
    assert r.days_left(date(2026, 11, 26)) == 19
    entry = coordinator.audit.entries(coordinator.session.actor, "subject access request logged")[0]
    assert "Dana" not in entry.detail and "Whitfield" not in entry.detail


@pytest.mark.parametrize("args, field", [
    (("", "Photo ID", "01/11/2026"), "requester_name"),
    (("Dana", "  ", "01/11/2026"), "identity_check"),
    (("Dana", "Photo ID", "32/01/2026"), "received_on"),
    (("Dana", "Photo ID", "2026-11-01"), "received_on"),
    (("Dana", "Photo ID", "27/11/2026"), "received_on"),  # tomorrow
])
def test_bad_requests_are_refused_by_the_field(coordinator, args, field) -> None:
    with pytest.raises(ValidationError) as err:
        coordinator.subject_access.log(*args)
    assert err.value.field == field
    assert coordinator.subject_access.list() == []


def test_volunteers_cannot_see_or_log_requests(volunteer) -> None:
    with pytest.raises(PermissionDenied):
        volunteer.subject_access.log("X", "ID", "01/11/2026")
    with pytest.raises(PermissionDenied):
        volunteer.subject_access.list()


def test_closing_a_request(coordinator) -> None:
    sar = coordinator.subject_access
    r = sar.log("Dana Whitfield", "Photo ID", "10/11/2026")
    with pytest.raises(ValidationError):
        sar.close(r.id, "lost")
    with pytest.raises(ValidationError, match="before the request"):
        sar.close(r.id, "answered", date(2026, 11, 1))
    sar.close(r.id, "answered")
    assert sar.list(open_only=True) == []
    assert sar.get(r.id).closed_on == date(2026, 11, 26)
    with pytest.raises(ValidationError, match="already closed"):
        sar.close(r.id, "withdrawn")


def test_dashboard_shows_open_requests_with_days_left(coordinator, clock) -> None:
    sar = coordinator.subject_access
    sar.log("Dana Whitfield", "Photo ID", "20/11/2026")  # due 20 Dec: 24 days
    sar.log("Errol Pike", "Photo ID", "01/10/2026")  # due 1 Nov: overdue by 25 days
    sar.log("Fay Lund", "Photo ID", "01/11/2026")  # due 1 Dec: 5 days
    closed = sar.log("Gil Roe", "Photo ID", "01/11/2026")
    sar.close(closed.id, "withdrawn")
    section = next(s for s in coordinator.dashboard.sections() if s.title == "Subject access requests")
    got = [(i.text, i.severity, i.due) for i in section.items]
    assert got == [
        ("Subject access request from Errol Pike: overdue by 25 days", "overdue", date(2026, 11, 1)),
        ("Subject access request from Fay Lund: 5 days left", "warning", date(2026, 12, 1)),
        ("Subject access request from Dana Whitfield: 24 days left", "info", date(2026, 12, 20)),
    ]


def test_assembler_withholds_other_people_and_the_violent_crime_exemption() -> None:
    rows = (SarRow("Name", "Ann", about="parent_a"), SarRow("Address", "1 Road", about="parent_b"),
            SarRow("Risk", "x", violent_crime=True), SarRow("Visit", "3 May"))
    keep, out = sort_rows("Family", rows, "parent_a")
    assert [r.label for r in keep] == ["Name", "Visit"]
    assert [(w.item, w.reason) for w in out] == [("Address", REASON_THIRD_PARTY), ("Risk", REASON_VIOLENT_CRIME)]


def test_response_holds_the_persons_data_and_never_the_other_parents(coordinator, family) -> None:
    s = coordinator.session
    rid = family.add(s, "Harriet Oyelaran", date(2026, 10, 3), visits=["Visit with Leo, 3 Oct 2026"],
                     other_parent_address="14 Secret Close, Dronfield S18 2ZZ",
                     violent_note="Police marker: threats made on 2 Sep")
    r = coordinator.subject_access.log("Harriet Oyelaran", "Seen photo ID in person", "20/11/2026",
                                       "family", rid, "parent_a")
    docs = coordinator.subject_access.produce(r.id)
    assert docs.withheld == 2
    response = text_of(coordinator.letters.open(docs.response_letter_id))
    assert "Harriet Oyelaran" in response
    assert "Visit with Leo, 3 Oct 2026" in response
    assert "Seen photo ID in person" in response
    assert "Secret Close" not in response and "S18 2ZZ" not in response
    assert "Police marker" not in response
    internal = text_of(coordinator.letters.open(docs.internal_letter_id))
    assert "Other parent's address" in internal and REASON_THIRD_PARTY in internal
    assert "Risk note" in internal and "prevent crime due to violence" in internal
    assert "Secret Close" not in internal and "Police marker" not in internal  # values never printed
    kept = coordinator.subject_access.documents(r.id)
    assert {k.kind for k in kept} == {"sar-response", "sar-withheld"}


def test_response_for_the_other_parent_withholds_the_first_parents_rows(coordinator, family) -> None:
    rid = family.add(coordinator.session, "Harriet Oyelaran", date(2026, 10, 3),
                     other_parent_address="14 Secret Close")
    r = coordinator.subject_access.log("Ivan Oyelaran", "Photo ID", "20/11/2026", "family", rid, "parent_b")
    response = coordinator.subject_access.assemble(r.id)
    labels = [row.label for section in response.sections for row in section.rows]
    assert "Other parent's address" in labels  # it is Ivan's own address
    assert {w.item for w in response.withheld} == {"Name", "Last visit"}


def test_rectification_corrects_a_field_and_audits_without_values(coordinator, volunteer) -> None:
    r = coordinator.subject_access.log("Dana Whitfeild", "Photo ID", "20/11/2026")
    fix = coordinator.rectification
    assert {f.field for f in fix.fields("subject_access")} >= {"requester_name", "identity_check"}
    fix.correct("subject_access", r.id, "requester_name", "Dana Whitfield", request_id=r.id)
    assert coordinator.subject_access.get(r.id).requester_name == "Dana Whitfield"
    entry = coordinator.audit.for_record(coordinator.session.actor, "subject_access", r.id)[-1]
    assert entry.action == "record corrected"
    assert "requester_name" in entry.detail and "Whitf" not in entry.detail
    with pytest.raises(ValidationError, match="same as"):
        fix.correct("subject_access", r.id, "requester_name", "Dana Whitfield")
    with pytest.raises(ValidationError) as err:
        fix.correct("subject_access", r.id, "requester_name", "  ")
    assert err.value.field == "requester_name"
    assert coordinator.subject_access.get(r.id).requester_name == "Dana Whitfield"
    with pytest.raises(NotFound):
        fix.correct("subject_access", r.id, "status", "answered")
    with pytest.raises(PermissionDenied):
        volunteer.rectification.correct("subject_access", r.id, "requester_name", "X")


def test_closed_requests_themselves_fall_due_three_years_after_closing(coordinator) -> None:
    from conftest import COORDINATOR

    sar = coordinator.subject_access
    due = sar.log("Kit Ramsden", "Photo ID", "01/11/2023")
    sar.produce(due.id)
    sar.close(due.id, "answered", date(2023, 11, 26))  # exactly three years ago
    soon = sar.log("Lou Brearley", "Photo ID", "01/11/2023")
    sar.close(soon.id, "withdrawn", date(2023, 11, 27))
    linked = sar.log("Mo Haigh", "Photo ID", "01/11/2023", "family", 7)
    sar.close(linked.id, "answered", date(2023, 11, 20))  # goes with family 7, not on its own
    sar.log("Nell Firth", "Photo ID", "01/11/2023")  # still open
    report = coordinator.retention.report()
    got = {(i.reference, i.category, i.status, i.due_on) for i in report.items}
    assert got == {(f"SAR-{due.id:05d}", "subject_access", "due", date(2026, 11, 26)),
                   (f"SAR-{soon.id:05d}", "subject_access", "soon", date(2026, 11, 27))}
    assert report.due[0].label == "Kit Ramsden (request received 1 Nov 2023)"
    coordinator.retention.dispose([("subject_access", due.id)], COORDINATOR[1])
    assert {r.id for r in sar.list()} == {soon.id, linked.id, linked.id + 1}
    assert coordinator.letters.for_subject("subject_access", due.id) == []
    assert [(e.reference, e.category, e.last_used) for e in coordinator.retention.disposal_log()] == [
        (f"SAR-{due.id:05d}", "subject_access", date(2023, 11, 26))]

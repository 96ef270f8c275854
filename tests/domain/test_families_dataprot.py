"""Families in the data-protection work: retention and disposal, subject access, corrections."""

from __future__ import annotations

import io

from pypdf import PdfReader

from ccc_desktop.models.families_records import IncidentInput
from ccc_desktop.models.services.families_dp import HOLD_INCIDENT
from ccc_desktop.models.services.retention import DUE, HELD
from conftest import COORDINATOR
from tests.family_helpers import accepted_family, child, referral, resident, visiting


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_old_families_fall_due_incidents_hold_and_disposal_removes_everything(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    old = accepted_family(coordinator)
    held = accepted_family(coordinator, full_name="Held Parent")
    coordinator.families.record_incident(held, IncidentInput("20/11/2026", "a", "b", "c", "d"))
    sid = coordinator.bookings.add_session("21/11/2026", "10:00", "12:00", 8)
    coordinator.register.arrive(coordinator.bookings.book(old, sid), "10:00")
    rid = coordinator.disclosures.log_request(old, "Ann", "Cafcass", "25/11/2026", "Attendance")
    coordinator.disclosures.answer_with_attendance(rid)
    clock.advance(days=3 * 365 + 2)  # three years after the last use (21 Nov 2026 / 26 Nov 2026)
    report = {i.candidate.record_id: i for i in coordinator.retention.report().items}
    assert report[old].status == DUE and report[old].candidate.reference == "F-0001"
    assert report[held].status == HELD and HOLD_INCIDENT in report[held].holds
    result = coordinator.retention.dispose([("family", old)], COORDINATOR[1])
    assert result.disposed == 1
    db = coordinator.session.db
    for table in ("families", "family_adults", "family_children", "bookings", "disclosures"):
        column = "id" if table == "families" else "family_id"
        assert db.scalar(f"SELECT count(*) FROM {table} WHERE {column} = ?", (old,)) == 0
    # Which record a letter is about is sealed (migration 0022): opened to count.
    from ccc_desktop.models.storage.letters import LetterStore

    assert [x for x in LetterStore(db).all() if x.subject_type == "family"] == []
    assert db.scalar("SELECT count(*) FROM families WHERE id = ?", (held,)) == 1


def test_a_reference_is_never_given_twice(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.storage.families import FamilyStore

    coordinator.families.create(referral(), [resident()], [])
    newest = coordinator.families.create(referral(), [resident()], [])
    with coordinator.session.db.transaction():
        FamilyStore(coordinator.session.db).delete_family(newest)
    again = coordinator.families.create(referral(), [resident()], [])
    assert coordinator.families.reference(again) == "F-0003"


def test_subject_access_gives_the_parent_their_own_data_only(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident(), visiting()], [child()])
    coordinator.families.set_safety(fid, "Uncle Bob", "Side door")
    coordinator.families.record_incident(fid, IncidentInput("20/11/2026", "Shouting", "b", "c", "d"))
    from ccc_desktop.models.services.families_dp import sar_people

    people = sar_people(coordinator.session, fid)
    jane_key = people[0][0]
    req = coordinator.subject_access.log("Jane Example", "Passport seen", "25/11/2026",
                                         "family", fid, jane_key)
    docs = coordinator.subject_access.produce(req.id)
    response = _text(coordinator.letters.open(docs.response_letter_id))
    assert "1 Secret Street" in response and "Jane Example" in response
    for secret in ("Private Road", "07700 900456", "Uncle Bob", "Side door", "Shouting", "Amy Example"):
        assert secret not in response, secret
    internal = _text(coordinator.letters.open(docs.internal_letter_id))
    assert "Private Road" not in internal and docs.withheld >= 5


def test_correcting_an_adults_address_is_audited_without_the_value(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident()], [])
    adult = coordinator.families.get(fid).adults[0].id
    coordinator.rectification.correct("family_adult", adult, "address", "2 New Road")
    assert coordinator.families.get(fid).adults[0].address == "2 New Road"
    coordinator.rectification.correct("family_adult", adult, "full_name", "Janet Newname")
    assert [r.id for r in coordinator.families.search("janet")] == [fid]
    entries = coordinator.audit.entries(coordinator.session.actor, limit=5000)
    assert any(e.action == "record corrected" for e in entries)
    assert not any("New Road" in e.detail or "Janet" in e.detail for e in entries)

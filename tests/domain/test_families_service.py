"""Family records: referrals, people, safety, ground rules, consent, incidents, search."""

from __future__ import annotations

from datetime import date

import pytest

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.families_records import IncidentInput, ReferralStatus
from ccc_desktop.models.services.families import INCIDENT_HOLD, next_review_due
from ccc_desktop.models.storage.families import FamilyStore
from tests.family_helpers import (
    accepted_family,
    child,
    referral,
    resident,
    saturday_session,
    visiting,
)


def _audit_actions(s, family_id):  # type: ignore[no-untyped-def]
    return [e.action for e in s.audit.entries(s.session.actor, limit=5000) if e.record_type == "family"
            and str(e.record_id) == str(family_id)]


def test_create_and_open_family_is_audited(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident(), visiting()], [child()])
    fam = coordinator.families.get(fid)
    assert fam.reference == "F-0001"
    assert [a.full_name for a in fam.adults] == ["Jane Example", "John Example"]
    assert fam.adults[0].address.startswith("1 Secret")
    assert fam.children[0].date_of_birth == date(2019, 3, 14)
    assert fam.referral.status is ReferralStatus.RECEIVED
    assert fam.safety.staggers == (("Jane Example", "resident parent", 15, 15),)
    actions = _audit_actions(coordinator, fid)
    assert "family created" in actions and "family opened" in actions
    # no personal data in the audit trail
    for e in coordinator.audit.entries(coordinator.session.actor, limit=5000):
        assert "Example" not in e.detail and "Secret" not in e.detail


@pytest.mark.parametrize("make, field", [
    (lambda: ([resident(full_name="  ")], []), "adults.0.full_name"),
    (lambda: ([resident()], [child(full_name="")]), "children.0.full_name"),
    (lambda: ([resident()], [child(date_of_birth="31/02/2020")]), "children.0.date_of_birth"),
    (lambda: ([resident()], [child(date_of_birth="01/01/2027")]), "children.0.date_of_birth"),
    (lambda: ([resident()], [child(date_of_birth="2020-01-01")]), "children.0.date_of_birth"),
    (lambda: ([resident(email="not-an-email")], []), "adults.0.email"),
    (lambda: ([resident(role="cousin")], []), "adults.0.role"),
    (lambda: ([resident(ground_rules_on="01/12/2026")], []), "adults.0.ground_rules_on"),
    (lambda: ([], []), "adults"),
])
def test_bad_input_names_the_field_and_saves_nothing(coordinator, make, field) -> None:  # type: ignore[no-untyped-def]
    adults, children = make()
    with pytest.raises(ValidationError) as err:
        coordinator.families.create(referral(), adults, children)
    assert err.value.field == field
    assert coordinator.families.count() == 0


def test_bad_referral_fields(coordinator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        coordinator.families.create(referral(route="police"), [resident()], [])
    assert err.value.field == "route"
    with pytest.raises(ValidationError) as err:
        coordinator.families.create(referral(referral_date="01/01/2027"), [resident()], [])
    assert err.value.field == "referral_date"


def test_bad_edit_keeps_what_was_saved(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident()], [child()])
    kid = coordinator.families.get(fid).children[0].id
    with pytest.raises(ValidationError):
        coordinator.families.update_child(kid, child(full_name="Amy Changed", date_of_birth="40/01/2020"))
    assert coordinator.families.get(fid).children[0].full_name == "Amy Example"


def test_referral_moves_through_its_statuses(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident()], [])
    with pytest.raises(ValidationError) as err:
        coordinator.families.set_status(fid, "accepted")
    assert err.value.field == "status"
    coordinator.families.record_previsit(fid, "03/12/2026", "Carol Dean", "")
    assert coordinator.families.get(fid).referral.status is ReferralStatus.PREVISIT_BOOKED
    with pytest.raises(ValidationError) as err:  # it has not happened yet
        coordinator.families.set_status(fid, "pre-visit done")
    assert err.value.field == "status"
    coordinator.families.record_previsit(fid, "20/11/2026", "Carol Dean", "Checklist: rooms, rules")
    assert coordinator.families.get(fid).referral.status is ReferralStatus.PREVISIT_DONE
    coordinator.families.set_status(fid, "accepted")
    coordinator.families.set_status(fid, "closed", "own arrangements")
    with pytest.raises(ValidationError):
        coordinator.families.set_status(fid, "accepted")


def test_reviews_three_months_after_first_session_then_six_monthly(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    assert next_review_due(None, None) is None
    assert next_review_due(date(2026, 1, 31), None) == date(2026, 4, 30)
    assert next_review_due(date(2026, 1, 31), date(2026, 5, 2)) == date(2026, 11, 2)
    fid = accepted_family(coordinator)
    sid = coordinator.bookings.add_session("22/08/2026", "10:00", "12:00", 8)
    bid = coordinator.bookings.book(fid, sid)
    coordinator.register.arrive(bid, "10:00")
    fam = coordinator.families.get(fid)
    assert fam.first_session_on == date(2026, 8, 22)
    assert fam.next_review_due == date(2026, 11, 22)
    due = coordinator.families.reviews_due()
    assert due == [(fid, "F-0001", date(2026, 11, 22))]
    section = coordinator.dashboard.sections() if hasattr(coordinator.dashboard, "sections") else None
    from ccc_desktop.models.services.families import families_section

    sec = families_section(coordinator)
    assert sec is not None and any(i.text == "Family F-0001: review overdue" and i.due == date(2026, 11, 22)
                                   and i.severity == "overdue" for i in sec.items)
    assert section is None or section
    coordinator.families.record_review(fid, "24/11/2026", "Going well")
    assert coordinator.families.get(fid).next_review_due == date(2027, 5, 24)


def test_dashboard_counts_families_lacking_ground_rules(coordinator) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.services.families import families_section

    coordinator.families.create(referral(), [resident(ground_rules_on="", policy_agreed_on="")], [])
    coordinator.families.create(referral(), [resident(), visiting(policy_agreed_on="")], [])
    coordinator.families.create(referral(), [resident()], [])
    assert len(coordinator.families.lacking_ground_rules()) == 2
    sec = families_section(coordinator)
    assert any(i.text.startswith("2 families have an adult without") for i in sec.items)


def test_search_by_names_and_reference(coordinator) -> None:  # type: ignore[no-untyped-def]
    a = coordinator.families.create(referral(), [resident(full_name="Zoë O'Neill")], [child(full_name="Oscar Brown")])
    b = coordinator.families.create(referral(), [resident(full_name="Priya Shah")], [])
    assert [r.id for r in coordinator.families.search("zoe")] == [a]
    assert [r.id for r in coordinator.families.search("o'ne")] == [a]
    assert [r.id for r in coordinator.families.search("osc bro")] == [a]
    assert [r.id for r in coordinator.families.search("F-0002")] == [b]
    assert [r.id for r in coordinator.families.search("2")] == [b]
    assert coordinator.families.search("nobody") == []
    assert {r.id for r in coordinator.families.search("")} == {a, b}
    kid = coordinator.families.get(a).children[0].id
    coordinator.families.update_child(kid, child(full_name="Oscar Green"))
    assert coordinator.families.search("brown") == []
    assert [r.id for r in coordinator.families.search("green")] == [a]
    c = coordinator.families.create(referral(), [resident(), visiting()], [child()])
    assert [r.id for r in coordinator.families.search("exam")] == [c]  # three matching names, one row


def test_search_is_fast_at_20000_families(coordinator) -> None:  # type: ignore[no-untyped-def]
    """Not timed: the query plan must use the word index (a range scan), never a table scan."""
    db = coordinator.session.db
    plan = db.query("EXPLAIN QUERY PLAN SELECT rowid FROM family_names WHERE family_names MATCH ? "
                    "ORDER BY rowid DESC LIMIT 500", ('"smi"*',))
    detail = " ".join(r[3] for r in plan)
    assert "VIRTUAL TABLE INDEX" in detail and "SCAN families" not in detail


def test_consent_and_withdrawal(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident()], [])
    adult = coordinator.families.get(fid).adults[0].id
    with pytest.raises(ValidationError) as err:
        coordinator.families.record_consent(adult, "", "x", "20/11/2026", "in writing")
    assert err.value.field == "to_whom"
    cid = coordinator.families.record_consent(adult, "Cafcass officer", "Arrange a meeting",
                                              "20/11/2026", "Signed form")
    assert coordinator.families.consent(cid).active_on(date(2026, 11, 26))
    coordinator.families.withdraw_consent(cid)
    c = coordinator.families.consent(cid)
    assert c.withdrawn_on == date(2026, 11, 26) and not c.active_on(date(2026, 11, 26))
    with pytest.raises(ValidationError):
        coordinator.families.withdraw_consent(cid)


def test_incidents_are_sealed_restricted_and_hold_retention(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident()], [])
    inc = IncidentInput("21/11/2026", "Raised voices at handover", "Both parents",
                        "Separated the parents", "Chair and social worker")
    iid = coordinator.families.record_incident(fid, inc)
    got = coordinator.families.incidents(fid)
    assert got[0].what_happened == "Raised voices at handover" and got[0].keep_beyond_three_years
    raw = coordinator.session.db.query("SELECT details_sealed FROM incidents WHERE id = ?", (iid,))
    assert b"Raised voices" not in bytes(raw[0][0])
    with pytest.raises(PermissionDenied):
        volunteer.families.incidents(fid)
    with pytest.raises(PermissionDenied):
        volunteer.families.record_incident(fid, inc)
    cand = {c.family_id: c for c in coordinator.families.retention_candidates()}
    assert cand[fid].holds == (INCIDENT_HOLD,)
    coordinator.families.set_incident_hold(iid, False)
    assert {c.family_id: c for c in coordinator.families.retention_candidates()}[fid].holds == ()
    with pytest.raises(ValidationError) as err:
        coordinator.families.record_incident(fid, IncidentInput("21/11/2026", "", "a", "b", "c"))
    assert err.value.field == "what_happened"


def test_last_used_moves_with_edits_bookings_attendance_and_letters(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    store = FamilyStore(coordinator.session.db)

    def last_used() -> str:
        return store.get(fid)["last_used_on"]

    assert last_used() == "2026-11-26"
    clock.advance(days=3)
    coordinator.families.set_safety(fid, "Uncle Bob", "")
    assert last_used() == "2026-11-29"
    sid = coordinator.bookings.add_session("05/12/2026", "10:00", "12:00", 8)
    clock.advance(days=1)
    bid = coordinator.bookings.book(fid, sid)
    assert last_used() == "2026-11-30"  # booked today for a later session
    clock.advance(days=5)
    coordinator.register.arrive(bid, "10:00")
    assert last_used() == "2026-12-05"
    clock.advance(days=30)
    rid = coordinator.disclosures.log_request(fid, "Ann", "Cafcass", "04/01/2027", "Attendance")
    assert last_used() == "2027-01-04"
    clock.advance(days=10)
    coordinator.disclosures.answer_with_attendance(rid)
    assert last_used() == "2027-01-14"
    # a letter kept directly moves it too (the letters hook)
    clock.advance(days=1)
    coordinator.letters.keep("other", "A letter", "family", fid, b"%PDF-1.4")
    assert last_used() == "2027-01-15"


def test_delete_family_removes_every_row(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    other = accepted_family(coordinator, full_name="Other Parent")
    sid = saturday_session(coordinator)
    coordinator.register.arrive(coordinator.bookings.book(fid, sid), "10:00")
    coordinator.bookings.book(other, sid)
    adult = coordinator.families.get(fid).adults[0].id
    coordinator.families.record_consent(adult, "Solicitor", "Letters", "20/11/2026", "Form")
    rid = coordinator.disclosures.log_request(fid, "Ann", "Cafcass", "20/11/2026", "Attendance")
    coordinator.disclosures.answer_with_attendance(rid)
    coordinator.families.record_incident(fid, IncidentInput("21/11/2026", "a", "b", "c", "d"))
    coordinator.families.record_review(fid, "25/11/2026")
    db = coordinator.session.db
    from ccc_desktop.models.storage.letters import LetterStore

    assert len(LetterStore(db).ids_for([("family", fid)])) == 1
    with db.transaction():
        FamilyStore(db).delete_family(fid)
    for table in ("family_adults", "family_children", "bookings", "consents", "disclosures",
                  "incidents", "family_reviews"):
        assert db.scalar(f"SELECT count(*) FROM {table} WHERE family_id = ?", (fid,)) == 0, table
    assert db.scalar("SELECT count(*) FROM family_names WHERE rowid = ?", (fid,)) == 0
    assert LetterStore(db).ids_for([("family", fid)]) == frozenset()
    assert db.scalar("SELECT count(*) FROM families WHERE id = ?", (fid,)) == 0
    assert db.scalar("SELECT count(*) FROM bookings WHERE family_id = ?", (other,)) == 1


def test_restricted_notes_are_sealed_audited_and_withheld(coordinator, chair, volunteer) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.services.families_dp import sar_people

    fid = accepted_family(coordinator)
    note = "Visiting parent has a non-molestation order <see file> & \"police aware\""
    coordinator.families.set_restricted_notes(fid, note)
    blob = FamilyStore(coordinator.session.db).restricted(fid)
    assert blob is not None and b"non-molestation" not in blob
    assert chair.families.restricted_notes(fid) == note
    for call in (lambda: volunteer.families.restricted_notes(fid),
                 lambda: volunteer.families.set_restricted_notes(fid, "x"),
                 lambda: volunteer.families.has_restricted_notes(fid)):
        with pytest.raises(PermissionDenied):
            call()
    details = " ".join(e.detail for e in coordinator.audit.entries(coordinator.session.actor, limit=5000))
    assert "non-molestation" not in details
    actions = [e.action for e in coordinator.audit.entries(coordinator.session.actor, limit=5000)]
    assert "restricted notes opened" in actions and "restricted notes changed" in actions
    # a subject access response lists them as withheld, never their text
    key, _label = sar_people(coordinator.session, fid)[0]
    req = coordinator.subject_access.log("Jane Example", "Seen photo ID in person (passport or driving licence)",
                                         "25/11/2026", "family", fid, key)
    response = coordinator.subject_access.assemble(req.id)
    shown = " ".join(f"{r.label} {r.value}" for s in response.sections for r in s.rows)
    assert "non-molestation" not in shown
    assert "Restricted notes" in {w.item for w in response.withheld}
    # clearing them leaves sealed empty notes, as a family without any holds (migration 0029)
    written = FamilyStore(coordinator.session.db).restricted(fid)
    coordinator.families.set_restricted_notes(fid, "  ")
    cleared = FamilyStore(coordinator.session.db).restricted(fid)
    assert cleared is not None and written is not None and len(cleared) == len(written)
    assert not coordinator.families.has_restricted_notes(fid)
    assert coordinator.families.restricted_notes(fid) == ""
    with pytest.raises(ValidationError) as err:
        coordinator.families.set_restricted_notes(fid, "x" * 20001)
    assert err.value.field == "restricted_notes"

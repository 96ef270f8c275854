"""Disclosure requests (clause 4), consent to pass on contact details (5, 6), the letter."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.families_records import ExceptionGround
from tests.family_helpers import (
    accepted_family,
    child,
    referral,
    resident,
    visiting,
)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def _attended(s, fid):  # type: ignore[no-untyped-def]
    for day in ("07/11/2026", "14/11/2026", "21/11/2026"):
        sid = s.bookings.add_session(day, "10:00", "12:00", 8)
        bid = s.bookings.book(fid, sid)
        s.register.arrive(bid, "10:05")
        s.register.leave(bid, "11:55")


def test_attendance_letter_holds_dates_and_times_only(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    _attended(coordinator, fid)
    rid = coordinator.disclosures.log_request(fid, "Olu Officer", "Cafcass", "25/11/2026",
                                              "Attendance since November")
    letter = coordinator.disclosures.answer_with_attendance(rid)
    assert letter.subject_type == "family" and letter.subject_id == fid
    text = _text(coordinator.letters.open(letter.id))
    for needle in ("7 Nov 2026", "14 Nov 2026", "21 Nov 2026", "10:05", "11:55", "F-0001",
                   "Olu Officer", "Riverside Child Contact Centre"):
        assert needle in text, needle
    for secret in ("Secret Street", "Private Road", "07700", "example.org", "2019", "14 Mar",
                   "Nut allergy", "Ann Solicitor", "Checklist"):
        assert secret not in text, secret
    d = coordinator.disclosures.get(rid)
    assert d.answer == "attendance" and d.letter_id == letter.id
    assert [x.id for x in coordinator.families.letters(fid)] == [letter.id]
    actions = [e.action for e in coordinator.audit.entries(coordinator.session.actor, limit=5000)]
    assert "disclosure made" in actions and "letter generated" in actions


def test_user_text_prints_literally(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident(full_name='<b>Tom</b> & "Jerry" O\'Neil')],
                                      [child(full_name="Kid <i>&amp;</i>")])
    coordinator.families.record_previsit(fid, "15/09/2026", "Carol", "")
    coordinator.families.set_status(fid, "accepted")
    _attended(coordinator, fid)
    rid = coordinator.disclosures.log_request(fid, "Smith & <Jones>", "\"Legal\" & Co", "25/11/2026", "x")
    text = _text(coordinator.letters.open(coordinator.disclosures.answer_with_attendance(rid).id))
    assert '<b>Tom</b> & "Jerry" O\'Neil' in text
    assert "Kid <i>&amp;</i>" in text
    assert "Smith & <Jones>" in text and '"Legal" & Co' in text


def test_beyond_attendance_needs_ground_authoriser_and_reason(coordinator, chair) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    rid = coordinator.disclosures.log_request(fid, "PC Smith", "Police", "25/11/2026",
                                              "Notes of handovers")
    chair_id = chair.session.actor.account_id
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.disclose_beyond(rid, None, chair_id, "Because", "Notes")
    assert err.value.field == "ground"
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.disclose_beyond(rid, "they asked nicely", chair_id, "Because", "Notes")
    assert err.value.field == "ground"
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.disclose_beyond(rid, ExceptionGround.CHILD_AT_RISK, None, "Because", "Notes")
    assert err.value.field == "authorised_by"
    from ccc_desktop.models.storage.accounts import AccountStore

    vol_id = AccountStore(coordinator.session.db).by_username("volunteer").id
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.disclose_beyond(rid, ExceptionGround.CHILD_AT_RISK, vol_id, "Because", "Notes")
    assert err.value.field == "authorised_by"
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.disclose_beyond(rid, ExceptionGround.CHILD_AT_RISK, chair_id, " ", "Notes")
    assert err.value.field == "reason"
    assert coordinator.disclosures.get(rid).answer == "pending"
    coordinator.disclosures.disclose_beyond(rid, ExceptionGround.CHILD_AT_RISK, chair_id,
                                            "Disclosure made by child at session", "Handover notes of 21 Nov")
    d = coordinator.disclosures.get(rid)
    assert d.answer == "beyond" and d.ground == "child at risk of harm"
    assert d.authorised_by == "Margaret Holt"
    assert [x.id for x in coordinator.disclosures.log()] == [rid]
    audit = [e for e in coordinator.audit.entries(coordinator.session.actor, limit=5000)
             if e.action == "disclosure beyond attendance"]
    assert audit and "child at risk of harm" in audit[0].detail and "Handover" not in audit[0].detail


def test_contact_details_only_with_consent_or_exception(coordinator, chair) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident(), visiting()], [])
    jane, john = (a.id for a in coordinator.families.get(fid).adults)
    rid = coordinator.disclosures.log_request(fid, "John's solicitor", "Law & Co", "25/11/2026",
                                              "Jane's address")
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.share_contact_details(rid, jane)
    assert err.value.field == "consent"
    other = coordinator.families.record_consent(john, "Law & Co", "Letters", "20/11/2026", "Form")
    with pytest.raises(ValidationError):  # John's consent does not cover Jane's details
        coordinator.disclosures.share_contact_details(rid, jane, other)
    cid = coordinator.families.record_consent(jane, "Law & Co", "Letters", "20/11/2026", "Form")
    got = coordinator.disclosures.share_contact_details(rid, jane, cid)
    assert got["address"].startswith("1 Secret")
    # withdrawal takes effect at once
    coordinator.families.withdraw_consent(cid)
    rid2 = coordinator.disclosures.log_request(fid, "John's solicitor", "Law & Co", "26/11/2026", "Again")
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.share_contact_details(rid2, jane, cid)
    assert "withdrawn" in str(err.value)
    # a recorded exception covers it
    coordinator.disclosures.disclose_beyond(rid2, ExceptionGround.VIOLENCE,
                                            chair.session.actor.account_id, "Threats made", "Address")
    assert coordinator.disclosures.share_contact_details(rid2, jane)["phone"] == "07700 900123"


def test_bad_request_input(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.log_request(fid, "", "Cafcass", "25/11/2026", "x")
    assert err.value.field == "requested_by"
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.log_request(fid, "A", "Cafcass", "25/11/2027", "x")
    assert err.value.field == "requested_on"


def test_volunteer_cannot_answer_or_read_requests(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    rid = coordinator.disclosures.log_request(fid, "A", "Cafcass", "25/11/2026", "x")
    letter = coordinator.disclosures.answer_with_attendance(rid)
    with pytest.raises(PermissionDenied):
        volunteer.letters.open(letter.id)
    with pytest.raises(PermissionDenied):
        volunteer.letters.for_subject("family", fid)


def test_a_consent_covers_only_whom_it_names(coordinator) -> None:  # type: ignore[no-untyped-def]
    """Clause 5: consent to pass details to Cafcass never lets them go to the former partner."""
    fid = accepted_family(coordinator)
    jane = coordinator.families.get(fid).adults[0].id
    cid = coordinator.families.record_consent(jane, "Cafcass", "Welfare report", "20/11/2026", "Form")
    ex = coordinator.disclosures.log_request(fid, "John Example", "", "25/11/2026", "Her new address")
    with pytest.raises(ValidationError) as err:
        coordinator.disclosures.share_contact_details(ex, jane, cid)
    assert err.value.field == "consent" and "Cafcass" in str(err.value)
    paper = coordinator.disclosures.log_request(fid, "A Reporter", "Local Paper", "25/11/2026", "Address")
    with pytest.raises(ValidationError):
        coordinator.disclosures.share_contact_details(paper, jane, cid)
    assert all("contact details" not in d.disclosed for d in coordinator.disclosures.log())
    # the agency it names, however it is typed
    officer = coordinator.disclosures.log_request(fid, "Dana Officer", "  CAFCASS ", "25/11/2026", "Address")
    assert coordinator.disclosures.share_contact_details(officer, jane, cid)["address"].startswith("1 Secret")

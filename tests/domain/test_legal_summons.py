"""Witness summonses: logging, the policy's four steps, letters, closing and the dashboard."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from ccc_desktop.models.errors import NotFound, PermissionDenied, ValidationError
from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.services.legal import summons_section


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def form(**kw: object) -> SummonsForm:
    base = dict(received_on="20/11/2026", received_how="post", court="Derby Family Court",
                case_number="DE26P01234", hearing_date="14/12/2026", hearing_time="10:00",
                applicant="Smith & Co Solicitors", applicant_address="4 High Street\nDerby DE1 1AA",
                court_address="Morledge\nDerby DE1 2XE", respond_by="04/12/2026", family_id=7,
                notes="Child: Amelia Rowntree, aged 6; mother Joanne Rowntree, 3 Elm Close")
    base.update(kw)
    return SummonsForm(**base)  # type: ignore[arg-type]


def test_log_keeps_every_field(coordinator) -> None:
    s = coordinator.summonses.log(form(served_on="Priya Shah", received_how="in person"))
    got = coordinator.summonses.detail(s.id).summons
    assert got.received_on == date(2026, 11, 20)
    assert got.received_how == "in person"
    assert got.served_on_label == "Priya Shah"
    assert (got.court, got.case_number) == ("Derby Family Court", "DE26P01234")
    assert got.hearing_date == date(2026, 12, 14) and got.hearing_time == "10:00"
    assert got.respond_by == date(2026, 12, 4)
    assert got.family_id == 7
    assert got.is_open and got.outcome is None
    assert coordinator.summonses.log(form(served_on="")).served_on_label == "the centre"


@pytest.mark.parametrize("field,value,expect", [
    ("received_on", "31/02/2026", "received_on"),
    ("received_on", "01/12/2026", "received_on"),  # in the future (today is 26 Nov 2026)
    ("received_how", "pigeon", "received_how"),
    ("court", "  ", "court"),
    ("case_number", "", "case_number"),
    ("hearing_date", "14-12", "hearing_date"),
    ("hearing_date", "19/11/2026", "hearing_date"),  # before it was received
    ("hearing_time", "25:00", "hearing_time"),
    ("respond_by", "01/01/2020", "respond_by"),
    ("family_id", "abc", "family_id"),
])
def test_bad_input_is_refused_by_the_field(coordinator, field, value, expect) -> None:
    with pytest.raises(ValidationError) as err:
        coordinator.summonses.log(form(**{field: value}))
    assert err.value.field == expect
    assert coordinator.summonses.all() == []


def test_each_steps_date_who_and_note_are_kept(coordinator, chair) -> None:
    s = coordinator.summonses.log(form())
    coordinator.summonses.record_step(s.id, "chair", "20/11/2026", "Carol Dean", "Phoned Margaret")
    chair.summonses.record_step(s.id, "letter", "21/11/2026", "Margaret Holt", "Court and solicitor")
    coordinator.summonses.record_step(s.id, "naccc", "23/11/2026", "Carol Dean", "")
    d = chair.summonses.detail(s.id)
    assert {k: v.done_on for k, v in d.steps.items()} == {
        "chair": date(2026, 11, 20), "letter": date(2026, 11, 21), "naccc": date(2026, 11, 23)}
    assert d.steps["chair"].done_by == "Carol Dean" and d.steps["chair"].note == "Phoned Margaret"
    assert d.steps["letter"].done_by == "Margaret Holt"
    assert d.missing_steps == ["solicitor"]
    # Correcting one step leaves the others' dates alone.
    coordinator.summonses.record_step(s.id, "naccc", "24/11/2026", "Carol Dean", "Emailed")
    d = coordinator.summonses.detail(s.id)
    assert d.steps["naccc"].done_on == date(2026, 11, 24)
    assert d.steps["chair"].done_on == date(2026, 11, 20)
    assert d.steps["letter"].done_on == date(2026, 11, 21)
    coordinator.summonses.clear_step(s.id, "naccc")
    assert coordinator.summonses.detail(s.id).missing_steps == ["naccc", "solicitor"]
    actions = [e.action for e in coordinator.audit.for_record(coordinator.session.actor, "summons", s.id)]
    assert actions.count("summons step recorded") == 4 and "summons step cleared" in actions


@pytest.mark.parametrize("step,on,who,field", [
    ("police", "21/11/2026", "Carol", "step"),
    ("chair", "19/11/2026", "Carol", "done_on"),  # before it was received
    ("chair", "27/11/2026", "Carol", "done_on"),  # tomorrow
    ("chair", "21/11/2026", " ", "done_by"),
])
def test_bad_step_is_refused(coordinator, step, on, who, field) -> None:
    s = coordinator.summonses.log(form())
    with pytest.raises(ValidationError) as err:
        coordinator.summonses.record_step(s.id, step, on, who)
    assert err.value.field == field
    assert coordinator.summonses.detail(s.id).steps == {}


def test_close_with_outcome_then_reopen(coordinator) -> None:
    s = coordinator.summonses.log(form())
    with pytest.raises(ValidationError) as err:
        coordinator.summonses.close(s.id, "forgotten", "25/11/2026")
    assert err.value.field == "outcome"
    with pytest.raises(ValidationError) as err:
        coordinator.summonses.close(s.id, "other", "25/11/2026", "")
    assert err.value.field == "outcome_note"
    closed = coordinator.summonses.close(s.id, "set aside", "25/11/2026", "Court agreed")
    assert not closed.is_open and closed.outcome == "set aside"
    assert closed.closed_on == date(2026, 11, 25)
    assert coordinator.summonses.all(open_only=True) == []
    with pytest.raises(ValidationError):
        coordinator.summonses.record_step(s.id, "chair", "21/11/2026", "Carol")
    assert coordinator.summonses.reopen(s.id).is_open


def test_court_letter_holds_case_court_hearing_and_policy_but_no_child(coordinator) -> None:
    s = coordinator.summonses.log(form())
    letter = coordinator.summonses.generate_letter(s.id, "summons_court")
    assert letter.subject_type == "summons" and letter.subject_id == s.id
    assert [x.id for x in coordinator.summonses.detail(s.id).letters] == [letter.id]
    text = pdf_text(coordinator.letters.open(letter.id))
    assert "DE26P01234" in text
    assert "Derby Family Court" in text
    assert "14 December 2026 at 10:00" in text
    assert "Riverside Child Contact Centre" in text  # the letterhead
    # The policy's key sentences.
    assert "volunteers must not make verbal or written reports in any family court proceedings" in text
    assert "dates and times of a family's attendance" in text
    assert "a child is felt to be at risk of harm" in text
    assert "at risk from physical violence" in text
    assert "judicial protocol on the use of child contact centres" in text
    assert "whether attendance is still required" in text
    assert "witness summons be set aside" in text
    # Nothing about the family or child, although the summons is linked to one with notes.
    for secret in ("Amelia", "Rowntree", "Elm Close", "aged 6"):
        assert secret not in text


@pytest.mark.parametrize("kind,expect", [
    ("summons_solicitor", "Smith & Co Solicitors"),
    ("summons_naccc", "National Association of Child Contact Centres"),
    ("summons_committee_solicitor", "David Brook"),
])
def test_the_other_letters_come_from_their_templates(coordinator, kind, expect) -> None:
    s = coordinator.summonses.log(form())
    text = pdf_text(coordinator.letters.open(coordinator.summonses.generate_letter(s.id, kind).id))
    assert expect in text and "DE26P01234" in text
    assert "Amelia" not in text and "Rowntree" not in text


def test_letters_are_audited_generate_open_print_save(coordinator) -> None:
    s = coordinator.summonses.log(form())
    letter = coordinator.summonses.generate_letter(s.id, "summons_court")
    coordinator.letters.open(letter.id)
    coordinator.letters.record_output(letter.id, "printed")
    coordinator.letters.record_output(letter.id, "saved as PDF")
    entries = coordinator.audit.for_record(coordinator.session.actor, "letter", letter.id)
    assert [e.action for e in entries] == [
        "letter generated", "letter opened", "letter printed", "letter saved as PDF"]
    assert all("DE26" not in e.detail and "Derby" not in e.detail for e in entries)
    with pytest.raises(ValidationError):
        coordinator.summonses.generate_letter(s.id, "attendance")


def test_audit_holds_no_personal_details(coordinator) -> None:
    s = coordinator.summonses.log(form(served_on="Priya Shah"))
    coordinator.summonses.record_step(s.id, "chair", "20/11/2026", "Carol Dean", "Phoned Margaret")
    coordinator.summonses.update(s.id, form(served_on="Priya Shah", court="Chesterfield County Court"))
    details = " ".join(e.detail for e in coordinator.audit.entries(coordinator.session.actor))
    for secret in ("Priya", "Carol Dean", "Margaret", "Rowntree", "Chesterfield County", "DE26"):
        assert secret not in details
    assert "fields: court" in details


def test_missing_summons(coordinator) -> None:
    with pytest.raises(NotFound):
        coordinator.summonses.detail(999)


def test_dashboard_open_summonses_most_urgent_and_oldest_first(coordinator) -> None:
    far = coordinator.summonses.log(form(case_number="FAR", received_on="01/11/2026",
                                         hearing_date="20/02/2027", respond_by=""))
    soon = coordinator.summonses.log(form(case_number="SOON", received_on="24/11/2026",
                                          hearing_date="30/11/2026", respond_by=""))
    by_response = coordinator.summonses.log(form(case_number="REPLY", received_on="22/11/2026",
                                                 hearing_date="10/03/2027", respond_by="10/12/2026"))
    same_a = coordinator.summonses.log(form(case_number="OLDER", received_on="02/11/2026",
                                            hearing_date="15/01/2027", respond_by=""))
    same_b = coordinator.summonses.log(form(case_number="NEWER", received_on="10/11/2026",
                                            hearing_date="15/01/2027", respond_by=""))
    done = coordinator.summonses.log(form(case_number="CLOSED", hearing_date="01/12/2026", respond_by=""))
    coordinator.summonses.close(done.id, "withdrawn", "25/11/2026")
    for step in ("chair", "letter", "naccc", "solicitor"):
        coordinator.summonses.record_step(far.id, step, "20/11/2026", "Carol Dean")
    coordinator.summonses.record_step(soon.id, "chair", "24/11/2026", "Carol Dean")
    section = summons_section(coordinator)
    assert section is not None
    cases = [re.search(r"case (\S+) ", item.text).group(1) for item in section.items]  # type: ignore[union-attr]
    assert cases == ["SOON", "REPLY", "OLDER", "NEWER", "FAR"]
    assert [i.severity for i in section.items] == ["warning", "warning", "warning", "warning", "info"]
    first = section.items[0].text
    assert "hearing 30 Nov 2026 10:00" in first
    assert "Still to do: Letter to the court and/or solicitor, NACCC office informed, " \
           "Committee solicitor consulted." in first
    assert "All steps done" in section.items[-1].text
    assert all(i.tab == "legal" for i in section.items)
    assert by_response.id and same_a.id and same_b.id
    # Once the hearing has passed with the summons still open, it is overdue.
    coordinator.session.clock.advance(days=5)  # 1 Dec 2026
    assert summons_section(coordinator).items[0].severity == "overdue"  # type: ignore[union-attr]
    # The dashboard service includes it.
    titles = [s.title for s in coordinator.dashboard.sections()]
    assert "Witness summonses" in titles


def test_volunteer_cannot_touch_summonses(coordinator, volunteer) -> None:
    s = coordinator.summonses.log(form())
    letter = coordinator.summonses.generate_letter(s.id, "summons_court")
    for call in (
        lambda: volunteer.summonses.log(form()),
        lambda: volunteer.summonses.all(),
        lambda: volunteer.summonses.detail(s.id),
        lambda: volunteer.summonses.record_step(s.id, "chair", "21/11/2026", "Sam"),
        lambda: volunteer.summonses.close(s.id, "withdrawn", "21/11/2026"),
        lambda: volunteer.summonses.generate_letter(s.id, "summons_court"),
        lambda: volunteer.letters.open(letter.id),
        lambda: volunteer.letters.for_subject("summons", s.id),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert summons_section(volunteer) is None

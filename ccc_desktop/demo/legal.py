"""Demo: witness summonses (open and closed, with their steps and letters), police visits,
assessment agreements and the policy's version and last review. All fictional."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ccc_desktop.models.dates import add_months, add_years, format_entry
from ccc_desktop.models.legal_records import AgreementForm, PoliceVisitForm, SummonsForm

if TYPE_CHECKING:
    from ccc_desktop.demo.context import DemoContext


def _d(today: date, days: int) -> str:
    return format_entry(today + timedelta(days=days))


def _a_volunteer(ctx: DemoContext) -> str:
    """An active demo volunteer's name, when the volunteers step has made some."""
    try:
        from ccc_desktop.models.volunteers_records import VolunteerStatus

        active = ctx.services.volunteers.list(VolunteerStatus.ACTIVE)
    except (ImportError, AttributeError):
        active = []
    return active[len(active) // 2].name if active else "Joy Okafor"


def legal_step(ctx: DemoContext) -> None:
    s = ctx.services
    t = ctx.today
    who = s.session.actor.display_name
    chair = "Margaret Holt"

    # Open: most urgent, two steps still to do.
    a = s.summonses.log(SummonsForm(
        received_on=_d(t, -6), received_how="post", court="Derby Family Court",
        court_address="The Court House\nMorledge\nDerby\nDE1 2XE", case_number="DE26P01874",
        hearing_date=_d(t, 12), hearing_time="10:00", applicant="Hartley & Shaw Solicitors",
        applicant_address="22 Friar Gate\nDerby\nDE1 1BX", respond_by=_d(t, 5), family_id=1,
        notes="Father's solicitor wants a volunteer to describe handovers. Policy letter sent."))
    s.summonses.record_step(a.id, "chair", _d(t, -6), who, "Phoned Margaret the day it arrived.")
    s.summonses.record_step(a.id, "letter", _d(t, -4), chair, "Letters to the court and the solicitor.")
    s.summonses.generate_letter(a.id, "summons_court")
    s.summonses.generate_letter(a.id, "summons_solicitor")

    # Open: served on a volunteer in person, just begun.
    b = s.summonses.log(SummonsForm(
        received_on=_d(t, -2), received_how="in person", served_on=_a_volunteer(ctx),
        court="Chesterfield Family Court", court_address="Tapton Lane\nChesterfield\nS41 7TW",
        case_number="CH26F00412", hearing_date=_d(t, 30), hearing_time="14:00",
        applicant="Mrs L. Pickersgill (litigant in person)"))
    s.summonses.record_step(b.id, "chair", _d(t, -2), who, "Brought in by the volunteer on Saturday.")

    # Closed: every step done, set aside.
    c = s.summonses.log(SummonsForm(
        received_on=_d(t, -75), received_how="post", court="Sheffield Family Court",
        court_address="The Law Courts\n50 West Bar\nSheffield\nS3 8PH", case_number="SF26P00977",
        hearing_date=_d(t, -41), hearing_time="10:30", applicant="Brearley Law LLP",
        applicant_address="5 Paradise Square\nSheffield\nS1 2DE", respond_by=_d(t, -60)))
    for step, day, by, note in (
        ("chair", -75, who, "Told Margaret by phone."),
        ("letter", -73, chair, "Letter to the court asking for the summons to be set aside."),
        ("naccc", -72, chair, "NACCC office gave advice; template letter confirmed."),
        ("solicitor", -70, chair, "David Brook agreed with our letter."),
    ):
        s.summonses.record_step(c.id, step, _d(t, day), by, note)
    s.summonses.generate_letter(c.id, "summons_court")
    s.summonses.generate_letter(c.id, "summons_naccc")
    s.summonses.close(c.id, "set aside", _d(t, -50), "The court set the summons aside on the papers.")

    # Closed: withdrawn after the Chair was told.
    d = s.summonses.log(SummonsForm(
        received_on=_d(t, -140), received_how="email", court="Derby Family Court",
        case_number="DE26P00231", hearing_date=_d(t, -110), applicant="Ormerod Solicitors"))
    s.summonses.record_step(d.id, "chair", _d(t, -139), who, "")
    s.summonses.close(d.id, "withdrawn", _d(t, -130), "")

    # Closed more than the retention period ago: listed in the retention report for disposal.
    back = (t - add_years(t, -s.retention.period_years())).days + 40
    e = s.summonses.log(SummonsForm(
        received_on=_d(t, -back - 70), received_how="post", court="Chesterfield Family Court",
        case_number="CH23F00088", hearing_date=_d(t, -back - 20), applicant="Kirkby & Vale LLP"))
    s.summonses.record_step(e.id, "chair", _d(t, -back - 69), who, "")
    s.summonses.close(e.id, "set aside", _d(t, -back), "")

    # Police visits.
    s.police.log(PoliceVisitForm(
        visit_date=_d(t, -17), visit_time="10:40", officer_name="PC Rachel Moore",
        officer_number="4471", station="Chesterfield", emergency=False,
        asked="Wanted to serve a non-molestation order on a father during his session.",
        said="Explained our policy and asked them to serve the order elsewhere, not at the centre.",
        outcome="The officer left without approaching anyone."))
    s.police.log(PoliceVisitForm(
        visit_date=_d(t, -58), visit_time="15:05", officer_name="Sgt Imran Haigh",
        officer_number="1290", station="Chesterfield", emergency=True,
        asked="Called by the Coordinator after a parent threatened a volunteer in the car park.",
        said="Told the officers what happened; no family details beyond what was needed.",
        outcome="Parent escorted from the premises; incident recorded."))

    # Assessment agreements (clause 7).
    s.agreements.add(AgreementForm(
        agency_type="cafcass", agency_name="Anna Whitworth, Cafcass Derbyshire",
        scope="Observe two supported contact sessions for the section 7 report.",
        valid_from=_d(t, -10), valid_to=_d(t, 35), approved_by=chair, family_id=1))
    old = s.agreements.add(AgreementForm(
        agency_type="social worker", agency_name="Derbyshire Children's Services (K. Lomax)",
        scope="One observed session.", valid_from=_d(t, -120), valid_to=_d(t, -90),
        approved_by=chair, family_id=2))
    assert old.id
    # The Cafcass officer observes family 1's next session under that agreement.
    upcoming = [b for b in s.bookings.for_family(1)
                if b.session_date >= t and b.status.value == "booked"]
    if upcoming:
        s.bookings.set_assessment(min(upcoming, key=lambda b: b.session_date).id, True)

    # The policy: clause 8 brought up to date, last reviewed nearly a year ago.
    current = s.policy.current().body
    s.policy.save(current.replace(
        "must have a Criminal Records check carried out by the Criminal Records Bureau",
        "must have a Disclosure and Barring Service (DBS) check"),
        "Clause 8: the DBS replaced the Criminal Records Bureau")
    reviewed = add_months(t, -11) - timedelta(days=12)
    s.policy.record_review(format_entry(reviewed), "Management committee (chaired by Margaret Holt)",
                           "Clause 8 updated for the DBS; no other changes.")

"""Closed witness summonses in the retention report (policy clause 10; issue 15's gap): due the
retention period after closing, disposed of with their steps, letters and attached court
papers, logged as S-00012 and on the certificate."""

from __future__ import annotations

from datetime import date

import pytest
from family_helpers import accepted_family
from insider_view import pdf_text
from test_attachments import pdf

from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.services.legal import SUMMONS_LETTER_KINDS
from ccc_desktop.models.services.legal_retention import HOLD_OPEN_SAR
from conftest import COORDINATOR

TODAY = date(2026, 11, 26)


def _summons(services, family_id: int | None = None, case: str = "DE26P00417"):  # type: ignore[no-untyped-def]
    s = services.summonses.log(SummonsForm(
        "20/11/2026", "post", "Derby Family Court", case, "10/12/2026",
        applicant="Marlowe & Finch Solicitors", family_id=family_id))
    services.summonses.record_step(s.id, "chair", "21/11/2026", "The Chair")
    services.summonses.generate_letter(s.id, SUMMONS_LETTER_KINDS[0])
    services.attachments.add("summons", s.id, "Summons.pdf", pdf(b"summons papers"))
    return s


def _items(services):  # type: ignore[no-untyped-def]
    return {i.reference: i for i in services.retention.report().items if i.category == "summons"}


def _go_to(clock, day: date) -> None:  # type: ignore[no-untyped-def]
    clock.advance(days=(day - clock.today()).days)


def test_a_closed_summons_falls_due_three_years_after_closing(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    s = _summons(coordinator)
    ref = f"S-{s.id:05d}"
    assert ref not in _items(coordinator)  # open: never a candidate
    coordinator.summonses.close(s.id, "set aside", "24/11/2026", "Set aside")
    assert ref not in _items(coordinator)
    _go_to(clock, date(2029, 9, 1))
    item = _items(coordinator)[ref]
    assert (item.status, item.due_on, item.basis) == ("soon", date(2029, 11, 24), "closed")
    assert item.label == "Derby Family Court, case DE26P00417 (closed 24 Nov 2026)"
    with pytest.raises(ValidationError, match="not yet due"):
        coordinator.retention.dispose([("summons", s.id)], COORDINATOR[1])
    _go_to(clock, date(2029, 11, 24))
    assert _items(coordinator)[ref].status == "due"
    # Reopened, it leaves the report.
    coordinator.summonses.reopen(s.id)
    assert ref not in _items(coordinator)


def test_disposing_of_a_summons_takes_its_steps_letters_and_papers_and_says_so(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    s = _summons(coordinator)
    keep = _summons(coordinator, case="DE26P00999")
    coordinator.summonses.close(s.id, "set aside", "24/11/2026")
    db = coordinator.session.db
    _go_to(clock, date(2029, 12, 1))
    result = coordinator.retention.dispose([("summons", s.id)], COORDINATOR[1])
    assert result.disposed == 1
    with pytest.raises(NotFound):
        coordinator.summonses.detail(s.id)
    for sql in ("SELECT count(*) FROM summonses WHERE id = ?",
                "SELECT count(*) FROM summons_steps WHERE summons_id = ?"):
        assert db.scalar(sql, (s.id,)) == 0, sql
    # A letter's subject and an attachment's owner are sealed (0022): found by their index.
    from ccc_desktop.models.storage.attachments import AttachmentStore
    from ccc_desktop.models.storage.letters import LetterStore

    assert LetterStore(db).ids_for([("summons", s.id)]) == frozenset()
    assert AttachmentStore(db).ids_for([("summons", s.id)]) == frozenset()
    assert len(LetterStore(db).ids_for([("summons", keep.id)])) >= 1
    # The other (open) summons keeps everything.
    kept = coordinator.summonses.detail(keep.id)
    assert kept.letters and len(coordinator.attachments.list("summons", keep.id)) == 1
    (entry,) = coordinator.retention.batch(result.batch_id).entries
    assert (entry.reference, entry.category, entry.last_used) == (f"S-{s.id:05d}", "summons",
                                                                  date(2026, 11, 24))
    text = " ".join(pdf_text(coordinator.retention.certificate_pdf(result.batch_id)).split())
    assert f"S-{s.id:05d} Witness summons 24 Nov 2026" in text
    assert "Derby" not in text and "Marlowe" not in text
    assert "record disposed" in [e.action for e in coordinator.audit.entries()]


def test_a_disposed_summons_reference_is_never_given_out_again(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    s = _summons(coordinator)  # the newest: a plain rowid would be used again
    coordinator.summonses.close(s.id, "withdrawn", "24/11/2026")
    _go_to(clock, date(2029, 12, 1))
    coordinator.retention.dispose([("summons", s.id)], COORDINATOR[1])
    again = coordinator.summonses.log(SummonsForm("01/12/2029", "post", "Derby Family Court",
                                                  "DE29P00001", "10/12/2029"))
    assert again.id > s.id


def test_a_summons_whose_family_has_an_open_request_is_held(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    s = _summons(coordinator, family_id=fid)
    coordinator.summonses.close(s.id, "set aside", "24/11/2026")
    _go_to(clock, date(2029, 12, 1))
    adult = coordinator.families.get(fid).adults[0]
    coordinator.subject_access.log("Jane Example", "Photo ID", "28/11/2029", "family", fid,
                                   f"adult:{adult.id}")
    item = _items(coordinator)[f"S-{s.id:05d}"]
    assert (item.status, item.holds) == ("held", (HOLD_OPEN_SAR,))


def test_a_family_disposed_first_leaves_its_closed_summons_without_papers_until_its_own_time(
        coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator, full_name="Ottoline Pemberton-Quayle")
    s = _summons(coordinator, family_id=fid)
    coordinator.summonses.close(s.id, "set aside", "24/11/2026")
    _go_to(clock, date(2029, 12, 1))
    result = coordinator.retention.dispose([("family", fid)], COORDINATOR[1])
    (entry,) = coordinator.retention.batch(result.batch_id).entries
    cleared = {(t, f): n for t, f, n in entry.cleared}
    assert cleared[("summonses", "deleted attachments")] == 1
    assert cleared[("summonses", "deleted letters")] == 1
    assert coordinator.attachments.list("summons", s.id) == []
    detail = coordinator.summonses.detail(s.id)
    assert detail.summons.family_id is None and detail.summons.applicant == ""
    # Then the summons goes at its own time (it is due already).
    assert _items(coordinator)[f"S-{s.id:05d}"].status == "due"
    coordinator.retention.dispose([("summons", s.id)], COORDINATOR[1])
    assert f"S-{s.id:05d}" not in _items(coordinator)

"""Disposal searches every stored letter (issue 12). A family's attendance and waiting-list
letters go with it, but a letter kept for family A can name a person of family B: an
attendance letter is addressed to whoever asked for it (a disclosure's "requested by", typed
in: a parent of another family, a grandparent in a sibling case, a volunteer). So every
letter's text is read (in memory) and one naming a disposed person in full is deleted.

The same person can be in two families' records (a father with children by two mothers): his
name is then also family A's, so disposing of family B neither deletes A's letters nor clears
A's notes for it; they are listed to check instead."""

from __future__ import annotations

from family_helpers import child, referral, resident, visiting
from insider_view import decrypted_pages, pdf_text, slot_key

from ccc_desktop.documents.pdf_text import pdf_text as letter_text
from conftest import COORDINATOR


def _family(coordinator, adult: str, other_adult: str, kid: str) -> int:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident(full_name=adult),
                                                   visiting(full_name=other_adult)],
                                      [child(full_name=kid)])
    coordinator.families.record_previsit(fid, "15/09/2026", "Carol Dean", "Checklist done")
    coordinator.families.set_status(fid, "accepted")
    return fid


def _letters(coordinator, fid: int) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {x.id: letter_text(coordinator.letters.open(x.id))
            for x in coordinator.families.letters(fid)}


def test_an_attendance_letter_addressed_to_a_disposed_parent_goes_and_the_family_letters_stay(
        coordinator, vault, clock) -> None:  # type: ignore[no-untyped-def]
    gone = _family(coordinator, "Ottoline Pemberton-Quayle", "Barnaby Quayle", "Tilly Quayle")
    kept = _family(coordinator, "Wendy Marsh", "Harold Marsh", "Ivy Marsh")
    # Family B's mother asks for family A's attendance (the children are half-siblings).
    asked = coordinator.disclosures.log_request(kept, "Ottoline Pemberton-Quayle", "",
                                                "20/11/2026", "Attendance dates")
    to_her = coordinator.disclosures.answer_with_attendance(asked)
    cafcass = coordinator.disclosures.log_request(kept, "Priya Shah", "Cafcass", "20/11/2026", "Dates")
    to_cafcass = coordinator.disclosures.answer_with_attendance(cafcass)
    entry = coordinator.waiting.add(kept, "01/10/2026")
    waiting = coordinator.waiting.letter_to_referrer(entry)
    own = coordinator.disclosures.answer_with_attendance(coordinator.disclosures.log_request(
        gone, "Priya Shah", "Cafcass", "20/11/2026", "Dates"))
    assert "Ottoline Pemberton-Quayle" in letter_text(coordinator.letters.open(to_her.id))
    sealed = bytes(coordinator.session.db.scalar("SELECT pdf FROM letters WHERE id = ?", (to_her.id,)))
    clock.advance(days=3 * 365 + 30)

    result = coordinator.retention.dispose([("family", gone)], COORDINATOR[1])
    # A's letter to her is deleted (a PDF cannot be cleared); A's other letters, which name
    # only A's family and the referrer, stay; B's own letters went with B.
    assert set(_letters(coordinator, kept)) == {to_cafcass.id, waiting}
    assert coordinator.families.letters(gone) == []
    assert coordinator.session.db.scalar("SELECT count(*) FROM letters WHERE id = ?", (own.id,)) == 0
    answered = {d.id: (d.requested_by, d.letter_id) for d in coordinator.disclosures.for_family(kept)}
    assert answered[asked] == ("[removed]", None)
    (line,) = coordinator.retention.batch(result.batch_id).entries
    cleared = {(t, f): n for t, f, n in line.cleared}
    assert cleared[("letters", "text")] == 1 and cleared[("disclosures", "requested_by")] == 1
    text = " ".join(pdf_text(coordinator.retention.certificate_pdf(result.batch_id)).split())
    assert "Stored letter text naming them (letter deleted) 1" in text and "Pemberton" not in text
    # Through the files: every letter left opens without her name; no page keeps the deleted one.
    assert all("Pemberton" not in t for fid in (kept,) for t in _letters(coordinator, fid).values())
    key, _ = slot_key(vault.paths.data_dir, *COORDINATOR)
    coordinator.session.lock()
    assert sealed[len(sealed) // 2:len(sealed) // 2 + 48] not in decrypted_pages(vault.paths.db, key)


def test_a_parent_in_two_families_keeps_his_name_in_the_family_that_stays(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    """Sam Patel is the visiting father in both families' records. Disposing of family B must
    not delete family A's attendance letter (it names him as A's father) nor clear him from
    A's notes: both are listed to check. B's child's name, B's alone, is cleared whole."""
    kept = _family(coordinator, "Dana Whitfield", "Sam Patel", "Leo Patel")
    gone = _family(coordinator, "Mira Okafor", "Sam Patel", "Zoë Okafor-Patel")
    coordinator.families.record_previsit(kept, "15/09/2026", "Carol Dean",
                                         "Sam Patel arrived early; Zoe Okafor-Patel came too")
    letter = coordinator.disclosures.answer_with_attendance(coordinator.disclosures.log_request(
        kept, "Priya Shah", "Cafcass", "20/11/2026", "Dates"))
    assert "Sam Patel" in letter_text(coordinator.letters.open(letter.id))
    clock.advance(days=3 * 365 + 30)

    left = coordinator.retention.names_left_alone([("family", gone)])
    assert sorted((m.word, m.where, m.shared) for m in left) == [
        ("Patel", f"Stored letter of 26 Nov 2026, family F-{kept:04d}, text", False),  # Leo Patel, A's son
        ("Sam Patel", f"Family F-{kept:04d}, pre-visit notes", True),
        ("Sam Patel", f"Stored letter of 26 Nov 2026, family F-{kept:04d}, text", True)]
    coordinator.retention.dispose([("family", gone)], COORDINATOR[1])
    assert set(_letters(coordinator, kept)) == {letter.id}
    fam = coordinator.families.get(kept)
    assert fam.referral.previsit_notes == "Sam Patel arrived early; [removed] came too"
    assert [a.full_name for a in fam.adults] == ["Dana Whitfield", "Sam Patel"]


def test_a_batch_reads_each_letter_once(coordinator, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Disposing of several records searches the letters for each one's names, but opens and
    reads each letter only once for the whole batch (a large centre keeps thousands)."""
    from ccc_desktop.models.services import families_dp

    read: list[bytes] = []

    def counted(pdf: bytes) -> str:
        read.append(pdf)
        return letter_text(pdf)

    monkeypatch.setattr(families_dp, "pdf_text", counted)
    families = [_family(coordinator, f"Parent {n}son", f"Other {n}son", f"Child {n}son") for n in "ABC"]
    kept = _family(coordinator, "Wendy Marsh", "Harold Marsh", "Ivy Marsh")
    for fid in (*families, kept):
        coordinator.disclosures.answer_with_attendance(coordinator.disclosures.log_request(
            fid, "Priya Shah", "Cafcass", "20/11/2026", "Dates"))
    clock.advance(days=3 * 365 + 30)
    coordinator.retention.dispose([("family", f) for f in families], COORDINATOR[1])
    assert read and len(read) == len(set(read))  # each at most once
    assert len(coordinator.families.letters(kept)) == 1

"""A subject access response carries copies of the documents the Coordinator chose to give
(issue 15): a PDF's pages and a picture's page follow the letter, a Word or OpenDocument file
rides inside the PDF as an attached file; a withheld document is in no part of the pack, and the
internal record says why it was withheld."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ccc_desktop.models.data_protection_records import DOCUMENT_REASONS
from ccc_desktop.models.errors import ValidationError
from tests.domain.test_attachments import docx, odt
from tests.family_helpers import accepted_family


def real_pdf(*lines: str) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    for line in lines:
        c.drawString(72, 720, line)
        c.showPage()
    c.save()
    return out.getvalue()


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _pack(s, letter_id: int) -> PdfReader:  # type: ignore[no-untyped-def]
    return PdfReader(io.BytesIO(s.letters.open(letter_id)))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_the_pack_holds_the_documents_chosen_and_not_those_withheld(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    fid = accepted_family(s)
    form = s.attachments.add("referral", fid, "Referral form.pdf",
                             real_pdf("Referral form Alphonse page one", "Alphonse page two"))
    order = s.attachments.add("family", fid, "Court order.pdf", real_pdf("Court order Bartholomew"))
    photo = s.attachments.add("family", fid, "Handover note.png", png())
    agreement_file = docx()  # (a zip: its bytes hold the time it was made)
    agreement = s.attachments.add("family", fid, "Agreement.docx", agreement_file)
    notes = s.attachments.add("family", fid, "Other parent notes.odt", odt())
    req = s.subject_access.log("Jane Example", "Photo ID seen", "20/11/2026", "family", fid,
                               "parent_a")
    review = s.subject_access.review(req.id)
    assert {d.name for d in review} == {"Referral form.pdf", "Court order.pdf",
                                        "Handover note.png", "Agreement.docx",
                                        "Other parent notes.odt"}
    assert not any(d.own for d in review)  # a family's documents concern several people
    choices = {form.id: None, photo.id: None, agreement.id: None,
               order.id: DOCUMENT_REASONS[0], notes.id: "Written about the other parent"}
    docs = s.subject_access.produce(req.id, choices)
    pack = _pack(s, docs.response_letter_id)
    text = _text(pack)
    assert "Referral form Alphonse page one" in text and "Alphonse page two" in text
    assert "Bartholomew" not in text
    assert "Copies of documents we hold" in text and "Agreement.docx" in text
    # After the letter, in the letter's order: the picture on a page of its own, then the
    # form's two pages.
    assert [d.name for d in s.subject_access.assemble(req.id, choices).attached] == [
        "Handover note.png", "Agreement.docx", "Referral form.pdf"]
    picture = pack.pages[-3]
    assert "Copy of Handover note.png" in (picture.extract_text() or "")
    assert list(picture.images)
    assert "Alphonse page one" in (pack.pages[-2].extract_text() or "")
    assert "Alphonse page two" in (pack.pages[-1].extract_text() or "")
    # The Word file travels inside the PDF; the withheld OpenDocument file does not.
    assert dict(pack.attachments) == {"Agreement.docx": [agreement_file]}
    # The internal record names what was withheld and why, and what was given.
    internal = _text(_pack(s, docs.internal_letter_id))
    assert "Court order.pdf" in internal and "Other parent notes.odt" in internal
    assert "Written about the other parent" in internal
    assert "Referral form.pdf" in internal  # under the documents given
    assert docs.withheld >= 2
    # Giving a copy is audited, as opening the attachment is.
    actions = [(e.action, e.record_id) for e in s.audit.entries(limit=50)]
    assert ("attachment given in a subject access response", str(fid)) in actions


def test_a_familys_documents_are_withheld_until_chosen(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    fid = accepted_family(s)
    s.attachments.add("family", fid, "Court order.pdf", real_pdf("Court order Bartholomew"))
    req = s.subject_access.log("Jane Example", "Photo ID seen", "20/11/2026", "family", fid,
                               "parent_a")
    response = s.subject_access.assemble(req.id)
    assert response.attached == ()
    assert [w.item for w in response.withheld if w.heading == "Documents held"] == ["Court order.pdf"]
    docs = s.subject_access.produce(req.id)
    assert "Bartholomew" not in _text(_pack(s, docs.response_letter_id))


def test_a_withheld_document_needs_a_reason_and_a_choice_must_be_the_records(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    fid = accepted_family(s)
    a = s.attachments.add("family", fid, "Court order.pdf", real_pdf("Court order"))
    other = accepted_family(s)
    b = s.attachments.add("family", other, "Someone else.pdf", real_pdf("Not theirs"))
    req = s.subject_access.log("Jane Example", "Photo ID seen", "20/11/2026", "family", fid,
                               "parent_a")
    with pytest.raises(ValidationError, match="Say why"):
        s.subject_access.produce(req.id, {a.id: "  "})
    with pytest.raises(ValidationError, match="not one the record holds"):
        s.subject_access.produce(req.id, {b.id: None})
    assert s.subject_access.documents(req.id) == []

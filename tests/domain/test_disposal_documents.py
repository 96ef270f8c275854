"""Disposal reaches attached documents (issue 12): the words of every attached document that
stays (a PDF's text layer, a Word or OpenDocument text) are searched, in memory, for a
disposed person's names, under the rules the stored letters follow: a full name and the
document goes (it cannot be cleared), a first or last name alone and it is listed to check.
Pictures and scans cannot be read: those attached to a record that mentions the person are
listed to be looked at. Neither the dialog's list nor the certificate prints a name."""

from __future__ import annotations

from datetime import date

from document_helpers import DOCX, ODT, PNG, docx, mixed_pdf, odt, scanned_pdf, text_pdf
from family_helpers import accepted_family
from insider_view import decrypted_pages, pdf_text, slot_key
from test_dataprot_areas import resigned

from ccc_desktop.documents import pdf_text as reading
from ccc_desktop.documents.pdf_text import document_text
from ccc_desktop.models.data_protection_records import UNREAD
from ccc_desktop.models.storage.migrate import backup_before_migration
from conftest import COORDINATOR

NAME = "Quentin Harcourt-Vane"


def test_the_words_of_each_kind_of_document_are_read_in_memory(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert "Seen by Quentin Harcourt-Vane" in (document_text(text_pdf("Seen by " + NAME), "application/pdf") or "")
    assert document_text(docx("Seen by Quen", "tin Harcourt-Vane &amp; Co"), DOCX) == \
        "Seen by Quentin Harcourt-Vane & Co\nNext line\n"
    assert document_text(odt("Quen", "tin Harcourt", "-Vane"), ODT) == "Quentin Harcourt-Vane\nHead ing\n"
    assert document_text(b"Quentin rang", "text/plain") == "Quentin rang"
    # What cannot be read: pictures, scans, damaged files, a zip that unpacks too large.
    assert document_text(PNG, "image/png") is None
    assert document_text(b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg") is None
    assert document_text(scanned_pdf(), "application/pdf") is None
    assert document_text(b"%PDF-1.4 broken", "application/pdf") is None
    assert document_text(b"PK\x03\x04 broken", DOCX) is None
    monkeypatch.setattr(reading, "MAX_UNPACKED", 100)
    assert document_text(docx("a" * 200), DOCX) is None
    # A PDF with a scanned page among typed ones: its words are read, and it says some of it
    # cannot be; an empty page is not a scan.
    words, partly = reading.read_document(mixed_pdf("Order of the court"), "application/pdf")
    assert words is not None and "Order of the court" in words and partly
    assert reading.read_document(mixed_pdf("Order", blank=True), "application/pdf")[1] is False
    assert reading.read_document(text_pdf("Order"), "application/pdf")[1] is False
    assert reading.read_document(scanned_pdf(), "application/pdf") == (None, True)
    assert reading.read_document(PNG, "image/png") == (None, True)
    assert reading.read_document(b"Quentin rang", "text/plain") == ("Quentin rang", False)


def test_a_pdf_with_scanned_pages_is_searched_and_listed_to_look_at(coordinator) -> None:  # type: ignore[no-untyped-def]
    v = resigned(coordinator, NAME, date(2021, 6, 1))
    # A record about them keeps a bundle whose typed page does not name them: its scanned page
    # may, so it is listed. Another family's bundle names them in full on its typed page: it goes.
    about = accepted_family(coordinator)
    coordinator.families.record_previsit(about, "02/11/2026", NAME, "Done")
    bundle = coordinator.attachments.add("family", about, "Court bundle.pdf", mixed_pdf("Bundle index"))
    named = accepted_family(coordinator)
    named_bundle = coordinator.attachments.add("family", named, "Bundle.pdf",
                                               mixed_pdf(f"Statement of {NAME}"))
    left = coordinator.retention.names_left_alone([("volunteer", v.id)])
    assert [(m.record_id, m.field) for m in left if m.table == "attachments"] == [(bundle.id, UNREAD)]
    coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    assert [a.id for a in coordinator.attachments.list("family", about)] == [bundle.id]
    assert coordinator.attachments.list("family", named) == []
    assert named_bundle.id not in {r[0] for r in coordinator.session.db.query("SELECT id FROM attachments")}


def test_attached_documents_naming_a_disposed_volunteer_go_or_are_listed(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    v = resigned(coordinator, NAME, date(2021, 6, 1))
    coordinator.attachments.add("volunteer", v.id, "Reference.pdf", text_pdf(f"Reference for {NAME}"))
    # A family whose pre-visit names them in full: a record about them. Its picture cannot be
    # read, so it is listed to be looked at.
    about = accepted_family(coordinator)
    coordinator.families.record_previsit(about, "02/11/2026", NAME, "Done")
    photo = coordinator.attachments.add("family", about, "Whiteboard.png", PNG)
    scan = coordinator.attachments.add("referral", about, "Referral scan.pdf", scanned_pdf())
    # Other families' documents: a full name (PDF, Word, OpenDocument) and the document goes;
    # a first name alone and it stays, listed; a picture of a family that does not mention
    # them is not listed; neither is a document that names someone else.
    named = accepted_family(coordinator)
    in_pdf = coordinator.attachments.add("family", named, "Court order.pdf",
                                         text_pdf("Order", f"Witness: {NAME.upper()}"))
    in_word = coordinator.attachments.add("referral", named, "Referral.docx",
                                          docx("Contact supervised by Quen", "tin Harcourt-Vane"))
    in_odt = coordinator.attachments.add("family", named, "Notes.odt", odt("Quentin ", "Harcourt-Vane"))
    alone_fid = accepted_family(coordinator)
    alone = coordinator.attachments.add("family", alone_fid, "Letter.docx",
                                        docx("Quentin from Cafcass will call"))
    quiet = accepted_family(coordinator)
    untouched = coordinator.attachments.add("family", quiet, "Drawing.png", PNG)
    other = coordinator.attachments.add("family", quiet, "Other.pdf", text_pdf("Seen by Quentina Blake"))
    sealed = {a: bytes(coordinator.session.db.scalar("SELECT content FROM attachments WHERE id = ?",
                                                     (a,)))
              for a in (in_pdf.id, in_word.id, in_odt.id)}
    copy = backup_before_migration(coordinator.session.db, [vault.paths.keys], vault.paths.backups, 9)

    # Before: what will be listed, never changing anything.
    left = coordinator.retention.names_left_alone([("volunteer", v.id)])
    found = sorted((m.field, m.word, m.where) for m in left if m.table == "attachments")
    assert found == [
        ("content", "Quentin", f"Attached document, family F-{alone_fid:04d}, text"),
        (UNREAD, "", f"Attached document, family F-{about:04d}, picture or scan, not readable: look at it"),
        (UNREAD, "", f"Attached document, referral of family F-{about:04d}, "
                     "picture or scan, not readable: look at it"),
    ]
    assert {m.record_id for m in left if m.field == UNREAD} == {photo.id, scan.id}
    assert len(coordinator.attachments.list("family", named)) == 2

    result = coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    kept = {a.id for owner in ("family", "referral") for fid in (about, named, alone_fid, quiet)
            for a in coordinator.attachments.list(owner, fid)}
    assert kept == {photo.id, scan.id, alone.id, untouched.id, other.id}
    assert coordinator.attachments.list("volunteer", v.id) == []
    (entry,) = coordinator.retention.batch(result.batch_id).entries
    cleared = {(t, f): n for t, f, n in entry.cleared}
    assert cleared[("attachments", "content")] == 3
    assert cleared[("attachments", "left:content")] == 1
    assert cleared[("attachments", "left:unread")] == 2
    text = " ".join(pdf_text(coordinator.retention.certificate_pdf(result.batch_id)).split())
    assert "Attached document text naming them (document deleted) 3" in text
    assert "Attached document text 1" in text
    assert "Attached document picture or scan, not readable: look at it 2" in text
    assert "Quentin" not in text and "Harcourt" not in text

    # Every document that stays, read as disposal reads it: no full name in any.
    left_docs = [a for owner in ("family", "referral") for fid in (about, named, alone_fid, quiet)
                 for a in coordinator.attachments.list(owner, fid)]
    assert coordinator.session.db.scalar("SELECT count(*) FROM attachments") == len(left_docs)
    words = [document_text(coordinator.attachments.open(a.id), a.media_type) for a in left_docs]
    assert "Quentin from Cafcass will call" in " ".join(w or "" for w in words)
    assert all("Harcourt" not in (w or "") for w in words)
    # Through the files: no page of the live file keeps a deleted document. The copy the program
    # made before (as before an upgrade) still does, until its time is up.
    key, _ = slot_key(vault.paths.data_dir, *COORDINATOR)
    coordinator.session.lock()
    pages = decrypted_pages(vault.paths.db, key)
    copied = decrypted_pages(copy / "centre.cccdb", key)
    for blob in sealed.values():
        chunk = blob[len(blob) // 2:len(blob) // 2 + 48]
        assert chunk not in pages
        assert chunk in copied

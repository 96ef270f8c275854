"""Attachments (issue 15): types checked by content, sealed in the file, audited, only for
Coordinator and Chair, deleted with their record and gone from every page after disposal."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.services.attachments import content_type
from conftest import COORDINATOR
from tests.domain.test_dataprot_retention import decrypted_pages
from tests.family_helpers import accepted_family
from tests.volunteer_helpers import details

MARK = b"Zebedee Quillfeather court order 2026"


def pdf(text: bytes = MARK) -> bytes:
    return b"%PDF-1.4\n1 0 obj << >> endobj\n% " + text + b"\n" + b"x" * 5000 + b"\n%%EOF\n"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def test_content_types_by_magic_bytes() -> None:
    assert content_type(pdf()) == "application/pdf"
    assert content_type(PNG) == "image/png"
    assert content_type(JPEG) == "image/jpeg"
    assert content_type(docx()).endswith("wordprocessingml.document")
    assert content_type(odt()) == "application/vnd.oasis.opendocument.text"
    assert content_type(b"MZ\x90\x00 a program") is None


def test_add_list_open_save_and_remove_are_audited(coordinator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    a = coordinator.attachments.add("family", fid, "Court order.pdf", pdf())
    coordinator.attachments.add("referral", fid, "Referral form.png", PNG)
    coordinator.attachments.add("family", fid, "Agreement.docx", docx())
    coordinator.attachments.add("family", fid, "Undertaking.odt", odt())
    assert [x.name for x in coordinator.attachments.list("family", fid)] == [
        "Court order.pdf", "Agreement.docx", "Undertaking.odt"]
    assert [x.media_type for x in coordinator.attachments.list("referral", fid)] == ["image/png"]
    assert coordinator.attachments.open(a.id) == pdf()
    out = coordinator.attachments.save_out(a.id, tmp_path / "copy.pdf")
    assert out.read_bytes() == pdf()
    coordinator.attachments.remove(a.id)
    actions = [e.action for e in coordinator.audit.for_record(None, "family", fid)]
    for action in ("attachment added", "attachment opened", "attachment saved out",
                   "attachment removed"):
        assert action in actions
    assert all(str(fid) in e.record_id for e in coordinator.audit.entries(search="attachment"))


@pytest.mark.parametrize(("name", "data"), [
    ("order.pdf", PNG), ("photo.jpg", b"MZ\x90\x00 program"), ("form.docx", pdf()),
    ("form.odt", docx()), ("scan.png", JPEG)])
def test_a_file_whose_content_is_not_its_type_is_refused(coordinator, name, data) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    with pytest.raises(ValidationError, match="its content is not"):
        coordinator.attachments.add("family", fid, name, data)
    assert coordinator.attachments.list("family", fid) == []


def test_other_types_and_the_size_limit(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    with pytest.raises(ValidationError, match="Only PDF"):
        coordinator.attachments.add("family", fid, "run me.exe", b"MZ")
    assert coordinator.attachments.max_mb() == 20
    coordinator.attachments.set_max_mb(1)
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        coordinator.attachments.add("family", fid, "big.pdf", pdf(b"y" * (1024 * 1024)))
    with pytest.raises(ValidationError):
        coordinator.attachments.set_max_mb(0)


def test_the_session_volunteer_is_refused(coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    a = coordinator.attachments.add("family", fid, "Court order.pdf", pdf())
    for call in (lambda: volunteer.attachments.add("family", fid, "x.pdf", pdf()),
                 lambda: volunteer.attachments.list("family", fid),
                 lambda: volunteer.attachments.open(a.id),
                 lambda: volunteer.attachments.remove(a.id)):
        with pytest.raises(PermissionDenied):
            call()


def test_name_and_content_are_sealed_in_the_file(coordinator) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    coordinator.attachments.add("family", fid, "Quillfeather order.pdf", pdf())
    pages = decrypted_pages(coordinator.session.vault.paths.db, coordinator.session.db_key)
    assert MARK not in pages and b"Quillfeather order" not in pages


def test_a_volunteers_attachments_go_with_the_volunteer(coordinator) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.storage.volunteers import VolunteerStore

    v = coordinator.volunteers.create(details())
    coordinator.attachments.add("volunteer", v.id, "Reference letter.pdf", pdf())
    db = coordinator.session.db
    with db.transaction():
        VolunteerStore(db).delete(v.id)
    assert db.scalar("SELECT count(*) FROM attachments") == 0


def test_disposal_leaves_no_page_of_the_attachment(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    old = accepted_family(coordinator)
    a = coordinator.attachments.add("family", old, "Order.pdf", pdf())
    coordinator.attachments.add("referral", old, "Referral.pdf", pdf(b"referral form"))
    db = coordinator.session.db
    sealed = bytes(db.scalar("SELECT content FROM attachments WHERE id = ?", (a.id,)))
    chunk = sealed[len(sealed) // 2:len(sealed) // 2 + 48]
    key = coordinator.session.db_key
    assert chunk in decrypted_pages(coordinator.session.vault.paths.db, key)
    clock.advance(days=3 * 365 + 2)
    assert coordinator.retention.dispose([("family", old)], COORDINATOR[1]).disposed == 1
    assert db.scalar("SELECT count(*) FROM attachments") == 0
    assert chunk not in decrypted_pages(coordinator.session.vault.paths.db, key)


def test_subject_access_gives_a_volunteer_their_own_documents(coordinator) -> None:  # type: ignore[no-untyped-def]
    v = coordinator.volunteers.create(details())
    coordinator.attachments.add("volunteer", v.id, "Reference letter.pdf", pdf())
    req = coordinator.subject_access.log(v.details.full_name, "Photo ID seen", "20/11/2026",
                                         "volunteer", v.id, "")
    response = coordinator.subject_access.assemble(req.id)
    assert [d.name for d in response.attached] == ["Reference letter.pdf"]
    assert response.attached[0].added_on == date(2026, 11, 26)


def test_a_new_seal_key_reseals_attachments(coordinator) -> None:  # type: ignore[no-untyped-def]
    """Listed in models/sealed.py, so replacing the seal key (a manager leaving) reseals them."""
    from ccc_desktop.models import crypto
    from ccc_desktop.models.sealed import Sealer
    from ccc_desktop.models.storage.reseal import reseal_all
    from ccc_desktop.models.storage.sealing import open_binary

    fid = accepted_family(coordinator)
    a = coordinator.attachments.add("family", fid, "Order.pdf", pdf())
    db = coordinator.session.db
    old, new = bytes(coordinator.session.seal_key), crypto.new_key()
    with db.transaction():
        assert reseal_all(db, old, new) >= 1
    saved = db.sealer
    try:
        db.sealer = Sealer(new)
        assert open_binary(db, "attachments", "content", a.id) == pdf()
    finally:
        db.sealer = saved

"""The full export (issue 15): an AES-256 ZIP with every kind of record as CSV, the letters and
the attachments, a README; Coordinator or Chair after their passphrase; audited."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import pyzipper

from ccc_desktop.models.errors import PermissionDenied, ValidationError, WrongPassphrase
from ccc_desktop.models.families_records import IncidentInput
from conftest import COORDINATOR
from tests.family_helpers import accepted_family
from tests.volunteer_helpers import check, details

PASSWORD = "seven zip archive password"


def rows(z, name: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    text = z.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_archive_holds_every_record_and_opens_with_the_password(coordinator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    fid = accepted_family(s, full_name="=HYPERLINK(\"http://x\")")
    s.families.set_restricted_notes(fid, "Restricted: meets at the side door")
    s.families.record_incident(fid, IncidentInput("20/11/2026", "a", "b", "c", "d"))
    v = s.volunteers.create(details(full_name="Pat Jones", phone="01246 555014"))
    s.dbs.record(v.id, check())
    s.attachments.add("family", fid, "Order.pdf", b"%PDF-1.4 order\n%%EOF")
    target = tmp_path / "export.zip"
    result = s.export.export(COORDINATOR[1], PASSWORD, target)
    assert result.path == target and target.exists()
    with pyzipper.AESZipFile(target) as z:
        names = z.namelist()
        # Every entry encrypted (flag bit 0) with WinZip AES (extra field 0x9901), AES-256 (strength 3).
        assert all(i.flag_bits & 0x1 for i in z.infolist())
        assert all(b"\x01\x99" in i.extra and i.extra[i.extra.index(b"\x01\x99") + 8] == 3
                   for i in z.infolist())
        with pytest.raises(RuntimeError):
            z.read("README.txt")  # no password: encrypted
        z.setpassword(PASSWORD.encode())
        readme = z.read("README.txt").decode("utf-8-sig")
        assert "7-Zip" in readme and "families.csv" in readme and "dbs-checks.csv" in readme
        adults = rows(z, "family-adults.csv")
        assert any(a["full_name"].startswith("'=HYPERLINK") for a in adults)  # neutralised
        assert any(a["phone"] for a in adults)  # sealed fields opened
        vols = rows(z, "volunteers.csv")
        assert [x["phone"] for x in vols if x["full_name"] == "Pat Jones"] == ["01246 555014"]
        dbs = rows(z, "dbs-checks.csv")
        assert dbs and dbs[0]["outcome"] == "clear" and len(dbs[0]["certificate_number"]) == 12
        assert rows(z, "family-restricted-notes.csv")[0]["notes"] == "Restricted: meets at the side door"
        assert rows(z, "incidents.csv")
        assert any(n.startswith("attachments/family-") and n.endswith("Order.pdf") for n in names)
        order = next(n for n in names if n.endswith("Order.pdf"))
        assert z.read(order) == b"%PDF-1.4 order\n%%EOF"
        assert "families.csv" in names
        trail = rows(z, "audit-trail.csv")
        assert any(t["action"] == "attachment added" and t["detail"].startswith("attachment ")
                   for t in trail)
    raw = target.read_bytes()
    assert b"Pat Jones" not in raw and b"side door" not in raw
    entry = s.audit.entries(search="full export made")[0]
    assert result.sha256 in entry.detail and entry.actor == "coordinator"


def test_the_passphrase_is_asked_again_and_the_archive_password_must_be_strong(coordinator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WrongPassphrase):
        coordinator.export.export("not my passphrase", PASSWORD, tmp_path / "x.zip")
    with pytest.raises(ValidationError):
        coordinator.export.export(COORDINATOR[1], "short", tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_only_coordinator_and_chair_export(volunteer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        volunteer.export.export("Volunteer passphrase 333", PASSWORD, tmp_path / "x.zip")

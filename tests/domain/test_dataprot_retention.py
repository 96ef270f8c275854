"""Retention (policy clause 10): the report's rules at the date edges, exports, and disposal."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from dataprot_fakes import FakeSource, only_retention_sources
from pypdf import PdfReader

from ccc_desktop.models.errors import PermissionDenied, ValidationError, WrongPassphrase
from ccc_desktop.models.exports import neutralise
from ccc_desktop.models.services.retention import DUE, HELD, SOON, due_date
from conftest import CHAIR, COORDINATOR


@pytest.fixture
def families(monkeypatch, coordinator) -> FakeSource:
    fam = FakeSource("family", "last used", "F")
    vol = FakeSource("volunteer", "resigned", "V")
    only_retention_sources(monkeypatch, coordinator, fam, vol)
    fam.install(coordinator.session)
    vol.install(coordinator.session)
    fam.volunteers = vol  # type: ignore[attr-defined]
    return fam


def statuses(services) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {i.label: i.status for i in services.retention.report().items}


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # table cells wrap


# ---- the date rules -----------------------------------------------------------------------------
def test_due_date_is_exact_calendar_arithmetic_with_leap_days() -> None:
    assert due_date(date(2023, 11, 26), 3) == date(2026, 11, 26)
    assert due_date(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert due_date(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert due_date(date(2024, 2, 28), 3) == date(2027, 2, 28)


def test_exactly_three_years_after_last_use_is_due_and_a_day_less_is_not(coordinator, families) -> None:
    s = coordinator.session  # today is 26 Nov 2026
    families.add(s, "Exactly three years", date(2023, 11, 26))
    families.add(s, "One day short", date(2023, 11, 27))
    families.add(s, "Long ago", date(2019, 5, 1))
    families.add(s, "Used this year", date(2026, 3, 1))
    report = coordinator.retention.report()
    by_label = {i.label: i for i in report.items}
    assert by_label["Exactly three years"].status == DUE
    assert by_label["Exactly three years"].due_on == date(2026, 11, 26)
    assert by_label["One day short"].status == SOON
    assert by_label["One day short"].due_on == date(2026, 11, 27)
    assert by_label["Long ago"].status == DUE
    assert "Used this year" not in by_label
    assert [i.label for i in report.due] == ["Long ago", "Exactly three years"]  # oldest first


def test_counted_from_last_use_not_from_creation(coordinator, families) -> None:
    families.add(coordinator.session, "Old but used lately", date(2025, 6, 1), created_on=date(2015, 1, 1))
    assert "Old but used lately" not in statuses(coordinator)


def test_leap_day_last_use_falls_due_on_28_february(coordinator, families, clock) -> None:
    families.add(coordinator.session, "Leap day", date(2024, 2, 29))
    clock.at = datetime(2027, 2, 27, 9, 0)
    assert statuses(coordinator)["Leap day"] == SOON
    clock.at = datetime(2027, 2, 28, 9, 0)
    assert statuses(coordinator)["Leap day"] == DUE
    assert coordinator.retention.report().items[0].due_on == date(2027, 2, 28)


def test_falling_due_window_is_the_next_90_days_inclusive(coordinator, families) -> None:
    # 26 Nov 2026 + 90 days = 24 Feb 2027.
    families.add(coordinator.session, "Due on day 90", date(2024, 2, 24))
    families.add(coordinator.session, "Due on day 91", date(2024, 2, 25))
    got = statuses(coordinator)
    assert got == {"Due on day 90": SOON}


def test_volunteers_count_from_resignation_and_active_ones_never_appear(coordinator, families) -> None:
    vols = families.volunteers  # type: ignore[attr-defined]
    vols.add(coordinator.session, "Resigned exactly three years ago", date(2023, 11, 26))
    vols.add(coordinator.session, "Still active", None, created_on=date(2010, 1, 1))
    items = coordinator.retention.report().items
    assert [(i.label, i.category, i.basis, i.status) for i in items] == [
        ("Resigned exactly three years ago", "volunteer", "resigned", DUE)]


def test_the_period_is_a_setting(coordinator, families, volunteer) -> None:
    families.add(coordinator.session, "Four years", date(2022, 11, 26))
    families.add(coordinator.session, "Five years", date(2021, 11, 26))
    assert coordinator.retention.period_years() == 3
    coordinator.retention.set_period_years(5)
    assert statuses(coordinator) == {"Five years": DUE}
    assert coordinator.retention.report().period_years == 5
    for bad in (0, 26, "3"):
        with pytest.raises(ValidationError) as err:
            coordinator.retention.set_period_years(bad)  # type: ignore[arg-type]
        assert err.value.field == "retention_years"
    with pytest.raises(PermissionDenied):
        volunteer.retention.set_period_years(3)
    assert coordinator.audit.entries(coordinator.session.actor, "retention_years")


def test_holds_keep_records_back_and_the_report_says_why(coordinator, families) -> None:
    s = coordinator.session
    families.add(s, "Summons", date(2020, 1, 1), summons=True)
    families.add(s, "Incident", date(2020, 1, 1), incident=True)
    sar_family = families.add(s, "Asked for their data", date(2020, 1, 1))
    request = coordinator.subject_access.log("Asked for their data", "Photo ID seen", "20/11/2026",
                                             "family", sar_family, "parent_a")
    report = coordinator.retention.report()
    held = {i.label: i.holds for i in report.held}
    assert held == {
        "Summons": ("Linked to an open witness summons",),
        "Incident": ("Safeguarding incident hold",),
        "Asked for their data": ("Open subject access request",),
    }
    assert not report.due
    # Once the request is answered the hold lifts.
    coordinator.subject_access.close(request.id, "answered")
    assert statuses(coordinator)["Asked for their data"] == DUE


def test_a_held_record_within_the_window_is_shown_as_held(coordinator, families) -> None:
    families.add(coordinator.session, "Held, not yet due", date(2024, 1, 10), incident=True)
    assert statuses(coordinator) == {"Held, not yet due": HELD}


def test_only_reporting_roles_see_the_report(volunteer, families) -> None:
    with pytest.raises(PermissionDenied):
        volunteer.retention.report()


# ---- exports ------------------------------------------------------------------------------------
def test_csv_neutralises_formula_cells() -> None:
    assert neutralise("=SUM(A1:A9)") == "'=SUM(A1:A9)"
    assert neutralise("+441246") == "'+441246"
    assert neutralise("-2+3") == "'-2+3"
    assert neutralise("@cmd") == "'@cmd"
    assert neutralise("\tTab") == "'\tTab"
    assert neutralise("\rCR") == "'\rCR"
    assert neutralise("O'Brien = fine") == "O'Brien = fine"
    assert neutralise(None) == ""


def test_csv_export_is_neutralised_and_audited_without_names(coordinator, families, tmp_path: Path) -> None:
    families.add(coordinator.session, '=HYPERLINK("http://x","click")', date(2020, 1, 1))
    families.add(coordinator.session, "@Ana Müller", date(2020, 1, 2))
    path = tmp_path / "retention.csv"
    coordinator.retention.save_report(path, "csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Category", "Record"]
    labels = {r[2] for r in rows[1:]}
    assert labels == {"'=HYPERLINK(\"http://x\",\"click\")", "'@Ana Müller"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    assert {r[6] for r in rows[1:]} == {"Due for disposal"}
    entries = coordinator.audit.entries(coordinator.session.actor, "retention report exported")
    assert entries and entries[0].detail == "CSV saved; 2 records"
    assert "Ana" not in entries[0].detail


def test_pdf_report_is_dated_paged_with_the_centre_name_and_escaped(coordinator, families, tmp_path) -> None:
    s = coordinator.session
    families.add(s, 'Tom <b>& "Jerry"</b>', date(2020, 1, 1))
    families.add(s, "Held one", date(2020, 1, 1), summons=True)
    for n in range(70):
        families.add(s, f"Person number {n}", date(2023, 12, 1))  # all falling due soon
    path = tmp_path / "retention.pdf"
    coordinator.retention.save_report(path, "pdf")
    reader = PdfReader(str(path))
    text = pdf_text(path.read_bytes())
    assert len(reader.pages) >= 2
    assert "Page 2" in text
    assert "Riverside Child Contact Centre" in text
    assert "26 November 2026" in text
    assert "Retention report" in text
    assert 'Tom <b>& "Jerry"</b>' in text
    assert "Linked to an open witness summons" in text
    assert "Due for disposal (1)" in text and "Falling due in the next 90 days (70)" in text
    assert coordinator.audit.entries(coordinator.session.actor, "PDF saved; 72 records")


# ---- disposal -----------------------------------------------------------------------------------
def decrypted_pages(path: Path, key: bytes) -> bytes:
    """Every page of the SQLCipher file decrypted, free pages included (SQLCipher 4 layout:
    AES-256-CBC with the raw key, a 16-byte IV and a 64-byte HMAC reserved at each page's end)."""
    raw = path.read_bytes()
    page, reserve = 4096, 80
    assert len(raw) % page == 0
    out = bytearray()
    for n in range(len(raw) // page):
        p = raw[n * page:(n + 1) * page]
        start = 16 if n == 0 else 0  # page 1 begins with the salt
        iv = p[page - reserve:page - reserve + 16]
        dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out += dec.update(p[start:page - reserve]) + dec.finalize()
    assert out[0:2] == b"\x10\x00"  # bytes 16-17 of the SQLite header: page size 4096
    return bytes(out)


def plaintext_export(path: Path, key: bytes, target: Path) -> bytes:
    """The other way in: a decrypted copy made by SQLCipher itself (live pages only)."""
    import sqlcipher3

    from ccc_desktop.models.storage.database import apply_key

    conn = sqlcipher3.connect(str(path))
    try:
        apply_key(conn, key)
        conn.execute("ATTACH DATABASE ? AS plaintext KEY ''", (str(target),))
        conn.execute("SELECT sqlcipher_export('plaintext')")
        conn.execute("DETACH DATABASE plaintext")
    finally:
        conn.close()
    return target.read_bytes()


def test_disposal_removes_every_trace_including_free_pages(coordinator, families, tmp_path) -> None:
    s = coordinator.session
    name = "Zebedee Quillfeather"
    kept_name = "Philippa Kettleworth"
    gone = families.add(s, name, date(2020, 3, 1), visits=[f"{name} came with both children"] * 30,
                        secret=f"sealed note about {name}")
    families.add(s, kept_name, date(2026, 1, 1))
    coordinator.letters.keep("attendance", "Attendance letter", "family", gone,
                             b"%PDF-1.4 fake letter for " + name.encode())
    old = coordinator.subject_access.log(name, "Photo ID seen", "01/06/2026", "family", gone, "parent_a")
    coordinator.subject_access.close(old.id, "answered", date(2026, 6, 20))
    coordinator.subject_access.produce(old.id)

    key = bytes(s.db_key)
    needle = name.encode("utf-8")
    before = decrypted_pages(s.vault.paths.db, key)
    assert needle in before  # the search works: the name is there before disposal

    result = coordinator.retention.dispose([("family", gone)], COORDINATOR[1])
    assert result.disposed == 1 and result.rows_deleted >= 33

    after = decrypted_pages(s.vault.paths.db, key)
    assert needle not in after
    plain = plaintext_export(s.vault.paths.db, key, tmp_path / "plain.db")
    assert plain.startswith(b"SQLite format 3") and kept_name.encode() in plain
    assert needle not in plain
    assert b"Zebedee" not in after and b"Quillfeather" not in after
    assert name.encode("utf-16-le") not in after
    assert kept_name.encode() in after  # other records are untouched
    assert not s.vault.paths.db.with_name(s.vault.paths.db.name + "-journal").exists()
    assert s.db.scalar("PRAGMA freelist_count") == 0
    assert coordinator.letters.for_subject("family", gone) == []
    assert coordinator.subject_access.list() == []
    assert coordinator.audit.verify().ok


def test_disposal_log_keeps_only_reference_category_dates_and_who(chair, families) -> None:
    s = chair.session
    families.add(s, "Alpha Family", date(2021, 4, 30))
    vol = families.volunteers  # type: ignore[attr-defined]
    v = vol.add(s, "Beta Volunteer", date(2022, 1, 15))
    fam_id = [i.record_id for i in chair.retention.report().due if i.category == "family"][0]
    seen: list[tuple[int, int]] = []
    result = chair.retention.dispose([("family", fam_id), ("volunteer", v)], CHAIR[1],
                                     progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (3, 3) and len(seen) == 3
    log = chair.retention.disposal_log()
    assert {(e.reference, e.category, e.last_used, e.disposed_on, e.authorised_by, e.authorised_role)
            for e in log} == {
        (f"F-{fam_id:05d}", "family", date(2021, 4, 30), date(2026, 11, 26), "Margaret Holt", "Chair"),
        (f"V-{v:05d}", "volunteer", date(2022, 1, 15), date(2026, 11, 26), "Margaret Holt", "Chair"),
    }
    columns = [r[1] for r in s.db.query("PRAGMA table_info(disposal_log)")]
    # Issue 12: what was cleared from other records (no names) is kept sealed beside them.
    assert columns == ["id", "batch_id", "reference", "category", "last_used", "disposed_on",
                       "cleared", "private_sealed"]
    assert {r[0] for r in s.db.query("SELECT cleared FROM disposal_log")} == {""}
    assert chair.retention.report().items == ()
    batch = chair.retention.batch(result.batch_id)
    assert batch.vacuumed and batch.record_count == 2
    # No audit entry carries a disposed name.
    for e in s.audit.store.iter_all():
        assert "Alpha" not in e.detail and "Beta" not in e.detail
    # The certificate for the committee.
    text = pdf_text(chair.retention.certificate_pdf(result.batch_id))
    assert "Certificate of disposal" in text
    assert f"F-{fam_id:05d}" in text and f"V-{v:05d}" in text
    assert "Margaret Holt, Chair" in text
    assert "Alpha" not in text and "Beta" not in text
    assert chair.audit.entries(s.actor, "disposal certificate produced")


def test_disposal_needs_the_passphrase_again(coordinator, families) -> None:
    rid = families.add(coordinator.session, "Still here", date(2020, 1, 1))
    before = families.count(coordinator.session)
    with pytest.raises(WrongPassphrase):
        coordinator.retention.dispose([("family", rid)], "not my passphrase")
    with pytest.raises(WrongPassphrase):
        coordinator.retention.dispose([("family", rid)], CHAIR[1])  # someone else's
    assert families.count(coordinator.session) == before
    assert coordinator.retention.disposal_log() == []
    assert len(coordinator.audit.entries(coordinator.session.actor, "disposal refused")) == 2


def test_only_due_unheld_records_can_be_disposed_of(coordinator, families) -> None:
    s = coordinator.session
    soon = families.add(s, "Soon", date(2023, 12, 1))
    held = families.add(s, "Held", date(2020, 1, 1), incident=True)
    recent = families.add(s, "Recent", date(2026, 1, 1))
    due = families.add(s, "Due", date(2020, 1, 1))
    for rid, message in ((soon, "not yet due"), (recent, "not yet due"),
                         (held, "Safeguarding incident hold")):
        with pytest.raises(ValidationError, match=message):
            coordinator.retention.dispose([("family", due), ("family", rid)], COORDINATOR[1])
    with pytest.raises(ValidationError, match="Choose the records"):
        coordinator.retention.dispose([], COORDINATOR[1])
    assert families.count(s) == 4  # nothing went, not even the due one listed first
    coordinator.retention.dispose([("family", due)], COORDINATOR[1])
    assert families.count(s) == 3


def test_volunteer_cannot_dispose(volunteer, coordinator, families) -> None:
    rid = families.add(coordinator.session, "Due", date(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        volunteer.retention.dispose([("family", rid)], "Volunteer passphrase 333")


def test_dashboard_counts_due_held_and_soon(coordinator, families) -> None:
    s = coordinator.session
    families.add(s, "Due", date(2020, 1, 1))
    families.add(s, "Held", date(2020, 1, 1), summons=True)
    families.add(s, "Soon", date(2023, 12, 1))
    section = next(x for x in coordinator.dashboard.sections() if x.title == "Retention")
    texts = [i.text for i in section.items]
    assert texts[0].startswith("1 record is past the 3-year retention period")
    assert section.items[0].severity == "overdue"
    assert any("held" in t for t in texts) and any("next 90 days" in t for t in texts)


def test_printing_the_report_from_the_preview_is_audited(coordinator, families) -> None:
    families.add(coordinator.session, "Due", date(2020, 1, 1))
    report = coordinator.retention.report()
    coordinator.retention.record_export("printed", report)
    entry = coordinator.audit.entries(coordinator.session.actor, "retention report exported")[0]
    assert entry.detail == "printed; 1 record"


def test_a_busy_file_leaves_the_disposal_done_and_offers_compacting(coordinator, families, monkeypatch) -> None:
    import sqlcipher3

    from ccc_desktop.models.storage.database import Database

    rid = families.add(coordinator.session, "Due", date(2020, 1, 1))

    def busy(self) -> None:  # type: ignore[no-untyped-def]
        raise sqlcipher3.OperationalError("database is locked")

    monkeypatch.setattr(Database, "vacuum", busy)
    result = coordinator.retention.dispose([("family", rid)], COORDINATOR[1])
    assert result.disposed == 1 and not result.vacuumed
    assert coordinator.retention.needs_compacting()
    assert "was not compacted" in pdf_text(coordinator.retention.certificate_pdf(result.batch_id))
    monkeypatch.undo()
    coordinator.retention.compact()
    assert not coordinator.retention.needs_compacting()
    assert coordinator.retention.batch(result.batch_id).vacuumed

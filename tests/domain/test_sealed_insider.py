"""Issue 12, the insider's view through the files: a Session volunteer's own key reads the
register and nothing else; a disposed family leaves no name behind, in the file or in the
copies the program keeps under backups/."""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, timedelta

from family_helpers import accepted_family, child, referral, resident
from insider_view import (
    STEP_KEYS,
    as_text,
    column_values,
    decrypted_pages,
    every_cell,
    every_column,
    leaks,
    pdf_text,
    readable_text,
    sealed_columns_read,
    slot_key,
    steps_read,
)
from test_attachments import pdf
from volunteer_helpers import check, details

from ccc_desktop.models import managed_copies
from ccc_desktop.models.families_records import IncidentInput
from ccc_desktop.models.legal_records import AgreementForm, PoliceVisitForm, SummonsForm
from ccc_desktop.models.sealed import SEALED_TABLES
from ccc_desktop.models.services.legal import SUMMONS_LETTER_KINDS
from ccc_desktop.models.storage.migrate import backup_before_migration
from ccc_desktop.models.storage.sealed_ledger import SEALED_EVENTS
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, VOLUNTEER

PRIVATE = ("1 Secret Street", "07700 900123", "jane@example.org", "9 Private Road",
           "2019-03-14", "14/03/2019", "Nut allergy", "Ann Solicitor", "01234 567890",
           "Checklist done")


def test_the_volunteer_key_reads_names_and_times_but_nothing_private(coordinator, vault) -> None:
    fid = accepted_family(coordinator)
    coordinator.summonses.log(SummonsForm(
        "20/11/2026", "post", "Derby Family Court", "DE26P00417", "10/12/2026",
        applicant="Marlowe & Finch Solicitors", applicant_address="3 Quayside Chambers",
        family_id=fid, notes="Served at the door by Ms Quennell"))
    coordinator.police.log(PoliceVisitForm("21/11/2026", "PC Gatiss", officer_number="4471",
                                           asked="Whereabouts of Jane Example", said="Nothing given",
                                           family_id=fid))
    summons = coordinator.summonses.all()[0]
    coordinator.summonses.record_step(summons.id, "chair", "21/11/2026", "Carol Dean")
    # Migration 0024: an incident, which family and when; a request's date and answer.
    coordinator.disclosures.log_request(fid, "PC Smith", "Police", "18/11/2026", "Notes")
    # Migration 0024: a consent's dates; an agreement's agency, family and dates; whose record a
    # subject access request is about and its dates.
    adult = coordinator.families.get(fid).adults[0].id
    coordinator.families.record_consent(adult, "Law & Co", "Letters", "17/11/2026", "Form")
    coordinator.agreements.add(AgreementForm("social worker", "Derbyshire Children's Services",
                                             "Observed contact", "16/11/2026", "16/12/2026",
                                             "Carol Dean", fid))
    coordinator.subject_access.log("Jane Example", "Photo ID seen", "15/11/2026", "family", fid, "")
    coordinator.families.record_incident(fid, IncidentInput(
        "19/11/2026", "Raised voice at handover", "Both parents", "Separated", "Chair", "accident"))
    # Migration 0020: how a family was referred, and when a volunteer's certificate was issued.
    coordinator.families.create(referral(route="cafcass", referral_date="03/09/2026"),
                                [resident(full_name="Rhoswen Tarrant")], [child()])
    v = coordinator.volunteers.create(details())
    coordinator.dbs.record(v.id, check(issue_date=date(2025, 6, 7)))
    # Migration 0023: when a family was referred, visited, accepted or closed, and why.
    closed = accepted_family(coordinator, full_name="Cleo Closter")
    # Migration 0026: of the waiting list, which family, when it joined and left, and why
    # ("referral closed" would date the closing).
    coordinator.waiting.add(closed, "14/10/2026")
    coordinator.families.record_review(fid, "12/10/2026", "")  # and a review's date (0026)
    coordinator.families.set_status(closed, "closed", "ended for safety", "Threat made at handover")
    # Migration 0022: of a stored letter and an attached document, nothing but that they exist
    # and which rows share an owner (a blind index): not which record, kind, title, media type,
    # size, date or who made it.
    request = coordinator.disclosures.log_request(fid, "Ann Solicitor", "Brook & Hale",
                                                  "22/11/2026", "Attendance dates")
    letter = coordinator.disclosures.answer_with_attendance(request)
    coordinator.summonses.generate_letter(summons.id, SUMMONS_LETTER_KINDS[0])
    doc = coordinator.attachments.add("summons", summons.id, "Witness summons.pdf", pdf())
    key, seal = slot_key(vault.paths.data_dir, *VOLUNTEER)
    assert seal is None
    text = readable_text(vault.paths.db, key)
    for table, open_ in (("letters", {"id", "private_sealed", "pdf", "subject_index"}),
                         ("attachments", {"id", "private_sealed", "content", "owner_index"})):
        assert sealed_columns_read(vault.paths.db, key, table, open_) == {}, table
    cells = every_cell(vault.paths.db, key)
    papers = " ".join(as_text(v) for t in ("letters", "attachments") for r in cells[t] for v in r)
    for word in ("attendance", "summons_court", "application/pdf", letter.created_at,
                 str(len(pdf())), "family", "summons"):
        assert word not in papers, word
    for word in ("Attendance letter", "Witness summons"):
        assert word not in text, word
    # Nor through the disclosure answered with the letter: how, when, and which letter.
    disclosure_open = {"id", "family_id", "requested_on", "created_at", "created_by",
                       "private_sealed"}
    assert sealed_columns_read(vault.paths.db, key, "disclosures", disclosure_open) == {}
    assert doc.id in {r[0] for r in cells["attachments"]}
    assert "Jane Example" in text  # the register's names stay open
    # No sealed column of any registered table holds anything but its cleared value.
    for table in SEALED_TABLES:
        assert leaks(vault.paths.db, key, table) == {}, table
    for secret in ("ended for safety", "Threat made at handover", "2026-09-02", "2026-09-15"):
        assert secret not in text, secret
    assert column_values(vault.paths.db, key, "families", "referral_route") == {""}
    dbs_open = {"id", "certificate_index", "outcome_sealed", "disclosed_sealed",
                "decision_sealed", "private_sealed"}
    for column in set(every_column(vault.paths.db, key, "dbs_checks")) - dbs_open:
        placeholder = SEALED_TABLES["dbs_checks"].fields[column]
        assert column_values(vault.paths.db, key, "dbs_checks", column) == {placeholder}, column
    assert "2025-06-07" not in text and "07/06/2025" not in text
    # Migration 0020 too: of a summons, its steps and a police visit, only that they exist is
    # open: not which family, which dates, how the summons came or who logged it; nor (0024)
    # which of the four steps were taken: every summons has a row for each, all one size.
    for table, open_ in (("summonses", {"id", "private_sealed"}),
                         ("police_visits", {"id", "private_sealed"}),
                         ("summons_steps", {"id", "summons_id", "step", "private_sealed"}),
                         ("incidents", {"id", "details_sealed", "private_sealed"}),
                         ("disclosures", {"id", "private_sealed"}),
                         ("consents", {"id", "private_sealed"}),
                         ("assessment_agreements", {"id", "private_sealed"}),
                         ("subject_access_requests", {"id", "private_sealed"}),
                         ("waiting_list", {"id", "private_sealed"}),
                         ("family_reviews", {"id", "family_index", "private_sealed"}),  # 0030
                         # 0028: of a volunteer, the name (who is on duty) and account link.
                         ("volunteers", {"id", "full_name", "account_id", "details_sealed",
                                         "stats_json", "private_sealed"})):
        for column, placeholder in SEALED_TABLES[table].fields.items():
            assert column_values(vault.paths.db, key, table, column) <= {placeholder}, column
        assert set(every_column(vault.paths.db, key, table)) - open_ <= set(SEALED_TABLES[table].fields)
    assert sorted(steps_read(vault.paths.db, key)) == [(summons.id, s, 1) for s in STEP_KEYS]
    for date_ in ("2026-11-20", "20/11/2026", "2026-11-21", "21/11/2026", "2026-12-10",
                  "2026-11-19", "2026-11-18", "2026-11-17", "2026-11-16", "2026-12-16",
                  "2026-11-15", "social worker", "2026-10-14", "referral closed", "2026-10-12",
                  "waiting list joined", "2026-01-10", "2026-01-20"):
        assert date_ not in text, date_
    assert str(fid) not in column_values(vault.paths.db, key, "summonses", "family_id")
    # Nor through the statistics ledger, joined with a family's open referral date.
    assert not column_values(vault.paths.db, key, "stats_ledger", "event") & SEALED_EVENTS
    assert "cafcass" not in " ".join(map(str, column_values(vault.paths.db, key,
                                                          "stats_ledger", "category")))
    for secret in (*PRIVATE, "DE26P00417", "Marlowe & Finch", "Quayside", "Quennell", "Gatiss",
                   "Whereabouts", "Derby Family Court"):
        assert secret not in text, secret
    pages = decrypted_pages(vault.paths.db, key).decode("latin-1")
    for secret in PRIVATE:
        assert secret not in pages, secret


def test_disposal_clears_names_from_other_records_and_the_managed_copies(coordinator, vault, clock) -> None:
    fid = accepted_family(coordinator, full_name="Ottoline Pemberton-Quayle")
    summons = coordinator.summonses.log(SummonsForm(
        "20/11/2026", "post", "Derby Family Court", "DE26P00417", "10/12/2026",
        applicant="Ottoline Pemberton-Quayle", applicant_address="4 Lantern Yard, Derby",
        family_id=fid, notes="Ottoline Pemberton-Quayle asked for the attendance notes"))
    coordinator.summonses.generate_letter(summons.id, SUMMONS_LETTER_KINDS[0])
    coordinator.summonses.close(summons.id, "set aside", "24/11/2026", "Set aside")
    coordinator.police.log(PoliceVisitForm("21/11/2026", "PC Gatiss",
                                           asked="Whereabouts of Ottoline Pemberton-Quayle",
                                           family_id=fid))
    # A copy the program keeps (as before an upgrade), made now with the family in it.
    copy = backup_before_migration(coordinator.session.db, [vault.paths.keys], vault.paths.backups, 9)
    clock.advance(days=3 * 365 + 30)
    result = coordinator.retention.dispose([("family", fid)], COORDINATOR[1])
    assert result.disposed == 1
    # The summons and the visit stay (they are the centre's records), without the names.
    kept = coordinator.summonses.detail(summons.id)
    assert "Pemberton" not in repr(kept.summons) and kept.summons.applicant == ""
    assert not kept.letters
    visit = coordinator.police.all()[0]
    assert "Pemberton" not in repr(visit) and "Whereabouts of [removed]" == visit.asked
    # The certificate says by which date the last managed copy holding the family is gone.
    made = datetime.fromtimestamp(copy.stat().st_mtime)
    pdf = coordinator.retention.certificate_pdf(result.batch_id)
    gone_by = (made + timedelta(days=90)).date()
    assert gone_by.strftime("%-d %B %Y") in " ".join(pdf_text(pdf).split())

    # Through the files: no page of the live file holds a name, for the manager's key either.
    key, _seal = slot_key(vault.paths.data_dir, *COORDINATOR)
    coordinator.session.lock()
    for name in (b"Pemberton", b"Ottoline", b"Lantern Yard"):
        assert name not in decrypted_pages(vault.paths.db, key)
    text = readable_text(vault.paths.db, key)
    assert "Pemberton" not in text
    for row in every_cell(vault.paths.db, key)["letters"]:
        assert all("Pemberton" not in pdf_text(v) for v in row if isinstance(v, bytes))
    # The managed copy still holds the family until its time is up; then the next unlock
    # deletes it, and no copy under backups/ holds a name.
    assert b"Pemberton" in decrypted_pages(copy / "centre.cccdb", key)  # the names are open
    os.utime(copy, (made.timestamp(), made.timestamp()))
    later = Vault(vault.paths.data_dir, clock)
    clock.at = made + timedelta(days=91)
    later.unlock(*COORDINATOR).lock()
    assert not copy.exists()
    for folder in vault.paths.backups.iterdir() if vault.paths.backups.exists() else []:
        for f in folder.rglob("*"):
            if f.is_file() and f.suffix == ".cccdb":
                assert b"Pemberton" not in decrypted_pages(f, key)
    assert managed_copies.copies(vault.paths.backups) == []
    shutil.rmtree(vault.paths.backups, ignore_errors=True)

"""Disposal reaches everything, and says so (issue 12): a disposed volunteer's or family's name
goes from the free text of every record that stays, and the certificate lists which kind of
record and field was cleared, never the name."""

from __future__ import annotations

from datetime import date

from family_helpers import accepted_family
from insider_view import decrypted_pages, every_cell, pdf_text, readable_text, slot_key
from test_attachments import pdf
from test_dataprot_areas import resigned

from ccc_desktop.models.families_records import IncidentInput
from ccc_desktop.models.legal_records import PoliceVisitForm, SummonsForm
from ccc_desktop.models.services.legal import SUMMONS_LETTER_KINDS
from ccc_desktop.models.storage.data_protection import NAME_SEALED_TEXT, NAME_TEXT_FIELDS
from conftest import COORDINATOR, VOLUNTEER

NAME = "Quentin Harcourt-Vane"
WORDS = ("Quentin", "Harcourt-Vane")


def _volunteer_named_everywhere(coordinator):  # type: ignore[no-untyped-def]
    """A resigned volunteer named in a closed summons (served on, notes, a step, a letter and a
    court paper), a police visit, a family's pre-visit and safety notes, a colleague's DBS
    check (ID checked by), a review, restricted notes and an incident."""
    v = resigned(coordinator, NAME, date(2021, 6, 1))
    resigned(coordinator, "Colleague Person", date(2026, 1, 1),
             notes=f"Trained alongside {NAME}")
    colleague = next(x for x in coordinator.volunteers.list() if x.details.full_name == "Colleague Person")
    from volunteer_helpers import check
    coordinator.dbs.record(colleague.id, check(issue_date=date(2026, 2, 1), id_checked_by=NAME))
    fid = accepted_family(coordinator)
    coordinator.families.record_previsit(fid, "02/11/2026", NAME, f"Done with {NAME}")
    coordinator.families.set_safety(fid, "", "Quentin to walk the mother to the car")
    coordinator.families.record_review(fid, "20/11/2026", f"Reviewed with Q. {WORDS[1]}")
    coordinator.families.set_restricted_notes(fid, f"Raised by {NAME}")
    coordinator.families.record_incident(fid, IncidentInput(
        "20/11/2026", "Raised voice at handover", f"Father and {NAME}", "Calmed down",
        "The Coordinator"))
    summons = coordinator.summonses.log(SummonsForm(
        "20/11/2026", "in person", "Derby Family Court", "DE26P00999", "10/12/2026",
        served_on=NAME, notes=f"{NAME} was handed it at the door"))
    coordinator.summonses.record_step(summons.id, "chair", "21/11/2026", "The Chair",
                                      f"Told {NAME}")
    coordinator.summonses.generate_letter(summons.id, SUMMONS_LETTER_KINDS[0])
    coordinator.attachments.add("summons", summons.id, "Summons.pdf",
                                pdf(b"Witness summons to " + NAME.encode()))
    coordinator.summonses.close(summons.id, "set aside", "24/11/2026", f"{NAME} need not attend")
    coordinator.police.log(PoliceVisitForm("21/11/2026", "PC Gatiss",
                                           asked=f"Whereabouts of {NAME}", said="Not given"))
    return v, summons, fid


def test_disposing_of_a_volunteer_clears_their_name_everywhere_and_the_certificate_says_where(
        coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    v, summons, fid = _volunteer_named_everywhere(coordinator)
    assert NAME in repr(coordinator.summonses.detail(summons.id).summons)
    result = coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    assert result.disposed == 1 and result.vacuumed

    # The summons and the visit stay, without the name; its letter and court paper are gone.
    kept = coordinator.summonses.detail(summons.id)
    assert kept.summons.served_on == "[removed]"
    assert "Harcourt" not in repr(kept) and not kept.letters
    assert coordinator.attachments.list("summons", summons.id) == []
    assert coordinator.police.all()[0].asked == "Whereabouts of [removed]"
    fam = coordinator.families.get(fid)
    assert "Harcourt" not in repr(fam) and "Quentin" not in repr(fam)
    assert "Harcourt" not in coordinator.families.restricted_notes(fid)

    # The certificate lists what was cleared, by kind of record and field, never the name.
    entry = coordinator.retention.batch(result.batch_id).entries[0]
    cleared = {(t, f): n for t, f, n in entry.cleared}
    assert cleared[("summonses", "served_on")] == 1
    assert cleared[("summonses", "deleted letters")] == 1
    assert cleared[("summonses", "deleted attachments")] == 1
    assert cleared[("police_visits", "asked")] == 1
    assert cleared[("dbs_checks", "id_checked_by")] == 1
    assert cleared[("families", "previsit_by")] == 1
    assert cleared[("families", "restricted_sealed")] == 1
    assert cleared[("incidents", "details_sealed.who")] == 1
    assert cleared[("volunteers", "details_sealed.notes")] == 1
    assert "Harcourt" not in repr(coordinator.families.incidents(fid))
    assert all("Harcourt" not in repr(x) for x in coordinator.volunteers.list())
    text = " ".join(pdf_text(coordinator.retention.certificate_pdf(result.batch_id)).split())
    assert f"V-{v.id:05d}" in text
    for line in ("Witness summons served on 1", "Witness summons letters naming them deleted 1",
                 "Police visit what was asked 1", "DBS check ID checked by 1",
                 "Family pre-visit by 1"):
        assert line in text, line
    assert all(w not in text for w in WORDS)

    # Through the files: no page of the live file holds the name, with either key.
    key, _seal = slot_key(vault.paths.data_dir, *COORDINATOR)
    vkey, _ = slot_key(vault.paths.data_dir, *VOLUNTEER)
    assert vkey == key  # one database key; the seal key is what differs
    coordinator.session.lock()
    pages = decrypted_pages(vault.paths.db, key)
    for w in WORDS:
        assert w.encode() not in pages, w
        assert w.encode("utf-16-le") not in pages, w
    text = readable_text(vault.paths.db, key)
    assert all(w not in text for w in WORDS)
    for row in every_cell(vault.paths.db, key)["letters"]:
        assert all("Harcourt" not in pdf_text(x) for x in row if isinstance(x, bytes))


def test_the_log_line_of_what_was_cleared_is_sealed(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    v, _summons, _fid = _volunteer_named_everywhere(coordinator)
    coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    key, _ = slot_key(vault.paths.data_dir, *VOLUNTEER)
    rows = every_cell(vault.paths.db, key)["disposal_log"]
    assert rows and all("served_on" not in repr(r) and "summonses" not in repr(r) for r in rows)


def test_a_family_disposal_lists_the_police_visit_it_cleared(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator, full_name="Ottoline Pemberton-Quayle")
    coordinator.police.log(PoliceVisitForm("21/11/2026", "PC Gatiss",
                                           asked="Whereabouts of Ottoline Pemberton-Quayle"))
    clock.advance(days=3 * 365 + 30)
    result = coordinator.retention.dispose([("family", fid)], COORDINATOR[1])
    entry = coordinator.retention.batch(result.batch_id).entries[0]
    assert entry.cleared == (("police_visits", "asked", 1),)
    text = " ".join(pdf_text(coordinator.retention.certificate_pdf(result.batch_id)).split())
    assert "Police visit what was asked 1" in text and "Pemberton" not in text


# Text columns that never hold a person's name (codes, dates, fixed choices, open register
# names of the record itself, sealed blobs handled through NAME_SEALED_TEXT, or the record's
# own rows, deleted with it).
NOT_NAMES: dict[str, str | tuple[str, ...]] = {
    "meta": "*", "settings": "*", "accounts": "*", "audit_log": "*", "letter_templates": "*",
    "policy_versions": "*", "disposal_batches": "*", "disposal_log": "*",
    "disposal_reinstated": "*", "backup_log": "*", "import_items": "*", "import_mappings": "*",
    # Who imported or undid an import: a Coordinator's or Chair's account name (never disposed).
    "import_batches": ("checksum", "actor", "undone_by"),
    "stats_ledger": "*", "stats_sealed": "*", "stats_pending": "*", "family_names": "*",
    "sqlite_sequence": "*",
    "family_adults": "*", "family_children": "*", "volunteers": "*", "rota": "*",
    "session_patterns": "*", "waiting_list": "*",  # left_reason: a fixed choice
}
NOT_NAME_COLUMNS = {
    "reference", "contact_kind", "referral_status", "referral_route", "status", "kind",
    "received_how", "hearing_time", "respond_by", "outcome", "step", "visit_time", "agency_type",
    "valid_from", "valid_to", "ground", "answer", "subject_type", "subject_category",
    "subject_person", "media_type", "start_time", "end_time", "label", "roles",
    "undertaking_version", "level", "certificate_number", "certificate_index",
    "last_status_check", "officer_number", "station", "officer_name", "court", "court_address",
    "organisation", "referrer_name", "referrer_organisation", "referrer_contact", "agency_name",
    "how", "stats_json", "decline_reason", "close_reason", "owner_type",
    "subject_index", "owner_index",  # blind indexes (HMAC) of a letter's or attachment's owner
    "family_index",  # and of a review's family (migration 0030)
}


def test_every_text_column_that_can_hold_a_name_is_cleared(coordinator) -> None:  # type: ignore[no-untyped-def]
    """A new free-text column must be added to NAME_TEXT_FIELDS or said here not to hold names."""
    db = coordinator.session.db
    covered = {(t, f) for t, fields in NAME_TEXT_FIELDS for f in fields}
    covered |= {(c.table, c.column) for c, _keys, _padded in NAME_SEALED_TEXT}
    missing = []
    for (table,) in db.query("SELECT name FROM sqlite_master WHERE type = 'table'"):
        if NOT_NAMES.get(table) == "*" or "_fts" in table or table.startswith("family_names"):
            continue
        exempt = NOT_NAMES.get(table, ())
        for col in db.query(f"PRAGMA table_info({table})"):
            name, kind = col["name"], (col["type"] or "").upper()
            if kind not in ("TEXT", "") or name.endswith(("_on", "_at", "_date", "_sealed")):
                continue
            if name in NOT_NAME_COLUMNS or name in exempt or (table, name) in covered or name == "full_name":
                continue
            missing.append(f"{table}.{name}")
    assert missing == [], missing


def test_a_released_vault_keeps_its_disposal_log_and_lists_what_later_disposals_clear(
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Migration 0014 on the released (schema 7) demo vault: the disposal log comes across,
    its old line lists nothing cleared, and a disposal made after the upgrade lists its own."""
    import shutil
    from datetime import datetime

    from ccc_desktop.models.clock import FixedClock
    from ccc_desktop.models.services.registry import build_services
    from ccc_desktop.models.vault import Vault
    from conftest import FIXTURES

    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    key, _ = slot_key(folder, "coordinator", "riverside coordinator")
    released = every_cell(folder / "centre.cccdb", key)["disposal_log"]
    assert len(released) == 1
    session = Vault(folder, FixedClock(datetime(2026, 11, 30, 10, 0))).unlock(
        "coordinator", "riverside coordinator")
    try:
        services = build_services(session)
        (old,) = services.retention.disposal_log()
        # id, batch, reference, category, last used, disposed on: as released.
        assert (old.id, old.batch_id, old.reference, old.category, old.last_used.isoformat(),
                old.disposed_on.isoformat()) == released[0]
        assert old.cleared == ()
        assert "Certificate of disposal" in pdf_text(services.retention.certificate_pdf(old.batch_id))
        due = {i.reference: i for i in services.retention.report().due}
        vol = due["V-00040"]
        name = vol.label
        services.police.log(PoliceVisitForm("28/11/2026", "PC Gatiss", asked=f"Asked for {name}"))
        result = services.retention.dispose([("volunteer", vol.record_id)], "riverside coordinator")
        (entry,) = services.retention.batch(result.batch_id).entries
        assert ("police_visits", "asked", 1) in entry.cleared
        assert len(services.retention.disposal_log()) == 2
    finally:
        session.lock()


# ---- a first or last name alone: cleared where the record is linked, listed elsewhere --------
def _patel_family(coordinator):  # type: ignore[no-untyped-def]
    from family_helpers import child, referral, resident, visiting

    fid = coordinator.families.create(referral(), [resident(full_name="Sam Patel"),
                                                   visiting(full_name="Ravi Okonjo")],
                                      [child(full_name="Zoë Patel")])
    coordinator.families.record_previsit(fid, "15/09/2026", "Carol Dean", "Checklist done")
    coordinator.families.set_status(fid, "accepted")
    return fid


def test_a_name_alone_is_cleared_in_linked_records_and_only_listed_in_others(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    """Disposing of the Patel family: "Sam" and "Patel" alone go from its police visit and the
    session it was in; another family's disclosure asked for by "Sam Hughes", another visit
    and another session keep their words and are listed for the Coordinator, and counted on
    the certificate. The whole name goes everywhere, whatever its case and accents."""
    fid = _patel_family(coordinator)
    other = accepted_family(coordinator, full_name="Dana Whitfield")
    hughes = coordinator.disclosures.log_request(other, "Sam Hughes", "Cafcass", "20/11/2026", "Dates")
    third = accepted_family(coordinator, full_name="Ola Brown")
    whole = coordinator.disclosures.log_request(third, "ZOE PATEL", "", "20/11/2026", "Dates")
    ours = coordinator.police.log(PoliceVisitForm("21/11/2026", "PC Gatiss", asked="Has Sam been seen?",
                                                  family_id=fid))
    theirs = coordinator.police.log(PoliceVisitForm("22/11/2026", "PC Gatiss",
                                                    asked="Asked about a Mr Patel next door"))
    booked = coordinator.bookings.add_session("21/11/2026", "10:00", "12:00", 8)
    coordinator.bookings.book(fid, booked)
    coordinator.register.set_notes(booked, "Patel children arrived early; Zoë upset")
    elsewhere = coordinator.bookings.add_session("14/11/2026", "10:00", "12:00", 8)
    coordinator.register.set_notes(elsewhere, "Zoe from the council visited")
    clock.advance(days=3 * 365 + 30)

    # Before: what will be left is listed, by the word as written and the record, nothing changed.
    left = coordinator.retention.names_left_alone([("family", fid)])
    found = sorted((m.word, m.where) for m in left)
    assert found == [
        ("Patel", "Police visit of 22 Nov 2026, what was asked"),
        ("Sam", f"Disclosure request, family F-{other:04d}, requested by"),
        ("Zoe", "Session of 14 Nov 2026, notes"),
    ]
    assert {m.reference for m in left} == {f"F-{fid:04d}"}
    assert coordinator.disclosures.get(whole).requested_by == "ZOE PATEL"

    result = coordinator.retention.dispose([("family", fid)], COORDINATOR[1])
    assert coordinator.disclosures.get(hughes).requested_by == "Sam Hughes"
    assert coordinator.disclosures.get(whole).requested_by == "[removed]"
    visits = {v.id: v.asked for v in coordinator.police.all()}
    assert visits == {ours.id: "Has [removed] been seen?", theirs.id: "Asked about a Mr Patel next door"}
    notes = {s: coordinator.session.db.scalar("SELECT notes FROM sessions WHERE id = ?", (s,))
             for s in (booked, elsewhere)}
    assert notes == {booked: "[removed] children arrived early; [removed] upset",
                     elsewhere: "Zoe from the council visited"}

    (entry,) = coordinator.retention.batch(result.batch_id).entries
    cleared = {(t, f): n for t, f, n in entry.cleared}
    assert cleared[("disclosures", "requested_by")] == 1
    assert cleared[("police_visits", "asked")] == 1
    assert cleared[("sessions", "notes")] == 1
    assert cleared[("disclosures", "left:requested_by")] == 1
    assert cleared[("police_visits", "left:asked")] == 1
    assert cleared[("sessions", "left:notes")] == 1
    text = " ".join(pdf_text(coordinator.retention.certificate_pdf(result.batch_id)).split())
    assert "Other records left to check" in text
    assert "Disclosure request requested by 1" in text and "Session notes 1" in text
    assert "Patel" not in text and "Sam" not in text and "Zo" not in text


def test_a_volunteers_first_name_goes_from_their_sessions_and_summonses_only(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    from volunteer_helpers import check, details

    v = coordinator.volunteers.create(details(
        full_name="Priya Ramaswamy", start_date=date(2015, 3, 1), induction_on=date(2015, 3, 2),
        safeguarding_on=date(2015, 3, 3), undertaking_signed_on=date(2015, 3, 2),
        policy_read_on=date(2015, 3, 2)))
    coordinator.dbs.record(v.id, check(issue_date=date(2016, 1, 5)))
    on_duty = coordinator.bookings.add_session("05/03/2016", "10:00", "12:00", 8)
    # On the rota that day (put straight into the file: the volunteer is long gone since).
    from ccc_desktop.models.storage.volunteers import RotaStore

    with coordinator.session.db.transaction():
        RotaStore(coordinator.session.db).add(on_duty, v.id, "door", "2016-03-01T09:00:00")
    coordinator.register.set_notes(on_duty, "Priya covered the door")
    other = coordinator.bookings.add_session("12/03/2016", "10:00", "12:00", 8)
    coordinator.register.set_notes(other, "Priya from Cafcass rang")
    coordinator.volunteers.resign(v.id, date(2021, 6, 1), "Moved away")
    summons = coordinator.summonses.log(SummonsForm(
        "20/11/2026", "in person", "Derby Family Court", "DE26P00998", "10/12/2026",
        served_on="Priya Ramaswamy", notes="Priya was calm about it"))
    coordinator.summonses.close(summons.id, "set aside", "24/11/2026", "Done")

    (left,) = coordinator.retention.names_left_alone([("volunteer", v.id)])
    assert (left.word, left.where) == ("Priya", "Session of 12 Mar 2016, notes")
    coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    notes = dict(coordinator.session.db.query("SELECT id, notes FROM sessions"))
    assert notes == {on_duty: "[removed] covered the door", other: "Priya from Cafcass rang"}
    kept = coordinator.summonses.detail(summons.id).summons
    assert (kept.served_on, kept.notes) == ("[removed]", "[removed] was calm about it")


def test_names_are_matched_whatever_their_case_and_accents_and_replaced_as_typed() -> None:
    from ccc_desktop.models.storage.name_clearing import NameMatcher

    m = NameMatcher(["Zoë Łukasz-Strauß"])
    assert m.clear_whole("Seen: ZOE LUKASZ-STRAUSS, then Zoë  Łukasz-Strauß.") == \
        "Seen: [removed], then [removed]."
    decomposed = "Zoe\u0308 Łukasz-Strauß rang"  # e + combining diaeresis
    assert m.clear_whole(decomposed) == "[removed] rang"
    assert m.clear_whole("Zoë alone, Strauss alone") == "Zoë alone, Strauss alone"
    assert m.lone_words("Zoë alone, Strauss alone, Zoëy not") == ["Zoë", "Strauss"]
    assert m.clear_all("Zoë alone; Łukasz-Strauß; Straussian") == "[removed] alone; [removed]; Straussian"
    short = NameMatcher(["Al Li"])  # the whole name, but no word under three letters alone
    assert short.clear_all("Al Li came; Al stayed") == "[removed] came; Al stayed"


def test_letters_that_name_a_disposed_person_go_and_import_file_names_are_cleared(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    """A summons letter (of a summons not about them) naming the volunteer in full is deleted
    (a PDF cannot be cleared); one naming only "Quentin" stays and is listed. An import's file
    name loses the family's name when the import brought the family in, and is listed when it
    did not."""
    from ccc_desktop.documents.pdf_text import pdf_text as letter_text
    from ccc_desktop.models.imports.fields import Kind
    from ccc_desktop.models.imports.reading import read_bytes

    v = resigned(coordinator, NAME, date(2021, 6, 1))
    named = coordinator.summonses.log(SummonsForm(
        "20/11/2026", "post", "Derby Family Court", "DE26P00501", "10/12/2026", applicant=NAME))
    kept = coordinator.summonses.log(SummonsForm(
        "20/11/2026", "post", "Derby Family Court", "DE26P00502", "10/12/2026",
        applicant="Quentin Blake"))
    for s in (named, kept):
        coordinator.summonses.generate_letter(s.id, "summons_committee_solicitor")
    (gone,) = coordinator.summonses.detail(named.id).letters
    assert "Harcourt-Vane" in letter_text(coordinator.letters.open(gone.id))

    left = coordinator.retention.names_left_alone([("volunteer", v.id)])
    assert sorted((m.word, m.where) for m in left) == [
        ("Quentin", f"Stored letter of 26 Nov 2026, witness summons S-{kept.id:05d}, text"),
        ("Quentin", f"Witness summons S-{kept.id:05d}, applicant")]
    result = coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    assert coordinator.summonses.detail(named.id).letters == []
    assert coordinator.summonses.detail(named.id).summons.applicant == "[removed]"
    assert len(coordinator.summonses.detail(kept.id).letters) == 1
    (entry,) = coordinator.retention.batch(result.batch_id).entries
    cleared = {(t, f): n for t, f, n in entry.cleared}
    assert cleared[("letters", "text")] == 1 and cleared[("letters", "left:text")] == 1
    text = " ".join(pdf_text(coordinator.retention.certificate_pdf(result.batch_id)).split())
    assert "Stored letter text naming them (letter deleted) 1" in text
    assert "Stored letter text 1" in text

    header = "Referral date,Parent 1 name,Parent 1 role,Child 1 name,Child 1 DOB"
    for file_name, who in (("Patel-referrals.csv", "Sam Patel"), ("patel-2.csv", "Dana Whitfield")):
        data = f"{header}\n02/09/2026,{who},Resident parent,Amy {who.split()[1]},14/03/2019\n"
        plan = coordinator.imports.plan(Kind.FAMILIES, read_bytes(data.encode(), file_name))
        assert plan.problems == []
        coordinator.imports.run(plan)
    (found,) = coordinator.families.search("Sam Patel")
    fid = found.id
    clock.advance(days=3 * 365 + 30)
    (left,) = [m for m in coordinator.retention.names_left_alone([("family", fid)])
               if m.table == "import_batches"]
    assert (left.word, left.where) == ("patel", "Import of 26 Nov 2026, file name")
    coordinator.retention.dispose([("family", fid)], COORDINATOR[1])
    names = sorted(b.file_name for b in coordinator.imports.history())
    assert names == ["[removed]-referrals.csv", "patel-2.csv"]

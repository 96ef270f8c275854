"""Issue 12, migrations 0024 and 0025: of a safeguarding incident or accident a Session volunteer's key
read which family, when, which kind and whether it is held; now only that incidents exist. Of a
request for information, its dates, answer and authoriser; of a consent its dates; of an
assessment agreement and a subject access request everything but the id. The family record,
the holds on disposal, disposal itself, the logs and lists work on the opened values."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import sqlcipher3
from family_helpers import accepted_family
from insider_view import readable_text

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.families_records import IncidentInput
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.sealed import SEALED_TABLES
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")
OPEN = {"id", "details_sealed", "private_sealed"}


def _raw(folder: Path, who: tuple[str, str]) -> sqlcipher3.Connection:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*who)
    conn = sqlcipher3.connect(str(folder / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(keys.db_key).hex()}'\"")
    keys.wipe()
    return conn


def _readable(conn: sqlcipher3.Connection) -> dict[int, dict[str, object]]:
    cur = conn.execute("SELECT * FROM incidents")
    names = [d[0] for d in cur.description]
    return {r[0]: {n: v for n, v in zip(names, r, strict=True) if n not in OPEN}
            for r in cur.fetchall()}


def _incident(s: Services, fid: int, on: str, kind: str = "safeguarding") -> int:
    return s.families.record_incident(fid, IncidentInput(
        on, "Raised voice at handover", "Both parents", "Separated them", "Chair", kind))


def test_the_volunteers_key_reads_that_incidents_exist_and_nothing_else(
        coordinator: Services, vault_dir: Path, vault: Vault, clock: FixedClock) -> None:
    fid = accepted_family(coordinator)
    other = accepted_family(coordinator, full_name="Rhoswen Tarrant")
    accident = _incident(coordinator, fid, "14/03/2025", "accident")
    held = _incident(coordinator, other, "21/11/2026")
    coordinator.families.set_incident_hold(accident, False)
    with _raw(vault_dir, VOLUNTEER) as conn:
        readable = _readable(conn)
    assert set(readable) == {accident, held}
    for values in readable.values():
        assert values == SEALED_TABLES["incidents"].fields
    text = readable_text(vault.paths.db, bytes(coordinator.session.db_key))
    assert "2025-03-14" not in text and "accident" not in text

    # The Coordinator's views work on the opened values.
    [opened] = coordinator.families.incidents(fid)
    assert (opened.id, opened.kind, opened.occurred_on.isoformat()) == (accident, "accident", "2025-03-14")
    assert not opened.keep_beyond_three_years
    assert [i.id for i in coordinator.families.incidents(other)] == [held]
    candidates = {c.family_id: c.holds for c in coordinator.families.retention_candidates()}
    assert candidates[other] and not candidates[fid]
    # A family disposed of takes its incidents (no cascade from a sealed family link).
    clock.at = datetime(2030, 6, 1, 9, 0)
    result = coordinator.retention.dispose([("family", fid)], COORDINATOR[1])
    assert result.disposed == 1
    assert coordinator.session.db.scalar("SELECT count(*) FROM incidents") == 1
    assert [i.id for i in coordinator.families.incidents(other)] == [held]


def test_the_released_vault_keeps_every_incident_and_the_volunteer_reads_none(tmp_path: Path) -> None:
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        released = {r[0]: r[1:] for r in conn.execute(
            "SELECT id, family_id, occurred_on, kind, keep_beyond_three_years, created_at "
            "FROM incidents")}
    assert released

    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))
    vault.unlock(*DEMO_VOLUNTEER).lock()  # a volunteer first: nothing can be sealed yet
    session = vault.unlock(*DEMO_COORDINATOR)
    s = build_services(session)
    opened = {i.id: (i.family_id, i.occurred_on.isoformat(), i.kind, int(i.keep_beyond_three_years),
                     i.created_at)
              for fid in {v[0] for v in released.values()} for i in s.families.incidents(fid)}
    holds = {c.family_id for c in s.families.retention_candidates() if c.holds}
    session.lock()
    assert opened == released
    assert holds == {v[0] for v in released.values() if v[3]}
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        readable = _readable(conn)
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'incidents_by_family'"
                                ).fetchone()
    assert set(readable) == set(released)
    for values in readable.values():
        assert values == SEALED_TABLES["incidents"].fields
    with _raw(folder, DEMO_VOLUNTEER) as conn:  # 0025: the accounts padded to one size
        sizes = {r[0] for r in conn.execute("SELECT length(details_sealed) FROM incidents")}
    assert len(sizes) == 1


def test_an_accounts_length_does_not_tell_one_incident_from_another(
        coordinator: Services, vault: Vault, vault_dir: Path) -> None:
    from ccc_desktop.models.storage.sealing import PAD_KEY, PENDING_KEY

    fid = accepted_family(coordinator)
    short = coordinator.families.record_incident(fid, IncidentInput(
        "14/03/2025", "Grazed knee", "Child", "Plaster", "Mother", "accident"))
    long_ = _incident(coordinator, fid, "21/11/2026")
    db = coordinator.session.db
    sizes = {r[0] for r in db.query("SELECT length(details_sealed) FROM incidents")}
    assert len(sizes) == 1
    # An account sealed before 0025 (at its own length) is padded at the next manager unlock.
    blob = db.scalar("SELECT details_sealed FROM incidents WHERE id = ?", (short,))
    context = f"incidents.details|{short}|{fid}".encode()
    from ccc_desktop.models import crypto

    plain = crypto.unseal(bytes(coordinator.session.seal_key), bytes(blob), context)
    assert plain is not None
    with db.transaction():
        db.execute("UPDATE incidents SET details_sealed = ? WHERE id = ?",
                   (crypto.seal(bytes(coordinator.session.seal_key), plain.rstrip(b"\x00"), context),
                    short))
        for key in (PENDING_KEY, PAD_KEY):
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (key,))
    assert len({r[0] for r in db.query("SELECT length(details_sealed) FROM incidents")}) == 2
    coordinator.session.lock()
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    opened = {i.id: i.what_happened for i in s.families.incidents(fid)}
    session.lock()
    assert opened == {short: "Grazed knee", long_: "Raised voice at handover"}
    with _raw(vault_dir, VOLUNTEER) as conn:
        assert len({r[0] for r in conn.execute("SELECT length(details_sealed) FROM incidents")}) == 1


def test_a_volunteer_session_is_refused_incidents(volunteer: Services, coordinator: Services) -> None:
    import pytest

    from ccc_desktop.models.errors import PermissionDenied

    fid = accepted_family(coordinator)
    _incident(coordinator, fid, "21/11/2026")
    with pytest.raises(PermissionDenied):
        volunteer.families.incidents(fid)


DISCLOSURE_OPEN = {"id", "private_sealed"}


def _disclosures_readable(conn: sqlcipher3.Connection) -> dict[int, dict[str, object]]:
    cur = conn.execute("SELECT * FROM disclosures")
    names = [d[0] for d in cur.description]
    return {r[0]: {n: v for n, v in zip(names, r, strict=True) if n not in DISCLOSURE_OPEN}
            for r in cur.fetchall()}


def test_the_volunteers_key_reads_no_answer_date_or_authoriser_of_a_request(
        coordinator: Services, chair: Services, vault_dir: Path) -> None:
    from ccc_desktop.models.families_records import ExceptionGround

    fid = accepted_family(coordinator)
    first = coordinator.disclosures.log_request(fid, "PC Smith", "Police", "20/11/2026", "Notes")
    second = coordinator.disclosures.log_request(fid, "Ann Solicitor", "", "12/11/2026", "Dates")
    coordinator.disclosures.disclose_beyond(first, ExceptionGround.CHILD_AT_RISK,
                                            chair.session.actor.account_id, "Because", "Notes")
    with _raw(vault_dir, VOLUNTEER) as conn:
        readable = _disclosures_readable(conn)
    assert set(readable) == {first, second}
    for values in readable.values():
        assert values == SEALED_TABLES["disclosures"].fields
    # The Coordinator's log: newest request first, the authoriser by name.
    log = coordinator.disclosures.log()
    assert [d.id for d in log] == [first, second]
    assert (log[0].answer, log[0].authorised_by, log[0].requested_on.isoformat()) == (
        "beyond", "Margaret Holt", "2026-11-20")
    assert (log[1].answer, log[1].authorised_by) == ("pending", "")
    assert [d.id for d in coordinator.disclosures.for_family(fid)] == [first, second]


def test_the_released_vault_keeps_every_request_and_the_volunteer_reads_no_answer(
        tmp_path: Path) -> None:
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        released = {r[0]: r[1:] for r in conn.execute(
            "SELECT d.id, d.family_id, d.requested_on, d.answer, coalesce(a.display_name, ''), "
            "d.answered_on FROM disclosures d LEFT JOIN accounts a ON a.id = d.authorised_by")}
    assert released and {v[2] for v in released.values()} - {"pending"}

    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))
    session = vault.unlock(*DEMO_COORDINATOR)
    s = build_services(session)
    opened = {d.id: (d.family_id, d.requested_on.isoformat(), d.answer, d.authorised_by,
                     d.answered_on.isoformat() if d.answered_on else None)
              for d in s.disclosures.log()}
    session.lock()
    assert opened == released
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        readable = _disclosures_readable(conn)
    assert set(readable) == set(released)
    for values in readable.values():
        assert values == SEALED_TABLES["disclosures"].fields


# Consents, agreements and requests: what stays open of each row (the rest reads as its placeholder).
MORE_OPEN = {"consents": {"id", "private_sealed"},
             "assessment_agreements": {"id", "private_sealed"},
             "subject_access_requests": {"id", "private_sealed"}}


def _more_readable(conn: sqlcipher3.Connection) -> dict[str, dict[int, dict[str, object]]]:
    out: dict[str, dict[int, dict[str, object]]] = {}
    for table, open_ in MORE_OPEN.items():
        cur = conn.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cur.description]
        out[table] = {r[0]: {n: v for n, v in zip(names, r, strict=True) if n not in open_}
                      for r in cur.fetchall()}
    return out


def test_the_released_vault_keeps_every_consent_agreement_and_request(tmp_path: Path) -> None:
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        consents = {r[0]: r[1:] for r in conn.execute(
            "SELECT c.id, c.family_id, c.adult_id, a.full_name, c.given_on, c.withdrawn_on "
            "FROM consents c JOIN family_adults a ON a.id = c.adult_id")}
        agreements = {r[0]: r[1:] for r in conn.execute(
            "SELECT id, agency_type, family_id, valid_from, valid_to, ended_on FROM assessment_agreements")}
        requests = {r[0]: r[1:] for r in conn.execute(
            "SELECT id, subject_category, subject_record_id, received_on, due_on, status, closed_on "
            "FROM subject_access_requests")}
    assert consents and agreements and requests

    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))
    session = vault.unlock(*DEMO_COORDINATOR)
    s = build_services(session)
    opened_consents = {c.id: (c.family_id, c.adult_id, c.adult_name, c.given_on.isoformat(),
                              c.withdrawn_on.isoformat() if c.withdrawn_on else None)
                       for fid in {v[0] for v in consents.values()} for c in s.families.consents(fid)}
    opened_agreements = {a.id: (a.agency_type, a.family_id, a.valid_from.isoformat(),
                                a.valid_to.isoformat(), a.ended_on.isoformat() if a.ended_on else None)
                         for a in s.agreements.all()}
    opened_requests = {r.id: (r.subject_category, r.subject_record_id, r.received_on.isoformat(),
                              r.due_on.isoformat(), r.status,
                              r.closed_on.isoformat() if r.closed_on else None)
                       for r in s.subject_access.list()}
    session.lock()
    assert opened_consents == consents
    assert opened_agreements == agreements
    assert opened_requests == requests
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        readable = _more_readable(conn)
    for table, rows in readable.items():
        assert rows, table
        for values in rows.values():
            assert values == SEALED_TABLES[table].fields, table


def test_a_familys_requests_and_consents_go_with_it_and_an_adults_consents_with_them(
        coordinator: Services, clock: FixedClock) -> None:
    """Which family a request or consent is about is sealed (0025): no cascade deletes them."""
    fid = accepted_family(coordinator)
    keep = accepted_family(coordinator, full_name="Rhoswen Tarrant")
    adults = [a.id for a in coordinator.families.get(fid).adults]
    coordinator.families.record_consent(adults[0], "Law & Co", "Letters", "17/11/2026", "Form")
    gone_with_adult = coordinator.families.record_consent(adults[1], "Law & Co", "Letters",
                                                          "17/11/2026", "Form")
    kept_consent = coordinator.families.record_consent(
        coordinator.families.get(keep).adults[0].id, "Law & Co", "Letters", "17/11/2026", "Form")
    coordinator.disclosures.log_request(fid, "PC Smith", "Police", "18/11/2026", "Notes")
    kept_request = coordinator.disclosures.log_request(keep, "PC Smith", "Police", "18/11/2026", "Notes")
    coordinator.families.remove_adult(adults[1])
    assert gone_with_adult not in [c.id for c in coordinator.families.consents(fid)]
    db = coordinator.session.db
    assert db.scalar("SELECT count(*) FROM consents") == 2
    clock.at = datetime(2030, 6, 1, 9, 0)
    assert coordinator.retention.dispose([("family", fid)], COORDINATOR[1]).disposed == 1
    assert [r[0] for r in db.query("SELECT id FROM consents")] == [kept_consent]
    assert [r[0] for r in db.query("SELECT id FROM disclosures")] == [kept_request]
    assert [d.id for d in coordinator.disclosures.for_family(keep)] == [kept_request]

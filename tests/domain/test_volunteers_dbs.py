"""DBS checks: bad input, renewals in progress, and results that only the Coordinator and
Chair can read, whether through the services or straight from the database file."""

from datetime import date

import pytest
import sqlcipher3
from volunteer_helpers import check, details, disclosed

from ccc_desktop.models import crypto
from ccc_desktop.models.errors import PermissionDenied, ValidationError, VaultCorrupt
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.roles import Role
from ccc_desktop.models.sealed import open_sealed
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.services.volunteers import dbs_context, private_context
from ccc_desktop.models.volunteers_records import (
    DbsLevel,
    DbsOutcome,
    RiskDecision,
    WarningStage,
)
from conftest import VOLUNTEER

SECRET = "Conviction for assault occasioning ABH, 2011"


def _volunteer_with_checks(services):
    v = services.volunteers.create(details())
    clear = services.dbs.record(v.id, check(issue_date=date(2024, 1, 5)))
    bad = services.dbs.record(v.id, disclosed(
        issue_date=date(2026, 2, 1), disclosed_information=SECRET,
        decision=RiskDecision.DO_NOT_PROCEED, decision_notes="Violence; not suitable",
        decided_by="Margaret Holt", decided_on=date(2026, 2, 3)))
    return v, clear, bad


# ---- recording and reading (Coordinator) ---------------------------------------------------
def test_a_check_is_recorded_and_its_result_opens_for_the_coordinator(coordinator) -> None:
    v, clear, bad = _volunteer_with_checks(coordinator)
    assert bad.level is DbsLevel.ENHANCED_BARRED and bad.issue_date == date(2026, 2, 1)
    assert bad.renewal_due == date(2029, 2, 1) and bad.id_checked_by == "Carol Dean"
    assert [c.id for c in coordinator.dbs.list(v.id)] == [bad.id, clear.id]
    result = coordinator.dbs.open_result(bad.id)
    assert result.outcome is DbsOutcome.DISCLOSED and result.disclosed_information == SECRET
    assert result.decision is RiskDecision.DO_NOT_PROCEED and not result.satisfactory
    assert (result.decision_notes, result.decided_by, result.decided_on) == (
        "Violence; not suitable", "Margaret Holt", date(2026, 2, 3))
    assert coordinator.dbs.open_result(clear.id).satisfactory


def test_certificate_numbers_may_be_typed_with_spaces(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    c = coordinator.dbs.record(v.id, check(certificate_number="0098 7654 3210"))
    assert c.certificate_number == "009876543210"


def test_viewing_a_result_writes_an_audit_entry_each_time(coordinator) -> None:
    _v, _clear, bad = _volunteer_with_checks(coordinator)
    actor = coordinator.session.actor

    def openings() -> list:
        return [e for e in coordinator.audit.for_record(actor, "dbs_check", bad.id)
                if e.action == "DBS result opened"]

    assert openings() == []
    coordinator.dbs.open_result(bad.id)
    coordinator.dbs.open_result(bad.id)
    entries = openings()
    assert len(entries) == 2 and entries[0].actor == "coordinator"
    # The audit trail says that it was opened, never what it says.
    everything = " ".join(e.detail + e.action for e in coordinator.audit.entries(actor, limit=5000))
    for secret in (SECRET, "assault", "Violence", "disclosed", "do_not_proceed"):
        assert secret not in everything
    assert coordinator.audit.verify(actor).ok


def test_a_new_coordinator_created_by_the_chair_can_read_results(chair, vault) -> None:
    _v, _clear, bad = _volunteer_with_checks(chair)
    chair.accounts.add("newcoord", "Priya Shah", Role.COORDINATOR, "Good passphrase 1")
    session = vault.unlock("newcoord", "Good passphrase 1")
    try:
        services = build_services(session)
        result = services.dbs.open_result(bad.id)
        assert result.disclosed_information == SECRET
        opened = services.audit.for_record(session.actor, "dbs_check", bad.id)
        assert [e.actor for e in opened if e.action == "DBS result opened"] == ["newcoord"]
    finally:
        session.lock()


# ---- the Session volunteer account ---------------------------------------------------------
def test_a_session_volunteer_gets_no_result_through_any_service_call(coordinator, volunteer) -> None:
    v, clear, bad = _volunteer_with_checks(coordinator)
    dbs = volunteer.dbs
    calls = [
        lambda: dbs.open_result(bad.id),
        lambda: dbs._open_result(bad.id, "bypassing the public method"),
        lambda: dbs.list(),
        lambda: dbs.list(v.id),
        lambda: dbs.get(bad.id),
        lambda: dbs.latest(),
        lambda: dbs.attention(),
        lambda: dbs.record(v.id, check()),
        lambda: dbs.update(bad.id, check()),
        lambda: dbs.record_status_check(bad.id, date(2026, 3, 1)),
        lambda: dbs.record_renewal_application(bad.id, date(2026, 3, 1)),
        lambda: dbs.clear_renewal_application(bad.id),
        lambda: dbs.set_renewal_years(5),
        lambda: volunteer.volunteers.activation_gaps(v.id),
        lambda: volunteer.volunteers.activate(v.id),
        # Even the sealed-field helper itself, handed the raw column, refuses this session.
        lambda: open_sealed(volunteer.session, coordinator.session.db.query_one(
            "SELECT disclosed_sealed FROM dbs_checks WHERE id = ?", (bad.id,))[0],
            "dbs_checks.disclosed"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    # Nothing on the volunteer's dashboard mentions DBS.
    for section in volunteer.dashboard.sections():
        assert "DBS" not in section.title
        assert not any("DBS" in i.text for i in section.items)


def test_a_session_volunteer_cannot_read_results_from_the_file_with_its_own_key(
        coordinator, volunteer, vault) -> None:
    v, clear, bad = _volunteer_with_checks(coordinator)
    assert coordinator.volunteers.activation_gaps(v.id)  # opens the result: an audited event
    coordinator.dbs.open_result(bad.id)
    # Everything the volunteer holds: their name and passphrase, hence their slot of the key
    # file, hence the database key. Unwrap the slot the way an attacker with the files would.
    slots = SlotFile.load(vault.paths.keys)
    master = slots._master_for_passphrase(*VOLUNTEER)
    keys = slots.unlock_passphrase(*VOLUNTEER)
    assert keys.seal_key is None  # the volunteer's slot never carried the seal key
    db_key = bytes(keys.db_key)
    assert db_key == volunteer.session.db_key

    conn = sqlcipher3.connect(str(vault.paths.db))
    conn.execute(f"PRAGMA key = \"x'{db_key.hex()}'\"")
    rows = conn.execute("SELECT id, outcome_sealed, disclosed_sealed, decision_sealed, "
                        "volunteer_id, certificate_number, issue_date, level "
                        "FROM dbs_checks ORDER BY id").fetchall()
    volunteer_rows = conn.execute("SELECT * FROM volunteers").fetchall()
    audit = " ".join(" ".join(str(c) for c in r) for r in conn.execute(
        "SELECT action, record_type, detail FROM audit_log"))
    meta = [bytes(r[0]) for r in conn.execute("SELECT value FROM meta")]
    settings = [r[0] for r in conn.execute("SELECT value FROM settings")]
    conn.close()
    assert len(rows) == 2

    candidates = [db_key, master, crypto.subkey(master, "slot-wrap"), crypto.subkey(master, "slot-tag")]
    # ...and every 32-byte window of every value the volunteer can read in meta and settings.
    for blob in meta + [s.encode() for s in settings]:
        candidates += [blob[i:i + 32] for i in range(0, max(1, len(blob) - 31))]
    columns = {1: "outcome", 2: "disclosed", 3: "decision"}

    def context(row, col: int) -> bytes:  # the right context: only the key is missing
        # The volunteer, certificate number, issue date and level are sealed in the file too;
        # take them from the Coordinator's view so that only the key is wrong.
        c = coordinator.dbs.get(row[0])
        assert row[4] is None and row[5] == "" and row[6] == "" and row[7] == ""
        assert c.certificate_number not in str(row) and c.issue_date.isoformat() not in str(row)
        return dbs_context(columns[col], c.volunteer_id, c.certificate_number,
                           c.issue_date.isoformat(), c.level.value).encode()

    for row in rows:
        for col in columns:
            aad = context(row, col)
            blob = bytes(row[col])
            for word in (b"clear", b"disclosed", b"assault", b"Violence", b"proceed", b"Holt"):
                assert word not in blob
            for key in candidates:
                if len(key) == 32:
                    assert crypto.unseal(key, blob, aad) is None
    # The audit trail: to this key, the Coordinator's entries say only when and who (sealed),
    # not even that a result was opened.
    assert "entry" in audit and "DBS" not in audit
    for word in ("clear", "disclosed", "assault", "proceed", "satisf", "Violence"):
        assert word not in audit.lower() if word.islower() else word not in audit
    # The volunteer's colleagues' home address, phone, email and date of birth are sealed too.
    [vrow] = volunteer_rows
    raw = b" ".join(bytes(c) if isinstance(c, bytes) else str(c).encode() for c in vrow)
    for personal in (b"Elm Row", b"555123", b"alice@example.org", b"1980-05-04", b"S41 2BB"):
        assert personal not in raw
    private = next(bytes(c) for c in vrow if isinstance(c, bytes))
    aad = private_context(v.id).encode()
    for key in candidates:
        if len(key) == 32:
            assert crypto.unseal(key, private, aad) is None
    assert b"Elm Row" in crypto.unseal(coordinator.session.seal_key, private, aad)
    # The columns are the same size whatever they hold: a clear result and an empty
    # "disclosed information" are not told apart by their length.
    by_id = {r[0]: r for r in rows}
    for col in (1, 2, 3):
        assert len(bytes(by_id[clear.id][col])) == len(bytes(by_id[bad.id][col]))
    # Control: the Coordinator's seal key does open the very same bytes.
    seal = bytes(coordinator.session.seal_key)
    assert SECRET.encode() in crypto.unseal(seal, bytes(by_id[bad.id][2]), context(by_id[bad.id], 2))
    keys.wipe()


def test_a_result_moved_onto_another_check_or_altered_facts_will_not_open(coordinator) -> None:
    """Someone with only the database key can write to the file: sealed results are bound to
    their volunteer, certificate, issue date and level, so a swap is detected, not believed."""
    v, clear, bad = _volunteer_with_checks(coordinator)
    db = coordinator.session.db
    with db.transaction():
        db.execute("UPDATE dbs_checks SET outcome_sealed = (SELECT outcome_sealed FROM dbs_checks "
                   "WHERE id = ?), decision_sealed = (SELECT decision_sealed FROM dbs_checks "
                   "WHERE id = ?) WHERE id = ?", (clear.id, clear.id, bad.id))
    with pytest.raises(VaultCorrupt):
        coordinator.dbs.open_result(bad.id)
    with pytest.raises(VaultCorrupt):
        coordinator.volunteers.activate(v.id)
    altered = [e for e in coordinator.audit.for_record(coordinator.session.actor, "dbs_check", bad.id)
               if e.action == "DBS result altered in the file"]
    assert len(altered) == 2
    # The issue date is sealed with the check's other facts (migration 0020): a date written
    # into its column is not believed, and the sealed facts of another check do not open here.
    issued = coordinator.dbs.get(clear.id).issue_date
    with db.transaction():
        db.execute("UPDATE dbs_checks SET issue_date = '2026-11-01' WHERE id = ?", (clear.id,))
    assert coordinator.dbs.get(clear.id).issue_date == issued
    assert coordinator.dbs.open_result(clear.id).outcome is not None
    with db.transaction():
        db.execute("UPDATE dbs_checks SET private_sealed = (SELECT private_sealed FROM dbs_checks "
                   "WHERE id = ?) WHERE id = ?", (bad.id, clear.id))
    with pytest.raises(VaultCorrupt):
        coordinator.dbs.open_result(clear.id)


# details_sealed: contact details, sealed by the service; private_sealed: the row's dates and
# status (migration 0028).
@pytest.mark.parametrize("column", ["details_sealed", "private_sealed"])
def test_personal_details_moved_onto_another_volunteer_will_not_open(coordinator, column: str) -> None:
    a = coordinator.volunteers.create(details(full_name="Anna"))
    b = coordinator.volunteers.create(details(full_name="Bill", address="1 Other Street"))
    db = coordinator.session.db
    with db.transaction():
        db.execute(f"UPDATE volunteers SET {column} = (SELECT {column} FROM volunteers "
                   "WHERE id = ?) WHERE id = ?", (b.id, a.id))
    with pytest.raises(VaultCorrupt):
        coordinator.volunteers.get(a.id)


# ---- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize("kw,field", [
    ({"certificate_number": "12345678901"}, "certificate_number"),     # 11 digits
    ({"certificate_number": "1234567890123"}, "certificate_number"),   # 13 digits
    ({"certificate_number": "12345678901A"}, "certificate_number"),
    ({"certificate_number": ""}, "certificate_number"),
    ({"issue_date": date(2026, 11, 27)}, "issue_date"),                # tomorrow
    ({"issue_date": date(1979, 1, 1)}, "issue_date"),                  # before birth
    ({"id_checked_by": " "}, "id_checked_by"),
    ({"update_service": True, "last_status_check": date(2025, 12, 31)}, "last_status_check"),
    ({"update_service": True, "last_status_check": date(2026, 11, 27)}, "last_status_check"),
    ({"outcome": DbsOutcome.DISCLOSED}, "disclosed_information"),
    ({"disclosed_information": "something"}, "disclosed_information"),  # but outcome clear
    ({"decision": RiskDecision.PROCEED}, "decided_by"),
    ({"decision_notes": "notes with no decision"}, "decision"),
])
def test_bad_check_input_names_the_field_and_loses_nothing(coordinator, kw, field) -> None:
    v = coordinator.volunteers.create(details())
    first = coordinator.dbs.record(v.id, check(certificate_number="111122223333"))
    with pytest.raises(ValidationError) as err:
        coordinator.dbs.record(v.id, check(**kw))
    assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        coordinator.dbs.update(first.id, check(certificate_number="111122223333", **kw)
                               if "certificate_number" not in kw else check(**kw))
    assert err.value.field == field
    assert coordinator.dbs.list(v.id) == [first]
    assert coordinator.dbs.open_result(first.id).outcome is DbsOutcome.CLEAR


def test_a_certificate_is_recorded_once(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    coordinator.dbs.record(v.id, check(certificate_number="444455556666"))
    with pytest.raises(ValidationError) as err:
        coordinator.dbs.record(v.id, check(certificate_number="4444 5555 6666"))
    assert err.value.field == "certificate_number"


def test_a_renewal_cannot_be_dated_before_the_issue_date(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    c = coordinator.dbs.record(v.id, check(issue_date=date(2024, 3, 1)))
    for bad in (date(2024, 2, 29), date(2026, 11, 27), None):
        with pytest.raises(ValidationError) as err:
            coordinator.dbs.record_renewal_application(c.id, bad)
        assert err.value.field == "renewal_applied_on"
    assert coordinator.dbs.get(c.id).renewal_applied_on is None


def test_status_checks_move_the_update_service_due_date(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    c = coordinator.dbs.record(v.id, check(issue_date=date(2022, 12, 1), update_service=True,
                                           last_status_check=date(2025, 12, 10)))
    assert c.renewal_due == date(2026, 12, 10) and c.stage(date(2026, 11, 26)) is WarningStage.DAYS_30
    with pytest.raises(ValidationError) as err:
        coordinator.dbs.record_status_check(c.id, date(2022, 11, 30))
    assert err.value.field == "last_status_check"
    c = coordinator.dbs.record_status_check(c.id, date(2026, 11, 24))
    assert c.renewal_due == date(2027, 11, 24) and c.stage(date(2026, 11, 26)) is WarningStage.NONE
    plain = coordinator.dbs.record(v.id, check(issue_date=date(2025, 1, 1)))
    with pytest.raises(ValidationError):
        coordinator.dbs.record_status_check(plain.id, date(2026, 1, 1))


def test_a_renewal_in_progress_pauses_warnings_but_keeps_the_due_date(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    c = coordinator.dbs.record(v.id, check(issue_date=date(2023, 12, 1)))
    today = date(2026, 11, 26)
    assert c.stage(today) is WarningStage.DAYS_7
    c = coordinator.dbs.record_renewal_application(c.id, date(2026, 11, 2))
    assert c.stage(today) is WarningStage.PAUSED and c.renewal_due == date(2026, 12, 1)
    assert [(x.id, s) for x, s in coordinator.dbs.attention()] == [(c.id, WarningStage.PAUSED)]
    c = coordinator.dbs.clear_renewal_application(c.id)
    assert c.stage(today) is WarningStage.DAYS_7


def test_the_renewal_period_is_a_setting(coordinator) -> None:
    v = coordinator.volunteers.create(details())
    c = coordinator.dbs.record(v.id, check(issue_date=date(2024, 2, 29)))
    assert c.renewal_due == date(2027, 2, 28)
    coordinator.dbs.set_renewal_years(2)
    assert coordinator.dbs.get(c.id).renewal_due == date(2026, 2, 28)
    with pytest.raises(ValidationError) as err:
        coordinator.dbs.set_renewal_years(0)
    assert err.value.field == "dbs_renewal_years"

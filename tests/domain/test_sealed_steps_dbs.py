"""Issue 12, migration 0024: which steps a witness summons has had, and which volunteer a DBS
check is for, are sealed. Every summons has a row for each of the four steps (a step not done
holds nothing), every step's blob is one size, and a check's volunteer is inside its blob: a
Session volunteer's key reads that summonses have steps and that checks exist, nothing more."""

from __future__ import annotations

import importlib
import shutil
from datetime import date, datetime
from pathlib import Path

import sqlcipher3
from family_helpers import accepted_family
from insider_view import STEP_KEYS, steps_read
from volunteer_helpers import check, details

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.sealing import PENDING_KEY, STEPS_KEY
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")
MIGRATION = importlib.import_module("ccc_desktop.models.storage.migrations.0024_sealed_steps_dbs_incidents")


def _raw(folder: Path, who: tuple[str, str]) -> sqlcipher3.Connection:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*who)
    conn = sqlcipher3.connect(str(folder / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(keys.db_key).hex()}'\"")
    keys.wipe()
    return conn


def _steps_in_order(conn: sqlcipher3.Connection) -> list[tuple[int, str]]:
    return [(r[0], r[1]) for r in conn.execute("SELECT summons_id, step FROM summons_steps ORDER BY id")]


def _canonical(summons_ids: list[int]) -> list[tuple[int, str]]:
    return [(sid, step) for sid in sorted(summons_ids) for step in STEP_KEYS]


def _summons(s: Services, fid: int, case: str = "DE26P00417") -> int:
    return s.summonses.log(SummonsForm("20/11/2026", "post", "Derby Family Court", case,
                                       "10/12/2026", family_id=fid)).id


def test_the_released_vault_keeps_every_step_and_check_and_the_volunteer_reads_neither(
        tmp_path: Path) -> None:
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        checks = {r[0]: r[1:] for r in conn.execute(
            "SELECT id, volunteer_id, certificate_number, level, issue_date FROM dbs_checks")}
        steps = {(r[0], r[1]): r[2:] for r in conn.execute(
            "SELECT summons_id, step, done_on, done_by, note FROM summons_steps")}
        summons_ids = [r[0] for r in conn.execute("SELECT id FROM summonses")]
    assert checks and steps and len(steps) < 4 * len(summons_ids)  # some steps not yet done

    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))
    vault.unlock(*DEMO_VOLUNTEER).lock()  # a volunteer first: nothing can be sealed yet
    session = vault.unlock(*DEMO_COORDINATOR)
    s = build_services(session)
    for check_id, (volunteer_id, number, level, issued) in checks.items():
        c = s.dbs.get(check_id)
        assert (c.volunteer_id, c.certificate_number, c.level.value,
                c.issue_date.isoformat()) == (volunteer_id, number, level, issued)
        assert check_id in [x.id for x in s.dbs.list(volunteer_id)]
        assert s.dbs.open_result(check_id).outcome  # bound to its volunteer: still opens
    opened = {(sid, st.step): (st.done_on.isoformat(), st.done_by, st.note)
              for sid in summons_ids for st in s.summonses.detail(sid).steps.values()}
    done = s.summonses.steps_done()
    session.lock()
    assert opened == steps
    assert done == {sid: {step for (x, step) in steps if x == sid} for sid in summons_ids
                    if any(x == sid for x, _ in steps)}

    with _raw(folder, DEMO_VOLUNTEER) as conn:
        assert {r[0] for r in conn.execute("SELECT volunteer_id FROM dbs_checks")} == {None}
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'dbs_checks_by_volunteer'"
                                ).fetchone()
        # Each summons has its four rows, in the policy's order: the ids do not tell which
        # steps were recorded before the upgrade.
        assert _steps_in_order(conn) == _canonical(summons_ids)
        pending = conn.execute("SELECT key FROM meta WHERE key IN (?, ?)",
                               (PENDING_KEY, STEPS_KEY)).fetchall()
    assert not pending
    assert {n for _sid, _step, n in steps_read(folder / "centre.cccdb", _key(folder))} == {1}


def _key(folder: Path) -> bytes:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*DEMO_VOLUNTEER)
    try:
        return bytes(keys.db_key)
    finally:
        keys.wipe()


def test_a_step_cleared_keeps_its_row_and_looks_like_the_others(
        coordinator: Services, vault_dir: Path, vault: Vault) -> None:
    fid = accepted_family(coordinator)
    sid = _summons(coordinator, fid)
    coordinator.summonses.record_step(sid, "letter", "21/11/2026", "Carol Dean", "x" * 2000)
    coordinator.summonses.record_step(sid, "chair", "21/11/2026", "Carol Dean")
    coordinator.summonses.clear_step(sid, "chair")
    assert list(coordinator.summonses.detail(sid).steps) == ["letter"]
    assert coordinator.summonses.steps_done() == {sid: {"letter"}}
    key = bytes(coordinator.session.db_key)
    # A step with the longest note and steps not done are the same size to the volunteer.
    assert sorted(steps_read(vault.paths.db, key)) == [(sid, step, 1) for step in STEP_KEYS]
    with _raw(vault_dir, VOLUNTEER) as conn:
        assert {r[0] for r in conn.execute("SELECT done_on FROM summons_steps")} == {""}


def test_rows_from_before_0022_are_sealed_and_filled_at_the_next_manager_unlock(
        vault: Vault, vault_dir: Path) -> None:
    """As a file at schema 21: checks sealed without their volunteer (it is in the column),
    summonses with a row only for each step done; then the migration runs again."""
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    fid = accepted_family(s)
    first, second = _summons(s, fid), _summons(s, fid, "DE26P00999")
    s.summonses.record_step(second, "solicitor", "22/11/2026", "Carol Dean", "Advice taken")
    s.summonses.record_step(first, "chair", "21/11/2026", "Margaret Holt")
    v = s.volunteers.create(details())
    w = s.volunteers.create(details(full_name="Bob Aston"))
    c = s.dbs.record(w.id, check(issue_date=date(2025, 6, 7)))
    before = ({x: s.summonses.detail(x).steps for x in (first, second)}, s.dbs.list(w.id))
    db, sealer = session.db, session.db.sealer
    assert sealer is not None
    with db.transaction():
        for row in db.query("SELECT id, private_sealed FROM dbs_checks"):
            opened = sealer.open_fields("dbs_checks", row[0], row[1])
            volunteer = opened.pop("volunteer_id")
            db.execute("UPDATE dbs_checks SET private_sealed = ?, volunteer_id = ? WHERE id = ?",
                       (sealer.seal_fields("dbs_checks", row[0], opened), volunteer, row[0]))
        for row in db.query("SELECT id, private_sealed FROM summons_steps"):
            if not sealer.open_fields("summons_steps", row[0], row[1])["done_on"]:
                db.execute("DELETE FROM summons_steps WHERE id = ?", (row[0],))
    session.lock()
    with _raw(vault_dir, VOLUNTEER) as conn:
        assert {r[0] for r in conn.execute("SELECT volunteer_id FROM dbs_checks")} == {w.id}
        assert sorted(_steps_in_order(conn)) == [(first, "chair"), (second, "solicitor")]
        with conn:  # the migration, run again over a file it has upgraded: the marks only
            sql = conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'dbs_checks'").fetchone()
            MIGRATION.upgrade(conn)
            assert conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'dbs_checks'"
                                ).fetchone() == sql

    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    after = ({x: s.summonses.detail(x).steps for x in (first, second)}, s.dbs.list(w.id))
    assert s.dbs.list(v.id) == [] and s.dbs.get(c.id).volunteer_name == "Bob Aston"
    session.lock()
    assert after == before
    with _raw(vault_dir, VOLUNTEER) as conn:
        assert {r[0] for r in conn.execute("SELECT volunteer_id FROM dbs_checks")} == {None}
        assert _steps_in_order(conn) == _canonical([first, second])
    assert {n for *_x, n in steps_read(vault.paths.db, _volunteer_key(vault_dir))} == {1}


def _volunteer_key(folder: Path) -> bytes:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*VOLUNTEER)
    try:
        return bytes(keys.db_key)
    finally:
        keys.wipe()


def test_a_volunteers_disposal_takes_their_checks_without_a_cascade(
        coordinator: Services, clock: FixedClock) -> None:
    v = coordinator.volunteers.create(details())
    w = coordinator.volunteers.create(details(full_name="Bob Aston"))
    coordinator.dbs.record(v.id, check(issue_date=date(2025, 6, 7)))
    kept = coordinator.dbs.record(w.id, check(issue_date=date(2025, 6, 8),
                                              certificate_number="001122334455"))
    coordinator.volunteers.resign(v.id, date(2026, 2, 1), "Moved away")
    clock.at = datetime(2029, 6, 1, 9, 0)
    result = coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    assert result.disposed == 1
    assert [c.id for c in coordinator.dbs.list()] == [kept.id]
    assert coordinator.session.db.scalar("SELECT count(*) FROM dbs_checks") == 1

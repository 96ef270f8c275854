"""The insider's view, through the files: someone who holds an account's passphrase, copies
centre.cccdb and centre.keys and reads or writes them with sqlcipher3 directly (issue 12, part A:
roles, revocation, the audit trail, the key file)."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest
import sqlcipher3

from ccc_desktop.models import crypto
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import AccountAltered, VaultCorrupt, WrongPassphrase
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.roles import Role
from ccc_desktop.models.services.locked_restore import OlderThanRevocation, restore_while_locked
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.storage.database import scrub
from ccc_desktop.models.vault import Vault
from ccc_desktop.models.volunteers_records import VolunteerDetails
from conftest import CHAIR, COORDINATOR, FIXTURES, START, VOLUNTEER


def own_key(folder: Path, who: tuple[str, str]) -> bytes:
    """What the insider gets from their own slot in the key file: the database key."""
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*who)
    try:
        return bytes(keys.db_key)
    finally:
        keys.wipe()


def raw(folder: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(folder / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def opens(folder: Path, key: bytes) -> bool:
    conn = raw(folder, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


# ---- roles cannot be written into being -----------------------------------------------------------
def test_a_role_written_into_the_file_is_refused_and_never_given_the_seal_key(vault: Vault, vault_dir: Path) -> None:
    key = own_key(vault_dir, VOLUNTEER)
    with raw(vault_dir, key) as conn:
        conn.execute("UPDATE accounts SET role = 'chair' WHERE username = 'volunteer'")
    with pytest.raises(AccountAltered, match="role was changed outside"):
        vault.unlock(*VOLUNTEER)

    # The Coordinator is told at unlock, and neither a reset nor a re-enable goes through.
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    assert any("volunteer" in w and "changed outside" in w for w in session.warnings)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    with pytest.raises(VaultCorrupt, match="changed outside CCC Desktop"):
        services.accounts.reset_passphrase(vol.id, "Brand new temporary 77")
    session.lock()
    keys = SlotFile.load(vault_dir / "centre.keys").unlock_passphrase(*VOLUNTEER)
    assert keys.seal_key is None and keys.role == "volunteer"
    with pytest.raises(WrongPassphrase):
        SlotFile.load(vault_dir / "centre.keys").unlock_passphrase(
            "volunteer", "Brand new temporary 77", START.timestamp())

    # Disabling it (a rekey) signs it again only as a disabled Session volunteer, so re-enabling
    # it later gives it no seal key.
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    services.accounts.disable(vol.id)
    services.accounts.enable(vol.id, "Brand new temporary 77")
    again = next(a for a in services.accounts.list() if a.username == "volunteer")
    assert again.role is Role.VOLUNTEER and again.enabled
    session.lock()
    keys = SlotFile.load(vault_dir / "centre.keys").unlock_passphrase("volunteer", "Brand new temporary 77")
    assert keys.seal_key is None and keys.role == "volunteer"


def test_a_volunteer_who_rewrites_their_own_slot_as_chair_gets_no_seal_key(vault: Vault, vault_dir: Path) -> None:
    """The slot's envelope says what it was issued as; a volunteer can rewrite their own slot
    (they know the passphrase and the database key) but not put the seal key in it."""
    key = own_key(vault_dir, VOLUNTEER)
    slots = SlotFile.load(vault_dir / "centre.keys")
    with raw(vault_dir, key) as conn:
        slot_id = conn.execute("SELECT slot_id FROM accounts WHERE username = 'volunteer'").fetchone()[0]
        conn.execute("UPDATE accounts SET role = 'chair' WHERE username = 'volunteer'")
    slots.put_passphrase_slot(slot_id, VOLUNTEER[0], VOLUNTEER[1], key, None, "chair")
    slots.save()
    with pytest.raises(AccountAltered):
        vault.unlock(*VOLUNTEER)
    # And a manager's unlock says the slot was changed (its authentication no longer holds).
    session = vault.unlock(*CHAIR)
    assert any("key slot" in w for w in session.warnings)
    session.lock()


# ---- disabling revokes -----------------------------------------------------------------------------
def test_disabling_rekeys_so_an_old_key_file_opens_nothing_live(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    old_keys = tmp_path / "stick" / "centre.keys"
    old_keys.parent.mkdir()
    shutil.copy2(vault_dir / "centre.keys", old_keys)
    volunteer_key = own_key(vault_dir, VOLUNTEER)
    assert opens(vault_dir, volunteer_key)

    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    seen: list[int] = []
    result = services.accounts.disable(vol.id, progress=lambda d, t: seen.append(d))
    assert result is not None and result.revoked == ["volunteer"] and not result.seal_replaced
    assert seen and seen[-1] == 100
    assert "still open with the old passphrases" in result.message
    # The session carries on under the new key.
    assert services.accounts.list()
    session.lock()

    assert not opens(vault_dir, volunteer_key)
    keys = SlotFile.load(old_keys).unlock_passphrase(*VOLUNTEER)
    assert not opens(vault_dir, bytes(keys.db_key))
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)
    for who in (COORDINATOR, CHAIR):
        vault.unlock(*who).lock()
    assert not (vault_dir / "centre.cccdb.next").exists() and not (vault_dir / "centre.keys.next").exists()


def test_a_manager_leaving_replaces_the_seal_key_and_reseals(vault: Vault, vault_dir: Path) -> None:
    from family_helpers import accepted_family
    from volunteer_helpers import disclosed

    from ccc_desktop.models.families_records import IncidentInput
    from ccc_desktop.models.legal_records import SummonsForm

    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    v = services.volunteers.create(VolunteerDetails(full_name="Rowan Ash", address="3 Elm Row",
                                                    phone="07700 900123"))
    check = services.dbs.record(v.id, disclosed())
    family = accepted_family(services)
    services.families.set_restricted_notes(family, "Father not to be told the new address.")
    services.families.record_incident(family, IncidentInput(
        "20/11/2026", "Raised voice at handover", "Both parents", "Separated", "Chair"))
    # Which steps a summons has had, and which volunteer a check is for (migration 0024).
    summons = services.summonses.log(SummonsForm("20/11/2026", "post", "Derby Family Court",
                                                 "DE26P00417", "10/12/2026", family_id=family))
    services.summonses.record_step(summons.id, "naccc", "21/11/2026", "Carol Dean", "Rang them")
    services.families.set_status(family, "closed", "ended for safety", "Threat at handover")
    # A letter and an attachment: their fields (kind, subject, dates) and owner index too.
    from test_attachments import pdf

    letter = services.letters.keep("attendance", "Attendance letter", "family", family, pdf(b"L"))
    doc = services.attachments.add("volunteer", v.id, "Reference.pdf", pdf(b"D"))
    indexes = {t: session.db.scalar(f"SELECT {c} FROM {t} WHERE id = ?", (i,))
               for t, c, i in (("letters", "subject_index", letter.id),
                               ("attachments", "owner_index", doc.id))}
    opened = services.families.get(family)
    old_seal = bytes(session.seal_key)
    chair = next(a for a in services.accounts.list() if a.username == "chair")
    result = services.accounts.disable(chair.id)
    assert result is not None and result.seal_replaced and result.resealed >= 6
    assert bytes(session.seal_key) != old_seal
    assert services.volunteers.get(v.id).details.address == "3 Elm Row"
    assert "Caution" in services.dbs.open_result(check.id).disclosed_information
    assert services.families.restricted_notes(family).startswith("Father")
    assert services.families.incidents(family)[0].what_happened == "Raised voice at handover"
    assert any(a.address.startswith("1 Secret Street") for a in services.families.get(family).adults)
    # The family's dates and closing (migration 0023) came across under the new key.
    assert services.families.get(family) == opened
    assert services.families.closing(family) == (None, "ended for safety", "Threat at handover")
    sealed = session.db.scalar("SELECT private_sealed FROM families WHERE id = ?", (family,))
    assert crypto.unseal(old_seal, bytes(sealed), f"families.private_sealed|{family}".encode()) is None
    sealed = session.db.scalar("SELECT details_sealed FROM volunteers WHERE id = ?", (v.id,))
    assert crypto.unseal(old_seal, bytes(sealed), f"volunteers.private|{v.id}".encode()) is None
    assert services.volunteers.get(v.id).status.value == "applicant"  # sealed by the row (0028)
    assert [c.id for c in services.dbs.list(v.id)] == [check.id]
    assert services.dbs.list(v.id)[0].volunteer_name == "Rowan Ash"
    steps = services.summonses.detail(summons.id).steps
    assert list(steps) == ["naccc"] and steps["naccc"].note == "Rang them"
    for table in ("dbs_checks", "summons_steps", "incidents", "volunteers"):
        for row_id, blob in session.db.query(f"SELECT id, private_sealed FROM {table}"):
            assert crypto.unseal(old_seal, bytes(blob),
                                 f"{table}.private_sealed|{row_id}".encode()) is None, table
    assert services.letters.open(letter.id) == pdf(b"L") and services.attachments.open(doc.id) == pdf(b"D")
    assert [x.id for x in services.families.letters(family)] == [letter.id]
    assert [x.id for x in services.attachments.list("volunteer", v.id)] == [doc.id]
    from ccc_desktop.models.sealed import Sealer

    for table, row_id, binary in (("letters", letter.id, "pdf"), ("attachments", doc.id, "content")):
        row = session.db.query_one(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        assert row is not None and row["private_sealed"] is not None
        column = "subject_index" if table == "letters" else "owner_index"
        assert row[column] and row[column] != indexes[table]  # the old key's index is gone
        with pytest.raises(VaultCorrupt):
            Sealer(old_seal).open_fields(table, row_id, row["private_sealed"])
        with pytest.raises(VaultCorrupt):
            Sealer(old_seal).open_bytes(table, binary, row_id, row[binary])
    session.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(*CHAIR)
    vault.unlock(*VOLUNTEER).lock()  # a volunteer's slot was given the new database key


def test_a_crash_between_the_two_renames_is_finished_at_the_next_start(vault: Vault, vault_dir: Path) -> None:
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    services.accounts.disable(vol.id)
    session.lock()
    # As if killed after the database was renamed in but before the key file followed it.
    live_keys = (vault_dir / "centre.keys").read_bytes()
    (vault_dir / "centre.keys.next").write_bytes(live_keys)
    (vault_dir / "centre.keys").write_bytes(b"{}")
    vault.unlock(*COORDINATOR).lock()
    assert not (vault_dir / "centre.keys.next").exists()
    # Killed before the database was renamed: the half-made pair is dropped, the old one kept.
    (vault_dir / "centre.cccdb.next").write_bytes(b"half")
    (vault_dir / "centre.keys.next").write_bytes(b"half")
    vault.unlock(*CHAIR).lock()
    assert not (vault_dir / "centre.cccdb.next").exists() and not (vault_dir / "centre.keys.next").exists()


def test_an_old_backup_restored_by_a_disabled_chair_is_refused(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    made = services.backup.backup(stick)
    chair = next(a for a in services.accounts.list() if a.username == "chair")
    services.accounts.disable(chair.id)
    session.lock()
    # The disabled Chair, on the locked screen, with the old backup: their passphrase opens the
    # backup but nothing live, so it cannot restore over the records.
    with pytest.raises(WrongPassphrase, match="does not open the current records"):
        restore_while_locked(vault, made.folder, *CHAIR)
    with pytest.raises(WrongPassphrase):
        vault.unlock(*CHAIR)


def test_restoring_a_backup_older_than_a_revocation_needs_confirming_and_revokes_again(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    made = services.backup.backup(stick)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    services.accounts.disable(vol.id)
    with pytest.raises(OlderThanRevocation):
        services.backup.prepare_restore(made.folder)
    services.backup.restore(made.folder, passphrase=COORDINATOR[1], confirm_older=True)
    assert not session.is_open
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)  # the backup's volunteer slot was revoked again
    key = own_key(tmp_path / "stick" / made.name, VOLUNTEER)  # the backup's own key file
    assert not opens(vault_dir, key)
    again = vault.unlock(*COORDINATOR)
    services = build_services(again)
    assert not next(a for a in services.accounts.list() if a.username == "volunteer").enabled
    actions = [e.action for e in services.audit.entries(again.actor, limit=50)]
    assert "account revoked again after a restore" in actions
    assert "records restored from a backup" in actions
    detail = services.audit.entries(again.actor, "records restored from a backup")[0].detail
    assert "before the last revocation" in detail
    again.lock()


@pytest.mark.parametrize("disabled_first", [False, True])
def test_an_account_removed_since_a_backup_stays_removed_when_it_is_restored(
        vault: Vault, vault_dir: Path, tmp_path: Path, disabled_first: bool) -> None:
    """Removed after the backup (enabled then, or already disabled then): the restored records
    list it as removed, not disabled, so it can never be enabled again; its old key opens nothing."""
    from ccc_desktop.models.errors import ValidationError
    from ccc_desktop.models.storage.accounts import AccountStore

    stick = tmp_path / "stick"
    stick.mkdir()
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    if disabled_first:
        services.accounts.disable(vol.id)
    made = services.backup.backup(stick)
    services.accounts.remove(vol.id)
    if disabled_first:  # nothing was rekeyed by the removal: not older, but the passphrase is needed
        with pytest.raises(ValidationError, match="revoked again"):
            services.backup.prepare_restore(made.folder)
        services.backup.restore(made.folder, passphrase=COORDINATOR[1])
    else:
        services.backup.restore(made.folder, passphrase=COORDINATOR[1], confirm_older=True)
    again = vault.unlock(*COORDINATOR)
    services = build_services(again)
    row = next(a for a in AccountStore(again.db).all() if a.id == vol.id)
    assert row.removed_at and not row.enabled and not row.slot_id
    assert vol.id not in [a.id for a in services.accounts.list()]
    with pytest.raises(ValidationError):
        services.accounts.enable(vol.id, "a temporary passphrase 1")
    actions = [e.action for e in services.audit.entries(again.actor, limit=50)]
    assert ("account revoked again after a restore" if not disabled_first
            else "account removed again after a restore") in actions
    assert services.audit.verify().ok
    again.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)
    if not disabled_first:  # the backup's own key file still has the volunteer's slot
        assert not opens(vault_dir, own_key(stick / made.name, VOLUNTEER))


def test_an_account_removed_since_a_backup_stays_removed_after_a_restore_from_the_locked_screen(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    from ccc_desktop.models.storage.accounts import AccountStore

    stick = tmp_path / "stick"
    stick.mkdir()
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    made = services.backup.backup(stick)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    services.accounts.remove(vol.id)
    session.lock()
    restore_while_locked(vault, made.folder, *COORDINATOR, confirm_older=True)
    again = vault.unlock(*COORDINATOR)
    row = next(a for a in AccountStore(again.db).all() if a.id == vol.id)
    assert row.removed_at and not row.enabled
    again.lock()
    assert not opens(vault_dir, own_key(stick / made.name, VOLUNTEER))


# ---- the trail holds against a key holder ------------------------------------------------------------
def test_a_tail_cut_from_the_trail_is_reported_at_the_next_manager_unlock(vault: Vault, vault_dir: Path) -> None:
    session = vault.unlock(*COORDINATOR)
    build_services(session).centre.update(CentreDetails(name="Riverside Centre"))
    session.lock()
    key = own_key(vault_dir, VOLUNTEER)
    with raw(vault_dir, key) as conn:
        conn.execute("DROP TRIGGER audit_log_no_delete")
        last, = conn.execute("SELECT max(id) FROM audit_log").fetchone()
        conn.execute("DELETE FROM audit_log WHERE id > ?", (last - 3,))
        row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{row[0]}:{row[1]}".encode(),))
    session = vault.unlock(*CHAIR)
    assert any("removed" in w for w in session.warnings), session.warnings
    services = build_services(session)
    assert services.audit.entries(session.actor, "TAMPERED")
    session.lock()


def test_a_volunteer_rechaining_the_trail_is_caught_by_the_checkpoint(vault: Vault, vault_dir: Path) -> None:
    from ccc_desktop.models.audit import GENESIS, entry_hash
    from ccc_desktop.models.records import AuditEntry

    key = own_key(vault_dir, VOLUNTEER)
    with raw(vault_dir, key) as conn:
        conn.row_factory = sqlcipher3.Row
        chain_key = bytes(conn.execute("SELECT value FROM meta WHERE key = 'audit_key'").fetchone()[0])
        conn.execute("DROP TRIGGER audit_log_no_update")
        rows = [dict(r) for r in conn.execute(
            "SELECT id, at, account_id, actor, action, record_type, record_id, detail, prev_hash, "
            "hash FROM audit_log ORDER BY id")]
        rows[1]["action"] = "nothing happened"
        prev = GENESIS
        for r in rows:
            r["prev_hash"] = prev
            r["hash"] = entry_hash(chain_key, AuditEntry(**r), prev)
            conn.execute("UPDATE audit_log SET action = ?, prev_hash = ?, hash = ? WHERE id = ?",
                         (r["action"], r["prev_hash"], r["hash"], r["id"]))
            prev = r["hash"]
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{rows[-1]['id']}:{prev}".encode(),))
    session = vault.unlock(*COORDINATOR)
    assert any("rewritten" in w for w in session.warnings), session.warnings
    session.lock()


def test_the_trail_names_the_session_never_a_caller() -> None:
    import inspect

    from ccc_desktop.models.audit import AuditTrail

    assert "actor" not in inspect.signature(AuditTrail.record).parameters


# ---- the key file, the folder, memory ------------------------------------------------------------------
def test_the_kdf_floor_holds_whatever_the_file_says(vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads((vault_dir / "centre.keys").read_text())
    data["kdf"] = {"memory_kib": 64 * 1024, "iterations": 1, "lanes": 1}
    (vault_dir / "centre.keys").write_text(json.dumps(data))
    monkeypatch.setattr(crypto, "_test_mode", False)
    with pytest.raises(VaultCorrupt, match="too weak"):
        SlotFile.load(vault_dir / "centre.keys")


def test_a_key_file_copied_back_over_a_newer_one_is_reported(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    older = tmp_path / "older.keys"
    shutil.copy2(vault_dir / "centre.keys", older)
    session = vault.unlock(*COORDINATOR)
    build_services(session).accounts.add("newbie", "New Person", Role.VOLUNTEER, "Temporary passphrase 5")
    session.lock()
    shutil.copy2(older, vault_dir / "centre.keys")
    session = vault.unlock(*COORDINATOR)
    assert any("older than the one these records last used" in w for w in session.warnings)
    session.lock()


def test_the_data_folder_and_its_files_are_private(vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    stick = tmp_path / "stick"
    stick.mkdir()
    made = services.backup.backup(stick)
    services.backup.restore(made.folder)
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(vault_dir) == 0o700
    for f in (vault_dir / "centre.cccdb", vault_dir / "centre.keys"):
        assert mode(f) == 0o600, f
    aside = next((vault_dir / "backups").glob("before-restore-*"))
    assert mode(aside) == 0o700 and mode(vault_dir / "backups") == 0o700
    for f in aside.iterdir():
        assert mode(f) == 0o600, f


def test_scrub_overwrites_key_text_in_place() -> None:
    text = bytearray(b"\x12\x34").hex() + "ab"
    scrub(text)
    assert text == "\x00" * 6


# ---- the upgrade from the released vault (schema 7, key file format 1) --------------------------------
DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_CHAIR = ("chair", "riverside chair")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")


def test_the_released_vault_upgrades_its_key_file_and_accounts(tmp_path: Path) -> None:
    from datetime import datetime

    from ccc_desktop.models.clock import FixedClock

    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    assert json.loads((folder / "centre.keys").read_text())["format"] == 1
    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))

    # A volunteer's unlock rewrites only its own slot (format 2, not yet authenticated).
    session = vault.unlock(*DEMO_VOLUNTEER)
    families = session.db.scalar("SELECT count(*) FROM families")
    session.lock()
    assert families > 0
    data = json.loads((folder / "centre.keys").read_text())
    assert data["format"] == 2
    assert sum(1 for s in data["slots"] if s["public"]) == 1

    # The first manager unlock authenticates the accounts and the key file.
    session = vault.unlock(*DEMO_COORDINATOR)
    assert session.warnings == []
    services = build_services(session)
    assert services.families.count() == families and services.audit.verify().ok
    assert session.db.scalar("SELECT count(*) FROM accounts WHERE seal_mac IS NULL") == 0
    slots = SlotFile.load(folder / "centre.keys")
    assert all(slots.slot_ok(session.seal_key, s) for s in slots.slots if s.public)
    assert slots.header_ok(session.seal_key)
    volunteers = services.volunteers.list()
    assert volunteers and services.volunteers.get(volunteers[0].id).details.full_name

    # Revoking: the Chair has not unlocked since the upgrade and the recovery slot is still in
    # format 1, so neither can be carried over: said so, and a new recovery key is issued.
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    result = services.accounts.disable(vol.id)
    assert result is not None
    assert "chair" in result.needs_reset and result.new_recovery_key
    session.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(*DEMO_CHAIR)
    again = vault.unlock_with_recovery(result.new_recovery_key, "chair", "New chair passphrase 9")
    assert again.actor.role is Role.CHAIR and again.has_seal_key
    again.lock()


MEMORY_SCAN = r'''
import gc, sys
from pathlib import Path
from ccc_desktop.models import crypto
crypto.enable_cheap_kdf_for_tests()
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.vault import Vault

vault = Vault(Path(sys.argv[1]))
session, _ = vault.create(CentreDetails(name="Memory Centre"), "coord", "Coord", "Coordinator passphrase 1")
session.lock()
session = vault.unlock("coord", "Coordinator passphrase 1")
services = build_services(session)
services.accounts.add("volunteer", "Vol", "volunteer", "Volunteer passphrase 1")
wanted = [bytes(session.db_key), bytes(session.seal_key)]
wanted += [k.hex().encode() for k in wanted] + [k.hex().upper().encode() for k in wanted]
session.lock()
del services, session
gc.collect()
counts = [0] * len(wanted)
with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
    regions = [line.split()[:2] for line in maps]
    for addr, perms in regions:
        if "r" not in perms:
            continue
        start, end = (int(x, 16) for x in addr.split("-"))
        try:
            mem.seek(start)
            chunk = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        for i, needle in enumerate(wanted):
            counts[i] += chunk.count(needle)
        del chunk
print(counts)
'''


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="reads its own memory through /proc")
def test_after_lock_no_copy_of_the_keys_is_left_in_memory(tmp_path: Path) -> None:
    """Scans the whole memory of a process that unlocked, worked and locked: each key (raw and
    in hex, either case) is found once, the scanner's own copy, and nowhere else."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", MEMORY_SCAN, str(tmp_path / "v")],
                         capture_output=True, text=True, check=True, timeout=300)
    assert json.loads(out.stdout.strip()) == [1, 1, 1, 1, 1, 1]


def test_an_entry_altered_since_the_last_checkpoint_is_reported(vault: Vault, vault_dir: Path) -> None:
    vault.unlock(*VOLUNTEER).lock()  # entries a manager session has not checkpointed
    key = own_key(vault_dir, VOLUNTEER)
    with raw(vault_dir, key) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        last, = conn.execute("SELECT max(id) FROM audit_log").fetchone()
        conn.execute("UPDATE audit_log SET action = 'nothing' WHERE id = ?", (last - 1,))
    session = vault.unlock(*CHAIR)
    assert any("has been altered" in w for w in session.warnings), session.warnings
    session.lock()


def test_what_a_manager_unlock_writes_is_sealed_like_the_rest(vault: Vault, vault_dir: Path) -> None:
    """"logged in", the unlock's checks and the failed attempts before it are written before
    the session object exists; a volunteer's key still reads none of them."""
    with pytest.raises(WrongPassphrase):
        vault.unlock(CHAIR[0], "not the passphrase")
    key = own_key(vault_dir, VOLUNTEER)
    with raw(vault_dir, key) as conn:
        before, = conn.execute("SELECT max(id) FROM audit_log").fetchone()
    vault.unlock(*CHAIR).lock("logged out")
    with raw(vault_dir, key) as conn:
        rows = conn.execute("SELECT action, detail, sealed FROM audit_log WHERE id > ?",
                            (before,)).fetchall()
    assert len(rows) >= 3  # failed attempts, logged in, logged out
    assert all(r == ("entry", "", r[2]) and r[2] is not None for r in rows), rows
    session = vault.unlock(*COORDINATOR)
    actions = [e.action for e in build_services(session).audit.entries(session.actor, limit=10)]
    assert {"failed unlock attempts", "logged in", "logged out"} <= set(actions)
    session.lock()


# ---- what Session volunteers write between two manager sessions ------------------------------------
WALTER = ("walter", "Walter passphrase 4444")


def _two_volunteers_after_a_manager(vault: Vault) -> int:
    """A Coordinator session (the checkpoint), then Walter's session at the door, then the
    insider's own (the volunteer's). Returns Walter's account id."""
    session = vault.unlock(*COORDINATOR)
    walter = build_services(session).accounts.add(WALTER[0], "Walter Door", Role.VOLUNTEER, WALTER[1])
    session.lock("logged out")
    vault.unlock(*WALTER).lock("logged out")
    vault.unlock(*VOLUNTEER).lock("logged out")
    return walter.id


def _rechain(conn: sqlcipher3.Connection, change: dict[int, dict[str, object]] | None = None,
             drop_after: int | None = None, append: list[dict[str, object]] | None = None) -> None:
    """What the insider can do with the database key alone: rewrite entries, cut the tail or
    add entries, re-chain everything with the chain key from `meta`, and fix the head marker."""
    from ccc_desktop.models.audit import GENESIS, entry_hash
    from ccc_desktop.models.records import AuditEntry

    conn.row_factory = sqlcipher3.Row
    chain_key = bytes(conn.execute("SELECT value FROM meta WHERE key = 'audit_key'").fetchone()[0])
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    if drop_after is not None:
        conn.execute("DELETE FROM audit_log WHERE id > ?", (drop_after,))
    cols = "id, at, account_id, actor, action, record_type, record_id, detail, prev_hash, hash"
    rows = [dict(r) for r in conn.execute(f"SELECT {cols} FROM audit_log ORDER BY id")]
    # Entries before the first one touched keep their hashes (a manager's are over sealed text
    # the insider cannot read): the chain is redone from there on.
    start = min([*(change or {}), *([drop_after + 1] if drop_after is not None else []),
                 *([rows[-1]["id"] + 1] if append else [])])
    for extra in append or []:
        rows.append({**rows[-1], **extra, "id": rows[-1]["id"] + 1})
    prev = GENESIS
    for r in rows:
        if r["id"] < start:
            prev = r["hash"]
            continue
        r.update((change or {}).get(r["id"], {}))
        r["prev_hash"] = prev
        r["hash"] = entry_hash(chain_key, AuditEntry(**r), prev)
        conn.execute(f"INSERT OR REPLACE INTO audit_log ({cols}, sealed) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT sealed FROM audit_log WHERE id = ?))",
                     (*[r[c.strip()] for c in cols.split(",")], r["id"]))
        prev = r["hash"]
    conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (f"{rows[-1]['id']}:{prev}".encode(),))


def _walters_entries(conn: sqlcipher3.Connection, walter_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM audit_log WHERE account_id = ? ORDER BY id",
                                       (walter_id,))]


def _chair_is_told(vault: Vault, *words: str) -> list[str]:
    session = vault.unlock(*CHAIR)
    try:
        warned = [w for w in session.warnings if all(word in w for word in words)]
        assert warned, session.warnings
        assert build_services(session).audit.entries(session.actor, "TAMPERED")
        return warned
    finally:
        session.lock()


def test_a_volunteer_rewriting_another_volunteers_entries_is_reported(vault: Vault, vault_dir: Path) -> None:
    walter_id = _two_volunteers_after_a_manager(vault)
    with raw(vault_dir, own_key(vault_dir, VOLUNTEER)) as conn:
        first = _walters_entries(conn, walter_id)[0]
        _rechain(conn, change={first: {"action": "nothing happened"}})
    _chair_is_told(vault, "walter", "rewritten")


def test_a_volunteer_cutting_the_tail_after_a_manager_session_is_reported(vault: Vault, vault_dir: Path) -> None:
    walter_id = _two_volunteers_after_a_manager(vault)
    with raw(vault_dir, own_key(vault_dir, VOLUNTEER)) as conn:
        first = _walters_entries(conn, walter_id)[0]
        _rechain(conn, drop_after=first - 1)
    _chair_is_told(vault, "walter", "removed")


def test_a_volunteer_cutting_the_tail_and_deleting_the_record_of_it_is_reported(
        vault: Vault, vault_dir: Path) -> None:
    walter_id = _two_volunteers_after_a_manager(vault)
    vault.unlock(*COORDINATOR).lock("logged out")  # the checkpoint now lists Walter's head
    vault.unlock(*WALTER).lock("logged out")
    with raw(vault_dir, own_key(vault_dir, VOLUNTEER)) as conn:
        # Walter's last session goes (the Coordinator's before it was the last checkpointed).
        _rechain(conn, drop_after=_walters_entries(conn, walter_id)[-2] - 1)
        conn.execute("DELETE FROM meta WHERE key = ?", (f"audit_writer_head:{walter_id}",))
    _chair_is_told(vault, "walter", "removed")


def test_a_volunteer_writing_an_entry_in_another_volunteers_name_is_reported(
        vault: Vault, vault_dir: Path) -> None:
    walter_id = _two_volunteers_after_a_manager(vault)
    with raw(vault_dir, own_key(vault_dir, VOLUNTEER)) as conn:
        _rechain(conn, append=[{"account_id": walter_id, "actor": "walter",
                                "action": "register corrected"}])
    _chair_is_told(vault, "walter", "not written by that account")


def test_each_volunteer_slot_carries_its_own_writer_key(vault: Vault, vault_dir: Path) -> None:
    _two_volunteers_after_a_manager(vault)
    slots = SlotFile.load(vault_dir / "centre.keys")
    mine, walters = slots.unlock_passphrase(*VOLUNTEER), slots.unlock_passphrase(*WALTER)
    assert mine.writer is not None and walters.writer is not None
    assert mine.seal_key is None and bytes(mine.writer) != bytes(walters.writer)
    # Nor is it anything the database holds.
    with raw(vault_dir, own_key(vault_dir, VOLUNTEER)) as conn:
        values = b"".join(bytes(v) for v, in conn.execute("SELECT value FROM meta"))
    assert bytes(walters.writer) not in values and bytes(walters.writer).hex().encode() not in values


def test_an_untouched_trail_of_volunteer_sessions_raises_nothing(vault: Vault) -> None:
    _two_volunteers_after_a_manager(vault)
    session = vault.unlock(*CHAIR)
    assert session.warnings == []
    assert build_services(session).audit.verify().ok
    session.lock()


def test_a_volunteer_slot_from_before_writer_keys_gets_one_at_the_next_manager_unlock(
        vault: Vault, vault_dir: Path) -> None:
    session = vault.unlock(*COORDINATOR)
    vol = next(a for a in build_services(session).accounts.list() if a.username == VOLUNTEER[0])
    session.lock("logged out")
    # As the key file and database were before this change: an envelope with no writer key
    # and no head for the account.
    slots = SlotFile.load(vault_dir / "centre.keys")
    keys = slots.unlock_passphrase(*VOLUNTEER)
    slot = slots.get(keys.slot_id)
    assert slot is not None and keys.writer is not None
    slots.readdress(slot, "volunteer", keys.db_key, None)
    slots.save()
    seal = SlotFile.load(vault_dir / "centre.keys").unlock_passphrase(*CHAIR).seal_key
    assert seal is not None
    with raw(vault_dir, bytes(keys.db_key)) as conn:
        conn.execute("DELETE FROM meta WHERE key LIKE 'audit_writer_head:%'")
        n, last_hash = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC").fetchone()
        old = f"{n}:{n}:{last_hash}:{crypto.mac(seal, 'audit-checkpoint', n, n, last_hash)}"
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_checkpoint'", (old.encode(),))
    assert SlotFile.load(vault_dir / "centre.keys").unlock_passphrase(*VOLUNTEER).writer is None
    vault.unlock(*VOLUNTEER).lock("logged out")  # signs nothing, and nothing is expected of it

    session = vault.unlock(*CHAIR)
    assert session.warnings == []
    session.lock()
    given = SlotFile.load(vault_dir / "centre.keys").unlock_passphrase(*VOLUNTEER)
    from ccc_desktop.models.audit import writer_key

    chair_keys = SlotFile.load(vault_dir / "centre.keys").unlock_passphrase(*CHAIR)
    assert chair_keys.seal_key is not None and given.writer is not None
    assert bytes(given.writer) == writer_key(chair_keys.seal_key, vol.id)
    vault.unlock(*VOLUNTEER).lock("logged out")
    session = vault.unlock(*CHAIR)
    assert session.warnings == []
    session.lock()


# ---- the throttle, against a key file put back --------------------------------------------------------
def test_a_key_file_put_back_after_wrong_guesses_keeps_the_delay_and_is_reported(
        vault: Vault, vault_dir: Path, clock: FixedClock, tmp_path: Path) -> None:
    from ccc_desktop.models.errors import Throttled

    before = tmp_path / "centre.keys"
    shutil.copy2(vault_dir / "centre.keys", before)
    for n in range(4):
        clock.advance(seconds=20 if n else 0)  # each guess after the delay the one before set
        with pytest.raises(WrongPassphrase):
            vault.unlock(CHAIR[0], "a guess at the passphrase")
    shutil.copy2(before, vault_dir / "centre.keys")  # the file has no failures in it again
    assert SlotFile.load(vault_dir / "centre.keys").failures == []
    with pytest.raises(Throttled):  # the stricter of the two records stands
        vault.unlock(*CHAIR)
    clock.advance(seconds=60)
    session = vault.unlock(*CHAIR)
    assert any("replaced by an earlier copy after 4 failed" in w for w in session.warnings), session.warnings
    services = build_services(session)
    assert services.audit.entries(session.actor, "key file put back after failed unlock attempts")
    assert "4 wrong" in services.audit.entries(session.actor, "failed unlock attempts")[-1].detail
    session.lock()
    # Audited once: the next unlock finds both records empty.
    session = vault.unlock(*CHAIR)
    assert session.warnings == []
    session.lock()


def test_wrong_guesses_without_a_key_file_put_back_raise_no_alarm(vault: Vault, clock: FixedClock) -> None:
    with pytest.raises(WrongPassphrase):
        vault.unlock(CHAIR[0], "a guess at the passphrase")
    session = vault.unlock(*CHAIR)
    assert session.warnings == []
    assert build_services(session).audit.entries(session.actor, "failed unlock attempts")
    session.lock()


# ---- a removed account --------------------------------------------------------------------------------
def test_a_removed_accounts_old_key_file_and_passphrase_open_nothing_live(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.keys"
    shutil.copy2(vault_dir / "centre.keys", kept)
    old_key = own_key(vault_dir, VOLUNTEER)
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    vol = next(a for a in services.accounts.list() if a.username == VOLUNTEER[0])
    services.accounts.remove(vol.id)
    session.lock()
    assert not opens(vault_dir, old_key)
    copy_key = SlotFile.load(kept).unlock_passphrase(*VOLUNTEER)
    assert not opens(vault_dir, bytes(copy_key.db_key))
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)
    # Their key file put back in place opens nothing either.
    shutil.copy2(kept, vault_dir / "centre.keys")
    with pytest.raises(VaultCorrupt):
        vault.unlock(*VOLUNTEER)


def test_the_released_vault_can_remove_an_account_after_the_upgrade(tmp_path: Path) -> None:
    from datetime import datetime

    from ccc_desktop.models.clock import FixedClock

    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))
    vault.unlock(*DEMO_CHAIR).lock()  # its slot in format 2, so the rekey carries it over
    session = vault.unlock(*DEMO_COORDINATOR)
    services = build_services(session)
    before = {a.username for a in services.accounts.list()}
    families = services.families.count()
    assert {"coordinator", "chair", "volunteer"} <= before and families > 0
    assert session.db.scalar("SELECT count(*) FROM accounts WHERE removed_at IS NOT NULL") == 0
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    services.accounts.remove(vol.id)
    assert {a.username for a in services.accounts.list()} == before - {"volunteer"}
    assert services.families.count() == families
    session.lock()
    session = vault.unlock(*DEMO_CHAIR)
    assert session.warnings == [] and build_services(session).audit.verify().ok
    session.lock()


# ---- a disposed volunteer's name leaves their staff account and the trail ------------------------
def test_a_disposed_volunteers_account_and_audit_entries_lose_their_name_and_the_trail_verifies(
        vault: Vault, vault_dir: Path) -> None:
    """The account row keeps its number (records and entries name it by that), but its name
    becomes "Former volunteer #N"; the entries it wrote show that name as their actor. Each such
    entry keeps its hash and link and is vouched for under the seal key, so the trail verifies,
    still verifies after a Chair leaves (new seal key), and an entry changed afterwards with a
    volunteer's key is found."""
    from datetime import date

    from volunteer_helpers import details

    from ccc_desktop.models.storage.accounts import AccountStore

    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    acc = services.accounts.add("priya.ramaswamy", "Priya Ramaswamy", Role.VOLUNTEER,
                                "Priya temporary passphrase 4")
    services.volunteers.create(details(full_name="Priya Ramaswamy", account_id=acc.id,
                                       start_date=date(2015, 3, 1)))
    session.lock()
    mine = vault.unlock("priya.ramaswamy", "Priya temporary passphrase 4")  # writes entries as her
    mine.lock()
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    v = next(x for x in services.volunteers.list() if x.details.full_name == "Priya Ramaswamy")
    services.volunteers.resign(v.id, date(2021, 6, 1), "Moved away")
    services.accounts.disable(acc.id)
    written = [e.id for e in services.audit.entries(session.actor, limit=500) if e.account_id == acc.id]
    assert written
    result = services.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    row = AccountStore(session.db).get(acc.id)
    assert row is not None
    assert (row.display_name, row.username) == (f"Former volunteer #{acc.id}", f"former-volunteer-{acc.id}")
    assert row.removed_at and not row.enabled
    by_her = [e for e in services.audit.entries(session.actor, limit=1000) if e.account_id == acc.id]
    assert {e.actor for e in by_her} == {f"Former volunteer #{acc.id}"}
    assert services.audit.verify().ok
    (entry,) = services.retention.batch(result.batch_id).entries
    cleared = {(t, f): n for t, f, n in entry.cleared}
    assert cleared[("accounts", "display_name")] == 1 and cleared[("audit_log", "actor")] == len(by_her)
    # A Chair leaving replaces the seal key: the entries are vouched for under the new one.
    chair = next(a for a in services.accounts.list() if a.username == "chair")
    services.accounts.disable(chair.id)
    assert services.audit.verify().ok
    session.lock()
    key = own_key(vault_dir, COORDINATOR)
    with raw(vault_dir, key) as conn:
        for table, in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for cells in conn.execute(f"SELECT * FROM {table}").fetchall():  # noqa: S608
                text = repr(cells).casefold()
                assert "priya" not in text and "ramaswamy" not in text, table
    # With a volunteer's key, one of her entries is changed: Verify finds it.
    vkey = own_key(vault_dir, VOLUNTEER)
    with raw(vault_dir, vkey) as conn:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET record_id = 'elsewhere' WHERE id = ?", (by_her[0].id,))
    session = vault.unlock(*COORDINATOR)
    try:
        check = build_services(session).audit.verify()
        assert not check.ok and check.first_bad_id == by_her[0].id
    finally:
        session.lock()

import sqlite3
from pathlib import Path

import pytest

from ccc_desktop.models.errors import (
    AccountDisabled,
    StorageError,
    Throttled,
    ValidationError,
    VaultCorrupt,
    WrongPassphrase,
)
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.vault import Vault
from conftest import CENTRE, CHAIR, COORDINATOR, VOLUNTEER


def test_database_file_is_not_readable_by_plain_sqlite(vault_dir: Path) -> None:
    conn = sqlite3.connect(vault_dir / "centre.cccdb")
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM sqlite_master").fetchall()


def test_no_names_in_any_file_of_the_data_folder(vault_dir: Path) -> None:
    names = ["Carol Dean", "Margaret Holt", "Sam Volunteer", "coordinator", "Riverside", "Mill Lane"]
    for f in vault_dir.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            for name in names:
                assert name.encode() not in data, f"{name} found in {f.name}"
                assert name.encode("utf-16-le") not in data


def test_unlock_with_the_right_passphrase(vault: Vault) -> None:
    session = vault.unlock(*COORDINATOR)
    assert session.actor.display_name == "Carol Dean"
    assert build_services(session).centre.details().name == CENTRE.name
    session.lock()


@pytest.mark.parametrize("username,passphrase", [
    ("coordinator", "not the passphrase"),
    ("nobody", COORDINATOR[1]),
    ("chair", COORDINATOR[1]),
    ("", ""),
])
def test_wrong_passphrase_never_says_which_part(vault: Vault, username: str, passphrase: str) -> None:
    with pytest.raises(WrongPassphrase) as err:
        vault.unlock(username, passphrase)
    assert str(err.value) == "Wrong passphrase."


def test_username_is_not_case_sensitive(vault: Vault) -> None:
    vault.unlock("  Coordinator ", COORDINATOR[1]).lock()


def test_wrong_passphrases_are_throttled_counted_and_audited(vault: Vault, clock) -> None:
    with pytest.raises(WrongPassphrase):
        vault.unlock("coordinator", "wrong one 1")
    with pytest.raises(WrongPassphrase):
        vault.unlock("coordinator", "wrong one 2")
    # Two failures in a row: the next try must wait, even with the right passphrase.
    with pytest.raises(Throttled) as err:
        vault.unlock(*COORDINATOR)
    assert err.value.seconds >= 1
    clock.advance(seconds=3)
    with pytest.raises(WrongPassphrase):
        vault.unlock("coordinator", "wrong one 3")
    with pytest.raises(Throttled):
        vault.unlock(*COORDINATOR)
    clock.advance(seconds=5)
    session = vault.unlock(*COORDINATOR)
    entries = build_services(session).audit.entries(session.actor, "failed unlock")
    assert len(entries) == 1 and entries[0].detail.startswith("3 wrong")
    session.lock()
    # The counter was reset by the success.
    vault.unlock(*COORDINATOR).lock()


def test_throttle_survives_a_restart(vault_dir: Path, clock) -> None:
    for attempt in range(2):
        with pytest.raises(WrongPassphrase):
            Vault(vault_dir, clock).unlock("coordinator", f"wrong {attempt} xxxxxxxx")
    with pytest.raises(Throttled):
        Vault(vault_dir, clock).unlock(*COORDINATOR)


def test_recovery_key_sets_a_new_passphrase(vault: Vault, recovery_key: str, clock) -> None:
    session = vault.unlock_with_recovery(recovery_key.lower().replace("-", " "), "coordinator",
                                         "A brand new passphrase")
    assert session.has_seal_key
    session.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(*COORDINATOR)
    clock.advance(seconds=5)
    s = vault.unlock("coordinator", "A brand new passphrase")
    assert build_services(s).audit.entries(s.actor, "recovery key")
    s.lock()


def test_wrong_recovery_key_is_refused(vault: Vault) -> None:
    with pytest.raises(WrongPassphrase, match="recovery key"):
        vault.unlock_with_recovery("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", "coordinator",
                                   "A brand new passphrase")
    with pytest.raises(WrongPassphrase):
        vault.unlock_with_recovery("not a key", "coordinator", "A brand new passphrase")


def test_recovery_key_for_unknown_account(vault: Vault, recovery_key: str) -> None:
    with pytest.raises(ValidationError, match="no account"):
        vault.unlock_with_recovery(recovery_key, "nobody", "A brand new passphrase")


def test_passphrase_change_rewrites_one_slot_only(vault: Vault, vault_dir: Path) -> None:
    import json

    before = json.loads((vault_dir / "centre.keys").read_text())
    db_before = (vault_dir / "centre.cccdb").stat().st_size
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    my_slot = services.accounts.me().slot_id
    services.accounts.change_own_passphrase(COORDINATOR[1], "Another good passphrase")
    session.lock()
    after = json.loads((vault_dir / "centre.keys").read_text())
    changed = [s["id"] for s in after["slots"] if s not in before["slots"]]
    assert changed == [my_slot]
    assert len(after["slots"]) == len(before["slots"])
    assert (vault_dir / "centre.cccdb").stat().st_size >= db_before
    vault.unlock(*CHAIR).lock()
    vault.unlock(*VOLUNTEER).lock()
    s = vault.unlock("coordinator", "Another good passphrase")
    assert build_services(s).centre.details().name == CENTRE.name
    assert build_services(s).audit.verify().ok
    s.lock()


def test_change_passphrase_needs_the_current_one(coordinator) -> None:
    with pytest.raises(WrongPassphrase):
        coordinator.accounts.change_own_passphrase("not it at all", "Another good passphrase")
    with pytest.raises(ValidationError):
        coordinator.accounts.change_own_passphrase(COORDINATOR[1], "short")


def test_disabled_account_cannot_unlock_and_reenable_sets_new_passphrase(vault: Vault, coordinator, clock) -> None:
    vol = next(a for a in coordinator.accounts.list() if a.username == "volunteer")
    coordinator.accounts.disable(vol.id)
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)
    clock.advance(seconds=5)
    coordinator.accounts.enable(vol.id, "Temporary passphrase 9")
    s = vault.unlock("volunteer", "Temporary passphrase 9")
    assert s.must_change_passphrase
    s.lock()


def test_cannot_disable_yourself_or_the_last_manager(coordinator) -> None:
    me = coordinator.accounts.me()
    with pytest.raises(ValidationError):
        coordinator.accounts.disable(me.id)
    chair = next(a for a in coordinator.accounts.list() if a.username == "chair")
    coordinator.accounts.disable(chair.id)  # the coordinator remains


def test_new_account_validation(coordinator) -> None:
    from ccc_desktop.models.roles import Role

    with pytest.raises(ValidationError) as err:
        coordinator.accounts.add("x", "Someone", Role.VOLUNTEER, "Good passphrase 1")
    assert err.value.field == "username"
    with pytest.raises(ValidationError) as err:
        coordinator.accounts.add("someone", "  ", Role.VOLUNTEER, "Good passphrase 1")
    assert err.value.field == "display_name"
    with pytest.raises(ValidationError) as err:
        coordinator.accounts.add("chair", "Dup", Role.VOLUNTEER, "Good passphrase 1")
    assert "taken" in str(err.value)


def test_damaged_database_gives_a_plain_message(vault_dir: Path) -> None:
    db = vault_dir / "centre.cccdb"
    data = bytearray(db.read_bytes())
    data[0:4096] = b"\x00" * 4096
    db.write_bytes(bytes(data))
    with pytest.raises(VaultCorrupt, match="damaged"):
        Vault(vault_dir).unlock(*COORDINATOR)


def test_missing_key_file_gives_a_plain_message(vault_dir: Path) -> None:
    (vault_dir / "centre.keys").unlink()
    with pytest.raises(VaultCorrupt, match="missing"):
        Vault(vault_dir).unlock(*COORDINATOR)


def test_create_refuses_a_folder_with_records(vault: Vault) -> None:
    with pytest.raises(StorageError):
        vault.create(CENTRE, "someone", "Someone", "Good passphrase 1")


def test_create_validates_and_leaves_nothing_behind(tmp_path: Path) -> None:
    v = Vault(tmp_path / "new")
    with pytest.raises(ValidationError):
        v.create(CENTRE, "coord", "Carol", "short")
    assert not v.exists()


def test_lock_wipes_keys(vault: Vault) -> None:
    from ccc_desktop.models.errors import VaultLocked

    s = vault.unlock(*COORDINATOR)
    keys = s._keys
    s.lock()
    assert keys is not None and set(keys.db_key) == {0}
    with pytest.raises(VaultLocked):
        _ = bytes(s.db_key)


def test_instance_lock(vault_dir: Path) -> None:
    from ccc_desktop.models.errors import VaultInUse
    from ccc_desktop.models.instance_lock import InstanceLock

    first = InstanceLock(vault_dir / "centre.lock")
    first.acquire()
    with pytest.raises(VaultInUse):
        InstanceLock(vault_dir / "centre.lock").acquire()
    first.release()
    InstanceLock(vault_dir / "centre.lock").acquire()


def test_disabled_flag_without_slot_removal_still_refuses(vault: Vault) -> None:
    s = vault.unlock(*CHAIR)
    from ccc_desktop.models.storage.accounts import AccountStore

    with s.db.transaction():
        acc = AccountStore(s.db).by_username("volunteer")
        assert acc is not None
        AccountStore(s.db).update(acc.id, enabled=0)
    s.lock()
    with pytest.raises(AccountDisabled):
        vault.unlock(*VOLUNTEER)


def test_unlock_tidies_an_account_whose_slot_was_lost(vault: Vault, vault_dir: Path) -> None:
    """A crash inside 'disable' after the key file was saved: the account must not look enabled."""
    from ccc_desktop.models.keyslots import SlotFile

    s = vault.unlock(*COORDINATOR)
    vol = next(a for a in build_services(s).accounts.list() if a.username == "volunteer")
    s.lock()
    slots = SlotFile.load(vault_dir / "centre.keys")
    slots.remove(vol.slot_id)
    slots.save()
    s = vault.unlock(*COORDINATOR)
    services = build_services(s)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    assert not vol.enabled and vol.slot_id is None
    assert services.audit.entries(s.actor, "key slot was missing")
    assert services.audit.verify().ok
    s.lock()

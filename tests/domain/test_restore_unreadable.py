"""Restoring from the locked screen when the live database is too damaged to open (issue 12):
the live key file's header, authenticated under the seal key, lists the accounts revoked and
removed, so an account removed since the backup stays removed; when nothing live can be
authenticated (no key file, or one changed by hand), the restore says so before anything is
replaced, and goes ahead only when a manager confirms (audited)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from insider_view import slot_key

from ccc_desktop.models.errors import ValidationError, VaultCorrupt, WrongPassphrase
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.services.locked_restore import LiveUnchecked, restore_while_locked
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, VOLUNTEER


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[0:4096 * 3] = bytes(4096 * 3)
    path.write_bytes(bytes(data))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _backup_then_remove_the_volunteer(vault: Vault, stick: Path, disabled_first: bool):  # type: ignore[no-untyped-def]
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    vol = next(a for a in services.accounts.list() if a.username == "volunteer")
    if disabled_first:
        services.accounts.disable(vol.id)
    made = services.backup.backup(stick)
    services.accounts.remove(vol.id)
    session.lock()
    return vol, made


@pytest.mark.parametrize("disabled_first", [False, True])
def test_an_account_removed_since_the_backup_stays_removed_when_the_live_file_cannot_be_opened(
        vault: Vault, vault_dir: Path, tmp_path: Path, disabled_first: bool) -> None:
    """Enabled in the backup (the removal rekeyed) or already disabled there (the removal only
    changed its row): the live key file's header lists it, so it comes back removed."""
    stick = tmp_path / "stick"
    stick.mkdir()
    vol, made = _backup_then_remove_the_volunteer(vault, stick, disabled_first)
    _, seal = slot_key(vault_dir, *COORDINATOR)
    live = SlotFile.load(vault.paths.keys)
    assert live.removed == [vol.id] and seal is not None and live.header_ok(seal)
    _damage(vault.paths.db)
    with pytest.raises(VaultCorrupt):
        vault.unlock(*COORDINATOR)

    restore_while_locked(vault, made.folder, *COORDINATOR, confirm_older=not disabled_first)
    again = vault.unlock(*COORDINATOR)
    services = build_services(again)
    row = next(a for a in AccountStore(again.db).all() if a.id == vol.id)
    assert row.removed_at and not row.enabled and not row.slot_id
    assert vol.id not in [a.id for a in services.accounts.list()]
    with pytest.raises(ValidationError):
        services.accounts.enable(vol.id, "a temporary passphrase 1")
    actions = [e.action for e in services.audit.entries(again.actor, limit=50)]
    assert ("account removed again after a restore" if disabled_first
            else "account revoked again after a restore") in actions
    detail = services.audit.entries(again.actor, "records restored from a backup")[0].detail
    assert "could not be checked" not in detail
    assert services.audit.verify().ok
    again.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)
    # The restored key file lists it removed in turn, authenticated: a second restore of the
    # same backup over a damaged file keeps it removed too.
    _, seal = slot_key(vault_dir, *COORDINATOR)
    keys = SlotFile.load(vault.paths.keys)
    assert vol.id in keys.removed and seal is not None and keys.header_ok(seal)


def test_a_removal_struck_from_the_key_file_by_hand_breaks_its_authentication(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    """The removed volunteer edits centre.keys to drop their removal, and damages the
    database: nothing live can be authenticated any more, and the restore says so first."""
    stick = tmp_path / "stick"
    stick.mkdir()
    vol, made = _backup_then_remove_the_volunteer(vault, stick, disabled_first=True)
    raw = json.loads(vault.paths.keys.read_text("utf-8"))
    assert raw["removed"] == [vol.id]
    raw["removed"] = []
    vault.paths.keys.write_text(json.dumps(raw), "utf-8")
    _, seal = slot_key(vault_dir, *COORDINATOR)
    assert seal is not None and not SlotFile.load(vault.paths.keys).header_ok(seal)
    _damage(vault.paths.db)
    before = _snapshot(vault_dir)
    with pytest.raises(LiveUnchecked, match="changed outside CCC Desktop") as refused:
        restore_while_locked(vault, made.folder, *COORDINATOR)
    assert refused.value.field == "confirm_unchecked"
    assert "disabled or removed since this backup was made" in str(refused.value)
    assert _snapshot(vault_dir) == before  # nothing replaced, nothing staged


def test_with_no_key_file_the_restore_says_who_lost_access_cannot_be_checked(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    vol, made = _backup_then_remove_the_volunteer(vault, stick, disabled_first=True)
    vault.paths.keys.unlink()
    _damage(vault.paths.db)
    before = _snapshot(vault_dir)
    with pytest.raises(LiveUnchecked, match="key file is missing"):
        restore_while_locked(vault, made.folder, *COORDINATOR)
    assert _snapshot(vault_dir) == before
    # Confirmed: restored as the backup has it (disabled, not removed), and the trail says so.
    restore_while_locked(vault, made.folder, *COORDINATOR, confirm_unchecked=True)
    again = vault.unlock(*COORDINATOR)
    services = build_services(again)
    row = next(a for a in AccountStore(again.db).all() if a.id == vol.id)
    assert not row.enabled and not row.removed_at
    detail = services.audit.entries(again.actor, "records restored from a backup")[0].detail
    assert detail.startswith("the accounts revoked or removed since could not be checked")
    assert "confirmation" in detail
    again.lock()


def test_a_key_file_from_before_the_list_catches_up_at_the_next_manager_unlock(
        vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    """Accounts removed before the key file listed removals: the next Coordinator or Chair
    unlock writes them in from their signed rows, authenticated with the rest of the header."""
    stick = tmp_path / "stick"
    stick.mkdir()
    vol, _made = _backup_then_remove_the_volunteer(vault, stick, disabled_first=True)
    _, seal = slot_key(vault_dir, *COORDINATOR)
    assert seal is not None
    old = SlotFile.load(vault.paths.keys)
    old.removed = []  # as a key file written before removals were listed
    old.sign(seal, [])
    old.save()
    assert SlotFile.load(vault.paths.keys).header_ok(seal)
    vault.unlock(*COORDINATOR).lock()
    keys = SlotFile.load(vault.paths.keys)
    assert keys.removed == [vol.id] and keys.header_ok(seal)

"""Removing an account (issue 12): for good, revoking like disable, refused for other roles, for
yourself and for the last Coordinator or Chair; its name stays where the records name it by id."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccc_desktop.models.errors import PermissionDenied, ValidationError, WrongPassphrase
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.roles import Role
from ccc_desktop.models.services.registry import Services
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.vault import Vault
from conftest import CHAIR, VOLUNTEER


def _id(services: Services, username: str) -> int:
    return next(a.id for a in services.accounts.list() if a.username == username)


def test_removing_an_enabled_account_rekeys_and_it_leaves_the_list(
        coordinator: Services, vault: Vault, vault_dir: Path) -> None:
    old_keys = SlotFile.load(vault_dir / "centre.keys")
    vol = _id(coordinator, VOLUNTEER[0])
    result = coordinator.accounts.remove(vol)
    assert result is not None and result.revoked == [VOLUNTEER[0]] and not result.seal_replaced
    assert VOLUNTEER[0] not in [a.username for a in coordinator.accounts.list()]
    row = AccountStore(coordinator.session.db).get(vol)
    assert row is not None and row.removed_at and not row.enabled and row.slot_id is None
    # Its name stays where the trail names it by id.
    entry = coordinator.audit.entries(coordinator.session.actor, "account removed")[0]
    assert (entry.record_type, entry.record_id) == ("account", str(vol))
    assert row.username == VOLUNTEER[0]
    with pytest.raises(WrongPassphrase):
        vault.unlock(*VOLUNTEER)
    assert old_keys.epoch < SlotFile.load(vault_dir / "centre.keys").epoch
    # Never enabled again, nor its name taken by a new account unawares.
    with pytest.raises(ValidationError, match="removed"):
        coordinator.accounts.enable(vol, "A new temporary passphrase 9")
    with pytest.raises(ValidationError, match="removed"):
        coordinator.accounts.add(VOLUNTEER[0], "Sam Again", Role.VOLUNTEER, "A new temporary passphrase 9")
    assert coordinator.accounts.remove(vol) is None  # twice: nothing more happens


def test_removing_a_manager_replaces_the_seal_key(coordinator: Services, vault: Vault) -> None:
    result = coordinator.accounts.remove(_id(coordinator, CHAIR[0]))
    assert result is not None and result.seal_replaced
    with pytest.raises(WrongPassphrase):
        vault.unlock(*CHAIR)


def test_removing_a_disabled_account_changes_only_its_row(coordinator: Services, vault_dir: Path) -> None:
    vol = _id(coordinator, VOLUNTEER[0])
    coordinator.accounts.disable(vol)
    epoch = SlotFile.load(vault_dir / "centre.keys").epoch
    assert coordinator.accounts.remove(vol) is None
    assert SlotFile.load(vault_dir / "centre.keys").epoch == epoch
    assert VOLUNTEER[0] not in [a.username for a in coordinator.accounts.list()]
    assert coordinator.audit.entries(coordinator.session.actor, "account removed")


def test_not_yourself(coordinator: Services) -> None:
    """(Nor the last Coordinator or Chair: the same check as disable. Through the service it
    cannot arise, as the one removing is an enabled manager and may not remove themselves.)"""
    with pytest.raises(ValidationError, match="account you are using"):
        coordinator.accounts.remove(coordinator.session.actor.account_id)
    assert coordinator.accounts.me().removed_at is None


def test_a_removed_row_put_back_by_hand_is_refused(coordinator: Services, vault: Vault) -> None:
    """The row's seal covers "removed": clearing it in the file does not bring the account back."""
    vol = _id(coordinator, VOLUNTEER[0])
    coordinator.accounts.disable(vol)
    coordinator.accounts.remove(vol)
    with coordinator.session.db.transaction():
        coordinator.session.db.execute("UPDATE accounts SET removed_at = NULL WHERE id = ?", (vol,))
    with pytest.raises(Exception, match="changed outside CCC Desktop"):
        coordinator.accounts.enable(vol, "A new temporary passphrase 9")


def test_other_roles_are_refused_in_the_domain(volunteer: Services) -> None:
    with pytest.raises(PermissionDenied):
        volunteer.accounts.remove(1)

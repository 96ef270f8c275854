"""The restore from the locked screen: when the records cannot be opened (a damaged file, a lost
key file), a Coordinator or Chair restores a backup with their passphrase. The steps it shares
with the Reports tab's restore are in ``services/restore``."""

from __future__ import annotations

import shutil
from pathlib import Path

import ccc_desktop.models.services.restore as restoring
from ccc_desktop.models.errors import PermissionDenied, WrongPassphrase
from ccc_desktop.models.fileio import ProgressFn
from ccc_desktop.models.keyslots import SlotFile, UnwrappedKeys
from ccc_desktop.models.roles import Actor, Permission, Role
from ccc_desktop.models.sealed import Sealer
from ccc_desktop.models.services.backup import DB_FILE, BackupService
from ccc_desktop.models.services.restore import (
    Disposals,
    LiveUnchecked,
    OlderThanRevocation,
    PreparedRestore,
    verify_backup,
)
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.vault import Vault

__all__ = ["LiveUnchecked", "OlderThanRevocation", "restore_while_locked"]


def restore_while_locked(vault: Vault, chosen: Path | str, username: str, passphrase: str,
                         progress: ProgressFn | None = None, confirm_older: bool = False,
                         confirm_unchecked: bool = False) -> Path:
    """When the records cannot be opened (a damaged file, a lost key file): restore a backup
    with a Coordinator's or Chair's passphrase.

    If the live key file is there, the passphrase must open it as a Coordinator or Chair (a
    disabled account's passphrase opens nothing live, so it cannot restore an old backup over
    the records), and it must open the backup too. A backup older than the last revocation
    needs ``confirm_older``; accounts the live records revoked are revoked again in it, and
    those they removed are removed again. When the live database cannot be read, the live key
    file's header, authenticated under the seal key, says which accounts were revoked and
    removed; when that cannot be checked either (no key file, a damaged one, one changed by
    hand), nothing live says who lost access since the backup, and the restore needs
    ``confirm_unchecked`` (LiveUnchecked says so first). The live files, if any, are kept aside
    in ``backups/before-restore-…``. Returns that folder. Nobody is logged in after.
    """
    folder = BackupService.backup_folder(chosen)
    _, keys_name = restoring.names()
    live = restoring.load_or_none(vault.paths.keys) if vault.paths.keys.exists() else None
    live_accounts: dict[int, bool] | None = None
    live_removed: set[int] = set()
    actor: Actor | None = None
    disposals: Disposals = ({}, [])
    checked = False  # who lost access since is known from something authenticated
    why = "is missing" if not vault.paths.keys.exists() else "is damaged"
    if live is not None and live.slots:
        try:
            live_keys = live.unlock_passphrase(username, passphrase, vault.clock.now().timestamp())
        except WrongPassphrase:
            raise WrongPassphrase("That passphrase does not open the current records: only a "
                                  "Coordinator or Chair who can open them may restore over them."
                                  ) from None
        try:
            if live_keys.seal_key is None or live_keys.role not in (None, "coordinator", "chair"):
                raise PermissionDenied(Permission.BACKUP.value, Role.VOLUNTEER.label)
            if vault.paths.db.exists():
                try:  # the live file may be the damaged one
                    db = Database(vault.paths.db, live_keys.db_key)
                    try:
                        db.sealer = Sealer(live_keys.seal_key)  # what each disposal cleared
                        live_accounts, live_removed = restoring.live_account_states(db)
                        disposals = restoring.disposals_of(db)
                        checked = True
                    finally:
                        db.close()
                except Exception:  # noqa: BLE001 - nothing to read from a file that does not open
                    live_accounts, live_removed, disposals = None, set(), ({}, [])
            if not checked and live.header_mac and live.header_ok(live_keys.seal_key):
                # The records cannot be read, but the key file's header is the centre's own
                # (authenticated under the seal key): its revoked and removed accounts stand.
                live_removed, checked = set(live.removed), True
            why = "could not be checked: it was changed outside CCC Desktop, or is too old to say"
        finally:
            live_keys.wipe()
    if not checked and not confirm_unchecked:
        raise LiveUnchecked(restoring.unchecked_message(why), "confirm_unchecked")
    staging = restoring.stage(folder, vault.paths.data_dir, progress)
    keys: UnwrappedKeys | None = None
    try:
        backup_slots = SlotFile.load(staging / keys_name)
        older = live is not None and backup_slots.epoch < live.epoch
        if older and not confirm_older:
            raise OlderThanRevocation(restoring.older_message(live), "confirm_older")  # type: ignore[arg-type]
        keys = backup_slots.unlock_passphrase(username, passphrase, vault.clock.now().timestamp())
        key = bytes(keys.db_key)
        verify_backup(staging, key)
        db = Database(staging / DB_FILE, key)
        try:
            account = AccountStore(db).by_slot(keys.slot_id)
        finally:
            db.close()
        if account is None or not account.enabled or account.role not in (Role.COORDINATOR, Role.CHAIR):
            raise PermissionDenied(Permission.BACKUP.value, account.role.label if account else "unknown")
        actor = Actor(account.id, account.username, account.display_name, account.role)
        revoke = restoring.to_revoke(staging / DB_FILE, key, set(live.revoked) if live else set(),
                            live_accounts)
        remove = restoring.to_remove(staging / DB_FILE, key, live_removed)
        seal = restoring.restored_seal(staging, keys.seal_key)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if keys is not None:
            keys.wipe()
        raise
    keys.wipe()
    aside = restoring.aside_folder(vault.paths.backups, vault.clock.now())
    restoring.swap_in(vault, staging, aside, key, actor, folder.name, disposals, older, seal, not checked)
    restoring.revoke_in_restored(vault, PreparedRestore(folder, staging, key, revoke, older, username,
                                               passphrase, remove, seal))
    if progress:
        progress(100, 100)
    return aside

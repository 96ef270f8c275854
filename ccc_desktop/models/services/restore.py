"""Restoring a backup: staging a checked copy, swapping it in (and back on failure), carrying
over later disposals, and revoking again the accounts the live records had revoked. Used by
``BackupService`` and by the restore from the locked screen (``locked_restore``)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ccc_desktop.models.audit import AuditTrail
from ccc_desktop.models.errors import (
    StorageError,
    ValidationError,
    VaultCorrupt,
)
from ccc_desktop.models.fileio import (
    ProgressFn,
    atomic_copy,
    disk_error_message,
    fsync_dir,
    private_dir,
    private_file,
)
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.roles import Actor
from ccc_desktop.models.sealed import Sealer
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database, DatabaseError
from ccc_desktop.models.storage.meta import MetaStore
from ccc_desktop.models.storage.migrate import latest_version, migrate
from ccc_desktop.models.storage.retention import DisposalStore
from ccc_desktop.models.unlock_checks import removed_accounts
from ccc_desktop.models.vault import DB_NAME, KEYS_NAME, Vault

DB_FILE = DB_NAME


@dataclass(frozen=True)
class PreparedRestore:
    source: Path  # the backup folder
    staging: Path  # its checked copy inside the data folder
    key: bytes = b""  # the backup's database key (the live one unless a revocation came since)
    revoke: tuple[int, ...] = ()  # accounts enabled in the backup that the live records revoked
    older: bool = False  # made before the last revocation (a manager confirmed)
    username: str = ""
    passphrase: str = ""  # to finish the revocation in the restored records
    remove: tuple[int, ...] = ()  # accounts the live records removed that the backup still lists
    seal: bytes = b""  # the backup's seal key, when known: carried-over disposal lines are sealed


class OlderThanRevocation(ValidationError):
    """The backup was made before access was last revoked: only with a manager's confirmation."""


class LiveUnchecked(ValidationError):
    """From the locked screen: neither the live records nor their key file's authenticated
    header can be read, so which accounts were revoked or removed since the backup is unknown.
    Only with a manager's confirmation."""


def unchecked_message(why: str) -> str:
    return (f"The current records cannot be opened, and their key file {why}. So CCC Desktop "
            "cannot tell which accounts were disabled or removed since this backup was made: "
            "every account in the backup opens again as it was then, even one disabled or "
            "removed since. Restore it only if you are sure, then check Settings > Accounts at "
            "once and disable or remove anyone who should no longer have access.")


def older_message(live: SlotFile) -> str:
    when = live.revoked_at[:10]
    try:
        from ccc_desktop.models.dates import format_date

        when = format_date(datetime.fromisoformat(live.revoked_at).date())
    except ValueError:
        pass
    return (f"This backup was made before access to the records was last revoked ({when}), so it "
            "still opens with the passphrases of that time. If you restore it, every account "
            "revoked since is revoked again at once and the records get new keys. Restore it "
            "only if you are sure.")


def load_or_none(path: Path) -> SlotFile | None:
    try:
        return SlotFile.load(path)
    except VaultCorrupt:
        return None


def to_revoke(staged_db: Path, key: bytes | bytearray, live_revoked: set[int],
               live_accounts: dict[int, bool] | None) -> tuple[int, ...]:
    """Accounts enabled in the backup that the live records have revoked, disabled or lost."""

    db = Database(staged_db, key)
    try:
        backup_accounts = AccountStore(db).all()
    finally:
        db.close()
    out = []
    for a in backup_accounts:
        if not a.enabled:
            continue
        if a.id in live_revoked or (live_accounts is not None
                                    and not live_accounts.get(a.id, False)):
            out.append(a.id)
    return tuple(sorted(out))


def to_remove(staged_db: Path, key: bytes | bytearray, live_removed: set[int]) -> tuple[int, ...]:
    """Accounts the live records removed that the backup still lists (enabled or disabled):
    they are removed again in the restored records, never brought back as disabled."""
    db = Database(staged_db, key)
    try:
        backup_accounts = AccountStore(db).all()
    finally:
        db.close()
    return tuple(sorted(a.id for a in backup_accounts if a.id in live_removed and not a.removed_at))


def live_account_states(db: Database) -> tuple[dict[int, bool], set[int]]:
    """The live records' accounts: id -> enabled, and the ids removed."""
    accounts = AccountStore(db).all()
    return {a.id: a.enabled for a in accounts}, {a.id for a in accounts if a.removed_at}


def restored_seal(staging: Path, *candidates: bytes | bytearray | None) -> bytes:
    """The first candidate that is the backup's seal key (its key file's header verifies
    under it), or b"" when none is."""
    slots = load_or_none(staging / KEYS_NAME)
    if slots is None or not slots.header_mac:
        return b""
    for seal in candidates:
        if seal and slots.header_ok(seal):
            return bytes(seal)
    return b""


def revoke_in_restored(vault: Vault, prepared: PreparedRestore) -> None:
    """In the restored records: the accounts the live records had revoked are revoked again
    (the records are rekeyed, so the keys of the backup's time open nothing live), and those
    it had removed are removed again."""
    from ccc_desktop.models.account_seal import sign_accounts
    from ccc_desktop.models.revocation import rekey

    if not prepared.revoke and not prepared.remove:
        return
    session = vault.unlock(prepared.username, prepared.passphrase, "logged in to finish a restore")
    try:
        accounts = {a.id: a for a in AccountStore(session.db).all()}
        me = session.actor.account_id
        targets = [accounts[i] for i in prepared.revoke if i in accounts and i != me]
        if targets:
            rekey(session, [a.id for a in targets],
                  any(a.role.holds_seal_key for a in targets),
                  "account revoked again after a restore", remove_ids=set(prepared.remove))
        accounts = {a.id: a for a in AccountStore(session.db).all()}
        left = [accounts[i] for i in prepared.remove
                if i in accounts and i != me and not accounts[i].removed_at]
        if left:
            now = session.clock.now().isoformat(timespec="seconds")
            store = AccountStore(session.db)
            with session.db.transaction():
                for a in left:  # disabled in the backup: only the row changes
                    store.update(a.id, removed_at=now, enabled=0, slot_id=None)
                    session.audit.record("account removed again after a restore", "account", a.id)
                sign_accounts(session.db, session.seal_key, session.db_key, [a.id for a in left])
                # And the key file's authenticated list of removed accounts, as a removal writes.
                slots = SlotFile.load(vault.paths.keys)
                slots.removed = removed_accounts(session.db, session.seal_key, session.db_key)
                slots.sign(session.seal_key, [])
                slots.save()
                MetaStore(session.db).put("keyfile_generation", str(slots.generation).encode())
    finally:
        session.lock("logged out")


def names() -> tuple[str, str]:
    return DB_NAME, KEYS_NAME


def verify_backup(folder: Path, db_key: bytes | bytearray, copy_of: int | None = None) -> None:
    """Open the copy with the key and check it through; raises VaultCorrupt if it is not sound.

    ``copy_of``: the live file's size when this folder was just copied from it. A byte copy
    whose every page's HMAC checks out and whose length matches holds exactly the live file's
    pages, so the structure check (a second decryption of every page, 60% of a backup's CPU)
    is left to restoring and to "Test a backup", which check a copy they did not make."""
    db_name, keys_name = names()
    if not (folder / db_name).is_file() or not (folder / keys_name).is_file():
        raise VaultCorrupt("The backup is incomplete: it needs both centre.cccdb and centre.keys.")
    SlotFile.load(folder / keys_name)
    try:
        db = Database(folder / db_name, db_key)
    except VaultCorrupt:
        raise VaultCorrupt(
            "The backup cannot be opened with these records' key: it is damaged, or it belongs "
            "to another centre's records.") from None
    try:
        # The copy is byte for byte the live file: cipher_integrity_check proves every page
        # arrived intact, so quick_check suffices for the structure (the full integrity_check
        # re-decrypts every index to compare it with its table, 2-3 s at 20,000 families).
        problems = db.integrity_problems("quick_check" if copy_of is None else None)
        if copy_of is not None and (folder / db_name).stat().st_size != copy_of:
            problems.append("the copy is not the same length as the records it was made from")
        version = db.user_version()
    except DatabaseError as exc:  # a damaged page stops the check itself
        problems, version = [str(exc)], 0
    finally:
        db.close()
    if problems:
        raise VaultCorrupt("The backup failed its integrity check: " + "; ".join(problems[:3]))
    if version > latest_version():
        raise VaultCorrupt("The backup was made by a newer version of CCC Desktop.")


def scaled(progress: ProgressFn | None, start: int, span: int, of: int) -> ProgressFn | None:
    if progress is None:
        return None
    return lambda done, total: progress(start + span * done // max(1, total), of)


# ---- the restore's parts, shared with the route from the locked screen -------------------------------
Disposals = tuple[dict[int, dict], list[dict]]


def stage(folder: Path, data_dir: Path, progress: ProgressFn | None) -> Path:
    """Copy a backup into a staging folder inside the data folder (same disk: renames are atomic)."""
    db_name, keys_name = names()
    if not (folder / db_name).is_file() or not (folder / keys_name).is_file():
        raise VaultCorrupt("The backup is incomplete: it needs both centre.cccdb and centre.keys.")
    staging = data_dir / ".restore.partial"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        try:
            staging.mkdir(parents=True)
        except OSError as exc:
            raise StorageError(disk_error_message(exc, "the restored records")) from exc
        atomic_copy(folder / db_name, staging / db_name, "the restored records",
                    progress=scaled(progress, 0, 95, 100))
        atomic_copy(folder / keys_name, staging / keys_name, "the restored records")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def aside_folder(backups: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    aside, n = backups / f"before-restore-{stamp}", 1
    while aside.exists():
        n += 1
        aside = backups / f"before-restore-{stamp}-{n}"
    return aside


def disposals_of(db: Database) -> Disposals:
    disposals = DisposalStore(db)
    batches = {r["id"]: {k: r[k] for k in r.keys()} for r in disposals.batches()}
    # What each disposal cleared elsewhere is sealed: it comes across when this file is opened
    # with the seal key (``db.sealer``), to be sealed again in the restored file. The records
    # themselves come back with the backup and are listed to be disposed of again.
    entries = []
    for r in reversed(disposals.entries()):
        e = {k: r[k] for k in ("batch_id", "reference", "category", "last_used", "disposed_on")}
        e["cleared"] = r["cleared"] or "" if db.sealer is not None else ""
        entries.append(e)
    return batches, entries


def swap_in(vault: Vault, staging: Path, aside: Path, key: bytes | bytearray, actor: Actor | None, name: str,
            disposals: Disposals, older: bool = False, seal: bytes = b"", unchecked: bool = False) -> None:
    """Move the live files (if any) aside, the staged ones in, and check them; on any failure
    the kept-aside files are put back exactly as they were."""
    paths = vault.paths
    db_name, keys_name = names()
    moved: list[str] = []
    try:
        private_dir(aside.parent)
        aside.mkdir()
        for f in (db_name, keys_name):
            if (paths.data_dir / f).exists():
                os.replace(paths.data_dir / f, aside / f)
                moved.append(f)
    except OSError as exc:
        for f in moved:
            os.replace(aside / f, paths.data_dir / f)
        shutil.rmtree(staging, ignore_errors=True)
        raise StorageError(disk_error_message(exc, "the restored records")) from exc
    try:
        os.replace(staging / db_name, paths.db)
        os.replace(staging / keys_name, paths.keys)
        fsync_dir(paths.data_dir)
        private_dir(aside)
        for kept in aside.iterdir():
            private_file(kept)
        verify_backup(paths.data_dir, key)
        record_restore(vault, key, actor, name, disposals, older, seal, unchecked)
    except BaseException as exc:
        for f in (db_name, keys_name):
            (paths.data_dir / f).unlink(missing_ok=True)
        for f in moved:
            os.replace(aside / f, paths.data_dir / f)
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise StorageError(disk_error_message(exc, "the restored records")) from exc
        raise
    shutil.rmtree(staging, ignore_errors=True)


def record_restore(vault: Vault, key: bytes | bytearray, actor: Actor | None, name: str,
                   disposals: Disposals, older: bool = False, seal: bytes = b"",
                   unchecked: bool = False) -> None:
    """In the restored file: carry over the disposals made since the backup (those records came
    back with it and are listed to be disposed of again) with what each cleared (sealed with
    ``seal``, the restored file's seal key; without it that list cannot be kept), and audit the
    restore."""
    batches, entries = disposals
    db = Database(vault.paths.db, key)
    try:
        # A backup made by an older version is brought up to date first (with its own copy).
        migrate(db, vault.paths.backups, [vault.paths.keys])
        if seal:
            db.sealer = Sealer(seal)
        store = DisposalStore(db)
        have = store.entry_keys()
        missing = [e for e in entries if (e["category"], e["reference"], e["disposed_on"]) not in have]
        now = vault.clock.now().isoformat(timespec="seconds")
        with db.transaction():
            copied: dict[int, int] = {}
            for e in missing:
                if e["batch_id"] not in copied:
                    copied[e["batch_id"]] = store.copy_batch(batches[e["batch_id"]])
                store.log(copied[e["batch_id"]], e["reference"], e["category"], e["last_used"],
                          e["disposed_on"], e.get("cleared", "") if seal else "")
                store.reinstate(e["category"], e["reference"], e["disposed_on"], now)
            detail = (f"{len(missing)} later disposals carried over, to be disposed of again"
                      if missing else "")
            if older:
                detail = ("made before the last revocation, restored with a manager's "
                          "confirmation; " + detail).rstrip("; ")
            if unchecked:
                detail = ("the accounts revoked or removed since could not be checked (neither "
                          "the current records nor their key file could be read), restored with a "
                          "manager's confirmation; " + detail).rstrip("; ")
            AuditTrail(db, vault.clock, actor).record("records restored from a backup", "backup",
                                               name, detail)
    finally:
        db.close()

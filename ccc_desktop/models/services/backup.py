"""Encrypted backup and restore (policy clause 9; data protection principle 7).

A backup is a folder ``CCC-backup-YYYYMMDD-HHMMSS`` holding the two files of the vault as they
are: the SQLCipher database (already encrypted) and the key file (every key slot wrapped by a
passphrase or the recovery key). So the same passphrases and the recovery key open it: point CCC
Desktop's data folder at it, or restore it. Nothing is decrypted on the way.

Atomic: both files are copied into a hidden ``.CCC-backup-….partial`` folder next to the
target, the copy is opened with the database key and checked (every page's HMAC, and its length
against the live file's), and only then is the folder renamed to its final name. A failure half-way
(a full disk, a pulled stick) removes the partial folder; earlier backups and the live files are
never touched.

Restore copies a backup into a staging folder inside the data folder and checks it, then closes
the session, moves the live files aside (``backups/before-restore-…``), moves the staged files
in and checks them again; if that check fails, the kept-aside files are put back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ccc_desktop.models.backup_rotation import RotationPolicy, to_remove
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import (
    StorageError,
    ValidationError,
    VaultCorrupt,
    WrongPassphrase,
)
from ccc_desktop.models.fileio import (
    ProgressFn,
    atomic_copy,
    disk_error_message,
    fsync_dir,
)
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.records import DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.restore import (
    OlderThanRevocation,
    PreparedRestore,
    verify_backup,
)
from ccc_desktop.models.services.restore import (
    aside_folder as _aside_folder,
)
from ccc_desktop.models.services.restore import (
    disposals_of as _disposals_of,
)
from ccc_desktop.models.services.restore import (
    live_account_states as _live_account_states,
)
from ccc_desktop.models.services.restore import (
    names as _names,
)
from ccc_desktop.models.services.restore import (
    older_message as _older_message,
)
from ccc_desktop.models.services.restore import (
    restored_seal as _restored_seal,
)
from ccc_desktop.models.services.restore import (
    revoke_in_restored as _revoke_in_restored,
)
from ccc_desktop.models.services.restore import (
    scaled as _scaled,
)
from ccc_desktop.models.services.restore import (
    stage as _stage,
)
from ccc_desktop.models.services.restore import (
    swap_in as _swap_in,
)
from ccc_desktop.models.services.restore import (
    to_remove as _to_remove,
)
from ccc_desktop.models.services.restore import (
    to_revoke as _to_revoke,
)
from ccc_desktop.models.storage.database import DatabaseError
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.storage.retention import BackupLogStore, record_counts
from ccc_desktop.models.vault import DB_NAME

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

DB_FILE = DB_NAME

PREFIX = "CCC-backup-"
REMINDER_DAYS = 7
SETTINGS_KEY = "backup_settings"
LAST_TEST_KEY = "backup_last_test"


@dataclass(frozen=True)
class BackupRecord:
    made_at: datetime
    name: str
    size_bytes: int


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    name: str
    size_bytes: int
    removed: tuple[str, ...] = ()  # older backups the rotation removed from the same folder


@dataclass(frozen=True)
class BackupSettings:
    policy: RotationPolicy = RotationPolicy()
    on_close: bool = True  # back up to ``folder`` when the app closes
    folder: str = ""  # where the last backup was written; the close-time backup goes there


@dataclass(frozen=True)
class BackupTest:
    """What "Test a backup" found: the copy opened with the user's passphrase and was checked."""

    tested_at: datetime
    name: str
    ok: bool
    counts: dict[str, int]
    problems: tuple[str, ...] = ()


class BackupService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.log = BackupLogStore(session.db)

    def last_backup(self) -> BackupRecord | None:
        row = self.log.last()
        if row is None:
            return None
        return BackupRecord(datetime.fromisoformat(row["made_at"]), row["name"], row["size_bytes"])

    def recent(self) -> list[BackupRecord]:
        self.session.actor.require(Permission.BACKUP)
        return [BackupRecord(datetime.fromisoformat(r["made_at"]), r["name"], r["size_bytes"])
                for r in self.log.recent()]

    def is_overdue(self) -> bool:
        last = self.last_backup()
        return last is None or self.session.clock.now() - last.made_at > timedelta(days=REMINDER_DAYS)

    # ---- back up --------------------------------------------------------------------------------
    def backup(self, target_dir: Path | str, progress: ProgressFn | None = None) -> BackupResult:
        """Write a verified, encrypted copy into target_dir (e.g. a USB stick)."""
        actor = self.session.actor
        actor.require(Permission.BACKUP)
        target_dir = Path(target_dir)
        if not str(target_dir).strip() or not target_dir.is_dir():
            raise ValidationError("Choose a folder that exists (for example the USB stick).", "folder")
        paths = self.session.vault.paths
        if target_dir.resolve() == paths.data_dir.resolve():
            raise ValidationError("Choose a different folder from the one the records are kept in.",
                                  "folder")
        db_name, keys_name = _names()
        stamp = self.session.clock.now().strftime("%Y%m%d-%H%M%S")
        name, n = f"{PREFIX}{stamp}", 1
        _tidy_half_done(target_dir)
        # A half-done folder that could not be tidied (a read-only leftover) must not block, and
        # a name is never used twice (rotation orders same-second backups by their number).
        used = self.log.names()
        while ((target_dir / name).exists() or (target_dir / f".{name}.partial").exists()
               or name in used):
            n += 1
            name = f"{PREFIX}{stamp}-{n}"
        partial = target_dir / f".{name}.partial"
        final = target_dir / name
        key = self.session.db_key
        try:
            try:
                partial.mkdir()
            except OSError as exc:
                raise StorageError(disk_error_message(exc, "the backup")) from exc
            db = self.session.db
            with db.paused():  # no write can land half-way through the copy
                size = paths.db.stat().st_size
                atomic_copy(paths.db, partial / db_name, "the backup", progress=_scaled(progress, 0, 90, 100))
                atomic_copy(paths.keys, partial / keys_name, "the backup")
            verify_backup(partial, key, copy_of=size)
            if progress:
                progress(95, 100)
            try:
                os.replace(partial, final)
                fsync_dir(target_dir)
            except OSError as exc:
                raise StorageError(disk_error_message(exc, "the backup")) from exc
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        with self.session.db.transaction():
            self.log.insert(self.session.clock.now().isoformat(timespec="seconds"), name, size,
                            actor.account_id)
            self.session.audit.record("backup made", "backup", name,
                                      f"{size} bytes; verified")
            current = self.settings()
            SettingsStore(self.session.db).put(SETTINGS_KEY, _settings_json(
                BackupSettings(current.policy, current.on_close, str(target_dir))))
        removed = self.rotate(target_dir)
        if progress:
            progress(100, 100)
        return BackupResult(final, name, size, tuple(removed))

    # ---- generations ------------------------------------------------------------------------------
    def settings(self) -> BackupSettings:
        self.session.actor.require(Permission.BACKUP)
        raw = SettingsStore(self.session.db).get(SETTINGS_KEY) or {}
        defaults = RotationPolicy()
        policy = RotationPolicy(**{k: int(raw.get(k, getattr(defaults, k)))
                                   for k in ("daily", "weekly", "monthly", "disposal_copy_days")})
        return BackupSettings(policy, bool(raw.get("on_close", True)), str(raw.get("folder", "")))

    def save_settings(self, settings: BackupSettings) -> None:
        actor = self.session.actor
        actor.require(Permission.BACKUP)
        p = settings.policy
        for label, value, low, high in (("daily", p.daily, 1, 60), ("weekly", p.weekly, 0, 52),
                                        ("monthly", p.monthly, 0, 36),
                                        ("disposal_copy_days", p.disposal_copy_days, 1, 365)):
            if not low <= value <= high:
                raise ValidationError(f"Keep between {low} and {high}.", label)
        with self.session.db.transaction():
            SettingsStore(self.session.db).put(SETTINGS_KEY, _settings_json(settings))
            self.session.audit.record("backup settings changed", "backup", "",
                                      f"{p.describe()}; at closing: {'on' if settings.on_close else 'off'}")

    def rotate(self, target_dir: Path | str) -> list[str]:
        """Remove the backups in target_dir that the generations no longer keep, and those that
        hold records disposed of longer ago than the disposal copy period. Only folders this
        vault made (named in its backup log) are ever removed; a removal is a rename first, so
        a crash never leaves half a backup that looks whole."""
        actor = self.session.actor
        actor.require(Permission.BACKUP)
        target_dir = Path(target_dir)
        _tidy_half_done(target_dir)
        try:
            entries = list(target_dir.iterdir())
        except OSError:
            return []
        ours = self.log.names()
        managed = [p.name for p in entries if p.is_dir() and p.name in ours]
        disposals = [date.fromisoformat(d[:10]) for d in self.log.disposal_dates()]
        doomed = to_remove(managed, self.settings().policy, self.session.clock.today(), disposals)
        removed = []
        for name in doomed:
            aside = target_dir / f".{name}.removing"
            try:
                os.replace(target_dir / name, aside)
                fsync_dir(target_dir)
            except OSError:
                continue  # a read-only stick: leave it, the next backup tries again
            shutil.rmtree(aside, ignore_errors=True)
            removed.append(name)
        if removed:
            with self.session.db.transaction():
                self.session.audit.record("old backups removed", "backup", "",
                                          f"{len(removed)} by the backup generations")
        return removed

    # ---- after a revocation ------------------------------------------------------------------------
    def old_copies(self, before: str | None = None) -> list[Path]:
        """The copies CCC Desktop manages that were made before ``before`` (ISO; all if None)
        and so open with the passphrases of their time (issue 12): the ones it keeps itself in
        ``backups/`` (before an upgrade, before a restore) and the backups it wrote to the
        backup folder it uses."""
        self.session.actor.require(Permission.BACKUP)
        out: list[Path] = []
        folder = self.session.vault.paths.backups
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
        target = Path(self.settings().folder or "")
        if str(target) not in ("", ".") and target.is_dir():
            for row in self.log.recent(limit=10_000):
                if (before is None or row["made_at"] < before) and (target / row["name"]).is_dir():
                    out.append(target / row["name"])
        return out

    def delete_old_copies(self, copies: list[Path]) -> int:
        """Delete managed copies made before a revocation (the user was asked). Audited."""
        managed = {p.resolve() for p in self.old_copies()}
        gone = 0
        for p in copies:
            if p.resolve() in managed:
                shutil.rmtree(p, ignore_errors=True)
                gone += 1
        with self.session.db.transaction():
            self.session.audit.record("old copies deleted after a revocation", detail=f"{gone} deleted")
        return gone

    # ---- test a backup ----------------------------------------------------------------------------
    def test_backup(self, chosen: Path | str, passphrase: str,
                    progress: ProgressFn | None = None) -> BackupTest:
        """Copy a backup into a temporary folder, open it with this account's passphrase, check
        it through and count its records, then remove the folder. The live files are not
        touched. A copy that does not open or check is reported, not raised."""
        actor = self.session.actor
        actor.require(Permission.BACKUP)
        folder = self.backup_folder(chosen)
        db_name, keys_name = _names()
        if not (folder / db_name).is_file() or not (folder / keys_name).is_file():
            raise ValidationError("Choose a backup folder (CCC-backup-…): it holds centre.cccdb "
                                  "and centre.keys.", "folder")
        data_dir = self.session.vault.paths.data_dir
        for stale in data_dir.glob(".backup-test-*"):  # left by a test the app was killed in
            shutil.rmtree(stale, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=".backup-test-", dir=data_dir))
        problems: list[str] = []
        counts: dict[str, int] = {}
        try:
            atomic_copy(folder / db_name, work / db_name, "the backup test",
                        progress=_scaled(progress, 0, 60, 100))
            shutil.copy2(folder / keys_name, work / keys_name)
            vault = type(self.session.vault)(work, self.session.clock)
            try:
                copy = vault.unlock(actor.username, passphrase, reason="backup test")
            except WrongPassphrase:
                raise WrongPassphrase(
                    "This backup does not open with your account name and passphrase. It may "
                    "have been made before your account or your current passphrase existed."
                ) from None
            except VaultCorrupt as exc:
                copy, problems = None, [str(exc)]
            if copy is not None:
                try:
                    if progress:
                        progress(70, 100)
                    problems = copy.db.integrity_problems("integrity_check")
                    counts = record_counts(copy.db)
                except DatabaseError as exc:
                    problems = [str(exc)]
                finally:
                    copy.lock("backup test finished")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        result = BackupTest(self.session.clock.now(), folder.name, not problems, counts,
                            tuple(problems[:5]))
        with self.session.db.transaction():
            SettingsStore(self.session.db).put(LAST_TEST_KEY, {
                "tested_at": result.tested_at.isoformat(timespec="seconds"), "name": result.name,
                "ok": result.ok, "counts": counts, "problems": list(result.problems)})
            self.session.audit.record("backup tested", "backup", folder.name,
                                      "opened and checked" if result.ok else "FAILED its check")
        if progress:
            progress(100, 100)
        return result

    def last_test(self) -> BackupTest | None:
        self.session.actor.require(Permission.BACKUP)
        raw = SettingsStore(self.session.db).get(LAST_TEST_KEY)
        if not raw:
            return None
        return BackupTest(datetime.fromisoformat(raw["tested_at"]), raw["name"], bool(raw["ok"]),
                          dict(raw.get("counts", {})), tuple(raw.get("problems", [])))

    # ---- restore ----------------------------------------------------------------------------------
    @staticmethod
    def backup_folder(chosen: Path | str) -> Path:
        """The user may pick the backup folder or one of the files in it."""
        p = Path(chosen)
        return p.parent if p.is_file() else p

    def check(self, chosen: Path | str) -> Path:
        """Verify a backup before asking for confirmation; returns its folder."""
        self.session.actor.require(Permission.BACKUP)
        folder = self.backup_folder(chosen)
        verify_backup(folder, self.session.db_key)
        return folder

    def prepare_restore(self, chosen: Path | str, progress: ProgressFn | None = None,
                        passphrase: str = "", confirm_older: bool = False) -> PreparedRestore:
        """The slow half (safe off the UI thread): check the backup, copy it in beside the live
        files and check the copy. Nothing live is touched.

        A backup made before the last revocation is refused (OlderThanRevocation) unless
        ``confirm_older``; it opens only with the passphrase this account had then, and every
        account revoked since is revoked again in it straight after the restore."""

        actor = self.session.actor
        actor.require(Permission.BACKUP)
        paths = self.session.vault.paths
        folder = self.backup_folder(chosen)
        live = SlotFile.load(paths.keys)
        if self.session.has_seal_key and live.header_mac and not live.header_ok(self.session.seal_key):
            raise VaultCorrupt("The key file (centre.keys) was changed outside CCC Desktop, so the "
                               "list of revoked accounts cannot be trusted. Nothing was restored.")
        backup_slots = SlotFile.load(folder / _names()[1]) if (folder / _names()[1]).is_file() else None
        older = backup_slots is not None and backup_slots.epoch < live.epoch
        if older and not confirm_older:
            raise OlderThanRevocation(_older_message(live), "confirm_older")
        live_accounts, live_removed = _live_account_states(self.session.db)
        staging = _stage(folder, paths.data_dir, progress)
        try:
            key = bytes(self.session.db_key)
            seal = _restored_seal(staging, self.session.seal_key if self.session.has_seal_key else None)
            if older:
                if not passphrase:
                    raise ValidationError("Enter the passphrase your account had when the backup "
                                          "was made.", "passphrase")
                keys = SlotFile.load(staging / _names()[1]).unlock_passphrase(actor.username, passphrase)
                key = bytes(keys.db_key)
                seal = seal or _restored_seal(staging, keys.seal_key)
                keys.wipe()
            verify_backup(staging, key)
            revoke = _to_revoke(staging / DB_FILE, key, set(live.revoked), live_accounts)
            remove = _to_remove(staging / DB_FILE, key, live_removed)
            if (revoke or remove) and not passphrase:
                raise ValidationError("Accounts revoked since this backup was made must be revoked "
                                      "again in it: enter your passphrase.", "passphrase")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if progress:
            progress(100, 100)
        return PreparedRestore(folder, staging, key, revoke, older, actor.username, passphrase,
                               remove, seal)

    def discard(self, prepared: PreparedRestore) -> None:
        self.session.actor.require(Permission.BACKUP)
        shutil.rmtree(prepared.staging, ignore_errors=True)

    def finish_restore(self, prepared: PreparedRestore) -> Path:
        """The quick half (on the UI thread): lock the session, swap the files, check them.

        Returns the folder where the replaced files were kept aside. If the restored files fail
        their check, the kept-aside ones are put back.
        """
        actor = self.session.actor
        actor.require(Permission.BACKUP)
        session = self.session
        paths = session.vault.paths
        key = bytes(prepared.key or session.db_key)  # the lock below wipes the session's own
        aside = _aside_folder(paths.backups, session.clock.now())
        with session.db.transaction():
            if prepared.older:
                session.audit.record("backup older than the last revocation restored",
                                     "backup", prepared.source.name, "confirmed")
            session.audit.record("records replaced by a backup", "backup", prepared.source.name,
                                 f"the current records are kept in backups/{aside.name}")
        disposals = _disposals_of(session.db)
        session.lock("locked for a restore")
        _swap_in(session.vault, prepared.staging, aside, key, actor, prepared.source.name, disposals,
                 prepared.older, prepared.seal)
        _revoke_in_restored(session.vault, prepared)
        return aside

    def restore(self, chosen: Path | str, progress: ProgressFn | None = None, passphrase: str = "",
                confirm_older: bool = False) -> Path:
        """Replace the live records by a backup; the session is locked afterwards."""
        return self.finish_restore(self.prepare_restore(chosen, progress, passphrase, confirm_older))


def _tidy_half_done(target_dir: Path) -> None:
    """Remove what a crash left half-done in a backup folder: a partial copy or a removal."""
    try:
        entries = list(target_dir.iterdir())
    except OSError:
        return
    for leftover in entries:
        n = leftover.name
        if n.startswith(f".{PREFIX}") and n.endswith((".removing", ".partial")):
            shutil.rmtree(leftover, ignore_errors=True)


def _settings_json(settings: BackupSettings) -> dict[str, object]:
    return {**asdict(settings.policy), "on_close": settings.on_close, "folder": settings.folder}


def backup_section(services: Services) -> DashboardSection | None:
    if not services.session.actor.can(Permission.BACKUP):
        return None
    last = services.backup.last_backup()
    items = []
    if last is None:
        items.append(DashboardItem("No backup has been made yet. Use File > Back up and restore.",
                                   "warning", "reports"))
    elif services.backup.is_overdue():
        days = (services.session.clock.now() - last.made_at).days
        items.append(DashboardItem(
            f"The last backup was {days} days ago ({format_date(last.made_at.date())}). "
            "Make a new one with File > Back up and restore.", "warning", "reports"))
    tested = services.backup.last_test()
    if tested is not None and not tested.ok:
        items.append(DashboardItem(
            f"The backup tested on {format_date(tested.tested_at.date())} ({tested.name}) failed "
            "its check. Make a new backup and test it.", "warning", "reports"))
    ok = f"The last backup was made on {format_date(last.made_at.date())}." if last else ""
    if last is not None and tested is None:
        ok += " No backup has been tested yet: Reports > Backups > Test a backup checks one opens."
    elif tested is not None and tested.ok:
        ok += (f" The last tested backup ({tested.name}) opened and checked out on "
               f"{format_date(tested.tested_at.date())}.")
    return DashboardSection("Backups", items, order=620, empty_text=ok.strip())

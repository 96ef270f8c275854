"""The vault: create it, unlock it, lock it. Holds the keys only while unlocked."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ccc_desktop.models import crypto, managed_copies
from ccc_desktop.models.account_seal import ALTERED, account_ok, sign_accounts
from ccc_desktop.models.audit import AuditTrail, writer_key
from ccc_desktop.models.centre_details import check_centre_details, save_centre_details
from ccc_desktop.models.clock import Clock
from ccc_desktop.models.errors import (
    AccountAltered,
    AccountDisabled,
    PermissionDenied,
    StorageError,
    ValidationError,
    VaultLocked,
    WrongPassphrase,
)
from ccc_desktop.models.fileio import fsync_dir, private_dir, private_file
from ccc_desktop.models.keyslots import RECOVERY, SlotFile, UnwrappedKeys
from ccc_desktop.models.records import Account, CentreDetails
from ccc_desktop.models.roles import Actor, Role
from ccc_desktop.models.sealed import Sealer
from ccc_desktop.models.storage import statistics as statistics_store
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.meta import MetaStore, SettingsStore
from ccc_desktop.models.storage.migrate import Migration, migrate
from ccc_desktop.models.storage.sealing import seal_is_pending, seal_pending
from ccc_desktop.models.unlock_checks import (
    audit_failures,
    before_append,
    check_role,
    manager_checks,
    tidy_key_slots,
    trail_checks,
)
from ccc_desktop.models.validation import check_display_name, check_new_passphrase, check_username

DB_NAME = "centre.cccdb"
KEYS_NAME = "centre.keys"
LOCK_NAME = "centre.lock"
ATTEMPTS_NAME = "centre.attempts"  # the second record of failed unlock attempts (keyslots.py)
BACKUP_DIR = "backups"


@dataclass(frozen=True)
class VaultPaths:
    data_dir: Path

    @property
    def db(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def keys(self) -> Path:
        return self.data_dir / KEYS_NAME

    @property
    def lock(self) -> Path:
        return self.data_dir / LOCK_NAME

    @property
    def attempts(self) -> Path:
        return self.data_dir / ATTEMPTS_NAME

    @property
    def backups(self) -> Path:
        return self.data_dir / BACKUP_DIR

    # A rekey writes the new database and key file beside the live ones, then renames them in
    # (database first): see models/revocation.py and Vault.finish_interrupted_rekey.
    @property
    def db_next(self) -> Path:
        return self.data_dir / (DB_NAME + ".next")

    @property
    def keys_next(self) -> Path:
        return self.data_dir / (KEYS_NAME + ".next")


def new_slot_id() -> str:
    return secrets.token_hex(8)


class Session:
    """An unlocked vault as one account. Dropped (keys wiped) on lock."""

    def __init__(self, vault: Vault, db: Database, keys: UnwrappedKeys, account: Account,
                 slots: SlotFile) -> None:
        self.vault = vault
        self.db = db
        self.clock = vault.clock
        self._keys: UnwrappedKeys | None = keys
        self.slots = slots
        self.actor = Actor(account.id, account.username, account.display_name, account.role)
        self.must_change_passphrase = account.must_change_passphrase
        self.audit = AuditTrail(db, vault.clock, actor=self.actor, seal_key=self._trail_seal,
                                reader=self.actor, writer=self._trail_writer)
        # What the unlock found wrong (an altered account, a cut trail, an older key file):
        # shown to the user once the window opens.
        self.warnings: list[str] = []
        self.lock_listeners: list[Callable[[], None]] = []
        # Called before the database closes (a lock, a restore, logging out): whatever shows
        # records from this session lets go of them first. A listener's error never stops the lock.
        self.closing_listeners: list[Callable[[], None]] = []
        # Called after a rekey replaced the keys (models/revocation.py): anything that keeps
        # something derived from a key (a sealer, an index key) renews it here.
        self.rekey_listeners: list[Callable[[], None]] = []
        # Set (or cleared) whatever the unlock used: a recovery unlock seals its own entries
        # for any account, and a Session volunteer's session must not keep that sealer.
        db.sealer = Sealer(keys.seal_key) if keys.seal_key is not None \
            and account.role.holds_seal_key else None
        # The statistics ledger is kept as each change commits; records not yet counted in it
        # (the first unlock after the upgrade that added it; families changed at the door) are
        # counted now.
        statistics_store.install(db)
        if statistics_store.LedgerStore(db).any_uncounted():
            statistics_store.count_uncounted(db)

    def _trail_seal(self) -> bytearray | None:
        keys = self._keys
        return keys.seal_key if keys is not None and self.actor.role.holds_seal_key else None

    def _trail_writer(self) -> tuple[int, bytearray] | None:
        keys = self._keys
        if keys is None or keys.writer is None or self.actor.role.holds_seal_key:
            return None
        return self.actor.account_id, keys.writer

    @property
    def is_open(self) -> bool:
        return self._keys is not None

    def _require_keys(self) -> UnwrappedKeys:
        if self._keys is None:
            raise VaultLocked()
        return self._keys

    @property
    def db_key(self) -> bytearray:
        """The key itself (not a copy, so no stray copies outlive the lock, which zeroes it)."""
        return self._require_keys().db_key

    @property
    def seal_key(self) -> bytearray:
        """The second key for sealed fields; only Coordinator and Chair slots carry it."""
        seal = self._require_keys().seal_key
        if seal is None or not self.actor.role.holds_seal_key:
            raise PermissionDenied("open sealed records", self.actor.role.label)
        return seal

    @property
    def has_seal_key(self) -> bool:
        return self._keys is not None and self._keys.seal_key is not None

    def replace_keys(self, keys: UnwrappedKeys, slots: SlotFile) -> None:
        """After a rekey (models/revocation.py): the old keys are wiped."""
        old, self._keys, self.slots = self._keys, keys, slots
        if keys.seal_key is not None and self.actor.role.holds_seal_key:
            self.db.sealer = Sealer(keys.seal_key)
        if old is not None:
            old.wipe()
        for listener in list(self.rekey_listeners):
            listener()

    def lock(self, reason: str = "locked") -> None:
        """Audit, close the database and overwrite the keys. Safe to call twice."""
        if self._keys is None:
            return
        listeners, self.closing_listeners = list(self.closing_listeners), []
        for closing in listeners:
            try:
                closing()
            except Exception:  # noqa: BLE001 - the keys are dropped whatever a screen does
                sys.excepthook(*sys.exc_info())
        try:
            self.audit.record(reason)
        except Exception:  # noqa: BLE001 - a full disk must not stop us dropping the key
            pass
        self.db.sealer = None
        self.db.close()
        self._keys.wipe()
        self._keys = None
        for listener in list(self.lock_listeners):
            listener()


class Vault:
    def __init__(self, data_dir: Path, clock: Clock | None = None,
                 migrations: list[Migration] | None = None) -> None:
        self.paths = VaultPaths(Path(data_dir))
        self.clock = clock or Clock()
        self._migrations = migrations

    def exists(self) -> bool:
        return self.paths.db.exists() or self.paths.keys.exists()

    # ---- set-up -------------------------------------------------------------------------------
    def create(self, centre: CentreDetails, username: str, display_name: str,
               passphrase: str) -> tuple[Session, str]:
        """First run: a new vault, its first Coordinator and a recovery key (returned once)."""
        if self.exists():
            raise StorageError("There are already records in this folder.")
        check_username(username)
        check_display_name(display_name)
        check_new_passphrase(passphrase, username)
        if not centre.name.strip():
            raise ValidationError("Enter the centre's name.", "centre_name")
        try:
            centre = check_centre_details(centre)
        except ValidationError as exc:
            raise ValidationError(str(exc), "centre_name" if exc.field == "name" else exc.field) from None
        # The recovery key is printed right after set-up: make sure it can be, before any file
        # is made, so set-up never ends with records and no recovery key sheet.
        from ccc_desktop.documents.recovery_key import recovery_key_pdf
        recovery_key_pdf(centre, "0" * 32, self.clock.today())
        private_dir(self.paths.data_dir)
        db_key, seal_key = crypto.new_key(), crypto.new_key()
        recovery_key = crypto.new_recovery_key()
        slots = SlotFile.new(self.paths.keys)
        coordinator_slot = new_slot_id()
        db: Database | None = None
        try:
            slots.put_passphrase_slot(coordinator_slot, username, passphrase, db_key, seal_key,
                                      Role.COORDINATOR.value)
            slots.put_recovery_slot(new_slot_id(), recovery_key, db_key, seal_key)
            slots.sign(seal_key)
            slots.save()
            db = Database(self.paths.db, db_key)
            migrate(db, self.paths.backups, [self.paths.keys], self._migrations)
            now = self.clock.now().isoformat(timespec="seconds")
            db.sealer = Sealer(seal_key)  # the first entries are sealed like every manager's
            with db.transaction():
                MetaStore(db).put("audit_key", secrets.token_bytes(32))
                save_centre_details(SettingsStore(db), centre)
                account_id = AccountStore(db).insert(
                    username, display_name, Role.COORDINATOR, coordinator_slot, now, False)
                sign_accounts(db, seal_key, db_key)
                MetaStore(db).put("keyfile_generation", str(slots.generation).encode())
                actor = Actor(account_id, username.strip(), display_name.strip(), Role.COORDINATOR)
                trail = AuditTrail(db, self.clock, actor, seal_key=lambda: seal_key)
                trail.record("vault created")
                trail.record("account created", "account", account_id, "role coordinator")
                trail.record("recovery key issued")
                trail.record("logged in")
            account = AccountStore(db).get(account_id)
            assert account is not None
        except BaseException:
            if db is not None:
                db.close()
            for f in (self.paths.db, self.paths.keys):
                f.unlink(missing_ok=True)
            raise
        # Opened from the slot just written, so the session holds the slot's private key too
        # (a rekey needs it to read its own new envelope).
        keys = slots.unlock_passphrase(username, passphrase)
        crypto.wipe(db_key)
        crypto.wipe(seal_key)
        return self._sealed(Session(self, db, keys, account, slots)), recovery_key

    # ---- sealing --------------------------------------------------------------------------------
    def _sealed(self, session: Session,
                progress: Callable[[int, int], None] | None = None) -> Session:
        """Finish sealing rows left in plaintext (an upgraded file, or rows written without the
        seal key): at once when this session holds the seal key, then vacuum so the old pages
        leave the file. A Session volunteer's unlock leaves them for the next Coordinator, Chair
        or recovery unlock, and the trail says so; the register works either way. ``progress``
        hears (rows sealed, rows to seal) while it runs: only after an upgrade, and on a large
        centre it takes a while (half a minute at 20,000 families)."""
        db = session.db
        try:
            keep = int(SettingsStore(db).get(managed_copies.SETTING, managed_copies.DEFAULT_KEEP_DAYS))
            gone = managed_copies.prune(self.paths.backups, self.clock.now(), keep)
            if gone:
                session.audit.record("old copies in the backups folder deleted",
                                     detail=f"{len(gone)} older than {keep} days")
            if not seal_is_pending(db):
                return session
            if db.sealer is None:
                session.audit.record("records waiting to be sealed",
                                     detail="sealed at the next unlock by a Coordinator or Chair")
                return session
            count = seal_pending(db, progress)
            session.audit.record("records sealed", detail=f"{count} rows sealed")
            db.vacuum()
        except BaseException:
            session.lock("locked")
            raise
        return session

    # ---- unlocking ----------------------------------------------------------------------------
    def finish_interrupted_rekey(self) -> None:
        """A rekey renames the new database in, then the new key file. A crash before the first
        rename leaves both ``.next`` files (the old pair is still whole: drop them); a crash
        between the two leaves only the key file's (the new pair is whole: finish it)."""
        p = self.paths
        if p.db_next.exists():
            p.db_next.unlink()
            p.keys_next.unlink(missing_ok=True)
            fsync_dir(p.data_dir)
        elif p.keys_next.exists():
            os.replace(p.keys_next, p.keys)
            fsync_dir(p.data_dir)

    def load_slots(self) -> SlotFile:
        self.finish_interrupted_rekey()
        self.make_private()
        slots = SlotFile.load(self.paths.keys)
        slots.merge_attempts(self.paths.attempts)
        return slots

    def make_private(self) -> None:
        """The data folder 0700, its files 0600, and the same for the copies under backups/
        (folders made by earlier versions followed the umask)."""
        private_dir(self.paths.data_dir)
        for f in (self.paths.db, self.paths.keys, self.paths.attempts):
            if f.exists():
                private_file(f)
        if self.paths.backups.is_dir():
            private_dir(self.paths.backups)
            for copy in self.paths.backups.iterdir():
                if copy.is_dir():
                    private_dir(copy)
                    for f in copy.iterdir():
                        private_file(f)
                else:
                    private_file(copy)

    def _open_db(self, keys: UnwrappedKeys) -> Database:
        db = Database(self.paths.db, keys.db_key)
        try:
            migrate(db, self.paths.backups, [self.paths.keys], self._migrations)
        except BaseException:
            db.close()
            raise
        return db

    def _upgrade_own_slot(self, slots: SlotFile, keys: UnwrappedKeys, account: Account,
                          username: str, passphrase: str) -> UnwrappedKeys:
        """A format-1 slot is rewritten in format 2 by the unlock its passphrase made."""
        if not keys.legacy:
            return keys
        header_ok = keys.seal_key is not None and slots.header_ok(keys.seal_key)
        slots.put_passphrase_slot(keys.slot_id, username, passphrase, keys.db_key, keys.seal_key,
                                  account.role.value)
        if header_ok and keys.seal_key is not None:
            slots.sign(keys.seal_key, [keys.slot_id])
        try:
            slots.save()
        except StorageError:
            return keys
        upgraded = slots.unlock_passphrase(username, passphrase)
        keys.wipe()
        return upgraded

    def unlock(self, username: str, passphrase: str, reason: str = "logged in",
               progress: Callable[[int, int], None] | None = None) -> Session:
        slots = self.load_slots()
        keys = slots.unlock_passphrase(username, passphrase, self.clock.now().timestamp())
        try:
            db = self._open_db(keys)
        except BaseException:
            keys.wipe()
            raise
        seal: bytearray | None = None
        try:
            account = AccountStore(db).by_slot(keys.slot_id)
            if account is None or account.username.casefold() != username.strip().casefold():
                raise WrongPassphrase()
            if not account.enabled:
                raise AccountDisabled()
            check_role(account, keys)
            actor = Actor(account.id, account.username, account.display_name, account.role)
            warnings = before_append(db, slots, self.clock)
            # Before anything is appended: a manager's entries move the checkpoint forward.
            tampered = trail_checks(db, keys.seal_key, self.clock) if keys.seal_key is not None \
                and account.role.holds_seal_key else []
            # A copy: upgrading the own slot below replaces (and wipes) the keys it came from.
            seal = bytearray(keys.seal_key) if keys.seal_key is not None \
                and account.role.holds_seal_key else None
            # A Session volunteer's unlock keeps its account's head under its writer key (the
            # lambdas read ``keys`` late: upgrading the own slot below replaces them).
            writer = None if seal is not None else (
                lambda: (account.id, keys.writer) if keys.writer is not None else None)
            trail = AuditTrail(db, self.clock, actor, seal_key=lambda: seal, writer=writer)
            system = AuditTrail(db, self.clock, None, seal_key=lambda: seal, writer=writer)
            # What a manager's unlock writes (checked at unlock, failed attempts, logged in) is
            # sealed like the rest of a manager session's entries: the sealer is set before the
            # first of them, not when the session object is made.
            db.sealer = Sealer(seal) if seal is not None else None
            with db.transaction():
                for w in warnings:
                    system.record("checked at unlock", detail=w)
                for problem in tampered:
                    system.record("audit trail checked at unlock", detail="TAMPERED: " + problem)
                warnings += tampered
                if seal is not None:
                    warnings += manager_checks(db, slots, keys, account, system)
                warnings += audit_failures(system, slots)
                tidy_key_slots(db, slots, system, keys, self.paths.keys)
                keys = self._upgrade_own_slot(slots, keys, account, username, passphrase)
                AccountStore(db).update(account.id, last_login_at=self.clock.now().isoformat(timespec="seconds"))
                MetaStore(db).put("keyfile_generation", str(slots.generation).encode())
                trail.record(reason)
        except BaseException:
            db.close()
            keys.wipe()
            crypto.wipe(seal)
            raise
        session = Session(self, db, keys, account, slots)  # its own sealer, from its own keys
        crypto.wipe(seal)
        session.warnings = warnings
        return self._sealed(session, progress)

    def unlock_with_recovery(self, recovery_key: str, username: str,
                             new_passphrase: str) -> Session:
        """Every passphrase forgotten: the recovery key sets a new one for a named account."""
        slots = self.load_slots()
        check_new_passphrase(new_passphrase, username)
        keys = slots.unlock_recovery(recovery_key, self.clock.now().timestamp())
        try:
            db = self._open_db(keys)
        except BaseException:
            keys.wipe()
            raise
        try:
            store = AccountStore(db)
            account = store.by_username(username)
            if account is None:
                raise ValidationError("There is no account with that name.", "username")
            if keys.seal_key is None or (keys.role is not None and keys.role != RECOVERY):
                raise AccountAltered("The recovery key slot has been altered.")
            if MetaStore(db).get("accounts_sealed") is not None and not account_ok(
                    keys.seal_key, keys.db_key, account):
                raise AccountAltered(ALTERED.format(name=account.username))
            slot_id = account.slot_id or new_slot_id()
            seal = keys.seal_key if account.role.holds_seal_key else None
            actor = Actor(account.id, account.username, account.display_name, account.role)
            warnings = before_append(db, slots, self.clock)
            trail = AuditTrail(db, self.clock, actor, seal_key=lambda: keys.seal_key)
            system = AuditTrail(db, self.clock, None, seal_key=lambda: keys.seal_key)
            db.sealer = Sealer(keys.seal_key)  # the recovery slot holds it, whatever the account
            with db.transaction():
                for w in warnings:
                    system.record("checked at unlock", detail=w)
                warnings += audit_failures(system, slots)
                store.update(account.id, slot_id=slot_id, enabled=1, must_change_passphrase=0,
                             last_login_at=self.clock.now().isoformat(timespec="seconds"))
                sign_accounts(db, keys.seal_key, keys.db_key, [account.id])
                trail.record("passphrase reset with the recovery key", "account", account.id)
                trail.record("logged in")
                header_ok = not slots.header_mac or slots.header_ok(keys.seal_key)
                slots.put_passphrase_slot(slot_id, account.username, new_passphrase, keys.db_key,
                                          seal, account.role.value,
                                          writer_key(keys.seal_key, account.id))
                if seal is None and account.id not in trail.writer_heads(keys.seal_key):
                    trail.start_writer(keys.seal_key, account.id)
                if header_ok:
                    slots.sign(keys.seal_key, [slot_id])
                slots.save()
                MetaStore(db).put("keyfile_generation", str(slots.generation).encode())
            account = store.get(account.id)
            assert account is not None
        except BaseException:
            db.close()
            keys.wipe()
            raise
        keys.wipe()
        user_keys = slots.unlock_passphrase(username, new_passphrase)
        session = Session(self, db, user_keys, account, slots)
        session.warnings = warnings
        return self._sealed(session)

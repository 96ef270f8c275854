"""The vault: create it, unlock it, lock it. Holds the keys only while unlocked."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ccc_desktop.models import crypto
from ccc_desktop.models.clock import Clock
from ccc_desktop.models.errors import (
    AccountDisabled,
    PermissionDenied,
    StorageError,
    ValidationError,
    VaultLocked,
    WrongPassphrase,
)
from ccc_desktop.models.keyslots import PASSPHRASE, SlotFile, UnwrappedKeys
from ccc_desktop.models.records import Account, CentreDetails
from ccc_desktop.models.roles import Actor, Role
from ccc_desktop.models.sealed import Sealer
from ccc_desktop.models.services.audit import AuditTrail
from ccc_desktop.models.services.centre import check_centre_details, save_centre_details
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.meta import MetaStore, SettingsStore
from ccc_desktop.models.storage.migrate import Migration, migrate
from ccc_desktop.models.storage.sealing import seal_is_pending, seal_pending
from ccc_desktop.models.validation import check_display_name, check_new_passphrase, check_username

DB_NAME = "centre.cccdb"
KEYS_NAME = "centre.keys"
LOCK_NAME = "centre.lock"
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
    def backups(self) -> Path:
        return self.data_dir / BACKUP_DIR


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
        self.audit = AuditTrail(db, vault.clock, reader=self.actor)
        self.lock_listeners: list[Callable[[], None]] = []
        if keys.seal_key is not None and account.role.holds_seal_key:
            db.sealer = Sealer(keys.seal_key)

    @property
    def is_open(self) -> bool:
        return self._keys is not None

    def _require_keys(self) -> UnwrappedKeys:
        if self._keys is None:
            raise VaultLocked()
        return self._keys

    @property
    def db_key(self) -> bytes:
        return bytes(self._require_keys().db_key)

    @property
    def seal_key(self) -> bytes:
        """The second key for sealed fields; only Coordinator and Chair slots carry it."""
        seal = self._require_keys().seal_key
        if seal is None or not self.actor.role.holds_seal_key:
            raise PermissionDenied("open sealed records", self.actor.role.label)
        return bytes(seal)

    @property
    def has_seal_key(self) -> bool:
        return self._keys is not None and self._keys.seal_key is not None

    def lock(self, reason: str = "locked") -> None:
        """Audit, close the database and overwrite the keys. Safe to call twice."""
        if self._keys is None:
            return
        try:
            self.audit.record(self.actor, reason)
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
        self.paths.data_dir.mkdir(parents=True, exist_ok=True)
        db_key, seal_key = crypto.new_key(), crypto.new_key()
        recovery_key = crypto.new_recovery_key()
        slots = SlotFile.new(self.paths.keys)
        coordinator_slot = new_slot_id()
        db: Database | None = None
        try:
            slots.put_passphrase_slot(coordinator_slot, username, passphrase, db_key, seal_key)
            slots.put_recovery_slot(new_slot_id(), recovery_key, db_key, seal_key)
            slots.save()
            db = Database(self.paths.db, db_key)
            migrate(db, self.paths.backups, [self.paths.keys], self._migrations)
            now = self.clock.now().isoformat(timespec="seconds")
            with db.transaction():
                MetaStore(db).put("audit_key", secrets.token_bytes(32))
                save_centre_details(SettingsStore(db), centre)
                account_id = AccountStore(db).insert(
                    username, display_name, Role.COORDINATOR, coordinator_slot, now, False)
                actor = Actor(account_id, username.strip(), display_name.strip(), Role.COORDINATOR)
                trail = AuditTrail(db, self.clock)
                trail.record(actor, "vault created")
                trail.record(actor, "account created", "account", account_id, "role coordinator")
                trail.record(actor, "recovery key issued")
                trail.record(actor, "logged in")
            account = AccountStore(db).get(account_id)
            assert account is not None
        except BaseException:
            if db is not None:
                db.close()
            for f in (self.paths.db, self.paths.keys):
                f.unlink(missing_ok=True)
            raise
        keys = UnwrappedKeys(coordinator_slot, "passphrase", db_key, seal_key)
        return self._sealed(Session(self, db, keys, account, slots)), recovery_key

    # ---- sealing --------------------------------------------------------------------------------
    def _sealed(self, session: Session) -> Session:
        """Finish sealing rows left in plaintext (an upgraded file, or rows written without the
        seal key): at once when this session holds the seal key, then vacuum so the old pages
        leave the file. A Session volunteer's unlock leaves them for the next Coordinator, Chair
        or recovery unlock, and the trail says so; the register works either way."""
        db = session.db
        try:
            if not seal_is_pending(db):
                return session
            if db.sealer is None:
                session.audit.record(session.actor, "records waiting to be sealed",
                                     detail="sealed at the next unlock by a Coordinator or Chair")
                return session
            count = seal_pending(db)
            session.audit.record(session.actor, "records sealed", detail=f"{count} rows sealed")
            db.vacuum()
        except BaseException:
            session.lock("locked")
            raise
        return session

    # ---- unlocking ----------------------------------------------------------------------------
    def _open_db(self, keys: UnwrappedKeys) -> Database:
        db = Database(self.paths.db, keys.db_key)
        try:
            migrate(db, self.paths.backups, [self.paths.keys], self._migrations)
        except BaseException:
            db.close()
            raise
        return db

    def _audit_failures(self, trail: AuditTrail, slots: SlotFile) -> None:
        failures = slots.take_failures()
        if failures:
            times = ", ".join(datetime.fromtimestamp(t).strftime("%d/%m/%Y %H:%M:%S") for t in failures)
            trail.record(None, "failed unlock attempts", detail=f"{len(failures)} wrong: {times}")

    def _tidy_key_slots(self, db: Database, slots: SlotFile, trail: AuditTrail) -> None:
        """Undo what a crash between writing the key file and committing can leave behind.

        Account changes save the key file just before their commit, so a crash in between can
        leave a passphrase slot that no account uses (an account being added or re-enabled),
        and a crash while saving can leave a temporary copy of the key file. Either keeps a
        passphrase able to unwrap the keys, so both go at the next unlock.
        """
        for stray in self.paths.data_dir.glob(f".{KEYS_NAME}.*.tmp"):
            try:
                stray.unlink()
            except OSError:
                pass
        accounts = AccountStore(db)
        # A crash inside "disable" after the key file was saved leaves the account enabled with
        # no slot: it cannot unlock anyway, so say so rather than show it as enabled.
        present = {s.id for s in slots.slots}
        for a in accounts.all():
            if a.enabled and a.slot_id and a.slot_id not in present:
                accounts.update(a.id, enabled=0, slot_id=None)
                trail.record(None, "account disabled: its key slot was missing", "account", a.id)
        used = {a.slot_id for a in accounts.all() if a.slot_id}
        unused = [s.id for s in slots.slots if s.kind == PASSPHRASE and s.id not in used]
        if not unused:
            return
        for slot_id in unused:
            slots.remove(slot_id)
        try:
            slots.save()
        except StorageError:
            return  # a read-only folder must not stop the unlock; tried again next time
        trail.record(None, "unused key slots removed", detail=f"{len(unused)} removed")

    def unlock(self, username: str, passphrase: str, reason: str = "logged in") -> Session:
        slots = SlotFile.load(self.paths.keys)
        keys = slots.unlock_passphrase(username, passphrase, self.clock.now().timestamp())
        try:
            db = self._open_db(keys)
        except BaseException:
            keys.wipe()
            raise
        try:
            account = AccountStore(db).by_slot(keys.slot_id)
            if account is None or account.username.casefold() != username.strip().casefold():
                raise WrongPassphrase()
            if not account.enabled:
                raise AccountDisabled()
            trail = AuditTrail(db, self.clock)
            with db.transaction():
                self._audit_failures(trail, slots)
                self._tidy_key_slots(db, slots, trail)
                AccountStore(db).update(account.id, last_login_at=self.clock.now().isoformat(timespec="seconds"))
                trail.record(Actor(account.id, account.username, account.display_name, account.role), reason)
        except BaseException:
            db.close()
            keys.wipe()
            raise
        return self._sealed(Session(self, db, keys, account, slots))

    def unlock_with_recovery(self, recovery_key: str, username: str,
                             new_passphrase: str) -> Session:
        """Every passphrase forgotten: the recovery key sets a new one for a named account."""
        slots = SlotFile.load(self.paths.keys)
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
            slot_id = account.slot_id or new_slot_id()
            seal = keys.seal_key if account.role.holds_seal_key else None
            trail = AuditTrail(db, self.clock)
            with db.transaction():
                self._audit_failures(trail, slots)
                store.update(account.id, slot_id=slot_id, enabled=1, must_change_passphrase=0,
                             last_login_at=self.clock.now().isoformat(timespec="seconds"))
                actor = Actor(account.id, account.username, account.display_name, account.role)
                trail.record(actor, "passphrase reset with the recovery key", "account", account.id)
                trail.record(actor, "logged in")
                slots.put_passphrase_slot(slot_id, account.username, new_passphrase, keys.db_key, seal)
                slots.save()
            account = store.get(account.id)
            assert account is not None
        except BaseException:
            db.close()
            keys.wipe()
            raise
        user_keys = UnwrappedKeys(slot_id, "passphrase", bytearray(keys.db_key),
                                  bytearray(keys.seal_key) if seal is not None and keys.seal_key else None)
        keys.wipe()
        return self._sealed(Session(self, db, user_keys, account, slots))

"""The two vaults the benchmark compares: SQLCipher through the real Vault, and the same
schema and services over a plain SQLite file."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from ccc_desktop.models import crypto
from ccc_desktop.models.audit import AuditTrail
from ccc_desktop.models.centre_details import save_centre_details
from ccc_desktop.models.clock import Clock
from ccc_desktop.models.keyslots import SlotFile, UnwrappedKeys
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.roles import Role
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.meta import MetaStore, SettingsStore
from ccc_desktop.models.storage.migrate import migrate
from ccc_desktop.models.storage.sealing import seal_is_pending, seal_pending
from ccc_desktop.models.vault import Session, Vault

USER, PASSPHRASE = "bench", "benchmark passphrase"
CENTRE = CentreDetails(name="Benchmark Child Contact Centre", address="1 Test Street\nTesttown",
                       chair_name="Chair Person")


def create_encrypted(folder: Path, clock: Clock | None = None) -> Session:
    # The production Argon2id cost, so that "passphrase to dashboard" is the real thing; key
    # derivation happens only at create and unlock, never inside a timed database operation.
    session, _ = Vault(folder, clock).create(CENTRE, USER, "Bench Coordinator", PASSPHRASE)
    return session


def unlock_encrypted(folder: Path, clock: Clock | None = None) -> Session:
    return Vault(folder, clock).unlock(USER, PASSPHRASE)


def plain_db_path(folder: Path) -> Path:
    return folder / "centre.sqlite"


def _plain_session(folder: Path, db: Database, clock: Clock | None = None) -> Session:
    vault = Vault(folder, clock)
    account = AccountStore(db).by_username(USER)
    assert account is not None
    # The plain comparison file has no key file: a fixed seal key, so sealed rows written by
    # one run open in the next (the benchmark's file is synthetic and not confidential).
    keys = UnwrappedKeys("plain", "passphrase", crypto.new_key(),
                         bytearray(hashlib.sha256(b"ccc-desktop bench plain seal key").digest()))
    session = Session(vault, db, keys, account, SlotFile.new(vault.paths.keys))
    # As Vault.create and Vault.unlock do (Vault._sealed): rows an upgrade left to seal (a
    # kept file timed again after a migration that seals more) are sealed and the file
    # vacuumed, so the two files are upgraded alike.
    if seal_is_pending(db) and db.sealer is not None:
        count = seal_pending(db)
        session.audit.record("records sealed", detail=f"{count} rows sealed")
        db.vacuum()
    return session


def create_plain(folder: Path, clock: Clock | None = None) -> Session:
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(plain_db_path(folder), None)
    migrate(db, folder / "backups")
    with db.transaction():
        MetaStore(db).put("audit_key", secrets.token_bytes(32))
        save_centre_details(SettingsStore(db), CENTRE)
        AccountStore(db).insert(USER, "Bench Coordinator", Role.COORDINATOR, "plain", "2026-01-01T00:00:00", False)
    session = _plain_session(folder, db, clock)
    AuditTrail(db, session.clock, session.actor).record("vault created")
    return session


def unlock_plain(folder: Path, clock: Clock | None = None) -> Session:
    db = Database(plain_db_path(folder), None)
    migrate(db, folder / "backups")
    return _plain_session(folder, db, clock)

"""The key-slot file beside the database: the database key wrapped once per account.

It must be readable before the vault is open, so it holds no names: a slot is found by a tag
derived (Argon2id) from the account name *and* passphrase together, so one derivation finds and
opens the right slot, and the file says nothing about who the accounts are.
"""

from __future__ import annotations

import hmac
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ccc_desktop.models import crypto
from ccc_desktop.models.errors import StorageError, Throttled, VaultCorrupt, WrongPassphrase
from ccc_desktop.models.fileio import atomic_write_bytes

FORMAT = 1
PASSPHRASE = "passphrase"
RECOVERY = "recovery"
MAX_DELAY_SECONDS = 60.0
Key = bytes | bytearray


def throttle_delay(consecutive_failures: int) -> float:
    """0 s after one mistake, then 2, 4, 8 ... up to a minute."""
    if consecutive_failures <= 1:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** (consecutive_failures - 1))


@dataclass
class Slot:
    id: str
    kind: str
    tag: str
    wrapped: str


@dataclass
class UnwrappedKeys:
    slot_id: str
    kind: str
    db_key: bytearray
    seal_key: bytearray | None

    def wipe(self) -> None:
        crypto.wipe(self.db_key)
        crypto.wipe(self.seal_key)


@dataclass
class SlotFile:
    path: Path
    kdf: crypto.KdfParams
    salt: bytes
    slots: list[Slot] = field(default_factory=list)
    failures: list[float] = field(default_factory=list)  # wall-clock times of wrong attempts

    # ---- load / save ------------------------------------------------------------------------
    @classmethod
    def new(cls, path: Path) -> SlotFile:
        return cls(path=path, kdf=crypto.default_kdf(), salt=os.urandom(16))

    @classmethod
    def load(cls, path: Path) -> SlotFile:
        try:
            raw = json.loads(path.read_text("utf-8"))
            if raw.get("format") != FORMAT:
                raise ValueError("format")
            sf = cls(
                path=path,
                kdf=crypto.KdfParams(**raw["kdf"]),
                salt=crypto.unb64(raw["salt"]),
                slots=[Slot(**s) for s in raw["slots"]],
                failures=[float(t) for t in raw.get("failures", [])],
            )
        except FileNotFoundError:
            raise VaultCorrupt(
                "The key file (centre.keys) is missing from the data folder. Restore it from "
                "a backup: without it the records cannot be opened."
            ) from None
        except (ValueError, KeyError, TypeError):
            raise VaultCorrupt(
                "The key file (centre.keys) is damaged. Restore it from a backup."
            ) from None
        if not crypto.kdf_acceptable(sf.kdf):
            raise VaultCorrupt("The key file asks for a key-derivation cost that is too weak.")
        return sf

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "kdf": self.kdf.to_json(),
            "salt": crypto.b64(self.salt),
            "slots": [s.__dict__ for s in self.slots],
            "failures": self.failures[-50:],
        }
        atomic_write_bytes(self.path, json.dumps(data, indent=1).encode("utf-8"), "the key file")

    # ---- derivation ---------------------------------------------------------------------------
    def _master_for_passphrase(self, username: str, passphrase: str) -> bytes:
        secret = username.strip().casefold().encode("utf-8") + b"\x00" + passphrase.encode("utf-8")
        return crypto.derive(secret, self.salt, self.kdf)

    def _master_for_recovery(self, recovery_key: str) -> bytes:
        # 160 random bits need no stretching; HMAC with the file's salt is enough.
        return crypto.subkey(self.salt, "recovery:" + recovery_key)

    @staticmethod
    def _aad(slot_id: str) -> bytes:
        return b"ccc-slot-v1:" + slot_id.encode("ascii")

    def _make_slot(self, slot_id: str, kind: str, master: bytes, db_key: Key,
                   seal_key: Key | None) -> Slot:
        payload = bytes(db_key) + (bytes(seal_key) if seal_key is not None else b"")
        wrapped = crypto.seal(crypto.subkey(master, "slot-wrap"), payload, self._aad(slot_id))
        return Slot(slot_id, kind, crypto.subkey(master, "slot-tag").hex(), crypto.b64(wrapped))

    def _open(self, master: bytes) -> UnwrappedKeys | None:
        tag = crypto.subkey(master, "slot-tag").hex()
        for slot in self.slots:
            if hmac.compare_digest(slot.tag, tag):
                payload = crypto.unseal(
                    crypto.subkey(master, "slot-wrap"), crypto.unb64(slot.wrapped),
                    self._aad(slot.id),
                )
                if payload is None:
                    raise VaultCorrupt("A key slot has been altered. Restore the key file from a backup.")
                db_key = bytearray(payload[:32])
                seal_key = bytearray(payload[32:64]) if len(payload) >= 64 else None
                return UnwrappedKeys(slot.id, slot.kind, db_key, seal_key)
        return None

    # ---- public operations --------------------------------------------------------------------
    def put_passphrase_slot(self, slot_id: str, username: str, passphrase: str, db_key: Key,
                            seal_key: Key | None) -> None:
        """Add or replace one slot; other slots are left byte for byte as they were."""
        slot = self._make_slot(slot_id, PASSPHRASE, self._master_for_passphrase(username, passphrase),
                               db_key, seal_key)
        self._replace(slot)

    def put_recovery_slot(self, slot_id: str, recovery_key: str, db_key: Key,
                          seal_key: Key) -> None:
        self._replace(self._make_slot(slot_id, RECOVERY, self._master_for_recovery(recovery_key),
                                      db_key, seal_key))

    def _replace(self, slot: Slot) -> None:
        for i, existing in enumerate(self.slots):
            if existing.id == slot.id:
                self.slots[i] = slot
                return
        self.slots.append(slot)

    def remove(self, slot_id: str) -> None:
        self.slots = [s for s in self.slots if s.id != slot_id]

    def has(self, slot_id: str) -> bool:
        return any(s.id == slot_id for s in self.slots)

    def check_throttle(self, now: float | None = None) -> None:
        now = time.time() if now is None else now
        if not self.failures:
            return
        wait = throttle_delay(len(self.failures)) - (now - self.failures[-1])
        if wait > 0:
            raise Throttled(wait)

    def record_failure(self, now: float | None = None) -> None:
        self.failures.append(time.time() if now is None else now)
        try:
            self.save()
        except StorageError:
            pass  # the count is also kept in memory; a read-only disk must not hide the error

    def take_failures(self) -> list[float]:
        """After a successful unlock: the failures to audit, and the counter reset."""
        taken, self.failures = self.failures, []
        if taken:
            self.save()
        return taken

    def unlock_passphrase(self, username: str, passphrase: str, now: float | None = None
                          ) -> UnwrappedKeys:
        self.check_throttle(now)
        keys = self._open(self._master_for_passphrase(username, passphrase))
        if keys is None or keys.kind != PASSPHRASE:
            self.record_failure(now)
            raise WrongPassphrase()
        return keys

    def unlock_recovery(self, recovery_key: str, now: float | None = None) -> UnwrappedKeys:
        self.check_throttle(now)
        normal = crypto.normalise_recovery_key(recovery_key)
        keys = self._open(self._master_for_recovery(normal)) if normal else None
        if keys is None or keys.kind != RECOVERY:
            self.record_failure(now)
            raise WrongPassphrase("That recovery key does not open these records.")
        return keys

    def verify_passphrase(self, slot_id: str, username: str, passphrase: str) -> bool:
        keys = self._open(self._master_for_passphrase(username, passphrase))
        ok = keys is not None and keys.slot_id == slot_id
        if keys:
            keys.wipe()
        return ok

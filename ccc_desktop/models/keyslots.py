"""The key-slot file beside the database: the keys, wrapped once per account.

It must be readable before the vault is open, so it holds no names: a slot is found by a tag
derived (Argon2id) from the account name *and* passphrase together, so one derivation finds and
opens the right slot, and the file says nothing about who the accounts are.

Format 2 (this one). Each slot has its own X25519 key pair:

- ``wrapped``: the slot's private key, sealed (AES-256-GCM) under a key derived from the
  passphrase (or the recovery key). Changing a passphrase rewrites only this.
- ``public`` and ``envelope``: the slot's role, the database key and the seal key (for a
  Session volunteer, instead, the account's audit writer key: models/audit.py) sealed *to the
  public key*. A manager can therefore replace the keys
  (disabling an account rekeys the database) and write every remaining slot a new envelope
  without knowing anyone's passphrase. Every envelope has the same length whatever it carries,
  so the file does not show which slots are managers'.
- ``mac`` per slot and ``header_mac`` for the file: HMACs under the seal key over what decides
  what a slot receives (its id, kind and public key; the KDF cost, salt, revocation epoch and
  the set of slots). A Session volunteer, who holds the database key but not the seal key,
  cannot forge them: a manager's unlock and every manager action on accounts check them.

Format 1 slots (``wrapped`` holds the keys themselves) are still read, and each is rewritten in
format 2 the next time its own passphrase opens it.

``failures`` (the throttle) is written by unlock attempts that hold no key at all, so it cannot
be authenticated; ``generation`` counts every save, and the database notes the last generation
it saw, so a key file copied back over a newer one is reported at the next unlock. A wrong
attempt writes nothing the database could see, so the failures are also kept in a second file
beside it (``centre.attempts``): the throttle takes both lists together (the stricter), and
failures found only in the second file mean the key file was put back after them, which the
next unlock reports and audits. Someone who puts back both files is not seen: nothing on disk
that a failed attempt can write is out of their reach.
"""

from __future__ import annotations

import hmac
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ccc_desktop.models import crypto
from ccc_desktop.models.errors import StorageError, Throttled, VaultCorrupt, WrongPassphrase
from ccc_desktop.models.fileio import atomic_write_bytes

FORMAT = 2
LEGACY_FORMAT = 1
PASSPHRASE = "passphrase"
RECOVERY = "recovery"
MAX_DELAY_SECONDS = 60.0
Key = bytes | bytearray

# What a slot's envelope says it is; the account row must agree (vault.unlock checks).
ROLE_CODES = {"coordinator": 1, "chair": 2, "volunteer": 3, RECOVERY: 4}
_ROLE_NAMES = {v: k for k, v in ROLE_CODES.items()}
_PAYLOAD_VERSION = 3  # 2: the same without a writer key (still read)
_HAS_SEAL, _HAS_WRITER = 1, 2


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
    public: str = ""  # empty: a format-1 slot
    envelope: str = ""
    mac: str = ""  # empty: not yet authenticated by a manager (a slot upgraded by its owner)

    @property
    def legacy(self) -> bool:
        return not self.public


@dataclass
class UnwrappedKeys:
    slot_id: str
    kind: str
    db_key: bytearray
    seal_key: bytearray | None
    role: str | None = None  # from the envelope; None for a format-1 slot
    private: bytearray | None = None  # the slot's private key (None for a format-1 slot)
    # A Session volunteer's audit writer key (models/audit.py): managers derive theirs from the
    # seal key; None for slots written before writer keys existed.
    writer: bytearray | None = None

    @property
    def legacy(self) -> bool:
        return self.private is None

    def wipe(self) -> None:
        crypto.wipe(self.db_key)
        crypto.wipe(self.seal_key)
        crypto.wipe(self.private)
        crypto.wipe(self.writer)


def _payload(role: str, db_key: Key, seal_key: Key | None, writer: Key | None = None) -> bytes:
    """Always 67 bytes: version, role, flags, database key, then the seal key, or the
    account's writer key (a Session volunteer's), or zeros."""
    if seal_key is not None:
        flags, second = _HAS_SEAL, bytes(seal_key)
    elif writer is not None:
        flags, second = _HAS_WRITER, bytes(writer)
    else:
        flags, second = 0, bytes(crypto.KEY_BYTES)
    return bytes([_PAYLOAD_VERSION, ROLE_CODES[role], flags]) + bytes(db_key) + second


@dataclass
class SlotFile:
    path: Path
    kdf: crypto.KdfParams
    salt: bytes
    slots: list[Slot] = field(default_factory=list)
    failures: list[float] = field(default_factory=list)  # wall-clock times of wrong attempts
    generation: int = 0  # +1 on every save
    epoch: int = 0  # +1 on every revocation (rekey)
    revoked: list[int] = field(default_factory=list)  # account ids revoked, newest last
    revoked_at: str = ""  # when the last revocation happened (ISO)
    # Account ids removed for good (a removed account is revoked too): authenticated with the
    # header, so a restore from the locked screen keeps them removed when the live database
    # itself cannot be opened.
    removed: list[int] = field(default_factory=list)
    # Format-1 slots a manager has seen, each allowed to come back once in format 2 unsigned
    # (rewritten by its own account's unlock), to be signed at the next manager unlock.
    pending: list[str] = field(default_factory=list)
    header_mac: str = ""
    loaded_format: int = FORMAT
    # The second record of failed attempts (not part of the key file): set by Vault.load_slots.
    attempts_path: Path | None = None
    # Failed attempts found in the second record but missing from the key file.
    missing_failures: int = 0

    # ---- load / save ------------------------------------------------------------------------
    @classmethod
    def new(cls, path: Path) -> SlotFile:
        return cls(path=path, kdf=crypto.default_kdf(), salt=os.urandom(16))

    @classmethod
    def load(cls, path: Path) -> SlotFile:
        try:
            raw = json.loads(path.read_text("utf-8"))
            fmt = raw.get("format")
            if fmt not in (LEGACY_FORMAT, FORMAT):
                raise ValueError("format")
            sf = cls(
                path=path,
                kdf=crypto.KdfParams(**raw["kdf"]),
                salt=crypto.unb64(raw["salt"]),
                slots=[Slot(**s) for s in raw["slots"]],
                failures=[float(t) for t in raw.get("failures", [])],
                generation=int(raw.get("generation", 0)),
                epoch=int(raw.get("epoch", 0)),
                revoked=[int(a) for a in raw.get("revoked", [])],
                revoked_at=str(raw.get("revoked_at", "")),
                removed=[int(a) for a in raw.get("removed", [])],
                pending=[str(p) for p in raw.get("pending", [])],
                header_mac=str(raw.get("header_mac", "")),
                loaded_format=fmt,
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

    def to_bytes(self) -> bytes:
        data = {
            "format": FORMAT,
            "kdf": self.kdf.to_json(),
            "salt": crypto.b64(self.salt),
            "generation": self.generation,
            "epoch": self.epoch,
            "revoked": self.revoked,
            "revoked_at": self.revoked_at,
            "removed": self.removed,
            "pending": self.pending,
            "header_mac": self.header_mac,
            "slots": [s.__dict__ for s in self.slots],
            "failures": self.failures[-50:],
        }
        return json.dumps(data, indent=1).encode("utf-8")

    def save(self, path: Path | None = None) -> None:
        self.generation += 1
        atomic_write_bytes(path or self.path, self.to_bytes(), "the key file")

    # ---- authentication under the seal key ----------------------------------------------------
    def _header(self) -> list[object]:
        header: list[object] = [self.kdf.to_json(), crypto.b64(self.salt), self.epoch, self.revoked,
                                self.revoked_at, sorted(self.pending),
                                sorted([s.id, s.kind] for s in self.slots)]
        if self.removed:  # (a file from before removals were listed has none: its MAC holds)
            header.append(["removed", sorted(self.removed)])
        return header

    @staticmethod
    def _slot_parts(slot: Slot) -> list[object]:
        return [slot.id, slot.kind, slot.public]

    def sign(self, seal_key: Key, slot_ids: list[str] | None = None) -> None:
        """A manager session's last step before saving: authenticate the header, and the
        format-2 slots it wrote or checked (all of them when ``slot_ids`` is None: a new file)."""
        self.pending = [i for i in self.pending if (s := self.get(i)) is not None and s.legacy]
        self.header_mac = crypto.mac(seal_key, "keyfile-header", *self._header())
        for slot in self.slots:
            if slot.public and (slot_ids is None or slot.id in slot_ids):
                slot.mac = crypto.mac(seal_key, "keyfile-slot", *self._slot_parts(slot))

    def header_ok(self, seal_key: Key) -> bool:
        return crypto.mac_ok(seal_key, self.header_mac, "keyfile-header", *self._header())

    def slot_ok(self, seal_key: Key, slot: Slot) -> bool:
        return crypto.mac_ok(seal_key, slot.mac, "keyfile-slot", *self._slot_parts(slot))

    def get(self, slot_id: str) -> Slot | None:
        return next((s for s in self.slots if s.id == slot_id), None)

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

    def _aad2(self, slot_id: str, what: str, public: bytes) -> bytes:
        # The KDF cost and salt are bound in: a slot copied into a file with other parameters
        # (or a file whose parameters were edited) refuses to open rather than derive quietly.
        kdf = json.dumps(self.kdf.to_json(), sort_keys=True)
        return (f"ccc-slot-v2:{what}:{slot_id}:{kdf}:".encode("ascii") + self.salt + public)

    def _make_slot(self, slot_id: str, kind: str, master: bytes, role: str, db_key: Key,
                   seal_key: Key | None, writer: Key | None = None) -> Slot:
        private, public = crypto.new_keypair()
        try:
            wrapped = crypto.seal(crypto.subkey(master, "slot-wrap"), bytes(private),
                                  self._aad2(slot_id, "private", public))
        finally:
            crypto.wipe(private)
        envelope = crypto.seal_to(public, _payload(role, db_key, seal_key, writer),
                                  self._aad2(slot_id, "envelope", public))
        return Slot(slot_id, kind, crypto.subkey(master, "slot-tag").hex(), crypto.b64(wrapped),
                    crypto.b64(public), crypto.b64(envelope))

    def _open(self, master: bytes) -> UnwrappedKeys | None:
        tag = crypto.subkey(master, "slot-tag").hex()
        for slot in self.slots:
            if hmac.compare_digest(slot.tag, tag):
                return self._open_slot(slot, master)
        return None

    def _open_slot(self, slot: Slot, master: bytes) -> UnwrappedKeys:
        altered = VaultCorrupt("A key slot has been altered. Restore the key file from a backup.")
        if slot.legacy:
            payload = crypto.unseal(crypto.subkey(master, "slot-wrap"), crypto.unb64(slot.wrapped),
                                    self._aad(slot.id))
            if payload is None:
                raise altered
            db_key = bytearray(payload[:32])
            seal_key = bytearray(payload[32:64]) if len(payload) >= 64 else None
            return UnwrappedKeys(slot.id, slot.kind, db_key, seal_key)
        public = crypto.unb64(slot.public)
        private = crypto.unseal(crypto.subkey(master, "slot-wrap"), crypto.unb64(slot.wrapped),
                                self._aad2(slot.id, "private", public))
        if private is None or crypto.public_of(private) != public:
            raise altered
        return self.open_envelope(slot, bytearray(private))

    def open_envelope(self, slot: Slot, private: bytearray) -> UnwrappedKeys:
        public = crypto.unb64(slot.public)
        payload = crypto.open_from(private, crypto.unb64(slot.envelope),
                                   self._aad2(slot.id, "envelope", public))
        if payload is None or len(payload) != 67 or payload[0] not in (2, _PAYLOAD_VERSION) \
                or payload[1] not in _ROLE_NAMES or payload[2] not in (0, _HAS_SEAL, _HAS_WRITER) \
                or (payload[0] == 2 and payload[2] == _HAS_WRITER):
            crypto.wipe(private)
            raise VaultCorrupt("A key slot has been altered. Restore the key file from a backup.")
        seal_key = bytearray(payload[35:67]) if payload[2] == _HAS_SEAL else None
        writer = bytearray(payload[35:67]) if payload[2] == _HAS_WRITER else None
        return UnwrappedKeys(slot.id, slot.kind, bytearray(payload[3:35]), seal_key,
                             _ROLE_NAMES[payload[1]], private, writer)

    # ---- public operations --------------------------------------------------------------------
    def put_passphrase_slot(self, slot_id: str, username: str, passphrase: str, db_key: Key,
                            seal_key: Key | None, role: str, writer: Key | None = None) -> None:
        """Add or replace one slot (a new key pair); other slots are left as they were.
        ``writer``: a Session volunteer's audit writer key (ignored when ``seal_key`` is given)."""
        slot = self._make_slot(slot_id, PASSPHRASE, self._master_for_passphrase(username, passphrase),
                               role, db_key, seal_key, writer)
        self._replace(slot)

    def put_recovery_slot(self, slot_id: str, recovery_key: str, db_key: Key,
                          seal_key: Key) -> None:
        self._replace(self._make_slot(slot_id, RECOVERY, self._master_for_recovery(recovery_key),
                                      RECOVERY, db_key, seal_key))

    def rewrap_passphrase(self, slot_id: str, private: Key, username: str, passphrase: str) -> None:
        """A new passphrase for a format-2 slot: same key pair and envelope, so the slot's
        authentication (which only a manager can write) still holds."""
        slot = self.get(slot_id)
        if slot is None or slot.legacy:
            raise ValueError("only a format-2 slot can be rewrapped")
        master = self._master_for_passphrase(username, passphrase)
        public = crypto.unb64(slot.public)
        slot.tag = crypto.subkey(master, "slot-tag").hex()
        slot.wrapped = crypto.b64(crypto.seal(crypto.subkey(master, "slot-wrap"), bytes(private),
                                              self._aad2(slot_id, "private", public)))

    def readdress(self, slot: Slot, role: str, db_key: Key, seal_key: Key | None,
                  writer: Key | None = None) -> None:
        """A new envelope for a format-2 slot (the keys were replaced, or a Session volunteer's
        slot is given its writer key): no passphrase needed."""
        public = crypto.unb64(slot.public)
        slot.envelope = crypto.b64(crypto.seal_to(public, _payload(role, db_key, seal_key, writer),
                                                  self._aad2(slot.id, "envelope", public)))

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
            self._write_attempts()  # first: putting the key file back must not lose it
            self.save()
        except StorageError:
            pass  # the count is also kept in memory; a read-only disk must not hide the error

    def take_failures(self) -> list[float]:
        """After a successful unlock: the failures to audit, and the counter reset (in both
        records)."""
        taken, self.failures = self.failures, []
        if taken:
            self.save()
            try:
                self._write_attempts()
            except StorageError:
                pass  # counted again at the next unlock; never a reason to refuse this one
        return taken

    # ---- the second record of failed attempts ------------------------------------------------
    def merge_attempts(self, path: Path) -> None:
        """Read the second record (``centre.attempts``) and take both lists together: the
        delay is the stricter, and failures only it holds are counted in ``missing_failures``."""
        self.attempts_path = path
        try:
            kept = [float(t) for t in json.loads(path.read_text("utf-8")).get("failures", [])]
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, AttributeError):
            return  # damaged: the key file's own list stands
        # As lists, not sets: two attempts can carry the same time.
        unmatched = Counter(self.failures)
        missing = []
        for t in kept:
            if unmatched[t]:
                unmatched[t] -= 1
            else:
                missing.append(t)
        self.missing_failures = len(missing)
        self.failures = sorted(self.failures + missing)

    def _write_attempts(self) -> None:
        if self.attempts_path is None:
            return
        data = json.dumps({"failures": self.failures[-50:]}).encode("utf-8")
        atomic_write_bytes(self.attempts_path, data, "the record of failed attempts")

    def unlock_passphrase(self, username: str, passphrase: str, now: float | None = None
                          ) -> UnwrappedKeys:
        self.check_throttle(now)
        keys = self._open(self._master_for_passphrase(username, passphrase))
        if keys is None or keys.kind != PASSPHRASE:
            if keys is not None:
                keys.wipe()
            self.record_failure(now)
            raise WrongPassphrase()
        return keys

    def unlock_recovery(self, recovery_key: str, now: float | None = None) -> UnwrappedKeys:
        self.check_throttle(now)
        normal = crypto.normalise_recovery_key(recovery_key)
        keys = self._open(self._master_for_recovery(normal)) if normal else None
        if keys is None or keys.kind != RECOVERY:
            if keys is not None:
                keys.wipe()
            self.record_failure(now)
            raise WrongPassphrase("That recovery key does not open these records.")
        return keys

    def verify_passphrase(self, slot_id: str, username: str, passphrase: str) -> bool:
        keys = self._open(self._master_for_passphrase(username, passphrase))
        ok = keys is not None and keys.slot_id == slot_id
        if keys:
            keys.wipe()
        return ok

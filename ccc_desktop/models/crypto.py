"""Key derivation, key wrapping and sealing. The only module that touches raw key material."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. memory_kib is in KiB."""

    memory_kib: int
    iterations: int
    lanes: int

    def to_json(self) -> dict[str, int]:
        return asdict(self)


# About 0.6 s on the 2-core office machine this was measured on, 256 MiB of memory.
PRODUCTION_KDF = KdfParams(memory_kib=256 * 1024, iterations=2, lanes=4)
# The floor a key file may ask for: the production cost (a file cannot talk it down).
MINIMUM_KDF = PRODUCTION_KDF
_TEST_KDF = KdfParams(memory_kib=8, iterations=1, lanes=1)
_test_mode = False


def enable_cheap_kdf_for_tests() -> None:
    """Test-only: new vaults use a trivial Argon2 cost, and vaults made so may be opened."""
    global _test_mode
    _test_mode = True


def default_kdf() -> KdfParams:
    return _TEST_KDF if _test_mode else PRODUCTION_KDF


def kdf_acceptable(params: KdfParams) -> bool:
    """A key file claiming a weaker cost than the floor is refused outside tests, whatever it
    says: the floor is the code's, not the file's."""
    if _test_mode:
        return True
    return (params.memory_kib >= MINIMUM_KDF.memory_kib
            and params.iterations >= MINIMUM_KDF.iterations
            and params.lanes >= MINIMUM_KDF.lanes)


def derive(secret: bytes, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(secret)


def subkey(master: bytes | bytearray, purpose: str) -> bytes:
    return hmac.new(master, purpose.encode(), hashlib.sha256).digest()


def mac(key: bytes | bytearray, purpose: str, *parts: object) -> str:
    """HMAC-SHA256 (hex) of a canonical encoding of parts, under a subkey for one purpose."""
    import json

    body = json.dumps([purpose, *parts], ensure_ascii=False, separators=(",", ":"), default=str)
    return hmac.new(subkey(key, purpose), body.encode("utf-8"), hashlib.sha256).hexdigest()


def mac_ok(key: bytes | bytearray, expected: str | None, purpose: str, *parts: object) -> bool:
    return bool(expected) and hmac.compare_digest(str(expected), mac(key, purpose, *parts))


# ---- envelopes: a key pair per key slot, so keys can be replaced without the passphrases ------
def new_keypair() -> tuple[bytearray, bytes]:
    """(private, public), raw 32 bytes each."""
    private = X25519PrivateKey.generate()
    raw = bytearray(private.private_bytes_raw())
    return raw, private.public_key().public_bytes_raw()


def public_of(private: bytes | bytearray) -> bytes:
    return X25519PrivateKey.from_private_bytes(bytes(private)).public_key().public_bytes_raw()


def _envelope_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    return hmac.new(shared, b"ccc-envelope-v2" + ephemeral + public, hashlib.sha256).digest()


def seal_to(public: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt to a slot's public key (ephemeral X25519 + AES-GCM): anyone may write it, only
    the slot's private key opens it. Output: ephemeral public || nonce || ciphertext+tag."""
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    return eph_pub + seal(_envelope_key(shared, eph_pub, public), plaintext, aad)


def open_from(private: bytes | bytearray, blob: bytes, aad: bytes) -> bytes | None:
    if len(blob) < 32 + 28:
        return None
    key = X25519PrivateKey.from_private_bytes(bytes(private))
    try:
        shared = key.exchange(X25519PublicKey.from_public_bytes(blob[:32]))
    except ValueError:
        return None
    return unseal(_envelope_key(shared, blob[:32], key.public_key().public_bytes_raw()),
                  blob[32:], aad)


def new_key() -> bytearray:
    return bytearray(secrets.token_bytes(KEY_BYTES))


def seal(key: bytes | bytearray, plaintext: bytes, aad: bytes = b"") -> bytes:
    """AES-256-GCM; output is nonce || ciphertext+tag."""
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes | bytearray, blob: bytes, aad: bytes = b"") -> bytes | None:
    """None when the key is wrong or the blob was altered."""
    if len(blob) < 28:
        return None
    try:
        return AESGCM(key).decrypt(blob[:12], blob[12:], aad)
    except InvalidTag:
        return None


def wipe(buf: bytearray | None) -> None:
    """Overwrite key bytes in place: as far as Python allows, the key leaves memory."""
    if buf is not None:
        for i in range(len(buf)):
            buf[i] = 0


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


# Recovery keys: 160 random bits as 32 base32 letters/digits in 8 groups of 4.
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def new_recovery_key() -> str:
    raw = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, 32, 4))


def normalise_recovery_key(text: str) -> str | None:
    """Accept any spacing, dashes and case; 0/1/8 misread as O/I/B. None if it cannot be one."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    if len(cleaned) != 32 or any(ch not in _B32 for ch in cleaned):
        return None
    return "-".join(cleaned[i : i + 4] for i in range(0, 32, 4))


# Confirming the key was kept: a few of its eight groups typed back from the printout.
RECOVERY_GROUPS = 8
GROUPS_TO_CONFIRM = 3


def groups_to_confirm(count: int = GROUPS_TO_CONFIRM) -> list[int]:
    """``count`` different group numbers (1-8) chosen at random, in order."""
    return sorted(secrets.SystemRandom().sample(range(1, RECOVERY_GROUPS + 1), count))


def wrong_recovery_groups(key: str, typed: dict[int, str]) -> list[int]:
    """The group numbers whose typed text is not that group of ``key`` (case, spaces, dashes and
    0/1/8 for O/I/B forgiven, as when the key is entered to unlock)."""
    groups = key.split("-")
    wrong = []
    for number, text in sorted(typed.items()):
        cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(
            str.maketrans("018", "OIB"))
        if not 1 <= number <= len(groups) or cleaned != groups[number - 1]:
            wrong.append(number)
    return wrong

"""Sealed fields: text encrypted inside the database with the second (seal) key.

Only Coordinator and Chair key slots carry the seal key, so a Session volunteer who copies the
file and knows their own passphrase still cannot read these values (policy clause 8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccc_desktop.models import crypto
from ccc_desktop.models.errors import VaultCorrupt

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session


def seal_text(session: Session, text: str, context: str) -> bytes:
    """context names the column (e.g. 'dbs_checks.outcome'): a value cannot be moved to another."""
    return crypto.seal(session.seal_key, text.encode("utf-8"), context.encode("utf-8"))


def open_sealed(session: Session, blob: bytes | None, context: str) -> str:
    if blob is None:
        return ""
    plain = crypto.unseal(session.seal_key, bytes(blob), context.encode("utf-8"))
    if plain is None:
        raise VaultCorrupt("A sealed value could not be opened: it has been altered.")
    return plain.decode("utf-8")

"""What decides an account's powers, authenticated with a key a Session volunteer does not hold.

A row's MAC covers the account's id, name, role, whether it is enabled (or removed) and which key
slot is its, under a key made from the seal key *and* the database key: the volunteer's key opens
the file but cannot write a MAC, and a row copied back from before a rekey (an old, valid MAC) no longer
verifies because the database key has changed since.
"""

from __future__ import annotations

from ccc_desktop.models import crypto
from ccc_desktop.models.records import Account
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database

Key = bytes | bytearray

ALTERED = ("The account {name} was changed outside CCC Desktop (its role or state does not match "
           "its seal). Nothing was changed. Disable it and add the person again.")


def _parts(account: Account) -> list[object]:
    parts: list[object] = [account.id, account.username.strip().casefold(), account.role.value,
                           int(account.enabled), account.slot_id or ""]
    # Only a removed row says so: the MACs of every other row stay as they were written.
    return parts + ["removed", account.removed_at] if account.removed_at else parts


def _joined(seal_key: Key, db_key: Key) -> bytearray:
    joined = bytearray(seal_key)
    joined += db_key
    return joined


def account_mac(seal_key: Key, db_key: Key, account: Account) -> str:
    key = _joined(seal_key, db_key)
    try:
        return crypto.mac(key, "account", *_parts(account))
    finally:
        crypto.wipe(key)


def account_ok(seal_key: Key, db_key: Key, account: Account) -> bool:
    key = _joined(seal_key, db_key)
    try:
        return crypto.mac_ok(key, account.seal_mac, "account", *_parts(account))
    finally:
        crypto.wipe(key)


def sign_accounts(db: Database, seal_key: bytes | bytearray, db_key: bytes | bytearray,
                  account_ids: list[int] | None = None) -> None:
    """Write the seal MAC of each (or the named) account row as it now stands. Manager only."""
    store = AccountStore(db)
    for a in store.all():
        if account_ids is None or a.id in account_ids:
            store.update(a.id, seal_mac=account_mac(seal_key, db_key, a))

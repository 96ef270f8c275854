"""Sealed fields: text encrypted inside the database with the second (seal) key.

Only Coordinator and Chair key slots carry the seal key, so a Session volunteer who copies the
file and knows their own passphrase still cannot read these values (policy clause 8).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ccc_desktop.models import crypto
from ccc_desktop.models.errors import VaultCorrupt
from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.sealed import SealedStore

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


# ---- every sealed column, for replacing the seal key -------------------------------------------
# When a Coordinator or Chair leaves, the seal key is replaced and every sealed value is opened
# with the old key and sealed again with the new one (models/revocation.py). This list is how
# that reaches every value: a new sealed column is added here, with the context its values are
# sealed with, computed from the row as stored. Anything else keyed by the seal key (an index,
# a MAC) registers a function in RESEAL_HOOKS instead.


@dataclass(frozen=True)
class SealedColumn:
    """A column of sealed values; ``context`` is the context they are sealed with, ``<name>``
    standing for the row's value of column ``name`` (e.g. ``volunteers.private|<id>``)."""

    table: str
    column: str
    context: str

    def context_of(self, row: Row) -> str:
        return re.sub(r"<([a-z_]+)>", lambda m: str(row[m.group(1)]), self.context)


SEALED_COLUMNS: tuple[SealedColumn, ...] = (
    SealedColumn("volunteers", "private_sealed", "volunteers.private|<id>"),
    SealedColumn("dbs_checks", "outcome_sealed",
                 "dbs_checks.outcome|<volunteer_id>|<certificate_number>|<issue_date>|<level>"),
    SealedColumn("dbs_checks", "disclosed_sealed",
                 "dbs_checks.disclosed|<volunteer_id>|<certificate_number>|<issue_date>|<level>"),
    SealedColumn("dbs_checks", "decision_sealed",
                 "dbs_checks.decision|<volunteer_id>|<certificate_number>|<issue_date>|<level>"),
    SealedColumn("families", "restricted_sealed", "families.restricted|<id>"),
    SealedColumn("incidents", "details_sealed", "incidents.details|<id>|<family_id>"),
)


# (database, old seal key, new seal key) -> None; run inside the rekey's transaction.
RESEAL_HOOKS: list[Callable[[Database, bytes | bytearray, bytes | bytearray], None]] = []


def reseal_all(db: Database, old: bytes | bytearray, new: bytes | bytearray,
               progress: Callable[[int, int], None] | None = None) -> int:
    """Open every sealed value with the old seal key and seal it with the new one (inside the
    caller's transaction). Returns how many values were resealed."""
    columns = SEALED_COLUMNS
    store = SealedStore(db)
    total = sum(store.count(c.table, c.column) for c in columns)
    done = 0
    for c in columns:
        for rowid, row in store.rows(c.table, c.column):
            context = c.context_of(row).encode("utf-8")
            plain = crypto.unseal(old, bytes(row[c.column]), context)
            if plain is None:
                raise VaultCorrupt(f"A sealed value ({c.table}.{c.column}) could not be opened: "
                                   "it has been altered. Nothing was changed.")
            store.put(c.table, c.column, rowid, crypto.seal(new, plain, context))
            done += 1
            if progress and done % 200 == 0:
                progress(done, total)
    for hook in RESEAL_HOOKS:
        hook(db, old, new)
    return done

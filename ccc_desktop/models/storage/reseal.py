"""Sealing everything again under a new seal key, when a Coordinator or Chair leaves
(``models/revocation.py``): the row blobs, letters' and documents' bytes, blind indexes, and
the columns services seal themselves."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from ccc_desktop.models import crypto
from ccc_desktop.models.errors import VaultCorrupt
from ccc_desktop.models.sealed import SEALED_COLUMNS, SEALED_TABLES, SealedColumn, Sealer
from ccc_desktop.models.storage.audit import rewriting_sealed_text
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.sealing import owner_exists, owner_set


def reseal_rows(db: Database, old: Sealer, new: Sealer, moved: dict[str, int] | None = None) -> int:
    """Reseal every row blob, letter PDF and blind index from ``old`` to ``new`` (the caller
    holds a transaction). The service-sealed columns in ``SEALED_COLUMNS`` need their own
    contexts and are resealed by their owners.

    A letter or attachment whose index was changed in the file (moved to another record) opens
    to its own record: it gets that record's index under the new key (put back); if that
    record has since been disposed of, it is deleted, as it would have been with its record.
    ``moved`` counts both ("put back", "deleted")."""
    n = 0
    for table, spec in SEALED_TABLES.items():
        extra = "".join(f", {b}" for b in spec.binary)
        if spec.owner:
            extra += f", {spec.owner_index}"
        for row in db.query(f"SELECT id, private_sealed{extra} FROM {table} "  # noqa: S608
                            "WHERE private_sealed IS NOT NULL"):
            row_id = row["id"]
            values = old.open_fields(table, row_id, row["private_sealed"])
            if spec.owner:
                owner = [values.get(c) for c in spec.owner]
                if row[spec.owner_index] != old.owner_index(table, owner):
                    gone = not owner_exists(db, table, values)
                    if moved is not None:
                        what = "deleted" if gone else "put back"
                        moved[what] = moved.get(what, 0) + 1
                    if gone:
                        db.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))  # noqa: S608
                        continue
            sets = ["private_sealed = ?"]
            params: list[Any] = [new.seal_fields(table, row_id, values)]
            for b in spec.binary:
                sets.append(f"{b} = ?")
                params.append(new.seal_bytes(table, b, row_id,
                                             old.open_bytes(table, b, row_id, row[b])))
            for f, index_column in spec.blind.items():
                sets.append(f"{index_column} = ?")
                params.append(new.blind_index(f"{table}.{f}", str(values[f])) if values.get(f) else None)
            for column, value in owner_set(new, table, values):
                sets.append(f"{column} = ?")
                params.append(value)
            db.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE id = ?",  # noqa: S608
                       [*params, row_id])
            n += 1
    return n


def _reseal_column(db: Database, c: SealedColumn, old: Sealer, old_key: bytes | bytearray,
                   new_key: bytes | bytearray) -> int:
    n = 0
    # Table and column names come from the fixed registry, never from the user.
    for row in db.query(f"SELECT * FROM {c.table} WHERE {c.column} IS NOT NULL"):  # noqa: S608
        fields = {k: row[k] for k in row.keys()}
        if c.table in SEALED_TABLES and row["private_sealed"] is not None:
            fields.update(old.open_fields(c.table, row["id"], row["private_sealed"]))
        context = c.context_of(fields).encode("utf-8")
        plain = crypto.unseal(old_key, bytes(row[c.column]), context)
        if plain is None:
            raise VaultCorrupt(f"A sealed value ({c.table}.{c.column}) could not be opened: "
                               "it has been altered. Nothing was changed.")
        db.execute(f"UPDATE {c.table} SET {c.column} = ? WHERE id = ?",  # noqa: S608
                   (crypto.seal(new_key, plain, context), row["id"]))
        n += 1
    return n


def reseal_all(db: Database, old_key: bytes | bytearray, new_key: bytes | bytearray,
               progress: Callable[[int, int], None] | None = None,
               moved: dict[str, int] | None = None) -> int:
    """Everything sealed, from the old seal key to the new one, inside the caller's transaction
    (a Coordinator or Chair left: models/revocation.py). First the columns services seal
    themselves, whose contexts may name fields kept in the row's blob (opened with the old key),
    then the row blobs, letters and blind indexes. Returns how many values were resealed."""
    old, new = Sealer(old_key), Sealer(new_key)
    row_blobs = {(t, "private_sealed") for t in SEALED_TABLES}
    row_blobs |= {(t, b) for t, spec in SEALED_TABLES.items() for b in spec.binary}
    own = [c for c in SEALED_COLUMNS if (c.table, c.column) not in row_blobs]
    n = 0
    for c in own:
        # The audit trail's sealed entries: the append-only trigger is lifted for the reseal.
        lifted: AbstractContextManager[None] = (
            rewriting_sealed_text(db) if c.table == "audit_log" else nullcontext())
        with lifted:
            n += _reseal_column(db, c, old, old_key, new_key)
        if progress is not None:
            progress(n, n + 1)
    n += reseal_rows(db, old, new, moved)
    if progress is not None:
        progress(n, n)
    return n

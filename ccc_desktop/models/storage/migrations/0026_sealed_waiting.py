"""Issue 12: the waiting list is sealed (models/sealed.py, the waiting_list entry), so a
Session volunteer's key no longer reads which family waits, since when, for which session,
the offers made, when it left and why (a "referral closed" gave away the family's sealed
closing date). Only that entries exist, and their ids, stay open; the list is opened and
selected in Python (storage/waiting.py). The statistics ledger's counts of families joining,
offered a place and leaving the list (by reason) move into the sealed months
(``storage/sealed_ledger.SEALED_EVENTS``): by day they would date each entry.

A family review's date and when it was recorded join its sealed notes (the families entry
``family_reviews``): the dashboard's "review due" opens them. Which family a review is about
stays open, as its bookings do; nothing in the schema changes for them.

Of a spreadsheet import (``import_batches``) everything but its id and its audit entry's id is
sealed: the file's name (which may carry a family's name), its checksum, kind, counts, when and
by whom it was made and undone. The import's items (which records it wrote) stay open: undo
and disposal find them by record.

A family's restricted notes, sealed by the service at their own length, are padded to 1 KiB
steps as an incident's account is (0025): the service pads them now, and the notes written
before are sealed again padded (``restricted_pad_pending``).

``waiting_list.family_id`` is NOT NULL (0011); a sealed row keeps NULL there (foreign keys
are on), so, as in 0024 and 0025, the CREATE text is rewritten in sqlite_schema with
writable_schema on (dropping a NOT NULL leaves every stored row valid: nothing is rebuilt),
the schema version bumped and the file checked, all in the migration's one transaction. A
family's removal deletes its entries itself. The indexes by status and by family go.

The values are sealed at the next unlock by a Coordinator, Chair or the recovery key
(storage/sealing.py ``seal_pending``), which then vacuums the file. Run again over a file it
has upgraded, it only sets the mark again.
"""

from __future__ import annotations

import re
from typing import Any

_WHERE = "type = 'table' AND name = 'waiting_list'"


def _loosen(conn: Any) -> bool:
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {_WHERE}").fetchone()[0]
    declared = re.compile(r"(\bfamily_id\s+INTEGER)\s+NOT NULL(\s+REFERENCES)")
    if not declared.search(sql):
        if re.search(r"\bfamily_id\s+INTEGER\s+REFERENCES", sql):
            return False  # upgraded already
        raise RuntimeError("the waiting_list table does not have the released family_id column")
    conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {_WHERE}", (declared.sub(r"\1\2", sql, count=1),))
    return True


def upgrade(conn: Any) -> None:
    for table in ("waiting_list", "import_batches"):
        if "private_sealed" not in [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN private_sealed BLOB")
    conn.execute("DROP INDEX IF EXISTS waiting_list_by_status")
    conn.execute("DROP INDEX IF EXISTS waiting_list_by_family")
    for key in ("seal_pending", "ledger_seal_pending", "restricted_pad_pending"):
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (key,))
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        if _loosen(conn):
            conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError("the records did not pass the integrity check: " + "; ".join(problems))

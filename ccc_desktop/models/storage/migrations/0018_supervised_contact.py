"""Supervised contact (issue 14): a family's kind of contact may now be 'supervised'.

The released CHECK on ``families.contact_kind`` (0003) allows 'supported' and 'handover' only.
Rebuilding ``families`` to change it would disturb what hangs off its row ids (cascading foreign
keys, the name index triggers, sealed rows bound to their ids), so this follows SQLite's own
procedure for a change that leaves every stored row valid
(https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes"):
rewrite the table's CREATE text in sqlite_schema with writable_schema on, bump schema_version so
every connection reloads the schema, and check the file. It runs inside the migration's one
transaction, so a failure leaves the file as it was.
"""

from __future__ import annotations

from typing import Any

OLD_CHECK = "CHECK (contact_kind IN ('supported', 'handover'))"
NEW_CHECK = "CHECK (contact_kind IN ('supported', 'supervised', 'handover'))"
_TABLE = "type = 'table' AND name = 'families'"


def upgrade(conn: Any) -> None:
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {_TABLE}").fetchone()[0]
    if sql.count(OLD_CHECK) != 1:
        raise RuntimeError("the families table does not have the released contact_kind check")
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {_TABLE}",
                     (sql.replace(OLD_CHECK, NEW_CHECK),))
        conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError("the records did not pass the integrity check: " + "; ".join(problems))

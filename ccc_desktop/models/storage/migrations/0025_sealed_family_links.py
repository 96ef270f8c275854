"""Issue 12: two more things a Session volunteer's key read of records the roles table keeps
from the volunteer:

- which family a request for information is about, and whose (which family's, which adult's)
  a consent to share contact details is: "family 12 has had a request, and its resident parent
  has consented to pass on their address". They join each row's sealed blob (models/sealed.py);
  the requests and consents of a family are found in Python after opening, and a family's or an
  adult's removal deletes them itself;
- the length of an incident's sealed account (what happened, who was involved, the action,
  who was told), sealed at its own length: with its kind sealed (0024) that length still told a
  short accident from a long safeguarding account. The service now pads it to 1 KiB steps, as
  it does a volunteer's details, and the accounts written before are sealed again padded.

The three columns are NOT NULL (0003); a sealed row keeps NULL there (foreign keys are on), so,
as in 0018, 0020 and 0022 to 0024, each CREATE text is rewritten in sqlite_schema with writable_schema
on (dropping a NOT NULL leaves every stored row valid: nothing is rebuilt, row ids and the
values sealed bound to them stay), the schema version bumped and the file checked, all in the
migration's one transaction. The indexes by family go.

The values are sealed, and the accounts padded, at the next unlock by a Coordinator, Chair or
the recovery key (storage/sealing.py ``seal_pending``), which then vacuums the file. Run again
over a file it has upgraded, it only sets the marks again.
"""

from __future__ import annotations

import re
from typing import Any

# (table, column): NOT NULL is dropped from the released declaration.
_NOT_NULL = (("disclosures", "family_id"), ("consents", "family_id"), ("consents", "adult_id"))


def _loosen(conn: Any, table: str, column: str) -> bool:
    where = f"type = 'table' AND name = '{table}'"
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {where}").fetchone()[0]
    declared = re.compile(rf"(\b{column}\s+INTEGER)\s+NOT NULL(\s+REFERENCES)")
    if not declared.search(sql):
        if re.search(rf"\b{column}\s+INTEGER\s+REFERENCES", sql):
            return False  # upgraded already
        raise RuntimeError(f"the {table} table does not have the released {column} column")
    conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {where}", (declared.sub(r"\1\2", sql, count=1),))
    return True


def upgrade(conn: Any) -> None:
    conn.execute("DROP INDEX IF EXISTS disclosures_by_family")
    conn.execute("DROP INDEX IF EXISTS consents_by_family")
    for key in ("seal_pending", "incident_pad_pending"):
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (key,))
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        if any([_loosen(conn, table, column) for table, column in _NOT_NULL]):
            conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError("the records did not pass the integrity check: " + "; ".join(problems))

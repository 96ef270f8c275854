"""Issue 12: which family a review of the contact arrangement is about was open to a Session
volunteer's key, so it read which families have had reviews. It joins the review's sealed
fields (models/sealed.py, the family_reviews entry); a family's reviews are found by the blind
index of the family in a new ``family_index`` column (storage/family_reviews.py), as a record's
letters are found by theirs.

``family_reviews.family_id`` is NOT NULL (0003); a sealed row keeps NULL there (foreign keys
are on), so, as in 0024 to 0026, the CREATE text is rewritten in sqlite_schema with
writable_schema on (dropping a NOT NULL leaves every stored row valid: nothing is rebuilt),
the schema version bumped and the file checked, all in the migration's one transaction. A
family's removal deletes its reviews itself. The index by family goes; one by the blind index
comes.

The reviews are sealed again with their family inside at the next unlock by a Coordinator,
Chair or the recovery key (storage/sealing.py ``seal_owners``, as for letters in 0022), which
then compacts the file. Run again over a file it has upgraded, it only sets the mark again.
"""

from __future__ import annotations

import re
from typing import Any

_WHERE = "type = 'table' AND name = 'family_reviews'"


def _loosen(conn: Any) -> bool:
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {_WHERE}").fetchone()[0]
    declared = re.compile(r"(\bfamily_id\s+INTEGER)\s+NOT NULL(\s+REFERENCES)")
    if not declared.search(sql):
        if re.search(r"\bfamily_id\s+INTEGER\s+REFERENCES", sql):
            return False  # upgraded already
        raise RuntimeError("the family_reviews table does not have the released family_id column")
    conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {_WHERE}", (declared.sub(r"\1\2", sql, count=1),))
    return True


def upgrade(conn: Any) -> None:
    if "family_index" not in [r[1] for r in conn.execute("PRAGMA table_info(family_reviews)")]:
        conn.execute("ALTER TABLE family_reviews ADD COLUMN family_index TEXT")
    conn.execute("DROP INDEX IF EXISTS family_reviews_by_family")
    conn.execute("CREATE INDEX IF NOT EXISTS family_reviews_by_index ON family_reviews (family_index)")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01')")
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

"""Issue 12: which record a stored letter or an attached document belongs to is sealed, with
everything else about it (models/sealed.py SEALED_TABLES, storage/sealing.py):

- a letter's kind, subject (type and id), when and by whom it was made (its title and PDF were
  sealed by 0008, and bound to the open subject by 0019);
- an attachment's owner (type and id), media type, size, when and by whom it was added (its
  name and bytes were sealed by 0012, bound to the open owner by 0019). The sealed bytes are
  padded to a power of two, so their length gives the size only to within a factor of two.

A record's letters and attachments are found by a blind index of their owner
(``letters.subject_index``, ``attachments.owner_index``: an HMAC under a key derived from the
seal key, a purpose per table), so a volunteer's key sees only that some rows share an owner,
not which owner, nor that a letter and an attachment share one.

Of a disclosure request, how it was answered, when, and the letter it was answered with are
sealed too: the link to the letter would have given the letter's family away.

The released CHECKs on ``attachments.owner_type`` (0012) and ``disclosures.answer`` (0003) do
not allow the '' a sealed row keeps in the column: as in 0018 and 0020, the CREATE text is rewritten in sqlite_schema with
writable_schema on (nothing is rebuilt: row ids, which the seals are bound to, stay), the
schema version bumped and the file checked, inside the migration's one transaction.

Sealing needs the seal key, which a migration does not hold: the mark below has the next unlock
by a Coordinator, Chair or the recovery key do it (storage/sealing.py ``seal_owners`` inside
``seal_pending``), then vacuum the file. Run again over a file it has already upgraded, it
changes nothing.
"""

from __future__ import annotations

import re
from typing import Any


def _columns(conn: Any, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


# (table, column, a value the released CHECK lists): '' is added to the list.
_CHECKS = (("attachments", "owner_type", "'summons'"), ("disclosures", "answer", "'refused'"))


def _loosen(conn: Any, table: str, column: str, known: str) -> bool:
    where = f"type = 'table' AND name = '{table}'"
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {where}").fetchone()[0]
    check = re.compile(rf"CHECK \({column} IN \(([^)]*)\)\)")
    found = check.findall(sql)
    if len(found) != 1 or known not in found[0]:
        raise RuntimeError(f"the {table} table does not have the released {column} check")
    if found[0].rstrip().endswith("''"):
        return False  # upgraded already
    new = check.sub(lambda m: f"CHECK ({column} IN ({m.group(1)}, ''))", sql)
    conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {where}", (new,))
    return True


def upgrade(conn: Any) -> None:
    if "subject_index" not in _columns(conn, "letters"):
        conn.execute("ALTER TABLE letters ADD COLUMN subject_index TEXT")
    if "owner_index" not in _columns(conn, "attachments"):
        conn.execute("ALTER TABLE attachments ADD COLUMN owner_index TEXT")
    conn.execute("CREATE INDEX IF NOT EXISTS letters_by_index ON letters (subject_index)")
    conn.execute("CREATE INDEX IF NOT EXISTS attachments_by_index ON attachments (owner_index)")
    # The old indexes stay for rows not sealed yet (found by their open columns until then);
    # a sealed row keeps '' and NULL in them.
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01')")
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        if any([_loosen(conn, *c) for c in _CHECKS]):
            conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError("the records did not pass the integrity check: " + "; ".join(problems))

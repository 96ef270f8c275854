"""Issue 12: two more facts a Session volunteer's key still read are sealed (models/sealed.py):

- which of the four steps each witness summons has had. Every summons now has a row for each
  step from the day it is logged, a step not yet done holding empty values, and every step's
  blob is padded to one size, so the rows say neither which steps were taken nor how many;
- which volunteer a DBS check is for (``dbs_checks.volunteer_id``, with its index). Checks are
  found for a volunteer in Python after opening; a volunteer's disposal deletes them itself.

The released ``dbs_checks.volunteer_id`` is NOT NULL (0004, 0008); a sealed row keeps NULL in
the column (a placeholder would have to name a volunteer: foreign keys are on). As in 0018 and
0020 the table's CREATE text is rewritten in sqlite_schema with writable_schema on: dropping a
NOT NULL leaves every stored row valid, so nothing is rebuilt (row ids, and results sealed
bound to them, stay as they are), the schema version is bumped and the file checked, all in the
migration's one transaction.

Sealing needs the seal key, which a migration does not hold: the marks below have the next
unlock by a Coordinator, Chair or the recovery key do it (storage/sealing.py ``seal_pending``:
rows sealed before ``volunteer_id`` joined the registry still hold it in their column; the
summonses get their four step rows, written again in order so that their ids do not tell
which were recorded first), then vacuum the file. Run again, it changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

_VOLUNTEER = re.compile(r"(\bvolunteer_id\s+INTEGER)\s+NOT NULL(\s+REFERENCES)")


def _loosen(conn: Any) -> bool:
    where = "type = 'table' AND name = 'dbs_checks'"
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {where}").fetchone()[0]
    found = _VOLUNTEER.findall(sql)
    if not found:
        if re.search(r"\bvolunteer_id\s+INTEGER\s+REFERENCES", sql):
            return False  # upgraded already
        raise RuntimeError("the dbs_checks table does not have the released volunteer_id column")
    conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {where}",
                 (_VOLUNTEER.sub(r"\1\2", sql, count=1),))
    return True


def upgrade(conn: Any) -> None:
    # The index held which volunteer each check is for.
    conn.execute("DROP INDEX IF EXISTS dbs_checks_by_volunteer")
    for key in ("seal_pending", "summons_steps_pending"):
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

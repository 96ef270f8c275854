"""Issue 12: more of what a Session volunteer's key still read, and the roles table keeps from
the volunteer, is sealed (models/sealed.py):

- which of the four steps each witness summons has had. Every summons now has a row for each
  step from the day it is logged, a step not yet done holding empty values, and every step's
  blob is padded to one size, so the rows say neither which steps were taken nor how many;
- which volunteer a DBS check is for (``dbs_checks.volunteer_id``, with its index). Checks are
  found for a volunteer in Python after opening;
- of a safeguarding incident or accident, which family, when, which kind, whether it is held
  beyond three years, when and by whom it was recorded ("family 4 had a safeguarding incident
  on 8 Mar 2025"): the table gains its ``private_sealed`` blob and loses its index by family;
  a family's incidents, and the families they hold from disposal, are found after opening;
- of a request for information about a family (clause 4), when it came, who authorised its
  answer (0022 sealed the answer itself: ``beyond``, an exceptional disclosure, says a ground
  of risk was recorded), the consent relied on, when and by whom it was logged (which family
  stays open until 0025). The statistics ledger's count of requests by day moves into its
  sealed months (storage/sealed_ledger.py), or the nth request's day could be matched to the
  nth row;
- when a consent to share contact details was given and withdrawn (whose it is stays open);
- of an assessment agreement, everything but its id: which agency (a social worker), which
  family, the dates it runs and ended;
- of a subject access request, everything but its id: whose record it is about, when it came,
  is due and was closed, whether it is open, when and by whom it was logged.

``dbs_checks.volunteer_id`` and ``incidents.family_id`` are NOT NULL (0003, 0004, 0008); a sealed
row keeps NULL there (a placeholder would have to name a record: foreign keys are on). As in
0018 and 0020 each CREATE text is rewritten in sqlite_schema with writable_schema on: dropping a
NOT NULL leaves every stored row valid, so nothing is rebuilt (row ids, and the values sealed
bound to them, stay as they are), the schema version is bumped and the file checked, all in the
migration's one transaction. With NULL there is no cascade: a volunteer's and a family's
disposal delete their checks and incidents themselves. The other columns take placeholders the
released CHECKs allow ('safeguarding' for an incident's kind, 'other' for an agency, 'open'
for a request's status, '' for both of an agreement's dates).

Sealing needs the seal key, which a migration does not hold: the marks below have the next
unlock by a Coordinator, Chair or the recovery key do it (storage/sealing.py ``seal_pending``:
rows sealed before a field joined the registry still hold it in their column; the summonses
get their four step rows, written again in order so that their ids do not tell which were
recorded first; the ledger's request counts move), then vacuum the file. Run again over a file
it has upgraded, it only sets the marks again (the next manager unlock then changes nothing).
"""

from __future__ import annotations

import re
from typing import Any

# (table, column): NOT NULL is dropped from the column's released declaration.
_NOT_NULL = (("dbs_checks", "volunteer_id"), ("incidents", "family_id"))


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
    if "private_sealed" not in [r[1] for r in conn.execute("PRAGMA table_info(incidents)")]:
        conn.execute("ALTER TABLE incidents ADD COLUMN private_sealed BLOB")
    # The indexes held which volunteer each check is for and which family each incident is about.
    conn.execute("DROP INDEX IF EXISTS dbs_checks_by_volunteer")
    conn.execute("DROP INDEX IF EXISTS incidents_by_family")
    for key in ("seal_pending", "summons_steps_pending", "ledger_seal_pending"):
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

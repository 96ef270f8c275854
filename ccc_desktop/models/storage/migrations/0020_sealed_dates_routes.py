"""Issue 12: what a Session volunteer's key still read of the records it may not see is sealed
(models/sealed.py, storage/sealed_ledger.py):

- a family's referral route;
- a DBS check's issue date (its sealed result stays bound to it: the result's context is built
  from the opened value);
- the statistics ledger's counts by referral route and by child's age band, which joined with a
  family's open referral dates gave the route away: they move to ``stats_sealed``, a month a row;
- of a witness summons, everything but its id: when it came and how, when it must be answered
  and was closed, which family, when and by whom it was logged (the hearing date and the rest
  were sealed by 0008 and 0017); of its steps, when and by whom each was done and recorded
  (which of the four steps were taken stays open: a summons takes each once); of a police
  visit, its family and when and by whom it was recorded.

The released CHECKs on ``families.referral_route`` and ``summonses.received_how`` (0003, 0005)
do not allow the '' a sealed row keeps in the column. As in 0018, each table's CREATE text is
rewritten in sqlite_schema with writable_schema on (every stored row stays valid, so nothing is
rebuilt: row ids, cascades, the name-index triggers and sealed rows bound to their ids stay as
they are), the schema version bumped and the file checked, all inside the migration's one
transaction. The indexes over the now sealed columns go.

Sealing the values needs the seal key, which a migration does not hold: the marks below have
the next unlock by a Coordinator, Chair or the recovery key do it (storage/sealing.py
``seal_pending``: rows sealed before a field joined the registry still hold it in their column;
ledger rows of the sealed events move into ``stats_sealed``), then vacuum the file. Run again
over a file it has already upgraded, it changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

# (table, column): the released CHECK lists the allowed values; '' is added to the list.
_CHECKS = (("families", "referral_route", "'other'"), ("summonses", "received_how", "'post'"))


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
    # The index held every issue date beside its volunteer; checks are ordered after opening.
    conn.execute("DROP INDEX IF EXISTS dbs_checks_by_volunteer")
    conn.execute("CREATE INDEX dbs_checks_by_volunteer ON dbs_checks (volunteer_id)")
    conn.execute("DROP INDEX IF EXISTS summonses_open")
    conn.execute("DROP INDEX IF EXISTS summonses_family")
    conn.execute("CREATE TABLE IF NOT EXISTS stats_sealed ("
                 " id     INTEGER PRIMARY KEY,"
                 " month  TEXT NOT NULL UNIQUE,"  # 'YYYY-MM'
                 " counts BLOB NOT NULL)")        # sealed JSON [[day, event, category, n], ...]
    for key in ("seal_pending", "ledger_seal_pending"):
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (key,))
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        changed = [_loosen(conn, *c) for c in _CHECKS]
        if any(changed):
            conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError("the records did not pass the integrity check: " + "; ".join(problems))

"""Issue 12: a family's referral route and a DBS check's issue date are sealed, and so are the
statistics ledger's counts by route and by child's age band (models/sealed.py, storage/
sealed_ledger.py). A Session volunteer's key then no longer tells how a family was referred,
when a volunteer's certificate was issued, or (joined with a family's open dates) either
through the ledger.

The released CHECK on ``families.referral_route`` (0003) does not allow the '' a sealed row
keeps in the column. As in 0018, the table's CREATE text is rewritten in sqlite_schema with
writable_schema on (every stored row stays valid, so nothing is rebuilt: families' row ids,
cascades, name-index triggers and sealed rows bound to their ids stay as they are), the schema
version bumped, and the file checked, all inside the migration's one transaction.

Sealing the values needs the seal key, which a migration does not hold: the marks below have
the next unlock by a Coordinator, Chair or the recovery key do it (storage/sealing.py
``seal_pending``: rows sealed before a field joined the registry still hold it in their column;
ledger rows of the sealed events move into ``stats_sealed``), and vacuum the file after.
"""

from __future__ import annotations

import re
from typing import Any

_TABLE = "type = 'table' AND name = 'families'"
_ROUTE_CHECK = re.compile(r"CHECK \(referral_route IN \(([^)]*)\)\)")


def _loosen_route_check(conn: Any) -> None:
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {_TABLE}").fetchone()[0]
    found = _ROUTE_CHECK.findall(sql)
    if len(found) != 1 or "'other'" not in found[0]:
        raise RuntimeError("the families table does not have the released referral_route check")
    new = _ROUTE_CHECK.sub(lambda m: f"CHECK (referral_route IN ({m.group(1)}, ''))", sql)
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {_TABLE}", (new,))
        conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def upgrade(conn: Any) -> None:
    # The index held every issue date beside its volunteer; checks are ordered after opening.
    conn.execute("DROP INDEX IF EXISTS dbs_checks_by_volunteer")
    conn.execute("CREATE INDEX dbs_checks_by_volunteer ON dbs_checks (volunteer_id)")
    conn.execute("CREATE TABLE stats_sealed ("
                 " id     INTEGER PRIMARY KEY,"
                 " month  TEXT NOT NULL UNIQUE,"  # 'YYYY-MM'
                 " counts BLOB NOT NULL)")        # sealed JSON [[day, event, category, n], ...]
    for key in ("seal_pending", "ledger_seal_pending"):
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (key,))
    _loosen_route_check(conn)
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError("the records did not pass the integrity check: " + "; ".join(problems))

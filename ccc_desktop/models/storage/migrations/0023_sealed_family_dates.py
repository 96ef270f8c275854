"""Issue 12: a family's referral dates and how its referral moved on are sealed
(models/sealed.py, the families entry), so a Session volunteer's key no longer reads them:

- the referral date, the referral status and the pre-visit day;
- when it was accepted, declined or closed, and why (a close reason such as "ended for
  safety"; the close note was sealed already);
- the row's own times: when it was created (the day the referral was typed in), last changed,
  and last used (the date retention counts from, moved by letters, disclosures and changes as
  well as attendance).

The statistics ledger's counts of referrals declined, withdrawn and closed, by reason, move into
the sealed months too (``storage/sealed_ledger.SEALED_EVENTS``): by day and reason they would
match a family's closing against anything else that dates it.

The released CHECK on ``families.referral_status`` (0003) does not allow the '' a sealed row
keeps in the column. As in 0018 and 0020, the table's CREATE text is rewritten in sqlite_schema
with writable_schema on (every stored row stays valid, so nothing is rebuilt: row ids, cascades,
the name-index triggers and sealed rows bound to their ids stay as they are), the schema version
bumped and the file checked, all inside the migration's one transaction. The two indexes over
the now sealed columns go: retention, the dashboard and the lists select and order on the opened
values in Python.

Sealing the values needs the seal key, which a migration does not hold: the marks below have the
next unlock by a Coordinator, Chair or the recovery key do it (storage/sealing.py
``seal_pending``: rows sealed before these fields joined the registry still hold them in their
columns; ledger rows of the sealed events move into ``stats_sealed``), then vacuum the file. Run
again over a file it has already upgraded, it changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

_TABLE = "type = 'table' AND name = 'families'"
_CHECK = re.compile(r"CHECK \(referral_status IN \(([^)]*)\)\)")


def _loosen(conn: Any) -> bool:
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {_TABLE}").fetchone()[0]
    found = _CHECK.findall(sql)
    if len(found) != 1 or "'closed'" not in found[0]:
        raise RuntimeError("the families table does not have the released referral_status check")
    if found[0].rstrip().endswith("''"):
        return False  # upgraded already
    new = _CHECK.sub(lambda m: f"CHECK (referral_status IN ({m.group(1)}, ''))", sql)
    conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {_TABLE}", (new,))
    return True


def upgrade(conn: Any) -> None:
    conn.execute("DROP INDEX IF EXISTS families_by_last_used")
    conn.execute("DROP INDEX IF EXISTS families_by_status")
    for key in ("seal_pending", "ledger_seal_pending"):
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

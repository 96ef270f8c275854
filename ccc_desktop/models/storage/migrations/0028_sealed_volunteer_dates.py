"""Issue 12: a volunteer's status and roles, start date, references, induction, safeguarding
training, the undertaking's version and date, when the policy was read and the court clause
acknowledged, when they resigned, and when the record was made and changed, were open to a
Session volunteer's key, whose sessions need none of them (the register and the rota show who
is on duty by name; a pause, which can follow a DBS result, showed). They join the registry's
row seal (models/sealed.py, the volunteers entry) in a new ``private_sealed`` blob.

The column of that name held, since 0004, the details the volunteers service seals itself
(address, phone, email, date of birth, notes, why they resigned). It is renamed
``details_sealed``; its values and their sealing context ('volunteers.private|<id>') are
unchanged, so nothing has to be opened here. What stays open: the name (who is on duty) and
the account link.

The values still in their columns are sealed at the next unlock by a Coordinator, Chair or the
recovery key (storage/sealing.py ``seal_pending``), which then compacts the file. Lists by
status and retention select in Python after opening, so the indexes by status and by
resignation date go. Run again over a file it has upgraded, it only sets the mark again.
"""

from __future__ import annotations

from typing import Any


def upgrade(conn: Any) -> None:
    columns = [r[1] for r in conn.execute("PRAGMA table_info(volunteers)")]
    if "details_sealed" not in columns:
        conn.execute("ALTER TABLE volunteers RENAME COLUMN private_sealed TO details_sealed")
        conn.execute("ALTER TABLE volunteers ADD COLUMN private_sealed BLOB")
    conn.execute("DROP INDEX IF EXISTS volunteers_by_status")
    conn.execute("DROP INDEX IF EXISTS volunteers_by_resignation")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01')")

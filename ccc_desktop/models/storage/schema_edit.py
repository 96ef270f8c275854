"""Steps the Python migrations share, from migration 0030 on: what SQLite's ALTER TABLE cannot
do (drop a NOT NULL), and the marks and checks around it.

Migrations 0018-0029 are released and keep their own copies of these steps: a change here must
never alter what an older migration did to a centre's file. Every step can run twice (a file a
migration has upgraded already is left as it is).
"""

from __future__ import annotations

import re
from typing import Any


def add_column(conn: Any, table: str, column: str, declared: str) -> None:
    # Names come from the migration's own text, never from the user.
    if column not in [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declared}")


def mark(conn: Any, *keys: str) -> None:
    """Work for the next unlock holding the seal key (storage/sealing.seal_pending)."""
    for key in keys:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (key,))


def drop_not_null(conn: Any, table: str, column: str) -> None:
    """``column INTEGER NOT NULL REFERENCES …`` loses its NOT NULL: a sealed row keeps NULL in a
    link column (foreign keys are on, so no placeholder id will do). The CREATE text is
    rewritten in sqlite_schema with writable_schema on and the schema version bumped; dropping
    a NOT NULL leaves every stored row valid, so nothing is rebuilt. The caller checks the file
    afterwards (``check``), inside the migration's one transaction."""
    where = "type = 'table' AND name = ?"
    sql = conn.execute(f"SELECT sql FROM sqlite_schema WHERE {where}", (table,)).fetchone()[0]
    declared = re.compile(rf"(\b{column}\s+INTEGER)\s+NOT NULL(\s+REFERENCES)")
    if not declared.search(sql):
        if re.search(rf"\b{column}\s+INTEGER\s+REFERENCES", sql):
            return  # upgraded already
        raise RuntimeError(f"the {table} table does not have the released {column} column")
    version = int(conn.execute("PRAGMA schema_version").fetchone()[0])
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(f"UPDATE sqlite_schema SET sql = ? WHERE {where}",
                     (declared.sub(r"\1\2", sql, count=1), table))
        conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def check(conn: Any) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise RuntimeError("the records did not pass the integrity check: " + "; ".join(problems))

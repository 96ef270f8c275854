"""SQL for the full export: every table's rows, sealed rows opened with the session's key."""

from __future__ import annotations

from typing import Any

from ccc_desktop.models.sealed import SEALED_TABLES
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.sealing import openable, select, wrap
from ccc_desktop.models.storage.statistics import LedgerStore

# Columns never exported as they are: sealed bytes (opened separately where they are data),
# blind indexes, and the search index.
HIDDEN = {"private_sealed", "outcome_sealed", "disclosed_sealed", "decision_sealed",
          "restricted_sealed", "details_sealed", "certificate_index", "content", "pdf", "sealed",
          "prev_hash", "hash", "subject_index", "owner_index", "family_index"}


class ExportStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def columns(self, table: str) -> list[str]:
        # The table name comes from the export's fixed list, never from the user.
        return [r["name"] for r in self.db.query(f"PRAGMA table_info({table})")]

    def rows(self, table: str) -> tuple[list[str], list[Any]]:
        if table == "stats_ledger":  # with its sealed part (counts by route and age band)
            cols = ["on_day", "event", "category", "amount"]
            return cols, [dict(zip(cols, r, strict=True)) for r in LedgerStore(self.db).all_rows()]
        cols = [c for c in self.columns(table) if c not in HIDDEN]
        extra = f", {select()}" if table in SEALED_TABLES else ""
        owner = SEALED_TABLES[table].owner_index if table in SEALED_TABLES else ""
        extra += f", {owner}" if owner else ""
        rows = self.db.query(f"SELECT {', '.join(cols)}{extra} FROM {table} ORDER BY 1")
        if table not in SEALED_TABLES:
            return cols, rows
        wrapped = wrap(self.db, table, rows)
        if table == "summons_steps":  # a summons has a row for each step; those done are listed
            wrapped = [r for r in wrapped if r["done_on"]]
        # A letter or attachment moved to another record in the file does not open: left out.
        return cols, (openable(wrapped) if SEALED_TABLES[table].owner else wrapped)

    def sealed_column(self, table: str, column: str) -> list[Any]:
        """The rows holding a column their service seals; in a table whose rows are sealed
        too, their other sealed fields open as they are read (an incident's family)."""
        if table not in SEALED_TABLES:
            return self.db.query(f"SELECT * FROM {table} WHERE {column} IS NOT NULL ORDER BY id")
        return wrap(self.db, table, self.db.query(
            f"SELECT *, {select()} FROM {table} WHERE {column} IS NOT NULL ORDER BY id"))

    def letter_ids(self) -> list[Any]:
        """Every letter that opens (its kind and subject are sealed), by id."""
        from ccc_desktop.models.storage.letters import LetterStore

        return list(LetterStore(self.db).all())

"""SQL for keeping and destroying records: the disposal log, the areas' retention queries,
the backup log and the counts a tested backup shows."""

from __future__ import annotations

from typing import Any

from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.legal import SummonsStore
from ccc_desktop.models.storage.sealing import ALL, seal_row, select, wrap
from ccc_desktop.models.storage.volunteers import DbsStore


class DisposalStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def new_batch(self, disposed_at: str, account_id: int, name: str, role: str) -> int:
        new_id = self.db.execute(
            "INSERT INTO disposal_batches (disposed_at, authorised_by, authorised_name, authorised_role) "
            "VALUES (?, ?, ?, ?)", (disposed_at, account_id, name, role))
        self.db.changed("disposal")
        return new_id

    def log(self, batch_id: int, reference: str, category: str, last_used: str,
            disposed_on: str, cleared: str = "") -> int:
        """``cleared``: what was cleared from other records (JSON, no names), sealed."""
        new_id = self.db.execute(
            "INSERT INTO disposal_log (batch_id, reference, category, last_used, disposed_on, "
            "cleared) VALUES (?, ?, ?, ?, ?, ?)",
            (batch_id, reference, category, last_used, disposed_on, cleared))
        seal_row(self.db, "disposal_log", new_id, ALL)
        self.db.execute("UPDATE disposal_batches SET record_count = record_count + 1 WHERE id = ?",
                        (batch_id,))
        self.db.changed("disposal")
        return new_id

    def mark_vacuumed(self, batch_id: int, at: str) -> None:
        self.db.execute("UPDATE disposal_batches SET vacuumed_at = ? WHERE id = ?", (at, batch_id))
        self.db.changed("disposal")

    def entry_keys(self) -> set[tuple[str, str, str]]:
        return {(r[0], r[1], r[2]) for r in self.db.query(
            "SELECT category, reference, disposed_on FROM disposal_log")}

    def copy_batch(self, batch: dict[str, Any]) -> int:
        """A batch carried over from another copy of the records (after a restore)."""
        return self.db.execute(
            "INSERT INTO disposal_batches (disposed_at, authorised_by, authorised_name, authorised_role, "
            "record_count, vacuumed_at) VALUES (?, ?, ?, ?, 0, ?)",
            (batch["disposed_at"], batch["authorised_by"], batch["authorised_name"],
             batch["authorised_role"], batch["vacuumed_at"]))

    def reinstate(self, category: str, reference: str, disposed_on: str, restored_at: str) -> None:
        self.db.execute(
            "INSERT INTO disposal_reinstated (reference, category, disposed_on, restored_at) "
            "VALUES (?, ?, ?, ?)", (reference, category, disposed_on, restored_at))
        self.db.changed("disposal")

    def reinstated(self) -> dict[tuple[str, str], str]:
        return {(r["category"], r["reference"]): r["disposed_on"] for r in self.db.query(
            "SELECT category, reference, max(disposed_on) AS disposed_on FROM disposal_reinstated "
            "GROUP BY category, reference")}

    def clear_reinstated(self, category: str, reference: str) -> None:
        self.db.execute("DELETE FROM disposal_reinstated WHERE category = ? AND reference = ?",
                        (category, reference))

    def unvacuumed(self) -> list[int]:
        return [int(r[0]) for r in self.db.query(
            "SELECT id FROM disposal_batches WHERE vacuumed_at IS NULL ORDER BY id")]

    def batch(self, batch_id: int) -> Row | None:
        return self.db.query_one("SELECT * FROM disposal_batches WHERE id = ?", (batch_id,))

    def batches(self) -> list[Row]:
        return self.db.query("SELECT * FROM disposal_batches ORDER BY id DESC")

    _ENTRY = ("SELECT l.id, l.batch_id, l.reference, l.category, l.last_used, l.disposed_on, "
              "l.cleared, b.authorised_name, b.authorised_role, " + select("l") + " "
              "FROM disposal_log l JOIN disposal_batches b ON b.id = l.batch_id ")

    def entries(self, batch_id: int | None = None) -> list[Row]:
        """The log's lines; ``cleared`` opens with the seal key, the rest reads without."""
        if batch_id is None:
            return wrap(self.db, "disposal_log", self.db.query(self._ENTRY + "ORDER BY l.id DESC"))
        return wrap(self.db, "disposal_log", self.db.query(
            self._ENTRY + "WHERE l.batch_id = ? ORDER BY l.id", (batch_id,)))


class BackupLogStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, made_at: str, name: str, size: int, account_id: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO backup_log (made_at, name, size_bytes, made_by) VALUES (?, ?, ?, ?)",
            (made_at, name, size, account_id))
        self.db.changed("backups")
        return new_id

    def last(self) -> Row | None:
        return self.db.query_one("SELECT * FROM backup_log ORDER BY made_at DESC, id DESC LIMIT 1")

    def recent(self, limit: int = 20) -> list[Row]:
        return self.db.query("SELECT * FROM backup_log ORDER BY made_at DESC, id DESC LIMIT ?", (limit,))

    def names(self) -> set[str]:
        """Every backup this vault has made: rotation only ever removes one of these."""
        return {r["name"] for r in self.db.query("SELECT name FROM backup_log")}

    def disposal_dates(self) -> list[str]:
        return [r["disposed_at"] for r in self.db.query("SELECT disposed_at FROM disposal_batches")]


# What "Test a backup" counts in the copy it opened: (label, table). Constant names only.
COUNTED_TABLES = (("families", "families"), ("adults", "family_adults"),
                  ("children", "family_children"), ("bookings", "bookings"),
                  ("volunteers", "volunteers"), ("DBS checks", "dbs_checks"),
                  ("letters", "letters"), ("audit entries", "audit_log"))


def record_counts(db: Database) -> dict[str, int]:
    return {label: int(db.scalar(f"SELECT count(*) FROM {table}") or 0)
            for label, table in COUNTED_TABLES}


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


class AreaRetentionStore:
    """Retention queries over the areas' tables (volunteers 0004, summonses 0005).

    The placeholders are built from a count, never from values; ids are always parameters.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def resigned_volunteers(self, cutoff: str, volunteer_id: int | None = None) -> list[Any]:
        """Resigned on or before ``cutoff``, by date: status and date are sealed (migration
        0028), so the volunteers (tens) are opened and selected here."""
        rows = wrap(self.db, "volunteers", self.db.query(
            f"SELECT id, full_name, status, resigned_on, {select()} FROM volunteers "  # noqa: S608
            "WHERE (? IS NULL OR id = ?)", (volunteer_id, volunteer_id)))
        return sorted((r for r in rows if r["status"] == "resigned" and r["resigned_on"]
                       and r["resigned_on"] <= cutoff), key=lambda r: (r["resigned_on"], r["id"]))

    def volunteers_served_open_summons(self, ids: list[int]) -> set[int]:
        """Who was served, and whether a summons is open, are sealed: the summonses (few) are
        opened and compared here."""
        served = SummonsStore(self.db).served_on_open()
        served.discard("")
        if not served:
            return set()
        found: set[int] = set()
        for chunk in _chunks(ids):
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(f"SELECT id, full_name FROM volunteers WHERE id IN ({marks})",  # noqa: S608
                                 chunk)
            found.update(int(r[0]) for r in rows if r[1].strip().casefold() in served)
        return found

    def volunteers_with_enabled_accounts(self, ids: list[int]) -> set[int]:
        found: set[int] = set()
        for chunk in _chunks(ids):
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(
                "SELECT v.id FROM volunteers v JOIN accounts a ON a.id = v.account_id "
                f"WHERE a.enabled = 1 AND v.id IN ({marks})", chunk)
            found.update(int(r[0]) for r in rows)
        return found

    def families_with_open_summons(self, ids: list[int]) -> set[int]:
        """Which family, and whether open, are sealed: the summonses (few) are opened once."""
        return SummonsStore(self.db).families_with_open() & set(ids)

    def volunteer_name(self, volunteer_id: int) -> str:
        return str(self.db.scalar("SELECT full_name FROM volunteers WHERE id = ?", (volunteer_id,))
                   or "")

    def volunteer_account(self, volunteer_id: int) -> int | None:
        found = self.db.scalar("SELECT account_id FROM volunteers WHERE id = ?", (volunteer_id,))
        return int(found) if found is not None else None

    def volunteer_row_counts(self, volunteer_id: int) -> dict[str, int]:
        return {
            "volunteers": int(self.db.scalar("SELECT count(*) FROM volunteers WHERE id = ?", (volunteer_id,))),
            "dbs_checks": len(DbsStore(self.db).ids_for(volunteer_id)),
            "rota": int(self.db.scalar("SELECT count(*) FROM rota WHERE volunteer_id = ?", (volunteer_id,))),
        }

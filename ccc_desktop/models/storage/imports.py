"""SQL for the import history, its items, saved column mappings, and the facts the import's
duplicate check compares against."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ccc_desktop.models.storage.audit import AuditStore
from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.family_reviews import ReviewStore
from ccc_desktop.models.storage.family_rows import ConsentStore, DisclosureStore, IncidentStore
from ccc_desktop.models.storage.sealing import ALL, seal_row, select, wrap, wrap_one

_B_COLUMNS = ("id, kind, file_name, checksum, imported_at, account_id, actor, audit_id, created, "
              "merged, skipped, left_out, undone_at, undone_by")


class ImportStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- history -------------------------------------------------------------------------
    def insert_batch(self, values: dict[str, Any]) -> int:
        cols = ("kind", "file_name", "checksum", "imported_at", "account_id", "actor", "audit_id",
                "created", "merged", "skipped", "left_out")
        new_id = self.db.execute(
            f"INSERT INTO import_batches ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [values[c] for c in cols])
        seal_row(self.db, "import_batches", new_id, ALL)
        self.db.changed("imports")
        return new_id

    def set_audit_id(self, batch_id: int, audit_id: int) -> None:
        self.db.execute("UPDATE import_batches SET audit_id = ? WHERE id = ?", (audit_id, batch_id))

    def add_items(self, batch_id: int, items: Sequence[tuple[str, int, str, int]]) -> None:
        self.db.executemany(
            "INSERT INTO import_items (batch_id, seq, record_type, record_id, owner_type, owner_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(batch_id, i, *item) for i, item in enumerate(items)])

    # Everything but the id and the audit entry's id is sealed (issue 12, migration 0026): the
    # file's name (which may name a family) and checksum, its kind, counts, when and by whom.
    def batches(self) -> list[Any]:
        return wrap(self.db, "import_batches", self.db.query(
            f"SELECT {_B_COLUMNS}, {select()} FROM import_batches ORDER BY id DESC"))

    def batch(self, batch_id: int) -> Any:
        return wrap_one(self.db, "import_batches", self.db.query_one(
            f"SELECT {_B_COLUMNS}, {select()} FROM import_batches WHERE id = ?", (batch_id,)))

    def items(self, batch_id: int) -> list[Row]:
        return self.db.query(
            "SELECT record_type, record_id, owner_type, owner_id FROM import_items "
            "WHERE batch_id = ? ORDER BY seq", (batch_id,))

    def mark_undone(self, batch_id: int, at: str, by: str) -> None:
        self.db.execute("UPDATE import_batches SET undone_at = ?, undone_by = ? WHERE id = ?",
                        (at, by, batch_id))
        seal_row(self.db, "import_batches", batch_id, ("undone_at", "undone_by"))
        self.db.changed("imports")

    def edited_owners(self, batch_id: int, after_audit_id: int) -> list[Row]:
        """Records of the batch with an audit entry after the import's own that is not a mere
        opening (an edit, a booking, a letter, a status change)."""
        # Audit entries are sealed (storage/audit.py): the newer ones open and match here.
        owners = {(r[0], int(r[1])) for r in self.db.query(
            "SELECT owner_type, owner_id FROM import_items WHERE batch_id = ?", (batch_id,))}
        found: dict[tuple[str, int], None] = {}
        for e in AuditStore(self.db).iter_all(after=after_audit_id):
            if e.action.endswith("opened") or not e.record_id.lstrip("-").isdigit():
                continue
            key = (e.record_type, int(e.record_id))
            if key in owners:
                found[key] = None
        return [{"owner_type": t, "owner_id": i} for t, i in found]

    def family_in_use(self, family_id: int) -> bool:
        """Anything held about the family besides what an import writes."""
        from ccc_desktop.models.storage.letters import LetterStore

        if LetterStore(self.db).ids_for([("family", family_id)]):
            return True
        return bool(self.db.scalar(
            "SELECT count(*) FROM bookings WHERE family_id = ?", (family_id,))) \
            or bool(ReviewStore(self.db).ids_for([family_id])) or any(
                # which family these are about is sealed: opened
                store(self.db).ids_for(family_id)
                for store in (ConsentStore, DisclosureStore, IncidentStore))

    def session_in_use(self, session_id: int) -> bool:
        return bool(self.db.scalar(
            "SELECT (SELECT count(*) FROM bookings WHERE session_id = ?) + "
            "(SELECT count(*) FROM rota WHERE session_id = ?) + "
            "(SELECT count(*) FROM sessions WHERE id = ? AND (finalised_at IS NOT NULL "
            "OR notes != ''))", (session_id, session_id, session_id)))

    def exists(self, record_type: str, record_id: int) -> bool:
        table = {"family": "families", "adult": "family_adults", "child": "family_children",
                 "volunteer": "volunteers", "dbs_check": "dbs_checks", "session": "sessions"}[record_type]
        return bool(self.db.scalar(f"SELECT count(*) FROM {table} WHERE id = ?", (record_id,)))

    def delete_session(self, session_id: int) -> None:
        self.db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        self.db.changed("sessions", "register")

    def delete_dbs_check(self, check_id: int) -> None:
        self.db.execute("DELETE FROM dbs_checks WHERE id = ?", (check_id,))
        self.db.changed("dbs")

    # ---- mappings ------------------------------------------------------------------------
    def mapping(self, kind: str) -> dict[str, str]:
        return {r["header"]: r["field"] for r in self.db.query(
            "SELECT header, field FROM import_mappings WHERE kind = ?", (kind,))}

    def save_mapping(self, kind: str, pairs: Iterable[tuple[str, str]], now: str) -> None:
        self.db.executemany(
            "INSERT INTO import_mappings (kind, header, field, saved_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, header) DO UPDATE SET field = excluded.field, "
            "saved_at = excluded.saved_at", [(kind, h, f, now) for h, f in pairs])

    # ---- what the duplicate check compares with -------------------------------------------
    def family_children(self) -> list[Any]:
        # Dates of birth are sealed: the rows open them (the caller holds the seal key).
        return wrap(self.db, "family_children", self.db.query(
            f"SELECT {select('c')}, c.family_id, c.full_name, c.date_of_birth, f.reference "
            "FROM family_children c JOIN families f ON f.id = c.family_id"))

    def family_phones(self) -> list[Any]:
        rows = wrap(self.db, "family_adults", self.db.query(
            f"SELECT {select('a')}, a.family_id, a.phone, f.reference FROM family_adults a "
            "JOIN families f ON f.id = a.family_id"))
        return [r for r in rows if r["phone"]]

    def family_people(self, family_id: int) -> tuple[list[Row], list[Row]]:
        return (self.db.query("SELECT full_name FROM family_adults WHERE family_id = ?", (family_id,)),
                wrap(self.db, "family_children", self.db.query(
                    f"SELECT full_name, date_of_birth, {select()} FROM family_children "
                    "WHERE family_id = ?", (family_id,))))

    def certificates(self) -> list[Any]:
        return wrap(self.db, "dbs_checks", self.db.query(
            f"SELECT {select()}, volunteer_id, certificate_number FROM dbs_checks"))

    def sessions_on(self, dates: Sequence[str]) -> list[Row]:
        marks = ", ".join("?" for _ in dates)
        return self.db.query(
            f"SELECT id, session_date, start_time FROM sessions WHERE session_date IN ({marks})",
            list(dates))

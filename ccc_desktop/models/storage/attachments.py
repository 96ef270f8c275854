"""SQL for attachments. Everything but the id is sealed by ``seal_row`` like every table in
``models/sealed.SEALED_TABLES`` (the name and bytes, and since migration 0022 whose it is, its
media type, size, when and by whom it was added); rows read back open lazily with the session's
seal key. A record's attachments are found by the blind index of their owner
(``owner_index``)."""

from __future__ import annotations

from collections.abc import Iterable

from ccc_desktop.models.records import Shown
from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.sealing import (
    ALL,
    open_binary,
    openable,
    owner_where,
    seal_row,
    select,
    wrap,
    wrap_one,
)

_LIST = "id, owner_type, owner_id, media_type, size, added_at, added_by, file_name, owner_index"
OWNER_TABLES = {"family": "families", "referral": "families", "volunteer": "volunteers",
                "summons": "summonses"}


class AttachmentStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, owner_type: str, owner_id: int, name: str, media_type: str, data: bytes,
               now: str, account_id: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO attachments (owner_type, owner_id, media_type, size, added_at, added_by, "
            "file_name, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (owner_type, owner_id, media_type, len(data), now, account_id, name, data))
        seal_row(self.db, "attachments", new_id, ALL)
        self.db.changed("attachments")
        return new_id

    def _query(self, owners: Iterable[tuple[str, int]]) -> list[Row]:
        where, params = owner_where(self.db, "attachments", owners)
        # The clause is built from the registry's column names; values are parameters.
        return self.db.query(f"SELECT {_LIST}, {select()} FROM attachments "  # noqa: S608
                             f"WHERE {where} ORDER BY id", params)

    def for_owner(self, owner_type: str, owner_id: int) -> Shown[Row]:
        """The record's attachments; one moved here from another record in the file does not
        open and is left out (counted in ``hidden``)."""
        return openable(wrap(self.db, "attachments", self._query([(owner_type, owner_id)])))

    def for_owners(self, owners: list[tuple[str, int]]) -> list[Row]:
        out: list[Row] = []
        for owner_type, owner_id in owners:
            out += self.for_owner(owner_type, owner_id)
        return out

    def ids_for(self, owners: Iterable[tuple[str, int]]) -> frozenset[int]:
        """The ids of the attachments of any of ``owners`` (by index, nothing opened)."""
        return frozenset(int(r["id"]) for r in self._query(owners))

    def all(self) -> Shown[Row]:
        """Every attachment that opens, by owner (opened) and id."""
        rows = openable(wrap(self.db, "attachments", self.db.query(
            f"SELECT {_LIST}, {select()} FROM attachments ORDER BY id")))
        out: Shown[Row] = Shown(sorted(rows, key=lambda r: (r["owner_type"], r["owner_id"], r["id"])))
        out.hidden = rows.hidden
        return out

    def get(self, attachment_id: int) -> Row | None:
        return wrap_one(self.db, "attachments", self.db.query_one(
            f"SELECT {_LIST}, {select()} FROM attachments WHERE id = ?", (attachment_id,)))

    def content(self, attachment_id: int) -> bytes | None:
        return open_binary(self.db, "attachments", "content", attachment_id)

    def delete(self, attachment_id: int) -> None:
        self.db.execute("DELETE FROM attachments WHERE id = ?", (attachment_id,))
        self.db.changed("attachments")

    def delete_for(self, owner_types: tuple[str, ...], owner_id: int) -> int:
        """With the record they belong to (disposal); returns how many."""
        return self.delete_owned([(t, owner_id) for t in owner_types])

    def delete_owned(self, owners: Iterable[tuple[str, int]]) -> int:
        where, params = owner_where(self.db, "attachments", owners)
        # The clause is built from the registry's column names; values are parameters.
        n = int(self.db.scalar(f"SELECT count(*) FROM attachments WHERE {where}", params))  # noqa: S608
        if n:
            self.db.execute(f"DELETE FROM attachments WHERE {where}", params)  # noqa: S608
            self.db.changed("attachments")
        return n

    def owner_exists(self, owner_type: str, owner_id: int) -> bool:
        table = OWNER_TABLES[owner_type]
        return bool(self.db.scalar(f"SELECT count(*) FROM {table} WHERE id = ?", (owner_id,)))

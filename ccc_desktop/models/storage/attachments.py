"""SQL for attachments. The name and the bytes are sealed by ``seal_row`` like every table in
``models/sealed.SEALED_TABLES``; rows read back open lazily with the session's seal key."""

from __future__ import annotations

from ccc_desktop.models.records import Shown
from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.sealing import (
    ALL,
    open_binary,
    openable,
    seal_row,
    select,
    wrap,
    wrap_one,
)

_LIST = "id, owner_type, owner_id, media_type, size, added_at, added_by, file_name"
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

    def for_owner(self, owner_type: str, owner_id: int) -> Shown[Row]:
        """The record's attachments; one moved here from another record in the file does not
        open and is left out (counted in ``hidden``)."""
        return openable(wrap(self.db, "attachments", self.db.query(
            f"SELECT {_LIST}, {select()} FROM attachments WHERE owner_type = ? AND owner_id = ? "
            "ORDER BY id", (owner_type, owner_id))))

    def for_owners(self, owners: list[tuple[str, int]]) -> list[Row]:
        out: list[Row] = []
        for owner_type, owner_id in owners:
            out += self.for_owner(owner_type, owner_id)
        return out

    def all(self) -> Shown[Row]:
        return openable(wrap(self.db, "attachments", self.db.query(
            f"SELECT {_LIST}, {select()} FROM attachments ORDER BY owner_type, owner_id, id")))

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
        marks = ", ".join("?" for _ in owner_types)
        n = int(self.db.scalar(
            f"SELECT count(*) FROM attachments WHERE owner_type IN ({marks}) AND owner_id = ?",
            (*owner_types, owner_id)))
        if n:
            self.db.execute(
                f"DELETE FROM attachments WHERE owner_type IN ({marks}) AND owner_id = ?",
                (*owner_types, owner_id))
            self.db.changed("attachments")
        return n

    def owner_exists(self, owner_type: str, owner_id: int) -> bool:
        table = OWNER_TABLES[owner_type]
        return bool(self.db.scalar(f"SELECT count(*) FROM {table} WHERE id = ?", (owner_id,)))

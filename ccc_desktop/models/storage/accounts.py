"""SQL for staff accounts."""

from __future__ import annotations

from ccc_desktop.models.records import Account
from ccc_desktop.models.roles import Role
from ccc_desktop.models.storage.database import Database, Row

_COLUMNS = ("id, username, display_name, role, slot_id, enabled, must_change_passphrase, "
            "created_at, last_login_at, seal_mac, removed_at")


def _account(row: Row) -> Account:
    return Account(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        slot_id=row["slot_id"],
        enabled=bool(row["enabled"]),
        must_change_passphrase=bool(row["must_change_passphrase"]),
        created_at=row["created_at"],
        last_login_at=row["last_login_at"],
        seal_mac=row["seal_mac"],
        removed_at=row["removed_at"],
    )


class AccountStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[Account]:
        return [_account(r) for r in self.db.query(f"SELECT {_COLUMNS} FROM accounts ORDER BY display_name COLLATE NOCASE")]

    def get(self, account_id: int) -> Account | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM accounts WHERE id = ?", (account_id,))
        return _account(row) if row else None

    def by_slot(self, slot_id: str) -> Account | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM accounts WHERE slot_id = ?", (slot_id,))
        return _account(row) if row else None

    def by_username(self, username: str) -> Account | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM accounts WHERE username = ?", (username.strip(),))
        return _account(row) if row else None

    def count_enabled(self, roles: tuple[Role, ...]) -> int:
        marks = ",".join("?" for _ in roles)
        return int(self.db.scalar(
            f"SELECT count(*) FROM accounts WHERE enabled = 1 AND role IN ({marks})",
            [r.value for r in roles],
        ))

    def insert(self, username: str, display_name: str, role: Role, slot_id: str,
               created_at: str, must_change: bool) -> int:
        new_id = self.db.execute(
            "INSERT INTO accounts (username, display_name, role, slot_id, created_at, "
            "must_change_passphrase) VALUES (?, ?, ?, ?, ?, ?)",
            (username.strip(), display_name.strip(), role.value, slot_id, created_at, int(must_change)),
        )
        self.db.changed("accounts")
        return new_id

    def update(self, account_id: int, **fields: object) -> None:
        allowed = {"username", "display_name", "role", "slot_id", "enabled", "must_change_passphrase", "last_login_at",
                   "seal_mac", "removed_at"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"unknown account fields: {set(fields) - allowed}")
        # Column names come from the allow-list above, never from the user.
        assignments = ", ".join(f"{name} = ?" for name in fields)
        values = [v.value if isinstance(v, Role) else v for v in fields.values()]
        self.db.execute(f"UPDATE accounts SET {assignments} WHERE id = ?", [*values, account_id])  # noqa: S608
        self.db.changed("accounts")

"""Small key/value tables: vault metadata (binary) and settings (JSON)."""

from __future__ import annotations

import json
from typing import Any

from ccc_desktop.models.storage.database import Database


class MetaStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str) -> bytes | None:
        value = self.db.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else bytes(value)

    def put(self, key: str, value: bytes) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def with_prefix(self, prefix: str) -> dict[str, bytes]:
        rows = self.db.query("SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?",
                             (len(prefix), prefix))
        return {r["key"]: bytes(r["value"]) for r in rows}

    def delete(self, key: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", (key,))


class SettingsStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, key: str, default: Any = None) -> Any:
        value = self.db.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else json.loads(value)

    def all(self) -> dict[str, Any]:
        return {r["key"]: json.loads(r["value"]) for r in self.db.query("SELECT key, value FROM settings")}

    def put(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )
        self.db.changed("settings")

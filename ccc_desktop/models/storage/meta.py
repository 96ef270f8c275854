"""Small key/value tables: vault metadata (binary) and settings (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.storage.database import Database

CENTRE_KEY = "centre"


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


# ---- the centre's own details (the letterhead), kept in the settings ------------------------
def save_centre_details(settings: SettingsStore, centre: CentreDetails) -> None:
    settings.put(CENTRE_KEY, {k: (v.strip() if isinstance(v, str) else v) for k, v in asdict(centre).items()})


def load_centre_details(settings: SettingsStore) -> CentreDetails:
    raw = settings.get(CENTRE_KEY, {}) or {}
    known = {f.name for f in fields(CentreDetails)}
    return CentreDetails(**{k: v for k, v in raw.items() if k in known})

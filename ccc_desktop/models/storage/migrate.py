"""Numbered schema migrations, one transaction each, with an encrypted backup taken first.

A migration is an SQL script (``NNNN_name.sql``) or, for the rare change SQL alone cannot make
(one that needs a value read from the file first), a Python module (``NNNN_name.py``) with an
``upgrade(conn)`` function; both run inside the same single transaction.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ccc_desktop.models.errors import MigrationFailed, StorageError
from ccc_desktop.models.fileio import atomic_copy, private_file
from ccc_desktop.models.storage.database import Database

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(sql|py)$")
_PACKAGE = "ccc_desktop.models.storage.migrations"


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str
    upgrade: Callable[[Any], None] | None = None  # a Python migration: upgrade(connection)


def shipped_migrations() -> list[Migration]:
    found = []
    for entry in resources.files(_PACKAGE).iterdir():
        m = _NAME.match(entry.name)
        if m and m.group(3) == "sql":
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text("utf-8")))
        elif m:
            found.append(Migration(int(m.group(1)), m.group(2), "", _load_upgrade(entry)))
    found.sort(key=lambda mig: mig.number)
    numbers = [mig.number for mig in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {numbers}")
    return found


def _load_upgrade(entry: Any) -> Callable[[Any], None]:
    """A Python migration's ``upgrade``, loaded from its file: in the bundle the migrations
    sit as data files beside the SQL ones (build.spec), where no import would find them."""
    name = f"{_PACKAGE}.m{entry.name[:-3]}"
    spec = importlib.util.spec_from_file_location(name, str(entry))
    if spec is None or spec.loader is None:
        raise RuntimeError(f"migration {entry.name} cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    upgrade: Callable[[Any], None] = module.upgrade
    return upgrade


def latest_version() -> int:
    return len(shipped_migrations())


def backup_before_migration(db: Database, extra_files: list[Path], backup_dir: Path,
                            from_version: int) -> Path:
    """Copy the (already encrypted) file and its key file; returns the backup's folder."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backup_dir / f"before-upgrade-from-v{from_version}-{stamp}"
    n = 1
    while target.exists():
        n += 1
        target = backup_dir / f"before-upgrade-from-v{from_version}-{stamp}-{n}"
    db.rollback_if_open()
    atomic_copy(db.path, target / db.path.name, "the backup taken before the upgrade")
    for f in extra_files:
        if f.exists():
            shutil.copy2(f, target / f.name)
            private_file(target / f.name)
    return target


def migrate(db: Database, backup_dir: Path, extra_files: list[Path] | None = None,
            migrations: list[Migration] | None = None) -> Path | None:
    """Bring the schema up to date. Returns the backup folder if one was taken."""
    migrations = shipped_migrations() if migrations is None else migrations
    current = db.user_version()
    pending = [m for m in migrations if m.number > current]
    if current > (migrations[-1].number if migrations else 0):
        raise MigrationFailed(
            "These records were saved by a newer version of CCC Desktop. Install that version "
            "to open them."
        )
    if not pending:
        return None
    backup = None
    if current > 0:
        backup = backup_before_migration(db, extra_files or [], backup_dir, current)
    for mig in pending:
        script = f"BEGIN IMMEDIATE;\n{mig.sql}\n;PRAGMA user_version = {mig.number};\nCOMMIT;"
        try:
            if mig.upgrade is not None:
                db.run_migration(mig.upgrade, mig.number)
            else:
                db.run_script(script)
        except Exception as exc:
            db.rollback_if_open()
            where = f" A copy from before the upgrade is in {backup}." if backup else ""
            if isinstance(exc, StorageError):
                raise
            raise MigrationFailed(
                f"Upgrading the records to version {mig.number} ({mig.name}) failed, so nothing "
                f"was changed.{where}"
            ) from exc
    return backup

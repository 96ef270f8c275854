"""The copies the program itself keeps in ``backups/`` (before an upgrade, before a restore).

Each holds every record as it was, so a disposal is complete only when they have gone: they
are deleted ``keep_days`` after they were made (a setting, 90 days unless changed), at each
unlock, and the disposal certificate says by which date the last one holding the disposed
records will be gone. Other kinds of copy (a user's backups elsewhere) are not touched here;
``prune`` is one small function the backup rotation can call too.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

PREFIXES = ("before-upgrade-", "before-restore-")
SETTING = "managed_copies_keep_days"
DEFAULT_KEEP_DAYS = 90


def copies(backups: Path) -> list[tuple[Path, datetime]]:
    """(folder, when it was made) for each managed copy, oldest first."""
    if not backups.is_dir():
        return []
    found = [(p, datetime.fromtimestamp(p.stat().st_mtime)) for p in backups.iterdir()
             if p.is_dir() and p.name.startswith(PREFIXES)]
    return sorted(found, key=lambda pm: pm[1])


def prune(backups: Path, now: datetime, keep_days: int = DEFAULT_KEEP_DAYS) -> list[str]:
    """Delete the managed copies made more than ``keep_days`` before ``now``; their names."""
    gone = []
    for folder, made in copies(backups):
        if made <= now - timedelta(days=keep_days):
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                gone.append(folder.name)
    return gone


def last_gone_by(backups: Path, on: date, keep_days: int = DEFAULT_KEEP_DAYS) -> date | None:
    """By which date the newest managed copy made on or before ``on`` (one that may hold what
    was disposed of that day) will have been deleted; None when there is none."""
    held = [made for _p, made in copies(backups) if made.date() <= on]
    return (max(held) + timedelta(days=keep_days)).date() if held else None

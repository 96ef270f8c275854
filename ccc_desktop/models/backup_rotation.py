"""Which backups to keep: generations (daily, weekly, monthly) and the disposal promise.

Pure functions over backup names and dates, so the rule is tested without a disk.
A backup that holds a disposed record is never kept longer than the disposal copy period after
the disposal, whatever its generation: the disposal certificate states that date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

NAME = re.compile(r"^CCC-backup-(\d{8})-(\d{6})(?:-\d+)?$")


@dataclass(frozen=True)
class RotationPolicy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    # A backup made before a disposal is removed this many days after it at the latest.
    disposal_copy_days: int = 90

    def describe(self) -> str:
        return (f"the newest backup of each of the last {self.daily} days, {self.weekly} weeks "
                f"and {self.monthly} months")


def made_at(name: str) -> datetime | None:
    m = NAME.match(name)
    if not m:
        return None
    try:
        return datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def generations(stamps: Iterable[datetime], policy: RotationPolicy) -> set[datetime]:
    """The backups to keep by generation: the newest of each day, ISO week and month, for the
    most recent ``daily`` days, ``weekly`` weeks and ``monthly`` months that have a backup."""
    ordered = sorted(set(stamps), reverse=True)
    keep: set[datetime] = set()
    for count, bucket in ((policy.daily, lambda d: d.date()),
                          (policy.weekly, lambda d: d.isocalendar()[:2]),
                          (policy.monthly, lambda d: (d.year, d.month))):
        seen: list[object] = []
        for stamp in ordered:
            key = bucket(stamp)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            keep.add(stamp)
    return keep


def to_remove(names: Iterable[str], policy: RotationPolicy, today: date,
              disposals: Iterable[date] = ()) -> list[str]:
    """Names of managed backups to remove now. Names that are not backups are never touched."""
    dated = {name: stamp for name in names if (stamp := made_at(name)) is not None}
    keep = generations(dated.values(), policy)
    # Backups made in the same second share a stamp and are kept or removed together.
    expired = [d for d in disposals if today >= d + timedelta(days=policy.disposal_copy_days)]
    out = []
    for name, stamp in sorted(dated.items(), key=lambda kv: kv[1]):
        holds_disposed = any(stamp.date() <= d for d in expired)
        if stamp not in keep or holds_disposed:
            out.append(name)
    return out


def gone_by(disposed_on: date, policy: RotationPolicy) -> date:
    """The date by which no managed backup holds a record disposed of on ``disposed_on``."""
    return disposed_on + timedelta(days=policy.disposal_copy_days)

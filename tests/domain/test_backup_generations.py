"""Backups keep generations, prune the rest (never a folder they did not make), respect the
disposal promise, and can be tested without touching the live records."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ccc_desktop.models.backup_rotation import RotationPolicy, gone_by, made_at, to_remove
from ccc_desktop.models.errors import PermissionDenied, ValidationError, WrongPassphrase
from ccc_desktop.models.services.backup import BackupSettings
from ccc_desktop.models.vault import DB_NAME
from conftest import COORDINATOR


def _name(at: datetime) -> str:
    return at.strftime("CCC-backup-%Y%m%d-%H%M%S")


def test_generations_keep_newest_of_each_day_week_and_month() -> None:
    start = datetime(2026, 1, 1, 17, 0)
    names = [_name(start + timedelta(days=d, hours=h)) for d in range(400) for h in (0, 1)]
    removed = set(to_remove(names, RotationPolicy(daily=7, weekly=4, monthly=12),
                            date(2027, 2, 5)))
    kept = sorted((made_at(n) for n in names if n not in removed), reverse=True)
    # The newest of each of the last 7 days (the later of each day's two backups) ...
    assert kept[:7] == [start + timedelta(days=d, hours=1) for d in range(399, 392, -1)]
    # ... at most 7 + 4 + 12 in all, and one per month for the last twelve months.
    assert len(kept) <= 23
    assert len({(k.year, k.month) for k in kept}) == 12
    assert all(k.hour == 18 for k in kept)  # never the earlier backup of a day


def test_names_that_are_not_backups_are_never_removed() -> None:
    names = ["Holiday photos", "CCC-backup-notadate", "CCC-backup-20260101-000000"]
    assert to_remove(names, RotationPolicy(daily=1, weekly=0, monthly=0), date(2026, 2, 1)) == []


def test_a_backup_holding_disposed_records_goes_after_the_copy_period() -> None:
    policy = RotationPolicy(daily=7, weekly=4, monthly=12, disposal_copy_days=90)
    names = [_name(datetime(2026, m, 1, 9)) for m in range(1, 12)]
    disposed = date(2026, 6, 15)
    assert gone_by(disposed, policy) == date(2026, 9, 13)
    assert to_remove(names, policy, date(2026, 9, 12), [disposed]) == []
    gone = to_remove(names, policy, date(2026, 9, 13), [disposed])
    assert gone == [_name(datetime(2026, m, 1, 9)) for m in range(1, 7)]


def test_backing_up_rotates_the_folder_and_leaves_foreign_folders(coordinator, clock,
                                                                  tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    foreign = stick / "CCC-backup-20200101-000000"  # looks like one, but this vault never made it
    foreign.mkdir()
    (stick / "letters to keep").mkdir()
    coordinator.backup.save_settings(BackupSettings(RotationPolicy(daily=3, weekly=0, monthly=0)))
    made = []
    for _ in range(5):
        made.append(coordinator.backup.backup(stick).name)
        clock.advance(days=1)
    left = sorted(p.name for p in stick.iterdir())
    assert left == sorted([*made[-3:], foreign.name, "letters to keep"])
    assert coordinator.backup.settings().folder == str(stick)
    entries = coordinator.audit.entries(coordinator.session.actor, "old backups removed")
    assert entries and "generations" in entries[0].detail


def test_rotation_tidies_a_removal_a_crash_interrupted(coordinator, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    half = stick / ".CCC-backup-20260101-000000.removing"
    half.mkdir()
    (half / DB_NAME).write_bytes(b"x" * 100)
    coordinator.backup.backup(stick)
    assert not half.exists()


def test_settings_are_checked_and_refused_to_the_volunteer(coordinator, volunteer) -> None:
    with pytest.raises(ValidationError) as err:
        coordinator.backup.save_settings(BackupSettings(RotationPolicy(daily=0)))
    assert err.value.field == "daily"
    with pytest.raises(PermissionDenied):
        volunteer.backup.save_settings(BackupSettings())
    with pytest.raises(PermissionDenied):
        volunteer.backup.test_backup("anything", "pw")


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def test_testing_a_backup_opens_it_checks_and_counts_without_touching_live(
        coordinator, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    backup = coordinator.backup.backup(stick)
    data_dir = coordinator.session.vault.paths.data_dir
    coordinator.session.db.rollback_if_open()
    before = _digest(data_dir)
    result = coordinator.backup.test_backup(backup.folder, COORDINATOR[1])
    assert result.ok and result.problems == ()
    assert result.counts["audit entries"] > 0 and "families" in result.counts
    assert _digest(data_dir).keys() == before.keys()
    assert _digest(data_dir)[DB_NAME] != "" and not list(data_dir.glob(".backup-test-*"))
    assert coordinator.backup.last_test().name == backup.name
    section = coordinator.dashboard.sections()
    text = " ".join(s.empty_text for s in section if s.title == "Backups")
    assert "last tested backup" in text


def test_a_damaged_backup_is_reported_not_raised(coordinator, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    backup = coordinator.backup.backup(stick)
    db = backup.folder / DB_NAME
    raw = bytearray(db.read_bytes())
    middle = len(raw) // 2
    raw[middle:middle + 64] = bytes(64)
    db.write_bytes(bytes(raw))
    result = coordinator.backup.test_backup(backup.folder, COORDINATOR[1])
    assert not result.ok and result.problems
    items = [i.text for s in coordinator.dashboard.sections() if s.title == "Backups" for i in s.items]
    assert any("failed its check" in t for t in items)


def test_a_wrong_passphrase_says_so(coordinator, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    backup = coordinator.backup.backup(stick)
    with pytest.raises(WrongPassphrase, match="does not open with your account"):
        coordinator.backup.test_backup(backup.folder, "not my passphrase at all")


def test_backups_in_the_same_second_are_kept_or_removed_together() -> None:
    names = ["CCC-backup-20260101-090000", "CCC-backup-20260101-090000-2",
             "CCC-backup-20251231-090000"]
    gone = to_remove(names, RotationPolicy(daily=1, weekly=0, monthly=0), date(2026, 1, 2))
    assert gone == ["CCC-backup-20251231-090000"]

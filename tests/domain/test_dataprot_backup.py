"""Encrypted backup and restore: verified copies, atomic on failure, restore with a way back."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from ccc_desktop.models.errors import PermissionDenied, StorageError, ValidationError, VaultCorrupt
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.services import backup as backup_module
from ccc_desktop.models.services import restore as restore_module
from ccc_desktop.models.vault import DB_NAME, KEYS_NAME, Vault
from conftest import CHAIR, COORDINATOR, VOLUNTEER


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    return folder


def test_backup_is_a_verified_encrypted_copy_the_same_passphrases_open(coordinator, stick, clock,
                                                                       recovery_key) -> None:
    seen: list[tuple[int, int]] = []
    result = coordinator.backup.backup(stick, progress=lambda d, t: seen.append((d, t)))
    assert result.name == "CCC-backup-20261126-093000"
    assert sorted(p.name for p in stick.iterdir()) == [result.name]  # no partial folder left
    assert sorted(p.name for p in result.folder.iterdir()) == [DB_NAME, KEYS_NAME]
    assert seen[-1] == (100, 100)
    raw = (result.folder / DB_NAME).read_bytes()
    assert not raw.startswith(b"SQLite format 3") and b"Riverside" not in raw  # still encrypted
    # Opened by a passphrase, exactly like the live records ...
    session = Vault(result.folder, clock).unlock(*COORDINATOR)
    assert session.db.integrity_problems() == []
    session.lock()
    # ... and by the recovery key.
    session = Vault(result.folder, clock).unlock_with_recovery(recovery_key, "coordinator",
                                                             "a brand new passphrase 9")
    session.lock()
    assert coordinator.backup.last_backup().name == result.name
    entry = coordinator.audit.entries(coordinator.session.actor, "backup made")[0]
    assert entry.record_id == result.name and "usb-stick" not in entry.detail


def test_two_backups_in_the_same_second_do_not_overwrite(coordinator, stick) -> None:
    a = coordinator.backup.backup(stick)
    b = coordinator.backup.backup(stick)
    assert a.name != b.name and a.folder.exists() and b.folder.exists()


def test_bad_folders_and_roles_are_refused(coordinator, volunteer, tmp_path) -> None:
    with pytest.raises(ValidationError) as err:
        coordinator.backup.backup(tmp_path / "missing")
    assert err.value.field == "folder"
    with pytest.raises(ValidationError):
        coordinator.backup.backup(coordinator.session.vault.paths.data_dir)
    with pytest.raises(PermissionDenied):
        volunteer.backup.backup(tmp_path)
    with pytest.raises(PermissionDenied):
        volunteer.backup.restore(tmp_path)


def test_dashboard_reminds_when_the_last_backup_is_older_than_seven_days(coordinator, stick, clock) -> None:
    def backup_items() -> list[str]:
        section = next(s for s in coordinator.dashboard.sections() if s.title == "Backups")
        return [i.text for i in section.items]

    assert backup_items() == ["No backup has been made yet. Use File > Back up and restore."]
    coordinator.backup.backup(stick)
    assert backup_items() == []
    clock.advance(days=7)
    assert backup_items() == []  # exactly seven days: not yet
    clock.advance(seconds=1)
    assert backup_items() == ["The last backup was 7 days ago (26 Nov 2026). "
                              "Make a new one with File > Back up and restore."]


def test_a_stick_pulled_half_way_leaves_the_earlier_backup_and_live_records_untouched(
        coordinator, stick, clock) -> None:
    earlier = coordinator.backup.backup(stick)
    before = snapshot(stick)
    live = coordinator.session.vault.paths.db.read_bytes()
    clock.advance(hours=1)

    def pulled(done: int, total: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(StorageError):
        coordinator.backup.backup(stick, progress=pulled)
    assert snapshot(stick) == before
    assert coordinator.session.vault.paths.db.read_bytes() == live
    assert coordinator.backup.last_backup().name == earlier.name
    assert coordinator.audit.verify().ok
    coordinator.centre.update(CentreDetails(name="Still writable"))  # the live file works on


def test_a_full_disk_while_writing_leaves_everything_as_it_was(coordinator, stick, clock, monkeypatch) -> None:
    coordinator.backup.backup(stick)
    before = snapshot(stick)
    clock.advance(hours=1)
    def full(fd):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    import ccc_desktop.models.fileio as fileio

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(StorageError, match="disk is full"):
        coordinator.backup.backup(stick)
    monkeypatch.undo()
    assert snapshot(stick) == before


def test_a_failed_final_rename_leaves_no_partial_backup(coordinator, stick, monkeypatch) -> None:
    def refused(a, b):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(backup_module.os, "replace", refused)
    with pytest.raises(StorageError):
        coordinator.backup.backup(stick)
    assert list(stick.iterdir()) == []
    assert coordinator.backup.last_backup() is None


def test_a_damaged_copy_is_caught_by_the_verification(coordinator, stick, monkeypatch) -> None:
    real_copy = backup_module.atomic_copy

    def corrupting(src, dst, what="the copy", chunk=1 << 20, progress=None):  # type: ignore[no-untyped-def]
        real_copy(src, dst, what, chunk, progress)
        if dst.name == DB_NAME:
            data = bytearray(dst.read_bytes())
            data[5000:5100] = bytes(100)  # a bad sector on the stick
            dst.write_bytes(bytes(data))

    monkeypatch.setattr(backup_module, "atomic_copy", corrupting)
    with pytest.raises(VaultCorrupt):
        coordinator.backup.backup(stick)
    assert list(stick.iterdir()) == []


def test_a_copy_cut_short_by_whole_pages_is_caught(coordinator, stick, monkeypatch) -> None:
    """Every page left has a good HMAC: the open or the length check must still catch it."""
    real_copy = backup_module.atomic_copy

    def truncating(src, dst, what="the copy", chunk=1 << 20, progress=None):  # type: ignore[no-untyped-def]
        real_copy(src, dst, what, chunk, progress)
        if dst.name == DB_NAME:
            data = dst.read_bytes()
            dst.write_bytes(data[:-4096])  # the stick filled up on a page boundary

    monkeypatch.setattr(backup_module, "atomic_copy", truncating)
    with pytest.raises(VaultCorrupt):
        coordinator.backup.backup(stick)
    assert list(stick.iterdir()) == []


# ---- restore ------------------------------------------------------------------------------------
def test_restore_brings_back_the_backup_and_keeps_the_replaced_files(vault, login, stick, clock) -> None:
    services = login("coordinator")
    services.centre.update(CentreDetails(name="Name at backup time"))
    made = services.backup.backup(stick)
    services.centre.update(CentreDetails(name="Changed afterwards"))
    clock.advance(minutes=5)
    aside = services.backup.restore(made.folder / DB_NAME)  # choosing the file works too
    assert not services.session.is_open  # locked: everyone logs in again
    assert sorted(p.name for p in aside.iterdir()) == [DB_NAME, KEYS_NAME]
    assert not (vault.paths.data_dir / ".restore.partial").exists()
    again = login("coordinator")
    assert again.centre.details().name == "Name at backup time"
    assert again.audit.verify().ok
    assert again.audit.entries(again.session.actor, "records restored from a backup")
    # The replaced records are kept aside, still encrypted and whole.
    old = Vault(aside, clock).unlock(*COORDINATOR)
    from ccc_desktop.models.services.centre import CentreService

    assert CentreService(old).details().name == "Changed afterwards"
    old.lock()


def test_a_failed_restore_copy_leaves_the_live_records_open_and_untouched(coordinator, stick) -> None:
    made = coordinator.backup.backup(stick)
    live = snapshot(coordinator.session.vault.paths.data_dir)

    def pulled(done: int, total: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(StorageError):
        coordinator.backup.restore(made.folder, progress=pulled)
    assert coordinator.session.is_open
    assert snapshot(coordinator.session.vault.paths.data_dir) == live
    assert coordinator.centre.details().name == "Riverside Child Contact Centre"


def test_a_damaged_or_foreign_backup_is_refused_before_anything_changes(coordinator, stick, tmp_path,
                                                                       clock) -> None:
    made = coordinator.backup.backup(stick)
    db = made.folder / DB_NAME
    data = bytearray(db.read_bytes())
    data[4200:4300] = bytes(100)
    db.write_bytes(bytes(data))
    live = snapshot(coordinator.session.vault.paths.data_dir)
    with pytest.raises(VaultCorrupt):
        coordinator.backup.restore(made.folder)
    (made.folder / KEYS_NAME).unlink()
    with pytest.raises(VaultCorrupt, match="incomplete"):
        coordinator.backup.check(made.folder)
    other_session, _ = Vault(tmp_path / "other", clock).create(
        CentreDetails(name="Another centre"), "someone", "Some One", "another long passphrase")
    other_session.lock()
    with pytest.raises(VaultCorrupt, match="another centre"):
        coordinator.backup.restore(tmp_path / "other")
    assert coordinator.session.is_open
    assert snapshot(coordinator.session.vault.paths.data_dir) == live


def test_a_restore_that_fails_its_final_check_puts_the_live_files_back(vault, login, stick, monkeypatch) -> None:
    services = login("coordinator")
    made = services.backup.backup(stick)
    services.centre.update(CentreDetails(name="The live name"))
    real_verify = backup_module.verify_backup
    calls = {"n": 0}

    def failing_last(folder, key):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if folder == vault.paths.data_dir:
            raise VaultCorrupt("checked after moving in: damaged")
        real_verify(folder, key)

    monkeypatch.setattr(restore_module, "verify_backup", failing_last)  # the swap-in's check
    with pytest.raises(VaultCorrupt):
        services.backup.restore(made.folder)
    monkeypatch.setattr(restore_module, "verify_backup", real_verify)
    again = login("coordinator")
    assert again.centre.details().name == "The live name"
    assert again.audit.verify().ok


def test_records_disposed_after_the_backup_are_listed_again_after_a_restore(vault, login, stick,
                                                                             monkeypatch) -> None:
    from datetime import date

    from dataprot_fakes import FakeSource, only_retention_sources

    fam = FakeSource("family", "last used", "F")
    services = login("coordinator")
    only_retention_sources(monkeypatch, services, fam)
    fam.install(services.session)
    rid = fam.add(services.session, "Olwen Gledhill", date(2020, 1, 1))
    made = services.backup.backup(stick)
    services.retention.dispose([("family", rid)], COORDINATOR[1])
    services.backup.restore(made.folder)
    again = login("coordinator")
    item = again.retention.report().due[0]
    assert item.label == "Olwen Gledhill"  # it came back with the backup ...
    assert item.disposed_before == date(2026, 11, 26)  # ... and the report says so
    assert "brought back by restoring an older backup" in item.note
    assert [e.reference for e in again.retention.disposal_log()] == [f"F-{rid:05d}"]  # log kept
    section = next(s for s in again.dashboard.sections() if s.title == "Retention")
    assert section.items[0].text.startswith("1 record disposed of earlier came back")
    again.retention.dispose([("family", rid)], COORDINATOR[1])
    assert again.retention.report().items == ()
    assert len(again.retention.disposal_log()) == 2
    assert again.audit.verify().ok


# ---- restoring when the records cannot be opened -------------------------------------------------
def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[0:4096 * 3] = bytes(4096 * 3)
    path.write_bytes(bytes(data))


def test_a_damaged_file_is_restored_from_the_locked_screen(vault, login, stick, clock) -> None:
    from ccc_desktop.models.services.locked_restore import restore_while_locked

    services = login("coordinator")
    services.centre.update(CentreDetails(name="Before the damage"))
    made = services.backup.backup(stick)
    services.session.lock()
    _damage(vault.paths.db)
    with pytest.raises(VaultCorrupt):
        vault.unlock(*COORDINATOR)
    seen: list[tuple[int, int]] = []
    aside = restore_while_locked(vault, made.folder, *CHAIR, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (100, 100)
    assert sorted(p.name for p in aside.iterdir()) == [DB_NAME, KEYS_NAME]  # the damaged ones, kept
    assert not (vault.paths.data_dir / ".restore.partial").exists()
    again = login("coordinator")
    assert again.centre.details().name == "Before the damage"
    entry = again.audit.entries(again.session.actor, "records restored from a backup")[0]
    assert entry.actor == "chair"
    assert again.audit.verify().ok


def test_a_lost_key_file_is_restored_too(vault, login, stick) -> None:
    from ccc_desktop.models.services.locked_restore import LiveUnchecked, restore_while_locked

    made = login("coordinator").backup.backup(stick)
    vault.paths.keys.unlink()
    with pytest.raises(LiveUnchecked, match="key file is missing"):  # said first, then confirmed
        restore_while_locked(vault, made.folder, *COORDINATOR)
    restore_while_locked(vault, made.folder, *COORDINATOR, confirm_unchecked=True)
    assert login("coordinator").centre.details().name == "Riverside Child Contact Centre"


def test_the_locked_restore_needs_a_coordinator_or_chair_passphrase(vault, login, stick) -> None:
    from ccc_desktop.models.errors import WrongPassphrase
    from ccc_desktop.models.services.locked_restore import restore_while_locked

    services = login("coordinator")
    made = services.backup.backup(stick)
    services.session.lock()
    live = snapshot(vault.paths.data_dir)
    backup_before = snapshot(stick)
    with pytest.raises(WrongPassphrase):
        restore_while_locked(vault, made.folder, "coordinator", "not the passphrase")
    with pytest.raises(PermissionDenied):
        restore_while_locked(vault, made.folder, *VOLUNTEER)
    with pytest.raises(VaultCorrupt, match="incomplete"):
        restore_while_locked(vault, stick, *COORDINATOR)  # the stick, not the backup folder
    # Nothing changed but the throttle's count of wrong passphrases in the live key file.
    after = snapshot(vault.paths.data_dir)
    assert after.pop("centre.keys") != live.pop("centre.keys")
    assert after == live
    assert len(SlotFile.load(vault.paths.keys).failures) == 1
    assert snapshot(stick) == backup_before  # the backup on the stick is never written to


# ---- restore keeps what each carried-over disposal cleared (issue 12) ---------------------------------
@pytest.mark.parametrize("locked", [False, True])
def test_a_disposal_carried_over_by_a_restore_keeps_its_list_of_what_was_cleared(
        vault, login, stick, clock, locked) -> None:  # type: ignore[no-untyped-def]
    from family_helpers import accepted_family

    from ccc_desktop.models.legal_records import PoliceVisitForm
    from ccc_desktop.models.services.locked_restore import restore_while_locked

    services = login("coordinator")
    fid = accepted_family(services, full_name="Ottoline Pemberton-Quayle")
    services.police.log(PoliceVisitForm("21/11/2026", "PC Gatiss",
                                        asked="Whereabouts of Ottoline Pemberton-Quayle"))
    clock.advance(days=3 * 365 + 30)
    made = services.backup.backup(stick)
    services.retention.dispose([("family", fid)], COORDINATOR[1])
    (before,) = services.retention.disposal_log()
    assert before.cleared == (("police_visits", "asked", 1),)
    if locked:
        services.session.lock()
        restore_while_locked(vault, made.folder, *COORDINATOR)
    else:
        services.backup.restore(made.folder)
    again = login("coordinator")
    (entry,) = again.retention.disposal_log()
    assert (entry.reference, entry.cleared) == (before.reference, before.cleared)
    cert = again.retention.certificate_pdf(entry.batch_id)
    from insider_view import pdf_text

    assert "Police visit what was asked 1" in " ".join(pdf_text(cert).split())
    # Still sealed in the file: the volunteer's key reads no table or field name.
    from insider_view import every_cell, slot_key

    again.session.lock()
    key, _ = slot_key(vault.paths.data_dir, *VOLUNTEER)
    assert all("police_visits" not in repr(r) for r in every_cell(vault.paths.db, key)["disposal_log"])

"""A full disk or a locked file: a plain message, and nothing already saved is lost."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ccc_desktop.models.errors import StorageError
from ccc_desktop.models.fileio import atomic_copy, atomic_write_bytes


def test_atomic_write_keeps_the_old_file_when_the_disk_is_full(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "file.bin"
    target.write_bytes(b"old contents")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match="disk is full"):
        atomic_write_bytes(target, b"new contents" * 1000, "the key file")
    assert target.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["file.bin"]  # no temporary file left


def test_atomic_copy_half_way_failure_leaves_the_old_copy(tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(3 << 20))
    dst = tmp_path / "out" / "dst.bin"
    dst.parent.mkdir()
    dst.write_bytes(b"earlier backup")
    calls = {"n": 0}

    def progress(done: int, total: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.EIO, "Input/output error")  # the stick was pulled

    with pytest.raises(StorageError):
        atomic_copy(src, dst, "the backup", progress=progress)
    assert dst.read_bytes() == b"earlier backup"
    assert [p.name for p in dst.parent.iterdir()] == ["dst.bin"]


def test_a_full_database_refuses_the_write_and_keeps_what_was_saved(coordinator) -> None:
    db = coordinator.session.db
    before = coordinator.policy.current()
    pages = db.scalar("PRAGMA page_count")
    db.raw_connection().execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StorageError, match="disk is full"):
        # The longest policy text the limits allow needs new pages.
        coordinator.policy.save("x" * 99_000, "A new version")
    db.raw_connection().execute("PRAGMA max_page_count = 1073741823")
    assert coordinator.policy.current() == before
    assert coordinator.audit.verify().ok

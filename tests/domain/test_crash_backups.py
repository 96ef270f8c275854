"""SIGKILL during a backup, a rotation and a backup test: the live records and every complete
earlier backup stay intact, and what a kill leaves half-done is tidied by the next run."""

from __future__ import annotations

import os
import random
import select
import signal
import time
import traceback
from pathlib import Path

from ccc_desktop.models.backup_rotation import RotationPolicy, made_at
from ccc_desktop.models.services.backup import PREFIX, BackupSettings, verify_backup
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR

KILLS = int(os.environ.get("CCC_CRASH_BACKUP_KILLS", "12"))


def _loop(vault_dir: Path, stick: Path, fd: int) -> None:
    session = Vault(vault_dir).unlock(*COORDINATOR)
    services = build_services(session)
    os.write(fd, b"started\n")
    while True:
        made = services.backup.backup(stick)  # rotates: keeps two, removes older ones
        os.write(fd, f"made {made.name}\n".encode())
        services.backup.test_backup(made.folder, COORDINATOR[1])
        os.write(fd, b"tested\n")


def _child(vault_dir: Path, stick: Path) -> tuple[int, int]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 4
        try:
            os.close(r)
            _loop(vault_dir, stick, w)
        except BaseException:  # noqa: BLE001
            os.write(w, ("error " + traceback.format_exc().replace("\n", " | ") + "\n").encode())
            code = 3
        os._exit(code)
    os.close(w)
    return pid, r


def _kill_after(vault_dir: Path, stick: Path, delay: float) -> str:
    pid, fd = _child(vault_dir, stick)
    buf = b""
    deadline = time.monotonic() + 30
    while b"started\n" not in buf and b"error" not in buf:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 65536) if ready else b""
        if not chunk:
            break
        buf += chunk
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(fd, 65536):
        buf += chunk
    os.close(fd)
    return buf.decode("ascii", "replace")


def test_sigkill_during_backups_rotation_and_tests_loses_nothing(vault_dir: Path,
                                                                  tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    session = Vault(vault_dir).unlock(*COORDINATOR)
    services = build_services(session)
    services.backup.save_settings(BackupSettings(RotationPolicy(daily=2, weekly=0, monthly=0)))
    key = bytes(session.db_key)
    session.lock()
    rng = random.Random(int(os.environ.get("CCC_CRASH_SEED", "5")))
    made_total = tested_total = 0
    for n in range(KILLS):
        out = _kill_after(vault_dir, stick, rng.uniform(0.05, 1.5))
        assert "error" not in out, f"kill {n}: the writer failed on its own: {out[-800:]}"
        made_total += out.count("made ")
        tested_total += out.count("tested")
        # The live records open, pass both checks, and their trail verifies.
        s = Vault(vault_dir).unlock(*COORDINATOR)
        try:
            assert s.db.integrity_problems() == [], f"kill {n}"
            assert s.audit.verify(s.actor).ok, f"kill {n}"
            logged = {b.name for b in build_services(s).backup.recent()}
        finally:
            s.lock()
        # Every complete backup on the stick is sound; half-done ones are hidden names only.
        for folder in stick.iterdir():
            if folder.name.startswith(PREFIX):
                verify_backup(folder, key)
            else:
                assert folder.name.startswith(".") and folder.name.endswith((".partial", ".removing"))
        # A kill between the rename and the log entry leaves a sound backup the log does not
        # name (rotation then leaves it alone); the log never names a folder that is half there.
        for name in logged:
            folder = stick / name
            assert not folder.exists() or (folder / "centre.keys").exists(), f"kill {n}: {name}"
    assert made_total > 0 and tested_total > 0, (made_total, tested_total)
    # The next backup tidies whatever the kills left half-done, here and in the data folder.
    s = Vault(vault_dir).unlock(*COORDINATOR)
    try:
        svc = build_services(s).backup
        made = svc.backup(stick)
        svc.test_backup(made.folder, COORDINATOR[1])
        logged = {b.name for b in svc.recent()}
    finally:
        s.lock()
    assert not [f for f in stick.iterdir() if f.name.startswith(".")]
    assert not list(vault_dir.glob(".backup-test-*"))
    # Rotation kept the newest backup of each of the last two days (all were made today, or
    # across one midnight) of those it knows it made (a sound one a kill left unlogged stays).
    kept = {made_at(f.name) for f in stick.iterdir() if f.name in logged}
    assert 1 <= len(kept) <= 2  # backups of the same second share a stamp and stay together

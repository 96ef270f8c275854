"""The first Coordinator unlock after an upgrade seals the records (once) and says so while it
works: on a large centre it takes a while, and the unlock screen must not look stuck."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.storage.sealing import seal_is_pending
from ccc_desktop.models.vault import Session, Vault
from ccc_desktop.ui.shell.unlock import UnlockPanel
from conftest import FIXTURES

CLOCK = FixedClock(datetime(2026, 11, 30, 10, 0))
COORD = ("coordinator", "riverside coordinator")  # the released vault's demo accounts


def _released(tmp_path: Path) -> Vault:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    return Vault(folder, CLOCK)


def test_unlock_reports_the_sealing_of_an_upgraded_file(tmp_path: Path) -> None:
    heard: list[tuple[int, int]] = []
    session = _released(tmp_path).unlock(*COORD, progress=lambda d, t: heard.append((d, t)))
    try:
        assert not seal_is_pending(session.db)
    finally:
        session.lock()
    assert heard, "the sealing said nothing while it ran"
    done, total = heard[-1]
    assert total > 0 and done == total


def test_an_ordinary_unlock_reports_nothing(tmp_path: Path) -> None:
    vault = _released(tmp_path)
    vault.unlock(*COORD).lock()  # sealed now
    heard: list[tuple[int, int]] = []
    vault.unlock(*COORD, progress=lambda d, t: heard.append((d, t))).lock()
    assert heard == []


class _Watched(UnlockPanel):
    """Notes what the sealing line says each time the unlock reports progress."""

    shown: list[str]

    def _sealing_progress(self, done: int, total: int) -> None:
        super()._sealing_progress(done, total)
        self.shown.append(self.sealing.text() if self.sealing.isVisibleTo(self) else "")


def test_the_unlock_screen_says_it_is_sealing(qtbot, tmp_path: Path) -> None:
    panel = _Watched(_released(tmp_path))
    panel.shown = []
    qtbot.addWidget(panel)
    sessions: list[Session] = []
    panel.unlocked.connect(sessions.append)
    qtbot.keyClicks(panel.username, COORD[0])
    qtbot.keyClicks(panel.passphrase, COORD[1])
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(sessions) or panel.message.text() != "", timeout=30000)
    assert sessions, panel.message.text()
    sessions[0].lock()
    assert panel.shown and "Sealing the records after the upgrade" in panel.shown[-1]
    assert "(100%)" in panel.shown[-1]
    assert panel.sealing.isHidden()  # gone once the records are open

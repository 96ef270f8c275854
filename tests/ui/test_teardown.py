"""After a restore or a lock, no screen reaches for the closed database.

On the demo (tables full), every tab, the family record and the main dialogs are opened and
painted; then a backup is restored from the Reports tab, and after logging in again the window is
locked. pytest-qt's capture of exceptions raised inside Qt virtual methods (a model's data(), a
paint) stays on, so any such exception fails the test. At run time, every house table model's
column getters are also called with the database made unreachable: rows carry what they show.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QWidget

from ccc_desktop.demo import DEMO_ACCOUNTS
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.data_protection.subject_access import LinkDialog
from ccc_desktop.ui.families.families import DisclosureLogDialog, FamilyDialog, NewFamilyDialog
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.volunteers.volunteers import VolunteerDialog
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from ccc_desktop.ui.widgets.table_model import RecordTableModel
from conftest import TODAY_AT

pytestmark = pytest.mark.dates
COORDINATOR = ("coordinator", DEMO_ACCOUNTS["coordinator"][1])


def _house_models(roots: list[QWidget]) -> list[RecordTableModel]:
    found: list[RecordTableModel] = []
    for root in roots:
        for view in root.findChildren(QAbstractItemView):
            model = view.model()
            if isinstance(model, RecordTableModel) and model not in found:
                found.append(model)
    return found


def _roots(c: Controller) -> list[QWidget]:
    return [c.window, *(w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible())]


def _paint_everything(qtbot, c: Controller) -> None:  # type: ignore[no-untyped-def]
    for root in _roots(c):
        root.repaint()
        for view in root.findChildren(QAbstractItemView):
            view.viewport().repaint()
    qtbot.wait(20)


def _open_everything(qtbot, c: Controller) -> list[QDialog]:  # type: ignore[no-untyped-def]
    """Every tab shown and painted, the family record and the main dialogs open (not modal)."""
    assert c.ctx is not None
    for key in list(c.window.tab_keys):
        c.window.show_tab(key)
        qtbot.wait(10)
    c.window.show_tab("families")
    services = c.ctx.services
    sar = services.subject_access.list(open_only=True)[0]
    dialogs: list[QDialog] = [
        FamilyDialog(c.ctx, 1, c.window),
        DisclosureLogDialog(c.ctx, c.window),
        NewFamilyDialog(c.ctx, c.window),
        VolunteerDialog(c.ctx, services.volunteers.list()[0], c.window),
        LinkDialog(c.ctx, sar, c.window),
    ]
    for d in dialogs:
        d.show()
    qtbot.wait(50)
    _paint_everything(qtbot, c)
    return dialogs


def _getters_need_no_database(models: list[RecordTableModel], monkeypatch: pytest.MonkeyPatch) -> None:
    """Call every column getter of every row with the database unreachable."""
    def unreachable(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a table's column getter reached the database")

    with monkeypatch.context() as m:
        for name in ("query", "query_one", "scalar", "execute", "executemany"):
            if hasattr(Database, name):
                m.setattr(Database, name, unreachable)
        for model in models:
            for row in model.rows:
                for title, getter in model.columns:
                    try:
                        getter(row)
                    except AssertionError as exc:
                        raise AssertionError(f"column {title!r} of {type(model).__name__}: {exc}") from None


def test_restore_and_lock_leave_nothing_reaching_for_the_closed_database(
        qtbot, demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "vault"
    shutil.copytree(demo_template, folder)
    dialogs = RecordingDialogs()
    c = Controller(Vault(folder, FixedClock(TODAY_AT)), dialogs)
    qtbot.addWidget(c.window)
    c.start()
    try:
        c.unlock_now(*COORDINATOR)
        c.window.show()
        qtbot.waitExposed(c.window)
        opened = _open_everything(qtbot, c)
        models = _house_models(_roots(c))
        filled = [m for m in models if m.rows]
        assert len(models) >= 12 and len(filled) >= 10, (len(models), len(filled))
        _getters_need_no_database(models, monkeypatch)

        # Restore a backup from Reports > Backups, with everything open.
        assert c.ctx is not None
        stick = tmp_path / "stick"
        stick.mkdir()
        made = c.ctx.services.backup.backup(stick)
        tab = c.window.show_tab("reports")
        assert tab is not None
        dialogs.folder = str(made.folder)
        info = dialogs.info

        def info_box(parent, title, text):  # type: ignore[no-untyped-def]
            # A real message box runs its own event loop: the window behind it repaints.
            _paint_everything(qtbot, c)
            return info(parent, title, text)

        monkeypatch.setattr(dialogs, "info", info_box)
        tab.backups.restore()  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: c.window.locked, timeout=60000)
        assert any(t == "Records restored" for _, t, _ in dialogs.shown)
        _paint_everything(qtbot, c)
        assert all(not m.rows and not m.cells for m in models), "a table kept rows from the closed session"
        assert not any(d.isVisible() for d in opened), "a dialog of the closed session is still open"
        assert c.window.tab_keys == [] and c.session is None

        # Log in again, open everything, and lock.
        c.unlock_now(*COORDINATOR)
        opened = _open_everything(qtbot, c)
        models = _house_models(_roots(c))
        assert sum(1 for m in models if m.rows) >= 10
        c.lock()
        qtbot.wait(50)
        _paint_everything(qtbot, c)
        assert c.window.locked
        assert all(not m.rows for m in models)
        assert not any(d.isVisible() for d in opened)
    finally:
        c.shutdown()

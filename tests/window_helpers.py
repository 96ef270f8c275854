"""Walking every window of the app, for the checks that look at each one (tests/ui): the demo's
main window, each dialog the screenshot runner opens, each page of the set-up wizard."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QDialog

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.shell.setup_wizard import SetupWizard
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from conftest import TODAY_AT


@contextmanager
def demo_window(qtbot: Any, demo_template: Path, tmp_path: Path) -> Iterator[Controller]:
    """A copy of the demo in its window, shown and locked, standing on TODAY."""
    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    c = Controller(Vault(target, FixedClock(TODAY_AT)), RecordingDialogs())
    qtbot.addWidget(c.window)
    c.window.show()
    try:
        yield c
    finally:
        c.shutdown()


def screenshot_dialogs(qtbot: Any, controller: Controller) -> Iterator[tuple[QDialog, str]]:
    """Every dialog the screenshot runner opens (its tabs of the main window left out), shown,
    with the name of its screenshot; each is closed when the walk moves on."""
    from ccc_desktop.ui.screenshots.runner import SHOTS

    for shot in SHOTS:
        widget = shot.make(controller.window)
        if not isinstance(widget, QDialog):
            continue  # a tab of the main window
        qtbot.addWidget(widget)
        widget.show()
        QApplication.processEvents()
        yield widget, shot.filename.removesuffix(".png")
        widget.close()


def wizard_pages(qtbot: Any, tmp_path: Path) -> Iterator[tuple[SetupWizard, str]]:
    """The set-up wizard on each of its pages in turn, with the page's name."""
    from ccc_desktop.models import crypto

    wizard = SetupWizard(Vault(tmp_path / "unused"), RecordingDialogs())
    qtbot.addWidget(wizard)
    wizard.show_key(crypto.new_recovery_key())
    wizard.show()
    for page_id in wizard.pageIds():
        wizard.setStartId(page_id)
        wizard.restart()
        QApplication.processEvents()
        yield wizard, f"set-up / {type(wizard.page(page_id)).__name__}"

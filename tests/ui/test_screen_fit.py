"""Every window fits a 1366x768 laptop screen (issue 16): the minimum size of the main window
with every tab built, each set-up wizard page and every dialog the screenshot runner opens fits
the screen less a taskbar and the window's frame, and the main window fits 1280 pixels too. A
window that would open larger than its screen is shrunk to fit when shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from window_helpers import demo_window, screenshot_dialogs, wizard_pages

from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from ccc_desktop.ui.widgets.screen_fit import FRAME_HEIGHT, FRAME_WIDTH, fit_to_screen

TASKBAR = 40
# What a window's inside may take on a 1366x768 screen: less the taskbar and its own frame.
LAPTOP = QSize(1366 - FRAME_WIDTH, 768 - TASKBAR - FRAME_HEIGHT)
NARROW = 1280 - FRAME_WIDTH  # the main window, on a 1280-pixel-wide screen


def least(w: QWidget) -> QSize:
    return w.minimumSizeHint().expandedTo(w.minimumSize())


def too_big(w: QWidget, where: str, width: int = LAPTOP.width()) -> list[str]:
    size = least(w)
    if size.width() > width or size.height() > LAPTOP.height():
        return [f"{where}: needs at least {size.width()}x{size.height()}"]
    return []


@pytest.fixture
def demo_controller(qtbot, demo_template: Path, tmp_path: Path) -> Iterator[Controller]:  # type: ignore[no-untyped-def]
    from ccc_desktop.demo import DEMO_ACCOUNTS

    with demo_window(qtbot, demo_template, tmp_path) as c:
        c.unlock_now("coordinator", DEMO_ACCOUNTS["coordinator"][1])
        yield c


def test_the_main_window_with_every_tab_built_fits(qtbot, demo_controller: Controller) -> None:  # type: ignore[no-untyped-def]
    w = demo_controller.window
    problems = []
    for key in w.tab_keys:
        tab = w.show_tab(key)
        QApplication.processEvents()
        assert tab is not None
        problems += too_big(tab, f"tab {key}", NARROW)
    problems += too_big(w, "main window (every tab built)", NARROW)
    assert problems == [], "\n".join(problems)


def test_every_dialog_of_the_screenshots_fits(qtbot, demo_controller: Controller) -> None:  # type: ignore[no-untyped-def]
    problems = []
    dialogs = 0
    for widget, name in screenshot_dialogs(qtbot, demo_controller):
        dialogs += 1
        problems += too_big(widget, name)
    assert dialogs >= 30
    assert problems == [], "\n".join(problems)


def test_every_page_of_the_set_up_wizard_fits(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for wizard, where in wizard_pages(qtbot, tmp_path):
        problems += too_big(wizard, where)
    assert problems == []


def test_a_window_larger_than_its_screen_is_fitted_when_shown(qtbot, vault: Vault) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.widgets.screen_fit import available

    controller = Controller(vault, RecordingDialogs())  # installs the fitting on the application
    qtbot.addWidget(controller.window)
    dialog = QDialog(controller.window)
    qtbot.addWidget(dialog)
    area = available(dialog)
    dialog.resize(area.width() + 300, area.height() + 300)
    dialog.move(area.left() + 200, area.top() + 200)
    dialog.show()
    QApplication.processEvents()
    assert dialog.width() <= area.width() - FRAME_WIDTH
    assert dialog.height() <= area.height() - FRAME_HEIGHT
    assert area.contains(dialog.geometry().topLeft())
    assert dialog.geometry().bottom() <= area.bottom()
    controller.shutdown()


def test_fitting_never_goes_below_the_minimum_size(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.widgets.screen_fit import available

    dialog = QDialog()
    qtbot.addWidget(dialog)
    area = available(dialog)
    dialog.setMinimumSize(200, area.height() + 100)  # cannot fit: kept at its minimum
    dialog.resize(300, area.height() + 200)
    fit_to_screen(dialog)
    assert dialog.height() == area.height() + 100
    small = QDialog()
    qtbot.addWidget(small)
    small.resize(300, 200)
    fit_to_screen(small)
    assert (small.width(), small.height()) == (300, 200)  # a window that fits is left alone

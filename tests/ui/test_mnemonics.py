"""No two visible controls of one window share a mnemonic (Alt+letter) (issue 16): the set-up
wizard's pages, the locked window, the main window with every tab and inner page shown (with
its menu bar), the volunteer's window, and every dialog the screenshot runner opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y_helpers import every_page, menu_clashes, mnemonic, mnemonic_clashes
from PySide6.QtWidgets import QApplication, QWidget
from window_helpers import demo_window, screenshot_dialogs, wizard_pages

from ccc_desktop.ui.shell.app import Controller


def test_the_mnemonic_reader() -> None:
    assert mnemonic("&Register") == "R"
    assert mnemonic("Re&ports") == "P"
    assert mnemonic("Summons && legal") == ""
    assert mnemonic("Su&mmons && legal") == "M"
    assert mnemonic("Print day s&heet…") == "H"
    assert mnemonic("Group &2:") == "2"
    assert mnemonic("plain") == "" and mnemonic("ends with &") == ""


def clashes_on_every_page(window: QWidget, where: str) -> list[str]:
    out: list[str] = []
    for page in every_page(window):
        out += mnemonic_clashes(window, f"{where} / {page}")
    return out


def test_the_set_up_wizard(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    problems = []
    for wizard, where in wizard_pages(qtbot, tmp_path):
        problems += mnemonic_clashes(wizard, where)
    assert problems == [], "\n".join(problems)
    # The wizard's own buttons keep their letters: Alt+N is Next on the account page.
    wizard.setStartId(wizard.pageIds()[2])
    wizard.restart()
    QApplication.processEvents()
    from a11y_helpers import mnemonics

    assert mnemonics(wizard)["N"] == ["QPushButton '&Next >'"]


@pytest.fixture
def demo_controller(qtbot, demo_template: Path, tmp_path: Path) -> Iterator[Controller]:  # type: ignore[no-untyped-def]
    with demo_window(qtbot, demo_template, tmp_path) as c:
        yield c


def test_the_main_window_locked_unlocked_and_as_the_volunteer(qtbot, demo_controller: Controller) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.demo import DEMO_ACCOUNTS

    w = demo_controller.window
    problems = mnemonic_clashes(w, "locked") + menu_clashes(w, "locked")
    demo_controller.unlock_now("coordinator", DEMO_ACCOUNTS["coordinator"][1])
    assert len(w.tab_keys) == 11
    problems += menu_clashes(w, "coordinator")
    for key in w.tab_keys:
        w.show_tab(key)
        QApplication.processEvents()
        problems += clashes_on_every_page(w, f"coordinator / {key}")
    demo_controller.lock()
    demo_controller.unlock_now("volunteer", DEMO_ACCOUNTS["volunteer"][1])
    for key in w.tab_keys:
        w.show_tab(key)
        problems += clashes_on_every_page(w, f"volunteer / {key}")
    assert sorted(set(problems)) == [], "\n".join(sorted(set(problems)))


def test_every_dialog_of_the_screenshots(qtbot, demo_controller: Controller) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.demo import DEMO_ACCOUNTS

    demo_controller.unlock_now("coordinator", DEMO_ACCOUNTS["coordinator"][1])
    problems = []
    dialogs = 0
    for widget, name in screenshot_dialogs(qtbot, demo_controller):
        dialogs += 1
        problems += clashes_on_every_page(widget, name)
    assert dialogs >= 30
    assert sorted(set(problems)) == [], "\n".join(sorted(set(problems)))

"""The set-up wizard asks for three groups of the recovery key back before it finishes (issue
16): wrong groups get a plain message, Back shows the key again, and it can be printed again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.shell.setup_wizard import SetupWizard
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs


@pytest.fixture
def wizard(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    w = SetupWizard(Vault(tmp_path / "new"), RecordingDialogs())
    qtbot.addWidget(w)
    w.show()
    w.next()
    w.centre.name.setText("Hilltop Contact Centre")
    w.next()
    w.account.display_name.setText("Pat Coordinator")
    w.account.username.setText("pat")
    w.account.passphrase.setText("A long enough passphrase")
    w.account.again.setText("A long enough passphrase")
    w.next()
    assert w.currentPage() is w.recovery and w.session is not None
    yield w
    if w.session.is_open:
        w.session.lock()


def finish(w: SetupWizard) -> None:
    w.button(QWizard.WizardButton.FinishButton).click()


def test_three_different_groups_are_asked_and_the_key_is_not_shown(qtbot, wizard: SetupWizard) -> None:  # type: ignore[no-untyped-def]
    wizard.next()
    page = wizard.confirm_key
    assert wizard.currentPage() is page
    assert len(page.edits) == 3 and len(set(page.edits)) == 3
    assert all(1 <= n <= 8 for n in page.edits)
    shown = " ".join(w.text() for w in page.findChildren(type(page.banner)))
    assert wizard.recovery_key not in shown + page.subTitle()
    numbers = sorted(page.edits)
    assert f"groups {numbers[0]}, {numbers[1]} and {numbers[2]}" in page.subTitle()
    # Nothing typed yet: Finish waits.
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_wrong_groups_get_a_plain_message_and_the_wizard_stays(qtbot, wizard: SetupWizard) -> None:  # type: ignore[no-untyped-def]
    wizard.next()
    page = wizard.confirm_key
    groups = wizard.recovery_key.split("-")
    first, second, third = sorted(page.edits)
    page.edits[first].setText(groups[first - 1])
    page.edits[second].setText("ZZZZ" if groups[second - 1] != "ZZZZ" else "YYYY")
    page.edits[third].setText(groups[third - 1])
    finish(wizard)
    assert wizard.isVisible() and wizard.currentPage() is page
    assert page.banner.isVisible()
    assert page.banner.text().startswith(f"Group {second} is not what the key says.")
    assert "press Back to see the key again" in page.banner.text()
    assert page.banner.textFormat() == Qt.TextFormat.PlainText
    # Typing clears the message; the right group finishes the wizard.
    page.edits[second].setText(groups[second - 1].lower())
    assert not page.banner.isVisible()
    finish(wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_back_shows_the_key_again_and_it_can_be_printed_again(qtbot, wizard: SetupWizard, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    printed: list[str] = []
    monkeypatch.setattr("ccc_desktop.ui.widgets.pdf_preview.PdfPreviewDialog.exec",
                        lambda self: printed.append(self.windowTitle()) or 0)
    wizard.next()
    page = wizard.confirm_key
    page.edits[sorted(page.edits)[0]].setText("ABCD")
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()
    wizard.back()
    assert wizard.currentPage() is wizard.recovery
    assert wizard.recovery.key_label.text() == wizard.recovery_key
    # The account page is behind a commit: there is no going back to make another vault.
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled() or \
        not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    wizard.next()
    assert all(e.text() == "" for e in page.edits.values())  # typed afresh
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert printed, "the print preview of the key opens from the check page"


def test_the_groups_are_forgiving_about_case_spaces_and_digits(qtbot, wizard: SetupWizard) -> None:  # type: ignore[no-untyped-def]
    wizard.next()
    page = wizard.confirm_key
    groups = wizard.recovery_key.split("-")
    for number, edit in page.edits.items():
        typed = groups[number - 1].lower().replace("o", "0").replace("i", "1")
        edit.setText(f" {typed[:2]} {typed[2:]} ")
    finish(wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted

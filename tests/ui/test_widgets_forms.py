"""FormDialog itself: the accepting button is Enter's default, nothing of the dialog shows as a
window of its own, a progress-only dialog has no empty button row, and a dialog that ran a task
is freed as soon as it is dropped (not left for the garbage collector)."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QPushButton

from ccc_desktop.ui.widgets.forms import FormDialog


def test_ok_is_the_default_and_the_buttons_live_in_the_dialog(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FormDialog("A form", ok_text="&Produce")
    qtbot.addWidget(dialog)
    dialog.field("name", "&Name:", QLineEdit())
    dialog.buttons.addButton("&Open…", QDialogButtonBox.ButtonRole.ActionRole)
    dialog.on_save = lambda: "saved"
    dialog.finish()
    assert dialog.buttons not in QApplication.topLevelWidgets()
    dialog.show()
    QApplication.processEvents()
    assert [b.text() for b in dialog.findChildren(QPushButton) if b.isDefault()] == [
        dialog.ok_button.text()]
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets()
                   if isinstance(w, QDialogButtonBox))


def test_a_progress_only_dialog_is_freed_when_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        results: list[int] = []

        class Working(FormDialog):
            def got(self, result: int) -> None:
                results.append(result)

            def failed(self, exc: BaseException) -> None:
                raise AssertionError(exc)

        dialog = Working("Working", ok=QDialogButtonBox.StandardButton.NoButton, cancel=False)
        dialog.add_progress().show()
        dialog.finish()
        assert dialog.buttons.isHidden()  # no empty row under the bar
        dialog.run_task(lambda progress: 42, dialog.got, dialog.failed)
        qtbot.waitUntil(lambda: results == [42], timeout=10000)
        assert dialog.task is None
        gone = weakref.ref(dialog)
        del dialog
        assert gone() is None  # its task's hooks, bound to it, were dropped when the task ended
    finally:
        if was_enabled:
            gc.enable()

"""The Qt binding itself: PySide6 6.12.0 dropped a reference to None on every call that returns
nothing and on every empty value read back, so after some thousands of calls Python freed None
and the app died ("deallocating None"). pyproject pins a release without the fault."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QComboBox


def test_qt_calls_keep_their_references_to_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = QComboBox()
    qtbot.addWidget(box)
    box.addItem("Not imported", None)
    before = sys.getrefcount(None)
    for _ in range(2000):
        box.setToolTip("x")  # returns nothing
        box.currentData()  # an empty value read back
    assert sys.getrefcount(None) > before - 500


# A dialog the collector frees (one in a reference cycle) after ``fit_to_screen`` has asked
# which screen it is on, the screen's wrapper being older than the dialog's. With
# ``window.screen()``, PySide made the wrapper a Python child of the dialog; the collector
# cleared that wrapper first, gave the QScreen to Python, and deleted it: the next widget
# crashed in QScreen::virtualSiblings (as tests/ui/test_keys_dialogs.py did when the revoke
# progress dialog moved onto FormDialog). Run in a child process, since the failure is a crash.
SCREEN_AFTER_COLLECTION = """
import gc
gc.disable()
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from ccc_desktop.ui.widgets.screen_fit import available, fit_to_screen
app = QApplication([])
first = QWidget()
available(first)
dialog = QDialog()
dialog.itself = dialog
fit_to_screen(dialog)
del dialog
gc.collect()
later = QWidget()
print(len(QApplication.screens()), later.screen().availableGeometry().width() > 0)
"""


def test_a_collected_window_leaves_the_screen_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SCREEN_AFTER_COLLECTION], capture_output=True,
                          text=True, timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split() == ["1", "True"]


def test_no_widget_is_asked_for_its_screen() -> None:
    """``widget.screen()`` (or a QWindow's) parents the application's QScreen to that object in
    Python; the app asks QGuiApplication instead (``screen_fit.screen_of``)."""
    import ast
    from pathlib import Path

    import ccc_desktop

    root = Path(ccc_desktop.__file__).parent
    asked = [f"{path.relative_to(root)}:{node.lineno}"
             for path in sorted(root.rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
             and node.func.attr == "screen"]
    assert asked == []

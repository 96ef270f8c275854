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

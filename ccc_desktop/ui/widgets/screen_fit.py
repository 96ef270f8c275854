"""Every window opens inside the screen it is on (a 1366x768 laptop, or 200% scaling).

Windows and dialogs choose a comfortable size (the main window 1280x800, a letter preview
760x900); on a small screen that would put their buttons below the taskbar. ``fit_to_screen``,
called by the application's event filter (``shell/app_events.py``), shrinks a window that would
not fit when it is first shown (never below its minimum size) and keeps it on the screen. Tests check each window's minimum size fits
(``tests/ui/test_screen_fit.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# Room for what the system draws around a window: its borders, and its title bar.
FRAME_WIDTH = 16
FRAME_HEIGHT = 40


def screen_of(window: QWidget) -> QScreen | None:
    """The screen the window is on, found through QGuiApplication's static calls only.

    Never ``window.screen()``: PySide makes the QScreen it returns a Python child of the widget
    (its return-value heuristic). When that widget is then freed by the garbage collector as part
    of a reference cycle (most dialogs are: their buttons call their own methods), the collector
    may clear the screen's wrapper first, which hands the application's QScreen to Python to
    delete. Every later widget then crashes in ``QScreen::virtualSiblings``
    (tests/ui/test_qt_binding.py)."""
    return (QGuiApplication.screenAt(window.frameGeometry().center())
            or QGuiApplication.primaryScreen())


def available(window: QWidget) -> QRect:
    """The part of the window's screen a window may use (without the taskbar)."""
    screen = screen_of(window)
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fit_to_screen(window: QWidget) -> None:
    area = available(window)
    most_w, most_h = area.width() - FRAME_WIDTH, area.height() - FRAME_HEIGHT
    w, h = window.width(), window.height()
    if w > most_w or h > most_h:
        least = window.minimumSizeHint().expandedTo(window.minimumSize())
        w, h = max(min(w, most_w), least.width()), max(min(h, most_h), least.height())
        window.resize(w, h)
    x = max(area.left(), min(window.x(), area.left() + most_w - w))
    y = max(area.top(), min(window.y(), area.top() + most_h - h))
    if (x, y) != (window.x(), window.y()):
        window.move(x, y)

"""Lock after a spell without keyboard or mouse use (after KeePassXC)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

# What counts as use of the window (``app_events.AppEvents`` reports it).
ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    def __init__(self, on_idle: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(on_idle)

    def start(self, milliseconds: int) -> None:
        self.timer.setInterval(milliseconds)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def activity(self) -> None:
        """The keyboard or the mouse was used: the spell without use starts again."""
        if self.timer.isActive():
            self.timer.start()

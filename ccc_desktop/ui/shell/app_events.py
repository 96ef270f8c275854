"""The application's one event filter: each window fitted to its screen as it is first shown
(``widgets/screen_fit.py``), and keyboard or mouse use reported to the idle lock (``idle.py``).

One filter, not one per job: Qt hands every event of the application to an application event
filter (thousands while a screen is being built: every widget made, polished, laid out and
painted), and each Python filter costs about 3 µs per event whatever it then does. With two,
the filters took about half of the UI thread's time building a screen (issue 17).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QDialog, QMainWindow

from ccc_desktop.ui.shell.idle import ACTIVITY, IdleWatcher
from ccc_desktop.ui.widgets.screen_fit import fit_to_screen

_SHOW = QEvent.Type.Show


class AppEvents(QObject):
    def __init__(self, idle: IdleWatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.idle = idle

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in ACTIVITY:
            self.idle.activity()
        elif kind == _SHOW and isinstance(watched, (QDialog, QMainWindow)) and watched.isWindow():
            fit_to_screen(watched)
        return False

"""Python's garbage collector runs on the UI thread only.

Left automatic, a collection can start in whichever thread happens to allocate, such as the
worker that derives a key or writes a backup, and free Qt objects that belong to the UI thread
there: a crash, not an exception (seen as rare segfaults in the test suite). As Anki does, the
automatic collector is turned off and a timer on the UI thread collects by the same thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_MS = 1000


class UiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(CHECK_MS)

    def check(self) -> None:
        count0, count1, count2 = gc.get_count()
        if count0 > self.threshold[0]:
            gc.collect(0)
            if count1 > self.threshold[1]:
                gc.collect(1)
                if count2 > self.threshold[2]:
                    gc.collect()

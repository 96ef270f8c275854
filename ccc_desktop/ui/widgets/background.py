"""Slow work (key derivation, big reports, backups) off the UI thread, results back on it."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class _Worker(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, fn: Callable[..., Any], with_progress: bool) -> None:
        super().__init__()
        self.fn = fn
        self.with_progress = with_progress

    def run(self) -> None:
        try:
            result = self.fn(self.progress.emit) if self.with_progress else self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread to show
            self.failed.emit(exc)
        else:
            self.done.emit(result)


class BackgroundTask(QObject):
    """Runs fn in a QThread; on_done/on_error are called on the UI thread."""

    finished = Signal()

    def __init__(self, fn: Callable[..., Any], on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None],
                 on_progress: Callable[[int, int], None] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self.worker = _Worker(fn, on_progress is not None)
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        # Stop the thread before the results are handled (slots run in connection order), so
        # no caller can close a window while its QThread is still running.
        self.worker.done.connect(self._stop)
        self.worker.failed.connect(self._stop)
        self.worker.done.connect(on_done)
        self.worker.failed.connect(on_error)
        if on_progress is not None:
            self.worker.progress.connect(on_progress)

    def start(self) -> None:
        # Collect garbage here, on the UI thread: otherwise the collector may run inside the
        # worker and free Qt objects (and their cycles) from the wrong thread, which crashes.
        # Not needed where the automatic collector is off and the UI thread collects
        # (widgets/garbage.py: the app and the tests), and a full collection on a large
        # centre's heap holds the window for tens of milliseconds.
        if gc.isenabled():
            gc.collect()
        self._thread.start()

    def _stop(self, _: object = None) -> None:
        self._thread.quit()
        self._thread.wait()
        self.finished.emit()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()


# A disposal or backup must finish even if the window locks meanwhile (the tabs are then
# deleted): the tasks have no Qt parent and are kept here until their thread has stopped.
# Results meant for a deleted widget are simply not delivered.
_RUNNING: set[BackgroundTask] = set()


def start(task: BackgroundTask) -> None:
    _RUNNING.add(task)
    task.finished.connect(lambda: _RUNNING.discard(task))
    task.start()

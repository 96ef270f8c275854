"""A panel gathered from the services when it is shown (the dashboard, the retention report).

Every change can touch such a panel, but it is read only while shown: behind another tab a
change marks it out of date, and it is gathered again when next shown (a save elsewhere, or a
family record opened, does not wait for it). With ``background`` the gathering runs in a worker
thread, one at a time: a change meanwhile gathers again when that one is back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.context import AppContext


class GatheredPanel(QWidget):
    """Subclasses implement ``gather()`` (called by ``refresh()`` while the records are open)
    and call ``watch_changes()`` once built. In the background ``gather()`` calls
    ``gather_in_background(work)``; the result goes to ``show_gathered`` and a failure to
    ``gather_failed`` (raised unless overridden). ``ignored_topics``: changes that never touch
    the panel."""

    ignored_topics: frozenset[str] = frozenset()

    def __init__(self, ctx: AppContext, background: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.background = background
        self._task: BackgroundTask | None = None
        self._again = False
        self._stale = False

    def watch_changes(self) -> None:
        self.ctx.bus.changed.connect(self._on_changed)

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics - self.ignored_topics:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @property
    def busy(self) -> bool:
        """True while the panel is being gathered in the background."""
        return self._task is not None

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        self._stale = False
        self.gather()

    def gather(self) -> None:
        raise NotImplementedError

    def show_gathered(self, result: Any) -> None:
        raise NotImplementedError

    def gather_failed(self, exc: BaseException) -> None:
        raise exc

    def gather_in_background(self, work: Callable[[], Any]) -> None:
        """Run ``work`` in a worker thread; its result is shown unless the records were closed
        meanwhile. One at a time: asked while one is out, it gathers again when that is back."""
        if self._task is not None:
            self._again = True
            return
        # Not parented to the panel: the task outlives a lock that deletes the tabs, and its
        # answer is then dropped (background.start).
        self._task = BackgroundTask(work, self._gathered, self._failed)
        start(self._task)

    def _gathered(self, result: Any) -> None:
        self._task = None
        if not self.ctx.services.session.is_open:
            return
        self.show_gathered(result)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        if not self.ctx.services.session.is_open:
            return  # locked while gathering: the database closed under the worker
        self.gather_failed(exc)

"""The dashboard: what needs the Coordinator's attention, gathered from every area."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.records import DashboardSection
from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.plain import plain_label

_COLOURS = {"overdue": "#b00020", "warning": "#a15c00", "info": "#1f3b5a"}
_MARKS = {"overdue": "Overdue", "warning": "Due soon", "info": ""}


class DashboardTab(QWidget):
    """``background=True`` (the main window's tab) gathers the sections in a worker thread, so
    the window is drawn and answers at once after unlocking, whatever the size of the centre;
    built on its own (``background=False``) it gathers them before returning."""

    def __init__(self, ctx: AppContext, background: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.background = background
        self._task: BackgroundTask | None = None
        self._again = False
        outer = QVBoxLayout(self)
        self.greeting = plain_label()
        self.greeting.setStyleSheet("font-size: 14pt; font-weight: bold;")
        outer.addWidget(self.greeting)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll.setWidget(self.body)
        outer.addWidget(scroll)
        # Every change can touch a section, but the dashboard is read only when it is shown:
        # while another tab is in front a change marks it out of date, and it is gathered
        # again when it is next shown (not once per save or "family opened" behind the user).
        self._stale = False
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, _topics: frozenset[str]) -> None:
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
        """True while the sections are being gathered in the background."""
        return self._task is not None

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        self._stale = False
        today = self.ctx.services.session.clock.today()
        self.greeting.setText(f"Hello {self.ctx.actor.display_name} — {format_date(today)}")
        if not self.background:
            self._show(self.ctx.services.dashboard.sections())
            return
        if self._task is not None:  # one gathering at a time: again when this one is back
            self._again = True
            return
        if not self.grid.count():
            waiting = QLabel("Gathering what needs your attention…")
            waiting.setObjectName("dashboardGathering")
            self.grid.addWidget(waiting, 0, 0)
        # Not parented to the tab: the task outlives a lock that deletes the tabs, and its
        # answer is then dropped (background.start).
        self._task = BackgroundTask(self.ctx.services.dashboard.sections, self._gathered,
                                    self._failed)
        start(self._task)

    def _gathered(self, sections: list[DashboardSection]) -> None:
        self._task = None
        if not self.ctx.services.session.is_open:
            return
        self._show(sections)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        if not self.ctx.services.session.is_open:
            return  # locked while gathering: the database closed under the worker
        raise exc

    def _show(self, sections: list[DashboardSection]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for i, section in enumerate(sections):
            self.grid.addWidget(self._box(section), i // 2, i % 2)

    def _box(self, section: DashboardSection) -> QGroupBox:
        box = QGroupBox(f"{section.title} ({len(section.items)})" if section.items else section.title)
        box.setAccessibleName(section.title)
        layout = QVBoxLayout(box)
        if not section.items:
            empty = QLabel(section.empty_text)
            empty.setStyleSheet("color: #2e7d32;")
            empty.setWordWrap(True)
            layout.addWidget(empty)
        for item in section.items[:12]:
            mark = _MARKS.get(item.severity, "")
            due = f" (due {format_date(item.due)})" if item.due else ""
            colour = _COLOURS.get(item.severity, "#000")
            lead = f"<b style='color:{colour}'>{mark}:</b> " if mark else f"<span style='color:{colour}'>•</span> "
            # User text is escaped: a name is never parsed as markup.
            label = QLabel(lead + html.escape(item.text + due))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            layout.addWidget(label)
        if len(section.items) > 12:
            layout.addWidget(QLabel(f"… and {len(section.items) - 12} more."))
        # Spare height (a taller box beside this one) goes below the items, not between them.
        layout.addStretch(1)
        return box

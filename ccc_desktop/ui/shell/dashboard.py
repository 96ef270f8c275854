"""The dashboard: what needs the Coordinator's attention, gathered from every area."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.records import DashboardAction, DashboardSection
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.gathered import GatheredPanel
from ccc_desktop.ui.widgets.plain import plain_label

_COLOURS = {"overdue": "#b00020", "warning": "#a15c00", "info": "#1f3b5a"}
_MARKS = {"overdue": "Overdue", "warning": "Due soon", "info": ""}


class DashboardTab(GatheredPanel):
    """``background=True`` (the main window's tab) gathers the sections in a worker thread, so
    the window is drawn and answers at once after unlocking, whatever the size of the centre;
    built on its own (``background=False``) it gathers them before returning. Every change can
    touch a section: it is gathered when shown (``GatheredPanel``)."""

    def __init__(self, ctx: AppContext, background: bool = False) -> None:
        super().__init__(ctx, background)
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
        self.watch_changes()
        self.refresh()

    def gather(self) -> None:
        today = self.ctx.services.session.clock.today()
        self.greeting.setText(f"Hello {self.ctx.actor.display_name} — {format_date(today)}")
        if not self.background:
            self.show_gathered(self.ctx.services.dashboard.sections())
            return
        if not self.busy and not self.grid.count():
            waiting = QLabel("Gathering what needs your attention…")
            waiting.setObjectName("dashboardGathering")
            self.grid.addWidget(waiting, 0, 0)
        self.gather_in_background(self.ctx.services.dashboard.sections)

    def show_gathered(self, sections: list[DashboardSection]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        row = 0
        checklists = [s for s in sections if s.checklist]
        for section in checklists:  # across the top, before what needs attention
            self.grid.addWidget(self._checklist(section), row, 0, 1, 2)
            row += 1
        for i, section in enumerate(s for s in sections if not s.checklist):
            self.grid.addWidget(self._box(section), row + i // 2, i % 2)

    # ---- a checklist (the first steps of a new centre) -------------------------------------------
    def _checklist(self, section: DashboardSection) -> QGroupBox:
        box = QGroupBox(section.title)
        box.setObjectName(f"checklist_{section.key}")
        box.setAccessibleName(section.title)
        box.setStyleSheet("QGroupBox { font-weight: bold; } QGroupBox * { font-weight: normal; }")
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        for n, item in enumerate(section.items):
            mark = QLabel("\u2714" if item.done else "\u2610")
            mark.setStyleSheet(f"color: {'#2e7d32' if item.done else '#1f3b5a'}; font-size: 13pt;")
            mark.setAccessibleName("Done" if item.done else "Not done yet")
            text = plain_label(item.text)  # it may hold a name: plain text
            text.setWordWrap(True)
            if item.done:
                text.setStyleSheet("color: #555;")
            grid.addWidget(mark, n, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, n, 1)
            buttons = QHBoxLayout()
            for action in item.actions:
                button = QPushButton(action.label)
                button.setToolTip(f"Goes to the place where this is done: {action.label.lower()}.")
                button.clicked.connect(lambda _c=False, a=action: self.go_to(a))
                buttons.addWidget(button)
            grid.addLayout(buttons, n, 2, Qt.AlignmentFlag.AlignRight)
        if section.key:
            foot = QHBoxLayout()
            note = QLabel("Each step ticks itself off when it is done. This list goes once "
                          "they all are, or when you hide it.")
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            foot.addWidget(note, 1)
            hide = QPushButton("Hide the first steps")
            hide.setObjectName("dismiss_checklist")
            hide.clicked.connect(lambda _c=False, key=section.key: self.dismiss(key))
            foot.addWidget(hide)
            grid.addLayout(foot, len(section.items), 0, 1, 3)
        return box

    def dismiss(self, key: str) -> None:
        run_action(self.ctx.dialogs, self, "First steps",
                   lambda: self.ctx.services.dashboard.dismiss(key))
        self.refresh()

    def go_to(self, action: DashboardAction) -> QWidget | None:
        """Show the tab, bring forward the inner pages that hold the control, and focus it."""
        show_tab = getattr(self.window(), "show_tab", None)
        tab = show_tab(action.tab) if callable(show_tab) else None
        if tab is None:
            return None
        # A tab whose pages are built when first shown (LazyTabs) builds them until it finds it.
        find = getattr(tab, "find_place", lambda name: tab.findChild(QWidget, name))
        target = find(action.place) if action.place else tab
        if target is None:
            return tab
        child: QWidget = target
        parent = child.parentWidget()
        while child is not tab and parent is not None:
            holder = parent.parentWidget()
            if isinstance(parent, QStackedWidget) and isinstance(holder, QTabWidget):
                holder.setCurrentWidget(child)
            child, parent = parent, holder
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

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

"""The main window: the unlock screen while locked, the tabs while unlocked, desktop menus."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QTabWidget, QWidget

from ccc_desktop import APP_NAME
from ccc_desktop.ui.shell.tabs import TabSpec, tab_specs
from ccc_desktop.ui.shell.unlock import UnlockPanel
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.plain import plain_label


class MainWindow(QMainWindow):
    def __init__(self, unlock_panel: UnlockPanel) -> None:
        super().__init__()
        self.ctx: AppContext | None = None
        self.tab_keys: list[str] = []
        self.stack = QStackedWidget()
        self.unlock_panel = unlock_panel
        self.stack.addWidget(unlock_panel)
        self.tabs: QTabWidget | None = None
        self.setCentralWidget(self.stack)
        self.status_user = plain_label()  # the display name, as typed
        self.status_user.setObjectName("statusUser")
        self.statusBar().addPermanentWidget(self.status_user)
        # Asked before the window closes (e.g. the closing backup); False keeps it open.
        self.close_guard: Callable[[], bool] | None = None
        self.resize(1280, 800)
        self.setWindowTitle(APP_NAME)
        self._build_menus()
        self.show_locked()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.close_guard is not None and not self.close_guard():
            event.ignore()
            return
        super().closeEvent(event)

    # ---- menus -----------------------------------------------------------------------------------
    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                slot: Callable[[], object] | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.lock_action = self._action("&Lock", "Ctrl+L")
        self.change_passphrase_action = self._action("&Change my passphrase…")
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit)
        for a in (self.lock_action, self.change_passphrase_action):
            self.file_menu.addAction(a)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.edit_menu = bar.addMenu("&Edit")
        self.find_action = self._action("&Find…", QKeySequence.StandardKey.Find, self.focus_search)
        self.edit_menu.addAction(self.find_action)

        self.view_menu = bar.addMenu("&View")
        self.refresh_action = self._action("&Refresh", QKeySequence.StandardKey.Refresh, self.refresh_current)
        self.view_menu.addAction(self.refresh_action)
        self.view_menu.addSeparator()
        self.goto_actions: list[QAction] = []

        self.help_menu = bar.addMenu("&Help")
        self.guide_action = self._action("&User guide", QKeySequence.StandardKey.HelpContents)
        self.policy_action = self._action("The confidentiality &policy")
        self.about_action = self._action(f"&About {APP_NAME}")
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addAction(self.policy_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)

    def _set_unlocked_actions(self, unlocked: bool) -> None:
        for a in (self.lock_action, self.change_passphrase_action, self.find_action,
                  self.refresh_action, self.policy_action):
            a.setEnabled(unlocked)

    # ---- locked / unlocked -----------------------------------------------------------------------
    def show_locked(self) -> None:
        """Drop every screen that showed records: nothing stays in the widgets while locked."""
        if self.tabs is not None:
            self.stack.removeWidget(self.tabs)
            self.tabs.deleteLater()
            self.tabs = None
        for a in self.goto_actions:
            self.view_menu.removeAction(a)
        self.goto_actions.clear()
        self.ctx = None
        self.tab_keys = []
        self.stack.setCurrentWidget(self.unlock_panel)
        self.status_user.setText("Locked")
        self._set_unlocked_actions(False)
        self.unlock_panel.reset()

    def show_unlocked(self, ctx: AppContext, centre_name: str) -> None:
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tab_keys = []
        visible: list[TabSpec] = [s for s in tab_specs() if s.permission is None or ctx.actor.can(s.permission)]
        for n, spec in enumerate(visible):
            widget = spec.factory(ctx)
            widget.setObjectName(f"tab_{spec.key}")
            self.tabs.addTab(widget, spec.title)
            self.tab_keys.append(spec.key)
            if n < 10:  # Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth (the titles have no Alt+)
                self.tabs.setTabToolTip(n, f"Ctrl+{(n + 1) % 10}")
                action = self._action(f"Go to {spec.title.replace('&&', '§').replace('&', '').replace('§', '&')}",
                                      f"Ctrl+{(n + 1) % 10}", partial(self._go_to, n))
                self.view_menu.addAction(action)
                self.goto_actions.append(action)
        self.stack.addWidget(self.tabs)
        self.stack.setCurrentWidget(self.tabs)
        self.status_user.setText(f"{ctx.actor.display_name} · {ctx.actor.role.label}")
        self.setWindowTitle(f"{centre_name} — {APP_NAME}" if centre_name else APP_NAME)
        self._set_unlocked_actions(True)

    def _go_to(self, index: int) -> None:
        if self.tabs is not None:
            self.tabs.setCurrentIndex(index)

    def show_tab(self, key: str) -> QWidget | None:
        if self.tabs is None or key not in self.tab_keys:
            return None
        index = self.tab_keys.index(key)
        self.tabs.setCurrentIndex(index)
        return self.tabs.widget(index)

    def tab(self, key: str) -> QWidget | None:
        if self.tabs is None or key not in self.tab_keys:
            return None
        return self.tabs.widget(self.tab_keys.index(key))

    @property
    def locked(self) -> bool:
        return self.tabs is None

    def focus_search(self) -> None:
        widget = self.tabs.currentWidget() if self.tabs else None
        search = getattr(widget, "search", None)
        if search is not None and hasattr(search, "setFocus"):
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if hasattr(search, "selectAll"):
                search.selectAll()

    def refresh_current(self) -> None:
        widget = self.tabs.currentWidget() if self.tabs else None
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

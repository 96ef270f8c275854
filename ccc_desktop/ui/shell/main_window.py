"""The main window: the unlock screen while locked, the tabs while unlocked, desktop menus."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

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
        # Each tab is built the first time it is shown or asked for (``tab``), not at unlock:
        # building all eleven at once held the window for seconds on a large centre.
        self._specs: dict[str, TabSpec] = {}
        self._pages: dict[str, QWidget] = {}  # key -> the page the tab bar shows
        self._built: dict[str, QWidget] = {}  # key -> the tab, once built
        # Called with (key, widget) when a tab has been built (e.g. to wire Settings).
        self.tab_built: list[Callable[[str, QWidget], None]] = []
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
        self._specs, self._pages, self._built = {}, {}, {}
        self.stack.setCurrentWidget(self.unlock_panel)
        self.status_user.setText("Locked")
        self._set_unlocked_actions(False)
        self.unlock_panel.reset()

    def show_unlocked(self, ctx: AppContext, centre_name: str) -> None:
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tab_keys = []
        self._specs, self._pages, self._built = {}, {}, {}
        visible: list[TabSpec] = [s for s in tab_specs() if s.permission is None or ctx.actor.can(s.permission)]
        for n, spec in enumerate(visible):
            page = QWidget()
            page.setObjectName(f"page_{spec.key}")
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(page, spec.title)
            self.tab_keys.append(spec.key)
            self._specs[spec.key] = spec
            self._pages[spec.key] = page
            if n < 10:  # Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth (the titles have no Alt+)
                self.tabs.setTabToolTip(n, f"Ctrl+{(n + 1) % 10}")
                action = self._action(f"Go to {spec.title.replace('&&', '§').replace('&', '').replace('§', '&')}",
                                      f"Ctrl+{(n + 1) % 10}", partial(self._go_to, n))
                self.view_menu.addAction(action)
                self.goto_actions.append(action)
        self.tabs.currentChanged.connect(self._build_current)
        self.stack.addWidget(self.tabs)
        self.stack.setCurrentWidget(self.tabs)
        self._build_current()
        self.status_user.setText(f"{ctx.actor.display_name} · {ctx.actor.role.label}")
        self.setWindowTitle(f"{centre_name} — {APP_NAME}" if centre_name else APP_NAME)
        self._set_unlocked_actions(True)

    def _build_current(self, _index: int = -1) -> None:
        if self.tabs is not None and 0 <= self.tabs.currentIndex() < len(self.tab_keys):
            self._build(self.tab_keys[self.tabs.currentIndex()])

    def _build(self, key: str) -> QWidget:
        widget = self._built.get(key)
        if widget is None:
            assert self.ctx is not None
            widget = self._specs[key].factory(self.ctx)
            widget.setObjectName(f"tab_{key}")
            self._built[key] = widget
            page_layout = self._pages[key].layout()
            assert page_layout is not None
            page_layout.addWidget(widget)
            widget.show()  # now, not at the layout's queued show (shown with its page)
            for listener in list(self.tab_built):
                listener(key, widget)
        return widget

    def built(self, key: str) -> QWidget | None:
        """The tab if it has been built, without building it."""
        return self._built.get(key)

    def has_tab(self, key: str) -> bool:
        return self.tabs is not None and key in self.tab_keys

    def current_tab(self) -> QWidget | None:
        if self.tabs is None or not 0 <= self.tabs.currentIndex() < len(self.tab_keys):
            return None
        return self._build(self.tab_keys[self.tabs.currentIndex()])

    def _go_to(self, index: int) -> None:
        if self.tabs is not None:
            self.tabs.setCurrentIndex(index)

    def show_tab(self, key: str) -> QWidget | None:
        if self.tabs is None or key not in self.tab_keys:
            return None
        self.tabs.setCurrentIndex(self.tab_keys.index(key))
        return self._build(key)

    def tab(self, key: str) -> QWidget | None:
        """The tab (built now if it had not been), or None if this account has no such tab."""
        if self.tabs is None or key not in self.tab_keys:
            return None
        return self._build(key)

    @property
    def locked(self) -> bool:
        return self.tabs is None

    def focus_search(self) -> None:
        widget = self.current_tab()
        search = getattr(widget, "search", None)
        if search is not None and hasattr(search, "setFocus"):
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if hasattr(search, "selectAll"):
                search.selectAll()

    def refresh_current(self) -> None:
        widget = self.current_tab()
        refresh = getattr(widget, "refresh", None)
        if callable(refresh):
            refresh()

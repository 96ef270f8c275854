"""The controller: start-up (set-up or unlock), lock and unlock, and where signals are wired."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QListWidget,
    QTableWidget,
    QWidget,
)

from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.vault import Session, Vault
from ccc_desktop.ui.data_protection.closing_backup import backup_before_closing
from ccc_desktop.ui.shell.about import AboutDialog
from ccc_desktop.ui.shell.app_events import AppEvents
from ccc_desktop.ui.shell.idle import IdleWatcher
from ccc_desktop.ui.shell.main_window import MainWindow
from ccc_desktop.ui.shell.passphrase_dialog import ChangePassphraseDialog
from ccc_desktop.ui.shell.setup_wizard import SetupWizard
from ccc_desktop.ui.shell.unlock import UnlockPanel
from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.context import AppContext, make_context
from ccc_desktop.ui.widgets.dialogs import DialogService
from ccc_desktop.ui.widgets.table_model import empty_model


class Controller(QObject):
    def __init__(self, vault: Vault, dialogs: DialogService | None = None, hint: str = "") -> None:
        super().__init__()
        self.vault = vault
        self.dialogs = dialogs or DialogService()
        self.session: Session | None = None
        self.ctx: AppContext | None = None
        self.unlock_panel = UnlockPanel(vault, hint=hint)
        self.window = MainWindow(self.unlock_panel)
        self.idle = IdleWatcher(self.lock, self)
        self.app_events = AppEvents(self.idle, self)  # the idle lock, and windows fitted to the screen
        self._wire()

    def _wire(self) -> None:
        w = self.window
        self.unlock_panel.unlocked.connect(self.on_unlocked)
        w.lock_action.triggered.connect(self.lock)
        w.change_passphrase_action.triggered.connect(lambda: self.change_passphrase(required=False))
        w.quit_action.triggered.connect(w.close)
        w.close_guard = self.before_close
        w.tab_built.append(self._wire_tab)
        w.about_action.triggered.connect(self.show_about)
        w.guide_action.triggered.connect(self.show_guide)
        w.policy_action.triggered.connect(self.show_about)
        # ---- data protection (issue 6): File > Back up and restore… opens Reports > Backups ----
        self.backup_action = w._action("&Back up and restore…", None, self.show_backups)
        w.file_menu.insertAction(w.change_passphrase_action, self.backup_action)
        self.backup_action.setEnabled(False)
        # While locked: restore when the records cannot be opened (damaged file, lost key file).
        self.locked_restore_action = w._action("&Restore from a backup…", None, self.restore_while_locked)
        w.file_menu.insertAction(w.change_passphrase_action, self.locked_restore_action)
        # ---- end data protection ----
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.app_events)  # every window opens inside the screen
            app.aboutToQuit.connect(self.shutdown)

    # ---- start-up ---------------------------------------------------------------------------------
    def start(self) -> bool:
        """Show the window; on first run, the set-up wizard first. False if set-up was abandoned."""
        if not self.vault.exists():
            wizard = SetupWizard(self.vault, self.dialogs)
            accepted = wizard.exec() == QDialog.DialogCode.Accepted
            if wizard.session is None:
                return False
            self.window.show()
            self.on_unlocked(wizard.session)
            return accepted or wizard.session is not None
        self.window.show()
        return True

    # ---- unlock / lock ----------------------------------------------------------------------------
    def on_unlocked(self, session: Session) -> None:
        self.session = session
        services: Services = build_services(session)
        self.ctx = make_context(services, self.dialogs)
        if session.must_change_passphrase and not self.change_passphrase(required=True):
            self.lock()
            return
        centre = services.centre.details().name
        # Read before the window starts gathering the dashboard in a worker: a read on this
        # thread would wait for the worker's queries (the window held for up to a second).
        idle_minutes = services.centre.idle_lock_minutes()
        self.window.show_unlocked(self.ctx, centre)
        if session.warnings and session.actor.can(Permission.VIEW_AUDIT):
            # What the unlock found changed in the files outside the app (issue 12): also in
            # the audit trail, but said here so that it is not missed.
            self.dialogs.warning(
                self.window, "Changed outside CCC Desktop",
                "\n\n".join(session.warnings) + "\n\nThe audit trail (Settings) records what was "
                "found. Check who had a copy of the files, and restore from a backup if need be.")
        # Whatever closes the database (a lock, a restore, logging out) first empties every table
        # and closes every dialog and tab of this session, so nothing repaints from a closed one.
        session.closing_listeners.append(self.tear_down)
        # A restore locks the session itself: forget it at once (the screens already went), so a
        # later unlock is never locked by a step left over from this session.
        session.lock_listeners.append(lambda: self._closed(session))
        self.backup_action.setEnabled(self.window.has_tab("reports")
                                      and session.actor.can(Permission.BACKUP))
        self.locked_restore_action.setEnabled(False)
        self.idle.start(idle_minutes * 60_000)
        _warm_up_fonts()

    def _wire_tab(self, key: str, widget: QWidget) -> None:
        """Tabs are built when first shown: Settings tells the idle lock of a new delay."""
        if key == "settings":
            widget.security.on_idle_changed = lambda m: self.idle.start(m * 60_000)  # type: ignore[attr-defined]

    def tear_down(self) -> None:
        """Let go of everything that shows this session's records, before its database closes:
        every table emptied, every dialog closed, the tabs dropped."""
        self.idle.stop()
        self.backup_action.setEnabled(False)
        self.locked_restore_action.setEnabled(True)
        top_dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]
        for root in [self.window, *top_dialogs]:
            for view in root.findChildren(QAbstractItemView):
                if isinstance(view, (QListWidget, QTableWidget)):
                    view.clear()
                else:
                    empty_model(view.model())
        for dialog in [*self.window.findChildren(QDialog), *top_dialogs]:
            if dialog.isVisible():
                dialog.reject()
        self.window.show_locked()

    def _closed(self, session: Session) -> None:
        if self.session is session:  # its screens were torn down before it closed
            self.session = None
            self.ctx = None

    def lock(self) -> None:
        if self.session is None:
            return
        self.tear_down()
        self.session.lock("locked")
        self.session = None
        self.ctx = None

    def before_close(self) -> bool:
        """The closing backup, when the settings ask for one and the records are open."""
        if self.ctx is None or self.session is None or not self.session.is_open:
            return True
        return backup_before_closing(self.ctx.services.backup, self.dialogs, self.window)

    def shutdown(self) -> None:
        if self.session is not None:
            self.idle.stop()
            self.session.lock("logged out")
            self.session = None
            self.ctx = None

    # ---- menu actions -----------------------------------------------------------------------------
    def change_passphrase(self, required: bool) -> bool:
        if self.ctx is None:
            return False
        dialog = ChangePassphraseDialog(self.ctx.services.accounts, required, self.window)
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        if ok and not required:
            self.dialogs.info(self.window, "Passphrase changed", "Your passphrase has been changed.")
        return ok

    def show_guide(self) -> None:
        from ccc_desktop.ui.shell.guide import GuideDialog

        GuideDialog(self.window).exec()

    def show_backups(self) -> None:
        tab = self.window.show_tab("reports")
        if tab is not None:
            tab.show_backups()  # type: ignore[attr-defined]

    def restore_while_locked(self) -> None:
        from ccc_desktop.ui.data_protection.restore import LockedRestoreDialog

        if self.session is None:
            LockedRestoreDialog(self.vault, self.dialogs, self.window).exec()

    def show_about(self) -> None:
        AboutDialog(parent=self.window).exec()

    def unlock_now(self, username: str, passphrase: str) -> None:
        """For screenshots and tests: unlock without the background thread."""
        self.on_unlocked(self.vault.unlock(username, passphrase))
        QApplication.processEvents()
        self.window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, False)


def _warm_up_fonts() -> None:
    """Read the PDF fonts in a worker once the records are open: the first letter, report or
    preview would otherwise parse them on the UI thread (about half a second)."""
    from ccc_desktop.documents.base import fonts_registered, register_fonts

    if not fonts_registered():
        start(BackgroundTask(register_fonts, lambda _result: None, lambda _exc: None))


"""Settings: the centre's details, accounts, the audit trail and security."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_datetime
from ccc_desktop.models.records import Account, AuditEntry, CentreDetails
from ccc_desktop.models.roles import Permission, Role
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.buttons import button, right_row
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import (
    FieldErrors,
    FormDialog,
    banner_label,
    line_edit,
    require_same,
    text_edit,
)
from ccc_desktop.ui.widgets.table_model import RecordTable, RecordTableModel, table_view


def _when(iso: str | None) -> str:
    return format_datetime(datetime.fromisoformat(iso)) if iso else "never"


class CentrePanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        intro = QLabel("These details print on the letterhead of every letter and report.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = banner_label()
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.errors = FieldErrors(self.banner)
        self.name = self.errors.add(form, "name", "Centre &name:", line_edit())
        self.address = self.errors.add(form, "address", "&Address:", text_edit(height=80))
        self.phone = self.errors.add(form, "phone", "&Telephone:", line_edit())
        self.email = self.errors.add(form, "email", "E&mail:", line_edit())
        self.chair = self.errors.add(form, "chair_name", "&Chair's name:", line_edit())
        self.naccc = self.errors.add(form, "naccc_contact", "NACCC &office contact:", line_edit())
        self.solicitor = self.errors.add(form, "solicitor_name", "Committee so&licitor:", line_edit())
        self.firm = self.errors.add(form, "solicitor_firm", "Solicitor's fi&rm:", line_edit())
        self.emergency = self.errors.add(form, "emergency_details", "Emer&gency details:",
                                         text_edit(height=60))
        self.emergency.setToolTip("Printed on the day's sheet for the door: the first aider, the "
                                  "fire assembly point, the nearest A&E, who to call.")
        self.emergency.setPlaceholderText("e.g. First aider: …; fire assembly point: …; nearest "
                                          "A&E: …")
        layout.addLayout(form)
        self.save_button = button("&Save centre details", self.save)
        layout.addLayout(right_row(self.save_button))
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        c = self.ctx.services.centre.details()
        self.name.setText(c.name)
        self.address.setPlainText(c.address)
        self.phone.setText(c.phone)
        self.email.setText(c.email)
        self.chair.setText(c.chair_name)
        self.naccc.setText(c.naccc_contact)
        self.solicitor.setText(c.solicitor_name)
        self.firm.setText(c.solicitor_firm)
        self.emergency.setPlainText(c.emergency_details)

    def save(self) -> None:
        self.errors.clear()
        details = CentreDetails(
            name=self.name.text(), address=self.address.toPlainText(),
            phone=self.phone.text(), email=self.email.text(),
            chair_name=self.chair.text(), naccc_contact=self.naccc.text(),
            solicitor_name=self.solicitor.text(), solicitor_firm=self.firm.text(),
            emergency_details=self.emergency.toPlainText(),
            extra=self.ctx.services.centre.details().extra,
        )
        if not run_action(None, self, "", lambda: self.ctx.services.centre.update(details), errors=self.errors):
            return
        self.ctx.dialogs.info(self, "Saved", "The centre's details have been saved.")


class NewPassphraseDialog(FormDialog):
    """Asks for a temporary passphrase (twice) for someone else's account.

    The caller sets ``action``: a function doing the service call with this dialog.
    """

    def __init__(self, title: str, intro: str, parent: QWidget | None = None,
                 with_account_fields: bool = False) -> None:
        super().__init__(title, parent, intro=intro)
        add, form = self.errors.add, self.form
        self.username = self.display_name = None
        self.role: QComboBox | None = None
        if with_account_fields:
            self.display_name = add(form, "display_name", "Full &name:", line_edit())
            self.username = add(form, "username", "Account na&me:", line_edit(placeholder="e.g. j.smith"))
            self.role = QComboBox()
            for role in Role:
                self.role.addItem(role.label, role)
            self.role.setCurrentIndex(2)
            add(form, "role", "&Role:", self.role)
        self.passphrase: QLineEdit = add(form, "passphrase", "Temporary &passphrase:", line_edit(password=True))
        self.again: QLineEdit = add(form, "again", "Passphrase &again:", line_edit(password=True))
        note = QLabel("Give the passphrase to the person in person, not by email. They will be "
                      "asked to choose their own when they first unlock.")
        note.setWordWrap(True)
        self.outer.addWidget(note)
        self.on_ok: Callable[[NewPassphraseDialog], None] | None = None
        self.finish(480)

    def save(self) -> None:
        require_same(self.passphrase, self.again)
        if self.on_ok is not None:
            self.on_ok(self)


class AccountsPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        self.table: RecordTable[Account] = RecordTable([
            ("Name", lambda a: a.display_name),
            ("Account", lambda a: a.username),
            ("Role", lambda a: a.role.label),
            ("Status", lambda a: ("Enabled" if a.enabled else "Disabled")
             + (" – temporary passphrase" if a.enabled and a.must_change_passphrase else "")),
            ("Last unlocked", lambda a: _when(a.last_login_at)),
        ], "Accounts")
        self.model = self.table.records
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add account…")
        self.add_button.setObjectName("add_account_button")  # the first steps go here
        self.disable_button = QPushButton("&Disable")
        self.enable_button = QPushButton("Re-ena&ble…")
        self.reset_button = QPushButton("&Reset passphrase…")
        self.remove_button = QPushButton("Re&move…")
        self.remove_button.setToolTip("Remove the account for good (it can never be enabled again)")
        for b in (self.add_button, self.disable_button, self.enable_button, self.reset_button,
                  self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add)
        self.disable_button.clicked.connect(self.disable)
        self.remove_button.clicked.connect(self.remove)
        self.enable_button.clicked.connect(lambda: self._passphrase_action("enable"))
        self.reset_button.clicked.connect(lambda: self._passphrase_action("reset"))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if "accounts" in topics:
            self.refresh()

    def refresh(self) -> None:
        self.table.set_rows(self.ctx.services.accounts.list())
        self._update_buttons()

    def selected(self) -> Account | None:
        return self.table.selected()

    def _update_buttons(self) -> None:
        a = self.selected()
        me = a is not None and a.id == self.ctx.actor.account_id
        self.disable_button.setEnabled(a is not None and a.enabled and not me)
        self.enable_button.setEnabled(a is not None and not a.enabled)
        self.reset_button.setEnabled(a is not None and a.enabled and not me)
        self.remove_button.setEnabled(a is not None and not me)

    def add(self) -> None:
        dialog = NewPassphraseDialog("Add an account", "A new account for someone at the centre.",
                                     self, with_account_fields=True)

        def action(d: NewPassphraseDialog) -> None:
            assert d.role is not None
            self.ctx.services.accounts.add(d.username.text(), d.display_name.text(),  # type: ignore[union-attr]
                                           d.role.currentData(), d.passphrase.text())

        dialog.on_ok = action
        dialog.exec()

    def disable(self) -> None:
        a = self.selected()
        if a is None:
            return
        from ccc_desktop.ui.settings.revoke import disable_account

        disable_account(self.ctx, a, self)
        self.refresh()

    def remove(self) -> None:
        a = self.selected()
        if a is None:
            return
        from ccc_desktop.ui.settings.revoke import remove_account

        remove_account(self.ctx, a, self)
        self.refresh()

    def _passphrase_action(self, which: str) -> None:
        a = self.selected()
        if a is None:
            return
        title = "Re-enable account" if which == "enable" else "Reset passphrase"
        dialog = NewPassphraseDialog(title, f"Choose a temporary passphrase for {a.display_name}.", self)

        def action(d: NewPassphraseDialog) -> None:
            fn = self.ctx.services.accounts.enable if which == "enable" else self.ctx.services.accounts.reset_passphrase
            fn(a.id, d.passphrase.text())

        dialog.on_ok = action
        dialog.exec()


class AuditPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.search = line_edit(placeholder="Search the audit trail (who, what, record)…")
        self.search.setAccessibleName("Search the audit trail")
        self.search.textChanged.connect(lambda _t: self.refresh())
        row.addWidget(self.search)
        self.verify_button = QPushButton("Verify audi&t trail")
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.verify_button)
        layout.addLayout(row)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setObjectName("auditResult")
        layout.addWidget(self.result)
        self.model: RecordTableModel[AuditEntry] = RecordTableModel([
            ("#", lambda e: e.id),
            ("When", lambda e: _when(e.at)),
            ("Who", lambda e: e.actor),
            ("What", lambda e: e.action),
            ("Record", lambda e: f"{e.record_type} {e.record_id}".strip()),
            ("Detail", lambda e: e.detail),
        ])
        self.table = table_view(self.model, "Audit trail")
        layout.addWidget(self.table)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if "audit" in topics and self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        if self.ctx.services.session.is_open:
            self.model.set_rows(self.ctx.services.audit.entries(self.ctx.actor, self.search.text().strip()))

    def verify(self) -> None:
        result = self.ctx.services.audit.verify(self.ctx.actor)
        if result.ok:
            self.result.setStyleSheet("color: #2e7d32; font-weight: bold;")
            self.result.setText(f"The audit trail is whole: all {result.entries_checked} entries "
                                "check out, none changed, removed or reordered.")
        else:
            self.result.setStyleSheet("color: #b00020; font-weight: bold;")
            self.result.setText("The audit trail has been tampered with. " + result.problem
                                + " Tell the Chair.")
        self.ctx.services.audit.record("audit trail verified", detail="whole" if result.ok else "TAMPERED")


class SecurityPanel(QWidget):
    def __init__(self, ctx: AppContext, on_idle_changed=None) -> None:
        super().__init__()
        self.ctx = ctx
        self.on_idle_changed = on_idle_changed
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setSuffix(" minutes")
        self.idle.setValue(ctx.services.centre.idle_lock_minutes())
        self.idle.setAccessibleName("Lock after minutes without use")
        form.addRow("&Lock after no use for:", self.idle)
        self.attachment_mb = QSpinBox()
        self.attachment_mb.setRange(1, 200)
        self.attachment_mb.setSuffix(" MB")
        self.attachment_mb.setValue(ctx.services.attachments.max_mb())
        self.attachment_mb.setAccessibleName("Largest attached document")
        form.addRow("Largest attached &document:", self.attachment_mb)
        layout.addLayout(form)
        layout.addLayout(right_row(button("Save", self.save)))
        info = QLabel(
            "The records are kept in one encrypted file. Each account's passphrase unlocks it; "
            "the recovery key in the safe unlocks it if every passphrase is forgotten. Press "
            "Ctrl+L to lock the window whenever you step away.\n\nData folder: "
            + str(ctx.services.session.vault.paths.data_dir))
        info.setWordWrap(True)
        layout.addWidget(info)
        layout.addStretch(1)

    def save(self) -> None:
        def save_all() -> None:
            self.ctx.services.centre.set_idle_lock_minutes(self.idle.value())
            if self.attachment_mb.value() != self.ctx.services.attachments.max_mb():
                self.ctx.services.attachments.set_max_mb(self.attachment_mb.value())

        if not run_action(self.ctx.dialogs, self, "Not saved", save_all):
            return
        if self.on_idle_changed:
            self.on_idle_changed(self.idle.value())
        self.ctx.dialogs.info(self, "Saved", f"The window will lock after {self.idle.value()} minutes without use.")


class SettingsTab(QTabWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.centre = CentrePanel(ctx)
        self.accounts = AccountsPanel(ctx)
        self.audit = AuditPanel(ctx)
        self.security = SecurityPanel(ctx)
        self.addTab(self.centre, "Centre details")
        self.addTab(self.accounts, "Accounts")
        self.addTab(self.audit, "Audit trail")
        self.addTab(self.security, "Security")
        if ctx.actor.can(Permission.EDIT_FAMILIES):
            from ccc_desktop.ui.imports.imports import ImportPanel

            self.imports = ImportPanel(ctx)
            self.addTab(self.imports, "Import and export")

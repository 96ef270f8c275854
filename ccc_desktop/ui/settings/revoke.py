"""Disabling or removing an account: the records are rekeyed (slow on a big centre), with
progress, and the user is told plainly what older copies still open, and offered a fresh backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from ccc_desktop.models.errors import CccError
from ccc_desktop.models.fileio import ProgressFn
from ccc_desktop.models.records import Account
from ccc_desktop.models.revocation import RekeyResult
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog


class ProgressDialog(FormDialog):
    """Runs fn(progress) off the UI thread and shows how far it has got; cannot be cancelled
    (a rekey finishes or undoes itself)."""

    def __init__(self, title: str, text: str, fn: Callable[[ProgressFn], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent, intro=text, ok=QDialogButtonBox.StandardButton.NoButton,
                         cancel=False)
        self.result_: Any = None
        self.error: BaseException | None = None
        self.fn = fn
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        bar = self.add_progress()
        bar.setAccessibleName(title)
        bar.show()  # the dialog is there to show it: shown before the work starts too
        self.finish(460)

    def exec(self) -> int:
        self.run_task(self.fn, self._done, self._failed)
        return super().exec()

    def _done(self, result: Any) -> None:
        self.result_ = result

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self.done(QDialog.DialogCode.Rejected)


def revoke_progress(account: Account, fn: Callable[[ProgressFn], Any],
                    parent: QWidget | None, removing: bool = False) -> ProgressDialog:
    verb = "Removing" if removing else "Disabling"
    return ProgressDialog(
        f"{verb} the account",
        f"{verb} {account.display_name}'s account: the records are being given a new key"
        + (" (and the sealed records a new seal key)" if account.role.holds_seal_key else "")
        + ", so that the old passphrase opens nothing. Please wait: on a large centre this takes "
        "a minute or two.", fn, parent)


def disable_account(ctx: AppContext, account: Account, parent: QWidget) -> RekeyResult | None:
    """Ask, rekey with progress, then say what older copies still open and offer to act."""
    if not ctx.dialogs.confirm(
            parent, "Disable account",
            f"Disable {account.display_name}'s account? Their passphrase will stop working at once: "
            "the records get a new key"
            + (" and a new seal key" if account.role.holds_seal_key else "") + ", so no copy of "
            "the key file they may hold opens them either.", yes="Disable"):
        return None
    service = ctx.services.accounts
    return _revoke(ctx, account, parent, "disabled",
                   revoke_progress(account, lambda progress: service.disable(account.id, progress),
                                   parent))


def remove_text(account: Account) -> str:
    """What Remove does, in plain words, for the confirmation."""
    text = (f"Remove {account.display_name}'s account ({account.username}) for good? It leaves the "
            "list of accounts and can never be enabled again; to give the person access later, "
            "add a new account. The records and the audit trail still show the name where this "
            "account did something.")
    if account.enabled:
        text += (" Their passphrase stops working at once: the records get a new key"
                 + (" and a new seal key" if account.role.holds_seal_key else "")
                 + ", so no copy of the key file they may hold opens them either. On a large "
                 "centre this takes a minute or two.")
    else:
        text += " The account is already disabled, so its passphrase opens nothing now."
    return text


def remove_account(ctx: AppContext, account: Account, parent: QWidget) -> bool:
    """Ask in plain words, then remove (with the rekey's progress when the account was enabled).
    True when the account was removed."""
    if not ctx.dialogs.confirm(parent, "Remove account", remove_text(account),
                               yes="Remove account", no="Keep it"):
        return False
    service = ctx.services.accounts
    if not account.enabled:
        if not run_action(ctx.dialogs, parent, "Not removed", lambda: service.remove(account.id)):
            return False
        ctx.dialogs.info(parent, "Account removed",
                         f"{account.display_name}'s account has been removed.")
        return True
    dialog = revoke_progress(account, lambda progress: service.remove(account.id, progress),
                             parent, removing=True)
    return _revoke(ctx, account, parent, "removed", dialog) is not None


def _revoke(ctx: AppContext, account: Account, parent: QWidget, done: str,
            dialog: ProgressDialog) -> RekeyResult | None:
    dialog.exec()
    if dialog.error is not None:
        exc = dialog.error
        ctx.dialogs.error(parent, f"Not {done}", str(exc) if isinstance(exc, CccError)
                          else f"Something went wrong: {exc}. Nothing was changed.")
        return None
    result: RekeyResult | None = dialog.result_
    if result is None:
        return None
    if result.new_recovery_key:
        show_new_recovery_key(ctx, result.new_recovery_key, parent)
    ctx.dialogs.info(parent, f"Account {done}", result.message)
    offer_fresh_backup(ctx, parent)
    old = ctx.services.backup.old_copies(result.at)
    if old and ctx.dialogs.confirm(
            parent, "Delete the older copies?",
            f"CCC Desktop manages {len(old)} copies made before this change (in its backups "
            "folder and the backup folder it uses). They still open with the old passphrases. "
            "Delete them now?", yes="Delete them", no="Keep them"):
        gone = ctx.services.backup.delete_old_copies(old)
        ctx.dialogs.info(parent, "Older copies deleted", f"{gone} older copies were deleted.")
    return result


def show_new_recovery_key(ctx: AppContext, recovery_key: str, parent: QWidget) -> None:
    """The old recovery slot (made before the key file's format 2) could not be given the new
    keys: there is a new recovery key, shown now and printed for the safe, like at set-up."""
    from ccc_desktop.documents.recovery_key import recovery_key_pdf
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    ctx.dialogs.warning(
        parent, "New recovery key",
        "The old recovery key could not be carried over to the new key, so there is a new one. "
        f"Print it and keep it in the centre's safe; the old one no longer opens anything:"
        f"\n\n{recovery_key}")
    session = ctx.services.session
    pdf = recovery_key_pdf(ctx.services.centre.details(), recovery_key, session.clock.today())

    def audit(how: str) -> None:
        session.audit.record(f"recovery key {how}")

    PdfPreviewDialog(None, pdf=pdf, title="Recovery key", suggested_name="recovery-key.pdf",
                     dialogs=ctx.dialogs, on_output=audit, parent=parent).exec()


def offer_fresh_backup(ctx: AppContext, parent: QWidget) -> None:
    if not ctx.dialogs.confirm(parent, "Make a fresh backup?",
                               "Make a fresh backup now, under the new key? Then delete the older "
                               "backups on your sticks: they still open with the old passphrases.",
                               yes="Back up now…", no="Not now"):
        return
    folder = ctx.dialogs.choose_folder(parent, "Choose where to write the backup (e.g. the USB stick)")
    if not folder:
        return
    backup = ctx.services.backup
    dialog = ProgressDialog("Backing up", "Writing and checking the backup…",
                            lambda progress: backup.backup(Path(folder), progress), parent)
    dialog.exec()
    if dialog.error is not None:
        exc = dialog.error
        ctx.dialogs.error(parent, "No backup made", str(exc) if isinstance(exc, CccError)
                          else f"Something went wrong: {exc}.")
    elif dialog.result_ is not None:
        ctx.dialogs.info(parent, "Backup made",
                         f"The backup {dialog.result_.name} was written to {folder} and checked.")

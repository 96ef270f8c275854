"""--screenshots: render every main screen and dialog to PNG, and the sample documents to PDF."""

from __future__ import annotations

import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from ccc_desktop.models import crypto
from ccc_desktop.models.services.registry import Services
from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.screenshots.attachments import ATTACHMENT_SHOTS
from ccc_desktop.ui.screenshots.door import DOOR_DOCUMENTS, DOOR_SHOTS
from ccc_desktop.ui.screenshots.families import FAMILY_DOCUMENTS, FAMILY_SHOTS
from ccc_desktop.ui.screenshots.forms import FORM_SHOTS
from ccc_desktop.ui.screenshots.imports import IMPORT_SHOTS
from ccc_desktop.ui.screenshots.legal import LEGAL_DOCUMENTS, LEGAL_SHOTS
from ccc_desktop.ui.screenshots.statistics import STATISTICS_DOCUMENTS, STATISTICS_SHOTS
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.shell.main_window import MainWindow
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs


@dataclass(frozen=True)
class Shot:
    filename: str
    make: Callable[[MainWindow], QWidget]


def _about(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.shell.about import AboutDialog

    return AboutDialog(parent=w)


def _change_passphrase(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.shell.passphrase_dialog import ChangePassphraseDialog

    assert w.ctx is not None
    return ChangePassphraseDialog(w.ctx.services.accounts, required=True, parent=w)


def _add_account(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.settings.settings import NewPassphraseDialog

    return NewPassphraseDialog("Add an account", "A new account for someone at the centre.", w,
                               with_account_fields=True)


def _settings(sub: int) -> Callable[[MainWindow], QWidget]:
    def make(w: MainWindow) -> QWidget:
        tab = w.show_tab("settings")
        assert tab is not None
        tab.setCurrentIndex(sub)  # type: ignore[attr-defined]
        if sub == 2:
            tab.audit.verify()  # type: ignore[attr-defined]
        return w

    return make


def _recovery_dialog(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.shell.unlock import RecoveryDialog

    return RecoveryDialog(lambda *a: None, w)  # type: ignore[arg-type]


def _pdf_preview(w: MainWindow) -> QWidget:
    """A letter rendered by PDFium in the preview: proves the bundle carries PDFium and the fonts."""
    from ccc_desktop.documents.recovery_key import recovery_key_pdf
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    assert w.ctx is not None
    services = w.ctx.services
    pdf = recovery_key_pdf(services.centre.details(), crypto.new_recovery_key(),  # a sample key
                           services.session.clock.today())
    return PdfPreviewDialog(None, pdf=pdf, title="Recovery key (sample)", parent=w)


def names_of_every_script_pdf(services: Services) -> bytes:
    """A sample attendance letter (not kept) naming people in Arabic, Hebrew, Chinese, Japanese,
    Polish and Welsh: each prints as itself (joined, in reading order, in a font that has it)."""
    from datetime import timedelta

    from ccc_desktop.documents.attendance import attendance_letter
    from ccc_desktop.models.families_records import Attendance

    today = services.session.clock.today()
    rows = [Attendance(today - timedelta(days=7 * n), "10:02", "11:58") for n in (3, 2, 1)]
    return attendance_letter(
        services.centre.details(), today, "F-0000 (sample)", "Siân Llŷr ap Gwilym",
        "Gwasanaeth Cyfreithiol Caerdydd", ["محمد عبد الله", "שרה כהן", "Łukasz Żółkiewski"],
        ["王小明", "山田 花子"], rows, services.session.actor.display_name)


def _names_letter(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    assert w.ctx is not None
    return PdfPreviewDialog(None, pdf=names_of_every_script_pdf(w.ctx.services),
                            title="Attendance letter (sample names)", parent=w)


def grab(widget: QWidget, path: Path) -> None:
    if isinstance(widget, QDialog):
        widget.show()
    for _ in range(3):
        QApplication.processEvents()
    # The main window's dashboard and retention report are read in a worker thread: wait.
    deadline = time.monotonic() + 60
    while (any(getattr(w, "busy", False) is True for w in widget.findChildren(QWidget))
           and time.monotonic() < deadline):
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(3):  # what came back is laid out (a screen filled from the background)
        QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise RuntimeError(f"could not write {path.name}")


def _wizard_shots(out: Path) -> list[str]:
    from ccc_desktop.ui.shell.setup_wizard import SetupWizard

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        wizard = SetupWizard(Vault(Path(tmp) / "unused"), RecordingDialogs())
        wizard.show_key(crypto.new_recovery_key())  # an unused sample key
        wizard.show()
        for n, page_id in enumerate(wizard.pageIds()):
            try:
                while wizard.currentId() != page_id:
                    # Jump straight to each page without creating anything.
                    wizard.setStartId(page_id)
                    wizard.restart()
                grab(wizard, out / f"setup-{n + 1}-{type(wizard.page(page_id)).__name__.removesuffix('Page').lower()}.png")
            except Exception:  # noqa: BLE001
                failures.append(f"setup page {n + 1}: {traceback.format_exc(limit=2)}")
        wizard.close()
    return failures


def _new_centre_shots(out: Path) -> list[str]:
    """A centre straight out of the set-up wizard: the dashboard's first steps."""
    from ccc_desktop.demo.context import DEMO_CENTRE

    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault(Path(tmp) / "new-centre")
        session, _key = vault.create(DEMO_CENTRE, "coordinator", "Carol Dean",
                                     "a sample passphrase for the new centre")
        controller = Controller(vault, RecordingDialogs())
        window = controller.window
        window.show()
        try:
            controller.on_unlocked(session)
            window.show_tab("dashboard")
            grab(window, out / "dashboard-first-steps.png")
        except Exception:  # noqa: BLE001
            failures.append(f"dashboard-first-steps.png: {traceback.format_exc(limit=3)}")
        finally:
            controller.shutdown()
            window.close()
    return failures


def run_screenshots(vault: Vault, out: Path) -> list[str]:
    from ccc_desktop.demo import DEMO_ACCOUNTS

    out.mkdir(parents=True, exist_ok=True)
    failures = _wizard_shots(out)
    failures += _new_centre_shots(out)
    dialogs = RecordingDialogs()
    controller = Controller(vault, dialogs, hint="Demo records (all fictional).")
    window = controller.window
    window.show()
    try:
        grab(window, out / "unlock.png")
        name, pw = DEMO_ACCOUNTS["coordinator"]
        controller.unlock_now("coordinator", pw)
        assert window.ctx is not None and window.tabs is not None
        for key in list(window.tab_keys):
            try:
                window.show_tab(key)
                grab(window, out / f"tab-{key}.png")
            except Exception:  # noqa: BLE001
                failures.append(f"tab {key}: {traceback.format_exc(limit=3)}")
        for shot in SHOTS:
            try:
                widget = shot.make(window)
                grab(widget, out / shot.filename)
                if isinstance(widget, QDialog):
                    widget.close()
            except Exception:  # noqa: BLE001
                failures.append(f"{shot.filename}: {traceback.format_exc(limit=3)}")
        for filename, make_pdf in DOCUMENTS:
            try:
                (out / filename).write_bytes(make_pdf(window.ctx.services))
            except Exception:  # noqa: BLE001
                failures.append(f"{filename}: {traceback.format_exc(limit=3)}")
        controller.lock()
        grab(window, out / "locked.png")
        # The volunteer's view: only what that role may see.
        controller.unlock_now("volunteer", DEMO_ACCOUNTS["volunteer"][1])
        grab(window, out / "volunteer-view.png")
        controller.lock()
    except Exception:  # noqa: BLE001
        failures.append(traceback.format_exc(limit=5))
    finally:
        controller.shutdown()
        window.close()
    return failures


def _guide(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.shell.guide import GuideDialog

    return GuideDialog(w)


def _volunteers(sub: int) -> Callable[[MainWindow], QWidget]:
    def make(w: MainWindow) -> QWidget:
        tab = w.show_tab("volunteers")
        assert tab is not None
        tab.setCurrentIndex(sub)  # type: ignore[attr-defined]
        if sub == 0:
            tab.list_panel.table.selectRow(2)  # type: ignore[attr-defined]
        return w

    return make


# ---- data protection (issue 6) ---------------------------------------------------------------------
def _reports(sub: int) -> Callable[[MainWindow], QWidget]:
    def make(w: MainWindow) -> QWidget:
        tab = w.show_tab("reports")
        assert tab is not None
        tab.setCurrentIndex(sub)  # type: ignore[attr-defined]
        if sub == 0 and tab.retention.model.rows:  # type: ignore[attr-defined]
            tab.retention.select_due()  # type: ignore[attr-defined]
        if sub == 2 and tab.subject_access.model.rows:  # type: ignore[attr-defined]
            tab.subject_access.view.selectRow(0)  # type: ignore[attr-defined]
        return w

    return make


def _sar_link(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.data_protection.subject_access import LinkDialog

    assert w.ctx is not None
    linked = [r for r in w.ctx.services.subject_access.list(open_only=True) if r.subject_category]
    request = linked[0] if linked else w.ctx.services.subject_access.list()[0]
    return LinkDialog(w.ctx, request, w)


def _volunteer_record(w: MainWindow) -> QWidget:
    from ccc_desktop.models.volunteers_records import VolunteerStatus
    from ccc_desktop.ui.volunteers.volunteers import VolunteerDialog

    assert w.ctx is not None
    active = w.ctx.services.volunteers.list(VolunteerStatus.ACTIVE)
    # One who needs something, so the record shows its warnings.
    rows = {r.volunteer.id: r for r in w.ctx.services.volunteers.overview(VolunteerStatus.ACTIVE)}
    chosen = next((v for v in active if v.needs_to_sign_again),
                  next((v for v in active if rows[v.id].needs), active[0]))
    return VolunteerDialog(w.ctx, chosen, w)


def _dbs_tab(w: MainWindow) -> QWidget:
    tab = w.show_tab("dbs")
    assert tab is not None
    tab.table.selectRow(0)  # type: ignore[attr-defined]
    return w


def _dbs_result(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.volunteers.dbs import ResultDialog

    assert w.ctx is not None
    dbs = w.ctx.services.dbs
    check = next(c for c in dbs.latest() if c.update_service) if dbs.latest() else None
    assert check is not None
    return ResultDialog(check, dbs.open_result(check.id), w)


def _dbs_record(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.volunteers.dbs import DbsCheckDialog

    assert w.ctx is not None
    return DbsCheckDialog(w.ctx, None, None, w)


def _disposal_dialog(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.data_protection.reports import DisposalDialog

    assert w.ctx is not None
    due = w.ctx.services.retention.report().due
    if not due:
        # Until the families/volunteers areas provide records past retention there is nothing to
        # dispose of: show the (empty) retention report rather than invent records.
        return _reports(0)(w)
    return DisposalDialog(w.ctx, list(due[:5]), w)


def _revoke_progress(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.settings.revoke import revoke_progress

    assert w.ctx is not None
    chair = next(a for a in w.ctx.services.accounts.list() if a.username == "chair")
    dialog = revoke_progress(chair, lambda progress: None, w)  # shown, never started
    assert dialog.progress is not None
    dialog.progress.setValue(40)
    return dialog


def _remove_progress(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.settings.revoke import revoke_progress

    assert w.ctx is not None
    volunteer = next(a for a in w.ctx.services.accounts.list() if a.username == "volunteer")
    dialog = revoke_progress(volunteer, lambda progress: None, w, removing=True)  # never started
    assert dialog.progress is not None
    dialog.progress.setValue(60)
    return dialog


def _closing_backup(w: MainWindow) -> QWidget:
    from PySide6.QtCore import QTimer

    from ccc_desktop.ui.data_protection.closing_backup import ClosingBackupDialog

    assert w.ctx is not None
    dialog = ClosingBackupDialog(w.ctx.services.backup, Path("E:/CCC backups"), w)
    for timer in dialog.findChildren(QTimer):
        timer.stop()  # photographed counting down: no backup is started
    return dialog


def _locked_restore(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.data_protection.restore import LockedRestoreDialog
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs

    assert w.ctx is not None
    return LockedRestoreDialog(w.ctx.services.session.vault, RecordingDialogs(), w)


def _retention_pdf(services: Services) -> bytes:
    return services.retention.report_pdf(services.retention.report())


def _retention_csv(services: Services) -> bytes:
    return services.retention.report_csv(services.retention.report())


# ---- every screen and sample document, area by area (each area's module lists its own) ---------
ShotList = list[tuple[str, Callable[[MainWindow], QWidget]]]
SHELL_SHOTS: ShotList = [
    ("dialog-letter-names-of-every-script.png", _names_letter),
    ("settings-centre.png", _settings(0)),
    ("settings-accounts.png", _settings(1)),
    ("settings-audit.png", _settings(2)),
    ("settings-security.png", _settings(3)),
    ("dialog-about.png", _about),
    ("dialog-change-passphrase.png", _change_passphrase),
    ("dialog-add-account.png", _add_account),
    ("dialog-pdf-preview.png", _pdf_preview),
    ("dialog-user-guide.png", _guide),
]
VOLUNTEER_SHOTS: ShotList = [
    ("volunteers-list.png", _volunteers(0)),
    ("volunteers-rota.png", _volunteers(1)),
    ("dialog-volunteer-record.png", _volunteer_record),
    ("dbs-checks.png", _dbs_tab),
    ("dialog-dbs-result.png", _dbs_result),
    ("dialog-dbs-record.png", _dbs_record),
]
REPORT_SHOTS: ShotList = [
    ("reports-retention.png", _reports(0)),
    ("reports-disposal-log.png", _reports(1)),
    ("reports-subject-access.png", _reports(2)),
    ("reports-backups.png", _reports(3)),
    ("dialog-subject-access-link.png", _sar_link),
    ("dialog-disposal.png", _disposal_dialog),
    ("dialog-restore-locked.png", _locked_restore),
    ("dialog-disable-account-progress.png", _revoke_progress),
    ("dialog-remove-account-progress.png", _remove_progress),
    ("dialog-closing-backup.png", _closing_backup),
]
SHOTS: list[Shot] = [Shot(name, make) for name, make in (
    *SHELL_SHOTS, *VOLUNTEER_SHOTS, *FAMILY_SHOTS, *LEGAL_SHOTS, *REPORT_SHOTS, *DOOR_SHOTS,
    *IMPORT_SHOTS, *ATTACHMENT_SHOTS, *STATISTICS_SHOTS, *FORM_SHOTS)]

# Sample documents written to OUT: (filename, make_pdf(services) -> bytes).
DOCUMENTS: list[tuple[str, Callable[[Services], bytes]]] = [
    ("letter-names-of-every-script.pdf", names_of_every_script_pdf),
    *FAMILY_DOCUMENTS,
    *LEGAL_DOCUMENTS,
    ("retention-report.pdf", _retention_pdf),
    ("retention-report.csv", _retention_csv),
    *DOOR_DOCUMENTS,
    *STATISTICS_DOCUMENTS,
]

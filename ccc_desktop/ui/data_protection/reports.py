"""The Reports tab: the retention report and disposal, the disposal log, subject access
requests and backups (policy clauses 9 and 10; data protection principles 5, 6 and 7)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.data_protection_records import (
    CATEGORY_LABELS,
    DUE,
    HELD,
    UNREAD,
    DisposalResult,
    NameMention,
    RetentionItem,
    RetentionReport,
)
from ccc_desktop.models.data_protection_records import (
    RETENTION_STATUS_LABELS as STATUS_LABELS,
)
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import CccError, ValidationError, WrongPassphrase
from ccc_desktop.models.fileio import atomic_write_bytes
from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.data_protection.backups import BackupPanel
from ccc_desktop.ui.data_protection.disposal_log import DisposalLogPanel, show_certificate
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, KeepOpen, line_edit
from ccc_desktop.ui.widgets.gathered import GatheredPanel
from ccc_desktop.ui.widgets.lazy_tabs import LazyTabs
from ccc_desktop.ui.widgets.plain import wrapped_label
from ccc_desktop.ui.widgets.table_model import RecordTableModel, table_view

if TYPE_CHECKING:
    from ccc_desktop.ui.data_protection.subject_access import SubjectAccessPanel
    from ccc_desktop.ui.statistics.statistics import StatisticsPanel

_STATUS_COLOURS = {DUE: "#b00020", HELD: "#a15c00"}
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
PREVIEW_LIMIT = 300  # longer reports are saved straight to a file (the preview draws every page)


class RetentionModel(RecordTableModel[RetentionItem]):
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == _FOREGROUND and index.isValid() and index.column() == 5:
            colour = _STATUS_COLOURS.get(self.rows[index.row()].status)
            return QColor(colour) if colour else None
        return super().data(index, role)


# ---- retention ----------------------------------------------------------------------------------------
class RetentionPanel(GatheredPanel):
    """``background=True`` (the main window's Reports tab) reads the report in a worker thread,
    so showing the tab does not hold the window on a large centre; built on its own it reads it
    before returning. Read again on a change only while shown (``GatheredPanel``): behind
    another tab a save elsewhere, or a family record opened, does not wait for the report."""

    ignored_topics = frozenset({"audit", "letters", "backups"})

    def __init__(self, ctx: AppContext, background: bool = False) -> None:
        super().__init__(ctx, background)
        self.report: RetentionReport | None = None
        self.pdf_task: BackgroundTask | None = None
        layout = QVBoxLayout(self)
        self.summary = wrapped_label("")
        self.summary.setObjectName("retentionSummary")
        layout.addWidget(self.summary)
        period_row = QHBoxLayout()
        self.period = QSpinBox()
        self.period.setRange(1, 25)
        self.period.setSuffix(" years")
        self.period.setAccessibleName("Retention period in years")
        self.period.setValue(ctx.services.retention.period_years())
        self.period_button = QPushButton("Change the pe&riod")
        self.period_button.clicked.connect(self.save_period)
        period_row.addWidget(QLabel("Retention period:"))
        period_row.addWidget(self.period)
        period_row.addWidget(self.period_button)
        period_row.addStretch(1)
        can_change = ctx.actor.can(Permission.EDIT_CENTRE)
        self.period.setEnabled(can_change)
        self.period_button.setVisible(can_change)
        layout.addLayout(period_row)
        self.model = RetentionModel([
            ("Reference", lambda i: i.reference),
            ("Category", lambda i: CATEGORY_LABELS.get(i.category, i.category)),
            ("Record", lambda i: i.label),
            ("Counted from", lambda i: f"{format_date(i.last_used)} ({i.basis})"),
            ("Due on", lambda i: format_date(i.due_on)),
            ("Status", lambda i: STATUS_LABELS[i.status]),
            ("Held because / note", lambda i: i.note),
        ])
        self.view = table_view(self.model, multi=True)
        self.view.setAccessibleName("Retention report")
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.view, 1)
        self.compact_note = wrapped_label("")
        self.compact_note.setStyleSheet("color: #a15c00;")
        layout.addWidget(self.compact_note)
        row = QHBoxLayout()
        self.select_due_button = QPushButton("Select all d&ue")
        self.dispose_button = QPushButton("&Dispose of selected…")
        self.dispose_button.setStyleSheet("color: #b00020; font-weight: bold;")
        self.compact_button = QPushButton("&Compact the file now")
        self.pdf_button = QPushButton("&Preview / print PDF…")
        self.csv_button = QPushButton("Save as C&SV…")
        self.select_due_button.clicked.connect(self.select_due)
        self.dispose_button.clicked.connect(self.dispose)
        self.compact_button.clicked.connect(self.compact)
        self.pdf_button.clicked.connect(self.preview_pdf)
        self.csv_button.clicked.connect(self.save_csv)
        for b in (self.select_due_button, self.dispose_button, self.compact_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.pdf_button)
        row.addWidget(self.csv_button)
        layout.addLayout(row)
        can_dispose = ctx.actor.can(Permission.DISPOSE_RECORDS)
        self.dispose_button.setVisible(can_dispose)
        self.select_due_button.setVisible(can_dispose)
        self.watch_changes()
        self.refresh()

    def gather(self) -> None:
        retention = self.ctx.services.retention
        if not self.background:
            made = run_action(None, self, "", retention.report)
            if not made:
                self.summary.setText(str(made.error))
                return
            self._show(made.value, self.ctx.actor.can(Permission.DISPOSE_RECORDS)
                       and retention.needs_compacting())
            return
        if self.report is None:
            self.summary.setText("Reading the retention report…")
        can_dispose = self.ctx.actor.can(Permission.DISPOSE_RECORDS)
        model = self.model

        def read() -> tuple[RetentionReport, bool, list[list[str]]]:
            report = retention.report()
            # The table's text too: thousands of rows of dates to format, off the UI thread.
            return report, can_dispose and retention.needs_compacting(), model.texts(report.items)

        self.gather_in_background(read)

    def show_gathered(self, result: tuple[RetentionReport, bool, list[list[str]]]) -> None:
        self._show(*result)

    def gather_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CccError):
            self.summary.setText(str(exc))
            return
        raise exc

    def _show(self, report: RetentionReport, needs: bool,
              cells: list[list[str]] | None = None) -> None:
        self.report = report
        r = self.report
        self.period.setValue(r.period_years)
        self.model.set_rows(r.items, cells)  # the columns size themselves to their contents
        plural = {"family": "families", "volunteer": "volunteers",
                  "subject_access": "closed subject access requests",
                  "summons": "closed witness summonses"}
        names = [plural.get(c, c) for c in r.categories]
        kinds = (", ".join(names[:-1]) + " and " + names[-1]) if len(names) > 1 else (names[0] if names else "nothing yet")
        self.summary.setText(
            f"Report of {format_date(r.generated_on)}. Records are kept for {r.period_years} years from "
            f"their last use (families), resignation (volunteers) or closing (requests, summonses), then "
            f"destroyed "
            f"(policy clause 10). "
            f"{len(r.due)} due for disposal, {len(r.held)} held back, {len(r.soon)} falling due in the "
            f"next {r.horizon_days} days. Covers {kinds}.")
        self.compact_note.setText("The file was not compacted after the last disposal: compact it now so "
                                  "no trace of the disposed records is left." if needs else "")
        self.compact_note.setVisible(needs)
        self.compact_button.setVisible(needs)
        self._update_buttons()

    def save_period(self) -> None:
        years = self.period.value()
        if years == self.ctx.services.retention.period_years():
            return
        if not self.ctx.dialogs.confirm(
                self, "Change the retention period?",
                f"Keep records for {years} years after their last use or resignation? The policy "
                "(clause 10) says three years: change it only if the committee has agreed.",
                yes="Change it", no="Cancel"):
            self.period.setValue(self.ctx.services.retention.period_years())
            return
        run_action(self.ctx.dialogs, self, "Not changed",
                   lambda: self.ctx.services.retention.set_period_years(years))
        self.refresh()

    def selected_items(self) -> list[RetentionItem]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row(r) for r in rows]

    def _update_buttons(self) -> None:
        items = self.selected_items()
        self.dispose_button.setEnabled(bool(items) and all(i.disposable for i in items))
        has_due = bool(self.report and self.report.due)
        self.select_due_button.setEnabled(has_due)
        self.dispose_button.setToolTip("" if self.dispose_button.isEnabled() else
                                       "Select records that are due for disposal (not held, not falling due).")

    def select_due(self) -> None:
        self.view.clearSelection()
        mode = self.view.selectionMode()
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for n, item in enumerate(self.model.rows):
            if item.disposable:
                self.view.selectRow(n)
        self.view.setSelectionMode(mode)
        self._update_buttons()

    def dispose(self) -> None:
        items = self.selected_items()
        if not items:
            return
        dialog = DisposalDialog(self.ctx, items, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_ is not None:
            result = dialog.result_
            if self.ctx.dialogs.confirm(
                    self, "Records destroyed",
                    f"{result.disposed} record{'s were' if result.disposed != 1 else ' was'} destroyed"
                    f"{' and the file was compacted' if result.vacuumed else ''}. Print the disposal "
                    "certificate for the committee now?", yes="Show the certificate", no="Not now"):
                show_certificate(self.ctx, result.batch_id, self)
        self.refresh()

    def compact(self) -> None:
        if not run_action(self.ctx.dialogs, self, "Not compacted",
                          lambda: self.ctx.services.retention.compact()):
            return
        self.refresh()

    def preview_pdf(self) -> None:
        """Build the PDF off the UI thread; a very long report is saved rather than previewed."""
        if self.report is None or self.pdf_task is not None:
            return
        report = self.report
        retention = self.ctx.services.retention
        self.pdf_button.setEnabled(False)
        self.pdf_button.setText("Preparing the PDF…")
        self.pdf_task = BackgroundTask(lambda: retention.report_pdf(report), self._pdf_ready,
                                       self._pdf_failed)
        start(self.pdf_task)

    def _pdf_done(self) -> None:
        self.pdf_task = None
        self.pdf_button.setEnabled(True)
        self.pdf_button.setText("&Preview / print PDF…")

    def _pdf_failed(self, exc: BaseException) -> None:
        self._pdf_done()
        self.ctx.dialogs.error(self, "No report", str(exc))

    def _pdf_ready(self, pdf: bytes) -> None:
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        self._pdf_done()
        report = self.report
        if report is None:
            return
        retention = self.ctx.services.retention
        name = f"retention-report-{report.generated_on.isoformat()}.pdf"
        if len(report.items) > PREVIEW_LIMIT:
            path = self.ctx.dialogs.save_file(
                self, f"Save the retention report ({len(report.items)} records) as PDF", name)
            if not path:
                return
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            if not run_action(self.ctx.dialogs, self, "Not saved",
                              lambda: atomic_write_bytes(Path(path), pdf, "the retention report")):
                return
            retention.record_export("PDF saved", report)
            self.ctx.dialogs.info(self, "Saved", f"Saved as {Path(path).name}.")
            return
        PdfPreviewDialog(self.ctx, pdf=pdf, title="Retention report", suggested_name=name,
                         on_output=lambda how: retention.record_export(how, report), parent=self).exec()

    def save_csv(self) -> None:
        if self.report is None:
            return
        path = self.ctx.dialogs.save_file(self, "Save the retention report as CSV",
                                          f"retention-report-{self.report.generated_on.isoformat()}.csv",
                                          "CSV files (*.csv)")
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        if not run_action(self.ctx.dialogs, self, "Not saved",
                          lambda: self.ctx.services.retention.save_report(Path(path), "csv", self.report)):
            return
        self.ctx.dialogs.info(self, "Saved", f"Saved as {Path(path).name}. It names people: keep it safe "
                              "and delete it when you no longer need it.")


MENTIONS_SHOWN = 12  # records listed per name in the disposal dialog; the rest are counted


def _unread_text(reference: str, found: list[NameMention]) -> str:
    """The pictures and scans, by the record they belong to, that the program cannot read."""
    counts: dict[str, int] = {}
    for m in found:
        counts[m.place] = counts.get(m.place, 0) + 1
    n = len(found)
    lines = [f"{'These records mention' if len(counts) != 1 else 'This record mentions'} someone "
             f"in {reference} and {'keep' if len(counts) != 1 else 'keeps'} "
             f"{'pictures or scans' if n != 1 else 'a picture or scan'} the program cannot read "
             f"\u2013 look at {'them' if n != 1 else 'it'} for the names:"]
    places = list(counts.items())
    lines += [f"  \u2022 {p}: {k} picture{'s' if k != 1 else ''} or scan{'s' if k != 1 else ''}"
              for p, k in places[:MENTIONS_SHOWN]]
    if len(places) > MENTIONS_SHOWN:
        lines.append(f"  \u2026 and {len(places) - MENTIONS_SHOWN} more.")
    return "\n".join(lines)


def mentions_text(mentions: list[NameMention]) -> str:
    """What the disposal dialog says about records left mentioning a name alone, by name, and
    about the pictures and scans it could not read in records that mention the person."""
    unread = [m for m in mentions if m.field == UNREAD]
    mentions = [m for m in mentions if m.field != UNREAD]
    parts = []
    if not mentions:
        parts.append("No other record mentions one of their first or last names on its own. "
                     "Their full names are cleared wherever they appear.")
    by_word: dict[tuple[str, str], list[NameMention]] = {}
    for m in mentions:
        by_word.setdefault((m.reference, m.word.casefold()), []).append(m)
    for (reference, _), found in by_word.items():
        places = list(dict.fromkeys(m.where for m in found))
        n = len(places)
        if found[0].shared:  # someone in a record that stays has the same full name
            word = (f"\u2018{found[0].word}\u2019 (a name in {reference}, and also of someone "
                    "in a record that stays)")
            lines = [f"{'These other records mention' if n != 1 else 'This other record mentions'} "
                     f"{word}; {'they' if n != 1 else 'it'} will not be changed \u2013 check "
                     f"{'them' if n != 1 else 'it'}:"]
        else:
            word = f"\u2018{found[0].word}\u2019 (a name in {reference})"
            lines = [f"These other records mention {word} alone; they will not be changed \u2013 "
                     "check them:" if n != 1 else
                     f"This other record mentions {word} alone; it will not be changed \u2013 check it:"]
        lines += [f"  \u2022 {p}" for p in places[:MENTIONS_SHOWN]]
        if n > MENTIONS_SHOWN:
            lines.append(f"  \u2026 and {n - MENTIONS_SHOWN} more.")
        parts.append("\n".join(lines))
    if mentions:
        parts[-1] += ("\n\nThey may be about someone else of the same name, so they are left as "
                      "they are; the certificate counts them.")
    by_reference: dict[str, list[NameMention]] = {}
    for m in unread:
        by_reference.setdefault(m.reference, []).append(m)
    parts += [_unread_text(reference, found) for reference, found in by_reference.items()]
    if unread:
        parts[-1] += ("\n\nAttached documents with words are searched; pictures and scans are "
                      "not. The certificate counts them.")
    return "\n\n".join(parts)


class _NamesCheck(QLabel):
    """The check for other records that mention a name alone; ``busy`` while it runs (the
    screenshots wait for it)."""

    def __init__(self) -> None:
        super().__init__("Checking the other records, letters and attached documents for these "
                         "names\u2026")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setObjectName("names_check")
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.busy = True
        self.mentions: list[NameMention] = []


class DisposalDialog(FormDialog):
    """Confirm a disposal: what goes, what stays in the log, the other records that mention a
    first or last name alone (checked in the background first), and the passphrase again."""

    def __init__(self, ctx: AppContext, items: list[RetentionItem], parent: QWidget | None = None) -> None:
        n = len(items)
        records = f"{n} record{'s' if n != 1 else ''}"
        super().__init__("Dispose of records", parent, f"Destroy {records} for good?",
                         ok_text=f"Destroy {records}")
        self.ctx = ctx
        self.items = items
        self.result_: DisposalResult | None = None
        assert self.intro_label is not None
        self.intro_label.setStyleSheet("font-size: 13pt; font-weight: bold; color: #b00020;")
        self.intro_label.setWordWrap(False)
        shown = items[:8]
        lines = [f"{i.reference} · {CATEGORY_LABELS.get(i.category, i.category)} · {i.label} "
                 f"({i.basis} {format_date(i.last_used)}, due {format_date(i.due_on)})" for i in shown]
        if n > len(shown):
            lines.append(f"… and {n - len(shown)} more.")
        listing = wrapped_label("\n".join(lines))
        listing.setStyleSheet("background: #f6f7f9; padding: 6px;")
        self.outer.insertWidget(1, listing)
        self.outer.insertWidget(2, wrapped_label(
            "Everything about each record goes: the record, contacts, bookings, attendance, consents, "
            "disclosures, letters, subject access requests and sealed fields. The file is then compacted "
            "so no trace is left in it. This cannot be undone.\n\n"
            "The disposal log keeps only the reference, the category, the last-used date, today's date "
            "and your name. Backups made before today still hold these records."))
        self.names_check = _NamesCheck()
        self.names_check.setStyleSheet("background: #fff8e1; padding: 6px;")
        scroll = QScrollArea()
        scroll.setWidget(self.names_check)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumHeight(120)
        scroll.setMaximumHeight(400)
        self.outer.insertWidget(3, scroll, 3)
        self.passphrase = self.field("passphrase", "Your &passphrase, to authorise:", line_edit(password=True))
        self.add_progress(n + 1, "Destroying records… %v of %m")
        self.ok_button.setStyleSheet("color: #b00020; font-weight: bold;")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.finish(660)
        self.resize(680, 540)
        self.ok_button.setEnabled(False)  # until the other records are checked
        selection = [(i.category, i.record_id) for i in items]
        retention = ctx.services.retention
        self.check_task: BackgroundTask | None = BackgroundTask(
            lambda: retention.names_left_alone(selection), self._checked, self._check_failed)
        start(self.check_task)

    def _checked(self, mentions: list[NameMention]) -> None:
        self.check_task = None
        self.names_check.mentions = mentions
        self.names_check.setText(mentions_text(mentions))
        self.names_check.busy = False
        self.ok_button.setEnabled(True)

    def _check_failed(self, exc: BaseException) -> None:
        self.check_task = None
        self.names_check.setText(f"The other records could not be checked for these names: {exc}")
        self.names_check.busy = False
        self.ok_button.setEnabled(True)

    def reject(self) -> None:
        if self.check_task is None:  # the check reads the file: let it end first
            super().reject()

    def save(self) -> None:
        if self.check_task is not None:
            raise KeepOpen()
        passphrase = self.passphrase.text()
        if not passphrase:
            raise ValidationError("Enter your passphrase to authorise the disposal.", "passphrase")
        selection = [(i.category, i.record_id) for i in self.items]
        retention = self.ctx.services.retention
        self.run_task(lambda progress: retention.dispose(selection, passphrase, progress),
                      self._done, self._refused_why, locks=(self.passphrase,))

    def _moved(self, done: int, total: int) -> None:
        super()._moved(done, total)
        if done == total - 1 and self.progress is not None:
            self.progress.setFormat("Compacting the file…")

    def _done(self, result: DisposalResult) -> None:
        self.result_ = result

    def _refused_why(self, exc: BaseException) -> CccError:
        if isinstance(exc, WrongPassphrase):
            self.passphrase.clear()
            return ValidationError(str(exc), "passphrase")
        return exc if isinstance(exc, CccError) else CccError(f"The disposal stopped: {exc}")


# ---- the tab ---------------------------------------------------------------------------------------------
class ReportsTab(LazyTabs):
    """The retention report is read when the tab is built; the other pages (the disposal log,
    subject access, backups, statistics) each the first time they are shown or asked for."""

    def __init__(self, ctx: AppContext, background: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.retention = RetentionPanel(ctx, background)  # the report read in a worker if asked
        self.add_page("retention", "Retention", self.retention)
        self.add_lazy("disposal_log", "Disposal log", lambda: DisposalLogPanel(ctx))
        self.add_lazy("subject_access", "Subject access requests", self._subject_access)
        if ctx.actor.can(Permission.BACKUP):
            self.add_lazy("backups", "Backups", self._backups)
        self.add_lazy("statistics", "Statistics", self._statistics)

    def _subject_access(self) -> QWidget:
        from ccc_desktop.ui.data_protection.subject_access import SubjectAccessPanel

        return SubjectAccessPanel(self.ctx)

    def _backups(self) -> QWidget:
        return BackupPanel(self.ctx)

    def _statistics(self) -> QWidget:
        from ccc_desktop.ui.statistics.statistics import StatisticsPanel

        return StatisticsPanel(self.ctx)

    @property
    def disposal_log(self) -> DisposalLogPanel:
        return cast(DisposalLogPanel, self.page("disposal_log"))

    @property
    def subject_access(self) -> SubjectAccessPanel:
        return cast("SubjectAccessPanel", self.page("subject_access"))

    @property
    def backups(self) -> BackupPanel | None:
        """None where the account may not make backups."""
        return cast(BackupPanel, self.page("backups")) if self.has_page("backups") else None

    @property
    def statistics(self) -> StatisticsPanel:
        return cast("StatisticsPanel", self.page("statistics"))

    def refresh(self) -> None:
        # A page not built yet reads its records when it is first shown.
        for panel in self.built_pages():
            refresh = getattr(panel, "refresh", None)
            if callable(refresh):
                refresh()

    def show_statistics(self) -> None:
        self.setCurrentWidget(self.statistics)

    def show_backups(self) -> None:
        if self.backups is not None:
            self.setCurrentWidget(self.backups)

"""Reports > Retention > Dispose of selected: the dialog that confirms a disposal (what goes,
what stays in the log, other records that mention a name alone, and the passphrase again)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QWidget,
)

from ccc_desktop.models.data_protection_records import (
    CATEGORY_LABELS,
    DisposalResult,
    NameMention,
    RetentionItem,
)
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import CccError, ValidationError, WrongPassphrase
from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog, KeepOpen, line_edit
from ccc_desktop.ui.widgets.plain import wrapped_label

MENTIONS_SHOWN = 12  # records listed per name in the disposal dialog; the rest are counted


def mentions_text(mentions: list[NameMention]) -> str:
    """What the disposal dialog says about records left mentioning a name alone, by name."""
    if not mentions:
        return ("No other record mentions one of their first or last names on its own. "
                "Their full names are cleared wherever they appear.")
    by_word: dict[tuple[str, str], list[NameMention]] = {}
    for m in mentions:
        by_word.setdefault((m.reference, m.word.casefold()), []).append(m)
    parts = []
    for (reference, _), found in by_word.items():
        places = list(dict.fromkeys(m.where for m in found))
        n = len(places)
        word = f"\u2018{found[0].word}\u2019 (a name in {reference})"
        lines = [f"These other records mention {word} alone; they will not be changed \u2013 "
                 "check them:" if n != 1 else
                 f"This other record mentions {word} alone; it will not be changed \u2013 check it:"]
        lines += [f"  \u2022 {p}" for p in places[:MENTIONS_SHOWN]]
        if n > MENTIONS_SHOWN:
            lines.append(f"  \u2026 and {n - MENTIONS_SHOWN} more.")
        parts.append("\n".join(lines))
    return ("\n\n".join(parts) + "\n\nThey may be about someone else of the same name, so they are "
            "left as they are; the certificate counts them.")


class _NamesCheck(QLabel):
    """The check for other records that mention a name alone; ``busy`` while it runs (the
    screenshots wait for it)."""

    def __init__(self) -> None:
        super().__init__("Checking the other records for these names\u2026")
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
        scroll.setMaximumHeight(260)
        self.outer.insertWidget(3, scroll, 3)
        self.passphrase = self.field("passphrase", "Your &passphrase, to authorise:", line_edit(password=True))
        self.add_progress(n + 1, "Destroying records… %v of %m")
        self.outer.addStretch(1)
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

"""Form helpers: labelled fields, messages shown beside the field they belong to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.errors import CccError, ValidationError
from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.plain import plain

ERROR_STYLE = "color: #b00020;"
W = TypeVar("W", bound=QWidget)


class FieldErrors:
    """Maps field names to widgets; shows a ValidationError beside its field (or in a banner)."""

    def __init__(self, banner: QLabel | None = None) -> None:
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.banner = banner
        self.unplaced: str | None = None  # where a message with no field goes (else the banner)

    def add(self, form: QFormLayout, name: str, label: str, widget: W) -> W:
        error = plain(QLabel())  # messages may quote what was typed
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        error.setObjectName(f"error_{name}")
        widget.setAccessibleName(label.rstrip(":").replace("&", ""))
        form.addRow(label, widget)
        form.addRow("", error)
        self.fields[name] = widget
        self.labels[name] = error
        return widget

    def clear(self) -> None:
        for label in self.labels.values():
            label.hide()
            label.clear()
        if self.banner is not None:
            self.banner.hide()

    def show(self, err: ValidationError | Exception) -> None:
        self.clear()
        field = getattr(err, "field", None) or self.unplaced
        if field and field in self.labels:
            self.labels[field].setText(str(err))
            self.labels[field].show()
            self.fields[field].setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.banner is not None:
            self.banner.setText(str(err))
            self.banner.show()

    def message_for(self, name: str) -> str:
        label = self.labels.get(name)
        return label.text() if label is not None and not label.isHidden() else ""


def banner_label() -> QLabel:
    label = plain(QLabel())
    label.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
    label.setWordWrap(True)
    label.hide()
    label.setObjectName("form_banner")
    return label


def line_edit(text: str = "", placeholder: str = "", password: bool = False) -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def text_edit(text: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


def require_same(first: QLineEdit, again: QLineEdit, field: str = "again") -> None:
    """A passphrase typed twice must match; the message goes beside the second box."""
    if first.text() != again.text():
        raise ValidationError("The two passphrases are not the same.", field)


class KeepOpen(CccError):
    """Raised by FormDialog.save() to stay open without an error (it showed something itself)."""


def _as_error(exc: BaseException) -> CccError:
    return exc if isinstance(exc, CccError) else CccError(f"That stopped: {exc}")


class FormDialog(QDialog):
    """An optional intro, a banner, a form whose errors show by their field, OK and Cancel.

    Every form dialog is one of these. Subclasses add rows with ``self.field(name, label,
    widget)`` (or ``self.errors.add`` for a form of their own, e.g. in a group box), call
    ``finish()`` and either implement ``save()`` or set ``self.on_save`` (its return value is
    kept in ``self.result_value``). OK runs ``submit()``, which shows a CccError beside its field
    (or in the banner) and closes the dialog only when the save succeeded: nothing typed is lost.

    ``ok`` names the accepting button (Save, Close …) and ``ok_text`` relabels it; ``cancel=False``
    leaves Cancel out (a dialog that only shows). A viewer or a record window (``ok=Close``)
    puts its body in ``self.outer``, its own buttons in ``self.buttons`` (ActionRole, before
    Close) and a status beside them (``finish(beside=…)``). Slow work goes through ``run_task``: the
    buttons wait, a progress bar moves, and the dialog cannot be closed until it ends; a step of
    a longer flow (``close=False``) leaves it open for the next.
    """

    def __init__(self, title: str, parent: QWidget | None = None, intro: str = "",
                 ok: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Ok,
                 ok_text: str = "", cancel: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.outer = QVBoxLayout(self)
        self.intro_label: QLabel | None = None
        if intro:
            self.intro_label = self.add_text(intro)
        self.banner = banner_label()
        self.outer.addWidget(self.banner)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.errors = FieldErrors(self.banner)
        self.buttons = QDialogButtonBox(ok | (QDialogButtonBox.StandardButton.Cancel if cancel
                                              else QDialogButtonBox.StandardButton.NoButton))
        self.ok_button = self.buttons.button(ok)
        if ok_text:
            self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.on_save: Callable[[], Any] | None = None
        self.result_value: Any = None
        self.task: BackgroundTask | None = None
        self.progress: QProgressBar | None = None
        self._task_done: Callable[[Any], None]
        self._task_failed: Callable[[BaseException], CccError | None]
        self._task_locks: tuple[QWidget, ...]
        self._task_moved: Callable[[int, int], None]
        self._task_close = True
        self._forget_task()

    def add_text(self, text: str) -> QLabel:
        """A wrapped paragraph of plain text, placed where the dialog has got to."""
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        self.outer.addWidget(label)
        return label

    def field(self, name: str, label: str, widget: W) -> W:
        """Add a labelled row whose errors show beneath it."""
        self.errors.add(self.form, name, label, widget)
        return widget

    def add_value(self, label: str, text: str, name: str = "") -> QLabel:
        """Add a read-only row: plain, wrapped, selectable text."""
        shown = QLabel(text)
        shown.setTextFormat(Qt.TextFormat.PlainText)
        shown.setWordWrap(True)
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if name:
            shown.setObjectName(name)
        self.form.addRow(label, shown)
        return shown

    def add_progress(self, maximum: int = 100, text: str = "",
                     layout: QVBoxLayout | None = None) -> QProgressBar:
        """The bar ``run_task`` moves (in ``layout``, else below the form); hidden until a task
        runs."""
        self.progress = QProgressBar()
        self.progress.setRange(0, maximum)
        if text:
            self.progress.setFormat(text)
        self.progress.hide()
        (layout or self.outer).addWidget(self.progress)
        return self.progress

    def finish(self, min_width: int = 520, beside: QWidget | None = None) -> None:
        """The buttons go last; ``beside`` sits at their left (a viewer's page count). A dialog
        with no buttons at all (progress only) leaves the empty box out."""
        if beside is None:
            self.outer.addWidget(self.buttons)
        else:
            row = QHBoxLayout()
            row.addWidget(beside)
            row.addWidget(self.buttons, 1)
            self.outer.addLayout(row)
        if not self.buttons.buttons():
            self.buttons.hide()  # a progress-only dialog: no empty row at the bottom
        self.setMinimumWidth(min_width)

    def submit(self) -> None:
        self.errors.clear()
        try:
            self.save()
        except KeepOpen:
            return
        except CccError as exc:
            self.errors.show(exc)
            return
        if self.task is None:  # else the task's end decides
            self.accept()

    def save(self) -> None:
        if self.on_save is None:
            raise NotImplementedError("Set self.on_save or override save().")
        self.result_value = self.on_save()

    # ---- slow work ------------------------------------------------------------------------
    def run_task(self, work: Callable[[Callable[[int, int], None]], Any],
                 done: Callable[[Any], None],
                 failed: Callable[[BaseException], CccError | None] = _as_error,
                 locks: tuple[QWidget, ...] = (), close: bool = True,
                 moved: Callable[[int, int], None] | None = None) -> None:
        """Run ``work(progress)`` off the UI thread. ``done(result)`` runs on success and the
        dialog closes (``close=False``: it stays open, its buttons back); on failure
        ``failed(exc)`` says what to show by the fields (None: it handled the failure itself,
        perhaps by running again). ``locks`` wait with the buttons; ``moved(done, total)`` is told
        of progress after the bar."""
        self._task_done, self._task_failed, self._task_locks = done, failed, locks
        self._task_close = close
        self._task_moved = moved or (lambda _done, _total: None)
        self._busy(True)
        self.task = BackgroundTask(work, self._finished, self._refused, self._moved)
        start(self.task)

    def _busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        for widget in self._task_locks:
            widget.setEnabled(not busy)
        if self.progress is not None:
            self.progress.setValue(0)
            self.progress.setVisible(busy)

    def _moved(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(1, total))
            self.progress.setValue(done)
        self._task_moved(done, total)

    def _forget_task(self) -> None:
        """Drop the ended task's hooks: they are often the dialog's own methods, and holding them
        would keep the dialog alive in a reference cycle until the garbage collector runs."""
        self._task_done = lambda _result: None
        self._task_failed = _as_error
        self._task_locks = ()
        self._task_moved = lambda _done, _total: None

    def _finished(self, result: Any) -> None:
        self.task = None
        done = self._task_done
        if not self._task_close:
            self._busy(False)
        self._forget_task()
        done(result)
        if self._task_close:
            self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.task = None
        self._busy(False)
        failed = self._task_failed
        self._forget_task()
        shown = failed(exc)
        if shown is not None:
            self.errors.show(shown)

    def reject(self) -> None:
        if self.task is None:  # never abandon work half-way
            super().reject()

"""Documents attached to a record: a list with Add (file chooser or drag and drop), Open (a
preview in the app: PDF pages through PDFium, pictures through Qt), Save a copy, Print and
Remove. Every opening, copy and print is audited by ``AttachmentService``."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import format_datetime
from ccc_desktop.models.services.attachments import KINDS, Attachment
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FormDialog
from ccc_desktop.ui.widgets.moved import moved_label, show_moved
from ccc_desktop.ui.widgets.table_model import RecordTable

_KIND_NAMES = {media: what.split(" ", 1)[1] for media, what in KINDS.values()}


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _when(iso: str) -> str:
    from datetime import datetime

    return format_datetime(datetime.fromisoformat(iso))


class ImagePreviewDialog(FormDialog):
    """A picture attachment, scaled to fit, with Print and Save a copy (a viewer: only Close)."""

    def __init__(self, ctx: AppContext, attachment: Attachment, data: bytes,
                 parent: QWidget | None = None) -> None:
        super().__init__(attachment.name, parent, ok=QDialogButtonBox.StandardButton.Close,
                         ok_text="&Close", cancel=False)
        self.ctx = ctx
        self.attachment = attachment
        self.image = QImage.fromData(data)
        scroll = QScrollArea()
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture = QLabel()
        self.picture.setAccessibleName(f"Picture: {attachment.name}")
        if self.image.isNull():
            self.picture.setText("This picture cannot be shown: it may be damaged.")
        else:
            pixmap = QPixmap.fromImage(self.image)
            if pixmap.width() > 900 or pixmap.height() > 700:
                pixmap = pixmap.scaled(900, 700, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            self.picture.setPixmap(pixmap)
        scroll.setWidget(self.picture)
        self.outer.addWidget(scroll, 1)
        action = QDialogButtonBox.ButtonRole.ActionRole
        self.print_button = self.buttons.addButton("&Print\u2026", action)
        self.print_button.clicked.connect(self.print_)
        self.save_button = self.buttons.addButton("&Save a copy\u2026", action)
        self.save_button.clicked.connect(lambda: save_copy(self.ctx, self, self.attachment))
        self.finish(0, beside=QLabel(f"{self.image.width()} \u00d7 {self.image.height()} pixels, "
                                     f"{_size(attachment.size)}"))
        self.print_button.setDefault(True)  # Enter prints, as before (once the box is placed)
        self.resize(960, 780)

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter()
        if not painter.begin(printer):
            self.ctx.dialogs.error(self, "Not printed", "The printer could not be started.")
            return
        try:
            target = painter.viewport()
            size = self.image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), size.width(), size.height())
            painter.setWindow(self.image.rect())
            painter.drawImage(0, 0, self.image)
        finally:
            painter.end()
        self.ctx.services.attachments.record_output(self.attachment.id, "printed")


def save_copy(ctx: AppContext, parent: QWidget, attachment: Attachment) -> None:
    suffix = Path(attachment.name).suffix
    path = ctx.dialogs.save_file(parent, "Save a copy of the document", attachment.name,
                                 f"{_KIND_NAMES.get(attachment.media_type, 'file')} (*{suffix})")
    if not path:
        return
    if suffix and not path.lower().endswith(suffix.lower()):
        path += suffix
    if not run_action(ctx.dialogs, parent, "Not saved",
                      lambda: ctx.services.attachments.save_out(attachment.id, Path(path))):
        return
    ctx.dialogs.info(parent, "Saved", f"A copy was saved as {Path(path).name}. It is not "
                     "encrypted there: delete it when it is no longer needed.")


def preview_dialog(ctx: AppContext, attachment: Attachment, parent: QWidget) -> QDialog | None:
    """The preview for a PDF or a picture (opening is audited); None for other types."""
    if not attachment.previewable:
        return None
    data = ctx.services.attachments.open(attachment.id)
    if attachment.media_type == "application/pdf":
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        return PdfPreviewDialog(
            ctx, pdf=data, title=attachment.name, suggested_name=attachment.name,
            on_output=lambda how: ctx.services.attachments.record_output(attachment.id, how),
            parent=parent)
    return ImagePreviewDialog(ctx, attachment, data, parent)


class AttachmentsPanel(QWidget):
    """The documents of one record (``owner_type`` family, referral, volunteer or summons).

    ``mnemonics=False`` for a second panel in the same window: its buttons take no Alt+ letter
    (the first panel's would be the same letters)."""

    def __init__(self, ctx: AppContext, owner_type: str, owner_id: int,
                 intro: str = "", mnemonics: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.owner_type = owner_type
        self.owner_id = owner_id
        self.setAcceptDrops(True)
        v = QVBoxLayout(self)
        limit = ctx.services.attachments.max_mb()
        note = QLabel((intro + " " if intro else "") +
                      f"PDF, JPEG and PNG files open here; Word and OpenDocument files are kept "
                      f"as they are. Up to {limit} MB each. Drag files onto this list, or use "
                      "Add. They are kept encrypted inside the records file.")
        note.setWordWrap(True)
        v.addWidget(note)
        self.view: RecordTable[Attachment] = RecordTable([
            ("Document", lambda a: a.name),
            ("Kind", lambda a: _KIND_NAMES.get(a.media_type, a.media_type)),
            ("Size", lambda a: _size(a.size)),
            ("Added", lambda a: _when(a.added_at)),
        ], "Attached documents", stretch=0)
        self.model = self.view.records
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        v.addWidget(self.view)
        # A document moved to this record in the file (by someone with the database key only)
        # does not open here: it is left out of the list, and this says so (issue 12).
        self.moved_note = moved_label()
        v.addWidget(self.moved_note)
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add a document\u2026")
        self.open_button = QPushButton("&Open")
        self.save_button = QPushButton("Save a &copy\u2026")
        self.remove_button = QPushButton("&Remove\u2026")
        self.add_button.clicked.connect(self.choose)
        self.open_button.clicked.connect(self.open_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        for b in (self.add_button, self.open_button, self.save_button, self.remove_button):
            if not mnemonics:
                b.setText(b.text().replace("&", ""))
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        self.view.selectionModel().selectionChanged.connect(self._selection)
        self.refresh()

    def refresh(self) -> None:
        shown = self.ctx.services.attachments.list(self.owner_type, self.owner_id)
        self.view.set_rows(shown)
        show_moved(self.moved_note, shown.hidden, "document")
        self._selection()

    def selected(self) -> Attachment | None:
        return self.view.selected()

    def _selection(self, *_: Any) -> None:
        a = self.selected()
        self.open_button.setEnabled(a is not None and a.previewable)
        self.save_button.setEnabled(a is not None)
        self.remove_button.setEnabled(a is not None)

    def add_paths(self, paths: list[str]) -> None:
        added, refused = 0, []
        for p in paths:
            done = run_action(None, self, "", functools.partial(
                self.ctx.services.attachments.add_file, self.owner_type, self.owner_id, Path(p)))
            if done:
                added += 1
            else:
                refused.append(f"{Path(p).name}: {done.error}")
        self.refresh()
        if refused:
            self.ctx.dialogs.error(self, "Not attached", "\n\n".join(refused))

    def choose(self) -> None:
        path = self.ctx.dialogs.open_file(
            self, "Choose a document to attach",
            "Documents (*.pdf *.jpg *.jpeg *.png *.docx *.odt);;All files (*)")
        if path:
            self.add_paths([path])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    def open_selected(self) -> None:
        a = self.selected()
        if a is None:
            return
        if not a.previewable:
            self.ctx.dialogs.info(self, "No preview", "Word and OpenDocument files cannot be shown "
                                  "here: save a copy and open it in your word processor.")
            return
        made = run_action(self.ctx.dialogs, self, "Cannot open the document",
                          lambda: preview_dialog(self.ctx, a, self))
        if made and made.value is not None:
            made.value.exec()

    def save_selected(self) -> None:
        a = self.selected()
        if a is not None:
            save_copy(self.ctx, self, a)

    def remove_selected(self) -> None:
        a = self.selected()
        if a is None or not self.ctx.dialogs.confirm(
                self, "Remove the document?", f"Remove {a.name} from this record? It is securely "
                "deleted.", yes="Remove", no="Keep it"):
            return
        run_action(self.ctx.dialogs, self, "Not removed", lambda: self.ctx.services.attachments.remove(a.id))
        self.refresh()


class AttachmentsDialog(FormDialog):
    """The documents of one record, in their own window (from a volunteer or a summons)."""

    def __init__(self, ctx: AppContext, owner_type: str, owner_id: int, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent, ok=QDialogButtonBox.StandardButton.Close, cancel=False)
        self.panel = AttachmentsPanel(ctx, owner_type, owner_id)
        self.outer.addWidget(self.panel)
        self.finish(0)
        self.resize(760, 440)

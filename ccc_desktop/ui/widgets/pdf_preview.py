"""Preview a PDF inside the app (rendered with PDFium), print it, or save it as a file."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.errors import CccError
from ccc_desktop.models.fileio import atomic_write_bytes
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.background import BackgroundTask, start
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.dialogs import DialogService
from ccc_desktop.ui.widgets.forms import FormDialog

# PDFium may be used by one thread at a time: a letter is rendered in a worker (``background``)
# while the UI thread may print another.
_PDFIUM = threading.Lock()


def render_pages(pdf: bytes, dpi: float = 96) -> list[QImage]:
    """Each page as an image. PDFium keeps everything in memory: no temporary files."""
    with _PDFIUM:
        return _render(pdf, dpi)


def _render(pdf: bytes, dpi: float) -> list[QImage]:
    doc = pdfium.PdfDocument(pdf)
    images = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB888).copy()
            images.append(image)
            page.close()
    finally:
        doc.close()
    return images


def print_pdf(pdf: bytes, printer: QPrinter) -> None:
    """Paint each page at the printer's resolution, scaled to the paper."""
    dpi = min(300, max(150, printer.resolution()))
    pages = render_pages(pdf, dpi)
    painter = QPainter()
    if not painter.begin(printer):
        raise CccError("The printer could not be started. Check it is switched on and try again.")
    try:
        for n, image in enumerate(pages):
            if n:
                printer.newPage()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(QRect(target.x(), target.y(), size.width(), size.height()))
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
    finally:
        painter.end()


class PdfPreviewDialog(FormDialog):
    """Shows a stored letter (``letter_id``) or raw PDF bytes, with Print and Save as PDF.

    A viewer: no form and no OK, only Close; ``save()`` here is Save as PDF.

    Printing and saving a stored letter are audited through LetterService; for raw bytes the
    caller passes ``on_output(how)`` to audit what it needs to.
    """

    def __init__(self, ctx: AppContext | None, *, letter_id: int | None = None,
                 pdf: bytes | None = None, title: str = "Preview", suggested_name: str = "letter.pdf",
                 dialogs: DialogService | None = None,
                 on_output: Callable[[str], None] | None = None,
                 parent: QWidget | None = None, background: bool = False) -> None:
        super().__init__(title, parent, ok=QDialogButtonBox.StandardButton.Close, ok_text="&Close",
                         cancel=False)
        self.ctx = ctx
        self.letter_id = letter_id
        self.dialogs = dialogs or (ctx.dialogs if ctx else DialogService())
        self.on_output = on_output
        self.suggested_name = suggested_name
        self.pdf = b""
        self._task: BackgroundTask | None = None
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages = QWidget()
        self.pages.setStyleSheet("background: #8a8f96;")
        self.page_layout = QVBoxLayout(self.pages)
        self.page_layout.setSpacing(12)
        self.page_labels: list[QLabel] = []
        self.scroll_area.setWidget(self.pages)
        self.outer.addWidget(self.scroll_area, 1)
        self.count = QLabel()
        self.print_button = self.buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = self.buttons.addButton("&Save as PDF…",
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_)
        self.save_button.clicked.connect(self.save)
        self.finish(0, beside=self.count)
        self.print_button.setDefault(True)  # Enter prints, as before (once the box is placed)
        self.resize(760, 900)
        if letter_id is None:
            assert pdf is not None
            self._show_pages(title, pdf, render_pages(pdf, 80))
        elif not background:
            assert ctx is not None
            letter = ctx.services.letters.get(letter_id)
            pdf = ctx.services.letters.open(letter_id)
            self._show_pages(letter.title, pdf, render_pages(pdf, 80))
        else:
            # Opening a stored letter is written to the audit trail, and that commit waits for
            # the disk: read, audited and drawn in a worker while the window answers.
            assert ctx is not None
            letters = ctx.services.letters
            self.count.setText("Opening the letter…")
            for b in (self.print_button, self.save_button):
                b.setEnabled(False)

            def read() -> tuple[str, bytes, list[QImage]]:
                title = letters.get(letter_id).title
                pdf = letters.open(letter_id)
                return title, pdf, render_pages(pdf, 80)

            self._task = BackgroundTask(read, self._read, self._read_failed)
            start(self._task)

    @property
    def busy(self) -> bool:
        """True while a stored letter is being read in the background."""
        return self._task is not None

    def _read(self, result: tuple[str, bytes, list[QImage]]) -> None:
        self._task = None
        for b in (self.print_button, self.save_button):
            b.setEnabled(True)
        self._show_pages(*result)

    def _read_failed(self, exc: BaseException) -> None:
        self._task = None
        if not isinstance(exc, CccError):
            raise exc
        self.dialogs.error(self.parentWidget(), "Cannot open the letter", str(exc))
        self.done(QDialog.DialogCode.Rejected)

    def _show_pages(self, title: str, pdf: bytes, images: list[QImage]) -> None:
        self.pdf = pdf
        self.setWindowTitle(title)
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {len(self.page_labels) + 1}")
            self.page_layout.addWidget(label, alignment=Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.count.setText(f"{len(self.page_labels)} page{'s' if len(self.page_labels) != 1 else ''}")

    def _output(self, how: str) -> None:
        if self.letter_id is not None and self.ctx is not None:
            self.ctx.services.letters.record_output(self.letter_id, how)
        elif self.on_output is not None:
            self.on_output(how)

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if not run_action(self.dialogs, self, "Not printed",
                          lambda: print_pdf(self.pdf, printer)):
            return
        self._output("printed")

    def save(self) -> None:
        path = self.dialogs.save_file(self, "Save as PDF", self.suggested_name)
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        if not run_action(self.dialogs, self, "Not saved",
                          lambda: atomic_write_bytes(Path(path), self.pdf, "the PDF")):
            return
        self._output("saved as PDF")
        self.dialogs.info(self, "Saved", f"Saved as {Path(path).name}.")

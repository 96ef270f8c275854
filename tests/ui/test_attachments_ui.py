"""The documents panel: add (chooser or dropped files), refusals in words, preview, save, remove."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from reportlab.pdfgen import canvas

from ccc_desktop.ui.attachments.attachments import AttachmentsPanel, preview_dialog
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from tests.family_helpers import accepted_family


def a_pdf() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, "Child arrangements order (fictional)")
    c.showPage()
    c.save()
    return out.getvalue()


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread():  # type: ignore[no-untyped-def]
    """Set up before qtbot, so torn down after it: the dialogs' Python wrappers (and their
    background tasks' QThreads) are collected here, on the GUI thread, not by a garbage
    collection that happens to run in a later test's worker thread."""
    yield
    gc.collect()


@pytest.fixture
def ctx(coordinator):
    return make_context(coordinator, RecordingDialogs())


def test_add_preview_save_and_remove(qtbot, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(ctx.services)
    order = tmp_path / "Court order.pdf"
    order.write_bytes(a_pdf())
    fake = tmp_path / "Photo.png"
    fake.write_bytes(b"MZ not a picture")
    panel = AttachmentsPanel(ctx, "family", fid)
    qtbot.addWidget(panel)
    assert panel.acceptDrops()
    assert not panel.open_button.isEnabled()
    panel.add_paths([str(order), str(fake)])
    assert panel.model.rowCount() == 1
    assert panel.model.data(panel.model.index(0, 0)) == "Court order.pdf"
    kind, title, text = ctx.dialogs.shown[-1]
    assert (kind, title) == ("error", "Not attached") and text.startswith("Photo.png: The file is named .png")
    panel.view.selectRow(0)
    assert panel.open_button.isEnabled()
    dialog = preview_dialog(ctx, panel.selected(), panel)
    qtbot.addWidget(dialog)
    assert len(dialog.page_labels) == 1  # rendered by PDFium
    ctx.dialogs.save_path = str(tmp_path / "copy")
    panel.save_selected()
    assert (tmp_path / "copy.pdf").read_bytes() == order.read_bytes()
    panel.remove_selected()
    assert panel.model.rowCount() == 0
    actions = [e.action for e in ctx.services.audit.for_record(None, "family", fid)]
    assert {"attachment added", "attachment opened", "attachment saved out",
            "attachment removed"} <= set(actions)


def test_a_document_moved_here_in_the_file_is_left_out_with_a_plain_note(qtbot, vault) -> None:  # type: ignore[no-untyped-def]
    """Issue 12, the insider's side: with the Session volunteer's database key, the owner of
    a sealed document is changed in the raw file; the Coordinator's screen for the other
    family does not list it and says, in words, that one was left out."""
    from ccc_desktop.models.services.registry import build_services
    from tests.conftest import COORDINATOR, VOLUNTEER
    from tests.insider_view import connect, slot_key

    services = build_services(vault.unlock(*COORDINATOR))
    a_id = accepted_family(services)
    b_id = accepted_family(services, full_name="Other Parent")
    doc = services.attachments.add("family", a_id, "Court order.pdf", a_pdf())
    b_doc = services.attachments.add("family", b_id, "Agreement.pdf", a_pdf())
    services.session.lock()
    key, _ = slot_key(vault.paths.data_dir, *VOLUNTEER)
    conn = connect(vault.paths.db, key)
    # Which record it belongs to is sealed (0022): it is given the other family's index.
    conn.execute("UPDATE attachments SET owner_index = (SELECT owner_index FROM attachments "
                 "WHERE id = ?) WHERE id = ?", (b_doc.id, doc.id))
    conn.commit()
    conn.close()

    services = build_services(vault.unlock(*COORDINATOR))
    try:
        panel = AttachmentsPanel(make_context(services, RecordingDialogs()), "family", b_id)
        qtbot.addWidget(panel)
        assert panel.model.rowCount() == 1
        assert not panel.moved_note.isHidden()
        assert panel.moved_note.text().startswith("1 document left out: it was moved here from "
                                                  "another record, or altered, outside CCC Desktop")
        assert panel.moved_note.textFormat() == Qt.TextFormat.PlainText
        other = AttachmentsPanel(make_context(services, RecordingDialogs()), "family", a_id)
        qtbot.addWidget(other)
        assert other.model.rowCount() == 0 and other.moved_note.isHidden()
    finally:
        services.session.lock()


def test_the_previews_by_keyboard(qtbot, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Both viewers: Enter's default is Print, Alt+C is Close, Escape closes."""
    from PySide6.QtCore import QBuffer, QByteArray
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPushButton

    fid = accepted_family(ctx.services)
    picture = QImage(40, 30, QImage.Format.Format_RGB32)
    picture.fill(QColor("green"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    picture.save(buffer, "PNG")
    (tmp_path / "Visit.png").write_bytes(bytes(data.data()))
    (tmp_path / "Order.pdf").write_bytes(a_pdf())
    panel = AttachmentsPanel(ctx, "family", fid)
    qtbot.addWidget(panel)
    panel.add_paths([str(tmp_path / "Order.pdf"), str(tmp_path / "Visit.png")])
    for row in range(panel.model.rowCount()):
        panel.view.selectRow(row)
        dialog = preview_dialog(ctx, panel.selected(), panel)
        assert dialog is not None
        qtbot.addWidget(dialog)
        dialog.show()
        QApplication.processEvents()
        buttons = {b.text(): b for b in dialog.findChildren(QPushButton) if b.isVisible()}
        assert {"&Print\u2026", "&Close"} <= set(buttons), buttons
        assert [t for t, b in buttons.items() if b.isDefault()] == ["&Print\u2026"]
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()

"""The documents panel: add (chooser or dropped files), refusals in words, preview, save, remove."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest
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

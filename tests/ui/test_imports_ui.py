"""The import screens: mapping, the checked rows (fix or leave out, duplicates), importing in
the background with progress, and the history with undo."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ccc_desktop.models.imports.fields import Kind
from ccc_desktop.models.imports.reading import read_bytes
from ccc_desktop.ui.imports.import_dialog import ImportDialog
from ccc_desktop.ui.imports.imports import ImportPanel
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs

DATA = ("Referral date;Parent 1 name;Parent 1 role;Child 1 name;Child 1 DOB;Remarks\r\n"
        "02/09/2026;Ann Bell;Resident parent;Ben Bell;01/01/2020;\r\n"
        "31/02/2026;Cy Dunn;Resident parent;Di Dunn;01/01/2021;\r\n"
        "03/09/2026;Ed Fox;Resident parent;Flo Fox;01/01/2019;x\r\n").encode("utf-8-sig")


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


def _column(dialog: ImportDialog, label: str) -> int:
    heads = [dialog.preview.horizontalHeaderItem(i).text() for i in range(dialog.preview.columnCount())]
    return heads.index(label)


def test_map_check_fix_and_import(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(ctx, read_bytes(DATA, "families.csv"))
    qtbot.addWidget(dialog)
    assert dialog.kind_box.currentText() == "Families"
    boxes = {dialog.mapping_table.item(i, 0).text(): b.currentText()
             for i, b in enumerate(dialog.mapping_boxes)}
    assert boxes["Parent 1 name"] == "Adult 1: name"
    assert boxes["Remarks"] == "Not imported"
    dialog.check_rows()  # in the background, with progress
    assert dialog.pages.currentIndex() == 2 and dialog.progress_label.text().startswith("Checking")
    dialog.reject()  # not while the rows are being checked
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert dialog.pages.currentIndex() == 1
    problems = [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]
    assert problems == ["Row 3, column \u201cReferral date\u201d: 31/02/2026 is not a real date. "
                        "(left out)"]
    assert dialog.import_button.text() == "&Import 2 families"
    # Fix the date in the preview: the row comes back in.
    date_item = dialog.preview.item(1, _column(dialog, "Referral date"))
    date_item.setText("28/02/2026")
    assert dialog.problem_list.count() == 0
    assert dialog.preview.item(1, 1).checkState() == Qt.CheckState.Checked
    assert dialog.preview.item(1, _column(dialog, "Referral date")).text() == "28 Feb 2026"
    # Leave the last row out.
    dialog.preview.item(2, 1).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.import_button.text() == "&Import 2 families"
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert dialog.result_value.created == 2 and dialog.result_value.left_out == 1
    assert ctx.dialogs.shown[-1][:2] == ("info", "Imported")
    assert ctx.services.families.search("Dunn") and not ctx.services.families.search("Fox")


def test_history_panel_undoes_an_import(qtbot, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = ctx.services
    s.imports.run(s.imports.plan(Kind.FAMILIES, read_bytes(DATA, "families.csv")), left_out={3})
    panel = ImportPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 1
    assert not panel.undo_button.isEnabled()
    panel.view.selectRow(0)
    assert panel.undo_button.isEnabled()
    panel.undo()  # in the background, the panel saying so
    assert panel.busy_label.text() == "Undoing the import\u2026" and not panel.undo_button.isEnabled()
    qtbot.waitUntil(lambda: panel.task is None, timeout=20000)
    assert ctx.dialogs.shown[-1][:2] == ("info", "Import undone")
    assert panel.busy.isHidden()
    assert s.families.search("Bell") == []
    assert panel.model.data(panel.model.index(0, 8)).startswith("Undone 26 Nov 2026")
    assert not panel.undo_button.isEnabled()
    # The blank template is saved where the user says.
    ctx.dialogs.save_path = str(tmp_path / "t.xlsx")
    panel.save_template("xlsx")
    assert (tmp_path / "t.xlsx").read_bytes()[:2] == b"PK"


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_words(qtbot, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "photo.xlsx"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not a workbook")
    panel = ImportPanel(ctx)
    qtbot.addWidget(panel)
    ctx.dialogs.open_path = str(bad)
    panel.choose_file()
    assert not panel.import_button.isEnabled()  # read in the background
    qtbot.waitUntil(lambda: panel.task is None, timeout=20000)
    assert panel.import_button.isEnabled()
    assert ctx.dialogs.shown[-1][:2] == ("error", "Cannot read the file")
    assert "not an Excel workbook" in ctx.dialogs.shown[-1][2]


def test_export_dialog_asks_the_passphrase_and_exports_in_the_background(qtbot, ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.imports.export import ExportDialog
    from conftest import COORDINATOR

    dialog = ExportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.passphrase.setText(COORDINATOR[1])
    dialog.password.setText("a long archive password")
    dialog.repeat.setText("a different password")
    dialog.submit()
    assert ctx.dialogs.shown[-1][:2] == ("warning", "Passwords differ")
    dialog.repeat.setText("a long archive password")
    ctx.dialogs.save_path = str(tmp_path / "centre")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
    assert ctx.dialogs.shown[-1][:2] == ("info", "Exported")
    assert (tmp_path / "centre.zip").read_bytes()[:2] == b"PK"


def test_one_choice_for_every_likely_duplicate(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    s = ctx.services
    s.imports.run(s.imports.plan(Kind.FAMILIES, read_bytes(DATA, "families.csv")), left_out={3})
    dialog = ImportDialog(ctx, read_bytes(DATA, "families.csv"))
    qtbot.addWidget(dialog)
    dialog.check_rows()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
    assert dialog.import_button.text() == "&Import 0 families"  # both skipped by default
    assert dialog.every_box.isVisibleTo(dialog)
    dialog.every_box.setCurrentIndex(dialog.every_box.findData("import"))
    dialog.every_box.activated.emit(dialog.every_box.currentIndex())
    assert dialog.choices == {2: "import", 4: "import"}
    assert dialog.import_button.text() == "&Import 2 families"
    chooser = dialog.preview.cellWidget(0, 2)
    assert chooser.currentData() == "import"


def test_enter_on_the_checked_rows_never_imports(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Enter on the mapping checks the rows; on the checked rows (a problem chosen in the list,
    a row of the table) it imports nothing, however the dialog was first shown."""
    sheet = read_bytes(DATA, "families.csv")
    for shown_first_on_the_rows in (False, True):
        dialog = ImportDialog(ctx, sheet)
        qtbot.addWidget(dialog)
        if shown_first_on_the_rows:
            dialog.show_plan(ctx.services.imports.plan(Kind.FAMILIES, sheet, dialog.mapping()))
        dialog.show()
        qtbot.waitExposed(dialog)
        if not shown_first_on_the_rows:
            assert dialog.ok_button.isDefault() and dialog.ok_button.text() == "&Check the rows"
            dialog.show_plan(ctx.services.imports.plan(Kind.FAMILIES, sheet, dialog.mapping()))
        assert dialog.import_button.isEnabled() and not dialog.import_button.isDefault()
        for widget in (dialog.problem_list, dialog.preview):
            widget.setFocus()
            qtbot.keyClick(widget, Qt.Key.Key_Return)
            assert dialog.task is None and dialog.isVisible()
        assert ctx.services.imports.history() == []

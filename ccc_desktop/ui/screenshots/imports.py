"""Screens of the import area: the mapping, the checked rows, and the history."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from ccc_desktop.models.imports.fields import Kind
from ccc_desktop.models.imports.reading import Sheet, read_bytes
from ccc_desktop.ui.shell.main_window import MainWindow


def _sample_sheet(w: MainWindow) -> Sheet:
    """A fictional spreadsheet as a centre might keep it, with the usual slips: a date that is
    not a date, a child of 18, an empty name, and a family the demo vault already holds."""
    assert w.ctx is not None
    s = w.ctx.services
    held = s.families.get(s.families.search("")[0].id)
    kid = held.children[0]
    lines = [
        "Date referred;Referred by;Solicitor / agency;Parent 1 name;Parent 1 relationship;"
        "Parent 1 mobile;Parent 2 name;Parent 2 relationship;Child 1 name;Child 1 DOB;"
        "Child 2 name;Child 2 DOB;Notes",
        "03/11/2026;Solicitor;Brook & Hale;Rosa Pennant;Resident parent;07700 900311;"
        "Neil Pennant;Visiting parent;Ivy Pennant;14/03/2019;;;",
        "05/11/2026;Cafcass;;Owen Marsh;Visiting parent;07700 900312;Tara Marsh;Resident parent;"
        "Leo Marsh;31/02/2020;;;call after 4",
        "06/11/2026;Self;;Priya Shah;Resident;07700 900313;;;Anya Shah;02/07/2008;Dev Shah;"
        "19/09/2016;",
        f"09/11/2026;Social services;;New Adult;Visiting parent;;;;{kid.full_name};"
        f"{kid.date_of_birth.strftime('%d/%m/%Y')};;;",
        "10/11/2026;Solicitor;Ames Law;;Resident parent;07700 900315;;;Sam Bell;01/05/2021;;;",
        "12/11/2026;Self;;Grace Okafor;Resident parent;07700 900316;Ben Okafor;Visiting parent;"
        "Mia Okafor;22/12/2018;Zac Okafor;04/04/2022;",
    ]
    return read_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"), "referrals 2026.csv")


def _mapping(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.imports.import_dialog import ImportDialog

    assert w.ctx is not None
    return ImportDialog(w.ctx, _sample_sheet(w), Kind.FAMILIES, w)


def _preview(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.imports.import_dialog import ImportDialog

    assert w.ctx is not None
    sheet = _sample_sheet(w)
    dialog = ImportDialog(w.ctx, sheet, Kind.FAMILIES, w)
    # What check_rows works out in the background, worked out here for the picture.
    dialog.show_plan(w.ctx.services.imports.plan(Kind.FAMILIES, sheet, dialog.mapping()))
    return dialog


def _history(w: MainWindow) -> QWidget:
    """Settings > Import after importing three session days (well after the demo's dates)."""
    assert w.ctx is not None
    s = w.ctx.services
    if not s.imports.history():
        data = (b"Date,Start,End,Capacity\r\n06/03/2027,10:00,12:00,6\r\n"
                b"13/03/2027,10:00,12:00,6\r\n20/03/2027,10:00,12:00,6\r\n")
        s.imports.run(s.imports.plan(Kind.SESSIONS, read_bytes(data, "spring sessions.csv")))
    tab = w.show_tab("settings")
    assert tab is not None
    tab.setCurrentWidget(tab.imports)  # type: ignore[attr-defined]
    tab.imports.view.selectRow(0)  # type: ignore[attr-defined]
    return w


def _export(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.imports.export import ExportDialog

    assert w.ctx is not None
    return ExportDialog(w.ctx, w)


IMPORT_SHOTS: list[tuple[str, Callable[[MainWindow], QWidget]]] = [
    ("dialog-import-mapping.png", _mapping),
    ("dialog-import-preview.png", _preview),
    ("settings-import.png", _history),
    ("dialog-export.png", _export),
]

"""Screenshots and the sample attendance letter for the Families and Register tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

from ccc_desktop.models.services.registry import Services

if TYPE_CHECKING:
    from ccc_desktop.ui.shell.main_window import MainWindow


def _family_with_safety(w: MainWindow) -> int:
    """A current family whose record shows safety arrangements and letters."""
    assert w.ctx is not None
    s = w.ctx.services
    with_letters = {d.family_id for d in s.disclosures.log() if d.letter_id}
    candidates = [r.id for r in s.families.search("", limit=500)
                  if r.status.value == "accepted" and r.id in with_letters]
    for family_id in candidates:
        if s.families.get(family_id).safety.any:
            return family_id
    return candidates[0] if candidates else 1


def _families_list(w: MainWindow) -> QWidget:
    tab = w.show_tab("families")
    assert tab is not None
    tab.search.setText("ash")  # type: ignore[attr-defined]
    tab.refresh()  # type: ignore[attr-defined]
    tab.table.selectRow(0)  # type: ignore[attr-defined]
    return w


def _family_with_incident(w: MainWindow) -> int:
    assert w.ctx is not None
    s = w.ctx.services
    for row in s.families.search("", limit=500):
        if s.families.incidents(row.id):
            return row.id
    return 1


def _record(page: int, incident: bool = False) -> Callable[[MainWindow], QWidget]:
    def make(w: MainWindow) -> QWidget:
        from ccc_desktop.ui.families.families import FamilyDialog

        assert w.ctx is not None
        family_id = _family_with_incident(w) if incident else _family_with_safety(w)
        dialog = FamilyDialog(w.ctx, family_id, w)
        dialog.tabs.setCurrentIndex(page)
        dialog.show()
        QApplication.processEvents()
        return dialog

    return make


def _assessment_bookings(w: MainWindow) -> QWidget:
    """Family 1: an assessment agreement in force and its next session an assessment session."""
    from ccc_desktop.ui.families.families import FamilyDialog

    assert w.ctx is not None
    dialog = FamilyDialog(w.ctx, 1, w)
    dialog.tabs.setCurrentIndex(3)
    return dialog


def _register(w: MainWindow) -> QWidget:
    tab = w.show_tab("register")
    assert tab is not None
    return w


def _register_next(w: MainWindow) -> QWidget:
    tab = w.show_tab("register")
    assert tab is not None
    tab.step(1)  # type: ignore[attr-defined]
    return w


def _disclosure(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.families.families import DisclosureDialog

    assert w.ctx is not None
    d = DisclosureDialog(w.ctx, _family_with_safety(w), w)
    d.requested_by.setText("Priya Northcott")
    d.organisation.setText("Cafcass East Midlands")
    d.asked_for.setPlainText("Dates and times of contact since the summer, for the court report.")
    return d


def _new_referral(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.families.families import NewFamilyDialog

    assert w.ctx is not None
    return NewFamilyDialog(w.ctx, w)


def _attendance_pdf(services: Services) -> bytes:
    """The stored attendance letter with the most sessions on it, as the sample."""
    pdfs = [services.letters.open(d.letter_id) for d in services.disclosures.log() if d.letter_id]
    return max(pdfs, key=len)


FAMILY_SHOTS: list[tuple[str, Callable[[MainWindow], QWidget]]] = [
    ("families-list.png", _families_list),
    ("family-record.png", _record(1)),
    ("family-record-referral.png", _record(0)),
    ("family-record-letters.png", _record(5)),
    ("family-record-incidents.png", _record(6, incident=True)),
    ("family-record-bookings.png", _assessment_bookings),
    ("register.png", _register),
    ("register-next-session.png", _register_next),
    ("dialog-disclosure-request.png", _disclosure),
    ("dialog-new-referral.png", _new_referral),
]
FAMILY_DOCUMENTS: list[tuple[str, Callable[[Services], bytes]]] = [
    ("attendance-letter.pdf", _attendance_pdf),
]

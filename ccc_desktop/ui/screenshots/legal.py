"""Screenshots and sample documents for the Summons & legal tab and the Policy tab."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ccc_desktop.models.services.registry import Services

if TYPE_CHECKING:
    from ccc_desktop.ui.legal.legal import LegalTab
    from ccc_desktop.ui.shell.main_window import MainWindow


def _legal(w: MainWindow, sub: int) -> LegalTab:
    tab = w.show_tab("legal")
    assert tab is not None
    tab.setCurrentIndex(sub)  # type: ignore[attr-defined]
    return tab  # type: ignore[return-value]


def _summons(w: MainWindow) -> QWidget:
    tab = _legal(w, 0)
    panel = tab.summonses
    if panel.model.rows:
        panel.select(panel.model.rows[0].id)
    return w


def _letter(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

    tab = _legal(w, 0)
    panel = tab.summonses
    panel.select(panel.model.rows[0].id)
    assert panel.detail.detail is not None
    letter = next(x for x in panel.detail.detail.letters if x.kind == "summons_court")
    return PdfPreviewDialog(w.ctx, letter_id=letter.id, parent=w)


def _sub(sub: int) -> Callable[[MainWindow], QWidget]:
    def make(w: MainWindow) -> QWidget:
        _legal(w, sub)
        return w

    return make


def _police_dialog(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.legal.police import PoliceDialog

    assert w.ctx is not None
    return PoliceDialog(w.ctx, w)


def _summons_dialog(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.legal.summonses import SummonsDialog

    assert w.ctx is not None
    first = w.ctx.services.summonses.all(open_only=True)[0]
    return SummonsDialog(w.ctx, first, w)


def _summons_letter_pdf(services: Services) -> bytes:
    open_ = services.summonses.all(open_only=True)
    letters = services.letters.for_subject("summons", open_[0].id)
    court = next(x for x in letters if x.kind == "summons_court")
    return services.letters.open(court.id)


def _policy_pdf(services: Services) -> bytes:
    return services.policy.pdf()


# (filename, make) pairs; screenshots.py wraps them in Shot.
LEGAL_SHOTS: list[tuple[str, Callable[[MainWindow], QWidget]]] = [
    ("legal-summons.png", _summons),
    ("legal-summons-letter-preview.png", _letter),
    ("dialog-summons.png", _summons_dialog),
    ("legal-police-visits.png", _sub(1)),
    ("dialog-police-visit.png", _police_dialog),
    ("legal-agreements.png", _sub(2)),
    ("legal-template-editor.png", _sub(3)),
]
LEGAL_DOCUMENTS: list[tuple[str, Callable[[Services], bytes]]] = [
    ("summons-letter.pdf", _summons_letter_pdf),
    ("confidentiality-policy.pdf", _policy_pdf),
]

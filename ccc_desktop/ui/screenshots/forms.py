"""Screenshots of the small form dialogs: volunteers' rules and resignation, a DBS status
check, the register's session days, and correcting a detail. (The register's absence and times
dialogs are one or two boxes: too small to tell a blank grab from a real one.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ccc_desktop.models.volunteers_records import VolunteerStatus

if TYPE_CHECKING:
    from ccc_desktop.ui.shell.main_window import MainWindow


def _rules(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.volunteers.volunteers import RulesDialog

    assert w.ctx is not None
    return RulesDialog(w.ctx, w)


def _resign(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.volunteers.volunteers import ResignDialog

    assert w.ctx is not None
    return ResignDialog(w.ctx, w.ctx.services.volunteers.list(VolunteerStatus.ACTIVE)[0], w)


def _status_check(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.volunteers.dbs import DbsTab

    assert w.ctx is not None
    check = next(c for c in w.ctx.services.dbs.latest() if c.update_service)
    tab = w.show_tab("dbs")
    assert isinstance(tab, DbsTab)
    return tab.status_check_dialog(check)


def _session_days(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.families.register import SessionDaysDialog

    assert w.ctx is not None
    return SessionDaysDialog(w.ctx, w)


def _correct_detail(w: MainWindow) -> QWidget:
    from ccc_desktop.ui.data_protection.rectify import CorrectFieldDialog

    assert w.ctx is not None
    family = w.ctx.services.families.get(w.ctx.services.families.search("", limit=1)[0].id)
    return CorrectFieldDialog(w.ctx, "family_adult", family.adults[0].id, parent=w)


FORM_SHOTS: list[tuple[str, Callable[[MainWindow], QWidget]]] = [
    ("dialog-volunteer-rules.png", _rules),
    ("dialog-volunteer-resign.png", _resign),
    ("dialog-dbs-status-check.png", _status_check),
    ("dialog-session-days.png", _session_days),
    ("dialog-correct-detail.png", _correct_detail),
]

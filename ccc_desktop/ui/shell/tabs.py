"""The main window's tabs, in order, with the permission each needs. Areas plug in here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.widgets.context import AppContext


@dataclass(frozen=True)
class TabSpec:
    key: str
    title: str
    factory: Callable[[AppContext], QWidget]
    permission: Permission | None = None


class EmptyState(QWidget):
    """An honest placeholder for an area this version does not have yet: no fake data."""

    def __init__(self, heading: str, text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(heading)
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QLabel(text)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setMinimumWidth(480)
        body.setMaximumWidth(620)
        layout.addWidget(title)
        layout.addWidget(body, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


def _empty(heading: str, text: str) -> Callable[[AppContext], QWidget]:
    return lambda ctx: EmptyState(heading, text)


def _reports(ctx: AppContext) -> QWidget:
    from ccc_desktop.ui.data_protection.reports import ReportsTab

    return ReportsTab(ctx, background=True)  # the retention report read in a worker


def _dashboard(ctx: AppContext) -> QWidget:
    from ccc_desktop.ui.shell.dashboard import DashboardTab

    return DashboardTab(ctx, background=True)  # gathered in a worker: the window answers at once


def _waiting(ctx: AppContext) -> QWidget:
    from ccc_desktop.ui.statistics.waiting import WaitingListTab

    return WaitingListTab(ctx)


def _lazy(module: str, name: str, **kwargs: object) -> Callable[[AppContext], QWidget]:
    """A factory that imports the tab's module when the tab is first built, not at unlock."""

    def make(ctx: AppContext) -> QWidget:
        import importlib

        widget: QWidget = getattr(importlib.import_module(module), name)(ctx, **kwargs)
        return widget

    return make


def tab_specs() -> list[TabSpec]:
    """The tabs in order. Titles carry no Alt+letter: with the menus' letters they would take
    fifteen letters from every screen. Ctrl+1 ... Ctrl+0 go to them (the View menu lists them),
    Ctrl+Tab and Ctrl+Shift+Tab step through them."""
    ui = "ccc_desktop.ui."
    return [
        TabSpec("dashboard", "Dashboard", _dashboard, Permission.VIEW_FAMILIES),
        TabSpec("families", "Families", _lazy(ui + "families.families", "FamiliesTab"),
                Permission.VIEW_FAMILIES),
        TabSpec("register", "Register", _lazy(ui + "families.register", "RegisterTab"),
                Permission.RUN_REGISTER),
        TabSpec("calendar", "Calendar", _lazy(ui + "calendar.calendar", "CalendarTab"),
                Permission.RUN_REGISTER),
        TabSpec("waiting", "Waiting list", _waiting, Permission.VIEW_FAMILIES),
        TabSpec("volunteers", "Volunteers", _lazy(ui + "volunteers.volunteers", "VolunteersTab"),
                Permission.MANAGE_VOLUNTEERS),
        TabSpec("dbs", "DBS checks", _lazy(ui + "volunteers.dbs", "DbsTab"),
                Permission.VIEW_DBS_RESULTS),
        TabSpec("legal", "Summons && legal", _lazy(ui + "legal.legal", "LegalTab"),
                Permission.MANAGE_LEGAL),
        TabSpec("reports", "Reports", _reports, Permission.VIEW_REPORTS),
        TabSpec("policy", "Policy", _lazy(ui + "policy.policy", "PolicyTab"), Permission.VIEW_POLICY),
        TabSpec("settings", "Settings", _lazy(ui + "settings.settings", "SettingsTab"),
                Permission.EDIT_CENTRE),
    ]

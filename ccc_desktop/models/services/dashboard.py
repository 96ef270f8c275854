"""The dashboard: each area contributes sections of things that need attention.

An area lists its section functions in its ``Area.dashboard`` (``services/area.py``); the
sections are shown in their ``order``. A section with a ``key`` (the first steps of a new centre)
can be dismissed by a Coordinator or Chair; the dismissal is kept in the encrypted database.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.records import DashboardAction, DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import dashboard_providers
from ccc_desktop.models.storage.meta import SettingsStore

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services

# The records live in models/records.py; named here too for the areas' section functions.
__all__ = ["DashboardAction", "DashboardItem", "DashboardSection", "DashboardService"]

DISMISSED_KEY = "dashboard_dismissed"
_SECTION_KEY = re.compile(r"[a-z][a-z_]{0,39}")


class DashboardService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.settings = SettingsStore(services.session.db)

    def sections(self) -> list[DashboardSection]:
        out = []
        for provider in dashboard_providers(self.services.areas):
            section = provider(self.services)
            if section is not None:
                out.append(section)
        out.sort(key=lambda s: s.order)
        return out

    def is_dismissed(self, key: str) -> bool:
        return key in (self.settings.get(DISMISSED_KEY) or [])

    def dismiss(self, key: str) -> None:
        """Stop showing the section ``key`` (for every account: it is the centre's dashboard)."""
        session = self.services.session
        session.actor.require(Permission.EDIT_CENTRE)
        if not _SECTION_KEY.fullmatch(key):
            raise ValidationError("That dashboard section cannot be dismissed.")
        dismissed = list(self.settings.get(DISMISSED_KEY) or [])
        if key in dismissed:
            return
        with session.db.transaction():
            self.settings.put(DISMISSED_KEY, [*dismissed, key])
            session.audit.record("dashboard section dismissed", "settings", key)

"""The dashboard: each area contributes sections of things that need attention.

An area lists its section functions in its ``Area.dashboard`` (``services/area.py``); the
sections are shown in their ``order``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccc_desktop.models.records import DashboardItem, DashboardSection
from ccc_desktop.models.services.area import dashboard_providers

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services

# The records live in models/records.py; named here too for the areas' section functions.
__all__ = ["DashboardItem", "DashboardSection", "DashboardService"]


class DashboardService:
    def __init__(self, services: Services) -> None:
        self.services = services

    def sections(self) -> list[DashboardSection]:
        out = []
        for provider in dashboard_providers(self.services.areas):
            section = provider(self.services)
            if section is not None:
                out.append(section)
        out.sort(key=lambda s: s.order)
        return out

"""The dashboard: each area contributes a section of things that need attention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.backup import backup_section
from ccc_desktop.models.services.retention import retention_section
from ccc_desktop.models.services.subject_access import sar_section

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services

SEVERITIES = ("overdue", "warning", "info")


@dataclass(frozen=True)
class DashboardItem:
    text: str
    severity: str = "info"  # 'overdue' | 'warning' | 'info'
    tab: str = ""  # key of the tab that deals with it
    due: date | None = None


@dataclass(frozen=True)
class DashboardSection:
    title: str
    items: list[DashboardItem] = field(default_factory=list)
    order: int = 100
    empty_text: str = "Nothing needs attention."


Provider = Callable[["Services"], "DashboardSection | None"]


def accounts_section(services: Services) -> DashboardSection | None:
    actor = services.session.actor
    if not actor.can(Permission.MANAGE_ACCOUNTS):
        return None
    items = [
        DashboardItem(f"{a.display_name} ({a.username}) has not yet chosen their own passphrase.",
                      "info", "settings")
        for a in services.accounts.list() if a.enabled and a.must_change_passphrase
    ]
    return DashboardSection("Accounts", items, order=900,
                            empty_text="Every account has its own passphrase.")


def volunteers_dbs_section(services: Services) -> DashboardSection | None:
    from ccc_desktop.models.services.volunteers import dbs_section

    return dbs_section(services)


def volunteers_gaps_section(services: Services) -> DashboardSection | None:
    from ccc_desktop.models.services.volunteers import volunteer_gaps_section

    return volunteer_gaps_section(services)


# Areas add their providers here, in one place.
def _legal_providers() -> list[Provider]:
    from ccc_desktop.models.services.legal import summons_section
    from ccc_desktop.models.services.policy import policy_section

    return [summons_section, policy_section]


def families_section(services: Services) -> DashboardSection | None:
    from ccc_desktop.models.services.families import families_section as section

    return section(services)


def waiting_list_section(services: Services) -> DashboardSection | None:
    from ccc_desktop.models.services.waiting import waiting_section

    return waiting_section(services)


PROVIDERS: list[Provider] = [
    accounts_section,
    families_section,
    waiting_list_section,
    volunteers_dbs_section,
    volunteers_gaps_section,
    *_legal_providers(),
    retention_section,
    sar_section,
    backup_section,
]


class DashboardService:
    def __init__(self, services: Services) -> None:
        self.services = services

    def sections(self) -> list[DashboardSection]:
        out = []
        for provider in PROVIDERS:
            section = provider(self.services)
            if section is not None:
                out.append(section)
        out.sort(key=lambda s: s.order)
        return out

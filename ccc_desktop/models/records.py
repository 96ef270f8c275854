"""Plain dataclasses that cross the domain boundary for the ground floor (accounts, audit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from ccc_desktop.models.roles import Role

_T = TypeVar("_T")


class Shown(list[_T]):
    """A list of records as shown, and ``hidden``: how many were left out because they no
    longer open (a letter or attachment moved to this record in the file: issue 12)."""

    hidden: int = 0


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    slot_id: str | None
    enabled: bool
    must_change_passphrase: bool
    created_at: str
    last_login_at: str | None
    seal_mac: str | None = None  # HMAC under the seal key (models/account_seal.py)
    removed_at: str | None = None  # removed (never enabled again; kept for what names it)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    account_id: int | None
    actor: str
    action: str
    record_type: str
    record_id: str
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    entries_checked: int
    problem: str = ""
    first_bad_id: int | None = None


@dataclass
class CentreDetails:
    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    chair_name: str = ""
    naccc_contact: str = ""
    solicitor_name: str = ""
    solicitor_firm: str = ""
    # Printed on the day's sheet: first aider, fire assembly point, nearest A&E, who to call.
    emergency_details: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredLetter:
    id: int
    kind: str
    title: str
    subject_type: str
    subject_id: int | None
    created_at: str
    created_by: int | None


# ---- the dashboard: each area's section of things that need attention -----------------------
SEVERITIES = ("overdue", "warning", "info")


@dataclass(frozen=True)
class DashboardAction:
    """A button beside a dashboard item: goes to ``tab`` and puts the keyboard on ``place`` (the
    object name of the control there that does it; empty: the tab itself)."""

    label: str
    tab: str
    place: str = ""


@dataclass(frozen=True)
class DashboardItem:
    text: str
    severity: str = "info"  # 'overdue' | 'warning' | 'info'
    tab: str = ""  # key of the tab that deals with it
    due: date | None = None
    done: bool | None = None  # a checklist's item: ticked or not (None: not a checklist item)
    actions: tuple[DashboardAction, ...] = ()


@dataclass(frozen=True)
class DashboardSection:
    title: str
    items: list[DashboardItem] = field(default_factory=list)
    order: int = 100
    empty_text: str = "Nothing needs attention."
    # A checklist is shown across the dashboard with a tick or a box per item; a section with a
    # ``key`` can be dismissed (``DashboardService.dismiss(key)``) and is then no longer given.
    checklist: bool = False
    key: str = ""

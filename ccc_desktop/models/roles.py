"""Roles and what each may do. Services call ``require`` before acting; the UI only mirrors it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ccc_desktop.models.errors import PermissionDenied


class Role(StrEnum):
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    VOLUNTEER = "volunteer"

    @property
    def label(self) -> str:
        return {"coordinator": "Coordinator", "chair": "Chair", "volunteer": "Session volunteer"}[
            self.value
        ]

    @property
    def holds_seal_key(self) -> bool:
        """Coordinator and Chair slots carry the key that opens sealed fields (DBS results)."""
        return self in (Role.COORDINATOR, Role.CHAIR)


class Permission(StrEnum):
    MANAGE_ACCOUNTS = "manage accounts"
    VIEW_AUDIT = "view the audit trail"
    EDIT_CENTRE = "change the centre's details and settings"
    VIEW_FAMILIES = "open family records"
    EDIT_FAMILIES = "change family records"
    VIEW_CONTACT_DETAILS = "see addresses, phone numbers and emails"
    RUN_REGISTER = "run the register"
    VIEW_RESTRICTED = "see restricted notes and incidents"
    AUTHORISE_DISCLOSURE = "authorise a disclosure"
    MANAGE_VOLUNTEERS = "manage volunteer records"
    VIEW_DBS_RESULTS = "read DBS results"
    MANAGE_LEGAL = "handle summonses, police visits and agreements"
    EDIT_TEMPLATES = "edit letter templates and the policy"
    VIEW_REPORTS = "run reports and exports"
    DISPOSE_RECORDS = "authorise the disposal of records"
    BACKUP = "back up and restore the records"
    VIEW_POLICY = "read the confidentiality policy"


_EVERYTHING = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.COORDINATOR: _EVERYTHING,
    Role.CHAIR: _EVERYTHING,
    Role.VOLUNTEER: frozenset({Permission.RUN_REGISTER, Permission.VIEW_POLICY}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: the logged-in account. Passed to every service call that checks rights."""

    account_id: int
    username: str
    display_name: str
    role: Role

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(permission.value, self.role.label)

"""The centre's own details (the letterhead) and the app's settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ccc_desktop.models.centre_details import (
    CENTRE_KEY,
    check_centre_details,
    load_centre_details,
    save_centre_details,
)
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.storage.meta import SettingsStore

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

# The letterhead is checked, saved and read below the vault (models/centre_details.py).
__all__ = ["CENTRE", "CENTRE_KEY", "SETTING_DEFAULTS", "CentreService", "check_centre_details",
           "load_centre_details", "save_centre_details"]

DEFAULT_IDLE_MINUTES = 5
SETTING_DEFAULTS: dict[str, Any] = {
    "idle_lock_minutes": DEFAULT_IDLE_MINUTES,
}


class CentreService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.settings = SettingsStore(session.db)

    def details(self) -> CentreDetails:
        # Every role sees the centre's own name and address (window title, letterhead).
        return load_centre_details(self.settings)

    def update(self, centre: CentreDetails) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_CENTRE)
        if not centre.name.strip():
            raise ValidationError("Enter the centre's name.", "name")
        centre = check_centre_details(centre)
        with self.session.db.transaction():
            save_centre_details(self.settings, centre)
            self.session.audit.record("centre details changed", "settings", CENTRE_KEY)

    def setting(self, key: str) -> Any:
        return self.settings.get(key, SETTING_DEFAULTS.get(key))

    def idle_lock_minutes(self) -> int:
        return int(self.setting("idle_lock_minutes"))

    def set_idle_lock_minutes(self, minutes: int) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_CENTRE)
        if not 1 <= minutes <= 120:
            raise ValidationError("Lock after: choose between 1 and 120 minutes.", "idle_lock_minutes")
        with self.session.db.transaction():
            self.settings.put("idle_lock_minutes", minutes)
            self.session.audit.record("setting changed", "settings", "idle_lock_minutes",
                                      f"{minutes} minutes")


# Letters about the centre itself (reports to the committee) are read with VIEW_REPORTS.
CENTRE = Area("centre", letter_subjects={"centre": Permission.VIEW_REPORTS})

"""The centre's own details (the letterhead) and the app's settings."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import TYPE_CHECKING, Any

from ccc_desktop.models import limits
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.validation import clean_name, clean_text

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

CENTRE_KEY = "centre"
DEFAULT_IDLE_MINUTES = 5
SETTING_DEFAULTS: dict[str, Any] = {
    "idle_lock_minutes": DEFAULT_IDLE_MINUTES,
}


_CENTRE_FIELDS = (  # field, label, limit: what every letterhead and footer must lay out
    ("name", "Centre name", limits.ORGANISATION), ("address", "Address", limits.ADDRESS),
    ("phone", "Telephone", limits.CODE), ("email", "Email", limits.SHORT),
    ("chair_name", "Chair's name", limits.NAME), ("naccc_contact", "NACCC office contact", limits.SHORT),
    ("solicitor_name", "Committee solicitor", limits.NAME),
    ("solicitor_firm", "Solicitor's firm", limits.ORGANISATION),
    ("emergency_details", "Emergency details", limits.REASON),
)


def check_centre_details(centre: CentreDetails) -> CentreDetails:
    """The centre's details within their limits (they print on every letter), or
    ValidationError naming the field."""
    values: dict[str, Any] = {}
    for name, label, limit in _CENTRE_FIELDS:
        value = getattr(centre, name)
        if limit.name:
            values[name] = clean_name(value, name, label, limit, need=name == "name")
        else:
            values[name] = clean_text(value, name, label, limit)
    return replace(centre, **values)


def save_centre_details(settings: SettingsStore, centre: CentreDetails) -> None:
    centre = check_centre_details(centre)
    settings.put(CENTRE_KEY, {k: (v.strip() if isinstance(v, str) else v) for k, v in asdict(centre).items()})


def load_centre_details(settings: SettingsStore) -> CentreDetails:
    raw = settings.get(CENTRE_KEY, {}) or {}
    known = {f.name for f in fields(CentreDetails)}
    return CentreDetails(**{k: v for k, v in raw.items() if k in known})


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
            self.session.audit.record(actor, "centre details changed", "settings", CENTRE_KEY)

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
            self.session.audit.record(actor, "setting changed", "settings", "idle_lock_minutes",
                                      f"{minutes} minutes")

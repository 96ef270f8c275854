"""The centre's own details (the letterhead): checked, saved and read in the settings table.

Below the vault (which saves them when it creates the records) and the services (which read them
for every letter); imports no service."""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from typing import Any

from ccc_desktop.models import limits
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.validation import clean_name, clean_text

CENTRE_KEY = "centre"

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

"""What is typed about a family, checked the same way wherever it enters: the referral, an
adult, a child. ``FamilyService`` is built on these checks (rectification uses ``check_adult``)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.models import limits
from ccc_desktop.models.dates import parse_date, parse_optional_date
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.families_records import (
    AdultInput,
    AdultRole,
    ChildInput,
    ContactKind,
    ReferralInput,
    Route,
)
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.validation import ascii_digits, clean_name, clean_text

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^[0-9+() \-]{6,25}$")
MAX_NAME = 120

def optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def choice(kind: type, value: object, field: str, label: str):
    try:
        return kind(value)
    except ValueError:
        raise ValidationError(f"{label}: choose one of the options.", field) from None


def checked_name(value: str, field: str, label: str) -> str:
    return clean_name(value, field, label, limits.NAME)


class FamilyChecks:
    session: Session

    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    def _today(self) -> date:
        return self.session.clock.today()

    def _past_date(self, text: str, field: str, label: str, optional: bool = False) -> date | None:
        value = parse_optional_date(text, field, label) if optional else parse_date(text, field, label)
        if value is not None and value > self._today():
            raise ValidationError(f"{label}: that date is in the future.", field)
        return value

    def check_adult(self, a: AdultInput, prefix: str = "") -> dict[str, object]:
        """An adult's details checked as editing the family checks them (also for rectification)."""
        self.session.actor.require(Permission.EDIT_FAMILIES)
        role = choice(AdultRole, a.role, prefix + "role", "Role")
        email = clean_text(a.email, prefix + "email", "Email", limits.SHORT)
        if email and not EMAIL_PATTERN.match(email):
            raise ValidationError("Email: that does not look like an email address.", prefix + "email")
        phone = ascii_digits(clean_text(a.phone, prefix + "phone", "Phone", limits.CODE))
        if phone and not PHONE_PATTERN.match(phone):
            raise ValidationError("Phone: use digits, spaces and + only.", prefix + "phone")
        values: dict[str, object] = {
            "full_name": checked_name(a.full_name, prefix + "full_name", "Name"),
            "role": role.value, "address": clean_text(a.address, prefix + "address", "Address", limits.ADDRESS), "phone": phone,
            "email": email,
        }
        for key, label in (("arrive_minutes_before", "Arrives early by"),
                           ("leave_minutes_after", "Leaves late by")):
            minutes = getattr(a, key)
            if not isinstance(minutes, int) or not 0 <= minutes <= 120:
                raise ValidationError(f"{label}: enter minutes from 0 to 120.", prefix + key)
            values[key] = minutes
        values["ground_rules_on"] = self._past_date(a.ground_rules_on, prefix + "ground_rules_on",
                                                    "Ground rules agreed", optional=True)
        values["policy_agreed_on"] = self._past_date(a.policy_agreed_on, prefix + "policy_agreed_on",
                                                     "Policy agreed", optional=True)
        return values

    def _check_child(self, c: ChildInput, prefix: str = "") -> dict[str, object]:
        name = checked_name(c.full_name, prefix + "full_name", "Child's name")
        dob = parse_date(c.date_of_birth, prefix + "date_of_birth", "Date of birth")
        if dob > self._today():
            raise ValidationError("Date of birth: that date is in the future.",
                                  prefix + "date_of_birth")
        if dob.year < self._today().year - 25:
            raise ValidationError("Date of birth: that is too long ago for a child.",
                                  prefix + "date_of_birth")
        return {"full_name": name, "date_of_birth": dob, "needs": clean_text(c.needs, prefix + "needs", "Needs", limits.TEXT)}

    def _check_referral(self, r: ReferralInput) -> dict[str, object]:
        return {
            "referral_date": self._past_date(r.referral_date, "referral_date", "Referral date"),
            "referral_route": choice(Route, r.route, "route", "Referral route").value,
            "referrer_name": clean_name(r.referrer_name, "referrer_name", "Referrer's name",
                                        limits.NAME, need=False),
            "referrer_organisation": clean_name(r.referrer_organisation, "referrer_organisation",
                                                "Organisation", limits.ORGANISATION, need=False),
            "referrer_contact": clean_text(r.referrer_contact, "referrer_contact",
                                           "Referrer's contact details", limits.CONTACT),
            "court_order": bool(r.court_order),
            "contact_kind": choice(ContactKind, r.contact_kind, "contact_kind", "Kind of contact").value,
        }

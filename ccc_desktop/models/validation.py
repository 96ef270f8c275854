"""Checks shared by services: each raises ValidationError naming the field."""

from __future__ import annotations

import re

from ccc_desktop.models.errors import ValidationError

_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$")
MIN_PASSPHRASE = 10


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not _USERNAME.match(username):
        raise ValidationError(
            "Account name: 3 to 32 letters or digits (dots, dashes and underscores allowed, "
            "no spaces).", "username")
    return username


def check_display_name(name: str, field: str = "display_name", label: str = "Name") -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError(f"{label}: this cannot be empty.", field)
    if len(name) > 120:
        raise ValidationError(f"{label}: keep it under 120 characters.", field)
    return name


def check_new_passphrase(passphrase: str, username: str = "", field: str = "passphrase") -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ValidationError(
            f"Passphrase: use at least {MIN_PASSPHRASE} characters; a few unrelated words work well.",
            field)
    if len(set(passphrase)) < 4:
        raise ValidationError("Passphrase: that is too easy to guess.", field)
    if username and passphrase.strip().casefold() == username.strip().casefold():
        raise ValidationError("Passphrase: it must not be the same as the account name.", field)


def required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"{label}: this cannot be empty.", field)
    return value

"""Checks shared by services: each raises ValidationError naming the field."""

from __future__ import annotations

import re
import unicodedata

from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.limits import NAME, Limit

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
    return clean_name(name, field, label)


def check_new_passphrase(passphrase: str, username: str = "", field: str = "passphrase") -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise ValidationError(
            f"Passphrase: use at least {MIN_PASSPHRASE} characters; a few unrelated words work well.",
            field)
    if len(set(passphrase)) < 4:
        raise ValidationError("Passphrase: that is too easy to guess.", field)
    if username and passphrase.strip().casefold() == username.strip().casefold():
        raise ValidationError("Passphrase: it must not be the same as the account name.", field)


def required(value: str, field: str, label: str, limit: Limit | None = None) -> str:
    """Required free text within ``limit`` (by default the field's own in FIELD_LIMITS)."""
    from ccc_desktop.models.limits import FIELD_LIMITS, SHORT

    limit = limit or FIELD_LIMITS.get(field, SHORT)
    if limit.name:
        return clean_name(value, field, label, limit)
    return clean_text(value, field, label, limit, need=True)


# ---- free text: normalised once, here ------------------------------------------------------
# Invisible characters that have no business in a name: zero-width space, word joiner, byte
# order mark, soft hyphen, and the bidirectional embeddings and overrides (which can make a
# name display as something else). Zero-width joiner and non-joiner are allowed between
# letters only: Persian, Urdu and the Indic scripts need them inside words.
_NAME_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u200e\u200f\u061c"
                            "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_JOINERS = frozenset("\u200c\u200d")
# Removed silently from notes and other longer text: harmless to drop, and they print as boxes.
_DROP_IN_TEXT = frozenset("\u200b\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _invisible(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("Cc", "Cf", "Zl", "Zp", "Zs") or ch in _NAME_INVISIBLE or ch.isspace()


def visible(text: str) -> bool:
    """True if the text has at least one character that shows on screen and paper."""
    return any(not _invisible(ch) and unicodedata.category(ch) not in ("Mn", "Me")
               for ch in text)


def ascii_digits(text: str) -> str:
    """Digits of any script (Arabic-Indic ٠١٢, full width ０１２ …) as 0-9, and full-width
    letters as ASCII (NFKC): for numbers and codes before they are checked or compared."""
    out = unicodedata.normalize("NFKC", text or "")
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch
                   for ch in out)


def _base_clean(value: object) -> str:
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


def _strip(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def _check_size(text: str, limit: Limit, field: str | None, label: str) -> None:
    if limit.lines > 1 and text.count("\n") + 1 > limit.lines:
        raise ValidationError(f"{label}: keep it to {limit.lines} lines or fewer.", field)
    if len(text) > limit.chars:
        raise ValidationError(f"{label}: keep it under {limit.chars:,} characters "
                              f"(it has {len(text):,}).", field)


def clean_name(value: object, field: str | None, label: str, limit: Limit = NAME,
               need: bool = True) -> str:
    """A name (one line): trimmed, NFC; control and invisible characters refused; needs a
    visible character; within the limit; every character printable in the letters."""
    text = _strip(_base_clean(value))
    if not text:
        if need:
            raise ValidationError(f"{label}: this cannot be empty.", field)
        return ""
    # Printable ASCII has no line break, control, invisible or joining character to refuse.
    for i, ch in enumerate("" if text.isascii() and text.isprintable() else text):
        if ch == "\n":
            raise ValidationError(f"{label}: keep it on one line.", field)
        if unicodedata.category(ch) == "Cc" or ch in _NAME_INVISIBLE:
            raise ValidationError(f"{label}: it holds an invisible or control character "
                                  f"(U+{ord(ch):04X}); type it again without it.", field)
        if ch in _JOINERS and not (0 < i < len(text) - 1 and text[i - 1].isalpha()
                                   and (text[i + 1].isalpha() or unicodedata.category(text[i + 1]) == "Mn")):
            raise ValidationError(f"{label}: it holds an invisible joining character "
                                  f"(U+{ord(ch):04X}) outside a word; type it again without it.", field)
    if not visible(text):
        raise ValidationError(f"{label}: this cannot be empty.", field)
    text = " ".join(text.split())  # tabs and runs of spaces: one space
    _check_size(text, limit, field, label)
    check_printable(text, field, label)
    return text


def clean_text(value: object, field: str | None, label: str, limit: Limit,
               need: bool = False) -> str:
    """Free text: trimmed, NFC, line breaks as \\n; control characters other than line breaks
    and zero-width/bidi-override characters dropped (harmless to lose, they print as boxes);
    within the limit's characters and lines."""
    text = _base_clean(value).replace("\t", " ")
    if not (text.isascii() and text.isprintable()):  # printable ASCII has nothing to drop
        text = "".join(ch for ch in text
                       if ch not in _DROP_IN_TEXT and (ch == "\n" or unicodedata.category(ch) != "Cc"))
    if not limit.multiline:
        text = " ".join(text.split("\n"))
    text = _strip(text)
    if need and not visible(text):
        raise ValidationError(f"{label}: this cannot be empty.", field)
    if not visible(text):
        text = ""
    _check_size(text, limit, field, label)
    check_printable(text, field, label)
    return text


def check_printable(text: str, field: str | None, label: str) -> None:
    """Refuse, as it is typed, a character the letters cannot print (no glyph in the bundled
    fonts), rather than printing an empty box later."""
    from ccc_desktop.models import glyphs

    missing = glyphs.unprintable(text)
    if missing:
        ch = missing[0]
        what = "emoji" if glyphs.is_emoji(ch) else f"the character {ch!r} (U+{ord(ch):04X})"
        raise ValidationError(f"{label}: letters cannot print {what}; please leave it out.", field)

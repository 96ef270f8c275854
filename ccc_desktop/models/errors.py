"""Typed errors the domain raises. Each carries a message fit to show the Coordinator."""

from __future__ import annotations


class CccError(Exception):
    """Base for every error the user may see. ``str(err)`` is a plain-English message."""


class PermissionDenied(CccError):
    def __init__(self, action: str, role: str) -> None:
        self.action = action
        self.role = role
        super().__init__(f"Your account ({role}) is not allowed to {action}.")


class ValidationError(CccError):
    """Bad input. ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class NotFound(CccError):
    pass


class WrongPassphrase(CccError):
    def __init__(self, message: str = "Wrong passphrase.") -> None:
        super().__init__(message)


class Throttled(CccError):
    def __init__(self, seconds: float) -> None:
        self.seconds = max(1, round(seconds))
        super().__init__(
            f"Too many wrong passphrases. Please wait {self.seconds} seconds and try again."
        )


class AccountDisabled(CccError):
    def __init__(self) -> None:
        super().__init__("This account has been disabled. Ask the Coordinator or Chair.")


class VaultLocked(CccError):
    def __init__(self) -> None:
        super().__init__("The records are locked. Unlock them with your passphrase.")


class VaultCorrupt(CccError):
    pass


class AccountAltered(VaultCorrupt):
    """An account row that does not match its seal or its key slot: refused, never trusted."""


class VaultInUse(CccError):
    def __init__(self) -> None:
        super().__init__(
            "CCC Desktop is already open with these records on this computer. "
            "Close the other window first."
        )


class StorageError(CccError):
    """The disk refused a write (full, read-only, locked). Nothing was saved."""


class MigrationFailed(CccError):
    pass


class AuditTampered(CccError):
    pass


class DocumentError(CccError):
    """A letter or report could not be laid out. The message names the document and the value
    that did not fit, never the PDF library's own words; nothing was saved or logged."""

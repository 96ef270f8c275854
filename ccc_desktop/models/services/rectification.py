"""Rectification (data protection principle 4 and the right to have data corrected).

One audited entry point for correcting a field of any record. An area makes a field
correctable by listing a ``Rectifier`` (``services/area.py``) in its ``Area.rectifiers``:

    Rectifier(
        record_type="family", field="parent_a_name", label="Parent A's name",
        permission=Permission.EDIT_FAMILIES,
        read=lambda services, record_id: ...current text...,
        write=lambda services, record_id, value: ...validate, then the store's UPDATE...,
    )

``write`` is called inside the correction's transaction, after the rights check; it validates
(raising ``ValidationError(message, field)`` with the rectifier's field name) and writes through
the area's store (calling ``db.changed``). It must not audit: ``RectificationService.correct``
writes one audit entry "record corrected" naming the record and the field, never the old or new
value (the audit trail is never disposed of, so it holds no personal data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccc_desktop.models.errors import NotFound, PermissionDenied, ValidationError
from ccc_desktop.models.limits import FIELD_LIMITS, TEXT
from ccc_desktop.models.services.area import Rectifier, rectifiers
from ccc_desktop.models.validation import clean_name, clean_text

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session


class RectificationService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services

    def _rectifiers(self) -> dict[tuple[str, str], Rectifier]:
        return rectifiers(self.services.areas)

    def fields(self, record_type: str) -> list[Rectifier]:
        return [r for (t, _), r in self._rectifiers().items()
                if t == record_type and self.session.actor.can(r.permission)]

    def _get(self, record_type: str, field: str) -> Rectifier:
        actor = self.session.actor
        known = self._rectifiers()
        if not any(actor.can(r.permission) for r in known.values()):
            raise PermissionDenied("correct records", actor.role.label)
        r = known.get((record_type, field))
        if r is None:
            raise NotFound(f"The field '{field}' of a {record_type} record cannot be corrected here.")
        self.session.actor.require(r.permission)
        return r

    def current(self, record_type: str, record_id: int, field: str) -> str:
        return self._get(record_type, field).read(self.services, record_id)

    def correct(self, record_type: str, record_id: int, field: str, new_value: str,
                request_id: int | None = None) -> None:
        """Correct one field; the change and its audit entry commit together."""
        r = self._get(record_type, field)
        old = r.read(self.services, record_id)
        # The limits the field had when first entered hold here too, whatever the area's writer
        # checks: the text is normalised and measured once, in the one place.
        limit = FIELD_LIMITS.get(field, TEXT)
        new_value = (clean_name(new_value, field, r.label, limit) if limit.name
                     else clean_text(new_value, field, r.label, limit))
        if (new_value or "").strip() == (old or "").strip():
            raise ValidationError(f"{r.label}: that is the same as what is recorded.", field)
        detail = f"field {field} corrected"
        if request_id is not None:
            detail += f"; at the request of the data subject (request {request_id})"
        with self.session.db.transaction():
            r.write(self.services, record_id, new_value)
            self.session.audit.record("record corrected", record_type, record_id, detail)


__all__ = ["RectificationService", "Rectifier"]

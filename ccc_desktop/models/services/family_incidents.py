"""A family's incidents (restricted: their details are sealed): recorded, opened, held beyond
three years. Part of FamilyService (``families.py``), which holds the stores and the helpers
used here."""

from __future__ import annotations

import builtins
import json
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.models import limits
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.families_records import Incident, IncidentInput
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.sealed import open_sealed, seal_text
from ccc_desktop.models.services.family_checks import FamilyChecks
from ccc_desktop.models.services.volunteer_base import pad_sealed, unpad_sealed
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.families import IncidentStore
from ccc_desktop.models.validation import required


class FamilyIncidents(FamilyChecks):
    incidents_store: IncidentStore

    if TYPE_CHECKING:  # FamilyService's own
        def _require_family(self, family_id: int) -> Row: ...

        def _edited(self, family_id: int, action: str, detail: str = "") -> None: ...

    @staticmethod
    def _incident_context(incident_id: int, family_id: int) -> str:
        return f"incidents.details|{incident_id}|{family_id}"

    def record_incident(self, family_id: int, incident: IncidentInput) -> int:
        actor = self.session.actor
        actor.require(Permission.VIEW_RESTRICTED)
        actor.require(Permission.EDIT_FAMILIES)
        self._require_family(family_id)
        when = self._past_date(incident.occurred_on, "occurred_on", "Date of the incident")
        assert when is not None
        if incident.kind not in ("safeguarding", "accident"):
            raise ValidationError("Kind: choose safeguarding or accident.", "kind")
        details = {
            "what": required(incident.what_happened, "what_happened", "What happened", limits.NOTES),
            "who": required(incident.who_involved, "who_involved", "Who was involved", limits.TEXT),
            "action": required(incident.action_taken, "action_taken", "Action taken", limits.NOTES),
            "told": required(incident.who_told, "who_told", "Who was told", limits.TEXT),
        }
        with self.session.db.transaction():
            incident_id = self.incidents_store.insert(family_id, when, incident.kind, self._now(),
                                                      actor.account_id)
            # Padded (to 1 KiB steps) like a volunteer's details: with the kind sealed, the
            # length of an account must not tell a grazed knee from a safeguarding concern.
            self.incidents_store.set_sealed(incident_id, seal_text(
                self.session, pad_sealed(json.dumps(details, ensure_ascii=False)),
                self._incident_context(incident_id, family_id)))
            self._edited(family_id, "incident recorded", f"incident {incident_id}")
        return incident_id

    def incidents(self, family_id: int) -> builtins.list[Incident]:
        actor = self.session.actor
        actor.require(Permission.VIEW_RESTRICTED)
        out = []
        for r in self.incidents_store.for_family(family_id):
            d = json.loads(unpad_sealed(open_sealed(self.session, r["details_sealed"],
                                                    self._incident_context(r["id"], r["family_id"]))))
            out.append(Incident(id=r["id"], family_id=r["family_id"],
                                occurred_on=date.fromisoformat(r["occurred_on"]), kind=r["kind"],
                                what_happened=d["what"], who_involved=d["who"],
                                action_taken=d["action"], who_told=d["told"],
                                keep_beyond_three_years=bool(r["keep_beyond_three_years"]),
                                created_at=r["created_at"]))
        if out:
            self.session.audit.record("incidents opened", "family", family_id,
                                      f"{len(out)} incidents")
        return out

    def set_incident_hold(self, incident_id: int, hold: bool) -> None:
        actor = self.session.actor
        actor.require(Permission.VIEW_RESTRICTED)
        actor.require(Permission.DISPOSE_RECORDS)
        row = self.incidents_store.get(incident_id)
        if row is None:
            raise NotFound("That incident no longer exists.")
        with self.session.db.transaction():
            self.incidents_store.set_hold(incident_id, hold)
            self.session.audit.record("incident hold " + ("set" if hold else "lifted"),
                                      "incident", incident_id, f"family {row['family_id']}")

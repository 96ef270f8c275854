"""A family's consents to share (policy clauses 5, 6): recorded, withdrawn, listed. Part of
FamilyService (``families.py``), which holds the stores and the helpers used here."""

from __future__ import annotations

import builtins
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.models import limits
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.families_records import Consent
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.family_checks import FamilyChecks
from ccc_desktop.models.services.family_checks import optional_date as _d
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.family_rows import ConsentStore
from ccc_desktop.models.validation import required


class FamilyConsents(FamilyChecks):
    store: FamilyStore
    consents_store: ConsentStore

    if TYPE_CHECKING:  # FamilyService's own
        def _edited(self, family_id: int, action: str, detail: str = "") -> None: ...

    def _consent(self, r: Row) -> Consent:
        return Consent(id=r["id"], family_id=r["family_id"], adult_id=r["adult_id"],
                       adult_name=r["adult_name"], to_whom=r["to_whom"], purpose=r["purpose"],
                       given_on=date.fromisoformat(r["given_on"]), how=r["how"],
                       withdrawn_on=_d(r["withdrawn_on"]))

    def record_consent(self, adult_id: int, to_whom: str, purpose: str, given_on: str,
                       how: str) -> int:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        adult = self.store.adult(adult_id)
        if adult is None:
            raise NotFound("That adult's record no longer exists.")
        to_whom = required(to_whom, "to_whom", "To whom", limits.ORGANISATION)
        purpose = required(purpose, "purpose", "For what", limits.SHORT)
        when = self._past_date(given_on, "given_on", "Consent given")
        how = required(how, "how", "How given", limits.SHORT)
        assert when is not None
        with self.session.db.transaction():
            consent_id = self.consents_store.insert(adult["family_id"], adult_id, to_whom, purpose,
                                                    when, how, self._now())
            self._edited(adult["family_id"], "consent recorded", f"consent {consent_id}")
        return consent_id

    def withdraw_consent(self, consent_id: int, on: str = "") -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_FAMILIES)
        row = self.consents_store.get(consent_id)
        if row is None:
            raise NotFound("That consent no longer exists.")
        when = self._past_date(on, "withdrawn_on", "Withdrawn on") if (on or "").strip() else self._today()
        assert when is not None
        if row["withdrawn_on"]:
            raise ValidationError("That consent has already been withdrawn.", "withdrawn_on")
        if when < date.fromisoformat(row["given_on"]):
            raise ValidationError("Withdrawn on: that is before the consent was given.", "withdrawn_on")
        with self.session.db.transaction():
            self.consents_store.withdraw(consent_id, when)
            self._edited(row["family_id"], "consent withdrawn", f"consent {consent_id}")

    def consents(self, family_id: int) -> builtins.list[Consent]:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        return [self._consent(r) for r in self.consents_store.for_family(family_id)]

    def consent(self, consent_id: int) -> Consent:
        self.session.actor.require(Permission.VIEW_FAMILIES)
        row = self.consents_store.get(consent_id)
        if row is None:
            raise NotFound("That consent no longer exists.")
        return self._consent(row)

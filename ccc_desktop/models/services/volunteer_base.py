"""What the volunteers and DBS services share: settings, sealing contexts and padding, and the
base that opens a DBS result. Volunteers (clauses 2, 3), their DBS checks (clause 8), the rota.

How "a current, satisfactory DBS check" is decided without leaking results
---------------------------------------------------------------------------
Nothing derived from a result is stored in the clear: there is no "cleared" flag. The outcome,
the disclosed information and the risk decision exist only as sealed ciphertext, padded to a
fixed size so that even the length of a column says nothing. "Current" needs only dates (issue
date, Update Service status check), which are not results and are stored plainly. "Satisfactory"
is decided at the moment a Coordinator or Chair activates a volunteer (or records a check): the
service opens the newest check's sealed values with that session's seal key, writes "DBS result
opened" to the audit trail in its own committed transaction, and applies the rule in
``DbsResult.satisfactory``. A Session volunteer account cannot activate anyone (no
MANAGE_VOLUNTEERS) and holds no seal key, so it can neither ask the question nor read the answer.
The only thing that ever shows is the volunteer's status, which the rota shows anyway.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from ccc_desktop.models.dates import add_years
from ccc_desktop.models.errors import NotFound, VaultCorrupt
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.sealed import open_sealed, seal_text
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.storage.volunteers import DbsStore, RotaStore, VolunteerStore
from ccc_desktop.models.volunteers_records import (
    DbsCheck,
    DbsLevel,
    DbsOutcome,
    DbsResult,
    RiskDecision,
    Volunteer,
    VolunteerDetails,
    VolunteerRole,
    VolunteerStatus,
    renewal_due,
)

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

# Settings (in the settings table) and their defaults.

UNDERTAKING_VERSION = "undertaking_version"
DBS_RENEWAL_YEARS = "dbs_renewal_years"
SAFEGUARDING_RENEWAL_YEARS = "safeguarding_renewal_years"
DBS_REQUIRED_LEVEL = "dbs_required_level"
DEFAULTS: dict[str, Any] = {
    UNDERTAKING_VERSION: "1",
    DBS_RENEWAL_YEARS: 3,
    SAFEGUARDING_RENEWAL_YEARS: 3,
    DBS_REQUIRED_LEVEL: DbsLevel.ENHANCED_BARRED.value,
}
RETENTION_YEARS = 3  # policy, data protection 5: volunteer records go 3 years after resignation

NOT_RESIGNED = (VolunteerStatus.APPLICANT.value, VolunteerStatus.ACTIVE.value,
                VolunteerStatus.PAUSED.value)
CERTIFICATE_NOTE = ("CCC Desktop keeps no copy of the DBS certificate itself: only the facts "
                    "below. Hand the certificate back to the volunteer once it has been seen.")

CERTIFICATE_PATTERN = re.compile(r"^[0-9]{12}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^[0-9+() \-]{6,25}$")
SEAL_BLOCK = 1024  # sealed values are padded to a multiple of this many bytes

def private_context(volunteer_id: int) -> str:
    """Sealed values are bound to their row: copied onto another row, they will not open."""
    return f"volunteers.private|{volunteer_id}"


def dbs_context(column: str, volunteer_id: int, certificate_number: str, issue_date: str,
                level: str) -> str:
    """A result is bound to its volunteer, certificate, issue date and level: moving it to
    another check, or altering those facts in the file, makes it refuse to open."""
    return f"dbs_checks.{column}|{volunteer_id}|{certificate_number}|{issue_date}|{level}"

# A volunteer's personal details are sealed too: only Coordinator and Chair manage volunteers,
# and they hold the seal key; a Session volunteer's key must not open colleagues' addresses.
PRIVATE_FIELDS = ("address", "phone", "email", "date_of_birth", "notes", "resignation_reason")


def optional_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def pad_sealed(text: str) -> str:
    size = len(text.encode("utf-8"))
    return text + "\x00" * ((-size - 1) % SEAL_BLOCK + 1)


def unpad_sealed(text: str) -> str:
    return text.rstrip("\x00")


class VolunteerBase:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.settings = SettingsStore(session.db)
        self.volunteers = VolunteerStore(session.db)
        self.checks = DbsStore(session.db)
        self.rota_store = RotaStore(session.db)
        self._memo = threading.local()  # per thread: {key: value} inside _settings_read_once

    def _setting(self, key: str) -> Any:
        memo: dict[str, Any] | None = getattr(self._memo, "values", None)
        if memo is None:
            return self.settings.get(key, DEFAULTS[key])
        if key not in memo:
            memo[key] = self.settings.get(key, DEFAULTS[key])
        return memo[key]

    @contextmanager
    def _settings_read_once(self) -> Iterator[None]:
        """Within: each setting is read once. A list of 300 volunteers with their checks read
        the renewal and undertaking settings for every row: 900 queries for one list."""
        outer = getattr(self._memo, "values", None) is None
        if outer:
            self._memo.values = {}
        try:
            yield
        finally:
            if outer:
                self._memo.values = None

    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    def _today(self) -> date:
        return self.session.clock.today()

    def _seal_private(self, volunteer_id: int, private: dict[str, Any]) -> bytes:
        data = {k: (private[k].isoformat() if isinstance(private[k], date) else private[k])
                for k in PRIVATE_FIELDS}
        return seal_text(self.session, pad_sealed(json.dumps(data, ensure_ascii=False)),
                         private_context(volunteer_id))

    def _open_private(self, volunteer_id: int, blob: bytes) -> dict[str, Any]:
        return json.loads(unpad_sealed(open_sealed(self.session, blob, private_context(volunteer_id))))

    @staticmethod
    def _private_of(v: Volunteer) -> dict[str, Any]:
        d = v.details
        return {"address": d.address, "phone": d.phone, "email": d.email,
                "date_of_birth": d.date_of_birth, "notes": d.notes,
                "resignation_reason": v.resignation_reason}

    def _volunteer(self, row: Row) -> Volunteer:
        roles = frozenset(VolunteerRole(r) for r in row["roles"].split(",") if r)
        private = self._open_private(row["id"], row["details_sealed"])
        details = VolunteerDetails(
            full_name=row["full_name"], address=private["address"], phone=private["phone"],
            email=private["email"], date_of_birth=optional_date(private["date_of_birth"]),
            start_date=optional_date(row["start_date"]), roles=roles,
            references_received=row["references_received"], induction_on=optional_date(row["induction_on"]),
            safeguarding_on=optional_date(row["safeguarding_on"]),
            undertaking_version=row["undertaking_version"],
            undertaking_signed_on=optional_date(row["undertaking_signed_on"]),
            policy_read_on=optional_date(row["policy_read_on"]),
            court_clause_acknowledged=bool(row["court_clause_acknowledged"]),
            account_id=row["account_id"], notes=private["notes"])
        safeguarding_due = (add_years(details.safeguarding_on, int(self._setting(SAFEGUARDING_RENEWAL_YEARS)))
                            if details.safeguarding_on else None)
        return Volunteer(
            id=row["id"], details=details, status=VolunteerStatus(row["status"]),
            resigned_on=optional_date(row["resigned_on"]), resignation_reason=private["resignation_reason"],
            created_at=row["created_at"], updated_at=row["updated_at"],
            current_undertaking_version=str(self._setting(UNDERTAKING_VERSION)),
            safeguarding_renewal_due=safeguarding_due)

    def _check(self, row: Row) -> DbsCheck:
        issue = date.fromisoformat(row["issue_date"])
        last = optional_date(row["last_status_check"])
        return DbsCheck(
            id=row["id"], volunteer_id=row["volunteer_id"], volunteer_name=row["volunteer_name"],
            level=DbsLevel(row["level"]), certificate_number=row["certificate_number"],
            issue_date=issue, update_service=bool(row["update_service"]), last_status_check=last,
            id_checked_by=row["id_checked_by"], renewal_applied_on=optional_date(row["renewal_applied_on"]),
            renewal_due=renewal_due(issue, bool(row["update_service"]), last,
                                    int(self._setting(DBS_RENEWAL_YEARS))),
            created_at=row["created_at"])

    def _get_volunteer(self, volunteer_id: int) -> Volunteer:
        row = self.volunteers.get(volunteer_id)
        if row is None:
            raise NotFound("That volunteer's record no longer exists.")
        return self._volunteer(row)

    def _get_check(self, check_id: int) -> DbsCheck:
        row = self.checks.get(check_id)
        if row is None:
            raise NotFound("That DBS check no longer exists.")
        return self._check(row)

    def _latest_check(self, volunteer_id: int) -> DbsCheck | None:
        rows = self.checks.for_volunteer(volunteer_id)
        return self._check(rows[0]) if rows else None

    # ---- sealed values --------------------------------------------------------------------
    def _open_result(self, check_id: int, why: str) -> DbsResult:
        """Opens the sealed columns and writes the opening to the audit trail, committed
        on its own so that a refusal that follows does not undo the record of it."""
        actor = self.session.actor
        actor.require(Permission.VIEW_DBS_RESULTS)
        _ = self.session.seal_key  # PermissionDenied for any session whose slot has no seal key
        row = self.checks.sealed(check_id)
        if row is None:
            raise NotFound("That DBS check no longer exists.")
        facts = (row["volunteer_id"], row["certificate_number"], row["issue_date"], row["level"])
        try:
            outcome = unpad_sealed(open_sealed(self.session, row["outcome_sealed"],
                                         dbs_context("outcome", *facts)))
            disclosed = unpad_sealed(open_sealed(self.session, row["disclosed_sealed"],
                                           dbs_context("disclosed", *facts)))
            decision = json.loads(unpad_sealed(open_sealed(self.session, row["decision_sealed"],
                                                     dbs_context("decision", *facts))))
        except VaultCorrupt:
            with self.session.db.transaction():
                self.session.audit.record("DBS result altered in the file", "dbs_check",
                                          check_id, why)
            raise VaultCorrupt("This DBS check's sealed result has been altered outside CCC "
                               "Desktop (or its certificate number, issue date or level were), "
                               "so it cannot be trusted. Record the check again from the "
                               "certificate, and tell the Chair.") from None
        with self.session.db.transaction():
            self.session.audit.record("DBS result opened", "dbs_check", check_id, why)
        return DbsResult(
            check_id=check_id, outcome=DbsOutcome(outcome), disclosed_information=disclosed,
            decision=RiskDecision(decision["decision"]) if decision.get("decision") else None,
            decision_notes=decision.get("notes", ""), decided_by=decision.get("by", ""),
            decided_on=optional_date(decision.get("on")))



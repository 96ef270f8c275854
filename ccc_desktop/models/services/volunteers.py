"""Volunteers (clauses 2, 3), their DBS checks (clause 8) and the rota.

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

import builtins
import json
import re
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from ccc_desktop.models import limits
from ccc_desktop.models.dates import add_years, check_year, format_date
from ccc_desktop.models.errors import NotFound, ValidationError, VaultCorrupt
from ccc_desktop.models.records import DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.sealed import open_sealed, seal_text
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.storage.sessions import SessionStore
from ccc_desktop.models.storage.volunteers import DbsStore, RotaStore, VolunteerStore
from ccc_desktop.models.validation import ascii_digits, clean_name, clean_text, required
from ccc_desktop.models.volunteers_records import (
    DbsCheck,
    DbsCheckInput,
    DbsLevel,
    DbsOutcome,
    DbsResult,
    RiskDecision,
    RotaEntry,
    RotaSession,
    Volunteer,
    VolunteerDetails,
    VolunteerOverview,
    VolunteerRetention,
    VolunteerRole,
    VolunteerStatus,
    WarningStage,
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

_CERT = re.compile(r"^[0-9]{12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+() \-]{6,25}$")
_SEAL_BLOCK = 1024  # sealed values are padded to a multiple of this many bytes

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


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _pad(text: str) -> str:
    size = len(text.encode("utf-8"))
    return text + "\x00" * ((-size - 1) % _SEAL_BLOCK + 1)


def _unpad(text: str) -> str:
    return text.rstrip("\x00")


class _Base:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.settings = SettingsStore(session.db)
        self.volunteers = VolunteerStore(session.db)
        self.checks = DbsStore(session.db)
        self.rota_store = RotaStore(session.db)

    def _setting(self, key: str) -> Any:
        return self.settings.get(key, DEFAULTS[key])

    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    def _today(self) -> date:
        return self.session.clock.today()

    def _seal_private(self, volunteer_id: int, private: dict[str, Any]) -> bytes:
        data = {k: (private[k].isoformat() if isinstance(private[k], date) else private[k])
                for k in PRIVATE_FIELDS}
        return seal_text(self.session, _pad(json.dumps(data, ensure_ascii=False)),
                         private_context(volunteer_id))

    def _open_private(self, volunteer_id: int, blob: bytes) -> dict[str, Any]:
        return json.loads(_unpad(open_sealed(self.session, blob, private_context(volunteer_id))))

    @staticmethod
    def _private_of(v: Volunteer) -> dict[str, Any]:
        d = v.details
        return {"address": d.address, "phone": d.phone, "email": d.email,
                "date_of_birth": d.date_of_birth, "notes": d.notes,
                "resignation_reason": v.resignation_reason}

    def _volunteer(self, row: Row) -> Volunteer:
        roles = frozenset(VolunteerRole(r) for r in row["roles"].split(",") if r)
        private = self._open_private(row["id"], row["private_sealed"])
        details = VolunteerDetails(
            full_name=row["full_name"], address=private["address"], phone=private["phone"],
            email=private["email"], date_of_birth=_d(private["date_of_birth"]),
            start_date=_d(row["start_date"]), roles=roles,
            references_received=row["references_received"], induction_on=_d(row["induction_on"]),
            safeguarding_on=_d(row["safeguarding_on"]),
            undertaking_version=row["undertaking_version"],
            undertaking_signed_on=_d(row["undertaking_signed_on"]),
            policy_read_on=_d(row["policy_read_on"]),
            court_clause_acknowledged=bool(row["court_clause_acknowledged"]),
            account_id=row["account_id"], notes=private["notes"])
        safeguarding_due = (add_years(details.safeguarding_on, int(self._setting(SAFEGUARDING_RENEWAL_YEARS)))
                            if details.safeguarding_on else None)
        return Volunteer(
            id=row["id"], details=details, status=VolunteerStatus(row["status"]),
            resigned_on=_d(row["resigned_on"]), resignation_reason=private["resignation_reason"],
            created_at=row["created_at"], updated_at=row["updated_at"],
            current_undertaking_version=str(self._setting(UNDERTAKING_VERSION)),
            safeguarding_renewal_due=safeguarding_due)

    def _check(self, row: Row) -> DbsCheck:
        issue = date.fromisoformat(row["issue_date"])
        last = _d(row["last_status_check"])
        return DbsCheck(
            id=row["id"], volunteer_id=row["volunteer_id"], volunteer_name=row["volunteer_name"],
            level=DbsLevel(row["level"]), certificate_number=row["certificate_number"],
            issue_date=issue, update_service=bool(row["update_service"]), last_status_check=last,
            id_checked_by=row["id_checked_by"], renewal_applied_on=_d(row["renewal_applied_on"]),
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
            outcome = _unpad(open_sealed(self.session, row["outcome_sealed"],
                                         dbs_context("outcome", *facts)))
            disclosed = _unpad(open_sealed(self.session, row["disclosed_sealed"],
                                           dbs_context("disclosed", *facts)))
            decision = json.loads(_unpad(open_sealed(self.session, row["decision_sealed"],
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
            decided_on=_d(decision.get("on")))


class VolunteerService(_Base):
    """Volunteer records, their status, the rota and the retention clock."""

    # ---- reading ---------------------------------------------------------------------------
    def list(self, status: VolunteerStatus | None = None) -> builtins.list[Volunteer]:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        return [self._volunteer(r) for r in self.volunteers.all(VolunteerStatus(status).value if status else None)]

    def get(self, volunteer_id: int) -> Volunteer:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        return self._get_volunteer(volunteer_id)

    def overview(self, status: VolunteerStatus | None = None) -> builtins.list[VolunteerOverview]:
        """The volunteers list: each record with its newest check's due date and what is missing."""
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        today = self._today()
        latest: dict[int, DbsCheck] = {}
        for row in self.checks.latest_per_volunteer(tuple(s.value for s in VolunteerStatus)):
            latest[row["volunteer_id"]] = self._check(row)
        out = []
        for v in (self._volunteer(r) for r in self.volunteers.all(VolunteerStatus(status).value if status else None)):
            check = latest.get(v.id)
            needs: builtins.list[str] = []
            if v.status is not VolunteerStatus.RESIGNED:
                if v.undertaking_gap():
                    needs.append("undertaking" if v.details.undertaking_signed_on is None
                                 else "undertaking (sign again)")
                needs.extend(v.training_gaps(today))
                if check is None:
                    needs.append("DBS check")
                elif check.renewal_due < today:
                    needs.append("DBS renewal")
            # A resigned volunteer's old check is history: no warning stage.
            stage = check.stage(today) if check and v.status is not VolunteerStatus.RESIGNED else None
            out.append(VolunteerOverview(v, check.renewal_due if check else None, stage, tuple(needs)))
        return out

    def current_undertaking_version(self) -> str:
        return str(self._setting(UNDERTAKING_VERSION))

    def set_current_undertaking_version(self, version: str) -> None:
        """When the centre changes its undertaking text: earlier signers must sign again."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        version = required(version, "undertaking_version", "Undertaking version")
        with self.session.db.transaction():
            self.settings.put(UNDERTAKING_VERSION, version)
            self.session.audit.record("setting changed", "settings", UNDERTAKING_VERSION)

    def safeguarding_renewal_years(self) -> int:
        return int(self._setting(SAFEGUARDING_RENEWAL_YEARS))

    # ---- writing ---------------------------------------------------------------------------
    def _validate(self, d: VolunteerDetails, volunteer_id: int | None) -> dict[str, Any]:
        today = self._today()
        name = clean_name(d.full_name, "full_name", "Name", limits.NAME)
        phone = ascii_digits(clean_text(d.phone, "phone", "Phone", limits.CODE))
        if phone and not _PHONE.match(phone):
            raise ValidationError("Phone: use digits and spaces only, for example 01246 555014.", "phone")
        email = clean_text(d.email, "email", "Email", limits.SHORT)
        if email and not _EMAIL.match(email):
            raise ValidationError("Email: that does not look like an email address.", "email")
        for fld, label in (("date_of_birth", "Date of birth"), ("start_date", "Start date"),
                           ("induction_on", "Induction"), ("safeguarding_on", "Safeguarding training"),
                           ("undertaking_signed_on", "Undertaking signed"),
                           ("policy_read_on", "Policy read")):
            if getattr(d, fld) is not None:
                check_year(getattr(d, fld), fld, label)
        if d.date_of_birth is not None:
            if d.date_of_birth >= today:
                raise ValidationError("Date of birth: it must be in the past.", "date_of_birth")
            if d.date_of_birth < date(today.year - 110, 1, 1):
                raise ValidationError("Date of birth: please check the year.", "date_of_birth")
        if d.start_date is not None and d.date_of_birth is not None and d.start_date <= d.date_of_birth:
            raise ValidationError("Start date: it must be after the date of birth.", "start_date")
        if not d.roles:
            raise ValidationError("Roles: choose at least one role.", "roles")
        if not 0 <= d.references_received <= 9:
            raise ValidationError("References received: enter a number from 0 to 9.", "references_received")
        for fld, label in (("induction_on", "Induction"), ("safeguarding_on", "Safeguarding training"),
                           ("undertaking_signed_on", "Undertaking signed"),
                           ("policy_read_on", "Policy read")):
            value = getattr(d, fld)
            if value is not None and value > today:
                raise ValidationError(f"{label}: the date cannot be in the future.", fld)
        version = clean_text(d.undertaking_version, "undertaking_version", "Undertaking version",
                             limits.FIELD_LIMITS["undertaking_version"])
        if d.undertaking_signed_on is not None and not version:
            version = self.current_undertaking_version()
        if version and d.undertaking_signed_on is None:
            raise ValidationError("Undertaking signed: enter the date the undertaking was signed.",
                                  "undertaking_signed_on")
        if d.court_clause_acknowledged and d.policy_read_on is None:
            raise ValidationError("Policy read: enter the date the policy was read.", "policy_read_on")
        if d.account_id is not None:
            if AccountStore(self.session.db).get(d.account_id) is None:
                raise ValidationError("Account: that account no longer exists.", "account_id")
            other = self.volunteers.by_account(d.account_id)
            if other is not None and other["id"] != volunteer_id:
                raise ValidationError("Account: that account is already linked to another volunteer.",
                                      "account_id")
        return {
            "full_name": name, "address": clean_text(d.address, "address", "Address", limits.ADDRESS),
            "phone": phone, "email": email,
            "date_of_birth": d.date_of_birth, "start_date": d.start_date,
            "roles": ",".join(r.value for r in VolunteerRole if r in d.roles),
            "references_received": int(d.references_received), "induction_on": d.induction_on,
            "safeguarding_on": d.safeguarding_on, "undertaking_version": version,
            "undertaking_signed_on": d.undertaking_signed_on, "policy_read_on": d.policy_read_on,
            "court_clause_acknowledged": int(bool(d.court_clause_acknowledged)),
            "account_id": d.account_id, "notes": clean_text(d.notes, "notes", "Notes", limits.NOTES),
        }

    def create(self, details: VolunteerDetails) -> Volunteer:
        """A new volunteer always starts as an applicant."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        values = self._validate(details, None)
        private = {k: values.pop(k) for k in PRIVATE_FIELDS if k in values}
        values["private_sealed"] = b""  # sealed below, once the row's id is known
        with self.session.db.transaction():
            new_id = self.volunteers.insert(values, self._now())
            self.volunteers.update(new_id, {"private_sealed": self._seal_private(
                new_id, {**private, "resignation_reason": ""})}, self._now())
            self.session.audit.record("volunteer created", "volunteer", new_id, "status applicant")
        return self._get_volunteer(new_id)

    def update(self, volunteer_id: int, details: VolunteerDetails) -> Volunteer:
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        before = self._get_volunteer(volunteer_id)
        values = self._validate(details, volunteer_id)
        old = self.volunteers.get(volunteer_id)
        assert old is not None
        old_private = self._private_of(before)
        private = {k: values.pop(k) for k in PRIVATE_FIELDS if k in values}
        changed_names = {k for k, v in private.items() if v != old_private[k]}
        changed = {k: v for k, v in values.items()
                   if (v.isoformat() if isinstance(v, date) else v) != old[k]}
        changed_names |= set(changed)
        if not changed_names:
            return before
        if changed_names & set(PRIVATE_FIELDS):
            changed["private_sealed"] = self._seal_private(volunteer_id, {**old_private, **private})
        with self.session.db.transaction():
            self.volunteers.update(volunteer_id, changed, self._now())
            # Field names only: the audit trail outlives the record and holds no personal data.
            self.session.audit.record("volunteer updated", "volunteer", volunteer_id,
                                      "changed " + ", ".join(sorted(changed_names)))
        return self._get_volunteer(volunteer_id)

    def activation_gaps(self, volunteer_id: int) -> builtins.list[str]:
        """What stands between this volunteer and being active (empty: they may be activated).
        Opens the newest check's sealed result (audited), so it needs the seal key."""
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        v = self._get_volunteer(volunteer_id)
        gaps = []
        if v.details.undertaking_signed_on is None:
            gaps.append("a signed confidentiality undertaking (policy clause 2)")
        elif not v.undertaking_current:
            gaps.append(f"the current confidentiality undertaking (version "
                        f"{v.current_undertaking_version}) signed: they signed version "
                        f"{v.details.undertaking_version or 'unknown'}")
        check = self._latest_check(volunteer_id)
        today = self._today()
        if check is None:
            gaps.append("a DBS check (policy clause 8): none is recorded")
            return gaps
        required_level = DbsLevel(self._setting(DBS_REQUIRED_LEVEL))
        if check.level.rank < required_level.rank:
            gaps.append(f"a DBS check at the level the centre requires ({required_level.label}): "
                        f"the newest is {check.level.label}")
        if check.renewal_due < today:
            gaps.append(f"a current DBS check: the newest (issued {format_date(check.issue_date)}) "
                        f"was due for renewal on {format_date(check.renewal_due)}")
        result = self._open_result(check.id, "to check activation")
        if not result.satisfactory:
            if result.outcome is DbsOutcome.DISCLOSED and result.decision is None:
                gaps.append("a risk decision on the information the DBS check disclosed")
            else:
                gaps.append("a satisfactory DBS check: the risk decision on the newest check "
                            "does not allow them to volunteer")
        return gaps

    def activate(self, volunteer_id: int) -> Volunteer:
        """Clause 8 and clause 2: only with a signed undertaking and a current, satisfactory
        DBS check. The refusal says what is missing."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        v = self._get_volunteer(volunteer_id)
        if v.status is VolunteerStatus.ACTIVE:
            return v
        if v.status is VolunteerStatus.RESIGNED:
            raise ValidationError(f"{v.name} has resigned. Use Rejoin to make them an applicant "
                                  "again first.", "status")
        gaps = self.activation_gaps(volunteer_id)
        if gaps:
            raise ValidationError(f"{v.name} cannot be made active yet. Still needed: "
                                  + "; ".join(gaps) + ".", "status")
        with self.session.db.transaction():
            self.volunteers.update(volunteer_id, {"status": VolunteerStatus.ACTIVE.value}, self._now())
            self.session.audit.record("volunteer activated", "volunteer", volunteer_id,
                                      f"{v.status.value} to active")
        return self._get_volunteer(volunteer_id)

    def pause(self, volunteer_id: int) -> Volunteer:
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        v = self._get_volunteer(volunteer_id)
        if v.status is VolunteerStatus.RESIGNED:
            raise ValidationError(f"{v.name} has resigned; a resigned volunteer cannot be paused.",
                                  "status")
        if v.status is VolunteerStatus.PAUSED:
            return v
        with self.session.db.transaction():
            self.volunteers.update(volunteer_id, {"status": VolunteerStatus.PAUSED.value}, self._now())
            self.session.audit.record("volunteer paused", "volunteer", volunteer_id,
                                      f"{v.status.value} to paused")
        return self._get_volunteer(volunteer_id)

    def resign(self, volunteer_id: int, resigned_on: date | None, reason: str = "") -> Volunteer:
        """The resignation date starts the three-year retention clock. Future rota lines after
        that date are removed."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        v = self._get_volunteer(volunteer_id)
        if resigned_on is None:
            raise ValidationError("Resignation date: enter the date they resigned.", "resigned_on")
        if resigned_on > self._today():
            raise ValidationError("Resignation date: it cannot be in the future; record the "
                                  "resignation on the day it takes effect.", "resigned_on")
        if v.details.start_date is not None and resigned_on < v.details.start_date:
            raise ValidationError("Resignation date: it cannot be before their start date.", "resigned_on")
        check_year(resigned_on, "resigned_on", "Resignation date")
        reason = clean_text(reason, "resignation_reason", "Reason", limits.REASON)
        with self.session.db.transaction():
            self.volunteers.update(volunteer_id, {
                "status": VolunteerStatus.RESIGNED.value, "resigned_on": resigned_on,
                "private_sealed": self._seal_private(volunteer_id, {
                    **self._private_of(v), "resignation_reason": reason})}, self._now())
            removed = 0
            for row in self.rota_store.for_volunteer(volunteer_id, resigned_on):
                if date.fromisoformat(row["session_date"]) > resigned_on:
                    removed += self.rota_store.remove(row["id"], volunteer_id)
            self.session.audit.record("volunteer resigned", "volunteer", volunteer_id,
                                      f"{v.status.value} to resigned; {removed} future rota lines removed")
        return self._get_volunteer(volunteer_id)

    def rejoin(self, volunteer_id: int) -> Volunteer:
        """A resigned volunteer comes back as an applicant; the retention clock stops."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        v = self._get_volunteer(volunteer_id)
        if v.status is not VolunteerStatus.RESIGNED:
            raise ValidationError(f"{v.name} has not resigned.", "status")
        with self.session.db.transaction():
            self.volunteers.update(volunteer_id, {
                "status": VolunteerStatus.APPLICANT.value, "resigned_on": None,
                "private_sealed": self._seal_private(volunteer_id, {
                    **self._private_of(v), "resignation_reason": ""})}, self._now())
            self.session.audit.record("volunteer rejoined", "volunteer", volunteer_id,
                                      "resigned to applicant")
        return self._get_volunteer(volunteer_id)

    # ---- retention (issue 6) -------------------------------------------------------------------
    def retention_dates(self) -> builtins.list[VolunteerRetention]:
        """Resigned volunteers with the date their record may be disposed of (resigned + 3 years)."""
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        return [VolunteerRetention(r["id"], r["full_name"], date.fromisoformat(r["resigned_on"]),
                                   add_years(date.fromisoformat(r["resigned_on"]), RETENTION_YEARS))
                for r in self.volunteers.resigned()]

    # ---- the rota ------------------------------------------------------------------------------
    def sessions_between(self, first: date, last: date) -> builtins.list[RotaSession]:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        names: dict[int, builtins.list[str]] = {}
        for r in self.rota_store.for_sessions_between(first, last):
            names.setdefault(r["session_id"], []).append(r["volunteer_name"])
        return [RotaSession(s["id"], date.fromisoformat(s["session_date"]), s["start_time"],
                            s["end_time"], s["finalised_at"] is not None,
                            tuple(names.get(s["id"], [])))
                for s in SessionStore(self.session.db).between(first, last)]

    def rota(self, session_id: int) -> builtins.list[RotaEntry]:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        return [RotaEntry(r["session_id"], r["volunteer_id"], r["volunteer_name"], r["duty"])
                for r in self.rota_store.for_session(session_id)]

    def on_duty(self, session_id: int) -> builtins.list[str]:
        """Who was (or is) on duty at a session: display names only, for the register."""
        self.session.actor.require(Permission.RUN_REGISTER)
        return [r["volunteer_name"] for r in self.rota_store.for_session(session_id)]

    def _open_session(self, session_id: int) -> Row:
        row = SessionStore(self.session.db).get(session_id)
        if row is None:
            raise NotFound("That session no longer exists.")
        if row["finalised_at"] is not None:
            raise ValidationError("That session's register has been finalised; its rota can no "
                                  "longer change.", "session")
        return row

    def assign(self, session_id: int, volunteer_id: int, duty: str = "") -> None:
        """Only active volunteers whose DBS check is still current on the session's date."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        session_row = self._open_session(session_id)
        v = self._get_volunteer(volunteer_id)
        if v.status is not VolunteerStatus.ACTIVE:
            raise ValidationError(f"{v.name} is {v.status.value}: only active volunteers can be "
                                  "put on the rota.", "volunteer")
        check = self._latest_check(volunteer_id)
        on = date.fromisoformat(session_row["session_date"])
        if check is None or check.renewal_due < on:
            when = format_date(check.renewal_due) if check else ""
            raise ValidationError(
                f"{v.name}'s DBS check is due for renewal on {when}, before this session; record "
                "the renewed check (or the status check) first." if check else
                f"{v.name} has no DBS check recorded.", "volunteer")
        duty = clean_text(duty, "duty", "Duty", limits.CODE)
        with self.session.db.transaction():
            self.rota_store.add(session_id, volunteer_id, duty, self._now())
            self.session.audit.record("volunteer put on rota", "session", session_id,
                                      f"volunteer {volunteer_id}")

    def unassign(self, session_id: int, volunteer_id: int) -> None:
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        self._open_session(session_id)
        with self.session.db.transaction():
            if self.rota_store.remove(session_id, volunteer_id):
                self.session.audit.record("volunteer taken off rota", "session", session_id,
                                          f"volunteer {volunteer_id}")

    def upcoming_duties(self, volunteer_id: int) -> builtins.list[RotaSession]:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        return [RotaSession(r["id"], date.fromisoformat(r["session_date"]), r["start_time"],
                            r["end_time"], False)
                for r in self.rota_store.for_volunteer(volunteer_id, self._today())]


class DbsService(_Base):
    """DBS checks. Dates and levels for managers; results only through ``open_result``."""

    def renewal_years(self) -> int:
        return int(self._setting(DBS_RENEWAL_YEARS))

    def set_renewal_years(self, years: int) -> None:
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        if not 1 <= years <= 10:
            raise ValidationError("Renewal: choose between 1 and 10 years.", "dbs_renewal_years")
        with self.session.db.transaction():
            self.settings.put(DBS_RENEWAL_YEARS, years)
            self.session.audit.record("setting changed", "settings", DBS_RENEWAL_YEARS,
                                      f"{years} years")

    def required_level(self) -> DbsLevel:
        return DbsLevel(self._setting(DBS_REQUIRED_LEVEL))

    def list(self, volunteer_id: int | None = None) -> builtins.list[DbsCheck]:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        rows = self.checks.all() if volunteer_id is None else self.checks.for_volunteer(volunteer_id)
        return [self._check(r) for r in rows]

    def get(self, check_id: int) -> DbsCheck:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        return self._get_check(check_id)

    def latest(self, include_resigned: bool = False) -> builtins.list[DbsCheck]:
        """The newest check of each volunteer (not resigned unless asked)."""
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        statuses = tuple(s.value for s in VolunteerStatus) if include_resigned else NOT_RESIGNED
        return [self._check(r) for r in self.checks.latest_per_volunteer(statuses)]

    def attention(self) -> builtins.list[tuple[DbsCheck, WarningStage]]:
        """Newest checks of volunteers still with the centre that are overdue, due within 60
        days, or due with a renewal in progress; most urgent first."""
        today = self._today()
        out = [(c, c.stage(today)) for c in self.latest()]
        return sorted(((c, s) for c, s in out if s is not WarningStage.NONE),
                      key=lambda cs: (cs[0].renewal_due, cs[0].volunteer_name))

    def open_result(self, check_id: int) -> DbsResult:
        """The sealed result, for a Coordinator or Chair; each opening is audited."""
        self.session.actor.require(Permission.VIEW_DBS_RESULTS)
        self._get_check(check_id)
        return self._open_result(check_id, "shown on screen")

    # ---- writing ---------------------------------------------------------------------------
    def _validate(self, volunteer: Volunteer, data: DbsCheckInput,
                  check_id: int | None) -> tuple[dict[str, Any], dict[str, bytes]]:
        today = self._today()
        try:
            level = DbsLevel(data.level)
        except ValueError:
            raise ValidationError("Level: choose the level of the check.", "level") from None
        # Digits typed in another script (٠١٢, full width ０１２) are the same certificate.
        number = re.sub(r"[\s\-]", "", ascii_digits(data.certificate_number or ""))
        if not _CERT.match(number):
            raise ValidationError("Certificate number: enter the 12 digits printed on the "
                                  "certificate, for example 0012 3456 7890.", "certificate_number")
        if self.checks.certificate_taken(number, check_id):
            raise ValidationError("Certificate number: that certificate is already recorded.",
                                  "certificate_number")
        if data.issue_date is None:
            raise ValidationError("Issue date: enter the date printed on the certificate.", "issue_date")
        check_year(data.issue_date, "issue_date", "Issue date")
        if data.issue_date > today:
            raise ValidationError("Issue date: it cannot be in the future.", "issue_date")
        dob = volunteer.details.date_of_birth
        if dob is not None and data.issue_date <= dob:
            raise ValidationError("Issue date: it must be after the volunteer's date of birth.",
                                  "issue_date")
        last = data.last_status_check if data.update_service else None
        if last is not None:
            if last < data.issue_date:
                raise ValidationError("Last status check: it cannot be before the certificate's "
                                      "issue date.", "last_status_check")
            if last > today:
                raise ValidationError("Last status check: it cannot be in the future.", "last_status_check")
        checked_by = required(data.id_checked_by, "id_checked_by", "ID documents checked by",
                              limits.NAME)
        try:
            outcome = DbsOutcome(data.outcome)
        except ValueError:
            raise ValidationError("Outcome: choose Clear or Information disclosed.", "outcome") from None
        disclosed = clean_text(data.disclosed_information, "disclosed_information",
                               "Disclosed information", limits.NOTES)
        if outcome is DbsOutcome.DISCLOSED and not disclosed:
            raise ValidationError("Disclosed information: write down what the certificate "
                                  "disclosed.", "disclosed_information")
        if outcome is DbsOutcome.CLEAR and disclosed:
            raise ValidationError("Disclosed information: leave it empty for a clear certificate, "
                                  "or choose Information disclosed.", "disclosed_information")
        decision = RiskDecision(data.decision) if data.decision else None
        notes = clean_text(data.decision_notes, "decision_notes", "Decision notes", limits.NOTES)
        decided_by = clean_name(data.decided_by, "decided_by", "Decision made by", limits.NAME,
                                need=False)
        if decision is not None:
            if not decided_by:
                raise ValidationError("Decision made by: enter who made the risk decision.", "decided_by")
            if data.decided_on is not None and data.decided_on > today:
                raise ValidationError("Decision date: it cannot be in the future.", "decided_on")
            if data.decided_on is not None and data.decided_on < data.issue_date:
                raise ValidationError("Decision date: it cannot be before the issue date.", "decided_on")
        elif notes or decided_by:
            raise ValidationError("Risk decision: choose the decision the notes belong to.", "decision")
        decided_on = (data.decided_on or today) if decision is not None else None
        plain = {"level": level.value, "certificate_number": number, "issue_date": data.issue_date,
                 "update_service": bool(data.update_service), "last_status_check": last,
                 "id_checked_by": checked_by}
        s = self.session
        facts = (volunteer.id, number, data.issue_date.isoformat(), level.value)
        sealed = {
            "outcome_sealed": seal_text(s, _pad(outcome.value), dbs_context("outcome", *facts)),
            "disclosed_sealed": seal_text(s, _pad(disclosed), dbs_context("disclosed", *facts)),
            "decision_sealed": seal_text(s, _pad(json.dumps({
                "decision": decision.value if decision else None, "notes": notes, "by": decided_by,
                "on": decided_on.isoformat() if decided_on else None}, ensure_ascii=False)),
                dbs_context("decision", *facts)),
        }
        return plain, sealed

    def _pause_if_unsatisfactory(self, volunteer: Volunteer, data: DbsCheckInput) -> bool:
        """An active volunteer whose newest check is not satisfactory is paused at once."""
        if volunteer.status is not VolunteerStatus.ACTIVE:
            return False
        result = DbsResult(0, DbsOutcome(data.outcome), "", RiskDecision(data.decision)
                           if data.decision else None, "", "", None)
        if result.satisfactory:
            return False
        self.volunteers.update(volunteer.id, {"status": VolunteerStatus.PAUSED.value}, self._now())
        # The detail names no reason: the audit trail is plain inside the file, and the
        # reason would be a DBS result.
        self.session.audit.record("volunteer paused", "volunteer", volunteer.id,
                                  "active to paused")
        return True

    def record(self, volunteer_id: int, data: DbsCheckInput) -> DbsCheck:
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        actor.require(Permission.VIEW_DBS_RESULTS)
        volunteer = self._get_volunteer(volunteer_id)
        plain, sealed = self._validate(volunteer, data, None)
        with self.session.db.transaction():
            new_id = self.checks.insert(volunteer_id, plain, sealed, self._now(), actor.account_id)
            self.session.audit.record("DBS check recorded", "dbs_check", new_id,
                                      f"volunteer {volunteer_id}; level {plain['level']}")
            latest = self._latest_check(volunteer_id)
            if latest is not None and latest.id == new_id:
                self._pause_if_unsatisfactory(volunteer, data)
        return self._get_check(new_id)

    def update(self, check_id: int, data: DbsCheckInput) -> DbsCheck:
        """Correct a check as typed (all of it, sealed parts re-sealed)."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        actor.require(Permission.VIEW_DBS_RESULTS)
        check = self._get_check(check_id)
        volunteer = self._get_volunteer(check.volunteer_id)
        plain, sealed = self._validate(volunteer, data, check_id)
        if check.renewal_applied_on is not None and check.renewal_applied_on < plain["issue_date"]:
            raise ValidationError("Issue date: a renewal was applied for before this date; clear "
                                  "the renewal first.", "issue_date")
        with self.session.db.transaction():
            self.checks.update(check_id, {**plain, **sealed}, self._now())
            self.session.audit.record("DBS check corrected", "dbs_check", check_id,
                                      f"volunteer {check.volunteer_id}")
            latest = self._latest_check(check.volunteer_id)
            if latest is not None and latest.id == check_id:
                self._pause_if_unsatisfactory(volunteer, data)
        return self._get_check(check_id)

    def record_status_check(self, check_id: int, checked_on: date | None) -> DbsCheck:
        """An Update Service status check done online by the Coordinator: the next is due a year on."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        check = self._get_check(check_id)
        if not check.update_service:
            raise ValidationError("Status check: this volunteer is not on the DBS Update Service.",
                                  "last_status_check")
        if checked_on is None:
            raise ValidationError("Status check: enter the date of the check.", "last_status_check")
        if checked_on < check.issue_date:
            raise ValidationError("Status check: it cannot be before the certificate's issue date.",
                                  "last_status_check")
        if checked_on > self._today():
            raise ValidationError("Status check: it cannot be in the future.", "last_status_check")
        with self.session.db.transaction():
            self.checks.update(check_id, {"last_status_check": checked_on, "renewal_applied_on": None},
                               self._now())
            self.session.audit.record("DBS status check recorded", "dbs_check", check_id)
        return self._get_check(check_id)

    def record_renewal_application(self, check_id: int, applied_on: date | None) -> DbsCheck:
        """A renewal in progress pauses the 60/30/7-day warnings; the due date stays shown."""
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        check = self._get_check(check_id)
        if applied_on is None:
            raise ValidationError("Renewal applied for: enter the date of the application.",
                                  "renewal_applied_on")
        if applied_on < check.issue_date:
            raise ValidationError("Renewal applied for: it cannot be before the issue date of the "
                                  "check being renewed.", "renewal_applied_on")
        if applied_on > self._today():
            raise ValidationError("Renewal applied for: it cannot be in the future.", "renewal_applied_on")
        with self.session.db.transaction():
            self.checks.update(check_id, {"renewal_applied_on": applied_on}, self._now())
            self.session.audit.record("DBS renewal applied for", "dbs_check", check_id)
        return self._get_check(check_id)

    def clear_renewal_application(self, check_id: int) -> DbsCheck:
        actor = self.session.actor
        actor.require(Permission.MANAGE_VOLUNTEERS)
        self._get_check(check_id)
        with self.session.db.transaction():
            self.checks.update(check_id, {"renewal_applied_on": None}, self._now())
            self.session.audit.record("DBS renewal application cleared", "dbs_check", check_id)
        return self._get_check(check_id)


# ---- the dashboard ---------------------------------------------------------------------------
_SEVERITY = {WarningStage.OVERDUE: "overdue", WarningStage.DAYS_7: "warning",
             WarningStage.DAYS_30: "warning", WarningStage.DAYS_60: "info",
             WarningStage.PAUSED: "info"}


def dbs_section(services: Services) -> DashboardSection | None:
    """Checks overdue and due soon (60/30/7 days), with the volunteers affected."""
    if not services.session.actor.can(Permission.MANAGE_VOLUNTEERS):
        return None
    dbs = services.dbs
    today = services.session.clock.today()
    items = []
    for check, stage in dbs.attention():
        # The dashboard adds "(due <date>)" from the item's due date.
        days = check.days_left(today)
        kind = "status check" if check.update_service else "renewal"
        if stage is WarningStage.OVERDUE:
            text = f"{check.volunteer_name}: DBS {kind} overdue"
            if check.renewal_in_progress:
                text += f"; renewal applied for on {format_date(check.renewal_applied_on)}"
        elif stage is WarningStage.PAUSED:
            text = (f"{check.volunteer_name}: DBS {kind} in progress since "
                    f"{format_date(check.renewal_applied_on)}; warnings paused")
        elif days == 0:
            text = f"{check.volunteer_name}: DBS {kind} due today"
        else:
            text = f"{check.volunteer_name}: DBS {kind} due in {days} day{'s' if days != 1 else ''}"
        items.append(DashboardItem(text, _SEVERITY[stage], "dbs", check.renewal_due))
    return DashboardSection("DBS checks", items, order=300,
                            empty_text="No DBS check is overdue or due in the next 60 days.")


def volunteer_gaps_section(services: Services) -> DashboardSection | None:
    """Volunteers still with the centre who lack a current undertaking, training or any DBS check."""
    if not services.session.actor.can(Permission.MANAGE_VOLUNTEERS):
        return None
    items = []
    for row in services.volunteers.overview():
        v = row.volunteer
        if v.status is VolunteerStatus.RESIGNED:
            continue
        missing = [n for n in row.needs if n != "DBS renewal"]  # renewals are in the DBS section
        if missing:
            items.append(DashboardItem(f"{v.name} ({v.status.value}): needs {_join(missing)}",
                                       "info", "volunteers"))
    return DashboardSection("Volunteers", items, order=310,
                            empty_text="Every volunteer has a current undertaking and training.")


def _join(parts: Iterable[str]) -> str:
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


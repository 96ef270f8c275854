"""Volunteers (clauses 2, 3), their DBS checks (clause 8) and the rota.

How "a current, satisfactory DBS check" is decided without leaking results is told once, in
``volunteer_base``'s docstring.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ccc_desktop.documents.rota import rota_pdf
from ccc_desktop.models import limits
from ccc_desktop.models.centre_details import load_centre_details
from ccc_desktop.models.dates import add_years, check_year, format_date
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.records import DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Row
from ccc_desktop.models.storage.sessions import SessionStore
from ccc_desktop.models.validation import ascii_digits, clean_name, clean_text, required
from ccc_desktop.models.volunteers_records import (
    DbsCheck,
    DbsLevel,
    DbsOutcome,
    RotaEntry,
    RotaSession,
    RotaSheetSession,
    Volunteer,
    VolunteerDetails,
    VolunteerOverview,
    VolunteerRetention,
    VolunteerRole,
    VolunteerStatus,
)

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services

# Settings (in the settings table) and their defaults.
from ccc_desktop.models.services.dbs import DbsService, dbs_section
from ccc_desktop.models.services.volunteer_base import (
    DBS_REQUIRED_LEVEL,
    EMAIL_PATTERN,
    PHONE_PATTERN,
    PRIVATE_FIELDS,
    RETENTION_YEARS,
    SAFEGUARDING_RENEWAL_YEARS,
    UNDERTAKING_VERSION,
    VolunteerBase,
    dbs_context,
    private_context,
)


class VolunteerService(VolunteerBase):
    """Volunteer records, their status, the rota and the retention clock."""

    # ---- reading ---------------------------------------------------------------------------
    def list(self, status: VolunteerStatus | None = None) -> builtins.list[Volunteer]:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        with self._settings_read_once():
            return [self._volunteer(r) for r in self.volunteers.all(VolunteerStatus(status).value if status else None)]

    def get(self, volunteer_id: int) -> Volunteer:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        return self._get_volunteer(volunteer_id)

    def overview(self, status: VolunteerStatus | None = None) -> builtins.list[VolunteerOverview]:
        """The volunteers list: each record with its newest check's due date and what is missing."""
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        with self._settings_read_once():
            return self._overview(status)

    def _overview(self, status: VolunteerStatus | None) -> builtins.list[VolunteerOverview]:
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
        if phone and not PHONE_PATTERN.match(phone):
            raise ValidationError("Phone: use digits and spaces only, for example 01246 555014.", "phone")
        email = clean_text(d.email, "email", "Email", limits.SHORT)
        if email and not EMAIL_PATTERN.match(email):
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
        values["details_sealed"] = b""  # sealed below, once the row's id is known
        with self.session.db.transaction():
            new_id = self.volunteers.insert(values, self._now())
            self.volunteers.update(new_id, {"details_sealed": self._seal_private(
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
            changed["details_sealed"] = self._seal_private(volunteer_id, {**old_private, **private})
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
                "details_sealed": self._seal_private(volunteer_id, {
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
                "details_sealed": self._seal_private(volunteer_id, {
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

    def month_rota(self, year: int, month: int) -> builtins.list[RotaSheetSession]:
        """Every session of a month with who is on duty and their duties (the rota on paper)."""
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        if not 1 <= month <= 12 or not 2000 <= year <= 2200:
            raise ValidationError("Month: choose a month and a year.", "month")
        first = date(year, month, 1)
        last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        duties: dict[int, builtins.list[RotaEntry]] = {}
        for r in self.rota_store.for_sessions_between(first, last):
            duties.setdefault(r["session_id"], []).append(
                RotaEntry(r["session_id"], r["volunteer_id"], r["volunteer_name"], r["duty"]))
        return [RotaSheetSession(date.fromisoformat(s["session_date"]), s["start_time"],
                                 s["end_time"], s["capacity"], s["booked"],
                                 tuple(duties.get(s["id"], [])))
                for s in SessionStore(self.session.db).with_counts(first, last)]

    def month_rota_pdf(self, year: int, month: int) -> bytes:
        """The month's rota as an A4 PDF to pin up: sessions, volunteers and duties."""
        rows = self.month_rota(year, month)
        return rota_pdf(load_centre_details(self.settings), date(year, month, 1), rows,
                        self.session.clock.today())

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


# The volunteers area's services and sections, and the sealing contexts, named in one place.
__all__ = ["DbsService", "VolunteerService", "dbs_context", "dbs_section", "private_context",
           "volunteer_gaps_section"]

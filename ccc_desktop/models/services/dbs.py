"""DBS checks (clause 8): recording, the sealed results, renewals and the dashboard section.
See ``volunteer_base`` for how a result is decided without being stored in the clear."""

from __future__ import annotations

import builtins
import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from ccc_desktop.models import limits
from ccc_desktop.models.dates import check_year, format_date
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.records import DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.sealed import seal_text
from ccc_desktop.models.validation import ascii_digits, clean_name, clean_text, required
from ccc_desktop.models.volunteers_records import (
    DbsCheck,
    DbsCheckInput,
    DbsLevel,
    DbsOutcome,
    DbsResult,
    RiskDecision,
    Volunteer,
    VolunteerStatus,
    WarningStage,
)

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services

# Settings (in the settings table) and their defaults.
from ccc_desktop.models.services.volunteer_base import (
    CERTIFICATE_PATTERN,
    DBS_RENEWAL_YEARS,
    DBS_REQUIRED_LEVEL,
    NOT_RESIGNED,
    VolunteerBase,
    dbs_context,
    pad_sealed,
)


class DbsService(VolunteerBase):
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
        with self._settings_read_once():
            return [self._check(r) for r in rows]

    def get(self, check_id: int) -> DbsCheck:
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        return self._get_check(check_id)

    def latest(self, include_resigned: bool = False) -> builtins.list[DbsCheck]:
        """The newest check of each volunteer (not resigned unless asked)."""
        self.session.actor.require(Permission.MANAGE_VOLUNTEERS)
        statuses = tuple(s.value for s in VolunteerStatus) if include_resigned else NOT_RESIGNED
        with self._settings_read_once():
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
        if not CERTIFICATE_PATTERN.match(number):
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
            "outcome_sealed": seal_text(s, pad_sealed(outcome.value), dbs_context("outcome", *facts)),
            "disclosed_sealed": seal_text(s, pad_sealed(disclosed), dbs_context("disclosed", *facts)),
            "decision_sealed": seal_text(s, pad_sealed(json.dumps({
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



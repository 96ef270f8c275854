"""The volunteers-and-DBS area (``VOLUNTEERS``): its dashboard sections, retention source and
subject-access source (issue 4). Families (issue 3) have theirs in ``families_dp.py``; the hold
an open witness summons puts on a family is the legal area's (``legal.py``). See
``services/area.py`` for what an area lists.

Volunteers: resigned volunteers fall due three years (the retention period) after resigning.
Disposal deletes the record with its DBS checks and rota lines (``VolunteerStore.delete``; the
sealed private details live in the same row); their letters go through the retention service.
Held back: a volunteer named as served with an open witness summons, and a volunteer whose
staff account is still enabled (disable it first, so the key slot goes too).

Subject access: a request linked to a volunteer record (``subject_category='volunteer'``) gets
everything the volunteer record holds about them: details (opened with the seal key), training
and undertaking dates, DBS checks with their results (each opening audited), and rota duties.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.documents.pdf_text import pdf_text, read_document
from ccc_desktop.models.account_seal import sign_accounts
from ccc_desktop.models.data_protection_records import (
    Candidate,
    DisposalCounts,
    NameScope,
    SarPart,
    SarRow,
    SarSection,
    SubjectAccessRequest,
)
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import NotFound
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.services.volunteers import dbs_section, volunteer_gaps_section
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.data_protection import (
    clear_names,
    drop_summons_papers,
    volunteer_name_scope,
)
from ccc_desktop.models.storage.legal import SummonsStore
from ccc_desktop.models.storage.retention import AreaRetentionStore
from ccc_desktop.models.storage.volunteers import RotaStore, VolunteerStore

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

HOLD_SUMMONS_VOLUNTEER = "Served with an open witness summons"
HOLD_ACCOUNT = "Still has an enabled staff account: disable it in Settings > Accounts first"


class VolunteerRetentionSource:
    category = "volunteer"
    basis = "resigned"

    @staticmethod
    def _candidate(row) -> Candidate:
        return Candidate("volunteer", row["id"], f"V-{row['id']:05d}", row["full_name"],
                         date.fromisoformat(row["resigned_on"]))

    def candidates(self, session: Session, cutoff: date) -> list[Candidate]:
        return [self._candidate(r) for r in AreaRetentionStore(session.db).resigned_volunteers(cutoff.isoformat())]

    def candidate(self, session: Session, record_id: int) -> Candidate | None:
        rows = AreaRetentionStore(session.db).resigned_volunteers(date.max.isoformat(), record_id)
        return self._candidate(rows[0]) if rows else None

    def holds(self, session: Session, record_ids: Sequence[int]) -> dict[int, list[str]]:
        store = AreaRetentionStore(session.db)
        ids = list(record_ids)
        out: dict[int, list[str]] = {}
        for rid in store.volunteers_served_open_summons(ids):
            out.setdefault(rid, []).append(HOLD_SUMMONS_VOLUNTEER)
        for rid in store.volunteers_with_enabled_accounts(ids):
            out.setdefault(rid, []).append(HOLD_ACCOUNT)
        return out

    def name_scope(self, session: Session, record_id: int) -> NameScope:
        """The volunteer's name, and the records linked to them (closed summonses served on
        them, the sessions they were on the rota for)."""
        db = session.db
        name = AreaRetentionStore(db).volunteer_name(record_id)
        return volunteer_name_scope(db, record_id, name, SummonsStore(db).closed_served_on(name))

    def dispose(self, session: Session, record_id: int) -> DisposalCounts:
        """The record with its DBS checks, rota lines and attachments; then the volunteer's
        name goes from every other record that stays (a summons's "served on", notes, who
        checked an ID ...). A closed summons served on them keeps its record but loses its
        letters and court papers, which name them."""
        db = session.db
        counts = DisposalCounts(AreaRetentionStore(db).volunteer_row_counts(record_id))
        scope = self.name_scope(session, record_id)  # before the rota lines go
        account_id = AreaRetentionStore(db).volunteer_account(record_id)
        counts.add_cleared(drop_summons_papers(db, scope.linked.get("summonses", ())))
        VolunteerStore(db).delete(record_id)  # DBS checks and rota lines cascade
        counts.add_cleared(clear_names(db, scope, letter_text=pdf_text,
                                       document_text=read_document).counts())
        if account_id is not None:
            counts.add_cleared(forget_account_name(session, account_id))
        return counts


FORMER = "Former volunteer #{id}"


def forget_account_name(session: Session, account_id: int) -> dict[tuple[str, str], int]:
    """A disposed volunteer's staff account (disabled: an enabled one holds the disposal back)
    keeps its row, because the records and the audit trail name it by its number: its name
    and account name become "Former volunteer #12", it is marked removed (never enabled
    again), and the audit entries it wrote show that name as their actor, each vouched for
    under the seal key (``AuditTrail.redact_actor``)."""
    db = session.db
    store = AccountStore(db)
    account = store.get(account_id)
    if account is None:
        return {}
    name = FORMER.format(id=account.id)
    login = f"former-volunteer-{account.id}"
    changes: dict[str, object] = {"display_name": name, "username": login, "enabled": 0,
                                  "slot_id": None}
    if not account.removed_at:
        changes["removed_at"] = session.clock.now().isoformat(timespec="seconds")
    store.update(account.id, **changes)
    sign_accounts(db, session.seal_key, session.db_key, [account.id])
    entries = session.audit.redact_actor(account.id, name)
    out = {("accounts", "display_name"): 1}
    if entries:
        out[("audit_log", "actor")] = entries
    return out


def _d(value: date | None) -> str:
    return format_date(value) if value else "not recorded"


def volunteer_sar(services: Services, request: SubjectAccessRequest) -> SarPart | None:
    """What the volunteer record holds about the volunteer who asked."""
    services.session.actor.require(Permission.VIEW_REPORTS)
    if request.subject_category != "volunteer" or request.subject_record_id is None:
        return None
    try:
        v = services.volunteers.get(request.subject_record_id)
    except NotFound:
        return None
    d = v.details
    rows = [
        SarRow("Name", d.full_name), SarRow("Address", d.address or "not recorded"),
        SarRow("Telephone", d.phone or "not recorded"), SarRow("Email", d.email or "not recorded"),
        SarRow("Date of birth", _d(d.date_of_birth)), SarRow("Started", _d(d.start_date)),
        SarRow("Roles", ", ".join(sorted(r.label for r in d.roles)) or "none"),
        SarRow("References received", str(d.references_received)),
        SarRow("Induction", _d(d.induction_on)), SarRow("Safeguarding training", _d(d.safeguarding_on)),
        SarRow("Confidentiality undertaking signed",
               f"{_d(d.undertaking_signed_on)} (version {d.undertaking_version or '-'})"),
        SarRow("Confidentiality policy read", _d(d.policy_read_on)),
        SarRow("Status", v.status.label),
    ]
    if v.resigned_on:
        rows.append(SarRow("Resigned", _d(v.resigned_on)))
        if v.resignation_reason:
            rows.append(SarRow("Reason for resigning", v.resignation_reason))
    if d.notes:
        rows.append(SarRow("Notes", d.notes))
    sections = [SarSection("Your volunteer record", tuple(rows))]
    dbs = services.dbs
    checks = []
    for c in dbs.list(v.id):
        result = dbs.open_result(c.id)
        text = f"{c.level.label}, issued {format_date(c.issue_date)}; result: {result.outcome.label}"
        if result.disclosed_information:
            text += f"; information disclosed: {result.disclosed_information}"
        if result.decision is not None:
            text += f"; decision: {result.decision.label}"
        checks.append(SarRow(f"Certificate {c.certificate_number}", text))
    if checks:
        sections.append(SarSection("DBS checks", tuple(checks)))
    duties = [SarRow(format_date(date.fromisoformat(r["session_date"])),
                     f"{r['start_time']}-{r['end_time']}" + (f", {r['duty']}" if r["duty"] else ""))
              for r in RotaStore(services.session.db).for_volunteer(v.id, date.min)]
    if duties:
        sections.append(SarSection("Sessions on the rota", tuple(duties)))
    return SarPart(sections)


VOLUNTEERS = Area(
    "volunteers and DBS",
    dashboard=(dbs_section, volunteer_gaps_section),
    retention_sources=(VolunteerRetentionSource(),),
    sar_sources=(volunteer_sar,),
    letter_subjects={"volunteer": Permission.MANAGE_VOLUNTEERS},
)

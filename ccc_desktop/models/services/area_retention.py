"""Retention sources, holds and subject-access sources for the areas merged so far: volunteers
(issue 4) and witness summonses (issue 5). Families (issue 3) have theirs in ``families_dp.py`` (see
the ``retention`` module docstring for what a source implements).

Volunteers: resigned volunteers fall due three years (the retention period) after resigning.
Disposal deletes the record with its DBS checks and rota lines (``VolunteerStore.delete``; the
sealed private details live in the same row); their letters go through the retention service.
Held back: a volunteer named as served with an open witness summons, and a volunteer whose
staff account is still enabled (disable it first, so the key slot goes too).

Families: a family linked to an open witness summons is held (``summonses.family_id``).

Subject access: a request linked to a volunteer record (``subject_category='volunteer'``) gets
everything the volunteer record holds about them: details (opened with the seal key), training
and undertaking dates, DBS checks with their results (each opening audited), and rota duties.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import NotFound
from ccc_desktop.models.services.retention import HOLD_PROVIDERS, Candidate, register_source
from ccc_desktop.models.services.subject_access import SAR_SOURCES, SarPart, SarRow, SarSection
from ccc_desktop.models.storage.data_protection import AreaRetentionStore
from ccc_desktop.models.storage.volunteers import RotaStore, VolunteerStore

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

HOLD_SUMMONS_VOLUNTEER = "Served with an open witness summons"
HOLD_ACCOUNT = "Still has an enabled staff account: disable it in Settings > Accounts first"
HOLD_SUMMONS_FAMILY = "Linked to an open witness summons"


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

    def dispose(self, session: Session, record_id: int) -> dict[str, int]:
        counts = AreaRetentionStore(session.db).volunteer_row_counts(record_id)
        VolunteerStore(session.db).delete(record_id)  # DBS checks and rota lines cascade
        return counts


def family_summons_holds(session: Session, category: str, record_ids: Sequence[int]) -> dict[int, list[str]]:
    if category != "family":
        return {}
    found = AreaRetentionStore(session.db).families_with_open_summons(list(record_ids))
    return {rid: [HOLD_SUMMONS_FAMILY] for rid in found}


def _d(value: date | None) -> str:
    return format_date(value) if value else "not recorded"


def volunteer_sar(session: Session, request) -> SarPart | None:
    """What the volunteer record holds about the volunteer who asked."""
    from ccc_desktop.models.services.volunteers import DbsService, VolunteerService

    if request.subject_category != "volunteer" or request.subject_record_id is None:
        return None
    try:
        v = VolunteerService(session).get(request.subject_record_id)
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
    dbs = DbsService(session)
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
              for r in RotaStore(session.db).for_volunteer(v.id, date.min)]
    if duties:
        sections.append(SarSection("Sessions on the rota", tuple(duties)))
    return SarPart(sections)


register_source(VolunteerRetentionSource())
if volunteer_sar not in SAR_SOURCES:
    SAR_SOURCES.append(volunteer_sar)
if family_summons_holds not in HOLD_PROVIDERS:
    HOLD_PROVIDERS.append(family_summons_holds)

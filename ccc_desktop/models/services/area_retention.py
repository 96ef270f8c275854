"""Retention sources and holds for the areas merged so far: volunteers (issue 4) and witness
summonses (issue 5). Families (issue 3) add their own source when they land (see the
``retention`` module docstring for what a source implements).

Volunteers: resigned volunteers fall due three years (the retention period) after resigning.
Disposal deletes the record with its DBS checks and rota lines (``VolunteerStore.delete``; the
sealed private details live in the same row); their letters go through the retention service.
Held back: a volunteer named as served with an open witness summons, and a volunteer whose
staff account is still enabled (disable it first, so the key slot goes too).

Families: a family linked to an open witness summons is held (``summonses.family_id``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.models.services.retention import HOLD_PROVIDERS, Candidate, register_source
from ccc_desktop.models.storage.data_protection import AreaRetentionStore
from ccc_desktop.models.storage.volunteers import VolunteerStore

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

HOLD_SUMMONS_VOLUNTEER = "Served with an open witness summons"
HOLD_ACCOUNT = "Still has an enabled staff account: disable it in Settings > Accounts first"
HOLD_SUMMONS_FAMILY = "Linked to an open witness summons"


class VolunteerRetentionSource:
    category = "volunteer"
    basis = "resigned"

    @staticmethod
    def _candidate(row) -> Candidate:  # type: ignore[no-untyped-def]
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


register_source(VolunteerRetentionSource())
if family_summons_holds not in HOLD_PROVIDERS:
    HOLD_PROVIDERS.append(family_summons_holds)

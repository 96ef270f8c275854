"""Witness summonses in the retention report (issue 15's gap, policy clause 10).

A summons is information relating to a family or a volunteer, so it is kept no longer than
the policy keeps what it relates to: a closed summons falls due the retention period (3 years,
the setting every record shares) after it was closed, and is then disposed of with its steps,
its letters and its attached court papers, logged as ``S-00012`` and listed on the certificate.
An open summons is never a candidate (it holds its family and the volunteer served instead);
reopening one takes it out of the report. A summons whose family has an open subject access
request is held until the request is answered. A family disposed of earlier leaves its closed
summonses behind without the link, the applicant or the papers naming it (``families_dp``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.models.data_protection_records import Candidate, DisposalCounts
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.legal_records import Summons
from ccc_desktop.models.storage.attachments import AttachmentStore
from ccc_desktop.models.storage.legal import SummonsStore
from ccc_desktop.models.storage.subject_access import SarStore

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

CATEGORY = "summons"  # also the letters' and attachments' subject type
HOLD_OPEN_SAR = "Its family has an open subject access request"


class SummonsRetentionSource:
    category = CATEGORY
    basis = "closed"

    @staticmethod
    def _candidate(s: Summons) -> Candidate:
        closed = s.closed_on
        assert closed is not None  # closed_before lists closed summonses only
        label = f"{s.court}, case {s.case_number} (closed {format_date(closed)})"
        return Candidate(CATEGORY, s.id, f"S-{s.id:05d}", label, closed)

    def candidates(self, session: Session, cutoff: date) -> list[Candidate]:
        return [self._candidate(r) for r in SummonsStore(session.db).closed_before(cutoff.isoformat())]

    def candidate(self, session: Session, record_id: int) -> Candidate | None:
        rows = SummonsStore(session.db).closed_before(date.max.isoformat(), record_id)
        return self._candidate(rows[0]) if rows else None

    def holds(self, session: Session, record_ids: Sequence[int]) -> dict[int, list[str]]:
        open_ = SarStore(session.db).open_subjects()
        families = SummonsStore(session.db).family_of(list(record_ids))
        return {sid: [HOLD_OPEN_SAR] for sid, fid in families.items() if ("family", fid) in open_}

    def dispose(self, session: Session, record_id: int) -> DisposalCounts:
        """The summons, its steps and its attached court papers; its letters are deleted by
        the retention service (their subject is ``summons``)."""
        counts = DisposalCounts(SummonsStore(session.db).delete(record_id))
        files = AttachmentStore(session.db).delete_for((CATEGORY,), record_id)
        if files:
            counts["attachments"] = files
        return counts

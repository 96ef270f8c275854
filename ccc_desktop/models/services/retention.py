"""Retention and secure disposal (policy clause 10, data protection principle 5).

Family records unused for the retention period (3 years by default, a setting) and volunteer
records that long after resignation are listed in the retention report with the date each
became due, plus those falling due in the next 90 days. A record that something holds back
(an open witness summons, an open subject access request, a safeguarding incident hold) is
listed as held, with the reason, and cannot be disposed of. Once the Coordinator or Chair
re-enters their passphrase, everything about each due record is deleted, the file is vacuumed
(secure_delete is always on), and the disposal log keeps only the reference, the category, the
last-used date, the disposal date and who authorised it.

Plugging an area in (families, volunteers)
-------------------------------------------
The areas own their tables, so this module never queries them. Each area lists, in its
``Area`` (``services/area.py``; the areas are listed in ``services/registry.py``), objects that
implement ``RetentionSource``. Sources that ship: ``VolunteerRetentionSource`` in
``services/area_retention.py``, ``SubjectAccessRetention`` in ``services/subject_access.py``
(closed requests not linked to a record), ``FamilyRetentionSource`` in
``services/families_dp.py`` and ``SummonsRetentionSource`` in ``services/legal_retention.py``
(closed witness summonses, with their letters and attachments). A test-only example: ``tests/dataprot_fakes.py``.

``category: str``
    ``'family'``, ``'volunteer'``, ``'subject_access'`` or ``'summons'``. Printed in the report and written to the disposal log. It is
    also the ``subject_type`` the area uses for its stored letters and for linking subject
    access requests (``subject_category``).
``basis: str``
    What the date means, shown in the report: ``'last used'`` (families) or ``'resigned'``
    (volunteers).
``candidates(session, cutoff: date) -> list[Candidate]``
    Every record whose last-used date (families: the latest of booking, attendance, letter,
    change...) or resignation date (volunteers; never an active volunteer) is on or before
    ``cutoff``. One indexed query; the service has already checked the actor's rights and
    does the exact date arithmetic itself. ``Candidate.reference`` must hold no personal
    data (e.g. ``'F-00042'``): it is kept in the disposal log forever, so it must never be
    given to another record later (use ``INTEGER PRIMARY KEY AUTOINCREMENT`` ids or a counter:
    a plain rowid can be reused after the newest row is deleted). ``label`` is what the
    Coordinator recognises (a name) and is shown on screen and in the report only.
``candidate(session, record_id: int) -> Candidate | None``
    The same for one record, whatever its date (re-checked just before disposal).
``holds(session, record_ids: Sequence[int]) -> dict[int, list[str]]``
    The area's own reasons to keep a record, in plain words: "Linked to an open witness
    summons", "Safeguarding incident hold". Records without a hold may be left out.
``dispose(session, record_id: int) -> dict[str, int]``
    Delete everything the area holds about the record: the record, contacts, bookings,
    attendance, consents, disclosures, incidents, sealed fields, child rows... Called inside
    the disposal's transaction (do not open another commit; ``db.transaction()`` nests). Return
    rows deleted per table; a ``DisposalCounts`` also says, in ``cleared``, which fields of
    other records it cleared of the person's names (``storage/data_protection.clear_names``)
    and how many records it left mentioning a first or last name alone (``LEFT`` + field):
    the disposal log keeps that list, sealed, and the certificate prints it. Do not audit (the
    service does) and do not touch the audit trail, with one exception: a disposed volunteer's
    name as the actor of the entries their account wrote is replaced through
    ``AuditTrail.redact_actor``, which keeps the trail verifiable (``area_retention``).
``name_scope(session, record_id) -> NameScope`` (optional)
    Whose names the disposal clears, the rows deleted with the record and the rows linked to
    it that stay. A whole name is cleared everywhere, a first or last name alone only in the
    linked rows (and in rows naming the person in full); ``names_left_alone`` lists the other
    records that mention a name alone, for the Coordinator to check before confirming.
    Letters kept with ``subject_type == category`` and ``subject_id == record_id`` and subject
    access requests linked to the record are deleted here by the service, after ``dispose``.

Holds that come from another area (an open summons kept by the legal area) are listed in that
area's ``Area.holds``: ``fn(session, category, record_ids) -> dict[int, list[str]]``.
Open subject access requests are the data-protection area's own hold (``sar_holds``).

Records that come back when an older backup is restored are listed again with a note
(``RetentionItem.disposed_before``): the restore carries the newer disposal log over
(``services/backup.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ccc_desktop.documents.pdf_text import pdf_text, read_document
from ccc_desktop.documents.retention import disposal_certificate_pdf, retention_report_pdf
from ccc_desktop.models import managed_copies
from ccc_desktop.models.centre_details import load_centre_details
from ccc_desktop.models.data_protection_records import (
    CATEGORY_LABELS,
    DUE,
    HELD,
    RETENTION_STATUS_LABELS,
    SOON,
    Candidate,
    DisposalBatch,
    DisposalEntry,
    DisposalResult,
    NameMention,
    NameScope,
    RetentionItem,
    RetentionReport,
)
from ccc_desktop.models.dates import add_years, format_date
from ccc_desktop.models.errors import (
    NotFound,
    StorageError,
    ValidationError,
    VaultCorrupt,
    WrongPassphrase,
)
from ccc_desktop.models.exports import csv_bytes
from ccc_desktop.models.fileio import ProgressFn, atomic_write_bytes
from ccc_desktop.models.records import DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import (
    RetentionSource,
    hold_providers,
    retention_sources,
)
from ccc_desktop.models.storage.data_protection import names_left_alone, owned_rows, reading_once
from ccc_desktop.models.storage.database import Database, storage_message
from ccc_desktop.models.storage.letters import LetterStore
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.storage.retention import DisposalStore
from ccc_desktop.models.storage.subject_access import SarStore

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

PERIOD_SETTING = "retention_years"
DEFAULT_PERIOD_YEARS = 3
HORIZON_DAYS = 90
STATUS_LABELS = RETENTION_STATUS_LABELS

def sar_holds(session: Session, category: str, record_ids: Sequence[int]) -> dict[int, list[str]]:
    open_ = SarStore(session.db).open_subjects()
    return {rid: ["Open subject access request"] for rid in record_ids if (category, rid) in open_}


def due_date(last_used: date, years: int) -> date:
    """Exactly ``years`` after the last use; 29 Feb + 3 years = 28 Feb."""
    return add_years(last_used, years)


def classify(due_on: date, today: date, held: bool, horizon_days: int = HORIZON_DAYS) -> str | None:
    """'due' on and after the due date; 'soon' within the horizon; None beyond it; held wins."""
    if due_on > today + timedelta(days=horizon_days):
        return None
    if held:
        return HELD
    return DUE if due_on <= today else SOON


CSV_HEADER = ("Reference", "Category", "Record", "Date basis", "Counted from", "Due on",
              "Status", "Held because or note")


def _entry(row) -> DisposalEntry:
    cleared = tuple((str(t), str(f), int(n)) for t, f, n in json.loads(row["cleared"] or "[]"))
    return DisposalEntry(row["id"], row["batch_id"], row["reference"], row["category"],
                         date.fromisoformat(row["last_used"]), date.fromisoformat(row["disposed_on"]),
                         row["authorised_name"], row["authorised_role"], cleared)


def cleared_json(counts: dict[str, int]) -> str:
    """What a source cleared from other records, for the log: [[table, field, records], ...]."""
    cleared = getattr(counts, "cleared", {})
    return json.dumps(sorted([t, f, n] for (t, f), n in cleared.items())) if cleared else ""


def source_for(sources: Sequence[RetentionSource], category: str) -> RetentionSource:
    for s in sources:
        if s.category == category:
            return s
    raise NotFound(f"No records of the kind '{category}' can be disposed of in this version.")


class RetentionService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.settings = SettingsStore(session.db)
        self.disposals = DisposalStore(session.db)

    # ---- the setting --------------------------------------------------------------------------
    def period_years(self) -> int:
        return int(self.settings.get(PERIOD_SETTING, DEFAULT_PERIOD_YEARS))

    def set_period_years(self, years: int) -> None:
        actor = self.session.actor
        actor.require(Permission.EDIT_CENTRE)
        if not isinstance(years, int) or not 1 <= years <= 25:
            raise ValidationError("Retention period: choose between 1 and 25 years.", "retention_years")
        with self.session.db.transaction():
            self.settings.put(PERIOD_SETTING, years)
            self.session.audit.record("setting changed", "settings", PERIOD_SETTING,
                                      f"{years} years")

    # ---- the report ---------------------------------------------------------------------------
    def _holds(self, source: RetentionSource, ids: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for rid, reasons in source.holds(self.session, ids).items():
            out.setdefault(rid, []).extend(reasons)
        for provider in hold_providers(self.services.areas):
            for rid, reasons in provider(self.session, source.category, ids).items():
                out.setdefault(rid, []).extend(r for r in reasons if r not in out.get(rid, []))
        return out

    def _items(self, source: RetentionSource, candidates: list[Candidate], today: date,
               years: int, horizon: int) -> list[RetentionItem]:
        holds = self._holds(source, [c.record_id for c in candidates])
        back = self.disposals.reinstated()
        items = []
        for c in candidates:
            due_on = due_date(c.last_used, years)
            reasons = tuple(holds.get(c.record_id, ()))
            status = classify(due_on, today, bool(reasons), horizon)
            if status is not None:
                before = back.get((c.category, c.reference))
                items.append(RetentionItem(c, source.basis, due_on, status, reasons,
                                           date.fromisoformat(before) if before else None))
        return items

    def report(self, horizon_days: int = HORIZON_DAYS) -> RetentionReport:
        self.session.actor.require(Permission.VIEW_REPORTS)
        today = self.session.clock.today()
        years = self.period_years()
        # Generous by a day: the exact arithmetic (leap days) is done on each candidate.
        cutoff = add_years(today + timedelta(days=horizon_days), -years) + timedelta(days=1)
        items: list[RetentionItem] = []
        sources = retention_sources(self.services.areas)
        for source in sources:
            items.extend(self._items(source, source.candidates(self.session, cutoff), today, years,
                                     horizon_days))
        order = {DUE: 0, HELD: 1, SOON: 2}
        items.sort(key=lambda i: (order[i.status], i.due_on, i.category, i.reference))
        return RetentionReport(today, years, horizon_days, tuple(items),
                               tuple(s.category for s in sources))

    def item(self, category: str, record_id: int) -> RetentionItem | None:
        """One record's position now (None when it is not within the report's horizon)."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        source = source_for(retention_sources(self.services.areas), category)
        c = source.candidate(self.session, record_id)
        if c is None:
            return None
        found = self._items(source, [c], self.session.clock.today(), self.period_years(), HORIZON_DAYS)
        return found[0] if found else None

    # ---- exports ------------------------------------------------------------------------------
    def report_csv(self, report: RetentionReport) -> bytes:
        self.session.actor.require(Permission.VIEW_REPORTS)
        rows = [
            (i.reference, CATEGORY_LABELS.get(i.category, i.category), i.label, i.basis,
             format_date(i.last_used), format_date(i.due_on), STATUS_LABELS[i.status], i.note)
            for i in report.items
        ]
        return csv_bytes(CSV_HEADER, rows)

    def report_pdf(self, report: RetentionReport) -> bytes:
        self.session.actor.require(Permission.VIEW_REPORTS)
        return retention_report_pdf(load_centre_details(self.settings), report)

    def record_export(self, how: str, report: RetentionReport) -> None:
        """how: 'CSV saved', 'PDF saved', 'printed'. Counts only: no names, no file path."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        self.session.audit.record("retention report exported", "report",
                                  "retention", f"{how}; {len(report.items)} record"
                                  f"{'s' if len(report.items) != 1 else ''}")

    def save_report(self, path: Path, fmt: str, report: RetentionReport | None = None) -> None:
        """Write the report as 'csv' or 'pdf' (atomically) and audit the export."""
        report = report or self.report()
        data = self.report_csv(report) if fmt == "csv" else self.report_pdf(report)
        atomic_write_bytes(Path(path), data, "the retention report")
        self.record_export(f"{fmt.upper()} saved", report)

    # ---- disposal -----------------------------------------------------------------------------
    def check_disposable(self, selection: Sequence[tuple[str, int]]) -> list[RetentionItem]:
        """Each selected record must be due now and not held; raises ValidationError otherwise."""
        self.session.actor.require(Permission.DISPOSE_RECORDS)
        if not selection:
            raise ValidationError("Choose the records to dispose of.", "selection")
        items = []
        for category, record_id in dict.fromkeys(selection):
            item = self.item(category, record_id)
            if item is None or item.status == SOON:
                ref = item.reference if item else f"{category} {record_id}"
                raise ValidationError(f"{ref} is not yet due for disposal.", "selection")
            if item.status == HELD:
                raise ValidationError(f"{item.reference} is held: {'; '.join(item.holds)}.", "selection")
            items.append(item)
        return items

    def names_left_alone(self, selection: Sequence[tuple[str, int]]) -> list[NameMention]:
        """Before a disposal, changing nothing: the records that will keep a first or last name
        of a selected person alone, because they are not linked to them (a namesake's
        disclosure, another family's notes). Shown to the Coordinator to check; never logged."""
        items = self.check_disposable(selection)
        sources = retention_sources(self.services.areas)
        scopes = []
        for item in items:
            scope_of = getattr(source_for(sources, item.category), "name_scope", None)
            scope = (scope_of(self.session, item.record_id) if scope_of is not None else
                     NameScope((), owned_rows(self.session.db, item.category, item.record_id)))
            scopes.append((item.reference, scope))
        return names_left_alone(self.session.db, scopes, pdf_text, read_document)

    def dispose(self, selection: Sequence[tuple[str, int]], passphrase: str,
                progress: ProgressFn | None = None) -> DisposalResult:
        """Destroy the selected due records for good, after the passphrase is entered again.

        Each record goes in its own transaction (the deletion, its disposal-log line and its
        audit entry together); then the file is vacuumed so no free page keeps the old data.
        Safe to run off the UI thread (progress is called with (done, total)).
        """
        actor = self.session.actor
        actor.require(Permission.DISPOSE_RECORDS)
        if not self.services.accounts.verify_own_passphrase(passphrase or ""):
            self.session.audit.record("disposal refused", "disposal", "",
                                      "passphrase not confirmed")
            raise WrongPassphrase("That is not your passphrase, so nothing was disposed of.")
        items = self.check_disposable(selection)
        # Families changed at the door (no seal key) are counted in the statistics ledger
        # before they go, so their figures outlive them.
        from ccc_desktop.models.storage.statistics import count_uncounted

        count_uncounted(self.session.db)
        sources = retention_sources(self.services.areas)
        total = len(items) + 1
        now = self.session.clock.now()
        today = now.date().isoformat()
        db = self.session.db
        letters = LetterStore(db)
        sars = SarStore(db)
        with db.transaction():
            batch_id = self.disposals.new_batch(now.isoformat(timespec="seconds"), actor.account_id,
                                                actor.display_name, actor.role.label)
            self.session.audit.record("disposal authorised", "disposal", batch_id,
                                      f"{len(items)} records; passphrase confirmed")
        deleted = 0
        with reading_once():  # each letter and document is read once for the whole batch
            for n, item in enumerate(items):
                with db.transaction():
                    disposed = source_for(sources, item.category).dispose(self.session, item.record_id)
                    cleared = cleared_json(disposed)
                    counts = dict(disposed)
                    counts["letters"] = counts.get("letters", 0) + letters.delete_for_subject(
                        item.category, item.record_id)
                    for sar_id in sars.delete_for_subject(item.category, item.record_id):
                        counts["letters"] += letters.delete_for_subject("subject_access", sar_id)
                        counts["subject access requests"] = counts.get("subject access requests", 0) + 1
                    self.disposals.log(batch_id, item.reference, item.category,
                                       item.last_used.isoformat(), today, cleared)
                    self.disposals.clear_reinstated(item.category, item.reference)
                    rows = sum(counts.values())
                    deleted += rows
                    self.session.audit.record("record disposed", item.category, item.record_id,
                                              f"reference {item.reference}; batch {batch_id}; {rows} rows")
                    db.changed("retention", item.category)
                if progress:
                    progress(n + 1, total)
        try:
            self._vacuum()
            vacuumed = True
        except StorageError:
            vacuumed = False  # e.g. the file was busy: the Reports tab offers "Compact now"
        if progress:
            progress(total, total)
        return DisposalResult(batch_id, len(items), deleted, vacuumed)

    def _vacuum(self) -> None:
        """VACUUM rebuilds the file, so with secure_delete on nothing is left in free pages.

        It runs on a connection of its own, so the window's reads are not queued behind it.
        """
        db = self.session.db
        try:
            worker: Database = Database(db.path, self.session.db_key)
        except (VaultCorrupt, StorageError):
            worker = db  # e.g. the benchmark's plain comparison file: vacuum on the main connection
        try:
            worker.vacuum()
        except Exception as exc:  # noqa: BLE001 - sqlcipher errors are translated here
            raise StorageError(storage_message(exc)) from exc
        finally:
            if worker is not db:
                worker.close()
        with db.transaction():
            at = self.session.clock.now().isoformat(timespec="seconds")
            for batch in self.disposals.unvacuumed():
                self.disposals.mark_vacuumed(batch, at)
            self.session.audit.record("file compacted after disposal", "disposal")

    def compact(self) -> None:
        """Vacuum again, for a disposal whose compaction could not run at the time."""
        self.session.actor.require(Permission.DISPOSE_RECORDS)
        self._vacuum()

    def needs_compacting(self) -> bool:
        return bool(self.disposals.unvacuumed())

    # ---- the log and the certificate ------------------------------------------------------------
    def disposal_log(self) -> list[DisposalEntry]:
        self.session.actor.require(Permission.VIEW_REPORTS)
        return [_entry(r) for r in self.disposals.entries()]

    def batches(self) -> list[DisposalBatch]:
        self.session.actor.require(Permission.VIEW_REPORTS)
        return [DisposalBatch(r["id"], r["disposed_at"], r["authorised_name"], r["authorised_role"],
                              r["record_count"], r["vacuumed_at"] is not None)
                for r in self.disposals.batches()]

    def batch(self, batch_id: int) -> DisposalBatch:
        self.session.actor.require(Permission.VIEW_REPORTS)
        r = self.disposals.batch(batch_id)
        if r is None:
            raise NotFound("That disposal is not in the log.")
        entries = tuple(_entry(e) for e in self.disposals.entries(batch_id))
        return DisposalBatch(r["id"], r["disposed_at"], r["authorised_name"], r["authorised_role"],
                             r["record_count"], r["vacuumed_at"] is not None, entries)

    def certificate_pdf(self, batch_id: int) -> bytes:
        """The disposal certificate for the committee (references only); producing it is audited."""
        batch = self.batch(batch_id)
        keep = int(self.settings.get(managed_copies.SETTING, managed_copies.DEFAULT_KEEP_DAYS))
        disposed_on = datetime.fromisoformat(batch.disposed_at).date()
        gone_by = managed_copies.last_gone_by(self.session.vault.paths.backups, disposed_on, keep)
        pdf = disposal_certificate_pdf(load_centre_details(self.settings), batch,
                                       self.session.clock.today(), gone_by, keep)
        self.session.audit.record("disposal certificate produced", "disposal",
                                  batch_id)
        return pdf


# ---- the dashboard ------------------------------------------------------------------------------
def retention_section(services: Services) -> DashboardSection | None:
    actor = services.session.actor
    if not actor.can(Permission.VIEW_REPORTS) or not retention_sources(services.areas):
        return None
    report = services.retention.report()
    items = []
    back = [i for i in report.items if i.disposed_before is not None]
    if back:
        n = len(back)
        items.append(DashboardItem(
            f"{n} record{'s' if n != 1 else ''} disposed of earlier came back when an older backup was "
            "restored: dispose of them again.", "overdue", "reports"))
    if report.due:
        n = len(report.due)
        items.append(DashboardItem(
            f"{n} record{'s are' if n != 1 else ' is'} past the {report.period_years}-year retention "
            "period and should be disposed of.", "overdue", "reports"))
    if report.held:
        n = len(report.held)
        items.append(DashboardItem(f"{n} record{'s are' if n != 1 else ' is'} past retention but held.",
                                   "info", "reports"))
    if report.soon:
        n = len(report.soon)
        items.append(DashboardItem(
            f"{n} record{'s fall' if n != 1 else ' falls'} due for disposal in the next "
            f"{report.horizon_days} days.", "info", "reports"))
    return DashboardSection("Retention", items, order=600,
                            empty_text="No records are due for disposal.")

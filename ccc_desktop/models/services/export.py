"""The full export (issue 15): everything the vault holds, for a centre that leaves or must
hand its records on (data portability).

Coordinator or Chair only, after typing their passphrase again. Every kind of record becomes
one CSV file (UTF-8 with a byte-order mark, formula cells neutralised as in the retention CSV),
with the stored letters and the attachments as files beside them and a README naming what each
file holds, all in one ZIP encrypted with AES-256 under a password the user chooses. 7-Zip (free,
7-zip.org) opens it on Windows; the Extract command built into Windows cannot open AES-encrypted
ZIP files. The archive is built in memory and written in one step, so no plaintext copy ever
touches the disk. The export is audited: who, when, the counts and the archive's SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccc_desktop.models.dates import format_datetime
from ccc_desktop.models.errors import WrongPassphrase
from ccc_desktop.models.exports import csv_bytes
from ccc_desktop.models.fileio import atomic_write_bytes
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.sealed import SealedMoved, open_sealed
from ccc_desktop.models.services.volunteer_base import dbs_context
from ccc_desktop.models.services.volunteer_base import unpad_sealed as _unpad
from ccc_desktop.models.storage.attachments import AttachmentStore
from ccc_desktop.models.storage.audit import AuditStore
from ccc_desktop.models.storage.export import ExportStore
from ccc_desktop.models.storage.sealing import open_binary, restricted_context
from ccc_desktop.models.validation import check_new_passphrase

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

Progress = Callable[[int, int], None]
ARCHIVE_TOOL = ("an AES-256 encrypted ZIP file: open it with 7-Zip (free, from 7-zip.org) and "
                "the password chosen here. The Extract command built into Windows cannot open "
                "it.")

# (file, table, what it holds). Each becomes <file>.csv with every column of the table, sealed
# fields opened.
TABLES: tuple[tuple[str, str, str], ...] = (
    ("families", "families", "one row per family: referral, status, safety arrangements"),
    ("family-adults", "family_adults", "the adults of each family (family_id), with contact details"),
    ("family-children", "family_children", "the children of each family, with dates of birth"),
    ("family-reviews", "family_reviews", "reviews of each family's contact"),
    ("bookings", "bookings", "each family's bookings and attendance (arrived, left, absent)"),
    ("consents", "consents", "consents to share contact details, and withdrawals"),
    ("disclosures", "disclosures", "requests for information and what was disclosed"),
    ("sessions", "sessions", "the session days, times and register notes"),
    ("session-patterns", "session_patterns", "the weekly session patterns"),
    ("rota", "rota", "which volunteer was on duty at which session"),
    ("summonses", "summonses", "witness summonses and their outcome"),
    ("summons-steps", "summons_steps", "the four steps taken for each summons"),
    ("police-visits", "police_visits", "police visits"),
    ("assessment-agreements", "assessment_agreements", "third-party assessment agreements"),
    ("policy-versions", "policy_versions", "the confidentiality policy's versions"),
    ("policy-reviews", "policy_reviews", "the policy's reviews"),
    ("subject-access-requests", "subject_access_requests", "subject access requests"),
    ("waiting-list", "waiting_list", "families waiting for a place, offers made, when they left"),
    ("statistics", "stats_ledger", "the anonymous statistics ledger (counts by day, no names)"),
    ("disposal-log", "disposal_log", "records disposed of (reference, category, date, who authorised)"),
    ("letters", "letters", "the list of stored letters (the PDFs are in letters/)"),
    ("attachments", "attachments", "the list of attached documents (the files are in attachments/)"),
    ("imports", "import_batches", "spreadsheet imports: file, checksum, counts, undo"),
    ("accounts", "accounts", "the accounts (names and roles; no passphrases or keys)"),
)
_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    files: int
    records: int
    sha256: str


def _cell(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return f"({len(bytes(value))} bytes)"
    return "" if value is None else value


def _safe(name: str) -> str:
    return _SAFE.sub("_", name).strip() or "file"


class ExportService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = ExportStore(session.db)

    def _require(self) -> None:
        actor = self.session.actor
        for p in (Permission.VIEW_REPORTS, Permission.VIEW_RESTRICTED, Permission.VIEW_DBS_RESULTS,
                  Permission.VIEW_CONTACT_DETAILS):
            actor.require(p)
        _ = self.session.seal_key

    def export(self, passphrase: str, archive_password: str, target: Path,
               progress: Progress | None = None) -> ExportResult:
        import pyzipper

        self._require()
        check_new_passphrase(archive_password, field="archive_password")
        if not self.services.accounts.verify_own_passphrase(passphrase):
            raise WrongPassphrase("That is not your passphrase, so nothing was exported.")
        files: list[tuple[str, bytes]] = []
        readme = ["CCC Desktop: full export of the centre's records", "",
                  f"Made {format_datetime(self.session.clock.now())} by {self.session.actor.display_name}.",
                  "This archive is " + ARCHIVE_TOOL, "",
                  "CSV files are UTF-8 (Excel opens them directly). A cell that begins with = + - @ "
                  "starts with an apostrophe so no spreadsheet runs it as a formula. Dates are "
                  "yyyy-mm-dd. An id column links rows across files (family_id, volunteer_id, "
                  "session_id, summons_id).", "", "Files:"]
        total = len(TABLES) + 4
        records = 0
        for n, (name, table, what) in enumerate(TABLES, 1):
            cols, rows = self.store.rows(table)
            files.append((f"{name}.csv", csv_bytes(cols, ([_cell(r[c]) for c in cols] for r in rows))))
            readme.append(f"  {name}.csv: {what}. Columns: {', '.join(cols)}.")
            records += len(rows)
            if progress:
                progress(n, total)
        for name, data, what, count in (self._volunteers(), self._dbs(), self._restricted(),
                                        self._incidents(), self._audit()):
            files.append((name, data))
            readme.append(f"  {name}: {what}.")
            records += count
        letters = 0
        for r in self.store.letter_ids():
            try:
                pdf = open_binary(self.session.db, "letters", "pdf", r.id)
            except SealedMoved:  # moved to another record in the file: left out, as on screen
                continue
            if pdf is not None:
                files.append((f"letters/{r.id:05d}-{_safe(r.kind)}.pdf", pdf))
                letters += 1
        readme.append(f"  letters/: the {letters} stored letters as PDF, named by their id in "
                      "letters.csv.")
        count = 0
        for a in AttachmentStore(self.session.db).all():
            data = AttachmentStore(self.session.db).content(a["id"]) or b""
            files.append((f"attachments/{a['owner_type']}-{a['owner_id']}/{a['id']:05d}-"
                          f"{_safe(a['file_name'])}", data))
            count += 1
        readme.append(f"  attachments/: the {count} attached documents, in a folder per record "
                      "(family-12 is the family with id 12; referral-12 its referral; volunteer-3, "
                      "summons-5), named by their id in attachments.csv.")
        files.insert(0, ("README.txt", ("\r\n".join(readme) + "\r\n").encode("utf-8-sig")))
        if progress:
            progress(total - 1, total)
        buf = io.BytesIO()
        with pyzipper.AESZipFile(buf, "w", compression=pyzipper.ZIP_DEFLATED,
                                 encryption=pyzipper.WZ_AES) as z:
            z.setpassword(archive_password.encode("utf-8"))
            z.setencryption(pyzipper.WZ_AES, nbits=256)
            for name, data in files:
                z.writestr(name, data)
        data = buf.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        target = Path(target)
        atomic_write_bytes(target, data, "the export")
        with self.session.db.transaction():
            self.session.audit.record(
                "full export made", "export", "",
                f"{len(files)} files, {records} records, {letters} letters, {count} attachments; "
                f"AES-256 ZIP, SHA-256 {digest}")
        if progress:
            progress(total, total)
        return ExportResult(target, len(files), records, digest)

    # ---- values sealed by their services -------------------------------------------------
    def _volunteers(self) -> tuple[str, bytes, str, int]:
        vols = self.services.volunteers.list()
        cols = ["id", "full_name", "status", "address", "phone", "email", "date_of_birth",
                "start_date", "roles", "references_received", "induction_on", "safeguarding_on",
                "undertaking_version", "undertaking_signed_on", "policy_read_on",
                "court_clause_acknowledged", "resigned_on", "resignation_reason", "notes",
                "created_at", "updated_at"]
        rows = []
        for v in vols:
            d = v.details
            rows.append([v.id, d.full_name, v.status.value, d.address, d.phone, d.email,
                         d.date_of_birth or "", d.start_date or "",
                         ", ".join(sorted(r.value for r in d.roles)), d.references_received,
                         d.induction_on or "", d.safeguarding_on or "", d.undertaking_version,
                         d.undertaking_signed_on or "", d.policy_read_on or "",
                         "yes" if d.court_clause_acknowledged else "no", v.resigned_on or "",
                         v.resignation_reason, d.notes, v.created_at, v.updated_at])
        return ("volunteers.csv", csv_bytes(cols, rows),
                "the volunteers, with their contact details and training dates", len(rows))

    def _dbs(self) -> tuple[str, bytes, str, int]:
        cols = ["id", "volunteer_id", "level", "certificate_number", "issue_date",
                "update_service", "last_status_check", "id_checked_by", "outcome",
                "disclosed_information", "risk_decision", "decision_notes", "decided_by",
                "decided_on", "renewal_applied_on", "created_at"]
        out = []
        _c, rows = self.store.rows("dbs_checks")
        sealed = {r["id"]: r for r in self.store.sealed_column("dbs_checks", "outcome_sealed")}
        for r in rows:
            s = sealed.get(r["id"])
            facts = (r["volunteer_id"], r["certificate_number"], r["issue_date"], r["level"])
            outcome = disclosed = ""
            decision: dict[str, Any] = {}
            if s is not None:
                outcome = _unpad(open_sealed(self.session, s["outcome_sealed"], dbs_context("outcome", *facts)))
                disclosed = _unpad(open_sealed(self.session, s["disclosed_sealed"],
                                               dbs_context("disclosed", *facts)))
                decision = json.loads(_unpad(open_sealed(self.session, s["decision_sealed"],
                                                         dbs_context("decision", *facts))))
            out.append([r["id"], r["volunteer_id"], r["level"], r["certificate_number"],
                        r["issue_date"], r["update_service"], _cell(r["last_status_check"]),
                        r["id_checked_by"], outcome, disclosed, decision.get("decision") or "",
                        decision.get("notes", ""), decision.get("by", ""), decision.get("on") or "",
                        _cell(r["renewal_applied_on"]), r["created_at"]])
        return ("dbs-checks.csv", csv_bytes(cols, out),
                "every DBS check with its result and risk decision (restricted information)", len(out))

    def _audit(self) -> tuple[str, bytes, str, int]:
        """The trail's entries opened (their details are sealed in the file)."""
        cols = ["id", "at", "actor", "action", "record_type", "record_id", "detail"]
        rows = [[e.id, e.at, e.actor, e.action, e.record_type, e.record_id, e.detail]
                for e in AuditStore(self.session.db).iter_all()]
        return ("audit-trail.csv", csv_bytes(cols, rows),
                "the audit trail: who did what to which record, when", len(rows))

    def _restricted(self) -> tuple[str, bytes, str, int]:
        opened = [[r["id"], r["reference"], _unpad(open_sealed(self.session, r["restricted_sealed"],
                                                               restricted_context(r["id"])))]
                  for r in self.store.sealed_column("families", "restricted_sealed")]
        rows = [r for r in opened if r[2]]  # every family holds sealed notes, most of them empty
        return ("family-restricted-notes.csv", csv_bytes(["family_id", "reference", "notes"], rows),
                "restricted notes on family records", len(rows))

    def _incidents(self) -> tuple[str, bytes, str, int]:
        out = []
        keys: list[str] = []
        for r in self.store.sealed_column("incidents", "details_sealed"):
            details = json.loads(_unpad(open_sealed(self.session, r["details_sealed"],
                                                    f"incidents.details|{r['id']}|{r['family_id']}")))
            keys += [k for k in details if k not in keys]
            plain = {k: _cell(r[k]) for k in r.keys() if not k.endswith("_sealed")}
            out.append({**plain, **details})
        cols = list(out[0].keys()) if out else ["id", "family_id"]
        return ("incidents.csv", csv_bytes(cols, ([o.get(c, "") for c in cols] for o in out)),
                "safeguarding incidents and accidents (restricted information)", len(out))

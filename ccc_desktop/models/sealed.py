"""Sealed fields: values encrypted inside the database with the second (seal) key.

Only Coordinator, Chair and recovery key slots carry the seal key, so a Session volunteer who
copies the file and knows their own passphrase opens the register and the policy and nothing
else personal (DESIGN.md, security model).

Two kinds of sealed value live in the file:

- Whole rows' private fields (``SEALED_TABLES``): every column a Session volunteer may not see
  is kept, as JSON, in the row's ``private_sealed`` blob, bound to table and row id and padded
  to a size bucket; the plaintext column is cleared. Storage does this itself
  (``models/storage/sealing.py``): a store writes as before and calls ``seal_row``; rows read
  back through ``SealedRow`` open lazily, so the register and lists, which read only open
  columns, decrypt nothing.
- Older, service-sealed columns (volunteers' contact details in ``details_sealed``, DBS
  results, a family's restricted notes, incidents), sealed by their services with ``seal_text``.

``SEALED_COLUMNS`` lists every sealed column of both kinds: anything that replaces the seal key
must reseal all of them (``storage/reseal.reseal_all`` does, when a Coordinator or Chair
leaves: models/revocation.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ccc_desktop.models import crypto
from ccc_desktop.models.errors import VaultCorrupt

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session


def seal_text(session: Session, text: str, context: str) -> bytes:
    """context names the column (e.g. 'dbs_checks.outcome'): a value cannot be moved to another."""
    return crypto.seal(session.seal_key, text.encode("utf-8"), context.encode("utf-8"))


def open_sealed(session: Session, blob: bytes | None, context: str) -> str:
    if blob is None:
        return ""
    plain = crypto.unseal(session.seal_key, bytes(blob), context.encode("utf-8"))
    if plain is None:
        raise VaultCorrupt("A sealed value could not be opened: it has been altered.")
    return plain.decode("utf-8")


# ---- the registry ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SealedTable:
    """A table whose private fields live in its ``private_sealed`` blob.

    ``fields`` maps each sealed column to what the plaintext column holds once sealed.
    ``binary`` columns (a letter's PDF) are sealed in place, in their own column.
    ``blind`` maps a sealed column to the column that holds its blind index (found by equality
    without opening anything; the index key is derived from the seal key).
    """

    table: str
    fields: dict[str, Any]
    binary: tuple[str, ...] = ()
    blind: dict[str, str] = field(default_factory=dict)
    # Sealed fields that say which record the row belongs to (a letter's subject, an
    # attachment's owner), and the open column holding their blind index: the record's rows
    # are found by it without opening anything (issue 12, migration 0022). A row whose index
    # was changed in the file is found under another record but opens to its own, and is left
    # out there (``storage/sealing.owned``).
    owner: tuple[str, ...] = ()
    owner_index: str = ""
    # The smallest padded size of a row's blob (0: the usual buckets from 256 bytes). Set where
    # the size alone would say something: a witness summons step is padded to hold any value
    # its fields allow, so a step done with a long note and a step not yet done look alike.
    min_bucket: int = 0
    # Sealed dates ('YYYY-MM-DD') a session without the seal key may still move forward: it
    # writes the later date into the plaintext column (a family's last use, moved by the
    # register at the door, whose attendance dates are open in ``bookings`` anyway). The value
    # is the later of the sealed one and the column's; the next sealed write of the row takes
    # the column's into the blob and clears it.
    newest: tuple[str, ...] = ()
    # Large fields kept after the others in the blob (a second JSON line), parsed only when one
    # of them is asked for: lists that select on a row's small sealed fields (a family's status
    # and last use) then skip a family's statistics contribution, most of its blob.
    heavy: tuple[str, ...] = ()

    @property
    def context(self) -> str:
        return f"{self.table}.private_sealed"



SEALED_TABLES: dict[str, SealedTable] = {t.table: t for t in (
    # close_note and stats_json (what the family adds to the statistics ledger): issue 14.
    # referral_route (issue 12, migration 0020): its CHECK allows '' for the sealed row.
    # The referral's dates and how it moved on (issue 12, migration 0023): when it was
    # received, its status, the pre-visit day, when it was accepted, declined or closed and
    # why, and the row's own times (created, changed, last used, which give the referral date
    # and a family's activity away). Lists, the dashboard, retention and the register's checks
    # select and order on the opened values in Python. ``last_used_on`` is the one field a
    # session without the seal key moves (the register at the door: ``newest``).
    SealedTable("families", {"referral_route": "", "referrer_name": "", "referrer_organisation": "",
                             "referrer_contact": "", "court_order": 0, "previsit_by": "",
                             "previsit_notes": "", "close_note": "", "stats_json": "sealed",
                             "referral_status": "", "referral_date": "", "previsit_on": None,
                             "accepted_on": None, "declined_on": None, "decline_reason": None,
                             "closed_on": None, "close_reason": None, "created_at": "",
                             "updated_at": "", "last_used_on": ""},
                newest=("last_used_on",), heavy=("stats_json",)),
    # When the ground rules and the policy were explained and agreed (migration 0027): the
    # register never needs them (a Coordinator books); the dashboard opens them.
    SealedTable("family_adults", {"address": "", "phone": "", "email": "",
                                  "ground_rules_on": None, "policy_agreed_on": None}),
    SealedTable("family_children", {"date_of_birth": "", "needs": ""}),
    # reviewed_on and created_at (migration 0026): when a family's arrangement was reviewed
    # (the dashboard's "review due" opens them). family_id (0030): which family, found by the
    # blind index of the family (storage/family_reviews.py), so which families have had
    # reviews does not read; the column is NULL, so a family's removal deletes them itself.
    SealedTable("family_reviews", {"notes": "", "reviewed_on": "", "created_at": "",
                                   "family_id": None},
                owner=("family_id",), owner_index="family_index"),
    # given_on, withdrawn_on, created_at (migration 0024): when it was given and withdrawn.
    # family_id and adult_id (migration 0025): whose consent it is. Its columns are NULL, so a
    # family's or an adult's removal deletes the consents itself (no cascade).
    SealedTable("consents", {"to_whom": "", "purpose": "", "how": "", "given_on": "",
                             "withdrawn_on": None, "created_at": "", "family_id": None,
                             "adult_id": None}),
    # How a request was answered, when, and the letter it was answered with (migration 0022:
    # the letter's own subject is sealed, and this link would have given it away). When it
    # came, who authorised an answer (an exceptional disclosure, 'beyond', says a ground of
    # risk was recorded), the consent relied on, when and by whom it was logged (0024) and
    # which family it is about (0025).
    SealedTable("disclosures", {"requested_by": "", "organisation": "", "asked_for": "",
                                "reason": "", "disclosed": "", "ground": None, "answer": "",
                                "letter_id": None, "answered_on": None, "requested_on": "",
                                "consent_id": None, "authorised_by": None, "created_at": "",
                                "created_by": None, "family_id": None}),
    # issue_date (issue 12, migration 0020): ordered in Python after opening; the sealed
    # result stays bound to it (its context is built from the opened value). Whether the check
    # is on the update service, when a renewal was applied for, and when the check was recorded
    # and changed and by whom (0021; a check is recorded days after its issue) too.
    # volunteer_id (migration 0024): which volunteer a check is for. Checks are found for a
    # volunteer in Python after opening (a centre has tens of volunteers, each a few checks);
    # its column is NULL, so a volunteer's disposal deletes the checks itself (no cascade).
    SealedTable("dbs_checks", {"level": "", "certificate_number": "", "issue_date": "",
                               "id_checked_by": "", "last_status_check": None,
                               "update_service": 0, "renewal_applied_on": None,
                               "created_at": "", "updated_at": "", "created_by": None,
                               "volunteer_id": None},
                blind={"certificate_number": "certificate_index"}),
    # hearing_date (issue 12, migration 0017), and every other column but the id (0020):
    # when it came and how, when it must be answered and was closed, which family, when it
    # was logged and by whom. Lists, the dashboard, retention and the holds on disposal order
    # and select in Python after opening (a centre has a handful).
    SealedTable("summonses", {"received_on": "", "received_how": "", "served_on": "",
                              "court": "", "court_address": "",
                              "case_number": "", "hearing_date": "", "hearing_time": "",
                              "applicant": "", "applicant_address": "", "family_id": None,
                              "respond_by": None, "notes": "", "outcome": None,
                              "outcome_note": "", "closed_on": None, "created_at": "",
                              "created_by": None}),
    # When and by whom a step was done and recorded are sealed (0020). Which steps were done
    # is sealed too (0024): every summons has a row for each of the four steps from the day it
    # is logged, a step not yet done holding empty values, so which steps and how many were
    # taken is inside the blobs; the blobs are all padded to one size.
    SealedTable("summons_steps", {"done_on": "", "done_by": "", "note": "", "recorded_at": "",
                                  "recorded_by": None}, min_bucket=16384),
    # visit_date and visit_time (issue 12, migration 0017), the family, and when and by whom
    # the visit was recorded (0020): ordered and filtered in Python.
    SealedTable("police_visits", {"visit_date": "", "visit_time": "", "officer_name": "",
                                  "officer_number": "",
                                  "station": "", "emergency": 0, "asked": "", "said": "",
                                  "outcome": "", "family_id": None, "recorded_at": "",
                                  "recorded_by": None}),
    # Everything but the id (migration 0024): which agency (a social worker), which family,
    # the dates it runs and ended. The released CHECKs take 'other' and '' (to >= from).
    SealedTable("assessment_agreements", {"agency_name": "", "scope": "", "approved_by": "",
                                          "agency_type": "other", "family_id": None,
                                          "valid_from": "", "valid_to": "", "ended_on": None,
                                          "created_at": "", "created_by": None}),
    # Everything but the id (migration 0024): whose record a request is about, when it came,
    # is due and was closed, whether it is open; when and by whom it was logged.
    SealedTable("subject_access_requests", {"requester_name": "", "subject_person": "",
                                            "identity_check": "", "notes": "",
                                            "subject_category": "", "subject_record_id": None,
                                            "received_on": "", "due_on": "", "status": "open",
                                            "closed_on": None, "created_at": "",
                                            "created_by": None}),
    # Issue 12: a letter's title and PDF, and (migration 0022) its kind, which record it is
    # about, when and by whom it was made; found by the blind index of its subject. (0019 had
    # bound the seal to the open subject columns; 0022 moves them inside.)
    SealedTable("letters", {"title": "", "kind": "", "subject_type": "", "subject_id": None,
                            "created_at": "", "created_by": None},
                binary=("pdf",), owner=("subject_type", "subject_id"), owner_index="subject_index"),
    # Issue 15: attached documents (court orders, referral forms, scans): name and bytes; and
    # (0022) whose they are, their media type, size, when and by whom they were added. The
    # sealed bytes are padded to a power of two (``bucket``), so their length gives the size
    # only to within a factor of two.
    SealedTable("attachments", {"file_name": "", "owner_type": "", "owner_id": 0,
                                "media_type": "", "size": 0, "added_at": "", "added_by": None},
                binary=("content",), owner=("owner_type", "owner_id"), owner_index="owner_index"),
    # Issue 12, migration 0024: of a safeguarding incident or accident, which family, when, which
    # kind, whether it is held beyond three years, when and by whom it was recorded (its
    # account was sealed already: ``incidents.details_sealed``). Only that incidents exist stays
    # open; a family's are found in Python after opening. The kind's CHECK allows only the two
    # kinds, so a sealed row keeps 'safeguarding' in the column, whichever it is.
    SealedTable("incidents", {"family_id": None, "occurred_on": "", "kind": "safeguarding",
                              "keep_beyond_three_years": 1, "created_at": "",
                              "created_by": None}),
    # Issue 12, migration 0026: everything on a waiting list entry but its id: which family,
    # when it joined, the session it needs, the offers made, when it left and why ("referral
    # closed" would date a family's sealed closing). Its family_id is NULL, so a family's
    # removal deletes its entries itself (no cascade); the status's CHECK takes 'waiting'.
    SealedTable("waiting_list", {"family_id": None, "added_on": "", "pattern_id": None,
                                 "status": "waiting", "offered_on": None,
                                 "offered_session_id": None, "offers_made": 0, "left_on": None,
                                 "left_reason": "", "created_at": ""}),
    # Issue 12, migration 0026: of a spreadsheet import, everything but the id and its audit
    # entry's: the file's name (which may name a family: cleared at disposal too) and checksum,
    # its kind, the counts, when and by whom it was made and undone.
    SealedTable("import_batches", {"kind": "", "file_name": "", "checksum": "",
                                   "imported_at": "", "account_id": None, "actor": "",
                                   "created": 0, "merged": 0, "skipped": 0, "left_out": 0,
                                   "undone_at": None, "undone_by": None}),
    # Issue 12, migration 0028: of a volunteer, everything but the name (the rota and the
    # register show who is on duty) and the account link: the status (applicant, active,
    # paused or resigned: a pause can follow a DBS result) and roles, when they started,
    # references, induction, safeguarding training, which undertaking they signed and when,
    # when they read the policy and acknowledged the court clause, when they resigned (the
    # retention clock), and when the record was made and changed. Lists select on them in
    # Python (a centre has tens of volunteers). Their contact details stay in
    # ``details_sealed``, which the service seals itself. The CHECKs take 'applicant' and ''
    # for every row (resigned_on must hold a value once resigned). Padded to one size, so
    # which dates are recorded does not show in the blob's length.
    SealedTable("volunteers", {"status": "applicant", "roles": "",
                               "start_date": None, "references_received": 0,
                               "induction_on": None, "safeguarding_on": None,
                               "undertaking_version": "", "undertaking_signed_on": None,
                               "policy_read_on": None, "court_clause_acknowledged": 0,
                               "resigned_on": "", "created_at": "", "updated_at": ""},
                min_bucket=1024),
    # Issue 12: what disposal cleared from other records (which table and field, how many).
    SealedTable("disposal_log", {"cleared": ""}),
)}


@dataclass(frozen=True)
class SealedColumn:
    """One column holding sealed bytes; ``context`` names how its AES-GCM context is built:
    ``<name>`` stands for the row's value of column ``name`` (e.g. ``volunteers.private|<id>``)."""

    table: str
    column: str
    context: str

    def context_of(self, row: Mapping[str, Any]) -> str:
        return re.sub(r"<([a-z_]+)>", lambda m: str(row[m.group(1)]), self.context)


SEALED_COLUMNS: tuple[SealedColumn, ...] = (
    *(SealedColumn(t.table, "private_sealed", f"{t.context}|<id>")
      for t in SEALED_TABLES.values()),
    SealedColumn("letters", "pdf", "letters.pdf|<id>"),
    SealedColumn("attachments", "content", "attachments.content|<id>"),
    # Sealed by their services (older than the registry):
    SealedColumn("volunteers", "details_sealed", "volunteers.private|<id>"),  # 0028: renamed
    SealedColumn("dbs_checks", "outcome_sealed",
                 "dbs_checks.outcome|<volunteer_id>|<certificate_number>|<issue_date>|<level>"),
    SealedColumn("dbs_checks", "disclosed_sealed",
                 "dbs_checks.disclosed|<volunteer_id>|<certificate_number>|<issue_date>|<level>"),
    SealedColumn("dbs_checks", "decision_sealed",
                 "dbs_checks.decision|<volunteer_id>|<certificate_number>|<issue_date>|<level>"),
    SealedColumn("families", "restricted_sealed", "families.restricted|<id>"),
    SealedColumn("incidents", "details_sealed", "incidents.details|<id>|<family_id>"),
    SealedColumn("audit_log", "sealed", "audit_log.sealed|<id>"),
    # The statistics ledger's counts by referral route and child's age band, a month a row
    # (issue 12, migration 0020: storage/sealed_ledger.py).
    SealedColumn("stats_sealed", "counts", "stats_sealed.counts|<month>"),
)


# ---- the sealer --------------------------------------------------------------------------------

_BUCKET_MIN = 256


def bucket(size: int) -> int:
    """Padded length: a power of two from 256 bytes, so a length says little about the value."""
    n = _BUCKET_MIN
    while n < size:
        n *= 2
    return n


def _pad(data: bytes, floor: int = 0) -> bytes:
    body = struct.pack(">I", len(data)) + data
    return body + b"\x00" * (max(bucket(len(body)), floor) - len(body))


def _unpad(data: bytes) -> bytes:
    (n,) = struct.unpack(">I", data[:4])
    return data[4:4 + n]


class SealedMoved(VaultCorrupt):
    """A letter or attachment whose record (owner, subject) was changed in the file."""


MOVED_MESSAGE = {"letters": "A stored letter", "attachments": "An attached document"}


def moved(table: str) -> SealedMoved:
    kind = MOVED_MESSAGE.get(table, "A document")
    return SealedMoved(f"{kind} could not be opened: it was moved to another record, or "
                       "altered, outside CCC Desktop. It is not shown.")


def _refused(table: str, what: str) -> VaultCorrupt:
    if SEALED_TABLES[table].owner:
        return moved(table)
    if what == "document":
        return VaultCorrupt("A sealed document could not be opened: it has been altered.")
    return VaultCorrupt("A sealed record could not be opened: it has been altered.")


class Sealer:
    """Seals and opens row blobs with the seal key. Held by the database while a session that
    carries the seal key is unlocked; the key bytes are the session's (wiped on lock)."""

    def __init__(self, seal_key: bytearray | bytes) -> None:
        self._key = seal_key

    @staticmethod
    def _aad(context: str, row_id: int, bound: Mapping[str, Any] | None) -> bytes:
        """The associated data: the context and row id, then any ``bound`` values (letters and
        attachments as migration 0019 sealed them: bound to their open subject columns;
        migration 0022 moves those inside the seal)."""
        aad = f"{context}|{row_id}"
        if bound:
            aad += "".join(f"|{c}={'' if v is None else v}" for c, v in bound.items())
        return aad.encode()

    def seal_fields(self, table: str, row_id: int, values: dict[str, Any]) -> bytes:
        """The fields as JSON; a table's ``heavy`` fields as a second line (compact JSON holds
        no raw newline, so a blob sealed before has one line and opens the same)."""
        spec = SEALED_TABLES[table]
        heavy = {k: v for k, v in values.items() if k in spec.heavy}
        light = {k: v for k, v in values.items() if k not in spec.heavy}
        text = json.dumps(light, ensure_ascii=False, sort_keys=True)
        if heavy:
            text += "\n" + json.dumps(heavy, ensure_ascii=False, sort_keys=True)
        return crypto.seal(self._key, _pad(text.encode("utf-8"), spec.min_bucket),
                           self._aad(spec.context, row_id, None))

    def open_parts(self, table: str, row_id: int, blob: bytes,
                   bound: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], bytes]:
        """(the fields but the ``heavy`` ones, the heavy ones' JSON still unparsed or b'')."""
        plain = crypto.unseal(self._key, bytes(blob),
                              self._aad(SEALED_TABLES[table].context, row_id, bound))
        if plain is None:
            raise _refused(table, "record")
        head, _sep, rest = _unpad(plain).partition(b"\n")
        value: dict[str, Any] = json.loads(head)
        return value, rest

    def open_fields(self, table: str, row_id: int, blob: bytes,
                    bound: Mapping[str, Any] | None = None) -> dict[str, Any]:
        value, rest = self.open_parts(table, row_id, blob, bound)
        if rest:
            value.update(json.loads(rest))
        return value

    def find_binding(self, table: str, row_id: int, blob: bytes,
                     candidates: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
        """Which of the ``candidates`` (subject column values) a row sealed as migration 0019
        did was bound to, or None: how a row moved in the file before 0022 is put back."""
        aead = AESGCM(bytes(self._key))
        blob = bytes(blob)
        if len(blob) < 28:
            return None
        context = SEALED_TABLES[table].context
        for bound in candidates:
            try:
                aead.decrypt(blob[:12], blob[12:], self._aad(context, row_id, bound))
            except InvalidTag:
                continue
            return bound
        return None

    def seal_bytes(self, table: str, column: str, row_id: int, data: bytes) -> bytes:
        return crypto.seal(self._key, _pad(data), self._aad(f"{table}.{column}", row_id, None))

    def open_bytes(self, table: str, column: str, row_id: int, blob: bytes,
                   bound: Mapping[str, Any] | None = None) -> bytes:
        plain = crypto.unseal(self._key, bytes(blob),
                              self._aad(f"{table}.{column}", row_id, bound))
        if plain is None:
            raise _refused(table, "document")
        return _unpad(plain)

    def seal_text(self, context: str, text: str) -> bytes:
        return crypto.seal(self._key, _pad(text.encode("utf-8")), context.encode("utf-8"))

    def open_text(self, context: str, blob: bytes) -> str:
        plain = crypto.unseal(self._key, bytes(blob), context.encode("utf-8"))
        if plain is None:
            raise VaultCorrupt("A sealed value could not be opened: it has been altered.")
        return _unpad(plain).decode("utf-8")

    def seal_unpadded(self, context: str, data: bytes) -> bytes:
        """As the services' ``seal_text`` does (they pad, or not, themselves)."""
        return crypto.seal(self._key, data, context.encode("utf-8"))

    def open_unpadded(self, context: str, blob: bytes) -> bytes | None:
        return crypto.unseal(self._key, bytes(blob), context.encode("utf-8"))

    def blind_index(self, purpose: str, value: str) -> str:
        """12 characters of HMAC under a key derived from the seal key: equal values give equal
        indexes, and without the seal key an index says nothing (not even by guessing values)."""
        key = crypto.subkey(bytes(self._key), f"blind-index|{purpose}")
        digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).digest()
        return base64.b32encode(digest).decode("ascii")[:12]

    def owner_index(self, table: str, owner: Iterable[Any]) -> str:
        """The blind index of the record a row of ``table`` belongs to (its ``owner`` fields'
        values, e.g. ('family', 12)). A purpose per table: a record's letters and its
        attachments carry unrelated indexes."""
        return self.blind_index(f"{table}.owner", "|".join("" if v is None else str(v) for v in owner))

"""Importing families, volunteers (with their DBS checks) and session days from a spreadsheet.

Every row is written through the area's own service (``FamilyService.add_families``,
``VolunteerService.create``, ``DbsService.record``, ``BookingService.add_session``), so every
check and limit they apply holds for imported records too. The whole file is one transaction:
a row the services refuse undoes the lot, and that row's problem is shown so it can be fixed
or left out. The services' own audit entries are folded into one that names the file's
SHA-256 checksum, the counts and (as every entry does) who imported it; the import history
lists each record written so the batch can be undone until any of them is next edited.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import CccError, NotFound, ValidationError
from ccc_desktop.models.imports.fields import Kind, guess_mapping, normalise_header
from ccc_desktop.models.imports.plan import (
    Choice,
    Duplicate,
    Plan,
    PlannedRow,
    Problem,
    build_plan,
    duplicate_keys,
    family_inputs,
    field_for_error,
    session_inputs,
    volunteer_inputs,
)
from ccc_desktop.models.imports.reading import Sheet, read_file
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.families import FamilyNotAdded, FamilyService
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.imports import ImportStore
from ccc_desktop.models.storage.name_folding import fold
from ccc_desktop.models.storage.statistics import LedgerStore
from ccc_desktop.models.storage.volunteers import VolunteerStore

if TYPE_CHECKING:
    from ccc_desktop.models.services.register import BookingService
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.services.volunteers import DbsService, VolunteerService
    from ccc_desktop.models.vault import Session

Progress = Callable[[int, int], None]
FAMILY_BATCH = 250  # new families written together (FamilyService.add_families)


class ImportRefused(CccError):
    """A row the services refused while importing: nothing was written."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem} Nothing was imported: fix that row or leave it out, then "
                         "import again.")
        self.problem = problem


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    created: int
    merged: int
    skipped: int
    left_out: int


@dataclass(frozen=True)
class ImportBatch:
    id: int
    kind: Kind
    file_name: str
    checksum: str
    imported_at: str
    actor: str
    created: int
    merged: int
    skipped: int
    left_out: int
    undone_at: str | None
    undone_by: str | None
    undo_blocked: str  # why it can no longer be undone ('' while it can)

    @property
    def can_undo(self) -> bool:
        return not self.undone_at and not self.undo_blocked


class ImportService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = ImportStore(session.db)

    # The areas the rows go into, reached through the services registry.
    @property
    def families(self) -> FamilyService:
        return self.services.families

    @property
    def volunteers(self) -> VolunteerService:
        return self.services.volunteers

    @property
    def dbs(self) -> DbsService:
        return self.services.dbs

    @property
    def bookings(self) -> BookingService:
        return self.services.bookings

    # ---- permissions ---------------------------------------------------------------------
    def _require(self, kind: Kind) -> None:
        actor = self.session.actor
        if kind is Kind.VOLUNTEERS:
            actor.require(Permission.MANAGE_VOLUNTEERS)
            actor.require(Permission.VIEW_DBS_RESULTS)
        else:
            actor.require(Permission.EDIT_FAMILIES)

    def _today(self) -> date:
        return self.session.clock.today()

    def _now(self) -> str:
        return self.session.clock.now().isoformat(timespec="seconds")

    # ---- preparing -----------------------------------------------------------------------
    def read(self, path: Path) -> Sheet:
        """Reads the file (UnreadableFile if it is not a spreadsheet). Needs import rights."""
        self.session.actor.require(Permission.EDIT_FAMILIES)
        return read_file(path)

    def saved_mapping(self, kind: Kind) -> dict[str, str]:
        self._require(kind)
        return self.store.mapping(kind.value)

    def guess(self, kind: Kind, sheet: Sheet) -> dict[str, str | None]:
        saved = self.saved_mapping(kind)
        return guess_mapping(kind, sheet.headers, saved)

    def plan(self, kind: Kind, sheet: Sheet, mapping: dict[str, str | None] | None = None,
             progress: Progress | None = None) -> Plan:
        """Every row checked, with likely duplicates in the file and in the vault."""
        self._require(kind)
        plan = build_plan(kind, sheet, self.guess(kind, sheet) if mapping is None else mapping,
                          self._today(), progress)
        self.find_vault_duplicates(plan)
        return plan

    def fix(self, plan: Plan, number: int, key: str, text: str) -> PlannedRow:
        self.session.actor.require(Permission.EDIT_FAMILIES)
        self._require(plan.kind)
        row = plan.fix(number, key, text)
        self.find_vault_duplicates(plan)
        return row

    def find_vault_duplicates(self, plan: Plan) -> None:
        self.session.actor.require(Permission.EDIT_FAMILIES)
        self._require(plan.kind)
        index: dict[tuple[str, tuple[object, ...]], tuple[int, str]] = {}
        if plan.kind is Kind.FAMILIES:
            for r in self.store.family_children():
                if not r["date_of_birth"]:
                    continue
                index.setdefault(("same child's name and date of birth",
                                  (fold(r["full_name"]).strip(), date.fromisoformat(r["date_of_birth"]))),
                                 (r["family_id"], f"family {r['reference']}"))
            for r in self.store.family_phones():
                if not r["phone"]:
                    continue
                for reason, key in duplicate_keys(Kind.FAMILIES, {"adult1_phone": r["phone"]}):
                    index.setdefault((reason, key), (r["family_id"], f"family {r['reference']}"))
        elif plan.kind is Kind.VOLUNTEERS:
            for v in self.volunteers.list():
                values = {"full_name": v.details.full_name, "date_of_birth": v.details.date_of_birth,
                          "phone": v.details.phone}
                for reason, key in duplicate_keys(Kind.VOLUNTEERS, values):
                    index.setdefault((reason, key), (v.id, f"volunteer {v.details.full_name}"))
            names = {v.id: v.details.full_name for v in self.volunteers.list()}
            for r in self.store.certificates():
                index.setdefault(("same certificate number", (r["certificate_number"],)),
                                 (r["volunteer_id"], f"volunteer {names.get(r['volunteer_id'], '')}"))
        else:
            dates = sorted({r.values["session_date"].isoformat() for r in plan.rows
                            if isinstance(r.values.get("session_date"), date)})
            for i in range(0, len(dates), 500):
                for r in self.store.sessions_on(dates[i:i + 500]):
                    index[("same date and start time", (date.fromisoformat(r["session_date"]),
                                                        r["start_time"]))] = (
                        r["id"], f"the session on {format_date(date.fromisoformat(r['session_date']))}"
                                 f" at {r['start_time']}")
        for row in plan.rows:
            row.duplicates = [d for d in row.duplicates if d.record_id is None]
            if row.problems:
                continue
            seen: set[int] = set()
            for reason, key in duplicate_keys(plan.kind, row.values):
                hit = index.get((reason, key))
                if hit and hit[0] not in seen:
                    seen.add(hit[0])
                    row.duplicates.append(Duplicate(reason, record_id=hit[0], record_label=hit[1]))

    # ---- importing -----------------------------------------------------------------------
    def run(self, plan: Plan, left_out: set[int] | frozenset[int] = frozenset(),
            choices: dict[int, str] | None = None, progress: Progress | None = None) -> ImportResult:
        """Import every row not left out. A duplicate is skipped unless ``choices`` says
        merge (into the record or earlier row it duplicates) or import (as a new record)."""
        self.session.actor.require(Permission.EDIT_FAMILIES)
        self._require(plan.kind)
        actor = self.session.actor
        choices = choices or {}
        for row in plan.rows:
            if row.number not in left_out and row.problems:
                raise ValidationError(f"Row {row.number} still has problems: fix it or leave it "
                                      "out.", "rows")
        if plan.file_problems and any(p.row == 0 for p in plan.file_problems):
            raise ValidationError(str(next(p for p in plan.file_problems if p.row == 0)), "mapping")
        todo = [r for r in plan.rows if r.number not in left_out]
        counts = {"created": 0, "merged": 0, "skipped": 0, "left_out": len(plan.rows) - len(todo)}
        items: list[tuple[str, int, str, int]] = []
        owners: dict[int, tuple[str, int]] = {}  # file row -> the record it became or joined
        db = self.session.db
        # New families are checked and written a batch at a time (FamilyService.add_families:
        # the same checks, a few statements per batch); a merge may join a family an earlier
        # row made, so what is waiting is written first.
        pending: list[PlannedRow] = []

        def flush() -> None:
            if not pending:
                return
            try:
                ids = self.families.add_families([family_inputs(r.values) for r in pending])
            except FamilyNotAdded as exc:
                raise self._refused(plan, pending[exc.index], exc) from None
            for r, family_id in zip(pending, ids, strict=True):
                items.append(("family", family_id, "family", family_id))
                owners[r.number] = ("family", family_id)
            counts["created"] += len(pending)
            pending.clear()

        with db.transaction():
            with self.session.audit.folded():
                for done, row in enumerate(todo, start=1):
                    choice = choices.get(row.number, Choice.SKIP) if row.duplicates else Choice.IMPORT
                    wrote = False
                    try:
                        if choice == Choice.SKIP:
                            counts["skipped"] += 1
                        elif choice == Choice.MERGE:
                            flush()
                            target = self._merge_target(row, owners)
                            if target is None:
                                counts["skipped"] += 1
                            else:
                                items.extend(self._merge(plan.kind, row, target))
                                owners[row.number] = (plan.kind.value, target)
                                counts["merged"] += 1
                        elif plan.kind is Kind.FAMILIES:
                            pending.append(row)
                            if len(pending) >= FAMILY_BATCH:
                                flush()
                                wrote = True
                        else:
                            new = self._create(plan.kind, row)
                            items.extend(new)
                            owners[row.number] = (new[0][2], new[0][3])
                            counts["created"] += 1
                    except ValidationError as exc:
                        raise self._refused(plan, row, exc) from None
                    if progress and done < len(todo) and (wrote or (not pending and done % 50 == 0)):
                        progress(done, len(todo))
                flush()
                if progress:
                    progress(len(todo), len(todo))
            batch_id = self.store.insert_batch({
                "kind": plan.kind.value, "file_name": plan.sheet.name[:200],
                "checksum": plan.sheet.checksum, "imported_at": self._now(),
                "account_id": actor.account_id, "actor": actor.username, "audit_id": 0, **counts})
            self.store.add_items(batch_id, items)
            self.store.save_mapping(plan.kind.value, (
                (normalise_header(h), k or "") for h, k in plan.mapping.items()
                if normalise_header(h)), self._now())
            entry = self.session.audit.record(
                "records imported", "import", batch_id,
                f"{plan.kind.value} from {plan.sheet.name[:200]} (SHA-256 {plan.sheet.checksum}): "
                f"{counts['created']} created, {counts['merged']} merged, {counts['skipped']} "
                f"duplicates skipped, {counts['left_out']} rows left out")
            self.store.set_audit_id(batch_id, entry.id)
            db.changed("imports", "families", "volunteers", "sessions", "register", "dbs")
        return ImportResult(batch_id, counts["created"], counts["merged"], counts["skipped"],
                            counts["left_out"])

    @staticmethod
    def _refused(plan: Plan, row: PlannedRow, exc: ValidationError) -> ImportRefused:
        """The row's problem from the services' refusal, added to the row (for the preview)."""
        key = field_for_error(plan.kind, exc.field)
        column = plan.column_of(key) if key and any(f.key == key for f in plan.fields) else ""
        problem = Problem(row.number, column, str(exc).rstrip("."))
        row.problems.append(problem)
        return ImportRefused(problem)

    @staticmethod
    def _merge_target(row: PlannedRow, owners: dict[int, tuple[str, int]]) -> int | None:
        for d in row.duplicates:
            if d.record_id is not None:
                return d.record_id
            if d.row is not None and d.row in owners:
                return owners[d.row][1]
        return None

    def _create(self, kind: Kind, row: PlannedRow) -> list[tuple[str, int, str, int]]:
        if kind is Kind.FAMILIES:
            referral, adults, children = family_inputs(row.values)
            family_id = self.families.create(referral, adults, children)
            return [("family", family_id, "family", family_id)]
        if kind is Kind.VOLUNTEERS:
            details, check = volunteer_inputs(row.values)
            volunteer = self.volunteers.create(details)
            out = [("volunteer", volunteer.id, "volunteer", volunteer.id)]
            if check is not None:
                out.append(("dbs_check", self.dbs.record(volunteer.id, check).id,
                            "volunteer", volunteer.id))
            return out
        session_id = self.bookings.add_session(*session_inputs(row.values))
        return [("session", session_id, "session", session_id)]

    def _merge(self, kind: Kind, row: PlannedRow, target: int) -> list[tuple[str, int, str, int]]:
        """Adds to the record what the row has and it lacks: people to a family, a DBS check
        to a volunteer. A session day has nothing to add."""
        out: list[tuple[str, int, str, int]] = []
        if kind is Kind.FAMILIES:
            _referral, adults, children = family_inputs(row.values)
            have_adults, have_children = self.store.family_people(target)
            names = {fold(r["full_name"]).strip() for r in have_adults}
            kids = {(fold(r["full_name"]).strip(), r["date_of_birth"]) for r in have_children}
            for a in adults:
                if fold(a.full_name).strip() not in names:
                    out.append(("adult", self.families.add_adult(target, a), "family", target))
                    names.add(fold(a.full_name).strip())
            for c in children:
                dob = date(int(c.date_of_birth[6:]), int(c.date_of_birth[3:5]),
                           int(c.date_of_birth[:2])).isoformat()
                if (fold(c.full_name).strip(), dob) not in kids:
                    out.append(("child", self.families.add_child(target, c), "family", target))
                    kids.add((fold(c.full_name).strip(), dob))
        elif kind is Kind.VOLUNTEERS:
            _details, check = volunteer_inputs(row.values)
            known = {r["certificate_number"] for r in self.store.certificates()}
            if check is not None and check.certificate_number not in known:
                out.append(("dbs_check", self.dbs.record(target, check).id, "volunteer", target))
        return out

    # ---- history and undo ----------------------------------------------------------------
    def _blocker(self, row: Any) -> str:
        if row["undone_at"]:
            return ""
        items = self.store.items(row["id"])
        if any(not self.store.exists(i["record_type"], i["record_id"]) for i in items):
            return "some of its records have since been removed"
        if self.store.edited_owners(row["id"], row["audit_id"]):
            return "some of its records have been changed since"
        for i in items:
            if i["record_type"] == "family" and self.store.family_in_use(i["record_id"]):
                return "some of its families have bookings, letters or other records since"
            if i["record_type"] == "session" and self.store.session_in_use(i["record_id"]):
                return "some of its sessions have bookings or a rota since"
        return ""

    def _batch(self, row: Any) -> ImportBatch:
        return ImportBatch(
            id=row["id"], kind=Kind(row["kind"]), file_name=row["file_name"],
            checksum=row["checksum"], imported_at=row["imported_at"], actor=row["actor"],
            created=row["created"], merged=row["merged"], skipped=row["skipped"],
            left_out=row["left_out"], undone_at=row["undone_at"], undone_by=row["undone_by"],
            undo_blocked=self._blocker(row))

    def history(self) -> builtins.list[ImportBatch]:
        self.session.actor.require(Permission.EDIT_FAMILIES)
        return [self._batch(r) for r in self.store.batches()]

    def undo(self, batch_id: int) -> int:
        """Removes every record the import wrote (secure deletion is on). Returns how many."""
        self.session.actor.require(Permission.EDIT_FAMILIES)
        row = self.store.batch(batch_id)
        if row is None:
            raise NotFound("That import is not in the history.")
        kind = Kind(row["kind"])
        self._require(kind)
        if row["undone_at"]:
            raise ValidationError("That import has already been undone.", "import")
        blocker = self._blocker(row)
        if blocker:
            raise ValidationError(f"That import can no longer be undone: {blocker}.", "import")
        items = self.store.items(batch_id)
        families = FamilyStore(self.session.db)
        volunteers = VolunteerStore(self.session.db)
        touched: set[int] = set()
        whole = {record: [i["record_id"] for i in items if i["record_type"] == record]
                 for record in ("family", "volunteer", "session")}
        with self.session.db.transaction():
            # The records the import made leave the statistics too: they were never held.
            ledger = LedgerStore(self.session.db)
            for record, ids in whole.items():
                ledger.forget(record, ids)
            families.delete_families(whole["family"])
            for i in reversed(items):
                rtype, rid = i["record_type"], i["record_id"]
                if rtype == "adult":  # (the families themselves went above, in one go)
                    families.delete_adult(rid)
                    touched.add(i["owner_id"])
                elif rtype == "child":
                    families.delete_child(rid)
                    touched.add(i["owner_id"])
                elif rtype == "volunteer":
                    volunteers.delete(rid)
                elif rtype == "dbs_check":
                    self.store.delete_dbs_check(rid)
                elif rtype == "session":
                    self.store.delete_session(rid)
            for family_id in touched:
                families.reindex(family_id)
            self.store.mark_undone(batch_id, self._now(), self.session.actor.username)
            self.session.audit.record("import undone", "import", batch_id,
                                      f"{len(items)} records removed")
            self.session.db.changed("families", "volunteers", "sessions", "register", "dbs")
        return len(items)

"""Row sealing in storage: private fields move into each row's ``private_sealed`` blob.

A store writes its columns as before, inside a transaction, then calls ``seal_row``: the
private fields (``models/sealed.SEALED_TABLES``) go into the blob and the plaintext columns are
cleared before the transaction commits, so no plaintext page reaches the file. Reads come back
as ``SealedRow``: an open column reads as stored; a sealed one opens the blob the first time
it is asked for, so lists and the register, which ask only for open columns, decrypt nothing.

Without the seal key (a Session volunteer's session) a sealed field cannot be read or changed
(PermissionDenied); a row written without it stays plain until ``seal_pending`` runs at the next
unlock by a Coordinator, Chair or the recovery key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ccc_desktop.models.errors import PermissionDenied, VaultCorrupt
from ccc_desktop.models.legal_records import SUMMONS_STEPS
from ccc_desktop.models.records import Shown
from ccc_desktop.models.sealed import (
    SEALED_COLUMNS,
    SEALED_TABLES,
    SealedMoved,
    Sealer,
    moved,
)
from ccc_desktop.models.storage import sealed_ledger
from ccc_desktop.models.storage.audit import seal_plain_entries
from ccc_desktop.models.storage.database import Database, Row

ALL = "all"
PENDING_KEY = "seal_pending"
BIND_KEY = "owner_bind_pending"  # migration 0019 (0022's sealing of the owners does its work)
STEPS_KEY = "summons_steps_pending"  # migration 0024: every summons to get a row for each step
PAD_KEY = "incident_pad_pending"  # migration 0025: incidents' accounts to pad to 1 KiB steps
RESTRICTED_PAD_KEY = "restricted_pad_pending"  # migration 0026: restricted notes to pad too
RESTRICTED_FILL_KEY = "restricted_fill_pending"  # 0029: every family to hold sealed notes
# A witness summons step not yet done: what its row holds, sealed and padded like a done one.
STEP_NOT_DONE: dict[str, Any] = {"done_on": "", "done_by": "", "note": "", "recorded_at": "",
                                 "recorded_by": None}


def select(alias: str = "") -> str:
    """The two columns every read of a sealed table adds: ``id AS _sid, private_sealed AS _sealed``."""
    p = f"{alias}." if alias else ""
    return f"{p}id AS _sid, {p}private_sealed AS _sealed"


def opened_kept(db: Database, table: str, rows: Iterable[Row],
                fields: tuple[str, ...]) -> Iterator[tuple[Row, dict[str, Any]]]:
    """Each row with its sealed ``fields`` opened. What a blob says is kept beside the database
    for the session by row and blob (a blob sealed again has a new random nonce), so a list
    asked again opens only the rows changed since; the kept values go with the database at
    lock. ``rows`` must carry ``select()``'s columns."""
    sealer = db.sealer
    if sealer is None:  # refused on the first sealed row, as any read of a sealed field
        for r in wrap(db, table, rows):
            yield r, {f: r[f] for f in fields}
        return
    kept: dict[int, tuple[bytes, dict[str, Any]]] = db.__dict__.setdefault(
        f"_kept:{table}:{','.join(fields)}", {})
    for r in rows:
        blob = r["_sealed"]
        if blob is None:  # not sealed yet (an upgraded file before a manager's unlock)
            yield r, {f: r[f] for f in fields}
            continue
        nonce = bytes(blob[:12])
        hit = kept.get(r["_sid"])
        if hit is None or hit[0] != nonce:
            opened = sealer.open_fields(table, r["_sid"], blob)
            hit = (nonce, {f: opened.get(f, r[f]) for f in fields})
            kept[r["_sid"]] = hit
        yield r, hit[1]

def owner_where(db: Database, table: str, owners: Iterable[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    """SQL (and its parameters) for the rows of a table with ``owner`` fields (letters,
    attachments) that belong to any of ``owners`` (e.g. ('family', 12)): by the blind index of
    each owner, which needs the seal key; rows not sealed yet (written without it, or waiting
    since an upgrade) by their open columns. A row found by its index still has to open to the
    same owner (``SealedRow`` checks it): one whose index was changed in the file does not."""
    spec = SEALED_TABLES[table]
    owners = list(owners)
    if not owners:
        return "0", []
    plain = " OR ".join("(" + " AND ".join(f"{c} IS ?" for c in spec.owner) + ")" for _ in owners)
    params: list[Any] = [v for o in owners for v in o]
    where = f"({spec.owner_index} IS NULL AND ({plain}))"
    sealer = db.sealer
    if sealer is None:
        return where, params
    marks = ", ".join("?" for _ in owners)
    return (f"({spec.owner_index} IN ({marks}) OR {where})",
            [*(sealer.owner_index(table, o) for o in owners), *params])


def _check_owner(db: Database, sealer: Sealer, table: str, row_id: int,
                 values: Mapping[str, Any], index: Any = ...) -> None:
    """SealedMoved unless the row's open index is its sealed owner's (``index``: the row's
    index column when the caller read it)."""
    spec = SEALED_TABLES[table]
    if not spec.owner:
        return
    if index is ...:
        # Table and column names come from the fixed registry, never from the user.
        index = db.scalar(f"SELECT {spec.owner_index} FROM {table} WHERE id = ?",  # noqa: S608
                          (row_id,))
    if index != sealer.owner_index(table, [values.get(c) for c in spec.owner]):
        raise moved(table)


def later(sealed: Any, column: Any) -> Any:
    """A ``newest`` field's value: the later of the sealed date and the plaintext column's
    (written by a session without the seal key; '' when none was)."""
    if not column:
        return sealed
    return column if not sealed or str(column) > str(sealed) else sealed


SERVICE_PAD_BLOCK = 1024  # services/volunteer_base.pad_sealed


def no_key(action: str) -> PermissionDenied:
    return PermissionDenied(action, "Session volunteer: sealed records need a Coordinator or Chair")


class SealedRow:
    """A row whose sealed fields open on first use. Indexable by name like sqlcipher3.Row."""

    __slots__ = ("_db", "_opened", "_rest", "_row", "_spec")

    def __init__(self, db: Database, table: str, row: Row) -> None:
        self._db = db
        self._spec = SEALED_TABLES[table]
        self._row = row
        self._opened: dict[str, Any] | None = None
        self._rest = b""  # the blob's heavy fields, parsed when one is asked for

    def _fields(self, heavy: bool = False) -> dict[str, Any]:
        if self._opened is None:
            blob = self._row["_sealed"]
            if blob is None:
                self._opened = {}
            else:
                sealer = self._db.sealer
                if sealer is None:
                    raise no_key("read sealed records")
                table, sid = self._spec.table, self._row["_sid"]
                opened, self._rest = sealer.open_parts(table, sid, blob)
                if self._spec.owner:
                    keys = self._row.keys()
                    index = self._row[self._spec.owner_index] if self._spec.owner_index in keys else ...
                    _check_owner(self._db, sealer, table, sid, opened, index)
                self._opened = opened
        if heavy and self._rest:
            self._opened.update(json.loads(self._rest))
            self._rest = b""
        return self._opened

    def __getitem__(self, key: str | int) -> Any:
        if isinstance(key, str) and key in self._spec.fields:
            opened = self._fields(key in self._spec.heavy)
            if key in opened:
                if key in self._spec.newest:  # moved on since without the seal key?
                    try:
                        return later(opened[key], self._row[key])
                    except (IndexError, KeyError):
                        pass
                return opened[key]
        return self._row[key]

    @property
    def is_sealed(self) -> bool:
        return self._row["_sealed"] is not None

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except IndexError:
            return default

    def keys(self) -> list[str]:
        return [k for k in self._row.keys() if k not in ("_sid", "_sealed")]

    def __iter__(self) -> Iterator[Any]:
        return (self[k] for k in self.keys())

    def __len__(self) -> int:
        return len(self.keys())


def openable(rows: Iterable[Any]) -> Shown[Any]:
    """The ``SealedRow``s that open; those bound to another record than the one they are in
    now (moved in the file: ``SealedMoved``) are left out and counted in ``hidden``. Opens
    every row's blob, so only for lists that show sealed fields anyway."""
    out: Shown[Any] = Shown()
    for r in rows:
        try:
            if r.is_sealed and r._spec.fields:
                r._fields()
        except SealedMoved:
            out.hidden += 1
            continue
        out.append(r)
    return out


def wrap(db: Database, table: str, rows: Iterable[Row]) -> list[Any]:
    return [SealedRow(db, table, r) for r in rows]


def wrap_one(db: Database, table: str, row: Row | None) -> Any:
    return None if row is None else SealedRow(db, table, row)


def mark_pending(db: Database, what: str = PENDING_KEY) -> None:
    """Mark work for the next unlock holding the seal key (``seal_pending`` does it)."""
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (what,))
    if what != PENDING_KEY:
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (PENDING_KEY,))


def seal_row(db: Database, table: str, row_id: int, written: Iterable[str] | str) -> None:
    """Move the row's private fields into its blob and clear the plaintext columns.

    ``written`` names the fields the caller has just written in plaintext (``ALL`` after an
    insert): those are taken from the columns; the others keep what the blob holds.
    """
    spec = SEALED_TABLES[table]
    cols = [*spec.fields, *spec.binary]
    # Table and column names come from the fixed registry, never from the user.
    row = db.query_one(f"SELECT private_sealed, {', '.join(cols)} FROM {table} "  # noqa: S608
                       "WHERE id = ?", (row_id,))
    if row is None:
        return
    names = set(cols) if written == ALL else set(written) & set(cols)
    legacy = row["private_sealed"] is None
    sealer = db.sealer
    if sealer is None:
        if not legacy and names:
            raise no_key("change sealed records")
        if legacy:
            mark_pending(db)  # sealed at the next unlock that holds the seal key
        return
    _write_sealed(db, sealer, table, row_id, row, names, legacy)


def next_id(db: Database, table: str) -> int:
    """The id SQLite would give the next row of ``table`` (AUTOINCREMENT counted): inside a
    write transaction nothing else can take it, so a batch can seal rows before it inserts them."""
    # Table names come from the fixed registry, never from the user.
    top = db.scalar(f"SELECT max(id) FROM {table}") or 0  # noqa: S608
    seq = db.scalar("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)) \
        if db.scalar("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'") else None
    return max(int(top), int(seq or 0)) + 1


def sealed_new_row(sealer: Sealer, table: str, row_id: int, row: dict[str, Any]) -> dict[str, Any]:
    """A row about to be inserted with a known id, as ``seal_row(..., ALL)`` leaves it after an
    insert: its private fields (every one must be given, as the columns would hold them) sealed
    into ``private_sealed`` and blind indexes, the plaintext columns holding their cleared
    values. No plaintext is written at all, so a batch needs one statement per row."""
    spec = SEALED_TABLES[table]
    if spec.binary:
        raise ValueError(f"{table} has sealed binary columns: insert and seal_row instead")
    values = {f: row[f] for f in spec.fields}
    out = {**row, **spec.fields, "private_sealed": sealer.seal_fields(table, row_id, values)}
    for f, index_column in spec.blind.items():
        out[index_column] = sealer.blind_index(f"{table}.{f}", str(values[f])) if values[f] else None
    return out


def owner_set(sealer: Sealer, table: str, values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The owner index column and its value, for a table with ``owner`` fields."""
    spec = SEALED_TABLES[table]
    if not spec.owner:
        return []
    return [(spec.owner_index, sealer.owner_index(table, [values.get(c) for c in spec.owner]))]


def _write_sealed(db: Database, sealer: Sealer, table: str, row_id: int, row: Row,
                  names: set[str], legacy: bool) -> None:
    spec = SEALED_TABLES[table]
    if legacy:
        values = {f: row[f] for f in spec.fields}
    else:
        values = sealer.open_fields(table, row_id, row["private_sealed"])
        _check_owner(db, sealer, table, row_id, values)
        for f in spec.fields:
            # A field the blob lacks was sealed after the row was (a later migration added it
            # to the registry): its column still holds the value.
            if f in spec.newest:
                # Moved forward in its column without the seal key, or just written: never back.
                values[f] = later(values.get(f), row[f])
            elif f in names or f not in values:
                values[f] = row[f]
    sets = ["private_sealed = ?"] + [f"{f} = ?" for f in spec.fields]
    params: list[Any] = [sealer.seal_fields(table, row_id, values), *spec.fields.values()]
    for b in spec.binary:
        if legacy or b in names:
            sets.append(f"{b} = ?")
            params.append(sealer.seal_bytes(table, b, row_id, bytes(row[b] or b"")))
    for f, index_column in spec.blind.items():
        sets.append(f"{index_column} = ?")
        params.append(sealer.blind_index(f"{table}.{f}", str(values[f])) if values[f] else None)
    for column, value in owner_set(sealer, table, values):
        sets.append(f"{column} = ?")
        params.append(value)
    db.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE id = ?",  # noqa: S608
               [*params, row_id])


def open_binary(db: Database, table: str, column: str, row_id: int) -> bytes | None:
    """A binary column (a letter's PDF), opened when sealed. A letter or attachment whose index
    was changed in the file (moved to another record) is refused (SealedMoved)."""
    spec = SEALED_TABLES[table]
    index = f", {spec.owner_index}" if spec.owner else ""
    row = db.query_one(f"SELECT {column}, private_sealed{index} FROM {table} "  # noqa: S608
                       "WHERE id = ?", (row_id,))
    if row is None or row[0] is None:
        return None
    if row[1] is None:
        return bytes(row[0])
    sealer = db.sealer
    if sealer is None:
        raise no_key("open stored letters")
    if spec.owner:
        _check_owner(db, sealer, table, row_id, sealer.open_fields(table, row_id, row[1]), row[2])
    return sealer.open_bytes(table, column, row_id, row[0])


def blind_index(db: Database, table: str, field: str, value: str) -> str | None:
    """The blind index of ``value`` for a sealed column (None without the seal key)."""
    sealer = db.sealer
    if sealer is None:
        return None
    return sealer.blind_index(f"{table}.{field}", value)


def seal_is_pending(db: Database) -> bool:
    return db.scalar("SELECT 1 FROM meta WHERE key = ?", (PENDING_KEY,)) is not None


def seal_pending(db: Database, progress: Callable[[int, int], None] | None = None) -> int:
    """Seal every row still in plaintext (after an upgrade, or written without the seal key).

    Runs in one transaction with the session's sealer set on ``db``; returns how many rows were
    sealed. The caller vacuums afterwards so the old plaintext pages leave the file.
    """
    sealer = db.sealer
    if sealer is None:
        raise no_key("seal the records")
    with db.transaction():
        db.execute("DELETE FROM meta WHERE key = ?", (BIND_KEY,))  # 0019: done by seal_owners
        rebound = seal_owners(db, sealer)
        if db.scalar("SELECT 1 FROM meta WHERE key = ?", (sealed_ledger.PENDING_KEY,)) is not None:
            rebound += sealed_ledger.move_open_rows(db, sealer)
        todo = _unsealed_rows(db)
        for n, (table, row_id, written) in enumerate(todo, 1):
            seal_row(db, table, row_id, written)
            if progress is not None and n % 500 == 0:
                progress(n, len(todo))
        if db.scalar("SELECT 1 FROM meta WHERE key = ?", (STEPS_KEY,)) is not None:
            rebound += fill_summons_steps(db, sealer)
            db.execute("DELETE FROM meta WHERE key = ?", (STEPS_KEY,))
        if db.scalar("SELECT 1 FROM meta WHERE key = ?", (PAD_KEY,)) is not None:
            rebound += pad_incident_details(db, sealer)
            db.execute("DELETE FROM meta WHERE key = ?", (PAD_KEY,))
        if db.scalar("SELECT 1 FROM meta WHERE key = ?", (RESTRICTED_PAD_KEY,)) is not None:
            rebound += pad_restricted_notes(db, sealer)
            db.execute("DELETE FROM meta WHERE key = ?", (RESTRICTED_PAD_KEY,))
        if db.scalar("SELECT 1 FROM meta WHERE key = ?", (RESTRICTED_FILL_KEY,)) is not None:
            rebound += fill_restricted_notes(db, sealer)
            db.execute("DELETE FROM meta WHERE key = ?", (RESTRICTED_FILL_KEY,))
        seal_plain_entries(db)
        db.execute("DELETE FROM meta WHERE key = ?", (PENDING_KEY,))
    if progress is not None:
        progress(len(todo), len(todo))
    return len(todo) + rebound


def _has_blob(db: Database, table: str) -> bool:
    # Table names come from the fixed registry.
    return any(r[1] == "private_sealed" for r in db.query(f"PRAGMA table_info({table})"))


def _unsealed_rows(db: Database) -> list[tuple[str, int, str | tuple[str, ...]]]:
    todo: list[tuple[str, int, str | tuple[str, ...]]] = []
    for table, spec in SEALED_TABLES.items():
        if not _has_blob(db, table):
            continue  # a file kept at an older schema (tests pin one): the table is not sealed yet
        todo += [(table, r[0], ALL) for r in db.query(
            f"SELECT id FROM {table} WHERE private_sealed IS NULL ORDER BY id")]  # noqa: S608
        # Rows sealed before a field joined the registry: the field is still in its column.
        # Column names come from the fixed registry.
        unsealed = " OR ".join(f"{f} IS NOT ?" for f in spec.fields)
        todo += [(table, r[0], ()) for r in db.query(
            f"SELECT id FROM {table} WHERE private_sealed IS NOT NULL AND ({unsealed}) "  # noqa: S608
            "ORDER BY id", list(spec.fields.values()))]
    return todo


def fill_summons_steps(db: Database, sealer: Sealer) -> int:
    """Migration 0024: every summons gets a row for each of the four steps, a step not yet done
    holding ``STEP_NOT_DONE``, all sealed alike. The rows are written again, summons by summons
    in the policy's order, so that neither their ids nor their order say which steps were
    recorded before the upgrade. Returns how many rows were written."""
    spec = SEALED_TABLES["summons_steps"]
    fields = ", ".join(spec.fields)  # column names from the fixed registry
    done = {(r["summons_id"], r["step"]): {f: r[f] for f in spec.fields}
            for r in wrap(db, "summons_steps", db.query(
                f"SELECT summons_id, step, {fields}, {select()} FROM summons_steps"))}  # noqa: S608
    summonses = [int(r[0]) for r in db.query("SELECT id FROM summonses ORDER BY id")]
    db.execute("DELETE FROM summons_steps")
    columns = ["id", "summons_id", "step", *spec.fields, "private_sealed"]
    insert = (f"INSERT INTO summons_steps ({', '.join(columns)}) "  # noqa: S608
              f"VALUES ({', '.join('?' for _ in columns)})")
    n = 0
    for summons_id in summonses:
        for step, _label in SUMMONS_STEPS:
            row_id = next_id(db, "summons_steps")
            values = done.get((summons_id, step), STEP_NOT_DONE)
            row = sealed_new_row(sealer, "summons_steps", row_id,
                                 {"id": row_id, "summons_id": summons_id, "step": step, **values})
            db.execute(insert, [row[c] for c in columns])
            n += 1
    return n


def pad_incident_details(db: Database, sealer: Sealer) -> int:
    """Migration 0025: an incident's sealed account (what happened, who, action, who was told)
    is padded to 1 KiB steps as the service now writes it, so its length does not tell one
    kind of incident from another (the kind is sealed since 0024). Accounts written before are
    sealed again padded; one that does not open is left for the service to report. Returns how
    many were padded."""
    column = next(c for c in SEALED_COLUMNS if (c.table, c.column) == ("incidents", "details_sealed"))
    n = 0
    for row in db.query(f"SELECT *, {select()} FROM incidents WHERE details_sealed IS NOT NULL"):
        fields = {k: row[k] for k in row.keys()}
        if row["private_sealed"] is not None:
            fields.update(sealer.open_fields("incidents", row["id"], row["private_sealed"]))
        context = column.context_of(fields)
        plain = sealer.open_unpadded(context, row["details_sealed"])
        if plain is None or plain.endswith(b"\x00"):
            continue
        padded = plain + b"\x00" * ((-len(plain) - 1) % SERVICE_PAD_BLOCK + 1)
        db.execute("UPDATE incidents SET details_sealed = ? WHERE id = ?",
                   (sealer.seal_unpadded(context, padded), row["id"]))
        n += 1
    return n


def pad_restricted_notes(db: Database, sealer: Sealer) -> int:
    """Migration 0026: a family's restricted notes were sealed at their own length; they are
    sealed again padded to 1 KiB steps, as the service now writes them. Notes that do not open
    are left for the service to report. Returns how many were padded."""
    n = 0
    for row_id, blob in db.query(
            "SELECT id, restricted_sealed FROM families WHERE restricted_sealed IS NOT NULL"):
        context = restricted_context(row_id)
        plain = sealer.open_unpadded(context, blob)
        if plain is None or plain.endswith(b"\x00"):
            continue
        padded = plain + b"\x00" * ((-len(plain) - 1) % SERVICE_PAD_BLOCK + 1)
        db.execute("UPDATE families SET restricted_sealed = ? WHERE id = ?",
                   (sealer.seal_unpadded(context, padded), row_id))
        n += 1
    return n


def restricted_context(family_id: int) -> str:
    """What a family's restricted notes are sealed bound to (``SEALED_COLUMNS``)."""
    return f"families.restricted|{family_id}"


def no_restricted_notes(sealer: Sealer, family_id: int) -> bytes:
    """A family's restricted notes when none are written: empty text sealed and padded as the
    service seals notes (migration 0029), so that whether a family has notes does not show."""
    return sealer.seal_unpadded(restricted_context(family_id), b"\x00" * SERVICE_PAD_BLOCK)


def fill_restricted_notes(db: Database, sealer: Sealer) -> int:
    """Migration 0029: every family without restricted notes gets the sealed empty value a new
    family gets. Returns how many were filled."""
    ids = [int(r[0]) for r in db.query("SELECT id FROM families WHERE restricted_sealed IS NULL")]
    db.executemany("UPDATE families SET restricted_sealed = ? WHERE id = ?",
                   [(no_restricted_notes(sealer, i), i) for i in ids])
    return len(ids)


def seal_owners(db: Database, sealer: Sealer) -> int:
    """Migration 0022: letters and attachments sealed before it hold their title or name (and
    bytes) sealed, but which record they belong to, their kind, dates and sizes in open columns,
    and are sealed bound to those columns (0019) or, sealed before 0019, to table and row id
    only. Each is opened (with its open subject, else without), and sealed again with those
    values inside, found by its owner's blind index. One moved in the file before (it opens
    with neither) is looked for among the records it could belong to and put back; one whose
    record is gone is deleted, as it would have been with it. Rows still in plain text are
    sealed by ``seal_row`` afterwards. Returns how many rows were sealed again or deleted."""
    n = 0
    for table, spec in SEALED_TABLES.items():
        # Table names come from the fixed registry, never from the user.
        if not spec.owner or spec.owner_index not in {
                r["name"] for r in db.query(f"PRAGMA table_info({table})")}:
            continue  # a schema from before 0022 (tests build one)
        cols = ", ".join([*spec.fields, *spec.binary])
        # Table and column names come from the fixed registry, never from the user.
        rows = db.query(f"SELECT id, private_sealed, {cols} FROM {table} "  # noqa: S608
                        f"WHERE {spec.owner_index} IS NULL AND private_sealed IS NOT NULL")
        for row in rows:
            row_id, blob = row["id"], row["private_sealed"]
            columns = {c: row[c] for c in spec.fields}
            bound: dict[str, Any] | None = {c: row[c] for c in spec.owner}
            values: dict[str, Any] | None = None
            for attempt in (bound, None):
                try:
                    values = sealer.open_fields(table, row_id, blob, attempt)
                except VaultCorrupt:
                    continue
                bound = attempt
                break
            if values is None:
                found = sealer.find_binding(table, row_id, blob, _owner_candidates(db, table))
                if found is None:  # its record is gone: it would have gone with it
                    db.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))  # noqa: S608
                    n += 1
                    continue
                bound = dict(found)
                values = sealer.open_fields(table, row_id, blob, bound)
                columns.update(bound)
            full = {f: (values[f] if f in values else columns[f]) for f in spec.fields}
            sets = ["private_sealed = ?"] + [f"{f} = ?" for f in spec.fields]
            params: list[Any] = [sealer.seal_fields(table, row_id, full), *spec.fields.values()]
            for b in spec.binary:
                plain = (sealer.open_bytes(table, b, row_id, row[b], bound)
                         if row[b] is not None else b"")
                sets.append(f"{b} = ?")
                params.append(sealer.seal_bytes(table, b, row_id, plain))
            for column, value in owner_set(sealer, table, full):
                sets.append(f"{column} = ?")
                params.append(value)
            db.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE id = ?",  # noqa: S608
                       [*params, row_id])
            n += 1
    return n


# The records a letter (its subject) or an attachment (its owner) can belong to: kind -> the
# table of its ids. When the seal key is replaced, a row moved in the file goes back to its
# record, or is deleted if that record is gone.
BOUND_OWNERS = {
    "letters": {"family": "families", "summons": "summonses", "volunteer": "volunteers",
                "subject_access": "subject_access_requests"},
    "attachments": {"family": "families", "referral": "families", "volunteer": "volunteers",
                    "summons": "summonses"},
}


# Tables whose rows belong to one kind of record, named by their one owner column: the table
# of its ids (a family's reviews, migration 0030).
OWNER_TABLES = {"family_reviews": "families"}


def _owner_candidates(db: Database, table: str) -> Iterator[dict[str, Any]]:
    if table in OWNER_TABLES:
        (id_col,) = SEALED_TABLES[table].owner
        yield {id_col: None}
        # Table names come from the fixed list above, never from the user.
        for (owner_id,) in db.query(f"SELECT id FROM {OWNER_TABLES[table]} ORDER BY id"):  # noqa: S608
            yield {id_col: owner_id}
        return
    kind_col, id_col = SEALED_TABLES[table].owner
    owners = BOUND_OWNERS.get(table, {})
    # Table and column names come from the fixed lists above, never from the user.
    kinds = [r[0] for r in db.query(f"SELECT DISTINCT {kind_col} FROM {table}")]  # noqa: S608
    for kind in dict.fromkeys([*owners, *kinds]):
        yield {kind_col: kind, id_col: None}
        if kind in owners:
            for (owner_id,) in db.query(f"SELECT id FROM {owners[kind]} ORDER BY id"):  # noqa: S608
                yield {kind_col: kind, id_col: owner_id}


def owner_exists(db: Database, table: str, values: Mapping[str, Any]) -> bool:
    if table in OWNER_TABLES:
        (owner_id,) = (values.get(c) for c in SEALED_TABLES[table].owner)
        # Table names come from the fixed list above, never from the user.
        return owner_id is None or db.scalar(
            f"SELECT 1 FROM {OWNER_TABLES[table]} WHERE id = ?", (owner_id,)) is not None  # noqa: S608
    kind, owner_id = (values.get(c) for c in SEALED_TABLES[table].owner)
    owners = BOUND_OWNERS.get(table, {})
    if kind not in owners or owner_id is None:
        return True
    # Table names come from the fixed list above, never from the user.
    return db.scalar(f"SELECT 1 FROM {owners[kind]} WHERE id = ?", (owner_id,)) is not None  # noqa: S608



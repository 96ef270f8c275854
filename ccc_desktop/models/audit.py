"""The hash-chained audit trail: who did what to which record, and a check that it is whole.

The chain's key lives in the database, so anyone who holds the database key (a Session
volunteer too) can re-chain it. Two things they cannot forge stand on it:

- The checkpoint: the head (count, last id, last hash) and the writers' heads below, under a
  key derived from the seal key. Manager sessions write it after each of their entries and
  check it (with the chain since) when they unlock. A trail rewritten or cut below it is
  reported.
- Writers' heads, for what Session volunteers write between two manager sessions: each
  volunteer account has a writer key (derived from the seal key by account id, so a manager
  derives every one; carried in the envelope of that account's key slot, so no other account
  holds it). After each entry its session writes, the account's head (newest entry id and hash)
  is stored under its writer key. The hash covers the whole chain before it, so an entry
  rewritten, re-chained or cut out anywhere before another account's newest entry changes or
  loses that head, and an entry in an account's name after its head was not written by it.
  The next manager unlock checks every head, the checkpoint's list of heads (a head deleted
  is a head missing) and the entries since the checkpoint.

What remains (DESIGN.md, security model): an account's own entries after everyone else's newest
can be rewritten or cut by that account's key (its app writes them with the same key), and a key
holder who kept an earlier copy of the file can put the trail and heads back as they were in
it, if no manager has unlocked since. From the files alone neither can be told from events.

The actor of an entry is the trail's own: the session's account, bound when the trail is made.
Callers never name it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace

from ccc_desktop.models import crypto
from ccc_desktop.models.clock import Clock
from ccc_desktop.models.errors import PermissionDenied, VaultCorrupt
from ccc_desktop.models.records import AuditEntry, AuditVerification
from ccc_desktop.models.roles import Actor, Permission
from ccc_desktop.models.storage.audit import AuditStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.meta import MetaStore

GENESIS = "0" * 64
SYSTEM = "system"
HEAD_PREFIX = "audit_writer_head:"  # + account id: "id:hash:mac" under the writer key


def writer_key(seal: bytes | bytearray, account_id: int) -> bytes:
    """A Session volunteer account's audit writer key: only a manager (from the seal key) and
    that account (from its slot's envelope) hold it."""
    return crypto.subkey(seal, f"audit-writer:{account_id}")


def head_value(key: bytes | bytearray, account_id: int, last_id: int, last_hash: str) -> bytes:
    mac = crypto.mac(key, "audit-writer-head", account_id, last_id, last_hash)
    return f"{last_id}:{last_hash}:{mac}".encode()


def _parse_head(raw: bytes) -> tuple[int, str, str] | None:
    try:
        last_id, last_hash, mac = raw.decode().split(":")
        return int(last_id), last_hash, mac
    except ValueError:
        return None


def entry_hash(key: bytes, e: AuditEntry, prev_hash: str) -> str:
    d = e.__dict__
    body = json.dumps(
        [d["id"], d["at"], d["account_id"], d["actor"], d["action"], d["record_type"],
         d["record_id"], d["detail"], prev_hash],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


REDACTED_PREFIX = "audit_redacted:"  # + entry id: MAC under the seal key of the entry as it now reads


def redaction_mac(seal: bytes | bytearray, e: AuditEntry) -> str:
    """Vouches for an entry whose actor was replaced (a disposed volunteer's name): everything
    it says now, with its unchanged hash and link, under the seal key."""
    return crypto.mac(seal, "audit-redaction", e.id, e.at, e.account_id, e.actor, e.action,
                      e.record_type, e.record_id, e.detail, e.prev_hash, e.hash)


SealKey = Callable[[], "bytes | bytearray | None"]
# The session's account id and its writer key (a Session volunteer's session), or None.
WriterKey = Callable[[], "tuple[int, bytes | bytearray] | None"]


class AuditTrail:
    """Append entries inside the caller's transaction; verify the chain on request."""

    def __init__(self, db: Database, clock: Clock, actor: Actor | None = None,
                 seal_key: SealKey | None = None, reader: Actor | None = None,
                 writer: WriterKey | None = None) -> None:
        self.db = db
        self.clock = clock
        # The account every entry is written as (None: the system, e.g. a tidy-up at unlock).
        self.actor = actor
        # The session's own account: reading the trail is checked against it, whatever actor a
        # caller passes. Trails the vault uses internally (set-up, unlock) have no reader.
        self.reader = reader
        # Manager sessions: gives the seal key, to keep the checkpoint up to date.
        self._seal_key = seal_key
        # Session volunteers' sessions: keeps the account's head under its writer key.
        self._writer = writer
        self.store = AuditStore(db)
        self.meta = MetaStore(db)
        self._folded: list[tuple[str, str, str]] | None = None
        self._fold_thread = 0
        # Inside one_checkpoint: whether an entry has been appended since it began.
        self._checkpoint_owed: bool | None = None
        self._owed_thread = 0

    @contextmanager
    def folded(self) -> Iterator[list[tuple[str, str, str]]]:
        """Inside one transaction that writes many records (an import): the services' own
        entries are gathered, not written, and the caller writes one entry that names the
        whole batch (the import keeps a list of every record it wrote)."""
        if self._folded is not None:
            raise RuntimeError("audit entries are already being folded")
        gathered: list[tuple[str, str, str]] = []
        self._folded = gathered
        # Only this thread's entries fold: the window's own thread keeps writing as usual.
        self._fold_thread = threading.get_ident()
        try:
            yield gathered
        finally:
            self._folded = None

    def _key(self) -> bytes:
        key = self.meta.get("audit_key")
        if key is None:
            raise RuntimeError("vault has no audit key")
        return key

    def record(self, action: str, record_type: str = "", record_id: object = "",
               detail: str = "") -> AuditEntry:
        actor = self.actor
        if self._folded is not None and threading.get_ident() == self._fold_thread:
            self._folded.append((action, record_type, "" if record_id is None else str(record_id)))
            return AuditEntry(id=0, at="", account_id=actor.account_id if actor else None,
                              actor=actor.username if actor else SYSTEM, action=action,
                              record_type=record_type, record_id=str(record_id), detail=detail,
                              prev_hash="", hash="")
        with self.db.transaction():
            last = self.store.head()
            prev = last[1] if last else GENESIS
            draft = AuditEntry(
                id=(last[0] + 1) if last else 1,
                at=self.clock.now().isoformat(timespec="seconds"),
                account_id=actor.account_id if actor else None,
                actor=actor.username if actor else SYSTEM,
                action=action,
                record_type=record_type,
                record_id="" if record_id is None else str(record_id),
                detail=detail,
                prev_hash=prev,
                hash="",
            )
            digest = entry_hash(self._key(), draft, prev)
            entry = replace(draft, hash=digest)
            self.store.insert(entry)
            self.meta.put("audit_head", f"{entry.id}:{digest}".encode())
            writer = self._writer() if self._writer else None
            if writer is not None:
                account_id, key = writer
                self.meta.put(HEAD_PREFIX + str(account_id),
                              head_value(key, account_id, entry.id, digest))
            if self._checkpoint_owed is not None and threading.get_ident() == self._owed_thread:
                self._checkpoint_owed = True  # written once, by one_checkpoint, at its end
                return entry
            seal = self._seal_key() if self._seal_key else None
            if seal is not None:
                self._write_checkpoint(seal)
            return entry

    @contextmanager
    def one_checkpoint(self) -> Iterator[None]:
        """One transaction that appends many entries (the benchmark's builder, a week of a
        centre at a time): the checkpoint is written once, after the last entry, instead of
        after each. It is the checkpoint the last entry would have written (it covers the
        newest entry and the writers' heads as they then stand), in the same transaction."""
        if self._checkpoint_owed is not None:
            raise RuntimeError("already inside one_checkpoint")
        with self.db.transaction():
            self._checkpoint_owed, self._owed_thread = False, threading.get_ident()
            try:
                yield
                owed = self._checkpoint_owed
            finally:
                self._checkpoint_owed = None
            seal = self._seal_key() if self._seal_key else None
            if owed and seal is not None:
                self._write_checkpoint(seal)

    # ---- the head, and the checkpoint a volunteer's key cannot forge ------------------------------
    def head_problem(self) -> str:
        """The cheap check every unlock makes before it appends: does the newest entry match the
        head marker? (Truncation followed by a new entry would otherwise hide itself.)"""
        self._require_reader(None)
        last = self.store.head()
        head = self.meta.get("audit_head")
        expected = f"{last[0]}:{last[1]}".encode() if last else None
        if head != expected:
            return "The newest entries of the audit trail have been removed."
        return ""

    # ---- writers' heads --------------------------------------------------------------------------
    def writer_heads(self, seal: bytes | bytearray) -> dict[int, tuple[int, str]]:
        """Every account's head that verifies under its writer key: account id -> (id, hash)."""
        self._require_reader(None)  # managers' sessions and the vault's own trails only
        heads = {}
        for name, raw in self.meta.with_prefix(HEAD_PREFIX).items():
            try:
                account_id = int(name[len(HEAD_PREFIX):])
            except ValueError:
                continue
            parsed = _parse_head(raw)
            if parsed is not None and crypto.mac_ok(writer_key(seal, account_id), parsed[2],
                                                    "audit-writer-head", account_id, *parsed[:2]):
                heads[account_id] = parsed[:2]
        return heads

    def start_writer(self, seal: bytes | bytearray, account_id: int) -> None:
        """A manager gives an account its first head (no entries yet), so the checkpoint lists
        it and a head deleted later is missed."""
        self._require_reader(None)  # managers' sessions and the vault's own trails only
        self.meta.put(HEAD_PREFIX + str(account_id),
                      head_value(writer_key(seal, account_id), account_id, 0, GENESIS))

    def drop_writer_heads_not(self, keep: set[int]) -> None:
        """After a manager unlock reported them: head rows that name no account in ``keep``."""
        self._require_reader(None)  # managers' sessions and the vault's own trails only
        for name in self.meta.with_prefix(HEAD_PREFIX):
            tail = name[len(HEAD_PREFIX):]
            if not tail.isdigit() or int(tail) not in keep:
                self.meta.delete(name)

    def resign_writers(self, old_seal: bytes | bytearray, new_seal: bytes | bytearray) -> None:
        """The seal key replaced (models/revocation.py): each head that verifies is signed again
        under the account's new writer key; one that does not is dropped (the unlock before
        reported it)."""
        self._require_reader(None)  # managers' sessions and the vault's own trails only
        heads = self.writer_heads(old_seal)
        for name in self.meta.with_prefix(HEAD_PREFIX):
            self.meta.delete(name)
        for account_id, (last_id, last_hash) in heads.items():
            self.meta.put(HEAD_PREFIX + str(account_id), head_value(
                writer_key(new_seal, account_id), account_id, last_id, last_hash))

    # ---- a disposed volunteer's name as the actor of their entries ----------------------------
    def _redactions(self) -> dict[int, str]:
        out = {}
        for name, raw in self.meta.with_prefix(REDACTED_PREFIX).items():
            tail = name[len(REDACTED_PREFIX):]
            if tail.isdigit():
                out[int(tail)] = raw.decode(errors="replace")
        return out

    def _entry_ok(self, key: bytes, e: AuditEntry, prev: str, redactions: dict[int, str],
                  seal: bytes | bytearray | None) -> bool:
        if entry_hash(key, e, prev) == e.hash:
            return True
        mac = redactions.get(e.id)
        return mac is not None and seal is not None and crypto.mac_ok(
            seal, mac, "audit-redaction", e.id, e.at, e.account_id, e.actor, e.action,
            e.record_type, e.record_id, e.detail, e.prev_hash, e.hash)

    def redact_actor(self, account_id: int, actor: str) -> int:
        """Disposal of a volunteer: their entries name them as the actor; the name is replaced
        (``actor``, e.g. "Former volunteer #12"). The chain cannot be recomputed without the old
        name, and re-chaining would hide tampering, so each entry keeps its hash and link, and a
        MAC under the seal key (``redaction_mac``) vouches for it as it now reads; Verify
        accepts an entry whose own hash or redaction MAC holds. Every entry is checked before
        it is changed: one that does not verify is not vouched for. Needs the seal key (a
        Coordinator's or Chair's session); inside the caller's transaction. Returns how many
        entries were changed."""
        self._require_reader(None)
        seal = self._seal_key() if self._seal_key else None
        if seal is None:
            raise PermissionDenied("replace a name in the audit trail",
                                   "Session volunteer: only a Coordinator or Chair can")
        key = self._key()
        redactions = self._redactions()
        entries = [e for e in self.store.by_account(account_id) if e.actor != actor]
        for e in entries:
            if not self._entry_ok(key, e, e.prev_hash, redactions, seal):
                raise VaultCorrupt(f"Audit entry {e.id} does not verify, so the name in it was not "
                                   "replaced: check the trail (Settings > Audit trail > Verify).")
        if not entries:
            return 0
        self.store.set_actor([e.id for e in entries], actor)
        for e in entries:
            self.meta.put(REDACTED_PREFIX + str(e.id), redaction_mac(seal, replace(e, actor=actor)).encode())
        return len(entries)

    def resign_redactions(self, old_seal: bytes | bytearray, new_seal: bytes | bytearray) -> None:
        """The seal key replaced: each redaction MAC that holds is made again under the new key
        (one that does not is dropped: Verify then reports that entry)."""
        self._require_reader(None)  # managers' sessions and the vault's own trails only
        for entry_id, mac in self._redactions().items():
            e = self.store.get(entry_id)
            name = REDACTED_PREFIX + str(entry_id)
            if e is not None and crypto.mac_ok(old_seal, mac, "audit-redaction", e.id, e.at,
                                               e.account_id, e.actor, e.action, e.record_type,
                                               e.record_id, e.detail, e.prev_hash, e.hash):
                self.meta.put(name, redaction_mac(new_seal, e).encode())
            else:
                self.meta.delete(name)

    @staticmethod
    def _heads_text(heads: dict[int, tuple[int, str]]) -> str:
        return ",".join(f"{a}={i}" for a, (i, _) in sorted(heads.items()))

    # ---- the checkpoint a volunteer's key cannot forge -----------------------------------------------
    def _write_checkpoint(self, seal: bytes | bytearray) -> None:
        last = self.store.head()
        if last is None:
            return
        last_id, last_hash = last
        # Entries are numbered 1, 2, 3 … as they are appended, so the newest id is the count:
        # no count(*) over the whole trail after every entry (half a million rows at 20,000
        # families).
        count = last_id
        heads = self._heads_text(self.writer_heads(seal))
        mac = crypto.mac(seal, "audit-checkpoint", count, last_id, last_hash, heads)
        self.meta.put("audit_checkpoint", f"{count}:{last_id}:{last_hash}:{heads}:{mac}".encode())

    def _checkpoint(self, seal: bytes | bytearray | None
                    ) -> tuple[int, int, str, dict[int, int], bool] | None:
        """(count, last id, last hash, writers' head ids, MAC ok) of the stored checkpoint."""
        raw = self.meta.get("audit_checkpoint")
        if raw is None:
            return None
        parts = raw.decode(errors="replace").split(":")
        try:
            if len(parts) == 4:  # written before writers' heads existed
                count_s, last_id_s, last_hash, mac = parts
                heads_s, mac_parts = "", [int(count_s), int(last_id_s), last_hash]
            else:
                count_s, last_id_s, last_hash, heads_s, mac = parts
                mac_parts = [int(count_s), int(last_id_s), last_hash, heads_s]
            heads = {int(a): int(i) for a, i in (h.split("=") for h in heads_s.split(",") if h)}
        except ValueError:
            return (0, 0, "", {}, False)
        ok = seal is not None and crypto.mac_ok(seal, mac, "audit-checkpoint", *mac_parts)
        return (int(count_s), int(last_id_s), last_hash, heads, ok)

    def checkpoint_head(self) -> tuple[int, str] | None:
        """(last id, last hash) of the last checkpoint; check it with checkpoint_problem first."""
        self._require_reader(None)
        cp = self._checkpoint(None)
        return (cp[1], cp[2]) if cp is not None and cp[2] else None

    def checkpoint_problem(self, seal: bytes | bytearray) -> str:
        """Against the last checkpoint a manager session wrote: is every entry it covered still
        there, unchanged? Empty when it holds (or when none has been written yet)."""
        self._require_reader(None)
        cp = self._checkpoint(seal)
        if cp is None:
            return ""
        _, last_id, last_hash, _, ok = cp
        if not ok:
            return "The audit trail's checkpoint has been altered."
        # One row read, whatever the trail's length: the newest checkpointed entry must still be
        # there with the same hash (a cut tail loses it; a re-chained trail changes it). An entry
        # removed from the middle without re-chaining breaks the chain, which Verify finds.
        entry = self.store.get(last_id)
        if entry is None:
            return ("Entries of the audit trail that a Coordinator or Chair session had already "
                    "checked have been removed.")
        if entry.hash != last_hash:
            return ("The audit trail has been rewritten since a Coordinator or Chair session "
                    "last checked it.")
        return ""

    def writers_problems(self, seal: bytes | bytearray, names: dict[int, str],
                         managers: set[int]) -> list[str]:
        """What Session volunteers' sessions wrote since the last checkpoint, against their
        heads (call after checkpoint_problem found nothing, before appending anything: a
        manager's entry moves the checkpoint). ``names``: account id -> name; ``managers``:
        the Coordinator and Chair accounts, whose entries are always checkpointed."""
        self._require_reader(None)

        def who(account_id: int) -> str:
            return names.get(account_id, f"account {account_id}")

        problems: list[str] = []
        cp = self._checkpoint(seal)
        since_id = cp[1] if cp is not None else 0
        listed = cp[3] if cp is not None else {}
        heads = self.writer_heads(seal)
        for name in self.meta.with_prefix(HEAD_PREFIX):
            account_id = int(name[len(HEAD_PREFIX):]) if name[len(HEAD_PREFIX):].isdigit() else -1
            if account_id not in heads:
                problems.append(f"The record of the newest audit entries written by {who(account_id)} "
                                "was changed outside CCC Desktop.")
        for account_id, (last_id, last_hash) in sorted(heads.items()):
            if last_id == 0:
                continue
            entry = self.store.get(last_id)
            if entry is None:
                problems.append(f"Audit entries written by {who(account_id)} since a Coordinator or "
                                "Chair last checked have been removed.")
            elif entry.hash != last_hash:
                problems.append(f"Audit entries up to those written by {who(account_id)} have been "
                                "rewritten since a Coordinator or Chair last checked.")
        for account_id, last_id in sorted(listed.items()):
            if account_id not in heads or heads[account_id][0] < last_id:
                problems.append(f"The record of the newest audit entries written by {who(account_id)} "
                                "has been removed or put back to an older one.")
        if cp is None:
            return list(dict.fromkeys(problems))  # nothing checkpointed yet (an upgrade)
        # Accounts whose sessions sign: those with a head (or listed with one), and managers
        # (every entry of theirs moves the checkpoint, so none is ever after it).
        signing = set(listed) | managers | {
            int(n[len(HEAD_PREFIX):]) for n in self.meta.with_prefix(HEAD_PREFIX)
            if n[len(HEAD_PREFIX):].isdigit()}
        forged: set[int] = set()
        for e in self.store.iter_all(after=since_id):
            if e.account_id is None or e.account_id in forged or e.account_id not in signing:
                continue
            head = heads.get(e.account_id)
            if head is None or e.id > head[0]:
                forged.add(e.account_id)
                problems.append(f"Audit entries in the name of {who(e.account_id)} since a "
                                "Coordinator or Chair last checked were not written by that "
                                "account.")
        return list(dict.fromkeys(problems))

    def verify(self, actor: Actor | None = None,
               progress: Callable[[int, int], None] | None = None,
               since: tuple[int, str] | None = None) -> AuditVerification:
        """The whole chain, or (``since``: an entry's id and hash, e.g. the checkpoint's) only
        what was appended after that entry."""
        self._require_reader(actor)
        key = self._key()
        redactions = self._redactions()
        seal = self._seal_key() if self._seal_key and redactions else None
        total = self.store.count() if progress else 0  # a count reads the whole trail
        last_id, prev = since if since is not None else (0, GENESIS)
        checked = 0
        for e in self.store.iter_all(after=last_id):
            checked += 1
            if e.id <= last_id:
                return AuditVerification(False, checked, f"Entry {e.id} is out of order.", e.id)
            if e.prev_hash != prev:
                return AuditVerification(
                    False, checked,
                    f"Entry {e.id} does not follow the one before it: an entry was removed or "
                    "moved.", e.id)
            if not self._entry_ok(key, e, prev, redactions, seal):
                return AuditVerification(False, checked, f"Entry {e.id} has been altered.", e.id)
            prev, last_id = e.hash, e.id
            if progress and checked % 500 == 0:
                progress(checked, total)
        head = self.meta.get("audit_head")
        expected = f"{last_id}:{prev}".encode() if last_id else None
        if head != expected:
            return AuditVerification(
                False, checked, "The newest entries of the audit trail have been removed.", None)
        return AuditVerification(True, checked)

    def _require_reader(self, actor: Actor | None) -> None:
        for who in (self.reader, actor):
            if who is not None:
                who.require(Permission.VIEW_AUDIT)

    def entries(self, actor: Actor | None = None, search: str = "", limit: int = 500) -> list[AuditEntry]:
        self._require_reader(actor)
        return self.store.page(search, limit)

    def for_record(self, actor: Actor | None, record_type: str, record_id: object) -> list[AuditEntry]:
        self._require_reader(actor)
        return self.store.for_record(record_type, str(record_id))

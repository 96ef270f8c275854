"""What an unlock checks before it trusts the records: the account's role against its key
slot, the audit trail, the account rows and the key file (a manager's unlock), the failed
attempts since the last unlock, and what a crash can leave in the key file. The unlock itself
is in vault.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ccc_desktop.models.account_seal import ALTERED, account_ok, sign_accounts
from ccc_desktop.models.audit import AuditTrail, writer_key
from ccc_desktop.models.clock import Clock
from ccc_desktop.models.errors import AccountAltered, StorageError
from ccc_desktop.models.keyslots import PASSPHRASE, SlotFile, UnwrappedKeys
from ccc_desktop.models.records import Account
from ccc_desktop.models.roles import Role
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.meta import MetaStore


def check_role(account: Account, keys: UnwrappedKeys) -> None:
    """What the slot was issued as must be what the row says: a role written into the file
    by hand is refused here (the slot's envelope is sealed to its own key pair)."""
    if keys.role is not None:
        same = keys.role == account.role.value
    else:  # a format-1 slot: it carries the seal key exactly when it was a manager's
        same = account.role.holds_seal_key == (keys.seal_key is not None)
    if not same or (account.role.holds_seal_key and keys.seal_key is None):
        raise AccountAltered(
            "This account's role was changed outside CCC Desktop, so it cannot be opened. "
            "Ask the Coordinator or Chair to check the account.")


def before_append(db: Database, slots: SlotFile, clock: Clock) -> list[str]:
    """What any unlock can check before it writes a thing: the trail's head, and whether the
    key file is older than the one these records last saw (copied back over it)."""
    warnings = []
    problem = AuditTrail(db, clock).head_problem()
    if problem:
        warnings.append(problem)
    seen = MetaStore(db).get("keyfile_generation")
    if seen is not None and slots.generation < int(seen.decode() or 0):
        warnings.append(
            "The key file (centre.keys) is older than the one these records last used: it "
            "was replaced by an earlier copy, so failed passphrase attempts since then may "
            "not have been counted.")
    return warnings


def trail_checks(db: Database, seal: bytearray, clock: Clock) -> list[str]:
    """A manager's unlock, before it appends anything (each entry of a manager session
    moves the checkpoint forward): the checkpoint, the chain since it, and what Session
    volunteers' sessions wrote since, against their writers' heads (models/audit.py).
    Settings > Audit trail > Verify checks every entry's own hash from the first."""
    trail = AuditTrail(db, clock, seal_key=lambda: seal)  # (vouched-for entries, read only)
    problem = trail.checkpoint_problem(seal)
    if problem:
        return [problem]
    problems = []
    since = trail.checkpoint_head()
    if since is not None:
        result = trail.verify(since=since)
        if not result.ok:
            problems.append("The audit trail does not verify: " + result.problem)
    accounts = AccountStore(db).all()
    problems += trail.writers_problems(
        seal, {a.id: a.username for a in accounts},
        {a.id for a in accounts if a.role.holds_seal_key})
    return problems


def manager_checks(db: Database, slots: SlotFile, keys: UnwrappedKeys,
                   account: Account, trail: AuditTrail) -> list[str]:
    """With the seal key: authenticate (first time after an upgrade) or check every account
    row, the key file and the audit trail's checkpoint. Returns what to tell the user."""
    seal, db_key = keys.seal_key, keys.db_key
    assert seal is not None
    meta = MetaStore(db)
    store = AccountStore(db)
    warnings: list[str] = []
    if meta.get("accounts_sealed") is None:
        # First manager unlock after the upgrade: trust the rows as they stand, except a
        # manager's role on a format-1 slot that is too short to carry the seal key.
        lengths = {s.id: len(s.wrapped) for s in slots.slots if s.legacy}
        short = min(lengths.values(), default=0)
        for a in store.all():
            if a.role.holds_seal_key and a.slot_id in lengths and lengths[a.slot_id] == short \
                    and short < max(lengths.values()):
                store.update(a.id, enabled=0, slot_id=None, role=Role.VOLUNTEER)
                slots.remove(a.slot_id or "")
                trail.record("account disabled: its role had been changed outside the app",
                             "account", a.id)
                warnings.append(ALTERED.format(name=a.username))
        sign_accounts(db, seal, db_key)
        meta.put("accounts_sealed", b"1")
        trail.record("account records authenticated")
    if not account_ok(seal, db_key, store.get(account.id) or account):
        raise AccountAltered(ALTERED.format(name=account.username))
    for a in store.all():
        if not account_ok(seal, db_key, a):
            trail.record("account record altered outside the app", "account", a.id)
            warnings.append(ALTERED.format(name=a.username))
    first_time = not slots.header_mac
    if first_time:  # the first manager unlock after the upgrade: the format-1 slots (and
        # those their own accounts rewrote since) may each come back once in format 2
        slots.pending = [s.id for s in slots.slots if s.legacy or not s.mac]
    header_ok = first_time or slots.header_ok(seal)
    if not header_ok:
        trail.record("key file altered outside the app")
        warnings.append(
            "The key file (centre.keys) was changed outside CCC Desktop: its list of key "
            "slots or its settings do not match their seal. Accounts cannot be added or reset "
            "until it is replaced: disable an account (that writes a new one) or restore it "
            "from a backup.")
    upgraded = []
    for slot in slots.slots:
        if slot.legacy or slots.slot_ok(seal, slot):
            continue
        if not slot.mac and slot.id in slots.pending:
            # Rewritten in format 2 by its own account's unlock: authenticate it now.
            trail.record("key slot upgraded", detail=slot.id)
            upgraded.append(slot.id)
        else:
            trail.record("key slot altered outside the app", detail=slot.id)
            warnings.append("A key slot in centre.keys was changed outside CCC Desktop; it "
                            "will not be given new keys.")
    issued = issue_writer_keys(db, slots, keys, trail) if header_ok else False
    # The accounts removed for good, from their signed rows, into the key file's authenticated
    # header: a restore from the locked screen reads them there when these records cannot be
    # opened (a key file from before the list, or one a removal could not update, catches up).
    removed = removed_accounts(db, seal, db_key)
    listed = header_ok and removed != sorted(slots.removed)
    if listed:
        slots.removed = removed
    if header_ok and (upgraded or first_time or issued or listed or slots.loaded_format != 2):
        slots.sign(seal, upgraded)
        slots.save()
    return warnings


def removed_accounts(db: Database, seal: bytes | bytearray, db_key: bytes | bytearray) -> list[int]:
    """The ids of the accounts removed for good whose rows verify (never one written in)."""
    return sorted(a.id for a in AccountStore(db).all()
                  if a.removed_at and account_ok(seal, db_key, a))


def issue_writer_keys(db: Database, slots: SlotFile, keys: UnwrappedKeys,
                      trail: AuditTrail) -> bool:
    """Every enabled Session volunteer account whose head is missing or did not verify (new
    since the upgrade, or reported just now) gets a writer key in its slot's envelope and a
    first head; head rows of no such account go. True when the key file must be saved."""
    seal = keys.seal_key
    assert seal is not None
    heads = trail.writer_heads(seal)
    keep = set(heads)
    changed = False
    for a in AccountStore(db).all():
        slot = slots.get(a.slot_id or "")
        if a.role.holds_seal_key or not a.enabled or slot is None or slot.legacy \
                or not slots.slot_ok(seal, slot) or not account_ok(seal, keys.db_key, a):
            continue
        keep.add(a.id)
        if a.id in heads:
            continue
        slots.readdress(slot, a.role.value, keys.db_key, None, writer_key(seal, a.id))
        trail.start_writer(seal, a.id)
        changed = True
    trail.drop_writer_heads_not(keep)
    return changed


def tidy_key_slots(db: Database, slots: SlotFile, trail: AuditTrail, keys: UnwrappedKeys,
                   key_file: Path) -> None:
    """Undo what a crash between writing the key file and committing can leave behind.

    Account changes save the key file just before their commit, so a crash in between can
    leave a passphrase slot that no account uses (an account being added or re-enabled),
    and a crash while saving can leave a temporary copy of the key file. Either keeps a
    passphrase able to unwrap the keys, so both go at the next unlock. Accounts and slots
    are only changed by a session holding the seal key (it re-signs what it changes).
    """
    for stray in key_file.parent.glob(f".{key_file.name}.*.tmp"):
        try:
            stray.unlink()
        except OSError:
            pass
    seal = keys.seal_key
    if seal is None:
        return
    accounts = AccountStore(db)
    # A crash inside "disable" after the key file was saved leaves the account enabled with
    # no slot: it cannot unlock anyway, so say so rather than show it as enabled.
    present = {s.id for s in slots.slots}
    for a in accounts.all():
        if a.enabled and a.slot_id and a.slot_id not in present:
            if account_ok(seal, keys.db_key, a):
                accounts.update(a.id, enabled=0, slot_id=None)
            else:  # never sign a role written in by hand
                accounts.update(a.id, enabled=0, slot_id=None, role=Role.VOLUNTEER)
            sign_accounts(db, seal, keys.db_key, [a.id])
            trail.record("account disabled: its key slot was missing", "account", a.id)
    used = {a.slot_id for a in accounts.all() if a.slot_id}
    unused = [s.id for s in slots.slots if s.kind == PASSPHRASE and s.id not in used]
    if not unused:
        return
    header_was_ok = slots.header_ok(seal)
    for slot_id in unused:
        slots.remove(slot_id)
    if header_was_ok:  # removing slots only takes access away: the header may be re-signed
        slots.sign(seal, [])
    try:
        slots.save()
    except StorageError:
        return  # a read-only folder must not stop the unlock; tried again next time
    trail.record("unused key slots removed", detail=f"{len(unused)} removed")


def audit_failures(trail: AuditTrail, slots: SlotFile) -> list[str]:
    """The failed attempts since the last unlock, audited; and, when some were missing from
    the key file (it was put back after them, which also lifted the delay), a warning."""
    missing = slots.missing_failures
    failures = slots.take_failures()
    if failures:
        times = ", ".join(datetime.fromtimestamp(t).strftime("%d/%m/%Y %H:%M:%S") for t in failures)
        trail.record("failed unlock attempts", detail=f"{len(failures)} wrong: {times}")
    if not missing:
        return []
    trail.record("key file put back after failed unlock attempts",
                 detail=f"{missing} failed attempts were missing from it")
    return [f"The key file (centre.keys) was replaced by an earlier copy after {missing} "
            "failed passphrase attempts: that removed them from it and lifted the waiting "
            "time between attempts. They are in the audit trail."]

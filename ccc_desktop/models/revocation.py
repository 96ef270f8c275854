"""Revocation: disabling an account replaces the database key; a manager leaving replaces the
seal key too, and every sealed value is sealed again.

Each key slot has its own key pair (models/keyslots.py), so a new envelope is written to every
remaining slot without anyone's passphrase. The order is crash-safe:

1. the whole database is exported, under the new key, into ``centre.cccdb.next``; the accounts
   are disabled, sealed values resealed, account seals and the audit checkpoint rewritten there;
2. the new key file is written as ``centre.keys.next``;
3. ``centre.cccdb.next`` is renamed over ``centre.cccdb`` (the commit point), then
   ``centre.keys.next`` over ``centre.keys``.

A crash before 3 leaves both ``.next`` files: the next start drops them and the old pair is
whole. A crash between the two renames leaves only ``centre.keys.next``: the next start renames
it in (Vault.finish_interrupted_rekey). Old passphrases with old key files open nothing live
afterwards; copies made before (backups, ``backups/``) still open with them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ccc_desktop.models import crypto
from ccc_desktop.models.account_seal import account_ok, sign_accounts
from ccc_desktop.models.audit import AuditTrail, writer_key
from ccc_desktop.models.errors import StorageError, ValidationError
from ccc_desktop.models.fileio import ProgressFn, fsync_dir
from ccc_desktop.models.keyslots import RECOVERY, SlotFile, UnwrappedKeys
from ccc_desktop.models.records import Account
from ccc_desktop.models.roles import Permission, Role
from ccc_desktop.models.sealed import Sealer
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.meta import MetaStore
from ccc_desktop.models.storage.reseal import reseal_all
from ccc_desktop.models.unlock_checks import removed_accounts

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

BACKUPS_WARNING = (
    "Copies made before this change (backups on sticks, and the copies CCC Desktop keeps in its "
    "backups folder) still open with the old passphrases, including the one just revoked. Make "
    "a fresh backup now and delete the old ones.")


@dataclass
class RekeyResult:
    revoked: list[str]  # account names whose access was revoked
    seal_replaced: bool
    resealed: int  # sealed values sealed again under the new seal key
    needs_reset: list[str] = field(default_factory=list)  # slots that could not be carried
    new_recovery_key: str | None = None  # when the old recovery slot could not be carried
    at: str = ""  # when (ISO): copies made before still open with the old passphrases
    seconds: float = 0.0

    @property
    def message(self) -> str:
        lines = []
        if self.revoked:
            lines.append(f"Access removed for {', '.join(self.revoked)}: the records now have a "
                         "new key" + (" and a new seal key" if self.seal_replaced else "") + ".")
        if self.needs_reset:
            lines.append("These accounts had not logged in since the upgrade, so their keys could "
                         f"not be carried over; give them a new passphrase: {', '.join(self.needs_reset)}.")
        lines.append(BACKUPS_WARNING)
        return "\n\n".join(lines)


def _scaled(progress: ProgressFn | None, start: int, span: int) -> ProgressFn | None:
    if progress is None:
        return None
    return lambda done, total: progress(start + span * done // max(1, total), 100)


def rekey(session: Session, revoke_ids: list[int], replace_seal: bool, action: str,
          progress: ProgressFn | None = None, remove: bool = False,
          remove_ids: Collection[int] = ()) -> RekeyResult:
    """Replace the database key (and the seal key if asked), disabling the named accounts
    (``remove``: and marking them removed, in the same new file; ``remove_ids``: only those of
    them, as a restore does for the accounts the live records had removed).

    Only slots whose account row and slot authentication verify are carried over; anything
    else is dropped and its account disabled (and said so in the result and the trail).
    """
    from ccc_desktop.models.vault import new_slot_id

    started = time.monotonic()
    actor = session.actor
    actor.require(Permission.MANAGE_ACCOUNTS)
    vault, paths, db = session.vault, session.vault.paths, session.db
    own = session._require_keys()
    if own.private is None:
        raise ValidationError("Lock the records and unlock them again first (your key slot is "
                              "still in the old format).")
    old_db_key = bytearray(session.db_key)
    old_seal = bytearray(session.seal_key)
    new_db_key = crypto.new_key()
    new_seal = crypto.new_key() if replace_seal else bytearray(old_seal)
    slots = SlotFile.load(paths.keys)
    store = AccountStore(db)
    try:
        # ---- plan: who keeps a slot, with what -------------------------------------------------
        carried: list[tuple[str, str, int]] = []  # (slot id, role, account id or 0)
        revoked: list[Account] = []
        needs_reset: list[Account] = []
        dropped: list[Account] = []
        for a in store.all():
            if not a.enabled or not a.slot_id:
                continue
            slot = slots.get(a.slot_id)
            if a.id in revoke_ids:
                revoked.append(a)
            elif slot is None or slot.legacy or not slots.slot_ok(old_seal, slot) \
                    or not account_ok(old_seal, old_db_key, a):
                (needs_reset if slot is not None and slot.legacy else dropped).append(a)
            else:
                carried.append((a.slot_id, a.role.value, a.id))
        if actor.account_id in {a.id for a in revoked + needs_reset + dropped}:
            raise ValidationError("You cannot revoke the account you are using.")
        recovery = [s for s in slots.slots if s.kind == RECOVERY and not s.legacy
                    and slots.slot_ok(old_seal, s)]
        carried += [(s.id, RECOVERY, 0) for s in recovery[:1]]
        new_recovery_key = None if recovery else crypto.new_recovery_key()
        disabled = revoked + needs_reset + dropped
        now = vault.clock.now().isoformat(timespec="seconds")
        if progress:
            progress(2, 100)

        with db.paused():
            for stale in (paths.db_next, paths.keys_next):
                stale.unlink(missing_ok=True)
            db.export_to(paths.db_next, new_db_key)
            if progress:
                progress(40, 100)
            new_slots = SlotFile(path=paths.keys, kdf=slots.kdf, salt=slots.salt,
                                 generation=slots.generation, epoch=slots.epoch + 1,
                                 revoked=[*slots.revoked, *(a.id for a in disabled)],
                                 revoked_at=now, removed=sorted(
                                     set(removed_accounts(db, old_seal, old_db_key))
                                     | {a.id for a in revoked if remove or a.id in remove_ids}))
            for slot_id, role, account_id in carried:
                slot = slots.get(slot_id)
                assert slot is not None
                holds_seal = role == RECOVERY or role in ("coordinator", "chair")
                new_slots.slots.append(slot)
                # A Session volunteer's envelope carries its audit writer key (models/audit.py).
                new_slots.readdress(slot, role, new_db_key, new_seal if holds_seal else None,
                                    None if holds_seal else writer_key(new_seal, account_id))
            if new_recovery_key is not None:
                new_slots.put_recovery_slot(new_slot_id(), new_recovery_key, new_db_key, new_seal)
            new_slots.sign(new_seal)

            fresh = Database(paths.db_next, new_db_key)
            try:
                resealed = 0
                moved: dict[str, int] = {}
                with fresh.transaction():
                    accounts = AccountStore(fresh)
                    for a in disabled:
                        accounts.update(a.id, enabled=0, slot_id=None)
                    for a in [a for a in revoked if remove or a.id in remove_ids]:
                        accounts.update(a.id, removed_at=now)
                    # A row that did not verify (its role written in by hand) is signed again
                    # below only as a disabled Session volunteer: re-enabling it later can never
                    # hand it the seal key.
                    for a in store.all():
                        if not account_ok(old_seal, old_db_key, a):
                            accounts.update(a.id, enabled=0, slot_id=None, role=Role.VOLUNTEER)
                    if replace_seal:
                        resealed = reseal_all(fresh, old_seal, new_seal, _scaled(progress, 40, 45),
                                              moved)
                        AuditTrail(fresh, vault.clock).resign_writers(old_seal, new_seal)
                        fresh.sealer = Sealer(new_seal)  # the entries read as vouched for
                        try:
                            AuditTrail(fresh, vault.clock).resign_redactions(old_seal, new_seal)
                        finally:
                            fresh.sealer = None
                    sign_accounts(fresh, new_seal, new_db_key)
                    MetaStore(fresh).put("keyfile_generation", str(new_slots.generation + 1).encode())
                    MetaStore(fresh).put("last_revocation", now.encode())
                    trail = AuditTrail(fresh, vault.clock, actor, seal_key=lambda: new_seal)
                    trail.record("records rekeyed", detail=(
                        f"new database key{' and seal key' if replace_seal else ''}; "
                        f"{len(carried)} key slots carried over; {resealed} sealed values resealed"
                        + (f"; letters or documents moved to another record outside CCC Desktop: "
                           f"{moved.get('put back', 0)} put back with their own record, "
                           f"{moved.get('deleted', 0)} deleted (their record is gone)"
                           if moved else "")))
                    for a in needs_reset:
                        trail.record("account disabled: its key slot could not be carried over "
                                     "(not opened since the upgrade)", "account", a.id)
                    for a in dropped:
                        trail.record("account disabled: its record or key slot did not verify",
                                     "account", a.id)
                    if new_recovery_key is not None:
                        trail.record("recovery key replaced: the old one could not be carried over")
                    for a in revoked:
                        trail.record(action, "account", a.id)
            finally:
                fresh.close()
            if progress:
                progress(90, 100)
            new_slots.save(paths.keys_next)
            # The commit point: the new database goes in, then its key file.
            try:
                os.replace(paths.db_next, paths.db)
                fsync_dir(paths.data_dir)
                os.replace(paths.keys_next, paths.keys)
                fsync_dir(paths.data_dir)
            except OSError as exc:
                raise StorageError("The new key could not be put in place; nothing was changed. "
                                   "Try again.") from exc
            db.reopen(new_db_key)
        own_slot = new_slots.get(own.slot_id)
        assert own_slot is not None and own.private is not None
        keys: UnwrappedKeys = new_slots.open_envelope(own_slot, bytearray(own.private))
        session.replace_keys(keys, new_slots)
    except BaseException:
        if paths.db_next.exists():
            # Before the commit point the old pair is whole: drop the half-made one.
            paths.db_next.unlink()
            paths.keys_next.unlink(missing_ok=True)
        elif paths.keys_next.exists():
            # The new database is in but its key file could not follow: the next start finishes
            # it (Vault.finish_interrupted_rekey). This session's keys are the old ones: lock.
            session.lock("locked: the rekey must be finished by unlocking again")
        raise
    finally:
        for k in (old_db_key, old_seal, new_db_key, new_seal):
            crypto.wipe(k)
    if progress:
        progress(100, 100)
    return RekeyResult(
        revoked=[a.username for a in revoked], seal_replaced=replace_seal, resealed=resealed,
        needs_reset=[a.username for a in needs_reset + dropped], new_recovery_key=new_recovery_key,
        at=now, seconds=time.monotonic() - started)

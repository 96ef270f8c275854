"""Staff accounts: add, disable, remove, re-enable, reset, change one's own passphrase.

Every change a manager makes to an account first checks the account's row against its seal
(models/account_seal.py) and the key file against its own, so a role written into the file by
hand is refused here, never handed the seal key. Disabling an account revokes it: the database
key is replaced (and the seal key, for a Coordinator or Chair), models/revocation.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccc_desktop.models.account_seal import ALTERED, account_ok, sign_accounts
from ccc_desktop.models.audit import writer_key
from ccc_desktop.models.errors import NotFound, ValidationError, VaultCorrupt, WrongPassphrase
from ccc_desktop.models.fileio import ProgressFn
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.records import Account, DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission, Role
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.unlock_checks import removed_accounts
from ccc_desktop.models.validation import check_display_name, check_new_passphrase, check_username
from ccc_desktop.models.vault import new_slot_id

if TYPE_CHECKING:
    from ccc_desktop.models.revocation import RekeyResult
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

MANAGERS = (Role.COORDINATOR, Role.CHAIR)


def _revoked(how: str, sealed: bool) -> str:
    """The audit entry of a disabling or a removal; a row whose seal did not verify says so."""
    return f"account {how}" + ("" if sealed else " (its record had been altered)")


class AccountService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.store = AccountStore(session.db)

    def _slots(self) -> SlotFile:
        # Re-read: another change may have been written since unlock. A manager only writes a
        # key file whose authentication holds (its list of slots was not changed by hand).
        slots = SlotFile.load(self.session.vault.paths.keys)
        if self.session.has_seal_key and slots.header_mac and not slots.header_ok(self.session.seal_key):
            raise VaultCorrupt(
                "The key file (centre.keys) was changed outside CCC Desktop, so no account can be "
                "changed. Restore it from a backup, or disable the accounts it does not match.")
        self.session.slots = slots
        return slots

    def _check_sealed(self, account: Account) -> None:
        """Refuse to act on a row whose role or state was written into the file by hand."""
        s = self.session
        if not account_ok(s.seal_key, s.db_key, account):
            raise VaultCorrupt(ALTERED.format(name=account.username))

    def _seal_row(self, account_id: int) -> None:
        sign_accounts(self.session.db, self.session.seal_key, self.session.db_key, [account_id])

    def _save(self, slots: SlotFile, written: list[str] | None = None) -> None:
        from ccc_desktop.models.storage.meta import MetaStore

        if self.session.has_seal_key and self.session.actor.role.holds_seal_key:
            slots.sign(self.session.seal_key, written or [])
        slots.save()
        MetaStore(self.session.db).put("keyfile_generation", str(slots.generation).encode())

    def _get(self, account_id: int) -> Account:
        account = self.store.get(account_id)
        if account is None:
            raise NotFound("That account no longer exists.")
        return account

    def _write_slot(self, slots: SlotFile, slot_id: str, account_id: int, username: str,
                    role: Role, passphrase: str) -> None:
        seal = self.session.seal_key if role.holds_seal_key else None
        writer: bytes | bytearray | None = None
        if seal is None:  # a Session volunteer's slot carries its account's audit writer key
            if self.session.has_seal_key and self.session.actor.role.holds_seal_key:
                writer = writer_key(self.session.seal_key, account_id)
            elif account_id == self.session.actor.account_id:
                writer = self.session._require_keys().writer
        slots.put_passphrase_slot(slot_id, username, passphrase, self.session.db_key, seal,
                                  role.value, writer)
        if writer is not None and self.session.actor.role.holds_seal_key \
                and account_id not in self.session.audit.writer_heads(self.session.seal_key):
            self.session.audit.start_writer(self.session.seal_key, account_id)

    def list(self) -> list[Account]:
        """Every account but the removed ones."""
        self.session.actor.require(Permission.MANAGE_ACCOUNTS)
        return [a for a in self.store.all() if not a.removed_at]

    def me(self) -> Account:
        return self._get(self.session.actor.account_id)

    def add(self, username: str, display_name: str, role: Role, temporary_passphrase: str) -> Account:
        actor = self.session.actor
        actor.require(Permission.MANAGE_ACCOUNTS)
        try:
            role = Role(role)
        except ValueError:
            raise ValidationError("Choose a role for the account.", "role") from None
        username = check_username(username)
        display_name = check_display_name(display_name)
        check_new_passphrase(temporary_passphrase, username)
        taken = self.store.by_username(username)
        if taken is not None:
            raise ValidationError(
                "Account name: that name belonged to an account that was removed; choose another."
                if taken.removed_at else "Account name: that name is already taken.", "username")
        slots = self._slots()
        slot_id = new_slot_id()
        now = self.session.clock.now().isoformat(timespec="seconds")
        with self.session.db.transaction():
            new_id = self.store.insert(username, display_name, role, slot_id, now, must_change=True)
            self._seal_row(new_id)
            self.session.audit.record("account created", "account", new_id, f"role {role.value}")
            self._write_slot(slots, slot_id, new_id, username, role, temporary_passphrase)
            self._save(slots, [slot_id])
        return self._get(new_id)

    def _check_not_last_manager(self, account: Account) -> None:
        if account.role in MANAGERS and account.enabled and self.store.count_enabled(MANAGERS) <= 1:
            raise ValidationError(
                "This is the last Coordinator or Chair account; add another before disabling it.")

    def disable(self, account_id: int, progress: ProgressFn | None = None) -> RekeyResult | None:
        """Revokes the account: the database gets a new key (a Coordinator's or Chair's leaving
        also replaces the seal key and reseals every sealed value), every other slot a new
        envelope, so its passphrase and every earlier key file open nothing live. Slow on a big
        centre (the whole file is rewritten): run it off the UI thread with ``progress``."""
        from ccc_desktop.models.revocation import rekey

        actor = self.session.actor
        actor.require(Permission.MANAGE_ACCOUNTS)
        account = self._get(account_id)
        if account.id == actor.account_id:
            raise ValidationError("You cannot disable the account you are using.")
        if not account.enabled:
            return None
        self._check_not_last_manager(account)
        # No check of the key file's header here: revoking must always be possible, and the
        # rekey carries over only the slots whose own authentication holds.
        # A row that does not verify is disabled all the same (that only takes power away), and
        # the seal key is replaced whatever it claims to be: its true role is unknown.
        sealed = account_ok(self.session.seal_key, self.session.db_key, account)
        replace_seal = account.role.holds_seal_key or not sealed
        return rekey(self.session, [account.id], replace_seal, _revoked("disabled", sealed),
                     progress)

    def remove(self, account_id: int, progress: ProgressFn | None = None) -> RekeyResult | None:
        """Removes the account for good: it leaves the accounts list and can never be enabled
        again. The row stays, so the records and the audit trail that name it by its id still
        show its name. An enabled account is revoked as ``disable`` does (a rekey, and a new seal
        key for a Coordinator or Chair), in the same step; a disabled one was revoked when it was
        disabled, so only its row changes (None is returned)."""
        from ccc_desktop.models.revocation import rekey

        actor = self.session.actor
        actor.require(Permission.MANAGE_ACCOUNTS)
        account = self._get(account_id)
        if account.id == actor.account_id:
            raise ValidationError("You cannot remove the account you are using.")
        if account.removed_at:
            return None
        self._check_not_last_manager(account)
        sealed = account_ok(self.session.seal_key, self.session.db_key, account)
        action = _revoked("removed", sealed)
        if account.enabled:
            return rekey(self.session, [account.id], account.role.holds_seal_key or not sealed,
                         action, progress, remove=True)
        now = self.session.clock.now().isoformat(timespec="seconds")
        slots = self._slots()
        with self.session.db.transaction():
            # A row that did not verify is signed only as a removed Session volunteer.
            changes: dict[str, object] = {} if sealed else {"role": Role.VOLUNTEER}
            self.store.update(account.id, removed_at=now, slot_id=None, **changes)
            self._seal_row(account.id)
            self.session.audit.record(action, "account", account.id)
            # The key file's authenticated header lists it too: a restore from the locked
            # screen keeps it removed even when these records cannot be opened.
            slots.removed = removed_accounts(self.session.db, self.session.seal_key,
                                             self.session.db_key)
            self._save(slots)
        return None

    def enable(self, account_id: int, temporary_passphrase: str) -> None:
        """A disabled account has no key slot, so re-enabling sets a new temporary passphrase."""
        self._set_passphrase(account_id, temporary_passphrase, "account re-enabled")

    def reset_passphrase(self, account_id: int, temporary_passphrase: str) -> None:
        self._set_passphrase(account_id, temporary_passphrase, "passphrase reset")

    def _set_passphrase(self, account_id: int, passphrase: str, action: str) -> None:
        actor = self.session.actor
        actor.require(Permission.MANAGE_ACCOUNTS)
        account = self._get(account_id)
        if account.id == actor.account_id:
            raise ValidationError("Use Change my passphrase for your own account.")
        if account.removed_at:
            raise ValidationError("This account has been removed: add the person again as a new "
                                  "account.")
        check_new_passphrase(passphrase, account.username)
        self._check_sealed(account)
        slots = self._slots()
        slot_id = account.slot_id or new_slot_id()
        with self.session.db.transaction():
            self.store.update(account.id, enabled=1, slot_id=slot_id, must_change_passphrase=1)
            self._seal_row(account.id)
            self.session.audit.record(action, "account", account.id)
            self._write_slot(slots, slot_id, account.id, account.username, account.role, passphrase)
            self._save(slots, [slot_id])

    def change_own_passphrase(self, current: str, new: str) -> None:
        """Rewrites this account's slot only; the database and other slots are untouched."""
        actor = self.session.actor
        account = self._get(actor.account_id)
        slots = self._slots()
        if not account.slot_id or not slots.verify_passphrase(account.slot_id, account.username, current):
            raise WrongPassphrase()
        check_new_passphrase(new, account.username, field="new_passphrase")
        if new == current:
            raise ValidationError("The new passphrase must be different.", "new_passphrase")
        keys = self.session._require_keys()
        with self.session.db.transaction():
            self.store.update(account.id, must_change_passphrase=0)
            self.session.audit.record("passphrase changed", "account", account.id)
            slot = slots.get(account.slot_id)
            if slot is not None and not slot.legacy and keys.private is not None:
                # Same key pair and envelope: only the passphrase's wrapping changes, so the
                # slot's authentication (a manager's) still holds.
                slots.rewrap_passphrase(account.slot_id, keys.private, account.username, new)
            else:
                self._write_slot(slots, account.slot_id, account.id, account.username, account.role, new)
            self._save(slots, [account.slot_id])
        self.session.must_change_passphrase = False

    def verify_own_passphrase(self, passphrase: str) -> bool:
        """For actions that ask for the passphrase again (disposal, exceptional disclosure)."""
        account = self._get(self.session.actor.account_id)
        return bool(account.slot_id) and self._slots().verify_passphrase(
            account.slot_id or "", account.username, passphrase)


# ---- what the accounts area brings --------------------------------------------------------------
def accounts_section(services: Services) -> DashboardSection | None:
    actor = services.session.actor
    if not actor.can(Permission.MANAGE_ACCOUNTS):
        return None
    items = [
        DashboardItem(f"{a.display_name} ({a.username}) has not yet chosen their own passphrase.",
                      "info", "settings")
        for a in services.accounts.list() if a.enabled and a.must_change_passphrase
    ]
    return DashboardSection("Accounts", items, order=900,
                            empty_text="Every account has its own passphrase.")


ACCOUNTS = Area("accounts", dashboard=(accounts_section,))

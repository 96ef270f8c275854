"""A stateful property test (hypothesis) of the account service against a small model.

Random sequences of add, disable, re-enable, reset, change own passphrase, list and unlock, by
whichever accounts are logged in (Coordinator, Chair, Session volunteer and any accounts made
on the way). Each call's outcome must be exactly the model's: success, PermissionDenied (only
and always where the role lacks the right), ValidationError, WrongPassphrase. After every step
the accounts table, the key-slot file and the audit chain agree with the model.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ccc_desktop.models.audit import AuditTrail
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import PermissionDenied, ValidationError, WrongPassphrase
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.roles import Role
from ccc_desktop.models.sealed import Sealer
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.audit import AuditStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.vault import Vault
from conftest import CENTRE, CHAIR, COORDINATOR, START, VOLUNTEER

MANAGERS = (Role.COORDINATOR, Role.CHAIR)
USERNAMES = st.sampled_from(
    ["sam", "Sam", "joy.okafor", "j-o_1", "ab", "has space", "x" * 33, "-dash", "volunteer",
     "CHAIR", "new.person", "p2p"]) | st.from_regex(r"[a-z][a-z0-9]{2,6}", fullmatch=True)
PASSPHRASES = st.sampled_from(
    ["tiny", "aaaaaaaaaaaa", "abababababab", "temporary passphrase 1", "second passphrase 22",
     "third passphrase 333", "Volunteer passphrase 333"])
WRONG = "not the passphrase 0"
_template: Path | None = None


def template() -> Path:
    """One small vault (cheap key derivation, as conftest sets) copied for every example."""
    global _template
    if _template is None:
        scratch = Path(tempfile.mkdtemp(prefix="ccc-accounts-template-"))
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        folder = scratch / "vault"
        vault = Vault(folder, FixedClock(START))
        session, _recovery = vault.create(CENTRE, COORDINATOR[0], "Carol Dean", COORDINATOR[1])
        services = build_services(session)
        for (name, pw), role in ((CHAIR, Role.CHAIR), (VOLUNTEER, Role.VOLUNTEER)):
            account = services.accounts.add(name, name.title(), role, pw)
            with session.db.transaction():
                AccountStore(session.db).update(account.id, must_change_passphrase=0)
        session.lock("logged out")
        _template = folder
    return _template


def weak(passphrase: str, username: str) -> bool:
    return (len(passphrase) < 10 or len(set(passphrase)) < 4
            or passphrase.strip().casefold() == username.strip().casefold())


@dataclass
class Model:
    username: str
    role: Role
    enabled: bool
    passphrase: str | None
    must_change: bool


class AccountsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="ccc-accounts-"))
        shutil.copytree(template(), self.tmp / "vault")
        self.clock = FixedClock(START)
        self.vault = Vault(self.tmp / "vault", self.clock)
        self.model: dict[str, Model] = {}  # casefolded name -> account
        self.ids: dict[str, int] = {}
        self.sessions: dict[str, Services] = {}
        for (name, pw), role in ((COORDINATOR, Role.COORDINATOR), (CHAIR, Role.CHAIR),
                                 (VOLUNTEER, Role.VOLUNTEER)):
            self.model[name] = Model(name, role, True, pw, False)
            self._open(name)
        first = self.sessions[COORDINATOR[0]].session
        self.admin = Database(self.vault.paths.db, first.db_key)  # the checker's own reader
        self.admin.sealer = Sealer(bytearray(first.seal_key))  # manager entries are sealed
        for a in AccountStore(self.admin).all():
            self.ids[a.username.casefold()] = a.id

    # ---- helpers ------------------------------------------------------------------------------
    def _open(self, key: str) -> None:
        self.clock.advance(minutes=2)  # past any throttle from earlier wrong passphrases
        m = self.model[key]
        assert m.passphrase is not None
        self.sessions[key] = build_services(self.vault.unlock(m.username, m.passphrase))

    def _close(self, key: str) -> None:
        services = self.sessions.pop(key, None)
        if services is not None:
            services.session.lock("logged out")

    def _pick(self, keys: list[str], i: int) -> str:
        return sorted(keys)[i % len(keys)]

    def _last_action(self) -> str:
        last = AuditStore(self.admin).last()
        assert last is not None
        return last.action

    def _enabled_managers(self) -> int:
        return sum(1 for m in self.model.values() if m.enabled and m.role in MANAGERS)

    # ---- rules --------------------------------------------------------------------------------
    @precondition(lambda self: self.sessions)
    @rule(who=st.integers(0, 99), username=USERNAMES, role=st.sampled_from(Role),
          passphrase=PASSPHRASES)
    def add(self, who: int, username: str, role: Role, passphrase: str) -> None:
        actor = self._pick(list(self.sessions), who)
        accounts = self.sessions[actor].accounts
        name = username.strip()
        if self.model[actor].role not in MANAGERS:
            with pytest.raises(PermissionDenied):
                accounts.add(username, "A Person", role, passphrase)
        elif not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{2,31}", name):
            with pytest.raises(ValidationError) as err:
                accounts.add(username, "A Person", role, passphrase)
            assert err.value.field == "username"
        elif weak(passphrase, name):
            with pytest.raises(ValidationError) as err:
                accounts.add(username, "A Person", role, passphrase)
            assert err.value.field == "passphrase"
        elif name.casefold() in self.model:
            with pytest.raises(ValidationError, match="already taken"):
                accounts.add(username, "A Person", role, passphrase)
        else:
            account = accounts.add(username, "A Person", role, passphrase)
            assert (account.username, account.role, account.must_change_passphrase) == (
                name, role, True)
            self.model[name.casefold()] = Model(name, role, True, passphrase, True)
            self.ids[name.casefold()] = account.id
            assert self._last_action() == "account created"

    @precondition(lambda self: self.sessions)
    @rule(who=st.integers(0, 99), whom=st.integers(0, 99))
    def disable(self, who: int, whom: int) -> None:
        actor = self._pick(list(self.sessions), who)
        target = self._pick(list(self.model), whom)
        accounts = self.sessions[actor].accounts
        t = self.model[target]
        if self.model[actor].role not in MANAGERS:
            with pytest.raises(PermissionDenied):
                accounts.disable(self.ids[target])
        elif target == actor:
            with pytest.raises(ValidationError, match="account you are using"):
                accounts.disable(self.ids[target])
        elif not t.enabled:
            accounts.disable(self.ids[target])  # already disabled: nothing to do
        elif t.role in MANAGERS and self._enabled_managers() <= 1:
            with pytest.raises(ValidationError, match="last Coordinator or Chair"):
                accounts.disable(self.ids[target])
        else:
            accounts.disable(self.ids[target])
            t.enabled, t.passphrase = False, None
            # Disabling rekeys the records: every other open session (in the app there is only
            # ever one) and the checker's reader held the old file, so they start again.
            for other in list(self.sessions):
                if other != actor:
                    self._close(other)
            self.admin.close()
            self.admin = Database(self.vault.paths.db, self.sessions[actor].session.db_key)
            self.admin.sealer = Sealer(bytearray(self.sessions[actor].session.seal_key))
            assert self._last_action() == "account disabled"

    def _set_passphrase(self, who: int, whom: int, passphrase: str, reset: bool) -> None:
        actor = self._pick(list(self.sessions), who)
        target = self._pick(list(self.model), whom)
        accounts = self.sessions[actor].accounts
        call = accounts.reset_passphrase if reset else accounts.enable
        t = self.model[target]
        if self.model[actor].role not in MANAGERS:
            with pytest.raises(PermissionDenied):
                call(self.ids[target], passphrase)
        elif target == actor:
            with pytest.raises(ValidationError, match="Change my passphrase"):
                call(self.ids[target], passphrase)
        elif weak(passphrase, t.username):
            with pytest.raises(ValidationError):
                call(self.ids[target], passphrase)
        else:
            call(self.ids[target], passphrase)
            t.enabled, t.passphrase, t.must_change = True, passphrase, True
            assert self._last_action() == ("passphrase reset" if reset else "account re-enabled")
            self._close(target)  # its old passphrase no longer opens anything

    @precondition(lambda self: self.sessions)
    @rule(who=st.integers(0, 99), whom=st.integers(0, 99), passphrase=PASSPHRASES)
    def enable(self, who: int, whom: int, passphrase: str) -> None:
        self._set_passphrase(who, whom, passphrase, reset=False)

    @precondition(lambda self: self.sessions)
    @rule(who=st.integers(0, 99), whom=st.integers(0, 99), passphrase=PASSPHRASES)
    def reset(self, who: int, whom: int, passphrase: str) -> None:
        self._set_passphrase(who, whom, passphrase, reset=True)

    @precondition(lambda self: self.sessions)
    @rule(who=st.integers(0, 99), knows_current=st.booleans(), new=PASSPHRASES)
    def change_own_passphrase(self, who: int, knows_current: bool, new: str) -> None:
        actor = self._pick(list(self.sessions), who)
        accounts = self.sessions[actor].accounts
        m = self.model[actor]
        assert m.passphrase is not None
        current = m.passphrase if knows_current else WRONG
        if not knows_current:
            with pytest.raises(WrongPassphrase):
                accounts.change_own_passphrase(current, new)
        elif weak(new, m.username) or new == current:
            with pytest.raises(ValidationError) as err:
                accounts.change_own_passphrase(current, new)
            assert err.value.field == "new_passphrase"
        else:
            accounts.change_own_passphrase(current, new)
            m.passphrase, m.must_change = new, False
            assert self._last_action() == "passphrase changed"

    @precondition(lambda self: self.sessions)
    @rule(who=st.integers(0, 99))
    def list_accounts(self, who: int) -> None:
        actor = self._pick(list(self.sessions), who)
        accounts = self.sessions[actor].accounts
        if self.model[actor].role not in MANAGERS:
            with pytest.raises(PermissionDenied):
                accounts.list()
        else:
            listed = {a.username.casefold(): (a.role, a.enabled) for a in accounts.list()}
            assert listed == {k: (m.role, m.enabled) for k, m in self.model.items()}
        assert accounts.me().username.casefold() == actor  # everyone may see their own

    @rule(whom=st.integers(0, 99), knows=st.booleans())
    def unlock(self, whom: int, knows: bool) -> None:
        target = self._pick(list(self.model), whom)
        m = self.model[target]
        if knows and m.enabled:
            self._close(target)
            self._open(target)
            assert self.sessions[target].session.must_change_passphrase == m.must_change
        else:
            # A wrong passphrase, or any passphrase for a disabled account (its slot is gone).
            self.clock.advance(minutes=2)
            with pytest.raises(WrongPassphrase):
                self.vault.unlock(m.username, m.passphrase if knows and m.passphrase else WRONG)

    # ---- invariants ---------------------------------------------------------------------------
    @invariant()
    def the_records_match_the_model(self) -> None:
        rows = AccountStore(self.admin).all()
        got = {a.username.casefold(): (a.role, a.enabled, a.must_change_passphrase) for a in rows}
        assert got == {k: (m.role, m.enabled, m.must_change) for k, m in self.model.items()}
        # Exactly the enabled accounts hold a key slot: a disabled one's passphrase opens nothing.
        slots = SlotFile.load(self.vault.paths.keys)
        slot_ids = {s.id for s in slots.slots if s.kind == "passphrase"}
        assert slot_ids == {a.slot_id for a in rows if a.enabled}
        assert all(a.slot_id is None for a in rows if not a.enabled)
        assert self._enabled_managers() >= 1
        verification = AuditTrail(self.admin, self.clock).verify()
        assert verification.ok, verification.problem

    def teardown(self) -> None:
        for key in list(self.sessions):
            self._close(key)
        self.admin.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


AccountsMachine.TestCase.settings = settings(
    max_examples=int(os.environ.get("CCC_STATEFUL_EXAMPLES", "25")), stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])
test_account_service_matches_the_model = AccountsMachine.TestCase

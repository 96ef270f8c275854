"""Crash safety: a writer killed with SIGKILL at random moments never loses a committed write.

A child process (tests/crash_writer.py) writes through the real services in a loop and says on
stdout what it is about to do (``begin``) and what has committed (``done`` + its audit entry).
It is killed with SIGKILL at a random moment, CCC_CRASH_KILLS times (100 by default). After
each kill the vault must open with a passphrase, pass cipher_integrity_check and
integrity_check, keep an unbroken audit chain, hold every write the child reported as committed
and, for the one write in flight when it died, either all of it (change and audit entry) or
none of it.

The child is forked from this process (imports already done), so a run costs milliseconds;
CCC_CRASH_SPAWN=1 starts each child as a fresh interpreter instead (slower, same checks).
CCC_CRASH_SEED repeats a run exactly as far as the timing allows.
"""

from __future__ import annotations

import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from crash_writer import (
    CASE_PREFIX,
    PREFIX,
    SEALED_PREFIX,
    VOLUNTEER_PREFIX,
    summons_form,
    write_forever,
)

from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.services.centre import CENTRE_KEY
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.audit import AuditStore
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.vault import DB_NAME, Vault
from conftest import CHAIR, COORDINATOR, VOLUNTEER

KILLS = int(os.environ.get("CCC_CRASH_KILLS", "100"))
SPAWN = os.environ.get("CCC_CRASH_SPAWN") == "1"
# Seconds after the child starts; long enough for a handful of writes (a manager's unlock
# checks the audit trail, the accounts and the key file before it is ready).
MAX_DELAY = 0.4
WRITER = Path(__file__).parents[1] / "crash_writer.py"
ACTIONS = {
    "centre": "centre details changed",
    "setting": "setting changed",
    "add": "account created",
    "disable": "account disabled",
    "enable": "account re-enabled",
    "volunteer": "volunteer created",
    "dbs": "DBS check recorded",
    "summons": "summons logged",
    "letter": "letter generated",
}


@dataclass
class Model:
    """What the vault must hold, from every line the children printed so far."""

    centre_name: str
    idle_minutes: int
    accounts: dict[str, bool] = field(default_factory=dict)  # username -> enabled
    ids: dict[int, str] = field(default_factory=dict)  # account id -> username
    volunteers: dict[int, str] = field(default_factory=dict)  # id -> token in the name
    dbs: dict[int, tuple[int, str]] = field(default_factory=dict)  # id -> volunteer, sealed token
    summonses: dict[int, str] = field(default_factory=dict)  # id -> case number
    letters: dict[int, int] = field(default_factory=dict)  # id -> summons id
    opened: set[tuple[str, int]] = field(default_factory=set)  # sealed results, PDFs read back
    last_child_entry: int = 0  # newest audit entry written by a child, already checked
    last_tidy_entry: int = 0  # newest "slot was missing" entry already applied to the model

    def apply(self, op: str, arg: str, record_id: str) -> None:
        if op == "centre":
            self.centre_name = arg
        elif op == "setting":
            self.idle_minutes = int(arg)
        elif op == "add":
            self.accounts[arg] = True
            self.ids[int(record_id)] = arg
        elif op == "disable":
            self.accounts[self.ids[int(arg)]] = False
        elif op == "enable":
            self.accounts[self.ids[int(arg)]] = True
        elif op == "volunteer":
            self.volunteers[int(record_id)] = arg
        elif op == "dbs":
            volunteer, token = arg.split(":")
            self.dbs[int(record_id)] = (int(volunteer), token)
        elif op == "summons":
            self.summonses[int(record_id)] = arg
        elif op == "letter":
            self.letters[int(record_id)] = int(arg)


@dataclass
class Stats:
    runs: int = 0
    committed: int = 0  # writes reported done and found
    in_flight_committed: int = 0  # killed between commit and report: found whole
    in_flight_rolled_back: int = 0  # killed before commit: found absent, audit entry too
    killed_before_ready: int = 0
    hot_journals: int = 0  # kills that left a journal for the next open to roll back
    stray_temp_files: int = 0  # left by a kill while the key file was being saved
    slots_tidied: int = 0  # unlocks that removed key slots a killed write left unused
    enabled_without_slot: int = 0
    tidied_accounts: int = 0  # accounts the unlock disabled because their slot had gone


def _child_fork(vault_dir: Path, seed: int, run: int) -> tuple[int, int]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 4
        try:
            os.close(r)
            write_forever(vault_dir, w, seed, run, *COORDINATOR)
        except BaseException:  # noqa: BLE001
            os.write(w, ("error " + traceback.format_exc().replace("\n", " | ") + "\n").encode())
            code = 3
        os._exit(code)
    os.close(w)
    return pid, r


def _run_child(vault_dir: Path, seed: int, run: int, delay: float) -> tuple[list[str], str]:
    """Start a writer, SIGKILL it ``delay`` s after it starts; its complete lines, how it ended."""
    proc = None
    if SPAWN:
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(vault_dir), str(seed), str(run), *COORDINATOR],
            stdout=subprocess.PIPE, env=env)
        assert proc.stdout is not None
        pid, fd = proc.pid, proc.stdout.fileno()
    else:
        pid, fd = _child_fork(vault_dir, seed, run)
    buf = b""
    deadline = time.monotonic() + 30
    while b"started\n" not in buf and b"error" not in buf:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 65536) if ready else b""
        if not chunk:
            break
        buf += chunk
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    if proc is not None:
        proc.wait()
        killed = proc.returncode == -signal.SIGKILL
        code = proc.returncode
    else:
        _, status = os.waitpid(pid, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        code = status
    while chunk := os.read(fd, 65536):
        buf += chunk
    if proc is not None:
        proc.stdout.close()  # type: ignore[union-attr]
    else:
        os.close(fd)
    text = buf.decode("ascii", "replace")
    # A line without its newline was cut by the kill: it was never reported.
    lines = text.split("\n")[:-1]
    return lines, ("killed" if killed else f"ended by itself ({code})")


def _check(vault_dir: Path, lines: list[str], model: Model, stats: Stats, where: str) -> None:
    errors = [ln for ln in lines if ln.startswith("error")]
    assert not errors, f"{where}: the writer failed on its own: {errors[0]}"
    if (vault_dir / f"{DB_NAME}-journal").exists():
        stats.hot_journals += 1
    stats.stray_temp_files += len(list(vault_dir.glob(".*.tmp")))

    session = Vault(vault_dir).unlock(*CHAIR)  # opening rolls back any hot journal
    try:
        assert session.db.integrity_problems() == [], where
        verification = session.audit.verify()
        assert verification.ok, f"{where}: {verification.message}"
        # Entries are sealed in the file: read them opened, through the store.
        found = {e.id: (e.action, e.record_id) for e in AuditStore(session.db).iter_all()
                 if e.actor == COORDINATOR[0] and e.id > model.last_child_entry}
        accounted: set[int] = set()

        ready = [ln for ln in lines if ln.startswith("ready ")]
        if ready:
            entry = int(ready[0].split()[1])
            assert found.get(entry, ("",))[0] == "logged in", f"{where}: login entry {entry} lost"
            accounted.add(entry)
        else:
            stats.killed_before_ready += 1
            logins = [i for i, (a, _) in found.items() if a == "logged in"]
            assert len(logins) <= 1, where
            accounted.update(logins)

        # The child's entries since the last check, in order, grouped by the write that made
        # them: each write's group ends at the entry its "done" line names and holds its main
        # action exactly once (a write may add other entries of its own before that).
        pending: tuple[str, str] | None = None
        for ln in lines:
            parts = ln.split()
            if parts[0] == "begin":
                pending = (parts[1], parts[2])
            elif parts[0] == "done":
                op, arg, entry = parts[1], parts[2], int(parts[3])
                assert pending == (op, arg), f"{where}: {ln} without its begin"
                assert entry in found, f"{where}: committed write lost: {ln}"
                group = [i for i in found if i <= entry and i not in accounted]
                main = [i for i in group if found[i][0] == ACTIONS[op]]
                assert len(main) == 1 and entry in group, f"{where}: {ln}: entries {group}"
                model.apply(op, arg, found[main[0]][1])
                accounted.update(group)
                stats.committed += 1
                pending = None

        extra = sorted(set(found) - accounted)
        if pending is not None and extra:
            # Killed after the commit, before the report: the whole write must be there.
            main = [i for i in extra if found[i][0] == ACTIONS[pending[0]]]
            assert len(main) == 1, f"{where}: in-flight {pending} left entries {extra}"
            model.apply(pending[0], pending[1], found[main[0]][1])
            stats.in_flight_committed += 1
        else:
            assert not extra, f"{where}: audit entries nobody reported: {extra}"
            if pending is not None:
                stats.in_flight_rolled_back += 1
        newest_child_entry = max(found) if found else model.last_child_entry

        # A kill inside "disable" after the key file was saved leaves the account without its
        # slot; the unlock above disables it and says so in the audit trail.
        tidied = session.db.query(
            "SELECT id, record_id FROM audit_log WHERE actor = 'system' AND id > ? AND action = ?",
            (model.last_tidy_entry, "account disabled: its key slot was missing"))
        for r in tidied:
            model.last_tidy_entry = max(model.last_tidy_entry, r["id"])
            username = model.ids.get(int(r["record_id"]))
            if username is not None:
                model.accounts[username] = False
                stats.tidied_accounts += 1

        # The records match the model exactly: no half-written change, nothing lost.
        accounts = {a.username: a for a in AccountStore(session.db).all()}
        ours = {u: a.enabled for u, a in accounts.items() if u.startswith(PREFIX)}
        assert ours == model.accounts, where
        for account_id, username in model.ids.items():
            assert accounts[username].id == account_id, where
        centre = SettingsStore(session.db).get(CENTRE_KEY)
        assert centre["name"] == model.centre_name, where
        idle = SettingsStore(session.db).get("idle_lock_minutes", None)
        assert idle == model.idle_minutes, where
        _check_records(build_services(session), model, where)

        # The key file is replaced atomically, so it always loads. The service saves it just
        # before the commit, so a kill between the two can leave a slot no account uses, and
        # a kill while saving leaves a temporary copy; the unlock above removed both.
        slots = SlotFile.load(vault_dir / "centre.keys")
        slot_ids = {s.id for s in slots.slots if s.kind == "passphrase"}
        account_slots = {a.slot_id for a in accounts.values() if a.slot_id}
        assert slot_ids <= account_slots, f"{where}: key slots no account uses"
        assert not list(vault_dir.glob(".*.tmp")), f"{where}: temporary key files left"
        stats.slots_tidied = len(session.audit.entries(session.actor, "unused key slots removed"))
        # After the unlock's tidy-up no account shows as enabled without a slot.
        stats.enabled_without_slot = sum(
            1 for a in accounts.values() if a.enabled and a.slot_id not in slot_ids)
        assert stats.enabled_without_slot == 0, where
        model.last_child_entry = newest_child_entry
    finally:
        session.lock("logged out")


def _warm_up(vault_dir: Path, scratch: Path) -> None:
    """Render one letter in this process (on a copy), so forked writers start with the fonts
    and templates loaded and their time goes on writing, not on a first render."""
    shutil.copytree(vault_dir, scratch)
    session = Vault(scratch).unlock(*CHAIR)
    try:
        services = build_services(session)
        summons = services.summonses.log(summons_form("WARMUP1"))
        assert services.summonses.render_letter(summons.id, "summons_court").startswith(b"%PDF")
    finally:
        session.lock()


def _check_records(services: Services, model: Model, where: str) -> None:
    """Volunteers, sealed DBS results, summonses and kept letters: all there, nothing extra."""
    volunteers = {v.id: v.name.removeprefix(VOLUNTEER_PREFIX) for v in services.volunteers.list()
                  if v.name.startswith(VOLUNTEER_PREFIX)}
    assert volunteers == model.volunteers, where
    checks = {c.id: c.volunteer_id for c in services.dbs.list()}
    assert checks == {i: v for i, (v, _t) in model.dbs.items()}, where
    summonses = {s.id: s.case_number for s in services.summonses.all()
                 if s.case_number.startswith(CASE_PREFIX)}
    assert summonses == model.summonses, where
    letters = {letter.id: letter.subject_id for sid in model.summonses
               for letter in services.letters.for_subject("summons", sid)}
    assert letters == model.letters, where
    # Each new sealed result and PDF is read back once (opening them is audited, so not every
    # time): the sealed text opens with the second key, the PDF is whole.
    for check_id, (_v, token) in model.dbs.items():
        if ("dbs", check_id) not in model.opened:
            result = services.dbs.open_result(check_id)
            assert result.disclosed_information == SEALED_PREFIX + token, where
            model.opened.add(("dbs", check_id))
    for letter_id in model.letters:
        if ("letter", letter_id) not in model.opened:
            pdf = services.letters.open(letter_id)
            assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:], where
            model.opened.add(("letter", letter_id))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX fork and SIGKILL")
def test_sigkill_at_random_moments_never_loses_a_committed_write(vault_dir: Path,
                                                                 tmp_path: Path) -> None:
    seed = int(os.environ.get("CCC_CRASH_SEED") or random.SystemRandom().randrange(1 << 30))
    rng = random.Random(seed)
    first = Vault(vault_dir).unlock(*CHAIR)
    settings = SettingsStore(first.db)
    model = Model(centre_name=settings.get(CENTRE_KEY)["name"],
                  idle_minutes=settings.get("idle_lock_minutes", None),
                  last_child_entry=first.db.scalar("SELECT max(id) FROM audit_log"))
    first.lock("logged out")

    if not SPAWN:
        _warm_up(vault_dir, tmp_path / "warm-up")

    stats = Stats()
    started = time.monotonic()
    for run in range(1, KILLS + 1):
        delay = rng.uniform(0, MAX_DELAY)
        where = f"kill {run} of {KILLS} (CCC_CRASH_SEED={seed}, {delay * 1000:.0f} ms)"
        lines, how = _run_child(vault_dir, rng.randrange(1 << 30), run, delay)
        assert how == "killed", f"{where}: the writer {how}: {lines[-3:]}"
        assert lines and lines[0] == "started", f"{where}: the writer never started: {lines[:3]}"
        _check(vault_dir, lines, model, stats, where)
        stats.runs += 1
    elapsed = time.monotonic() - started

    print(f"\ncrash safety: {stats.runs} SIGKILLs in {elapsed:.1f} s "
          f"({'spawned' if SPAWN else 'forked'} children, seed {seed}); "
          f"{stats.committed} reported commits all found ({len(model.volunteers)} volunteers, "
          f"{len(model.dbs)} sealed DBS results, {len(model.summonses)} summonses, "
          f"{len(model.letters)} letters read back); in flight at the kill: "
          f"{stats.in_flight_committed} found whole, {stats.in_flight_rolled_back} found absent; "
          f"{stats.killed_before_ready} kills during unlock; {stats.hot_journals} hot journals "
          f"rolled back; {stats.stray_temp_files} stray key-file temp files and "
          f"{stats.slots_tidied} unlocks removing unused key slots, all tidied; "
          f"{stats.tidied_accounts} accounts disabled because a kill took their slot")
    assert stats.runs == KILLS
    # Enough happened for the check to mean something: writes were reported and verified.
    assert stats.committed >= KILLS, stats


def test_unlock_removes_key_slots_and_key_file_copies_no_account_uses(vault: Vault) -> None:
    """What a kill between saving the key file and the commit leaves, the next unlock removes."""
    session = vault.unlock(*COORDINATOR)
    db_key = bytes(session.db_key)
    session.lock()
    slots = SlotFile.load(vault.paths.keys)
    slots.put_passphrase_slot("0123456789abcdef", "ghost", "temporary passphrase 9", db_key, None,
                              "volunteer")
    slots.save()
    stray = vault.paths.data_dir / ".centre.keys.abc123.tmp"
    stray.write_bytes(vault.paths.keys.read_bytes())
    ghost = ("0123456789abcdef", "ghost", "temporary passphrase 9")
    assert SlotFile.load(vault.paths.keys).verify_passphrase(*ghost)

    session = vault.unlock(*CHAIR)
    try:
        assert not stray.exists()
        assert not SlotFile.load(vault.paths.keys).has("0123456789abcdef")
        entry = session.audit.store.last()
        assert entry is not None and entry.action == "logged in"
        # Read through the trail: what a manager's unlock writes is sealed.
        tidy = session.audit.entries(session.actor, "unused key slots removed")
        assert [(e.actor, e.detail) for e in tidy] == [("system", "1 removed")]
    finally:
        session.lock()
    assert not SlotFile.load(vault.paths.keys).verify_passphrase(*ghost)
    # Every account still opens; nothing in use was touched.
    for name, pw in (COORDINATOR, CHAIR, VOLUNTEER):
        vault.unlock(name, pw).lock()

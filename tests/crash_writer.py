"""The child process of tests/test_crash_safety.py: writes through the real services until killed.

It logs in as the Coordinator and loops over the writes that exist today (centre details, a
setting, accounts added, disabled and re-enabled), each through its service, so each is one
transaction holding the change and its audit entry. Before a write it prints ``begin ...`` and
after the commit ``done ... <audit id>``, each line flushed at once (one ``os.write`` of a line
far shorter than PIPE_BUF, so a line is either wholly in the pipe or not at all). The parent
kills it with SIGKILL at a random moment and then checks the vault against those lines.

Run directly (``python tests/crash_writer.py VAULT SEED RUN USER PASSPHRASE``) it is the same
child started as a fresh interpreter; the test forks it instead to keep 100 kills fast.
"""

from __future__ import annotations

import os
import random
import sys
from dataclasses import replace
from pathlib import Path

from ccc_desktop.models import crypto
from ccc_desktop.models.roles import Role
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.vault import Vault

# Accounts the writer makes are named with this prefix; the parent ignores all others.
PREFIX = "crash"


def _emit(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode("ascii"))


def write_forever(vault_dir: Path, out_fd: int, seed: int, run: int, username: str,
                  passphrase: str) -> None:
    """Never returns normally: loops until killed (or raises, which the caller reports)."""
    rng = random.Random(seed)
    _emit(out_fd, "started")
    session = Vault(vault_dir).unlock(username, passphrase)
    services = build_services(session)
    trail = services.audit

    def head() -> int:
        last = trail.store.last()
        assert last is not None
        return last.id

    _emit(out_fd, f"ready {head()}")
    mine = [a for a in services.accounts.list() if a.username.startswith(PREFIX)]
    enabled = {a.id for a in mine if a.enabled}
    disabled = {a.id for a in mine if not a.enabled}
    n = 0
    while True:
        n += 1
        choices = ["centre", "setting", "add"]
        if enabled:
            choices.append("disable")
        if disabled:
            choices.append("enable")
        op = rng.choice(choices)
        if op == "centre":
            name = f"Crash-Centre-{run}-{n}"
            _emit(out_fd, f"begin centre {name}")
            services.centre.update(replace(services.centre.details(), name=name))
            _emit(out_fd, f"done centre {name} {head()}")
        elif op == "setting":
            minutes = rng.randint(1, 120)
            _emit(out_fd, f"begin setting {minutes}")
            services.centre.set_idle_lock_minutes(minutes)
            _emit(out_fd, f"done setting {minutes} {head()}")
        elif op == "add":
            new_name = f"{PREFIX}{run}n{n}"
            role = rng.choice([Role.VOLUNTEER, Role.CHAIR])
            _emit(out_fd, f"begin add {new_name}")
            account = services.accounts.add(new_name, f"Crash Person {run} {n}", role,
                                            f"temporary passphrase {n}")
            enabled.add(account.id)
            _emit(out_fd, f"done add {new_name} {head()}")
        elif op == "disable":
            target = rng.choice(sorted(enabled))
            _emit(out_fd, f"begin disable {target}")
            services.accounts.disable(target)
            enabled.discard(target)
            disabled.add(target)
            _emit(out_fd, f"done disable {target} {head()}")
        else:
            target = rng.choice(sorted(disabled))
            _emit(out_fd, f"begin enable {target}")
            services.accounts.enable(target, f"another temporary passphrase {n}")
            disabled.discard(target)
            enabled.add(target)
            _emit(out_fd, f"done enable {target} {head()}")


def main(argv: list[str]) -> int:
    vault_dir, seed, run, username, passphrase = argv
    crypto.enable_cheap_kdf_for_tests()  # the vault under test was made with the cheap cost
    write_forever(Path(vault_dir), sys.stdout.fileno(), int(seed), int(run), username, passphrase)
    return 1  # unreachable: only SIGKILL ends the loop


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

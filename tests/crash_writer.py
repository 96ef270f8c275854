"""The child process of tests/domain/test_crash_safety.py: writes through the real services until killed.

It logs in as the Coordinator and loops over writes through the real services: centre details,
a setting, accounts added, disabled and re-enabled, volunteers created, DBS checks recorded
(their results sealed with the second key), summonses logged and summons letters generated
and kept in the vault (a PDF blob spanning many pages). Each is one transaction holding the
change and its audit entry. Before a write it prints ``begin ...`` and
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
from datetime import date
from pathlib import Path

from ccc_desktop.models import crypto
from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.roles import Role
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.vault import Vault
from ccc_desktop.models.volunteers_records import (
    DbsCheckInput,
    DbsLevel,
    DbsOutcome,
    RiskDecision,
    VolunteerDetails,
    VolunteerRole,
)

# Accounts the writer makes are named with this prefix; the parent ignores all others.
PREFIX = "crash"
VOLUNTEER_PREFIX = "Crash Volunteer "
SEALED_PREFIX = "Sealed note "
CASE_PREFIX = "CR"


def volunteer_details(token: str) -> VolunteerDetails:
    return VolunteerDetails(
        full_name=VOLUNTEER_PREFIX + token, address="3 Elm Row\nChesterfield S41 2BB",
        phone="01246 555123", email="crash@example.org", date_of_birth=date(1980, 5, 4),
        start_date=date(2026, 1, 10), roles=frozenset({VolunteerRole.SESSION}),
        references_received=2, induction_on=date(2026, 1, 12), safeguarding_on=date(2026, 1, 20),
        undertaking_version="1", undertaking_signed_on=date(2026, 1, 12),
        policy_read_on=date(2026, 1, 12), court_clause_acknowledged=True)


def dbs_check(token: str, certificate: str) -> DbsCheckInput:
    return DbsCheckInput(
        level=DbsLevel.ENHANCED_BARRED, certificate_number=certificate,
        issue_date=date(2026, 1, 5), id_checked_by="Carol Dean", outcome=DbsOutcome.DISCLOSED,
        disclosed_information=SEALED_PREFIX + token, decision=RiskDecision.PROCEED,
        decision_notes="Old and minor.", decided_by="Margaret Holt", decided_on=date(2026, 1, 9))


def summons_form(case: str) -> SummonsForm:
    return SummonsForm(received_on="20/11/2026", received_how="post", court="Derby Family Court",
                       case_number=case, hearing_date="14/12/2026", hearing_time="10:00",
                       applicant="Smith & Co Solicitors", respond_by="04/12/2026")


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
    volunteers = [v.id for v in services.volunteers.list()
                  if v.name.startswith(VOLUNTEER_PREFIX)]
    summonses = [s.id for s in services.summonses.all() if s.case_number.startswith(CASE_PREFIX)]
    n = 0
    while True:
        n += 1
        choices = ["centre", "setting", "add", "volunteer", "summons"]
        if enabled:
            choices.append("disable")
        if disabled:
            choices.append("enable")
        if volunteers:
            choices.append("dbs")
        if summonses:
            choices.append("letter")
        # A letter takes ten times longer than the other writes (rendering, before its
        # transaction): drawn less often, so most kills still land around commits.
        op = rng.choices(choices, [0.1 if c == "letter" else 1.0 for c in choices])[0]
        token = f"{run}-{n}"
        if op == "volunteer":
            _emit(out_fd, f"begin volunteer {token}")
            volunteers.append(services.volunteers.create(volunteer_details(token)).id)
            _emit(out_fd, f"done volunteer {token} {head()}")
        elif op == "dbs":
            target = rng.choice(volunteers)
            _emit(out_fd, f"begin dbs {target}:{token}")
            services.dbs.record(target, dbs_check(token, f"{rng.randrange(10**12):012d}"))
            _emit(out_fd, f"done dbs {target}:{token} {head()}")
        elif op == "summons":
            case = f"{CASE_PREFIX}{run}N{n}"
            _emit(out_fd, f"begin summons {case}")
            summonses.append(services.summonses.log(summons_form(case)).id)
            _emit(out_fd, f"done summons {case} {head()}")
        elif op == "letter":
            target = rng.choice(summonses)
            _emit(out_fd, f"begin letter {target}")
            services.summonses.generate_letter(target, "summons_court")
            _emit(out_fd, f"done letter {target} {head()}")
        elif op == "centre":
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

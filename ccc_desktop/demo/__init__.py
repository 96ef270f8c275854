"""The demo vault: realistic, fictional data from a fixed seed, made through the real services.

All names are invented. Dates are placed relative to today, so the demo always looks current.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from ccc_desktop.demo.context import DEMO_ACCOUNTS, DEMO_CENTRE, SEED, DemoContext
from ccc_desktop.demo.data_protection import data_protection_step
from ccc_desktop.demo.families import finalise_step
from ccc_desktop.demo.families import step as families_step
from ccc_desktop.demo.legal import legal_step
from ccc_desktop.demo.statistics import statistics_step
from ccc_desktop.demo.volunteers import step as volunteers_step
from ccc_desktop.models.clock import Clock
from ccc_desktop.models.roles import Role
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.vault import Vault


def _accounts(ctx: DemoContext) -> None:
    for username, role in (("chair", Role.CHAIR), ("volunteer", Role.VOLUNTEER)):
        name, pw = DEMO_ACCOUNTS[username]
        account = ctx.services.accounts.add(username, name, role, pw)
        # Demo accounts keep the documented passphrase instead of being asked to change it.
        with ctx.services.session.db.transaction():
            AccountStore(ctx.services.session.db).update(account.id, must_change_passphrase=0)
    ctx.services.accounts.add("j.okafor", "Joy Okafor", Role.VOLUNTEER, "temporary passphrase 1")


Step = Callable[[DemoContext], None]

# Each area adds its step here, in order.
STEPS: list[Step] = [
    _accounts,
    families_step,  # before volunteers (the rota reuses its Saturdays) and legal (families 1, 2)
    volunteers_step,  # keep after any step that makes sessions: the rota uses those it finds
    finalise_step,  # after the rota: a finalised register's rota can no longer change
    legal_step,
    statistics_step,  # the waiting list; after the sessions and registers it works around
    data_protection_step,  # keep last: it reads the retention report of the areas' records
]


def build_demo(data_dir: Path, clock: Clock | None = None) -> Vault:
    """Create the demo vault in data_dir, or leave an existing one as it is."""
    vault = Vault(data_dir, clock)
    if vault.exists():
        return vault
    name, pw = DEMO_ACCOUNTS["coordinator"]
    session, _recovery = vault.create(DEMO_CENTRE, "coordinator", name, pw)
    try:
        ctx = DemoContext(vault, build_services(session), random.Random(SEED), vault.clock.today())
        for step in STEPS:
            step(ctx)
    except BaseException:
        session.lock("logged out")
        # A half-built demo is worse than none: remove it so the next run starts clean.
        for f in (vault.paths.db, vault.paths.keys):
            f.unlink(missing_ok=True)
        raise
    session.lock("logged out")
    return vault


__all__ = ["DEMO_ACCOUNTS", "DEMO_CENTRE", "SEED", "DemoContext", "build_demo"]

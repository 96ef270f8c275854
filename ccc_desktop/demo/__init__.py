"""The demo vault: realistic, fictional data from a fixed seed, made through the real services.

All names are invented. Dates are placed relative to today, so the demo always looks current.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ccc_desktop.models.clock import Clock
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.vault import Vault

SEED = 20261126

# The demo accounts (also listed in the README).
DEMO_ACCOUNTS = {
    "coordinator": ("Carol Dean", "riverside coordinator"),
    "chair": ("Margaret Holt", "riverside chair"),
    "volunteer": ("Sam Patel", "riverside volunteer"),
}

DEMO_CENTRE = CentreDetails(
    name="Riverside Child Contact Centre",
    address="The Old School\n12 Mill Lane\nChesterfield\nS40 1AA",
    phone="01246 555 014",
    email="office@riverside-ccc.org.uk",
    chair_name="Margaret Holt",
    naccc_contact="NACCC, Nottingham office, 0115 948 4557",
    solicitor_name="David Brook",
    solicitor_firm="Brook & Hale LLP",
    emergency_details="First aider on duty: see the rota. Fire assembly point: the car park by "
                      "the gate. Nearest A&E: Chesterfield Royal Hospital, Calow. Coordinator's "
                      "mobile: 07700 900 014.",
)


@dataclass
class DemoContext:
    vault: Vault
    services: Services  # logged in as the demo Coordinator
    rng: random.Random
    today: date


def _accounts(ctx: DemoContext) -> None:
    from ccc_desktop.models.roles import Role
    from ccc_desktop.models.storage.accounts import AccountStore

    for username, role in (("chair", Role.CHAIR), ("volunteer", Role.VOLUNTEER)):
        name, pw = DEMO_ACCOUNTS[username]
        account = ctx.services.accounts.add(username, name, role, pw)
        # Demo accounts keep the documented passphrase instead of being asked to change it.
        with ctx.services.session.db.transaction():
            AccountStore(ctx.services.session.db).update(account.id, must_change_passphrase=0)
    ctx.services.accounts.add("j.okafor", "Joy Okafor", Role.VOLUNTEER, "temporary passphrase 1")


Step = Callable[[DemoContext], None]

# Each area adds its step here, in order.
def _families(ctx: DemoContext) -> None:
    from ccc_desktop.demo.families import step

    step(ctx)


def _volunteers(ctx: DemoContext) -> None:
    from ccc_desktop.demo.volunteers import step

    step(ctx)


def _legal(ctx: DemoContext) -> None:
    from ccc_desktop.demo.legal import legal_step

    legal_step(ctx)


def _data_protection(ctx: DemoContext) -> None:
    from ccc_desktop.demo.data_protection import data_protection_step

    data_protection_step(ctx)


STEPS: list[Step] = [
    _accounts,
    _families,  # before volunteers (the rota reuses its Saturdays) and legal (families 1, 2)
    _volunteers,  # keep after any step that makes sessions: the rota uses those it finds
    _legal,
    _data_protection,  # keep last: it reads the retention report of the areas' records
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

"""What every demo step shares: the accounts, the centre and the context a step is given."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.dates import format_entry
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.services.registry import Services
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


def at(ctx: DemoContext, day: date, hh: int = 10, mm: int = 0) -> None:
    """What the demo does next happens on ``day`` at hh:mm."""
    ctx.services.session.clock = FixedClock(datetime.combine(day, time(hh, mm)))


def accept_after_previsit(ctx: DemoContext, family_id: int, visit: date) -> None:
    """The pre-visit on ``visit`` (14:00), every adult's ground rules agreed there, accepted."""
    s = ctx.services
    at(ctx, visit, 14)
    s.families.record_previsit(family_id, format_entry(visit), "Carol Dean", "Checklist done.")
    for a in s.families.get(family_id).adults:
        s.families.record_ground_rules(a.id, format_entry(visit), format_entry(visit))
    s.families.set_status(family_id, "accepted")

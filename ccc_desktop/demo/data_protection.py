"""Demo data for data protection: subject access requests, and, where the areas' records are
past retention, an open request holding one of them and one authorised disposal.

Runs after the families and volunteers steps (whose records carry the last-used and
resignation dates the retention report reads). All names are fictional.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from ccc_desktop.demo.names import person

if TYPE_CHECKING:
    from ccc_desktop.demo import DemoContext


def data_protection_step(ctx: DemoContext) -> None:
    from ccc_desktop.demo import DEMO_ACCOUNTS

    services = ctx.services
    sar = services.subject_access
    today = ctx.today
    # An answered request from two months ago, with its response produced.
    first, last = person(ctx.rng)
    old = sar.log(f"{first} {last}", "Seen photo ID in person (passport or driving licence)",
                  today - timedelta(days=64))
    services.subject_access.produce(old.id)
    sar.close(old.id, "answered", today - timedelta(days=40))

    # Records past retention, if the areas have provided any: one authorised disposal for the
    # log and certificate, and an open request that holds another record back.
    report = services.retention.report()
    due = list(report.due)
    if len(due) >= 3:
        services.retention.dispose([(due[0].category, due[0].record_id)], DEMO_ACCOUNTS["coordinator"][1])
        held = due[1]
        first, last = person(ctx.rng)
        sar.log(f"{first} {last}", "Known to the Coordinator and confirmed in person",
                today - timedelta(days=9), held.category, held.record_id)

    # An open request received twelve days ago (due in about three weeks).
    first, last = person(ctx.rng)
    sar.log(f"{first} {last}", "Letter from the referring solicitor or agency confirming identity",
            today - timedelta(days=12), notes="Asked by letter for a copy of everything held about her.")

"""Demo data for data protection: subject access requests (open, answered, and old ones past
retention), one authorised disposal for the log and certificate, and, where the families and
volunteers areas have records past retention, an open request that holds one of them back.

Runs after the areas' steps (their records carry the last-used and resignation dates the
retention report reads). All names are fictional.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from ccc_desktop.demo.context import DEMO_ACCOUNTS
from ccc_desktop.demo.names import person
from ccc_desktop.models.dates import add_years

if TYPE_CHECKING:
    from ccc_desktop.demo.context import DemoContext

ID_CHECKS = (
    "Seen photo ID in person (passport or driving licence)",
    "Known to the Coordinator and confirmed in person",
    "Letter from the referring solicitor or agency confirming identity",
    "Proof of address and photo ID sent by post",
)


def _closed_request(ctx: DemoContext, received: date, closed: date, status: str) -> None:
    sar = ctx.services.subject_access
    first, last = person(ctx.rng)
    r = sar.log(f"{first} {last}", ctx.rng.choice(ID_CHECKS), received)
    if status == "answered":
        sar.produce(r.id)
    sar.close(r.id, status, closed)


def data_protection_step(ctx: DemoContext) -> None:
    services = ctx.services
    sar = services.subject_access
    today = ctx.today
    years = services.retention.period_years()
    # Requests closed long ago: past the retention period, or falling due soon.
    for back, status in ((420, "answered"), (150, "answered"), (30, "withdrawn")):
        closed = add_years(today, -years) - timedelta(days=back)
        _closed_request(ctx, closed - timedelta(days=24), closed, status)
    for back, status in ((-45, "withdrawn"), (-120, "answered")):
        closed = add_years(today, -years) - timedelta(days=back)
        _closed_request(ctx, closed - timedelta(days=21), closed, status)
    # A recent answered request.
    _closed_request(ctx, today - timedelta(days=64), today - timedelta(days=40), "answered")

    # One authorised disposal for the log and the certificate; the rest stay due.
    due = list(services.retention.report().due)
    if len(due) >= 2:
        services.retention.dispose([(due[0].category, due[0].record_id)], DEMO_ACCOUNTS["coordinator"][1])
    # An open request that holds back a family or volunteer record past retention.
    area_due = [i for i in services.retention.report().due if i.category in ("family", "volunteer")]
    if area_due:
        item = area_due[0]
        first, last = person(ctx.rng)
        # A volunteer asks in their own name; for a family, one of the parents asks.
        who = item.label if item.category == "volunteer" else f"{first} {last}"
        sar.log(who, ID_CHECKS[1], today - timedelta(days=9), item.category, item.record_id)

    # Open requests: one received twelve days ago, one nearly due.
    first, last = person(ctx.rng)
    sar.log(f"{first} {last}", ID_CHECKS[2], today - timedelta(days=12),
            notes="Asked by letter for a copy of everything held about her.")
    first, last = person(ctx.rng)
    sar.log(f"{first} {last}", ID_CHECKS[0], today - timedelta(days=27))

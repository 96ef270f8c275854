"""First steps: the short checklist a new centre's dashboard shows until it is done or dismissed.

Each step is decided from what the records already hold, so it ticks itself off: the centre's
session days and times, the Chair's account, the volunteers (added or imported), the policy's
last review and the first backup. The list is shown to a Coordinator or Chair while the centre
is new or nearly empty (fewer than ``NEARLY_EMPTY_FAMILIES`` families), disappears once every
step is done, and can be dismissed (``DashboardService.dismiss(FIRST_STEPS)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.records import DashboardAction, DashboardItem, DashboardSection
from ccc_desktop.models.roles import Permission, Role
from ccc_desktop.models.services.area import Area

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services

FIRST_STEPS = "first_steps"
NEARLY_EMPTY_FAMILIES = 10


def _step(tab: str, done: str | None, todo: str, *actions: DashboardAction) -> DashboardItem:
    """One step, shown on ``tab``: ``done`` says what the records hold once it is done (None
    while it is not); until then ``todo`` says what to do and ``actions`` go and do it."""
    if done is not None:
        return DashboardItem(done, tab=tab, done=True)
    return DashboardItem(todo, tab=tab, done=False, actions=actions)


def _session_days(services: Services) -> DashboardItem:
    patterns = [p for p in services.bookings.patterns() if p.active]
    days = ", ".join(f"{p.weekday_name} {p.start_time}–{p.end_time}" for p in patterns[:3])
    more = f" and {len(patterns) - 3} more" if len(patterns) > 3 else ""
    return _step(
        "register", f"Session days and times: {days}{more}." if patterns else None,
        "Session days and times: set the days the centre is open, the hours and how many "
        "families each session takes.",
        DashboardAction("Set the session days", "register", "days_button"))


def _chair(services: Services) -> DashboardItem:
    chairs = [a for a in services.accounts.list() if a.enabled and a.role is Role.CHAIR]
    return _step(
        "settings", f"The Chair's account: {chairs[0].display_name} has one." if chairs else None,
        "The Chair's account: the Chair is told of summonses and authorises disclosures and "
        "disposals, so give them their own account.",
        DashboardAction("Add the Chair's account", "settings", "add_account_button"))


def _volunteers(services: Services) -> DashboardItem:
    count = len(services.volunteers.list())
    return _step(
        "volunteers", f"Volunteers: {count} recorded." if count else None,
        "Volunteers: add each volunteer (with their undertaking and DBS check), or import "
        "them from a spreadsheet.",
        DashboardAction("Add a volunteer", "volunteers", "new_volunteer_button"),
        DashboardAction("Import from a spreadsheet", "settings", "import_button"))


def _policy(services: Services) -> DashboardItem:
    last = services.policy.review_status().last_review
    return _step(
        "policy", None if last is None else
        f"The confidentiality policy: last reviewed on {format_date(last.reviewed_on)}.",
        "The confidentiality policy: record when the committee last reviewed it, so the "
        "dashboard can say when the next annual review is due.",
        DashboardAction("Record the last review", "policy", "review_button"))


def _backup(services: Services) -> DashboardItem:
    last = services.backup.last_backup()
    return _step(
        "reports", None if last is None else
        f"The first backup: made on {format_date(last.made_at.date())}.",
        "The first backup: copy the records to a USB stick or another disk, and keep it "
        "away from this computer.",
        DashboardAction("Make a backup", "reports", "backup_button"))


STEPS = (_session_days, _chair, _volunteers, _policy, _backup)


def first_steps(services: Services) -> list[DashboardItem]:
    """Every step, done or not, in the order a new centre takes them (Coordinator/Chair)."""
    services.session.actor.require(Permission.EDIT_CENTRE)
    return [step(services) for step in STEPS]


def first_steps_section(services: Services) -> DashboardSection | None:
    if not services.session.actor.can(Permission.EDIT_CENTRE):
        return None
    if services.dashboard.is_dismissed(FIRST_STEPS):
        return None
    if services.families.count() >= NEARLY_EMPTY_FAMILIES:
        return None
    items = first_steps(services)
    done = sum(1 for i in items if i.done)
    if done == len(items):
        return None
    return DashboardSection(f"First steps: {done} of {len(items)} done", items, order=0,
                            checklist=True, key=FIRST_STEPS)


FIRST_STEPS_AREA = Area("first steps", dashboard=(first_steps_section,))

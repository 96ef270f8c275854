"""First steps (issue 16): a new centre's checklist ticks each step off from the records, goes
away when done or dismissed (kept in the vault), and is the Coordinator's and Chair's only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.imports.fields import Kind
from ccc_desktop.models.imports.reading import read_bytes
from ccc_desktop.models.records import DashboardSection
from ccc_desktop.models.roles import Role
from ccc_desktop.models.services.first_steps import FIRST_STEPS, NEARLY_EMPTY_FAMILIES
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.vault import Vault
from conftest import CENTRE, START
from tests.family_helpers import accepted_family
from tests.volunteer_helpers import details

PASSPHRASE = "Coordinator passphrase 1"


@pytest.fixture
def new_centre(tmp_path: Path) -> Iterator[Services]:
    """A centre straight out of the set-up wizard: one Coordinator, nothing else."""
    vault = Vault(tmp_path / "new", FixedClock(START))
    session, _recovery = vault.create(CENTRE, "coordinator", "Carol Dean", PASSPHRASE)
    yield build_services(session)
    if session.is_open:
        session.lock("logged out")


def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


def first_steps(s: Services) -> DashboardSection | None:
    return next((x for x in s.dashboard.sections() if x.key == FIRST_STEPS), None)


def step(s: Services, starts: str) -> bool | None:
    section = first_steps(s)
    assert section is not None
    return next(i.done for i in section.items if i.text.startswith(starts))


def test_a_new_centre_sees_every_step_undone_with_a_way_to_each(new_centre: Services) -> None:
    section = first_steps(new_centre)
    assert section is not None and section.checklist
    assert section.title == "First steps: 0 of 5 done"
    assert [i.text.split(":")[0] for i in section.items] == [
        "Session days and times", "The Chair's account", "Volunteers",
        "The confidentiality policy", "The first backup"]
    assert all(i.done is False and i.actions for i in section.items)
    assert [(a.tab, a.place) for i in section.items for a in i.actions] == [
        ("register", "days_button"), ("settings", "add_account_button"),
        ("volunteers", "new_volunteer_button"), ("settings", "import_button"),
        ("policy", "review_button"), ("reports", "backup_button")]
    # It comes first on the dashboard.
    assert new_centre.dashboard.sections()[0].key == FIRST_STEPS


def test_session_days_tick_off(new_centre: Services) -> None:
    assert step(new_centre, "Session days") is False
    new_centre.bookings.add_pattern(5, "10:00", "12:00", 8)
    assert step(new_centre, "Session days") is True
    assert "Saturday 10:00–12:00" in first_steps(new_centre).items[0].text  # type: ignore[union-attr]


def test_the_chairs_account_ticks_off_and_a_volunteer_account_does_not(new_centre: Services) -> None:
    new_centre.accounts.add("sam", "Sam Volunteer", Role.VOLUNTEER, "Temporary passphrase 1")
    assert step(new_centre, "The Chair's account") is False
    new_centre.accounts.add("chair", "Margaret Holt", Role.CHAIR, "Temporary passphrase 2")
    assert step(new_centre, "The Chair's account") is True


def test_volunteers_tick_off_when_added(new_centre: Services) -> None:
    assert step(new_centre, "Volunteers") is False
    new_centre.volunteers.create(details())
    assert step(new_centre, "Volunteers") is True


def test_volunteers_tick_off_when_imported(new_centre: Services) -> None:
    data = ("Name;DOB;Phone\r\nPat Jones;05/06/1961;01246 555014\r\n").encode("utf-8-sig")
    new_centre.imports.run(new_centre.imports.plan(Kind.VOLUNTEERS, read_bytes(data, "v.csv")))
    assert step(new_centre, "Volunteers") is True


def test_the_policy_review_ticks_off(new_centre: Services) -> None:
    assert step(new_centre, "The confidentiality policy") is False
    new_centre.policy.record_review("01/10/2026", "The committee", "")
    assert step(new_centre, "The confidentiality policy") is True


def test_the_first_backup_ticks_off(new_centre: Services, tmp_path: Path) -> None:
    assert step(new_centre, "The first backup") is False
    new_centre.backup.backup(stick(tmp_path))
    assert step(new_centre, "The first backup") is True


def test_it_disappears_once_every_step_is_done(new_centre: Services, tmp_path: Path) -> None:
    s = new_centre
    s.bookings.add_pattern(5, "10:00", "12:00", 8)
    s.accounts.add("chair", "Margaret Holt", Role.CHAIR, "Temporary passphrase 2")
    s.volunteers.create(details())
    s.policy.record_review("01/10/2026", "The committee", "")
    assert first_steps(s).title == "First steps: 4 of 5 done"  # type: ignore[union-attr]
    s.backup.backup(stick(tmp_path))
    assert first_steps(s) is None


def test_a_centre_with_families_is_not_new(new_centre: Services) -> None:
    for n in range(NEARLY_EMPTY_FAMILIES - 1):
        accepted_family(new_centre, full_name=f"Parent {n}")
    assert first_steps(new_centre) is not None
    accepted_family(new_centre, full_name="One more")
    assert first_steps(new_centre) is None


def test_dismissal_is_kept_in_the_vault_and_audited(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "new", FixedClock(START))
    session, _ = vault.create(CENTRE, "coordinator", "Carol Dean", PASSPHRASE)
    s = build_services(session)
    s.dashboard.dismiss(FIRST_STEPS)
    assert first_steps(s) is None
    assert "dashboard section dismissed" in [e.action for e in s.audit.entries()]
    session.lock("logged out")
    again = build_services(vault.unlock("coordinator", PASSPHRASE))
    assert first_steps(again) is None
    again.session.lock("logged out")
    with pytest.raises(ValidationError):
        build_services(vault.unlock("coordinator", PASSPHRASE)).dashboard.dismiss("No such; thing")


def test_only_the_coordinator_and_chair_see_or_dismiss_it(coordinator: Services, chair: Services,
                                                          volunteer: Services) -> None:
    # The test vault has a Chair but no session days, volunteers, review or backup.
    assert first_steps(coordinator) is not None and first_steps(chair) is not None
    assert step(chair, "The Chair's account") is True
    assert first_steps(volunteer) is None
    with pytest.raises(PermissionDenied):
        volunteer.dashboard.dismiss(FIRST_STEPS)
    chair.dashboard.dismiss(FIRST_STEPS)
    assert first_steps(coordinator) is None

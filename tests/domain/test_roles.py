"""Every role boundary of the ground floor, checked at the service, not the button."""

import pytest

from ccc_desktop.models.errors import PermissionDenied
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.roles import ROLE_PERMISSIONS, Permission, Role


def test_volunteer_cannot_manage_accounts(volunteer) -> None:
    with pytest.raises(PermissionDenied):
        volunteer.accounts.list()
    with pytest.raises(PermissionDenied):
        volunteer.accounts.add("newone", "New One", Role.VOLUNTEER, "Good passphrase 1")
    with pytest.raises(PermissionDenied):
        volunteer.accounts.disable(1)
    with pytest.raises(PermissionDenied):
        volunteer.accounts.reset_passphrase(1, "Good passphrase 1")
    with pytest.raises(PermissionDenied):
        volunteer.accounts.enable(1, "Good passphrase 1")


def test_volunteer_cannot_read_or_verify_the_audit_trail(volunteer) -> None:
    actor = volunteer.session.actor
    with pytest.raises(PermissionDenied):
        volunteer.audit.entries(actor)
    with pytest.raises(PermissionDenied):
        volunteer.audit.verify(actor)


def test_volunteer_cannot_change_centre_details_or_settings(volunteer) -> None:
    with pytest.raises(PermissionDenied):
        volunteer.centre.update(CentreDetails(name="Hacked"))
    with pytest.raises(PermissionDenied):
        volunteer.centre.set_idle_lock_minutes(60)


def test_volunteer_has_no_seal_key(volunteer) -> None:
    assert not volunteer.session.has_seal_key
    with pytest.raises(PermissionDenied):
        _ = bytes(volunteer.session.seal_key)


def test_volunteer_can_change_own_passphrase(volunteer) -> None:
    from conftest import VOLUNTEER

    volunteer.accounts.change_own_passphrase(VOLUNTEER[1], "My own new passphrase")


def test_chair_can_do_what_the_coordinator_can(chair) -> None:
    assert len(chair.accounts.list()) == 3
    new = chair.accounts.add("newcoord", "New Coordinator", Role.COORDINATOR, "Good passphrase 1")
    assert new.must_change_passphrase
    chair.centre.update(CentreDetails(name="Renamed Centre"))
    assert chair.audit.verify(chair.session.actor).ok
    assert chair.session.has_seal_key


def test_new_coordinator_made_by_chair_gets_the_seal_key(chair, vault) -> None:
    chair.accounts.add("newcoord", "New Coordinator", Role.COORDINATOR, "Good passphrase 1")
    s = vault.unlock("newcoord", "Good passphrase 1")
    assert s.seal_key == chair.session.seal_key
    s.lock()


def test_role_table_matches_the_design() -> None:
    assert ROLE_PERMISSIONS[Role.COORDINATOR] == frozenset(Permission)
    assert ROLE_PERMISSIONS[Role.CHAIR] == frozenset(Permission)
    volunteer = ROLE_PERMISSIONS[Role.VOLUNTEER]
    for forbidden in (Permission.VIEW_CONTACT_DETAILS, Permission.VIEW_DBS_RESULTS,
                      Permission.MANAGE_LEGAL, Permission.VIEW_RESTRICTED,
                      Permission.VIEW_REPORTS, Permission.VIEW_FAMILIES):
        assert forbidden not in volunteer
    assert Permission.RUN_REGISTER in volunteer

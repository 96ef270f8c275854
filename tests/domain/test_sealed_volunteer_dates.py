"""Issue 12, migration 0028: a volunteer's status and roles, start date, references, induction
and safeguarding training, undertaking, policy reading, court clause, resignation date and the
record's own times were open to a Session volunteer's key. Now they are sealed in the row's
blob; the contact details the service sealed before moved to ``details_sealed`` unchanged.
Only the name (who is on duty) and the account link stay open."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from insider_view import leaks, readable_text, rows_read, slot_key
from volunteer_helpers import details

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import PermissionDenied
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.sealing import seal_is_pending
from ccc_desktop.models.storage.volunteers import VolunteerStore
from ccc_desktop.models.vault import Vault
from ccc_desktop.models.volunteers_records import VolunteerRole, VolunteerStatus
from conftest import FIXTURES, VOLUNTEER

SEALED = ("status", "roles", "start_date", "references_received", "induction_on",
          "safeguarding_on", "undertaking_version", "undertaking_signed_on", "policy_read_on",
          "court_clause_acknowledged", "resigned_on", "created_at", "updated_at")
# What the volunteer's key reads in those columns: nothing (the CHECKs want a status, and a
# resignation date once resigned).
CLEARED = ("applicant", "", None, 0, None, None, "", None, None, 0, "", "", "")
DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")


def _columns(folder: Path, who: tuple[str, str],
             columns: tuple[str, ...] = SEALED) -> list[tuple[object, ...]]:
    return rows_read(folder, who, "volunteers", columns)


def _opened(s: Services) -> dict[int, tuple[object, ...]]:
    """Each volunteer's SEALED values as the service opens them, in the columns' form."""
    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    out = {}
    for v in s.volunteers.list():
        d = v.details
        roles = ",".join(r.value for r in VolunteerRole if r in d.roles)  # as stored
        out[v.id] = (v.status.value, roles, iso(d.start_date), d.references_received, iso(d.induction_on),
                     iso(d.safeguarding_on), d.undertaking_version, iso(d.undertaking_signed_on),
                     iso(d.policy_read_on), int(d.court_clause_acknowledged), iso(v.resigned_on),
                     v.created_at, v.updated_at)
    return out


def test_the_volunteers_key_reads_colleagues_names_only(
        coordinator: Services, vault_dir: Path, volunteer: Services) -> None:
    kept = coordinator.volunteers.create(details(full_name="Ffion Pritchard"))
    left = coordinator.volunteers.create(details(full_name="Zbigniew Łukasz",
                                                 start_date=date(2019, 4, 1)))
    coordinator.volunteers.resign(left.id, date(2023, 11, 2), "Moved away")
    rows = _columns(vault_dir, VOLUNTEER)
    assert rows and all(r == CLEARED for r in rows)
    key, _seal = slot_key(vault_dir, *VOLUNTEER)
    assert leaks(vault_dir / "centre.cccdb", key, "volunteers") == {}
    text = readable_text(vault_dir / "centre.cccdb", key)
    for secret in ("2026-01-10", "2026-01-12", "2026-01-20", "2019-04-01", "2023-11-02",
                   "Moved away", "alice@example.org"):
        assert secret not in text, secret
    # The rota's names stay open; whichever dates are recorded, one blob size.
    assert _columns(vault_dir, VOLUNTEER, ("full_name",)) == [
        ("Ffion Pritchard",), ("Zbigniew Łukasz",)]
    applicant = coordinator.volunteers.create(details(
        full_name="Bare Applicant", start_date=None, references_received=0, induction_on=None,
        safeguarding_on=None, undertaking_version="", undertaking_signed_on=None,
        policy_read_on=None, court_clause_acknowledged=False))
    sizes = {len(r[0]) for r in _columns(vault_dir, VOLUNTEER, ("private_sealed",))}
    assert len(sizes) == 1
    # Through the services, with the seal key, every value opens as it was given.
    opened = _opened(coordinator)
    assert opened[kept.id][:6] == ("applicant", "session", "2026-01-10", 2, "2026-01-12", "2026-01-20")
    assert opened[left.id][:3] == ("resigned", "session", "2019-04-01")
    assert opened[left.id][10] == "2023-11-02"
    assert opened[applicant.id][2:11] == (None, 0, None, None, "", None, None, 0, None)
    assert [v.id for v in coordinator.volunteers.list(VolunteerStatus.RESIGNED)] == [left.id]
    assert coordinator.volunteers.get(left.id).resignation_reason == "Moved away"
    assert [r.volunteer_id for r in coordinator.volunteers.retention_dates()] == [left.id]
    # Without the seal key the store refuses the dates, as any sealed field.
    row = VolunteerStore(volunteer.session.db).get(kept.id)
    assert row["full_name"] == "Ffion Pritchard"
    with pytest.raises(PermissionDenied):
        _ = row["start_date"]


def test_a_change_reseals_and_rejoining_clears_the_date(
        coordinator: Services, vault_dir: Path) -> None:
    v = coordinator.volunteers.create(details(full_name="Siân Rhys"))
    coordinator.volunteers.update(v.id, details(full_name="Siân Rhys", safeguarding_on=date(2026, 10, 1)))
    assert coordinator.volunteers.get(v.id).details.safeguarding_on == date(2026, 10, 1)
    coordinator.volunteers.resign(v.id, date(2026, 11, 1), "")
    assert coordinator.volunteers.get(v.id).resigned_on == date(2026, 11, 1)
    coordinator.volunteers.rejoin(v.id)
    again = coordinator.volunteers.get(v.id)
    assert again.resigned_on is None and again.details.safeguarding_on == date(2026, 10, 1)
    assert coordinator.volunteers.retention_dates() == []
    assert all(r == CLEARED for r in _columns(vault_dir, VOLUNTEER))


def test_the_released_vaults_volunteer_dates_are_sealed_at_the_first_manager_unlock(
        tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    before = _columns(folder, DEMO_COORDINATOR)
    assert sum(1 for r in before if r[2]) >= 3  # the demo's start dates are there
    assert any(r[10] for r in before) and {r[0] for r in before} >= {"active", "resigned"}
    vault = Vault(folder, FixedClock(datetime(2026, 11, 30, 10, 0)))
    # A Session volunteer unlocks first: the register works and nothing is sealed yet.
    session = vault.unlock(*DEMO_VOLUNTEER)
    try:
        assert seal_is_pending(session.db)
        sid = session.db.scalar("SELECT session_id FROM rota ORDER BY session_id LIMIT 1")
        assert build_services(session).volunteers.on_duty(sid)  # who is on duty, by name
    finally:
        session.lock()
    session = vault.unlock(*DEMO_COORDINATOR)
    try:
        assert not seal_is_pending(session.db)
        services = build_services(session)
        opened = _opened(services)
        addresses = [v.details.address for v in services.volunteers.list()]
    finally:
        session.lock()
    assert [opened[i] for i in sorted(opened)] == before  # every value came across
    assert all(addresses)  # the contact details, renamed to details_sealed, still open
    assert all(r == CLEARED for r in _columns(folder, DEMO_COORDINATOR))
    key, _seal = slot_key(folder, *DEMO_VOLUNTEER)
    assert leaks(folder / "centre.cccdb", key, "volunteers") == {}

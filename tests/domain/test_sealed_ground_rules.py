"""Issue 12, migration 0027: when each adult had the ground rules and the policy explained and
agreed was open to a Session volunteer's key; the register never needs it (a Coordinator or
Chair books). Now it is sealed with the adult's contact details, and the dashboard's "ground
rules not recorded" opens it."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from family_helpers import accepted_family
from insider_view import rows_read

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.sealing import seal_is_pending
from ccc_desktop.models.vault import Vault
from conftest import FIXTURES, VOLUNTEER

DATES = ("ground_rules_on", "policy_agreed_on")
DEMO_COORDINATOR = ("coordinator", "riverside coordinator")


def _open_columns(folder: Path, who: tuple[str, str]) -> list[tuple[object, ...]]:
    return rows_read(folder, who, "family_adults", DATES)


def _agreed(s: Services, family_id: int) -> dict[str, tuple[date | None, date | None]]:
    return {a.full_name: (a.ground_rules_on, a.policy_agreed_on) for a in s.families.get(family_id).adults}


def test_the_volunteers_key_does_not_read_when_ground_rules_were_agreed(
        coordinator: Services, vault_dir: Path) -> None:
    agreed = accepted_family(coordinator, full_name="Gwen Groundrules")
    lacking = accepted_family(coordinator, full_name="Lacey Late", ground_rules_on="",
                              policy_agreed_on="")
    rows = _open_columns(vault_dir, VOLUNTEER)
    assert rows and all(r == (None, None) for r in rows)
    assert _agreed(coordinator, agreed)["Gwen Groundrules"] == (date(2026, 9, 10), date(2026, 9, 10))
    assert [fid for fid, _ref in coordinator.families.lacking_ground_rules()] == [lacking]
    adult = next(a.id for a in coordinator.families.get(lacking).adults if a.full_name == "Lacey Late")
    coordinator.families.record_ground_rules(adult, "12/10/2026", "12/10/2026")
    assert coordinator.families.lacking_ground_rules() == []  # a change is never hidden
    assert all(r == (None, None) for r in _open_columns(vault_dir, VOLUNTEER))


def test_the_released_vaults_dates_are_sealed_at_the_first_manager_unlock(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    before = _open_columns(folder, DEMO_COORDINATOR)
    assert sum(1 for r in before if r != (None, None)) >= 10  # the demo's agreed dates are there
    vault = Vault(folder, FixedClock(datetime(2026, 11, 30, 10, 0)))
    session = vault.unlock(*DEMO_COORDINATOR)
    try:
        assert not seal_is_pending(session.db)
        services = build_services(session)
        ids = [int(r[0]) for r in session.db.query("SELECT id FROM family_adults ORDER BY id")]
        opened = {}
        for fid in {int(r[0]) for r in session.db.query("SELECT family_id FROM family_adults")}:
            for a in services.families.get(fid).adults:
                opened[a.id] = (a.ground_rules_on.isoformat() if a.ground_rules_on else None,
                                a.policy_agreed_on.isoformat() if a.policy_agreed_on else None)
    finally:
        session.lock()
    assert [opened[i] for i in ids] == before  # every date came across
    assert all(r == (None, None) for r in _open_columns(folder, DEMO_COORDINATOR))

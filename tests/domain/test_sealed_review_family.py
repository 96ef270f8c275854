"""Issue 12, migration 0030: which family a review of the contact arrangement is about was open
to a Session volunteer's key, so it read which families have had reviews. It is sealed with the
review; a family's reviews are found by the blind index of the family (``family_index``)."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from family_helpers import accepted_family
from insider_view import connect, rows_read, slot_key

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.sealing import seal_is_pending
from ccc_desktop.models.vault import Vault
from conftest import FIXTURES, VOLUNTEER

DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")


def _reviews(s: Services, family_id: int) -> list[tuple[date, str]]:
    return list(s.families.get(family_id).reviews)


def test_the_volunteers_key_does_not_read_which_families_have_reviews(
        coordinator: Services, vault_dir: Path) -> None:
    reviewed = accepted_family(coordinator, full_name="Rhiannon Reviewed")
    other = accepted_family(coordinator, full_name="Olek Other")
    never = accepted_family(coordinator, full_name="Nell Never")
    coordinator.families.record_review(reviewed, "12/10/2026", "Going well")
    coordinator.families.record_review(reviewed, "12/11/2026", "Still well")
    coordinator.families.record_review(other, "01/11/2026", "")
    rows = rows_read(vault_dir, VOLUNTEER, "family_reviews", ("family_id", "family_index"))
    assert len(rows) == 3 and all(r[0] is None for r in rows)
    indexes = [r[1] for r in rows]
    assert indexes[0] == indexes[1] != indexes[2]  # which reviews share a family, not which
    assert not {str(f) for f in (reviewed, other, never)} & set(indexes)
    assert _reviews(coordinator, reviewed) == [(date(2026, 10, 12), "Going well"),
                                               (date(2026, 11, 12), "Still well")]
    assert _reviews(coordinator, other) == [(date(2026, 11, 1), "")]
    assert _reviews(coordinator, never) == []
    assert FamilyStore(coordinator.session.db)._last_reviews([reviewed, other, never]) == {
        reviewed: "2026-11-12", other: "2026-11-01"}
    # A review given another family's index in the file opens only to its own family: it is
    # left out of the other family's list (and the family it is about no longer finds it).
    key, _seal = slot_key(vault_dir, *VOLUNTEER)
    conn = connect(vault_dir / "centre.cccdb", key)
    try:
        conn.execute("UPDATE family_reviews SET family_index = ? WHERE id = 3", (indexes[0],))
        conn.commit()
    finally:
        conn.close()
    assert len(_reviews(coordinator, reviewed)) == 2
    # A family's removal takes its reviews (no cascade from a sealed link).
    db = coordinator.session.db
    with db.transaction():
        FamilyStore(db).delete_family(reviewed)
    assert db.scalar("SELECT count(*) FROM family_reviews") == 1


def test_the_released_vaults_reviews_find_their_families_after_the_upgrade(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    before = rows_read(folder, DEMO_COORDINATOR, "family_reviews", ("id", "family_id"))
    assert len({r[1] for r in before}) >= 3  # the demo's reviews, of several families
    vault = Vault(folder, FixedClock(datetime(2026, 11, 30, 10, 0)))
    vault.unlock(*DEMO_VOLUNTEER).lock()  # a Session volunteer first: nothing is sealed yet
    session = vault.unlock(*DEMO_COORDINATOR)
    try:
        assert not seal_is_pending(session.db)
        store = FamilyStore(session.db)
        found = sorted((r["id"], fid) for fid in {r[1] for r in before}
                       for r in store.reviews(int(fid)))
        services = build_services(session)
        assert all(services.families.get(int(fid)).reviews for fid in {r[1] for r in before})
    finally:
        session.lock()
    assert found == sorted(before)  # every review came across to its own family
    after = rows_read(folder, DEMO_COORDINATOR, "family_reviews", ("family_id", "family_index"))
    assert all(r[0] is None and r[1] for r in after)

"""Issue 12, migration 0029: whether a family has restricted notes showed to a Session
volunteer's key (the column was empty for a family without). Every family now holds sealed
notes, empty until written, padded as written ones are, so a family without notes, one with a
short note and one whose notes were cleared look alike in the file."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from family_helpers import accepted_family, referral, resident
from insider_view import connect, rows_read, slot_key

from ccc_desktop.models import crypto
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.sealing import seal_is_pending
from ccc_desktop.models.vault import Vault
from conftest import FIXTURES, VOLUNTEER

DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")


def _lengths(folder: Path, who: tuple[str, str]) -> list[int | None]:
    return [None if r[0] is None else len(r[0])
            for r in rows_read(folder, who, "families", ("restricted_sealed",))]


def test_a_family_with_notes_and_one_without_look_alike_to_the_volunteers_key(
        coordinator: Services, vault_dir: Path) -> None:
    without = accepted_family(coordinator, full_name="Nia Nonotes")
    written = accepted_family(coordinator, full_name="Wanda Written")
    cleared = accepted_family(coordinator, full_name="Clara Cleared")
    coordinator.families.set_restricted_notes(written, "Non-molestation order: see the file.")
    coordinator.families.set_restricted_notes(cleared, "Written, then taken back.")
    coordinator.families.set_restricted_notes(cleared, "")
    [created] = coordinator.families.add_families(  # an import's batch, too
        [(referral(), [resident(full_name="Bea Batch")], [])])
    lengths = _lengths(vault_dir, VOLUNTEER)
    assert len(lengths) == 4 and None not in lengths and len(set(lengths)) == 1
    assert [coordinator.families.has_restricted_notes(f) for f in (without, written, cleared, created)] \
        == [False, True, False, False]
    assert coordinator.families.restricted_notes(without) == ""
    assert coordinator.families.restricted_notes(written) == "Non-molestation order: see the file."


def test_the_released_vaults_families_get_empty_notes_at_the_first_manager_unlock(
        tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    # The demo has no restricted notes: one is written as the released code sealed them
    # (unpadded, with the seal key, bound to the family), on the second family.
    key, seal = slot_key(folder, *DEMO_COORDINATOR)
    assert seal is not None
    conn = connect(folder / "centre.cccdb", key)
    try:
        conn.execute("UPDATE families SET restricted_sealed = ? WHERE id = 2", (crypto.seal(
            seal, b"Non-molestation order", b"families.restricted|2"),))
        conn.commit()
    finally:
        conn.close()
    before = _lengths(folder, DEMO_COORDINATOR)
    assert before.count(None) == len(before) - 1 and before[1]
    vault = Vault(folder, FixedClock(datetime(2026, 11, 30, 10, 0)))
    session = vault.unlock(*DEMO_VOLUNTEER)  # a Session volunteer first: nothing to fill with
    session.lock()
    assert _lengths(folder, DEMO_COORDINATOR)[:len(before)] == before
    session = vault.unlock(*DEMO_COORDINATOR)
    try:
        assert not seal_is_pending(session.db)
        services = build_services(session)
        ids = [int(r[0]) for r in session.db.query("SELECT id FROM families ORDER BY id")]
        has = [services.families.has_restricted_notes(f) for f in ids]
        assert services.families.restricted_notes(ids[1]) == "Non-molestation order"
    finally:
        session.lock()
    assert has == [n is not None for n in before]  # the notes written before still open
    after = _lengths(folder, DEMO_VOLUNTEER)
    assert None not in after and len(set(after)) == 1

"""Owner binding (issue 12): a stored letter is sealed bound to its subject and an attachment to
its owner, so someone holding only the database key cannot move a sealed file to another
record in the file: the moved row no longer opens, and the app leaves it out and says so."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from family_helpers import accepted_family
from insider_view import connect, slot_key
from test_attachments import pdf

from ccc_desktop.models import crypto
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.sealed import SEALED_TABLES, SealedMoved, Sealer, _pad
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.storage.sealing import BIND_KEY, PENDING_KEY, bound_values
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

MOVED = "moved to another record"


def _insider(vault: Vault, sql: str, params: tuple[object, ...]) -> None:
    """The Session volunteer's own database key, and their own tools on the raw file."""
    key, seal = slot_key(vault.paths.data_dir, *VOLUNTEER)
    assert seal is None
    conn = connect(vault.paths.db, key)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def test_a_document_moved_to_another_family_in_the_file_is_not_shown_there(
        coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    a_id = accepted_family(coordinator, full_name="Family A Parent")
    b_id = accepted_family(coordinator, full_name="Family B Parent")
    doc = coordinator.attachments.add("family", a_id, "Court order.pdf", pdf())
    letter = coordinator.letters.keep("attendance", "Attendance letter", "family", a_id, pdf())
    assert [x.id for x in coordinator.attachments.list("family", a_id)] == [doc.id]
    coordinator.session.lock()

    _insider(vault, "UPDATE attachments SET owner_id = ? WHERE id = ?", (b_id, doc.id))
    _insider(vault, "UPDATE letters SET subject_id = ? WHERE id = ?", (b_id, letter.id))

    services = build_services(vault.unlock(*COORDINATOR))
    try:
        shown = services.attachments.list("family", b_id)
        assert shown == [] and shown.hidden == 1
        assert services.attachments.list("family", a_id) == []
        letters = services.families.letters(b_id)
        assert letter.id not in [x.id for x in letters] and letters.hidden == 1
        with pytest.raises(SealedMoved, match=MOVED):
            services.attachments.open(doc.id)
        with pytest.raises(SealedMoved, match=MOVED):
            services.letters.open(letter.id)
        # Moved back, it opens again: nothing was lost, only refused.
    finally:
        services.session.lock()
    _insider(vault, "UPDATE attachments SET owner_id = ? WHERE id = ?", (a_id, doc.id))
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert services.attachments.open(doc.id) == pdf()
    finally:
        services.session.lock()


def test_moving_a_document_to_another_kind_of_record_is_refused_too(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    doc = coordinator.attachments.add("family", fid, "Court order.pdf", pdf())
    coordinator.session.lock()
    _insider(vault, "UPDATE attachments SET owner_type = 'referral' WHERE id = ?", (doc.id,))
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert services.attachments.list("referral", fid).hidden == 1
    finally:
        services.session.lock()


def _unbind(db, sealer: Sealer, table: str) -> int:  # type: ignore[no-untyped-def]
    """Seal the table's rows as the code before migration 0019 did (table and row id only)."""
    spec = SEALED_TABLES[table]
    n = 0
    for row in db.query(f"SELECT * FROM {table} WHERE private_sealed IS NOT NULL"):
        bound = bound_values(db, table, row["id"], row)
        values = sealer.open_fields(table, row["id"], row["private_sealed"], bound)
        old = {"private_sealed": crypto.seal(sealer._key, _pad(crypto_json(values)),
                                             f"{spec.context}|{row['id']}".encode())}
        for b in spec.binary:
            plain = sealer.open_bytes(table, b, row["id"], row[b], bound)
            old[b] = crypto.seal(sealer._key, _pad(plain), f"{table}.{b}|{row['id']}".encode())
        db.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in old)} WHERE id = ?",
                   [*old.values(), row["id"]])
        n += 1
    return n


def crypto_json(values: dict[str, object]) -> bytes:
    import json

    return json.dumps(values, ensure_ascii=False, sort_keys=True).encode("utf-8")


def test_migration_0019_binds_rows_sealed_before_at_the_first_manager_unlock(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    other = accepted_family(coordinator, full_name="Other Parent")
    doc = coordinator.attachments.add("family", fid, "Court order.pdf", pdf())
    letter = coordinator.letters.keep("attendance", "Attendance letter", "family", fid, pdf(b"L"))
    db = coordinator.session.db
    sealer = db.sealer
    assert sealer is not None
    with db.transaction():
        assert _unbind(db, sealer, "attachments") == 1 and _unbind(db, sealer, "letters") >= 1
        db.execute("PRAGMA user_version = 18")  # as the release before this one left it
    coordinator.session.lock()

    # A Session volunteer unlocks first: the schema upgrades, nothing can be sealed yet.
    session = vault.unlock(*VOLUNTEER)
    try:
        assert session.db.scalar("SELECT 1 FROM meta WHERE key = ?", (BIND_KEY,)) is not None
    finally:
        session.lock()
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        db = services.session.db
        assert db.scalar("SELECT count(*) FROM meta WHERE key IN (?, ?)", (BIND_KEY, PENDING_KEY)) == 0
        assert [x.id for x in services.attachments.list("family", fid)] == [doc.id]
        assert services.attachments.open(doc.id) == pdf()
        assert services.letters.open(letter.id) == pdf(b"L")
        assert "records sealed" in [e.action for e in services.audit.entries()]
    finally:
        services.session.lock()
    # Bound now: moved in the file, it no longer opens.
    _insider(vault, "UPDATE attachments SET owner_id = ? WHERE id = ?", (other, doc.id))
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert services.attachments.list("family", other).hidden == 1
    finally:
        services.session.lock()


def test_a_released_vault_upgrades_with_its_letters_bound_to_their_subjects(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    key, _ = slot_key(folder, "coordinator", "riverside coordinator")
    conn = connect(folder / "centre.cccdb", key)
    try:
        released = conn.execute("SELECT id, title, subject_type, subject_id, pdf FROM letters "
                                "WHERE subject_type = 'family' ORDER BY id").fetchall()
    finally:
        conn.close()
    assert released
    vault = Vault(folder, FixedClock(datetime(2026, 11, 30, 10, 0)))
    services = build_services(vault.unlock("coordinator", "riverside coordinator"))
    try:
        for lid, title, _t, fid, data in released:
            shown = services.families.letters(fid)
            assert lid in [x.id for x in shown] and shown.hidden == 0
            assert services.letters.get(lid).title == title
            assert services.letters.open(lid) == bytes(data)
    finally:
        services.session.lock()
    lid, _title, _t, fid, _data = released[0]
    other = next(r[3] for r in released if r[3] != fid)
    conn = connect(folder / "centre.cccdb", key)
    try:
        conn.execute("UPDATE letters SET subject_id = ? WHERE id = ?", (other, lid))
        conn.commit()
    finally:
        conn.close()
    services = build_services(vault.unlock("coordinator", "riverside coordinator"))
    try:
        shown = services.families.letters(other)
        assert lid not in [x.id for x in shown] and shown.hidden == 1
    finally:
        services.session.lock()


def test_a_moved_document_stops_neither_a_disposal_nor_a_chair_leaving(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    """A manager leaving replaces the seal key: a letter or document moved to another record in
    the file is not left sealed under the old key (which the manager leaving holds). It is put
    back with its own record and sealed under the new key; one whose record was disposed of
    meanwhile is deleted, as it would have been with its record."""
    from test_dataprot_areas import resigned

    fid = accepted_family(coordinator)
    other = accepted_family(coordinator, full_name="Other Parent")
    doc = coordinator.attachments.add("family", fid, "Court order.pdf", pdf())
    kept = coordinator.attachments.add("family", other, "Agreement.pdf", pdf(b"K"))
    letter = coordinator.letters.keep("attendance", "Attendance letter", "family", fid, pdf(b"L"))
    v = resigned(coordinator, "Leaving Person", datetime(2021, 1, 1).date())
    orphan = coordinator.attachments.add("volunteer", v.id, "Reference.pdf", pdf(b"V"))
    coordinator.session.lock()
    _, old_seal = slot_key(vault.paths.data_dir, *COORDINATOR)
    assert old_seal is not None
    _insider(vault, "UPDATE attachments SET owner_id = ? WHERE id = ?", (other, doc.id))
    _insider(vault, "UPDATE letters SET subject_id = ? WHERE id = ?", (other, letter.id))
    _insider(vault, "UPDATE attachments SET owner_type = 'family', owner_id = ? WHERE id = ?",
             (other, orphan.id))
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert services.attachments.list("family", other).hidden == 2
        assert services.retention.dispose([("volunteer", v.id)], COORDINATOR[1]).disposed == 1
        chair = next(a for a in services.accounts.list() if a.username == "chair")
        result = services.accounts.disable(chair.id)
        assert result is not None and result.seal_replaced
        detail = services.audit.entries(services.session.actor, "records rekeyed")[0].detail
        assert "2 put back with their own record, 1 deleted (their record is gone)" in detail
    finally:
        services.session.lock()
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        shown = services.attachments.list("family", other)
        assert [x.id for x in shown] == [kept.id] and shown.hidden == 0
        assert services.attachments.open(kept.id) == pdf(b"K")
        assert [x.id for x in services.attachments.list("family", fid)] == [doc.id]
        assert services.attachments.open(doc.id) == pdf()
        assert [x.id for x in services.families.letters(fid)] == [letter.id]
        assert services.letters.open(letter.id) == pdf(b"L")
        assert services.attachments.open(doc.id) == pdf()
    finally:
        services.session.lock()
    # Through the file: no letter or document is sealed under the old key any more.
    key, new_seal = slot_key(vault.paths.data_dir, *COORDINATOR)
    assert new_seal is not None and new_seal != old_seal
    conn = connect(vault.paths.db, key)
    try:
        for table in ("letters", "attachments"):
            cols = ", ".join(SEALED_TABLES[table].bound)
            rows = conn.execute(f"SELECT id, private_sealed, {cols} FROM {table}").fetchall()
            assert rows and orphan.id not in [r[0] for r in rows if table == "attachments"]
            for row_id, blob, *bound_to in rows:
                bound = dict(zip(SEALED_TABLES[table].bound, bound_to, strict=True))
                assert Sealer(new_seal).open_fields(table, row_id, blob, bound)
                with pytest.raises(SealedMoved):
                    Sealer(old_seal).open_fields(table, row_id, blob, bound)
    finally:
        conn.close()

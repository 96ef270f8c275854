"""Issue 12, migration 0026: of the waiting list a Session volunteer's key read which family
waits, since when, for which session, the offers made, when it left and why ("referral
closed" dated a family's sealed closing). Now only that entries exist. The list, the dashboard,
the statistics and disposal work on the opened values."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlcipher3
from family_helpers import accepted_family
from insider_view import leaks, readable_text, slot_key

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import VaultCorrupt
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.sealed import SEALED_TABLES, Sealer
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.migrate import shipped_migrations
from ccc_desktop.models.storage.sealing import PENDING_KEY
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")
FIELDS = SEALED_TABLES["waiting_list"].fields
SECRETS = ("2026-09-03", "2026-09-13", "2026-10-20", "referral closed", "Tarrant-referrals")


def _raw(folder: Path, who: tuple[str, str]) -> sqlcipher3.Connection:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*who)
    conn = sqlcipher3.connect(str(folder / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(keys.db_key).hex()}'\"")
    keys.wipe()
    return conn


def _readable(conn: sqlcipher3.Connection) -> dict[int, dict[str, object]]:
    cur = conn.execute("SELECT * FROM waiting_list")
    names = [d[0] for d in cur.description]
    return {r[0]: {n: v for n, v in zip(names, r, strict=True) if n not in ("id", "private_sealed")}
            for r in cur.fetchall()}


def _import(s: Services, file_name: str, who: str) -> int:
    from ccc_desktop.models.imports.reading import read_bytes
    from ccc_desktop.models.services.imports import Kind

    header = "Referral date,Parent 1 name,Parent 1 role,Child 1 name,Child 1 DOB"
    data = f"{header}\n02/09/2026,{who},Resident parent,Amy {who.split()[1]},14/03/2019\n"
    plan = s.imports.plan(Kind.FAMILIES, read_bytes(data.encode(), file_name))
    assert plan.problems == []
    s.imports.run(plan)
    return max(b.id for b in s.imports.history())


def _entries(s: Services, families: list[int]) -> dict[int, tuple[object, ...]]:
    return {e.id: (e.family_id, e.added_on.isoformat(), e.status,
                   e.left_on.isoformat() if e.left_on else None, e.left_reason, e.offers_made)
            for fid in families for e in s.waiting.for_family(fid)}


def test_the_volunteers_key_reads_that_entries_exist_and_nothing_else(
        coordinator: Services, vault_dir: Path, vault: Vault, clock: FixedClock) -> None:
    waiting = accepted_family(coordinator, full_name="Wendy Waiting")
    closing = accepted_family(coordinator, full_name="Cleo Closter")
    e1 = coordinator.waiting.add(waiting, "02/10/2026")
    e2 = coordinator.waiting.add(closing, "13/10/2026")
    coordinator.families.set_status(closing, "closed", "ended for safety", "")
    with _raw(vault_dir, VOLUNTEER) as conn:
        readable = _readable(conn)
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name LIKE 'waiting_list_by%'"
                                ).fetchone()
    assert set(readable) == {e1, e2}
    for values in readable.values():
        assert values == FIELDS
    key, seal = slot_key(vault_dir, *VOLUNTEER)
    assert seal is None
    text = readable_text(vault.paths.db, key)
    for secret in ("2026-10-02", "2026-10-13", "referral closed"):
        assert secret not in text, secret

    # The Coordinator's views work on the opened values.
    assert [(e.id, e.family_id, e.position) for e in coordinator.waiting.entries()] == [
        (e1, waiting, 1)]
    [left] = coordinator.waiting.for_family(closing)
    assert (left.id, left.status, left.left_reason) == (e2, "removed", "referral closed")
    assert left.left_on == clock.today()
    stats = coordinator.statistics.figures(datetime(2026, 10, 1).date(), clock.today())
    assert stats["waiting.joined"] == 2 and stats["waiting.at_end"] == 1
    # A family disposed of takes its entries (no cascade from a sealed family link).
    clock.at = datetime(2030, 6, 1, 9, 0)
    result = coordinator.retention.dispose([("family", closing)], COORDINATOR[1])
    assert result.disposed == 1
    assert coordinator.session.db.scalar("SELECT count(*) FROM waiting_list") == 1
    assert [e.id for e in coordinator.waiting.for_family(waiting)] == [e1]


def test_rows_from_schema_25_are_sealed_at_the_next_manager_unlock(tmp_path: Path) -> None:
    """The released vault brought to schema 25 (the waiting list open), entries written there
    as that code did, then upgraded: the volunteer's key reads them until a manager unlocks;
    then nothing but that they exist, and the services give every value back."""
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    upto_25 = [m for m in shipped_migrations() if m.number <= 25]
    clock = FixedClock(datetime(2026, 11, 27, 9, 0))
    # A volunteer's unlock brings it to 25 (today's code would count the statistics at a
    # manager's, reading the list as sealed); the rows are written as schema 25's code did.
    Vault(folder, clock, upto_25).unlock(*DEMO_VOLUNTEER).lock()
    key, _seal = slot_key(folder, *DEMO_VOLUNTEER)
    before = readable_text(folder / "centre.cccdb", key)
    assert not any(secret in before for secret in SECRETS)  # not dates the demo has open
    rows: list[tuple[int, str, str, str | None, str | None, str, int]] = []
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 25
        families = [int(r[0]) for r in conn.execute("SELECT id FROM families ORDER BY id LIMIT 3")]
        assert len(families) == 3
        reviews = sorted((int(r[0]), r[1]) for r in conn.execute(
            "SELECT family_id, reviewed_on FROM family_reviews"))
        assert reviews  # the demo's reviews, released with their dates open
        rows = [(families[0], "2026-09-03", "waiting", None, None, "", 0),
                (families[1], "2026-09-13", "removed", "2026-10-01", "2026-10-20", "referral closed", 1),
                (families[2], "2026-10-05", "offered", "2026-11-20", None, "", 2)]
        conn.execute("INSERT INTO import_batches (kind, file_name, checksum, imported_at, "
                     "actor, audit_id) VALUES ('families', 'Tarrant-referrals.csv', 'abc123def456', "
                     "'2026-09-13T10:00:00', 'coordinator', 1)")
        for fid, added, status, offered, left, reason, offers in rows:
            conn.execute("INSERT INTO waiting_list (family_id, added_on, status, offered_on, "
                         "left_on, left_reason, offers_made, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (fid, added, status, offered, left, reason, offers, f"{added}T10:00:00"))
    text = readable_text(folder / "centre.cccdb", key)
    assert all(secret in text for secret in SECRETS)
    assert "referral closed" in readable_text(folder / "centre.cccdb", key)

    vault = Vault(folder, clock)
    vault.unlock(*DEMO_VOLUNTEER).lock()  # 0026 runs; nothing can be sealed yet
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 26
        assert conn.execute("SELECT 1 FROM meta WHERE key = ?", (PENDING_KEY,)).fetchone()
    found = leaks(folder / "centre.cccdb", key, "waiting_list")
    assert "referral closed" in found["left_reason"] and "2026-09-13" in found["added_on"]

    session = vault.unlock(*DEMO_COORDINATOR)
    s = build_services(session)
    got = _entries(s, families)
    assert sorted(got.values()) == sorted(
        (fid, added, status, left, reason, offers)
        for fid, added, status, _offered, left, reason, offers in rows)
    assert [e.family_id for e in s.waiting.entries()] == [families[0], families[2]]
    assert sorted((fid, on.isoformat()) for fid in {f for f, _on in reviews}
                  for on, _notes in s.families.get(fid).reviews) == reviews
    assert [(b.file_name, b.checksum) for b in s.imports.history()] == [
        ("Tarrant-referrals.csv", "abc123def456")]
    session.lock()
    for table in ("waiting_list", "family_reviews", "import_batches"):
        assert leaks(folder / "centre.cccdb", key, table) == {}, table
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        readable = _readable(conn)
        assert not conn.execute("SELECT 1 FROM meta WHERE key = ?", (PENDING_KEY,)).fetchone()
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name LIKE 'waiting_list_by%'"
                                ).fetchone()
    assert len(readable) == 3 and all(v == FIELDS for v in readable.values())
    text = readable_text(folder / "centre.cccdb", key)
    for secret in SECRETS:
        assert secret not in text, secret


def test_a_manager_leaving_reseals_the_waiting_list(vault: Vault) -> None:
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    fid = accepted_family(s, full_name="Wendy Waiting")
    other = accepted_family(s, full_name="Cleo Closter")
    s.waiting.add(fid, "02/10/2026")
    s.waiting.add(other, "13/10/2026")
    s.families.set_status(other, "closed", "ended for safety", "")
    before = _entries(s, [fid, other])
    assert len(before) == 2
    s.families.record_review(fid, "17/10/2026", "Going well")
    _import(s, "Tarrant-referrals.csv", "Rhoswen Tarrant")
    imports = s.imports.history()
    reviews = s.families.get(fid).reviews
    old_seal = bytes(session.seal_key)
    chair = next(a for a in s.accounts.list() if a.username == "chair")
    result = s.accounts.disable(chair.id)
    assert result is not None and result.seal_replaced
    assert _entries(s, [fid, other]) == before
    assert s.imports.history() == imports and s.families.get(fid).reviews == reviews
    for table in ("family_reviews", "import_batches"):
        for row_id, blob in session.db.query(f"SELECT id, private_sealed FROM {table}"):
            with pytest.raises(VaultCorrupt):
                Sealer(old_seal).open_fields(table, row_id, blob)
    rows = session.db.query("SELECT id, private_sealed FROM waiting_list")
    assert len(rows) == 2 and all(blob is not None for _id, blob in rows)
    for row_id, blob in rows:
        with pytest.raises(VaultCorrupt):  # refused under the old key, as it should be
            Sealer(old_seal).open_fields("waiting_list", row_id, blob)
    session.lock()


def test_review_dates_are_sealed_and_the_dashboard_still_finds_reviews_due(
        coordinator: Services, vault_dir: Path, vault: Vault) -> None:
    fid = accepted_family(coordinator, full_name="Rita Review")
    coordinator.families.record_review(fid, "17/10/2026", "Going well")
    coordinator.families.record_review(fid, "03/10/2026", "")
    assert [r[0] for r in coordinator.families.get(fid).reviews] == [
        datetime(2026, 10, 3).date(), datetime(2026, 10, 17).date()]
    facts = {r["id"]: r["last_review"] for r in coordinator.families.store.review_facts()}
    assert facts[fid] == "2026-10-17"
    key, _seal = slot_key(vault_dir, *VOLUNTEER)
    assert leaks(vault.paths.db, key, "family_reviews") == {}
    text = readable_text(vault.paths.db, key)
    for secret in ("2026-10-17", "2026-10-03", "Going well"):
        assert secret not in text, secret


def test_an_imports_file_name_and_facts_are_sealed(
        coordinator: Services, vault_dir: Path, vault: Vault) -> None:
    batch = _import(coordinator, "Tarrant-referrals.csv", "Rhoswen Tarrant")
    [shown] = [b for b in coordinator.imports.history() if b.id == batch]
    assert (shown.file_name, shown.created) == ("Tarrant-referrals.csv", 1)
    key, _seal = slot_key(vault_dir, *VOLUNTEER)
    assert leaks(vault.paths.db, key, "import_batches") == {}
    text = readable_text(vault.paths.db, key)
    assert "Tarrant-referrals" not in text and shown.checksum not in text
    coordinator.imports.undo(batch)
    [undone] = [b for b in coordinator.imports.history() if b.id == batch]
    assert undone.undone_at and undone.file_name == "Tarrant-referrals.csv"
    assert leaks(vault.paths.db, key, "import_batches") == {}


def test_restricted_notes_are_padded_and_old_ones_padded_at_the_next_manager_unlock(
        vault: Vault, vault_dir: Path) -> None:
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    short, long_ = accepted_family(s), accepted_family(s, full_name="Lena Long")
    s.families.set_restricted_notes(short, "Brief.")
    s.families.set_restricted_notes(long_, "A much longer account of a worry. " * 20)
    # A note as the service sealed it before (its own length), waiting since the upgrade.
    old = accepted_family(s, full_name="Olga Old")
    db, sealer = session.db, session.db.sealer
    assert sealer is not None
    with db.transaction():
        db.execute("UPDATE families SET restricted_sealed = ? WHERE id = ?",
                   (sealer.seal_unpadded(f"families.restricted|{old}", b"Old note."), old))
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('restricted_pad_pending', x'01')")
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('seal_pending', x'01')")
    session.lock()

    def sizes() -> dict[int, int]:
        with _raw(vault_dir, VOLUNTEER) as conn:
            return {r[0]: r[1] for r in conn.execute(
                "SELECT id, length(restricted_sealed) FROM families WHERE restricted_sealed IS NOT NULL")}

    before = sizes()
    assert before[short] == before[long_] and before[old] < before[short]
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    assert s.families.restricted_notes(old) == "Old note."
    assert s.families.restricted_notes(short) == "Brief."
    session.lock()
    assert len(set(sizes().values())) == 1


def test_waiting_at_the_end_follows_changes_to_earlier_sealed_months(coordinator: Services) -> None:
    """The sealed months' waiting sums are kept a session (by each blob's nonce): a change to
    an earlier month is counted the next time."""
    from datetime import date

    first = accepted_family(coordinator, full_name="First Waiting")
    second = accepted_family(coordinator, full_name="Second Waiting")
    coordinator.waiting.add(first, "03/08/2026")
    period = (date(2026, 10, 1), date(2026, 10, 31))
    assert coordinator.statistics.figures(*period)["waiting.at_end"] == 1
    coordinator.waiting.add(second, "05/08/2026")  # a month kept already: sealed again
    assert coordinator.statistics.figures(*period)["waiting.at_end"] == 2
    [entry] = coordinator.waiting.for_family(first)
    coordinator.waiting.remove(entry.id, "withdrew")  # left in November: still there in October
    assert coordinator.statistics.figures(*period)["waiting.at_end"] == 2
    assert coordinator.statistics.figures(date(2026, 11, 1), date(2026, 11, 30))["waiting.at_end"] == 1

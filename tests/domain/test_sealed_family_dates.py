"""Issue 12: a family's referral dates and how its referral moved on (status, pre-visit day,
accepted, declined and closed dates and reasons, the close note) and the row's own times
(created, changed, last used) are sealed (migration 0023), and so are the statistics ledger's
counts of referrals declined, withdrawn and closed by reason. A Session volunteer's key reads
none of them; lists, the dashboard, retention, the register and the statistics work on the
opened values; the volunteer's register still moves a family's last use."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import sqlcipher3
from family_helpers import accepted_family, child, referral, resident, visiting
from insider_view import leaks, slot_key

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import VaultCorrupt
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.sealed import Sealer
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.statistics_records import CLOSED, DECLINED, WITHDRAWN
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.sealed_ledger import PENDING_KEY as LEDGER_PENDING
from ccc_desktop.models.storage.sealing import PENDING_KEY
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

# What migration 0023 sealed (the families' other sealed fields were sealed before).
NEWLY_SEALED = ("referral_status", "referral_date", "previsit_on", "accepted_on", "declined_on",
                "decline_reason", "closed_on", "close_reason", "created_at", "updated_at",
                "last_used_on")
CLOSING_EVENTS = {DECLINED, WITHDRAWN, CLOSED}
DAY = date(2026, 12, 5)  # a session after the test clock's 26 Nov 2026
DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")


def _raw(folder: Path, who: tuple[str, str]) -> sqlcipher3.Connection:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*who)
    conn = sqlcipher3.connect(str(folder / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(keys.db_key).hex()}'\"")
    keys.wipe()
    return conn


def _ledger_events(folder: Path, who: tuple[str, str]) -> set[str]:
    with _raw(folder, who) as conn:
        return {r[0] for r in conn.execute("SELECT event FROM stats_ledger")}


def _closing_families(s: Services) -> tuple[int, int, int]:
    """An accepted family, one declined (not suitable) and one closed for safety."""
    accepted = accepted_family(s)
    declined = s.families.create(referral(referral_date="03/09/2026"),
                                 [resident(full_name="Dora Declan"), visiting()], [child()])
    s.families.set_status(declined, "declined", "not suitable", "Risk assessment at pre-visit")
    closed = accepted_family(s, full_name="Cleo Closter")
    s.families.set_status(closed, "closed", "ended for safety", "Threat made at handover")
    return accepted, declined, closed


def test_the_volunteers_key_reads_no_family_date_status_or_reason(
        coordinator: Services, vault_dir: Path) -> None:
    accepted, declined, closed = _closing_families(coordinator)
    key, _seal = slot_key(vault_dir, *VOLUNTEER)
    assert leaks(vault_dir / "centre.cccdb", key, "families") == {}
    assert not _ledger_events(vault_dir, VOLUNTEER) & CLOSING_EVENTS
    with _raw(vault_dir, VOLUNTEER) as conn:
        names = {r[0] for r in conn.execute("SELECT full_name FROM family_adults")}
        text = " ".join(str(v) for row in conn.execute("SELECT * FROM families") for v in row)
    assert {"Jane Example", "Dora Declan", "Cleo Closter"} <= names  # the register's names
    for secret in ("2026-09-02", "2026-09-03", "2026-09-15", "2026-11-26", "ended for safety",
                   "not suitable", "accepted", "declined", "closed", "Threat made"):
        assert secret not in text, secret
    # The Coordinator still reads every one of them.
    fam = coordinator.families.get(closed)
    assert fam.referral.status.value == "closed" and fam.referral.referral_date == date(2026, 9, 2)
    assert fam.referral.previsit_on == date(2026, 9, 15) and fam.last_used_on == date(2026, 11, 26)
    assert fam.created_at.startswith("2026-11-26") and fam.updated_at.startswith("2026-11-26")
    assert coordinator.families.closing(closed) == (None, "ended for safety", "Threat made at handover")
    assert coordinator.families.closing(declined)[0] == "not suitable"
    assert coordinator.families.get(accepted).referral.status.value == "accepted"
    stats = coordinator.statistics.figures(date(2026, 1, 1), date(2026, 12, 31))
    assert stats.figure("referrals.declined").value == 1
    assert stats.figure("families.closed.ended for safety").value == 1


def test_the_check_bites_on_a_value_left_in_its_column(coordinator: Services, vault_dir: Path) -> None:
    """The insider check itself: a row still holding one of the values in plain is reported."""
    _closing_families(coordinator)
    key, _seal = slot_key(vault_dir, *VOLUNTEER)
    db_path = vault_dir / "centre.cccdb"
    assert leaks(db_path, key, "families") == {}
    with _raw(vault_dir, VOLUNTEER) as conn:  # as a row written before 0023 would hold it
        conn.execute("UPDATE families SET close_reason = 'ended for safety', "
                     "closed_on = '2026-11-20' WHERE id = (SELECT max(id) FROM families)")
    assert leaks(db_path, key, "families") == {"close_reason": {"ended for safety"},
                                               "closed_on": {"2026-11-20"}}


def test_lists_dashboard_and_retention_work_on_the_opened_values(
        coordinator: Services, clock: FixedClock) -> None:
    accepted, declined, closed = _closing_families(coordinator)
    # The list shows each family's opened status and last use.
    rows = {r.id: r for r in coordinator.families.search("")}
    assert rows[closed].status.value == "closed" and rows[declined].status.value == "declined"
    assert rows[accepted].last_used_on == date(2026, 11, 26)
    assert [r.id for r in coordinator.families.search("Cleo")] == [closed]
    # Ground rules missing: counted for the accepted family, not for the closed one.
    coordinator.families.add_adult(closed, resident(full_name="Gus Norules", ground_rules_on="",
                                                    policy_agreed_on=""))
    coordinator.families.add_adult(accepted, resident(full_name="Nia Norules", ground_rules_on="",
                                                      policy_agreed_on=""))
    assert [fid for fid, _ref in coordinator.families.lacking_ground_rules()] == [accepted]
    # Retention orders by the opened last use, not by id; what was opened before is not kept
    # once the family changes (the dashboard's reviews too).
    assert [c.family_id for c in coordinator.families.retention_candidates()] == [
        accepted, declined, closed]
    assert [fid for fid, _ref, _due in coordinator.families.reviews_due(10_000)] == []
    clock.advance(days=40)
    coordinator.families.set_safety(declined, "Uncle Bob", "")
    candidates = coordinator.families.retention_candidates()
    assert [c.family_id for c in candidates] == [accepted, closed, declined]
    assert candidates[-1].last_used_on == date(2027, 1, 5)
    store = FamilyStore(coordinator.session.db)
    assert [r["id"] for r in store.unused_since(date(2026, 12, 31))] == [accepted, closed]
    assert store.unused_since(date.max, declined)[0]["last_used_on"] == "2027-01-05"
    other = accepted_family(coordinator, full_name="Rhys Review")
    sid = coordinator.bookings.add_session("05/01/2027", "10:00", "12:00", 8)
    coordinator.register.arrive(coordinator.bookings.book(other, sid), "10:00")
    assert [fid for fid, _ref, _due in coordinator.families.reviews_due(10_000)] == [other]
    coordinator.families.set_status(other, "closed", "family withdrew")
    assert coordinator.families.reviews_due(10_000) == []


def test_the_register_at_the_door_still_moves_the_last_use(
        login, vault_dir: Path, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    coordinator = login("coordinator")
    fid = accepted_family(coordinator)
    sid = coordinator.bookings.add_session(DAY.strftime("%d/%m/%Y"), "10:00", "12:00", 8)
    booking = coordinator.bookings.book(fid, sid)
    coordinator.session.lock()
    clock.at = datetime.combine(DAY, datetime.min.time()).replace(hour=10, minute=5)
    volunteer = login("volunteer")
    volunteer.register.arrive(booking, "10:05")
    volunteer.session.lock()
    # The day the volunteer's key wrote is the session's, which the open bookings say anyway.
    with _raw(vault_dir, VOLUNTEER) as conn:
        assert conn.execute("SELECT last_used_on FROM families WHERE id = ?",
                            (fid,)).fetchone()[0] == DAY.isoformat()
    coordinator = login("coordinator")
    assert coordinator.families.get(fid).last_used_on == DAY
    assert [c.last_used_on for c in coordinator.families.retention_candidates()] == [DAY]
    coordinator.families.set_safety(fid, "Uncle Bob", "")  # a sealed write takes it in
    assert coordinator.families.get(fid).last_used_on == DAY
    coordinator.session.lock()
    key, _seal = slot_key(vault_dir, *VOLUNTEER)
    assert leaks(vault_dir / "centre.cccdb", key, "families") == {}


def test_rows_from_schema_22_are_sealed_at_the_next_manager_unlock(
        vault: Vault, vault_dir: Path) -> None:
    """As a file at schema 22: the values in their columns beside blobs that lack them, the
    closing counts in the open ledger."""
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    accepted, declined, closed = _closing_families(s)
    before = {f: s.families.get(f) for f in (accepted, declined, closed)}
    closing = {f: s.families.closing(f) for f in (declined, closed)}
    ledger = s.statistics.ledger_rows()
    db, sealer = session.db, session.db.sealer
    assert sealer is not None
    with db.transaction():
        for day, event, cat, n in ledger:
            if event in CLOSING_EVENTS:
                db.execute("INSERT INTO stats_ledger VALUES (?, ?, ?, ?)", (day, event, cat, n))
        for row in db.query("SELECT id, private_sealed FROM families"):
            opened = sealer.open_fields("families", row[0], row[1])
            old = {k: v for k, v in opened.items() if k not in NEWLY_SEALED}
            sets = ", ".join(f"{f} = ?" for f in NEWLY_SEALED)
            db.execute(f"UPDATE families SET private_sealed = ?, {sets} WHERE id = ?",
                       (sealer.seal_fields("families", row[0], old),
                        *(opened[f] for f in NEWLY_SEALED), row[0]))
        # The released sealed months had no closing counts.
        months = db.query("SELECT month, counts FROM stats_sealed")
        for month, blob in months:
            counts = json.loads(sealer.open_text(f"stats_sealed.counts|{month}", blob))
            kept = [c for c in counts if c[1] not in CLOSING_EVENTS]
            db.execute("UPDATE stats_sealed SET counts = ? WHERE month = ?",
                       (sealer.seal_text(f"stats_sealed.counts|{month}", json.dumps(kept)), month))
        for mark in (PENDING_KEY, LEDGER_PENDING):
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (mark,))
    session.lock()
    key, _seal = slot_key(vault_dir, *VOLUNTEER)
    found = leaks(vault_dir / "centre.cccdb", key, "families")
    assert set(found) == set(NEWLY_SEALED) and "ended for safety" in found["close_reason"]
    assert _ledger_events(vault_dir, VOLUNTEER) & CLOSING_EVENTS

    vault.unlock(*VOLUNTEER).lock()  # a volunteer first: nothing can be sealed yet
    assert set(leaks(vault_dir / "centre.cccdb", key, "families")) == set(NEWLY_SEALED)
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    assert {f: s.families.get(f) for f in before} == before
    assert {f: s.families.closing(f) for f in closing} == closing
    assert s.statistics.ledger_rows() == ledger
    session.lock()
    assert leaks(vault_dir / "centre.cccdb", key, "families") == {}
    assert not _ledger_events(vault_dir, VOLUNTEER) & CLOSING_EVENTS
    with _raw(vault_dir, VOLUNTEER) as conn:
        assert not conn.execute("SELECT key FROM meta WHERE key IN (?, ?)",
                                (PENDING_KEY, LEDGER_PENDING)).fetchall()


def test_the_released_vault_upgrades_and_keeps_every_family_date(tmp_path: Path) -> None:
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    columns = ("id", "referral_status", "referral_date", "previsit_on", "created_at",
               "updated_at", "last_used_on")
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        released = {r[0]: dict(zip(columns, r, strict=True)) for r in conn.execute(
            f"SELECT {', '.join(columns)} FROM families")}
    assert len(released) >= 10 and {r["referral_status"] for r in released.values()} >= {
        "accepted", "closed"}

    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))
    vault.unlock(*DEMO_VOLUNTEER).lock()  # the migration runs; nothing can be sealed yet
    key, _seal = slot_key(folder, *DEMO_VOLUNTEER)
    assert leaks(folder / "centre.cccdb", key, "families")  # still in plain, as released
    session = vault.unlock(*DEMO_COORDINATOR)
    s = build_services(session)
    came = {}
    for fid in released:
        f = s.families.get(fid)
        came[fid] = {"id": fid, "referral_status": f.referral.status.value,
                     "referral_date": f.referral.referral_date.isoformat(),
                     "previsit_on": f.referral.previsit_on.isoformat() if f.referral.previsit_on else None,
                     "created_at": f.created_at, "updated_at": f.updated_at,
                     "last_used_on": f.last_used_on.isoformat()}
    closed = [fid for fid, r in released.items() if r["referral_status"] == "closed"]
    reasons = {s.families.closing(fid)[1] for fid in closed}
    listed = {r.id: r.status.value for r in s.families.search("")}
    session.lock()
    assert came == released
    assert reasons == {"not recorded"}  # 0011 gave the released closed families this reason
    assert listed == {fid: r["referral_status"] for fid, r in released.items()}
    assert leaks(folder / "centre.cccdb", key, "families") == {}
    assert not _ledger_events(folder, DEMO_VOLUNTEER) & CLOSING_EVENTS


def test_a_manager_leaving_reseals_the_family_dates(vault: Vault) -> None:
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    accepted, declined, closed = _closing_families(s)
    before = {f: (s.families.get(f), s.families.closing(f)) for f in (accepted, declined, closed)}
    old_seal = bytes(session.seal_key)
    chair = next(a for a in s.accounts.list() if a.username == "chair")
    result = s.accounts.disable(chair.id)
    assert result is not None and result.seal_replaced
    assert {f: (s.families.get(f), s.families.closing(f)) for f in before} == before
    opened = 0
    for row_id, blob in session.db.query("SELECT id, private_sealed FROM families"):
        try:
            Sealer(old_seal).open_fields("families", row_id, blob)
            opened += 1
        except VaultCorrupt:  # refused under the old key, as it should be
            pass
    assert opened == 0
    session.lock()


def test_a_familys_statistics_ride_on_a_second_line_of_its_blob(coordinator: Services) -> None:
    """Lists that select on a family's status or last use parse only the first line; a blob
    sealed in one line (before migration 0023) opens the same."""
    from ccc_desktop.models import crypto
    from ccc_desktop.models.sealed import _pad

    fid = accepted_family(coordinator)
    db, sealer = coordinator.session.db, coordinator.session.db.sealer
    assert sealer is not None
    blob = db.scalar("SELECT private_sealed FROM families WHERE id = ?", (fid,))
    light, rest = sealer.open_parts("families", fid, blob)
    assert light["referral_status"] == "accepted" and "stats_json" not in light
    opened = sealer.open_fields("families", fid, blob)
    assert json.loads(rest) == {"stats_json": opened["stats_json"]} and opened["stats_json"]
    one_line = crypto.seal(sealer._key, _pad(json.dumps(opened).encode()),
                           f"families.private_sealed|{fid}".encode())
    assert sealer.open_fields("families", fid, one_line) == opened
    with db.transaction():
        db.execute("UPDATE families SET private_sealed = ? WHERE id = ?", (one_line, fid))
    fam = coordinator.families.get(fid)
    assert fam.referral.status.value == "accepted" and fam.last_used_on == date(2026, 11, 26)

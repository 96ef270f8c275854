"""Issue 12: a family's referral route and a DBS check's issue date are sealed (migration 0020),
and so are the statistics ledger's counts by route and by child's age band, which joined with
a family's open dates would give the route away. A Session volunteer's key reads none of them;
the Coordinator's lists, renewals and statistics work on the opened values."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlcipher3
from family_helpers import child, referral, resident, visiting
from volunteer_helpers import check, details

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import PermissionDenied
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.sealed import SEALED_TABLES
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.statistics_records import ACCEPTED, CHILD_SEEN, RECEIVED
from ccc_desktop.models.storage.sealed_ledger import PENDING_KEY as LEDGER_PENDING
from ccc_desktop.models.storage.sealed_ledger import SEALED_EVENTS
from ccc_desktop.models.storage.sealing import PENDING_KEY
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

# Of a DBS check only these columns are open (0020, 0021, 0022): the id, the sealed blobs and
# the certificate's blind index; not even which volunteer.
DBS_OPEN = {"id", "certificate_index", "outcome_sealed", "disclosed_sealed", "decision_sealed",
            "private_sealed"}
DBS_NEWLY_SEALED = ("issue_date", "update_service", "renewal_applied_on", "created_at",
                    "updated_at", "created_by")
DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _raw(folder: Path, who: tuple[str, str]) -> sqlcipher3.Connection:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*who)
    conn = sqlcipher3.connect(str(folder / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(keys.db_key).hex()}'\"")
    keys.wipe()
    return conn


def _open(conn: sqlcipher3.Connection) -> tuple[dict[int, str], dict[int, str], list[tuple]]:
    routes = {r[0]: r[1] for r in conn.execute("SELECT id, referral_route FROM families")}
    issued = {r[0]: r[1] for r in conn.execute("SELECT id, issue_date FROM dbs_checks")}
    has_ledger = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'stats_ledger'").fetchone()
    ledger = conn.execute("SELECT on_day, event, category, amount FROM stats_ledger").fetchall() \
        if has_ledger else []  # the released schema 7 had none
    return routes, issued, ledger


def _dbs_readable(conn: sqlcipher3.Connection) -> dict[int, dict[str, object]]:
    cur = conn.execute("SELECT * FROM dbs_checks")
    names = [d[0] for d in cur.description]
    return {r[0]: {n: v for n, v in zip(names, r, strict=True) if n not in DBS_OPEN}
            for r in cur.fetchall()}


def _by_route(s: Services) -> dict[str, int]:
    stats = s.statistics.figures(*YEAR)
    return {f.key.removeprefix("referrals.received."): f.value for f in stats.figures
            if f.key.startswith("referrals.received.")}


def _families(s: Services) -> list[int]:
    ids = []
    for n, (route, on) in enumerate((("cafcass", "02/09/2026"), ("self", "03/09/2026"),
                                      ("cafcass", "04/09/2026"))):
        ids.append(s.families.create(referral(route=route, referral_date=on),
                                     [resident(full_name=f"Parent {n}"), visiting()], [child()]))
    return ids


def test_the_volunteers_key_reads_no_route_issue_date_nor_ledger_route(
        coordinator: Services, vault_dir: Path) -> None:
    ids = _families(coordinator)
    coordinator.families.record_previsit(ids[0], "15/09/2026", "Carol Dean", "Checklist done")
    coordinator.families.set_status(ids[0], "accepted")
    v = coordinator.volunteers.create(details())
    c = coordinator.dbs.record(v.id, check(issue_date=date(2025, 6, 7), update_service=True,
                                           last_status_check=date(2026, 6, 1)))
    coordinator.dbs.record_renewal_application(c.id, date(2026, 11, 20))
    with _raw(vault_dir, VOLUNTEER) as conn:
        routes, issued, ledger = _open(conn)
        sealed_months = conn.execute("SELECT month, counts FROM stats_sealed").fetchall()
        dbs = _dbs_readable(conn)
    assert set(routes.values()) == {""} and set(issued.values()) == {""}
    assert list(dbs.values()) == [dict(SEALED_TABLES["dbs_checks"].fields)]
    assert not [r for r in ledger if r[1] in SEALED_EVENTS]
    text = " ".join(" ".join(str(c) for c in r) for r in ledger)
    assert "cafcass" not in text and "self" not in text
    assert sealed_months and all(b"cafcass" not in bytes(c) for _m, c in sealed_months)
    # The Coordinator still sees and counts them.
    assert coordinator.families.get(ids[0]).referral.route == "cafcass"
    latest = coordinator.dbs.latest()[0]
    assert latest.issue_date == date(2025, 6, 7) and latest.update_service
    assert latest.renewal_applied_on == date(2026, 11, 20) and latest.created_at
    assert _by_route(coordinator)["cafcass"] == 2 and _by_route(coordinator)["self"] == 1
    accepted = coordinator.statistics.figures(*YEAR).figure("referrals.accepted").value
    assert accepted == 1
    rows = coordinator.statistics.ledger_rows()
    assert ("2026-09-02", RECEIVED, "cafcass", 1) in rows
    assert any(r[1] == ACCEPTED for r in rows)


def test_checks_are_ordered_by_their_opened_issue_dates(coordinator: Services) -> None:
    v = coordinator.volunteers.create(details())
    w = coordinator.volunteers.create(details(full_name="Bob Aston"))
    coordinator.dbs.record(v.id, check(issue_date=date(2026, 3, 1)))
    coordinator.dbs.record(v.id, check(issue_date=date(2024, 2, 1)))  # recorded later, older
    coordinator.dbs.record(w.id, check(issue_date=date(2025, 1, 1)))
    assert [c.issue_date for c in coordinator.dbs.list(v.id)] == [date(2026, 3, 1), date(2024, 2, 1)]
    latest = coordinator.dbs.latest()
    assert [(c.volunteer_name, c.issue_date) for c in latest] == [
        ("Alice Brown", date(2026, 3, 1)), ("Bob Aston", date(2025, 1, 1))]
    assert [c.issue_date for c in coordinator.dbs.list()] == [
        date(2026, 3, 1), date(2025, 1, 1), date(2024, 2, 1)]


def test_a_volunteer_session_is_refused_what_selects_by_them(volunteer: Services) -> None:
    with pytest.raises(PermissionDenied):
        volunteer.statistics.figures(*YEAR)
    with pytest.raises(PermissionDenied):
        volunteer.dbs.latest()
    with pytest.raises(PermissionDenied):
        volunteer.statistics.ledger_rows()


def test_ledger_rows_written_before_the_migration_move_into_the_sealed_months(
        vault: Vault, vault_dir: Path) -> None:
    """As a file at schema 19: the route and age-band counts in the open ledger, the routes
    and issue dates in their columns beside blobs that lack them."""
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    _families(s)
    v = s.volunteers.create(details())
    s.dbs.record(v.id, check(issue_date=date(2025, 6, 7)))
    before = _by_route(s)
    db, sealer = session.db, session.db.sealer
    assert sealer is not None
    with db.transaction():
        for day, event, cat, n in s.statistics.ledger_rows():
            if event in SEALED_EVENTS:
                db.execute("INSERT INTO stats_ledger VALUES (?, ?, ?, ?)", (day, event, cat, n))
        db.execute("DELETE FROM stats_sealed")
        for table, fields in (("families", ("referral_route",)), ("dbs_checks", DBS_NEWLY_SEALED)):
            for row in db.query(f"SELECT id, private_sealed FROM {table}"):
                opened = sealer.open_fields(table, row[0], row[1])
                old = {k: v for k, v in opened.items() if k not in fields}
                sets = ", ".join(f"{f} = ?" for f in fields)
                db.execute(f"UPDATE {table} SET private_sealed = ?, {sets} WHERE id = ?",
                           (sealer.seal_fields(table, row[0], old), *(opened[f] for f in fields),
                            row[0]))
        for key in (PENDING_KEY, LEDGER_PENDING):
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (key,))
    session.lock()
    with _raw(vault_dir, VOLUNTEER) as conn:
        routes, issued, ledger = _open(conn)
    assert "cafcass" in routes.values() and "2025-06-07" in issued.values()
    with _raw(vault_dir, VOLUNTEER) as conn:
        assert [d["created_at"] for d in _dbs_readable(conn).values()] != [""]
    assert any(r[1] == RECEIVED and r[2] == "cafcass" for r in ledger)

    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    assert _by_route(s) == before
    assert s.dbs.latest()[0].issue_date == date(2025, 6, 7)
    session.lock()
    with _raw(vault_dir, VOLUNTEER) as conn:
        routes, issued, ledger = _open(conn)
        pending = conn.execute("SELECT key FROM meta WHERE key IN (?, ?)",
                               (PENDING_KEY, LEDGER_PENDING)).fetchall()
    assert set(routes.values()) == {""} and set(issued.values()) == {""}
    assert not [r for r in ledger if r[1] in SEALED_EVENTS] and not pending
    with _raw(vault_dir, VOLUNTEER) as conn:
        assert list(_dbs_readable(conn).values()) == [dict(SEALED_TABLES["dbs_checks"].fields)]


def test_the_released_vault_upgrades_and_keeps_every_route_and_issue_date(tmp_path: Path) -> None:
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    assert json.loads((folder / "centre.keys").read_text())["format"] == 1
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        before_routes, before_issued, _ledger = _open(conn)
        received = conn.execute("SELECT referral_date, referral_route FROM families").fetchall()
        created = {r[0]: r[1] for r in conn.execute("SELECT id, created_at FROM dbs_checks")}
    assert len(before_routes) >= 10 and before_issued
    assert "" not in before_routes.values() and "" not in before_issued.values()

    vault = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0)))
    vault.unlock(*DEMO_VOLUNTEER).lock()  # a volunteer first: nothing can be sealed yet
    session = vault.unlock(*DEMO_COORDINATOR)
    s = build_services(session)
    routes = {f: s.families.get(f).referral.route for f in before_routes}
    issued = {c.id: c.issue_date.isoformat() for c in s.dbs.list()}
    assert {c.id: c.created_at for c in s.dbs.list()} == created
    # The statistics count each released family under its own route.
    first = min(date.fromisoformat(r[0]) for r in received)
    stats = s.statistics.figures(first, date(2026, 11, 27))
    counted = {f.key.removeprefix("referrals.received."): f.value for f in stats.figures
               if f.key.startswith("referrals.received.")}
    session.lock()
    assert {k: str(v) for k, v in routes.items()} == before_routes and issued == before_issued
    expected: dict[str, int] = {}
    for _on, route in received:
        expected[route] = expected.get(route, 0) + 1
    assert {k: v for k, v in counted.items() if v} == expected
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        after_routes, after_issued, ledger = _open(conn)
    assert set(after_routes.values()) == {""} and set(after_issued.values()) == {""}
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        readable = list(_dbs_readable(conn).values())
    assert readable and all(d == SEALED_TABLES["dbs_checks"].fields for d in readable)
    assert not [r for r in ledger if r[1] in (RECEIVED, ACCEPTED, CHILD_SEEN)]


def test_a_manager_leaving_reseals_the_ledger_months(vault: Vault) -> None:
    from ccc_desktop.models import crypto

    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    _families(s)
    v = s.volunteers.create(details())
    s.dbs.record(v.id, check(issue_date=date(2025, 6, 7)))
    before = _by_route(s)
    old_seal = bytes(session.seal_key)
    chair = next(a for a in s.accounts.list() if a.username == "chair")
    result = s.accounts.disable(chair.id)
    assert result is not None and result.seal_replaced
    assert _by_route(s) == before and s.dbs.latest()[0].issue_date == date(2025, 6, 7)
    month, blob = session.db.query_one("SELECT month, counts FROM stats_sealed")
    assert crypto.unseal(old_seal, bytes(blob), f"stats_sealed.counts|{month}".encode()) is None
    session.lock()

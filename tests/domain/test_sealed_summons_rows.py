"""Issue 12: nothing in a witness summons's row, its steps' or a police visit's says which
family, which dates or which volunteer to a Session volunteer's key (migration 0020). What stays
open: each row's id (how many there are), a step's summons and kind. The dashboard, the lists,
retention, the holds on disposal and the statistics work on the opened values."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlcipher3
from family_helpers import accepted_family

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import PermissionDenied
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.legal_records import SUMMONS_STEPS, PoliceVisitForm, SummonsForm
from ccc_desktop.models.sealed import SEALED_TABLES
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.retention import AreaRetentionStore
from ccc_desktop.models.storage.sealing import PENDING_KEY
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")
# The only columns a volunteer's key may read in these tables.
OPEN = {"summonses": {"id", "private_sealed"}, "police_visits": {"id", "private_sealed"},
        "summons_steps": {"id", "summons_id", "step", "private_sealed"}}
NEWLY_SEALED = {"summonses": ("received_on", "received_how", "family_id", "respond_by",
                              "closed_on", "created_at", "created_by"),
                "summons_steps": ("done_on", "recorded_at", "recorded_by"),
                "police_visits": ("family_id", "recorded_at", "recorded_by")}


def _raw(folder: Path, who: tuple[str, str]) -> sqlcipher3.Connection:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*who)
    conn = sqlcipher3.connect(str(folder / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(keys.db_key).hex()}'\"")
    keys.wipe()
    return conn


def _readable(conn: sqlcipher3.Connection) -> dict[str, dict[int, dict[str, object]]]:
    """Every column but the open ones, per row, as the volunteer's key reads them."""
    out: dict[str, dict[int, dict[str, object]]] = {}
    for table, open_ in OPEN.items():
        cur = conn.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cur.description]
        out[table] = {r[0]: {n: v for n, v in zip(names, r, strict=True) if n not in open_}
                      for r in cur.fetchall()}
    return out


def _placeholders(table: str) -> dict[str, object]:
    return dict(SEALED_TABLES[table].fields)


def _log(s: Services, fid: int) -> tuple[int, int]:
    open_ = s.summonses.log(SummonsForm(
        received_on="20/11/2026", received_how="in person", court="Derby Family Court",
        case_number="DE26P01234", hearing_date="14/12/2026", respond_by="01/12/2026",
        served_on="Quentin Marsh", family_id=fid))
    s.summonses.record_step(open_.id, "chair", "21/11/2026", "Carol Dean")
    closed = s.summonses.log(SummonsForm(
        received_on="02/11/2026", received_how="post", court="Leeds County Court",
        case_number="LS26P00002", hearing_date="30/11/2026", family_id=fid))
    s.summonses.close(closed.id, "set aside", "10/11/2026")
    s.police.log(PoliceVisitForm(visit_date="21/11/2026", visit_time="14:05",
                                 officer_name="PC Rachel Moore", family_id=fid))
    return open_.id, closed.id


def test_the_volunteers_key_reads_nothing_of_a_summons_step_or_visit_but_that_it_exists(
        coordinator: Services, vault_dir: Path) -> None:
    fid = accepted_family(coordinator)
    open_id, closed_id = _log(coordinator, fid)
    with _raw(vault_dir, VOLUNTEER) as conn:
        readable = _readable(conn)
    assert set(readable["summonses"]) == {open_id, closed_id}
    assert len(readable["police_visits"]) == 1
    # Migration 0024: one step was recorded, but each summons has a row for each of the four
    # steps, sealed to one size: which steps, and how many, were taken does not read.
    with _raw(vault_dir, VOLUNTEER) as conn:
        rows = conn.execute("SELECT summons_id, step, length(private_sealed) FROM summons_steps "
                            "ORDER BY id").fetchall()
    assert sorted((sid, step) for sid, step, _n in rows) == sorted(
        (sid, step) for sid in (open_id, closed_id) for step, _label in SUMMONS_STEPS)
    assert len({n for _sid, _step, n in rows}) == 1
    for table, rows in readable.items():
        for values in rows.values():
            assert values == _placeholders(table), table

    # The Coordinator's screens and services work on the opened values.
    assert [s.id for s in coordinator.summonses.all(open_only=True)] == [open_id]
    assert [s.id for s in coordinator.summonses.all()] == [open_id, closed_id]
    assert {s.id for s in coordinator.summonses.for_family(fid)} == {open_id, closed_id}
    opened = coordinator.summonses.detail(open_id)
    assert opened.summons.received_how == "in person"
    assert opened.summons.respond_by == date(2026, 12, 1) and opened.summons.family_id == fid
    assert opened.steps["chair"].done_on == date(2026, 11, 21)
    assert coordinator.summonses.steps_done(open_only=True) == {open_id: {"chair"}}
    assert coordinator.police.all()[0].family_id == fid
    # The holds on disposal: the family of an open summons, the volunteer it was served on.
    store = AreaRetentionStore(coordinator.session.db)
    assert store.families_with_open_summons([fid, fid + 1]) == {fid}
    sections = {s.title: s for s in coordinator.dashboard.sections()}
    summons_items = sections["Witness summonses"].items
    assert len(summons_items) == 1 and "DE26P01234" in summons_items[0].text
    stats = coordinator.statistics.figures(date(2026, 11, 1), date(2026, 11, 30))
    assert stats.figure("legal.summonses").value == 2
    assert stats.figure("legal.police").value == 1


def test_retention_and_disposal_select_closed_summonses_after_opening(
        coordinator: Services, clock: FixedClock) -> None:
    fid = accepted_family(coordinator)
    open_id, closed_id = _log(coordinator, fid)
    db = coordinator.session.db
    from ccc_desktop.models.storage.legal import PoliceStore, SummonsStore

    store = SummonsStore(db)
    assert [s.id for s in store.closed_before("2026-11-10")] == [closed_id]
    assert store.closed_before("2026-11-09") == []
    assert store.closed_for_family(fid) == [closed_id]
    assert store.family_of([open_id, closed_id]) == {open_id: fid, closed_id: fid}
    with db.transaction():
        assert store.unlink_closed_family(fid) == 1
        assert PoliceStore(db).unlink_family(fid) == 1
    assert store.get(closed_id).family_id is None and store.get(open_id).family_id == fid
    assert coordinator.police.all()[0].family_id is None


def test_a_volunteer_session_is_refused_summonses_and_visits(volunteer: Services) -> None:
    with pytest.raises(PermissionDenied):
        volunteer.summonses.all()
    with pytest.raises(PermissionDenied):
        volunteer.police.all()
    assert not [s for s in volunteer.dashboard.sections() if s.title == "Witness summonses"]


def test_rows_sealed_before_migration_0020_are_completed_at_the_next_manager_unlock(
        vault: Vault, vault_dir: Path) -> None:
    """As a file at schema 19: the rows sealed, the newly sealed fields still in their columns
    beside blobs that lack them."""
    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    fid = accepted_family(s)
    open_id, _closed_id = _log(s, fid)
    before = ([(x.id, x.received_on, x.respond_by, x.closed_on, x.family_id) for x in s.summonses.all()],
              [(v.id, v.family_id, v.recorded_at) for v in s.police.all()],
              s.summonses.detail(open_id).steps["chair"])
    db, sealer = session.db, session.db.sealer
    assert sealer is not None
    with db.transaction():
        for table, fields in NEWLY_SEALED.items():
            for row in db.query(f"SELECT id, private_sealed FROM {table}"):
                opened = sealer.open_fields(table, row[0], row[1])
                old = {k: v for k, v in opened.items() if k not in fields}
                sets = ", ".join(f"{f} = ?" for f in fields)
                db.execute(f"UPDATE {table} SET private_sealed = ?, {sets} WHERE id = ?",
                           (sealer.seal_fields(table, row[0], old), *(opened[f] for f in fields),
                            row[0]))
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (PENDING_KEY,))
    session.lock()
    with _raw(vault_dir, VOLUNTEER) as conn:
        readable = _readable(conn)
    assert {v["received_on"] for v in readable["summonses"].values()} == {"2026-11-20", "2026-11-02"}
    assert {v["family_id"] for v in readable["police_visits"].values()} == {fid}

    session = vault.unlock(*COORDINATOR)
    s = build_services(session)
    after = ([(x.id, x.received_on, x.respond_by, x.closed_on, x.family_id) for x in s.summonses.all()],
             [(v.id, v.family_id, v.recorded_at) for v in s.police.all()],
             s.summonses.detail(open_id).steps["chair"])
    session.lock()
    assert after == before
    with _raw(vault_dir, VOLUNTEER) as conn:
        readable = _readable(conn)
    for table, rows in readable.items():
        for values in rows.values():
            assert values == _placeholders(table), table


def test_the_released_vault_upgrades_and_keeps_every_summons_step_and_visit(tmp_path: Path) -> None:
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        released = _readable(conn)
        kinds = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, summons_id, step FROM summons_steps")}
    assert released["summonses"] and released["police_visits"] and released["summons_steps"]

    session = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0))).unlock(*DEMO_COORDINATOR)
    s = build_services(session)
    summonses = {x.id: x for x in s.summonses.all()}
    visits = {v.id: v for v in s.police.all()}
    steps = {(sid, st.step): st for sid in summonses for st in s.summonses.detail(sid).steps.values()}
    held = AreaRetentionStore(session.db).families_with_open_summons(
        [f for f in (x.family_id for x in summonses.values()) if f is not None])
    session.lock()
    for sid, values in released["summonses"].items():
        x = summonses[sid]
        assert x.received_on.isoformat() == values["received_on"]
        assert x.received_how == values["received_how"] and x.family_id == values["family_id"]
        assert (x.respond_by.isoformat() if x.respond_by else None) == values["respond_by"]
        assert (x.closed_on.isoformat() if x.closed_on else None) == values["closed_on"]
        assert x.created_at == values["created_at"]
    for vid, values in released["police_visits"].items():
        assert visits[vid].family_id == values["family_id"]
        assert visits[vid].recorded_at == values["recorded_at"]
    # Every step recorded came across, and no other (migration 0024 added the rows of the
    # steps not yet done, holding nothing).
    assert set(steps) == set(kinds.values())
    for step_id, values in released["summons_steps"].items():
        assert steps[kinds[step_id]].done_on.isoformat() == values["done_on"]
        assert steps[kinds[step_id]].done_by == values["done_by"]
        assert steps[kinds[step_id]].note == values["note"]
    assert held == {x.family_id for x in summonses.values()
                    if x.closed_on is None and x.family_id is not None}
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        readable = _readable(conn)
    for table, rows in readable.items():
        for values in rows.values():
            assert values == _placeholders(table), table

"""Issue 12: a summons's hearing date and a police visit's date and time are sealed (migration
0017), so a Session volunteer's key no longer tells when a hearing is or when the police came;
lists and statistics still order and count them."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path

import sqlcipher3

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.keyslots import SlotFile
from ccc_desktop.models.legal_records import PoliceVisitForm, SummonsForm
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.sealing import PENDING_KEY
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

DEMO_COORDINATOR = ("coordinator", "riverside coordinator")
DEMO_VOLUNTEER = ("volunteer", "riverside volunteer")


def _raw(folder: Path, who: tuple[str, str]) -> sqlcipher3.Connection:
    keys = SlotFile.load(folder / "centre.keys").unlock_passphrase(*who)
    conn = sqlcipher3.connect(str(folder / "centre.cccdb"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(keys.db_key).hex()}'\"")
    keys.wipe()
    return conn


def _open_columns(conn: sqlcipher3.Connection) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    visits = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT id, visit_date, visit_time FROM police_visits")}
    hearings = {r[0]: r[1] for r in conn.execute("SELECT id, hearing_date FROM summonses")}
    return visits, hearings


def _log_both(s: Services) -> None:
    s.summonses.log(SummonsForm(received_on="20/11/2026", received_how="post",
                                court="Derby Family Court", case_number="DE26P01234",
                                hearing_date="14/12/2026", hearing_time="10:00"))
    s.police.log(PoliceVisitForm(visit_date="21/11/2026", visit_time="14:05",
                                 officer_name="PC Rachel Moore"))
    s.police.log(PoliceVisitForm(visit_date="23/11/2026", visit_time="09:15",
                                 officer_name="PC Dan Hale"))


def test_the_volunteers_key_reads_no_hearing_date_nor_visit_time(coordinator: Services, vault_dir: Path) -> None:
    _log_both(coordinator)
    with _raw(vault_dir, VOLUNTEER) as conn:
        visits, hearings = _open_columns(conn)
    assert visits and hearings
    assert set(visits.values()) == {("", "")} and set(hearings.values()) == {""}
    # Still ordered and counted for the Coordinator.
    assert [v.visit_date for v in coordinator.police.all()] == [date(2026, 11, 23), date(2026, 11, 21)]
    assert coordinator.summonses.all()[0].hearing_date == date(2026, 12, 14)


def test_rows_sealed_before_the_dates_were_are_sealed_at_the_next_manager_unlock(
        vault: Vault, vault_dir: Path) -> None:
    """As a file upgraded from schema 16: rows already sealed, their dates still in plaintext
    columns beside a blob that lacks them."""
    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    _log_both(services)
    db, sealer = session.db, session.db.sealer
    assert sealer is not None
    with db.transaction():
        for table, fields in (("police_visits", ("visit_date", "visit_time")),
                              ("summonses", ("hearing_date",))):
            for row in db.query(f"SELECT id, private_sealed FROM {table}"):
                opened = sealer.open_fields(table, row[0], row[1])
                old = {k: v for k, v in opened.items() if k not in fields}
                sets = ", ".join(f"{f} = ?" for f in fields)
                db.execute(f"UPDATE {table} SET private_sealed = ?, {sets} WHERE id = ?",
                           (sealer.seal_fields(table, row[0], old),
                            *(opened[f] for f in fields), row[0]))
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, x'01')", (PENDING_KEY,))
    session.lock()
    with _raw(vault_dir, VOLUNTEER) as conn:
        visits, hearings = _open_columns(conn)
    assert ("2026-11-21", "14:05") in visits.values() and "2026-12-14" in hearings.values()

    session = vault.unlock(*COORDINATOR)
    services = build_services(session)
    assert [(v.visit_date, v.visit_time) for v in services.police.all()] == [
        (date(2026, 11, 23), "09:15"), (date(2026, 11, 21), "14:05")]
    assert [s.hearing_date for s in services.summonses.all()] == [date(2026, 12, 14)]
    session.lock()
    with _raw(vault_dir, VOLUNTEER) as conn:
        visits, hearings = _open_columns(conn)
    assert set(visits.values()) == {("", "")} and set(hearings.values()) == {""}


def test_the_released_vault_upgrades_and_keeps_every_date(tmp_path: Path) -> None:
    folder = tmp_path / "v7"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    assert json.loads((folder / "centre.keys").read_text())["format"] == 1
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        before_visits, before_hearings = _open_columns(conn)
    assert before_visits and before_hearings

    session = Vault(folder, FixedClock(datetime(2026, 11, 27, 9, 0))).unlock(*DEMO_COORDINATOR)
    services = build_services(session)
    visits = {v.id: (v.visit_date.isoformat(), v.visit_time) for v in services.police.all()}
    hearings = {s.id: s.hearing_date.isoformat() for s in services.summonses.all()}
    session.lock()
    assert visits == before_visits and hearings == before_hearings
    with _raw(folder, DEMO_VOLUNTEER) as conn:
        after_visits, after_hearings = _open_columns(conn)
    assert set(after_visits.values()) == {("", "")} and set(after_hearings.values()) == {""}

"""Issue 12: a released (schema 7) vault upgrades to sealed rows and reads back the same."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from insider_view import (
    connect,
    decrypted_pages,
    every_cell,
    page_size_ok,
    pdf_text,
    readable_text,
    slot_key,
)

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import PermissionDenied
from ccc_desktop.models.sealed import SEALED_TABLES
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.storage.sealing import (
    SealedRow,
    open_binary,
    seal_is_pending,
    select,
)
from ccc_desktop.models.vault import Vault
from conftest import FIXTURES

CLOCK = datetime(2026, 11, 30, 10, 0)
COORD = ("coordinator", "riverside coordinator")  # the demo's accounts (fixture README)
VOL = ("volunteer", "riverside volunteer")


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    return folder


def _released_values(folder: Path) -> dict[tuple[str, int], dict[str, object]]:
    """Every sealed field of every row as the released code left it (plaintext)."""
    key, _seal = slot_key(folder, *COORD)
    conn = connect(folder / "centre.cccdb", key)
    out: dict[tuple[str, int], dict[str, object]] = {}
    try:
        released = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, spec in SEALED_TABLES.items():
            if table not in released:  # a table added after release 7 (attachments) holds nothing
                continue
            # Fields added to the registry after the release (issue 14) are not in its file.
            present = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            cols = [c for c in (*spec.fields, *spec.binary) if c in present]
            if not cols:  # a table sealed since (the disposal log's 'cleared', issue 12)
                continue
            for row in conn.execute(f"SELECT id, {', '.join(cols)} FROM {table}"):
                out[(table, row[0])] = {
                    c: bytes(v) if isinstance(v, bytes) else v for c, v in zip(cols, row[1:], strict=True)}
    finally:
        conn.close()
    return out


def secrets_of(values: dict[tuple[str, int], dict[str, object]], open_text: str) -> set[str]:
    """The released file's private values worth searching for: text of 6+ characters that
    the open columns (names on the register, dates of sessions ...) do not also hold."""
    by_field: dict[tuple[str, str], set[str]] = {}
    for (table, _id), fields in values.items():
        for name, value in fields.items():
            if name == "pdf" or not isinstance(value, str):
                continue
            for piece in [value, *value.splitlines()]:
                piece = piece.strip()
                if len(piece) >= 6:
                    by_field.setdefault((table, name), set()).add(piece)
    # Up to a dozen of each field's values (the searches are substring scans of megabytes).
    found: set[str] = set()
    for pieces in by_field.values():
        found.update(p for p in sorted(pieces)[:12] if p not in open_text)
    return found


def _schema_text(db_path: Path, key: bytes) -> str:
    conn = connect(db_path, key)
    try:
        return "\n".join(r[0] or "" for r in conn.execute("SELECT sql FROM sqlite_master"))
    finally:
        conn.close()


def _open_text_after(folder: Path, key: bytes) -> str:
    return readable_text(folder / "centre.cccdb", key)


def test_a_released_vault_is_sealed_at_the_first_manager_unlock(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    before = _released_values(folder)
    assert sum(1 for t, _ in before if t == "family_adults") >= 20  # the demo is there
    key, _seal = slot_key(folder, *COORD)
    conn = connect(folder / "centre.cccdb", key)
    steps = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, summons_id, step FROM summons_steps")}
    conn.close()
    vault = Vault(folder, FixedClock(CLOCK))

    # A Session volunteer unlocks first: the schema upgrades, the register works, nothing can
    # be sealed yet (their slot has no seal key) and the trail says it is waiting.
    volunteer = vault.unlock(*VOL)
    try:
        assert seal_is_pending(volunteer.db)
        services = build_services(volunteer)
        day = services.register.day(CLOCK.date())
        assert day is not None
        actions = [r[0] for r in volunteer.db.query("SELECT action FROM audit_log ORDER BY id")]
        assert actions[-1] == "records waiting to be sealed"
    finally:
        volunteer.lock()

    session = vault.unlock(*COORD)
    try:
        db = session.db
        assert not seal_is_pending(db)
        services = build_services(session)
        actions = [e.action for e in services.audit.entries()]
        assert "records sealed" in actions and "DBS check recorded" in actions
        # Every entry of the released trail is sealed now, and the chain still holds.
        assert services.audit.verify().ok
        # Every sealed field of every row reads back exactly as the released code stored it.
        for (table, row_id), fields in before.items():
            spec = SEALED_TABLES[table]
            if table == "summons_steps":  # written again in the policy's order (migration 0024)
                row_id = db.scalar("SELECT id FROM summons_steps WHERE summons_id = ? AND step = ?",
                                   steps[row_id])
            raw = db.query_one(f"SELECT {', '.join(spec.fields)}, {select()} FROM {table} "
                               "WHERE id = ?", (row_id,))
            row = SealedRow(db, table, raw)
            assert row.is_sealed, (table, row_id)
            for name in spec.fields:
                if name not in fields:  # added since the release (issue 14): tested with it
                    continue
                assert row[name] == fields[name], (table, row_id, name)
                assert raw[name] == spec.fields[name]  # the plaintext column is cleared
            for name in spec.binary:
                assert open_binary(db, table, name, row_id) == fields[name]
        # And through the services, area by area.
        services = build_services(session)
        families: dict[int, object] = {}

        def family(family_id: int) -> Any:
            if family_id not in families:
                families[family_id] = services.families.get(family_id)
            return families[family_id]

        for (table, row_id), fields in before.items():
            if table == "family_adults":
                family_id = db.scalar("SELECT family_id FROM family_adults WHERE id = ?", (row_id,))
                adult = next(a for a in family(family_id).adults if a.id == row_id)
                assert (adult.address, adult.phone, adult.email) == (
                    fields["address"], fields["phone"], fields["email"])
            elif table == "family_children":
                family_id = db.scalar("SELECT family_id FROM family_children WHERE id = ?", (row_id,))
                child = next(c for c in family(family_id).children if c.id == row_id)
                assert child.date_of_birth.isoformat() == fields["date_of_birth"]
                assert child.needs == fields["needs"]
            elif table == "dbs_checks":
                assert services.dbs.get(row_id).certificate_number == fields["certificate_number"]
            elif table == "summonses":
                summons = services.summonses.detail(row_id).summons
                assert (summons.court, summons.case_number, summons.applicant) == (
                    fields["court"], fields["case_number"], fields["applicant"])
            elif table == "letters":
                assert services.letters.open(row_id) == fields["pdf"]
        # The duplicate check still finds a sealed certificate number (blind index).
        number = next(f["certificate_number"] for (t, _), f in before.items() if t == "dbs_checks")
        from ccc_desktop.models.storage.volunteers import DbsStore
        assert DbsStore(db).certificate_taken(str(number))
        assert not DbsStore(db).certificate_taken("999999999999")
    finally:
        session.lock()

    # The volunteer's key now reads none of it: not in any cell, any letter, or any page of
    # the file (the sealing step vacuumed, and secure delete zeroes what is freed).
    vkey, vseal = slot_key(folder, *VOL)
    assert vseal is None
    db_path = folder / "centre.cccdb"
    cells = readable_text(db_path, vkey)
    # The schema's own words (a CHECK's list of referral routes) are not a record's.
    secrets = secrets_of(before, readable_text(db_path, vkey, blobs=False)
                         + _schema_text(db_path, vkey))
    assert len(secrets) >= 150  # addresses, phones, emails, notes, certificate numbers ...
    leaked = sorted(s for s in secrets if s in cells)
    assert not leaked
    assert page_size_ok(db_path, vkey)
    pages = decrypted_pages(db_path, vkey).decode("latin-1")
    assert not sorted(s for s in secrets if s in pages)
    # The trail: the volunteer's key reads when and who, never what (no DBS wording, no
    # "volunteer paused" after a check in the same second).
    trail = " ".join(" ".join(str(c) for c in r[4:8]) for r in every_cell(db_path, vkey)["audit_log"])
    for word in ("DBS", "paused", "summons", "disclos", "police", "incident", "subject access",
                 "certificate", "Clear", "letter"):
        assert word.lower() not in trail.lower(), word
    # Every stored letter is sealed: none reads as a PDF with the volunteer's key.
    for row in every_cell(db_path, vkey)["letters"]:
        assert all(not pdf_text(v) for v in row if isinstance(v, bytes))
    # Control: the released file held them (the search would have found them).
    released = decrypted_pages(next((folder / "backups").iterdir()) / "centre.cccdb", vkey)
    assert sum(1 for s in secrets if s in released.decode("latin-1")) > len(secrets) // 2


def test_the_register_works_for_a_volunteer_but_sealed_fields_refuse(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    vault = Vault(folder, FixedClock(CLOCK))
    vault.unlock(*COORD).lock()  # sealed
    volunteer = vault.unlock(*VOL)
    try:
        services = build_services(volunteer)
        assert services.register.day(CLOCK.date()) is not None
        from ccc_desktop.models.storage.families import FamilyStore
        adult = FamilyStore(volunteer.db).adults(1)[0]
        assert adult["full_name"]  # names are open
        with pytest.raises(PermissionDenied):
            _ = adult["address"]
    finally:
        volunteer.lock()

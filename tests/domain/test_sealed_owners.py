"""Which record a stored letter or an attached document belongs to (issue 12, migrations 0019
and 0022): the subject or owner is sealed inside the row with everything else about it, and
the rows are found by a blind index of their owner. Someone holding only the database key who
gives a row another record's index (copied from one of its rows) gets a row that opens to its
own record, not the one it is listed under: the app leaves it out there and says so."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from family_helpers import accepted_family
from insider_view import connect, every_column, pdf_text, slot_key
from test_attachments import pdf

from ccc_desktop.models import crypto
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.sealed import SEALED_TABLES, SealedMoved, Sealer, _pad
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.storage.sealing import PENDING_KEY
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR, FIXTURES, VOLUNTEER

MOVED = "moved to another record"
INDEX = {"letters": "subject_index", "attachments": "owner_index"}
# What a Session volunteer's key may read of a letter or an attachment: that it exists, the
# sealed blobs, and which rows share an owner (not which owner).
OPEN = {"letters": {"id", "private_sealed", "pdf", "subject_index"},
        "attachments": {"id", "private_sealed", "content", "owner_index"}}


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


def _index(vault: Vault, table: str, row_id: int) -> str:
    key, _ = slot_key(vault.paths.data_dir, *VOLUNTEER)
    conn = connect(vault.paths.db, key)
    try:
        value = conn.execute(f"SELECT {INDEX[table]} FROM {table} WHERE id = ?", (row_id,)).fetchone()[0]
    finally:
        conn.close()
    assert isinstance(value, str) and len(value) == 12
    return value


def _move(vault: Vault, table: str, row_id: int, like: int) -> str:
    """Give row ``row_id`` the index of row ``like`` (another record's); returns its own."""
    own = _index(vault, table, row_id)
    _insider(vault, f"UPDATE {table} SET {INDEX[table]} = ? WHERE id = ?",
             (_index(vault, table, like), row_id))
    return own


def assert_metadata_sealed(db_path: Path, key: bytes) -> None:
    """Through the file with a key that holds no seal key: every column of letters and
    attachments but the open ones holds its cleared value only."""
    conn = connect(db_path, key)
    try:
        for table, open_ in OPEN.items():
            columns = set(every_column(db_path, key, table))
            for column in columns - open_:
                placeholder = SEALED_TABLES[table].fields[column]
                values = {r[0] for r in conn.execute(f"SELECT {column} FROM {table}")}
                assert values <= {placeholder}, (table, column, values)
            for (blob,) in conn.execute(f"SELECT {'pdf' if table == 'letters' else 'content'} FROM {table}"):
                assert blob is None or not pdf_text(bytes(blob))
    finally:
        conn.close()


def test_a_document_moved_to_another_family_in_the_file_is_not_shown_there(
        coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    a_id = accepted_family(coordinator, full_name="Family A Parent")
    b_id = accepted_family(coordinator, full_name="Family B Parent")
    doc = coordinator.attachments.add("family", a_id, "Court order.pdf", pdf())
    b_doc = coordinator.attachments.add("family", b_id, "Agreement.pdf", pdf(b"B"))
    letter = coordinator.letters.keep("attendance", "Attendance letter", "family", a_id, pdf())
    b_letter = coordinator.letters.keep("attendance", "Attendance letter", "family", b_id, pdf())
    assert [x.id for x in coordinator.attachments.list("family", a_id)] == [doc.id]
    coordinator.session.lock()

    own = _move(vault, "attachments", doc.id, b_doc.id)
    _move(vault, "letters", letter.id, b_letter.id)

    services = build_services(vault.unlock(*COORDINATOR))
    try:
        shown = services.attachments.list("family", b_id)
        assert [x.id for x in shown] == [b_doc.id] and shown.hidden == 1
        assert services.attachments.list("family", a_id) == []
        letters = services.families.letters(b_id)
        assert [x.id for x in letters] == [b_letter.id] and letters.hidden == 1
        with pytest.raises(SealedMoved, match=MOVED):
            services.attachments.open(doc.id)
        with pytest.raises(SealedMoved, match=MOVED):
            services.letters.open(letter.id)
        # Moved back, it opens again: nothing was lost, only refused.
    finally:
        services.session.lock()
    _insider(vault, "UPDATE attachments SET owner_index = ? WHERE id = ?", (own, doc.id))
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert services.attachments.open(doc.id) == pdf()
        assert [x.id for x in services.attachments.list("family", a_id)] == [doc.id]
    finally:
        services.session.lock()


def test_moving_a_document_to_another_kind_of_record_is_refused_too(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    doc = coordinator.attachments.add("family", fid, "Court order.pdf", pdf())
    form = coordinator.attachments.add("referral", fid, "Referral form.pdf", pdf(b"R"))
    coordinator.session.lock()
    _move(vault, "attachments", doc.id, form.id)
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert services.attachments.list("referral", fid).hidden == 1
    finally:
        services.session.lock()


def test_a_records_letters_and_attachments_carry_unrelated_indexes(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    """The index says that rows share an owner, not which: not the family's id, and not the
    same value for the family's letters and its attachments (nor for its referral's)."""
    fid = accepted_family(coordinator)
    other = accepted_family(coordinator, full_name="Other Parent")
    ids = [coordinator.attachments.add(kind, f, "Scan.pdf", pdf()).id
           for kind, f in (("family", fid), ("family", fid), ("referral", fid), ("family", other))]
    letter = coordinator.letters.keep("attendance", "Attendance letter", "family", fid, pdf()).id
    coordinator.session.lock()
    a, b, ref, o = (_index(vault, "attachments", i) for i in ids)
    assert a == b and len({a, ref, o, _index(vault, "letters", letter)}) == 4
    assert str(fid) not in a


def _as_0019(db: Any, sealer: Sealer, table: str, how: str = "bound",
             subject: dict[str, Any] | None = None) -> int:
    """Leave the table's rows as the code of migrations 0019-0021 did: the kind, subject,
    dates and sizes in their open columns, the title (or file name) and the bytes sealed bound
    to the open subject columns (``how='unbound'``: as before 0019, to table and row id only;
    ``subject``: bound to that subject instead of the one the columns say, as a row moved in
    the file then was), no index."""
    spec = SEALED_TABLES[table]
    kept = "title" if table == "letters" else "file_name"
    n = 0
    for row in db.query(f"SELECT id, private_sealed, {', '.join(spec.binary)} FROM {table}"):
        values = sealer.open_fields(table, row["id"], row["private_sealed"])
        bound = None if how == "unbound" else (subject or {c: values[c] for c in spec.owner})
        aad = Sealer._aad(spec.context, row["id"], bound)
        sets = {**{f: values[f] for f in spec.fields if f != kept},
                "private_sealed": crypto.seal(sealer._key, _pad(json.dumps(
                    {kept: values[kept]}, ensure_ascii=False, sort_keys=True).encode()), aad),
                INDEX[table]: None}
        for b in spec.binary:
            plain = sealer.open_bytes(table, b, row["id"], row[b])
            sets[b] = crypto.seal(sealer._key, _pad(plain),
                                  Sealer._aad(f"{table}.{b}", row["id"], bound))
        db.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                   [*sets.values(), row["id"]])
        n += 1
    return n


def test_migration_0022_seals_letters_and_attachments_at_the_first_manager_unlock(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    other = accepted_family(coordinator, full_name="Other Parent")
    doc = coordinator.attachments.add("family", fid, "Court order.pdf", pdf())
    form = coordinator.attachments.add("referral", fid, "Referral form.pdf", pdf(b"R"))
    letter = coordinator.letters.keep("attendance", "Attendance letter", "family", fid, pdf(b"L"))
    before = coordinator.families.letters(fid)
    listed = coordinator.attachments.list("family", fid)
    db = coordinator.session.db
    sealer = db.sealer
    assert sealer is not None
    with db.transaction():
        # The letters as sealed before 0019 (never bound), the attachments as 0019 bound them.
        assert _as_0019(db, sealer, "attachments") == 2
        assert _as_0019(db, sealer, "letters", how="unbound") >= 1
        db.execute("PRAGMA user_version = 21")  # as the release before this one left it
    coordinator.session.lock()
    # Then one attachment was moved in the file to the other family (its open columns).
    key, _ = slot_key(vault.paths.data_dir, *VOLUNTEER)
    conn = connect(vault.paths.db, key)
    try:
        assert conn.execute("SELECT owner_id FROM attachments WHERE id = ?", (doc.id,)).fetchone()[0] == fid
        conn.execute("UPDATE attachments SET owner_id = ? WHERE id = ?", (other, doc.id))
        conn.commit()
    finally:
        conn.close()

    # A Session volunteer unlocks first: the schema upgrades, nothing can be sealed yet.
    session = vault.unlock(*VOLUNTEER)
    try:
        assert session.db.scalar("SELECT 1 FROM meta WHERE key = ?", (PENDING_KEY,)) is not None
    finally:
        session.lock()
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        db = services.session.db
        assert db.scalar("SELECT count(*) FROM meta WHERE key = ?", (PENDING_KEY,)) == 0
        assert services.attachments.list("family", fid) == listed
        assert [x.id for x in services.attachments.list("referral", fid)] == [form.id]
        assert services.attachments.list("family", other) == []
        assert services.attachments.open(doc.id) == pdf()
        assert services.families.letters(fid) == before
        assert services.letters.open(letter.id) == pdf(b"L")
        assert "records sealed" in [e.action for e in services.audit.entries()]
    finally:
        services.session.lock()
    assert_metadata_sealed(vault.paths.db, key)
    # Sealed now: given another record's index in the file, it is refused there.
    _move(vault, "attachments", doc.id, form.id)
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert services.attachments.list("referral", fid).hidden == 1
    finally:
        services.session.lock()


def test_a_released_vault_upgrades_with_its_letters_sealed_and_found(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    key, _ = slot_key(folder, "volunteer", "riverside volunteer")
    conn = connect(folder / "centre.cccdb", key)
    try:
        released = conn.execute("SELECT id, kind, title, subject_type, subject_id, created_at, pdf "
                                "FROM letters ORDER BY id").fetchall()
        answered = conn.execute("SELECT d.id, answer, letter_id, answered_on, "
                                "coalesce(a.display_name, '') FROM disclosures d LEFT JOIN "
                                "accounts a ON a.id = d.authorised_by ORDER BY d.id").fetchall()
    finally:
        conn.close()
    assert [r for r in answered if r[2] is not None] and [r for r in answered if r[1] == "pending"]
    assert [r for r in answered if r[4]]
    assert [r for r in released if r[3] == "family"] and [r for r in released if r[3] == "summons"]
    vault = Vault(folder, FixedClock(datetime(2026, 11, 30, 10, 0)))
    vault.unlock("volunteer", "riverside volunteer").lock()  # nothing can be sealed yet
    services = build_services(vault.unlock("coordinator", "riverside coordinator"))
    try:
        for lid, kind, title, subject_type, subject_id, created_at, data in released:
            shown = services.letters.for_subject(subject_type, subject_id)
            assert lid in [x.id for x in shown] and shown.hidden == 0
            letter = services.letters.get(lid)
            assert (letter.kind, letter.title, letter.created_at) == (kind, title, created_at)
            assert services.letters.open(lid) == bytes(data)
        # The disclosures answered with them (0022 seals the answer and the link).
        log = {d.id: (d.answer, d.letter_id, d.answered_on and d.answered_on.isoformat(),
                      d.authorised_by) for d in services.disclosures.log()}
        assert log == {i: (a, letter, on, by) for i, a, letter, on, by in answered}
    finally:
        services.session.lock()
    assert_metadata_sealed(folder / "centre.cccdb", key)
    conn = connect(folder / "centre.cccdb", key)
    try:
        assert set(conn.execute("SELECT answer, letter_id, answered_on, authorised_by, consent_id "
                                "FROM disclosures")) == {("", None, None, None, None)}
    finally:
        conn.close()
    conn = connect(folder / "centre.cccdb", key)
    try:
        text = " ".join(str(v) for r in conn.execute("SELECT * FROM letters") for v in r
                        if not isinstance(v, bytes))
    finally:
        conn.close()
    for _lid, kind, title, _t, _s, created_at, _d in released:
        assert kind not in text and title not in text and created_at not in text
    lid, *_rest = released[0]
    other = next(r[0] for r in released if r[3:5] != released[0][3:5])
    conn = connect(folder / "centre.cccdb", key)
    try:
        conn.execute("UPDATE letters SET subject_index = (SELECT subject_index FROM letters "
                     "WHERE id = ?) WHERE id = ?", (other, lid))
        conn.commit()
    finally:
        conn.close()
    services = build_services(vault.unlock("coordinator", "riverside coordinator"))
    try:
        o = services.letters.get(other)
        shown = services.letters.for_subject(o.subject_type, o.subject_id)
        assert lid not in [x.id for x in shown] and shown.hidden == 1
    finally:
        services.session.lock()


def test_a_moved_document_stops_neither_a_disposal_nor_a_chair_leaving(coordinator, vault) -> None:  # type: ignore[no-untyped-def]
    """A manager leaving replaces the seal key: a letter or document moved to another record in
    the file is not left sealed under the old key (which the manager leaving holds), nor under
    an index the old key made. It is put back with its own record and sealed under the new key;
    one whose record was disposed of meanwhile is deleted, as it would have been with it."""
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
    key, _ = slot_key(vault.paths.data_dir, *VOLUNTEER)
    conn = connect(vault.paths.db, key)
    try:
        old_indexes = {r[0] for t in INDEX for r in conn.execute(f"SELECT {INDEX[t]} FROM {t}")}
    finally:
        conn.close()
    _move(vault, "attachments", doc.id, kept.id)
    _move(vault, "attachments", orphan.id, kept.id)
    _insider(vault, "UPDATE letters SET subject_index = 'AAAAAAAAAAAA' WHERE id = ?", (letter.id,))
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert services.attachments.list("family", other).hidden == 2
        assert services.families.letters(fid) == []
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
    finally:
        services.session.lock()
    # Through the file: no letter or document is sealed under the old key any more, and no
    # index the old key made is left.
    key, new_seal = slot_key(vault.paths.data_dir, *COORDINATOR)
    assert new_seal is not None and new_seal != old_seal
    conn = connect(vault.paths.db, key)
    try:
        for table in ("letters", "attachments"):
            rows = conn.execute(f"SELECT id, private_sealed, {INDEX[table]} FROM {table}").fetchall()
            assert rows and orphan.id not in [r[0] for r in rows if table == "attachments"]
            for row_id, blob, index in rows:
                values = Sealer(new_seal).open_fields(table, row_id, blob)
                owner = [values[c] for c in SEALED_TABLES[table].owner]
                assert index == Sealer(new_seal).owner_index(table, owner)
                assert index not in old_indexes
                with pytest.raises(SealedMoved):
                    Sealer(old_seal).open_fields(table, row_id, blob)
    finally:
        conn.close()


def test_a_volunteer_session_writes_no_letter_and_one_written_without_the_seal_key_is_sealed_later(
        coordinator, volunteer, vault) -> None:  # type: ignore[no-untyped-def]
    """No service lets a Session volunteer store a letter or a document (every letter subject
    needs a manager's permission; attachments need the seal key). Were a row written without
    the seal key all the same, it stays found by its open columns and is sealed, with its
    index, at the next manager unlock."""
    from ccc_desktop.models.errors import PermissionDenied
    from ccc_desktop.models.services.area import letter_subjects
    from ccc_desktop.models.storage.letters import LetterStore

    fid = accepted_family(coordinator)
    for subject in {*letter_subjects(volunteer.areas), "centre"}:
        with pytest.raises(PermissionDenied):
            volunteer.letters.keep("attendance", "Letter", subject, fid, pdf())
    with pytest.raises(PermissionDenied):
        volunteer.attachments.add("family", fid, "Scan.pdf", pdf())
    db = volunteer.session.db
    assert db.sealer is None
    with db.transaction():
        lid = LetterStore(db).insert("attendance", "Written without the key", "family", fid,
                                     "2026-11-30T10:00:00", None, pdf(b"W"))
    assert LetterStore(db).ids_for([("family", fid)]) == {lid}
    volunteer.session.lock()
    coordinator.session.lock()
    services = build_services(vault.unlock(*COORDINATOR))
    try:
        assert [x.title for x in services.families.letters(fid)] == ["Written without the key"]
        assert services.letters.open(lid) == pdf(b"W")
    finally:
        services.session.lock()
    key, _ = slot_key(vault.paths.data_dir, *VOLUNTEER)
    assert_metadata_sealed(vault.paths.db, key)
    assert len(_index(vault, "letters", lid)) == 12

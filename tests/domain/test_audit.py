import pytest

from ccc_desktop.models.errors import StorageError


def _raw(services):
    conn = services.session.db.raw_connection()
    # Someone with the key and a SQL tool: they can drop the append-only triggers first.
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def _some_entries(services, n=5):
    for i in range(n):
        services.audit.record("test action", "thing", i, f"detail {i}")


def _id_of(services, detail: str) -> int:
    """Entries a manager writes are sealed in the file: find one through the service."""
    return next(e.id for e in services.audit.entries() if e.detail == detail)


def test_chain_verifies(coordinator) -> None:
    _some_entries(coordinator)
    result = coordinator.audit.verify(coordinator.session.actor)
    assert result.ok and result.entries_checked >= 5


def test_audit_rows_cannot_be_updated_or_deleted_through_sql(coordinator) -> None:
    _some_entries(coordinator, 1)
    db = coordinator.session.db
    with pytest.raises(Exception, match="append-only"):
        with db.transaction():
            db.execute("UPDATE audit_log SET detail = 'x'")
    with pytest.raises(Exception, match="append-only"):
        with db.transaction():
            db.execute("DELETE FROM audit_log")


def test_detects_a_changed_entry(coordinator) -> None:
    _some_entries(coordinator)
    two, three = _id_of(coordinator, "detail 2"), _id_of(coordinator, "detail 3")
    conn = _raw(coordinator)
    # A sealed entry cannot be rewritten without the seal key; the nearest thing is to copy
    # another entry's sealed text over it.
    conn.execute("UPDATE audit_log SET sealed = (SELECT sealed FROM audit_log WHERE id = ?) "
                 "WHERE id = ?", (three, two))
    result = coordinator.audit.verify()
    assert not result.ok and "altered" in result.problem and result.first_bad_id == two


def test_detects_a_changed_plain_entry(volunteer, coordinator) -> None:
    """A Session volunteer's entries are plain (they hold no seal key): changed, they fail too."""
    volunteer.session.audit.record("test action", "thing", 1, "detail v")
    _raw(coordinator).execute("UPDATE audit_log SET detail = 'innocent' WHERE detail = 'detail v'")
    result = coordinator.audit.verify()
    assert not result.ok and "altered" in result.problem


def test_detects_a_deleted_entry(coordinator) -> None:
    _some_entries(coordinator)
    two = _id_of(coordinator, "detail 2")
    _raw(coordinator).execute("DELETE FROM audit_log WHERE id = ?", (two,))
    result = coordinator.audit.verify()
    assert not result.ok and "removed" in result.problem


def test_detects_a_deleted_newest_entry(coordinator) -> None:
    _some_entries(coordinator)
    _raw(coordinator).execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    result = coordinator.audit.verify()
    assert not result.ok and "newest" in result.problem


def test_detects_reordered_entries(coordinator) -> None:
    _some_entries(coordinator)
    a, b = _id_of(coordinator, "detail 1"), _id_of(coordinator, "detail 3")
    conn = _raw(coordinator)
    conn.execute("UPDATE audit_log SET id = -1 WHERE id = ?", (a,))
    conn.execute("UPDATE audit_log SET id = ? WHERE id = ?", (a, b))
    conn.execute("UPDATE audit_log SET id = ? WHERE id = -1", (b,))
    result = coordinator.audit.verify()
    assert not result.ok


def test_action_and_audit_are_one_transaction(coordinator) -> None:
    """If the write fails, its audit entry is not left behind, and vice versa."""
    before = coordinator.audit.store.count()
    db = coordinator.session.db
    with pytest.raises(RuntimeError):
        with db.transaction():
            coordinator.audit.record("doomed")
            raise RuntimeError("boom")
    assert coordinator.audit.store.count() == before
    assert coordinator.audit.verify().ok


def test_logins_and_locks_are_recorded(vault, coordinator) -> None:
    from conftest import COORDINATOR

    actor = coordinator.session.actor
    actions = [e.action for e in coordinator.audit.entries(actor)]
    assert "logged in" in actions
    s = vault.unlock(*COORDINATOR)
    s.lock()
    actions = [e.action for e in coordinator.audit.entries(actor)]
    assert "locked" in actions


def test_storage_errors_are_plain(coordinator) -> None:
    db = coordinator.session.db
    with pytest.raises(StorageError):
        db.query("SELECT * FROM no_such_table")


def test_one_checkpoint_writes_the_checkpoint_the_last_entry_would_have(coordinator) -> None:
    """The benchmark's builder appends a week's entries under one checkpoint: it is written
    once, at the end, and is the one writing it after every entry leaves."""
    trail = coordinator.session.audit
    meta = coordinator.session.db
    seal = coordinator.session._trail_seal()
    _some_entries(coordinator, 2)
    before = meta.scalar("SELECT value FROM meta WHERE key = 'audit_checkpoint'")
    with trail.one_checkpoint():
        _some_entries(coordinator, 3)
        # Not yet moved: the entries inside wait for the one checkpoint at the end.
        assert meta.scalar("SELECT value FROM meta WHERE key = 'audit_checkpoint'") == before
    after = meta.scalar("SELECT value FROM meta WHERE key = 'audit_checkpoint'")
    assert after != before and trail.checkpoint_problem(seal) == ""
    assert trail.checkpoint_head() == trail.store.head()
    # The same as after each entry: another entry written the ordinary way, then the
    # checkpoint written again for the same head, byte for byte.
    _some_entries(coordinator, 1)
    ordinary = meta.scalar("SELECT value FROM meta WHERE key = 'audit_checkpoint'")
    with meta.transaction():
        trail._write_checkpoint(seal)
    assert meta.scalar("SELECT value FROM meta WHERE key = 'audit_checkpoint'") == ordinary
    assert coordinator.audit.verify().ok


def test_one_checkpoint_rolls_back_with_its_entries(coordinator) -> None:
    trail = coordinator.session.audit
    _some_entries(coordinator, 1)
    head = trail.store.head()
    with pytest.raises(RuntimeError, match="stop"):
        with trail.one_checkpoint():
            _some_entries(coordinator, 2)
            raise RuntimeError("stop")
    assert trail.store.head() == head
    assert trail.checkpoint_head() == head
    _some_entries(coordinator, 1)  # writes its checkpoint after each entry again
    assert trail.checkpoint_head() == trail.store.head()

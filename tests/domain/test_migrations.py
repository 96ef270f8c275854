import pytest

from ccc_desktop.models.errors import MigrationFailed
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.migrate import Migration, shipped_migrations
from ccc_desktop.models.vault import Vault
from conftest import CENTRE, COORDINATOR


def test_shipped_migrations_are_numbered_without_gaps() -> None:
    migs = shipped_migrations()
    assert [m.number for m in migs] == list(range(1, len(migs) + 1))


def test_new_vault_is_at_the_latest_version(coordinator) -> None:
    assert coordinator.session.db.user_version() == len(shipped_migrations())


def test_failed_migration_rolls_back_and_leaves_the_backup(tmp_path) -> None:
    base = shipped_migrations()
    folder = tmp_path / "v"
    session, _ = Vault(folder, migrations=base).create(CENTRE, *COORDINATOR[:1], "Carol", COORDINATOR[1])
    session.lock()
    bad = Migration(len(base) + 1, "broken", "CREATE TABLE half_done (x); INSERT INTO nowhere VALUES (1);")
    with pytest.raises(MigrationFailed) as err:
        Vault(folder, migrations=[*base, bad]).unlock(*COORDINATOR)
    assert "nothing was changed" in str(err.value)
    # Rolled back: old version, no half-made table, and the vault still opens.
    s = Vault(folder, migrations=base).unlock(*COORDINATOR)
    assert s.db.user_version() == len(base)
    assert s.db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'") == 0
    key = bytes(s.db_key)
    s.lock()
    backups = list((folder / "backups").iterdir())
    assert len(backups) == 1
    copy = Database(backups[0] / "centre.cccdb", key)
    assert copy.user_version() == len(base)
    assert copy.integrity_problems() == []
    copy.close()
    assert (backups[0] / "centre.keys").exists()


def test_successful_migration_takes_a_backup_first(tmp_path) -> None:
    base = shipped_migrations()
    folder = tmp_path / "v"
    Vault(folder, migrations=base).create(CENTRE, *COORDINATOR[:1], "Carol", COORDINATOR[1])[0].lock()
    extra = Migration(len(base) + 1, "extra", "CREATE TABLE extra_table (x);")
    s = Vault(folder, migrations=[*base, extra]).unlock(*COORDINATOR)
    assert s.db.user_version() == len(base) + 1
    s.lock()
    assert len(list((folder / "backups").iterdir())) == 1


def test_newer_file_is_refused(tmp_path) -> None:
    base = shipped_migrations()
    folder = tmp_path / "v"
    extra = Migration(len(base) + 1, "extra", "CREATE TABLE extra_table (x);")
    Vault(folder, migrations=[*base, extra]).create(CENTRE, *COORDINATOR[:1], "Carol", COORDINATOR[1])[0].lock()
    with pytest.raises(MigrationFailed, match="newer version"):
        Vault(folder, migrations=base).unlock(*COORDINATOR)


def test_database_pragmas(coordinator) -> None:
    db = coordinator.session.db
    assert db.scalar("PRAGMA secure_delete") == 1
    assert db.scalar("PRAGMA synchronous") == 2  # FULL
    assert db.scalar("PRAGMA temp_store") == 2  # MEMORY
    assert db.scalar("PRAGMA journal_mode") == "delete"
    assert db.scalar("PRAGMA cache_size") == -32768  # 32 MiB of decrypted pages


def test_a_python_migration_that_fails_rolls_back_its_schema_change(tmp_path) -> None:
    shipped = shipped_migrations()
    real = next(m for m in shipped if m.name == "supervised_contact")
    assert real.upgrade is not None and real.sql == ""
    base = [m for m in shipped if m.number < real.number]
    folder = tmp_path / "v"
    session, _ = Vault(folder, migrations=base).create(CENTRE, *COORDINATOR[:1], "Carol", COORDINATOR[1])
    session.lock()

    def upgrade_then_fail(conn) -> None:  # type: ignore[no-untyped-def]
        assert real.upgrade is not None
        real.upgrade(conn)
        raise RuntimeError("the disk filled up")

    broken = Migration(real.number, real.name, "", upgrade_then_fail)
    with pytest.raises(MigrationFailed):
        Vault(folder, migrations=[*base, broken]).unlock(*COORDINATOR)
    s = Vault(folder, migrations=base).unlock(*COORDINATOR)
    sql = s.db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'families'")
    assert "('supported', 'handover')" in sql and "supervised" not in sql
    assert s.db.user_version() == len(base) and s.db.integrity_problems() == []
    s.lock()
    s = Vault(folder, migrations=shipped[:real.number]).unlock(*COORDINATOR)
    sql = s.db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'families'")
    assert "('supported', 'supervised', 'handover')" in sql and s.db.integrity_problems() == []
    s.lock()

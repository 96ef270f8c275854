"""The SQLCipher connection: pragmas, transactions, error translation, change notification."""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import sqlcipher3

from ccc_desktop.models.errors import StorageError, VaultCorrupt
from ccc_desktop.models.sealed import Sealer

Row = Any  # sqlcipher3.Row: indexable by name and position
Params = Sequence[Any] | dict[str, Any]
DatabaseError = sqlcipher3.DatabaseError
CommitListener = Callable[[frozenset[str]], None]
# Runs inside the transaction, just before COMMIT, with the records marked as changed in it
# ({kind: {id, ...}}); the statistics ledger is kept this way (models/storage/statistics.py).
PrecommitHook = Callable[["Database", dict[str, set[int]]], None]


def sql_value(value: Any) -> Any:
    """A value as it is stored: dates as ISO text, booleans as 0/1, anything else as it is."""
    if isinstance(value, bool):
        return int(value)
    return value.isoformat() if isinstance(value, date) else value


def storage_message(exc: Exception) -> str:
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return "The disk is full, so nothing was saved. Free some space and try again."
    if "locked" in text or "busy" in text:
        return "The records file is in use by another program, so nothing was saved. Try again."
    if "readonly" in text or "read-only" in text:
        return "The records file is read-only, so nothing was saved."
    if "malformed" in text or "not a database" in text:
        return "The records file is damaged. Restore it from a backup."
    return "The records could not be saved because of a disk error. Nothing was changed."


def scrub(text: str | bytes) -> None:
    """Overwrite, in place, a str or bytes object this module made to carry key material.

    Python's str and bytes are immutable, so a key written into SQL text would otherwise stay
    in freed memory until it happens to be reused. Only for objects made here and never shared
    (CPython: an ASCII str or a bytes object keeps its characters just before the final NUL).
    """
    size = len(text)
    if size == 0:
        return
    if isinstance(text, str) and not text.isascii():
        raise ValueError("only ASCII text can be scrubbed")
    ctypes.memset(id(text) + sys.getsizeof(text) - size - 1, 0, size)


def apply_key(conn: Any, key: bytes | bytearray) -> None:
    # A raw 256-bit key: SQLCipher skips its own PBKDF2 (we did Argon2id already). The SQL text
    # is built once, run outside the statement cache (executescript), then overwritten.
    hexed = key.hex()
    sql = "PRAGMA key = \"x'" + hexed + "'\";"
    try:
        conn.executescript(sql)
    finally:
        scrub(sql)
        scrub(hexed)


class Database:
    """One open, keyed connection. Writes go through ``transaction()``."""

    def __init__(self, path: Path, key: bytes | bytearray | None) -> None:
        """key=None opens a plain SQLite file: only the benchmark does that, to compare."""
        self.path = Path(path)
        self._lock = threading.RLock()
        self._depth = 0
        self._changed: set[str] = set()
        self._listeners: list[CommitListener] = []
        self._dirty: dict[str, set[int]] = {}
        self._precommit: list[PrecommitHook] = []
        # Set while a session holding the seal key is unlocked (storage/sealing.py uses it).
        self.sealer: Sealer | None = None
        self._conn = self._connect(key)

    def _connect(self, key: bytes | bytearray | None) -> Any:
        try:
            conn = sqlcipher3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        except sqlcipher3.Error as exc:
            raise StorageError(storage_message(exc)) from exc
        conn.row_factory = sqlcipher3.Row
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            apply_key(conn, key)
            if os.name == "posix" and self.path.exists():
                os.chmod(self.path, 0o600)  # the file SQLite made follows the umask
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            conn.close()
            # The key came out of an authenticated slot, so it is right: the file is damaged.
            raise VaultCorrupt(
                "The records file is damaged and cannot be opened. Restore it from a backup "
                "(Settings > Backups on another copy, or the files in the backups folder)."
            ) from exc
        for pragma in (
            "PRAGMA journal_mode = DELETE",
            "PRAGMA synchronous = FULL",
            "PRAGMA secure_delete = ON",
            "PRAGMA temp_store = MEMORY",
            "PRAGMA foreign_keys = ON",
            "PRAGMA busy_timeout = 3000",
            # 32 MiB of decrypted pages (the default is 8 MiB): SQLCipher decrypts and checks
            # each page it reads into the cache, so a cache that holds the working set keeps
            # search and the families list near plain-SQLite speed at 20,000 families.
            "PRAGMA cache_size = -32768",
        ):
            conn.execute(pragma)
        return conn

    def reopen(self, key: bytes | bytearray) -> None:
        """Close the connection and open the file at the same path again with this key (after a
        rekey renamed a new file in). Listeners and everything holding this object carry on."""
        with self._lock:
            if self._depth:
                raise RuntimeError("cannot reopen inside a transaction")
            self._conn.close()
            self._conn = self._connect(key)

    def export_to(self, target: Path, key: bytes | bytearray) -> None:
        """Write the whole database, encrypted with another key, into a new file (the rekey's
        first step). The key goes in as a bound parameter, not into the SQL text."""
        with self._lock:
            if self._conn.in_transaction:
                raise RuntimeError("cannot export inside a transaction")
            version = self.user_version()
            keytext = "x'" + key.hex() + "'"
            try:
                self._conn.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(target), keytext))
                try:
                    self._conn.execute("SELECT sqlcipher_export('rekeyed')")
                    self._conn.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
                finally:
                    self._conn.execute("DETACH DATABASE rekeyed")
            except sqlcipher3.OperationalError as exc:
                raise StorageError(storage_message(exc)) from exc
            finally:
                scrub(keytext)

    # ---- reading -------------------------------------------------------------------------------
    def query(self, sql: str, params: Params = ()) -> list[Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlcipher3.OperationalError as exc:
                raise StorageError(storage_message(exc)) from exc

    def query_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    # ---- writing -------------------------------------------------------------------------------
    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one write inside the current transaction; returns lastrowid."""
        if self._depth == 0:
            raise RuntimeError("writes must run inside Database.transaction()")
        cur = self._conn.execute(sql, params)
        return int(cur.lastrowid or 0)

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        if self._depth == 0:
            raise RuntimeError("writes must run inside Database.transaction()")
        self._conn.executemany(sql, rows)

    def changed(self, *topics: str) -> None:
        """Name what a write touched; listeners hear it after the commit."""
        self._changed.update(topics)

    def mark(self, kind: str, record_id: int) -> None:
        """Note that a record (``'family'``, ``'volunteer'``, ``'session'``) changed in this
        transaction; the pre-commit hooks see it before the commit."""
        if self._depth:
            self._dirty.setdefault(kind, set()).add(int(record_id))

    def add_precommit(self, hook: PrecommitHook) -> None:
        if hook not in self._precommit:
            self._precommit.append(hook)

    def remove_precommit(self, hook: PrecommitHook) -> None:
        if hook in self._precommit:
            self._precommit.remove(hook)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One atomic unit: the action and its audit entry commit together or not at all."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.OperationalError as exc:
                raise StorageError(storage_message(exc)) from exc
            self._depth = 1
            try:
                yield self
                while self._dirty:
                    dirty, self._dirty = self._dirty, {}
                    for hook in list(self._precommit):
                        hook(self, dirty)
                self._conn.execute("COMMIT")
            except BaseException as exc:
                self._changed.clear()
                self._dirty.clear()
                try:
                    self._conn.execute("ROLLBACK")
                except sqlcipher3.Error:
                    pass
                if isinstance(exc, sqlcipher3.OperationalError | sqlcipher3.DatabaseError) and not isinstance(
                    exc, sqlcipher3.IntegrityError
                ):
                    raise StorageError(storage_message(exc)) from exc
                raise
            finally:
                self._depth = 0
            topics = frozenset(self._changed)
            self._changed.clear()
        if topics:
            for listener in list(self._listeners):
                listener(topics)

    def add_listener(self, listener: CommitListener) -> None:
        self._listeners.append(listener)

    # ---- maintenance ---------------------------------------------------------------------------
    def run_script(self, script: str) -> None:
        """Migrations only: a script with its own BEGIN/COMMIT."""
        with self._lock:
            self._conn.executescript(script)

    def run_migration(self, upgrade: Callable[[Any], None], version: int) -> None:
        """Migrations only: a Python migration and the new user_version in one transaction."""
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                upgrade(conn)
                conn.execute(f"PRAGMA user_version = {int(version)}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def rollback_if_open(self) -> None:
        with self._lock:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def integrity_problems(self, structure: str | None = "integrity_check") -> list[str]:
        """cipher_integrity_check (every page's HMAC) then a structure check; empty when sound.

        ``structure="quick_check"`` skips comparing indexes with their tables: enough for a byte
        copy of a sound file, where the HMACs already prove every page arrived intact.
        ``None``: the HMACs only, for a copy just made of the live file (see verify_backup).
        """
        if structure not in ("integrity_check", "quick_check", None):
            raise ValueError(structure)
        with self._lock:
            problems = [r[0] for r in self._conn.execute("PRAGMA cipher_integrity_check")]
            result = (["ok"] if structure is None
                      else [r[0] for r in self._conn.execute(f"PRAGMA {structure}")])
        if result != ["ok"]:
            problems.extend(result)
        return problems

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold off every other use of the connection, e.g. while a backup copies the file."""
        with self._lock:
            if self._conn.in_transaction:
                raise RuntimeError("cannot pause inside a transaction")
            yield

    def user_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    def vacuum(self) -> None:
        with self._lock:
            self._conn.execute("VACUUM")

    def raw_connection(self) -> Any:
        """For the backup writer and tests; ordinary code uses query/transaction."""
        return self._conn

    def close(self) -> None:
        self.sealer = None
        with self._lock:
            try:
                self._conn.close()
            except sqlcipher3.Error:
                pass
            self._listeners.clear()

"""The insider's view of the files: what someone holding one account's passphrase reads with
their own tools, not through the services (issue 12).

They unwrap their own slot of ``centre.keys`` the way the program does, open ``centre.cccdb``
with sqlcipher3 and that key, and read every table and every stored letter. ``decrypted_pages``
goes further: it decrypts every page of the file by hand (SQLCipher 4's page format), so free
pages and the unused space inside pages are searched too, not only the live rows.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import sqlcipher3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ccc_desktop.models.keyslots import SlotFile

PAGE_SIZE = 4096
RESERVE = 80  # SQLCipher 4: 16-byte IV + 64-byte HMAC-SHA512 at the end of every page


def slot_key(data_dir: Path, username: str, passphrase: str) -> tuple[bytes, bytes | None]:
    """(database key, seal key or None) from this account's own slot."""
    keys = SlotFile.load(data_dir / "centre.keys").unlock_passphrase(username, passphrase)
    try:
        return bytes(keys.db_key), bytes(keys.seal_key) if keys.seal_key is not None else None
    finally:
        keys.wipe()


def connect(db_path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(db_path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def every_cell(db_path: Path, key: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, as stored."""
    conn = connect(db_path, key)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    finally:
        conn.close()


def rows_read(data_dir: Path, who: tuple[str, str], table: str,
              columns: tuple[str, ...]) -> list[tuple[object, ...]]:
    """The columns of every row of ``table`` by id, as one account's own key reads them."""
    key, _seal = slot_key(data_dir, *who)
    conn = connect(data_dir / "centre.cccdb", key)
    try:
        return [tuple(r) for r in conn.execute(
            f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY id')]
    finally:
        conn.close()


def column_values(db_path: Path, key: bytes, table: str, column: str) -> set[object]:
    """Every value of one column, as stored."""
    conn = connect(db_path, key)
    try:
        return {r[0] for r in conn.execute(f'SELECT "{column}" FROM "{table}"')}
    finally:
        conn.close()


STEP_KEYS = ("chair", "letter", "naccc", "solicitor")  # a witness summons's four steps


def steps_read(db_path: Path, key: bytes) -> set[tuple[object, ...]]:
    """What the key reads of the summonses' steps: (summons, step, how many sizes of sealed
    blob). Sealed as they should be (migration 0024) it is each summons with all four steps,
    and every blob one size, whichever steps were done."""
    conn = connect(db_path, key)
    try:
        sizes = {r[0] for r in conn.execute("SELECT DISTINCT length(private_sealed) FROM summons_steps")}
        return {(sid, step, len(sizes)) for sid, step in conn.execute(
            "SELECT summons_id, step FROM summons_steps")}
    finally:
        conn.close()


def every_column(db_path: Path, key: bytes, table: str) -> list[str]:
    conn = connect(db_path, key)
    try:
        return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
    finally:
        conn.close()


def sealed_columns_read(db_path: Path, key: bytes, table: str, open_: set[str]) -> dict[str, set[object]]:
    """The columns of a sealed table (``models/sealed.SEALED_TABLES``) other than ``open_``
    that hold anything but their cleared value, with the values read: {} when the key reads
    nothing of them. A column the registry does not list counts too (a new open column)."""
    from ccc_desktop.models.sealed import SEALED_TABLES

    fields = SEALED_TABLES[table].fields
    conn = connect(db_path, key)
    try:
        out: dict[str, set[object]] = {}
        for column in set(every_column(db_path, key, table)) - open_:
            values = {r[0] for r in conn.execute(f'SELECT "{column}" FROM "{table}"')}
            read = values - {fields.get(column, object())}
            if read:
                out[column] = read
        return out
    finally:
        conn.close()


def as_text(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("latin-1")
    return "" if value is None else str(value)


def pdf_text(blob: bytes) -> str:
    """The text of a stored letter if the bytes are a readable PDF (else '')."""
    data = bytes(blob)
    if not data.startswith(b"%PDF"):
        return ""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def readable_text(db_path: Path, key: bytes, blobs: bool = True) -> str:
    """Everything the key reads through SQL: every cell, and the text of every stored PDF
    (``blobs=False``: the text columns only)."""
    parts: list[str] = []
    for table, rows in every_cell(db_path, key).items():
        for row in rows:
            for value in row:
                if isinstance(value, bytes) and not blobs:
                    continue
                parts.append(as_text(value))
                if isinstance(value, bytes) and table == "letters":
                    parts.append(pdf_text(value))
    return "\n".join(parts)


def decrypted_pages(db_path: Path, key: bytes) -> bytes:
    """Every page of the file decrypted with the raw key (AES-256-CBC, per-page IV)."""
    data = db_path.read_bytes()
    out = bytearray()
    for n in range(len(data) // PAGE_SIZE):
        page = data[n * PAGE_SIZE:(n + 1) * PAGE_SIZE]
        start = 16 if n == 0 else 0  # page 1 begins with the file's salt
        iv = page[PAGE_SIZE - RESERVE:PAGE_SIZE - RESERVE + 16]
        dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out += dec.update(page[start:PAGE_SIZE - RESERVE]) + dec.finalize()
    return bytes(out)


def page_size_ok(db_path: Path, key: bytes) -> bool:
    """Sanity check of the decryption: page 1's header says 4096-byte pages."""
    plain = decrypted_pages(db_path, key)[:16]
    return plain[0:2] == PAGE_SIZE.to_bytes(2, "big")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def leaks(db_path: Path, key: bytes, table: str) -> dict[str, set[object]]:
    """Of a table in ``models/sealed.SEALED_TABLES``, each sealed field's column that holds
    anything but its cleared value, with the values this key reads there ({} when none)."""
    from ccc_desktop.models.sealed import SEALED_TABLES

    open_ = set(every_column(db_path, key, table)) - set(SEALED_TABLES[table].fields)
    return sealed_columns_read(db_path, key, table, open_)

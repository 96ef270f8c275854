"""Records' free text, opened, for disposal's name clearing (``storage/data_protection``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ccc_desktop.models.errors import VaultCorrupt
from ccc_desktop.models.sealed import SEALED_TABLES, SealedColumn
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.sealing import (
    SERVICE_PAD_BLOCK,
    no_key,
    openable,
    seal_row,
    select,
    wrap,
)


@dataclass
class TextRow:
    """One record's free-text fields, opened, for disposal's name clearing
    (``storage/data_protection.clear_names``). ``texts``: field label -> text; ``place``: the
    value that says which record it is (a reference, a date); ``write`` stores changed texts
    (sealing them again where the record is sealed)."""

    table: str
    row_id: int
    texts: dict[str, str]
    place: Any
    write: Callable[[dict[str, str]], None]


def text_rows(db: Database, table: str, fields: tuple[str, ...], place: str,
              keep: Callable[[str], bool]) -> Iterator[TextRow]:
    """The rows of ``table`` with a field ``keep`` says yes to, opened (sealed rows need the
    seal key). A row moved to another record in the file opens nowhere and is left out."""
    sealed = table in SEALED_TABLES
    # Table and column names come from fixed lists in the code, never from the user.
    columns = ", ".join(dict.fromkeys(("id", place, *fields)))
    if sealed:
        sql = f"SELECT {columns}, {select()} FROM {table}"  # noqa: S608
    else:  # open text can be narrowed down first
        sql = (f"SELECT {columns} FROM {table} "  # noqa: S608
               f"WHERE {' OR '.join(f'{f} != ' + chr(39) * 2 for f in fields)}")
    raw = db.query(sql)
    rows = wrap(db, table, raw) if sealed else raw
    if sealed and SEALED_TABLES[table].owner:
        rows = openable(rows)
    for r in rows:
        texts = {f: r[f] for f in fields if isinstance(r[f], str) and r[f]}
        if not any(keep(t) for t in texts.values()):
            continue
        row_id = int(r["id"])

        def write(new: dict[str, str], row_id: int = row_id) -> None:
            db.execute(f"UPDATE {table} SET {', '.join(f'{f} = ?' for f in new)} "  # noqa: S608
                       "WHERE id = ?", [*new.values(), row_id])
            if sealed:
                seal_row(db, table, row_id, new)

        yield TextRow(table, row_id, texts, r[place], write)


def sealed_text_rows(db: Database, column: SealedColumn, json_keys: tuple[str, ...], padded: bool,
                     place: str, keep: Callable[[str], bool]) -> Iterator[TextRow]:
    """The same for a column its service seals itself (``SEALED_COLUMNS``), opened with the
    seal key and its context. ``json_keys``: the value is a JSON object and these keys are free
    text (labelled ``column.key``; else the value is the text, labelled ``column``);
    ``padded``: the text carries the services' NUL padding."""
    sealer = db.sealer
    if sealer is None:
        raise no_key("clear names from sealed records")
    # Table and column names come from the fixed registry, never from the user.
    for row in db.query(f"SELECT * FROM {column.table} WHERE {column.column} IS NOT NULL"):  # noqa: S608
        fields = {k: row[k] for k in row.keys()}
        if column.table in SEALED_TABLES and row["private_sealed"] is not None:
            # The context may name a field kept in the row's blob (an incident's family).
            fields.update(sealer.open_fields(column.table, row["id"], row["private_sealed"]))
        context = column.context_of(fields)
        plain = sealer.open_unpadded(context, row[column.column])
        if plain is None:
            raise VaultCorrupt(f"A sealed value ({column.table}.{column.column}) could not be "
                               "opened: it has been altered. Nothing was changed.")
        text = plain.decode("utf-8")
        body = text.rstrip("\x00") if padded else text
        value = json.loads(body) if json_keys else None
        if value is not None:
            texts = {f"{column.column}.{k}": value[k] for k in json_keys
                     if isinstance(value.get(k), str) and value[k]}
        else:
            texts = {column.column: body} if body else {}
        if not any(keep(t) for t in texts.values()):
            continue

        def write(new: dict[str, str], row_id: int = int(row["id"]), context: str = context,
                  body: str = body, value: Any = value) -> None:
            if value is not None:
                value = dict(value)
                for label, t in new.items():
                    value[label.split(".", 1)[1]] = t
                out = json.dumps(value, ensure_ascii=False)
            else:
                out = new.get(column.column, body)
            if padded:
                size = len(out.encode("utf-8"))
                out += "\x00" * ((-size - 1) % SERVICE_PAD_BLOCK + 1)
            db.execute(f"UPDATE {column.table} SET {column.column} = ? WHERE id = ?",  # noqa: S608
                       (sealer.seal_unpadded(context, out.encode("utf-8")), row_id))

        yield TextRow(column.table, int(row["id"]), texts, fields[place], write)

"""Reading a spreadsheet into a header and rows of cells, whatever program saved it.

CSV: any of the common encodings (UTF-8 with or without Excel's byte-order mark, UTF-16 with a
mark, Windows-1252) and delimiters (comma, semicolon as Excel writes in much of Europe, tab,
pipe). XLSX: openpyxl in read-only mode; a number in a date column is an Excel serial date.
Blank rows are dropped; a header whose cells were merged (one title over several columns, names
beneath) is read as "Title Name".
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import CccError

Cell = str | int | float | date | datetime | time | bool | None
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 50_000
_DELIMITERS = ",;\t|"


class UnreadableFile(CccError):
    """The file is not a spreadsheet we can read at all (exit code 2 of check-import)."""


@dataclass(frozen=True)
class SourceRow:
    number: int  # the row number the spreadsheet program shows (1 = the first line)
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Sheet:
    name: str
    checksum: str  # SHA-256 of the file's bytes, for the audit entry
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    from_excel: bool


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _delimiter(text: str) -> str:
    sample = "\n".join(line for line in text.splitlines()[:20] if line.strip())
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(data: bytes) -> list[tuple[int, tuple[Cell, ...]]]:
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile("This file is not a spreadsheet saved as CSV text.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    out: list[tuple[int, tuple[Cell, ...]]] = []
    try:
        for row in reader:
            out.append((reader.line_num, tuple(row)))
            if len(out) > MAX_ROWS + 10:
                raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows: split it.")
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV file could not be read: {exc}.") from None
    return out


def _read_xlsx(data: bytes) -> list[tuple[int, tuple[Cell, ...]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("The Excel file could not be opened: it may be damaged or "
                             "password-protected.") from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise UnreadableFile("The Excel file has no sheets.")
        out = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            out.append((number, tuple(row)))
            if len(out) > MAX_ROWS + 10:
                raise UnreadableFile(f"The file has more than {MAX_ROWS:,} rows: split it.")
        return out
    finally:
        book.close()


def _header_text(cell: Cell) -> str:
    return " ".join(str(cell).split()) if not _blank(cell) else ""


def _headers(raw: list[tuple[int, tuple[Cell, ...]]]) -> tuple[tuple[str, ...], int]:
    """The header and how many leading lines it used (1, or 2 when the first row has merged
    titles over a row of names)."""
    first = [_header_text(c) for c in raw[0][1]]
    width = len(first)
    second = [_header_text(c) for c in raw[1][1]] if len(raw) > 1 else []
    gaps = [i for i, t in enumerate(first) if not t]
    two_rows = (
        len(raw) > 1 and gaps and any(first) and
        all(isinstance(c, str) or _blank(c) for c in raw[1][1]) and
        all(i < len(second) and second[i] for i in gaps if i < max(len(second), 1))
    )
    if two_rows:
        width = max(width, len(second))
        first += [""] * (width - len(first))
        second += [""] * (width - len(second))
        titles, current = [], ""
        for i in range(width):
            if first[i]:
                current = first[i]
            elif not second[i]:
                current = ""
            titles.append(current)
        names = [f"{t} {s}".strip() if t and s and t != s else (s or t)
                 for t, s in zip(titles, second, strict=True)]
        return _unique(names), 2
    return _unique(first), 1


def _unique(names: list[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"Column {i + 1}"
        if name.casefold() in seen:
            seen[name.casefold()] += 1
            name = f"{name} ({seen[name.casefold()]})"
        else:
            seen[name.casefold()] = 1
        out.append(name)
    return tuple(out)


def read_bytes(data: bytes, name: str) -> Sheet:
    if len(data) > MAX_BYTES:
        raise UnreadableFile("The file is larger than 50 MB: that is not a spreadsheet of records.")
    is_xlsx = data[:4] == b"PK\x03\x04"
    if name.lower().endswith((".xlsx", ".xlsm")) and not is_xlsx:
        raise UnreadableFile("The file is named .xlsx but is not an Excel workbook.")
    if name.lower().endswith(".xls") and not is_xlsx:
        raise UnreadableFile("Old Excel (.xls) files cannot be read: in Excel, choose "
                             "File > Save As > Excel Workbook (.xlsx) or CSV, then import that.")
    raw = _read_xlsx(data) if is_xlsx else _read_csv(data)
    raw = [(n, cells) for n, cells in raw if not all(_blank(c) for c in cells)]
    if not raw:
        raise UnreadableFile("The file is empty: there is no header row.")
    headers, used = _headers(raw)
    width = len(headers)
    rows = []
    for number, cells in raw[used:]:
        padded = tuple(cells[:width]) + (None,) * (width - len(cells))
        if any(not _blank(c) for c in cells[width:]):
            padded = tuple(cells)  # extra cells beyond the header are kept: the checker names them
        rows.append(SourceRow(number, tuple(_clean(c) for c in padded)))
    return Sheet(name=name, checksum=hashlib.sha256(data).hexdigest(), headers=headers,
                 rows=tuple(rows), from_excel=is_xlsx)


def _clean(cell: Any) -> Cell:
    if isinstance(cell, str):
        return cell.strip().replace("\x00", "")
    return cell


def shown(cell: Cell) -> str:
    """A cell as the spreadsheet showed it, for messages."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return format_date(cell.date())
    if isinstance(cell, date):
        return format_date(cell)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def shown_cell(cell: Cell) -> str:
    """A cell as text for the screen (dates as 24 Nov 2026)."""
    return shown(cell)


def read_file(path: Path) -> Sheet:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"The file could not be read: {exc.strerror or exc}.") from None
    return read_bytes(data, Path(path).name)

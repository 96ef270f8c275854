"""CSV exports that a spreadsheet cannot turn into formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

# A cell starting with one of these could be run as a formula by Excel or LibreOffice.
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """Text of a cell; a leading apostrophe stops a spreadsheet treating it as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(DANGEROUS_STARTS) else s


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 with a byte-order mark (Excel then shows accented names properly), CRLF lines."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return buf.getvalue().encode("utf-8-sig")

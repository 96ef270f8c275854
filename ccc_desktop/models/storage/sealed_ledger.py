"""The statistics ledger's sealed part (issue 12, migration 0020).

The ledger (``stats_ledger``, issue 14) is counts by day, event and category, and it is open:
a Session volunteer's key reads it. For most events that says nothing the register does not
(sessions, bookings, attendance). Two kinds of category would give a sealed fact away joined
with a family's open dates: the referral route of a referral received or accepted on a day
(``families.referral_date`` and ``accepted_on`` were open, so on a day with one referral the
route was that family's), a child's age band in the month a family was first seen, and (since
migration 0023, which sealed the families' dates) referrals declined, withdrawn and closed by
reason. Those events (``SEALED_EVENTS``) are kept here instead: one row per month, its counts sealed as JSON
with the seal key, bound to the month (``stats_sealed.counts|<month>``). The statistics open
the months of the period they count (13 for a year), never a family's row.

Only a session holding the seal key writes them: families' contributions are counted by
Coordinator and Chair sessions (a volunteer's changes are deferred, ``stats_pending``). Rows of
these events still in the open ledger (a file upgraded from before this) are moved here at the
next manager unlock (``move_open_rows``, inside ``seal_pending``).
"""

from __future__ import annotations

import json

from ccc_desktop.models.sealed import Sealer
from ccc_desktop.models.statistics_records import (
    ACCEPTED,
    CHILD_SEEN,
    CLOSED,
    DECLINED,
    DISCLOSURE,
    RECEIVED,
    WAIT_JOINED,
    WAIT_LEFT,
    WAIT_OFFERED,
    WITHDRAWN,
)
from ccc_desktop.models.storage.database import Database

# Declined, withdrawn and closed by reason too (migration 0023, with the families' dates):
# by day and reason they would match a family's closing ("ended for safety") against anything
# else that dates it. DISCLOSURE (migration 0025): a request's date is sealed in its row;
# counted by day in the open ledger, the nth request's day could be matched to the nth row.
# The waiting list's joined, offered and left (by reason) too (migration 0026, with the list's
# rows): by day they would date an entry, and "referral closed" a family's sealed closing.
SEALED_EVENTS = frozenset({RECEIVED, ACCEPTED, CHILD_SEEN, DECLINED, WITHDRAWN, CLOSED, DISCLOSURE,
                           WAIT_JOINED, WAIT_OFFERED, WAIT_LEFT})
PENDING_KEY = "ledger_seal_pending"  # migration 0020: open rows of SEALED_EVENTS to move
_CACHED_MONTHS = 30  # opened months kept (a statistics period of two years and a bit)

Key = tuple[str, str, str]
LedgerRow = tuple[str, str, str, int]


def _context(month: str) -> str:
    return f"stats_sealed.counts|{month}"


def _opened(db: Database, sealer: Sealer, month: str, blob: bytes) -> dict[Key, int]:
    """A month's counts. The months opened last (``_CACHED_MONTHS``) are kept beside the
    database with their blobs, so a run of changes to one month (a batch of families counted
    at once) or the statistics asked again open them once; a blob written since (another
    transaction, a rollback, a new seal key) does not match and is opened again. They hold
    counts only, and go with the database at lock."""
    cache: dict[str, tuple[bytes, dict[Key, int]]] = db.__dict__.setdefault("_sealed_ledger", {})
    hit = cache.get(month)
    if hit is not None and hit[0] == bytes(blob):
        return dict(hit[1])
    counts = {(d, e, c): int(n) for d, e, c, n in json.loads(sealer.open_text(_context(month), blob))}
    _keep(cache, month, bytes(blob), counts)
    return counts


def _keep(cache: dict[str, tuple[bytes, dict[Key, int]]], month: str, blob: bytes,
          counts: dict[Key, int]) -> None:
    cache.pop(month, None)
    cache[month] = (blob, dict(counts))
    while len(cache) > _CACHED_MONTHS:  # the oldest kept goes first
        cache.pop(next(iter(cache)))


def add(db: Database, sealer: Sealer, delta: dict[Key, int]) -> None:
    """Add ``delta`` (keys of ``SEALED_EVENTS`` only) to the sealed months, inside the caller's
    transaction."""
    months: dict[str, dict[Key, int]] = {}
    for key, n in delta.items():
        months.setdefault(key[0][:7], {})[key] = n
    for month, part in sorted(months.items()):
        row = db.query_one("SELECT counts FROM stats_sealed WHERE month = ?", (month,))
        counts = _opened(db, sealer, month, row[0]) if row is not None else {}
        for key, n in part.items():
            counts[key] = counts.get(key, 0) + n
            if counts[key] == 0:
                del counts[key]
        if not counts:
            db.execute("DELETE FROM stats_sealed WHERE month = ?", (month,))
            continue
        text = json.dumps(sorted([*k, n] for k, n in counts.items()), separators=(",", ":"))
        blob = sealer.seal_text(_context(month), text)
        db.execute("INSERT INTO stats_sealed (month, counts) VALUES (?, ?) "
                   "ON CONFLICT (month) DO UPDATE SET counts = excluded.counts", (month, blob))
        _keep(db.__dict__.setdefault("_sealed_ledger", {}), month, blob, counts)


def rows(db: Database, first_month: str | None = None, last_month: str | None = None
         ) -> list[LedgerRow]:
    """The sealed counts of the months from ``first_month`` to ``last_month`` ('YYYY-MM',
    either open-ended), as ledger rows; [] without the seal key (a volunteer sees no
    statistics)."""
    sealer = db.sealer
    if sealer is None:
        return []
    out: list[LedgerRow] = []
    for month, blob in db.query(
            "SELECT month, counts FROM stats_sealed WHERE month >= ? AND month <= ? ORDER BY month",
            (first_month or "", last_month or "9999-99")):
        out += [(k[0], k[1], k[2], n) for k, n in _opened(db, sealer, month, blob).items()]
    return out


def totals_until(db: Database, last_day: str, events: frozenset[str]) -> dict[tuple[str, str], int]:
    """The sealed counts of ``events`` by (event, category), summed over every day up to
    ``last_day`` ('YYYY-MM-DD'); {} without the seal key. The statistics ask this of the waiting
    list's events (sealed since migration 0026) over the ledger's whole life, more months than
    ``_opened`` keeps: each whole month's sums are kept instead, by month and the blob's nonce
    (a blob sealed again has a new one), so a month is opened once a session. They hold counts
    only, and go with the database at lock."""
    sealer = db.sealer
    if sealer is None:
        return {}
    kept: dict[tuple[str, frozenset[str]], tuple[bytes, dict[tuple[str, str], int]]] = \
        db.__dict__.setdefault("_sealed_totals", {})
    last_month = last_day[:7]
    out: dict[tuple[str, str], int] = {}
    for month, blob in db.query("SELECT month, counts FROM stats_sealed WHERE month <= ? "
                                "ORDER BY month", (last_month,)):
        if month == last_month:  # the last month counts up to the day
            sums: dict[tuple[str, str], int] = {}
            for (day, event, cat), n in _opened(db, sealer, month, blob).items():
                if event in events and day <= last_day:
                    sums[(event, cat)] = sums.get((event, cat), 0) + n
        else:
            nonce = bytes(blob[:12])
            hit = kept.get((month, events))
            if hit is None or hit[0] != nonce:
                sums = {}
                for (_day, event, cat), n in _opened(db, sealer, month, blob).items():
                    if event in events:
                        sums[(event, cat)] = sums.get((event, cat), 0) + n
                hit = (nonce, sums)
                kept[(month, events)] = hit
            sums = hit[1]
        for key, n in sums.items():
            out[key] = out.get(key, 0) + n
    return out


def move_open_rows(db: Database, sealer: Sealer) -> int:
    """Rows of ``SEALED_EVENTS`` in the open ledger (written before migration 0020, or by a
    tool) go into the sealed months. Inside the caller's transaction; returns how many."""
    events = sorted(SEALED_EVENTS)
    marks = ", ".join("?" for _ in events)
    # The event names are the fixed set above.
    found = db.query(f"SELECT on_day, event, category, amount FROM stats_ledger "  # noqa: S608
                     f"WHERE event IN ({marks})", events)
    if found:
        add(db, sealer, {(r[0], r[1], r[2]): int(r[3]) for r in found})
        db.execute(f"DELETE FROM stats_ledger WHERE event IN ({marks})", events)  # noqa: S608
    db.execute("DELETE FROM meta WHERE key = ?", (PENDING_KEY,))
    return len(found)


def split(delta: dict[Key, int]) -> tuple[dict[Key, int], dict[Key, int]]:
    """(open part, sealed part) of a ledger change."""
    sealed = {k: n for k, n in delta.items() if k[1] in SEALED_EVENTS}
    return {k: n for k, n in delta.items() if k[1] not in SEALED_EVENTS}, sealed

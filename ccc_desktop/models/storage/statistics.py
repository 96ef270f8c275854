"""SQL for the statistics ledger (issue 14) and the hook that keeps it.

Every store that changes something a statistic counts marks the record (``db.mark('family',
id)``); just before the transaction commits, ``sync`` works out what each marked record adds to
the ledger now, adds the difference to the ledger and keeps the new contribution beside the
record (``stats_json``). A destroyed record takes its ``stats_json`` with it and its counts stay
in the ledger; a record already deleted when the hook runs is skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from ccc_desktop.models.statistics_records import (
    BookingFact,
    Contribution,
    FamilyFacts,
    Key,
    WaitingFact,
    difference,
    dump,
    family_contribution,
    load,
    session_contribution,
    volunteer_contribution,
)
from ccc_desktop.models.storage import sealed_ledger
from ccc_desktop.models.storage.database import Database, Row
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.family_rows import DisclosureStore
from ccc_desktop.models.storage.legal import SummonsStore
from ccc_desktop.models.storage.sealing import mark_pending, seal_row, select, wrap, wrap_one
from ccc_desktop.models.storage.waiting import WaitingStore

_TABLES = {"family": "families", "volunteer": "volunteers", "session": "sessions"}


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _minutes(start: str, end: str) -> int:
    sh, sm = (int(x) for x in start.split(":"))
    eh, em = (int(x) for x in end.split(":"))
    return (eh * 60 + em) - (sh * 60 + sm)


class LedgerStore:
    def __init__(self, db: Database, batch: bool = False) -> None:
        """``batch``: the sealed counts added are kept until ``flush_sealed`` (the caller's,
        before its transaction commits), so many records counted at once seal each month once."""
        self.db = db
        self._batch: Counter[Key] | None = Counter() if batch else None

    # ---- facts for a record's contribution --------------------------------------------------
    def family_facts(self, family_id: int) -> FamilyFacts | None:
        # The referral route is sealed: read through the sealed row (needs the seal key).
        f = wrap_one(self.db, "families", self.db.query_one(
            "SELECT referral_date, referral_route, contact_kind, referral_status, accepted_on, "
            f"declined_on, decline_reason, closed_on, close_reason, {select()} FROM families "
            "WHERE id = ?", (family_id,)))
        if f is None:
            return None
        # Dates of birth are sealed: read through the families store (needs the seal key).
        born = tuple(date.fromisoformat(r["date_of_birth"])
                     for r in FamilyStore(self.db).children(family_id) if r["date_of_birth"])
        bookings = tuple(BookingFact(date.fromisoformat(r[0]), r[1], r[2] is not None, bool(r[3]))
                         for r in self.db.query(
            "SELECT s.session_date, b.status, b.arrived_at, b.assessment FROM bookings b "
            "JOIN sessions s ON s.id = b.session_id WHERE b.family_id = ?", (family_id,)))
        disclosures = tuple(DisclosureStore(self.db).requested_on(family_id))  # sealed dates
        waiting = tuple(WaitingFact(date.fromisoformat(r[0]), _d(r[1]), _d(r[2]), r[3])
                        for r in WaitingStore(self.db).facts_for(family_id))  # sealed
        return FamilyFacts(
            referral_date=date.fromisoformat(f["referral_date"]), route=f["referral_route"],
            contact_kind=f["contact_kind"], status=f["referral_status"],
            accepted_on=_d(f["accepted_on"]), declined_on=_d(f["declined_on"]),
            decline_reason=f["decline_reason"], closed_on=_d(f["closed_on"]),
            close_reason=f["close_reason"], children_born=born, bookings=bookings,
            disclosures=disclosures, waiting=waiting)

    @staticmethod
    def new_family_facts(referral: dict[str, Any], born: Iterable[date]) -> FamilyFacts:
        """The facts ``family_facts`` reads back for a family just created (no bookings,
        disclosures or waiting list yet), from the values about to be written: a batch of new
        families (``FamilyStore.insert_many``) keeps its contributions without reading back."""
        return FamilyFacts(
            referral_date=referral["referral_date"], route=str(referral["referral_route"]),
            contact_kind=str(referral.get("contact_kind") or "supported"), status="received",
            accepted_on=None, declined_on=None, decline_reason=None, closed_on=None,
            close_reason=None, children_born=tuple(sorted(born)))

    def contribution(self, kind: str, record_id: int) -> Contribution | None:
        """What the record adds to the ledger as it stands (None if it no longer exists)."""
        if kind == "family":
            facts = self.family_facts(record_id)
            return None if facts is None else family_contribution(facts)
        if kind == "volunteer":
            if not self.db.scalar("SELECT 1 FROM volunteers WHERE id = ?", (record_id,)):
                return None
            duties = [(date.fromisoformat(r[0]), _minutes(r[1], r[2])) for r in self.db.query(
                "SELECT s.session_date, s.start_time, s.end_time FROM rota r "
                "JOIN sessions s ON s.id = r.session_id WHERE r.volunteer_id = ?", (record_id,))]
            return volunteer_contribution(duties)
        if kind == "session":
            r = self.db.query_one("SELECT session_date, capacity FROM sessions WHERE id = ?",
                                  (record_id,))
            return None if r is None else session_contribution(date.fromisoformat(r[0]), r[1])
        raise ValueError(kind)

    # ---- the kept contribution and the ledger -------------------------------------------------
    def stored(self, kind: str, record_id: int) -> str | None:
        if kind == "family":  # sealed with the family's other private fields
            row = wrap_one(self.db, "families", self.db.query_one(
                f"SELECT stats_json, {select()} FROM families WHERE id = ?", (record_id,)))
            return None if row is None else row["stats_json"]
        return self.db.scalar(f"SELECT stats_json FROM {_TABLES[kind]} WHERE id = ?",  # noqa: S608
                              (record_id,))

    def keep(self, kind: str, record_id: int, text: str) -> None:
        self.db.execute(f"UPDATE {_TABLES[kind]} SET stats_json = ? WHERE id = ?",  # noqa: S608
                        (text, record_id))
        if kind == "family":
            seal_row(self.db, "families", record_id, ["stats_json"])

    def forget(self, kind: str, record_ids: Iterable[int]) -> None:
        """Take the records' kept counts back out of the ledger, before they are deleted as if
        they had never been held (an import undone; a disposal keeps its counts instead)."""
        total: Counter[Key] = Counter()
        for record_id in record_ids:
            total.update(load(self.stored(kind, record_id)))
        self.add({k: -n for k, n in total.items() if n})

    # ---- families changed without the seal key ---------------------------------------------
    def defer(self, kind: str, ids: Iterable[int]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO stats_pending (kind, record_id) VALUES (?, ?)",
                            [(kind, i) for i in ids])

    def pending(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self.db.query(
            "SELECT kind, record_id FROM stats_pending ORDER BY kind, record_id")]

    def any_pending(self) -> bool:
        return bool(self.db.scalar("SELECT 1 FROM stats_pending LIMIT 1"))

    def flush(self) -> int:
        """Inside a transaction, with the seal key: count what was deferred."""
        done = self.pending()
        for kind, record_id in done:
            self.sync(kind, record_id)
        if done:
            self.db.execute("DELETE FROM stats_pending")
        return len(done)

    def add(self, delta: dict[Key, int]) -> None:
        """Add to the ledger: the events that would give a sealed fact away (a referral's
        route, a child's age band) to its sealed months, the rest to the open table."""
        if not delta:
            return
        delta, sealed = sealed_ledger.split(delta)
        if sealed and self.db.sealer is not None and self._batch is not None:
            self._batch.update(sealed)
        elif sealed and self.db.sealer is not None:
            sealed_ledger.add(self.db, self.db.sealer, sealed)
        elif sealed:  # not expected (families are counted with the seal key): moved later
            delta.update(sealed)
            mark_pending(self.db, sealed_ledger.PENDING_KEY)
        if not delta:
            self.db.changed("statistics")
            return
        keys = sorted(delta.items())
        self.db.executemany(
            "INSERT INTO stats_ledger (on_day, event, category, amount) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (on_day, event, category) DO UPDATE SET amount = amount + excluded.amount",
            [(k[0], k[1], k[2], n) for k, n in keys])
        # Only the rows just changed can have come to nothing: looked up by their key, not a
        # scan of the whole ledger (tens of thousands of rows at 20,000 families) per record.
        self.db.executemany(
            "DELETE FROM stats_ledger WHERE on_day = ? AND event = ? AND category = ? "
            "AND amount = 0", [k for k, _ in keys])
        self.db.changed("statistics")

    def flush_sealed(self) -> None:
        """Write the sealed counts a batch kept (inside the caller's transaction)."""
        if self._batch and self.db.sealer is not None:
            sealed_ledger.add(self.db, self.db.sealer, {k: n for k, n in self._batch.items() if n})
            self.db.changed("statistics")
        if self._batch is not None:
            self._batch.clear()

    def sync(self, kind: str, record_id: int) -> None:
        new = self.contribution(kind, record_id)
        if new is None:
            return
        old_text = self.stored(kind, record_id)
        self.add(difference(new, load(old_text)))
        text = dump(new)
        if text != old_text:
            self.keep(kind, record_id, text)

    def uncounted(self, kind: str, limit: int = 500) -> list[int]:
        return [r[0] for r in self.db.query(
            f"SELECT id FROM {_TABLES[kind]} WHERE stats_json IS NULL ORDER BY id LIMIT ?",  # noqa: S608
            (limit,))]

    def any_uncounted(self) -> bool:
        """Anything to count now: records never counted, or families deferred."""
        tables = _TABLES.values() if self.db.sealer is not None else ("volunteers", "sessions")
        if self.db.sealer is not None and self.any_pending():
            return True
        return any(self.db.scalar(f"SELECT 1 FROM {t} WHERE stats_json IS NULL LIMIT 1")  # noqa: S608
                   for t in tables)

    def rows_between(self, first: date, last: date) -> list[tuple[str, str, str, int]]:
        lo, hi = first.isoformat(), last.isoformat()
        rows = [(r[0], r[1], r[2], r[3]) for r in self.db.query(
            "SELECT on_day, event, category, amount FROM stats_ledger "
            "WHERE on_day BETWEEN ? AND ?", (lo, hi))]
        return rows + [r for r in sealed_ledger.rows(self.db, lo[:7], hi[:7]) if lo <= r[0] <= hi]

    def totals_until(self, last: date, events: Iterable[str]) -> dict[tuple[str, str], int]:
        events = list(events)
        marks = ", ".join("?" for _ in events)
        out = {(r[0], r[1]): r[2] for r in self.db.query(
            f"SELECT event, category, sum(amount) FROM stats_ledger WHERE on_day <= ? "  # noqa: S608
            f"AND event IN ({marks}) GROUP BY event, category", [last.isoformat(), *events])}
        wanted = sealed_ledger.SEALED_EVENTS & frozenset(events)
        if wanted:
            for key, n in sealed_ledger.totals_until(self.db, last.isoformat(), wanted).items():
                out[key] = out.get(key, 0) + n
        return out

    def all_rows(self) -> list[tuple[str, str, str, int]]:
        """The whole ledger, open and sealed parts (the sealed part needs the seal key)."""
        rows = [(r[0], r[1], r[2], r[3]) for r in self.db.query(
            "SELECT on_day, event, category, amount FROM stats_ledger")]
        return sorted(rows + sealed_ledger.rows(self.db))

    def kept(self, kind: str) -> list[tuple[int, Contribution]]:
        """Every existing record's kept contribution (for the records behind a figure)."""
        if kind == "family":
            rows = wrap(self.db, "families", self.db.query(
                f"SELECT id, stats_json, {select()} FROM families WHERE stats_json IS NOT NULL "
                "ORDER BY id"))
            return [(r["id"], load(r["stats_json"])) for r in rows]
        return [(r[0], load(r[1])) for r in self.db.query(
            f"SELECT id, stats_json FROM {_TABLES[kind]} WHERE stats_json IS NOT NULL "  # noqa: S608
            "ORDER BY id")]

    # ---- live counts for what is never destroyed ---------------------------------------------
    def summonses_between(self, first: date, last: date) -> list[tuple[int, str, str]]:
        """(id, received on, hearing date) of those received in the period (both sealed:
        every summons is opened and filtered here, a centre has a handful)."""
        return [(s.id, s.received_on.isoformat(), s.hearing_date.isoformat())
                for s in SummonsStore(self.db).received_between(first, last)]

    def police_between(self, first: date, last: date) -> list[tuple[int, str, str]]:
        """(id, date, time) of the visits in the period: the date is sealed, so every visit is
        opened and filtered here (a centre has a handful)."""
        rows = wrap(self.db, "police_visits", self.db.query(
            f"SELECT id, visit_date, visit_time, {select()} FROM police_visits"))
        inside = [(r["id"], r["visit_date"], r["visit_time"]) for r in rows
                  if first.isoformat() <= r["visit_date"] <= last.isoformat()]
        return sorted(inside, key=lambda v: (v[1], v[0]))

    def sessions_between(self, first: date, last: date) -> list[Row]:
        return self.db.query(
            "SELECT id, session_date, start_time, end_time, capacity FROM sessions "
            "WHERE session_date BETWEEN ? AND ? ORDER BY session_date, start_time",
            (first.isoformat(), last.isoformat()))

    def volunteer_names(self, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        return {r[0]: r[1] for r in self.db.query(
            f"SELECT id, full_name FROM volunteers WHERE id IN ({marks})", ids)}  # noqa: S608


def sync_marked(db: Database, dirty: dict[str, set[int]]) -> None:
    """The pre-commit hook: bring the ledger up to date for the records changed. A family
    changed in a session without the seal key (the register at the door) is deferred to the
    next Coordinator or Chair action, which can open the children's dates of birth."""
    store = LedgerStore(db, batch=True)
    families = sorted(dirty.get("family", ()))
    if db.sealer is None:
        store.defer("family", families)
        families = []
    elif store.any_pending():
        store.flush()
    for record_id in families:
        store.sync("family", record_id)
    for kind in ("volunteer", "session"):
        for record_id in sorted(dirty.get(kind, ())):
            store.sync(kind, record_id)
    store.flush_sealed()


def install(db: Database) -> None:
    db.add_precommit(sync_marked)


def count_uncounted(db: Database, batch: int = 500) -> int:
    """Count the records not yet in the ledger (the first unlock after the upgrade that added
    it, or records written by a tool that bypassed the stores), a batch per transaction."""
    store = LedgerStore(db, batch=True)
    done = 0
    kinds = ("family", "volunteer", "session") if db.sealer is not None else ("volunteer", "session")
    if db.sealer is not None and store.any_pending():
        with db.transaction():
            done += store.flush()
            store.flush_sealed()
    for kind in kinds:
        while True:
            ids = store.uncounted(kind, batch)
            if not ids:
                break
            with db.transaction():
                for record_id in ids:
                    store.sync(kind, record_id)
                store.flush_sealed()
            done += len(ids)
    return done


def ledger_counter(rows: Iterable[tuple[str, str, str, int]]) -> Counter[Key]:
    c: Counter[Key] = Counter()
    for day, event, cat, n in rows:
        c[(day, event, cat)] += n
    return c

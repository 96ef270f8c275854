"""SQL for families and their people (bookings: storage/bookings; consents, requests and incidents: family_rows)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_desktop.models.errors import VaultCorrupt
from ccc_desktop.models.storage.database import Database, Row, sql_value
from ccc_desktop.models.storage.family_reviews import ReviewStore
from ccc_desktop.models.storage.family_rows import ConsentStore, DisclosureStore, IncidentStore
from ccc_desktop.models.storage.name_folding import search_words, spell_out
from ccc_desktop.models.storage.sealing import (
    ALL,
    RESTRICTED_FILL_KEY,
    later,
    mark_pending,
    next_id,
    no_key,
    no_restricted_notes,
    opened_kept,
    restricted_context,
    seal_row,
    sealed_new_row,
    select,
    wrap,
    wrap_one,
)
from ccc_desktop.models.storage.waiting import WaitingStore

FAMILY_COLUMNS = (
    "contact_kind", "referral_status", "referral_date", "referral_route", "referrer_name",
    "referrer_organisation", "referrer_contact", "court_order", "previsit_on", "previsit_by",
    "previsit_notes", "must_not_attend", "safety_notes",
)
# Set only when a referral moves on (issue 14); never typed into the referral form.
STATUS_COLUMNS = ("accepted_on", "declined_on", "decline_reason", "closed_on", "close_reason",
                  "close_note")
ADULT_COLUMNS = (
    "full_name", "role", "address", "phone", "email", "arrive_minutes_before",
    "leave_minutes_after", "ground_rules_on", "policy_agreed_on",
)
CHILD_COLUMNS = ("full_name", "date_of_birth", "needs")
_F_SELECT = ("id, reference, " + ", ".join(FAMILY_COLUMNS) + ", created_at, updated_at, last_used_on, "
             + select())



class FamilyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- families ------------------------------------------------------------------------
    def insert(self, values: dict[str, Any], now: str, today: date) -> int:
        """The reference comes from the id, and ids are AUTOINCREMENT: a reference is never
        given to another family, even after the newest one is disposed of (the disposal log
        keeps references)."""
        values = {"referral_status": "received", "contact_kind": "supported", "previsit_on": None,
                  "court_order": 0, **values}
        cols = list(FAMILY_COLUMNS)
        marks = ", ".join("?" for _ in cols)
        placeholder = f"new-{now}-{id(values)}"
        # Column names come from the fixed tuple above, never from the user.
        new_id = self.db.execute(
            f"INSERT INTO families (reference, {', '.join(cols)}, created_at, updated_at, "  # noqa: S608
            f"last_used_on) VALUES (?, {marks}, ?, ?, ?)",
            [placeholder, *(sql_value(values.get(c, "")) if c not in ("previsit_on", "court_order")
                            else sql_value(values.get(c)) for c in cols), now, now, today.isoformat()],
        )
        # Every family holds sealed restricted notes, empty until written (migration 0029).
        sealer = self.db.sealer
        notes = None if sealer is None else no_restricted_notes(sealer, new_id)
        if sealer is None:
            mark_pending(self.db, RESTRICTED_FILL_KEY)
        self.db.execute("UPDATE families SET reference = ?, restricted_sealed = ? WHERE id = ?",
                        (f"F-{new_id:04d}", notes, new_id))
        seal_row(self.db, "families", new_id, ALL)
        self.db.changed("families")
        self.db.mark("family", new_id)
        return new_id

    def insert_many(self, families: list[tuple[dict[str, Any], list[dict[str, Any]],
                                               list[dict[str, Any]], str]],
                    now: str, today: date) -> list[int]:
        """Many new families at once (an import): each is (referral values, adults, children,
        what it adds to the statistics ledger as kept JSON). The rows are written as ``insert``,
        ``insert_adult``, ``insert_child``, ``reindex`` and the ledger hook leave them, already
        sealed (needs the seal key), a few statements for the whole batch. The caller adds the
        ledger's counts. Returns the new ids in order."""
        sealer = self.db.sealer
        if sealer is None:
            raise RuntimeError("insert_many needs the seal key: insert one by one instead")
        fam_id, adult_id, child_id = (next_id(self.db, t) for t in
                                      ("families", "family_adults", "family_children"))
        fam_rows: list[list[Any]] = []
        adult_rows: list[list[Any]] = []
        child_rows: list[list[Any]] = []
        terms: list[tuple[int, str]] = []
        ids: list[int] = []
        f_cols = [*FAMILY_COLUMNS, *STATUS_COLUMNS, "stats_json", "created_at", "updated_at",
                  "last_used_on"]
        a_cols = list(ADULT_COLUMNS)
        c_cols = list(CHILD_COLUMNS)
        for referral, adults, children, stats in families:
            values = {"referral_status": "received", "contact_kind": "supported", "previsit_on": None,
                      "court_order": 0, **referral}
            row = {c: (sql_value(values.get(c, "")) if c not in ("previsit_on", "court_order")
                       else sql_value(values.get(c))) for c in FAMILY_COLUMNS}
            row.update({c: None for c in STATUS_COLUMNS})
            row.update(close_note="", stats_json=stats, created_at=now, updated_at=now,
                       last_used_on=today.isoformat())
            sealed = sealed_new_row(sealer, "families", fam_id, row)
            fam_rows.append([fam_id, f"F-{fam_id:04d}", *(sealed[c] for c in f_cols),
                             sealed["private_sealed"], no_restricted_notes(sealer, fam_id)])
            names = []
            for a in adults:
                sealed = sealed_new_row(sealer, "family_adults", adult_id,
                                        {c: sql_value(a[c]) for c in a_cols})
                adult_rows.append([adult_id, fam_id, *(sealed[c] for c in a_cols),
                                   sealed["private_sealed"]])
                names.append(a["full_name"])
                adult_id += 1
            for c in children:
                sealed = sealed_new_row(sealer, "family_children", child_id,
                                        {k: sql_value(c[k]) for k in c_cols})
                child_rows.append([child_id, fam_id, *(sealed[k] for k in c_cols),
                                   sealed["private_sealed"]])
                names.append(c["full_name"])
                child_id += 1
            number = f"{fam_id:04d}"
            terms.append((fam_id, spell_out(f"f{number} f{fam_id} {number} {fam_id} " + " ".join(names))))
            ids.append(fam_id)
            fam_id += 1
        # Column names come from the fixed tuples above, never from the user.
        self.db.executemany(
            f"INSERT INTO families (id, reference, {', '.join(f_cols)}, private_sealed, "  # noqa: S608
            f"restricted_sealed) VALUES ({', '.join('?' for _ in range(len(f_cols) + 4))})", fam_rows)
        self.db.executemany(
            f"INSERT INTO family_adults (id, family_id, {', '.join(a_cols)}, private_sealed) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in range(len(a_cols) + 3))})", adult_rows)
        self.db.executemany(
            f"INSERT INTO family_children (id, family_id, {', '.join(c_cols)}, private_sealed) "  # noqa: S608
            f"VALUES ({', '.join('?' for _ in range(len(c_cols) + 3))})", child_rows)
        self.db.executemany("INSERT INTO family_names (rowid, terms) VALUES (?, ?)", terms)
        self.db.changed("families")
        return ids

    def update(self, family_id: int, values: dict[str, Any], now: str) -> None:
        known = set(FAMILY_COLUMNS) | set(STATUS_COLUMNS)
        if not values or set(values) - known:
            raise ValueError(f"unknown family fields: {set(values) - known}")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(
            f"UPDATE families SET {assignments}, updated_at = ? WHERE id = ?",  # noqa: S608
            [*(sql_value(v) for v in values.values()), now, family_id])
        seal_row(self.db, "families", family_id, [*values, "updated_at"])
        self.db.changed("families")
        self.db.mark("family", family_id)

    def closing(self, family_id: int) -> Row:
        return wrap_one(self.db, "families", self.db.query_one(
            f"SELECT decline_reason, close_reason, close_note, {select()} FROM families "  # noqa: S608
            "WHERE id = ?", (family_id,)))

    def restricted(self, family_id: int) -> bytes | None:
        value = self.db.scalar("SELECT restricted_sealed FROM families WHERE id = ?", (family_id,))
        return None if value is None else bytes(value)

    def has_restricted(self, family_id: int) -> bool:
        """Whether the family's restricted notes hold any text: every family holds sealed notes,
        empty until written (migration 0029), so they are opened (the seal key) to tell."""
        blob = self.restricted(family_id)
        if blob is None:  # made before 0029 and not filled yet
            return False
        sealer = self.db.sealer
        if sealer is None:
            raise no_key("read restricted notes")
        plain = sealer.open_unpadded(restricted_context(family_id), blob)
        if plain is None:
            raise VaultCorrupt("A sealed value could not be opened: it has been altered.")
        return bool(plain.rstrip(b"\x00"))

    def set_restricted(self, family_id: int, sealed: bytes | None, now: str) -> None:
        self.db.execute("UPDATE families SET restricted_sealed = ?, updated_at = ? WHERE id = ?",
                        (sealed, now, family_id))
        seal_row(self.db, "families", family_id, ["updated_at"])
        self.db.changed("families")

    def touch(self, family_id: int, on: date) -> None:
        """Move last_used_on forward to ``on`` (never back). It is sealed: with the seal key
        the row is sealed again with the later date; without it (the register at the door
        records an arrival) the date goes into the plaintext column, where it says no more than
        the open bookings do (the session's day), and counts as the later of the two until the
        next sealed write of the row takes it in (``SealedTable.newest``)."""
        day = on.isoformat()
        if self.db.sealer is None:
            self.db.execute("UPDATE families SET last_used_on = max(last_used_on, ?) WHERE id = ?",
                            (day, family_id))
        else:  # sealed again only when the date moves (an arrival, then the departure: once)
            row = wrap_one(self.db, "families", self.db.query_one(
                f"SELECT last_used_on, {select()} FROM families WHERE id = ?", (family_id,)))
            if row is not None and row["last_used_on"] < day:
                self.db.execute("UPDATE families SET last_used_on = ? WHERE id = ?", (day, family_id))
                seal_row(self.db, "families", family_id, ["last_used_on"])
        self.db.changed("families")
        self.db.mark("family", family_id)

    def get(self, family_id: int) -> Row | None:
        return wrap_one(self.db, "families",
                        self.db.query_one(f"SELECT {_F_SELECT} FROM families WHERE id = ?", (family_id,)))

    def exists(self, family_id: int) -> bool:
        return bool(self.db.scalar("SELECT 1 FROM families WHERE id = ?", (family_id,)))

    def count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM families"))

    def safety(self, family_id: int) -> Row | None:
        return self.db.query_one(
            "SELECT id, reference, must_not_attend, safety_notes FROM families WHERE id = ?",
            (family_id,))

    def references(self, family_ids: list[int]) -> dict[int, str]:
        """Each family's reference, in one query."""
        if not family_ids:
            return {}
        marks = ", ".join("?" for _ in family_ids)
        rows = self.db.query(f"SELECT id, reference FROM families WHERE id IN ({marks})", family_ids)
        return {r["id"]: r["reference"] for r in rows}

    def list_rows(self, family_ids: list[int] | None = None, limit: int = 500) -> list[Row]:
        """The list: reference, adults' and children's names, status, last used (the last two
        sealed: each row opens its blob)."""
        base = (
            f"SELECT f.id, f.reference, f.referral_status, f.last_used_on, {select('f')}, "
            "(SELECT group_concat(full_name, ', ') FROM (SELECT full_name FROM family_adults a "
            " WHERE a.family_id = f.id ORDER BY a.id)) AS adults, "
            "(SELECT group_concat(full_name, ', ') FROM (SELECT full_name FROM family_children c "
            " WHERE c.family_id = f.id ORDER BY c.id)) AS children FROM families f ")
        if family_ids is None:
            return wrap(self.db, "families", self.db.query(base + "ORDER BY f.id DESC LIMIT ?",
                                                           (limit,)))
        if not family_ids:
            return []
        marks = ", ".join("?" for _ in family_ids)
        return wrap(self.db, "families", self.db.query(
            base + f"WHERE f.id IN ({marks}) ORDER BY f.id DESC", family_ids))  # noqa: S608

    # ---- search --------------------------------------------------------------------------
    def reindex(self, family_id: int) -> None:
        """The family's row in the name index (migration 0013 builds the same for old rows)."""
        self.db.execute("DELETE FROM family_names WHERE rowid = ?", (family_id,))
        row = self.db.query_one("SELECT id, reference FROM families WHERE id = ?", (family_id,))
        if row is None:
            return
        names = [r[0] for r in self.db.query(
            "SELECT full_name FROM family_adults WHERE family_id = ? UNION ALL "
            "SELECT full_name FROM family_children WHERE family_id = ?", (family_id, family_id))]
        number = (row["reference"] or "")[2:]
        terms = f"f{number} f{row['id']} {number} {row['id']} " + " ".join(names)
        self.db.execute("INSERT INTO family_names (rowid, terms) VALUES (?, ?)",
                        (family_id, spell_out(terms)))

    def search(self, query: str, limit: int = 500) -> list[int]:
        """Family ids whose names or reference hold a word starting with every typed word,
        whatever the script, ignoring case, accents and letters like ł, ø and ß."""
        terms = search_words(query)
        if not terms:
            return []
        terms = sorted(set(terms), key=len, reverse=True)[:5]
        # Each word quoted (FTS5 syntax in a name is text, never an operator), as a prefix.
        match = " AND ".join('"' + t.replace('"', '""') + '"*' for t in terms)
        rows = self.db.query("SELECT rowid FROM family_names WHERE family_names MATCH ? "
                             "ORDER BY rowid DESC LIMIT ?", (match, limit))
        return [r[0] for r in rows]

    # ---- adults and children -------------------------------------------------------------
    def insert_adult(self, family_id: int, values: dict[str, Any]) -> int:
        cols = list(ADULT_COLUMNS)
        new_id = self.db.execute(
            f"INSERT INTO family_adults (family_id, {', '.join(cols)}) "  # noqa: S608
            f"VALUES (?, {', '.join('?' for _ in cols)})",
            [family_id, *(sql_value(values[c]) for c in cols)])
        seal_row(self.db, "family_adults", new_id, ALL)
        self.db.changed("families")
        return new_id

    def update_adult(self, adult_id: int, values: dict[str, Any]) -> None:
        if not values or set(values) - set(ADULT_COLUMNS):
            raise ValueError("unknown adult fields")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(f"UPDATE family_adults SET {assignments} WHERE id = ?",  # noqa: S608
                        [*(sql_value(v) for v in values.values()), adult_id])
        seal_row(self.db, "family_adults", adult_id, values)
        self.db.changed("families")

    def delete_adult(self, adult_id: int) -> None:
        # The adult's consents go with them (which adult a consent is is sealed: no cascade).
        self.db.executemany("DELETE FROM consents WHERE id = ?",
                            [(i,) for i in ConsentStore(self.db).ids_for(adult_id=adult_id)])
        self.db.execute("DELETE FROM family_adults WHERE id = ?", (adult_id,))
        self.db.changed("families")

    def adults(self, family_id: int) -> list[Row]:
        return wrap(self.db, "family_adults", self.db.query(
            f"SELECT id, family_id, {', '.join(ADULT_COLUMNS)}, {select()} FROM family_adults "  # noqa: S608
            "WHERE family_id = ? ORDER BY id", (family_id,)))

    def adult(self, adult_id: int) -> Row | None:
        return wrap_one(self.db, "family_adults", self.db.query_one(
            f"SELECT id, family_id, {', '.join(ADULT_COLUMNS)}, {select()} FROM family_adults "  # noqa: S608
            "WHERE id = ?", (adult_id,)))

    def insert_child(self, family_id: int, values: dict[str, Any]) -> int:
        new_id = self.db.execute(
            "INSERT INTO family_children (family_id, full_name, date_of_birth, needs) "
            "VALUES (?, ?, ?, ?)",
            (family_id, values["full_name"], sql_value(values["date_of_birth"]), values["needs"]))
        seal_row(self.db, "family_children", new_id, ALL)
        self.db.changed("families")
        self.db.mark("family", family_id)
        return new_id

    def update_child(self, child_id: int, values: dict[str, Any]) -> None:
        self._mark_child(child_id)
        self.db.execute(
            "UPDATE family_children SET full_name = ?, date_of_birth = ?, needs = ? WHERE id = ?",
            (values["full_name"], sql_value(values["date_of_birth"]), values["needs"], child_id))
        seal_row(self.db, "family_children", child_id, ("date_of_birth", "needs"))
        self.db.changed("families")

    def _mark_child(self, child_id: int) -> None:
        family_id = self.db.scalar("SELECT family_id FROM family_children WHERE id = ?", (child_id,))
        if family_id is not None:
            self.db.mark("family", family_id)

    def delete_child(self, child_id: int) -> None:
        self._mark_child(child_id)
        self.db.execute("DELETE FROM family_children WHERE id = ?", (child_id,))
        self.db.changed("families")

    def children(self, family_id: int) -> list[Row]:
        """Oldest first when the dates of birth can be opened (they are sealed); otherwise in
        the order they were entered."""
        rows = wrap(self.db, "family_children", self.db.query(
            f"SELECT id, family_id, full_name, date_of_birth, needs, {select()} FROM family_children "
            "WHERE family_id = ? ORDER BY id", (family_id,)))
        if self.db.sealer is not None or not any(r.is_sealed for r in rows):
            rows.sort(key=lambda r: (r["date_of_birth"] or "", r["id"]))
        return rows

    def child(self, child_id: int) -> Row | None:
        return wrap_one(self.db, "family_children", self.db.query_one(
            f"SELECT id, family_id, full_name, date_of_birth, needs, {select()} FROM family_children "
            "WHERE id = ?", (child_id,)))

    # ---- reviews (storage/family_reviews: which family is sealed) and first session -------
    def add_review(self, family_id: int, on: date, notes: str, now: str) -> int:
        return ReviewStore(self.db).add(family_id, on, notes, now)

    def reviews(self, family_id: int) -> list[Any]:
        return ReviewStore(self.db).for_family(family_id)

    def _last_reviews(self, family_ids: list[int]) -> dict[int, str]:
        return ReviewStore(self.db).last_dates(family_ids)

    def first_session(self, family_id: int) -> str | None:
        return self.db.scalar(
            "SELECT min(s.session_date) FROM bookings b JOIN sessions s ON s.id = b.session_id "
            "WHERE b.family_id = ? AND b.arrived_at IS NOT NULL", (family_id,))

    def _statuses(self) -> list[tuple[int, str, str, str]]:
        """Every family's (id, reference, status, last use), in id order.

        Status and last use are sealed. Each blob is opened once a session: what it says is
        kept beside the database by row and blob (a blob sealed again has a new random nonce),
        so the dashboard and retention asked again open only the rows changed since. The kept
        values go with the database at lock."""
        rows = self.db.query(
            f"SELECT id, reference, referral_status, last_used_on, {select()} FROM families "  # noqa: S608
            "ORDER BY id")
        sealer = self.db.sealer
        if sealer is None:  # refused on the first sealed row, as any read of a sealed field
            return [(r["id"], r["reference"], r["referral_status"], r["last_used_on"])
                    for r in wrap(self.db, "families", rows)]
        kept: dict[int, tuple[bytes, str, str]] = self.db.__dict__.setdefault("_family_statuses", {})
        out = []
        for r in rows:
            blob = r["_sealed"]
            if blob is None:  # not sealed yet (an upgraded file before a manager's unlock)
                out.append((r["id"], r["reference"], r["referral_status"], r["last_used_on"]))
                continue
            nonce = bytes(blob[:12])
            hit = kept.get(r["id"])
            if hit is None or hit[0] != nonce:
                opened, _stats = sealer.open_parts("families", r["id"], blob)
                hit = (nonce, opened.get("referral_status", r["referral_status"]),
                       opened.get("last_used_on", r["last_used_on"]))
                kept[r["id"]] = hit
            out.append((r["id"], r["reference"], hit[1], later(hit[2], r["last_used_on"])))
        return out

    def review_facts(self) -> list[dict[str, Any]]:
        """Accepted families (the status is sealed: selected after opening) with their first
        attended date and latest review, in id order."""
        accepted = [(fid, ref) for fid, ref, status, _used in self._statuses()
                    if status == "accepted"]
        facts: dict[int, Any] = {}
        ids = [fid for fid, _ref in accepted]
        for start in range(0, len(ids), 500):  # the accepted ones only, by their index
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            facts.update((r[0], r) for r in self.db.query(
                "SELECT f.id, (SELECT min(s.session_date) FROM bookings b JOIN sessions s "  # noqa: S608
                "ON s.id = b.session_id WHERE b.family_id = f.id AND b.arrived_at IS NOT NULL) "
                f"FROM families f WHERE f.id IN ({marks})", chunk))
        last = self._last_reviews(ids)  # sealed dates (migration 0026)
        return [{"id": fid, "reference": ref, "first_session": facts[fid][1],
                 "last_review": last.get(fid)} for fid, ref in accepted]

    def lacking_ground_rules(self) -> list[Any]:
        """Families not declined or closed (sealed: after opening) with an adult lacking the
        ground rules or policy date."""
        dates = ("ground_rules_on", "policy_agreed_on")  # sealed (migration 0027)
        adults = self.db.query(f"SELECT family_id, {', '.join(dates)}, {select()} FROM family_adults")  # noqa: S608
        lacking = sorted({int(r["family_id"]) for r, v in opened_kept(self.db, "family_adults", adults, dates)
                          if not all(v[d] for d in dates)})
        rows: list[Any] = []
        for start in range(0, len(lacking), 500):
            part = lacking[start:start + 500]
            rows += wrap(self.db, "families", self.db.query(
                f"SELECT id, reference, referral_status, {select()} FROM families "  # noqa: S608
                f"WHERE id IN ({', '.join('?' for _ in part)}) ORDER BY id", part))
        return [r for r in rows if r["referral_status"] not in ("declined", "closed")]

    # ---- retention -----------------------------------------------------------------------
    def retention_rows(self) -> list[dict[str, Any]]:
        """Every family with its last use (sealed: ordered after opening) and its holds (which
        family an incident is about is sealed too: opened and counted here)."""
        held = IncidentStore(self.db).held_families()
        rows = [{"id": fid, "reference": ref, "last_used_on": used,
                 "incident_holds": int(fid in held)} for fid, ref, _status, used in self._statuses()]
        return sorted(rows, key=lambda r: (r["last_used_on"], r["id"]))

    def unused_since(self, cutoff: date, family_id: int | None = None) -> list[dict[str, Any]]:
        """Families last used on or before cutoff (the date is sealed: every family is opened
        and filtered), or one family; with their adults' names."""
        if family_id is not None:
            found = self.db.query(f"SELECT id, reference, last_used_on, {select()} FROM families "  # noqa: S608
                                  "WHERE id = ?", (family_id,))
            rows = [(r["id"], r["reference"], r["last_used_on"])
                    for r in wrap(self.db, "families", found)]
        else:
            last = cutoff.isoformat()
            rows = sorted(((fid, ref, used) for fid, ref, _status, used in self._statuses()
                           if used <= last), key=lambda r: (r[2], r[0]))
        adults: dict[int, str] = {}
        ids = [r[0] for r in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            adults.update(self.db.query(
                f"SELECT f.id, (SELECT group_concat(full_name, ', ') FROM family_adults a "  # noqa: S608
                f"WHERE a.family_id = f.id) FROM families f WHERE f.id IN ({marks})", chunk))
        return [{"id": fid, "reference": ref, "last_used_on": used, "adults": adults.get(fid)}
                for fid, ref, used in rows]

    def incident_holds(self, family_ids: list[int]) -> list[int]:
        held = IncidentStore(self.db).held_families()
        return sorted(set(family_ids) & held)

    # Which family an incident (migration 0024), a request or a consent (0025) is about is
    # sealed: their rows are found by opening (``_delete_sealed_parts``).
    FAMILY_TABLES = ("bookings", "family_children", "family_adults")

    def _delete_sealed_parts(self, family_ids: list[int]) -> None:
        ReviewStore(self.db).delete_for(family_ids)
        # Requests first: a request names the consent it relied on.
        DisclosureStore(self.db).delete_for(family_ids)
        IncidentStore(self.db).delete_for(family_ids)
        ConsentStore(self.db).delete_for(family_ids)
        WaitingStore(self.db).delete_for(family_ids)  # which family is sealed (0026)

    def row_counts(self, family_id: int) -> dict[str, int]:
        out = {}
        for table, n in (("disclosures", len(DisclosureStore(self.db).ids_for(family_id))),
                         ("incidents", len(IncidentStore(self.db).ids_for(family_id))),
                         ("consents", len(ConsentStore(self.db).ids_for(family_id))),
                         ("reviews", len(ReviewStore(self.db).ids_for([family_id])))):
            if n:
                out[table] = n
        for table in (*self.FAMILY_TABLES, "families"):
            column = "id" if table == "families" else "family_id"
            n = int(self.db.scalar(f"SELECT count(*) FROM {table} WHERE {column} = ?",  # noqa: S608
                                   (family_id,)))
            if n:
                out[table.replace("family_", "").replace("_", " ")] = n
        return out

    def delete_family(self, family_id: int, letters: bool = True) -> None:
        """Every row about the family, its letters too unless the caller deletes those itself
        (the retention service does). The caller audits."""
        from ccc_desktop.models.storage.attachments import AttachmentStore
        from ccc_desktop.models.storage.letters import LetterStore

        if letters:
            LetterStore(self.db).delete_for([("family", family_id)])
        self._delete_sealed_parts([family_id])
        for table in self.FAMILY_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE family_id = ?", (family_id,))  # noqa: S608
        self.db.execute("DELETE FROM family_names WHERE rowid = ?", (family_id,))
        # Documents attached to the family or its referral go with it (issue 15).
        AttachmentStore(self.db).delete_for(("family", "referral"), family_id)
        self.db.execute("DELETE FROM families WHERE id = ?", (family_id,))
        self.db.changed("families", "letters", "register")

    def delete_families(self, family_ids: list[int]) -> None:
        """``delete_family`` for many (an import undone), a statement per table."""
        from ccc_desktop.models.storage.attachments import AttachmentStore
        from ccc_desktop.models.storage.letters import LetterStore

        ids = [(i,) for i in family_ids]
        LetterStore(self.db).delete_for([("family", i) for i in family_ids])
        self._delete_sealed_parts(family_ids)
        for table in self.FAMILY_TABLES:
            self.db.executemany(f"DELETE FROM {table} WHERE family_id = ?", ids)  # noqa: S608
        self.db.executemany("DELETE FROM family_names WHERE rowid = ?", ids)
        AttachmentStore(self.db).delete_owned([(t, i) for i in family_ids for t in ("family", "referral")])
        self.db.executemany("DELETE FROM families WHERE id = ?", ids)
        self.db.changed("families", "letters", "register")


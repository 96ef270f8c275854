"""SQL for the rows kept beside a family: consents, requests for information and incidents.

Whose they are and when are sealed (issue 12, migrations 0024 and 0025), so these stores open
the rows and select in Python (a centre has a few dozen of each)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_desktop.models.storage.database import Database, sql_value
from ccc_desktop.models.storage.sealing import ALL, seal_row, select, wrap, wrap_one


def _by_id(db: Database, table: str, column: str, ids: set[Any]) -> dict[int, str]:
    """``column`` of the rows of ``table`` with these ids (what a join gave before the link
    was sealed); table and column names are fixed in the code."""
    wanted = sorted(int(i) for i in ids if i is not None)
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        out.update({int(r[0]): str(r[1]) for r in db.query(
            f"SELECT id, {column} FROM {table} WHERE id IN ({', '.join('?' for _ in part)})",  # noqa: S608
            part)})
    return out


class ConsentRow:
    """A consent's row (sealed fields open on first use) with its adult's name, as the join with
    ``family_adults`` gave it before which adult it is was sealed."""

    __slots__ = ("names", "row")

    def __init__(self, row: Any, names: dict[int, str]) -> None:
        self.row, self.names = row, names

    def __getitem__(self, key: str) -> Any:
        if key == "adult_name":
            return self.names.get(self.row["adult_id"], "")
        return self.row[key]

    def keys(self) -> list[str]:
        return [*self.row.keys(), "adult_name"]


class ConsentStore:
    """Whose consent it is (family, adult) and when it was given and withdrawn are sealed
    (issue 12, migrations 0024 and 0025): consents are opened and selected here."""

    def __init__(self, db: Database) -> None:
        self.db = db

    _SELECT = ("id, family_id, adult_id, to_whom, purpose, given_on, how, withdrawn_on, "
               + select() + " FROM consents")

    def _opened(self, where: str = "", params: tuple[Any, ...] = ()) -> list[Any]:
        return wrap(self.db, "consents", self.db.query(f"SELECT {self._SELECT} {where}", params))  # noqa: S608

    def _named(self, rows: list[Any]) -> list[ConsentRow]:
        names = _by_id(self.db, "family_adults", "full_name", {r["adult_id"] for r in rows})
        return [ConsentRow(r, names) for r in rows if r["adult_id"] in names]

    def insert(self, family_id: int, adult_id: int, to_whom: str, purpose: str, given_on: date,
               how: str, now: str) -> int:
        new_id = self.db.execute(
            "INSERT INTO consents (family_id, adult_id, to_whom, purpose, given_on, how, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (family_id, adult_id, to_whom, purpose, given_on.isoformat(), how, now))
        seal_row(self.db, "consents", new_id, ALL)
        self.db.changed("families", "consents")
        return new_id

    def withdraw(self, consent_id: int, on: date) -> None:
        self.db.execute("UPDATE consents SET withdrawn_on = ? WHERE id = ?",
                        (on.isoformat(), consent_id))
        seal_row(self.db, "consents", consent_id, ("withdrawn_on",))
        self.db.changed("families", "consents")

    def get(self, consent_id: int) -> ConsentRow | None:
        found = self._named(self._opened("WHERE id = ?", (consent_id,)))
        return found[0] if found else None

    def for_family(self, family_id: int) -> list[ConsentRow]:
        """Newest first."""
        rows = self._named([r for r in self._opened() if r["family_id"] == family_id])
        return sorted(rows, key=lambda r: (r["given_on"], r["id"]), reverse=True)

    def ids_for(self, family_id: int | None = None, adult_id: int | None = None) -> list[int]:
        return sorted(int(r["id"]) for r in self._opened()
                      if (family_id is None or r["family_id"] == family_id)
                      and (adult_id is None or r["adult_id"] == adult_id))

    def delete_for(self, family_ids: list[int]) -> None:
        """A family's consents go with it (no cascade from a sealed family)."""
        wanted = set(family_ids)
        self.db.executemany("DELETE FROM consents WHERE id = ?",
                            [(int(r["id"]),) for r in self._opened() if r["family_id"] in wanted])


class DisclosureRow:
    """A disclosure request's row (sealed fields open on first use) with the name of the
    account that authorised it and its family's reference, as the joins with ``accounts`` and
    ``families`` gave them before those links were sealed."""

    __slots__ = ("names", "references", "row")

    def __init__(self, row: Any, names: dict[int, str], references: dict[int, str]) -> None:
        self.row, self.names, self.references = row, names, references

    def __getitem__(self, key: str) -> Any:
        if key == "authorised_by":
            account = self.row["authorised_by"]
            return self.names.get(account, "") if account is not None else ""
        if key == "reference":
            return self.references.get(self.row["family_id"], "")
        return self.row[key]

    def keys(self) -> list[str]:
        return [*self.row.keys(), "reference"]


class DisclosureStore:
    """When a request came and was answered, the answer and who authorised it are sealed
    (issue 12, migration 0024): requests are ordered here after opening."""

    def __init__(self, db: Database) -> None:
        self.db = db

    _SELECT = ("id, family_id, requested_by, organisation, requested_on, asked_for, answer, "
               "ground, authorised_by, reason, disclosed, letter_id, answered_on, consent_id, "
               + select() + " FROM disclosures")

    def _opened(self, where: str = "", params: tuple[Any, ...] = ()) -> list[Any]:
        return wrap(self.db, "disclosures", self.db.query(f"SELECT {self._SELECT} {where}", params))  # noqa: S608

    def _rows(self, rows: list[Any]) -> list[DisclosureRow]:
        """Newest first, those of families that exist, named (as the joins did)."""
        names = _by_id(self.db, "accounts", "display_name", {r["authorised_by"] for r in rows})
        refs = _by_id(self.db, "families", "reference", {r["family_id"] for r in rows})
        out = [DisclosureRow(r, names, refs) for r in rows if r["family_id"] in refs]
        return sorted(out, key=lambda r: (r["requested_on"], r["id"]), reverse=True)

    def insert(self, family_id: int, requested_by: str, organisation: str, requested_on: date,
               asked_for: str, now: str, account_id: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO disclosures (family_id, requested_by, organisation, requested_on, "
            "asked_for, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (family_id, requested_by, organisation, requested_on.isoformat(), asked_for, now,
             account_id))
        seal_row(self.db, "disclosures", new_id, ALL)
        self.db.changed("disclosures", "families")
        self.db.mark("family", family_id)
        return new_id

    def answer(self, disclosure_id: int, **values: Any) -> None:
        allowed = {"answer", "ground", "consent_id", "authorised_by", "reason", "disclosed",
                   "letter_id", "answered_on"}
        if not values or set(values) - allowed:
            raise ValueError("unknown disclosure fields")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(f"UPDATE disclosures SET {assignments} WHERE id = ?",  # noqa: S608
                        [*(sql_value(v) for v in values.values()), disclosure_id])
        seal_row(self.db, "disclosures", disclosure_id, values)
        self.db.changed("disclosures", "families")

    def get(self, disclosure_id: int) -> DisclosureRow | None:
        found = self._rows(self._opened("WHERE id = ?", (disclosure_id,)))
        return found[0] if found else None

    def for_family(self, family_id: int) -> list[DisclosureRow]:
        return self._rows([r for r in self._opened() if r["family_id"] == family_id])

    def log(self) -> list[DisclosureRow]:
        return self._rows(self._opened())

    def requested_on(self, family_id: int) -> list[date]:
        """When each of the family's requests came (the statistics)."""
        return [date.fromisoformat(r["requested_on"]) for r in self._opened()
                if r["family_id"] == family_id]

    def ids_for(self, family_id: int) -> list[int]:
        return sorted(int(r["id"]) for r in self._opened() if r["family_id"] == family_id)

    def delete_for(self, family_ids: list[int]) -> None:
        """A family's requests go with it (no cascade from a sealed family)."""
        wanted = set(family_ids)
        self.db.executemany("DELETE FROM disclosures WHERE id = ?",
                            [(int(r["id"]),) for r in self._opened() if r["family_id"] in wanted])


class IncidentStore:
    """Which family an incident is about, when, its kind and hold are sealed (issue 12,
    migration 0024): rows are opened and selected here (a centre has a few dozen)."""

    _SELECT = ("id, family_id, occurred_on, kind, details_sealed, keep_beyond_three_years, "
               "created_at, " + select())

    def __init__(self, db: Database) -> None:
        self.db = db

    def _opened(self) -> list[Any]:
        return wrap(self.db, "incidents", self.db.query(f"SELECT {self._SELECT} FROM incidents"))

    def insert(self, family_id: int, occurred_on: date, kind: str, now: str,
               account_id: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO incidents (family_id, occurred_on, kind, details_sealed, created_at, "
            "created_by) VALUES (?, ?, ?, x'', ?, ?)",
            (family_id, occurred_on.isoformat(), kind, now, account_id))
        seal_row(self.db, "incidents", new_id, ALL)
        self.db.changed("incidents", "families")
        return new_id

    def set_sealed(self, incident_id: int, blob: bytes) -> None:
        self.db.execute("UPDATE incidents SET details_sealed = ? WHERE id = ?", (blob, incident_id))

    def set_hold(self, incident_id: int, hold: bool) -> None:
        self.db.execute("UPDATE incidents SET keep_beyond_three_years = ? WHERE id = ?",
                        (int(hold), incident_id))
        seal_row(self.db, "incidents", incident_id, ("keep_beyond_three_years",))
        self.db.changed("incidents", "families")

    def for_family(self, family_id: int) -> list[Any]:
        rows = [r for r in self._opened() if r["family_id"] == family_id]
        return sorted(rows, key=lambda r: (r["occurred_on"], r["id"]), reverse=True)

    def get(self, incident_id: int) -> Any:
        return wrap_one(self.db, "incidents", self.db.query_one(
            f"SELECT {self._SELECT} FROM incidents WHERE id = ?", (incident_id,)))

    def ids_for(self, family_id: int) -> list[int]:
        return sorted(int(r["id"]) for r in self._opened() if r["family_id"] == family_id)

    def held_families(self) -> set[int]:
        """The families an incident held beyond three years keeps from disposal."""
        return {int(r["family_id"]) for r in self._opened()
                if r["keep_beyond_three_years"] and r["family_id"] is not None}

    def delete_for(self, family_ids: list[int]) -> None:
        wanted = set(family_ids)
        ids = [(int(r["id"]),) for r in self._opened() if r["family_id"] in wanted]
        self.db.executemany("DELETE FROM incidents WHERE id = ?", ids)

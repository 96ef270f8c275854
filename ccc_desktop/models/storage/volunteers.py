"""SQL for volunteers, DBS checks (sealed columns stay bytes here) and the rota."""

from __future__ import annotations

from datetime import date
from typing import Any

from ccc_desktop.models.storage.database import Database, Row, sql_value
from ccc_desktop.models.storage.sealing import (
    ALL,
    blind_index,
    seal_is_pending,
    seal_row,
    select,
    wrap,
    wrap_one,
)

VOLUNTEER_COLUMNS = (
    "full_name", "details_sealed", "start_date", "roles",
    "references_received", "induction_on", "safeguarding_on", "undertaking_version",
    "undertaking_signed_on", "policy_read_on", "court_clause_acknowledged", "account_id",
)
_V_SELECT = ("id, " + ", ".join(VOLUNTEER_COLUMNS)
             + ", status, resigned_on, created_at, updated_at, " + select())

_C_SELECT = ("c.id, c.volunteer_id, c.level, c.certificate_number, c.issue_date, "
             "c.update_service, c.last_status_check, c.id_checked_by, c.renewal_applied_on, "
             "c.created_at, " + select("c"))
SEALED_COLUMNS = ("outcome_sealed", "disclosed_sealed", "decision_sealed")



def _newest_first(rows: list[Any]) -> list[Any]:
    return sorted(rows, key=lambda r: (r["issue_date"], r["id"]), reverse=True)


class VolunteerStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, values: dict[str, Any], now: str) -> int:
        cols = list(VOLUNTEER_COLUMNS)
        marks = ", ".join("?" for _ in cols)
        # Column names come from the fixed tuple above, never from the user.
        new_id = self.db.execute(
            f"INSERT INTO volunteers ({', '.join(cols)}, created_at, updated_at) "  # noqa: S608
            f"VALUES ({marks}, ?, ?)",
            [*(sql_value(values[c]) for c in cols), now, now],
        )
        seal_row(self.db, "volunteers", new_id, ALL)
        self.db.changed("volunteers")
        self.db.mark("volunteer", new_id)
        return new_id

    def update(self, volunteer_id: int, values: dict[str, Any], now: str) -> None:
        allowed = set(VOLUNTEER_COLUMNS) | {"status", "resigned_on"}
        if not values or set(values) - allowed:
            raise ValueError(f"unknown volunteer fields: {set(values) - allowed}")
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(
            f"UPDATE volunteers SET {assignments}, updated_at = ? WHERE id = ?",  # noqa: S608
            [*(sql_value(v) for v in values.values()), now, volunteer_id],
        )
        seal_row(self.db, "volunteers", volunteer_id, [*values, "updated_at"])
        self.db.changed("volunteers")

    # Rows come back as ``SealedRow``: the name and account read as stored; the status, roles
    # and dates (migration 0028) open the row's blob when first asked for (a Coordinator or
    # Chair), so a list by status is selected here after opening.
    def get(self, volunteer_id: int) -> Any:
        return wrap_one(self.db, "volunteers", self.db.query_one(
            f"SELECT {_V_SELECT} FROM volunteers WHERE id = ?", (volunteer_id,)))

    def all(self, status: str | None = None) -> list[Any]:
        rows = wrap(self.db, "volunteers", self.db.query(
            f"SELECT {_V_SELECT} FROM volunteers ORDER BY full_name COLLATE NOCASE, id"))
        return rows if status is None else [r for r in rows if r["status"] == status]

    def by_account(self, account_id: int) -> Any:
        return wrap_one(self.db, "volunteers", self.db.query_one(
            f"SELECT {_V_SELECT} FROM volunteers WHERE account_id = ?", (account_id,)))

    def resigned(self) -> list[Any]:
        """Resigned volunteers by resignation date: the date is sealed (0028), so they are
        opened and ordered here (a centre has tens of volunteers)."""
        return sorted((r for r in self.all(status="resigned") if r["resigned_on"]),
                      key=lambda r: (r["resigned_on"], r["id"]))

    def delete(self, volunteer_id: int) -> None:
        """For disposal (issue 6): the DBS checks and rota lines go with the record. Which
        volunteer a check is for is sealed (no cascade): the checks are found by opening."""
        from ccc_desktop.models.storage.attachments import AttachmentStore

        for check_id in DbsStore(self.db).ids_for(volunteer_id):
            self.db.execute("DELETE FROM dbs_checks WHERE id = ?", (check_id,))
        AttachmentStore(self.db).delete_for(("volunteer",), volunteer_id)
        self.db.execute("DELETE FROM volunteers WHERE id = ?", (volunteer_id,))
        self.db.changed("volunteers", "dbs", "rota")


class CheckRow:
    """A DBS check's row (sealed fields open on first use) with its volunteer's name, as the
    join with ``volunteers`` gave it before the volunteer was sealed."""

    __slots__ = ("order", "row", "status", "volunteer_name")

    def __init__(self, row: Any, volunteer_name: str, status: str, order: int) -> None:
        self.row, self.volunteer_name, self.status, self.order = row, volunteer_name, status, order

    def __getitem__(self, key: str) -> Any:
        return self.volunteer_name if key == "volunteer_name" else self.row[key]

    def keys(self) -> list[str]:
        return [*self.row.keys(), "volunteer_name"]


class DbsStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, volunteer_id: int, values: dict[str, Any], sealed: dict[str, bytes],
               now: str, created_by: int) -> int:
        new_id = self.db.execute(
            "INSERT INTO dbs_checks (volunteer_id, level, certificate_number, issue_date, "
            "update_service, last_status_check, id_checked_by, outcome_sealed, disclosed_sealed, "
            "decision_sealed, created_at, created_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (volunteer_id, values["level"], values["certificate_number"], sql_value(values["issue_date"]),
             int(values["update_service"]), sql_value(values["last_status_check"]),
             values["id_checked_by"], sealed["outcome_sealed"], sealed["disclosed_sealed"],
             sealed["decision_sealed"], now, created_by, now),
        )
        seal_row(self.db, "dbs_checks", new_id, ALL)
        self.db.changed("dbs")
        return new_id

    def update(self, check_id: int, values: dict[str, Any], now: str) -> None:
        allowed = {"level", "certificate_number", "issue_date", "update_service",
                   "last_status_check", "id_checked_by", "renewal_applied_on", *SEALED_COLUMNS}
        if not values or set(values) - allowed:
            raise ValueError(f"unknown DBS check fields: {set(values) - allowed}")
        assignments = ", ".join(f"{name} = ?" for name in values)
        params = [int(v) if isinstance(v, bool) else sql_value(v) for v in values.values()]
        self.db.execute(
            f"UPDATE dbs_checks SET {assignments}, updated_at = ? WHERE id = ?",  # noqa: S608
            [*params, now, check_id],
        )
        seal_row(self.db, "dbs_checks", check_id, [*values, "updated_at"])
        self.db.changed("dbs")

    # Which volunteer a check is for (migration 0024) and its issue date (0020) are sealed: the
    # checks are opened, matched to their volunteers and ordered here (a centre has tens of
    # volunteers, each with a few checks). A check whose volunteer is gone is left out.
    def _opened(self, where: str = "", params: tuple[Any, ...] = ()) -> list[CheckRow]:
        names = {r["id"]: (r["full_name"], r["status"], n) for n, r in enumerate(VolunteerStore(
            self.db).all())}
        out = []
        for r in wrap(self.db, "dbs_checks", self.db.query(
                f"SELECT {_C_SELECT} FROM dbs_checks c {where}", params)):  # noqa: S608
            volunteer = names.get(r["volunteer_id"])
            if volunteer is not None:
                out.append(CheckRow(r, *volunteer))
        return out

    def get(self, check_id: int) -> CheckRow | None:
        found = self._opened("WHERE c.id = ?", (check_id,))
        return found[0] if found else None

    def sealed(self, check_id: int) -> Row | None:
        return wrap_one(self.db, "dbs_checks", self.db.query_one(
            "SELECT volunteer_id, certificate_number, issue_date, level, outcome_sealed, "
            f"disclosed_sealed, decision_sealed, {select()} FROM dbs_checks WHERE id = ?",
            (check_id,)))

    def for_volunteer(self, volunteer_id: int) -> list[CheckRow]:
        return _newest_first([r for r in self._opened() if r["volunteer_id"] == volunteer_id])

    def ids_for(self, volunteer_id: int) -> list[int]:
        """The ids of a volunteer's checks (disposal, subject access), opened to be found."""
        return sorted(int(r["id"]) for r in wrap(self.db, "dbs_checks", self.db.query(
            f"SELECT id, volunteer_id, {select()} FROM dbs_checks"))
            if r["volunteer_id"] == volunteer_id)

    def all(self) -> list[CheckRow]:
        return _newest_first(self._opened())

    def latest_per_volunteer(self, statuses: tuple[str, ...]) -> list[CheckRow]:
        """The newest check (by issue date) of each volunteer in the given statuses, by name."""
        rows = sorted((r for r in self._opened() if r.status in statuses),
                      key=lambda r: (r.order, r["volunteer_id"]))
        newest: dict[int, CheckRow] = {}
        for r in rows:  # in name order; the newest of each volunteer's checks is kept
            best = newest.get(r["volunteer_id"])
            if best is None or (r["issue_date"], r["id"]) > (best["issue_date"], best["id"]):
                newest[r["volunteer_id"]] = r
        return list(newest.values())

    def certificate_taken(self, number: str, except_id: int | None = None) -> bool:
        """Found through the blind index (the number itself is sealed); a row not yet sealed
        still holds its number in plaintext."""
        index = blind_index(self.db, "dbs_checks", "certificate_number", number)
        if index is not None and self.db.scalar(
                "SELECT count(*) FROM dbs_checks WHERE certificate_index = ? AND id IS NOT ?",
                (index, except_id)):
            return True
        if index is not None and not seal_is_pending(self.db):
            return False  # every row is sealed: the numbers are only in the (indexed) blind index
        return self.db.scalar(
            "SELECT count(*) FROM dbs_checks WHERE (certificate_index = ? OR certificate_number = ?) "
            "AND id IS NOT ?", (index, number, except_id)) > 0


class RotaStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, session_id: int, volunteer_id: int, duty: str, now: str) -> None:
        self.db.execute(
            "INSERT INTO rota (session_id, volunteer_id, duty, assigned_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (session_id, volunteer_id) DO UPDATE SET duty = excluded.duty",
            (session_id, volunteer_id, duty, now))
        self.db.changed("rota")
        self.db.mark("volunteer", volunteer_id)

    def remove(self, session_id: int, volunteer_id: int) -> int:
        existed = self.db.scalar("SELECT count(*) FROM rota WHERE session_id = ? AND volunteer_id = ?",
                                 (session_id, volunteer_id))
        self.db.execute("DELETE FROM rota WHERE session_id = ? AND volunteer_id = ?",
                        (session_id, volunteer_id))
        self.db.changed("rota")
        self.db.mark("volunteer", volunteer_id)
        return int(existed)

    def for_session(self, session_id: int) -> list[Row]:
        return self.db.query(
            "SELECT r.session_id, r.volunteer_id, v.full_name AS volunteer_name, r.duty "
            "FROM rota r JOIN volunteers v ON v.id = r.volunteer_id WHERE r.session_id = ? "
            "ORDER BY v.full_name COLLATE NOCASE", (session_id,))

    def for_sessions_between(self, first: date, last: date) -> list[Row]:
        return self.db.query(
            "SELECT r.session_id, r.volunteer_id, v.full_name AS volunteer_name, r.duty "
            "FROM rota r JOIN volunteers v ON v.id = r.volunteer_id "
            "JOIN sessions s ON s.id = r.session_id WHERE s.session_date BETWEEN ? AND ? "
            "ORDER BY v.full_name COLLATE NOCASE", (first.isoformat(), last.isoformat()))

    def for_volunteer(self, volunteer_id: int, since: date) -> list[Row]:
        return self.db.query(
            "SELECT s.id, s.session_date, s.start_time, s.end_time, r.duty FROM rota r "
            "JOIN sessions s ON s.id = r.session_id WHERE r.volunteer_id = ? AND s.session_date >= ? "
            "ORDER BY s.session_date, s.start_time", (volunteer_id, since.isoformat()))

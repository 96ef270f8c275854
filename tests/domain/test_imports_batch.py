"""Families written in a batch (an import's ``FamilyService.add_families``) are stored exactly as
one written row by row is: the same open columns, the same sealed values, the same name-index
terms and statistics, with the same checks applied (issue 15's import speed)."""

from __future__ import annotations

from typing import Any

import pytest

from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.imports.fields import Kind
from ccc_desktop.models.imports.reading import read_bytes
from ccc_desktop.models.services.families import FamilyNotAdded
from ccc_desktop.models.services.imports import ImportRefused
from ccc_desktop.models.statistics_records import load
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.statistics import LedgerStore
from tests.family_helpers import child, referral, resident, visiting

# restricted_sealed: every family's sealed (empty) notes, bound to its id: compared opened.
_SKIP = {"id", "reference", "family_id", "private_sealed", "restricted_sealed", "created_at",
         "updated_at"}


def _rows(s: Any, sql: str, family_id: int) -> list[dict[str, Any]]:
    """Each row as stored, its sealed blob opened (and its stats as a count, not JSON text)."""
    db = s.session.db
    out = []
    for r in db.query(sql, (family_id,)):
        row = {k: r[k] for k in r.keys() if k not in _SKIP}
        table = sql.split(" FROM ")[1].split()[0]
        row["sealed"] = db.sealer.open_fields(table, r["id"], r["private_sealed"])
        if "stats_json" in row["sealed"]:
            row["sealed"]["stats_json"] = load(row["sealed"]["stats_json"])
        out.append(row)
    return out


def _stored(s: Any, family_id: int) -> dict[str, Any]:
    terms = s.session.db.scalar("SELECT terms FROM family_names WHERE rowid = ?", (family_id,))
    number = f"{family_id:04d}"
    return {
        "family": _rows(s, "SELECT * FROM families WHERE id = ?", family_id),
        "adults": _rows(s, "SELECT * FROM family_adults WHERE family_id = ? ORDER BY id", family_id),
        "children": _rows(s, "SELECT * FROM family_children WHERE family_id = ? ORDER BY id",
                          family_id),
        "terms": terms.replace(f"f{number} f{family_id} {number} {family_id} ", "<ref> "),
    }


def _ledger(s: Any) -> dict[tuple[str, str, str], int]:
    return {(r[0], r[1], r[2]): r[3] for r in LedgerStore(s.session.db).all_rows()}


FAMILY = (referral(referrer_name="Łucja Brzęczyszczykiewicz"),
          [resident(full_name="Zoë O'Neill"), visiting(full_name="Tom  Hart ")],
          [child(full_name="Mia O'Neill", date_of_birth="14/03/2019", needs="Asthma"),
           child(full_name="Leo Hart", date_of_birth="01/01/2021")])


def test_a_batch_stores_families_as_one_by_one_does(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    db = s.session.db
    empty = _ledger(s)
    # Row by row: the stores' own inserts, sealed afterwards, the ledger hook at commit.
    with db.transaction():
        one = s.families._insert_one(*s.families._check_family(*FAMILY))
    after_one = _ledger(s)
    [batch, other] = s.families.add_families([FAMILY, (referral(route="self"), [resident()], [])])
    assert _stored(s, batch) == _stored(s, one)
    notes = FamilyStore(db)
    assert len(notes.restricted(batch) or b"") == len(notes.restricted(one) or b"") > 0
    assert not notes.has_restricted(batch) and not notes.has_restricted(one)
    # The ledger counted the batch's copy as it counted the first one.
    once = {k: n - empty.get(k, 0) for k, n in after_one.items() if n != empty.get(k, 0)}
    twice = {k: n - after_one.get(k, 0) for k, n in _ledger(s).items()
             if n != after_one.get(k, 0)}
    self_route = {k: n for k, n in twice.items() if k[2] == "self"}
    assert self_route and {k: n for k, n in twice.items() if k[2] != "self"} == once
    # What each family keeps is what the ledger hook works out from the file.
    ledger = LedgerStore(db)
    for family_id in (one, batch, other):
        assert load(ledger.stored("family", family_id)) == ledger.contribution("family", family_id)
    # Found by name and reference; read back like any other family.
    assert [r.id for r in s.families.search("O'Neill")] == [batch, one]
    assert batch in [r.id for r in s.families.search(f"F-{batch}")]
    family = s.families.get(batch)
    assert [a.full_name for a in family.adults] == ["Zoë O'Neill", "Tom Hart"]
    assert family.adults[0].address == resident().address
    assert family.referral.referrer_name == "Łucja Brzęczyszczykiewicz"


def test_a_batch_applies_every_check_and_writes_nothing_when_one_fails(coordinator) -> None:  # type: ignore[no-untyped-def]
    before = coordinator.families.count()
    bad = (referral(), [resident(full_name="Ann \U0001f600 Bell")], [])
    with pytest.raises(FamilyNotAdded) as info:
        coordinator.families.add_families([FAMILY, bad, FAMILY])
    assert info.value.index == 1 and info.value.field == "adults.0.full_name"
    with pytest.raises(ValidationError, match="at least one adult"):
        coordinator.families.add_families([(referral(), [], [])])
    assert coordinator.families.count() == before


def test_an_import_row_the_family_checks_refuse_is_named_and_nothing_is_written(coordinator) -> None:  # type: ignore[no-untyped-def]
    """The plan does not know which characters the letters can print; the families service
    does, and refuses the row inside the import's batch."""
    lines = ["Referral date,Parent 1 name,Parent 1 role,Child 1 name,Child 1 DOB"]
    lines += [f"02/09/2026,Ann Bell{i},Resident parent,Ben Bell{i},01/01/2020" for i in range(300)]
    lines[280] = "02/09/2026,Ann \U0001f600 Bell,Resident parent,Ben Bell,01/01/2020"
    plan = coordinator.imports.plan(Kind.FAMILIES, read_bytes("\n".join(lines).encode(), "f.csv"))
    assert plan.problems == []
    before = coordinator.families.count()
    with pytest.raises(ImportRefused, match="Row 281, column \u201cParent 1 name\u201d"):
        coordinator.imports.run(plan)
    assert coordinator.families.count() == before
    assert coordinator.imports.history() == []
    assert plan.row(281).problems


def test_a_merge_can_join_a_family_made_earlier_in_the_same_batch(coordinator) -> None:  # type: ignore[no-untyped-def]
    data = (b"Referral date,Parent 1 name,Parent 1 role,Parent 1 phone,Child 1 name,Child 1 DOB\n"
            b"02/09/2026,Ann Bell,Resident parent,07700 900001,Ben Bell,01/01/2020\n"
            b"02/09/2026,Ann Bell,Resident parent,07700 900001,Cat Bell,01/01/2021\n"
            b"02/09/2026,Dan Ray,Resident parent,07700 900002,Eve Ray,01/01/2022\n")
    plan = coordinator.imports.plan(Kind.FAMILIES, read_bytes(data, "f.csv"))
    assert plan.row(3).duplicates
    result = coordinator.imports.run(plan, choices={3: "merge"})
    assert (result.created, result.merged) == (2, 1)
    [bell] = coordinator.families.search("Bell")
    assert sorted(c.full_name for c in coordinator.families.get(bell.id).children) == ["Ben Bell",
                                                                                       "Cat Bell"]
    assert coordinator.imports.undo(result.batch_id) == 3
    assert coordinator.families.search("Bell") == coordinator.families.search("Ray") == []


def test_undoing_an_import_takes_its_counts_out_of_the_statistics(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    s.bookings.add_session("05/12/2026", "10:00", "12:00", 6)
    before = _ledger(s)
    families = (b"Referral date,Route,Parent 1 name,Parent 1 role,Child 1 name,Child 1 DOB\n"
                b"02/09/2026,Solicitor,Ann Bell,Resident parent,Ben Bell,01/01/2020\n"
                b"03/09/2026,Self,Dan Ray,Resident parent,Eve Ray,01/01/2022\n")
    sessions = b"Date,Start,End,Capacity\n12/12/2026,10:00,12:00,6\n19/12/2026,10:00,12:00,8\n"
    done = [s.imports.run(s.imports.plan(Kind.FAMILIES, read_bytes(families, "f.csv"))),
            s.imports.run(s.imports.plan(Kind.SESSIONS, read_bytes(sessions, "s.csv")))]
    assert _ledger(s) != before
    for result in reversed(done):
        s.imports.undo(result.batch_id)
    assert _ledger(s) == before

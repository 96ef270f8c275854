"""Retention over the real areas merged so far: volunteers (issue 4) and summonses (issue 5)."""

from __future__ import annotations

from datetime import date

import pytest
from test_dataprot_retention import decrypted_pages
from volunteer_helpers import check, details

from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.services.area_retention import HOLD_ACCOUNT, HOLD_SUMMONS_VOLUNTEER
from ccc_desktop.models.services.legal import HOLD_SUMMONS_FAMILY, family_summons_holds
from ccc_desktop.models.storage.volunteers import RotaStore
from conftest import COORDINATOR


def resigned(services, name: str, on: date, **kw):  # type: ignore[no-untyped-def]
    v = services.volunteers.create(details(full_name=name, start_date=date(2015, 3, 1),
                                           induction_on=date(2015, 3, 2), safeguarding_on=date(2015, 3, 3),
                                           undertaking_signed_on=date(2015, 3, 2),
                                           policy_read_on=date(2015, 3, 2), **kw))
    services.dbs.record(v.id, check(issue_date=date(2016, 1, 5)))
    services.volunteers.resign(v.id, on, "Moved away")
    return v


def volunteer_items(services) -> dict[str, tuple[str, str, date, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    return {i.label: (i.reference, i.status, i.due_on, i.holds)
            for i in services.retention.report().items if i.category == "volunteer"}


def test_resigned_volunteers_fall_due_three_years_after_resigning(coordinator) -> None:
    a = resigned(coordinator, "Exactly Three", date(2023, 11, 26))
    resigned(coordinator, "Almost Three", date(2023, 12, 20))
    resigned(coordinator, "Two Years", date(2024, 11, 26))
    coordinator.volunteers.create(details(full_name="Still Here"))
    assert volunteer_items(coordinator) == {
        "Exactly Three": (f"V-{a.id:05d}", "due", date(2026, 11, 26), ()),
        "Almost Three": (f"V-{a.id + 1:05d}", "soon", date(2026, 12, 20), ()),
    }


def test_leap_day_resignation(coordinator, clock) -> None:
    from datetime import datetime

    resigned(coordinator, "Leap Day", date(2024, 2, 29))
    clock.at = datetime(2027, 2, 28, 9, 0)
    assert volunteer_items(coordinator)["Leap Day"][1:3] == ("due", date(2027, 2, 28))


def test_disposing_of_a_volunteer_removes_the_record_checks_rota_and_every_trace(coordinator) -> None:
    s = coordinator.session
    v = resigned(coordinator, "Wilhelmina Oddsworth", date(2022, 6, 1),
                 address="77 Quince Terrace, Bolsover")
    with s.db.transaction():
        session_id = s.db.execute(
            "INSERT INTO sessions (session_date, start_time, end_time, capacity) VALUES (?, ?, ?, ?)",
            ("2022-05-14", "10:00", "12:00", 6))
        RotaStore(s.db).add(session_id, v.id, "door", "2022-05-01T10:00:00")
    assert b"Wilhelmina Oddsworth" in decrypted_pages(s.vault.paths.db, s.db_key)
    result = coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    assert result.rows_deleted == 3  # the record, one DBS check, one rota line
    assert coordinator.volunteers.list() == []
    assert s.db.scalar("SELECT count(*) FROM dbs_checks") == 0
    assert s.db.scalar("SELECT count(*) FROM rota") == 0
    pages = decrypted_pages(s.vault.paths.db, s.db_key)
    assert b"Wilhelmina" not in pages and b"Oddsworth" not in pages
    log = coordinator.retention.disposal_log()
    assert [(e.reference, e.category, e.last_used) for e in log] == [(f"V-{v.id:05d}", "volunteer",
                                                                      date(2022, 6, 1))]


def test_a_disposed_volunteers_reference_is_never_given_out_again(coordinator) -> None:  # type: ignore[no-untyped-def]
    first = coordinator.volunteers.create(details(full_name="Still Here"))
    newest = resigned(coordinator, "Gone Away", date(2022, 6, 1))
    assert newest.id > first.id  # the newest record, the one SQLite would otherwise reuse
    coordinator.retention.dispose([("volunteer", newest.id)], COORDINATOR[1])
    again = coordinator.volunteers.create(details(full_name="New Volunteer"))
    assert again.id > newest.id
    assert f"V-{again.id:05d}" != f"V-{newest.id:05d}"
    assert [e.reference for e in coordinator.retention.disposal_log()] == [f"V-{newest.id:05d}"]

def _summons(services, served_on: str = "", family_id: int | None = None):  # type: ignore[no-untyped-def]
    return services.summonses.log(SummonsForm(
        received_on="20/11/2026", received_how="post", court="Chesterfield Family Court",
        case_number="CF26X0001", hearing_date="15/01/2027", served_on=served_on, family_id=family_id))


def test_a_volunteer_served_with_an_open_summons_is_held(coordinator) -> None:
    resigned(coordinator, "Served Person", date(2021, 1, 1))
    summons = _summons(coordinator, served_on="served person ")
    assert volunteer_items(coordinator)["Served Person"][1:] == ("held", date(2024, 1, 1),
                                                                 (HOLD_SUMMONS_VOLUNTEER,))
    coordinator.summonses.close(summons.id, "set aside", "25/11/2026")
    assert volunteer_items(coordinator)["Served Person"][1] == "due"


def test_a_volunteer_with_an_enabled_account_is_held_until_it_is_disabled(coordinator) -> None:
    account = next(a for a in coordinator.accounts.list() if a.username == "volunteer")
    v = resigned(coordinator, "Has Account", date(2021, 1, 1), account_id=account.id)
    assert volunteer_items(coordinator)["Has Account"][3] == (HOLD_ACCOUNT,)
    with pytest.raises(Exception, match="held"):
        coordinator.retention.dispose([("volunteer", v.id)], COORDINATOR[1])
    coordinator.accounts.disable(account.id)
    assert volunteer_items(coordinator)["Has Account"][1] == "due"


def test_a_family_linked_to_an_open_summons_is_held(coordinator) -> None:
    _summons(coordinator, family_id=42)
    assert family_summons_holds(coordinator.session, "family", [41, 42]) == {42: [HOLD_SUMMONS_FAMILY]}
    assert family_summons_holds(coordinator.session, "volunteer", [42]) == {}


def test_a_volunteers_request_gets_their_own_record_and_dbs_results(coordinator) -> None:
    import io

    from pypdf import PdfReader

    v = resigned(coordinator, "Rosalind Pemberton", date(2025, 1, 10), address="9 Birch Walk, Staveley")
    r = coordinator.subject_access.log("Rosalind Pemberton", "Seen photo ID in person", "20/11/2026",
                                       "volunteer", v.id)
    response = coordinator.subject_access.assemble(r.id)
    headings = [s.heading for s in response.sections]
    assert headings == ["Your request", "Your volunteer record", "DBS checks"]
    record = {row.label: row.value for row in response.sections[1].rows}
    assert record["Address"] == "9 Birch Walk, Staveley"
    assert record["Reason for resigning"] == "Moved away"
    assert "result: " in response.sections[2].rows[0].value
    docs = coordinator.subject_access.produce(r.id)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(coordinator.letters.open(
        docs.response_letter_id))).pages)
    assert "9 Birch Walk, Staveley" in text
    assert coordinator.audit.entries(coordinator.session.actor, "DBS result opened")

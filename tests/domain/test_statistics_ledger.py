"""Statistics (issue 14): the ledger, every figure of a return, disposal, period edges."""

from __future__ import annotations

import shutil
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
from stats_helpers import EXPECTED_Q1, Q1, Q2, at, build_small_centre, dmy

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.vault import Vault
from conftest import COORDINATOR

FIXTURE = Path(__file__).parent.parent / "fixtures" / "vault-v7"


def _values(stats) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Every figure (breakdown lines at zero are left off the screen: 0 here)."""
    out: dict[str, int] = defaultdict(int)
    out.update({f.key: f.value for f in stats.figures})
    return out


def test_every_figure_of_the_quarter(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    build_small_centre(coordinator, clock)
    stats = coordinator.statistics.figures(*Q1)
    got = _values(stats)
    for key, expected in EXPECTED_Q1.items():
        assert got.get(key, 0) == expected, key
    # Nothing is shown that the hand count does not cover.
    assert set(got) <= set(EXPECTED_Q1) | {k for k in got if got[k] == 0}
    assert stats.figure("volunteers.hours").text == "4.0"
    assert stats.figure("sessions.used").text == "33%"
    assert [(m.month, m.sessions, m.places, m.booked, m.attended) for m in stats.months] == [
        (date(2027, 1, 1), 1, 4, 2, 2), (date(2027, 2, 1), 1, 4, 1, 0),
        (date(2027, 3, 1), 1, 4, 1, 1)]
    assert all(f.how for f in stats.figures)


def test_the_last_day_of_a_quarter_and_the_first_of_the_next(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    build_small_centre(coordinator, clock)
    q2 = _values(coordinator.statistics.figures(*Q2))
    assert q2["sessions.offered"] == 1 and q2["sessions.attended"] == 1
    assert q2["families.seen"] == 1 and q2["families.new"] == 0  # C was first seen in January
    one_day = _values(coordinator.statistics.figures(date(2027, 3, 31), date(2027, 3, 31)))
    assert one_day["sessions.attended"] == 1 and one_day["families.closed"] == 1
    # Families are counted by calendar month: 31 March alone counts March's families.
    assert one_day["families.seen"] == 1
    half = _values(coordinator.statistics.figures(date(2027, 1, 1), date(2027, 6, 30)))
    assert half["families.seen"] == 2 and half["sessions.attended"] == 4


def test_a_leap_day_session(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    from family_helpers import accepted_family

    at(clock, date(2028, 2, 1))
    fid = accepted_family(coordinator)
    sid = coordinator.bookings.add_session("29/02/2028", "10:00", "12:00", 6)
    booking = coordinator.bookings.book(fid, sid)
    at(clock, date(2028, 2, 29), 12)
    coordinator.register.arrive(booking, "10:00")
    s = coordinator.statistics
    assert _values(s.figures(date(2028, 2, 29), date(2028, 2, 29)))["sessions.attended"] == 1
    assert _values(s.figures(date(2028, 1, 1), date(2028, 3, 31)))["sessions.attended"] == 1
    assert _values(s.figures(date(2028, 3, 1), date(2028, 3, 31)))["sessions.attended"] == 0
    assert _values(s.figures(date(2028, 2, 1), date(2028, 2, 28)))["sessions.attended"] == 0


def test_corrections_move_the_counts(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    centre = build_small_centre(coordinator, clock)
    at(clock, date(2027, 4, 2))
    booking = next(b for b in coordinator.bookings.for_family(centre.a)
                   if b.session_date == date(2027, 3, 31))
    coordinator.register.no_show(booking.id)  # the arrival on 31 March was a mistake
    q1 = _values(coordinator.statistics.figures(*Q1))
    assert q1["sessions.attended"] == 2 and q1["sessions.no_show"] == 2
    assert q1["families.seen"] == 2  # A was still seen in January


def test_the_same_return_before_and_after_disposal(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    centre = build_small_centre(coordinator, clock)
    year = (date(2027, 1, 1), date(2027, 12, 31))
    before = {p: coordinator.statistics.figures(*p) for p in (Q1, Q2, year)}
    db = coordinator.session.db
    personal = set()
    for fid in centre.families:
        f = coordinator.families.get(fid)
        personal.add(f.reference)
        personal.update({f.referral.referrer_name, f.referral.referrer_organisation,
                         f.referral.referrer_contact, f.referral.previsit_notes})
        for adult in f.adults:
            personal.update({adult.full_name, adult.address, adult.phone, adult.email})
        for ch in f.children:
            personal.update({ch.full_name, ch.needs, ch.date_of_birth.isoformat(),
                             dmy(ch.date_of_birth), ch.date_of_birth.strftime("%Y-%m")})
    personal.discard("")
    at(clock, date(2030, 6, 1))
    due = [i for i in coordinator.retention.report().due if i.category == "family"]
    assert {i.record_id for i in due} == set(centre.families)
    coordinator.retention.dispose([("family", f) for f in centre.families], COORDINATOR[1])
    assert db.scalar("SELECT count(*) FROM families") == 0
    for period, stats in before.items():
        after = coordinator.statistics.figures(*period)
        assert [(f.key, f.value) for f in after.figures] == [(f.key, f.value) for f in stats.figures]
        assert after.months == stats.months
    # The ledger holds nothing of the destroyed records: no name, reference, contact, note or
    # date of birth (nor its month), and no ids.
    text = " ".join(" ".join(str(c) for c in row) for row in coordinator.statistics.ledger_rows())
    for value in personal:
        assert value not in text, value
    columns = [r[1] for r in db.query("PRAGMA table_info(stats_ledger)")]
    assert columns == ["on_day", "event", "category", "amount"]
    # Each category is a value from a fixed list or a month.
    from ccc_desktop.models.statistics_records import EVENTS

    for day, event, category, _n in coordinator.statistics.ledger_rows():
        assert event in EVENTS
        assert len(day) == 10 and date.fromisoformat(day)
        assert len(category) <= 24


def test_records_behind_a_figure_for_coordinator_and_chair_only(coordinator, chair, volunteer, clock) -> None:  # type: ignore[no-untyped-def]
    centre = build_small_centre(coordinator, clock)
    behind = coordinator.statistics.records_behind(*Q1, "referrals.received.cafcass")
    assert {line.record_id for line in behind.lines} == {centre.a, centre.e}
    assert "Zephyr Resident" in " ".join(line.description for line in behind.lines)
    assert behind.gone == 0
    seen = chair.statistics.records_behind(*Q1, "children.seen.11-15")
    [cara] = seen.lines
    assert (cara.kind, cara.reference) == ("child", chair.families.get(centre.c).reference)
    assert cara.record_id == chair.families.get(centre.c).children[0].id
    hours = chair.statistics.records_behind(*Q1, "volunteers.hours")
    assert [line.record_id for line in hours.lines] == [centre.volunteer]
    with pytest.raises(PermissionDenied):
        volunteer.statistics.figures(*Q1)
    with pytest.raises(PermissionDenied):
        volunteer.statistics.records_behind(*Q1, "referrals.received")
    with pytest.raises(PermissionDenied):
        volunteer.statistics.csv(coordinator.statistics.figures(*Q1))
    actions = [e.action for e in coordinator.audit.entries(coordinator.session.actor)]
    assert "statistics records listed" in actions


def test_records_behind_after_disposal_say_how_many_are_gone(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    centre = build_small_centre(coordinator, clock)
    at(clock, date(2030, 6, 1))
    coordinator.retention.dispose([("family", centre.a)], COORDINATOR[1])
    behind = coordinator.statistics.records_behind(*Q1, "referrals.received.cafcass")
    assert [line.record_id for line in behind.lines] == [centre.e]
    assert behind.gone == 1 and behind.figure.value == 2


def test_closing_and_declining_ask_why(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    from family_helpers import accepted_family, referral, resident

    fid = accepted_family(coordinator)
    with pytest.raises(ValidationError, match="choose a reason"):
        coordinator.families.set_status(fid, "closed")
    with pytest.raises(ValidationError, match="note"):
        coordinator.families.set_status(fid, "closed", "other")
    with pytest.raises(ValidationError):
        coordinator.families.set_status(fid, "closed", "not recorded")
    coordinator.families.set_status(fid, "closed", "other", "Family emigrated")
    assert coordinator.families.closing(fid) == (None, "other", "Family emigrated")
    other = coordinator.families.create(referral(), [resident()], [])
    with pytest.raises(ValidationError, match="choose a reason"):
        coordinator.families.set_status(other, "declined")
    coordinator.families.set_status(other, "declined", "not suitable")
    today = clock.today()
    stats = _values(coordinator.statistics.figures(today, today))
    assert stats["families.closed.other"] == 1 and stats["referrals.declined.not suitable"] == 1
    # The note stays on the record only.
    text = " ".join(str(c) for row in coordinator.statistics.ledger_rows() for c in row)
    assert "emigrated" not in text


def test_period_is_checked(coordinator) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        coordinator.statistics.figures(date(2027, 2, 1), date(2027, 1, 1))
    assert coordinator.statistics.default_period() == (date(2026, 7, 1), date(2026, 9, 30))


def test_upgrading_the_released_vault_counts_its_records(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURE, folder)
    vault = Vault(folder, FixedClock(datetime(2026, 11, 26, 9, 30)))
    session = vault.unlock("coordinator", "riverside coordinator")
    try:
        s = build_services(session)
        db = session.db
        families = db.scalar("SELECT count(*) FROM families")
        assert families > 0
        assert db.scalar("SELECT count(*) FROM families WHERE stats_json IS NULL") == 0
        attended = db.scalar("SELECT count(*) FROM bookings WHERE arrived_at IS NOT NULL")
        sessions = db.scalar("SELECT count(*) FROM sessions")
        everything = _values(s.statistics.figures(date(2017, 1, 1), date(2026, 12, 31)))
        assert everything["referrals.received"] == families
        assert everything["sessions.attended"] == attended
        assert everything["sessions.offered"] == sessions
        # Status and close reason are sealed (migration 0023): counted on the opened values.
        ids = [r[0] for r in db.query("SELECT id FROM families")]
        statuses = [s.families.get(fid).referral.status.value for fid in ids]
        closed = statuses.count("closed")
        assert closed == sum(1 for fid in ids if s.families.closing(fid)[1] is not None)
        accepted = statuses.count("accepted")
        assert accepted <= everything["referrals.accepted"]
        # Counting again changes nothing.
        from ccc_desktop.models.storage.statistics import count_uncounted

        rows = s.statistics.ledger_rows()
        assert count_uncounted(db) == 0
        assert s.statistics.ledger_rows() == rows
    finally:
        session.lock("logged out")


def test_the_upgraded_vault_asks_what_is_uncounted_through_an_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The released vault upgraded: the questions every figures() call asks use the indexes
    (not a read of every family), and the records and their counts came across."""
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURE, folder)
    session = Vault(folder, FixedClock(datetime(2026, 11, 26, 9, 30))).unlock(
        "coordinator", "riverside coordinator")
    try:
        db = session.db
        s = build_services(session)
        before = _values(s.statistics.figures(date(2017, 1, 1), date(2026, 12, 31)))
        assert before["referrals.received"] == db.scalar("SELECT count(*) FROM families") > 100
        for table in ("families", "volunteers", "sessions"):
            plan = " ".join(r[3] for r in db.query(
                f"EXPLAIN QUERY PLAN SELECT 1 FROM {table} WHERE stats_json IS NULL LIMIT 1"))  # noqa: S608
            assert f"{table}_uncounted" in plan, plan
        plan = " ".join(r[3] for r in db.query(
            "EXPLAIN QUERY PLAN SELECT event, category, sum(amount) FROM stats_ledger "
            "WHERE on_day <= ? AND event IN (?, ?) GROUP BY event, category",
            ("2026-12-31", "waiting list joined", "waiting list left")))
        assert "stats_ledger_by_event" in plan, plan
        # A record written past the stores (not yet counted) is found and counted.
        with db.transaction():
            db.execute("INSERT INTO sessions (session_date, start_time, end_time, capacity) "
                       "VALUES ('2026-12-05', '17:00', '18:30', 9)")
        assert db.scalar("SELECT count(*) FROM sessions WHERE stats_json IS NULL") == 1
        after = _values(s.statistics.figures(date(2017, 1, 1), date(2026, 12, 31)))
        assert after["sessions.offered"] == before["sessions.offered"] + 1
        assert after["sessions.capacity"] == before["sessions.capacity"] + 9
        assert db.scalar("SELECT count(*) FROM sessions WHERE stats_json IS NULL") == 0
    finally:
        session.lock("logged out")


def test_the_register_at_the_door_is_counted_by_the_next_coordinator(coordinator, volunteer, clock) -> None:  # type: ignore[no-untyped-def]
    from family_helpers import accepted_family

    fid = accepted_family(coordinator)
    today = clock.today()
    sid = coordinator.bookings.add_session(dmy(today), "09:00", "11:00", 6)
    booking = coordinator.bookings.book(fid, sid)
    volunteer.register.arrive(booking, "09:00")
    db = coordinator.session.db
    # The volunteer's key cannot open the children's dates of birth: the family waits.
    assert db.scalar("SELECT count(*) FROM stats_pending") == 1
    assert _values(coordinator.statistics.figures(today, today))["sessions.attended"] == 1
    assert _values(coordinator.statistics.figures(today, today))["children.seen"] == 1
    assert db.scalar("SELECT count(*) FROM stats_pending") == 0
    # What a family adds to the ledger is sealed with its other private fields.
    assert db.scalar("SELECT stats_json FROM families WHERE id = ?", (fid,)) == "sealed"
    with pytest.raises(PermissionDenied):
        volunteer.statistics.ledger_rows()


def test_every_figure_lists_what_it_counts(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    """Each figure's records behind it are the things it counts, and add up to it."""
    from ccc_desktop.models.statistics_records import figure_specs

    centre = build_small_centre(coordinator, clock)
    s = coordinator.statistics
    values = _values(s.figures(*Q1))
    kinds = {"children": "child", "volunteers": "volunteer", "legal.summonses": "summons",
             "legal.police": "police", "sessions.offered": "session",
             "sessions.capacity": "session"}
    for spec in figure_specs():
        behind = s.records_behind(*Q1, spec.key)
        kind = next((k for prefix, k in kinds.items() if spec.key.startswith(prefix)), "family")
        assert {line.kind for line in behind.lines} <= {kind}, spec.key
        total = sum(line.counted for line in behind.lines)
        # A share (capacity used) lists the bookings that fill the places.
        expected = values["sessions.booked"] if spec.key == "sessions.used" else values[spec.key]
        assert total == expected and behind.gone == 0, spec.key
    used = s.records_behind(*Q1, "sessions.used")
    assert {line.record_id for line in used.lines} == {centre.a, centre.c}
    assert used.summary == "4 places booked of 12 offered."
    assert [line.record_id for line in s.records_behind(*Q1, "waiting.at_end").lines] == [centre.e]
    children = s.records_behind(*Q1, "children.seen")
    assert sorted(line.description for line in children.lines) == [
        "Abel Zephyr, aged under 5", "Anna Zephyr, aged 5 to 10", "Cara Quill, aged 11 to 15"]
    attended = {line.record_id: line.count_text
                for line in s.records_behind(*Q1, "sessions.attended").lines}
    assert attended == {centre.a: "2 visits", centre.c: "1 visit"}
    hours = s.records_behind(*Q1, "volunteers.hours")
    assert [(line.record_id, line.counted, line.count_text) for line in hours.lines] == [
        (centre.volunteer, 240, "4.0 hours")]
    places = s.records_behind(*Q1, "sessions.capacity")
    assert [line.count_text for line in places.lines] == ["4 places"] * 3

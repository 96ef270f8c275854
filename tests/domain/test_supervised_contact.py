"""Supervised contact (issue 14): a third kind of contact, counted in the statistics, and the
released vault upgraded so it can be stored."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from stats_helpers import Q1, _accept, _family, at, dmy
from test_statistics_reports import _text

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.families_records import ContactKind
from ccc_desktop.models.imports.fields import Kind, convert, field_by_key
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.vault import Vault
from conftest import FIXTURES

COORD = ("coordinator", "riverside coordinator")  # the demo's accounts (fixture README)


def test_supported_supervised_and_handover_visits_are_counted_apart(coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    at(clock, date(2027, 1, 1))
    jan = s.bookings.add_session(dmy(date(2027, 1, 14)), "10:00", "12:00", 4)
    feb = s.bookings.add_session(dmy(date(2027, 2, 11)), "10:00", "12:00", 4)
    apr = s.bookings.add_session(dmy(date(2027, 4, 1)), "10:00", "12:00", 4)
    kids = [("Kit Ash", date(2018, 3, 3))]
    sup = _family(s, clock, date(2027, 1, 2), "cafcass", "supported", kids, "Ash")
    sv = _family(s, clock, date(2027, 1, 2), "social services", "supervised",
                 [("Lee Birch", date(2017, 4, 4))], "Birch")
    ho = _family(s, clock, date(2027, 1, 3), "solicitor", "handover", [("Mo Cedar", date(2016, 5, 5))],
                 "Cedar")
    assert s.families.get(sv).referral.contact_kind is ContactKind.SUPERVISED
    for fid in (sup, sv, ho):
        _accept(s, clock, fid, date(2027, 1, 5))
    at(clock, date(2027, 1, 6))
    jan_b = {fid: s.bookings.book(fid, jan) for fid in (sup, sv, ho)}
    feb_sv = s.bookings.book(sv, feb)
    feb_ho = s.bookings.book(ho, feb)
    apr_sv = s.bookings.book(sv, apr)
    at(clock, date(2027, 1, 14), 12)
    for b in jan_b.values():
        s.register.arrive(b, "10:00")
    at(clock, date(2027, 2, 11), 13)
    s.register.arrive(feb_sv, "10:00")
    s.register.no_show(feb_ho)
    at(clock, date(2027, 4, 1), 12)
    s.register.arrive(apr_sv, "10:00")  # the next quarter: not counted in Q1

    q1 = s.statistics.figures(*Q1)
    values = {f.key: f.value for _, figures in q1.sections() for f in figures}
    assert values["sessions.attended"] == 4
    assert values["sessions.attended.supported"] == 1
    assert values["sessions.attended.supervised"] == 2
    assert values["sessions.attended.handover"] == 1
    assert values["sessions.no_show"] == 1
    supervised = q1.figure("sessions.attended.supervised")
    assert supervised.label == "supervised contact" and supervised.indent
    assert supervised.how == "Visits attended by families referred for supervised contact."
    labels = [f.key for f in q1.sections()[[n for n, _ in q1.sections()].index("Sessions")][1]]
    assert labels.index("sessions.attended.supported") < labels.index(
        "sessions.attended.supervised") < labels.index("sessions.attended.handover")
    q2 = s.statistics.figures(date(2027, 4, 1), date(2027, 6, 30))
    assert q2.figure("sessions.attended.supervised").value == 1
    assert q2.figure("sessions.attended.supported").value == 0

    rows = list(csv.reader(io.StringIO(s.statistics.csv(q1).decode("utf-8-sig"))))
    assert ["Sessions", "  supervised contact", "2",
            "Visits attended by families referred for supervised contact."] in rows
    naccc = _text(s.statistics.naccc_pdf(q1))
    assert "supported contact 1" in naccc and "supervised contact 2" in naccc
    assert "handover only 1" in naccc


def test_the_import_and_the_form_offer_supervised() -> None:
    f = field_by_key(Kind.FAMILIES, "contact_kind")
    assert convert(f, "Supervised") == "supervised"
    assert convert(f, "supervised contact") == "supervised"
    assert convert(f, "Handover") == "handover"
    assert [(k.label, k.value) for k in ContactKind] == [
        ("Supported", "supported"), ("Supervised", "supervised"), ("Handover", "handover")]


def test_the_released_vault_upgrades_and_can_store_supervised(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v7", folder)
    vault = Vault(folder, FixedClock(datetime(2026, 11, 30, 10, 0)))
    session = vault.unlock(*COORD)
    try:
        db = session.db
        families = db.query("SELECT id, reference, contact_kind FROM families ORDER BY id")
        assert len(families) >= 10
        assert {r["contact_kind"] for r in families} <= {"supported", "handover"}
        services = build_services(session)
        for row in families:  # every released family opens, as it was
            family = services.families.get(row["id"])
            assert family.reference == row["reference"]
            assert family.referral.contact_kind.value == row["contact_kind"]
        first = families[0]["id"]
        with db.transaction():
            db.execute("UPDATE families SET contact_kind = 'supervised' WHERE id = ?", (first,))
        assert services.families.get(first).referral.contact_kind is ContactKind.SUPERVISED
        with pytest.raises(Exception, match="CHECK constraint failed"):
            with db.transaction():
                db.execute("UPDATE families SET contact_kind = 'unsupervised' WHERE id = ?",
                           (first,))
        assert db.scalar("SELECT contact_kind FROM families WHERE id = ?", (first,)) == "supervised"
        assert db.integrity_problems() == []
        assert [r[0] for r in db.query("PRAGMA foreign_key_check")] == []
        # The table was not rebuilt: the released rows keep their ids.
        assert [r["id"] for r in db.query("SELECT id FROM families ORDER BY id")] == \
            [r["id"] for r in families]
    finally:
        session.lock()

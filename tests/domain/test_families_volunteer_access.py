"""The Session volunteer reaches names, times and safety arrangements, and nothing else.

Every public method of every families service is called as the volunteer: each either refuses
(PermissionDenied) or is one of the register's reads/writes, whose results are searched for the
family's address, phone, email, referral details, dates of birth and incidents.
"""

from __future__ import annotations

import inspect
from dataclasses import asdict, is_dataclass
from datetime import date

import pytest

from ccc_desktop.models.errors import CccError, PermissionDenied
from ccc_desktop.models.families_records import ExceptionGround, IncidentInput
from tests.family_helpers import SATURDAY, accepted_family, saturday_session

SECRETS = ("Secret Street", "Private Road", "07700", "example.org", "Ann Solicitor",
           "Brook & Hale", "01234 567890", "Checklist", "2019-03-14", "2019, 3, 14", "Nut allergy",
           "Raised voices", "Cafcass officer")
# What the volunteer may call (RUN_REGISTER).
ALLOWED = {
    ("bookings", "patterns"), ("bookings", "sessions_between"), ("bookings", "no_show"),
    ("register", "day"), ("register", "session_dates"), ("register", "arrive"),
    ("register", "leave"), ("register", "set_times"), ("register", "absent"),
    ("register", "no_show"), ("register", "set_notes"), ("register", "finalise"),
    ("register", "session_day"), ("register", "day_sheet"), ("register", "record_day_sheet_output"),
}


def _arg(name: str, ann: str, ids: dict[str, int]) -> object:
    if name in ids:
        return ids[name]
    if "date" in ann and "str" not in ann:
        return SATURDAY
    if name in ("first", "last"):
        return SATURDAY
    if "int" in ann:
        return ids.get("family_id", 1)
    if "bool" in ann:
        return True
    if "IncidentInput" in ann:
        return IncidentInput("21/11/2026", "a", "b", "c", "d")
    if "Ground" in ann:
        return ExceptionGround.CHILD_AT_RISK
    if "list" in ann:
        return []
    return "21/11/2026" if ("on" in name or "date" in name) else "x"


def _dump(value: object) -> str:
    if isinstance(value, bytes) and value.startswith(b"%PDF"):  # a document: read its text
        import io

        from pypdf import PdfReader

        return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(value)).pages)
    if is_dataclass(value):
        return repr(asdict(value))  # type: ignore[arg-type]
    if isinstance(value, list | tuple):
        return " ".join(_dump(v) for v in value)
    return repr(value)


@pytest.fixture
def world(coordinator):  # type: ignore[no-untyped-def]
    fid = accepted_family(coordinator)
    sid = saturday_session(coordinator)
    bid = coordinator.bookings.book(fid, sid)
    fam = coordinator.families.get(fid)
    cid = coordinator.families.record_consent(fam.adults[0].id, "Cafcass officer", "Letters",
                                              "20/11/2026", "Form")
    iid = coordinator.families.record_incident(fid, IncidentInput("21/11/2026", "Raised voices", "b", "c", "d"))
    rid = coordinator.disclosures.log_request(fid, "A", "Cafcass", "25/11/2026", "x")
    pattern = coordinator.bookings.add_pattern(5, "10:00", "12:00", 8)
    coordinator.families.set_safety(fid, "Mr Danger", "Use the side door")
    return {"family_id": fid, "session_id": sid, "booking_id": bid, "consent_id": cid,
            "incident_id": iid, "disclosure_id": rid, "adult_id": fam.adults[0].id,
            "child_id": fam.children[0].id, "pattern_id": pattern,
            "authorised_by": coordinator.session.actor.account_id, "letter_id": 1}


def test_every_service_method_as_the_volunteer(volunteer, world) -> None:  # type: ignore[no-untyped-def]
    called = 0
    for area in ("families", "bookings", "register", "disclosures"):
        service = getattr(volunteer, area)
        for name, method in inspect.getmembers(service, inspect.ismethod):
            if name.startswith("_"):
                continue
            sig = inspect.signature(method)
            args = [_arg(p.name, str(p.annotation), world) for p in sig.parameters.values()
                    if p.default is inspect.Parameter.empty]
            called += 1
            if (area, name) in ALLOWED:
                try:
                    result = method(*args)
                except PermissionDenied:
                    raise AssertionError(f"{area}.{name} should be open to the volunteer") from None
                except CccError:
                    continue  # refused for a reason of its own (e.g. already finalised)
                text = _dump(result)
                for secret in SECRETS:
                    assert secret not in text, f"{area}.{name} leaked {secret!r}"
            else:
                with pytest.raises(PermissionDenied):
                    method(*args)
    assert called > 40


def test_the_register_shows_names_times_and_safety(volunteer, world) -> None:  # type: ignore[no-untyped-def]
    [day] = volunteer.register.day(SATURDAY)
    entry = day.entries[0]
    assert [a.name for a in entry.adults] == ["Jane Example", "John Example"]
    assert entry.children == ("Amy Example",)
    assert entry.must_not_attend == "Mr Danger" and entry.safety_notes == "Use the side door"
    text = _dump(day)
    for secret in SECRETS:
        assert secret not in text
    assert volunteer.register.session_dates(date(2026, 11, 1), date(2026, 11, 30)) == [SATURDAY]


def test_no_contact_details_through_corrections_or_subject_access(volunteer, world) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.services.families_dp import sar_people

    for field in ("full_name", "address", "phone", "email"):
        with pytest.raises(PermissionDenied):
            volunteer.rectification.current("family_adult", world["adult_id"], field)
    assert volunteer.rectification.fields("family_adult") == []
    with pytest.raises(PermissionDenied):
        sar_people(volunteer.session, world["family_id"])
    with pytest.raises(PermissionDenied):
        volunteer.subject_access.log("x", "Passport", "25/11/2026", "family", world["family_id"], "")
    with pytest.raises(PermissionDenied):
        volunteer.retention.report()

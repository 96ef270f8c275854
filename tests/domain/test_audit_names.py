"""Audit entries carry no names, by design (issue 12): disposal does not search them, because an
entry says what was done to which record (by its id or reference), never whom it was about.
This proves it on the demo: after disposing of every record due, no entry's detail or record
field holds a disposed person's name, whole or a first or last name alone, and none holds the
full name of anyone else the demo knows either."""

from __future__ import annotations

from ccc_desktop.demo import DEMO_ACCOUNTS
from ccc_desktop.models.services.registry import Services
from ccc_desktop.models.storage.name_clearing import NameMatcher


def _people(demo: Services) -> dict[tuple[str, int], list[str]]:
    """(category, record id) -> the full names of the people in it (open register names)."""
    db = demo.session.db
    out: dict[tuple[str, int], list[str]] = {}
    for table in ("family_adults", "family_children"):
        for family_id, name in db.query(f"SELECT family_id, full_name FROM {table}"):  # noqa: S608
            out.setdefault(("family", int(family_id)), []).append(name)
    for volunteer_id, name in db.query("SELECT id, full_name FROM volunteers"):
        out.setdefault(("volunteer", int(volunteer_id)), []).append(name)
    return out


def test_no_audit_entry_names_a_disposed_person_or_anyone_else(demo: Services) -> None:
    people = _people(demo)
    due = [(i.category, i.record_id) for i in demo.retention.report().due]
    disposed = [n for key in due for n in people.get(key, [])]
    assert len(disposed) >= 3, due  # the demo has families and a volunteer due
    result = demo.retention.dispose(due, DEMO_ACCOUNTS["coordinator"][1])
    assert result.disposed == len(due)

    entries = demo.audit.entries(demo.session.actor, limit=1_000_000)
    actions = {e.action for e in entries}
    assert {"disposal authorised", "record disposed", "letter generated", "logged in"} <= actions
    assert {c for c, _ in due} >= {"family", "volunteer"}
    written = [f"{e.record_type} {e.record_id} {e.detail}" for e in entries]
    assert len(written) > 1000  # the demo's history: a trail worth searching
    # A disposed person's name, whole or a first or last name of three letters or more alone.
    matcher = NameMatcher(disposed)
    named = [(e.action, e.detail) for e, text in zip(entries, written, strict=True)
             if matcher.mentions(text)]
    assert named == []
    # Nor the full name of anyone who stays (a detail is never about a person by name).
    everyone = NameMatcher([n for names in people.values() for n in names])
    whole = [(e.action, e.detail) for e, text in zip(entries, written, strict=True)
             if everyone.has_whole(text)]
    assert whole == []

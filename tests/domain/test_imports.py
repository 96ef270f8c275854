"""Importing spreadsheets (issue 15): files made the way real ones are, problems by row and
column, duplicates, one transaction and one audit entry, undo, and check-import."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from ccc_desktop.cli import main as cli_main
from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.imports.fields import Kind, guess_mapping
from ccc_desktop.models.imports.plan import Choice, build_plan
from ccc_desktop.models.imports.reading import UnreadableFile, read_bytes
from ccc_desktop.models.imports.templates import template_csv, template_xlsx
from ccc_desktop.models.services.imports import ImportRefused
from tests.family_helpers import child, referral, resident

TODAY = date(2026, 11, 26)  # the conftest clock's day

FAMILY_HEADER = ("Referral date;Route;Referrer;Parent 1 name;Parent 1 role;Parent 1 phone;"
                 "Child 1 name;Child 1 DOB;Child 2 name;Child 2 DOB;Notes")


def excel_csv(*lines: str) -> bytes:
    """As Excel saves "CSV UTF-8" where the list separator is ';': BOM, CRLF."""
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


GOOD_FAMILIES = excel_csv(
    FAMILY_HEADER,
    "02/09/2026;Solicitor;A. Brook;Zoë O'Neill;Resident parent;07700 900001;Mia O'Neill;14/03/2019;;;x",
    ";;;;;;;;;;",
    "15/10/2026;Cafcass;;Tom Hart;Visiting parent;07700 900002;Leo Hart;01/01/2021;Ava Hart;02/02/2023;",
    "",
)


def plan_of(s, data: bytes, name: str, kind: Kind = Kind.FAMILIES):  # type: ignore[no-untyped-def]
    return s.imports.plan(kind, read_bytes(data, name))


def test_excel_csv_with_bom_and_semicolons(coordinator) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(coordinator, GOOD_FAMILIES, "families.csv")
    assert [r.number for r in plan.rows] == [2, 4]  # blank rows dropped, numbers as Excel shows
    assert plan.mapping["Parent 1 name"] == "adult1_name"
    assert plan.mapping["Notes"] is None
    assert plan.problems == []
    first = dict(zip([f.key for f in plan.mapped_fields()], plan.preview(plan.rows[0]), strict=True))
    assert first["adult1_name"] == "Zoë O'Neill"
    assert first["referral_date"] == "2 Sep 2026"
    assert first["route"] == "Solicitor"
    result = coordinator.imports.run(plan)
    assert (result.created, result.skipped, result.left_out) == (2, 0, 0)
    rows = coordinator.families.search("Hart")
    fam = coordinator.families.get(rows[0].id)
    assert sorted(c.full_name for c in fam.children) == ["Ava Hart", "Leo Hart"]
    assert fam.children[0].date_of_birth in (date(2021, 1, 1), date(2023, 2, 2))


def test_one_audit_entry_names_checksum_counts_and_who(coordinator) -> None:  # type: ignore[no-untyped-def]
    before = len(coordinator.audit.entries(limit=100000))
    plan = plan_of(coordinator, GOOD_FAMILIES, "families.csv")
    coordinator.imports.run(plan)
    entries = coordinator.audit.entries(limit=100000)
    new = entries[: len(entries) - before]
    assert [e.action for e in new] == ["records imported"]
    assert plan.sheet.checksum in new[0].detail
    assert "2 created" in new[0].detail and new[0].actor == "coordinator"
    assert coordinator.audit.verify().ok


def test_xlsx_serial_dates_merged_header_and_blank_rows(coordinator) -> None:  # type: ignore[no-untyped-def]
    book = Workbook()
    ws = book.active
    ws.append(["Referral date", "Adult 1", None, "Child 1", None])
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    ws.append([None, "Name", "Role", "Name", "Date of birth"])
    ws.append([46000, "Sam Carter", "resident parent", "Jo Carter", "14/03/2019"])  # serial date
    ws.append([None, None, None, None, None])
    ws.append([date(2026, 10, 1), "Pat Lee", "Visiting", "Kim Lee", 43831])  # 01/01/2020
    out = io.BytesIO()
    book.save(out)
    sheet = read_bytes(out.getvalue(), "families.xlsx")
    assert sheet.headers == ("Referral date", "Adult 1 Name", "Adult 1 Role", "Child 1 Name",
                             "Child 1 Date of birth")
    plan = coordinator.imports.plan(Kind.FAMILIES, sheet)
    assert plan.problems == []
    assert [r.values["referral_date"] for r in plan.rows] == [date(2025, 12, 9), date(2026, 10, 1)]
    assert plan.rows[1].values["child1_dob"] == date(2020, 1, 1)
    assert coordinator.imports.run(plan).created == 2


def test_every_problem_by_row_and_column_in_plain_words() -> None:
    data = excel_csv(
        FAMILY_HEADER,
        "31/02/2026;Self;;Ann Bell;Resident parent;;Ben Bell;01/01/2020;;;",
        "01/09/2026;Self;;;Resident parent;;Cal Bell;01/01/2020;;;",
        "01/09/2026;Self;;Dee Ross;Resident parent;;Eve Ross;01/01/2001;;;",
        "01/09/2026;Telepathy;;Fay Cole;Resident parent;abc;Gus Cole;;;;",
    )
    sheet = read_bytes(data, "f.csv")
    plan = build_plan(Kind.FAMILIES, sheet, guess_mapping(Kind.FAMILIES, sheet.headers), TODAY)
    text = [str(p) for p in plan.problems]
    assert "Row 2, column \u201cReferral date\u201d: 31/02/2026 is not a real date." in text
    assert "Row 3, column \u201cParent 1 name\u201d: Adult 1: name is empty." in text
    assert any(t.startswith("Row 4, column \u201cChild 1 DOB\u201d: born 1 Jan 2001, the child is 18 "
                            "or older") for t in text)
    assert any(t.startswith("Row 5, column \u201cRoute\u201d: Telepathy is not one of the choices")
               for t in text)
    assert "Row 5, column \u201cParent 1 phone\u201d: abc is not a phone number (digits, spaces and + " \
           "only)." in text
    assert "Row 5, column \u201cChild 1 DOB\u201d: Child 1: date of birth is empty." in text


def test_volunteers_with_dbs_checks(coordinator) -> None:  # type: ignore[no-untyped-def]
    data = excel_csv(
        "Name;DOB;Phone;DBS level;Certificate number;Issue date;Outcome;ID checked by",
        "Pat Jones;05/06/1961;01246 555014;Enhanced with barred list;0012 3456 7890;10/01/2024;Clear;MH",
        "Lee Ray;01/01/1970;;Enhanced;12345678901;10/01/2024;Clear;MH",
        "Sue Dunn;01/01/1980;;;;;;",
    )
    plan = plan_of(coordinator, data, "volunteers.csv", Kind.VOLUNTEERS)
    assert [str(p) for p in plan.problems] == [
        "Row 3, column \u201cCertificate number\u201d: 12345678901 is not a certificate number: it "
        "must be the 12 digits printed on the certificate."]
    coordinator.imports.run(plan, left_out={3})
    names = sorted(v.details.full_name for v in coordinator.volunteers.list())
    assert "Pat Jones" in names and "Sue Dunn" in names and "Lee Ray" not in names
    assert any(c.certificate_number == "001234567890" for c in coordinator.dbs.list())


def test_xlsx_certificate_typed_as_a_number_keeps_its_zeros() -> None:
    book = Workbook()
    ws = book.active
    ws.append(["Name", "DBS level", "DBS certificate", "DBS issue date", "DBS outcome", "Checked by"])
    ws.append(["Pat Jones", "Enhanced", 1234567890, 45301, "Clear", "MH"])
    out = io.BytesIO()
    book.save(out)
    sheet = read_bytes(out.getvalue(), "v.xlsx")
    plan = build_plan(Kind.VOLUNTEERS, sheet, guess_mapping(Kind.VOLUNTEERS, sheet.headers), TODAY)
    assert plan.problems == []
    assert plan.rows[0].values["dbs_certificate"] == "001234567890"
    assert plan.rows[0].values["dbs_issue_date"] == date(2024, 1, 10)


def test_session_days(coordinator) -> None:  # type: ignore[no-untyped-def]
    data = b"Date,Start,End,Capacity\n05/12/2026,10:00,12:00,6\n12/12/2026,10:00,09:00,6\n"
    plan = plan_of(coordinator, data, "sessions.csv", Kind.SESSIONS)
    assert [str(p) for p in plan.problems] == [
        "Row 3, column \u201cEnd\u201d: the session ends before it starts."]
    coordinator.imports.run(plan, left_out={3})
    assert [s.session_date for s in coordinator.bookings.sessions_between(
        date(2026, 12, 1), date(2026, 12, 31))] == [date(2026, 12, 5)]


def test_duplicates_in_the_file_and_the_vault_skipped_or_merged(coordinator) -> None:  # type: ignore[no-untyped-def]
    held = coordinator.families.create(referral(), [resident()], [child()])
    existing = coordinator.families.get(held)
    kid = existing.children[0]
    dob = kid.date_of_birth.strftime("%d/%m/%Y")
    data = excel_csv(
        FAMILY_HEADER,
        f"02/09/2026;Self;;New Parent;Visiting parent;;{kid.full_name};{dob};Sib Ling;01/05/2022;",
        "02/09/2026;Self;;Ann Bell;Resident parent;07700 900777;Ben Bell;01/01/2020;;;",
        "03/09/2026;Self;;Ann Bell;Resident parent;07700 900777;Cat Bell;01/01/2022;;;",
    )
    plan = plan_of(coordinator, data, "f.csv")
    assert [str(d) for d in plan.rows[0].duplicates] == [
        f"same child's name and date of birth as family {existing.reference}"]
    assert [str(d) for d in plan.rows[2].duplicates] == ["same phone number as row 3 of the file"]
    before = coordinator.families.count()
    result = coordinator.imports.run(plan, choices={2: Choice.MERGE, 4: Choice.MERGE})
    assert (result.created, result.merged) == (1, 2)
    assert coordinator.families.count() == before + 1
    merged = coordinator.families.get(held)
    assert {a.full_name for a in merged.adults} >= {"New Parent"}
    assert "Sib Ling" in {c.full_name for c in merged.children}
    bell = coordinator.families.get(coordinator.families.search("Bell")[0].id)
    assert sorted(c.full_name for c in bell.children) == ["Ben Bell", "Cat Bell"]
    # Skipped by default
    plan = plan_of(coordinator, data, "f.csv")
    assert all(r.duplicates for r in plan.rows)
    assert coordinator.imports.run(plan).skipped == 3


def test_a_row_the_services_refuse_undoes_the_whole_file(coordinator) -> None:  # type: ignore[no-untyped-def]
    coordinator.bookings.add_session("05/12/2026", "10:00", "12:00", 6)
    data = b"Date,Start,End,Capacity\n06/12/2026,10:00,12:00,6\n05/12/2026,10:00,12:00,6\n"
    plan = plan_of(coordinator, data, "s.csv", Kind.SESSIONS)
    assert plan.rows[1].duplicates  # found against the vault; import it anyway
    with pytest.raises(ImportRefused) as info:
        coordinator.imports.run(plan, choices={3: Choice.IMPORT})
    assert "Row 3" in str(info.value) and "Nothing was imported" in str(info.value)
    assert plan.rows[1].problems  # shown against the row
    assert len(coordinator.bookings.sessions_between(date(2026, 12, 1), date(2026, 12, 31))) == 1
    assert coordinator.imports.history() == []


def test_undo_until_the_records_are_next_edited(coordinator) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(coordinator, GOOD_FAMILIES, "families.csv")
    result = coordinator.imports.run(plan)
    [batch] = coordinator.imports.history()
    assert batch.can_undo and batch.created == 2
    coordinator.families.get(coordinator.families.search("Hart")[0].id)  # opening is not editing
    assert coordinator.imports.history()[0].can_undo
    assert coordinator.imports.undo(result.batch_id) == 2
    assert coordinator.families.search("Hart") == []
    assert coordinator.imports.history()[0].undone_by == "coordinator"
    with pytest.raises(ValidationError):
        coordinator.imports.undo(result.batch_id)
    # A second import, then an edit: no longer undoable.
    result = coordinator.imports.run(plan_of(coordinator, GOOD_FAMILIES, "families.csv"))
    fid = coordinator.families.search("Hart")[0].id
    coordinator.families.set_safety(fid, "", "Arrives by the side door")
    batch = coordinator.imports.history()[0]
    assert not batch.can_undo and "changed since" in batch.undo_blocked
    with pytest.raises(ValidationError, match="can no longer be undone"):
        coordinator.imports.undo(result.batch_id)


def test_mapping_is_saved_for_next_time(coordinator) -> None:  # type: ignore[no-untyped-def]
    sheet = read_bytes(excel_csv("When;Who;Kid;Kid born;Kind", "02/09/2026;Ann Bell;Ben Bell;01/01/2020;Resident"),
                       "odd.csv")
    guess = coordinator.imports.guess(Kind.FAMILIES, sheet)
    assert guess["When"] is None
    mapping = {"When": "referral_date", "Who": "adult1_name", "Kid": "child1_name",
               "Kid born": "child1_dob", "Kind": "adult1_role"}
    coordinator.imports.run(coordinator.imports.plan(Kind.FAMILIES, sheet, mapping))
    assert coordinator.imports.guess(Kind.FAMILIES, sheet) == mapping


def test_the_session_volunteer_cannot_import(volunteer) -> None:  # type: ignore[no-untyped-def]
    sheet = read_bytes(GOOD_FAMILIES, "f.csv")
    with pytest.raises(PermissionDenied):
        volunteer.imports.plan(Kind.FAMILIES, sheet)
    with pytest.raises(PermissionDenied):
        volunteer.imports.history()


def test_templates_have_every_column_and_an_example_that_imports(coordinator) -> None:  # type: ignore[no-untyped-def]
    for kind in Kind:
        for data, name in ((template_xlsx(kind), "t.xlsx"), (template_csv(kind), "t.csv")):
            plan = plan_of(coordinator, data, name, kind)
            assert all(plan.mapping.values()), (kind, name)
            assert len(plan.rows) == 1 and plan.problems == [], (kind, name, plan.problems)


def test_unreadable_files() -> None:
    with pytest.raises(UnreadableFile):
        read_bytes(b"not a zip", "x.xlsx")
    with pytest.raises(UnreadableFile):
        read_bytes(b"PK\x03\x04garbage", "x.xlsx")
    with pytest.raises(UnreadableFile):
        read_bytes(b"\xd0\xcf\x11\xe0", "old.xls")
    with pytest.raises(UnreadableFile):
        read_bytes(b"", "empty.csv")


def test_encodings_and_delimiters() -> None:
    text = "Name\tPhone\nZoë Ünal\t01246 555014\n"
    for data in (text.encode("utf-16"), text.encode("cp1252"), text.replace("\t", "|").encode()):
        sheet = read_bytes(data, "v.csv")
        assert sheet.headers == ("Name", "Phone")
        assert sheet.rows[0].cells == ("Zoë Ünal", "01246 555014")


def test_check_import_command(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "families.csv"
    good.write_bytes(GOOD_FAMILIES)
    assert cli_main(["check-import", str(good), "--kind", "families"]) == 0
    out = capsys.readouterr().out
    assert "Would import 2 of 2 rows." in out and "No problems" in out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(excel_csv(FAMILY_HEADER, "31/02/2026;Self;;Ann Bell;Resident parent;;Ben Bell;01/01/2020;;;"))
    assert cli_main(["check-import", str(bad)]) == 1
    assert "Row 2, column \u201cReferral date\u201d: 31/02/2026 is not a real date." in capsys.readouterr().out
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    assert cli_main(["check-import", str(broken)]) == 2
    assert cli_main(["check-import", str(tmp_path / "missing.csv")]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "broken.xlsx", "families.csv"]


def test_released_vault_upgrades_and_imports(tmp_path: Path) -> None:
    """The vault as released at schema 7 gains the import tables (migration 9) and keeps its
    records; the import history starts empty and an import works on it."""
    import shutil

    from ccc_desktop.models.clock import FixedClock
    from ccc_desktop.models.services.registry import build_services
    from ccc_desktop.models.storage.migrate import latest_version
    from ccc_desktop.models.vault import Vault
    from tests.conftest import START

    folder = tmp_path / "v7"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "vault-v7", folder)
    vault = Vault(folder, FixedClock(START))
    s = build_services(vault.unlock("coordinator", "riverside coordinator"))
    assert s.session.db.user_version() == latest_version()
    families = s.families.count()
    volunteers = len(s.volunteers.list())
    assert families > 0 and volunteers > 0
    assert s.imports.history() == []
    s.imports.run(plan_of(s, GOOD_FAMILIES, "families.csv"))
    assert s.families.count() == families + 2
    assert len(s.volunteers.list()) == volunteers
    assert s.audit.verify().ok


def test_the_import_benchmark_script_runs(capsys) -> None:  # type: ignore[no-untyped-def]
    """Functional only: the 5,000-row timing lives in ``python -m ccc_desktop.bench.imports``."""
    from ccc_desktop.bench import imports as bench_imports

    bench_imports.main(["--rows", "40"])
    out = capsys.readouterr().out
    assert "40 families" in out and "40 created, 0 problems" in out
    bench_imports.main(["--rows", "30", "--kind", "volunteers"])
    out = capsys.readouterr().out
    assert "30 volunteers" in out and "30 created, 0 problems" in out

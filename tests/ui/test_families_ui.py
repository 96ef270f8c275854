"""The Families and Register tabs and the disclosure dialog, driven as a user would."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from tests.family_helpers import (
    SATURDAY,
    accepted_family,
    child,
    referral,
    resident,
    saturday_session,
    visiting,
)


@pytest.fixture
def ctx(coordinator):  # type: ignore[no-untyped-def]
    return make_context(coordinator, RecordingDialogs())


def _cells(table, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    model = table.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_search_as_you_type(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.families import FamiliesTab

    ctx.services.families.create(referral(), [resident(full_name="Zoë Quarmby")], [])
    ctx.services.families.create(referral(), [resident(full_name="Priya Shah")], [])
    tab = FamiliesTab(ctx)
    qtbot.addWidget(tab)
    assert _cells(tab.table, 0) == ["F-0002", "F-0001"]
    tab.search.setText("zoe qu")
    qtbot.waitUntil(lambda: _cells(tab.table, 0) == ["F-0001"], timeout=2000)
    assert tab.count.text() == "1 of 2 families"


def test_new_referral_dialog_shows_errors_beside_fields(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.families import NewFamilyDialog

    d = NewFamilyDialog(ctx)
    qtbot.addWidget(d)
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "cannot be empty" in d.errors.message_for("adults.0.full_name")
    d.adult["full_name"].setText("Jane <b>Doe</b>")  # type: ignore[attr-defined]
    d.child_name.setText("Amy")  # type: ignore[attr-defined]
    d.child_dob.setText("01/01/2030")  # type: ignore[attr-defined]
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "future" in d.errors.message_for("children.0.date_of_birth")
    assert ctx.services.families.count() == 0
    d.child_dob.setText("01/01/2020")  # type: ignore[attr-defined]
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert d.family_id is not None
    fam = ctx.services.families.get(d.family_id)
    assert fam.adults[0].full_name == "Jane <b>Doe</b>" and fam.children[0].full_name == "Amy"


def test_family_record_and_disclosure_letter(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.families import DisclosureDialog, FamilyDialog

    fid = accepted_family(ctx.services)
    ctx.services.families.set_safety(fid, "Uncle Bob", "")
    dialog = FamilyDialog(ctx, fid)
    qtbot.addWidget(dialog)
    assert "Must not attend: Uncle Bob" in dialog.safety.text()
    assert _cells(dialog.adults_view, 0) == ["Jane Example", "John Example"]
    assert dialog.tabs.count() == 8  # incidents and documents shown to the Coordinator
    d = DisclosureDialog(ctx, fid, dialog)
    qtbot.addWidget(d)
    d.requested_by.setText("Olu Officer")  # type: ignore[attr-defined]
    d.asked_for.setPlainText("Attendance")  # type: ignore[attr-defined]
    d.beyond.setChecked(True)
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "Choose the ground" in d.errors.message_for("ground")
    # The request and its answer are kept together: a refused answer logs no request.
    assert d.request_id is None and ctx.services.disclosures.for_family(fid) == []
    d.attendance.setChecked(True)
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert d.letter is not None
    assert len(ctx.services.disclosures.for_family(fid)) == 1
    dialog.reload()
    assert len(dialog.letters_model.rows) == 1


def test_register_buttons(qtbot, coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.register import RegisterTab

    ctx = make_context(coordinator, RecordingDialogs())
    sid = saturday_session(coordinator)
    fid = accepted_family(coordinator)
    coordinator.families.set_safety(fid, "Grandad", "Side door")
    coordinator.bookings.book(fid, sid)
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    assert tab.current_date() == SATURDAY
    [card] = tab.cards
    assert card.status.text() == "Expected"
    card.arrived.click()
    [card] = tab.cards
    assert card.status.text() == "Arrived 09:30" and not card.arrived.isEnabled()
    card.left.click()
    [card] = tab.cards
    assert card.status.text().startswith("Arrived 09:30 · Left 09:30")
    tab.notes.setPlainText("Quiet")
    tab.save_notes.click()
    tab.finalise.click()
    assert "FINALISED" in tab.heading.text()


def test_register_for_the_volunteer(qtbot, coordinator, volunteer) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.register import RegisterTab

    sid = saturday_session(coordinator)
    fid = accepted_family(coordinator)
    coordinator.bookings.book(fid, sid)
    ctx = make_context(volunteer, RecordingDialogs())
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    [card] = tab.cards
    card.arrived.click()
    assert volunteer.register.day(SATURDAY)[0].entries[0].arrived_at == "09:30"


def test_session_days_dialog(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.register import SessionDaysDialog

    d = SessionDaysDialog(ctx)
    qtbot.addWidget(d)
    d.until.setText("31/12/2026")  # type: ignore[attr-defined]
    d.capacity.setText("lots")  # type: ignore[attr-defined]
    d.submit()
    assert "whole number" in d.errors.message_for("capacity")
    d.capacity.setText("6")  # type: ignore[attr-defined]
    d.end.setText("09:00")  # type: ignore[attr-defined]
    d.submit()
    assert "end after it starts" in d.errors.message_for("end_time")
    assert ctx.services.bookings.patterns() == []
    d.end.setText("12:00")  # type: ignore[attr-defined]
    d.submit()
    assert "Saturdays 10:00-12:00, 6 families" in d.list.text()
    from datetime import date

    assert len(ctx.services.bookings.sessions_between(date(2026, 11, 26), date(2026, 12, 31))) == 5


def test_share_contact_details_and_the_log(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.dialogs import DisclosureLogDialog, ShareContactDialog

    fid = accepted_family(ctx.services)
    fam = ctx.services.families.get(fid)
    rid = ctx.services.disclosures.log_request(fid, "Ann", "Law & Co", "25/11/2026", "Address")
    request = ctx.services.disclosures.get(rid)
    d = ShareContactDialog(ctx, fam, request)
    qtbot.addWidget(d)
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "consent" in d.errors.message_for("consent") and d.shared_label.text() == ""
    ctx.services.families.record_consent(fam.adults[0].id, "Law & Co", "Letters", "20/11/2026", "Form")
    d = ShareContactDialog(ctx, fam, request)
    qtbot.addWidget(d)
    d.consent.setCurrentIndex(1)  # type: ignore[attr-defined]
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert d.shown and "1 Secret Street" in d.shared_label.text()
    log = DisclosureLogDialog(ctx)
    qtbot.addWidget(log)
    assert _cells(log.table, 1) == ["F-0001"]
    assert "contact details of adult" in _cells(log.table, 6)[0]


def test_subject_access_from_the_family_record(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.dialogs import SubjectAccessDialog
    from ccc_desktop.ui.families.families import FamilyDialog

    fid = accepted_family(ctx.services)
    record = FamilyDialog(ctx, fid)
    qtbot.addWidget(record)
    adult = record.family.adults[0]
    d = SubjectAccessDialog(ctx, fid, adult, record)
    qtbot.addWidget(d)
    d.received.setText("31/12/2026")  # type: ignore[attr-defined]
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "future" in d.errors.message_for("received_on")
    d.received.setText("25/11/2026")  # type: ignore[attr-defined]
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert d.request is not None
    assert (d.request.subject_category, d.request.subject_record_id, d.request.subject_person) == (
        "family", fid, f"adult:{adult.id}")


def test_user_text_shows_literally_on_screen(qtbot, coordinator) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from ccc_desktop.ui.families.families import FamilyDialog
    from ccc_desktop.ui.families.register import RegisterTab

    ctx = make_context(coordinator, RecordingDialogs())
    fid = accepted_family(coordinator, full_name="<b>Tom</b> & Co")
    coordinator.families.set_safety(fid, "<i>Mr X</i>", "")
    bid = coordinator.bookings.book(fid, saturday_session(coordinator))
    coordinator.register.absent(bid, "<u>ill</u>")
    record = FamilyDialog(ctx, fid)
    qtbot.addWidget(record)
    assert record.heading.textFormat() == Qt.TextFormat.PlainText and "<b>Tom</b> & Co" in record.heading.text()
    assert record.safety.textFormat() == Qt.TextFormat.PlainText and "<i>Mr X</i>" in record.safety.text()
    tab = RegisterTab(ctx)
    qtbot.addWidget(tab)
    [card] = tab.cards
    assert card.status.textFormat() == Qt.TextFormat.PlainText and card.status.text() == "Absent: <u>ill</u>"


def test_refusing_a_request_and_lifting_an_incident_hold(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.families_records import IncidentInput
    from ccc_desktop.ui.families.families import DisclosureDialog, FamilyDialog

    fid = accepted_family(ctx.services)
    ctx.services.families.record_incident(fid, IncidentInput("20/11/2026", "a", "b", "c", "d"))
    record = FamilyDialog(ctx, fid)
    qtbot.addWidget(record)
    d = DisclosureDialog(ctx, fid, record)
    qtbot.addWidget(d)
    d.requested_by.setText("Journalist")  # type: ignore[attr-defined]
    d.asked_for.setPlainText("Everything")  # type: ignore[attr-defined]
    d.refuse.setChecked(True)
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert "cannot be empty" in d.errors.message_for("reason")
    d.reason.setPlainText("Not a referring agency")  # type: ignore[attr-defined]
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert ctx.services.disclosures.for_family(fid)[0].answer == "refused"
    record.incident_view.selectRow(0)
    record._toggle_hold()  # the recording dialogs answer Yes
    assert not ctx.services.families.incidents(fid)[0].keep_beyond_three_years


def test_family_record_shows_the_agreement_and_refuses_an_assessment_without_one(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.legal_records import AgreementForm
    from ccc_desktop.ui.families.families import FamilyDialog

    fid = accepted_family(ctx.services)
    sid = saturday_session(ctx.services)
    ctx.services.bookings.book(fid, sid)
    dialog = FamilyDialog(ctx, fid)
    qtbot.addWidget(dialog)
    assert dialog.agreement.text() == "No assessment agreement is in force."
    dialog.bookings_view.selectRow(0)
    dialog.assessment_button.click()
    title, text = ctx.dialogs.shown[-1][1:]
    assert title == "Not an assessment session" and "clause 7" in text
    assert _cells(dialog.bookings_view, 6) == [""]
    ctx.services.agreements.add(AgreementForm("cafcass", "Cafcass East Midlands", "Observe",
                                              "01/11/2026", "31/12/2026", "Chair", fid))
    dialog.reload()
    assert dialog.agreement.text().startswith("Assessment agreement in force: Cafcass East Midlands")
    dialog.bookings_view.selectRow(0)
    dialog.assessment_button.click()
    assert _cells(dialog.bookings_view, 6) == ["assessment session"]


def test_restricted_notes_on_the_incidents_page(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.families import FamilyDialog

    fid = accepted_family(ctx.services)
    record = FamilyDialog(ctx, fid)
    qtbot.addWidget(record)
    assert record.restricted_notes.toPlainText() == "" and not record.save_restricted.isEnabled()
    assert record.restricted_state.text() == "None recorded."
    record.open_restricted.click()
    record.restricted_notes.setPlainText("Police aware of threats")
    record.save_restricted.click()
    assert ctx.services.families.restricted_notes(fid) == "Police aware of threats"


def test_saving_one_part_of_a_family_record_keeps_typing_in_another(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.families.record import FamilyDialog

    fid = ctx.services.families.create(referral(), [resident(), visiting()], [child()])
    dialog = FamilyDialog(ctx, fid)
    qtbot.addWidget(dialog)
    dialog.safety_notes.setPlainText("Use the side door")  # typed, not saved
    page = dialog.referral
    page.pv_on.setText("15/09/2026")
    page.pv_by.setText("Carol Dean")
    page.save_previsit()  # saves the pre-visit and reloads the record
    assert ctx.services.families.get(fid).referral.previsit_by == "Carol Dean"
    assert dialog.safety_notes.toPlainText() == "Use the side door"
    # Closing now asks; keeping on editing leaves the record open.
    ctx.dialogs.confirm_answer = False
    dialog.show()
    dialog.reject()
    assert dialog.isVisible()
    assert ctx.dialogs.shown[-1][:2] == ("confirm", "Unsaved changes")
    assert "the safety arrangements" in ctx.dialogs.shown[-1][2]
    # Saved: closing no longer asks.
    dialog._save_safety()  # noqa: SLF001 - the Save button's handler
    n = len(ctx.dialogs.shown)
    dialog.reject()
    assert not dialog.isVisible() and len(ctx.dialogs.shown) == n


def test_the_family_records_close_button_asks_about_unsaved_typing(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    """Close, like Escape and the window's cross, asks before typing is lost."""
    from ccc_desktop.ui.families.record import FamilyDialog

    fid = ctx.services.families.create(referral(), [resident(), visiting()], [child()])
    dialog = FamilyDialog(ctx, fid)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.safety_notes.setPlainText("Use the side door")  # typed, not saved
    ctx.dialogs.confirm_answer = False
    dialog.close_button.click()
    assert dialog.isVisible() and ctx.dialogs.shown[-1][:2] == ("confirm", "Unsaved changes")
    ctx.dialogs.confirm_answer = True
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_the_people_page_adds_edits_and_removes_adults_and_children(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from ccc_desktop.ui.families import dialogs as family_dialogs
    from ccc_desktop.ui.families.record import FamilyDialog

    fid = ctx.services.families.create(referral(), [resident(), visiting()], [child()])
    opened: list[tuple[str, bool]] = []
    for kind in (family_dialogs.AdultDialog, family_dialogs.ChildDialog):
        monkeypatch.setattr(kind, "exec", lambda self: opened.append(
            (type(self).__name__, self.windowTitle().startswith("Edit"))) or 0)
    dialog = FamilyDialog(ctx, fid)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)  # People
    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    dialog.adults_view.selectRow(0)
    buttons["&Edit adult…"].click()
    buttons["&Add adult…"].click()
    dialog.children_view.selectRow(0)
    buttons["Edit c&hild…"].click()
    buttons["Add &child…"].click()
    assert opened == [("AdultDialog", True), ("AdultDialog", False), ("ChildDialog", True),
                      ("ChildDialog", False)]
    adults = ctx.services.families.get(fid).adults
    ctx.dialogs.confirm_answer = False
    dialog.adults_view.selectRow(1)
    buttons["&Remove adult"].click()
    assert ctx.dialogs.shown[-1][:2] == ("confirm", "Remove adult")
    assert adults[1].full_name in ctx.dialogs.shown[-1][2]
    assert len(ctx.services.families.get(fid).adults) == 2  # kept
    ctx.dialogs.confirm_answer = True
    buttons["&Remove adult"].click()
    assert [a.full_name for a in ctx.services.families.get(fid).adults] == [adults[0].full_name]
    assert dialog.adults_model.rowCount() == 1
    dialog.children_view.selectRow(0)
    buttons["Remo&ve child"].click()
    assert ctx.dialogs.shown[-1][:2] == ("confirm", "Remove child")
    assert ctx.services.families.get(fid).children == ()


def test_the_records_actions_on_a_row_say_what_to_choose_first(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QPushButton

    from ccc_desktop.ui.families.record import FamilyDialog

    fid = ctx.services.families.create(referral(), [resident(), visiting()], [child()])
    dialog = FamilyDialog(ctx, fid)
    qtbot.addWidget(dialog)
    said = []
    for page, text in ((1, "Correc&t a detail…"), (1, "S&ubject access request…"),
                       (3, "&Assessment session…"), (5, "Pass on con&tact details…")):
        dialog.tabs.setCurrentIndex(page)
        QApplication.processEvents()
        button = next(b for b in dialog.findChildren(QPushButton) if b.text() == text)
        button.click()
        said.append(ctx.dialogs.shown[-1])
    assert said == [("info", "Correct a detail", "Choose the adult first."),
                    ("info", "Subject access request", "Choose the adult who asked first."),
                    ("info", "Assessment session", "Choose a booking in the list first."),
                    ("info", "Pass on contact details", "Choose the request first.")]

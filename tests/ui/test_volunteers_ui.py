"""The Volunteers and DBS checks tabs: what the user sees, with dialogs answered by a script."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from volunteer_helpers import details, disclosed, ready_volunteer

from ccc_desktop.models.storage.sessions import SessionStore
from ccc_desktop.models.volunteers_records import VolunteerStatus
from ccc_desktop.ui.shell.tabs import tab_specs
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs


@pytest.fixture
def ctx(coordinator):
    return make_context(coordinator, RecordingDialogs())


def _cells(table, column: int) -> list[str]:
    model = table.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_volunteer_role_gets_neither_tab(volunteer) -> None:
    allowed = [s.key for s in tab_specs() if s.permission is None or volunteer.session.actor.can(s.permission)]
    assert "volunteers" not in allowed and "dbs" not in allowed


def test_list_filters_by_status_and_shows_what_is_missing(qtbot, ctx) -> None:
    from ccc_desktop.ui.volunteers.volunteers import VolunteersTab

    a = ready_volunteer(ctx.services, full_name="Ann Active")
    ctx.services.volunteers.activate(a.id)
    ctx.services.volunteers.create(details(full_name="Paul Applicant", undertaking_version="",
                                           undertaking_signed_on=None))
    tab = VolunteersTab(ctx)
    qtbot.addWidget(tab)
    panel = tab.list_panel
    assert _cells(panel.table, 0) == ["Ann Active", "Paul Applicant"]
    assert _cells(panel.table, 5) == ["—", "undertaking, DBS check"]
    assert _cells(panel.table, 4)[0] == "5 Jan 2029"
    panel.filter.setCurrentIndex(panel.filter.findData(VolunteerStatus.ACTIVE.value))
    assert _cells(panel.table, 0) == ["Ann Active"]
    panel.filter.setCurrentIndex(0)
    panel.search.setText("paul")
    assert _cells(panel.table, 0) == ["Paul Applicant"]


def test_activation_refusal_is_shown_with_what_is_missing(qtbot, ctx) -> None:
    from ccc_desktop.ui.volunteers.volunteers import VolunteersTab

    ctx.services.volunteers.create(details(undertaking_version="", undertaking_signed_on=None))
    tab = VolunteersTab(ctx)
    qtbot.addWidget(tab)
    tab.list_panel.table.selectRow(0)
    assert tab.list_panel.activate_button.isEnabled()
    qtbot.mouseClick(tab.list_panel.activate_button, Qt.MouseButton.LeftButton)
    kind, title, text = ctx.dialogs.shown[-1]
    assert kind == "error" and "undertaking" in text and "DBS check" in text
    assert _cells(tab.list_panel.table, 1) == ["Applicant"]


def test_the_record_form_shows_a_bad_date_by_its_field_and_saves_good_input(qtbot, ctx) -> None:
    from ccc_desktop.ui.volunteers.volunteers import VolunteerDialog

    dialog = VolunteerDialog(ctx, None)
    qtbot.addWidget(dialog)
    dialog.full_name.setText("Nora New")
    dialog.dob.setText("31/02/1990")
    dialog.submit()
    assert "not a real date" in dialog.errors.message_for("date_of_birth")
    assert ctx.services.volunteers.list() == []
    dialog.dob.setText("12/03/1990")
    dialog.induction.setText("27/11/2026")  # tomorrow
    dialog.submit()
    assert "future" in dialog.errors.message_for("induction_on")
    dialog.induction.setText("20/11/2026")
    dialog.submit()
    [v] = ctx.services.volunteers.list()
    assert v.name == "Nora New" and v.details.date_of_birth == date(1990, 3, 12)
    assert v.details.induction_on == date(2026, 11, 20)


def test_resignation_dialog_needs_a_date(qtbot, ctx) -> None:
    from ccc_desktop.ui.volunteers.volunteers import ResignDialog

    v = ready_volunteer(ctx.services)
    dialog = ResignDialog(ctx, v)
    qtbot.addWidget(dialog)
    dialog.resigned_on.setText("")
    dialog.submit()
    assert "Resignation date" in dialog.errors.message_for("resigned_on")
    dialog.resigned_on.setText("01/11/2026")
    dialog.submit()
    assert ctx.services.volunteers.get(v.id).resigned_on == date(2026, 11, 1)


def test_dbs_tab_shows_no_result_until_asked_and_asking_is_audited(qtbot, ctx, monkeypatch) -> None:
    from ccc_desktop.ui.volunteers import dbs as dbs_ui

    v = ctx.services.volunteers.create(details())
    c = ctx.services.dbs.record(v.id, disclosed(disclosed_information="Caution, 1999"))
    tab = dbs_ui.DbsTab(ctx)
    qtbot.addWidget(tab)
    assert "keeps no copy of the DBS certificate" in tab.findChild(
        type(tab.settings_label), "certificate_note").text()
    model = tab.table.model()
    shown_text = " ".join(str(model.index(r, col).data()) for r in range(model.rowCount())
                          for col in range(model.columnCount()))
    assert "Caution" not in shown_text and "disclosed" not in shown_text.lower()
    opened: list = []
    monkeypatch.setattr(dbs_ui.ResultDialog, "exec", lambda self: opened.append(self) or 0)
    tab.table.selectRow(0)
    before = len(ctx.services.audit.for_record(ctx.actor, "dbs_check", c.id))
    qtbot.mouseClick(tab.show_button, Qt.MouseButton.LeftButton)
    [dialog] = opened
    assert dialog.findChild(type(tab.settings_label), "disclosed").text() == "Caution, 1999"
    after = ctx.services.audit.for_record(ctx.actor, "dbs_check", c.id)
    assert len(after) == before + 1 and after[-1].action == "DBS result opened"


def test_recording_a_check_shows_the_certificate_error_by_its_field(qtbot, ctx) -> None:
    from ccc_desktop.ui.volunteers.dbs import DbsCheckDialog

    ctx.services.volunteers.create(details())
    dialog = DbsCheckDialog(ctx, None, None)
    qtbot.addWidget(dialog)
    dialog.number.setText("1234 5678 901")
    dialog.issue.setText("05/01/2026")
    dialog.submit()
    assert "12 digits" in dialog.errors.message_for("certificate_number")
    assert ctx.services.dbs.list() == []
    dialog.number.setText("1234 5678 9012")
    dialog.submit()
    [c] = ctx.services.dbs.list()
    assert c.certificate_number == "123456789012" and c.id_checked_by == "Carol Dean"


def test_rota_panel_puts_a_volunteer_on_a_session(qtbot, ctx) -> None:
    from ccc_desktop.ui.volunteers.rota import RotaPanel

    v = ready_volunteer(ctx.services, full_name="Rita Rota")
    ctx.services.volunteers.activate(v.id)
    db = ctx.services.session.db
    with db.transaction():
        session_id = SessionStore(db).insert(date(2026, 11, 28), "10:00", "12:00", 8)
    panel = RotaPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.selected() is not None and panel.selected().session_id == session_id
    panel.candidate.setCurrentIndex(panel.candidate.findData(v.id))
    panel.duty.setText("door")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert ctx.services.volunteers.on_duty(session_id) == ["Rita Rota"]
    assert [panel.on_duty.item(i).text() for i in range(panel.on_duty.count())] == ["Rita Rota — door"]


def test_correcting_a_check_keeps_its_sealed_values(qtbot, ctx) -> None:
    from ccc_desktop.models.volunteers_records import DbsOutcome, RiskDecision
    from ccc_desktop.ui.volunteers.dbs import DbsCheckDialog

    v = ctx.services.volunteers.create(details())
    c = ctx.services.dbs.record(v.id, disclosed(decision=RiskDecision.PROCEED_WITH_CONDITIONS))
    dialog = DbsCheckDialog(ctx, c, ctx.services.dbs.open_result(c.id))
    qtbot.addWidget(dialog)
    assert dialog.disclosed.isEnabled()
    dialog.checked_by.setText("Margaret Holt")
    dialog.submit()
    assert dialog.errors.message_for("certificate_number") == ""
    result = ctx.services.dbs.open_result(c.id)
    assert result.outcome is DbsOutcome.DISCLOSED
    assert result.decision is RiskDecision.PROCEED_WITH_CONDITIONS
    assert result.disclosed_information.startswith("Caution for criminal damage")
    assert ctx.services.dbs.get(c.id).id_checked_by == "Margaret Holt"


def test_rules_dialog_changes_the_undertaking_version(qtbot, ctx) -> None:
    from ccc_desktop.ui.volunteers.volunteers import RulesDialog

    v = ready_volunteer(ctx.services)
    dialog = RulesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.version.setText("")
    dialog.submit()
    assert "cannot be empty" in dialog.errors.message_for("undertaking_version")
    dialog.version.setText("2027")
    dialog.years.setValue(2)
    dialog.submit()
    assert ctx.services.volunteers.get(v.id).needs_to_sign_again
    assert ctx.services.dbs.renewal_years() == 2

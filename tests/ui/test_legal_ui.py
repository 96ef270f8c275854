"""The Summons & legal tab and the Policy tab, driven the way a user would (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QLabel

from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.ui.legal.agreements import AgreementDialog
from ccc_desktop.ui.legal.legal import LegalTab
from ccc_desktop.ui.legal.police import PoliceDialog
from ccc_desktop.ui.legal.summonses import StepDialog, SummonsDialog
from ccc_desktop.ui.policy.policy import PolicyEditDialog, PolicyTab, ReviewDialog
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.family_helpers import referral, resident


@pytest.fixture
def ctx(coordinator):
    return make_context(coordinator, RecordingDialogs())


@pytest.fixture
def tab(qtbot, ctx):
    widget = LegalTab(ctx)
    qtbot.addWidget(widget)
    opened: list[QDialog] = []

    def run(dialog: QDialog) -> bool:
        opened.append(dialog)
        return False

    widget.summonses.run_dialog = run  # type: ignore[method-assign]
    widget.opened = opened  # type: ignore[attr-defined]
    return widget


def _log(ctx, **kw):
    base = dict(received_on="20/11/2026", received_how="post", court="Derby Family Court",
                case_number="DE26P01234", hearing_date="14/12/2026", hearing_time="10:00")
    base.update(kw)
    return ctx.services.summonses.log(SummonsForm(**base))


def test_logging_a_summons_shows_errors_by_the_field_and_keeps_the_input(qtbot, ctx, tab) -> None:
    dialog = SummonsDialog(ctx, None, tab)
    qtbot.addWidget(dialog)
    dialog.court.setText("Derby Family Court")
    dialog.case_number.setText("DE26P09999")
    dialog.hearing_date.setText("31/02/2027")
    dialog.submit()
    assert "not a real date" in dialog.errors.message_for("hearing_date")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.case_number.text() == "DE26P09999"  # nothing typed is lost
    dialog.hearing_date.setText("03/03/2027")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [s.case_number for s in tab.summonses.model.rows] == ["DE26P09999"]


def test_a_summons_shows_its_steps_and_recording_one_updates_it(qtbot, ctx, tab) -> None:
    s = _log(ctx)
    tab.summonses.select(s.id)
    view = tab.summonses.detail
    assert view.step_labels["chair"].text() == "Not done yet"
    assert "4 steps still to do" in view.facts.text()
    dialog = StepDialog(ctx, s.id, "chair", "Chair notified", None, view)
    qtbot.addWidget(dialog)
    assert dialog.done_by.text() == "Carol Dean"
    dialog.done_on.setText("21/11/2026")
    dialog.note.setPlainText("Phoned <b>Margaret</b>")
    dialog.submit()
    assert view.step_labels["chair"].text() == "Done 21 Nov 2026 by Carol Dean — Phoned <b>Margaret</b>"
    assert "3 steps still to do" in view.facts.text()
    assert tab.summonses.model.data(tab.summonses.model.index(0, 3)) == "1 of 4"
    assert view.step_buttons["chair"].text() == "Change…" and view.clear_buttons["chair"].isEnabled()


def test_generating_a_letter_opens_the_preview_and_lists_it(qtbot, ctx, tab) -> None:
    s = _log(ctx)
    tab.summonses.select(s.id)
    view = tab.summonses.detail
    view.letter_kind.setCurrentIndex(view.letter_kind.findData("summons_court"))
    view.generate()
    preview = tab.opened[-1]
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.addWidget(preview)
    assert len(preview.page_labels) == 1
    assert view.letter_list.count() == 1
    assert "Letter to Derby Family Court (case DE26P01234)" in view.letter_list.item(0).text()


def test_closed_summonses_are_hidden_until_asked_for(ctx, tab) -> None:
    s = _log(ctx)
    ctx.services.summonses.close(s.id, "withdrawn", "25/11/2026")
    assert tab.summonses.model.rows == []
    tab.summonses.show_closed.setChecked(True)
    assert [r.id for r in tab.summonses.model.rows] == [s.id]
    tab.summonses.select(s.id)
    assert not tab.summonses.detail.step_buttons["chair"].isEnabled()
    assert tab.summonses.detail.reopen_button.isEnabled()


def test_police_guidance_is_shown_where_visits_are_logged(qtbot, ctx, tab) -> None:
    dialog = PoliceDialog(ctx, tab)
    qtbot.addWidget(dialog)
    for where in (dialog, tab.police):
        guidance = where.findChild(QLabel, "police_guidance")
        assert guidance is not None
        assert "not to approach or detain" in guidance.text()
        assert "serve the order elsewhere" in guidance.text()
    dialog.officer_name.setText("PC Rachel Moore")
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [v.officer_name for v in tab.police.model.rows] == ["PC Rachel Moore"]


def _choose(chooser, text: str) -> None:
    chooser.search.setText(text)
    chooser.refresh()


def test_agreement_check_says_whether_one_is_in_force(qtbot, ctx, tab) -> None:
    fid = ctx.services.families.create(referral(), [resident(full_name="Zara Quinn")], [])
    panel = tab.agreements
    panel.check()
    assert "Search for a family" in panel.check_result.text()
    _choose(panel.check_family, "quin")
    assert panel.check_family.family_id() == fid
    panel.check()
    assert panel.check_result.text() == "F-0001: No assessment agreement is in force."
    dialog = AgreementDialog(ctx, panel)
    qtbot.addWidget(dialog)
    dialog.agency_name.setText("Cafcass East Midlands")
    _choose(dialog.family, "F-0001")
    assert dialog.family.family_id() == fid
    dialog.scope.setPlainText("Observe contact")
    dialog.valid_to.setText("01/01/2026")
    dialog.submit()
    assert "cannot end before it starts" in dialog.errors.message_for("valid_to")
    dialog.valid_to.setText("31/12/2026")
    dialog.submit()
    panel.check()
    assert panel.check_result.text().startswith("F-0001: Assessment agreement in force: Cafcass East Midlands")
    assert panel.model.rows[0].family_id == fid


def test_a_summons_links_a_family_chosen_by_name_and_shows_its_reference(qtbot, ctx, tab) -> None:
    ctx.services.families.create(referral(), [resident(full_name="Other Person")], [])
    fid = ctx.services.families.create(referral(), [resident(full_name="Zara Quinn")], [])
    dialog = SummonsDialog(ctx, None, tab)
    qtbot.addWidget(dialog)
    assert dialog.family.family_id() is None
    dialog.court.setText("Derby Family Court")
    dialog.case_number.setText("DE26P07777")
    dialog.hearing_date.setText("03/03/2027")
    _choose(dialog.family, "zara")
    assert dialog.family.choice.currentText() == "F-0002 — Zara Quinn"
    _choose(dialog.family, "nobody-of-that-name")
    assert dialog.family.family_id() == fid  # a search that finds nothing keeps the choice
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    s = dialog.result_value
    assert s.family_id == fid
    tab.summonses.select(s.id)
    assert "Linked family: F-0002" in tab.summonses.detail.facts.text()
    again = SummonsDialog(ctx, s, tab)
    qtbot.addWidget(again)
    assert again.family.family_id() == fid and again.family.choice.currentText() == "F-0002"
    again.family.choice.setCurrentIndex(0)
    again.submit()
    assert ctx.services.summonses.detail(s.id).summons.family_id is None


def test_template_editor_rejects_a_hostile_template_and_restores_the_default(ctx, tab) -> None:
    editor = tab.templates
    assert editor is not None
    assert editor.fields.rowCount() > 10
    default = editor.editor.toPlainText()
    editor.editor.setPlainText("{{ ''.__class__ }}")
    editor.save()
    assert "reading a part of a field" in editor.banner.text() and not editor.banner.isHidden()
    assert ctx.services.templates.get(editor.kind).is_default
    before = len(tab.opened)
    editor.preview()
    assert len(tab.opened) == before  # no half-rendered preview
    editor.editor.setPlainText("{{ court }}\n\nPlease set it aside.")
    editor.preview()
    assert isinstance(tab.opened[-1], PdfPreviewDialog)
    editor.save()
    assert not ctx.services.templates.get(editor.kind).is_default
    assert editor.restore_button.isEnabled()
    editor.restore()  # RecordingDialogs answers yes
    assert editor.editor.toPlainText() == default
    assert ctx.services.templates.get(editor.kind).is_default


def test_policy_tab_for_the_volunteer_reads_and_prints_only(qtbot, login) -> None:
    services = login("volunteer")
    ctx = make_context(services, RecordingDialogs())
    tab = PolicyTab(ctx)
    qtbot.addWidget(tab)
    opened: list[QDialog] = []
    tab.run_dialog = lambda d: bool(opened.append(d))  # type: ignore[method-assign]
    assert "Volunteers must not make verbal or written reports" in tab.text.toPlainText()
    assert tab.edit_button.parent() is None and tab.review_button.parent() is None
    tab.print_()
    assert isinstance(opened[-1], PdfPreviewDialog)
    qtbot.addWidget(opened[-1])


def test_policy_tab_edits_make_versions_and_reviews_show(qtbot, ctx) -> None:
    tab = PolicyTab(ctx)
    qtbot.addWidget(tab)
    dialog = PolicyEditDialog(ctx, tab.text.toPlainText() + "\n13. New clause.", tab)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert "say briefly what this version changes" in dialog.errors.message_for("note")
    dialog.note.setText("Added clause 13")
    dialog.submit()
    assert tab.version_label.text().startswith("Version 1, saved 26 Nov 2026 by Carol Dean")
    assert "13. New clause." in tab.text.toPlainText()
    review = ReviewDialog(ctx, tab)
    qtbot.addWidget(review)
    review.reviewed_by.setText("Management committee")
    review.submit()
    assert "Next review due on 26 Nov 2027" in tab.review_label.text()
    assert tab.reviews.count() == 1
    tab.restore()  # RecordingDialogs answers yes
    assert tab.version_label.text().startswith("Version 2,")
    assert "13. New clause." not in tab.text.toPlainText()
    tab.restore()  # nothing to change now: said plainly
    assert ctx.dialogs.shown[-1][0] == "error" and "nothing has changed" in ctx.dialogs.shown[-1][2]

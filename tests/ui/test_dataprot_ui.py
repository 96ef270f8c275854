"""The Reports tab: what the Coordinator sees and can do (offscreen, dialogs answered by script)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from dataprot_fakes import FakeSource, only_retention_sources

from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.data_protection.reports import BackupPanel, DisposalDialog, ReportsTab
from ccc_desktop.ui.shell.app import Controller
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs
from conftest import COORDINATOR


@pytest.fixture
def fam(monkeypatch, coordinator) -> FakeSource:
    source = FakeSource("family", "last used", "F")
    only_retention_sources(monkeypatch, coordinator, source)
    source.install(coordinator.session)
    return source


@pytest.fixture
def ctx(coordinator):
    return make_context(coordinator, RecordingDialogs())


def test_retention_panel_lists_and_only_due_records_can_be_disposed(qtbot, ctx, fam) -> None:
    s = ctx.services.session
    fam.add(s, "Due family", date(2020, 1, 1))
    fam.add(s, "Held family", date(2020, 1, 1), incident=True)
    fam.add(s, "Soon family", date(2023, 12, 1))
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    panel = tab.retention
    labels = [panel.model.row(n).label for n in range(panel.model.rowCount())]
    assert labels == ["Due family", "Held family", "Soon family"]
    assert "1 due for disposal, 1 held back, 1 falling due" in panel.summary.text()
    assert not panel.dispose_button.isEnabled()
    panel.view.selectRow(1)  # held
    assert not panel.dispose_button.isEnabled()
    panel.select_due()
    assert [i.label for i in panel.selected_items()] == ["Due family"]
    assert panel.dispose_button.isEnabled()


def test_disposal_dialog_asks_for_the_passphrase_and_runs_in_the_background(qtbot, ctx, fam) -> None:
    s = ctx.services.session
    fam.add(s, "Due family", date(2020, 1, 1))
    items = list(ctx.services.retention.report().due)
    dialog = DisposalDialog(ctx, items)
    qtbot.addWidget(dialog)
    assert dialog.ok_button.text() == "Destroy 1 record"
    qtbot.waitUntil(lambda: dialog.check_task is None, timeout=10000)
    assert dialog.names_check.text().startswith("No other record mentions")
    dialog.submit()  # empty passphrase
    assert "Enter your passphrase" in dialog.errors.message_for("passphrase")
    qtbot.keyClicks(dialog.passphrase, "wrong passphrase")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10000)
    assert "not your passphrase" in dialog.errors.message_for("passphrase")
    assert fam.count(s) == 1
    qtbot.keyClicks(dialog.passphrase, COORDINATOR[1])
    with qtbot.waitSignal(dialog.accepted, timeout=20000):
        dialog.submit()
    assert dialog.result_ is not None and dialog.result_.disposed == 1
    assert fam.count(s) == 0


def test_the_disposal_dialog_lists_other_records_that_mention_a_name_alone(qtbot, coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    """Before the Coordinator confirms: a namesake's disclosure keeps "Sam" and is shown."""
    from family_helpers import accepted_family

    ctx = make_context(coordinator, RecordingDialogs())
    fid = accepted_family(coordinator, full_name="Sam Patel")
    other = accepted_family(coordinator, full_name="Dana Whitfield")
    coordinator.disclosures.log_request(other, "Sam Hughes", "Cafcass", "20/11/2026", "Dates")
    coordinator.disclosures.log_request(other, "Mrs Patel", "", "20/11/2026", "Dates")
    clock.advance(days=3 * 365 + 30)
    items = [i for i in coordinator.retention.report().due if i.record_id == fid]
    dialog = DisposalDialog(ctx, items)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()  # until the other records are checked
    qtbot.waitUntil(lambda: dialog.check_task is None, timeout=20000)
    assert dialog.ok_button.isEnabled()
    text = dialog.names_check.text()
    place = f"Disclosure request, family F-{other:04d}, requested by"
    ref = f"F-{fid:04d}"
    assert f"This other record mentions \u2018Sam\u2019 (a name in {ref}) alone; it will not be changed" in text
    assert f"This other record mentions \u2018Patel\u2019 (a name in {ref}) alone" in text
    assert text.count(place) == 2
    assert "Sam Patel" not in text


def test_csv_export_from_the_panel_is_written_and_audited(qtbot, ctx, fam, tmp_path: Path) -> None:
    fam.add(ctx.services.session, "=cmd family", date(2020, 1, 1))
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    ctx.dialogs.save_path = str(tmp_path / "report")
    tab.retention.save_csv()
    written = (tmp_path / "report.csv").read_text("utf-8-sig")
    assert "'=cmd family" in written
    assert ctx.services.audit.entries(ctx.actor, "retention report exported")


def test_logging_a_request_shows_errors_by_the_field(qtbot, ctx) -> None:
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    panel = tab.subject_access
    panel.log_request()
    assert "cannot be empty" in panel.errors.message_for("requester_name")
    qtbot.keyClicks(panel.name, "Dana Whitfield")
    panel.identity.setCurrentIndex(0)
    panel.received.clear()
    qtbot.keyClicks(panel.received, "31/02/2026")
    panel.log_request()
    assert "not a real date" in panel.errors.message_for("received_on")
    panel.received.clear()
    qtbot.keyClicks(panel.received, "20/11/2026")
    panel.log_request()
    assert [r.requester_name for r in panel.model.rows] == ["Dana Whitfield"]
    assert panel.model.data(panel.model.index(0, 3)) == "24"
    assert panel.produce_button.isEnabled()


def test_backup_panel_backs_up_with_progress(qtbot, ctx, tmp_path: Path) -> None:
    panel = BackupPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.last.text() == "No backup has been made yet."
    stick = tmp_path / "stick"
    stick.mkdir()
    ctx.dialogs.folder = str(stick)
    panel.backup()
    qtbot.waitUntil(lambda: panel.task is None, timeout=20000)
    assert panel.last.text().startswith("Last backup: 26 Nov 2026 09:30")
    assert panel.model.rowCount() == 1
    assert ("info", "Backup made") == ctx.dialogs.shown[-1][:2]


def test_restore_from_the_file_menu_locks_the_window(qtbot, vault: Vault, tmp_path: Path) -> None:
    dialogs = RecordingDialogs()
    c = Controller(vault, dialogs)
    qtbot.addWidget(c.window)
    c.start()
    try:
        c.unlock_now(*COORDINATOR)
        assert c.backup_action.isEnabled()
        stick = tmp_path / "stick"
        stick.mkdir()
        made = c.ctx.services.backup.backup(stick)  # type: ignore[union-attr]
        c.backup_action.trigger()
        tab = c.window.tab("reports")
        assert tab is not None and tab.currentWidget() is tab.backups  # type: ignore[attr-defined]
        dialogs.folder = str(made.folder)
        tab.backups.restore()  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: c.window.locked, timeout=20000)
        assert any(t == "Records restored" for _, t, _ in dialogs.shown)
        assert not c.backup_action.isEnabled()
        c.unlock_now(*COORDINATOR)
        assert not c.window.locked
    finally:
        c.shutdown()


def test_volunteer_has_no_reports_tab(qtbot, vault: Vault) -> None:
    from conftest import VOLUNTEER

    c = Controller(vault, RecordingDialogs())
    qtbot.addWidget(c.window)
    c.start()
    try:
        c.unlock_now(*VOLUNTEER)
        assert "reports" not in c.window.tab_keys
        assert not c.backup_action.isEnabled()
        assert c.backup_action in c.window.file_menu.actions()  # there, but disabled
    finally:
        c.shutdown()


def test_correcting_a_detail_through_the_generic_dialog(qtbot, ctx) -> None:
    from ccc_desktop.ui.data_protection.rectify import CorrectFieldDialog

    r = ctx.services.subject_access.log("Dana Whitfeild", "Photo ID", "20/11/2026")
    dialog = CorrectFieldDialog(ctx, "subject_access", r.id, r.id)
    qtbot.addWidget(dialog)
    assert dialog.current.text() == "Dana Whitfeild"
    dialog.submit()  # unchanged
    assert "same as what is recorded" in dialog.errors.message_for("value")
    dialog.value.clear()
    qtbot.keyClicks(dialog.value, "Dana Whitfield")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.submit()
    assert ctx.services.subject_access.get(r.id).requester_name == "Dana Whitfield"


def test_retention_period_is_changed_from_the_panel_after_confirming(qtbot, ctx, fam) -> None:
    fam.add(ctx.services.session, "Four years", date(2022, 11, 1))
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    panel = tab.retention
    assert panel.model.rowCount() == 1 and panel.period.value() == 3
    panel.period.setValue(5)
    ctx.dialogs.confirm_answer = False
    panel.save_period()
    assert ctx.services.retention.period_years() == 3 and panel.period.value() == 3
    panel.period.setValue(5)
    ctx.dialogs.confirm_answer = True
    panel.save_period()
    assert ctx.services.retention.period_years() == 5
    assert panel.model.rowCount() == 0


def test_locking_during_a_backup_lets_it_finish_safely(qtbot, vault: Vault, tmp_path: Path) -> None:
    from ccc_desktop.ui.widgets import background

    dialogs = RecordingDialogs()
    c = Controller(vault, dialogs)
    qtbot.addWidget(c.window)
    c.start()
    try:
        c.unlock_now(*COORDINATOR)
        stick = tmp_path / "stick"
        stick.mkdir()
        dialogs.folder = str(stick)
        c.show_backups()
        c.window.tab("reports").backups.backup()  # type: ignore[union-attr]
        c.lock()  # e.g. the idle lock fires while the copy runs
        assert c.window.locked
        qtbot.waitUntil(lambda: not background._RUNNING, timeout=20000)
        assert not [p for p in stick.iterdir() if p.name.endswith(".partial")]
    finally:
        c.shutdown()


def test_a_long_report_is_built_in_the_background_and_saved_not_previewed(qtbot, ctx, fam, tmp_path,
                                                                        monkeypatch) -> None:
    from ccc_desktop.ui.data_protection import reports

    monkeypatch.setattr(reports, "PREVIEW_LIMIT", 2)
    for n in range(3):
        fam.add(ctx.services.session, f"Family {n}", date(2020, 1, 1))
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    ctx.dialogs.save_path = str(tmp_path / "long")
    tab.retention.preview_pdf()
    assert not tab.retention.pdf_button.isEnabled()
    qtbot.waitUntil(lambda: tab.retention.pdf_task is None, timeout=20000)
    assert (tmp_path / "long.pdf").read_bytes().startswith(b"%PDF")
    assert tab.retention.pdf_button.isEnabled()
    assert ctx.services.audit.entries(ctx.actor, "PDF saved; 3 records")


def test_restore_from_the_locked_window_when_the_file_is_damaged(qtbot, vault: Vault, login,
                                                                 tmp_path: Path) -> None:
    from ccc_desktop.ui.data_protection.restore import LockedRestoreDialog

    stick = tmp_path / "stick"
    stick.mkdir()
    services = login("coordinator")
    made = services.backup.backup(stick)
    services.session.lock()
    data = bytearray(vault.paths.db.read_bytes())
    data[0:8192] = bytes(8192)
    vault.paths.db.write_bytes(bytes(data))
    dialogs = RecordingDialogs()
    c = Controller(vault, dialogs)
    qtbot.addWidget(c.window)
    c.start()
    try:
        assert c.locked_restore_action.isEnabled()
        dialog = LockedRestoreDialog(vault, dialogs, c.window)
        qtbot.addWidget(dialog)
        dialog.submit()
        assert "Choose the backup folder" in dialog.errors.message_for("folder")
        dialogs.folder = str(made.folder)
        dialog.choose()
        qtbot.keyClicks(dialog.username, "coordinator")
        qtbot.keyClicks(dialog.passphrase, "wrong passphrase")
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
        assert "do not open this backup" in dialog.errors.message_for("passphrase")
        qtbot.keyClicks(dialog.passphrase, COORDINATOR[1])
        with qtbot.waitSignal(dialog.accepted, timeout=20000):
            dialog.submit()
        c.unlock_now(*COORDINATOR)
        assert not c.window.locked
        assert not c.locked_restore_action.isEnabled()
    finally:
        c.shutdown()


def test_a_request_is_linked_to_a_family_adult_or_a_volunteer_from_the_request_screen(qtbot, ctx) -> None:
    from ccc_desktop.ui.data_protection.subject_access import LinkDialog
    from tests.family_helpers import referral, resident, visiting
    from tests.volunteer_helpers import ready_volunteer

    fid = ctx.services.families.create(referral(), [resident(full_name="Zara Quinn"), visiting()], [])
    vol = ready_volunteer(ctx.services)
    r = ctx.services.subject_access.log("Zara Quinn", "Seen photo ID", "20/11/2026")
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    panel = tab.subject_access
    assert panel.model.data(panel.model.index(0, 5)) == "Not linked"
    dialog = LinkDialog(ctx, r, panel)
    qtbot.addWidget(dialog)
    assert dialog.kind.currentData() == "family"
    dialog.submit()
    assert "search for the family" in dialog.errors.message_for("subject_record_id")
    dialog.family.search.setText("quinn")
    dialog.family.refresh()
    assert dialog.person.currentText() == "Zara Quinn (resident parent)"
    dialog.submit()
    linked = ctx.services.subject_access.get(r.id)
    assert (linked.subject_category, linked.subject_record_id) == ("family", fid)
    assert linked.subject_person == dialog.person.currentData()
    panel.refresh()
    assert panel.model.data(panel.model.index(0, 5)) == "Family F-0001"

    again = LinkDialog(ctx, linked, panel)
    qtbot.addWidget(again)
    assert again.family.family_id() == fid and again.person.currentData() == linked.subject_person
    again.kind.setCurrentIndex(again.kind.findData("volunteer"))
    assert not again.form.isRowVisible(again.family) and again.form.isRowVisible(again.volunteer)
    again.volunteer.setCurrentIndex(again.volunteer.findData(vol.id))
    again.submit()
    linked = ctx.services.subject_access.get(r.id)
    assert (linked.subject_category, linked.subject_record_id) == ("volunteer", vol.id)
    panel.refresh()
    assert panel.model.data(panel.model.index(0, 5)) == f"Volunteer V-{vol.id:05d}"


def test_the_response_asks_what_to_do_with_each_of_the_records_documents(qtbot, ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Produce the response: every document of the family needs a choice (a copy given, or
    withheld with a reason) before the pack is made; the pack holds the given one."""
    from pypdf import PdfReader

    from ccc_desktop.ui.data_protection import subject_access as sar_ui
    from ccc_desktop.ui.widgets import pdf_preview
    from tests.domain.test_sar_documents import real_pdf
    from tests.family_helpers import accepted_family

    s = ctx.services
    fid = accepted_family(s)
    s.attachments.add("family", fid, "Contact notes.pdf", real_pdf("Contact notes Quentin"))
    s.attachments.add("family", fid, "Court order.pdf", real_pdf("Court order Bartholomew"))
    r = s.subject_access.log("Jane Example", "Seen photo ID", "20/11/2026", "family", fid, "parent_a")
    dialog = sar_ui.DocumentReviewDialog(ctx, r, s.subject_access.review(r.id))
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled() and "2 documents still to choose" in dialog.hint.text()
    dialog.boxes[0].setCurrentText(sar_ui.GIVE)
    assert not dialog.ok.isEnabled()
    dialog.boxes[1].setCurrentIndex(2)  # the first reason in the list
    assert dialog.ok.isEnabled() and "1 of 2 given" in dialog.hint.text()
    dialog.boxes[1].setCurrentText("Withheld: the other parent's own copy")
    choices = dialog.choices()
    assert list(choices.values()) == [None, "the other parent's own copy"]

    shown: list[int] = []
    monkeypatch.setattr(sar_ui.DocumentReviewDialog, "exec", lambda self: True)
    monkeypatch.setattr(sar_ui.DocumentReviewDialog, "choices", lambda self: choices)
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec",
                        lambda self: shown.append(1) or 0)  # type: ignore[func-returns-value]
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    panel = tab.subject_access
    panel.view.selectRow(0)
    panel.produce()
    assert shown
    [response] = [d for d in s.subject_access.documents(r.id) if d.kind == "sar-response"]
    text = "".join(p.extract_text() or "" for p in
                   PdfReader(__import__("io").BytesIO(s.letters.open(response.id))).pages)
    assert "Contact notes Quentin" in text and "Bartholomew" not in text


def test_the_disposal_dialog_lists_documents_it_could_not_read_without_the_name(qtbot, coordinator, clock) -> None:  # type: ignore[no-untyped-def]
    """A family whose notes name the disposed family in full keeps a picture: the dialog says
    it cannot be read and should be looked at; a Word document naming "Sam" alone is listed."""
    from document_helpers import PNG, docx
    from family_helpers import accepted_family

    ctx = make_context(coordinator, RecordingDialogs())
    fid = accepted_family(coordinator, full_name="Sam Patel")
    other = accepted_family(coordinator, full_name="Dana Whitfield")
    coordinator.families.record_previsit(other, "02/11/2026", "Carol Dean", "Met Sam Patel there")
    coordinator.attachments.add("family", other, "Photo.png", PNG)
    coordinator.attachments.add("family", other, "Scan.png", PNG)
    third = accepted_family(coordinator, full_name="Ola Brown")
    coordinator.attachments.add("referral", third, "School.docx", docx("Sam was upset"))
    clock.advance(days=3 * 365 + 30)
    items = [i for i in coordinator.retention.report().due if i.record_id == fid]
    dialog = DisposalDialog(ctx, items)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.check_task is None, timeout=20000)
    text = dialog.names_check.text()
    ref = f"F-{fid:04d}"
    assert (f"This other record mentions \u2018Sam\u2019 (a name in {ref}) alone; it will not be "
            "changed \u2013 check it:\n"
            f"  \u2022 Attached document, referral of family F-{third:04d}, text") in text
    assert (f"This record mentions someone in {ref} and keeps pictures or scans the program "
            "cannot read \u2013 look at them for the names:\n"
            f"  \u2022 Attached document, family F-{other:04d}: 2 pictures or scans") in text
    assert "pictures and scans are not" in text
    assert "Patel" not in text


def test_the_locked_restore_says_first_when_who_lost_access_cannot_be_checked(
        qtbot, vault: Vault, login, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """No key file and a damaged database: the dialog asks before anything is replaced, and
    Cancel leaves the files as they were."""
    from ccc_desktop.ui.data_protection.restore import LockedRestoreDialog

    stick = tmp_path / "stick"
    stick.mkdir()
    services = login("coordinator")
    made = services.backup.backup(stick)
    services.session.lock()
    vault.paths.keys.unlink()
    data = bytearray(vault.paths.db.read_bytes())
    data[0:8192] = bytes(8192)
    vault.paths.db.write_bytes(bytes(data))
    damaged = vault.paths.db.read_bytes()
    for answer in (False, True):
        dialogs = RecordingDialogs()
        dialog = LockedRestoreDialog(vault, dialogs, None)
        qtbot.addWidget(dialog)
        dialogs.folder = str(made.folder)
        dialog.choose()
        qtbot.keyClicks(dialog.username, "coordinator")
        qtbot.keyClicks(dialog.passphrase, COORDINATOR[1])
        dialogs.confirm_answer = True  # "Replace the records?"
        original = dialogs.confirm

        def confirm(parent, title, text, yes="Yes", no="Cancel", answer=answer, original=original):  # type: ignore[no-untyped-def]
            original(parent, title, text, yes, no)
            return answer if title == "Who lost access cannot be checked" else True

        dialogs.confirm = confirm  # type: ignore[method-assign]
        if answer:
            with qtbot.waitSignal(dialog.accepted, timeout=20000):
                dialog.submit()
        else:
            dialog.submit()
            qtbot.waitUntil(lambda dialog=dialog: dialog.task is None, timeout=20000)
        (asked,) = [text for kind, title, text in dialogs.shown
                    if title == "Who lost access cannot be checked"]
        assert "key file is missing" in asked and "Settings > Accounts" in asked
        if not answer:
            assert vault.paths.db.read_bytes() == damaged and not vault.paths.keys.exists()
    assert vault.paths.keys.exists() and login("coordinator").session.is_open


def test_a_name_someone_who_stays_also_has_is_listed_as_such() -> None:
    from ccc_desktop.models.data_protection_records import NameMention
    from ccc_desktop.ui.data_protection.reports import mentions_text

    text = mentions_text([
        NameMention("F-0002", "families", 1, "previsit_notes", "Sam Patel", "Family F-0001", shared=True),
        NameMention("F-0002", "letters", 7, "text", "Sam Patel", "Stored letter of 26 Nov 2026", shared=True)])
    assert text.startswith(
        "These other records mention \u2018Sam Patel\u2019 (a name in F-0002, and also of someone in a "
        "record that stays); they will not be changed \u2013 check them:\n"
        "  \u2022 Family F-0001, pre-visit notes\n  \u2022 Stored letter of 26 Nov 2026, text")

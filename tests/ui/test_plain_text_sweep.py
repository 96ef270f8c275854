"""User text shows as typed: no label, message box or status line parses it as markup (issue 13)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from family_helpers import child, referral, resident, saturday_session, visiting
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from volunteer_helpers import details

from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.services.registry import build_services
from ccc_desktop.models.vault import Vault
from ccc_desktop.ui.widgets.dialogs import DialogService, RecordingDialogs
from conftest import CENTRE

MARK = "<b>MARK</b><img src='x'>"
PASS = "a long passphrase for the sweep"


def _rich_labels(widgets: list[QWidget]) -> list[str]:
    """Labels showing user text (the mark) that Qt would render as markup."""
    bad = []
    for top in widgets:
        for label in [top, *top.findChildren(QLabel)]:
            if not isinstance(label, QLabel) or MARK not in label.text():
                continue
            fmt = label.textFormat()
            if fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText
                                                 and QtGui.mightBeRichText(label.text())):
                bad.append(f"{type(label.window()).__name__}/{label.objectName() or '?'}: "
                           f"{label.text()[:80]!r}")
    return bad


def _fill(vault: Vault) -> tuple[int, int]:
    session = vault.unlock("coordinator", PASS)
    s = build_services(session)
    fid = s.families.create(referral(referrer_name=MARK, referrer_organisation=MARK),
                            [resident(full_name=MARK, address=MARK, ground_rules_on=""),
                             visiting(full_name=MARK + " two")], [child(full_name=MARK)])
    s.families.set_safety(fid, MARK, MARK)
    s.families.record_consent(s.families.get(fid).adults[0].id, MARK, MARK, "20/11/2026", MARK)
    s.disclosures.log_request(fid, MARK, MARK, "20/11/2026", MARK)
    v = s.volunteers.create(details(full_name=MARK))
    s.volunteers.resign(v.id, date(2026, 11, 20), MARK)
    r = s.subject_access.log(MARK, MARK, "20/11/2026")
    s.summonses.log(SummonsForm(received_on="20/11/2026", received_how="post", court=MARK,
                                case_number="AB12", hearing_date="10/12/2026", applicant=MARK))
    saturday_session(s)
    session.lock()
    return fid, r.id


def test_no_window_renders_user_text_as_markup(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.ui.data_protection.rectify import CorrectFieldDialog
    from ccc_desktop.ui.families.families import FamilyDialog
    from ccc_desktop.ui.screenshots.runner import SHOTS
    from ccc_desktop.ui.shell.app import Controller

    vault = Vault(tmp_path / "v")
    session, _key = vault.create(CENTRE, "coordinator", MARK, PASS)
    session.lock()
    fid, request_id = _fill(vault)
    c = Controller(vault, RecordingDialogs())
    qtbot.addWidget(c.window)
    c.start()
    try:
        c.unlock_now("coordinator", PASS)
        w = c.window
        bad: list[str] = []
        for key in list(w.tab_keys):
            w.show_tab(key)
            bad += _rich_labels([w])
        for shot in SHOTS:  # every screen the screenshots show, with these records
            try:
                widget = shot.make(w)
            except Exception:  # noqa: BLE001,S112 - a screen that needs the demo's records
                continue
            QApplication.processEvents()
            bad += _rich_labels([widget, *QApplication.topLevelWidgets()])
            if widget is not w:
                widget.close()
        assert c.ctx is not None
        family = FamilyDialog(c.ctx, fid)
        qtbot.addWidget(family)
        for i in range(family.tabs.count()):
            family.tabs.setCurrentIndex(i)
            bad += _rich_labels([family])
        fix = CorrectFieldDialog(c.ctx, "subject_access", request_id)
        qtbot.addWidget(fix)
        bad += _rich_labels([fix])
        volunteers = w.show_tab("volunteers")
        assert volunteers is not None
        panel = volunteers.list_panel  # type: ignore[attr-defined]
        for row in range(panel.table.model().rowCount()):
            panel.table.selectRow(row)
            bad += _rich_labels([w])
        # The register: booking the family whose adult has no ground rules names them.
        register = w.show_tab("register")
        bad += _rich_labels([w, register] if register else [w])
        assert MARK in w.status_user.text()
        assert not bad, "\n".join(sorted(set(bad)))
    finally:
        c.shutdown()


def test_every_message_box_shows_plain_text(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[QMessageBox] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    d = DialogService()
    d.info(None, "t", MARK)
    d.warning(None, "t", MARK)
    d.error(None, "t", MARK)
    d.confirm(None, "Remove", f"Remove {MARK} from this family's record?")
    assert len(shown) == 4
    for box in shown:
        assert box.textFormat() == Qt.TextFormat.PlainText and MARK in box.text()


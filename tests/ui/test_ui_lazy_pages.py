"""Screens with several pages build each page the first time it is shown (issue 17: opening a
screen built every page at once and held the window on a large centre)."""

from __future__ import annotations

import pytest

from ccc_desktop.ui.data_protection.reports import BackupPanel, DisposalLogPanel, ReportsTab
from ccc_desktop.ui.widgets.context import make_context
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs


@pytest.fixture
def ctx(coordinator):  # type: ignore[no-untyped-def]
    return make_context(coordinator, RecordingDialogs())


def test_reports_builds_a_page_when_it_is_first_shown(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    titles = [tab.tabText(i) for i in range(tab.count())]
    assert titles == ["Retention", "Disposal log", "Subject access requests", "Backups", "Statistics"]
    assert tab.currentWidget() is tab.retention
    assert [tab.built_page(k) for k in ("disposal_log", "subject_access", "backups", "statistics")] \
        == [None, None, None, None]
    tab.setCurrentIndex(1)  # as a click on "Disposal log" does
    log = tab.built_page("disposal_log")
    assert isinstance(log, DisposalLogPanel) and tab.currentWidget() is log
    assert tab.tabText(1) == "Disposal log" and tab.count() == 5
    assert tab.built_page("backups") is None
    tab.show_backups()  # asked for by name (File > Back up and restore…): built and shown
    assert isinstance(tab.backups, BackupPanel) and tab.currentWidget() is tab.backups
    assert tab.tabText(tab.currentIndex()) == "Backups"
    assert tab.built_page("statistics") is None and tab.built_page("subject_access") is None
    # The dashboard's "Make a backup" finds its button on a page not built yet.
    other = ReportsTab(ctx)
    qtbot.addWidget(other)
    button = other.find_place("backup_button")
    assert button is not None and button is other.backups.backup_button  # type: ignore[union-attr]
    assert other.built_page("statistics") is None  # built only as far as the button

"""The dashboard tab on the demo, standing on the run's pinned day (see tests/conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from date_helpers import months_later, shown

from ccc_desktop.models.services.registry import Services

pytestmark = pytest.mark.dates


def test_the_dashboard_tab_shows_the_demo_on_the_pinned_day(qtbot, demo: Services, today: date) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QGroupBox, QLabel

    from ccc_desktop.ui.shell.dashboard import DashboardTab
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import RecordingDialogs

    tab = DashboardTab(make_context(demo, RecordingDialogs()))
    qtbot.addWidget(tab)
    assert tab.greeting.text().endswith(shown(today))  # 24 Nov 2026, by the test's own formatting
    boxes = {b.accessibleName(): b for b in tab.findChildren(QGroupBox)}
    assert {"DBS checks", "Subject access requests", "Confidentiality policy", "Retention"} <= set(boxes)
    texts = [lab.text() for lab in boxes["Subject access requests"].findChildren(QLabel)]
    due = months_later(today - timedelta(days=27), 1)
    assert any(f"(due {shown(due)})" in t for t in texts), texts

"""Unexpected errors (bugs): a calm message with a reference, and a local log with no personal data."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from ccc_desktop import cli, errorlog

NAME = "Margaret Holt"
ADDRESS = "12 Mill Lane"
REFERENCE = re.compile(r"\d{8}-[0-9A-F]{6}")


class FamilyLookupBug(Exception):
    pass


def _find_family(surname: str) -> None:
    raise FamilyLookupBug(f"no family for {surname} at {ADDRESS}")


def _open_record() -> None:
    _find_family(NAME)


def _raise_and_catch() -> tuple[type[BaseException], BaseException, object]:
    try:
        _open_record()
    except FamilyLookupBug as exc:
        return type(exc), exc, exc.__traceback__
    raise AssertionError("no exception")


def test_the_log_holds_the_type_and_places_but_no_personal_data(tmp_path: Path) -> None:
    exc_type, exc, tb = _raise_and_catch()
    ref = errorlog.write(tmp_path / "logs", exc_type, tb)  # type: ignore[arg-type]
    log = (tmp_path / "logs" / "errors.log").read_text("utf-8")
    assert REFERENCE.fullmatch(ref) and f"reference {ref}" in log
    assert f"{__name__}.FamilyLookupBug" in log
    for function in ("_raise_and_catch", "_open_record", "_find_family"):
        assert re.search(rf"test_errorlog\.py:\d+ in {function}", log), function
    assert NAME not in log and "Holt" not in log and ADDRESS not in log and "Mill" not in log
    assert str(tmp_path) not in log  # file names only, not the folders they sit in
    # A second error is appended under its own reference.
    ref2 = errorlog.write(tmp_path / "logs", exc_type, tb)  # type: ignore[arg-type]
    log = (tmp_path / "logs" / "errors.log").read_text("utf-8")
    assert ref2 != ref and log.count("reference ") == 2


def test_a_log_that_cannot_be_written_still_gives_a_reference(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    exc_type, _exc, tb = _raise_and_catch()
    assert REFERENCE.fullmatch(errorlog.write(blocked / "logs", exc_type, tb))  # type: ignore[arg-type]


@pytest.fixture
def running_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot) -> dict:  # type: ignore[no-untyped-def]
    """cli.main() as far as its event loop, with the message boxes recorded, not shown."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    import ccc_desktop.ui.shell.app as app_module

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    monkeypatch.setattr(cli, "log_dir", lambda: tmp_path / "logs")
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda _parent, title, text: shown.append((title, text))))

    class NoWindow:
        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def start(self) -> bool:
            return False  # as if set-up was abandoned: main() returns without exec()

    monkeypatch.setattr(app_module, "Controller", NoWindow)
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)
    assert cli.main(["--data-dir", str(tmp_path / "data")]) == 0
    assert sys.excepthook is not sys.__excepthook__
    return {"shown": shown, "log": tmp_path / "logs" / "errors.log"}


def test_a_bug_in_a_slot_shows_a_calm_message_with_the_reference(running_app: dict, qtbot) -> None:  # type: ignore[no-untyped-def]
    """An exception escaping a Qt slot reaches the hook: message with a reference, log written."""
    QTimer.singleShot(0, _open_record)
    qtbot.waitUntil(lambda: bool(running_app["shown"]), timeout=5000)
    title, text = running_app["shown"][0]
    assert title == "Something went wrong"
    assert "Nothing you had saved has been lost" in text
    ref = REFERENCE.search(text)
    assert ref is not None, text
    log = running_app["log"].read_text("utf-8")
    assert f"reference {ref.group(0)}" in log
    assert "FamilyLookupBug" in log and "_find_family" in log
    # Neither the message box nor the log repeats what the exception said.
    for needle in (NAME, ADDRESS):
        assert needle not in text and needle not in log


def test_the_hook_names_the_reference_it_logged(running_app: dict, qtbot) -> None:  # type: ignore[no-untyped-def]
    exc_type, exc, tb = _raise_and_catch()
    sys.excepthook(exc_type, exc, tb)  # type: ignore[arg-type]
    assert running_app["shown"] == []  # told after the event, never from inside it
    qtbot.waitUntil(lambda: bool(running_app["shown"]), timeout=5000)
    (_title, text), = running_app["shown"]
    ref = REFERENCE.search(text)
    assert ref is not None
    assert running_app["log"].read_text("utf-8").count(f"reference {ref.group(0)}") == 1


def test_a_bug_inside_a_models_data_is_logged_and_told_once_not_per_cell(running_app: dict, qtbot) -> None:  # type: ignore[no-untyped-def]
    """An exception inside a Qt override (data(), called by Qt while painting) reaches the hook:
    every one is logged with a reference, and one message is shown, after the paint."""
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtWidgets import QTableView

    class Broken(QAbstractTableModel):
        def rowCount(self, parent=None) -> int:  # type: ignore[no-untyped-def]  # noqa: N802
            return 3

        def columnCount(self, parent=None) -> int:  # type: ignore[no-untyped-def]  # noqa: N802
            return 2

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
            if role == Qt.ItemDataRole.DisplayRole:
                raise FamilyLookupBug(NAME)
            return None

    view = QTableView()
    qtbot.addWidget(view)
    model = Broken()
    view.setModel(model)
    view.show()
    qtbot.waitUntil(lambda: bool(running_app["shown"]), timeout=5000)
    qtbot.wait(50)
    (title, text), = running_app["shown"]
    ref = REFERENCE.search(text)
    assert title == "Something went wrong" and ref is not None
    log = running_app["log"].read_text("utf-8")
    assert f"reference {ref.group(0)}" in log and "in data" in log
    assert NAME not in log and NAME not in text
    view.setModel(None)

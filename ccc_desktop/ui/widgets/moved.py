"""The note a list shows when sealed documents were left out of it (issue 12): a letter or an
attachment moved to this record in the file, by someone holding only the database key, no
longer opens, so the services leave it out (``Shown.hidden``) and the screen says so plainly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def moved_text(hidden: int, what: str) -> str:
    if not hidden:
        return ""
    many = hidden != 1
    return (f"{hidden} {what}{'s' if many else ''} left out: {'they were' if many else 'it was'} "
            "moved here from another record, or altered, outside CCC Desktop, so "
            f"{'they' if many else 'it'} cannot be opened. Nothing else is affected; a backup "
            "made before the change holds the original.")


def moved_label() -> QLabel:
    """Hidden until ``show_moved`` has something to say."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b71c1c;")
    label.hide()
    return label


def show_moved(label: QLabel, hidden: int, what: str) -> None:
    label.setText(moved_text(hidden, what))
    label.setVisible(hidden > 0)

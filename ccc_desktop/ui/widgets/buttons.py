"""Buttons the house way: a push button wired to what it does, and a row that puts a panel's own
action at its right-hand side."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget


def button(text: str, clicked: Callable[[], Any]) -> QPushButton:
    """A push button (``&`` marks its Alt+ letter) that calls ``clicked``."""
    made = QPushButton(text)
    made.clicked.connect(clicked)
    return made


def right_row(*widgets: QWidget) -> QHBoxLayout:
    """A row with these at its right-hand end, in this order."""
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    return row

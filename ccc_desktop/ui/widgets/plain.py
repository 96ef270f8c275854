"""User text on screen is plain text, never markup.

Qt guesses whether a label's text is rich text (``Qt.mightBeRichText``): a name typed as
``<b>Tom</b>`` or ``<img src=…>`` would render as markup. Every label, message box and status
line that can show something a person typed goes through here, so it shows the text as typed.
Our own markup around user text (a bold heading with a name in it) escapes the user's part
with ``rich()``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain(label: QLabel, text: str | None = None) -> QLabel:
    """Make ``label`` show its text literally (and set ``text`` if given)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    if text is not None:
        label.setText(text)
    return label


def plain_label(text: str = "", wrap: bool = False, selectable: bool = False,
                parent: QWidget | None = None) -> QLabel:
    """A label that shows its text as typed, never as markup."""
    label = plain(QLabel(parent), text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def wrapped_label(text: str = "") -> QLabel:
    """A plain label that wraps and whose text can be selected (notes, guidance, user text)."""
    return plain_label(text, wrap=True, selectable=True)


def rich(template: str, **user_values: object) -> str:
    """Our markup with user values escaped into it: rich("<b>{name}</b>", name=...)."""
    return template.format(**{k: html.escape(str(v), quote=False) for k, v in user_values.items()})


def message_box(icon: QMessageBox.Icon, parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box

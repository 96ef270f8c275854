"""What a record's editors held when last loaded or saved, so that saving one part of the record
(which reloads it) never throws away what is being typed in another, and closing with unsaved
edits asks first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def _text(w: QWidget) -> str:
    if isinstance(w, QPlainTextEdit | QTextEdit):
        return w.toPlainText()
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QComboBox):
        return str(w.currentIndex())
    if isinstance(w, QAbstractButton):
        return str(w.isChecked())
    return ""


def _set(w: QWidget, value: str) -> None:
    if isinstance(w, QPlainTextEdit | QTextEdit):
        w.setPlainText(value)
    elif isinstance(w, QLineEdit):
        w.setText(value)


class Edits:
    def __init__(self) -> None:
        self._loaded: dict[QWidget, str] = {}
        self._names: dict[QWidget, str] = {}

    def track(self, name: str, *widgets: QWidget) -> None:
        """Watch editors whose current contents are what is saved."""
        for w in widgets:
            self._names[w] = name
            self._loaded[w] = _text(w)

    def put(self, w: QWidget, value: str) -> None:
        """Show the saved value, unless the editor holds unsaved typing: that stays."""
        if w in self._loaded and _text(w) != self._loaded[w]:
            return
        _set(w, value)
        self._loaded[w] = _text(w)

    def saved(self, *widgets: QWidget) -> None:
        """These editors' contents were just saved: the next load may replace them."""
        for w in widgets:
            self._loaded[w] = _text(w)

    def unsaved(self) -> list[str]:
        """The names of the parts with typing not yet saved, in order, once each."""
        out: list[str] = []
        for w, value in self._loaded.items():
            name = self._names.get(w, "")
            if _text(w) != value and name and name not in out:
                out.append(name)
        return out

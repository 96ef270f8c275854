"""Keyboard and screen-reader checks for a screen: the Tab order reaches every control, and
every control has a name a screen reader can say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextEdit,
    QWidget,
)

CONTROLS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractButton, QAbstractItemView,
            QAbstractSpinBox)
NAMED = (QLineEdit, QPlainTextEdit, QComboBox, QPushButton, QTableView, QAbstractSpinBox)


def _shown(w: QWidget) -> bool:
    return w.isVisible() and w.isEnabled()


def controls(root: QWidget) -> list[QWidget]:
    """Visible, enabled controls that take focus from the Tab key."""
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or not _shown(w):
            continue
        if isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox)):  # their inner line edit
            continue
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus != Qt.FocusPolicy.TabFocus:
            continue
        if w.focusProxy() is not None:
            continue
        out.append(w)
    return out


def tab_order(root: QWidget, limit: int = 400) -> list[QWidget]:
    """Press Tab from the first control until focus comes back round; what received focus."""
    start = controls(root)
    if not start:
        return []
    window = root.window()
    window.activateWindow()
    QApplication.processEvents()
    start[0].setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    seen: list[QWidget] = []
    stays = 0
    for _ in range(limit):
        w = QApplication.focusWidget()
        if w is None:
            break
        if seen and w is seen[-1]:
            stays += 1  # a date edit moves day -> month -> year first; a trap never lets go
            if stays > 4:
                break
        elif w in seen:
            break
        else:
            stays = 0
            seen.append(w)
        QTest.keyClick(w, Qt.Key.Key_Tab)
        QApplication.processEvents()
    return seen


def _form_label(w: QWidget) -> str:
    parent = w.parentWidget()
    while parent is not None:
        for form in parent.findChildren(QFormLayout):
            label = form.labelForField(w)
            if isinstance(label, QLabel) and label.text().strip():
                return label.text()
        if parent.layout() is not None and isinstance(parent.layout(), QFormLayout):
            label = parent.layout().labelForField(w)
            if isinstance(label, QLabel) and label.text().strip():
                return label.text()
        parent = parent.parentWidget() if parent.parentWidget() is not w.window() else None
    return ""


def _buddy_label(w: QWidget) -> str:
    for label in w.window().findChildren(QLabel):
        if label.buddy() is w and label.text().strip():
            return label.text()
    return ""


def name_of(w: QWidget) -> str:
    if w.accessibleName().strip():
        return w.accessibleName()
    if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
        return w.text()
    return _buddy_label(w) or _form_label(w)


def unnamed(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, NAMED) and _shown(w)
            and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox))
            and not name_of(w)]


def describe(w: QWidget) -> str:
    parts = [type(w).__name__, w.objectName() or ""]
    if isinstance(w, QAbstractButton):
        parts.append(repr(w.text()))
    if isinstance(w, QLineEdit):
        parts.append(repr(w.placeholderText()))
    p = w.parentWidget()
    chain = []
    while p is not None and len(chain) < 4:
        chain.append(type(p).__name__ + (f"#{p.objectName()}" if p.objectName() else ""))
        p = p.parentWidget()
    return " ".join(x for x in parts if x) + " in " + "/".join(chain)


def pages(root: QWidget):  # type: ignore[no-untyped-def]
    """Yield once for each page of every tab widget inside root (switching to it)."""
    tabs = [t for t in root.findChildren(QTabWidget)]
    yield "main"
    for t in tabs:
        for i in range(t.count()):
            if t.isTabVisible(i) and t.isTabEnabled(i):
                t.setCurrentIndex(i)
                QApplication.processEvents()
                yield f"{t.tabText(i)}"


# ---- mnemonics (Alt+letter): no two visible controls of one window share one ------------------
def mnemonic(text: str) -> str:
    """The Alt+ key of a text with '&' ('&&' is a literal ampersand), upper case; '' if none."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].upper()
            i += 1
        i += 1
    return ""


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Each Alt+ key used by what is visible in ``window`` now: buttons and check boxes, labels
    with buddies, group boxes, tab titles and the menu bar's titles; key -> what uses it."""
    from PySide6.QtWidgets import QGroupBox, QMenuBar, QTabBar

    used: dict[str, list[str]] = {}

    def add(text: str, what: str) -> None:
        key = mnemonic(text)
        if key:
            used.setdefault(key, []).append(f"{what} {text!r}")

    def visible(w: QWidget) -> bool:
        return w is window or w.isVisibleTo(window)

    for w in [window, *window.findChildren(QWidget)]:
        if w is not window and w.window() is not window:
            continue  # another window (a dialog parented to this one)
        if not visible(w):
            continue
        if isinstance(w, QAbstractButton):
            add(w.text(), type(w).__name__)
        elif isinstance(w, QLabel) and w.buddy() is not None:
            add(w.text(), "label")
        elif isinstance(w, QGroupBox):
            add(w.title(), "group box")
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i):
                    add(w.tabText(i), "tab")
        elif isinstance(w, QMenuBar):
            for action in w.actions():
                if action.isVisible():
                    add(action.text(), "menu")
    return used


def mnemonic_clashes(window: QWidget, where: str) -> list[str]:
    return [f"{where}: Alt+{key} is {' and '.join(uses)}"
            for key, uses in sorted(mnemonics(window).items()) if len(uses) > 1]


def menu_clashes(window: QWidget, where: str) -> list[str]:
    """Inside each menu of the menu bar, no two entries share a letter."""
    from PySide6.QtWidgets import QMenuBar

    out = []
    for bar in window.findChildren(QMenuBar):
        for top in bar.actions():
            menu = top.menu()
            if menu is None:
                continue
            used: dict[str, list[str]] = {}
            for action in menu.actions():
                key = mnemonic(action.text())
                if key and action.isVisible():
                    used.setdefault(key, []).append(repr(action.text()))
            out += [f"{where}: menu {top.text()!r}: Alt+{k} is {' and '.join(v)}"
                    for k, v in sorted(used.items()) if len(v) > 1]
    return out


def every_page(window: QWidget):  # type: ignore[no-untyped-def]
    """Yield a name for each state: each page of every tab widget in ``window`` brought forward
    in turn (the tab widgets found as the pages are shown, so inner ones are reached too)."""
    yield "as opened"
    done: set[int] = set()
    queue = [t for t in window.findChildren(QTabWidget) if t.window() is window]
    while queue:
        tabs = queue.pop(0)
        if id(tabs) in done:
            continue
        done.add(id(tabs))
        for i in range(tabs.count()):
            if not (tabs.isTabVisible(i) and tabs.isTabEnabled(i)):
                continue
            tabs.setCurrentIndex(i)
            QApplication.processEvents()
            yield tabs.tabText(i).replace("&&", "§").replace("&", "").replace("§", "&")
            queue += [t for t in tabs.widget(i).findChildren(QTabWidget) if id(t) not in done]

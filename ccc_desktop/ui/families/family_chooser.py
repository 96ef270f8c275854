"""Choosing a family by its reference or a name (for summonses, police visits, agreements and
subject access requests), instead of typing a number."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import line_edit

MATCHES = 30


def family_label(ctx: AppContext, family_id: int | None, none_text: str = "") -> str:
    """A family's reference for display ("F-0012"); never a name."""
    if family_id is None:
        return none_text
    found = run_action(None, None, "", lambda: ctx.services.families.reference(family_id))
    return found.value if found else f"a family no longer on file (number {family_id})"


def family_labels(ctx: AppContext, family_ids: Iterable[int | None]) -> dict[int, str]:
    """family_label for many families in one query, for a list to carry (never called while
    painting); a family no longer on file gets the same words as family_label gives it."""
    ids = {f for f in family_ids if f is not None}
    got = run_action(None, None, "", lambda: ctx.services.families.references(ids) if ids else {})
    found = got.value if got else {}
    return {f: found.get(f, f"a family no longer on file (number {f})") for f in ids}


class FamilyChooser(QWidget):
    """A search box (reference or any name) and a list of the families it finds.

    ``family_id()`` is the chosen family, or None for "no family"."""

    chosen = Signal(object)

    def __init__(self, ctx: AppContext, family_id: int | None = None, none_text: str = "No family",
                 name: str = "Family", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.none_text = none_text
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = line_edit("", "reference or name")
        self.search.setAccessibleName(f"{name}: search by reference or name")
        self.search.setToolTip("Type a family's reference (F-0012) or any part of a name")
        self.search.setMinimumWidth(150)
        self.choice = QComboBox()
        self.choice.setAccessibleName(f"{name}: choose from the families found")
        self.choice.setMinimumContentsLength(24)
        layout.addWidget(self.search, 2)
        layout.addWidget(self.choice, 3)
        self.setFocusProxy(self.search)
        self.can_search = ctx.actor.can(Permission.VIEW_FAMILIES)
        self.search.setEnabled(self.can_search)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.refresh)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self.refresh)
        self.choice.currentIndexChanged.connect(lambda _i: self.chosen.emit(self.family_id()))
        self._fill([], family_id)

    def _fill(self, rows: list[tuple[int, str]], keep: int | None) -> None:
        self.choice.blockSignals(True)
        self.choice.clear()
        self.choice.addItem(self.none_text, None)
        ids = {fid for fid, _ in rows}
        if keep is not None and keep not in ids:
            self.choice.addItem(family_label(self.ctx, keep), keep)
        for fid, text in rows:
            self.choice.addItem(text, fid)
        index = self.choice.findData(keep) if keep is not None else 0
        self.choice.setCurrentIndex(max(index, 0))
        self.choice.blockSignals(False)

    def refresh(self) -> None:
        """List the families matching the search text (the first match is chosen)."""
        self._timer.stop()
        text = self.search.text().strip()
        if not text or not self.can_search:
            self._fill([], self.family_id())
            return
        rows = [(r.id, f"{r.reference} — {r.adults}" if r.adults else r.reference)
                for r in self.ctx.services.families.search(text, MATCHES)]
        self._fill(rows, rows[0][0] if rows else self.family_id())
        self.chosen.emit(self.family_id())

    def family_id(self) -> int | None:
        value = self.choice.currentData()
        return int(value) if value is not None else None

    def set_family(self, family_id: int | None) -> None:
        self._fill([], family_id)
        self.chosen.emit(self.family_id())

"""What the Families screens share: the date hint, the safety style, tables and combo boxes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QTableView,
)

from ccc_desktop.models.families_records import (
    Family,
)
from ccc_desktop.ui.widgets.table_model import RecordTableModel, table_view

DATE_HINT = "dd/mm/yyyy"
SAFETY_STYLE = ("QLabel { background: #fdecea; border: 2px solid #b00020; border-radius: 4px; "
                "padding: 6px; color: #5a0010; }")


def table(model: RecordTableModel, name: str, stretch: int = -1) -> QTableView:
    return table_view(model, name, stretch)


def combo(items: list[tuple[str, object]], current: object = None) -> QComboBox:
    box = QComboBox()
    for label, value in items:
        box.addItem(label, value)
    if current is not None:
        i = box.findData(current)
        if i >= 0:
            box.setCurrentIndex(i)
    return box


def safety_text(family: Family) -> str:
    parts = []
    for name, role, before, after in family.safety.staggers:
        bits = []
        if before:
            bits.append(f"arrives {before} min before")
        if after:
            bits.append(f"leaves {after} min after")
        parts.append(f"{name} ({role}): {' and '.join(bits)}")
    if family.safety.must_not_attend:
        parts.append("Must not attend: " + family.safety.must_not_attend)
    if family.safety.safety_notes:
        parts.append(family.safety.safety_notes)
    return "\n".join(parts)



"""A small read-only table model over a list of dataclasses: rows plus column getters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> T:
        return self.rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        value = self.columns[index.column()][1](self.rows[index.row()])
        return "" if value is None else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None


def table_view(model: QAbstractItemModel, name: str = "", stretch: int = -1,
               multi: bool = False) -> QTableView:
    """The house table: whole rows selected, read-only, Tab moves on (arrows move within),
    columns sized to their contents with one stretching (the last unless ``stretch`` says)."""
    view = QTableView()
    _house_style(view, model, name, stretch, multi)
    return view


def _house_style(view: QTableView, model: QAbstractItemModel, name: str, stretch: int,
                 multi: bool) -> None:
    view.setTabKeyNavigation(False)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch >= 0:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    if name:
        view.setAccessibleName(name)


def selected_record(view: QTableView) -> Any:
    """The record on the view's first selected row (through a sort/filter proxy), or None."""
    rows = view.selectionModel().selectedRows()
    if not rows:
        return None
    model, index = view.model(), rows[0]
    while isinstance(model, QSortFilterProxyModel):
        index = model.mapToSource(index)
        model = model.sourceModel()
    assert isinstance(model, RecordTableModel)
    return model.row(index.row())


class RecordTable(QTableView, Generic[T]):
    """The house record table: the model over a list of records, ``selected()``, and
    ``set_rows`` that selects the same record again (by ``key``) after a refresh."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]], name: str = "",
                 stretch: int = -1, multi: bool = False,
                 key: Callable[[T], Any] | None = None) -> None:
        super().__init__()
        self.records: RecordTableModel[T] = RecordTableModel(columns)
        self.key = key or (lambda record: getattr(record, "id", record))
        _house_style(self, self.records, name, stretch, multi)

    def selected(self) -> T | None:
        rows = self.selectionModel().selectedRows()
        return self.records.row(rows[0].row()) if rows else None

    def selected_all(self) -> list[T]:
        return [self.records.row(r) for r in sorted({i.row() for i in self.selectionModel().selectedRows()})]

    def set_rows(self, rows: Sequence[T]) -> None:
        keep = self.selected()
        self.records.set_rows(rows)
        if keep is not None:
            self.select_key(self.key(keep))

    def select_key(self, value: Any) -> bool:
        for n, record in enumerate(self.records.rows):
            if self.key(record) == value:
                self.selectRow(n)
                return True
        return False

"""A small read-only table model over a list of dataclasses: rows plus column getters.

The getters run once, when the rows are set, and data() only reads the text they gave: painting
never calls a getter, so it never reaches a service or the database (which may be closed by
then: a lock or a restore). Rows carry what they show, fetched when the list is loaded; a getter
must not call a service (tests/ui/test_teardown.py checks every model's getters).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

T = TypeVar("T")
_SHOWN_ROLES = frozenset({Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.ToolTipRole.value})
Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel, Generic[T]):
    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[T] = []
        self.cells: list[list[str]] = []

    def texts(self, rows: Sequence[T]) -> list[list[str]]:
        """Every cell's text for these rows. Pure work on the records (no Qt): a screen that
        reads a long list in a worker thread works the text out there too."""
        return [[self._text(getter(r)) for _title, getter in self.columns] for r in rows]

    def set_rows(self, rows: Sequence[T], cells: list[list[str]] | None = None) -> None:
        """Show these rows; ``cells`` is their text if worked out already (``texts``)."""
        rows = list(rows)
        if cells is None or len(cells) != len(rows):
            cells = self.texts(rows)
        self.beginResetModel()
        self.rows = rows
        self.cells = cells
        self.endResetModel()

    def clear(self) -> None:
        """Forget every row (a lock or a restore: nothing stays on screen from the old session)."""
        self.set_rows([])

    @staticmethod
    def _text(value: Any) -> str:
        return "" if value is None else str(value)

    def row(self, index: int) -> T:
        return self.rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every cell Qt measures or paints (tens of thousands of
        # calls to size a long list's columns): the role is checked first, against plain ints.
        if role not in _SHOWN_ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if row >= len(self.cells) or column >= len(self.columns):
            return None
        return self.cells[row][column]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None


def empty_model(model: QAbstractItemModel | None) -> None:
    """Empty a view's model (through any proxy): a house model forgets its rows; another kind
    is left as it is (its view is dropped with its screen)."""
    while isinstance(model, QAbstractProxyModel):
        model = model.sourceModel()
    if isinstance(model, RecordTableModel):
        model.clear()


RESIZE_PRECISION_ROWS = 60


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
    # Columns are sized from the rows on screen and a few more, not from every row: a list of
    # thousands (the retention report, the families list) would otherwise ask each cell for its
    # text on the UI thread whenever the table is shown or changes (seconds at 20,000 families).
    header.setResizeContentsPrecision(RESIZE_PRECISION_ROWS)
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
    ``set_rows`` that selects the same record again (by ``key``) after a refresh.

    ``filter_column`` puts a case-blind text filter on that column (``set_filter``, e.g. from a
    search box); ``records`` is always the model of every row, ``proxy`` the filter (or None).
    """

    def __init__(self, columns: Sequence[tuple[str, Callable[[T], Any]]], name: str = "",
                 stretch: int = -1, multi: bool = False,
                 key: Callable[[T], Any] | None = None, filter_column: int | None = None) -> None:
        super().__init__()
        self.records: RecordTableModel[T] = RecordTableModel(columns)
        self.key = key or (lambda record: getattr(record, "id", record))
        self.proxy: QSortFilterProxyModel | None = None
        shown: QAbstractItemModel = self.records
        if filter_column is not None:
            self.proxy = QSortFilterProxyModel(self)
            self.proxy.setSourceModel(self.records)
            self.proxy.setFilterKeyColumn(filter_column)
            self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            shown = self.proxy
        _house_style(self, shown, name, stretch, multi)

    def _source_row(self, view_row: int) -> int:
        if self.proxy is None:
            return view_row
        return self.proxy.mapToSource(self.proxy.index(view_row, 0)).row()

    def selected(self) -> T | None:
        rows = self.selectionModel().selectedRows()
        return self.records.row(self._source_row(rows[0].row())) if rows else None

    def selected_all(self) -> list[T]:
        rows = sorted({self._source_row(i.row()) for i in self.selectionModel().selectedRows()})
        return [self.records.row(r) for r in rows]

    def set_rows(self, rows: Sequence[T]) -> None:
        keep = self.selected()
        self.records.set_rows(rows)
        if keep is not None:
            self.select_key(self.key(keep))

    def set_filter(self, text: str) -> None:
        assert self.proxy is not None, "made without a filter_column"
        self.proxy.setFilterFixedString(text)

    def select_key(self, value: Any) -> bool:
        for n, record in enumerate(self.records.rows):
            if self.key(record) == value:
                row = n
                if self.proxy is not None:
                    row = self.proxy.mapFromSource(self.records.index(n, 0)).row()
                    if row < 0:  # filtered out
                        return False
                self.selectRow(row)
                return True
        return False

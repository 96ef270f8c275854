"""The Calendar tab: a week or a month of sessions and the dates that need attention.

One item model (a grid of days, seven columns) and one painting delegate: a month is 42 cells,
not hundreds of widgets. What each day holds comes from ``CalendarService``, which decides what
the role may see. Arrow keys move between days, Page Up/Page Down between weeks or months,
Enter (or a double-click) opens the day's register.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.calendar_records import CalendarItem, CalendarKind
from ccc_desktop.models.dates import day_name, format_date, format_date_long, format_month
from ccc_desktop.models.services.calendar import month_grid, week_start
from ccc_desktop.ui.widgets.context import AppContext

ITEMS_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_ROLE = Qt.ItemDataRole.UserRole + 2
IN_MONTH_ROLE = Qt.ItemDataRole.UserRole + 3
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
COLOURS = {
    CalendarKind.SESSION: "#1f3b5a",
    CalendarKind.DBS_RENEWAL: "#a15c00",
    CalendarKind.REVIEW: "#2e7d32",
    CalendarKind.HEARING: "#b00020",
    CalendarKind.SUBJECT_ACCESS: "#6a1b9a",
}
LABELS = {
    CalendarKind.SESSION: "Session",
    CalendarKind.DBS_RENEWAL: "DBS renewal",
    CalendarKind.REVIEW: "Review",
    CalendarKind.HEARING: "Hearing",
    CalendarKind.SUBJECT_ACCESS: "Subject access",
}


def describe(on: date, items: list[CalendarItem]) -> str:
    """The day in words: the cell's accessible text and the line under the grid."""
    head = f"{day_name(on)} {format_date(on)}"
    if not items:
        return f"{head}: nothing on."
    return f"{head}: " + "; ".join(f"{LABELS[i.kind]} {i.text}" if i.kind is CalendarKind.SESSION
                                   else i.text for i in items) + "."


class CalendarModel(QAbstractTableModel):
    """Rows are weeks, columns Monday to Sunday; each cell is a day and its items."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)  # owned by the tab: never freed by Python's collector elsewhere
        self.first = date(2000, 1, 3)  # a Monday; set_days gives the real one
        self.weeks = 1
        self.month = 0  # the month shown (1-12) in month view; 0 in week view
        self.days: dict[date, list[CalendarItem]] = {}

    def set_days(self, first: date, weeks: int, month: int,
                 days: dict[date, list[CalendarItem]]) -> None:
        self.beginResetModel()
        self.first, self.weeks, self.month, self.days = first, weeks, month, days
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.weeks

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def day_of(self, index: QModelIndex | QPersistentModelIndex) -> date:
        return self.first + timedelta(days=index.row() * 7 + index.column())

    def index_of(self, on: date) -> QModelIndex:
        n = (on - self.first).days
        if not 0 <= n < self.weeks * 7:
            return QModelIndex()
        return self.index(n // 7, n % 7)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        on = self.day_of(index)
        items = self.days.get(on, [])
        if role == Qt.ItemDataRole.DisplayRole:
            return str(on.day)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return describe(on, items)
        if role == ITEMS_ROLE:
            return items
        if role == DATE_ROLE:
            return on
        if role == IN_MONTH_ROLE:
            return self.month == 0 or on.month == self.month
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if self.month:
                return WEEKDAYS[section][:3]
            return f"{WEEKDAYS[section][:3]} {format_date(self.first + timedelta(days=section))}"
        return None


class DayDelegate(QStyledItemDelegate):
    """Paints a day: its number, then one coloured line per item, then "+ n more"."""

    def __init__(self, view: QTableView, model: CalendarModel, today: date) -> None:
        super().__init__(view)
        self.calendar = model
        self.today = today

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        rect: QRect = option.rect
        palette: QPalette = option.palette
        state = option.state
        on: date = index.data(DATE_ROLE)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        in_month = bool(index.data(IN_MONTH_ROLE))
        background = palette.highlight().color().lighter(185) if selected else (
            palette.base().color() if in_month else palette.alternateBase().color().darker(104))
        painter.fillRect(rect, background)
        if state & QStyle.StateFlag.State_HasFocus:
            pen = painter.pen()
            pen.setColor(palette.highlight().color())
            pen.setWidth(3)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        metrics = option.fontMetrics
        line = metrics.height()
        pad = max(3, line // 5)
        x, y, width = rect.x() + pad + 2, rect.y() + pad, rect.width() - 2 * pad - 4
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        number = str(on.day) if self.calendar.month else ""
        if on == self.today:
            number = (number + " Today").strip()
        painter.setPen(QColor("#1f3b5a") if in_month else palette.placeholderText().color())
        if number:
            painter.drawText(QRect(x, y, width, line), Qt.AlignmentFlag.AlignLeft, number)
            y += line + 2
        painter.setFont(option.font)
        items: list[CalendarItem] = index.data(ITEMS_ROLE) or []
        compact = bool(self.calendar.month)
        wrap = Qt.TextFlag.TextWordWrap if not compact else Qt.TextFlag(0)
        bottom = rect.bottom() - pad
        for n, item in enumerate(items):
            label = self.label(item, compact)
            text_width = width - 8
            if compact:
                label = metrics.elidedText(label, Qt.TextElideMode.ElideRight, text_width)
                height = line
            else:
                height = metrics.boundingRect(QRect(0, 0, text_width, 10_000), wrap, label).height()
            more = len(items) - n
            if y + height > bottom - (line + 2 if more > 1 else 0):
                painter.setPen(palette.text().color())
                painter.drawText(QRect(x + 8, y, text_width, line), Qt.AlignmentFlag.AlignLeft,
                                 f"+ {more} more")
                break
            colour = QColor(COLOURS[item.kind])
            painter.fillRect(QRect(x, y + 2, 4, height - 3), QBrush(colour))
            painter.setPen(colour if in_month else palette.placeholderText().color())
            painter.drawText(QRect(x + 8, y, text_width, height),
                             int(Qt.AlignmentFlag.AlignLeft) | int(wrap), label)
            y += height + 3
        painter.setPen(palette.mid().color())
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.restore()

    @staticmethod
    def label(item: CalendarItem, compact: bool) -> str:
        """A month cell is narrow: a session reads "10:00 · 6/8 booked · 2 waiting"."""
        if item.kind is not CalendarKind.SESSION:
            return item.text
        if not compact:
            return f"Session {item.text}" + (" · full" if item.full else "")
        text = f"{item.time} · {item.booked}/{item.capacity} booked"
        if item.waiting:
            text += f" · {item.waiting} waiting"
        return text + (" · full" if item.full else "")

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        line = option.fontMetrics.height()
        return QSize(120, line * 4)


class CalendarView(QTableView):
    """Arrow keys move by day (and on into the next week or month); Enter opens the day.

    The view only says what was asked (signals); the tab decides. It keeps no reference to
    the tab, so no reference cycle holds the widgets for Python's collector."""

    step = Signal(int)  # days
    turn = Signal(int)  # pages: -1 earlier, 1 later
    home = Signal()
    open = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setHighlightSections(False)
        self.setAccessibleName("Calendar")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if key in steps and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.step.emit(steps[Qt.Key(key)])
        elif key == Qt.Key.Key_PageUp:
            self.turn.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.turn.emit(1)
        elif key == Qt.Key.Key_Home:
            self.home.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open.emit()
        else:
            super().keyPressEvent(event)


class CalendarTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.month_view = True
        self.anchor = self.today()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.back = QPushButton("◀ Earlier")
        self.forward = QPushButton("Later ▶")
        self.today_button = QPushButton("Today")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.week_choice = QRadioButton("Wee&k")
        self.month_choice = QRadioButton("M&onth")
        self.month_choice.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.week_choice)
        group.addButton(self.month_choice)
        for w in (self.back, self.today_button, self.forward):
            top.addWidget(w)
        top.addSpacing(12)
        top.addWidget(self.title, 1)
        top.addWidget(self.week_choice)
        top.addWidget(self.month_choice)
        layout.addLayout(top)
        self.model = CalendarModel(self)
        self.view = CalendarView()
        self.view.setModel(self.model)
        self.delegate = DayDelegate(self.view, self.model, self.today())
        self.view.setItemDelegate(self.delegate)
        layout.addWidget(self.view, 1)
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # item text holds typed names
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("The chosen day")
        layout.addWidget(self.detail)
        hint = QLabel("Arrow keys move between days, Page Up and Page Down between weeks or "
                      "months, Home goes to today; Enter or a double-click opens the day's "
                      "register.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(hint)

        self.back.clicked.connect(self._earlier)
        self.forward.clicked.connect(self._later)
        self.today_button.clicked.connect(self._home)
        self.week_choice.toggled.connect(self._view_changed)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.step.connect(self._step)
        self.view.turn.connect(self.page)
        self.view.home.connect(self._home)
        self.view.open.connect(self._open_selected)
        self.view.selectionModel().currentChanged.connect(self._clicked)
        ctx.bus.changed.connect(self._on_changed)
        self.refresh()

    # ---- what is shown -------------------------------------------------------------------
    def today(self) -> date:
        return self.ctx.services.session.clock.today()

    def _on_changed(self, topics: frozenset[str]) -> None:
        if topics & {"sessions", "bookings", "register", "volunteers", "dbs", "families",
                     "legal", "summonses", "subject_access", "waiting"}:
            self.refresh()

    def _view_changed(self, week: bool) -> None:
        self.month_view = not week
        self.refresh()

    def range(self) -> tuple[date, int, int]:
        """(first Monday, weeks, month or 0) for the anchor day."""
        if self.month_view:
            first, _last = month_grid(self.anchor.year, self.anchor.month)
            return first, 6, self.anchor.month
        return week_start(self.anchor), 1, 0

    def refresh(self) -> None:
        if not self.ctx.services.session.is_open:
            return
        first, weeks, month = self.range()
        days = self.ctx.services.calendar.between(first, first + timedelta(days=weeks * 7 - 1))
        self.model.set_days(first, weeks, month, days)
        self.delegate.today = self.today()
        if self.month_view:
            self.title.setText(format_month(self.anchor))
        else:
            self.title.setText(f"Week of {format_date_long(first)}")
        self.back.setAccessibleName("Previous month" if self.month_view else "Previous week")
        self.forward.setAccessibleName("Next month" if self.month_view else "Next week")
        index = self.model.index_of(self.anchor)
        self.view.setCurrentIndex(index)
        self._show_detail()

    def _earlier(self) -> None:
        self.page(-1)

    def _later(self) -> None:
        self.page(1)

    def _home(self) -> None:
        self.select(self.today())

    def _step(self, days: int) -> None:
        self.select(self.anchor + timedelta(days=days))

    def _open_selected(self) -> None:
        self.open_day(self.anchor)

    def _double_clicked(self, index: QModelIndex) -> None:
        self.open_day(self.model.day_of(index))

    def _clicked(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if index.isValid() and self.model.day_of(index) != self.anchor:
            self.anchor = self.model.day_of(index)
            self._show_detail()

    def _show_detail(self) -> None:
        on = self.anchor
        self.detail.setText(describe(on, self.model.days.get(on, [])))

    # ---- moving about --------------------------------------------------------------------
    def selected_date(self) -> date:
        return self.anchor

    def select(self, on: date) -> None:
        """Choose a day; moving off the page shown turns the page."""
        first, weeks, _month = self.range()
        self.anchor = on
        shown = first <= on < first + timedelta(days=weeks * 7)
        if not shown or (self.month_view and on.month != self.model.month):
            self.refresh()
            return
        self.view.setCurrentIndex(self.model.index_of(on))
        self._show_detail()

    def page(self, direction: int) -> None:
        if self.month_view:
            y, m = divmod(self.anchor.year * 12 + self.anchor.month - 1 + direction, 12)
            day = min(self.anchor.day, 28)
            self.anchor = date(y, m + 1, day)
        else:
            self.anchor += timedelta(days=7 * direction)
        self.refresh()

    def open_day(self, on: date) -> None:
        """Go to the register on that day (the main window owns the tabs)."""
        window = self.window()
        show_tab = getattr(window, "show_tab", None)
        register = show_tab("register") if callable(show_tab) else None
        if register is not None and hasattr(register, "go_to"):
            register.go_to(on)

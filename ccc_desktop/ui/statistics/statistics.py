"""Reports › Statistics: the figures for any period, the charts, the NACCC return and the annual
report. The records behind a figure open for the Coordinator and the Chair only (the service
checks; the button is hidden for anyone else)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop.models.dates import add_months, format_entry, parse_date
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.statistics import period_label, quarter_label, quarter_of
from ccc_desktop.models.statistics_records import Breakdown, Figure, RecordLine, Statistics, charts
from ccc_desktop.ui.statistics.charts import ChartWidget
from ccc_desktop.ui.widgets.actions import run_action
from ccc_desktop.ui.widgets.context import AppContext
from ccc_desktop.ui.widgets.forms import FieldErrors, FormDialog, banner_label, line_edit
from ccc_desktop.ui.widgets.table_model import RecordTable, RecordTableModel, table_view

QUARTERS_BACK = 8


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class StatisticsPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.stats: Statistics | None = None
        layout = QVBoxLayout(self)
        self.errors = FieldErrors(banner_label())
        row = QHBoxLayout()
        self.period = QComboBox()
        self.period.setAccessibleName("Period")
        row.addWidget(QLabel("&Period:"))
        row.itemAt(0).widget().setBuddy(self.period)  # type: ignore[union-attr]
        row.addWidget(self.period)
        self.first = line_edit("", "dd/mm/yyyy")
        self.last = line_edit("", "dd/mm/yyyy")
        self.first.setAccessibleName("From")
        self.last.setAccessibleName("To")
        self.first.setMaximumWidth(110)
        self.last.setMaximumWidth(110)
        row.addWidget(QLabel("From:"))
        row.addWidget(self.first)
        row.addWidget(QLabel("to:"))
        row.addWidget(self.last)
        self.show_button = QPushButton("&Show")
        row.addWidget(self.show_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.errors.banner)  # type: ignore[arg-type]
        self.errors.fields.update(first=self.first, last=self.last)
        self.summary = _label("")
        self.summary.setObjectName("statisticsSummary")
        layout.addWidget(self.summary)
        body = QHBoxLayout()
        self.model: RecordTableModel[Figure] = RecordTableModel([
            ("Figure", lambda f: ("      – " if f.indent else "") + f.label),
            ("Number", lambda f: f.text),
            ("How it is counted", lambda f: f.how),
        ])
        self.view = table_view(self.model, "Statistics", stretch=2)
        self.view.doubleClicked.connect(lambda *_: self.show_records())
        body.addWidget(self.view, 3)
        chart_col = QVBoxLayout()
        self.chart_widgets = [ChartWidget() for _ in range(3)]
        for w in self.chart_widgets:
            chart_col.addWidget(w)
        body.addLayout(chart_col, 2)
        layout.addLayout(body, 1)
        buttons = QHBoxLayout()
        self.records_button = QPushButton("Records &behind this figure…")
        self.naccc_button = QPushButton("&NACCC return (PDF)…")
        self.annual_button = QPushButton("&Annual report (PDF)…")
        self.csv_button = QPushButton("Save as &CSV…")
        buttons.addWidget(self.records_button)
        buttons.addStretch(1)
        for b in (self.naccc_button, self.annual_button, self.csv_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        note = _label("Counts only: the return, the report and the CSV hold no names, references "
                      "or dates of birth. Figures for past periods include records since "
                      "destroyed under the retention rules.")
        note.setStyleSheet("color: #555555;")
        layout.addWidget(note)
        self.records_button.setVisible(ctx.actor.can(Permission.VIEW_FAMILIES))
        self.records_button.clicked.connect(self.show_records)
        self.naccc_button.clicked.connect(lambda: self.pdf("naccc"))
        self.annual_button.clicked.connect(lambda: self.pdf("annual"))
        self.csv_button.clicked.connect(self.save_csv)
        self.show_button.clicked.connect(self.show_typed)
        self.period.activated.connect(self._period_chosen)
        self._fill_periods()
        ctx.bus.changed.connect(self._on_changed)
        self.show_period(*self.ctx.services.statistics.default_period())

    # ---- periods ------------------------------------------------------------------------------
    def _fill_periods(self) -> None:
        today = self.ctx.services.session.clock.today()
        self.period.clear()
        current = quarter_of(today)
        self.period.addItem(f"This quarter so far: {quarter_label(current[0])}", (current[0], today))
        first = current[0]
        for _ in range(QUARTERS_BACK):
            first = add_months(first, -3)
            self.period.addItem(quarter_label(first), quarter_of(first))
        year_start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
        self.period.addItem("Last financial year (April to March)",
                            (add_months(year_start, -12), year_start - timedelta(days=1)))
        self.period.addItem("Last 12 months", (add_months(today, -12) + timedelta(days=1), today))
        self.period.addItem("Other dates (type them)", None)

    def _period_chosen(self, index: int) -> None:
        value = self.period.itemData(index)
        if value is None:
            self.first.setFocus()
            return
        self.show_period(*value)

    def show_typed(self) -> None:
        run_action(None, self, "", lambda: self.show_period(parse_date(self.first.text(), "first", "From"),
                                                             parse_date(self.last.text(), "last", "To")),
                   errors=self.errors)

    def show_period(self, first: date, last: date) -> None:
        got = run_action(None, self, "", lambda: self.ctx.services.statistics.figures(first, last),
                         errors=self.errors)
        if not got:
            return
        self.stats = stats = got.value
        self.first.setText(format_entry(first))
        self.last.setText(format_entry(last))
        for i in range(self.period.count()):
            if self.period.itemData(i) == (first, last):
                self.period.setCurrentIndex(i)
                break
        else:
            self.period.setCurrentIndex(self.period.count() - 1)
        self.model.set_rows(stats.figures)
        self.view.resizeColumnToContents(0)
        self.view.resizeRowsToContents()  # a long "how it is counted" wraps, whole
        for widget, chart in zip(self.chart_widgets, charts(stats), strict=True):
            widget.set_chart(chart)

        def v(key: str) -> str:
            try:
                return stats.figure(key).text
            except KeyError:
                return "0"

        self.summary.setText(
            f"{period_label(first, last)}: {v('referrals.received')} referrals received, "
            f"{v('families.seen')} families and {v('children.seen')} children seen, "
            f"{v('sessions.attended')} visits attended, {v('waiting.at_end')} waiting at the end. "
            "Select a figure to see how it is counted"
            + (" and open the records behind it." if self.records_button.isVisible() else "."))

    def refresh(self) -> None:
        if self.stats is not None and self.ctx.services.session.is_open:
            self.show_period(self.stats.first, self.stats.last)

    def _on_changed(self, topics: frozenset[str]) -> None:
        if "statistics" in topics and self.isVisible():
            self.refresh()

    # ---- records behind a figure ----------------------------------------------------------------
    def selected_figure(self) -> Figure | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def show_records(self) -> None:
        figure = self.selected_figure()
        if figure is None or self.stats is None:
            self.ctx.dialogs.info(self, "Choose a figure", "Select a figure in the table first.")
            return
        stats = self.stats
        behind = run_action(self.ctx.dialogs, self, "Not shown", lambda: self.ctx.services.statistics
                            .records_behind(stats.first, stats.last, figure.key))
        if behind:
            RecordsBehindDialog(behind.value, period_label(stats.first, stats.last), self).exec()

    # ---- documents ------------------------------------------------------------------------------
    def pdf(self, which: str) -> None:
        from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog

        if self.stats is None:
            return
        s = self.ctx.services.statistics
        stats = self.stats
        made = run_action(self.ctx.dialogs, self, "No document",
                          lambda: s.naccc_pdf(stats) if which == "naccc" else s.annual_pdf(stats))
        if not made:
            return
        data = made.value
        title = "NACCC statistics return" if which == "naccc" else "Annual report"
        name = (f"{'naccc-return' if which == 'naccc' else 'annual-report'}-"
                f"{stats.first.isoformat()}-to-{stats.last.isoformat()}.pdf")

        PdfPreviewDialog(self.ctx, pdf=data, title=title, suggested_name=name,
                         on_output=lambda how: s.record_export(how, which, stats),
                         parent=self).exec()

    def save_csv(self) -> None:
        if self.stats is None:
            return
        path = self.ctx.dialogs.save_file(
            self, "Save the statistics as CSV",
            f"statistics-{self.stats.first.isoformat()}-to-{self.stats.last.isoformat()}.csv",
            "CSV files (*.csv)")
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        stats = self.stats
        if not run_action(self.ctx.dialogs, self, "Not saved",
                          lambda: self.ctx.services.statistics.save(Path(path), "csv", stats)):
            return
        self.ctx.dialogs.info(self, "Saved", f"Saved as {Path(path).name}. It holds counts only.")


class RecordsBehindDialog(FormDialog):
    """The records a figure counts (Coordinator and Chair only; listing them is audited)."""

    def __init__(self, breakdown: Breakdown, period: str, parent: QWidget | None = None) -> None:
        f = breakdown.figure
        super().__init__(f"{f.label}: the records behind it", parent,
                         ok=QDialogButtonBox.StandardButton.Close, cancel=False)
        head = self.add_text(f"{f.label} — {period}: {f.text}")
        head.setStyleSheet("font-weight: bold;")
        self.add_text(f"How it is counted: {f.how}")
        if breakdown.summary:
            self.add_text(breakdown.summary)
        if breakdown.gone:
            self.add_text(
                f"{breakdown.gone} of the count came from records since destroyed under the "
                "retention rules: the statistics keep their counts, not the records.")
        self.table: RecordTable[RecordLine] = RecordTable([
            ("Record", lambda r: r.reference), ("Counted", lambda r: r.count_text),
            ("Details", lambda r: r.description)], "Records behind the figure")
        self.model = self.table.records
        self.table.set_rows(breakdown.lines)
        self.outer.addWidget(self.table, 1)
        if not breakdown.lines:
            self.add_text("No record still held is behind this figure.")
        self.finish(0)
        self.resize(720, 480)

"""The statistics charts on screen, painted with Qt from the same data as the PDF's."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ccc_desktop.models.statistics_records import SERIES_COLOURS, Chart


class ChartWidget(QWidget):
    """A grouped bar chart: one group per category, one bar per series, a legend if several."""

    def __init__(self, chart: Chart | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        # Three stand one above another in Reports > Statistics: small enough together that the
        # window still fits a 768-pixel-high screen.
        self.setMinimumSize(300, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_chart(self, chart: Chart) -> None:
        self.chart = chart
        values = ", ".join(f"{name}: " + ", ".join(f"{c} {v}" for c, v in zip(chart.categories, vals, strict=True))
                           for name, vals in chart.series)
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(values)
        self.setToolTip(chart.title)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 240)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        chart = self.chart
        if chart is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("#1f1f1f"))
        p.drawText(QRectF(6, 4, self.width() - 12, 20), Qt.AlignmentFlag.AlignLeft, chart.title)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        p.setFont(small)
        legend_w = 110 if len(chart.series) > 1 else 0
        left, top, bottom = 36.0, 30.0, 34.0
        w = self.width() - left - 10 - legend_w
        h = self.height() - top - bottom
        if w <= 20 or h <= 20:
            p.end()
            return
        top_value = 100 if chart.percent else max([v for _n, vals in chart.series for v in vals] + [1])
        if not chart.percent:
            top_value = max(4, top_value + (-top_value) % 4)
        # Axis and four gridlines.
        grid = QPen(QColor("#d5dbe1"))
        for i in range(5):
            y = top + h - h * i / 4
            p.setPen(grid)
            p.drawLine(int(left), int(y), int(left + w), int(y))
            p.setPen(QColor("#555555"))
            label = f"{top_value * i // 4}{'%' if chart.percent else ''}"
            p.drawText(QRectF(0, y - 8, left - 4, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        n = max(1, len(chart.categories))
        group = w / n
        bars = len(chart.series)
        bar_w = max(2.0, (group * 0.8) / bars)
        every = max(1, int(n / max(1, w / 48)))
        for ci, category in enumerate(chart.categories):
            x0 = left + ci * group + group * 0.1
            for si, (_name, vals) in enumerate(chart.series):
                v = vals[ci]
                bh = h * min(v, top_value) / top_value if top_value else 0
                p.fillRect(QRectF(x0 + si * bar_w, top + h - bh, bar_w - 1, bh),
                           QColor(SERIES_COLOURS[si % len(SERIES_COLOURS)]))
            if ci % every == 0:
                p.setPen(QColor("#333333"))
                p.drawText(QRectF(left + ci * group - 10, top + h + 3, group + 20, 28),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                           category)
        if legend_w:
            ly = top
            for si, (name, _vals) in enumerate(chart.series):
                p.fillRect(QRectF(self.width() - legend_w, ly + 3, 10, 10),
                           QColor(SERIES_COLOURS[si % len(SERIES_COLOURS)]))
                p.setPen(QColor("#333333"))
                p.drawText(QRectF(self.width() - legend_w + 14, ly, legend_w - 14, 16),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
                ly += 18
        p.end()

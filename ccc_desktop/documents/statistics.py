"""The NACCC statistics return and the annual report (issue 14): A4 on the letterhead, counts
only (no name, reference or date of birth), with charts drawn by reportlab's own graphics."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ccc_desktop.documents.base import (
    FONT,
    FONT_BOLD,
    keep,
    letterhead,
    markup,
    para,
    render,
    table,
)
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.statistics_records import SERIES_COLOURS, Chart, Statistics, charts

WIDTH = 170 * mm
COUNTS_ONLY = ("This document holds counts only: no names, references, addresses or dates of "
               "birth. Figures for past periods include records since destroyed under the "
               "centre's retention rules (they are kept as anonymised counts).")


def chart_drawing(chart: Chart, width: float = WIDTH, height: float = 62 * mm) -> Drawing:
    d = Drawing(width, height)
    d.add(String(0, height - 10, chart.title, fontName=FONT_BOLD, fontSize=9.5))
    bc = VerticalBarChart()
    bc.x, bc.y = 28, 30
    bc.width = width - 40 - (90 if len(chart.series) > 1 else 0)
    bc.height = height - 60
    bc.data = [list(values) for _name, values in chart.series]
    bc.categoryAxis.categoryNames = list(chart.categories)
    bc.categoryAxis.labels.fontName = FONT
    bc.categoryAxis.labels.fontSize = 7 if len(chart.categories) > 8 else 8
    if len(chart.categories) > 12:
        bc.categoryAxis.labels.angle = 45
        bc.categoryAxis.labels.boxAnchor = "ne"
    bc.valueAxis.labels.fontName = FONT
    bc.valueAxis.labels.fontSize = 7.5
    top = max([v for _n, values in chart.series for v in values] + [1])
    if chart.percent:
        bc.valueAxis.valueMin, bc.valueAxis.valueMax = 0, 100
        bc.valueAxis.valueStep = 25
        bc.valueAxis.labelTextFormat = "%d%%"
    else:
        bc.valueAxis.valueMin = 0
        bc.valueAxis.valueMax = max(4, top + (-top) % 4)
        bc.valueAxis.valueStep = max(1, bc.valueAxis.valueMax // 4)
    bc.barSpacing = 1
    bc.groupSpacing = 6
    for i in range(len(chart.series)):
        bc.bars[i].fillColor = colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)])
        bc.bars[i].strokeColor = None
    d.add(bc)
    if len(chart.series) > 1:
        legend = Legend()
        legend.x, legend.y = width - 85, height - 30
        legend.fontName, legend.fontSize = FONT, 8
        legend.alignment = "right"
        legend.colorNamePairs = [(colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]), name)
                                 for i, (name, _v) in enumerate(chart.series)]
        d.add(legend)
    return d


def _figures_table(stats: Statistics, with_how: bool = True, title: str = "") -> list[Flowable]:
    out: list[Flowable] = []
    for n, (section, figures) in enumerate(stats.sections()):
        rows: list[list[object]] = [["Figure", "Number", "How it is counted"] if with_how
                                    else ["Figure", "Number"]]
        for f in figures:
            label = ("\u2003\u2013 " + f.label) if f.indent else f.label
            rows.append([label, f.text, f.how] if with_how else [label, f.text])
        widths = [62 * mm, 22 * mm, 86 * mm] if with_how else [130 * mm, 40 * mm]
        head = [para(title, "title")] if title and n == 0 else []
        out.append(keep(*head, markup("{s}", "heading", s=section), table(rows, widths)))
    return out


def _charts(stats: Statistics) -> list[Flowable]:
    out: list[Flowable] = []
    for chart in charts(stats):
        if not chart.empty:
            out += [chart_drawing(chart), Spacer(1, 5 * mm)]
    return out


def naccc_return_pdf(centre: CentreDetails, stats: Statistics, period: str) -> bytes:
    story: list[Flowable] = letterhead(centre, stats.generated_on)
    story.append(para("NACCC statistics return", "title"))
    story.append(markup("<b>Centre:</b> {c}<br/><b>Period:</b> {p} ({a} to {b})", c=centre.name,
                        p=period, a=format_date(stats.first), b=format_date(stats.last)))
    story.append(para("Figures from CCC Desktop's statistics ledger, counted as each line says. "
                      + COUNTS_ONLY, "small"))
    story.extend(_figures_table(stats))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether(_charts(stats)[:2]))
    story.extend(_charts(stats)[2:])
    story.append(para("Completed by: ______________________________    Date: ________________"))
    return render(story, "NACCC statistics return", centre.name,
                  footer=f"NACCC return · {period} · counts only")


def annual_report_pdf(centre: CentreDetails, stats: Statistics, period: str,
                      quarters: list[tuple[str, Statistics]]) -> bytes:
    story: list[Flowable] = letterhead(centre, stats.generated_on)
    story.append(para("Annual report: the centre's year in figures", "title"))
    story.append(markup("<b>Period:</b> {p}", p=period))

    def v(key: str) -> str:
        try:
            return stats.figure(key).text
        except KeyError:
            return "0"

    story.append(markup(
        "In this period the centre received <b>{r}</b> referrals and accepted <b>{a}</b>. "
        "<b>{f}</b> families and <b>{c}</b> children used the centre, over <b>{s}</b> sessions "
        "with <b>{att}</b> visits attended. Volunteers gave <b>{h}</b> hours on the rota. "
        "<b>{w}</b> families were waiting for a place at the end of the period.",
        r=v("referrals.received"), a=v("referrals.accepted"), f=v("families.seen"),
        c=v("children.seen"), s=v("sessions.offered"), att=v("sessions.attended"),
        h=v("volunteers.hours"), w=v("waiting.at_end")))
    story.extend(_charts(stats))
    if len(quarters) > 1:
        keys = (("referrals.received", "Referrals received"), ("referrals.accepted", "Accepted"),
                ("families.seen", "Families seen"), ("children.seen", "Children seen"),
                ("sessions.offered", "Sessions"), ("sessions.attended", "Visits attended"),
                ("sessions.no_show", "No-shows"), ("volunteers.hours", "Volunteer hours"))
        rows: list[list[object]] = [["", *[label.split(" (")[0] for label, _s in quarters]]]
        for key, label in keys:
            row: list[object] = [label]
            for _l, q in quarters:
                try:
                    row.append(q.figure(key).text)
                except KeyError:
                    row.append("0")
            rows.append(row)
        first = 50 * mm
        rest = (WIDTH - first) / len(quarters)
        story.append(keep(para("Quarter by quarter", "heading"),
                          table(rows, [first, *[rest] * len(quarters)])))
    story.extend(_figures_table(stats, title="All the figures"))
    story.append(Spacer(1, 4 * mm))
    story.append(para(COUNTS_ONLY, "small"))
    return render(story, "Annual report", centre.name, footer=f"Annual report · {period}")

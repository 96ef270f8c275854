"""The day's sheet: a session's register on paper for the door (A4 landscape).

It renders a ``RegisterDay`` (what the register service gives any role that runs the register:
references, first names, staggered times, safety arrangements, who is on duty) and the centre's
own details. Nothing else is passed in, so nothing else can be printed: no address, phone
number, email, date of birth or referral detail of a family ever reaches this module.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ccc_desktop.documents.base import FONT, FONT_BOLD, register_fonts, styles, text
from ccc_desktop.models.dates import format_date_long
from ccc_desktop.models.families_records import BookingStatus, RegisterDay, RegisterEntry
from ccc_desktop.models.records import CentreDetails

FOOTER = "Confidential — return to the Coordinator, shred after the session"
PAGE = landscape(A4)
MARGIN = 12 * mm
RED = colors.HexColor("#b00020")
NAVY = colors.HexColor("#1f3b5a")
# Reference, adults (times), children, safety, then the columns written in by hand.
WIDTHS = [27 * mm, 62 * mm, 36 * mm, 72 * mm, 19 * mm, 19 * mm, 19 * mm, 19 * mm]
HEADINGS = ["Ref.", "Adults: arrive – leave", "Children", "Safety arrangements",
            "Arrived", "Initials", "Left", "Initials"]


def first_name(full_name: str) -> str:
    parts = full_name.split()
    return parts[0] if parts else ""


def shifted(hhmm: str, minutes: int) -> str:
    """A session time moved by a number of minutes (the adult's stagger), as hh:mm."""
    try:
        t = datetime.strptime(hhmm, "%H:%M")
    except ValueError:
        return hhmm
    moved = t + timedelta(minutes=minutes)
    if moved.date() != t.date():  # a stagger past midnight: print the session time unchanged
        return hhmm
    return moved.strftime("%H:%M")


def _styles() -> dict[str, ParagraphStyle]:
    st = styles()
    cell = ParagraphStyle("sheetcell", parent=st["cell"], fontSize=9, leading=11.5)
    return {
        "cell": cell,
        "head": ParagraphStyle("sheethead", parent=cell, fontName=FONT_BOLD, textColor=colors.white),
        "ref": ParagraphStyle("sheetref", parent=cell, fontName=FONT_BOLD, fontSize=10.5, leading=13),
        "safety": ParagraphStyle("sheetsafety", parent=cell, fontName=FONT_BOLD, textColor=RED),
        "title": ParagraphStyle("sheettitle", parent=st["title"], fontSize=15, leading=18,
                                spaceAfter=2),
        "sub": ParagraphStyle("sheetsub", parent=st["body"], fontSize=9.5, leading=12.5,
                              spaceAfter=2),
        "box": ParagraphStyle("sheetbox", parent=cell, fontSize=9, leading=11.5),
    }


def _adults_cell(day: RegisterDay, e: RegisterEntry) -> str:
    lines = []
    for a in e.adults:
        arrive = shifted(day.start_time, -a.arrive_minutes_before)
        leave = shifted(day.end_time, a.leave_minutes_after)
        stagger = " <b>(staggered)</b>" if a.arrive_minutes_before or a.leave_minutes_after else ""
        lines.append(f"<b>{text(first_name(a.name))}</b> · {text(a.role)}<br/>"
                     f"{text(arrive)} – {text(leave)}{stagger}")
    return "<br/>".join(lines) or "—"


def _safety_cell(e: RegisterEntry) -> str:
    parts = []
    if e.must_not_attend.strip():
        parts.append("MUST NOT ATTEND: " + text(e.must_not_attend.strip()))
    if e.safety_notes.strip():
        parts.append(text(e.safety_notes.strip()))
    return "<br/>".join(parts)


def _status_note(e: RegisterEntry) -> str:
    if e.status is BookingStatus.ABSENT:
        return "Absent (told in advance)" + (": " + text(e.absence_reason) if e.absence_reason else "")
    if e.status is BookingStatus.NO_SHOW:
        return "Marked no-show"
    return ""


def _families_table(day: RegisterDay, st: dict[str, ParagraphStyle]) -> Table:
    data: list[list[object]] = [[Paragraph(h, st["head"]) for h in HEADINGS]]
    style: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#5f6b78")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("TOPPADDING", (0, 1), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
    ]
    for n, e in enumerate(day.entries, start=1):
        ref = f"{text(e.reference)}"
        if e.assessment:
            ref += "<br/><font size='7.5'>Assessment session</font>"
        note = _status_note(e)
        children = ", ".join(text(first_name(c)) for c in e.children) or "—"
        safety = _safety_cell(e)
        if not safety and e.has_safety:
            safety = "Staggered arrival and departure: keep to the times."
        if note:
            safety = (safety + "<br/>" if safety else "") + f"<font color='#1f3b5a'>{note}</font>"
        data.append([Paragraph(ref, st["ref"]), Paragraph(_adults_cell(day, e), st["cell"]),
                     Paragraph(children, st["cell"]), Paragraph(safety or "None recorded",
                                                                st["safety" if safety else "cell"]),
                     "", "", "", ""])
        if e.must_not_attend.strip() or e.safety_notes.strip():
            style += [("BACKGROUND", (3, n), (3, n), colors.HexColor("#fdecea")),
                      ("BOX", (3, n), (3, n), 1.6, RED)]
    if not day.entries:
        data.append([Paragraph("No families are booked into this session.", st["cell"]),
                     "", "", "", "", "", "", ""])
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(data, colWidths=WIDTHS, repeatRows=1, splitByRow=True, splitInRow=1)
    table.setStyle(TableStyle(style))
    return table


def _boxes(titles: list[str], bodies: list[str], st: dict[str, ParagraphStyle], width: float,
           border: colors.Color = NAVY) -> Table:
    """Boxes side by side, titled, whose text may run over a page break (nothing is cut)."""
    n = len(titles)
    t = Table([[Paragraph(f"<b>{title}</b>", st["box"]) for title in titles],
               [Paragraph(body, st["box"]) for body in bodies]],
              colWidths=[width / n] * n, splitInRow=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 1.2, border),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e9ef")),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def _emergency(centre: CentreDetails) -> str:
    lines = ["Emergency services: <b>999</b>"]
    if centre.phone.strip():
        lines.append("Centre telephone: " + text(centre.phone.strip()))
    address = ", ".join(line.strip() for line in centre.address.splitlines() if line.strip())
    if address:
        lines.append("Centre address (for 999): " + text(address))
    if centre.emergency_details.strip():
        lines.append(text(centre.emergency_details.strip()))
    return "<br/>".join(lines)


def day_sheet_pdf(centre: CentreDetails, day: RegisterDay, printed_at: datetime) -> bytes:
    register_fonts()
    st = _styles()
    width = PAGE[0] - 2 * MARGIN
    when = f"{format_date_long(day.session_date)}, {day.start_time}–{day.end_time}"
    booked = len(day.entries)
    story: list[Flowable] = [
        Paragraph(f"Day sheet · {text(when)}", st["title"]),
        Paragraph(f"{text(centre.name)} · {booked} of {day.capacity} places booked · printed "
                  f"{text(format_date_long(printed_at.date()))} at {printed_at:%H:%M}", st["sub"]),
        Spacer(1, 2 * mm),
    ]
    on_duty = ", ".join(text(n) for n in day.on_duty) or "Nobody is on the rota for this session."
    story.append(_boxes(["Volunteers on duty", "Emergency"], [on_duty, _emergency(centre)], st,
                        width, RED))
    if day.notes.strip():
        story += [Spacer(1, 2 * mm), _boxes(["Session notes"], [text(day.notes.strip())], st, width)]
    story += [Spacer(1, 3 * mm), _families_table(day, st), Spacer(1, 3 * mm),
              Paragraph("Write the times as hh:mm. Check each adult arrives and leaves at their "
                        "own time. Anyone named under MUST NOT ATTEND is not let in: tell the "
                        "volunteer in charge at once.", st["sub"])]
    buf = io.BytesIO()
    heading = f"Day sheet · {when}"

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT_BOLD, 9)
        canvas.setFillColor(RED)
        canvas.drawString(MARGIN, 7 * mm, FOOTER)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawRightString(PAGE[0] - MARGIN, 7 * mm, f"{heading} · page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=14 * mm, title=heading,
                            author="CCC Desktop", creator="CCC Desktop")
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()

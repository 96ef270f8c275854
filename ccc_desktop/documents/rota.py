"""The month's rota on paper: every session, who is on duty and doing what, and each
volunteer's dates. Volunteers' names and duties only: nothing about a family."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ccc_desktop.documents.base import render, styles, text
from ccc_desktop.models.dates import day_name, format_date, format_month
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.volunteers_records import RotaSheetSession

NAVY = colors.HexColor("#1f3b5a")
RED = colors.HexColor("#b00020")


def _duties(s: RotaSheetSession) -> str:
    if not s.duties:
        return "<font color='#b00020'><b>Nobody on duty yet</b></font>"
    return "<br/>".join(text(e.volunteer_name) + (f" — {text(e.duty)}" if e.duty else "")
                        for e in s.duties)


def rota_pdf(centre: CentreDetails, month: date, sessions: Sequence[RotaSheetSession],
             printed_on: date) -> bytes:
    st = styles()
    title = f"Volunteer rota · {format_month(month)}"
    story: list[Flowable] = [
        Paragraph(text(centre.name), st["centre"]),
        Paragraph(text(title), st["title"]),
        Paragraph(f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} · printed "
                  f"{text(format_date(printed_on))}. Please tell the Coordinator as early as you "
                  "can if you cannot come.", st["small"]),
        Spacer(1, 3 * mm),
    ]
    head = [Paragraph(f"<b>{h}</b>", st["cell"]) for h in ("Date", "Time", "Families booked",
                                                            "On duty and duties")]
    data: list[list[object]] = [head]
    style: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e9ef")),
    ]
    for s in sessions:
        data.append([
            Paragraph(f"<b>{day_name(s.session_date, short=True)}</b> {text(format_date(s.session_date))}", st["cell"]),
            Paragraph(text(f"{s.start_time}–{s.end_time}"), st["cell"]),
            Paragraph(f"{s.booked} of {s.capacity}", st["cell"]),
            Paragraph(_duties(s), st["cell"]),
        ])
    if not sessions:
        data.append([Paragraph("There are no sessions this month.", st["cell"]), "", "", ""])
        style.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(data, colWidths=[38 * mm, 26 * mm, 28 * mm, 78 * mm], repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    # Each volunteer's own dates, to find one's name quickly.
    mine: dict[str, list[str]] = {}
    for s in sessions:
        for e in s.duties:
            mine.setdefault(e.volunteer_name, []).append(
                f"{day_name(s.session_date, short=True)} {s.session_date.day}" + (f" ({e.duty})" if e.duty else ""))
    if mine:
        story += [Spacer(1, 6 * mm), Paragraph("Who is on when", st["heading"])]
        rows = [[Paragraph(f"<b>{text(name)}</b>", st["cell"]),
                 Paragraph(text(", ".join(days)), st["cell"])]
                for name, days in sorted(mine.items(), key=lambda kv: kv[0].casefold())]
        people = Table(rows, colWidths=[55 * mm, 115 * mm])
        people.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#c5ccd4")),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(people)
    return render(story, title, centre.name,
                  footer="Volunteers' rota: for the centre's volunteers only")

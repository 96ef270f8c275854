"""The shared page: A4, the centre's letterhead, a confidential footer, escaped text.

Everything the user typed goes through ``text()`` / ``para()``: reportlab's Paragraph parses
markup, so a name like ``<b>Tom & "Jerry"</b>`` must be escaped to print literally.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ccc_desktop.models.dates import format_date_long
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.resources import resource_path

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_fonts_registered = False


def register_fonts() -> None:
    """DejaVu ships with the app: every accented or non-Latin name prints, and nothing is fetched."""
    global _fonts_registered
    if _fonts_registered:
        return
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
    _fonts_registered = True


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, spaceAfter=7)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=3),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19,
                                spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11.5,
                                  leading=15, spaceBefore=6, spaceAfter=5),
        "centre": ParagraphStyle("centre", parent=body, fontName=FONT_BOLD, fontSize=14,
                                 leading=17, spaceAfter=2, textColor=colors.HexColor("#1f3b5a")),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "cellbold": ParagraphStyle("cellbold", parent=body, fontName=FONT_BOLD, fontSize=9.5,
                                   leading=12, spaceAfter=0),
    }


def text(value: object) -> str:
    """Escape user text for a Paragraph and keep its line breaks."""
    s = "" if value is None else str(value)
    return escape(s, {'"': "&quot;", "'": "&#39;"}).replace("\r\n", "\n").replace("\n", "<br/>")


def para(value: object, style: str = "body") -> Paragraph:
    return Paragraph(text(value), styles()[style])


def markup(template: str, style: str = "body", **values: object) -> Paragraph:
    """A paragraph of our own markup with user values escaped into it: markup("<b>{name}</b>", name=...)."""
    return Paragraph(template.format(**{k: text(v) for k, v in values.items()}), styles()[style])


def letterhead(centre: CentreDetails, on: date | None = None) -> list[Flowable]:
    st = styles()
    left = [Paragraph(text(centre.name), st["centre"])]
    for line in centre.address.splitlines():
        if line.strip():
            left.append(Paragraph(text(line.strip()), st["small"]))
    right = []
    if centre.phone:
        right.append(Paragraph("Telephone: " + text(centre.phone), st["small"]))
    if centre.email:
        right.append(Paragraph("Email: " + text(centre.email), st["small"]))
    head = Table([[left, right]], colWidths=[110 * mm, 60 * mm])
    head.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor("#1f3b5a")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    out: list[Flowable] = [head, Spacer(1, 8 * mm)]
    if on is not None:
        out += [Paragraph(text(format_date_long(on)), st["right"]), Spacer(1, 6 * mm)]
    return out


def address_block(lines: Iterable[str]) -> list[Flowable]:
    st = styles()
    return [Paragraph("<br/>".join(text(line) for line in lines if line.strip()), st["body"]),
            Spacer(1, 4 * mm)]


def table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None,
          header: bool = True) -> Table:
    """A simple ruled table; every cell is escaped user text."""
    st = styles()
    data = [
        [Paragraph(text(cell), st["cellbold" if header and r == 0 else "cell"]) for cell in row]
        for r, row in enumerate(rows)
    ]
    t = Table(data, colWidths=list(widths) if widths else None, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e9ef")))
    t.setStyle(TableStyle(style))
    return t


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def render(story: list[Flowable], title: str, centre_name: str = "",
           footer: str = "Confidential", author: str = "CCC Desktop") -> bytes:
    """Build the PDF in memory (nothing touches the disk) and return its bytes."""
    register_fonts()
    buf = io.BytesIO()

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        left = f"{footer} · {centre_name}" if centre_name else footer
        canvas.drawString(20 * mm, 12 * mm, left)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=22 * mm, title=title, author=author, creator="CCC Desktop",
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()

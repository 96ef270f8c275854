"""The one-page recovery key sheet for the centre's safe."""

from __future__ import annotations

from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from ccc_desktop.documents.base import FONT_BOLD, letterhead, markup, para, render
from ccc_desktop.models.records import CentreDetails


def recovery_key_pdf(centre: CentreDetails, recovery_key: str, issued: date) -> bytes:
    key_table = Table([[recovery_key]], colWidths=[170 * mm], rowHeights=[22 * mm])
    key_table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT_BOLD, 17),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BOX", (0, 0), (-1, -1), 1.5, colors.HexColor("#1f3b5a")),
    ]))
    story = [
        *letterhead(centre, issued),
        para("Recovery key for CCC Desktop", "title"),
        para("This key opens the centre's records if every passphrase has been forgotten. "
             "Keep this sheet in the centre's safe. Do not store it on the computer, photograph "
             "it or send it by email: anyone holding it can read every record."),
        Spacer(1, 4 * mm),
        key_table,
        Spacer(1, 6 * mm),
        para("How to use it", "heading"),
        para("1. Start CCC Desktop and choose \u201cForgotten passphrase?\u201d in the unlock window."),
        para("2. Type the key above (capital letters or not, with or without the dashes)."),
        para("3. Enter the account name and choose a new passphrase for it."),
        Spacer(1, 4 * mm),
        markup("Issued on {d}. If the key is lost or seen by someone who should not have it, "
               "tell the Chair.", d=issued.strftime("%d/%m/%Y")),
    ]
    return render(story, "Recovery key", centre.name, footer="Strictly confidential: keep in the safe")

"""A letter from a checked template: the centre's letterhead, the date, then the blocks.

The blocks come from ``models.templates.render_blocks``: already-escaped text whose only tags are
<b>, <i> and <br/>, so they go into reportlab Paragraphs as they are.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from ccc_desktop.documents.base import letterhead, render, scripts_in_markup, styles
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.templates import Block


def templated_letter_pdf(centre: CentreDetails, on: date, blocks: list[Block], title: str,
                         footer: str = "Confidential") -> bytes:
    st = styles()
    body: list[Flowable] = []
    for block in blocks:
        if block.style == "space":
            body.append(Spacer(1, 10 * mm))
        else:
            body.append(Paragraph(scripts_in_markup(block.markup),
                                  st["heading" if block.style == "heading" else "body"]))
    # The closing ("Yours faithfully", the gap, the signature) stays on one page.
    gaps = [n for n, b in enumerate(blocks) if b.style == "space"]
    if gaps and gaps[-1] > 0:
        start = gaps[-1] - 1
        body = body[:start] + [KeepTogether(body[start:])]
    return render([*letterhead(centre, on), *body], title, centre.name, footer=footer)

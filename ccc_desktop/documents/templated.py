"""A letter from a checked template: the centre's letterhead, the date, then the blocks.

The blocks come from ``models.templates.render_blocks``: already-escaped text whose only tags are
<b>, <i> and <br/>, so they go into reportlab Paragraphs as they are.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from ccc_desktop.documents.base import letterhead, render, styles
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.templates import Block


def templated_letter_pdf(centre: CentreDetails, on: date, blocks: list[Block], title: str,
                         footer: str = "Confidential") -> bytes:
    st = styles()
    story: list[Flowable] = [*letterhead(centre, on)]
    for block in blocks:
        if block.style == "space":
            story.append(Spacer(1, 10 * mm))
        else:
            story.append(Paragraph(block.markup, st["heading" if block.style == "heading" else "body"]))
    return render(story, title, centre.name, footer=footer)

"""The subject access response and the internal record of what was withheld."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ccc_desktop.documents.base import letterhead, markup, para, render, table
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.records import CentreDetails

if TYPE_CHECKING:
    from ccc_desktop.models.data_protection_records import SarResponse


def sar_response_pdf(centre: CentreDetails, response: SarResponse, today: date) -> bytes:
    r = response.request
    story = letterhead(centre, today)
    story.append(markup("Dear {name},", name=r.requester_name))
    story.append(para("Your subject access request", "heading"))
    story.append(markup(
        "We received your request on {received}. Under data protection law you are entitled to "
        "know what personal information {centre} holds about you. Everything we hold about you "
        "is set out below.", received=format_date(r.received_on), centre=centre.name))
    if response.withheld:
        story.append(para(
            "Some information has not been included because it is about other people (for "
            "example another parent's address or telephone number), or because it is held to "
            "prevent crime due to violence, which the law allows us to withhold."))
    for section in response.sections:
        story.append(para(section.heading, "heading"))
        rows = [["Item", "What we hold"]] + [[row.label, row.value] for row in section.rows]
        story.append(table(rows, [55 * mm, 115 * mm]))
        story.append(Spacer(1, 3 * mm))
    story.append(Spacer(1, 4 * mm))
    story.append(para(
        "If anything here is wrong, tell us and we will correct it. If you are unhappy with how "
        "we have handled your request you can contact the Information Commissioner's Office."))
    story.append(para("Yours sincerely,"))
    story.append(Spacer(1, 12 * mm))
    story.append(markup("{centre}", centre=centre.name))
    return render(story, "Subject access response", centre.name,
                  subject=f"subject access request {r.id}")


def sar_internal_record_pdf(centre: CentreDetails, response: SarResponse, today: date) -> bytes:
    r = response.request
    story = letterhead(centre, today)
    story.append(para("Internal record: subject access request", "title"))
    story.append(para("Not to be sent to the person who asked. Kept with the request.", "small"))
    story.append(markup(
        "<b>Request:</b> number {id}, from {name}, received {received}, due {due}.",
        id=r.id, name=r.requester_name, received=format_date(r.received_on),
        due=format_date(r.due_on)))
    story.append(markup("<b>Identity checked by:</b> {check}", check=r.identity_check))
    story.append(markup("<b>Response produced on:</b> {d} · {n} section(s) disclosed.",
                        d=format_date(today), n=len(response.sections)))
    story.append(para("What was withheld and why", "heading"))
    if response.withheld:
        rows = [["Section", "Item", "Reason"]] + [[w.heading, w.item, w.reason] for w in response.withheld]
        story.append(table(rows, [45 * mm, 50 * mm, 75 * mm]))
    else:
        story.append(para("Nothing was withheld."))
    return render(story, "Subject access: internal record", centre.name,
                  footer="Internal: not for disclosure", subject=f"subject access request {r.id}")

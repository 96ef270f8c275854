"""The subject access response and the internal record of what was withheld.

The response is one PDF a Coordinator can email or print: the letter, then a copy of every
document of the record the Coordinator chose to give. A PDF's own pages follow the letter; a
picture (JPEG, PNG) is placed on a page of its own; a Word or OpenDocument file, which cannot be
turned into pages without an office suite, travels inside the PDF as an attached file (Adobe
Acrobat Reader, Firefox and Edge list it under attachments), and the letter names it so the
person knows to look, and can ask for a printed copy.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer

from ccc_desktop.documents.base import letterhead, markup, para, render, table
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.errors import DocumentError
from ccc_desktop.models.records import CentreDetails

if TYPE_CHECKING:
    from ccc_desktop.models.data_protection_records import SarDocument, SarResponse

_PAGES = ("application/pdf",)
_PICTURES = ("image/jpeg", "image/png")


def _where(doc: SarDocument) -> str:
    if doc.media_type in _PAGES:
        return "its pages follow this letter"
    if doc.media_type in _PICTURES:
        return "on a page of its own after this letter"
    return ("attached to this PDF as a file: open your PDF reader's attachments (paperclip) "
            "list; ask us for a printed copy if you cannot open it")


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
    if response.attached:
        story.append(para("Copies of documents we hold", "heading"))
        story.append(para("A copy of each of these documents is given with this letter, in this "
                          "order."))
        rows = [["Document", "Kind, and where to find the copy"]] + [
            [d.name, f"{d.kind}, added {format_date(d.added_on)}; {_where(d)}"]
            for d in response.attached]
        story.append(table(rows, [55 * mm, 115 * mm]))
    story.append(Spacer(1, 4 * mm))
    story.append(para(
        "If anything here is wrong, tell us and we will correct it. If you are unhappy with how "
        "we have handled your request you can contact the Information Commissioner's Office."))
    story.append(para("Yours sincerely,"))
    story.append(Spacer(1, 12 * mm))
    story.append(markup("{centre}", centre=centre.name))
    return render(story, "Subject access response", centre.name,
                  subject=f"subject access request {r.id}")


def _picture_pages(centre: CentreDetails, doc: SarDocument, data: bytes, request_id: int) -> bytes:
    story = [para(f"Copy of {doc.name}", "heading"),
             Image(io.BytesIO(data), width=170 * mm, height=215 * mm, kind="proportional")]
    return render(story, f"Copy of {doc.name}", centre.name,
                  subject=f"subject access request {request_id}")


def sar_pack_pdf(centre: CentreDetails, response: SarResponse, today: date,
                 files: Sequence[tuple[SarDocument, bytes]]) -> bytes:
    """The response letter with a copy of each chosen document (``files``, in the order of
    ``response.attached``), as one PDF."""
    letter = sar_response_pdf(centre, response, today)
    if not files:
        return letter
    import pypdfium2 as pdfium

    pack = pdfium.PdfDocument(letter)
    try:
        for doc, data in files:
            if doc.media_type in _PAGES:
                try:
                    source = pdfium.PdfDocument(data)
                except pdfium.PdfiumError:  # a password-protected PDF: given as a file instead
                    pack.new_attachment(doc.name).set_data(data)
                    continue
                pack.import_pages(source)
                source.close()
            elif doc.media_type in _PICTURES:
                try:
                    page = _picture_pages(centre, doc, data, response.request.id)
                except DocumentError:
                    raise
                except Exception as exc:  # noqa: BLE001 - reportlab's or Pillow's own words
                    raise DocumentError(f"The picture {doc.name} could not be placed in the "
                                        "subject access response: save it out from the record "
                                        "and give it separately.") from exc
                source = pdfium.PdfDocument(page)
                pack.import_pages(source)
                source.close()
            else:
                pack.new_attachment(doc.name).set_data(data)
        out = io.BytesIO()
        pack.save(out)
        return out.getvalue()
    finally:
        pack.close()


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
    if response.attached:
        story.append(para("Documents given with the response", "heading"))
        story.append(table([["Document", "Kind"]] + [[d.name, d.kind] for d in response.attached],
                           [95 * mm, 75 * mm]))
    story.append(para("What was withheld and why", "heading"))
    if response.withheld:
        rows = [["Section", "Item", "Reason"]] + [[w.heading, w.item, w.reason] for w in response.withheld]
        story.append(table(rows, [45 * mm, 50 * mm, 75 * mm]))
    else:
        story.append(para("Nothing was withheld."))
    return render(story, "Subject access: internal record", centre.name,
                  footer="Internal: not for disclosure", subject=f"subject access request {r.id}")

"""The clause 4 attendance letter: the dates and times a family attended, nothing else.

No address, phone number, email or date of birth is ever passed to this module: it takes the
names the letter must identify the family by, and the attendance rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ccc_desktop.documents.base import letterhead, markup, para, render, table
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.families_records import Attendance
from ccc_desktop.models.records import CentreDetails


def attendance_letter(centre: CentreDetails, on: date, reference: str, recipient: str,
                      organisation: str, adult_names: Sequence[str], child_names: Sequence[str],
                      rows: Sequence[Attendance], signed_by: str) -> bytes:
    story = letterhead(centre, on)
    story += [para(recipient), para(organisation) if organisation else Spacer(1, 1),
              Spacer(1, 4 * mm)]
    story.append(markup("<b>Attendance at {centre}: family reference {ref}</b>", "heading",
                        centre=centre.name, ref=reference))
    people = ", ".join([*adult_names, *child_names])
    story.append(markup("You asked for the attendance of the family of {people}. In line with "
                        "clause 4 of our confidentiality policy, we release the dates and times of "
                        "a family's attendance to referring agencies on request, and no other "
                        "information.", people=people))
    if rows:
        data: list[list[str]] = [["Date", "Arrived", "Left"]]
        data += [[format_date(r.session_date), r.arrived_at, r.left_at or ""] for r in rows]
        story.append(table(data, widths=[70 * mm, 40 * mm, 40 * mm]))
        story.append(Spacer(1, 4 * mm))
        n = len(rows)
        story.append(para(f"{n} session{'s' if n != 1 else ''} attended."))
    else:
        story.append(para("The family has not attended any session in the period asked about."))
    story += [Spacer(1, 6 * mm), para("Yours sincerely,"), Spacer(1, 10 * mm), para(signed_by),
              markup("Coordinator, {centre}", centre=centre.name)]
    return render(story, f"Attendance {reference}", centre.name, subject=f"family {reference}")

"""The confidentiality policy as an A4 document, for anyone who asks to see it (clause 11)."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from ccc_desktop.documents.base import letterhead, para, render
from ccc_desktop.models.dates import format_date
from ccc_desktop.models.legal_records import PolicyReview, PolicyVersion
from ccc_desktop.models.records import CentreDetails


def policy_pdf(centre: CentreDetails, version: PolicyVersion, last_review: PolicyReview | None) -> bytes:
    story: list[Flowable] = [*letterhead(centre)]
    lines = version.body.strip().splitlines()
    # The first non-empty line is the policy's own title.
    title_done = False
    for line in lines:
        line = line.rstrip()
        if not line.strip():
            continue
        if not title_done:
            story.append(para(line.strip(), "title"))
            title_done = True
        elif len(line) < 60 and not line[:1].isdigit() and not line.endswith((".", ":", ",")) \
                and not line.startswith((" ", "-")):
            story.append(para(line.strip(), "heading"))
        else:
            story.append(para(line.strip()))
    foot = []
    if version.id is not None:
        foot.append(f"Version {version.number}, {format_date(date.fromisoformat(version.created_at[:10]))}")
    if last_review is not None:
        foot.append(f"last reviewed on {format_date(last_review.reviewed_on)} by {last_review.reviewed_by}")
    if foot:
        story.append(para("; ".join(foot) + ".", "small"))
    return render(story, "Confidentiality policy", centre.name, footer="Confidentiality policy")

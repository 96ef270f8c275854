"""What the legal screens share: the guidance style, the letters' names, family labels."""

from __future__ import annotations

from ccc_desktop.ui.families.family_chooser import family_label
from ccc_desktop.ui.widgets.context import AppContext

GUIDANCE_STYLE = ("background: #fff8e1; border: 1px solid #e0c060; padding: 8px; "
                  "border-radius: 4px;")
LETTER_LABELS = {
    "summons_court": "Letter to the court",
    "summons_solicitor": "Letter to the solicitor",
    "summons_naccc": "Letter to the NACCC office",
    "summons_committee_solicitor": "Note for the committee solicitor",
}


def family_text(ctx: AppContext, family_id: int | None) -> str:
    return family_label(ctx, family_id)



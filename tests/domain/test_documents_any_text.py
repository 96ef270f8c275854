"""Every document lays out any value its limits allow (issue 13).

Hypothesis types text of several scripts, any length up to the field's limit, with markup and
control characters; the services clean it as the forms would; the document is made, its text
layer holds the value, and no line leaves the page.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from family_helpers import child, referral, resident, visiting
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdf_layout import assert_on_the_page, assert_shows

from ccc_desktop.documents.recovery_key import recovery_key_pdf
from ccc_desktop.documents.retention import disposal_certificate_pdf, retention_report_pdf
from ccc_desktop.models import glyphs, limits
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.limits import Limit
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.services.legal import SUMMONS_LETTER_KINDS
from ccc_desktop.models.services.retention import (
    DUE,
    HELD,
    Candidate,
    DisposalBatch,
    DisposalEntry,
    RetentionItem,
    RetentionReport,
)
from ccc_desktop.models.validation import clean_name, clean_text

SLOW = settings(max_examples=6, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

# Left-to-right scripts the bundled fonts print: Latin (Polish, Welsh, Turkish …), Greek, Cyrillic.
_LETTERS = st.characters(categories=["Lu", "Ll", "Nd", "Po", "Pd", "Sm", "Sc"], max_codepoint=0x4FF
                         ).filter(lambda c: ord(c) in glyphs.covered())
_WORDS = ["Łukasz", "Gwenllïan", "Siân", "Llŷr", "Zoë", "Ødegård", "Strauß", "Αλέξανδρος",
          "Наталья", "O'Neill", "Tom & \"Jerry\"", "王小明", "山田太郎", "김민준"]
_HOSTILE = ["<b>", "</b>", "<img src='x'/>", "<para>", "&amp;", "&", "<", ">", "]]>", "\x00",
            "\x1b", "\u200b", "\t", "%s", "{{ x }}", "\\n"]


@st.composite
def typed(draw: st.DrawFn, limit: Limit) -> str:
    """What someone might type or paste into a field of this limit: words, markup, control
    characters, one unbroken run, lines; sometimes right up to the limit."""
    pieces = draw(st.lists(st.one_of(st.text(_LETTERS, min_size=1, max_size=30),
                                     st.sampled_from(_WORDS), st.sampled_from(_HOSTILE),
                                     st.just(" "), st.just("\n")), min_size=1, max_size=25))
    text = "".join(pieces)
    if draw(st.booleans()):  # long: near the limit, in lines or one unbroken run
        target = draw(st.integers(limit.chars // 2, limit.chars))
        word = draw(st.sampled_from(["word ", "Ünbrökenrun", "Łukasz Żółć "]))
        text = (text + " " + word * (target // len(word) + 1))
        if limit.lines > 1 and draw(st.booleans()):
            step = max(1, len(text) // limit.lines + 1)
            text = "\n".join(text[i:i + step] for i in range(0, len(text), step))
    return fit(text, limit)


def fit(text: str, limit: Limit) -> str:
    """The text as the service stores it, cut to the limit; never empty."""
    clean = clean_name if limit.name else clean_text
    for _ in range(3):
        text = "\n".join(text.split("\n")[:limit.lines])[:limit.chars]
        try:
            value = clean(text, "f", "F", limit)  # type: ignore[operator]
        except ValidationError:
            value = ""
        if value:
            return value
        text = "Ann " + text.replace("\n", " ")
    return "Ann"


def centre_strategy() -> st.SearchStrategy[CentreDetails]:
    return st.builds(CentreDetails, name=typed(limits.ORGANISATION), address=typed(limits.ADDRESS),
                     phone=st.just("01234 567890"), email=typed(limits.SHORT),
                     chair_name=typed(limits.NAME), naccc_contact=typed(limits.SHORT),
                     solicitor_name=typed(limits.NAME), solicitor_firm=typed(limits.ORGANISATION))


def _pdf_ok(pdf: bytes, *values: str) -> None:
    assert pdf.startswith(b"%PDF")
    assert_on_the_page(pdf)
    assert_shows(pdf, *values)


# ---- the centre's details: every letterhead and footer ------------------------------------------
@SLOW
@given(centre=centre_strategy())
def test_recovery_key_and_policy_with_any_centre_details(coordinator, centre: CentreDetails) -> None:  # type: ignore[no-untyped-def]
    coordinator.centre.update(centre)
    stored = coordinator.centre.details()
    _pdf_ok(recovery_key_pdf(stored, "ABCD" * 8, date(2026, 11, 26)), stored.name, stored.address)
    _pdf_ok(coordinator.policy.pdf(), stored.name)


# ---- family letters and the subject access response ---------------------------------------------
@SLOW
@given(name=typed(limits.NAME), address=typed(limits.ADDRESS), requester=typed(limits.NAME),
       organisation=typed(limits.ORGANISATION), asked=typed(limits.TEXT),
       identity=typed(limits.TEXT), centre=centre_strategy())
def test_attendance_letter_and_subject_access_with_any_text(  # type: ignore[no-untyped-def]
        coordinator, name, address, requester, organisation, asked, identity, centre) -> None:
    s = coordinator
    s.centre.update(centre)
    fid = s.families.create(referral(), [resident(full_name=name, address=address), visiting()],
                            [child()])
    _pdf_ok(s.disclosures.attendance_pdf(fid, requester, organisation), name, requester,
            organisation)
    s.disclosures.log_request(fid, requester, organisation, "20/11/2026", asked)
    from ccc_desktop.models.services.families_dp import sar_people

    key = sar_people(s.session, fid)[0][0]
    r = s.subject_access.log(requester, identity, "25/11/2026", "family", fid, key)
    docs = s.subject_access.produce(r.id)
    _pdf_ok(s.letters.open(docs.response_letter_id), requester, name, address)
    _pdf_ok(s.letters.open(docs.internal_letter_id), requester, identity)


# ---- the summons letters --------------------------------------------------------------------
@SLOW
@given(court=typed(limits.ORGANISATION), court_address=typed(limits.ADDRESS),
       applicant=typed(limits.ORGANISATION), applicant_address=typed(limits.ADDRESS),
       case=typed(limits.CODE), centre=centre_strategy())
def test_summons_letters_with_any_text(coordinator, court, court_address, applicant,  # type: ignore[no-untyped-def]
                                       applicant_address, case, centre) -> None:
    s = coordinator
    s.centre.update(centre)
    summons = s.summonses.log(SummonsForm(
        received_on="20/11/2026", received_how="post", court=court, case_number=case,
        hearing_date="10/12/2026", court_address=court_address, applicant=applicant,
        applicant_address=applicant_address))
    for kind in SUMMONS_LETTER_KINDS:
        pdf = s.summonses.render_letter(summons.id, kind)
        assert_on_the_page(pdf)
        if kind == "summons_court":
            assert_shows(pdf, court, case)


# ---- the retention report and the disposal certificate -------------------------------------
@SLOW
@given(labels=st.lists(typed(Limit(limits.NAME.chars * 25, 1)), min_size=1, max_size=4),
       note=typed(limits.TEXT), who=typed(limits.NAME), centre=centre_strategy())
def test_retention_report_and_certificate_with_any_labels(labels, note, who, centre) -> None:  # type: ignore[no-untyped-def]
    on = date(2026, 11, 26)
    items = tuple(RetentionItem(Candidate("family", n, f"F-{n:04d}", label, date(2023, 1, 1)),
                                "3 years", date(2026, 1, 1), DUE if n % 2 else HELD,
                                holds=(note,) if n % 2 == 0 else ())
                  for n, label in enumerate(labels, 1))
    centre = replace(centre, name=fit(centre.name, limits.ORGANISATION))
    pdf = retention_report_pdf(centre, RetentionReport(on, 3, 30, items))
    _pdf_ok(pdf, *labels)
    batch = DisposalBatch(1, "2026-11-26T10:00:00", who, "Coordinator", 1, True, (
        DisposalEntry(1, 1, "F-0001", "family", date(2023, 1, 1), on, who, "Coordinator"),))
    _pdf_ok(disposal_certificate_pdf(centre, batch, on), who)


# ---- when a document still cannot be made ------------------------------------------------------
def test_a_document_that_cannot_be_laid_out_says_so_plainly() -> None:
    import pytest
    from reportlab.platypus import Table

    from ccc_desktop.documents.base import render
    from ccc_desktop.models.errors import DocumentError

    with pytest.raises(DocumentError) as err:
        render([Table([["x\n" * 400]])], "Retention report", subject="family F-0001")
    message = str(err.value)
    assert "Retention report" in message and "family F-0001" in message
    for internal in ("Flowable", "0x", "Table", "frame"):
        assert internal not in message


def test_a_request_whose_answer_fails_is_not_logged(coordinator) -> None:  # type: ignore[no-untyped-def]
    import pytest

    s = coordinator
    fid = s.families.create(referral(), [resident(), visiting()], [child()])
    with pytest.raises(ValidationError):
        s.disclosures.log_and_answer(fid, "PC Smith", "Police", "20/11/2026", "Dates",
                                     lambda rid: s.disclosures.refuse(rid, ""))
    assert s.disclosures.for_family(fid) == []
    rid, letter = s.disclosures.log_and_answer(
        fid, "PC Smith", "Police", "20/11/2026", "Dates",
        lambda rid: s.disclosures.answer_with_attendance(rid))
    assert [d.id for d in s.disclosures.for_family(fid)] == [rid] and letter is not None


# ---- names in every script print as themselves -----------------------------------------------
NAMES = ["محمد عبد الله", "שרה כהן", "王小明", "山田 太郎", "Łukasz Żółkiewski", "Siân Llŷr ap Gwilym"]


def test_letters_print_names_of_every_script(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    fid = s.families.create(referral(), [resident(full_name=NAMES[0]), visiting(full_name=NAMES[1])],
                            [child(full_name=NAMES[2]), child(full_name=NAMES[3])])
    pdf = s.disclosures.attendance_pdf(fid, NAMES[4], NAMES[5])
    assert_on_the_page(pdf)
    assert_shows(pdf, *NAMES)
    from ccc_desktop.documents.base import FONT_CJK

    assert FONT_CJK.encode() in pdf  # the CJK names are set in the font that has them


def test_arabic_is_joined_and_right_to_left_words_are_in_reading_order() -> None:
    from ccc_desktop.documents.base import visual_order

    # The first word read is the rightmost: it comes last in the left-to-right drawing order.
    assert visual_order("محمد عبد") == "عبد محمد"
    assert visual_order("Ahmed (أحمد)") == "Ahmed (أحمد)"
    # A comma after a right-to-left name is printed on its left, where a reader of it looks.
    assert visual_order("محمد عبد الله, שרה כהן, Łukasz") == "כהן שרה ,الله عبد محمد, Łukasz"
    assert visual_order("Zoë") == "Zoë"
    from reportlab.pdfbase.pdfmetrics import getFont

    from ccc_desktop.documents.base import FONT, register_fonts

    register_fonts()
    assert getFont(FONT).shapable  # reportlab joins Arabic with HarfBuzz (uharfbuzz installed)

"""Text where it enters: limits on every path that writes it, normalised once (issue 13)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ccc_desktop.models import limits
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.templates import TemplateProblem, check_template
from ccc_desktop.models.validation import ascii_digits, clean_name, clean_text
from tests.family_helpers import child, referral, resident, visiting
from tests.volunteer_helpers import check, details

INVISIBLE = ["\u200b", "\u200d", "\u200b\u200d", "\x00", "\x1b", "\u2060", "\ufeff", " \u200b "]


# ---- the helper ------------------------------------------------------------------------------
@pytest.mark.parametrize("value", INVISIBLE)
def test_a_name_of_invisible_characters_is_empty(value: str) -> None:
    with pytest.raises(ValidationError, match="cannot be empty") as err:
        clean_name(value, "full_name", "Name")
    assert err.value.field == "full_name"


@pytest.mark.parametrize("value", ["Jo\x00hn", "Jo\x1bhn", "Jo\u200bhn", "Jo\u202ehn", "A\u200d"[:1] + "\u200d B"])
def test_control_and_invisible_characters_inside_a_name_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="Name: "):
        clean_name(value, "full_name", "Name")


def test_names_are_trimmed_and_keep_the_joiners_words_need() -> None:
    assert clean_name("\u200b  Zoë   O'Neill \u200d", "n", "Name") == "Zoë O'Neill"
    persian = "می\u200cخواهم"  # the non-joiner inside a Persian word stays
    assert clean_name(persian, "n", "Name") == persian
    # decomposed accents are stored composed, so the same name is the same text
    assert clean_name("Zoe\u0308", "n", "Name") == "Zoë"


def test_notes_drop_harmless_invisible_characters_and_keep_lines() -> None:
    assert clean_text("line one\x00\r\nline\u200b two\x1b\t", "notes", "Notes", limits.NOTES) \
        == "line one\nline two"
    assert clean_text("\u200b\n \x00", "notes", "Notes", limits.NOTES) == ""


def test_length_and_line_limits_name_the_field() -> None:
    with pytest.raises(ValidationError, match="Address: keep it to 8 lines") as err:
        clean_text("\n".join(f"line {i}" for i in range(60)), "address", "Address", limits.ADDRESS)
    assert err.value.field == "address"
    with pytest.raises(ValidationError, match="under 120 characters"):
        clean_name("x" * 121, "full_name", "Name")


def test_digits_of_any_script_become_ascii() -> None:
    assert ascii_digits("٠٠١٢ ٣٤٥٦ ٧٨٩٠") == "0012 3456 7890"
    assert ascii_digits("００１２３４５６７８９０") == "001234567890"
    assert ascii_digits("۰۱۲") == "012"


def test_emoji_are_refused_where_typed() -> None:
    with pytest.raises(ValidationError, match="cannot print emoji"):
        clean_name("Tom 😀", "full_name", "Name")


def test_a_deeply_nested_template_is_refused_in_plain_words() -> None:
    body = "{% if a %}" * 1500 + "x" + "{% endif %}" * 1500
    with pytest.raises(TemplateProblem, match="nests"):
        check_template(body, None)  # type: ignore[arg-type]


# ---- every path that writes ------------------------------------------------------------------
def test_family_fields_have_limits_on_create_and_edit(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    long_address = "\n".join("a short line" for _ in range(60))
    with pytest.raises(ValidationError) as err:
        s.families.create(referral(), [resident(address=long_address), visiting()], [child()])
    assert err.value.field.endswith("address")
    with pytest.raises(ValidationError) as err:
        s.families.create(referral(), [resident(full_name="\u200b\u200d"), visiting()], [child()])
    assert err.value.field.endswith("full_name")
    fid = s.families.create(referral(), [resident(), visiting()], [child()])
    with pytest.raises(ValidationError) as err:
        s.families.set_safety(fid, "", "x" * (limits.LONG_NOTES.chars + 1))
    assert err.value.field == "safety_notes"
    with pytest.raises(ValidationError) as err:
        s.families.record_previsit(fid, "15/09/2026", "Carol Dean", "n" * (limits.NOTES.chars + 1))
    assert err.value.field == "previsit_notes"


def test_correct_a_detail_keeps_the_limits_of_first_entry(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    r = s.subject_access.log("Dana White", "Passport seen", "20/11/2026")
    with pytest.raises(ValidationError) as err:
        s.rectification.correct("subject_access", r.id, "requester_name", "D" * 10_000)
    assert err.value.field == "requester_name"
    with pytest.raises(ValidationError):
        s.rectification.correct("subject_access", r.id, "requester_name", "\u200b")
    fid = s.families.create(referral(), [resident(), visiting()], [child()])
    adult = s.families.get(fid).adults[0]
    with pytest.raises(ValidationError) as err:
        s.rectification.correct("family_adult", adult.id, "address",
                                "\n".join("line" for _ in range(66)))
    assert err.value.field == "address"
    kid = s.families.get(fid).children[0]
    with pytest.raises(ValidationError):
        s.rectification.correct("family_child", kid.id, "full_name", "K" * 500)
    s.rectification.correct("family_child", kid.id, "full_name", "\u200b Amy   Jones  ")
    assert s.families.get(fid).children[0].full_name == "Amy Jones"


def test_disclosure_request_text_is_limited(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    fid = s.families.create(referral(), [resident(), visiting()], [child()])
    with pytest.raises(ValidationError) as err:
        s.disclosures.log_request(fid, "PC Smith", "Police", "20/11/2026", "a" * 4001)
    assert err.value.field == "asked_for"


def test_centre_details_are_limited_in_settings(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    centre = s.centre.details()
    with pytest.raises(ValidationError) as err:
        s.centre.update(replace(centre, name="N" * 1500))
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        s.centre.update(replace(centre, address="\n".join("line" for _ in range(66))))
    assert err.value.field == "address"
    assert s.centre.details() == centre


def test_the_wizard_refuses_long_centre_details_before_any_file_is_made(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.vault import Vault

    v = Vault(tmp_path / "v")
    with pytest.raises(ValidationError) as err:
        v.create(CentreDetails(name="N" * 1500), "coordinator", "Carol Dean", "a long passphrase here")
    assert err.value.field == "centre_name"
    assert not v.exists()


def test_dbs_numbers_in_other_digits_are_the_same_certificate(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    a = s.volunteers.create(details())
    b = s.volunteers.create(details(full_name="Bob Green"))
    s.dbs.record(a.id, check(certificate_number="001234567890"))
    for typed in ("٠٠١٢٣٤٥٦٧٨٩٠", "００１２３４５６７８９０", "۰۰۱۲۳۴۵۶۷۸۹۰"):
        with pytest.raises(ValidationError, match="already recorded"):
            s.dbs.record(b.id, check(certificate_number=typed))
    s.dbs.record(b.id, check(certificate_number="٠٠١٢٣٤٥٦٧٨٩١"))
    assert {c.certificate_number for c in s.dbs.list(b.id)} == {"001234567891"}


def test_a_policy_of_no_visible_text_cannot_be_in_force(coordinator) -> None:  # type: ignore[no-untyped-def]
    before = coordinator.policy.current().body
    for body in ("\u200b\u200d", "\x00\x1b", " \n\u2060 "):
        with pytest.raises(ValidationError, match="Policy text: this cannot be empty"):
            coordinator.policy.save(body, "blank")
    assert coordinator.policy.current().body == before


def test_dates_the_forms_cannot_show_back_are_refused(coordinator) -> None:  # type: ignore[no-untyped-def]
    s = coordinator
    with pytest.raises(ValidationError, match="from 1900"):
        s.families.create(referral(referral_date="01/01/0999"), [resident(), visiting()], [child()])
    with pytest.raises(ValidationError, match="from 1900"):
        s.volunteers.create(details(date_of_birth=date(999, 1, 1)))
    fid = s.families.create(referral(), [resident(), visiting()], [child()])
    pattern = s.bookings.add_pattern(5, "10:00", "12:00", 8)
    with pytest.raises(ValidationError, match="before 2200"):
        s.bookings.book_repeating(fid, pattern, "01/01/9999", "31/12/9999")

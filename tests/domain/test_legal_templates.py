"""Letter templates: editable, checked, previewed, restorable; nothing hostile gets through."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from ccc_desktop.models.errors import PermissionDenied, ValidationError
from ccc_desktop.models.legal_records import SummonsForm
from ccc_desktop.models.templates import (
    SUMMONS_LETTERS,
    TemplateProblem,
    letter_kind,
    render_blocks,
)

KIND = "summons_court"


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def summons(services, **kw):
    base = dict(received_on="20/11/2026", received_how="post", court="Derby Family Court",
                case_number="DE26P01234", hearing_date="14/12/2026")
    base.update(kw)
    return services.summonses.log(SummonsForm(**base))


def test_every_shipped_template_is_valid_and_lists_its_fields(coordinator) -> None:
    kinds = [k.kind for k in coordinator.templates.kinds()]  # every area's, from registry.AREAS
    assert set(kinds) >= {"summons_court", "summons_solicitor", "summons_naccc",
                          "summons_committee_solicitor", "waiting_list_referrer"}
    for kind in kinds:
        info = coordinator.templates.get(kind)
        assert info.is_default and info.body.strip()
        coordinator.templates.check(kind, info.body)
        names = {f.name for f in info.fields}
        assert all(f.description for f in info.fields)
        if not kind.startswith("summons_"):
            continue  # e.g. the waiting list letter (issue 14), tested with the waiting list
        assert {"case_number", "court", "hearing_date"} <= names
        # A summons letter has no field for a family or child at all.
        assert not any(w in n for n in names for w in ("child", "family", "parent", "mother", "father"))


def test_edit_preview_use_and_restore_default(coordinator) -> None:
    body = "{{ court }}\n\nDear Sir or Madam,\n\nCase <b>{{ case_number }}</b>: please set it aside.\n"
    pdf = coordinator.templates.preview(KIND, body)
    assert "Case DE26P01234: please set it aside." in pdf_text(pdf)  # sample values
    saved = coordinator.templates.save(KIND, body)
    assert not saved.is_default and saved.body == body
    s = summons(coordinator, case_number="XY99", court="Leeds Family Court")
    text = pdf_text(coordinator.letters.open(coordinator.summonses.generate_letter(s.id, KIND).id))
    assert "Case XY99: please set it aside." in text and "Leeds Family Court" in text
    restored = coordinator.templates.restore_default(KIND)
    assert restored.is_default and restored.body == letter_kind(SUMMONS_LETTERS, KIND).default_body()
    text = pdf_text(coordinator.letters.open(coordinator.summonses.generate_letter(s.id, KIND).id))
    assert "judicial protocol" in text
    actions = [e.action for e in coordinator.audit.for_record(coordinator.session.actor, "template", KIND)]
    assert actions == ["letter template changed", "letter template restored to default"]


@pytest.mark.parametrize("body,words", [
    ("Dear {{ childs_name }},", "{{ childs_name }}, which is not a field"),
    ("{{ ''.__class__ }}", "reading a part of a field"),
    ("{{ court.__class__.__mro__ }}", "reading a part of a field"),
    ("{{ court['__class__'] }}", "reading a part of a field"),
    ("{{ cycler.__init__.__globals__ }}", "not a field"),
    ("{{ lipsum() }}", "not a field"),
    ("{{ court|safe }}", "filter |safe"),
    ("{{ court|attr('__class__') }}", "filter |attr"),
    ("{% for x in court %}{{ x }}{% endfor %}", "loops"),
    ("{% include 'x' %}", "including another template"),
    ("{% set court = 'x' %}{{ court }}", "setting variables"),
    ("{% autoescape false %}{{ court }}{% endautoescape %}", "switching escaping off"),
    ("{{ court * 1000000 }}", "this kind of expression"),
    ("{{ court }", "cannot be read at line 1"),
    ("{% if court %}unclosed", "cannot be read"),
    ("<font color='red'>{{ court }}</font>", "<font color='red'>"),
    ("<img src='x.png'/> {{ court }}", "<img src='x.png'/>"),
    ("<a href='file:///etc/passwd'>x</a>", "<a href="),
    ("<b>{{ court }}", "opens <b> without closing"),
    ("{{ court }}</i>", "closes </i> without opening"),
    ("   ", "empty"),
])
def test_hostile_or_broken_templates_are_rejected_on_save_and_preview(coordinator, body, words) -> None:
    for attempt in (lambda: coordinator.templates.save(KIND, body),
                    lambda: coordinator.templates.preview(KIND, body)):
        with pytest.raises(TemplateProblem) as err:
            attempt()
        assert words in str(err.value)
        assert err.value.field == "body" and isinstance(err.value, ValidationError)
    assert coordinator.templates.get(KIND).is_default  # nothing saved


def test_hostile_field_values_print_literally(coordinator) -> None:
    hostile = {
        "court": "<font color='red' size='40'>Big</font> & <img src='/etc/passwd'/>",
        "case_number": "{{ ''.__class__ }}",
        "applicant": "Tom & \"Jerry\" <b>bold</b> &amp; &#60;x&#62;",
    }
    s = summons(coordinator, **{k: v for k, v in hostile.items() if k != "applicant"},
                applicant=hostile["applicant"])
    for kind in ("summons_court", "summons_solicitor"):
        text = pdf_text(coordinator.letters.open(coordinator.summonses.generate_letter(s.id, kind).id))
        assert "<font color='red' size='40'>Big</font> & <img src='/etc/passwd'/>" in text
        assert "{{ ''.__class__ }}" in text
        assert "<class" not in text
    assert 'Tom & "Jerry" <b>bold</b> &amp; &#60;x&#62;' in text


def test_field_values_cannot_become_markup_in_the_blocks() -> None:
    lk = letter_kind(SUMMONS_LETTERS, KIND)
    values = lk.samples() | {"court": "<b>x</b>\n\n## Heading & <i>", "case_number": "a\r\n\r\nb"}
    blocks = render_blocks("{{ court }} / {{ case_number }}", lk, values)
    assert len(blocks) == 1 and blocks[0].style == "body"
    assert blocks[0].markup == "&lt;b&gt;x&lt;/b&gt;<br/>## Heading &amp; &lt;i&gt; / a<br/>b"


def test_a_bare_ampersand_in_the_template_prints(coordinator) -> None:
    pdf = coordinator.templates.preview(KIND, "Brook & Hale say hello to {{ court }}.")
    assert "Brook & Hale say hello to Derby Family Court." in pdf_text(pdf)


def test_a_runtime_failure_is_reported_not_half_rendered() -> None:
    lk = letter_kind(SUMMONS_LETTERS, KIND)
    with pytest.raises(TemplateProblem) as err:
        render_blocks("{{ court }} {{ case_number }}", lk, {"court": "x"})
    assert "No value for" in str(err.value)


def test_unknown_kind(coordinator) -> None:
    with pytest.raises(ValidationError):
        coordinator.templates.get("ransom_note")


def test_only_coordinator_and_chair_edit_templates(chair, volunteer) -> None:
    chair.templates.save(KIND, "{{ court }}")
    assert chair.templates.restore_default(KIND).is_default
    for call in (lambda: volunteer.templates.get(KIND),
                 lambda: volunteer.templates.save(KIND, "{{ court }}"),
                 lambda: volunteer.templates.preview(KIND, "{{ court }}"),
                 lambda: volunteer.templates.restore_default(KIND),
                 lambda: volunteer.templates.kinds()):
        with pytest.raises(PermissionDenied):
            call()


def test_a_broken_stored_template_makes_no_letter(coordinator) -> None:
    """If a stored template stops fitting (e.g. a field was renamed in a new version), generating
    refuses with the reason and keeps nothing half-made."""
    from ccc_desktop.models.storage.legal import TemplateStore

    s = summons(coordinator)
    with coordinator.session.db.transaction():
        TemplateStore(coordinator.session.db).put(KIND, "Dear {{ old_field }}", "2026-11-26T09:30:00", 1)
    with pytest.raises(TemplateProblem) as err:
        coordinator.summonses.generate_letter(s.id, KIND)
    assert "{{ old_field }}" in str(err.value)
    assert coordinator.letters.for_subject("summons", s.id) == []

"""Editable letter templates: the shipped default, an edited copy in the database, preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ccc_desktop.documents.templated import templated_letter_pdf
from ccc_desktop.models.centre_details import load_centre_details
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import letter_kinds
from ccc_desktop.models.storage.legal import TemplateStore
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.templates import (
    LetterKind,
    TemplateField,
    check_template,
    letter_kind,
    render_blocks,
)

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session


@dataclass(frozen=True)
class TemplateInfo:
    kind: str
    title: str
    body: str
    is_default: bool
    fields: tuple[TemplateField, ...]
    updated_at: str = ""


class TemplateService:
    """The templates of every area's letters (each ``Area`` lists its ``letter_kinds``)."""

    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = TemplateStore(session.db)

    def kinds(self) -> list[LetterKind]:
        self.session.actor.require(Permission.EDIT_TEMPLATES)
        return letter_kinds(self.services.areas)

    def kind(self, kind: str) -> LetterKind:
        self.session.actor.require(Permission.EDIT_TEMPLATES)
        return self._kind(kind)

    def _kind(self, kind: str) -> LetterKind:
        return letter_kind(letter_kinds(self.services.areas), kind)

    def get(self, kind: str) -> TemplateInfo:
        self.session.actor.require(Permission.EDIT_TEMPLATES)
        lk = self._kind(kind)
        row = self.store.get(kind)
        if row is None:
            return TemplateInfo(kind, lk.title, lk.default_body(), True, lk.fields)
        return TemplateInfo(kind, lk.title, row["body"], False, lk.fields, row["updated_at"])

    def body_for_use(self, kind: str) -> str:
        """The template a letter is made from."""
        self.session.actor.require(Permission.MANAGE_LEGAL)
        lk = self._kind(kind)
        row = self.store.get(kind)
        return lk.default_body() if row is None else str(row["body"])

    def check(self, kind: str, body: str) -> None:
        """Parse, check the fields and fill in with sample values; raises TemplateProblem."""
        self.session.actor.require(Permission.EDIT_TEMPLATES)
        lk = self._kind(kind)
        check_template(body, lk)
        render_blocks(body, lk, lk.samples())

    def save(self, kind: str, body: str) -> TemplateInfo:
        actor = self.session.actor
        actor.require(Permission.EDIT_TEMPLATES)
        self.check(kind, body)
        body = body.replace("\r\n", "\n")
        with self.session.db.transaction():
            self.store.put(kind, body, self.session.clock.now().isoformat(timespec="seconds"),
                           actor.account_id)
            self.session.audit.record("letter template changed", "template", kind,
                                      f"{len(body)} characters")
        return self.get(kind)

    def restore_default(self, kind: str) -> TemplateInfo:
        actor = self.session.actor
        actor.require(Permission.EDIT_TEMPLATES)
        self._kind(kind)
        if self.store.get(kind) is None:
            return self.get(kind)
        with self.session.db.transaction():
            self.store.delete(kind)
            self.session.audit.record("letter template restored to default", "template", kind)
        return self.get(kind)

    def preview(self, kind: str, body: str) -> bytes:
        """A PDF of the (possibly unsaved) template filled in with made-up sample values."""
        self.session.actor.require(Permission.EDIT_TEMPLATES)
        lk = self._kind(kind)
        blocks = render_blocks(body, lk, lk.samples())
        centre: CentreDetails = load_centre_details(SettingsStore(self.session.db))
        return templated_letter_pdf(centre, self.session.clock.today(), blocks,
                                    f"Preview: {lk.title}", footer="Preview with sample values")

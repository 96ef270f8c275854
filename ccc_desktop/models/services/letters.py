"""Keeping generated letters: store, list, open, and audit printing and saving."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccc_desktop.models.errors import NotFound
from ccc_desktop.models.records import Shown, StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import letter_hooks, letter_subjects
from ccc_desktop.models.storage.letters import LetterStore

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session

# Which permission reading a subject's letters needs: each area lists its own subjects
# (``Area.letter_subjects``); a subject no area names needs VIEW_REPORTS.


class LetterService:
    def __init__(self, session: Session, services: Services) -> None:
        self.session = session
        self.services = services
        self.store = LetterStore(session.db)

    def _require(self, subject_type: str) -> None:
        permissions = letter_subjects(self.services.areas)
        self.session.actor.require(permissions.get(subject_type, Permission.VIEW_REPORTS))

    def keep(self, kind: str, title: str, subject_type: str, subject_id: int | None,
             pdf: bytes, detail: str = "") -> StoredLetter:
        """Store a generated PDF; call inside the caller's transaction or alone."""
        self._require(subject_type)
        actor = self.session.actor
        with self.session.db.transaction():
            new_id = self.store.insert(kind, title, subject_type, subject_id,
                                       self.session.clock.now().isoformat(timespec="seconds"),
                                       actor.account_id, pdf)
            self.session.audit.record("letter generated", "letter", new_id,
                                      f"{kind} for {subject_type} {subject_id or ''}".strip() + (f"; {detail}" if detail else ""))
            letter = self.store.get(new_id)
            assert letter is not None
            for hook in letter_hooks(self.services.areas):
                hook(self.session, letter)
        return letter

    def for_subject(self, subject_type: str, subject_id: int | None) -> Shown[StoredLetter]:
        self._require(subject_type)
        return self.store.for_subject(subject_type, subject_id)

    def get(self, letter_id: int) -> StoredLetter:
        # Someone who may read no kind of letter learns nothing, not even whether one exists.
        actor = self.session.actor
        permissions = letter_subjects(self.services.areas).values()
        if not any(actor.can(p) for p in {*permissions, Permission.VIEW_REPORTS}):
            actor.require(Permission.VIEW_REPORTS)
        letter = self.store.get(letter_id)
        if letter is None:
            raise NotFound("That letter no longer exists.")
        self._require(letter.subject_type)
        return letter

    def open(self, letter_id: int) -> bytes:
        """The PDF bytes, for the preview; the opening is audited."""
        letter = self.get(letter_id)
        pdf = self.store.pdf(letter_id)
        assert pdf is not None
        self.session.audit.record("letter opened", "letter", letter.id)
        return pdf

    def record_output(self, letter_id: int, how: str) -> None:
        """how: 'printed' or 'saved as PDF'. The file path is not recorded (it may name people)."""
        letter = self.get(letter_id)
        self.session.audit.record(f"letter {how}", "letter", letter.id)

"""What an area brings to the rest of the app, said in one object.

An area (families, volunteers and DBS, legal, policy, data protection, accounts ...) owns its
tables and services. What the shared machinery needs from it is listed in its ``Area``:

``dashboard``
    Functions ``fn(services) -> DashboardSection | None`` (None: nothing for this user).
``retention_sources``
    Objects implementing ``RetentionSource`` (see ``services/retention.py``): which records
    fall due for disposal, and how to dispose of one.
``holds``
    ``fn(session, category, record_ids) -> {record_id: [reason, ...]}``: reasons this area has
    to keep another area's records (an open witness summons holds a family).
``sar_sources``
    ``fn(services, request) -> SarPart | None``: what the area holds about the person in a
    subject access request (see ``services/subject_access.py``).
``rectifiers``
    ``Rectifier`` objects: fields of the area's records that can be corrected
    (see ``services/rectification.py``).
``letter_subjects``
    ``{subject_type: Permission}``: who may read letters kept about the area's records.
``on_letter_stored``
    ``fn(session, letter)`` called after any letter is kept (a family's "last used" date).
``letter_kinds``
    ``LetterKind`` objects (``models/templates.py``): the letters the area makes from an
    editable template, each with its shipped default under ``resources/templates/``.

Nothing is registered by importing a module: ``services/registry.py`` lists the areas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from ccc_desktop.models.data_protection_records import (
    Candidate,
    SarPart,
    SubjectAccessRequest,
)
from ccc_desktop.models.records import DashboardSection, StoredLetter
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.templates import LetterKind

if TYPE_CHECKING:
    from ccc_desktop.models.services.registry import Services
    from ccc_desktop.models.vault import Session


class RetentionSource(Protocol):
    category: str
    basis: str

    def candidates(self, session: Session, cutoff: date) -> list[Candidate]: ...

    def candidate(self, session: Session, record_id: int) -> Candidate | None: ...

    def holds(self, session: Session, record_ids: Sequence[int]) -> dict[int, list[str]]: ...

    def dispose(self, session: Session, record_id: int) -> dict[str, int]: ...


DashboardProvider = Callable[["Services"], "DashboardSection | None"]
HoldProvider = Callable[["Session", str, Sequence[int]], dict[int, list[str]]]
SarSource = Callable[["Services", SubjectAccessRequest], "SarPart | None"]
LetterHook = Callable[["Session", StoredLetter], None]


@dataclass(frozen=True)
class Rectifier:
    """A correctable field: ``read(services, record_id)`` and ``write(services, record_id, value)``.

    ``write`` runs inside the correction's transaction, validates (``ValidationError`` naming
    ``field``) and writes through the area's store. It never audits: the rectification service
    writes one entry naming the record and the field, never the values.
    """

    record_type: str
    field: str
    label: str
    permission: Permission
    read: Callable[[Services, int], str]
    write: Callable[[Services, int, str], None]


def _frozen(mapping: Mapping[str, Permission]) -> Mapping[str, Permission]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Area:
    name: str
    dashboard: tuple[DashboardProvider, ...] = ()
    retention_sources: tuple[RetentionSource, ...] = ()
    holds: tuple[HoldProvider, ...] = ()
    sar_sources: tuple[SarSource, ...] = ()
    rectifiers: tuple[Rectifier, ...] = ()
    letter_subjects: Mapping[str, Permission] = field(default_factory=dict)
    on_letter_stored: tuple[LetterHook, ...] = ()
    letter_kinds: tuple[LetterKind, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "letter_subjects", _frozen(self.letter_subjects))


# ---- what the shared machinery reads, in the order the areas are listed ------------------------
def dashboard_providers(areas: Iterable[Area]) -> list[DashboardProvider]:
    return [p for a in areas for p in a.dashboard]


def retention_sources(areas: Iterable[Area]) -> list[RetentionSource]:
    """One source per category; a later area's source replaces an earlier one's."""
    out: dict[str, RetentionSource] = {}
    for a in areas:
        for s in a.retention_sources:
            out[s.category] = s
    return list(out.values())


def hold_providers(areas: Iterable[Area]) -> list[HoldProvider]:
    return [h for a in areas for h in a.holds]


def sar_sources(areas: Iterable[Area]) -> list[SarSource]:
    return [s for a in areas for s in a.sar_sources]


def rectifiers(areas: Iterable[Area]) -> dict[tuple[str, str], Rectifier]:
    return {(r.record_type, r.field): r for a in areas for r in a.rectifiers}


def letter_subjects(areas: Iterable[Area]) -> dict[str, Permission]:
    return {k: v for a in areas for k, v in a.letter_subjects.items()}


def letter_hooks(areas: Iterable[Area]) -> list[LetterHook]:
    return [h for a in areas for h in a.on_letter_stored]


def letter_kinds(areas: Iterable[Area]) -> list[LetterKind]:
    """Every area's letter kinds, in the order the areas are listed."""
    return [k for a in areas for k in a.letter_kinds]

"""Every service for one unlocked session, built in one place, and the one list of areas.

How a new area plugs in
-----------------------
1. Records (dataclasses that cross a layer) go in a records module (``models/<area>_records.py``),
   SQL in ``models/storage/<area>.py``, the rules in ``models/services/<area>.py``. A service
   takes ``(session, services)`` when it needs another area and reaches it through ``services``
   (``self.services.letters.keep(...)``): it never builds a sibling service and never calls
   another service's private methods.
2. The area says what it brings in one ``Area`` object (``services/area.py``): its dashboard
   sections, retention sources and holds, subject-access sources, rectifiers, letter subjects
   (who may read its letters), letter hooks and letter kinds (its editable letter templates).
   Leave out what it does not bring.
3. Add its service(s) to ``Services`` below and its ``Area`` to ``AREAS``. Nothing is
   registered by importing a module: an area not in ``AREAS`` takes part in nothing.
4. Screens go in ``ui/<area>/`` (shared pieces in ``ui/widgets/``), its tab in
   ``ui/shell/tabs.py``; tests in ``tests/domain/`` and ``tests/ui/`` (``tests/README.md``).

The order of ``AREAS`` is the order the areas are asked in (subject access response sections,
retention categories, holds); dashboard sections are sorted by their own ``order``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ccc_desktop.models.audit import AuditTrail
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.accounts import ACCOUNTS, AccountService
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.services.area_retention import VOLUNTEERS
from ccc_desktop.models.services.attachments import ATTACHMENTS, AttachmentService
from ccc_desktop.models.services.backup import BackupService
from ccc_desktop.models.services.calendar import CalendarService
from ccc_desktop.models.services.centre import CENTRE, CentreService
from ccc_desktop.models.services.dashboard import DashboardService
from ccc_desktop.models.services.data_protection import DATA_PROTECTION
from ccc_desktop.models.services.disclosures import DisclosureService
from ccc_desktop.models.services.export import ExportService
from ccc_desktop.models.services.families import FamilyService
from ccc_desktop.models.services.families_dp import FAMILIES
from ccc_desktop.models.services.first_steps import FIRST_STEPS_AREA
from ccc_desktop.models.services.imports import ImportService
from ccc_desktop.models.services.legal import (
    LEGAL,
    AgreementService,
    PoliceService,
    SummonsService,
)
from ccc_desktop.models.services.letters import LetterService
from ccc_desktop.models.services.policy import POLICY, PolicyService
from ccc_desktop.models.services.rectification import RectificationService
from ccc_desktop.models.services.register import BookingService, RegisterService
from ccc_desktop.models.services.retention import RetentionService
from ccc_desktop.models.services.statistics import StatisticsService
from ccc_desktop.models.services.subject_access import SubjectAccessService
from ccc_desktop.models.services.templates import TemplateService
from ccc_desktop.models.services.volunteers import DbsService, VolunteerService
from ccc_desktop.models.services.waiting import STATISTICS, WaitingListService

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

# Every area, in the order they are asked.
AREAS: tuple[Area, ...] = (
    ACCOUNTS,
    CENTRE,
    DATA_PROTECTION,
    VOLUNTEERS,
    FAMILIES,
    LEGAL,
    POLICY,
    ATTACHMENTS,
    STATISTICS,
    FIRST_STEPS_AREA,
)


@dataclass
class Services:
    """The services of one session. Services reach each other through this object."""

    session: Session
    audit: AuditTrail = field(init=False)
    accounts: AccountService = field(init=False)
    centre: CentreService = field(init=False)
    letters: LetterService = field(init=False)
    summonses: SummonsService = field(init=False)
    police: PoliceService = field(init=False)
    agreements: AgreementService = field(init=False)
    templates: TemplateService = field(init=False)
    policy: PolicyService = field(init=False)
    volunteers: VolunteerService = field(init=False)
    dbs: DbsService = field(init=False)
    families: FamilyService = field(init=False)
    bookings: BookingService = field(init=False)
    register: RegisterService = field(init=False)
    disclosures: DisclosureService = field(init=False)
    retention: RetentionService = field(init=False)
    subject_access: SubjectAccessService = field(init=False)
    rectification: RectificationService = field(init=False)
    backup: BackupService = field(init=False)
    imports: ImportService = field(init=False)
    attachments: AttachmentService = field(init=False)
    export: ExportService = field(init=False)
    statistics: StatisticsService = field(init=False)
    waiting: WaitingListService = field(init=False)

    def __post_init__(self) -> None:
        session = self.session
        self.audit = session.audit
        self.accounts = AccountService(session)
        self.centre = CentreService(session)
        self.letters = LetterService(session, self)
        self.summonses = SummonsService(session, self)
        self.police = PoliceService(session)
        self.agreements = AgreementService(session)
        self.templates = TemplateService(session, self)
        self.policy = PolicyService(session, self)
        self.volunteers = VolunteerService(session, self)
        self.dbs = DbsService(session, self)
        self.families = FamilyService(session, self)
        self.bookings = BookingService(session, self)
        self.register = RegisterService(session, self)
        self.disclosures = DisclosureService(session, self)
        self.retention = RetentionService(session, self)
        self.subject_access = SubjectAccessService(session, self)
        self.rectification = RectificationService(session, self)
        self.backup = BackupService(session)
        self.imports = ImportService(session, self)
        self.attachments = AttachmentService(session)
        self.export = ExportService(session, self)
        self.statistics = StatisticsService(session)
        self.waiting = WaitingListService(session, self)

    @property
    def areas(self) -> tuple[Area, ...]:
        """The areas the shared machinery asks (read each time: tests may swap ``AREAS``)."""
        return AREAS

    @property
    def dashboard(self) -> DashboardService:
        return DashboardService(self)

    @property
    def calendar(self) -> CalendarService:
        return CalendarService(self, waiting=waiting_counts)


def waiting_counts(services: Services, first: date, last: date) -> dict[int, int]:
    """Families waiting for a place, by the session pattern they need (0: any session).

    Counts only, and only for roles that may open the waiting list (not the Session volunteer)."""
    if not services.session.actor.can(Permission.VIEW_FAMILIES):
        return {}
    counts: dict[int, int] = {}
    for entry in services.waiting.entries():
        if entry.status == "waiting":
            key = entry.pattern_id or 0
            counts[key] = counts.get(key, 0) + 1
    return counts


def build_services(session: Session) -> Services:
    return Services(session)

"""Every service for one unlocked session, built in one place. Later areas add theirs here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ccc_desktop.models.services import (
    area_retention,  # noqa: F401 - registers retention sources
    families_dp,  # noqa: F401 - families' retention, SAR, rectifiers
)
from ccc_desktop.models.services.accounts import AccountService
from ccc_desktop.models.services.audit import AuditTrail
from ccc_desktop.models.services.backup import BackupService
from ccc_desktop.models.services.centre import CentreService
from ccc_desktop.models.services.dashboard import DashboardService
from ccc_desktop.models.services.disclosures import DisclosureService
from ccc_desktop.models.services.families import FamilyService
from ccc_desktop.models.services.imports import ImportService
from ccc_desktop.models.services.legal import AgreementService, PoliceService, SummonsService
from ccc_desktop.models.services.letters import LetterService
from ccc_desktop.models.services.policy import PolicyService
from ccc_desktop.models.services.rectification import RectificationService
from ccc_desktop.models.services.register import BookingService, RegisterService
from ccc_desktop.models.services.retention import RetentionService
from ccc_desktop.models.services.subject_access import SubjectAccessService
from ccc_desktop.models.services.templates import TemplateService
from ccc_desktop.models.services.volunteers import DbsService, VolunteerService

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session


@dataclass
class Services:
    session: Session
    accounts: AccountService
    audit: AuditTrail
    centre: CentreService
    letters: LetterService
    summonses: SummonsService
    police: PoliceService
    agreements: AgreementService
    templates: TemplateService
    policy: PolicyService
    volunteers: VolunteerService
    dbs: DbsService
    families: FamilyService
    bookings: BookingService
    register: RegisterService
    disclosures: DisclosureService
    retention: RetentionService
    subject_access: SubjectAccessService
    rectification: RectificationService
    backup: BackupService
    imports: ImportService

    @property
    def dashboard(self) -> DashboardService:
        return DashboardService(self)


def build_services(session: Session) -> Services:
    return Services(
        session=session,
        accounts=AccountService(session),
        audit=session.audit,
        centre=CentreService(session),
        letters=LetterService(session),
        summonses=SummonsService(session),
        police=PoliceService(session),
        agreements=AgreementService(session),
        templates=TemplateService(session),
        policy=PolicyService(session),
        volunteers=VolunteerService(session),
        dbs=DbsService(session),
        families=FamilyService(session),
        bookings=BookingService(session),
        register=RegisterService(session),
        disclosures=DisclosureService(session),
        retention=RetentionService(session),
        subject_access=SubjectAccessService(session),
        rectification=RectificationService(session),
        backup=BackupService(session),
        imports=ImportService(session),
    )

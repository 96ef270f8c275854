"""The data-protection area (``DATA_PROTECTION``): retention and disposal, subject access
requests, rectification of the requests' own fields, and backups. The machinery that asks every
area (``retention.py``, ``subject_access.py``, ``rectification.py``) lives beside it; this area
also brings its own parts, listed here like any other area's."""

from __future__ import annotations

from ccc_desktop.models.roles import Permission
from ccc_desktop.models.services.area import Area
from ccc_desktop.models.services.backup import backup_section
from ccc_desktop.models.services.retention import retention_section, sar_holds
from ccc_desktop.models.services.subject_access import (
    RECTIFIERS,
    SUBJECT_TYPE,
    SubjectAccessRetention,
    letters_source,
    request_source,
    sar_section,
)

DATA_PROTECTION = Area(
    "data protection",
    dashboard=(retention_section, sar_section, backup_section),
    retention_sources=(SubjectAccessRetention(),),
    holds=(sar_holds,),  # an open subject access request holds its record back
    sar_sources=(request_source, letters_source),
    rectifiers=RECTIFIERS,
    letter_subjects={SUBJECT_TYPE: Permission.VIEW_REPORTS},
)

"""What each kind of import holds: its fields, the headers that name them, and turning one
spreadsheet cell into the value the services take, or a problem in plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache

from ccc_desktop.models.dates import format_date
from ccc_desktop.models.families_records import AdultRole, ContactKind, Route
from ccc_desktop.models.imports.reading import Cell, shown
from ccc_desktop.models.storage.name_folding import fold
from ccc_desktop.models.volunteers_records import DbsLevel, DbsOutcome, VolunteerRole


class Kind(StrEnum):
    FAMILIES = "families"
    VOLUNTEERS = "volunteers"
    SESSIONS = "sessions"

    @property
    def label(self) -> str:
        return {"families": "Families", "volunteers": "Volunteers",
                "sessions": "Session days"}[self.value]

    @property
    def noun(self) -> str:
        return {"families": "family", "volunteers": "volunteer", "sessions": "session day"}[self.value]


class Type(StrEnum):
    TEXT = "text"
    DATE = "date"
    BOOL = "yes/no"
    INT = "number"
    CHOICE = "choice"
    CERTIFICATE = "certificate"
    TIME = "time"
    ROLES = "roles"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: Type = Type.TEXT
    synonyms: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (what a spreadsheet may say, stored value)
    help: str = ""
    group: str = field(default="", compare=False)  # e.g. "adult 1": required only if the group is used


ADULTS = 2
CHILDREN = 4

_ROLE_CHOICES = (("resident parent", AdultRole.RESIDENT.value), ("resident", AdultRole.RESIDENT.value),
                 ("resident parent carer", AdultRole.RESIDENT.value),
                 ("visiting parent", AdultRole.VISITING.value), ("visiting", AdultRole.VISITING.value),
                 ("non resident parent", AdultRole.VISITING.value),
                 ("other relative", AdultRole.RELATIVE.value), ("relative", AdultRole.RELATIVE.value),
                 ("grandparent", AdultRole.RELATIVE.value))
_ROUTE_CHOICES = (("self", Route.SELF.value), ("self referral", Route.SELF.value),
                  ("solicitor", Route.SOLICITOR.value), ("cafcass", Route.CAFCASS.value),
                  ("cafcass cymru", Route.CAFCASS.value),
                  ("social services", Route.SOCIAL_SERVICES.value),
                  ("local authority", Route.SOCIAL_SERVICES.value),
                  ("children s services", Route.SOCIAL_SERVICES.value),
                  ("other", Route.OTHER.value))
_KIND_CHOICES = (("supported", ContactKind.SUPPORTED.value),
                 ("supported contact", ContactKind.SUPPORTED.value),
                 ("supervised", ContactKind.SUPERVISED.value),
                 ("supervised contact", ContactKind.SUPERVISED.value),
                 ("handover", ContactKind.HANDOVER.value), ("handovers", ContactKind.HANDOVER.value))
_LEVEL_CHOICES = (("basic", DbsLevel.BASIC.value), ("standard", DbsLevel.STANDARD.value),
                  ("enhanced", DbsLevel.ENHANCED.value),
                  ("enhanced with children s barred list", DbsLevel.ENHANCED_BARRED.value),
                  ("enhanced with barred list", DbsLevel.ENHANCED_BARRED.value),
                  ("enhanced barred list", DbsLevel.ENHANCED_BARRED.value),
                  ("enhanced barred", DbsLevel.ENHANCED_BARRED.value),
                  ("enhanced and barred", DbsLevel.ENHANCED_BARRED.value))
_OUTCOME_CHOICES = (("clear", DbsOutcome.CLEAR.value), ("no information", DbsOutcome.CLEAR.value),
                    ("disclosed", DbsOutcome.DISCLOSED.value),
                    ("information disclosed", DbsOutcome.DISCLOSED.value))


def _adult_fields(n: int) -> list[Field]:
    alone = ("",) if n == 1 else ()
    def syn(*words: str) -> tuple[str, ...]:
        out = []
        for who in ("adult", "parent", "carer"):
            for w in words:
                out.append(f"{who} {n} {w}")
                out.append(f"{who}{n} {w}")
                out += [f"{who} {w}" for _ in alone]
        return tuple(out)
    g = f"adult {n}"
    return [
        Field(f"adult{n}_name", f"Adult {n}: name", synonyms=syn("name", "full name"),
              required=True, group=g, example="Sam Carter" if n == 1 else "Alex Carter"),
        Field(f"adult{n}_role", f"Adult {n}: role", Type.CHOICE, syn("role", "relationship"),
              required=True, group=g, choices=_ROLE_CHOICES,
              example="Resident parent" if n == 1 else "Visiting parent",
              help="Resident parent, Visiting parent or Other relative"),
        Field(f"adult{n}_phone", f"Adult {n}: phone", synonyms=syn("phone", "telephone", "mobile", "tel"),
              group=g, example="07700 900123" if n == 1 else ""),
        Field(f"adult{n}_email", f"Adult {n}: email", synonyms=syn("email", "e mail"), group=g),
        Field(f"adult{n}_address", f"Adult {n}: address", synonyms=syn("address"), group=g,
              example="1 Example Road, Chesterfield" if n == 1 else ""),
    ]


def _child_fields(n: int) -> list[Field]:
    def syn(*words: str) -> tuple[str, ...]:
        out = []
        for w in words:
            out += [f"child {n} {w}", f"child{n} {w}"]
            if n == 1:
                out.append(f"child {w}")
        return tuple(out)
    g = f"child {n}"
    return [
        Field(f"child{n}_name", f"Child {n}: name", synonyms=syn("name", "full name"),
              required=True, group=g, example="Jo Carter" if n == 1 else ""),
        Field(f"child{n}_dob", f"Child {n}: date of birth", Type.DATE,
              syn("dob", "date of birth", "d o b", "birth date", "born"), required=True, group=g,
              example="14/03/2019" if n == 1 else ""),
        Field(f"child{n}_needs", f"Child {n}: needs", synonyms=syn("needs", "additional needs"),
              group=g),
    ]


FAMILY_FIELDS: tuple[Field, ...] = (
    Field("referral_date", "Referral date", Type.DATE,
          ("referral date", "referred on", "date referred", "referral received", "date of referral"),
          required=True, example="02/09/2026"),
    Field("route", "Referral route", Type.CHOICE, ("referral route", "route", "referred by type",
                                                    "referral type", "source"),
          choices=_ROUTE_CHOICES, example="Solicitor",
          help="Self, Solicitor, Cafcass, Social services or Other (empty: Other)"),
    Field("referrer_name", "Referrer", synonyms=("referrer", "referrer name", "referred by"),
          example="A. Solicitor"),
    Field("referrer_organisation", "Referrer's organisation",
          synonyms=("referrer organisation", "referrer s organisation", "organisation", "agency",
                    "firm"), example="Example & Co"),
    Field("court_order", "Court order", Type.BOOL, ("court order", "court ordered", "order"),
          example="No", help="Yes or No"),
    Field("contact_kind", "Kind of contact", Type.CHOICE,
          ("kind of contact", "contact kind", "contact type", "type of contact", "service"),
          choices=_KIND_CHOICES, example="Supported",
          help="Supported, Supervised or Handover (empty: Supported)"),
    *[f for n in range(1, ADULTS + 1) for f in _adult_fields(n)],
    *[f for n in range(1, CHILDREN + 1) for f in _child_fields(n)],
)

VOLUNTEER_FIELDS: tuple[Field, ...] = (
    Field("full_name", "Name", synonyms=("name", "full name", "volunteer", "volunteer name"),
          required=True, example="Pat Jones"),
    Field("address", "Address", synonyms=("address", "home address"), example="2 Example Street"),
    Field("phone", "Phone", synonyms=("phone", "telephone", "mobile", "tel", "phone number"),
          example="01246 555014"),
    Field("email", "Email", synonyms=("email", "e mail", "email address")),
    Field("date_of_birth", "Date of birth", Type.DATE, ("dob", "date of birth", "d o b", "birth date"),
          example="05/06/1961"),
    Field("start_date", "Started", Type.DATE, ("start date", "started", "joined", "date joined"),
          example="01/02/2024"),
    Field("roles", "Roles", Type.ROLES, ("role", "roles"), example="Session volunteer",
          help="Session volunteer, Coordinator, Committee member (several: separate with commas)"),
    Field("references_received", "References received", Type.INT,
          ("references", "references received"), example="2"),
    Field("induction_on", "Induction", Type.DATE, ("induction", "induction date", "inducted on"),
          example="15/02/2024"),
    Field("safeguarding_on", "Safeguarding training", Type.DATE,
          ("safeguarding", "safeguarding training", "safeguarding date"), example="20/02/2024"),
    Field("undertaking_signed_on", "Undertaking signed", Type.DATE,
          ("undertaking", "undertaking signed", "confidentiality undertaking",
           "confidentiality signed"), example="01/02/2024"),
    Field("policy_read_on", "Policy read", Type.DATE, ("policy read", "policy", "policy agreed"),
          example="01/02/2024"),
    Field("dbs_level", "DBS level", Type.CHOICE, ("dbs level", "level", "dbs type", "check level"),
          required=True, group="dbs", choices=_LEVEL_CHOICES,
          example="Enhanced with barred list",
          help="Basic, Standard, Enhanced, or Enhanced with barred list"),
    Field("dbs_certificate", "DBS certificate number", Type.CERTIFICATE,
          ("dbs certificate", "dbs certificate number", "certificate number", "certificate no",
           "dbs number", "dbs no", "certificate"), required=True, group="dbs",
          example="001234567890", help="the 12 digits on the certificate"),
    Field("dbs_issue_date", "DBS issue date", Type.DATE,
          ("dbs issue date", "issue date", "dbs date", "date of issue", "dbs issued",
           "dbs check date"), required=True, group="dbs", example="10/01/2024"),
    Field("dbs_outcome", "DBS outcome", Type.CHOICE, ("dbs outcome", "outcome", "dbs result", "result"),
          required=True, group="dbs", choices=_OUTCOME_CHOICES, example="Clear",
          help="Clear (a certificate that disclosed information is entered by hand)"),
    Field("dbs_checked_by", "ID checked by", synonyms=("id checked by", "checked by", "verified by"),
          required=True, group="dbs", example="Coordinator"),
    Field("dbs_update_service", "On the Update Service", Type.BOOL,
          ("update service", "dbs update service", "on update service"), group="dbs",
          example="No", help="Yes or No"),
)

SESSION_FIELDS: tuple[Field, ...] = (
    Field("session_date", "Date", Type.DATE, ("date", "session date", "day"), required=True,
          example="05/12/2026"),
    Field("start_time", "Starts at", Type.TIME, ("start", "starts", "start time", "from", "starts at"),
          required=True, example="10:00"),
    Field("end_time", "Ends at", Type.TIME, ("end", "ends", "end time", "to", "until", "ends at"),
          required=True, example="12:00"),
    Field("capacity", "Families (capacity)", Type.INT,
          ("capacity", "families", "places", "spaces", "max families"), required=True, example="6"),
)

FIELDS: dict[Kind, tuple[Field, ...]] = {
    Kind.FAMILIES: FAMILY_FIELDS, Kind.VOLUNTEERS: VOLUNTEER_FIELDS, Kind.SESSIONS: SESSION_FIELDS,
}


def field_by_key(kind: Kind, key: str) -> Field:
    for f in FIELDS[kind]:
        if f.key == key:
            return f
    raise KeyError(key)


_WORD = re.compile(r"[a-z0-9]+")


def normalise_header(text: str) -> str:
    return " ".join(_WORD.findall(fold(text or "")))


def guess_mapping(kind: Kind, headers: tuple[str, ...] | list[str],
                  saved: dict[str, str] | None = None) -> dict[str, str | None]:
    """Header -> field key (or None: not imported). A mapping saved from an earlier import of a
    file with the same header wins; then exact synonyms; then a header that contains one."""
    fields = FIELDS[kind]
    keys = {f.key for f in fields}
    out: dict[str, str | None] = {h: None for h in headers}
    taken: set[str] = set()
    saved = saved or {}
    for h in headers:
        key = saved.get(normalise_header(h))
        if key in keys and key not in taken:
            out[h] = key
            taken.add(key)
    for exact in (True, False):
        for h in headers:
            if out[h] is not None or normalise_header(h) in saved:
                continue
            norm = normalise_header(h)
            for f in fields:
                if f.key in taken:
                    continue
                names = (normalise_header(f.label), *f.synonyms)
                hit = norm in names if exact else any(
                    len(s) > 3 and re.search(rf"\b{re.escape(s)}\b", norm) for s in names)
                if hit:
                    out[h] = f.key
                    taken.add(f.key)
                    break
    return out


def guess_kind(headers: tuple[str, ...]) -> Kind:
    scores = {k: sum(1 for v in guess_mapping(k, headers).values() if v) for k in Kind}
    return max(Kind, key=lambda k: (scores[k], k is Kind.FAMILIES))


# ---- cells to values -----------------------------------------------------------------------
EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.0+)?$")
_HM = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")
_YES = {"yes", "y", "true", "1", "x", "ticked"}
_NO = {"no", "n", "false", "0", "", "none"}


class CellProblem(ValueError):
    """A cell that cannot become its field's value; the message is plain words."""


def to_date(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool):
        raise CellProblem(f"{shown(cell)} is not a date")
    if isinstance(cell, int | float) or (isinstance(cell, str) and _SERIAL.match(cell.strip())):
        serial = float(cell)  # an Excel serial date (days since 30 Dec 1899)
        if not 1 <= serial < 2958466:
            raise CellProblem(f"{shown(cell)} is not a date")
        return EXCEL_EPOCH + timedelta(days=int(serial))
    text = str(cell).strip()
    m = _DMY.match(text)
    if m:
        d, mo, y = m.groups()
        if len(y) == 2:
            raise CellProblem(f"{text} has a two-digit year: write the year in full, "
                              "for example 14/03/2019")
        try:
            return date(int(y), int(mo), int(d))
        except ValueError:
            raise CellProblem(f"{text} is not a real date") from None
    m = _ISO.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise CellProblem(f"{text} is not a real date") from None
    raise CellProblem(f"{text} is not a date (write it as dd/mm/yyyy, for example 14/03/2019)")


def to_time(cell: Cell) -> str:
    if isinstance(cell, datetime):
        cell = cell.time()
    if isinstance(cell, time):
        return f"{cell.hour:02d}:{cell.minute:02d}"
    if isinstance(cell, float) and 0 <= cell < 1:  # Excel keeps a time as a fraction of a day
        minutes = round(cell * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    text = str(cell).strip()
    m = _HM.match(text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise CellProblem(f"{text} is not a time (write it as hh:mm, for example 10:30)")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def to_bool(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = normalise_header(shown(cell))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellProblem(f"{shown(cell)} is not Yes or No")


def to_int(cell: Cell) -> int:
    if isinstance(cell, bool):
        raise CellProblem(f"{shown(cell)} is not a whole number")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    text = str(cell).strip()
    if re.fullmatch(r"\d{1,6}", text):
        return int(text)
    raise CellProblem(f"{text} is not a whole number")


@lru_cache(maxsize=64)
def _choice_words(f: Field) -> dict[str, str]:
    """What a cell may say (normalised) -> the stored value, the first choice winning."""
    out: dict[str, str] = {}
    for said, value in f.choices:
        out.setdefault(said, value)
        out.setdefault(normalise_header(value), value)
    return out


def to_choice(f: Field, cell: Cell) -> str:
    value = _choice_words(f).get(normalise_header(shown(cell)))
    if value is not None:
        return value
    raise CellProblem(f"{shown(cell)} is not one of the choices ({f.help or 'see the template'})")


def to_certificate(cell: Cell) -> str:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if isinstance(cell, float) and not cell.is_integer():
            raise CellProblem(f"{shown(cell)} is not a certificate number")
        # Excel drops the leading zeros of a number typed into a cell: put them back.
        digits = str(int(cell)).zfill(12)
    else:
        digits = re.sub(r"[\s\-]", "", str(cell))
    if not re.fullmatch(r"\d{12}", digits):
        raise CellProblem(f"{shown(cell)} is not a certificate number: it must be the 12 digits "
                          "printed on the certificate")
    return digits


_ROLE_WORDS = {"session": VolunteerRole.SESSION, "session volunteer": VolunteerRole.SESSION,
               "volunteer": VolunteerRole.SESSION, "coordinator": VolunteerRole.COORDINATOR,
               "committee": VolunteerRole.COMMITTEE, "committee member": VolunteerRole.COMMITTEE,
               "trustee": VolunteerRole.COMMITTEE}


def to_roles(cell: Cell) -> frozenset[VolunteerRole]:
    out = set()
    for part in re.split(r"[,;/&+]| and ", shown(cell)):
        word = normalise_header(part)
        if not word:
            continue
        if word not in _ROLE_WORDS:
            raise CellProblem(f"{part.strip()} is not a volunteer role (Session volunteer, "
                              "Coordinator or Committee member)")
        out.add(_ROLE_WORDS[word])
    return frozenset(out)


def convert(f: Field, cell: Cell) -> object:
    """The field's value from one cell; blank cells give None. Raises CellProblem."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    match f.type:
        case Type.DATE:
            return to_date(cell)
        case Type.TIME:
            return to_time(cell)
        case Type.BOOL:
            return to_bool(cell)
        case Type.INT:
            return to_int(cell)
        case Type.CHOICE:
            return to_choice(f, cell)
        case Type.CERTIFICATE:
            return to_certificate(cell)
        case Type.ROLES:
            return to_roles(cell)
    text = shown(cell).strip()
    if f.key.endswith("phone") and isinstance(cell, int | float) and not text.startswith("0") \
            and len(text) == 10:
        text = "0" + text  # a UK number typed into Excel as a number lost its leading 0
    return text


_CHOICE_ENUMS = (Route, AdultRole, ContactKind, DbsLevel, DbsOutcome)


def display(value: object) -> str:
    """A converted value as the preview shows it (dates as 24 Nov 2026, choices by name)."""
    if value is None:
        return ""
    if isinstance(value, str):
        for enum in _CHOICE_ENUMS:
            try:
                return str(enum(value).label)
            except ValueError:
                continue
        return value
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, frozenset):
        return ", ".join(sorted(r.label for r in value))
    return str(value)

"""Checking a mapped spreadsheet row by row, before anything is written.

A ``Plan`` holds every row as it will be stored, every problem by row and column in plain
words, and the likely duplicates within the file. The import service adds duplicates against
the vault and writes the rows through the domain services, which check everything again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ccc_desktop.models.dates import add_years, format_date
from ccc_desktop.models.families_records import (
    AdultInput,
    AdultRole,
    ChildInput,
    ReferralInput,
    Route,
)
from ccc_desktop.models.imports.fields import (
    ADULTS,
    CHILDREN,
    FIELDS,
    CellProblem,
    Field,
    Kind,
    convert,
    display,
    shown,
)
from ccc_desktop.models.imports.reading import Cell, Sheet
from ccc_desktop.models.storage.name_folding import fold
from ccc_desktop.models.volunteers_records import (
    DbsCheckInput,
    DbsLevel,
    DbsOutcome,
    VolunteerDetails,
    VolunteerRole,
)

CHILD_MAX_AGE = 18
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+() \-]{6,25}$")


class Choice:
    """What to do with a row that is a likely duplicate."""

    SKIP = "skip"
    MERGE = "merge"
    IMPORT = "import"  # not a duplicate after all: import it as a new record


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # the file's header, or the field's name when the column is not in the file
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "The file"
        col = f", column \u201c{self.column}\u201d" if self.column else ""
        return f"{where}{col}: {self.message}."


@dataclass(frozen=True)
class Duplicate:
    reason: str  # "same name and date of birth", "same phone number", "same certificate number"
    row: int | None = None  # an earlier row of the file
    record_id: int | None = None  # a record already in the vault
    record_label: str = ""

    def __str__(self) -> str:
        where = f"row {self.row} of the file" if self.row else self.record_label
        return f"{self.reason} as {where}"


@dataclass
class PlannedRow:
    number: int
    cells: dict[str, Cell]  # field key -> the cell (a fix in the preview replaces it)
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    fixed: bool = False

    @property
    def clean(self) -> bool:
        return not self.problems


@dataclass
class Plan:
    kind: Kind
    sheet: Sheet
    mapping: dict[str, str | None]  # header -> field key
    today: date
    rows: list[PlannedRow] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    _columns: dict[tuple[tuple[str, str | None], ...], dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def fields(self) -> tuple[Field, ...]:
        return FIELDS[self.kind]

    def column_of(self, key: str) -> str:
        """The file's header mapped to the field (the first, if several), else its label."""
        mapping = tuple(self.mapping.items())
        columns = self._columns.get(mapping)
        if columns is None:  # worked out once per mapping: every row's check asks
            columns = {f.key: f.label for f in self.fields}
            for header, k in reversed(mapping):
                if k:
                    columns[k] = header
            self._columns = {mapping: columns}
        return columns[key]

    def mapped_fields(self) -> list[Field]:
        used = set(self.mapping.values())
        return [f for f in self.fields if f.key in used]

    @property
    def problems(self) -> list[Problem]:
        return [*self.file_problems, *(p for r in self.rows for p in r.problems)]

    def row(self, number: int) -> PlannedRow:
        for r in self.rows:
            if r.number == number:
                return r
        raise KeyError(number)

    def preview(self, row: PlannedRow) -> list[str]:
        """The mapped fields of one row as they will be stored."""
        out = []
        for f in self.mapped_fields():
            if f.key in row.values:
                out.append(display(row.values[f.key]))
            else:
                out.append(shown(row.cells.get(f.key)))
        return out

    def fix(self, number: int, key: str, text: str) -> PlannedRow:
        """Replace one cell (typed in the preview) and check the row and duplicates again."""
        r = self.row(number)
        r.cells[key] = text
        r.fixed = True
        check_row(self, r)
        find_duplicates_in_file(self)
        return r

    def summary(self) -> str:
        clean = sum(1 for r in self.rows if r.clean and not r.duplicates)
        return (f"{len(self.rows)} rows: {clean} ready to import, "
                f"{sum(1 for r in self.rows if r.problems)} with problems, "
                f"{sum(1 for r in self.rows if r.duplicates and r.clean)} likely duplicates")


def build_plan(kind: Kind, sheet: Sheet, mapping: dict[str, str | None], today: date,
               progress: Callable[[int, int], None] | None = None) -> Plan:
    plan = Plan(kind=kind, sheet=sheet, mapping=dict(mapping), today=today)
    index = {h: i for i, h in enumerate(sheet.headers)}
    used = {k for k in mapping.values() if k}
    for f in plan.fields:
        if f.required and not f.group and f.key not in used:
            plan.file_problems.append(Problem(0, "", f"no column holds \u201c{f.label}\u201d, "
                                              "which every row needs: choose it in the mapping"))
    extra = [r.number for r in sheet.rows if len(r.cells) > len(sheet.headers)]
    for number in extra[:20]:
        plan.file_problems.append(Problem(number, "", "this row has more cells than the header "
                                          "has columns: a value may be in the wrong column"))
    for src in sheet.rows:
        cells = {key: src.cells[index[h]] for h, key in mapping.items()
                 if key and h in index and index[h] < len(src.cells)}
        row = PlannedRow(number=src.number, cells=cells)
        check_row(plan, row)
        plan.rows.append(row)
        if progress is not None and len(plan.rows) % 250 == 0:
            progress(len(plan.rows), len(sheet.rows))
    find_duplicates_in_file(plan)
    return plan


# ---- one row -------------------------------------------------------------------------------
def check_row(plan: Plan, row: PlannedRow) -> None:
    row.values, row.problems = {}, []

    def problem(key: str, message: str) -> None:
        row.problems.append(Problem(row.number, plan.column_of(key), message))

    for f in plan.fields:
        if f.key not in row.cells:
            continue
        try:
            value = convert(f, row.cells[f.key])
        except CellProblem as exc:
            problem(f.key, str(exc))
            continue
        if value is not None:
            row.values[f.key] = value
    bad = {p.column for p in row.problems}
    used_groups = {f.group for f in plan.fields if f.group and f.key in row.values}
    for f in plan.fields:
        if not f.required or plan.column_of(f.key) in bad:
            continue
        if f.key not in row.values and (not f.group or f.group in used_groups):
            if f.key in row.cells or f.group:
                problem(f.key, f"{f.label} is empty" if f.key in plan.mapping.values()
                        else f"{f.label} is needed, and no column holds it")
    {Kind.FAMILIES: _family_rules, Kind.VOLUNTEERS: _volunteer_rules,
     Kind.SESSIONS: _session_rules}[plan.kind](plan, row, problem)


def _past(plan: Plan, row: PlannedRow, problem: Any, key: str, label: str) -> None:
    value = row.values.get(key)
    if isinstance(value, date) and value > plan.today:
        problem(key, f"{label} {format_date(value)} is in the future")


def _family_rules(plan: Plan, row: PlannedRow, problem: Any) -> None:
    v = row.values
    _past(plan, row, problem, "referral_date", "the referral date")
    if not any(f"adult{n}_name" in v for n in range(1, ADULTS + 1)) and \
            not any(p.column == plan.column_of("adult1_name") for p in row.problems):
        problem("adult1_name", "a family needs at least one adult's name")
    for n in range(1, ADULTS + 1):
        phone, email = v.get(f"adult{n}_phone"), v.get(f"adult{n}_email")
        if phone and not _PHONE.match(phone):
            problem(f"adult{n}_phone", f"{phone} is not a phone number (digits, spaces and + only)")
        if email and not _EMAIL.match(email):
            problem(f"adult{n}_email", f"{email} is not an email address")
        name = v.get(f"adult{n}_name", "")
        if len(name) > 120:
            problem(f"adult{n}_name", "the name is longer than 120 characters")
    for n in range(1, CHILDREN + 1):
        dob = v.get(f"child{n}_dob")
        if not isinstance(dob, date):
            continue
        if dob > plan.today:
            problem(f"child{n}_dob", f"the date of birth {format_date(dob)} is in the future")
        elif add_years(dob, CHILD_MAX_AGE) <= plan.today:
            problem(f"child{n}_dob", f"born {format_date(dob)}, the child is {CHILD_MAX_AGE} or "
                    "older: a contact centre's records are for children under 18")


def _volunteer_rules(plan: Plan, row: PlannedRow, problem: Any) -> None:
    v = row.values
    for key, label in (("date_of_birth", "the date of birth"), ("start_date", "the start date"),
                       ("induction_on", "the induction date"),
                       ("safeguarding_on", "the safeguarding training date"),
                       ("undertaking_signed_on", "the undertaking date"),
                       ("policy_read_on", "the date the policy was read"),
                       ("dbs_issue_date", "the DBS issue date")):
        _past(plan, row, problem, key, label)
    if v.get("phone") and not _PHONE.match(v["phone"]):
        problem("phone", f"{v['phone']} is not a phone number (digits, spaces and + only)")
    if v.get("email") and not _EMAIL.match(v["email"]):
        problem("email", f"{v['email']} is not an email address")
    if v.get("dbs_outcome") == DbsOutcome.DISCLOSED.value:
        problem("dbs_outcome", "a certificate that disclosed information needs the disclosure "
                "and the risk decision written down: leave this check out of the file and enter "
                "it by hand in the volunteer's record")
    refs = v.get("references_received")
    if refs is not None and not 0 <= refs <= 9:
        problem("references_received", f"{refs} references: enter a number from 0 to 9")
    dob, issue = v.get("date_of_birth"), v.get("dbs_issue_date")
    if dob and issue and issue <= dob:
        problem("dbs_issue_date", "the DBS issue date is before the date of birth")


def _session_rules(plan: Plan, row: PlannedRow, problem: Any) -> None:
    v = row.values
    if v.get("start_time") and v.get("end_time") and v["end_time"] <= v["start_time"]:
        problem("end_time", "the session ends before it starts")
    cap = v.get("capacity")
    if cap is not None and not 1 <= cap <= 200:
        problem("capacity", f"{cap} families: enter a number from 1 to 200")


# ---- duplicates ----------------------------------------------------------------------------
def _digits(phone: str) -> str:
    d = re.sub(r"\D", "", phone or "")
    return "0" + d[2:] if d.startswith("44") and len(d) == 12 else d


def duplicate_keys(kind: Kind, values: dict[str, Any]) -> list[tuple[str, tuple[object, ...]]]:
    """(reason, key) pairs: two records sharing a key are likely the same people."""
    out: list[tuple[str, tuple[object, ...]]] = []
    if kind is Kind.FAMILIES:
        for n in range(1, CHILDREN + 1):
            if values.get(f"child{n}_name") and values.get(f"child{n}_dob"):
                out.append(("same child's name and date of birth",
                            (fold(values[f"child{n}_name"]).strip(), values[f"child{n}_dob"])))
        for n in range(1, ADULTS + 1):
            if len(_digits(values.get(f"adult{n}_phone", ""))) >= 6:
                out.append(("same phone number", (_digits(values[f"adult{n}_phone"]),)))
    elif kind is Kind.VOLUNTEERS:
        if values.get("full_name") and values.get("date_of_birth"):
            out.append(("same name and date of birth",
                        (fold(values["full_name"]).strip(), values["date_of_birth"])))
        if len(_digits(values.get("phone", ""))) >= 6:
            out.append(("same phone number", (_digits(values["phone"]),)))
        if values.get("dbs_certificate"):
            out.append(("same certificate number", (values["dbs_certificate"],)))
    else:
        if values.get("session_date") and values.get("start_time"):
            out.append(("same date and start time", (values["session_date"], values["start_time"])))
    return out


def find_duplicates_in_file(plan: Plan) -> None:
    seen: dict[tuple[str, tuple[object, ...]], int] = {}
    for r in plan.rows:
        r.duplicates = [d for d in r.duplicates if d.row is None]
        if r.problems:
            continue
        for reason, key in duplicate_keys(plan.kind, r.values):
            first = seen.setdefault((reason, key), r.number)
            if first != r.number and not any(d.row == first for d in r.duplicates):
                r.duplicates.append(Duplicate(reason, row=first))


# ---- rows to the services' inputs ------------------------------------------------------------
def _dmy(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def family_inputs(values: dict[str, Any]) -> tuple[ReferralInput, list[AdultInput], list[ChildInput]]:
    referral = ReferralInput(
        referral_date=_dmy(values.get("referral_date")),
        route=values.get("route") or Route.OTHER.value,
        referrer_name=values.get("referrer_name", ""),
        referrer_organisation=values.get("referrer_organisation", ""),
        court_order=bool(values.get("court_order", False)),
        contact_kind=values.get("contact_kind") or "supported")
    adults = [AdultInput(full_name=values[f"adult{n}_name"],
                         role=values.get(f"adult{n}_role") or AdultRole.RESIDENT.value,
                         address=values.get(f"adult{n}_address", ""),
                         phone=values.get(f"adult{n}_phone", ""),
                         email=values.get(f"adult{n}_email", ""))
              for n in range(1, ADULTS + 1) if values.get(f"adult{n}_name")]
    children = [ChildInput(full_name=values[f"child{n}_name"],
                           date_of_birth=_dmy(values.get(f"child{n}_dob")),
                           needs=values.get(f"child{n}_needs", ""))
                for n in range(1, CHILDREN + 1) if values.get(f"child{n}_name")]
    return referral, adults, children


def volunteer_inputs(values: dict[str, Any]) -> tuple[VolunteerDetails, DbsCheckInput | None]:
    details = VolunteerDetails(
        full_name=values.get("full_name", ""), address=values.get("address", ""),
        phone=values.get("phone", ""), email=values.get("email", ""),
        date_of_birth=values.get("date_of_birth"), start_date=values.get("start_date"),
        roles=values.get("roles") or frozenset({VolunteerRole.SESSION}),
        references_received=values.get("references_received") or 0,
        induction_on=values.get("induction_on"), safeguarding_on=values.get("safeguarding_on"),
        undertaking_signed_on=values.get("undertaking_signed_on"),
        policy_read_on=values.get("policy_read_on"))
    check = None
    if values.get("dbs_certificate"):
        check = DbsCheckInput(
            level=DbsLevel(values["dbs_level"]), certificate_number=values["dbs_certificate"],
            issue_date=values["dbs_issue_date"], id_checked_by=values.get("dbs_checked_by", ""),
            outcome=DbsOutcome(values["dbs_outcome"]),
            update_service=bool(values.get("dbs_update_service", False)))
    return details, check


def session_inputs(values: dict[str, Any]) -> tuple[str, str, str, int]:
    return (_dmy(values["session_date"]), values["start_time"], values["end_time"],
            int(values["capacity"]))


def field_for_error(kind: Kind, service_field: str | None) -> str | None:
    """The import field a service's ValidationError names (e.g. 'adults.1.phone' -> adult2_phone)."""
    if not service_field:
        return None
    m = re.match(r"^(adults|children)\.(\d+)\.(\w+)$", service_field)
    if m:
        n = int(m.group(2)) + 1
        sub = {"full_name": "name", "date_of_birth": "dob"}.get(m.group(3), m.group(3))
        return f"{'adult' if m.group(1) == 'adults' else 'child'}{n}_{sub}"
    if kind is Kind.VOLUNTEERS:
        return {"certificate_number": "dbs_certificate", "issue_date": "dbs_issue_date",
                "level": "dbs_level", "outcome": "dbs_outcome", "id_checked_by": "dbs_checked_by"
                }.get(service_field, service_field)
    return {"route": "route"}.get(service_field, service_field)

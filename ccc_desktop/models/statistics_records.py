"""The statistics ledger's vocabulary and arithmetic (issue 14). Pure: no SQL, no Qt.

What a record adds to the ledger (its *contribution*) is worked out from the record itself:
a multiset of ``(day, event, category) -> amount``. Each record keeps its current contribution
beside it (``stats_json``), so a change adds only the difference to the ledger, and destroying
the record (which deletes that column with the row) leaves its counts in the ledger.

Distinct counts ("families seen in the quarter") cannot be summed from daily counts without
something that identifies a family, and the ledger holds nothing of the kind. Instead a family
adds one marker for each calendar month it attended, whose category is the previous month it
attended ('' for its first): the families seen in months A..B are the markers in A..B whose
previous month is before A. That is exact for any run of whole months and holds only months.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ccc_desktop.models.dates import format_month
from ccc_desktop.models.families_records import Route

# What the ledger keeps, in the words of the retention report and the subject access pack.
LEDGER_STATEMENT = (
    "The centre's statistics (for the NACCC return and the annual report) are kept as an "
    "anonymised ledger of counts: a day or a month, what happened (a referral received, a "
    "session attended, a family closed...), a category from a fixed list (the referral route, "
    "a reason, a child's age band) and a number. It holds no names, references, addresses, "
    "dates of birth, free text or anything that points back to a record, so it is not "
    "information about any person; when a record is destroyed, its counts stay in the ledger.")

Key = tuple[str, str, str]  # (day 'YYYY-MM-DD', event, category)
Contribution = Counter[Key]


class Choice(StrEnum):
    """A reason kept as its value (what is stored) with the words shown for it (``label``)."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Choice:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class CloseReason(Choice):
    OWN_ARRANGEMENTS = "own arrangements", "Moved on to their own arrangements"
    ANOTHER_CENTRE = "another centre", "Moved to another centre or to supervised contact"
    COURT_ORDER = "court order changed", "Court order changed"
    FAMILY_WITHDREW = "family withdrew", "Family withdrew"
    SAFETY = "ended for safety", "Ended by the centre for safety"
    OTHER = "other", "Other (with a note)"
    # closed before this version asked
    NOT_RECORDED = "not recorded", "Not recorded (closed before reasons were asked)"


class DeclineReason(Choice):
    NO_PLACE = "no place", "No place could be offered"
    NOT_SUITABLE = "not suitable", "Not suitable for supported contact (risk)"
    OUTSIDE_AREA = "outside area", "Outside the centre's area"
    INCOMPLETE = "incomplete referral", "Referral incomplete"
    OTHER = "other", "Other (with a note)"
    NOT_RECORDED = "not recorded", "Not recorded (declined before reasons were asked)"


class LeftWaitingReason(Choice):
    PLACED = "placed", "Took a place"
    WITHDREW = "withdrew", "Family withdrew"
    CLOSED = "referral closed", "Referral closed"
    OTHER = "other", "Other"


CLOSE_LABELS = {r: r.label for r in CloseReason}
DECLINE_LABELS = {r: r.label for r in DeclineReason}


# Age bands for children seen (age on their first visit of the month counted).
AGE_BANDS = (("0-4", "Under 5", 0, 4), ("5-10", "5 to 10", 5, 10), ("11-15", "11 to 15", 11, 15),
             ("16+", "16 and over", 16, 200))


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(born: date, on: date) -> str:
    age = age_on(born, on)
    for code, _label, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return AGE_BANDS[0][0]


# ---- events ----------------------------------------------------------------------------------
RECEIVED = "referral received"
ACCEPTED = "referral accepted"
DECLINED = "referral declined"
WITHDRAWN = "referral withdrawn"
CLOSED = "family closed"
WAIT_JOINED = "waiting list joined"
WAIT_OFFERED = "place offered"
WAIT_LEFT = "waiting list left"
FAMILY_SEEN = "family seen"
CHILD_SEEN = "child seen"
BOOKED = "place booked"
ATTENDED = "attended"
ASSESSMENT = "assessment attended"
CANCELLED = "booking cancelled"
NO_SHOW = "no-show"
ABSENT = "absent"
DISCLOSURE = "disclosure request"
SESSION = "session offered"
PLACES = "places offered"
VOL_MINUTES = "volunteer minutes"
VOL_ON_DUTY = "volunteer on duty"

EVENTS = frozenset({RECEIVED, ACCEPTED, DECLINED, WITHDRAWN, CLOSED, WAIT_JOINED, WAIT_OFFERED,
                    WAIT_LEFT, FAMILY_SEEN, CHILD_SEEN, BOOKED, ATTENDED, ASSESSMENT, CANCELLED,
                    NO_SHOW, ABSENT, DISCLOSURE, SESSION, PLACES, VOL_MINUTES, VOL_ON_DUTY})


@dataclass(frozen=True)
class BookingFact:
    session_date: date
    status: str  # booked, cancelled, absent, no-show
    attended: bool
    assessment: bool


@dataclass(frozen=True)
class WaitingFact:
    added_on: date
    offered_on: date | None
    left_on: date | None
    left_reason: str


@dataclass(frozen=True)
class FamilyFacts:
    referral_date: date
    route: str
    contact_kind: str
    status: str
    accepted_on: date | None
    declined_on: date | None
    decline_reason: str | None
    closed_on: date | None
    close_reason: str | None
    children_born: tuple[date, ...] = ()
    bookings: tuple[BookingFact, ...] = ()
    disclosures: tuple[date, ...] = ()
    waiting: tuple[WaitingFact, ...] = ()


def _month(d: date) -> str:
    return d.strftime("%Y-%m")


def _chain(days: Iterable[date]) -> list[tuple[date, str, date]]:
    """(first of month, previous month attended or '', first day attended that month)."""
    firsts: dict[str, date] = {}
    for d in sorted(days):
        firsts.setdefault(_month(d), d)
    out = []
    previous = ""
    for month in sorted(firsts):
        first = firsts[month]
        out.append((first.replace(day=1), previous, first))
        previous = month
    return out


def family_contribution(f: FamilyFacts) -> Contribution:
    c: Contribution = Counter()
    c[(f.referral_date.isoformat(), RECEIVED, f.route)] += 1
    if f.accepted_on:
        c[(f.accepted_on.isoformat(), ACCEPTED, f.route)] += 1
    if f.declined_on:
        c[(f.declined_on.isoformat(), DECLINED, f.decline_reason or DeclineReason.NOT_RECORDED)] += 1
    if f.status == "closed" and f.closed_on:
        reason = f.close_reason or CloseReason.NOT_RECORDED
        if f.accepted_on:
            c[(f.closed_on.isoformat(), CLOSED, reason)] += 1
        elif not f.declined_on:
            # Closed before it was accepted or turned down: the referral was not taken up.
            c[(f.closed_on.isoformat(), WITHDRAWN, reason)] += 1
    attended_days = []
    for b in f.bookings:
        day = b.session_date.isoformat()
        if b.status == "cancelled":
            c[(day, CANCELLED, "")] += 1
            continue
        c[(day, BOOKED, "")] += 1
        if b.attended:
            attended_days.append(b.session_date)
            c[(day, ATTENDED, f.contact_kind)] += 1
            if b.assessment:
                c[(day, ASSESSMENT, "")] += 1
        elif b.status == "no-show":
            c[(day, NO_SHOW, "")] += 1
        elif b.status == "absent":
            c[(day, ABSENT, "")] += 1
    for month_start, previous, first_day in _chain(attended_days):
        c[(month_start.isoformat(), FAMILY_SEEN, previous)] += 1
        for born in f.children_born:
            if born <= first_day:
                c[(month_start.isoformat(), CHILD_SEEN, f"{age_band(born, first_day)}|{previous}")] += 1
    for d in f.disclosures:
        c[(d.isoformat(), DISCLOSURE, "")] += 1
    for w in f.waiting:
        c[(w.added_on.isoformat(), WAIT_JOINED, "")] += 1
        if w.offered_on:
            c[(w.offered_on.isoformat(), WAIT_OFFERED, "")] += 1
        if w.left_on:
            c[(w.left_on.isoformat(), WAIT_LEFT, w.left_reason or LeftWaitingReason.OTHER)] += 1
    return c


def volunteer_contribution(duties: Iterable[tuple[date, int]]) -> Contribution:
    """duties: (session day, minutes on duty) for each rota line."""
    c: Contribution = Counter()
    days = []
    for day, minutes in duties:
        c[(day.isoformat(), VOL_MINUTES, "")] += max(0, minutes)
        days.append(day)
    for month_start, previous, _first in _chain(days):
        c[(month_start.isoformat(), VOL_ON_DUTY, previous)] += 1
    return c


def session_contribution(on: date, capacity: int) -> Contribution:
    return Counter({(on.isoformat(), SESSION, ""): 1, (on.isoformat(), PLACES, ""): capacity})


def difference(new: Contribution, old: Contribution) -> dict[Key, int]:
    out: dict[Key, int] = {}
    for key in set(new) | set(old):
        delta = new.get(key, 0) - old.get(key, 0)
        if delta:
            out[key] = delta
    return out


def dump(c: Contribution) -> str:
    import json

    return json.dumps(sorted([k[0], k[1], k[2], n] for k, n in c.items() if n), separators=(",", ":"))


def load(text: str | None) -> Contribution:
    import json

    c: Contribution = Counter()
    for day, event, category, n in json.loads(text or "[]"):
        c[(day, event, category)] += int(n)
    return c


# ---- a figure: which ledger rows it sums -------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """Which ledger rows a figure adds up.

    ``chain``: a distinct count by calendar month (see the module's notes): a marker counts when
    its month is in the period and its previous month (the category, or the part after '|') is
    before the period's first month. ``prefix``: the category starts with it (an age band)."""

    event: str
    category: str | None = None
    prefix: str | None = None
    chain: bool = False

    def matches(self, day: str, event: str, category: str, first: date, last: date) -> bool:
        return event == self.event and self.counts(day, category, Period.of(first, last))

    def counts(self, day: str, category: str, period: Period) -> bool:
        """Whether a ledger row of this measure's event counts in the period."""
        if self.chain:
            if not (period.first_month_day <= day <= period.last):
                return False
            previous = category.rsplit("|", 1)[-1]
            if previous and previous >= period.first_month:
                return False
        elif not (period.first <= day <= period.last):
            return False
        if self.category is not None and category != self.category:
            return False
        return not (self.prefix is not None and not category.startswith(self.prefix))

    def total(self, rows: Iterable[tuple[str, str, str, int]], first: date, last: date) -> int:
        return totals({"": self}, rows, first, last)[""]


@dataclass(frozen=True)
class Period:
    """A period's bounds as the ledger writes them, worked out once for all its rows."""

    first: str  # 'YYYY-MM-DD'
    last: str
    first_month_day: str  # the first of the first month
    first_month: str  # 'YYYY-MM'

    @staticmethod
    def of(first: date, last: date) -> Period:
        return Period(first.isoformat(), last.isoformat(), first.replace(day=1).isoformat(),
                      _month(first))


def totals(measures: dict[str, Measure], rows: Iterable[tuple[str, str, str, int]], first: date,
           last: date) -> dict[str, int]:
    """Every measure's total over the rows in one pass per event: each figure looks only at
    its own event's rows (a year at 20,000 families is some thousands of rows)."""
    by_event: dict[str, list[tuple[str, str, int]]] = {}
    for day, event, category, n in rows:
        by_event.setdefault(event, []).append((day, category, n))
    period = Period.of(first, last)
    return {key: sum(n for day, category, n in by_event.get(m.event, ())
                     if m.counts(day, category, period))
            for key, m in measures.items()}


ROUTES = tuple(Route)


@dataclass(frozen=True)
class FigureSpec:
    key: str
    section: str
    label: str
    how: str
    measure: Measure | None = None  # None: worked out by the service (live counts, ratios)
    source: str = "family"  # what it counts: family, child, volunteer, session, summons, police
    indent: bool = False
    unit: str = ""  # what one record adds, counted ('booking', 'visit'); '' when one each


def figure_specs() -> list[FigureSpec]:
    """Every figure of the statistics screen, the NACCC return and the annual report, in order."""
    return list(_figure_specs())


@functools.cache
def _figure_specs() -> tuple[FigureSpec, ...]:
    s: list[FigureSpec] = []
    ref = "Referrals"
    s.append(FigureSpec("referrals.received", ref, "Referrals received",
                        "Referrals whose referral date is in the period.", Measure(RECEIVED)))
    for route in Route:
        s.append(FigureSpec(f"referrals.received.{route.value}", ref, f"from {route.label}",
                            f"Referrals received in the period with the route '{route.label}'.",
                            Measure(RECEIVED, route.value), indent=True))
    s.append(FigureSpec("referrals.accepted", ref, "Referrals accepted",
                        "Referrals accepted (after the pre-visit) on a day in the period.",
                        Measure(ACCEPTED)))
    s.append(FigureSpec("referrals.declined", ref, "Referrals turned down",
                        "Referrals declined by the centre on a day in the period.", Measure(DECLINED)))
    for reason in DeclineReason:
        s.append(FigureSpec(f"referrals.declined.{reason.value}", ref, reason.label,
                            f"Referrals declined in the period because: {reason.label}.",
                            Measure(DECLINED, reason.value), indent=True))
    s.append(FigureSpec("referrals.withdrawn", ref, "Referrals not taken up",
                        "Referrals closed in the period before they were accepted or declined.",
                        Measure(WITHDRAWN)))
    s.append(FigureSpec("waiting.joined", ref, "Joined the waiting list",
                        "Accepted referrals put on the waiting list on a day in the period.",
                        Measure(WAIT_JOINED)))
    s.append(FigureSpec("waiting.offered", ref, "Places offered from the waiting list",
                        "Places offered to a waiting family on a day in the period (the latest "
                        "offer to each).", Measure(WAIT_OFFERED)))
    s.append(FigureSpec("waiting.placed", ref, "Waiting families who took a place",
                        "Families who left the waiting list in the period by taking a place.",
                        Measure(WAIT_LEFT, LeftWaitingReason.PLACED.value)))
    s.append(FigureSpec("waiting.at_end", ref, "Waiting at the end of the period",
                        "Families on the waiting list on the period's last day (joined on or "
                        "before it and not yet left)."))
    fam = "Families and children"
    s.append(FigureSpec("families.seen", fam, "Families seen",
                        "Families who attended at least one session, each counted once; counted "
                        "by calendar month (the whole months the period touches).",
                        Measure(FAMILY_SEEN, chain=True)))
    s.append(FigureSpec("families.new", fam, "of whom attending for the first time",
                        "Families whose first ever attended session falls in those months.",
                        Measure(FAMILY_SEEN, category="", chain=True), indent=True))
    s.append(FigureSpec("children.seen", fam, "Children seen",
                        "Children of the families seen, each counted once, born by the family's "
                        "first visit in the period.", Measure(CHILD_SEEN, chain=True), "child"))
    for code, label, _low, _high in AGE_BANDS:
        s.append(FigureSpec(f"children.seen.{code}", fam, f"aged {label.lower()}",
                            f"Children seen whose age on their first visit counted was {label.lower()}.",
                            Measure(CHILD_SEEN, prefix=f"{code}|", chain=True), "child",
                            indent=True))
    s.append(FigureSpec("families.closed", fam, "Families closed",
                        "Accepted referrals closed on a day in the period.", Measure(CLOSED)))
    for why in CloseReason:
        s.append(FigureSpec(f"families.closed.{why.value}", fam, why.label,
                            f"Families closed in the period because: {why.label}.",
                            Measure(CLOSED, why.value), indent=True))
    ses = "Sessions"
    s.append(FigureSpec("sessions.offered", ses, "Sessions held",
                        "Dated sessions on the calendar in the period.", Measure(SESSION), "session"))
    s.append(FigureSpec("sessions.capacity", ses, "Places offered (capacity)",
                        "The sum of every session's capacity (families per session).",
                        Measure(PLACES), "session", unit="place"))
    s.append(FigureSpec("sessions.booked", ses, "Places booked",
                        "Bookings for sessions in the period that were not cancelled.",
                        Measure(BOOKED), unit="booking"))
    s.append(FigureSpec("sessions.used", ses, "Capacity used",
                        "Places booked as a share of places offered.", None, unit="booking"))
    s.append(FigureSpec("sessions.attended", ses, "Visits attended",
                        "Bookings with an arrival recorded.", Measure(ATTENDED), unit="visit"))
    s.append(FigureSpec("sessions.attended.supported", ses, "supported contact",
                        "Visits attended by families referred for supported contact.",
                        Measure(ATTENDED, "supported"), indent=True, unit="visit"))
    s.append(FigureSpec("sessions.attended.supervised", ses, "supervised contact",
                        "Visits attended by families referred for supervised contact.",
                        Measure(ATTENDED, "supervised"), indent=True, unit="visit"))
    s.append(FigureSpec("sessions.attended.handover", ses, "handover only",
                        "Visits attended by families referred for handovers.",
                        Measure(ATTENDED, "handover"), indent=True, unit="visit"))
    s.append(FigureSpec("sessions.assessment", ses, "Assessment sessions",
                        "Visits attended that were marked as an agency's assessment session.",
                        Measure(ASSESSMENT), unit="visit"))
    s.append(FigureSpec("sessions.cancelled", ses, "Bookings cancelled",
                        "Bookings for sessions in the period that were cancelled.",
                        Measure(CANCELLED), unit="booking"))
    s.append(FigureSpec("sessions.absent", ses, "Absences notified",
                        "Bookings marked absent with a reason given.", Measure(ABSENT),
                        unit="absence"))
    s.append(FigureSpec("sessions.no_show", ses, "No-shows",
                        "Bookings marked as a no-show (no word from the family).", Measure(NO_SHOW),
                        unit="no-show"))
    vol = "Volunteers"
    s.append(FigureSpec("volunteers.on_duty", vol, "Volunteers on duty",
                        "Volunteers on the rota for at least one session, each counted once; "
                        "counted by calendar month.", Measure(VOL_ON_DUTY, chain=True), "volunteer"))
    s.append(FigureSpec("volunteers.hours", vol, "Volunteer hours",
                        "The length of every session each rota volunteer was on duty for.",
                        Measure(VOL_MINUTES), "volunteer"))
    legal = "Requests, summonses and police"
    s.append(FigureSpec("disclosures.requests", legal, "Requests for information",
                        "Requests from agencies logged in the disclosure log, by date asked.",
                        Measure(DISCLOSURE), unit="request"))
    s.append(FigureSpec("legal.summonses", legal, "Witness summonses received",
                        "Summonses with a received date in the period.", None, "summons"))
    s.append(FigureSpec("legal.police", legal, "Police visits",
                        "Police visits logged with a date in the period.", None, "police"))
    return tuple(s)


@dataclass(frozen=True)
class Figure:
    key: str
    section: str
    label: str
    value: int
    how: str
    source: str
    indent: bool = False
    display: str = ""  # e.g. '72%' or '312.5'; the value otherwise

    @property
    def text(self) -> str:
        return self.display or f"{self.value:,}"


@dataclass(frozen=True)
class MonthRow:
    month: date  # first of the month
    sessions: int
    places: int
    booked: int
    attended: int


@dataclass(frozen=True)
class Statistics:
    first: date
    last: date
    figures: tuple[Figure, ...]
    months: tuple[MonthRow, ...] = ()
    generated_on: date | None = None
    _by_key: dict[str, Figure] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({f.key: f for f in self.figures})

    def __getitem__(self, key: str) -> int:
        return self._by_key[key].value

    def figure(self, key: str) -> Figure:
        return self._by_key[key]

    def sections(self) -> list[tuple[str, list[Figure]]]:
        out: dict[str, list[Figure]] = {}
        for f in self.figures:
            out.setdefault(f.section, []).append(f)
        return list(out.items())


@dataclass(frozen=True)
class RecordLine:
    """One record behind a figure (Coordinator and Chair only): the thing the figure counts (a
    family, a child, a volunteer, a session, a summons, a police visit) and how much of the
    figure it makes (``counted``: bookings, visits, requests, minutes on duty, places...)."""

    kind: str  # family, child, volunteer, session, summons, police
    record_id: int  # the child's own id for a child, else the record's
    reference: str  # a family's reference for a family or a child
    description: str
    counted: int = 1
    shown: str = ""  # the count as shown ('2.0 hours', '3 bookings'); counted otherwise

    @property
    def count_text(self) -> str:
        return self.shown or f"{self.counted:,}"


@dataclass(frozen=True)
class Breakdown:
    figure: Figure
    lines: tuple[RecordLine, ...]
    gone: int  # counted in the figure but since destroyed under the retention rules
    summary: str = ""  # what a share is worked out from ('41 places booked of 52 offered')


# ---- charts: the same data for the PDF (reportlab graphics) and the screen (Qt painting) -------
@dataclass(frozen=True)
class Chart:
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (name, one value per category)
    percent: bool = False

    @property
    def empty(self) -> bool:
        return not any(v for _name, values in self.series for v in values)


SERIES_COLOURS = ("#1f3b5a", "#5b8db8", "#9cc3a4", "#e0a84e")


def charts(stats: Statistics) -> list[Chart]:
    """Where a person would rather look than read: referrals by route, sessions by month,
    capacity used by month."""
    routes = [f for f in stats.figures if f.key.startswith("referrals.received.")]
    by_route = Chart("Referrals received by route", tuple(f.label.removeprefix("from ") for f in routes),
                     (("Referrals", tuple(f.value for f in routes)),))
    months = tuple(format_month(m.month, short_year=True) for m in stats.months)
    sessions = Chart("Places offered, booked and attended by month", months, (
        ("Places offered", tuple(m.places for m in stats.months)),
        ("Booked", tuple(m.booked for m in stats.months)),
        ("Attended", tuple(m.attended for m in stats.months))))
    used = Chart("Capacity used by month (places booked as a share of places offered)", months, (
        ("Capacity used", tuple(round(100 * m.booked / m.places) if m.places else 0
                                for m in stats.months)),), percent=True)
    return [by_route, sessions, used]

"""The synthetic centre: ten years of referrals, bookings and registers, written through the
real domain services (validation, audit trail and all), one outer transaction per week.

Scale at the default 20,000 families: about 60,000 people (one or two adults, one or two
children each), 400,000 bookings with their attendance (twenty weekly sessions per family),
300 volunteers with a DBS check each, six weekly session patterns over ten years, a few hundred
incidents and disclosure requests. The clock walks forward week by week, so records carry
realistic dates and the retention report has ten years of history to sort.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.errors import ValidationError
from ccc_desktop.models.families_records import AdultInput, ChildInput, IncidentInput, ReferralInput
from ccc_desktop.models.services.registry import Services
from ccc_desktop.models.storage import statistics as statistics_store
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.volunteers_records import (
    DbsCheckInput,
    DbsLevel,
    DbsOutcome,
    VolunteerDetails,
)

TODAY = date(2026, 11, 26)
YEARS = 10
BOOKINGS_PER_FAMILY = 20
VOLUNTEERS = 300
# (weekday, start, end): Saturday and Sunday mornings and afternoons, two weekday evenings.
PATTERNS = [(5, "10:00", "12:00"), (5, "13:00", "15:00"), (6, "10:00", "12:00"),
            (6, "13:00", "15:00"), (2, "16:00", "18:00"), (3, "16:00", "18:00")]
CAPACITY = 200

FIRST = ["Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia",
         "Grace", "Freya", "Willow", "Emily", "Ella", "Noah", "Oliver", "George", "Arthur", "Leo",
         "Muhammad", "Harry", "Oscar", "Archie", "Henry", "Theodore", "Freddie", "Jack", "Charlie",
         "Thomas", "Zofia", "Aarav", "Chidi", "Siobhan", "Dylan", "Megan", "Rhys", "Eilidh",
         "Callum", "Priya", "Ewan", "Niamh", "Kai", "Yusuf", "Aisha", "Hannah", "Jacob", "Lucy"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
        "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
        "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper",
        "Hill", "Ward", "Hughes", "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee",
        "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett",
        "Young", "Phillips", "Richardson", "Mitchell", "Kowalski", "Okafor", "Nowak", "McLeod",
        "Ahmed", "Begum", "Murphy", "Kelly", "Campbell", "Stewart", "Reid", "Murray", "Chapman"]


@dataclass
class BuildStats:
    families: int = 0
    adults: int = 0
    children: int = 0
    bookings: int = 0
    attended: int = 0
    absences: int = 0
    volunteers: int = 0
    incidents: int = 0
    disclosures: int = 0
    sessions: int = 0
    skipped_full: int = 0
    busiest_day: date | None = None
    busiest_count: int = 0
    per_day: dict[date, int] = field(default_factory=lambda: defaultdict(int))

    def summary(self) -> dict[str, object]:
        return {"families": self.families, "people": self.adults + self.children,
                "adults": self.adults, "children": self.children, "bookings": self.bookings,
                "attended": self.attended, "absent_or_no_show": self.absences,
                "volunteers": self.volunteers, "sessions": self.sessions,
                "incidents": self.incidents, "disclosure_requests": self.disclosures,
                "busiest_day": self.busiest_day.isoformat() if self.busiest_day else None,
                "busiest_day_bookings": self.busiest_count}


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _name(rng: random.Random, last: str | None = None) -> str:
    return f"{rng.choice(FIRST)} {last or rng.choice(LAST)}"


class FastBuild:
    """How the builder writes a week faster than a user at the keyboard would, leaving the same
    records in the file (tests/test_bench_build.py compares a fast build with a slow one):

    - The statistics ledger is brought up to date for the records a week changed at the end of
      each BATCH_WEEKS, not at every commit: a family's booking is finalised in twenty
      different weeks, and each sync reads back its bookings and reseals its counts. The ledger
      only ever adds the difference from the counts kept beside a record, so syncing once after
      many changes leaves the same ledger and the same kept counts as syncing after each.
    - The audit trail's checkpoint is written once a week, after the week's last entry (the
      checkpoint that entry would have written), not after every entry.
    - While it builds, the connection skips fsync and keeps its rollback journal in memory,
      with a larger page cache: none of this changes what is written, only how safely against
      a power cut (a build is thrown away if it stops). The app's settings are put back at
      the end.
    """

    BATCH_WEEKS = 26
    PRAGMAS = {"synchronous": "OFF", "journal_mode": "MEMORY", "cache_size": "-262144"}

    def __init__(self, s: Services) -> None:
        self.s = s
        self.db: Database = s.session.db
        self.dirty: dict[str, set[int]] = defaultdict(set)
        conn = self.db.raw_connection()
        self.saved = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in self.PRAGMAS}
        for name, value in self.PRAGMAS.items():
            conn.execute(f"PRAGMA {name} = {value}").fetchall()
        self.db.remove_precommit(statistics_store.sync_marked)
        self.db.add_precommit(self._gather)

    def _gather(self, db: Database, dirty: dict[str, set[int]]) -> None:
        for kind, ids in dirty.items():
            self.dirty[kind].update(ids)

    def week(self) -> AbstractContextManager[None]:
        return self.s.session.audit.one_checkpoint()

    def sync_ledger(self) -> None:
        if not self.dirty:
            return
        dirty, self.dirty = dict(self.dirty), defaultdict(set)
        with self.db.transaction():
            statistics_store.sync_marked(self.db, dirty)

    def finish(self) -> None:
        self.sync_ledger()
        self.db.remove_precommit(self._gather)
        statistics_store.install(self.db)
        conn = self.db.raw_connection()
        for name, value in self.saved.items():
            conn.execute(f"PRAGMA {name} = {value}").fetchall()


def build(s: Services, clock: FixedClock, families: int, seed: int = 7,
          progress: Callable[[str], None] | None = None, years: int = YEARS,
          fast: bool = True) -> BuildStats:
    """Fill the vault. ``clock`` is the session's clock; it is moved through the ten years and
    left at TODAY 09:30. ``fast=False`` writes every week as the app would, one change at a time
    (the tests compare the two)."""
    stats = BuildStats()
    for _ in build_steps(s, clock, families, stats, seed, progress, years, fast):
        pass
    return stats


def build_steps(s: Services, clock: FixedClock, families: int, stats: BuildStats, seed: int = 7,
                progress: Callable[[str], None] | None = None,
                years: int = YEARS, fast: bool = True) -> Iterator[None]:
    """The build one committed step at a time (set-up, then each week), so that the benchmark
    can interleave the two modes' builds step by step."""
    rng = random.Random(seed)
    db = s.session.db
    speed = FastBuild(s) if fast else None
    week_batch = speed.week if speed is not None else db.transaction
    start = TODAY - timedelta(days=365 * years)
    start -= timedelta(days=start.weekday())  # a Monday

    def at(day: date, hour: int = 9, minute: int = 30) -> None:
        clock.at = datetime.combine(day, time(hour, minute))

    # ---- set-up: session patterns, ten years of sessions, volunteers ------------------------
    at(start)
    pattern_ids = []
    with db.transaction():
        for weekday, st, en in PATTERNS:
            pattern_ids.append(s.bookings.add_pattern(weekday, st, en, CAPACITY))
        for pid in pattern_ids:
            first = start
            while first <= TODAY + timedelta(days=200):
                last = min(first + timedelta(days=3 * 365), TODAY + timedelta(days=200))
                stats.sessions += len(s.bookings.ensure_sessions(pid, first, last))
                first = last + timedelta(days=1)
    sessions_by_date: dict[date, list[int]] = defaultdict(list)
    for info in s.bookings.sessions_between(start, TODAY + timedelta(days=200)):
        sessions_by_date[info.session_date].append(info.id)
    with db.transaction():
        for i in range(VOLUNTEERS):
            joined = start - timedelta(days=rng.randrange(30, 2000))
            v = s.volunteers.create(VolunteerDetails(
                full_name=_name(rng), address=f"{rng.randrange(1, 200)} Volunteer Road",
                phone=f"07700 9{rng.randrange(10**5):05d}", email=f"volunteer{i}@example.org",
                start_date=joined, references_received=2))
            s.dbs.record(v.id, DbsCheckInput(
                level=DbsLevel.ENHANCED, certificate_number=f"{rng.randrange(10**11, 10**12)}",
                issue_date=joined + timedelta(days=20), id_checked_by="Bench Coordinator",
                outcome=DbsOutcome.CLEAR))
            stats.volunteers += 1
    yield

    # ---- ten years, week by week ------------------------------------------------------------
    weeks = (TODAY - start).days // 7 + 1
    per_week = [families // weeks + (1 if w < families % weeks else 0) for w in range(weeks)]
    # booking ids to mark on each session date: (booking_id, start, end)
    due: dict[date, list[tuple[int, str, str]]] = defaultdict(list)
    times = {pid: (st, en) for pid, (_w, st, en) in zip(pattern_ids, PATTERNS, strict=True)}
    weekday_of = {pid: w for pid, (w, _s, _e) in zip(pattern_ids, PATTERNS, strict=True)}
    for week in range(weeks):
        monday = start + timedelta(days=7 * week)
        with week_batch():
            # Referrals arrive on the Monday; the pre-visit and acceptance the same day.
            at(monday, 10)
            for _ in range(per_week[week]):
                _family(s, rng, monday, stats, pattern_ids, times, weekday_of, due)
            # Then the week's sessions: the register is run on the day and finalised.
            for offset in range(7):
                day = monday + timedelta(days=offset)
                if day > TODAY:
                    break
                at(day, 18)
                for booking_id, st, en in due.pop(day, []):
                    roll = rng.random()
                    if roll < 0.88:
                        s.register.set_times(booking_id, st, en)
                        stats.attended += 1
                    elif roll < 0.96:
                        s.register.absent(booking_id, "Child unwell")
                        stats.absences += 1
                    else:
                        s.register.no_show(booking_id)
                        stats.absences += 1
                for session_id in sessions_by_date.get(day, []):
                    s.register.finalise(session_id)
        if speed is not None and (week + 1) % FastBuild.BATCH_WEEKS == 0:
            speed.sync_ledger()
        if progress and week % 52 == 0:
            progress(f"  week {week}/{weeks}: {stats.families} families, {stats.bookings} bookings")
        yield
    if speed is not None:
        speed.finish()
    at(TODAY)
    busiest = max((d for d in stats.per_day if d <= TODAY), key=lambda d: stats.per_day[d])
    stats.busiest_day, stats.busiest_count = busiest, stats.per_day[busiest]


def _family(s: Services, rng: random.Random, monday: date, stats: BuildStats,
            pattern_ids: list[int], times: dict[int, tuple[str, str]],
            weekday_of: dict[int, int], due: dict[date, list[tuple[int, str, str]]]) -> None:
    last = rng.choice(LAST)
    other = rng.choice(LAST)
    adults = [AdultInput(full_name=_name(rng, last), role="resident parent",
                         address=f"{rng.randrange(1, 300)} {rng.choice(LAST)} Street",
                         phone=f"07700 9{rng.randrange(10**5):05d}",
                         arrive_minutes_before=15, leave_minutes_after=15,
                         ground_rules_on=_d(monday), policy_agreed_on=_d(monday))]
    if rng.random() < 0.9:
        adults.append(AdultInput(full_name=_name(rng, other), role="visiting parent",
                                 ground_rules_on=_d(monday), policy_agreed_on=_d(monday)))
    n_children = 1 if rng.random() < 0.5 else 2
    if len(adults) == 1:
        n_children = 2
    children = [ChildInput(full_name=_name(rng, last),
                           date_of_birth=_d(monday - timedelta(days=rng.randrange(365, 365 * 12))))
                for _ in range(n_children)]
    referral = ReferralInput(referral_date=_d(monday), route=rng.choice(
        ["self", "solicitor", "cafcass", "social services"]), referrer_name=_name(rng),
        court_order=rng.random() < 0.6)
    fid = s.families.create(referral, adults, children)
    s.families.record_previsit(fid, _d(monday), "Bench Coordinator", "Checklist done")
    s.families.set_status(fid, "accepted")
    stats.families += 1
    stats.adults += len(adults)
    stats.children += len(children)
    if rng.random() < 0.02:
        s.families.record_incident(fid, IncidentInput(
            occurred_on=_d(monday), what_happened="Raised voices at handover",
            who_involved="Both parents", action_taken="Separated arrivals",
            who_told="Coordinator"))
        stats.incidents += 1
    if rng.random() < 0.05:
        s.disclosures.log_request(fid, "Ann Solicitor", "Brook & Hale", _d(monday),
                                  "Attendance dates")
        stats.disclosures += 1
    # Twenty weekly sessions from the next week, on one pattern (another if it is full).
    first = monday + timedelta(days=7)
    order = rng.sample(pattern_ids, len(pattern_ids))
    for pid in order:
        try:
            ids = s.bookings.book_repeating(
                fid, pid, _d(first), _d(first + timedelta(days=7 * BOOKINGS_PER_FAMILY - 1)))
        except ValidationError:
            stats.skipped_full += 1
            continue
        day = first + timedelta(days=(weekday_of[pid] - first.weekday()) % 7)
        st, en = times[pid]
        for booking_id in ids:
            due[day].append((booking_id, st, en))
            stats.per_day[day] += 1
            day += timedelta(days=7)
        stats.bookings += len(ids)
        return

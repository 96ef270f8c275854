"""Statistics for any period, the NACCC return and the annual report (issue 14).

Every figure comes from the statistics ledger (``models/statistics_records.py``), which is
written in the same transaction as the change it counts and keeps its counts when records are
destroyed under the retention rules, so a return for a quarter three years ago gives the same
numbers before and after its families are disposed of. Witness summonses and police visits,
which are never destroyed, are counted from their logs.

Who may do what: the figures, the return and the report (counts only) need VIEW_REPORTS; the
list of records behind a figure also needs VIEW_FAMILIES, and so is for the Coordinator and
the Chair only. A Session volunteer is refused everything here.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ccc_desktop.models import statistics_records
from ccc_desktop.models.dates import add_months, format_date, format_month, month_name
from ccc_desktop.models.errors import NotFound, ValidationError
from ccc_desktop.models.exports import csv_bytes
from ccc_desktop.models.fileio import atomic_write_bytes
from ccc_desktop.models.roles import Permission
from ccc_desktop.models.statistics_records import (
    AGE_BANDS,
    ATTENDED,
    BOOKED,
    PLACES,
    SESSION,
    WAIT_JOINED,
    WAIT_LEFT,
    Breakdown,
    Figure,
    FigureSpec,
    MonthRow,
    Period,
    RecordLine,
    Statistics,
    family_contribution,
    figure_specs,
    totals,
)
from ccc_desktop.models.storage.families import FamilyStore
from ccc_desktop.models.storage.meta import SettingsStore
from ccc_desktop.models.storage.statistics import LedgerStore, count_uncounted
from ccc_desktop.models.storage.waiting import WaitingStore

if TYPE_CHECKING:
    from ccc_desktop.models.vault import Session

MAX_YEARS = 10

LEDGER_STATEMENT = statistics_records.LEDGER_STATEMENT


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first, add_months(first, 3) - timedelta(days=1)


def previous_quarter(day: date) -> tuple[date, date]:
    first, _ = quarter_of(day)
    return quarter_of(first - timedelta(days=1))


def quarter_label(first: date) -> str:
    return f"Q{(first.month - 1) // 3 + 1} {first.year} ({month_name(first, short=True)}–" \
           f"{month_name(add_months(first, 2), short=True)})"


def period_label(first: date, last: date) -> str:
    q_first, q_last = quarter_of(first)
    if (first, last) == (q_first, q_last):
        return quarter_label(first)
    return f"{format_date(first)} to {format_date(last)}"


class StatisticsService:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.ledger = LedgerStore(session.db)

    # ---- periods ----------------------------------------------------------------------------
    def default_period(self) -> tuple[date, date]:
        """The quarter just ended: the one whose NACCC return is due."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        return previous_quarter(self.session.clock.today())

    @staticmethod
    def _check_period(first: date, last: date) -> None:
        if last < first:
            raise ValidationError("To: the period ends before it starts.", "last")
        if (last - first).days > MAX_YEARS * 366:
            raise ValidationError(f"Choose a period of at most {MAX_YEARS} years.", "first")

    # ---- the figures ------------------------------------------------------------------------
    def figures(self, first: date, last: date) -> Statistics:
        self.session.actor.require(Permission.VIEW_REPORTS)
        self._check_period(first, last)
        if self.ledger.any_uncounted():
            count_uncounted(self.session.db)
        rows = self.ledger.rows_between(first.replace(day=1), last)
        out: builtins.list[Figure] = []
        waiting = self.ledger.totals_until(last, [WAIT_JOINED, WAIT_LEFT])
        summonses = len(self.ledger.summonses_between(first, last))
        police = len(self.ledger.police_between(first, last))
        specs = figure_specs()
        values = totals({spec.key: spec.measure for spec in specs if spec.measure is not None},
                        rows, first, last)
        for spec in specs:
            display = ""
            if spec.measure is not None:
                value = values[spec.key]
            elif spec.key == "waiting.at_end":
                value = (sum(n for (e, _c), n in waiting.items() if e == WAIT_JOINED)
                         - sum(n for (e, _c), n in waiting.items() if e == WAIT_LEFT))
            elif spec.key == "sessions.used":
                places = values["sessions.capacity"]
                value = round(100 * values["sessions.booked"] / places) if places else 0
                display = f"{value}%" if places else "—"
            elif spec.key == "legal.summonses":
                value = summonses
            elif spec.key == "legal.police":
                value = police
            else:  # pragma: no cover - every figure without a measure is handled above
                raise AssertionError(spec.key)
            if spec.key == "volunteers.hours":
                display = f"{value / 60:,.1f}"
            if spec.indent and spec.measure is not None and value == 0 and not _always(spec):
                continue  # an empty breakdown line says nothing
            out.append(Figure(spec.key, spec.section, spec.label, value, spec.how, spec.source,
                              spec.indent, display))
        return Statistics(first, last, tuple(out), tuple(self._months(rows, first, last)),
                          self.session.clock.today())

    @staticmethod
    def _months(rows: builtins.list[tuple[str, str, str, int]], first: date,
                last: date) -> builtins.list[MonthRow]:
        per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        lo, hi = first.isoformat(), last.isoformat()
        for day, event, _cat, n in rows:
            if lo <= day <= hi and event in (SESSION, PLACES, BOOKED, ATTENDED):
                per[day[:7]][event] += n
        out = []
        month = first.replace(day=1)
        while month <= last:
            m = per.get(month.strftime("%Y-%m"), {})
            out.append(MonthRow(month, m.get(SESSION, 0), m.get(PLACES, 0), m.get(BOOKED, 0),
                                m.get(ATTENDED, 0)))
            month = add_months(month, 1)
        return out

    # ---- the records behind a figure ---------------------------------------------------------
    def records_behind(self, first: date, last: date, key: str) -> Breakdown:
        """The records a figure counts, for the Coordinator and the Chair: the families behind a
        family figure, each child behind a children's figure, the volunteers, sessions, summonses
        or police visits behind theirs, each with what it adds to the figure. Records destroyed
        since are not listed; ``gone`` says how much of the count they were. Audited."""
        actor = self.session.actor
        actor.require(Permission.VIEW_REPORTS)
        actor.require(Permission.VIEW_FAMILIES)
        self._check_period(first, last)
        spec = next((s for s in figure_specs() if s.key == key), None)
        if spec is None:
            raise NotFound("That figure is not one of the statistics.")
        stats = self.figures(first, last)
        figure = self._figure_or_zero(stats, spec)
        summary = ""
        basis = figure.value
        if spec.key == "sessions.used":
            # A share: the bookings that fill the places are what it counts.
            booked = self._figure_or_zero(stats, _spec("sessions.booked"))
            places = self._figure_or_zero(stats, _spec("sessions.capacity"))
            basis = booked.value
            summary = f"{booked.value:,} places booked of {places.value:,} offered."
            spec = replace(_spec("sessions.booked"), key=spec.key)
        lines, counted = self._lines(spec, first, last)
        gone = max(0, basis - counted)
        self.session.audit.record("statistics records listed", "report", "statistics",
                                  f"{key}; {format_date(first)} to {format_date(last)}; "
                                  f"{len(lines)} records")
        return Breakdown(figure, tuple(lines), gone, summary)

    @staticmethod
    def _figure_or_zero(stats: Statistics, spec: FigureSpec) -> Figure:
        try:
            return stats.figure(spec.key)
        except KeyError:  # a breakdown line at zero is left off the screen
            return Figure(spec.key, spec.section, spec.label, 0, spec.how, spec.source, spec.indent)

    def _lines(self, spec: FigureSpec, first: date, last: date
               ) -> tuple[builtins.list[RecordLine], int]:
        """The records behind the figure and how much of it they make between them."""
        if spec.source == "summons":
            summonses = self.ledger.summonses_between(first, last)
            return [RecordLine("summons", s[0], f"Summons {s[0]}",
                               f"Received {format_date(date.fromisoformat(s[1]))}; hearing "
                               f"{format_date(date.fromisoformat(s[2]))}")
                    for s in summonses], len(summonses)
        if spec.source == "police":
            visits = self.ledger.police_between(first, last)
            return [RecordLine("police", v[0], f"Visit {v[0]}",
                               f"{format_date(date.fromisoformat(v[1]))} {v[2]}".strip())
                    for v in visits], len(visits)
        if spec.source == "session":
            rows = self.ledger.sessions_between(first, last)
            places = spec.key == "sessions.capacity"
            lines = [RecordLine("session", r[0], format_date(date.fromisoformat(r[1])),
                                f"{r[2]}–{r[3]}", r[4] if places else 1,
                                _counted(r[4], spec.unit) if places else "") for r in rows]
            return lines, sum(line.counted for line in lines)
        if spec.key == "waiting.at_end":
            return self._waiting_at_end(last)
        m = spec.measure
        if m is None:  # pragma: no cover - every figure without a measure is handled above
            raise AssertionError(spec.key)
        kind = "volunteer" if spec.source == "volunteer" else "family"
        matched: dict[int, int] = {}
        period = Period.of(first, last)
        for record_id, contribution in self.ledger.kept(kind):
            n = sum(amount for (day, event, cat), amount in contribution.items()
                    if event == m.event and m.counts(day, cat, period))
            if n:
                matched[record_id] = n
        counted = sum(matched.values())
        if kind == "volunteer":
            names = self.ledger.volunteer_names(builtins.list(matched))
            hours = spec.key == "volunteers.hours"
            return [RecordLine("volunteer", vid, f"V-{vid:05d}", names.get(vid, ""), n,
                               f"{n / 60:,.1f} hours" if hours else "")
                    for vid, n in matched.items()], counted
        if spec.source == "child":
            return self._children(spec, matched, first, last), counted
        by_id = self._families(builtins.list(matched))
        return [RecordLine("family", fid, by_id[fid][0], by_id[fid][1], n, _counted(n, spec.unit))
                for fid, n in sorted(matched.items()) if fid in by_id], counted

    def _families(self, ids: builtins.list[int]) -> dict[int, tuple[str, str]]:
        """Each family still held: its reference, and its adults' and children's names."""
        out = {}
        for r in FamilyStore(self.session.db).list_rows(ids, limit=len(ids) or 1):
            who = r["adults"] or ""
            if r["children"]:
                who += f" (children: {r['children']})"
            out[r["id"]] = (r["reference"], who)
        return out

    def _children(self, spec: FigureSpec, matched: dict[int, int], first: date,
                  last: date) -> builtins.list[RecordLine]:
        """Each child counted: the family's contribution worked out for that child alone."""
        m = spec.measure
        assert m is not None
        families = FamilyStore(self.session.db)
        by_id = self._families(builtins.list(matched))
        bands = {code: label.lower() for code, label, _low, _high in AGE_BANDS}
        lines = []
        for fid in sorted(matched):
            facts = self.ledger.family_facts(fid)
            if facts is None or fid not in by_id:
                continue
            for child in families.children(fid):
                if not child["date_of_birth"]:
                    continue
                alone = family_contribution(replace(
                    facts, children_born=(date.fromisoformat(child["date_of_birth"]),)))
                for (day, event, cat), n in alone.items():
                    if n and m.matches(day, event, cat, first, last):
                        lines.append(RecordLine("child", child["id"], by_id[fid][0],
                                                f"{child['full_name']}, aged "
                                                f"{bands.get(cat.split('|')[0], '')}", n))
        return lines

    def _waiting_at_end(self, last: date) -> tuple[builtins.list[RecordLine], int]:
        """The families on the waiting list on the period's last day."""
        waiting = [(fid, date.fromisoformat(on))
                   for fid, on in WaitingStore(self.session.db).on_list_at(last)]
        by_id = self._families(sorted({fid for fid, _on in waiting}))
        lines = [RecordLine("family", fid, by_id[fid][0], by_id[fid][1], 1,
                            f"waiting since {format_date(on)}")
                 for fid, on in waiting if fid in by_id]
        return lines, len(lines)

    # ---- exports ------------------------------------------------------------------------------
    def csv(self, stats: Statistics) -> bytes:
        """Counts only, formula cells neutralised."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        head = ("Section", "Figure", "Value", "How it is counted")
        rows: builtins.list[tuple[object, ...]] = [
            (f.section, ("  " if f.indent else "") + f.label, f.text, f.how) for f in stats.figures]
        rows.append(("", "", "", ""))
        rows.append(("Month", "Sessions", "Places offered", "Places booked / attended"))
        for mr in stats.months:
            rows.append((format_month(mr.month, short=True), mr.sessions, mr.places,
                         f"{mr.booked} / {mr.attended}"))
        rows.append(("", "", "", ""))
        rows.append(("Period", format_date(stats.first), format_date(stats.last), ""))
        return csv_bytes(head, rows)

    def naccc_pdf(self, stats: Statistics) -> bytes:
        self.session.actor.require(Permission.VIEW_REPORTS)
        from ccc_desktop.documents.statistics import naccc_return_pdf
        from ccc_desktop.models.services.centre import load_centre_details

        return naccc_return_pdf(load_centre_details(SettingsStore(self.session.db)), stats,
                                period_label(stats.first, stats.last))

    def annual_pdf(self, stats: Statistics) -> bytes:
        self.session.actor.require(Permission.VIEW_REPORTS)
        from ccc_desktop.documents.statistics import annual_report_pdf
        from ccc_desktop.models.services.centre import load_centre_details

        quarters = []
        q_first = quarter_of(stats.first)[0]
        while q_first <= stats.last:
            q_last = quarter_of(q_first)[1]
            quarters.append((quarter_label(q_first),
                             self.figures(max(q_first, stats.first), min(q_last, stats.last))))
            q_first = add_months(q_first, 3)
        return annual_report_pdf(load_centre_details(SettingsStore(self.session.db)), stats,
                                 period_label(stats.first, stats.last), quarters)

    def save(self, path: Path, what: str, stats: Statistics) -> None:
        """what: 'naccc-pdf', 'annual-pdf' or 'csv'. Written atomically; audited (counts only)."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        makers = {"naccc-pdf": self.naccc_pdf, "annual-pdf": self.annual_pdf, "csv": self.csv}
        if what not in makers:
            raise ValueError(what)
        data = makers[what](stats)
        atomic_write_bytes(Path(path), data, "the statistics")
        self.session.audit.record("statistics exported", "report",
                                  "statistics", f"{what}; {format_date(stats.first)} to "
                                  f"{format_date(stats.last)}")

    def record_export(self, how: str, what: str, stats: Statistics) -> None:
        """A return or report printed or saved from the preview: audited, counts only."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        self.session.audit.record("statistics exported", "report",
                                  "statistics", f"{what} {how}; {format_date(stats.first)} to "
                                  f"{format_date(stats.last)}")

    def ledger_rows(self) -> builtins.list[tuple[str, str, str, int]]:
        """The whole ledger, for the retention and subject access checks and the tests."""
        self.session.actor.require(Permission.VIEW_REPORTS)
        return [(r[0], r[1], r[2], r[3]) for r in self.ledger.all_rows()]


def _spec(key: str) -> FigureSpec:
    return next(s for s in figure_specs() if s.key == key)


def _counted(n: int, unit: str) -> str:
    """'3 bookings', '1 visit'; '' when a record adds one thing and the figure counts records."""
    return f"{n:,} {unit}{'' if n == 1 else 's'}" if unit else ""


def _always(spec: FigureSpec) -> bool:
    """Breakdown lines shown even at zero: the referral routes and the age bands."""
    return spec.key.startswith(("referrals.received.", "children.seen.", "sessions.attended."))

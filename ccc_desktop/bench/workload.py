"""The timed operations, run the same way against the SQLCipher vault and the plain file."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time as clock_time
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from ccc_desktop.bench import build as build_module
from ccc_desktop.bench.harness import MODES, Report, percentile, timed, timed_both
from ccc_desktop.bench.vaults import (
    USER,
    create_encrypted,
    create_plain,
    plain_db_path,
    unlock_encrypted,
    unlock_plain,
)
from ccc_desktop.models.audit import AuditTrail
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.fileio import atomic_copy
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.migrate import migrate
from ccc_desktop.models.vault import Session

SEARCHES = 200
ROUNDS = 7  # each operation, each mode, once a round
# A millisecond operation is timed over several calls a round, as many as fill about
# REPEAT_FILL_S, at most REPEAT_MAX, and the round keeps the fastest (on each clock): whatever
# else the machine does only ever adds time (a preempted call comes back to cold caches), so
# the fastest of a few calls is the steadiest measure of the work. Each search term is typed
# SEARCH_REPEATS times a round for the same reason.
REPEAT_FILL_S = 0.200
REPEAT_MAX = 30
SEARCH_REPEATS = 3

TARGETS = {
    "name search p95": 0.050,
    "families list ready": 0.300,
    "retention report": 2.0,
    "letter PDF (attendance)": 0.200,
    "statistics, a year": 0.300,
}


def search_terms(rng: random.Random, families: int) -> list[str]:
    """What a Coordinator types: a surname, a first name, a prefix, two words, a reference."""
    out = []
    for _ in range(SEARCHES):
        kind = rng.random()
        if kind < 0.35:
            out.append(rng.choice(build_module.LAST))
        elif kind < 0.55:
            out.append(rng.choice(build_module.FIRST))
        elif kind < 0.75:
            out.append(rng.choice(build_module.LAST)[:3].lower())
        elif kind < 0.9:
            out.append(f"{rng.choice(build_module.FIRST)} {rng.choice(build_module.LAST)}")
        else:
            out.append(f"F-{rng.randrange(1, families + 1):04d}")
    return out


@dataclass
class ModeRun:
    """One mode's vault while the benchmark runs: built, then reopened for the rounds."""

    mode: str
    folder: Path
    clock: FixedClock
    session: Session
    services: Services
    stats: build_module.BuildStats = field(default_factory=build_module.BuildStats)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def encrypted(self) -> bool:
        return self.mode == "sqlcipher"

    @property
    def db_file(self) -> Path:
        return self.session.vault.paths.db if self.encrypted else plain_db_path(self.folder)


def create_mode(mode: str, folder: Path) -> ModeRun:
    clock = FixedClock(datetime.combine(build_module.TODAY, time(9, 30)))
    session = create_encrypted(folder, clock) if mode == "sqlcipher" else create_plain(folder, clock)
    return ModeRun(mode, folder, clock, session, build_services(session))


BUILD_FACTS = "build.json"  # beside the kept vaults: what was built, for --reuse


def open_mode(mode: str, folder: Path, built: dict[str, Any]) -> ModeRun:
    """A vault kept by an earlier run (--keep), opened again to be timed (--reuse)."""
    clock = FixedClock(datetime.combine(build_module.TODAY, time(9, 30)))
    session = unlock_encrypted(folder, clock) if mode == "sqlcipher" else unlock_plain(folder, clock)
    run = ModeRun(mode, folder, clock, session, build_services(session))
    summary = built["build"]
    run.stats.families = int(summary["families"])
    if summary.get("busiest_day"):
        run.stats.busiest_day = date.fromisoformat(summary["busiest_day"])
        run.stats.busiest_count = int(summary.get("busiest_day_bookings") or 0)
    run.facts["build_s"] = built.get("build_s")
    run.facts["build"] = summary
    run.facts["file_mb"] = round(run.db_file.stat().st_size / 1e6, 1)
    return run


YEAR_STEPS = 53  # a "build" round: about a year of weekly steps


def _build_rounds(run: ModeRun, families: int, years: int, log: Any) -> list[tuple[float, float]]:
    """Build one mode's vault a committed step at a time; (wall, CPU) seconds per round."""
    steps = build_module.build_steps(run.services, run.clock, families, run.stats,
                                     progress=log, years=years)
    rounds: list[tuple[float, float]] = []
    wall = cpu = 0.0
    n = 0
    while True:
        t0, c0 = clock_time.perf_counter(), clock_time.thread_time()
        try:
            next(steps)
            finished = False
        except StopIteration:
            finished = True
        wall += clock_time.perf_counter() - t0
        cpu += clock_time.thread_time() - c0
        n += 1
        if n % YEAR_STEPS == 0 or finished:
            rounds.append((wall, cpu))
            wall = cpu = 0.0
        if finished:
            return rounds


def _build_child(mode: str, folder: str, families: int, years: int, out: Any) -> None:
    """In a process of its own: build one mode's vault, send back its rounds and summary."""
    try:
        run = create_mode(mode, Path(folder))
        rounds = _build_rounds(run, families, years, None)
        run.session.db.close()
        out.send({"rounds": rounds, "build": run.stats.summary()})
    except BaseException as exc:
        out.send({"error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        out.close()


def build_both(work: Path, families: int, report: Report, log: Any = print,
               years: int = build_module.YEARS) -> list[ModeRun]:
    """Build the two vaults at once, the plain file in a second process: the same weekly steps
    from the same seed, so the same centre, in half the time on two cores (and a fair share of
    a busy machine's). Each round of the "build" figure is about a year of history, each
    mode's own thread timed on the wall and CPU clocks."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # no fork of a process that has imported Qt
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_build_child, name="bench build (plain)",
                        args=("plain", str(work / "plain"), families, years, send))
    run = create_mode("sqlcipher", work / "sqlcipher")
    child.start()
    send.close()
    try:
        own = _build_rounds(run, families, years, log)
        result = receive.recv()
    finally:
        child.join()
    if "error" in result:
        raise RuntimeError(f"building the plain file failed: {result['error']}")
    plain = open_mode("plain", work / "plain", {"build_s": sum(w for w, _ in result["rounds"]),
                                                "build": result["build"]})
    run.facts["build_s"] = sum(w for w, _ in own)
    run.facts["build"] = run.stats.summary()
    if run.facts["build"] != result["build"]:
        raise RuntimeError("the two builds differ")
    note = ("through the real services, a week a transaction; each round is about a year of "
            "history, the two modes built at once, each in its own process")
    for (w1, c1), (w2, c2) in zip(own, result["rounds"], strict=True):
        report.put("build", "sqlcipher", w1, note=note, cpu=c1)
        report.put("build", "plain", w2, note=note, cpu=c2)
    runs = {"sqlcipher": run, "plain": plain}
    for r in runs.values():
        r.facts["file_mb"] = round(r.db_file.stat().st_size / 1e6, 1)
        log(f"[{r.mode}] built in {r.facts['build_s']:.1f} s; file {r.facts['file_mb']} MB")
    return [runs[m] for m in MODES]


def reopen(run: ModeRun) -> None:
    """Close the builder's connection and unlock as the app would (timed once, for the facts)."""
    run.facts["key"] = bytes(run.session.db_key) if run.encrypted else None
    run.session.db.close()
    run.clock.at = datetime.combine(build_module.TODAY, time(9, 30))
    seconds, session = timed(lambda: unlock_encrypted(run.folder, run.clock) if run.encrypted
                             else unlock_plain(run.folder, run.clock))
    run.facts["unlock_s"] = seconds
    run.facts["unlock_note"] = ("Vault.unlock with the production Argon2id and the key file"
                                if run.encrypted else
                                "unlock_plain: Database + migrations check, no key file, no audit entry")
    run.session, run.services = session, build_services(session)


@dataclass
class Operation:
    name: str
    run: Any  # (ModeRun, round) -> None, the timed call; or -> {figure: seconds} if it times itself
    target: float | None = None
    note: str = ""
    warm: bool = True  # one untimed call first, so both modes start each round equally warm
    times_itself: bool = False
    repeat: bool = True  # a short operation is called several times a round (see REPEAT_*)


def operations(runs: list[ModeRun], families: int, rounds: int) -> list[Operation]:
    any_run = runs[0]
    busiest = any_run.stats.busiest_day or build_module.TODAY
    family_id = family_with_most_attendance(any_run.services, families)
    terms = search_terms(random.Random(11), families)
    for run in runs:
        _keep_documents(run.services, family_id, families)
    # Every round searches all the terms: a 95th percentile of a few dozen searches was one
    # or two slow calls, and the per-round ratios spread by 0.5 and more.

    def search(run: ModeRun, r: int) -> dict[str, tuple[float, float]]:
        chunk = terms
        run.services.families.search(chunk[0])  # warm-up
        walls, cpus = [], []
        for term in chunk:
            calls = [timed_both(partial(run.services.families.search, term))
                     for _ in range(SEARCH_REPEATS)]
            walls.append(min(c[0] for c in calls))
            cpus.append(min(c[1] for c in calls))
        run.facts.setdefault("search_samples_s", []).extend(walls)
        return {"name search p50": (percentile(walls, 50), percentile(cpus, 50)),
                "name search p95": (percentile(walls, 95), percentile(cpus, 95))}

    def backup(run: ModeRun, r: int) -> None:
        target = Path(tempfile.mkdtemp(prefix=f"ccc-bench-{run.mode}-backup-"))
        try:
            if run.encrypted:
                run.services.backup.backup(target)
            else:
                _plain_copy_and_check(plain_db_path(run.folder), target)
        finally:
            shutil.rmtree(target, ignore_errors=True)

    entries = sum(len(d.entries) for d in any_run.services.register.day(busiest))
    items = len(any_run.services.retention.report().items)
    return [
        Operation("open", lambda run, r: _open_same(run.db_file, run.facts["key"], run.folder,
                                                    run.clock),
                  note="Database(file, key) + migrations check + the login's audit entry, "
                       "the key already derived"),
        Operation("name search", search, warm=False, times_itself=True,
                  note=f"{len(terms)} typed searches, all of them every round (the fastest of "
                       f"{SEARCH_REPEATS} calls each); each round's "
                       "percentile, then the median of rounds"),
        Operation("families list ready", lambda run, r: _families_list_once(run.services),
                  TARGETS["families list ready"], "FamiliesTab built and its model filled"),
        Operation("register, busiest day", lambda run, r: run.services.register.day(busiest),
                  note=f"{busiest.isoformat()}: {entries} families"),
        Operation("retention report", lambda run, r: run.services.retention.report(),
                  TARGETS["retention report"], f"{items} items"),
        Operation("letter PDF (attendance)",
                  lambda run, r: run.services.disclosures.attendance_pdf(
                      family_id, "Ann Solicitor", "Brook & Hale"),
                  TARGETS["letter PDF (attendance)"]),
        Operation("a family's documents",
                  lambda run, r: _family_documents(run.services, family_id),
                  note="its stored letters and attached documents (the family's and its "
                       "referral's), as the documents window and the attachments list read them; "
                       f"{DOCUMENTS_PER_FAMILY} letters and {ATTACHMENTS_PER_FAMILY} attachments, "
                       f"beside one letter and one attachment for every {DOCUMENTS_EVERY}th family"),
        Operation("statistics, a year",
                  lambda run, r: run.services.statistics.figures(
                      build_module.TODAY - timedelta(days=364), build_module.TODAY),
                  TARGETS["statistics, a year"],
                  "StatisticsService.figures for the 12 months to today, from the ledger"),
        Operation("backup", backup, warm=False, repeat=False,
                  note="SQLCipher: BackupService.backup (copy + verify every page's HMAC and "
                       "the length). BackupService.backup needs the vault key and slot file, so "
                       "it does not apply to the plain file; plain figure = the same atomic copy "
                       "+ integrity_check of the plain file"),
    ]


def run_rounds(runs: list[ModeRun], families: int, report: Report, rounds: int,
               log: Any = print) -> None:
    """Every operation, every round, each mode right after the other (order alternating).
    Each call is timed on the wall clock and on this thread's CPU clock."""
    ops = operations(runs, families, rounds)
    # The first tab in the process also loads Qt's fonts and styles, which the real app has
    # done before the list is opened; it would otherwise count against one mode.
    _families_list_once(runs[0].services)
    repeats: dict[str, int] = {}
    for r in range(rounds):
        order = runs if r % 2 == 0 else list(reversed(runs))
        for op in ops:
            for run in order:
                if op.warm:
                    _, cpu, _ = timed_both(partial(op.run, run, r))
                    if op.name not in repeats and op.repeat:
                        # Decided once, on the first round's warm-up, the same for both modes;
                        # from CPU time, which a busy machine does not inflate (it did the wall).
                        repeats[op.name] = max(1, min(REPEAT_MAX, int(REPEAT_FILL_S / max(cpu, 1e-4))))
                if op.times_itself:
                    for name, (wall, cpu) in op.run(run, r).items():
                        report.put(name, run.mode, wall, TARGETS.get(name), op.note, cpu=cpu)
                else:
                    n = repeats.get(op.name, 1)
                    walls, cpus = [], []
                    for _ in range(n):
                        wall, cpu, _ = timed_both(partial(op.run, run, r))
                        walls.append(wall)
                        cpus.append(cpu)
                    report.put(op.name, run.mode, min(walls), op.target, op.note,
                               cpu=min(cpus), repeats=n)
        log(f"  round {r + 1}/{rounds} done (load average {os.getloadavg()[0]:.1f})")
    report.rounds = rounds
    for run in runs:
        samples = run.facts.pop("search_samples_s", [])
        run.facts["searches"] = len(samples)
        run.facts["search_p95_all_s"] = percentile(samples, 95)


def _open_same(db_file: Path, key: bytes | None, folder: Path, clock: FixedClock) -> None:
    db = Database(db_file, key)
    try:
        migrate(db, folder / "backups")
        account = AccountStore(db).by_username(USER)
        assert account is not None
        with db.transaction():
            AccountStore(db).update(account.id, last_login_at=clock.now().isoformat(timespec="seconds"))
            AuditTrail(db, clock).record("benchmark: opened")
    finally:
        db.close()


def _plain_copy_and_check(src: Path, target: Path) -> None:
    copy = target / "centre.sqlite"
    atomic_copy(src, copy, "the backup")
    db = Database(copy, None)
    try:
        result = [r[0] for r in db.raw_connection().execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise RuntimeError(f"plain copy failed its check: {result[:3]}")
    finally:
        db.close()


DOCUMENTS_PER_FAMILY = 4
ATTACHMENTS_PER_FAMILY = 2
DOCUMENTS_EVERY = 10


def _keep_documents(s: Services, family_id: int, families: int) -> None:
    """Letters and attachments for the timed family and every DOCUMENTS_EVERYth family (the
    build makes none; not timed). Done again on a reused vault, it only adds more."""
    pdf = s.disclosures.attendance_pdf(family_id, "Ann Solicitor", "Brook & Hale")
    for fid in range(1, families + 1, DOCUMENTS_EVERY):
        s.letters.keep("attendance", f"Attendance letter {fid}", "family", fid, pdf)
        s.attachments.add("family", fid, "Child arrangements order.pdf", pdf)
    for n in range(DOCUMENTS_PER_FAMILY):
        s.letters.keep("attendance", f"Attendance letter {n}", "family", family_id, pdf)
    for n in range(ATTACHMENTS_PER_FAMILY):
        s.attachments.add("referral" if n % 2 else "family", family_id, f"Scan {n}.pdf", pdf)


def _family_documents(s: Services, family_id: int) -> int:
    return (len(s.letters.for_subject("family", family_id))
            + len(s.attachments.list("family", family_id))
            + len(s.attachments.list("referral", family_id)))


def family_with_most_attendance(s: Services, families: int) -> int:
    # A family from the middle of the ten years: twenty sessions, all in the past.
    rows = s.families.search("", limit=1)
    newest = rows[0].id if rows else 1
    return max(1, newest - families // 2)


def _qt_app() -> Any:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _families_list_once(s: Services) -> int:
    from ccc_desktop.ui.families.families import FamiliesTab
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import DialogService

    app = _qt_app()
    tab = FamiliesTab(make_context(s, DialogService()))
    app.processEvents()
    shown = int(tab.model.rowCount())
    tab.deleteLater()
    app.processEvents()
    return shown


def today() -> date:
    return build_module.TODAY

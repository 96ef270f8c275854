"""The timed operations, run the same way against the SQLCipher vault and the plain file."""

from __future__ import annotations

import random
import shutil
import tempfile
import time as clock_time
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ccc_desktop.bench import build as build_module
from ccc_desktop.bench.harness import Report, median, percentile, timed
from ccc_desktop.bench.vaults import (
    USER,
    create_encrypted,
    create_plain,
    plain_db_path,
    unlock_encrypted,
    unlock_plain,
)
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.fileio import atomic_copy
from ccc_desktop.models.services.audit import AuditTrail
from ccc_desktop.models.services.registry import Services, build_services
from ccc_desktop.models.storage.accounts import AccountStore
from ccc_desktop.models.storage.database import Database
from ccc_desktop.models.storage.migrate import migrate

SEARCHES = 200
REPEATS = 5  # the slower operations: the median of five runs, after one untimed warm-up

TARGETS = {
    "name search p95": 0.050,
    "families list ready": 0.300,
    "retention report": 2.0,
    "letter PDF (attendance)": 0.200,
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


def _repeat(fn: Any) -> float:
    return median([timed(fn)[0] for _ in range(REPEATS)])


def run_mode(mode: str, folder: Path, families: int, report: Report,
             log: Any = print, years: int = build_module.YEARS) -> dict[str, Any]:
    """Build then time everything for one mode; returns facts for the report."""
    encrypted = mode == "sqlcipher"
    clock = FixedClock(datetime.combine(build_module.TODAY, time(9, 30)))
    session = create_encrypted(folder, clock) if encrypted else create_plain(folder, clock)
    services = build_services(session)
    log(f"[{mode}] building {families} families through the services…")
    seconds, stats = timed(lambda: build_module.build(services, clock, families, progress=log, years=years))
    report.put("build", mode, seconds, note="through the real services, one transaction a week")
    key = session.db_key if encrypted else None
    session.db.close()
    db_file = session.vault.paths.db if encrypted else plain_db_path(folder)
    size_mb = db_file.stat().st_size / 1e6
    log(f"[{mode}] built in {seconds:.1f} s; file {size_mb:.1f} MB")

    # ---- open: the same steps in both modes, the key already derived ----------------------
    clock.at = datetime.combine(build_module.TODAY, time(9, 30))
    report.put("open", mode, _repeat(lambda: _open_same(db_file, key, folder, clock)),
               note="Database(file, key) + migrations check + the login's audit entry, "
                    "the key already derived")
    seconds, session = timed(lambda: unlock_encrypted(folder, clock) if encrypted
                             else unlock_plain(folder, clock))
    facts_unlock = seconds
    s = build_services(session)

    # ---- name search ------------------------------------------------------------------------
    rng = random.Random(11)
    samples: list[float] = []
    hits = 0
    for term in search_terms(rng, families):
        start = clock_time.perf_counter()
        rows = s.families.search(term)
        samples.append(clock_time.perf_counter() - start)
        hits += len(rows)
    report.put("name search p50", mode, percentile(samples, 50), note=f"{SEARCHES} searches")
    report.put("name search p95", mode, percentile(samples, 95), TARGETS["name search p95"],
               note=f"{SEARCHES} searches, families.search (up to 500 rows)")

    # ---- the families list (the real tab and its Qt model) ----------------------------------
    seconds, shown = _families_list(s)
    report.put("families list ready", mode, seconds, TARGETS["families list ready"],
               note=f"FamiliesTab built and its model filled ({shown} rows)")

    # ---- the register for the busiest day ---------------------------------------------------
    busiest = stats.busiest_day or build_module.TODAY
    entries = sum(len(d.entries) for d in s.register.day(busiest))  # also the warm-up
    report.put("register, busiest day", mode, _repeat(lambda: s.register.day(busiest)),
               note=f"{busiest.isoformat()}: {entries} families")

    # ---- retention report -------------------------------------------------------------------
    items = len(s.retention.report().items)  # also the warm-up
    report.put("retention report", mode, _repeat(lambda: s.retention.report()),
               TARGETS["retention report"], note=f"{items} items")

    # ---- a letter ---------------------------------------------------------------------------
    family_id = _family_with_most_attendance(s, families)
    pdf = s.disclosures.attendance_pdf(family_id, "Ann Solicitor", "Brook & Hale")
    report.put("letter PDF (attendance)", mode,
               _repeat(lambda: s.disclosures.attendance_pdf(family_id, "Ann Solicitor", "Brook & Hale")),
               TARGETS["letter PDF (attendance)"], note=f"{len(pdf)} bytes")

    # ---- backup -----------------------------------------------------------------------------
    target = Path(tempfile.mkdtemp(prefix=f"ccc-bench-{mode}-backup-"))
    try:
        if encrypted:
            seconds, _ = timed(lambda: s.backup.backup(target))
            report.put("backup", mode, seconds, note="BackupService.backup: copy + verify with the key")
        else:
            seconds, _ = timed(lambda: _plain_copy_and_check(plain_db_path(folder), target))
            report.put("backup", mode, seconds,
                       note="BackupService.backup needs the vault key and slot file, so it does not "
                            "apply to the plain file; plain figure = the same atomic copy + "
                            "integrity_check of the plain file")
    finally:
        shutil.rmtree(target, ignore_errors=True)
    session.db.close()
    return {"file_mb": round(size_mb, 1), "build": stats.summary(), "search_rows": hits,
            "unlock_s": facts_unlock,
            "unlock_note": "Vault.unlock with the cheap test KDF and the key file" if encrypted
            else "unlock_plain: Database + migrations check, no key file, no audit entry"}


def _open_same(db_file: Path, key: bytes | None, folder: Path, clock: FixedClock) -> None:
    db = Database(db_file, key)
    try:
        migrate(db, folder / "backups")
        account = AccountStore(db).by_username(USER)
        assert account is not None
        with db.transaction():
            AccountStore(db).update(account.id, last_login_at=clock.now().isoformat(timespec="seconds"))
            AuditTrail(db, clock).record(None, "benchmark: opened")
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


def _family_with_most_attendance(s: Services, families: int) -> int:
    # A family from the middle of the ten years: twenty sessions, all in the past.
    rows = s.families.search("", limit=1)
    newest = rows[0].id if rows else 1
    return max(1, newest - families // 2)


def _families_list(s: Services) -> tuple[float, int]:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ccc_desktop.ui.families.families import FamiliesTab
    from ccc_desktop.ui.widgets.context import make_context
    from ccc_desktop.ui.widgets.dialogs import DialogService

    app = QApplication.instance() or QApplication([])
    ctx = make_context(s, DialogService())
    samples, shown = [], 0
    # Warm-up: the first tab in the process also loads Qt's fonts and styles, which the real
    # app has done before the list is opened; it would otherwise count against one mode.
    FamiliesTab(ctx).deleteLater()
    app.processEvents()
    for _ in range(REPEATS):
        def make() -> Any:
            tab = FamiliesTab(ctx)
            app.processEvents()
            return tab
        t, tab = timed(make)
        samples.append(t)
        shown = tab.model.rowCount()
        tab.deleteLater()
        app.processEvents()
    return median(samples), shown


def today() -> date:
    return build_module.TODAY

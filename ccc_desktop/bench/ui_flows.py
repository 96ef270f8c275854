"""The window never freezes: a 10 ms timer on the UI thread (the watchdog) records the longest
gap between its ticks while a script drives the main flows through the real window, at scale.

Each flow is started as one event (as a click would be) and the event loop runs until it is
finished; the flow's stall is the longest time the UI thread did not get back to its timer,
less the timer's own 10 ms. The target is no stall over 100 ms. Beside it, the most CPU time
the UI thread spent between two ticks: the work itself, which on a busy machine is stretched
by waiting for a core (a stall of 300 ms holding 40 ms of CPU was mostly waiting).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ccc_desktop.models.vault import Vault  # noqa: E402
from ccc_desktop.ui.families.families import FamilyDialog  # noqa: E402
from ccc_desktop.ui.shell.app import Controller  # noqa: E402
from ccc_desktop.ui.widgets.dialogs import RecordingDialogs  # noqa: E402
from ccc_desktop.ui.widgets.garbage import UiThreadGarbageCollector  # noqa: E402
from ccc_desktop.ui.widgets.pdf_preview import PdfPreviewDialog  # noqa: E402

TICK_MS = 10
STALL_TARGET_S = 0.100


class Watchdog(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()
        self.worst = 0.0
        self.worst_cpu = 0.0

    def start(self) -> None:
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()
        self.worst = 0.0
        self.worst_cpu = 0.0

    def _tick(self) -> None:
        # The timer runs on the UI thread: the wall-clock gap is what the user sees; the UI
        # thread's CPU time in the gap is the work done there, which a busy machine does not
        # inflate (a gap can be long only because the thread waited for a core).
        now, cpu = time.perf_counter(), time.thread_time()
        self.worst = max(self.worst, now - self.last - TICK_MS / 1000)
        self.worst_cpu = max(self.worst_cpu, cpu - self.last_cpu)
        self.last, self.last_cpu = now, cpu


@dataclass
class FlowResult:
    name: str
    seconds: float  # from the click until the flow was finished
    longest_stall_s: float
    note: str = ""
    most_ui_cpu_s: float = 0.0  # the most CPU time the UI thread spent between two ticks


def _run_until(app: QApplication, done: Callable[[], bool], timeout_s: float) -> None:
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    deadline = time.monotonic() + timeout_s

    def check() -> None:
        if done() or time.monotonic() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if not done():
        raise TimeoutError("the flow did not finish in time")


def run_flows(folder: Path, username: str, passphrase: str, busiest: date, family_id: int,
              log: Callable[[str], None] = print,
              profile_dir: Path | None = None) -> list[FlowResult]:
    """Drive the main flows in the real window over the vault in ``folder``. With
    ``profile_dir``, each flow's UI-thread work is profiled (cProfile) into a file there."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    collector = UiThreadGarbageCollector(app) if gc.isenabled() else None  # as the app does
    dialogs = RecordingDialogs()
    controller = Controller(Vault(folder), dialogs)
    controller.start()
    dog = Watchdog()
    dog.start()
    results: list[FlowResult] = []
    scratch = Path(tempfile.mkdtemp(prefix="ccc-bench-flows-"))

    def flow(name: str, action: Callable[[], Any], done: Callable[[], bool] | None = None,
             note: str = "", timeout_s: float = 300) -> None:
        finished = {"action": False}

        def act() -> None:
            action()
            finished["action"] = True

        app.processEvents()
        # On the thread's CPU clock: what the UI thread did, not how long it waited for a core.
        profiler = cProfile.Profile(time.thread_time) if profile_dir is not None else None
        dog.reset()
        start = time.perf_counter()
        QTimer.singleShot(0, act)
        if profiler is not None:
            profiler.enable()  # this thread only: the UI thread's work, not the workers'
        _run_until(app, lambda: finished["action"] and (done is None or done()), timeout_s)
        seconds = time.perf_counter() - start
        _run_until(app, lambda: time.perf_counter() - start > seconds + 0.05, 5)  # settle
        if profiler is not None and profile_dir is not None:
            profiler.disable()
            profiler.dump_stats(profile_dir / f"{name.replace(' ', '-').replace(':', '')}.prof")
        results.append(FlowResult(name, seconds, max(0.0, dog.worst), note, dog.worst_cpu))
        log(f"  {name}: {seconds * 1000:,.0f} ms, longest stall {dog.worst * 1000:,.0f} ms "
            f"(UI thread's CPU between two ticks at most {dog.worst_cpu * 1000:,.0f} ms; "
            f"load {os.getloadavg()[0]:.1f})")

    try:
        window = controller.window
        panel = controller.unlock_panel

        def unlock() -> None:
            panel.username.setText(username)
            panel.passphrase.setText(passphrase)
            panel.try_unlock()

        def dashboard_ready() -> bool:
            if controller.ctx is None:
                return False
            dashboard = window.built("dashboard")
            return dashboard is not None and not getattr(dashboard, "busy", False)

        flow("passphrase to dashboard", unlock, dashboard_ready,
             note="the unlock screen's Argon2id runs off the UI thread; then the dashboard, "
                  "its sections gathered off the UI thread")
        ctx = controller.ctx
        assert ctx is not None
        flow("families list", lambda: window.show_tab("families"))
        families = window.tab("families")
        typed = {"n": 0}
        word = "Smith"

        def type_next() -> None:
            typed["n"] += 1
            families.search.setText(word[:typed["n"]])  # type: ignore[union-attr]
            if typed["n"] < len(word):
                QTimer.singleShot(120, type_next)  # a typist's pace

        flow("search as you type", type_next,
             lambda: typed["n"] == len(word) and not families._timer.isActive(),  # type: ignore[union-attr]
             note=f"'{word}' typed a letter every 120 ms")
        opened: list[Any] = []

        def open_record() -> None:
            dialog = FamilyDialog(ctx, family_id, window, background=True)  # as the Families tab opens it
            dialog.show()
            opened.append(dialog)

        flow("open a family record", open_record, lambda: not opened[0].busy,
             note="read (and its opening audited) off the UI thread, then shown")
        for dialog in opened:
            dialog.close()
        flow("register, busiest day",
             lambda: (window.show_tab("register"), window.tab("register").go_to(busiest)),  # type: ignore[union-attr]
             lambda: not getattr(window.tab("register"), "busy", False),
             note="until every family's card is on screen (added a few at a time)")
        flow("reports: retention report", lambda: window.show_tab("reports"),
             lambda: not window.built("reports").retention.busy,  # type: ignore[union-attr]
             note="the report read off the UI thread, then shown")
        previews: list[Any] = []

        def letter() -> None:
            pdf = ctx.services.disclosures.attendance_pdf(family_id, "Ann Solicitor", "Brook & Hale")
            preview = PdfPreviewDialog(ctx, pdf=pdf, title="Attendance letter", parent=window)
            preview.show()
            previews.append(preview)

        flow("letter with preview", letter)
        for preview in previews:
            preview.close()
        reports = window.tab("reports")
        stick = scratch / "stick"
        stick.mkdir()
        dialogs.folder = str(stick)

        def backup() -> None:
            reports.show_backups()  # type: ignore[union-attr]
            reports.backups.backup()  # type: ignore[union-attr]

        flow("backup", backup, lambda: reports.backups.task is None,  # type: ignore[union-attr]
             note="written and checked off the UI thread, progress shown")
    finally:
        dog.timer.stop()
        controller.shutdown()
        controller.window.close()
        controller.window.deleteLater()
        app.processEvents()
        shutil.rmtree(scratch, ignore_errors=True)
        if collector is not None:
            collector.timer.stop()
            collector.deleteLater()
            gc.enable()
    return results


def main(argv: list[str] | None = None) -> int:
    """python -m ccc_desktop.bench.ui_flows VAULTS [--profile DIR]: only the watchdog's flows,
    over the vaults an earlier ``python -m ccc_desktop.bench --keep`` left in VAULTS."""
    from ccc_desktop.bench.vaults import PASSPHRASE, USER, unlock_encrypted
    from ccc_desktop.bench.workload import BUILD_FACTS, family_with_most_attendance
    from ccc_desktop.models.services.registry import build_services

    parser = argparse.ArgumentParser(prog="python -m ccc_desktop.bench.ui_flows",
                                     description=main.__doc__)
    parser.add_argument("vaults", type=Path, help="the OUT/vaults folder of a run with --keep")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="write each flow's UI-thread profile (cProfile) into DIR")
    args = parser.parse_args(argv)
    built = json.loads((args.vaults / BUILD_FACTS).read_text("utf-8"))
    folder = args.vaults / "sqlcipher"
    busiest = date.fromisoformat(built["modes"]["sqlcipher"]["build"]["busiest_day"])
    session = unlock_encrypted(folder)
    try:
        family_id = family_with_most_attendance(build_services(session), built["families"])
    finally:
        session.lock("logged out")
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
    print(f"{built['families']} families; load {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    run_flows(folder, USER, PASSPHRASE, busiest, family_id, profile_dir=args.profile)
    print(f"load at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

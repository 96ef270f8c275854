"""The command line: ccc-desktop [--data-dir DIR] [--demo] [--screenshots OUT] [--version],
and ccc-desktop check-import FILE [--kind KIND]."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ccc_desktop import APP_NAME, __version__

APP_DIR_NAME = "CCC Desktop"
# Set by `python -m ccc_desktop.bench` to time launch to the unlock screen.
READY_PROBE_ENV = "CCC_DESKTOP_READY_PROBE"


def default_data_dir(demo: bool) -> Path:
    from platformdirs import user_data_dir

    base = Path(user_data_dir(APP_DIR_NAME, appauthor=False))
    # The demo never shares a folder with the centre's real records.
    return base / "demo" if demo else base


def log_dir() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_DIR_NAME, appauthor=False))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ccc-desktop", description=f"{APP_NAME}: the centre's confidential records.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("--data-dir", type=Path, help="folder holding the records (default: your user data folder)")
    parser.add_argument("--demo", action="store_true", help="create or open a vault of fictional demo data")
    parser.add_argument("--screenshots", type=Path, metavar="OUT",
                        help="with --demo: render every main screen to PNG files in OUT and exit")
    return parser.parse_args(argv)


def check_import_main(argv: list[str]) -> int:
    """ccc-desktop check-import FILE [--kind families|volunteers|sessions]: no vault, no Qt."""
    from datetime import date

    from ccc_desktop.models.imports.check import check_import

    parser = argparse.ArgumentParser(
        prog="ccc-desktop check-import",
        description="Check a spreadsheet (CSV or XLSX) before importing it: prints what would "
                    "be imported and every problem by row. Writes nothing. Exit status 0: every "
                    "row would import cleanly; 1: problems; 2: the file cannot be read.")
    parser.add_argument("file", type=Path, help="the CSV or XLSX file")
    parser.add_argument("--kind", choices=["families", "volunteers", "sessions"],
                        help="what the file holds (default: guessed from its header)")
    args = parser.parse_args(argv)
    code, lines = check_import(args.file, args.kind, date.today())
    print("\n".join(lines))
    return code


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check-import"]:
        return check_import_main(argv[1:])
    args = parse_args(argv)
    if args.screenshots and not args.demo:
        print("--screenshots needs --demo (it logs in with the demo accounts).", file=sys.stderr)
        return 2
    if args.screenshots:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    data_dir = (args.data_dir or default_data_dir(args.demo)).expanduser().resolve()

    from ccc_desktop.qt_platform import check_before_qt

    problem = check_before_qt()
    if problem:  # instead of Qt's abort: which packages to install, in plain words
        print(problem, file=sys.stderr)
        return 3

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ccc_desktop import errorlog
    from ccc_desktop.models.errors import CccError
    from ccc_desktop.models.instance_lock import InstanceLock
    from ccc_desktop.models.vault import LOCK_NAME
    from ccc_desktop.ui.widgets.garbage import UiThreadGarbageCollector

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    collector = UiThreadGarbageCollector(app)  # noqa: F841 - kept for the app's lifetime

    def excepthook(exc_type, exc, tb) -> None:
        ref = errorlog.write(log_dir(), exc_type, tb)
        print(f"Unexpected error, reference {ref}: {exc_type.__name__}", file=sys.stderr)
        sys.__excepthook__(exc_type, exc, tb)

    if args.screenshots:
        sys.excepthook = excepthook
    else:
        from ccc_desktop.ui.shell.unexpected import UnexpectedErrors

        # Any unexpected error, also one inside a Qt override (a model's data(), a paint), is
        # logged with a reference and told once, after the event, never mid-paint.
        unexpected = UnexpectedErrors(
            log_dir(), lambda text: QMessageBox.critical(None, "Something went wrong", text))

        def refusals_plainly(exc_type, exc, tb) -> None:
            if issubclass(exc_type, CccError):
                # A refusal the domain explains in plain words (a document that cannot be made,
                # a value out of bounds) that no dialog caught: its words, as plain text.
                box = QMessageBox(QMessageBox.Icon.Warning, "That could not be done", str(exc))
                box.setTextFormat(Qt.TextFormat.PlainText)
                box.exec()
                return
            unexpected(exc_type, exc, tb)

        sys.excepthook = refusals_plainly

    lock = InstanceLock(data_dir / LOCK_NAME)
    try:
        lock.acquire()
        if args.demo:
            from ccc_desktop.demo import build_demo

            vault = build_demo(data_dir)
        else:
            from ccc_desktop.models.vault import Vault

            vault = Vault(data_dir)
    except CccError as exc:
        if args.screenshots:
            print(str(exc), file=sys.stderr)
        else:
            QMessageBox.critical(None, APP_NAME, str(exc))
        return 1

    if args.screenshots:
        from ccc_desktop.ui.screenshots.runner import run_screenshots

        failures = run_screenshots(vault, args.screenshots)
        lock.release()
        if failures:
            print("These screens failed to render:\n  " + "\n  ".join(failures), file=sys.stderr)
            return 1
        print(f"Screenshots written to {args.screenshots}")
        return 0

    from ccc_desktop.ui.shell.app import Controller

    hint = ""
    if args.demo:
        from ccc_desktop.demo import DEMO_ACCOUNTS

        hint = "Demo records (all fictional). Accounts: " + "; ".join(
            f"{u} / {pw}" for u, (_n, pw) in DEMO_ACCOUNTS.items())
    controller = Controller(vault, hint=hint)
    if not controller.start():
        lock.release()
        return 0
    if os.environ.get(READY_PROBE_ENV):
        # The benchmark's probe: say "ready" once the unlock screen is up, then quit.
        from PySide6.QtCore import QTimer

        def ready() -> None:
            print("ready", flush=True)
            app.quit()

        QTimer.singleShot(0, ready)
    code = app.exec()
    controller.shutdown()
    lock.release()
    return code


if __name__ == "__main__":
    raise SystemExit(main())

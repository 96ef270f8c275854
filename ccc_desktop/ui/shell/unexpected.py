"""Unexpected errors in the running app, wherever they are raised: in a slot, or inside a Qt
virtual method that Python overrides (a model's data(), a paint, a show event).

Each one is written to the error log with a reference (ccc_desktop/errorlog.py). The person at
the keyboard sees one calm message quoting the reference, shown once the current event is over:
never from inside a paint (a dialog opened there would spin a nested event loop and paint the
broken screen again, raising again). Errors that come while that message is pending or showing
are logged and their references added to it, not shown as more boxes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer

from ccc_desktop import errorlog

MESSAGE = ("Something unexpected went wrong inside CCC Desktop. Nothing you had saved has been "
           "lost.\n\nIf it happens again, tell whoever looks after the computer and quote "
           "reference {ref}.")


class UnexpectedErrors:
    """A sys.excepthook: log with a reference, then show one message after the event."""

    def __init__(self, log_dir: Path, show: Callable[[str], object]) -> None:
        self.log_dir = log_dir
        self.show = show
        self.pending: list[str] = []
        self.showing = False

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        ref = errorlog.write(self.log_dir, exc_type, tb)
        self.pending.append(ref)
        if len(self.pending) == 1 and not self.showing:
            QTimer.singleShot(0, self._tell)

    def _tell(self) -> None:
        if not self.pending or self.showing:
            return
        self.showing = True
        try:
            first, more = self.pending[0], len(self.pending) - 1
            ref = first if not more else f"{first} (and {more} more at the same moment)"
            self.show(MESSAGE.format(ref=ref))
        finally:
            self.pending = []
            self.showing = False

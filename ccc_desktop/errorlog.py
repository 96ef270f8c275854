"""Unexpected errors (bugs): a calm message with a reference, and a local log with no personal data.

Only the exception's type and the code locations are logged, never its message or values,
because a message can carry a name or an address.
"""

from __future__ import annotations

import secrets
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType


def reference() -> str:
    return datetime.now().strftime("%Y%m%d") + "-" + secrets.token_hex(3).upper()


def scrub(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    frames = traceback.extract_tb(tb)
    lines = [f"{exc_type.__module__}.{exc_type.__qualname__}"]
    for f in frames:
        lines.append(f"  {Path(f.filename).name}:{f.lineno} in {f.name}")
    return "\n".join(lines)


def write(log_dir: Path, exc_type: type[BaseException], tb: TracebackType | None) -> str:
    ref = reference()
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        with open(log_dir / "errors.log", "a", encoding="utf-8") as fh:
            fh.write(f"[{datetime.now().isoformat(timespec='seconds')}] reference {ref}\n")
            fh.write(scrub(exc_type, tb) + "\n\n")
    except OSError:
        pass
    return ref

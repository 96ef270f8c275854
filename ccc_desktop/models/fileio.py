"""Atomic file writes: a crash or a full disk leaves the old file whole (after Electrum)."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ccc_desktop.models.errors import StorageError

ProgressFn = Callable[[int, int], None]


def disk_error_message(exc: OSError, what: str) -> str:
    if exc.errno == errno.ENOSPC:
        return f"The disk is full, so {what} could not be saved. Free some space and try again."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{what[0].upper()}{what[1:]} could not be saved: the folder is read-only or locked."
    return f"{what[0].upper()}{what[1:]} could not be saved ({exc.strerror or 'disk error'})."


def private_dir(folder: Path) -> Path:
    """Make (if need be) a folder only its owner may enter (0700), and say so again if it exists."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise StorageError(disk_error_message(exc, "the records folder")) from exc
    return folder


def private_file(path: Path) -> None:
    """Only the owner may read or write it (0600). Quietly nothing where that cannot be set."""
    if os.name == "posix":
        try:
            os.chmod(path, 0o600)
        except OSError:
            pass


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _replacing(path: Path, what: str) -> Iterator[int]:
    """A private temporary file beside ``path``, its descriptor given to write in the block,
    then renamed over ``path``; on a disk error it is removed. ``path`` is always either the old
    file or the whole new one."""
    try:
        private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StorageError(disk_error_message(exc, what)) from exc
    try:
        yield fd
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise StorageError(disk_error_message(exc, what)) from exc


def atomic_write_bytes(path: Path, data: bytes, what: str = "the file") -> None:
    path = Path(path)
    with _replacing(path, what) as fd, os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_copy(src: Path, dst: Path, what: str = "the copy", chunk: int = 1 << 20,
                progress: ProgressFn | None = None) -> None:
    """Copy via a temporary file then rename; dst is either the old file or the whole new one."""
    with _replacing(dst, what) as fd:
        total = max(1, src.stat().st_size)
        done = 0
        with open(src, "rb") as fin, os.fdopen(fd, "wb") as fout:
            while block := fin.read(chunk):
                fout.write(block)
                done += len(block)
                if progress:
                    progress(done, total)
            fout.flush()
            os.fsync(fout.fileno())

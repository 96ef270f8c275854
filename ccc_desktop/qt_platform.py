"""Before Qt opens a window on Linux: say in plain words which system packages are missing.

Qt's X11 platform plugin (xcb) needs several system libraries. Without one of them, Qt prints
"Could not load the Qt platform plugin xcb" and aborts the process; since Qt 6.5 the first one
people lack is libxcb-cursor0. This check loads the plugin the way Qt would, before any
QApplication exists, and if that fails names the Debian/Ubuntu packages to install.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

# The libraries Qt's xcb plugin loads, with the Debian/Ubuntu package that provides each
# (the same list is in the README and installed by .ci/run).
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def uses_xcb(environ: dict[str, str] | os._Environ[str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will try its X11 plugin: on Linux, unless another platform is asked for or
    the desktop session is Wayland (where Qt picks its Wayland plugin first)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def _loads(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def missing_packages(plugin: Path | None = None) -> tuple[list[str], str]:
    """([package, ...], loader message) for the xcb plugin; ([], "") when it loads."""
    if plugin is None:
        from PySide6.QtCore import QLibraryInfo

        plugin = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return [], ""  # no xcb plugin to check (another build of Qt): let Qt speak for itself
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        message = str(exc)
    else:
        return [], ""
    packages = [pkg for lib, pkg in XCB_LIBRARIES.items() if lib in message or not _loads(lib)]
    return sorted(set(packages)), message


def explain(packages: list[str], message: str) -> str:
    if packages:
        return ("CCC Desktop cannot open its window: this computer lacks system libraries that Qt "
                "needs to draw windows on X11.\n\nOn Debian or Ubuntu, install them with:\n\n"
                f"    sudo apt-get install {' '.join(packages)}\n\nthen start CCC Desktop again.\n"
                f"(The system said: {message})")
    return ("CCC Desktop cannot open its window: Qt's X11 platform plugin would not load.\n"
            f"The system said: {message}\nSee the README's list of packages to install.")


def check_before_qt() -> str | None:
    """The plain-words message if Qt's X11 plugin cannot load here, else None."""
    if not uses_xcb():
        return None
    packages, message = missing_packages()
    return explain(packages, message) if message else None

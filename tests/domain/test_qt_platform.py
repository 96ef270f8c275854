"""Before Qt starts on Linux: the missing X11 libraries are named as Debian/Ubuntu packages, and
the README and .ci/run list every package the check can name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccc_desktop import qt_platform
from ccc_desktop.qt_platform import XCB_LIBRARIES, explain, missing_packages, uses_xcb

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("env, platform, expected", [
    ({}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux", False),
    ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "x11"}, "linux", True),
    ({}, "win32", False),
])
def test_only_the_x11_plugin_is_checked(env, platform, expected) -> None:  # type: ignore[no-untyped-def]
    assert uses_xcb(env, platform) is expected


def test_a_plugin_that_will_not_load_names_the_packages(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "libqxcb.so"
    broken.write_bytes(b"not a library")
    # Pretend the system has every library except the cursor one (the usual case since Qt 6.5).
    monkeypatch.setattr(qt_platform, "_loads", lambda name: name != "libxcb-cursor.so.0")
    packages, message = missing_packages(broken)
    assert packages == ["libxcb-cursor0"] and message
    text = explain(packages, message)
    assert "sudo apt-get install libxcb-cursor0" in text


def test_no_plugin_to_check_and_a_plugin_that_loads_say_nothing(tmp_path: Path) -> None:
    assert missing_packages(tmp_path / "absent.so") == ([], "")
    from PySide6.QtCore import QLibraryInfo

    plugin = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqoffscreen.so"
    if plugin.exists():
        assert missing_packages(plugin) == ([], "")


def _apt_list(text: str) -> set[str]:
    return set(re.findall(r"\blib[a-z0-9.+-]+", text))


def test_readme_and_ci_install_every_package_the_check_names() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("sudo apt-get install python3-venv"):]
    block = block[:block.index("```")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_block = ci[ci.index("apt-get install -y"):ci.index(">/dev/null", ci.index("apt-get install -y"))]
    wanted = set(XCB_LIBRARIES.values())
    assert wanted <= _apt_list(block), wanted - _apt_list(block)
    assert _apt_list(block) <= _apt_list(ci_block), _apt_list(block) - _apt_list(ci_block)

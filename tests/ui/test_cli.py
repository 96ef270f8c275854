"""The command line that later checks rely on: --version, --demo, --screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ccc_desktop import __version__


def _run(*args: str, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "ccc_desktop", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_version() -> None:
    out = _run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"CCC Desktop {__version__}"


def test_screenshots_need_the_demo(tmp_path: Path) -> None:
    out = _run("--data-dir", str(tmp_path / "d"), "--screenshots", str(tmp_path / "s"))
    assert out.returncode == 2 and "--demo" in out.stderr


@pytest.mark.slow
def test_demo_screenshots_render_every_tab(tmp_path: Path) -> None:
    """The real thing, production key derivation and all, as the README tells people to run it."""
    shots = tmp_path / "shots"
    out = _run("--demo", "--data-dir", str(tmp_path / "demo"), "--screenshots", str(shots))
    assert out.returncode == 0, out.stderr[-3000:]
    names = {p.name for p in shots.iterdir()}
    for expected in ("unlock.png", "locked.png", "tab-dashboard.png", "tab-settings.png",
                     "settings-audit.png", "setup-4-recovery.png", "volunteer-view.png"):
        assert expected in names
    for png in shots.glob("*.png"):
        assert png.stat().st_size > 5000, f"{png.name} looks blank"
    # Run again on the same folder: the demo vault is reopened, not rebuilt.
    again = _run("--demo", "--data-dir", str(tmp_path / "demo"), "--screenshots", str(shots))
    assert again.returncode == 0, again.stderr[-3000:]


def test_demo_vault_holds_no_name_in_plain_text(tmp_path: Path) -> None:
    from ccc_desktop.demo import DEMO_ACCOUNTS, DEMO_CENTRE, build_demo
    from ccc_desktop.demo import names as demo_names

    folder = tmp_path / "demo"
    vault = build_demo(folder)
    s = vault.unlock("coordinator", DEMO_ACCOUNTS["coordinator"][1])
    s.lock()
    needles = [n for n, _ in DEMO_ACCOUNTS.values()] + list(DEMO_ACCOUNTS)
    needles += [DEMO_CENTRE.name, "Mill Lane", *demo_names.sample_names()]
    files = [f for f in folder.rglob("*") if f.is_file()]
    assert files
    for f in files:
        data = f.read_bytes()
        for needle in needles:
            assert needle.encode() not in data, f"{needle!r} in {f.name}"

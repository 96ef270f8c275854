"""The shape of the code: the domain never imports Qt; the UI never runs SQL."""

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import ccc_desktop

ROOT = Path(ccc_desktop.__file__).parent


def test_domain_and_documents_never_import_qt() -> None:
    code = (
        "import importlib, pkgutil, sys, ccc_desktop.models as m\n"
        "mods = [m.__name__] + [n for _, n, _ in pkgutil.walk_packages(m.__path__, m.__name__ + '.')]\n"
        "try:\n import ccc_desktop.documents as d\n"
        " mods += [n for _, n, _ in pkgutil.walk_packages(d.__path__, d.__name__ + '.')]\nexcept ImportError: pass\n"
        "try:\n import ccc_desktop.demo as dm\n"
        " mods += [dm.__name__] + [n for _, n, _ in pkgutil.walk_packages(dm.__path__, dm.__name__ + '.')]\nexcept ImportError: pass\n"
        "[importlib.import_module(n) for n in mods]\n"
        "print(len(mods), sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, qt = out.stdout.split(" ", 1)
    assert int(count) > 10
    assert qt.strip() == "[]"


def test_ui_never_runs_sql() -> None:
    sql = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.I)
    offenders = [
        str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py") if sql.search(p.read_text())
    ]
    assert offenders == []


def test_sql_lives_in_the_storage_layer() -> None:
    sql = re.compile(r"\.(execute|query|query_one|scalar)\(\s*f?[\"'](SELECT|INSERT|UPDATE|DELETE)", re.I)
    offenders = []
    for p in ROOT.rglob("*.py"):
        rel = p.relative_to(ROOT)
        if rel.parts[:2] == ("models", "storage") or rel.parts[0] == "bench":
            continue
        if sql.search(p.read_text()):
            offenders.append(str(rel))
    assert offenders == []


def test_no_network_modules_in_the_app() -> None:
    banned = re.compile(r"^\s*(import|from)\s+(socket|urllib|http|requests|ssl|ftplib|smtplib)\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py") if banned.search(p.read_text())]
    assert offenders == []
    assert pkgutil  # keep import used


def test_the_checkout_root_holds_only_known_files() -> None:
    """No test or tool leaves files (a saved PDF, a database) in the project's root."""
    import subprocess as sp

    root = ROOT.parent
    out = sp.run(["git", "-C", str(root), "ls-files", "--others", "--exclude-standard"],
                 capture_output=True, text=True)
    if out.returncode != 0:  # not a git checkout (e.g. an unpacked archive): nothing to check
        return
    assert [f for f in out.stdout.splitlines() if "/" not in f] == []

"""The shape of the code, read from the source (``tests/architecture_rules.py``, AST; nothing is
imported): the domain never imports Qt; the UI never reaches storage; documents and the vault
never import a service; no import cycles; SQL only in storage; importing a module registers
nothing. Each rule is also fed a bad snippet, to show it fails when broken."""

import re
from pathlib import Path

import pytest
from architecture_rules import (
    documents_import_services,
    import_cycles,
    module_level_registration,
    package_sources,
    qt_in_the_domain,
    sql_outside_storage,
    ui_imports_storage,
    vault_imports_services,
)

import ccc_desktop

ROOT = Path(ccc_desktop.__file__).parent
SOURCES = package_sources(ROOT.parent)

RULES = {
    "qt": qt_in_the_domain,
    "ui-storage": ui_imports_storage,
    "documents-services": documents_import_services,
    "vault-services": vault_imports_services,
    "cycles": import_cycles,
    "sql": sql_outside_storage,
    "registration": module_level_registration,
}


def test_the_rules_read_the_whole_package() -> None:
    assert len(SOURCES) > 100
    assert {"ccc_desktop.models.vault", "ccc_desktop.ui.shell.app",
            "ccc_desktop.documents.base"} <= set(SOURCES)


@pytest.mark.parametrize("rule", RULES)
def test_the_code_keeps_the_rule(rule: str) -> None:
    assert RULES[rule](SOURCES) == []


# ---- each rule bites: a bad snippet added to the real tree is found ------------------------------
BAD = {
    "qt": {"ccc_desktop.models.services.sneaky": "def f():\n    from PySide6.QtWidgets import QLabel\n"},
    "qt-documents": {"ccc_desktop.documents.sneaky": "import shiboken6\n"},
    "ui-storage": {"ccc_desktop.ui.sneaky": "def f():\n    from ccc_desktop.models.storage.families import FamilyStore\n"},
    "ui-storage-package": {"ccc_desktop.ui.sneaky": "from ccc_desktop.models import storage\n"},
    "ui-sqlcipher": {"ccc_desktop.ui.sneaky": "import sqlcipher3.dbapi2 as sq\n"},
    "documents-services": {"ccc_desktop.documents.sneaky":
                           "from ccc_desktop.models.services.retention import CATEGORY_LABELS\n"},
    "vault-services": {"ccc_desktop.models.sneaky": "import ccc_desktop.models.services.centre\n",
                       "ccc_desktop.models.vault": SOURCES["ccc_desktop.models.vault"]
                       + "\ndef later():\n    from ccc_desktop.models import sneaky\n"},
    "cycles": {"ccc_desktop.models.records": SOURCES["ccc_desktop.models.records"]
               + "\ndef later():\n    from ccc_desktop.models.services import registry\n"},
    "sql": {"ccc_desktop.models.services.sneaky": 'Q = """\n  SELECT name\n  FROM families\n"""\n'},
    "sql-fstring": {"ccc_desktop.ui.sneaky": 'def f(t):\n    return f"DELETE FROM {t} WHERE 1"\n'},
    "sql-executemany": {"ccc_desktop.models.services.sneaky": "def f(db, rows):\n    db.executemany(SQL, rows)\n"},
    "registration": {"ccc_desktop.models.services.sneaky":
                     "from ccc_desktop.models.templates import LetterKind, register_kind\n"
                     "register_kind(LetterKind('x', 'X', 'x.txt', ()))\n"},
    "registration-loop": {"ccc_desktop.models.sneaky": "KINDS = {}\nfor k in ('a', 'b'):\n    KINDS[k] = k\n"},
    "registration-item": {"ccc_desktop.models.sneaky": "from ccc_desktop.models import roles\n"
                          "roles.SUBJECT_PERMISSIONS['x'] = 1\n"},
    "registration-extend": {"ccc_desktop.ui.screenshots.sneaky": "SHOTS = []\nSHOTS += [('a.png', print)]\n"},
}
RULE_OF = {"qt-documents": "qt", "ui-storage-package": "ui-storage", "ui-sqlcipher": "ui-storage",
           "sql-fstring": "sql", "sql-executemany": "sql", "registration-loop": "registration",
           "registration-item": "registration", "registration-extend": "registration"}


@pytest.mark.parametrize("case", BAD)
def test_each_rule_fails_when_broken(case: str) -> None:
    rule = RULES[RULE_OF.get(case, case)]
    assert rule({**SOURCES, **BAD[case]}) != []


def test_a_type_checking_import_is_not_a_cycle_but_a_function_import_is() -> None:
    sources = {
        "ccc_desktop.a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ccc_desktop.b import B\n",
        "ccc_desktop.b": "import ccc_desktop.a\n",
    }
    assert import_cycles(sources) == []
    sources["ccc_desktop.a"] += "def f():\n    from ccc_desktop import b\n"
    assert import_cycles(sources) == [["ccc_desktop.a", "ccc_desktop.b"]]


def test_definitions_and_guards_at_module_level_are_not_registration() -> None:
    fine = {"ccc_desktop.models.fine": (
        '"""Doc."""\nimport os\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n'
        "LOG = object()\nKINDS: dict[str, int] = {'a': 1}\nos.environ.setdefault('Q', 'x')\n"
        "def f():\n    KINDS['b'] = 2\nclass C:\n    x = 1\n"
        "if __name__ == '__main__':\n    f()\n")}
    assert module_level_registration(fine) == []


def test_words_in_prose_are_not_sql() -> None:
    prose = {"ccc_desktop.ui.x": 'T = "Select the family from the list, then update the set."\n'
                                 '"""VACUUM rebuilds the file."""\n'}
    assert sql_outside_storage(prose) == []


def test_no_network_modules_in_the_app() -> None:
    banned = re.compile(r"^\s*(import|from)\s+(socket|urllib|http|requests|ssl|ftplib|smtplib)\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.py") if banned.search(p.read_text())]
    assert offenders == []


def test_the_checkout_root_holds_only_known_files() -> None:
    """No test or tool leaves files (a saved PDF, a database) in the project's root."""
    import subprocess as sp

    root = ROOT.parent
    out = sp.run(["git", "-C", str(root), "ls-files", "--others", "--exclude-standard"],
                 capture_output=True, text=True)
    if out.returncode != 0:  # not a git checkout (e.g. an unpacked archive): nothing to check
        return
    assert [f for f in out.stdout.splitlines() if "/" not in f] == []

"""Shared fixtures. Qt is told to draw offscreen before anything imports it.

The day the run stands on: tests marked `dates` (their expectations follow "today": the demo,
the dashboard, reviews, DBS warnings, retention, subject access deadlines, the policy review)
get a FixedClock at TODAY, and the demo in tests is built on TODAY. TODAY is the date in
CCC_TEST_TODAY (YYYY-MM-DD) when it is set, else the day the run starts: `.ci/run` runs the
suite at the real today, then the `dates` tests again at the awkward days of the year. Only this
file reads that variable; the application never does. Every other test keeps START.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gc  # noqa: E402

# As in the app (ui/widgets/garbage.py): no automatic collection, which could start in a worker
# thread and free Qt objects there; each test ends with a collection on the main thread.
gc.disable()

import shutil  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from ccc_desktop.models import crypto  # noqa: E402
from ccc_desktop.models.clock import FixedClock  # noqa: E402
from ccc_desktop.models.records import CentreDetails  # noqa: E402
from ccc_desktop.models.roles import Role  # noqa: E402
from ccc_desktop.models.services.registry import Services, build_services  # noqa: E402
from ccc_desktop.models.vault import Session, Vault  # noqa: E402

# Speed is measured by the benchmark, never by a test: Hypothesis's per-example deadline (200 ms)
# failed a property test on a loaded machine whose first example paid for loading fonts.
hypothesis_settings.register_profile("ccc", deadline=None)
hypothesis_settings.load_profile("ccc")

# Key derivation is slow on purpose; tests use the explicit cheap setting.
# tests/domain/test_crypto.py proves the production default is the strong one.
crypto.enable_cheap_kdf_for_tests()

COORDINATOR = ("coordinator", "Coordinator passphrase 1")
CHAIR = ("chair", "Chair passphrase 22")
VOLUNTEER = ("volunteer", "Volunteer passphrase 333")
START = datetime(2026, 11, 26, 9, 30)
# Released vaults and other files tests read: tests/fixtures/ (copy a vault to tmp_path first).
FIXTURES = Path(__file__).parent / "fixtures"


def _run_date() -> date:
    raw = os.environ.get("CCC_TEST_TODAY", "").strip()
    if not raw:
        return date.today()  # the one read of the wall clock: which day this run stands on
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise pytest.UsageError(f"CCC_TEST_TODAY={raw!r}: give a date as YYYY-MM-DD") from None


TODAY = _run_date()
TODAY_AT = datetime.combine(TODAY, START.time())
# The test vault is made before any day a test stands on.
MADE_AT = min(START, TODAY_AT - timedelta(days=1))


def pytest_report_header(config: pytest.Config) -> str:
    return f"dated tests stand on {TODAY:%a %d %b %Y} (CCC_TEST_TODAY={TODAY.isoformat()})"


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    if exitstatus not in (0, 5):
        terminalreporter.write_line(
            f"dated tests stood on {TODAY.isoformat()}: rerun with CCC_TEST_TODAY={TODAY.isoformat()}")

CENTRE = CentreDetails(
    name="Riverside Child Contact Centre",
    address="The Old School\n12 Mill Lane\nChesterfield S40 1AA",
    phone="01246 000000",
    email="office@riverside-ccc.example",
    chair_name="Margaret Holt",
    naccc_contact="NACCC office, Nottingham",
    solicitor_name="David Brook",
    solicitor_firm="Brook & Hale LLP",
)


@dataclass
class TemplateVault:
    folder: Path
    recovery_key: str


@pytest.fixture(scope="session")
def template_vault(tmp_path_factory: pytest.TempPathFactory) -> TemplateVault:
    folder = tmp_path_factory.mktemp("template") / "vault"
    vault = Vault(folder, FixedClock(MADE_AT))
    session, recovery = vault.create(CENTRE, COORDINATOR[0], "Carol Dean", COORDINATOR[1])
    services = build_services(session)
    chair = services.accounts.add(CHAIR[0], "Margaret Holt", Role.CHAIR, CHAIR[1])
    vol = services.accounts.add(VOLUNTEER[0], "Sam Volunteer", Role.VOLUNTEER, VOLUNTEER[1])
    session.lock("logged out")
    # The test accounts start without the "change your passphrase" prompt.
    for name, pw, acc in ((CHAIR[0], CHAIR[1], chair), (VOLUNTEER[0], VOLUNTEER[1], vol)):
        s = vault.unlock(name, pw)
        with s.db.transaction():
            from ccc_desktop.models.storage.accounts import AccountStore

            AccountStore(s.db).update(acc.id, must_change_passphrase=0)
        s.lock("logged out")
    return TemplateVault(folder, recovery)


@pytest.fixture
def today() -> date:
    """The day the run stands on (see the module docstring)."""
    return TODAY


@pytest.fixture
def clock(request: pytest.FixtureRequest) -> FixedClock:
    """START (26 Nov 2026 09:30), or TODAY at 09:30 for a test marked `dates`."""
    return FixedClock(TODAY_AT if request.node.get_closest_marker("dates") else START)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo vault built on TODAY (built once; tests get a copy through `demo`)."""
    from ccc_desktop.demo import build_demo

    folder = tmp_path_factory.mktemp("demo") / "vault"
    build_demo(folder, FixedClock(TODAY_AT))
    return folder


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Services:
    """A copy of the demo built on TODAY, unlocked as its Coordinator, standing on TODAY."""
    from ccc_desktop.demo import DEMO_ACCOUNTS

    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    session = Vault(target, FixedClock(TODAY_AT)).unlock("coordinator", DEMO_ACCOUNTS["coordinator"][1])
    yield build_services(session)  # type: ignore[misc]
    if session.is_open:
        session.lock("logged out")


@pytest.fixture
def vault_dir(template_vault: TemplateVault, tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(template_vault.folder, target)
    return target


@pytest.fixture
def vault(vault_dir: Path, clock: FixedClock) -> Vault:
    return Vault(vault_dir, clock)


@pytest.fixture
def recovery_key(template_vault: TemplateVault) -> str:
    return template_vault.recovery_key


@pytest.fixture
def login(vault: Vault) -> Callable[[str], Services]:
    opened: list[Session] = []
    creds = {"coordinator": COORDINATOR, "chair": CHAIR, "volunteer": VOLUNTEER}

    def _login(role: str) -> Services:
        name, pw = creds[role]
        session = vault.unlock(name, pw)
        opened.append(session)
        return build_services(session)

    yield _login  # type: ignore[misc]
    for s in opened:
        s.lock("logged out")


@pytest.fixture
def coordinator(login: Callable[[str], Services]) -> Services:
    return login("coordinator")


@pytest.fixture
def chair(login: Callable[[str], Services]) -> Services:
    return login("chair")


@pytest.fixture
def volunteer(login: Callable[[str], Services]) -> Services:
    return login("volunteer")


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread():  # type: ignore[no-untyped-def]
    yield
    gc.collect()

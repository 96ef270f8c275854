"""Every public method of every service, called as the Session volunteer, refuses -- except the
few the role is meant to have (the register, the policy, its own passphrase, the centre's name).

This is the domain-layer guarantee behind DESIGN.md's role table: a hidden button is never the
only thing between the volunteer and a record. The families test looks inside the register's
answers; this one proves nothing else answers at all.
"""

from __future__ import annotations

import inspect
from datetime import date

import pytest

from ccc_desktop.models.errors import CccError, PermissionDenied

# (service, method) the volunteer may call.
ALLOWED = {
    ("accounts", "me"), ("accounts", "change_own_passphrase"), ("accounts", "verify_own_passphrase"),
    ("centre", "details"), ("centre", "setting"), ("centre", "idle_lock_minutes"),
    ("audit", "record"),  # services write their own entries; reading needs VIEW_AUDIT
    ("audit", "folded"),  # the import folds its services' entries into one; it reads nothing
    ("audit", "one_checkpoint"),  # a batch of entries under one checkpoint; it reads nothing
    ("bookings", "patterns"), ("bookings", "sessions_between"), ("bookings", "no_show"),
    ("register", "day"), ("register", "session_dates"), ("register", "arrive"),
    ("register", "leave"), ("register", "set_times"), ("register", "absent"),
    ("register", "no_show"), ("register", "set_notes"), ("register", "finalise"),
    ("register", "session_day"), ("register", "day_sheet"), ("register", "record_day_sheet_output"),
    ("volunteers", "on_duty"),
    ("policy", "current"), ("policy", "versions"), ("policy", "reviews"), ("policy", "pdf"),
    ("policy", "record_output"), ("policy", "next_review_due"), ("policy", "current_text"),
    ("policy", "print_pdf"), ("policy", "review_due"), ("policy", "last_review"),
    ("policy", "review_status"), ("policy", "version"),
    # Settings that hold no personal data (periods, versions, whether a backup is overdue).
    ("volunteers", "current_undertaking_version"), ("volunteers", "safeguarding_renewal_years"),
    ("dbs", "renewal_years"), ("dbs", "required_level"), ("retention", "period_years"),
    ("retention", "needs_compacting"), ("backup", "backup_folder"), ("backup", "is_overdue"),
    ("backup", "last_backup"),
    ("rectification", "fields"),  # filters itself to the fields the role may correct: none
}


def _arg(param: inspect.Parameter) -> object:
    ann = str(param.annotation)
    name = param.name
    if name == "selection":
        return [("family", 1)]
    if "date" in ann and "str" not in ann:
        return date(2026, 11, 21)
    if "int" in ann or name.endswith("_id") or name == "id":
        return 1
    if "bool" in ann:
        return True
    if "list" in ann or "Iterable" in ann or "Sequence" in ann:
        return []
    if "bytes" in ann:
        return b"x"
    return "x"


def _public_methods(service: object) -> list[tuple[str, object]]:
    out = []
    for name, _fn in inspect.getmembers(type(service), predicate=inspect.isfunction):
        if not name.startswith("_"):
            out.append((name, getattr(service, name)))
    return out


def test_the_volunteer_is_refused_everywhere_else(volunteer, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # a dummy "x" passed as a path must not land in the checkout
    names = [f for f in type(volunteer).__dataclass_fields__ if f != "session"]
    leaked = []
    checked = 0
    for service_name in names:
        service = getattr(volunteer, service_name)
        for method_name, method in _public_methods(service):
            if (service_name, method_name) in ALLOWED:
                continue
            sig = inspect.signature(method)
            args = [_arg(p) for p in sig.parameters.values()
                    if p.default is inspect.Parameter.empty
                    and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            checked += 1
            try:
                method(*args)
            except PermissionDenied:
                continue
            except (CccError, TypeError, ValueError, AttributeError, KeyError) as exc:
                leaked.append(f"{service_name}.{method_name}: {type(exc).__name__} before the role check")
                continue
            leaked.append(f"{service_name}.{method_name}: answered")
    assert checked > 100
    assert leaked == [], "\n".join(leaked)


def test_the_dashboard_shows_the_volunteer_nothing(volunteer) -> None:
    assert volunteer.dashboard.sections() == []


@pytest.mark.parametrize("role", ["coordinator", "chair"])
def test_managers_are_refused_nowhere_by_role(role, login, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # some methods save to a path: the dummy "x" lands here
    services = login(role)
    for service_name in [f for f in type(services).__dataclass_fields__ if f != "session"]:
        for method_name, method in _public_methods(getattr(services, service_name)):
            sig = inspect.signature(method)
            args = [_arg(p) for p in sig.parameters.values()
                    if p.default is inspect.Parameter.empty
                    and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            try:
                method(*args)
            except PermissionDenied as exc:
                pytest.fail(f"{role} refused {service_name}.{method_name}: {exc}")
            except Exception:  # noqa: BLE001 - bad dummy arguments are fine here
                pass

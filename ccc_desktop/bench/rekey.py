"""Time a revocation on a benchmark-sized vault: ``python -m ccc_desktop.bench.rekey``.

Builds the benchmark's synthetic centre (SQLCipher only) through the real services, adds a
Chair and two Session volunteers, then disables one volunteer (a new database key: the file is
exported whole under it), removes the other (the same rekey, and the row marked removed) and
disables the Chair (a new seal key as well: every sealed value resealed).
Prints the seconds each took and the file's size; ``--keep DIR`` leaves the vault there.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import datetime
from datetime import time as day_time
from pathlib import Path

from ccc_desktop.bench import build as build_module
from ccc_desktop.bench.vaults import create_encrypted, unlock_encrypted
from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.roles import Role
from ccc_desktop.models.services.registry import build_services


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ccc-rekey-")) / "vault"
    clock = FixedClock(datetime.combine(build_module.TODAY, day_time(9, 30)))
    session = create_encrypted(folder, clock)
    services = build_services(session)
    chair = services.accounts.add("benchchair", "Bench Chair", Role.CHAIR, "Bench chair passphrase")
    volunteer = services.accounts.add("benchvol", "Bench Volunteer", Role.VOLUNTEER,
                                      "Bench volunteer passphrase")
    leaving = services.accounts.add("benchvol2", "Bench Leaver", Role.VOLUNTEER,
                                    "Bench leaver passphrase")
    started = time.perf_counter()
    stats = build_module.build(services, clock, args.families, progress=print)
    built = time.perf_counter() - started
    size_mb = session.vault.paths.db.stat().st_size / 1e6
    steps: list[tuple[float, int]] = []

    def progress(done: int, total: int) -> None:
        steps.append((time.perf_counter(), done))

    t0 = time.perf_counter()
    result_volunteer = services.accounts.disable(volunteer.id, progress)
    volunteer_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    services.accounts.remove(leaving.id, progress)
    remove_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    result_chair = services.accounts.disable(chair.id, progress)
    chair_s = time.perf_counter() - t0
    session.lock()
    entries = 0
    t0 = time.perf_counter()
    again = unlock_encrypted(folder, clock)  # a manager's unlock checks the whole audit trail
    unlock_s = time.perf_counter() - t0
    entries = again.audit.store.count()
    again.lock()
    out = {"families": stats.families, "bookings": stats.bookings, "build_s": round(built, 1),
           "file_mb": round(size_mb, 1),
           "disable_volunteer_s": round(volunteer_s, 2),
           "remove_volunteer_s": round(remove_s, 2),
           "disable_chair_s": round(chair_s, 2),
           "resealed_values": result_chair.resealed if result_chair else None,
           "progress_reports": len(steps),
           "manager_unlock_s": round(unlock_s, 2), "audit_entries": entries,
           "volunteer_revoked": result_volunteer.revoked if result_volunteer else None}
    print(json.dumps(out, indent=1))
    if args.keep is None:
        shutil.rmtree(folder.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

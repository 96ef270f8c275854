"""Timing the import of a 5,000-row spreadsheet (issue 15's target: under 10 s).

``python -m ccc_desktop.bench.imports [--rows N]`` makes an empty vault in a temporary folder,
writes an XLSX of N families (two adults, two children each, dates as Excel serial numbers and
as dd/mm/yyyy text), and times reading it, checking it (the plan, with the duplicate check
against the vault) and importing it through the services in one transaction, with the wall
time and the process's CPU time of each step.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import tempfile
import time as clock_time
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ccc_desktop.models.clock import FixedClock
from ccc_desktop.models.imports.fields import Kind
from ccc_desktop.models.imports.reading import read_bytes
from ccc_desktop.models.services.registry import Services, build_services

TARGET_SECONDS = 10.0
HEADER = ["Referral date", "Route", "Parent 1 name", "Parent 1 role", "Parent 1 phone",
          "Parent 2 name", "Parent 2 role", "Child 1 name", "Child 1 DOB", "Child 2 name",
          "Child 2 DOB"]
_FIRST = ["Amy", "Ben", "Cara", "Dan", "Eve", "Finn", "Gail", "Hugo", "Isla", "Jack", "Kira", "Liam"]
_LAST = ["Ahmed", "Brook", "Clarke", "Dunn", "Evans", "Frost", "Green", "Hart", "Iqbal", "Jones"]


def families_xlsx(rows: int, today: date, seed: int = 15) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    ws = book.create_sheet("Families")
    ws.append(HEADER)
    for i in range(rows):
        last = f"{rng.choice(_LAST)}{i}"
        referred = today - timedelta(days=rng.randint(1, 900))
        dob1 = today - timedelta(days=rng.randint(400, 6000))
        ws.append([
            (referred - date(1899, 12, 30)).days if i % 2 else referred.strftime("%d/%m/%Y"),
            rng.choice(["Self", "Solicitor", "Cafcass", "Social services"]),
            f"{rng.choice(_FIRST)} {last}", "Resident parent", f"07700 {i:06d}",
            f"{rng.choice(_FIRST)} {last}", "Visiting parent",
            f"{rng.choice(_FIRST)} {last}", dob1.strftime("%d/%m/%Y"),
            f"{rng.choice(_FIRST)} {last}", (dob1 - date(1899, 12, 30)).days + 400,
        ])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def time_import(s: Services, rows: int, today: date) -> dict[str, Any]:
    """Wall time (perf_counter) and this process's CPU time (process_time: the machine is
    shared, so the CPU time says more than the wall time under load) of each step."""
    data = families_xlsx(rows, today)
    marks: dict[str, float] = {}
    wall, cpu = clock_time.perf_counter, clock_time.process_time
    start, start_cpu = wall(), cpu()
    sheet = read_bytes(data, f"families-{rows}.xlsx")
    marks["read"], marks["read_cpu"] = wall() - start, cpu() - start_cpu
    before, before_cpu = wall(), cpu()
    plan = s.imports.plan(Kind.FAMILIES, sheet)
    marks["check"], marks["check_cpu"] = wall() - before, cpu() - before_cpu
    problems = len(plan.problems)
    before, before_cpu = wall(), cpu()
    calls = []
    result = s.imports.run(plan, progress=lambda done, total: calls.append(done))
    marks["import"], marks["import_cpu"] = wall() - before, cpu() - before_cpu
    marks["total"], marks["total_cpu"] = wall() - start, cpu() - start_cpu
    return {"rows": rows, "problems": problems, "created": result.created,
            "progress_reports": len(calls), "file_bytes": len(data), **marks}


def main(argv: list[str] | None = None) -> int:
    from ccc_desktop.bench.vaults import create_encrypted

    parser = argparse.ArgumentParser(prog="python -m ccc_desktop.bench.imports")
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args(argv)
    today = date(2026, 11, 26)
    folder = Path(tempfile.mkdtemp(prefix="ccc-bench-import-"))
    try:
        session = create_encrypted(folder, FixedClock(datetime.combine(today, time(9, 30))))
        facts = time_import(build_services(session), args.rows, today)
        session.db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{facts['rows']} families ({facts['file_bytes'] / 1e6:.1f} MB XLSX), load average "
          f"{load:.1f}; wall (CPU) seconds: read {facts['read']:.2f} ({facts['read_cpu']:.2f}), "
          f"checked {facts['check']:.2f} ({facts['check_cpu']:.2f}), imported "
          f"{facts['import']:.2f} ({facts['import_cpu']:.2f}); total {facts['total']:.2f} "
          f"({facts['total_cpu']:.2f}) (target < {TARGET_SECONDS:.0f} s: "
          f"{'ok' if facts['total'] < TARGET_SECONDS else 'MISSED'}); {facts['created']} created, "
          f"{facts['problems']} problems, {facts['progress_reports']} progress reports")
    return 0 if facts["total"] < TARGET_SECONDS and facts["created"] == args.rows else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""``ccc-desktop check-import FILE [--kind ...]``: what would be imported and every problem by
row, with no vault and nothing written. Exit 0: every row would import cleanly; 1: problems or
likely duplicates; 2: the file cannot be read at all."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ccc_desktop.models.imports.fields import Kind, guess_kind, guess_mapping
from ccc_desktop.models.imports.plan import Plan, build_plan
from ccc_desktop.models.imports.reading import UnreadableFile, read_file


def report(plan: Plan) -> list[str]:
    sheet = plan.sheet
    lines = [f"{sheet.name}: {len(plan.rows)} rows read as {plan.kind.label.lower()} "
             f"(SHA-256 {sheet.checksum[:16]}\u2026).", "", "Columns:"]
    for header, key in plan.mapping.items():
        target = next((f.label for f in plan.fields if f.key == key), None)
        lines.append(f"  \u201c{header}\u201d \u2192 {target or 'not imported'}")
    ready = [r for r in plan.rows if r.clean and not r.duplicates]
    lines += ["", f"Would import {len(ready)} of {len(plan.rows)} rows."]
    problems = plan.problems
    if problems:
        lines += ["", f"Problems ({len(problems)}):"] + [f"  {p}" for p in problems]
    dups = [(r.number, d) for r in plan.rows if r.clean for d in r.duplicates]
    if dups:
        lines += ["", f"Likely duplicates within the file ({len(dups)}); the Coordinator chooses "
                  "to skip or merge each:"]
        lines += [f"  Row {n}: {d}." for n, d in dups]
    if not problems and not dups:
        lines += ["", "No problems: every row would import cleanly."]
    return lines


def check_import(path: Path, kind: str | None, today: date) -> tuple[int, list[str]]:
    try:
        sheet = read_file(path)
    except UnreadableFile as exc:
        return 2, [f"{Path(path).name}: {exc}"]
    chosen = Kind(kind) if kind else guess_kind(sheet.headers)
    plan = build_plan(chosen, sheet, guess_mapping(chosen, sheet.headers), today)
    dups = any(r.duplicates for r in plan.rows if r.clean)
    return (1 if plan.problems or dups else 0), report(plan)

"""Timing, memory and the report table. No Qt here except where an operation needs a model."""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


@dataclass
class Measure:
    name: str
    seconds: dict[str, float] = field(default_factory=dict)  # mode -> seconds
    target: float | None = None  # seconds, for the SQLCipher run
    note: str = ""

    def ratio(self) -> float | None:
        enc, plain = self.seconds.get("sqlcipher"), self.seconds.get("plain")
        if enc is None or plain is None or plain <= 0:
            return None
        return enc / plain


@dataclass
class Report:
    families: int
    measures: dict[str, Measure] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def put(self, name: str, mode: str, seconds: float, target: float | None = None,
            note: str = "") -> None:
        m = self.measures.setdefault(name, Measure(name))
        m.seconds[mode] = seconds
        if target is not None:
            m.target = target
        if note:
            m.note = note

    def table(self, max_ratio: float) -> str:
        lines = [f"{'operation':38} {'SQLCipher':>11} {'plain':>11} {'ratio':>7}  target",
                 "-" * 84]
        for m in self.measures.values():
            enc = m.seconds.get("sqlcipher")
            plain = m.seconds.get("plain")
            ratio = m.ratio()
            verdict = []
            if m.target is not None and enc is not None:
                verdict.append(f"< {m.target * 1000:.0f} ms " + ("ok" if enc < m.target else "MISSED"))
            if ratio is not None:
                verdict.append(f"ratio {'ok' if ratio <= max_ratio else 'OVER'}")
            lines.append(
                f"{m.name:38} {_ms(enc):>11} {_ms(plain):>11} "
                f"{(f'{ratio:.2f}x' if ratio else '-'):>7}  {'; '.join(verdict)}")
        for key, value in self.extra.items():
            lines.append(f"{key:38} {value}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "families": self.families,
            "operations": {
                m.name: {
                    "sqlcipher_s": m.seconds.get("sqlcipher"),
                    "plain_s": m.seconds.get("plain"),
                    "ratio": m.ratio(),
                    "target_s": m.target,
                    "note": m.note,
                }
                for m in self.measures.values()
            },
            **self.extra,
        }

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "bench.json"
        path.write_text(json.dumps(self.to_json(), indent=2), "utf-8")
        return path


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:,.1f} ms"


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else 0.0

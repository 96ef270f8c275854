"""The benchmark runs end to end at a small size and writes every figure for both modes.

No timing assertions: the targets belong to the benchmark's own output."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

OPERATIONS = [
    "build", "open", "name search p50", "name search p95", "families list ready",
    "register, busiest day", "retention report", "letter PDF (attendance)", "statistics, a year",
    "backup",
]


def test_benchmark_writes_both_modes_and_ratios(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "ccc_desktop.bench", "--families", "30", "--years", "1",
         "--launch-runs", "1", "--rounds", "3", "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=600, cwd=Path(__file__).parents[2])
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads((out / "bench.json").read_text("utf-8"))
    assert data["families"] == 30
    assert data["rounds"] == 3
    assert list(data["operations"]) == OPERATIONS
    for name, op in data["operations"].items():
        assert op["sqlcipher_s"] > 0, name
        assert op["plain_s"] > 0, name
        assert op["ratio"] == op["sqlcipher_s"] / op["plain_s"], name
        # Interleaved rounds: one value a round in each mode, the median and spread from them.
        if name != "build":
            assert len(op["sqlcipher_rounds_s"]) == len(op["plain_rounds_s"]) == 3, name
        assert op["sqlcipher_s"] == statistics.median(op["sqlcipher_rounds_s"]), name
        assert op["plain_s"] == statistics.median(op["plain_rounds_s"]), name
        assert len(op["round_ratios"]) == len(op["sqlcipher_rounds_s"]), name
        assert op["ratio_iqr"] >= 0 and op["sqlcipher_iqr_s"] >= 0, name
    for name in ("name search p95", "families list ready", "retention report",
                 "letter PDF (attendance)"):
        assert data["operations"][name]["target_s"] > 0
    # The plain backup is not a BackupService backup, and the note says so.
    assert "does not apply" in data["operations"]["backup"]["note"]
    assert data["key_derivation_s"] > 0
    assert data["launch_to_unlock_s"] > 0
    assert data["peak_rss_mb"] > 0 and data["rss_after_workload_mb"] > 0
    # The watchdog drove every main flow through the real window and measured its stalls.
    flows = {f["name"]: f for f in data["ui_flows"]}
    assert list(flows) == ["passphrase to dashboard", "families list", "search as you type",
                           "open a family record", "register, busiest day",
                           "reports: retention report", "letter with preview", "backup"]
    for f in flows.values():
        assert f["seconds"] > 0 and f["longest_stall_s"] >= 0 and f["ok"] in (True, False)
    # Built through the services: every family, person and booking is really there.
    for mode in ("sqlcipher", "plain"):
        built = data["modes"][mode]["build"]
        assert built["families"] == 30
        assert built["people"] >= 90
        assert built["bookings"] > 0 and built["attended"] > 0
        assert built["volunteers"] == 300
    for line in ("name search p95", "families list ready", "key derivation", "launch to unlock",
                 "peak RSS", "flow: passphrase to dashboard", "longest stall"):
        assert line in proc.stdout

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
    "register, busiest day", "retention report", "letter PDF (attendance)", "a family's documents",
    "statistics, a year", "backup",
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
        # Both clocks are kept; the verdict's ratio is on the thread's CPU time.
        assert op["basis"] == "cpu", name
        basis = op[op["basis"]]
        assert op["ratio"] == basis["sqlcipher_s"] / basis["plain_s"], name
        assert op["wall"]["ratio"] == op["sqlcipher_s"] / op["plain_s"], name
        assert op["cpu"]["sqlcipher_s"] > 0 and op["cpu"]["plain_s"] > 0, name
        assert op["repeats"] >= 1, name
        # Interleaved rounds: one value a round in each mode, the median and spread from them.
        for clock in ("wall", "cpu"):
            figures = op[clock]
            if name != "build":
                assert len(figures["sqlcipher_rounds_s"]) == len(figures["plain_rounds_s"]) == 3, name
            assert figures["sqlcipher_s"] == statistics.median(figures["sqlcipher_rounds_s"]), name
            assert figures["plain_s"] == statistics.median(figures["plain_rounds_s"]), name
            assert len(figures["round_ratios"]) == len(figures["sqlcipher_rounds_s"]), name
            assert figures["ratio_iqr"] >= 0 and figures["sqlcipher_iqr_s"] >= 0, name
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
    assert len(data["load_average_at_start"]) == 3 and len(data["load_average"]) == 3
    for line in ("name search p95", "families list ready", "key derivation", "launch to unlock",
                 "peak RSS", "flow: passphrase to dashboard", "longest stall", "load average"):
        assert line in proc.stdout


def test_benchmark_times_kept_vaults_again_without_building(tmp_path: Path) -> None:
    out, again = tmp_path / "out", tmp_path / "again"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    common = ["--families", "30", "--years", "1", "--launch-runs", "1", "--rounds", "1"]
    for args in (["--keep", "--out", str(out)],
                 ["--reuse", str(out / "vaults"), "--out", str(again)]):
        proc = subprocess.run([sys.executable, "-m", "ccc_desktop.bench", *common, *args],
                              capture_output=True, text=True, env=env, timeout=600,
                              cwd=Path(__file__).parents[2])
        assert proc.returncode == 0, proc.stderr[-2000:]
    first = json.loads((out / "bench.json").read_text("utf-8"))
    second = json.loads((again / "bench.json").read_text("utf-8"))
    assert "building" not in proc.stderr and "reusing" in proc.stderr
    assert second["reused_vaults"] == str(out / "vaults")
    assert "build" not in second["operations"]  # nothing was built
    assert second["modes"]["sqlcipher"]["build"] == first["modes"]["sqlcipher"]["build"]
    assert list(second["operations"]) == OPERATIONS[1:]

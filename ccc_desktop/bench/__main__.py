"""python -m ccc_desktop.bench [--families N] [--out DIR]

Builds the synthetic centre twice through the real services (SQLCipher and plain SQLite with
the same schema, built at once in two processes), times the everyday operations in rounds with the two
modes interleaved, and writes OUT/bench.json (medians, interquartile ranges, ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ccc_desktop.bench.build import TODAY
from ccc_desktop.bench.harness import MODES, Report, current_rss_mb, peak_rss_mb
from ccc_desktop.bench.ui_flows import STALL_TARGET_S, run_flows
from ccc_desktop.bench.vaults import PASSPHRASE, USER
from ccc_desktop.bench.workload import (
    BUILD_FACTS,
    ROUNDS,
    build_both,
    family_with_most_attendance,
    open_mode,
    reopen,
    run_rounds,
)

RSS_TARGET_MB = 300
READY_ENV = "CCC_DESKTOP_READY_PROBE"


def kdf_child() -> None:
    """In a child process, so Argon2id's 256 MiB does not count against the workload's RSS."""
    import secrets

    from ccc_desktop.bench.harness import peak_rss_mb as rss
    from ccc_desktop.models import crypto

    start = time.perf_counter()
    crypto.derive(b"a passphrase of ordinary length", secrets.token_bytes(16), crypto.PRODUCTION_KDF)
    print(json.dumps({"seconds": time.perf_counter() - start, "rss_mb": rss()}))


def time_kdf() -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "ccc_desktop.bench", "--kdf-child"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def time_launch(data_dir: Path, runs: int = 3) -> tuple[float, list[float]]:
    """Wall time from starting ``python -m ccc_desktop`` until it shows the unlock screen."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env[READY_ENV] = "1"
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "ccc_desktop", "--data-dir", str(data_dir)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        proc.wait(timeout=60)
        if line.strip() != "ready":
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"the app did not report ready: {line!r} {err[-500:]}")
        samples.append(elapsed)
    return statistics.median(samples), samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ccc_desktop.bench", description=__doc__)
    parser.add_argument("--families", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=Path("build/bench"))
    parser.add_argument("--years", type=int, default=10, help="years of history (default 10)")
    parser.add_argument("--rounds", type=int, default=ROUNDS,
                        help=f"rounds of every operation in both modes (default {ROUNDS})")
    parser.add_argument("--launch-runs", type=int, default=3, help="launches to time (median)")
    parser.add_argument("--keep", action="store_true", help="keep the two built vaults in OUT/vaults")
    parser.add_argument("--reuse", type=Path, metavar="VAULTS",
                        help="time the vaults a run with --keep left in VAULTS (its OUT/vaults) "
                             "instead of building them again; they are changed a little (logins, "
                             "audit entries), never rebuilt")
    parser.add_argument("--kdf-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.kdf_child:
        kdf_child()
        return 0
    if args.families < 10:
        parser.error("--families: at least 10")
    if not 1 <= args.years <= 10 or args.launch_runs < 1 or args.rounds < 1:
        parser.error("--years: 1 to 10; --launch-runs and --rounds: at least 1")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = Report(args.families)
    if args.reuse:
        work = args.reuse
    else:
        work = Path(tempfile.mkdtemp(prefix="ccc-bench-")) if not args.keep else args.out / "vaults"
    load_before = os.getloadavg()

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    try:
        runs = []
        if args.reuse:
            built = json.loads((work / BUILD_FACTS).read_text("utf-8"))
            if built["families"] != args.families:
                parser.error(f"--reuse: those vaults hold {built['families']} families")
            for mode in MODES:
                runs.append(open_mode(mode, work / mode, built["modes"][mode]))
            log(f"reusing the {args.families}-family vaults in {work}")
        else:
            for mode in MODES:
                if (work / mode).exists():
                    shutil.rmtree(work / mode)
            log(f"building {args.families} families in both modes at once…")
            runs = build_both(work, args.families, report, log, years=args.years)
            if args.keep:
                (work / BUILD_FACTS).write_text(json.dumps({
                    "families": args.families,
                    "modes": {run.mode: {"build_s": run.facts["build_s"], "build": run.facts["build"]}
                              for run in runs}}, indent=2), "utf-8")
        for run in runs:
            reopen(run)
        log(f"timing every operation, {args.rounds} rounds, the modes interleaved…")
        run_rounds(runs, args.families, report, args.rounds, log)
        busiest = runs[0].stats.busiest_day
        family_id = family_with_most_attendance(runs[0].services, args.families)
        rss = current_rss_mb()
        for run in runs:
            run.session.db.close()
        log("driving the main flows in the window with the watchdog on…")
        flows = run_flows(work / "sqlcipher", USER, PASSPHRASE, busiest or TODAY, family_id, log)
        peak = peak_rss_mb()
        kdf = time_kdf()
        launch, launch_samples = time_launch(work / "sqlcipher", args.launch_runs)
    finally:
        if not args.keep and not args.reuse:
            shutil.rmtree(work, ignore_errors=True)
    facts = {run.mode: {k: v for k, v in run.facts.items() if k != "key"} for run in runs}
    report.extra["key derivation (production Argon2id)"] = (
        f"{kdf['seconds'] * 1000:,.0f} ms (child process peak RSS {kdf['rss_mb']:.0f} MB)")
    unlock = facts["sqlcipher"]["unlock_s"]
    report.extra["Vault.unlock (production Argon2id)"] = f"{unlock * 1000:,.1f} ms (SQLCipher)"
    for f in flows:
        verdict = "ok" if f.longest_stall_s <= STALL_TARGET_S else "MISSED"
        report.extra[f"flow: {f.name}"] = (
            f"{f.seconds * 1000:,.0f} ms; longest stall {f.longest_stall_s * 1000:,.0f} ms "
            f"(target < {STALL_TARGET_S * 1000:.0f} ms) {verdict}; UI-thread CPU between "
            f"ticks at most {f.most_ui_cpu_s * 1000:,.0f} ms")
    report.extra["load average (1, 5, 15 min)"] = (
        f"at start {load_before[0]:.1f} {load_before[1]:.1f} {load_before[2]:.1f}; at the end "
        + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" ({os.cpu_count()} CPUs)")
    report.extra["launch to unlock screen"] = (
        f"{launch * 1000:,.0f} ms (median of {len(launch_samples)})")
    report.extra["RSS after both builds + workload"] = (
        f"{rss:.0f} MB; target < {RSS_TARGET_MB} MB " + ("ok" if rss < RSS_TARGET_MB else "MISSED"))
    report.extra["peak RSS (with Argon2id's 256 MiB)"] = f"{peak:.0f} MB"
    print(report.table())
    data = report.to_json()
    data.update({
        "key_derivation_s": kdf["seconds"],
        "key_derivation_child_rss_mb": kdf["rss_mb"],
        "launch_to_unlock_s": launch,
        "launch_to_unlock_samples_s": launch_samples,
        "peak_rss_mb": peak,
        "rss_after_workload_mb": rss,
        "rss_target_mb": RSS_TARGET_MB,
        "modes": facts,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "load_average_at_start": load_before,
        "reused_vaults": str(args.reuse) if args.reuse else None,
        "ui_flows": [{"name": f.name, "seconds": f.seconds, "longest_stall_s": f.longest_stall_s,
                      "most_ui_cpu_between_ticks_s": f.most_ui_cpu_s,
                      "ok": f.longest_stall_s <= STALL_TARGET_S, "note": f.note} for f in flows],
        "stall_target_s": STALL_TARGET_S,
    })
    # Report.extra holds the human lines; bench.json gets the numbers instead.
    for key in list(report.extra):
        data.pop(key, None)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "bench.json"
    path.write_text(json.dumps(data, indent=2, default=str), "utf-8")
    print(f"\nWritten {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

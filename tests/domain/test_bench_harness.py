"""The benchmark's arithmetic: medians and spreads of interleaved rounds, and the verdicts."""

from __future__ import annotations

from ccc_desktop.bench.harness import Report, iqr


def _report(name: str, enc: list[float], plain: list[float]) -> Report:
    report = Report(families=10)
    for e, p in zip(enc, plain, strict=True):
        report.put(name, "sqlcipher", e)
        report.put(name, "plain", p)
    return report


def test_ratio_is_of_medians_and_its_spread_is_of_paired_rounds() -> None:
    m = _report("open", [1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 1.0, 2.0, 2.0, 5.0]).measures["open"]
    assert m.median("sqlcipher") == 3.0 and m.median("plain") == 2.0
    assert m.ratio() == 1.5
    assert m.round_ratios() == [1.0, 2.0, 1.5, 2.0, 1.0]
    assert m.ratio_spread() == iqr([1.0, 2.0, 1.5, 2.0, 1.0]) == 1.0


def test_a_busy_round_lands_on_both_modes_and_leaves_the_median_alone() -> None:
    quiet = _report("x", [0.10] * 7, [0.09] * 7).measures["x"]
    busy = _report("x", [0.10, 0.10, 0.40, 0.10, 0.10, 0.10, 0.10],
                   [0.09, 0.09, 0.36, 0.09, 0.09, 0.09, 0.09]).measures["x"]
    assert abs(quiet.ratio() - busy.ratio()) < 1e-9


def test_verdicts_ratio_small_operation_slack_and_backup_exception() -> None:
    over = _report("families list ready", [0.120] * 3, [0.100] * 3).measures["families list ready"]
    assert over.ratio_ok() is False
    small = _report("register", [0.0040] * 3, [0.0032] * 3).measures["register"]
    assert small.ratio() > 1.15 and small.ratio_ok() is True  # under 5 ms and within 1 ms
    small_but_far = _report("register", [0.0049] * 3, [0.0030] * 3).measures["register"]
    assert small_but_far.ratio_ok() is False
    backup = _report("backup", [1.25] * 3, [1.0] * 3).measures["backup"]
    assert backup.ratio_ok() is True
    assert _report("backup", [1.35] * 3, [1.0] * 3).measures["backup"].ratio_ok() is False
    assert "OVER" in _report("x", [2.0], [1.0]).table()


def test_verdict_on_cpu_time_where_measured() -> None:
    report = Report(families=10)
    for _ in range(3):
        # A busy machine: SQLCipher's rounds waited for a core (wall) but did the same work.
        report.put("open", "sqlcipher", 0.030, cpu=0.010)
        report.put("open", "plain", 0.010, cpu=0.0095)
        report.put("backup", "sqlcipher", 1.2, cpu=0.9)
        report.put("backup", "plain", 1.0, cpu=0.3)
    m, backup = report.measures["open"], report.measures["backup"]
    assert m.basis == "cpu" and backup.basis == "cpu"
    assert m.ratio() == m.ratio("cpu") == 0.010 / 0.0095
    assert m.ratio("wall") == 3.0
    assert m.ratio_ok() is True
    assert backup.ratio() == 3.0 and backup.ratio("wall") == 1.2 and backup.ratio_ok() is False
    data = report.to_json()["operations"]
    assert data["open"]["basis"] == "cpu" and data["open"]["ratio"] == m.ratio("cpu")
    assert data["open"]["sqlcipher_s"] == 0.030  # the top-level figures stay wall-clock
    assert data["open"]["cpu"]["sqlcipher_s"] == 0.010
    assert data["open"]["wall"]["ratio"] == 3.0
    # Without CPU figures, the wall clock decides.
    assert _report("x", [2.0], [1.0]).measures["x"].basis == "wall"

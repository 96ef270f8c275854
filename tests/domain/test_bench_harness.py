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

"""The NACCC return and the annual report (issue 14): counts only, as PDF and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

from date_helpers import shown
from pypdf import PdfReader
from stats_helpers import Q1, build_small_centre


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_return_and_the_report_hold_the_counts_and_nothing_personal(coordinator, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    centre = build_small_centre(coordinator, clock)
    s = coordinator.statistics
    q1 = s.figures(*Q1)
    naccc = _text(s.naccc_pdf(q1))
    assert "NACCC statistics return" in naccc and "Q1 2027" in naccc
    assert "Referrals received 4" in naccc and "Children seen 3" in naccc
    assert "Capacity used 33%" in naccc and "Volunteer hours 4.0" in naccc
    year = s.figures(date(2027, 1, 1), date(2027, 12, 31))
    annual = _text(s.annual_pdf(year))
    assert "Annual report" in annual and "Quarter by quarter" in annual
    assert "received 4 referrals" in annual
    rows = list(csv.reader(io.StringIO(s.csv(q1).decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Figure", "Value", "How it is counted"]
    assert ["Referrals", "Referrals received", "4"] == rows[1][:3]
    names = []
    for fid in centre.families:
        f = coordinator.families.get(fid)
        names += [f.reference, *(a.full_name for a in f.adults), *(c.full_name for c in f.children),
                  *(c.date_of_birth.strftime("%d/%m/%Y") for c in f.children),
                  *(shown(c.date_of_birth) for c in f.children)]
    for doc in (naccc, annual, s.csv(q1).decode("utf-8-sig")):
        for name in names:
            assert name not in doc
    s.save(tmp_path / "r.pdf", "naccc-pdf", q1)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert any(e.action == "statistics exported"
               for e in coordinator.audit.entries(coordinator.session.actor))


def test_csv_cells_that_look_like_formulas_are_neutralised(coordinator) -> None:  # type: ignore[no-untyped-def]
    from ccc_desktop.models.statistics_records import Figure, Statistics

    stats = Statistics(date(2027, 1, 1), date(2027, 3, 31), (
        Figure("x", "=cmd|' /C calc'!A0", "+SUM(A1)", 1, "-2+3", "family"),))
    text = coordinator.statistics.csv(stats).decode("utf-8-sig")
    assert "\n=" not in text and ",=" not in text and ",+" not in text and ",-2" not in text

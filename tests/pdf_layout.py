"""Reading a PDF's text layer with positions (pypdf), for the documents' layout tests."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from ccc_desktop.documents.base import FONT, FONT_BOLD, register_fonts

FOOTER_TOP = 20 * 72 / 25.4  # the footer sits below 20 mm; the page's text above it


@dataclass(frozen=True)
class Run:
    page: int
    text: str
    x: float
    y: float
    width: float


def runs(pdf: bytes) -> list[Run]:
    register_fonts()
    out: list[Run] = []
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        def visit(text, cm, tm, font, size, n=n):  # type: ignore[no-untyped-def]
            if not text or not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] * cm[0]) or 1
            base = str((font or {}).get("/BaseFont", "")) if font else ""
            name = FONT_BOLD if "Bold" in base else FONT
            try:
                width = stringWidth(text, name, size * scale)
            except Exception:  # noqa: BLE001 - a glyph our metrics lack: estimate
                width = len(text) * size * scale * 0.6
            out.append(Run(n, text, x, y, width))
        page.extract_text(visitor_text=visit)
    return out


def squeeze(text: str) -> str:
    return "".join(text.split())


def body_text(pdf: bytes) -> str:
    """The text above the footers, in the order it is drawn, without white space."""
    return squeeze("".join(r.text for r in runs(pdf) if r.y > FOOTER_TOP))


def assert_on_the_page(pdf: bytes) -> None:
    """Every line starts and ends inside the A4 page."""
    for r in runs(pdf):
        assert 0 <= r.y <= A4[1], f"page {r.page}: {r.text[:40]!r} at y={r.y:.0f}"
        assert 0 <= r.x and r.x + r.width <= A4[0] + 1, \
            f"page {r.page}: {r.text[:40]!r} runs from x={r.x:.0f} to {r.x + r.width:.0f}"


def assert_shows(pdf: bytes, *values: str) -> None:
    """Each value is in the text layer, in order, in as few pieces as there are pages (a table
    row split across pages interleaves its cells, so a value may be broken where the page breaks,
    never reordered or cut short)."""
    found = runs(pdf)
    text = squeeze("".join(r.text for r in found if r.y > FOOTER_TOP))
    pages = max((r.page for r in found), default=1)
    for value in values:
        if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in value):
            # Right-to-left words are drawn in visual order: each is there, one way or the other.
            for word in value.split():
                assert word in text or word[::-1] in text, f"{word!r} of {value[:60]!r} is missing"
            continue
        v, i, at, pieces = squeeze(value), 0, 0, 0
        while i < len(v):
            lo, hi = 0, len(v) - i  # the longest next piece found after the last one
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if text.find(v[i:i + mid], at) >= 0:
                    lo = mid
                else:
                    hi = mid - 1
            assert lo > 0, f"{v[i:i + 40]!r} of {value[:60]!r} is not in the PDF's text layer"
            at = text.find(v[i:i + lo], at) + lo
            i += lo
            pieces += 1
        assert pieces <= pages, f"{value[:60]!r} is broken into {pieces} pieces on {pages} pages"

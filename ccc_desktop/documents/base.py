"""The shared page: A4, the centre's letterhead, a confidential footer, escaped text.

Everything the user typed goes through ``text()`` / ``para()``: reportlab's Paragraph parses
markup, so a name like ``<b>Tom & "Jerry"</b>`` must be escaped to print literally.
"""

from __future__ import annotations

import html
import io
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ccc_desktop.models.dates import format_date_long
from ccc_desktop.models.errors import DocumentError
from ccc_desktop.models.records import CentreDetails
from ccc_desktop.resources import resource_path

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_fonts_registered = False
_fonts_lock = threading.Lock()


FONT_CJK = "DroidSansFallback"


def fonts_registered() -> bool:
    return _fonts_registered


def register_fonts() -> None:
    """The fonts ship with the app (nothing is fetched). DejaVu Sans prints Latin (Polish, Welsh
    …), Greek, Cyrillic, Arabic and Hebrew; Droid Sans Fallback prints Chinese, Japanese and
    Korean. Arabic is joined by HarfBuzz (reportlab shapes with uharfbuzz); right-to-left names
    are put in reading order by python-bidi (``text()``). Emoji and other characters neither
    font has are refused by the forms as they are typed (models/glyphs.py)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:  # the app warms them up in a worker after unlocking (shell/app.py)
        if _fonts_registered:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
        pdfmetrics.registerFont(TTFont(FONT_CJK, str(resource_path("fonts", "DroidSansFallbackFull.ttf"))))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
        pdfmetrics.registerFontFamily(FONT_CJK, normal=FONT_CJK, bold=FONT_CJK, italic=FONT_CJK,
                                      boldItalic=FONT_CJK)
        _fonts_registered = True


@lru_cache(maxsize=1)
def _main_font_chars() -> frozenset[int]:
    # The characters of the registered font, read when it was registered (in a worker after
    # unlocking): parsing the file again here held the first letter's window for 50 ms.
    register_fonts()
    face = pdfmetrics.getFont(FONT).face
    return frozenset(face.charToGlyph)


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def visual_order(line: str) -> str:
    """A line holding right-to-left words, with its words in the order they are read on paper.

    python-bidi gives the visual order of the characters; each right-to-left word is then put
    back in logical order, because reportlab's HarfBuzz shaping lays out (and joins) the letters
    of each word right to left itself."""
    if not any(_rtl(ch) for ch in line):
        return line
    from bidi import get_display

    words = get_display(line, base_dir="L").split(" ")  # the letters are English: left to right
    return " ".join(_letters_back(w) for w in words)


def _letters_back(word: str) -> str:
    """A word in visual order with its right-to-left letters put back in logical order, for
    HarfBuzz to lay out (and join) right to left. Punctuation before the first and after the
    last right-to-left letter stays where the bidi algorithm put it: HarfBuzz does not move it,
    so a comma after "الله" must stay on its left ("محمد عبد الله, שרה" printed "الله," before)."""
    rtl = [i for i, ch in enumerate(word) if _rtl(ch)]
    if not rtl:
        return word
    first, last = rtl[0], rtl[-1] + 1
    # get_display also mirrored the brackets inside the word; HarfBuzz mirrors them again.
    return word[:first] + word[first:last][::-1].translate(_MIRROR) + word[last:]


_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14.5, spaceAfter=7)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, spaceAfter=3),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19,
                                spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=11.5,
                                  leading=15, spaceBefore=6, spaceAfter=5),
        "centre": ParagraphStyle("centre", parent=body, fontName=FONT_BOLD, fontSize=14,
                                 leading=17, spaceAfter=2, textColor=colors.HexColor("#1f3b5a")),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0),
        "cellbold": ParagraphStyle("cellbold", parent=body, fontName=FONT_BOLD, fontSize=9.5,
                                   leading=12, spaceAfter=0),
    }


def _escape(s: str) -> str:
    return escape(s, {'"': "&quot;", "'": "&#39;"})


def _line(line: str) -> str:
    """One line of user text as Paragraph markup: escaped, in reading order, and runs of
    characters only the CJK font has set in that font."""
    line = visual_order(line)
    main = _main_font_chars()
    out: list[str] = []
    run: list[str] = []
    cjk = False
    for ch in line:
        other = ord(ch) not in main and not ch.isspace()
        if other != cjk and run:
            out.append(f'<font name="{FONT_CJK}">{_escape("".join(run))}</font>' if cjk
                       else _escape("".join(run)))
            run = []
        cjk = other
        run.append(ch)
    if run:
        out.append(f'<font name="{FONT_CJK}">{_escape("".join(run))}</font>' if cjk
                   else _escape("".join(run)))
    return "".join(out)


_TAG = re.compile(r"(<[^>]*>)")


def scripts_in_markup(markup_text: str) -> str:
    """Already-escaped markup (a template's block): each run of text between tags in reading
    order and in the font that has its characters, as ``text()`` does for plain values."""
    if markup_text.isascii():
        return markup_text
    out = []
    for piece in _TAG.split(markup_text):
        if not piece or piece.startswith("<") or piece.isascii():
            out.append(piece)
        else:
            out.append(_line(html.unescape(piece)))
    return "".join(out)


def text(value: object) -> str:
    """Escape user text for a Paragraph and keep its line breaks."""
    s = "" if value is None else str(value)
    if s.isascii():
        return _escape(s).replace("\r\n", "\n").replace("\n", "<br/>")
    return "<br/>".join(_line(line) for line in s.replace("\r\n", "\n").split("\n"))


def para(value: object, style: str = "body") -> Paragraph:
    return Paragraph(text(value), styles()[style])


def markup(template: str, style: str = "body", **values: object) -> Paragraph:
    """A paragraph of our own markup with user values escaped into it: markup("<b>{name}</b>", name=...)."""
    return Paragraph(template.format(**{k: text(v) for k, v in values.items()}), styles()[style])


def letterhead(centre: CentreDetails, on: date | None = None) -> list[Flowable]:
    st = styles()
    left = [Paragraph(text(centre.name), st["centre"])]
    for line in centre.address.splitlines():
        if line.strip():
            left.append(Paragraph(text(line.strip()), st["small"]))
    right = []
    if centre.phone:
        right.append(Paragraph("Telephone: " + text(centre.phone), st["small"]))
    if centre.email:
        right.append(Paragraph("Email: " + text(centre.email), st["small"]))
    head = Table([[left, right]], colWidths=[110 * mm, 60 * mm], splitInRow=1)
    head.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor("#1f3b5a")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    out: list[Flowable] = [head, Spacer(1, 8 * mm)]
    if on is not None:
        out += [Paragraph(text(format_date_long(on)), st["right"]), Spacer(1, 6 * mm)]
    return out


def address_block(lines: Iterable[str]) -> list[Flowable]:
    st = styles()
    return [Paragraph("<br/>".join(text(line) for line in lines if line.strip()), st["body"]),
            Spacer(1, 4 * mm)]


def table(rows: Sequence[Sequence[object]], widths: Sequence[float] | None = None,
          header: bool = True) -> Table:
    """A simple ruled table; every cell is escaped user text."""
    st = styles()
    data = [
        [Paragraph(text(cell), st["cellbold" if header and r == 0 else "cell"]) for cell in row]
        for r, row in enumerate(rows)
    ]
    # splitInRow: a row taller than the page (a long address, a pasted e-mail) continues on the
    # next page rather than failing the whole document.
    t = Table(data, colWidths=list(widths) if widths else None, repeatRows=1 if header else 0,
              splitInRow=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e9ef")))
    t.setStyle(TableStyle(style))
    return t


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


FOOTER_LINES = 2


def footer_paragraph(left: str, width: float) -> Paragraph:
    """The footer's left part wrapped to ``width``, cut with an ellipsis to FOOTER_LINES lines
    so it never grows into the page's text, whatever the centre is called."""
    st = ParagraphStyle("footer", fontName=FONT, fontSize=8, leading=10,
                        textColor=colors.HexColor("#555555"))
    limit = FOOTER_LINES * st.leading + 0.1
    p = Paragraph(text(left), st)
    if p.wrap(width, 1000)[1] <= limit:
        return p
    lo, hi = 0, len(left)
    while lo < hi:  # the longest prefix that fits
        mid = (lo + hi + 1) // 2
        if Paragraph(text(left[:mid].rstrip() + "…"), st).wrap(width, 1000)[1] <= limit:
            lo = mid
        else:
            hi = mid - 1
    return Paragraph(text(left[:lo].rstrip() + "…"), st)


def _culprit(story: list[Flowable], width: float, height: float) -> str:
    """The start of the first value that cannot be laid out on a page, for the message."""
    for f in story:
        try:
            _w, h = f.wrap(width, height)
        except Exception:  # noqa: BLE001 - looking for the one that fails
            h = height + 1
        if h > height and not getattr(f, "splitInRow", 0):
            plain = " ".join(getattr(f, "text", "") .split()) if hasattr(f, "text") else ""
            if plain:
                return plain[:60] + ("…" if len(plain) > 60 else "")
    return ""


def render(story: list[Flowable], title: str, centre_name: str = "",
           footer: str = "Confidential", author: str = "CCC Desktop",
           subject: str = "") -> bytes:
    """Build the PDF in memory (nothing touches the disk) and return its bytes.

    Raises DocumentError naming the document (and ``subject``, the record it is about) if the
    content cannot be laid out; never reportlab's own message."""
    register_fonts()
    buf = io.BytesIO()
    left = f"{footer} · {centre_name}" if centre_name else footer
    page_w = A4[0] - 40 * mm - 22 * mm  # the margins, and room for "Page 999"
    foot = footer_paragraph(left, page_w)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        _w, h = foot.wrap(page_w, 1000)
        foot.drawOn(canvas, 20 * mm, 12 * mm - 2.5 - (h - 10))  # first baseline beside "Page n"
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=22 * mm, title=title, author=author, creator="CCC Desktop",
    )
    try:
        doc.build(list(story), onFirstPage=decorate, onLaterPages=decorate)
    except Exception as exc:  # noqa: BLE001 - any layout failure becomes one plain message
        what = _culprit(story, doc.width, doc.height)
        about = f" for {subject}" if subject else ""
        value = f" The value beginning \u201c{what}\u201d is too long to fit on a page." if what else (
            " One of its values is too long to fit on a page.")
        raise DocumentError(f"The document \u201c{title}\u201d{about} could not be made.{value} "
                            "Shorten it (Correct a detail, or the record's form) and try again; "
                            "nothing was saved.") from exc
    return buf.getvalue()

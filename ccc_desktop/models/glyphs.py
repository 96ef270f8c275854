"""Which characters the letters can print: those the bundled fonts have a glyph for.

The forms refuse a character with no glyph as it is typed (``validation.check_printable``),
so a name never prints as an empty box later. Read from the fonts' character maps once.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ccc_desktop.resources import resource_path

# The regular faces the documents use, in fallback order (documents/base.py registers them).
FONT_FILES = ("DejaVuSans.ttf", "DroidSansFallbackFull.ttf")
# Joiners and marks that shape text rather than print on their own.
_SHAPING = frozenset("\u200c\u200d\u200e\u200f\u061c\ufe0e\ufe0f")


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    points: set[int] = set()
    for name in FONT_FILES:
        path = resource_path("fonts", name)
        if path.exists():
            points.update(TTFontFile(str(path)).charToGlyph)
    return frozenset(points)


def is_emoji(ch: str) -> bool:
    cp = ord(ch)
    return (0x1F000 <= cp <= 0x1FAFF or 0x2600 <= cp <= 0x27BF or 0x1F900 <= cp <= 0x1F9FF
            or 0xE0020 <= cp <= 0xE007F)


@lru_cache(maxsize=1)
def _plain() -> frozenset[str]:
    """The ASCII characters the fonts print (all of them, with DejaVu Sans), and the blanks."""
    have = covered()
    return frozenset(chr(c) for c in range(0x20, 0x7F) if c in have) | frozenset("\n\t ")


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` (in order, once each) no bundled font can print. Emoji are
    always among them: the fonts that have a few print them without their meaning in the
    PDF's text layer."""
    if _plain().issuperset(text):  # most text: nothing to look up character by character
        return []
    have = covered()
    out: list[str] = []
    for ch in text:
        if ch in out or ch in "\n\t " or ch in _SHAPING:
            continue
        if unicodedata.category(ch) in ("Mn", "Me") and ord(ch) in have:
            continue
        if is_emoji(ch) or ord(ch) not in have:
            out.append(ch)
    return out

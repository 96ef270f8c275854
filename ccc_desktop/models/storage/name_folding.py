"""How names are folded for matching and searching: accents dropped, letters like ł, ø and ß
spelt out, split into words. Plain text work, no SQL: the family name index (``families.py``)
and the import matching both use it."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")

# Letters with no accent to drop, spelt out for search (migration 0013 does the same in SQL).
SPECIAL_LETTERS = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "ẞ": "SS", "đ": "d", "Đ": "D",
                   "ð": "d", "Ð": "D", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th",
                   "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŀ": "l", "Ŀ": "L"}
_SPECIAL = str.maketrans(SPECIAL_LETTERS)
_SEARCH_WORD = re.compile(r"[^\W_]+")


def spell_out(text: str) -> str:
    """Accents and other marks dropped (any script: Greek tonos too, which unicode61 keeps),
    and the letters above spelt out."""
    text = text or ""
    if text.isascii():  # nothing to drop or spell out
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))).translate(_SPECIAL)


def search_words(query: str) -> list[str]:
    """The words of a search as the index holds them ('F-12' is the reference f12)."""
    query = re.sub(r"\b[fF]-(?=\d)", "f", query or "")
    return _SEARCH_WORD.findall(spell_out(query))


def fold(text: str) -> str:
    """Lower case without accents: 'Zoë O'Neill' -> 'zoe o neill'."""
    text = text or ""
    if text.isascii():  # NFKD leaves ASCII as it is, and casefold is lower
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))

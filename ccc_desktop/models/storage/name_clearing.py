"""How a disposed person's names are found in free text and replaced (issue 12). Plain text
work, no SQL: ``storage/data_protection.clear_names`` walks the records with it.

A name is matched whole (``Sam Patel``) wherever it stands, and word by word (``Sam``,
``Patel``: a first or last name alone, three letters or more) only in the records linked to
the person. Matching ignores case and accents and spells out letters like ``ł`` and ``ß``
(``name_folding``), so ``Zoë`` is found as ``Zoe`` and ``ZOE``; what is replaced is the text
as it was typed.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from ccc_desktop.models.storage.name_folding import fold, spell_out

REMOVED = "[removed]"
MIN_LETTERS = 3
_SPLIT = re.compile(r"[\s\-‐‑–]+")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(spell_out(ch))


_ASCII_LOWER = {ord(c): ord(c.lower()) for c in string.ascii_uppercase}


def _folded(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, when its length differs from the text's, each folded character's
    index in the text (None: the same index). Folded character by character, so each match
    maps back to the text as typed; a letter's text is mostly ASCII and a few characters
    repeated, so each distinct character is folded once and the text is translated in one go
    when every character folds to one."""
    if text.isascii():
        return text.lower(), None
    odd = {c: _fold_char(c) for c in set(text) if not c.isascii()}
    if all(len(f) == 1 for f in odd.values()):
        table: dict[int, int | str] = dict(_ASCII_LOWER)
        table.update({ord(c): f for c, f in odd.items()})
        return text.translate(table), None
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        f = odd[ch] if ch in odd else ch.lower()
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where


def folded_name(name: str) -> str:
    """A whole name as matched: folded, its spaces made single."""
    return " ".join(fold(spell_out(name)).split())


def _letters(word: str) -> int:
    return sum(1 for c in word if c.isalnum())


def _alternation(parts: Iterable[str]) -> str:
    pieces = []
    for p in sorted(set(parts), key=len, reverse=True):
        pieces.append(r"\s+".join(re.escape(w) for w in p.split()))
    return r"(?<!\w)(?:" + "|".join(pieces) + r")(?!\w)"


class NameMatcher:
    """The names of one disposed person (or family): whole, and their words. A ``shared``
    name is also the name of someone in a record that stays (the same father in two families'
    records, a namesake): where it stands whole it is never cleared, whole or word by word,
    and never makes a record "about" the disposed person; it is only listed to check."""

    def __init__(self, names: Iterable[str], shared: Iterable[str] = ()) -> None:
        wholes = set()
        words = set()
        kept = {k for k in (folded_name(n) for n in shared) if _letters(k) >= MIN_LETTERS}
        for name in names:
            whole = folded_name(name)
            if _letters(whole) >= MIN_LETTERS:
                wholes.add(whole)
            for w in [*name.split(), *_SPLIT.split(name)]:
                w = fold(spell_out(w.strip(" .,'")))
                if _letters(w) >= MIN_LETTERS:
                    words.add(w)
        wholes -= kept
        words -= wholes | kept
        self.empty = not wholes and not words and not kept
        self._whole = re.compile(_alternation(wholes)) if wholes else None
        self._word = re.compile(_alternation(words)) if words else None
        self._any = re.compile(_alternation(wholes | words)) if wholes | words else None
        self._shared = re.compile(_alternation(kept)) if kept else None
        self._last: tuple[str, str, list[int] | None] | None = None

    def _fold(self, text: str) -> tuple[str, list[int] | None]:
        """``_folded``, kept for the text last asked about (each is searched several times)."""
        if self._last is None or self._last[0] is not text:
            self._last = (text, *_folded(text))
        return self._last[1], self._last[2]

    def _found(self, pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
        if pattern is None or not text:
            return []
        folded, where = self._fold(text)
        spans = []
        for m in pattern.finditer(folded):
            if where is None:
                spans.append((m.start(), m.end()))
                continue
            start, end = where[m.start()], where[m.end() - 1] + 1
            while end < len(text) and not _fold_char(text[end]) and unicodedata.combining(text[end]):
                end += 1  # a combining mark after the last letter goes with it
            spans.append((start, end))
        return spans

    def _spans(self, pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
        """The matches, leaving out any inside a shared name where it stands whole."""
        spans = self._found(pattern, text)
        kept = self._found(self._shared, text)
        if not kept or not spans:
            return spans
        return [(s, e) for s, e in spans if not any(s < ke and ks < e for ks, ke in kept)]

    @staticmethod
    def _replace(text: str, spans: list[tuple[int, int]]) -> str:
        for start, end in reversed(spans):
            text = text[:start] + REMOVED + text[end:]
        return text

    def mentions(self, text: str) -> bool:
        """Whether the text holds a name whole or any of its words (or a shared name)."""
        return bool(self._spans(self._any, text) or self._found(self._shared, text))

    def has_whole(self, text: str) -> bool:
        return bool(self._spans(self._whole, text))

    def clear_whole(self, text: str) -> str:
        return self._replace(text, self._spans(self._whole, text))

    def clear_all(self, text: str) -> str:
        """Whole names and every word of them (a linked record); shared names stay."""
        return self._replace(text, self._spans(self._any, text))

    def lone_words(self, text: str) -> list[str]:
        """The words of the names left in the text once the whole names are cleared, as typed."""
        rest = self.clear_whole(text)
        return [rest[s:e] for s, e in self._spans(self._word, rest)]

    def shared_names(self, text: str) -> list[str]:
        """The shared names the text holds, as typed."""
        return [text[s:e] for s, e in self._found(self._shared, text)]

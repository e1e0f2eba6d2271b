"""Cheap text measures: words, sentences, syllables and a reading grade.

Everything works on character offsets into the original text so that every
finding can point at the exact span the writer wrote. No regular expression
here can backtrack catastrophically: each is a flat scan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Links and e-mail addresses count as one word. The e-mail branch may only start
# where a word starts, so a long run of letters with no "@" is scanned once, not n² times.
URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_BULLET_RE = re.compile(r"[ \t]*(?:[-*•–]|\d{1,2}[.)])[ \t]+")
_CLOSERS = "\"')]’”"
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "vs",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "approx",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "a.m",
        "p.m",
        "ph.d",
        "m.s",
        "b.s",
        "b.a",
        "m.a",
    ]
)


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets into the draft."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


def lower_pattern(pattern: str) -> str:
    """Lower-case the literal characters of a regex, leaving escapes and group names alone."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if pattern.startswith(("(?P<", "(?P="), i):
            end = pattern.find(">" if pattern[i + 3] == "<" else ")", i)
            end = n if end == -1 else end + 1
            out.append(pattern[i:end])
            i = end
            continue
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        i += 1
    return "".join(out)


def lower_same_length(text: str) -> str:
    """``text.lower()``, except that characters whose lower case is longer stay as they are,
    so every offset into the result is an offset into ``text``."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(lc if len(lc := ch.lower()) == 1 else ch for ch in text)


def words_in(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Word spans in ``text[start:end]``; links and e-mail addresses count as one word."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    pos = start
    for link in URL_RE.finditer(text, start, end):
        spans.extend(Span(m.start(), m.end()) for m in WORD_RE.finditer(text, pos, link.start()))
        spans.append(Span(link.start(), link.end()))
        pos = link.end()
    spans.extend(Span(m.start(), m.end()) for m in WORD_RE.finditer(text, pos, end))
    return spans


@lru_cache(maxsize=8192)
def syllables(word: str) -> int:
    """A dictionary-free syllable estimate, good enough for a reading grade."""
    w = word.lower().strip("'’")
    if len(w) <= 3:
        return 1
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        w = w[:-1]
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith(("ed", "es")) and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges")):
        count -= 1
    return max(1, count)


def reading_grade(text: str, word_spans: list[Span], sentence_count: int) -> float:
    """Flesch-Kincaid grade level over the given words and sentences."""
    words = [text[s.start : s.end] for s in word_spans if not URL_RE.fullmatch(text[s.start : s.end])]
    if not words or not sentence_count:
        return 0.0
    total_syllables = sum(syllables(w) for w in words)
    grade = 0.39 * len(words) / sentence_count + 11.8 * total_syllables / len(words) - 15.59
    return round(max(grade, 0.0), 1)


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the period at ``dot`` the end of an abbreviation such as "e.g." or "Dr."?"""
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    token = text[i:dot].lower()
    if token in _ABBREVIATIONS:
        return True
    # Single capital initials ("J. Smith") and decimal-free acronyms ("U.S.").
    return len(token) == 1 and text[i].isupper()


def _split_segment(text: str, start: int, end: int, out: list[Span]) -> None:
    """Split one line-free segment into sentences at ., ! or ? followed by a space."""
    sent_start = start
    i = start
    while i < end:
        ch = text[i]
        if ch in ".!?…":
            j = i + 1
            while j < end and text[j] in ".!?…":
                j += 1
            while j < end and text[j] in _CLOSERS:
                j += 1
            at_end = j >= end
            followed_by_space = not at_end and text[j].isspace()
            if (at_end or followed_by_space) and not (ch == "." and j == i + 1 and _is_abbreviation(text, i)):
                out.append(Span(sent_start, j))
                k = j
                while k < end and text[k].isspace():
                    k += 1
                sent_start = k
                i = k
                continue
            i = j
            continue
        i += 1
    if sent_start < end and text[sent_start:end].strip():
        tail_end = end
        while tail_end > sent_start and text[tail_end - 1].isspace():
            tail_end -= 1
        out.append(Span(sent_start, tail_end))


def sentences_in(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans in ``text[start:end]``.

    A hard line break ends a sentence when the line ends in punctuation, starts a
    list item, or is followed by a blank line; otherwise (hard-wrapped mail) the
    break is read as a space.
    """
    out: list[Span] = []
    lines: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        content_end = line_end - 1 if line_end > pos and text[line_end - 1] == "\r" else line_end
        lines.append((pos, content_end))
        pos = line_end + 1
    seg_start: int | None = None
    seg_end = start
    for a, b in lines:
        stripped = text[a:b].strip()
        if not stripped:
            if seg_start is not None:
                _split_segment(text, seg_start, seg_end, out)
                seg_start = None
            continue
        bullet = _BULLET_RE.match(text, a, b)
        first = a + (len(text[a:b]) - len(text[a:b].lstrip()))
        if bullet:
            first = bullet.end()
        if seg_start is not None and (bullet or text[seg_end - 1] in ".!?:…" + _CLOSERS):
            _split_segment(text, seg_start, seg_end, out)
            seg_start = None
        if seg_start is None:
            seg_start = first
        seg_end = a + len(text[a:b].rstrip())
    if seg_start is not None:
        _split_segment(text, seg_start, seg_end, out)
    return [s for s in out if WORD_RE.search(text, s.start, s.end)]

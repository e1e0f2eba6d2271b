"""Small text helpers used across coach: the ``[ASK: ...]`` marker grammar, typography
folding, and shortening a span to one quotable line."""

from __future__ import annotations

import re

# An [ASK: ...] marker: a fact only the writer can give. One grammar for every module that
# writes, finds or counts markers, so their counts always agree.
MARKER = r"\[ASK[ \t]*:[^\[\]\n]{0,120}\]"
MARKER_RE = re.compile(MARKER, re.IGNORECASE)
MARKER_BEFORE_RE = re.compile(MARKER + r"[ \t]*$", re.IGNORECASE)

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def count_markers(text: str) -> int:
    return len(MARKER_RE.findall(text))


def is_marker_at(text: str, position: int) -> bool:
    """Whether an [ASK: ...] marker starts at ``position``."""
    return MARKER_RE.match(text, position) is not None


def fold(text: str) -> str:
    """Curly quotes, dashes and no-break spaces as their plain forms; the length never changes."""
    return text.translate(_FOLD)


def shorten(text: str, width: int = 80, *, quoted: bool = False) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis; in double quotes if ``quoted``."""
    flat = " ".join(text.split())
    if len(flat) > width:
        flat = flat[: width - 1] + "…"
    return f'"{flat}"' if quoted else flat

"""Folding names for comparison: case, accents and punctuation must not hide a match."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")
_DROPPED = re.compile(r"['’.]")  # "McDonald's" -> mcdonalds, "S.A." -> sa


def fold(text: str) -> str:
    """Lower case, accents removed (José -> jose), apostrophes and dots dropped."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _DROPPED.sub("", plain.replace("ß", "ss").replace("ø", "o").replace("ł", "l"))


def tokens(text: str) -> list[str]:
    """The words of ``text`` after :func:`fold`, split on anything that is not a letter or digit."""
    return [t for t in _NON_WORD.split(fold(text)) if t]


def person_key(name: str) -> str:
    """A key under which "José Álvarez" and "jose  alvarez" are the same person."""
    return " ".join(tokens(name))


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name

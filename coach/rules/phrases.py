"""Phrase lists as regular expressions, compiled only for the drafts that need them.

A rule's phrases are written in a small regex dialect (see :func:`phrase_to_regex`).
Compiling every list as one alternation costs more than the whole critique, so a
:class:`PhraseSet` first asks which phrases *could* match: most phrases contain a
literal word that every match must contain ("pick your brain" needs "brain"), and a
phrase whose word is not in the draft cannot match it. Only the candidates are
searched, each compiled once on its own and merged as their alternation in the original
order would match (so every match is the one the full alternation would find).
"""

from __future__ import annotations

import re

from coach.text.literals import Alternation, PhraseSet, Prepared, adjacent_words, required_literals
from coach.text.measures import lower_pattern

__all__ = ["Alternation", "PhraseSet", "Prepared", "phrase_to_regex", "phrases_regex", "prepare"]


def phrase_to_regex(phrase: str) -> str:
    r"""Turn a rule phrase into a regex: a space (outside a character class) matches any
    whitespace (a space followed by a quantifier is one ``\s``, so ``" ?"`` means an optional
    space), an apostrophe matches straight or curly, and word boundaries guard both ends
    when the phrase starts or ends with a letter or digit."""
    out: list[str] = []
    in_class = escaped = False
    for i, ch in enumerate(phrase):
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append("'’" if ch == "'" else ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            out.append(r"\s" if phrase[i + 1 : i + 2] in ("?", "*", "+", "{") else r"\s+")
        elif ch == "'":
            out.append("['’]")
        else:
            out.append(ch)
    body = "".join(out)
    if phrase[:1].isalnum() or phrase.startswith("(?!"):
        body = r"\b" + body
    if phrase[-1:].isalnum():
        body = body + r"\b"
    return body


def prepare(phrases: tuple[str, ...], mode: str) -> Prepared:
    """Each phrase as (its regex, the literals a match needs), ready for :class:`PhraseSet`.

    The shipped catalogue stores this (see :mod:`coach.rules.build`), so a run does not
    translate phrases at all."""
    out = []
    for phrase in phrases:
        regex = phrase_to_regex(phrase)
        # phrase_to_regex puts a word boundary at each end that starts or ends with a letter or digit.
        bounded_start = phrase[:1].isalnum() or phrase.startswith("(?!")
        literals = required_literals(phrase, bounded_start, phrase[-1:].isalnum()) + adjacent_words(regex)
        if mode != "exact":
            literals = tuple(tuple(dict.fromkeys(lit.lower() for lit in clause)) for clause in literals)
        out.append((lower_pattern(regex) if mode == "lowered" else regex, literals))
    return tuple(out)


def phrases_regex(phrases: tuple[str, ...] | list[str], mode: str = "lowered") -> tuple[str, int] | None:
    """One alternation of ``phrases`` and its flags (for validating a rule file)."""
    if not phrases:
        return None
    pattern = "|".join(f"(?:{phrase_to_regex(p)})" for p in phrases)
    if mode == "lowered":
        return lower_pattern(pattern), 0
    return pattern, int(re.IGNORECASE) if mode == "ignorecase" else 0

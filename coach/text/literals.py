"""What every match of a regular expression must contain, read from its source.

A pattern that needs "brain" cannot match a text without "brain": checking that first
lets coach skip compiling (and running) most patterns for most drafts. The reading is
deliberately conservative: when in doubt, a pattern requires nothing.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator

# Characters that end a literal run: regex syntax, spaces and apostrophes (a rule phrase's
# space matches any whitespace and its apostrophe a straight or a curly one).
_SYNTAX = set(".^$*+?{}[]\\|() '’")
_OPTIONAL = ("?", "*", "{")


Clause = tuple[str, ...]  # one of these strings must occur


def _syntax(source: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Each position of ``source`` outside escapes and character classes, with its group depth
    (after an opening and before a closing parenthesis is counted)."""
    depth, i, in_class = 0, start, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            if ch == ")":
                depth -= 1
            yield i, ch, depth
            if ch == "(":
                depth += 1
        i += 1


def _group_end(phrase: str, start: int) -> int:
    """The index of the ``)`` closing the group opened at ``start``."""
    return next((i for i, ch, depth in _syntax(phrase, start) if ch == ")" and depth == 0), len(phrase))


def _split_alternatives(body: str) -> list[str]:
    """``body`` split at its top-level ``|``."""
    cuts = [i for i, ch, depth in _syntax(body) if ch == "|" and depth == 0]
    bounds = [-1, *cuts, len(body)]
    return [body[a + 1 : b] for a, b in itertools.pairwise(bounds)]


def required_literals(phrase: str) -> tuple[Clause, ...]:
    """What every match of ``phrase`` must contain: clauses of strings, one of each must occur.

    A run of plain characters outside groups is a clause of one; a group that must match
    (``(?:would|could) you``) is a clause of its alternatives' own longest literals when
    every alternative has one. A character made optional by a quantifier ends a run, a
    quantifier's bounds are not text, and lookarounds, classes and escapes say nothing."""
    clauses: list[Clause] = []
    current: list[str] = []

    def flush() -> None:
        if len(current) >= 2:
            clauses.append(("".join(current),))
        current.clear()

    i = 0
    while i < len(phrase):
        ch = phrase[i]
        if ch == "\\":
            flush()
            i += 2
            continue
        if ch == "{":
            flush()
            close = phrase.find("}", i)
            i = len(phrase) if close == -1 else close + 1
            continue
        if ch == "[":
            flush()
            close = phrase.find("]", i + 2)
            i = len(phrase) if close == -1 else close + 1
            continue
        if ch == "(":
            flush()
            end = _group_end(phrase, i)
            body = phrase[i + 1 : end]
            optional = phrase[end + 1 : end + 2] in _OPTIONAL
            if body.startswith("?:") and not optional:
                alternatives = _split_alternatives(body[2:])
                best = [
                    max((c[0] for c in required_literals(alt) if len(c) == 1), key=len, default="")
                    for alt in alternatives
                ]
                if all(best):
                    clauses.append(tuple(dict.fromkeys(best)))
            i = end + 1
            continue
        if ch == "|":
            return ()
        if ch not in _SYNTAX and phrase[i + 1 : i + 2] not in _OPTIONAL:
            current.append(ch)
        else:
            flush()
        i += 1
    flush()
    return tuple(dict.fromkeys(clauses))


def satisfied(clauses: tuple[Clause, ...], haystack: str) -> bool:
    """Whether ``haystack`` holds one string of every clause."""
    return all(any(lit in haystack for lit in clause) for clause in clauses)


class LazyPattern:
    """A regex compiled on first need: a text that lacks what every match requires gets no
    match without compiling anything. Offers ``search`` (the one method its users need)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        ignore_case = bool(flags & re.IGNORECASE) or pattern.startswith("(?i)")
        clauses = required_literals(pattern)
        self.clauses = tuple(tuple(lit.lower() for lit in c) for c in clauses) if ignore_case else clauses
        self.lower = ignore_case
        self._compiled: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def compiled(self) -> re.Pattern[str]:
        with self._lock:
            if self._compiled is None:
                self._compiled = re.compile(self.pattern, self.flags)
            return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        if self._compiled is None and not satisfied(self.clauses, text.lower() if self.lower else text):
            return None
        return self.compiled().search(text)

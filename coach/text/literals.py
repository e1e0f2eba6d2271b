"""What every match of a regular expression must contain, read from its source.

A pattern that needs "brain" cannot match a text without "brain": checking that first
lets coach skip compiling (and running) most patterns for most drafts. The reading is
deliberately conservative: when in doubt, a pattern requires nothing.

A literal that the pattern bounds on both sides (``\\bat\\s``, ``you\\b``) must occur as a
whole word, which is a much stronger test than a substring ("at" is in "that"). Such a
literal is written with a space on each side (``" at "``) and tested against the text with
every non-word character made a space (see :func:`haystack`). And the literals of a
pattern must occur in the order the pattern reads them.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator
from functools import lru_cache

# Characters that end a literal run: regex syntax, spaces and apostrophes (a rule phrase's
# space matches any whitespace and its apostrophe a straight or a curly one).
_SYNTAX = set(".^$*+?{}[]\\|() '’")
_OPTIONAL = ("?", "*", "{")
# Escapes that stand for one non-word character (``\\s``, ``\\W``, ``\\n``...).
_NONWORD_ESCAPES = set("sWntrfv")
_ESCAPE_WIDTH = {"x": 4, "u": 6, "U": 10}
_LOOKAROUND = ("?=", "?!", "?<=", "?<!")
_NONWORD = re.compile(r"\W")


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


def split_alternatives(body: str) -> list[str]:
    """``body`` split at its top-level ``|``."""
    cuts = [i for i, ch, depth in _syntax(body) if ch == "|" and depth == 0]
    bounds = [-1, *cuts, len(body)]
    return [body[a + 1 : b] for a, b in itertools.pairwise(bounds)]


def _is_word(text: str) -> bool:
    """Whether every character of ``text`` is one that ``\\w`` matches."""
    return all(ch.isalnum() or ch == "_" for ch in text)


def _optional(source: str, at: int) -> bool:
    """Whether the element ending just before ``at`` may be absent (a ``{m,n}`` counts as optional)."""
    return source[at : at + 1] in _OPTIONAL


def _escape_width(source: str, at: int) -> int:
    """The length of the escape starting at ``at`` (``\\s`` 2, ``\\u00C0`` 6, ``\\N{...}``)."""
    letter = source[at + 1 : at + 2]
    if letter == "N" and source[at + 2 : at + 3] == "{":
        close = source.find("}", at)
        return len(source) - at if close == -1 else close + 1 - at
    return _ESCAPE_WIDTH.get(letter, 2)


def _nonword_escape(letter: str) -> bool:
    """Whether ``\\`` + ``letter`` always matches one character that ``\\w`` does not."""
    return bool(letter) and (letter in _NONWORD_ESCAPES or not (letter.isalnum() or letter == "_"))


def _class_end(source: str, start: int) -> int:
    """The index of the ``]`` closing the character class opened at ``start``."""
    i = start + 1
    if source[i : i + 1] == "^":
        i += 1
    if source[i : i + 1] == "]":
        i += 1
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == "]":
            return i
        i += 1
    return len(source)


def _nonword_class(body: str) -> bool:
    """Whether a class (its text between the brackets) matches only characters ``\\w`` does not."""
    if not body or body[0] == "^":
        return False
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            if not _nonword_escape(body[i + 1 : i + 2]) or body[i + 1 : i + 2] in ("x", "u", "U", "N"):
                return False
            i += 2
            continue
        if (ch == "-" and 0 < i < len(body) - 1) or _is_word(ch):
            return False
        i += 1
    return True


def _ends_nonword(alternative: str) -> bool:
    """Whether every match of ``alternative`` (one branch of a group) ends with a character that
    ``\\w`` does not match: a space, an apostrophe, ``\\s``, punctuation (repeated or not)."""
    text = alternative.removesuffix("+")
    if not text or text[-1] in _SYNTAX.difference(" '’"):
        return False
    escaped = len(text) - len(text[:-1].rstrip("\\")) - 1  # backslashes before the last character
    if escaped % 2:
        return _nonword_escape(text[-1])
    return not _is_word(text[-1])


def _bounded_after(source: str, at: int, end_bounded: bool) -> bool:
    """Whether whatever matches the element at ``at`` is sure to start with a non-word character
    (or the end of the text); ``end_bounded`` says so for the end of ``source``."""
    if at >= len(source):
        return end_bounded
    ch = source[at]
    if ch == "\\":
        letter = source[at + 1 : at + 2]
        if letter == "b":
            return True
        return _nonword_escape(letter) and not _optional(source, at + _escape_width(source, at))
    if ch == "$":
        return True
    if ch == "[":
        end = _class_end(source, at)
        return _nonword_class(source[at + 1 : end]) and not _optional(source, end + 1)
    if ch in " '’" or (ch not in _SYNTAX and not _is_word(ch)):
        return not _optional(source, at + 1)
    return False


def required_literals(phrase: str, start_bounded: bool = False, end_bounded: bool = False) -> tuple[Clause, ...]:
    """What every match of ``phrase`` must contain: clauses of strings, one of each must occur.

    A run of plain characters outside groups is a clause of one; a group that must match
    (``(?:would|could) you``) is a clause of its alternatives' own longest literals when
    every alternative has one. A character made optional by a quantifier ends a run, a
    quantifier's bounds are not text, and lookarounds, classes and escapes say nothing.

    A run of word characters with a word boundary sure on both sides (``\\b``, a space, an
    apostrophe, other punctuation, the ends of the text) must be a whole word: it is written
    ``" word "`` (see :func:`haystack`). ``start_bounded`` and ``end_bounded`` say whether
    the context guarantees a boundary before and after ``phrase``."""
    clauses: list[Clause] = []
    current: list[str] = []
    run_bounded = bounded = start_bounded

    def flush(at: int) -> None:
        if len(current) >= 2:
            run = "".join(current)
            if run_bounded and _is_word(run) and _bounded_after(phrase, at, end_bounded):
                run = f" {run} "
            clauses.append((run,))
        current.clear()

    i = 0
    while i < len(phrase):
        ch = phrase[i]
        if ch == "\\":
            flush(i)
            width = _escape_width(phrase, i)
            letter = phrase[i + 1 : i + 2]
            if letter == "b":
                bounded = True
            elif _optional(phrase, i + width):
                bounded = bounded and _nonword_escape(letter)
            else:
                bounded = _nonword_escape(letter)
            i += width
            continue
        if ch == "{":
            flush(i)
            close = phrase.find("}", i)
            i = len(phrase) if close == -1 else close + 1
            continue  # a quantifier: the element before it set the boundary
        if ch == "[":
            flush(i)
            end = _class_end(phrase, i)
            nonword = _nonword_class(phrase[i + 1 : end])
            bounded = (bounded and nonword) if _optional(phrase, end + 1) else nonword
            i = end + 1
            continue
        if ch == "(":
            flush(i)
            end = _group_end(phrase, i)
            body = phrase[i + 1 : end]
            if body.startswith(_LOOKAROUND):  # zero width: what came before still stands
                i = end + 1
                continue
            inner: str | None = None
            if body.startswith("?:"):
                inner = body[2:]
            elif body.startswith("?P<"):
                inner = body[body.find(">") + 1 :]
            elif body.startswith("?-i:"):  # matching case only: what it needs, lowered or not, still holds
                inner = body[4:]
            elif not body.startswith("?"):
                inner = body
            optional = _optional(phrase, end + 1)
            alternatives = split_alternatives(inner) if inner is not None else []
            if alternatives and not optional:
                after = _bounded_after(phrase, end + 1, end_bounded)
                best = [
                    max((c[0] for c in required_literals(alt, bounded, after) if len(c) == 1), key=len, default="")
                    for alt in alternatives
                ]
                if all(best):
                    clauses.append(tuple(dict.fromkeys(best)))
            # After the group: a boundary when each branch ends with one (an empty branch, or
            # skipping an optional group, leaves the boundary as it was before the group).
            ends = bool(alternatives) and all(_ends_nonword(alt) if alt else bounded for alt in alternatives)
            bounded = ends and (bounded or not optional)
            i = end + 1
            continue
        if ch == "|":
            return ()
        if ch not in _SYNTAX and not _optional(phrase, i + 1):
            if not current:
                run_bounded = bounded
            current.append(ch)
            bounded = not _is_word(ch)
        else:
            flush(i)
            if ch in "^$":
                bounded = True
            elif ch in "?*+":
                pass  # a quantifier: the element before it set the boundary
            elif ch in _SYNTAX.difference(" '’"):
                bounded = False  # "." or a stray bracket
            elif _optional(phrase, i + 1):
                bounded = bounded and not _is_word(ch)
            else:
                bounded = not _is_word(ch)
        i += 1
    flush(len(phrase))
    return tuple(dict.fromkeys(clauses))


_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+")
# A pair of neighbours with this many spellings or more is left out: it would cost more than it saves.
_MAX_PAIR_SPELLINGS = 12


def _word_element(source: str, at: int) -> tuple[frozenset[str] | None, int]:
    """At ``at``, a plain word or a group of plain-word alternatives that must match once:
    (its spellings, where it ends); (None, end) for any other element."""
    m = _PLAIN_WORD.match(source, at)
    if m is not None:
        end = m.end()
        return (None, end) if source[end : end + 1] in ("?", "*", "+", "{") else (frozenset([m.group()]), end)
    if source[at] == "(":  # a whole group, read or skipped: words in a lookaround are not in the match
        end = _group_end(source, at)
        alternatives = source[at + 3 : end].split("|") if source.startswith("(?:", at) else [""]
        if source[end + 1 : end + 2] in ("?", "*", "+", "{"):
            return None, end + 1
        if all(_PLAIN_WORD.fullmatch(a) for a in alternatives):
            return frozenset(alternatives), end + 1
        return None, end + 1
    if source[at] == "[":
        return None, _class_end(source, at) + 1
    return None, at + (_escape_width(source, at) if source[at] == "\\" else 1)


def adjacent_words(source: str) -> tuple[Clause, ...]:
    """Clauses of word pairs that every match of ``source`` (one branch of a phrase list) holds
    side by side: two whole plain words, or groups of them, with only whitespace between
    (``\\s+``, ``\\s`` or a space) and a word boundary or whitespace on their outer sides. Each
    pair is written ``" would you "`` and read on the draft's words with the space between
    them collapsed (see :class:`Haystack`), so a pair is a stricter test than its two words.

    Any other element (an optional part, a class, an apostrophe, a lookaround) breaks the
    run; a branch with a top-level ``|`` gives no pairs."""
    if any(ch == "|" and depth == 0 for _, ch, depth in _syntax(source)):
        return ()
    elements: list[tuple[str, frozenset[str] | None]] = []  # ("w", spellings), ("s", None), ("b", None), ("x", None)
    at = 0
    while at < len(source):
        if source.startswith(r"\b", at):
            elements.append(("b", None))
            at += 2
        elif source.startswith(r"\s+", at):
            elements.append(("s", None))
            at += 4 if source[at + 3 : at + 4] == "?" else 3
        elif (source.startswith(r"\s", at) and source[at + 2 : at + 3] not in ("?", "*", "+", "{")) or (
            source[at] == " " and source[at + 1 : at + 2] not in ("?", "*", "+", "{")
        ):
            elements.append(("s", None))
            at += 1 if source[at] == " " else 2
        else:
            words, at = _word_element(source, at)
            elements.append(("w", words) if words is not None else ("x", None))
    pairs: list[Clause] = []
    for i in range(1, len(elements) - 3):
        (before, _), (a, first), (sep, _), (b, second), (after, _) = elements[i - 1 : i + 4]
        if a == b == "w" and sep == "s" and before in ("b", "s") and after in ("b", "s") and first and second:
            spellings = [f" {x} {y} " for x in sorted(first) for y in sorted(second)]
            if len(spellings) < _MAX_PAIR_SPELLINGS:
                pairs.append(tuple(spellings))
    return tuple(pairs)


def is_pair(clause: Clause) -> bool:
    """Whether ``clause`` is a clause of word pairs (see :func:`adjacent_words`)."""
    return " " in clause[0][1:-1]


class Haystack:
    """A text as :func:`satisfied` reads it: the text itself and, offsets shifted by one, the
    text with every non-word character a space and a space at each end (``" at "`` is in it
    exactly where "at" is a whole word of the text), with what has been asked of it kept:
    the many phrase lists run on one draft ask about the same words again and again."""

    __slots__ = ("_collapsed", "known", "text", "words", "words_set")

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = f" {_NONWORD.sub(' ', text)} "
        self.words_set = frozenset(self.words.split())
        self.known: dict[str, bool] = {}  # literal: whether it occurs
        self._collapsed: str | None = None

    @property
    def collapsed(self) -> str:
        """The words one space apart: where a pair of words side by side is looked for."""
        if self._collapsed is None:
            self._collapsed = f" {' '.join(self.words.split())} "
        return self._collapsed

    def holds(self, literal: str) -> bool:
        """Whether ``literal`` occurs: a whole word (written ``" word "``), or a string of the text."""
        known = self.known.get(literal)
        if known is None:
            if literal[0] == " ":
                stripped = literal[1:-1]
                # One word is a set lookup; words side by side are looked for with the spaces collapsed.
                known = stripped in self.words_set if " " not in stripped else literal in self.collapsed
            else:
                known = literal in self.text
            self.known[literal] = known
        return known


@lru_cache(maxsize=16)
def haystack(text: str) -> Haystack:
    return Haystack(text)


def satisfied(clauses: tuple[Clause, ...], hay: Haystack) -> bool:
    """Whether ``hay`` (see :class:`Haystack`) holds one string of every clause, in order.

    The clauses of a pattern come in the order of the parts of it they are read from, so a
    match holds them in that order: after a cheap test that each occurs somewhere, each
    clause's earliest occurrence must end before the next clause's starts (a whole word's
    spaces may be shared by its neighbours)."""
    known, holds = hay.known, hay.holds
    for clause in clauses:
        for lit in clause:
            got = known.get(lit)
            if got or (got is None and holds(lit)):
                break
        else:
            return False
    if len(clauses) < 2:
        return True
    text, words = hay.text, hay.words
    end = 0  # where the part read so far ends, in the offsets of ``words``
    for clause in clauses:
        if is_pair(clause):
            break  # pairs come last and were tested above; their order is their clauses' order
        best = -1
        for lit in clause:
            if lit[0] == " ":
                at = words.find(lit, max(end - 1, 0))
                found = at + len(lit) - 1
            else:
                at = text.find(lit, max(end - 1, 0))
                found = at + 1 + len(lit)
            if at >= 0 and (best < 0 or found < best):
                best = found
        if best < 0:
            return False
        end = best
    return True


Prepared = tuple[tuple[str, tuple[Clause, ...]], ...]


class Alternation:
    """Some regexes of a list searched as their alternation ``(?:a)|(?:b)|...`` would be: the
    leftmost match, and at one start the earliest regex's. Each regex is compiled on its own, so
    a draft pays only for the few its words allow, and each is scanned with its own literal
    prefix rather than trying every branch at every character.

    (A regex that can match the empty string is assumed not to hide a longer match of a later
    one at the same place: phrases match words.)"""

    __slots__ = ("patterns",)

    def __init__(self, patterns: list[re.Pattern[str]]) -> None:
        self.patterns = patterns

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        best: re.Match[str] | None = None
        for pattern in self.patterns:
            m = pattern.search(text, pos, endpos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
                if m.start() == pos:
                    break  # nothing can start earlier, and earlier regexes did not match here
        return best

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Successive non-overlapping matches, as ``re.finditer`` on the alternation gives them."""
        patterns = self.patterns
        upcoming = [p.search(text) for p in patterns]
        while True:
            best: re.Match[str] | None = None
            for m in upcoming:
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            yield best
            pos = best.end() if best.end() > best.start() else best.end() + 1
            if pos > len(text):
                return
            for i, m in enumerate(upcoming):
                if m is not None and m.start() < pos:
                    upcoming[i] = patterns[i].search(text, pos)


# Words in nearly every message: a clause of them says little about whether a phrase can match.
COMMON_WORDS = frozenset(
    "a about after all also am an and any are as at be been but by can could did do for from get"
    " had has have he her him his how i if in is it its just know let like me might more my no"
    " not of on one or our out she so some than that the their them then there they this to up"
    " us was we were what when which who will with would you your".split()
)


def _selectivity(clause: Clause) -> tuple[int, int, int]:
    """How often a clause is likely met, least first: by its common words, its size, its shortest string."""
    common = sum(1 for lit in clause if lit.strip() in COMMON_WORDS or len(lit.strip()) <= 2)
    return common, len(clause), -min(len(lit) for lit in clause)


class PhraseSet:
    """A list of regexes searched as one alternation, in one matching mode: ``lowered`` (run on
    the lowered draft), ``ignorecase`` or ``exact``.

    Compiling a long alternation costs more than a whole critique, and searching one tries
    every branch at every character, so :meth:`for_text` first asks which regexes *could*
    match (see :func:`required_literals`) and hands back only those, each compiled once on its
    own (an :class:`Alternation`): every match is the one the full alternation would find."""

    def __init__(self, prepared: Prepared, mode: str) -> None:
        self.prepared = prepared
        self.flags = re.IGNORECASE if mode == "ignorecase" else 0
        self.lower_haystack = mode == "ignorecase"
        self._compiled: list[re.Pattern[str] | None] = [None] * len(prepared)
        self._keys: tuple[dict[str, tuple[int, ...]], tuple[tuple[str, tuple[int, ...]], ...]] | None = None
        self._always: tuple[int, ...] = ()

    def _pattern(self, index: int) -> re.Pattern[str]:
        pattern = self._compiled[index]
        if pattern is None:  # two threads may both compile it: the same pattern, no harm
            pattern = self._compiled[index] = re.compile(self.prepared[index][0], self.flags)
        return pattern

    def _index(self) -> tuple[dict[str, tuple[int, ...]], tuple[tuple[str, tuple[int, ...]], ...]]:
        """For every regex, the clause with the fewest (and longest) strings, indexed by string:
        the whole words (looked up all at once in a draft's set of words) and the other strings,
        each with the regexes that need it. One look at a draft rules out most regexes."""
        if self._keys is None:
            words: dict[str, list[int]] = {}
            others: dict[str, list[int]] = {}
            always = []
            for i, (_, clauses) in enumerate(self.prepared):
                if not clauses:
                    always.append(i)
                    continue
                key = min(clauses, key=_selectivity)
                for lit in key:
                    word = lit[1:-1] if lit[0] == " " else None
                    if word and " " not in word:
                        words.setdefault(word, []).append(i)
                    else:
                        others.setdefault(lit, []).append(i)
            self._always = tuple(always)
            self._keys = (
                {w: tuple(found) for w, found in words.items()},
                tuple((k, tuple(v)) for k, v in others.items()),
            )
        return self._keys

    def candidates(self, text: str) -> Iterator[re.Pattern[str]]:
        """The regexes that could match ``text``, in list order, each checked against the
        draft's words and compiled only when reached: a caller that needs one match stops early."""
        hay = haystack(text.lower() if self.lower_haystack else text)
        by_word, others = self._keys or self._index()
        present = hay.words_set.intersection(by_word)
        if not present and not others and not self._always:
            return  # the common case: none of the words any phrase needs
        candidates = set(self._always)
        for word in present:
            candidates.update(by_word[word])
        known, holds = hay.known, hay.holds
        for lit, needing in others:
            got = known.get(lit)
            if got or (got is None and holds(lit)):
                candidates.update(needing)
        prepared = self.prepared
        for i in sorted(candidates):
            if satisfied(prepared[i][1], hay):
                yield self._pattern(i)

    def for_text(self, text: str) -> Alternation | None:
        """The regexes that could match ``text``, searched as the whole list would be; None when none can."""
        patterns = list(self.candidates(text))
        return Alternation(patterns) if patterns else None

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in ``text`` of any regex of the list, as the whole alternation finds it."""
        pattern = self.for_text(text)
        return None if pattern is None else pattern.search(text)


# Characters that a case-insensitive regex matches to an ASCII letter although their
# ``lower()`` is not that letter ("ı" and "İ" match "i", "ſ" matches "s"): a text holding
# one is never ruled out by a lowered test.
_FOLD_EXCEPTIONS = ("\u0130", "\u0131", "\u017f")
_SPACE_TAB = " \t"


_last_lowered: tuple[str, str | None] = ("", "")


def lowered(text: str) -> str | None:
    """``text.lower()``, or None when a case-insensitive test on it could miss a match. The answer
    for the last text is kept: every pattern run on one draft shares it."""
    global _last_lowered
    last = _last_lowered
    if last[0] is text:
        return last[1]
    folds = not text.isascii() and any(ch in text for ch in _FOLD_EXCEPTIONS)
    low = None if folds else text.lower()
    _last_lowered = (text, low)
    return low


def line_head(text: str, pos: int, endpos: int, size: int, *, lower: bool) -> str | None:
    """Up to ``size`` characters of ``text[pos:endpos]`` after its leading spaces and tabs, lowered
    if ``lower``; None when a lowered test could miss a case-insensitive match (see :func:`lowered`)."""
    if pos < 0:
        pos = 0
    if endpos > len(text):
        endpos = len(text)
    while pos < endpos and text[pos] in _SPACE_TAB:
        pos += 1
    stop = pos + size
    head = text[pos : endpos if endpos < stop else stop]
    return lowered(head) if lower else head


class LazyPattern:
    """A regex compiled on first use, and only run on texts where it could match.

    ``anywhere``: strings one of which every match contains (compared with the text lowered
    when the pattern ignores case; written in lower case then). A text without any of them
    is answered at once, the decision kept for the last text seen (by identity, so a
    long draft searched line by line with ``pos``/``endpos`` is scanned once).

    ``starts``: for :meth:`match` and :meth:`fullmatch` only, strings one of which every
    match starts with after leading spaces and tabs.

    Both lists must be conservative: they only skip work, so a text they rule out must be
    one the regex cannot match."""

    __slots__ = ("_compiled", "_last", "_max_start", "anywhere", "flags", "ignorecase", "pattern", "starts")

    def __init__(
        self, pattern: str, flags: int = 0, *, anywhere: tuple[str, ...] = (), starts: tuple[str, ...] = ()
    ) -> None:
        self.pattern = pattern
        self.flags = flags
        self.ignorecase = bool(flags & re.IGNORECASE) or pattern.startswith("(?i)")
        self.anywhere = anywhere
        self.starts = starts
        self._max_start = max(map(len, starts), default=0)
        self._compiled: re.Pattern[str] | None = None
        self._last: tuple[str, bool] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled regex (compiled now if it was not yet)."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return compiled

    def possible(self, text: str) -> bool:
        """Whether ``text`` holds one of the ``anywhere`` strings (True when there are none)."""
        if not self.anywhere:
            return True
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        hay = lowered(text) if self.ignorecase else text
        answer = True
        if hay is not None:
            answer = False
            for lit in self.anywhere:
                if lit in hay:
                    answer = True
                    break
        self._last = (text, answer)
        return answer

    def for_text(self, text: str) -> re.Pattern[str] | None:
        """The compiled regex when ``text`` could hold a match, else None: for a loop over the
        lines of one text (``starts`` is not applied)."""
        return (self._compiled or self.compiled) if self.possible(text) else None

    def _starts_ok(self, text: str, pos: int, endpos: int) -> bool:
        """Whether a match could start at ``pos`` (see ``starts``)."""
        head = line_head(text, pos, endpos, self._max_start, lower=self.ignorecase)
        return head is None or head.startswith(self.starts)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self.anywhere and not self.possible(text):
            return None
        return (self._compiled or self.compiled).search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if (self.starts and not self._starts_ok(text, pos, endpos)) or (self.anywhere and not self.possible(text)):
            return None
        return (self._compiled or self.compiled).match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if (self.starts and not self._starts_ok(text, pos, endpos)) or (self.anywhere and not self.possible(text)):
            return None
        return (self._compiled or self.compiled).fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if self.anywhere and not self.possible(text):
            return iter(())
        return (self._compiled or self.compiled).finditer(text, pos, endpos)
